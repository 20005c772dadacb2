"""Pattern tables for leftover chatbot output (regex sources, compiled in ``ai_detect``)."""

from __future__ import annotations

# --- leftover chatbot output -------------------------------------------------------------
# (languages, rule, where, confidence, regex). ``where``: "any" = anywhere in a sentence,
# "start" = must begin a sentence, "line" = must be a whole line. Where several languages
# share a phrase, the first is the default and the sentence's words pick among them.
_I_EN = r"(?=[^.!?\n]{0,40}\b(?-i:I)\b)"
_ME = {
    "de": r"(?=[^.!?\n]{0,40}\b(?:ich|mir|mich|meine?)\b)",
    "sc": r"(?=[^.!?\n]{0,40}\b(?:jeg|jag|eg|meg|mig|min|mitt|mine)\b)",
    "nl": r"(?=[^.!?\n]{0,40}\b(?:ik|mij|me|mijn)\b)",
    "fr": r"(?=[^.!?\n]{0,40}(?:\bje\b|\bj['’]|\bme\b|\bm['’]|\bmes\b|\bmon\b|\bma\b))",
}
_NOT_REL = r"(?!\s*,\s*(?:that|which|das|der|die|welches|som|dat|die|qui|que)\b)"
_SC = ("nb", "sv", "da", "nn")
LEFTOVERS: tuple[tuple[tuple[str, ...], str, str, float, str], ...] = (
    (
        ("en",),
        "as_ai_model",
        "any",
        0.95,
        rf"\bas\s+an?\s+(?:(?:large\s+)?language\s+model|(?-i:AI|A\.I\.)(?:\s+(?:language\s+model|"
        rf"model|assistant|chatbot|system))?|"
        rf"artificial\s+intelligence(?:\s+(?:language\s+)?model)?)(?![\w-]){_NOT_REL}{_I_EN}",
    ),
    (
        ("en",),
        "i_am_ai",
        "any",
        0.9,
        r"\bI(?:['’]m|\s+am)\s+(?:just\s+|only\s+|merely\s+|"
        r"simply\s+)?an?\s+(?:(?-i:AI)(?:\s+(?:language\s+model|assistant|model|chatbot))?|"
        r"(?:large\s+)?language\s+model)(?=\s*[,.;!]|\s+(?:developed|created|trained|built|made|"
        r"designed|by|and|so|without|with)\b|\s*$)",
    ),
    (
        ("en",),
        "knowledge_cutoff",
        "any",
        0.9,
        r"\b(?:as\s+of|since|after|beyond|until|up\s+to)\s+my\s+(?:(?:last|latest|most\s+recent|"
        r"final)\s+)?(?:(?:knowledge|training)(?:\s+data)?\s+)?(?:update|cut-?off|date)\b|"
        r"\bmy\s+(?:knowledge|training)\s+(?:data\s+)?cut-?off\b|\bmy\s+(?:knowledge|"
        r"training\s+data)\s+(?:only\s+)?(?:goes|extends|is\s+limited|runs)\s+(?:up\s+)?(?:to|until|"
        r"through)",
    ),
    (
        ("en",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\bI(?:\s+(?:cannot|can(?:no|['’])t|am\s+unable\s+to|am\s+not\s+able\s+to)|['’]m\s+(?:unable|"
        r"not\s+able)\s+to)\s+(?:fulfill|fulfil|comply\s+with|complete|process|assist\s+with|"
        r"help\s+with)\s+(?:this|that|your|such\s+a|the)\s+(?:specific\s+)?request\b",
    ),
    (
        ("en",),
        "no_realtime",
        "any",
        0.7,
        r"\bI\s+(?:do\s+not|don['’]t)\s+have\s+(?:access\s+to\s+)?(?:real-?time\s+(?:data|information|"
        r"updates|access)|the\s+ability\s+to\s+browse|browsing\s+capabilit(?:y|ies))",
    ),
    (
        ("en",),
        "sorry_cannot",
        "start",
        0.6,
        r"(?:I['’]m|I\s+am)\s+(?:very\s+|really\s+|so\s+)?sorry,?\s+but\s+(?:I(?:\s+cannot|"
        r"\s+can(?:no|['’])t|\s+am\s+unable\s+to|['’]m\s+unable\s+to|\s+am\s+not\s+able\s+to)|"
        r"as\s+an\s+AI(?:\s+language\s+model)?,?\s+I\s+(?:cannot|can['’]t))\s+(?:provide|assist|help|"
        r"fulfil|comply|generate|create|write|browse|access|produce|complete|engage|support|answer)",
    ),
    (
        ("en",),
        "certainly_here",
        "start",
        0.6,
        r"(?:Certainly|Sure(?:\s+thing)?|Of\s+course|Absolutely|"
        r"Great\s+question)\s*[!.,:]\s*(?:Here(?:['’]s|\s+is|\s+are)|Below\s+(?:is|are)|"
        r"I['’]d\s+be\s+(?:happy|glad)\s+to)\b",
    ),
    (
        ("en",),
        "regenerate_response",
        "line",
        0.9,
        r"(?:Regenerate(?:\s+response)?|Copy\s+code|ChatGPT\s+can\s+make\s+mistakes\.?(?:\s+(?:Check|"
        r"Consider\s+checking)\s+important\s+info(?:rmation)?\.?)?)",
    ),
    (
        ("de",),
        "as_ai_model",
        "any",
        0.95,
        rf"\bals\s+(?:eine?\s+)?(?:(?-i:KI|AI)[-‐‑\s]?(?:Sprachmodell|Modell|Assistent(?:in)?|"
        rf"Chatbot)|(?:großes\s+)?Sprachmodell|künstliche\s+Intelligenz|"
        rf"(?-i:KI))(?![\w-]){_NOT_REL}{_ME['de']}",
    ),
    (
        ("de",),
        "i_am_ai",
        "any",
        0.9,
        r"\bich\s+bin\s+(?:nur\s+|lediglich\s+|bloß\s+)?(?:eine?\s+)?(?:(?-i:KI|"
        r"AI)[-‐‑](?:Sprachmodell|Modell|Assistent(?:in)?)|(?:großes\s+)?Sprachmodell|"
        r"künstliche\s+Intelligenz|(?-i:KI))(?![\w-])",
    ),
    (
        ("de",),
        "knowledge_cutoff",
        "any",
        0.9,
        r"\b(?:Stand|Zeitpunkt)\s+meine[sr]\s+(?:letzten\s+)?(?:Wissensupdates?|Wissensaktualisierung|"
        r"Trainingsdaten|Trainings)\b|\bStand\s+meines\s+Wissens\s+(?:(?:im|vom|von|bis|"
        r"aus)\s+)?(?:\w+\s+)?\d{4}\b|\bmein(?:em)?\s+(?:letzten\s+)?Wissensstand\s+(?:im|vom|von|bis|"
        r"aus)\s+(?:\w+\s+)?\d{4}\b|\bmeine\s+Trainingsdaten\s+(?:reichen|gehen)\s+(?:nur\s+)?bis\b|"
        r"\bmein\s+Wissen\s+(?:reicht|endet)\s+(?:nur\s+)?bis\b|\b(?:bis\s+zu|seit|nach|Stand)\s+"
        r"meine[ms]\s+letzten\s+(?:Update|Wissensupdate|Aktualisierung|(?:Wissens|Kenntnis)stand)",
    ),
    (
        ("de",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\bich\s+kann\s+(?:diese[rn]?|Ihre[rn]?|deine[rn]?)\s+(?:Anfrage|Bitte|Anforderung|"
        r"Aufforderung)\s+(?:leider\s+)?nicht\s+(?:erfüllen|nachkommen|bearbeiten|beantworten|"
        r"ausführen|entsprechen)\b",
    ),
    (
        ("de",),
        "sorry_cannot",
        "start",
        0.6,
        r"(?:Es\s+tut\s+mir\s+leid|Tut\s+mir\s+leid|Entschuldigung)\s*,\s*(?:aber\s+)?(?:ich\s+kann|"
        r"als\s+(?:KI|Sprachmodell|KI-Sprachmodell)\s+kann\s+ich)\s+(?:\w+\s+){0,4}?(?:nicht|"
        r"keine)\s+(?:\w+\s+){0,3}?(?:helfen|erfüllen|bereitstellen|erstellen|generieren|zugreifen|"
        r"liefern|nachkommen)",
    ),
    (
        ("de",),
        "certainly_here",
        "start",
        0.6,
        r"(?:Gerne|Gern|Natürlich|Selbstverständlich|Klar|Aber\s+gerne|"
        r"Absolut)\s*[!.,:]\s*(?:Hier\s+(?:ist|sind|kommt|kommen|findest\s+du|finden\s+Sie)|"
        r"Nachfolgend|Im\s+Folgenden)\b",
    ),
    (
        ("de",),
        "regenerate_response",
        "line",
        0.9,
        r"(?:Antwort\s+neu\s+generieren|Neu\s+generieren|Code\s+kopieren|"
        r"ChatGPT\s+kann\s+Fehler\s+machen\.?(?:\s+Überprüfe\s+wichtige\s+Informationen\.?)?)",
    ),
    (
        _SC,
        "as_ai_model",
        "any",
        0.95,
        rf"\bsom\s+(?:en\s+|ein\s+)?(?:(?-i:AI|KI)[-‐‑]?(?:språkmodell|sprogmodel|modell|model|"
        rf"assistent|chatbot)|(?:stor\s+)?(?:språkmodell|sprogmodel)|kunstig\s+intelligens|"
        rf"artificiell\s+intelligens|(?-i:AI|KI))(?![\w-]){_NOT_REL}{_ME['sc']}",
    ),
    (
        _SC,
        "i_am_ai",
        "any",
        0.9,
        r"\b(?:jeg\s+er|jag\s+är|eg\s+er)\s+(?:bare\s+|bara\s+|berre\s+|kun\s+|endast\s+)?(?:en|ein|"
        r"et)\s+(?:(?-i:AI|KI)[-‐‑](?:språkmodell|sprogmodel|modell|model|assistent)|"
        r"(?:stor\s+)?(?:språkmodell|sprogmodel)|(?-i:AI|KI))(?![\w-])",
    ),
    (
        ("nb", "nn"),
        "knowledge_cutoff",
        "any",
        0.9,
        r"\b(?:per|fra|frå|etter|ifølge|ifølgje|basert\s+på)\s+(?:min|mi|"
        r"den)\s+(?:siste\s+)?(?:kunnskapsoppdatering(?:a|en)?|kunnskapsgrense|treningsdata)\b|"
        r"\bmin\s+kunnskap\s+(?:strekker\s+seg|går)\s+(?:bare\s+|kun\s+)?(?:fram\s+|frem\s+)?til\b|"
        r"\bkunnskapen\s+min\s+(?:strekker|strekkjer|går)\b|\bmine\s+treningsdata\b|"
        r"\b(?:per|fra|etter|ifølge)\s+min\s+siste\s+oppdatering\b",
    ),
    (
        ("sv",),
        "knowledge_cutoff",
        "any",
        0.9,
        r"\b(?:enligt|per|från|efter|vid)\s+min\s+(?:senaste\s+)?(?:kunskapsuppdatering|kunskapsgräns|"
        r"träningsdata)\b|\bmin\s+kunskap\s+(?:sträcker\s+sig|når|går)\s+(?:bara\s+|"
        r"endast\s+)?(?:fram\s+)?till\b|\b(?:enligt|per|från\s+och\s+med|vid)\s+min\s+senaste\s+"
        r"uppdatering\b",
    ),
    (
        ("da",),
        "knowledge_cutoff",
        "any",
        0.9,
        r"\b(?:pr\.|per|fra|efter|ifølge|ved)\s+min\s+(?:seneste\s+|sidste\s+)?(?:vidensopdatering|"
        r"vidensgrænse|træningsdata)\b|\bmin\s+viden\s+(?:rækker|strækker\s+sig|"
        r"går)\s+(?:kun\s+)?(?:frem\s+)?til\b|\b(?:pr\.|per|fra|efter|ifølge)\s+min\s+"
        r"(?:seneste|sidste)\s+opdatering\b",
    ),
    (
        ("nb",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\bjeg\s+kan\s+(?:dessverre\s+)?ikke\s+(?:oppfylle|etterkomme|imøtekomme|"
        r"hjelpe\s+(?:deg\s+)?med|behandle|svare\s+på)\s+(?:denne|den|din|slike?)\s+(?:forespørselen|"
        r"forespørsel|henvendelsen|bestillingen)\b",
    ),
    (
        ("nn",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\beg\s+kan\s+(?:dessverre\s+)?ikkje\s+(?:oppfylle|hjelpe\s+(?:deg\s+)?med|"
        r"svare\s+på)\s+(?:denne|den|din)\s+(?:førespurnaden|førespurnad|forespørselen)\b",
    ),
    (
        ("da",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\bjeg\s+kan\s+(?:desværre\s+)?ikke\s+(?:opfylde|imødekomme|hjælpe\s+(?:dig\s+)?med|"
        r"efterkomme|behandle)\s+(?:denne|din|den)\s+(?:anmodning|forespørgsel|henvendelse)\b",
    ),
    (
        ("sv",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\bjag\s+kan\s+(?:tyvärr\s+)?inte\s+(?:uppfylla|tillmötesgå|"
        r"hjälpa\s+(?:dig\s+)?(?:till\s+)?med|hantera|besvara)\s+(?:denna|den\s+här|din|"
        r"en\s+sådan)\s+(?:begäran|förfrågan)\b",
    ),
    (
        ("nb", "da", "nn"),
        "sorry_cannot",
        "start",
        0.6,
        r"(?:Beklager|Beklagar|Jeg\s+beklager|Eg\s+beklagar)\s*,?\s*(?:men\s+)?(?:jeg\s+kan\s+ikke|"
        r"eg\s+kan\s+ikkje|som\s+(?:en\s+|ein\s+)?(?:KI|AI|språkmodell|sprogmodel)\s+kan\s+(?:jeg|"
        r"eg)\s+ikk(?:e|je))\s+(?:\w+\s+){0,3}?(?:hjelpe|hjælpe|oppfylle|opfylde|lage|lave|generere|"
        r"få\s+tilgang|få\s+adgang)",
    ),
    (
        ("sv",),
        "sorry_cannot",
        "start",
        0.6,
        r"(?:Jag\s+är\s+ledsen|Tyvärr|Ursäkta)\s*,?\s*(?:men\s+)?(?:jag\s+kan\s+inte|"
        r"kan\s+jag\s+inte)\s+(?:\w+\s+){0,3}?(?:hjälpa|uppfylla|skapa|generera|få\s+tillgång|"
        r"tillhandahålla)",
    ),
    (
        ("nb", "da", "nn"),
        "certainly_here",
        "start",
        0.6,
        r"(?:Selvfølgelig|Selvsagt|Sjølvsagt|Absolutt|Absolut|Gjerne|Gerne)\s*[!.,:]\s*(?:Her\s+(?:er|"
        r"kommer|følger)|Nedenfor\s+(?:er|finner\s+du|finder\s+du|følger))\b",
    ),
    (
        ("sv",),
        "certainly_here",
        "start",
        0.6,
        r"(?:Självklart|Absolut|Visst|Givetvis|Naturligtvis|Såklart|Gärna|"
        r"Javisst)\s*[!.,:]\s*(?:Här\s+(?:är|kommer|följer)|Nedan\s+(?:är|följer|hittar\s+du))\b",
    ),
    (
        ("nb", "nn", "da"),
        "regenerate_response",
        "line",
        0.9,
        r"(?:Generer\s+(?:svaret|svar)\s+(?:på\s+nytt|igen)|Regenerer\s+svar(?:et)?)",
    ),
    (
        ("sv",),
        "regenerate_response",
        "line",
        0.9,
        r"(?:Återskapa\s+svar(?:et)?|Generera\s+(?:om\s+)?svar(?:et)?(?:\s+igen)?)",
    ),
    (
        ("nl",),
        "as_ai_model",
        "any",
        0.95,
        rf"\bals\s+(?:een\s+)?(?:(?-i:AI|KI)[-‐‑\s]?(?:taalmodel|model|assistent|chatbot)|"
        rf"(?:groot\s+)?taalmodel|kunstmatige\s+intelligentie|"
        rf"(?-i:AI))(?![\w-]){_NOT_REL}{_ME['nl']}",
    ),
    (
        ("nl",),
        "i_am_ai",
        "any",
        0.9,
        r"\bik\s+ben\s+(?:slechts\s+|maar\s+|alleen\s+)?(?:een\s+)?(?:(?-i:AI|KI)[-‐‑](?:taalmodel|"
        r"model|assistent)|(?:groot\s+)?taalmodel|(?-i:AI))(?![\w-])",
    ),
    (
        ("nl",),
        "knowledge_cutoff",
        "any",
        0.9,
        r"\b(?:tot|vanaf|volgens|per|sinds)\s+mijn\s+(?:laatste\s+|"
        r"meest\s+recente\s+)?(?:kennisupdate|kennisdatum|trainingsdata|kennisafsluiting)\b|"
        r"\b(?:tot|vanaf|volgens|per|sinds)\s+mijn\s+laatste\s+update\b|"
        r"\bmijn\s+kennis\s+(?:reikt|loopt|gaat)\s+(?:slechts\s+|maar\s+)?tot\b",
    ),
    (
        ("nl",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\bik\s+kan\s+(?:helaas\s+)?(?:niet\s+voldoen\s+aan\s+(?:dit|dat|je|jouw|uw)\s+verzoek|"
        r"(?:dit|dat|je|jouw|uw)\s+verzoek\s+niet\s+(?:uitvoeren|vervullen|inwilligen|verwerken|"
        r"honoreren))\b",
    ),
    (
        ("nl",),
        "sorry_cannot",
        "start",
        0.6,
        r"(?:Het\s+spijt\s+me|Sorry)\s*,?\s*(?:maar\s+)?(?:ik\s+kan|als\s+(?:een\s+)?(?:AI|"
        r"taalmodel)\s+kan\s+ik)\s+(?:\w+\s+){0,4}?(?:niet|geen)\s+(?:\w+\s+){0,3}?(?:helpen|voldoen|"
        r"genereren|verstrekken|toegang)",
    ),
    (
        ("nl",),
        "certainly_here",
        "start",
        0.6,
        r"(?:Natuurlijk|Zeker|Uiteraard|Tuurlijk|Absoluut|Graag|"
        r"Met\s+plezier)\s*[!.,:]\s*(?:Hier\s+(?:is|zijn|volgt|komt)|Hieronder\s+(?:vind\s+je|"
        r"vindt\s+u|staat|volgt))\b",
    ),
    (
        ("nl",),
        "regenerate_response",
        "line",
        0.9,
        r"(?:(?:Antwoord|Reactie)\s+opnieuw\s+genereren|Opnieuw\s+genereren)",
    ),
    (
        ("fr",),
        "as_ai_model",
        "any",
        0.95,
        rf"\ben\s+tant\s+(?:qu['’]\s?(?:(?-i:IA)(?:\s+conversationnelle)?|intelligence\s+artificielle|"
        rf"assistant\s+(?:IA|virtuel)|agent\s+conversationnel)|"
        rf"que\s+(?:grand\s+)?modèle\s+de\s+lang(?:age|ue)(?:\s+(?:IA|"
        rf"d['’]IA))?)(?![\w-]){_NOT_REL}{_ME['fr']}",
    ),
    (
        ("fr",),
        "i_am_ai",
        "any",
        0.9,
        r"\bje\s+suis\s+(?:seulement\s+|juste\s+|simplement\s+)?(?:une?\s+)?(?:(?-i:IA)|"
        r"intelligence\s+artificielle|(?:grand\s+)?modèle\s+de\s+lang(?:age|ue)|assistant\s+(?:IA|"
        r"virtuel))(?![\w-])",
    ),
    (
        ("fr",),
        "knowledge_cutoff",
        "any",
        0.9,
        r"\b(?:à\s+la\s+date\s+de|selon|d['’]après|depuis|"
        r"jusqu['’]à)\s+ma\s+(?:dernière\s+)?mise\s+à\s+jour(?:\s+des\s+connaissances)?\b|"
        r"\bma\s+date\s+(?:limite|butoir)\s+de\s+connaissances?\b|"
        r"\bmes\s+connaissances\s+(?:s['’]arrêtent|sont\s+limitées|datent|vont\s+jusqu)|"
        r"\bmes\s+données\s+d['’](?:entraînement|apprentissage)\b",
    ),
    (
        ("fr",),
        "cannot_fulfill",
        "any",
        0.8,
        r"\bje\s+ne\s+(?:peux\s+pas|suis\s+pas\s+en\s+mesure\s+de)\s+(?:répondre\s+à|satisfaire|"
        r"traiter|donner\s+suite\s+à)\s+(?:cette|votre|ta|une\s+telle)\s+(?:demande|requête)\b",
    ),
    (
        ("fr",),
        "sorry_cannot",
        "start",
        0.6,
        r"(?:Je\s+suis\s+désolée?|Désolée?)\s*,?\s*(?:mais\s+)?(?:je\s+ne\s+peux\s+pas|"
        r"je\s+ne\s+suis\s+pas\s+en\s+mesure\s+de|"
        r"en\s+tant\s+qu['’]\s?IA,?\s+je\s+ne\s+peux\s+pas)\s+(?:\w+\s+){0,3}?(?:fournir|aider|"
        r"satisfaire|générer|créer|accéder)",
    ),
    (
        ("fr",),
        "certainly_here",
        "start",
        0.6,
        r"(?:Bien\s+sûr|Certainement|Absolument|Bien\s+entendu|Avec\s+plaisir|"
        r"Volontiers)\s*[!.,:]\s*(?:Voici|Ci-dessous|Je\s+(?:vous|te)\s+propose)\b",
    ),
    (
        ("fr",),
        "regenerate_response",
        "line",
        0.9,
        r"(?:Régénérer(?:\s+la\s+réponse)?|Générer\s+à\s+nouveau|Copier\s+le\s+code)",
    ),
)

# Cheap literal prefilter: a leftover row ("<first language>.<rule>") is only tried on
# sentences containing one of its triggers (lower-case ones match case-insensitively).
_SURE = ("certainly", "sure", "of course", "absolut", "great question")
LEFTOVER_TRIGGERS: dict[str, tuple[str, ...]] = {
    "en.as_ai_model": ("as a",),
    "en.i_am_ai": ("i am", "i'm", "i’m"),
    "en.knowledge_cutoff": ("knowledge", "training", "my last update"),
    "en.cannot_fulfill": ("request",),
    "en.no_realtime": ("real-time", "real time", "brows"),
    "en.sorry_cannot": ("sorry",),
    "en.certainly_here": _SURE,
    "en.regenerate_response": ("regenerat", "copy code", "make mistakes"),
    "de.as_ai_model": ("als ",),
    "de.i_am_ai": ("ich bin",),
    "de.knowledge_cutoff": (
        "wissen",
        "trainings",
        "letzten update",
        "letzten aktualisierung",
        "kenntnisstand",
    ),
    "de.cannot_fulfill": ("anfrage", "bitte", "anforderung", "aufforderung"),
    "de.sorry_cannot": ("leid", "entschuldigung"),
    "de.certainly_here": ("gern", "natürlich", "selbstverständlich", "klar", "absolut"),
    "de.regenerate_response": ("generieren", "kopieren", "fehler machen"),
    "nb.as_ai_model": ("som ",),
    "nb.i_am_ai": ("jeg er", "jag är", "eg er"),
    "nb.knowledge_cutoff": ("kunnskap", "treningsdata", "siste oppdatering"),
    "sv.knowledge_cutoff": ("kunskap", "träningsdata", "senaste uppdatering"),
    "da.knowledge_cutoff": ("viden", "træningsdata", "seneste opdatering", "sidste opdatering"),
    "nb.cannot_fulfill": ("forespørs", "henvendelse", "bestilling"),
    "nn.cannot_fulfill": ("førespurnad", "forespørs"),
    "da.cannot_fulfill": ("anmodning", "forespørgsel", "henvendelse"),
    "sv.cannot_fulfill": ("begäran", "förfrågan"),
    "nb.sorry_cannot": ("beklag",),
    "sv.sorry_cannot": ("ledsen", "tyvärr", "ursäkta"),
    "nb.certainly_here": ("selvfølgelig", "selvsagt", "sjølvsagt", "absolut", "gjerne", "gerne"),
    "sv.certainly_here": (
        "självklart",
        "absolut",
        "visst",
        "givetvis",
        "naturligtvis",
        "såklart",
        "gärna",
    ),
    "nb.regenerate_response": ("på nytt", "igen", "regenerer"),
    "sv.regenerate_response": ("återskapa", "generera"),
    "nl.as_ai_model": ("als ",),
    "nl.i_am_ai": ("ik ben",),
    "nl.knowledge_cutoff": ("kennis", "trainingsdata", "laatste update"),
    "nl.cannot_fulfill": ("verzoek",),
    "nl.sorry_cannot": ("spijt", "sorry"),
    "nl.certainly_here": (
        "natuurlijk",
        "zeker",
        "uiteraard",
        "tuurlijk",
        "absoluut",
        "graag",
        "plezier",
    ),
    "nl.regenerate_response": ("genereren",),
    "fr.as_ai_model": ("en tant qu",),
    "fr.i_am_ai": ("je suis",),
    "fr.knowledge_cutoff": ("mise à jour", "connaissance", "données d"),
    "fr.cannot_fulfill": ("demande", "requête"),
    "fr.sorry_cannot": ("désolé",),
    "fr.certainly_here": (
        "bien sûr",
        "certainement",
        "absolument",
        "bien entendu",
        "avec plaisir",
        "volontiers",
    ),
    "fr.regenerate_response": ("régénérer", "à nouveau", "copier"),
}
