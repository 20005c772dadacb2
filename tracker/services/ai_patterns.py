"""Pattern tables for ``ai_detect``: regex *sources* only, compiled there with re.IGNORECASE.

Case-sensitive pieces (acronyms such as AI/KI/IA, model names) use a scoped ``(?-i:...)``.
Per language, ``Lang`` holds the words a disclosure is built from (self-reference subject,
auxiliary, production participle, agent preposition, ...); ``ai_detect`` assembles them into
sentence templates. ``LEFTOVERS`` lists chatbot phrases, one regex each.
"""

from __future__ import annotations

from dataclasses import dataclass

NEVER = r"(?!x)x"  # a field that matches nothing

LANGUAGES: tuple[str, ...] = ("en", "de", "nb", "nl", "fr", "sv", "da", "nn")

ALIASES: dict[str, str] = {
    "no": "nb",
    "nor": "nb",
    "nob": "nb",
    "nno": "nn",
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "nld": "nl",
    "dut": "nl",
    "dan": "da",
    "swe": "sv",
    "fra": "fr",
    "fre": "fr",
}

# --- the AI agent, shared by all languages -------------------------------------------------
AGENT_ACRONYM = r"(?-i:AI|KI|IA|A\.I\.|K\.I\.|I\.A\.|GenAI|LLMs?)"
AGENT_MODEL = (  # products, not companies: "in partnership with OpenAI" is no AI authorship
    r"(?-i:ChatGPT(?:[- ]?\d(?:\.\d)?o?)?|GPT-?\d(?:\.\d)?(?:o|\s?-?[Tt]urbo)?|"
    r"Claude(?:\s\d(?:\.\d)?)?(?:\s(?:Sonnet|Opus|Haiku))?|Gemini(?:\s(?:Pro|Ultra|Flash))?|"
    r"Copilot|Llama(?:\s\d)?|LLaMA|Mistral|Midjourney|DALL[-·‑]?E(?:\s?\d)?|Stable\sDiffusion|"
    r"Grok|DeepSeek)"
)
AGENT_PHRASE = (
    r"(?:artificial\s+intelligence|künstliche[rnms]?\s+Intelligenz|"
    r"kunstig(?:e)?\s+intelligens(?:en)?|kunstmatige\s+intelligentie|"
    r"artificiell(?:a)?\s+intelligens(?:en)?|intelligence\s+artificielle|language\s+models?|"
    r"Sprachmodell(?:e|en|s)?|språkmodell(?:en|er|ar|ane|erna)?|sprogmodel(?:len|ler|lerne)?|"
    r"taalmodel(?:len)?|modèles?\s+de\s+lang(?:ue|age)|chat-?bot(?:s|en|ten|ar|er|arna|erne)?|"
    r"(?:outils?|systèmes?|modèles?|logiciels?|programmes?)\s+d['’]\s?(?-i:IA))"
)
AGENT_CORE = rf"(?:{AGENT_PHRASE}|{AGENT_MODEL}|{AGENT_ACRONYM})"
# Hyphenated tool words that keep "KI-Tool", "AI-system" an agent ("KI-Forscher" is not).
AGENT_SUFFIX = (
    r"(?:[-‐‑](?:system(?:e|en|er|et|s)?|tools?|verktøy(?:et|ene)?|verktyg(?:et|en)?|werkzeug(?:e|"
    r"en)?|assisten(?:t|ten|ts|tin)|assistant|modell(?:en|er|e|s)?|model(?:len|s)?|"
    r"sprachmodell(?:e|en|s)?|språkmodell(?:en|er)?|sprogmodel(?:len)?|taalmodel(?:len)?|"
    r"programvare|software|programm?(?:e|et|men|met)?|tjenest(?:e|en)|tjänst(?:en)?|dienst|"
    r"chat-?bot(?:s|en|ten)?|bots?|teknologi(?:en)?|technologie|technology|technik|hjelpemid(?:del|"
    r"ler|lene)|hulpmiddel(?:en)?|anwendung(?:en)?|apps?|applikasjon(?:en)?|generator(?:en|s)?|"
    r"platt?form(?:en)?|løsning(?:en)?|lösung(?:en)?|oplossing(?:en)?|outils?|services?|engine|"
    r"funktion|funksjon(?:en)?|unterstützung|hilfe|hjelp(?:en)?|hjælp(?:en)?|hjälp(?:en)?|"
    r"stöd(?:et)?|støtte(?:n)?|assistanse(?:n)?|assistans(?:en)?|assistance|ondersteuning|hulp))?"
)
AGENT_DET = (
    r"(?:an?|the|our|its|ein|einer?|einem|eines|einen|der|die|das|dem|den|des|unser(?:er|em|en|e)?|"
    r"en|ei|et|ett|eit|det|vår|vårt|vores|de(?!\s+l['’])|het|een|onze|une?|la|le|les|notre|nos)"
)
AGENT_ADJ = (
    r"(?:generative[rnms]?|generativ[eta]?|generatieve|génératives?|OpenAI['’]s|Google['’]s|"
    r"Anthropic['’]s|Microsoft['’]s|large|große[rnms]?|grote?|stor[et]?|grands?|advanced|"
    r"conversational|textgenerierende[rnms]?)"
)
# A word after the agent that makes it a modifier of something else ("AI researchers").
AGENT_FOLLOW_BLOCK = (
    r"(?:researchers?|research|experts?|scientists?|compan(?:y|ies)|firms?|labs?|laws?|act|"
    r"regulations?|regulators?|polic(?:y|ies)|ethics|safety|startups?|industry|boom|hype|debate|"
    r"summit|pioneers?|developers?|engineers?|critics?|skeptics?|specialists?|ethicists?|"
    r"reporters?|correspondents?|journalists?|editors?|desk|team|columnists?|commentators?|"
    r"writers?|authors?|bloggers?|professors?|students?|teachers?|lawyers?|consultants?|"
    r"analysts?|advisers?|advisors?|strategists?|officers?|chiefs?|ministers?|czar|tsar|"
    r"executives?|founders?|ceo|leaders?|entrepreneurs?|influencers?|enthusiasts?|advocates?|"
    r"investors?|giants?|chips?|race|bubble|revolution|strategy|funds?|funding|grants?|"
    r"initiatives?|programm?e?s?|institutes?|cent(?:er|re)s?|foundations?|councils?|offices?|"
    r"units?|committees?|commissions?|agency|watchdogs?|conferences?|week|academy|courses?|"
    r"hubs?|index|experten|forscher|forskere|forskare|onderzoekers|chercheurs)"
)

# --- shared sentence pieces ------------------------------------------------------------
LABEL_WORDS = (
    r"(?:note|nb|disclaimer|disclosure|ai\s+disclosure|transparency(?:\s+note)?|editor['’]s\s+note|"
    r"editorial\s+note|hinweis|transparenzhinweis|ki-hinweis|anmerkung(?:\s+der\s+redaktion)?|"
    r"offenlegung|merk|merknad|redaksjonell\s+merknad|obs|opplysning|ki-merking|bemærk|notera|"
    r"observera|anmärkning|upplysning|opmerking|let\s+op|noot(?:\s+van\s+de\s+redactie)?|remarque|"
    r"avertissement|note\s+de\s+la\s+rédaction|mention|info|information|source|quelle|kilde|källa|"
    r"bron|credits?|foto|photo|bild|bilde|image|illustrasjon|illustration|illustratie|afbeelding|"
    r"grafikk?|grafik|graphic|visuel|video|audio|lyd|ljud|stemme|röst|voix|stimme|cover|titelbild|"
    r"toppbilde)"
)
# Conjunctions that may join a reviewer clause to a standalone disclaimer.
TRAIL_CONJ = r"(?:and|but|und|aber|og|men|och|en|maar|et|mais)"
# Words a gap between subject, auxiliary and participle may not contain.
GAP_BLOCK_STRICT = (
    r"(?:that|which|who|how|whether|if|why|when|where|what|because|about|regarding|concerning|on|"
    r"dass|ob|wie|warum|weil|welche[rsmn]?|über|at|att|hvordan|hvorfor|hvis|om|korleis|kvifor|"
    r"hur|varför|huruvida|hoe|waarom|welke|over|comment|pourquoi|que|qui|quand|si|sur|dont|"
    r"handler|handlar|gaat)"
)
# Between auxiliary and participle only adverbs belong; articles and prepositions start a new
# noun phrase ("is devoted to texts generated by AI").
GAP_BLOCK_AUX = (
    rf"(?:{GAP_BLOCK_STRICT}|the|an?|of|to|for|from|at|into|with|der|die|das|den|dem|des|eine?|"
    rf"einer|eines|einem|einen|zu|zum|zur|für|aus|ei|et|ett|eit|det|de|til|fra|från|frå|för|på|het|"
    rf"een|van|voor|aan|naar|op|le|la|les|l|une?|du|aux?|à|pour|dans|d)"
)
GAP_BLOCK_LIGHT = (
    r"(?:that|which|how|whether|if|why|because|about|dass|ob|wie|warum|weil|über|hvordan|hvis|"
    r"korleis|hur|huruvida|hoe|waarom|comment|pourquoi|que|qui|si|sur|dont)"
)
NEGATION = (
    r"(?:not|never|no|n['’]t|nicht|nie|niemals|kein\w*|ikke|ikkje|aldri|inte|aldrig|niet|nooit|"
    r"geen|pas|jamais|aucun\w*|without|ohne|uten|utan|uden|zonder|sans)"
)
# Words right before the subject that make the sentence conditional or reported.
PRE_BLOCK = r"(?:if|whether|when|wenn|falls|ob|hvis|dersom|om|ifall|indien|si)"
# Blocks the order-free "we used AI to write this" rule.
USE_BLOCK = (
    rf"(?:{GAP_BLOCK_LIGHT}|about|over|explain\w*|erklär\w*|forklar\w*|förklar\w*|uitleg\w*|"
    rf"expliqu\w*|{NEGATION})"
)
# Before a chatbot phrase: the text quotes or reports it rather than contains it.
LEFTOVER_REPORT_CUES = (
    r"(?:phrases?|wording|sentence|contain\w*|included|appear\w*|found|reads?|titled|listings?|"
    r"replied|answered|responded|said|says|screenshots?|prompts?|Formulierung|Satz|Phrase|enthielt|"
    r"enthalten|tauchte|auftauch\w*|Floskel|antwortete|sagte|frase[nr]?|setning(?:en)?|"
    r"formulering(?:en)?|uttrykk(?:et)?|inneholdt|dukket|innehöll|meningen|svarte|svarade|svarede|"
    r"sa|sier|zin(?:snede)?|bevatte|opdook|verscheen|antwoordde|zei|formule|contenait|apparaissait|"
    r"répondu|a\s+dit|skjermbilde|skärmdump|schermafbeelding|capture)"
)


@dataclass(frozen=True)
class Lang:
    """Regex pieces of one language (all alternations, no capturing groups)."""

    code: str
    noun: str  # content nouns the text can call itself
    subj: str  # self-reference subject, anywhere in the sentence ("this article")
    subj_start: str  # definite subject, only at the sentence start ("Der Artikel")
    obj: str  # self-reference as an object ("this article", "diesen Text")
    aux: str
    part: str  # production participles
    part_adj: str  # attributive participles ("eine von KI erstellte Zusammenfassung")
    finite: str  # finite production verbs that need no auxiliary ("skrevs", "entstand")
    prep: str  # prepositions introducing the agent
    adv_agent: str  # AI compounds ("KI-generiert")
    contain: str
    demcop: str  # "this is", "dies ist", "voici"
    dets: str  # indefinite articles after demcop
    gen_noun: str  # generic content nouns of standalone disclaimers
    conj: str
    adverb: str
    review: str  # "reviewed by editors" in a trailing clause
    act_verb: str  # agent-subject verbs ("ChatGPT wrote this article")
    firstp: str  # first-person / newsroom subjects
    use: str
    prod: str  # production words for the "used AI to write" rule
    passive_aux: str
    neg: str  # cues of reporting about AI: warnings, studies, laws, hedges, reported speech
    markers: tuple[str, ...]  # frequent words used to tell related languages apart
    act_extra: tuple[str, ...] = ()  # more agent-subject templates (<AGENT>, <OBJ>, <GAP>...)


_EN_NOUN = (
    r"(?:news\s+)?(?:articles?|texts?|stor(?:y|ies)|summar(?:y|ies)|posts?|blog\s+posts?|pieces?|"
    r"reports?|content|items?|newsletters?|translations?|pages?|answers?|responses?|descriptions?|"
    r"transcripts?|reviews?|entr(?:y|ies)|headlines?|captions?|sections?|paragraphs?|overviews?|"
    r"digests?|briefings?|explainers?|recaps?|abstracts?|updates?|bulletins?|messages?|e-?mails?|"
    r"copy|write-?ups?|episodes?|podcasts?|audio(?:\s+versions?)?|versions?|scripts?|columns?|"
    r"features?|listings?)"
)
EN = Lang(
    code="en",
    noun=_EN_NOUN,
    subj=rf"\b(?:this|the\s+following|the\s+above|the\s+present|our)\s+(?:[\w-]+\s+)?{_EN_NOUN}\b",
    subj_start=r"the\s+(?:above\s+|following\s+)?(?:article|text|story|summary|post|piece|content|"
    r"news\s+item|translation|answer|response|transcript|newsletter|episode|podcast)",
    obj=rf"(?:(?:parts?|portions?|much|most|some|all)\s+of\s+)?\b(?:this|the\s+following|"
    rf"the\s+above|our)\s+(?:[\w-]+\s+)?{_EN_NOUN}\b",
    aux=r"(?:was|were|is|are|has\s+been|have\s+been|had\s+been|will\s+be|gets|got)",
    part=r"(?:generated|written|produced|created|machine-translated|drafted|composed|"
    r"(?:co-?)?authored|co-?written|translated|summari[sz]ed|compiled|edited|assisted|aided|made|"
    r"prepared|rewritten|reworded|paraphrased|powered|automated|supported|enhanced|researched|"
    r"crafted|synthesi[sz]ed|narrated|voiced|developed|built)",
    part_adj=NEVER,
    finite=NEVER,
    prep=r"(?:with\s+the\s+(?:help|assistance|support|aid|use|input)\s+of|with\s+(?:help|"
    r"assistance|support|input)\s+from|by\s+means\s+of|by\s+using|thanks\s+to|courtesy\s+of|"
    r"in\s+(?:collaboration|cooperation|partnership)\s+with|together\s+with|assisted\s+by|"
    r"aided\s+by|powered\s+by|by|with|using|via|through|utili[sz]ing|leveraging|employing)",
    adv_agent=r"(?-i:AI|A\.I\.)[-‐‑ ](?:generated|written|produced|created|assisted|aided|authored|"
    r"powered|drafted|translated|made|enhanced|supported|edited|narrated|voiced|crafted)",
    contain=r"(?:contains?|includes?|features?|uses?|incorporates?|may\s+contain|may\s+include|"
    r"draws\s+on)",
    demcop=r"(?:(?:this|the\s+following|below|here)\s+(?:is|was|are)|here['’]s)",
    dets=r"(?:an?|the)",
    gen_noun=r"(?:(?:news\s+)?(?:articles?|texts?|content|summar(?:y|ies)|stor(?:y|ies)|news|"
    r"translations?|posts?|newsletter|copy|transcripts?|headlines?|captions?|descriptions?|"
    r"answers?|responses?)|images?|illustrations?|photos?|pictures?|graphics?|artwork|audio|voice)",
    conj=r"(?:and|or|&|and/or)",
    adverb=r"(?:automatically|partly|partially|entirely|fully|largely|mostly|primarily|originally|"
    r"initially|also|in\s+part)",
    review=r"(?:reviewed|checked|edited|verified|fact-?checked|approved|quality[- ]assured|"
    r"supervised|overseen|curated|proofread|vetted)",
    act_verb=r"(?:(?:has|have|had)\s+)?(?:helped\s+(?:us\s+|me\s+)?(?:to\s+)?)?(?:wrote|written|"
    r"write|generated|generate|produced|produce|created|create|drafted|draft|composed|authored|"
    r"translated|summari[sz]ed|compiled|prepared)",
    firstp=r"(?:(?-i:I)|we|our\s+(?:newsroom|editors?|editorial\s+(?:team|staff|board)|team|staff|"
    r"journalists|reporters|writers?)|the\s+(?:newsroom|editors?|editorial\s+(?:team|staff)|author|"
    r"writer))",
    use=r"(?:used|use|uses|using|employ(?:ed|s)?|utili[sz](?:ed|es|e)|leverag(?:ed|es|e)|"
    r"relied\s+on|rel(?:y|ies)\s+on|deployed)",
    prod=r"(?:writ(?:e|ing|ten)|wrote|generat(?:e|ing|ion)|produc(?:e|ing|tion)|creat(?:e|ing|ion)|"
    r"draft(?:ing)?|translat(?:e|ing|ion)|summari[sz](?:e|ing)|compos(?:e|ing)|prepar(?:e|ing|"
    r"ation)|compil(?:e|ing))",
    passive_aux=r"(?:was|were|is|are|has\s+been|have\s+been|had\s+been)",
    neg=r"(?:warn\w*|stud(?:y|ies)|surveys?|researchers?|scientists?|experts?|critics?|laws?|"
    r"legislation|legislators?|lawmakers?|regulat\w*|bans?|banned|banning|according\s+to|said|says|"
    r"saying|told|tells|stated|reports\s+that|reported\s+that|claim(?:s|ed)?|alleg\w*|accus\w*|"
    r"admit\w*|reveal\w*|discovered|uncovered|investigat\w*|exposed|scandal|fakes?|faked|"
    r"false(?:ly)?|misinformation|disinformation|hoax|likely|probably|possibly|apparently|"
    r"suspect\w*|seemingly|appears?\s+to|seems?\s+to|detect\w*|flagged|whether|fears?|concerns?|"
    r"dangers?|threat\w*|debate|spread\w*|flood\w*|percent|lawsuit|sued|think|believe|doubt|wonder|"
    r"guess|convinced|looks\s+like|sounds\s+like|analysis\s+(?:shows|found|suggests))",
    markers=("the", "and", "of", "is", "was", "this", "with", "by", "to", "i", "we", "that"),
)

_DE_NOUN = (
    r"(?:Artikel[sn]?|Texte?s?|Beitrag|Beitrags|Beiträge|Bericht(?:e|s|es)?|Zusammenfassung(?:en)?|"
    r"Inhalte?s?|Meldung(?:en)?|Nachricht(?:en)?|Nachrichtenartikel|Übersetzung(?:en)?|Newsletter|"
    r"Post|Posting|Kommentar|Teaser|Abschnitt|Absatz|Überschrift|Antwort|Artikeltext|Fassung|"
    r"Version|Kurzfassung|Audioversion|Podcast|Transkript|Beschreibung|Folge|Episode|Textpassagen?|"
    r"Passagen?|Eintrag)"
)
DE = Lang(
    code="de",
    noun=_DE_NOUN,
    subj=rf"\b(?:dieser|diese|dieses|der\s+folgende|die\s+folgende|das\s+folgende|"
    rf"der\s+vorliegende|die\s+vorliegende|das\s+vorliegende|unser(?:e|er|es)?|"
    rf"alle\s+unsere)\s+(?:[\w-]+\s+)?{_DE_NOUN}\b",
    subj_start=r"(?:der|die|das)\s+(?:folgende\s+|obige\s+)?(?:Artikel|Text|Beitrag|"
    r"Zusammenfassung|Inhalt|Meldung|Nachricht|Übersetzung|Newsletter|Antwort|Teaser|Podcast|"
    r"Transkript)",
    obj=rf"\b(?:diesen|dieses|diese|diesem|dieser|den\s+folgenden|den\s+vorliegenden|"
    rf"das\s+folgende|die\s+folgende|unsere[nm]?)\s+(?:[\w-]+\s+)?{_DE_NOUN}\b",
    aux=r"(?:wurden?|worden|ist|sind|wird|werden|war|waren)",
    part=r"(?:automatisiert\s+erstellt|erstellt|generiert|geschrieben|verfasst|produziert|erzeugt|"
    r"übersetzt|zusammengefasst|erarbeitet|bearbeitet|überarbeitet|formuliert|redigiert|entworfen|"
    r"angefertigt|hergestellt|gestaltet|aufbereitet|entwickelt|umgeschrieben|unterstützt|gemacht|"
    r"entstanden|geschaffen|vertont|eingesprochen|gesprochen)",
    part_adj=r"(?:erstellte|generierte|geschriebene|verfasste|produzierte|erzeugte|übersetzte|"
    r"zusammengefasste)[rnms]?",
    finite=r"(?:entstand(?:en)?|stammt|stammen)",
    prep=r"(?:mithilfe(?:\s+von)?|mit\s+Hilfe(?:\s+von)?|mit\s+Unterstützung(?:\s+(?:von|durch))?|"
    r"unter\s+(?:Zuhilfenahme|Verwendung|Einsatz|Nutzung)(?:\s+von)?|unterstützt\s+(?:von|durch)|"
    r"aus\s+der\s+Feder|in\s+Zusammenarbeit\s+mit|gemeinsam\s+mit|anhand(?:\s+von)?|von|mit|durch|"
    r"dank|per|mittels)",
    adv_agent=r"(?-i:KI|AI)[-‐‑](?:generiert|erstellt|geschrieben|gestützt|unterstützt|basiert|"
    r"erzeugt|verfasst|produziert|übersetzt|assistiert)(?:e[rnms]?)?",
    contain=r"(?:enthält|enthalten|beinhaltet|beinhalten|umfasst|nutzt|verwendet|basiert\s+auf|"
    r"kann\s+\w+\s+enthalten)",
    demcop=r"(?:(?:dies|das|hier|folgendes)\s+ist|es\s+handelt\s+sich\s+(?:hierbei\s+|dabei\s+)?um|"
    r"nachfolgend\s+(?:lesen|finden)\s+Sie|im\s+Folgenden\s+(?:lesen|finden)\s+Sie)",
    dets=r"(?:eine?|einen|einer|die|der|das)",
    gen_noun=r"(?:Nachrichtenartikel|Artikel|Texte?|Inhalte?|Zusammenfassung(?:en)?|Nachrichten|"
    r"Meldung(?:en)?|Übersetzung(?:en)?|Beiträge|Beitrag|Bilder|Bild|Foto|Grafik|Illustration|"
    r"Audio|Stimme)",
    conj=r"(?:und|oder|&|bzw\.)",
    adverb=r"(?:automatisch|automatisiert|teilweise|vollständig|komplett|maschinell|größtenteils|"
    r"überwiegend|zum\s+Teil|ganz|vollautomatisch|auch)",
    review=r"(?:geprüft|überprüft|kontrolliert|redigiert|bearbeitet|lektoriert|redaktionell|"
    r"freigegeben|verifiziert|gegengelesen|korrigiert)",
    act_verb=r"(?:schrieb|erstellte|generierte|verfasste|produzierte|übersetzte|formulierte|"
    r"entwarf)",
    firstp=r"(?:wir|ich|die\s+Redaktion|unsere\s+Redaktion)",
    use=r"(?:genutzt|nutzen|nutzten|nutzt|eingesetzt|einsetzen|setzen|setzten|verwendet|verwenden|"
    r"verwendeten|benutzt|benutzen|zum\s+Einsatz|herangezogen)",
    prod=r"(?:Erstellung|erstellen|Produktion|produzieren|schreiben|verfassen|Generierung|"
    r"generieren|Übersetzung|übersetzen|zusammenzufassen|zusammenfassen|formulieren|Formulierung|"
    r"Entstehung|Texterstellung)",
    passive_aux=r"(?:wurden?|ist|sind|wird|werden|kam|kamen)",
    neg=r"(?:warn\w*|Studie\w*|Umfrage\w*|Forscher\w*|Forschung\w*|Wissenschaftler\w*|Expert\w*|"
    r"Kritiker\w*|kritisier\w*|Gesetz\w*|reguli\w*|Verbot\w*|verbiet\w*|verboten|laut|zufolge|"
    r"sagte|sagt|sagen|behaupt\w*|angeblich\w*|vorgeworfen|Vorwurf\w*|räumte|eingeräumt|zugegeben|"
    r"gestand\w*|enthüllt\w*|aufgedeckt|entdeckt|Skandal\w*|Fälschung\w*|gefälscht\w*|Fake\w*|"
    r"Falschinformation\w*|Desinformation\w*|vermutlich|wahrscheinlich|möglicherweise|offenbar|"
    r"mutmaßlich|Verdacht|verdächtig\w*|erkannt|Erkennung\w*|ob|Gefahr\w*|Sorge\w*|Debatte\w*|"
    r"verbreit\w*|Prozent|Klage\w*|glaube|denke|vermute|bezweifle|zweifle|sieht\s+aus|klingt|"
    r"Analyse\s+(?:zeigt|ergab))",
    markers=(
        "der",
        "die",
        "das",
        "und",
        "ist",
        "wurde",
        "mit",
        "nicht",
        "ein",
        "eine",
        "ich",
        "wir",
        "von",
        "dieser",
        "dieses",
        "ich",
        "habe",
    ),
    act_extra=(r"<AGENT><SEP>(?:hat|haben)<GAP2><OBJ><GAP3><PART>",),
)

_NB_NOUN = (
    r"(?:nyhets)?(?:artikkel(?:en)?|artikler(?:ne)?|tekst(?:en|er|ene)?|sak(?:en|er|ene)?|"
    r"sammendrag(?:et|ene)?|innhold(?:et)?|oversettelse(?:n|r)?|innlegg(?:et)?|melding(?:en)?|"
    r"notis(?:en)?|nyhetsbrev(?:et)?|oppsummering(?:en)?|svar(?:et)?|beskrivelse(?:n)?|"
    r"omtale(?:n)?|anmeldelse(?:n)?|overskrift(?:en)?|ingress(?:en)?|versjon(?:en)?|podkast(?:en)?|"
    r"episode(?:n)?|manus(?:et)?|nyheter(?:ne)?)"
)
_NO_NEG = (
    r"(?:advar\w*|åtvar\w*|studie\w*|undersøk\w*|forsker\w*|forskar\w*|forskning\w*|ekspert\w*|"
    r"kritiker\w*|kritikar\w*|kritiser\w*|lov|loven|lovforslag\w*|lovgiv\w*|reguler\w*|forbud\w*|"
    r"forby\w*|ifølge|ifølgje|sier|seier|sa|sagt|hevder|hevdar|hevdet|påstår|påstand\w*|angivelig|"
    r"anklag\w*|beskyld\w*|innrømm\w*|innrømde|avslør\w*|oppdaget|skandale\w*|falsk\w*|"
    r"desinformasjon|feilinformasjon|trolig|truleg|sannsynligvis|sannsynlegvis|antakelig|antagelig|"
    r"muligens|tilsynelatende|mistenk\w*|mistanke|avdekk\w*|fare\w*|bekymr\w*|debatt\w*|spre\w*|"
    r"prosent|tror|trur|tenker|tviler|tvilar|ser\s+ut|høres\s+ut|høyrest\s+ut)"
)
NB = Lang(
    code="nb",
    noun=_NB_NOUN,
    subj=rf"\b(?:denne|dette|disse|den\s+følgende|det\s+følgende|følgende|vår|vårt|våre|"
    rf"alle\s+våre)\s+(?:[\w-]+\s+)?{_NB_NOUN}\b",
    subj_start=r"(?:artikkelen|teksten|saken|sammendraget|innholdet|oversettelsen|oppsummeringen|"
    r"notisen|innlegget|nyhetsartikkelen|nyhetssaken|svaret)",
    obj=rf"\b(?:denne|dette|disse|følgende|vår|vårt|våre)\s+(?:[\w-]+\s+)?{_NB_NOUN}\b",
    aux=r"(?:er|ble|blei|har\s+blitt|har\s+vært|var|blir|vil\s+bli)",
    part=r"(?:generert|skrevet|laget|lagd|produsert|utarbeidet|(?:maskin)?oversatt|sammenfattet|"
    r"oppsummert|opprettet|skapt|forfattet|redigert|bearbeidet|omskrevet|satt\s+sammen|utviklet|"
    r"formulert|støttet|hjulpet|lest\s+inn|innlest)",
    part_adj=NEVER,
    finite=r"(?:genereres|skrives|lages|produseres|oversettes|ble\s+til|er\s+blitt\s+til|"
    r"kom\s+til)",
    prep=r"(?:ved\s+hjelp\s+av|med\s+hjelp\s+(?:av|fra)|med\s+bruk\s+av|ved\s+bruk\s+av|"
    r"takket\s+være|med\s+støtte\s+(?:fra|av)|assistert\s+av|i\s+samarbeid\s+med|sammen\s+med|av|"
    r"med|gjennom|via)",
    adv_agent=r"(?-i:KI|AI)[-‐‑](?:generert|genererte|skrevet|skrevne|laget|lagde|produsert|"
    r"produserte|assistert|støttet|basert|oversatt|drevet)e?",
    contain=r"(?:inneholder|inkluderer|bruker|benytter|kan\s+inneholde)",
    demcop=r"(?:(?:dette|her|det\s+følgende|nedenfor)\s+er|følgende\s+er)",
    dets=r"(?:en|ei|et)",
    gen_noun=r"(?:nyhetsartikler|nyhetsartikkel|artikler|artikkel|tekster|tekst|innhold|sammendrag|"
    r"nyheter|saker|oversettelser?|bilder|bilde|illustrasjon(?:er)?|foto|grafikk|lyd|stemme|"
    r"oppsummering(?:er)?)",
    conj=r"(?:og|eller|&)",
    adverb=r"(?:automatisk|delvis|helt|hovedsakelig|fullstendig|maskinelt|også)",
    review=r"(?:kvalitetssikret|kvalitetssikra|kontrollert|gjennomgått|redigert|faktasjekket|"
    r"sjekket|godkjent|bearbeidet|korrekturlest|vurdert|gjennomlest)",
    act_verb=r"(?:(?:har\s+)?(?:skrevet|generert|laget|produsert|oversatt|utarbeidet|forfattet)|"
    r"skrev|genererte|lagde|produserte|oversatte)",
    firstp=r"(?:vi|jeg|redaksjonen)",
    use=r"(?:brukt|bruker|brukte|benyttet|benytter|tatt\s+i\s+bruk|anvendt)",
    prod=r"(?:skrive|skriving(?:en)?|lage|produsere|produksjon(?:en)?|generere|oversette|"
    r"oversettelse(?:n)?|utarbeide|utarbeidelse(?:n)?|oppsummere|sammenfatte|arbeidet\s+med)",
    passive_aux=r"(?:er|ble|har\s+blitt|blir|var)",
    neg=_NO_NEG,
    markers=(
        "jeg",
        "ikke",
        "av",
        "hjelp",
        "ble",
        "blitt",
        "å",
        "hva",
        "hvordan",
        "meg",
        "laget",
        "skrevet",
        "artikkelen",
        "kunstig",
        "denne",
        "bare",
        "noen",
        "har",
    ),
)

_NN_NOUN = (
    r"(?:nyhende)?(?:artikkel(?:en)?|artiklar(?:ne)?|tekst(?:en|ar|ane)?|sak(?:a|er|ene)?|"
    r"samandrag(?:et)?|innhald(?:et)?|omsetjing(?:a|ar)?|innlegg(?:et)?|melding(?:a)?|notis(?:en)?|"
    r"oppsummering(?:a)?|svar(?:et)?|skildring(?:a)?|omtale(?:n)?|overskrift(?:a)?|versjon(?:en)?|"
    r"nyhende(?:ne)?|nyheiter)"
)
NN = Lang(
    code="nn",
    noun=_NN_NOUN,
    subj=rf"\b(?:denne|dette|desse|den\s+følgjande|følgjande|vår|vårt|våre|"
    rf"alle\s+våre)\s+(?:[\w-]+\s+)?{_NN_NOUN}\b",
    subj_start=r"(?:artikkelen|teksten|saka|samandraget|innhaldet|omsetjinga|oppsummeringa|notisen|"
    r"innlegget|svaret)",
    obj=rf"\b(?:denne|dette|desse|følgjande|vår|vårt|våre)\s+(?:[\w-]+\s+)?{_NN_NOUN}\b",
    aux=r"(?:er|vart|blei|har\s+vorte|har\s+blitt|har\s+vore|var|blir|vert)",
    part=r"(?:generert|skriven|skrive|skrivne|laga|produsert|utarbeidd|(?:maskin)?omsett|"
    r"samanfatta|oppsummert|oppretta|skapt|redigert|bearbeidd|omskriven|sett\s+saman|utvikla|"
    r"formulert|støtta|hjelpt)",
    part_adj=NEVER,
    finite=r"(?:genererast|skrivast|lagast|vart\s+til|kom\s+til)",
    prep=r"(?:ved\s+hjelp\s+av|med\s+hjelp\s+(?:av|frå)|med\s+bruk\s+av|ved\s+bruk\s+av|"
    r"takka\s+vere|med\s+støtte\s+(?:frå|av)|av|med|gjennom|via)",
    adv_agent=r"(?-i:KI|AI)[-‐‑](?:generert|genererte|skriven|skrivne|laga|produsert|assistert|"
    r"støtta|basert)e?",
    contain=r"(?:inneheld|inkluderer|brukar|nyttar|kan\s+innehalde)",
    demcop=r"(?:(?:dette|her|nedanfor)\s+er)",
    dets=r"(?:ein|ei|eit)",
    gen_noun=r"(?:nyhendeartiklar|nyhendeartikkel|artiklar|artikkel|tekstar|tekst|innhald|"
    r"samandrag|nyhende|nyheiter|saker|omsetjingar?|bilete|illustrasjon(?:ar)?|foto)",
    conj=r"(?:og|eller|&)",
    adverb=r"(?:automatisk|delvis|heilt|hovudsakleg|òg|også)",
    review=r"(?:kvalitetssikra|kvalitetssikret|kontrollert|gjennomgått|redigert|faktasjekka|sjekka|"
    r"godkjend|vurdert)",
    act_verb=r"(?:(?:har\s+)?(?:skrive|skrivi|generert|laga|produsert|omsett|utarbeidd)|skreiv|"
    r"genererte|produserte|omsette)",
    firstp=r"(?:vi|eg|redaksjonen)",
    use=r"(?:brukt|brukar|brukte|nytta|nyttar|teke\s+i\s+bruk)",
    prod=r"(?:skrive|skriving(?:a)?|lage|produsere|produksjon(?:en)?|generere|omsetje|"
    r"omsetjing(?:a)?|utarbeide|oppsummere|samanfatte|arbeidet\s+med)",
    passive_aux=r"(?:er|vart|blei|har\s+vorte|har\s+blitt|blir|vert)",
    neg=_NO_NEG,
    markers=(
        "eg",
        "ikkje",
        "ein",
        "eit",
        "vart",
        "korleis",
        "kva",
        "òg",
        "laga",
        "skriven",
        "berre",
        "frå",
        "sjølvsagt",
        "innhald",
        "saka",
        "desse",
        "vore",
        "vorte",
        "mi",
    ),
)

_DA_NOUN = (
    r"(?:nyheds)?(?:artikel(?:en)?|artiklen|artikler(?:ne)?|tekst(?:en|er|erne)?|historie(?:n)?|"
    r"nyhed(?:en)?|sammendrag(?:et)?|resumé(?:et)?|indhold(?:et)?|oversættelse(?:n)?|"
    r"indlæg(?:get)?|opslag(?:et)?|meddelelse(?:n)?|notits(?:en)?|nyhedsbrev(?:et)?|"
    r"opsummering(?:en)?|svar(?:et)?|beskrivelse(?:n)?|anmeldelse(?:n)?|overskrift(?:en)?|"
    r"version(?:en)?|podcast(?:en)?|afsnit(?:tet)?|manuskript(?:et)?|nyheder(?:ne)?)"
)
DA = Lang(
    code="da",
    noun=_DA_NOUN,
    subj=rf"\b(?:denne|dette|disse|den\s+følgende|det\s+følgende|følgende|vores|"
    rf"alle\s+vores)\s+(?:[\w-]+\s+)?{_DA_NOUN}\b",
    subj_start=r"(?:artiklen|teksten|historien|nyheden|sammendraget|resuméet|indholdet|"
    r"oversættelsen|opsummeringen|indlægget|opslaget|svaret)",
    obj=rf"\b(?:denne|dette|disse|følgende|vores)\s+(?:[\w-]+\s+)?{_DA_NOUN}\b",
    aux=r"(?:er\s+blevet|er|blev|har\s+været|bliver|var)",
    part=r"(?:genereret|skrevet|lavet|produceret|udarbejdet|(?:maskin)?oversat|sammenfattet|"
    r"opsummeret|oprettet|skabt|forfattet|redigeret|bearbejdet|omskrevet|udformet|sammensat|"
    r"udviklet|formuleret|understøttet|hjulpet|indtalt|indlæst)",
    part_adj=NEVER,
    finite=r"(?:genereres|skrives|laves|produceres|oversættes|udarbejdes|blev\s+til|"
    r"er\s+blevet\s+til)",
    prep=r"(?:ved\s+hjælp\s+af|med\s+hjælp\s+(?:fra|af)|ved\s+brug\s+af|med\s+brug\s+af|"
    r"takket\s+være|med\s+støtte\s+fra|i\s+samarbejde\s+med|sammen\s+med|af|med|gennem|via)",
    adv_agent=r"(?-i:AI|KI)[-‐‑](?:genereret|genererede|skrevet|skrevne|lavet|produceret|"
    r"assisteret|understøttet|baseret|oversat|drevet)e?",
    contain=r"(?:indeholder|inkluderer|bruger|benytter|kan\s+indeholde)",
    demcop=r"(?:(?:dette|her|nedenfor)\s+er|følgende\s+er)",
    dets=r"(?:en|et)",
    gen_noun=r"(?:nyhedsartikler|nyhedsartikel|artikler|artikel|tekster|tekst|indhold|sammendrag|"
    r"resuméer|resumé|nyheder|historier|oversættelser?|billeder|billede|illustration(?:er)?|foto|"
    r"grafik|lyd|stemme|opsummering(?:er)?)",
    conj=r"(?:og|eller|&)",
    adverb=r"(?:automatisk|delvist|delvis|helt|hovedsageligt|fuldstændigt|maskinelt|også)",
    review=r"(?:kvalitetssikret|kontrolleret|gennemgået|redigeret|faktatjekket|tjekket|godkendt|"
    r"bearbejdet|korrekturlæst|vurderet|gennemlæst)",
    act_verb=r"(?:(?:har\s+)?(?:skrevet|genereret|lavet|produceret|oversat|udarbejdet|forfattet)|"
    r"skrev|genererede|lavede|producerede|oversatte|udarbejdede)",
    firstp=r"(?:vi|jeg|redaktionen)",
    use=r"(?:brugt|bruger|brugte|benyttet|benytter|anvendt|anvender|taget\s+i\s+brug)",
    prod=r"(?:skrive|skrivning(?:en)?|lave|producere|produktion(?:en)?|generere|oversætte|"
    r"oversættelse(?:n)?|udarbejde|udarbejdelse(?:n)?|opsummere|sammenfatte|arbejdet\s+med)",
    passive_aux=r"(?:er|blev|er\s+blevet|bliver|var)",
    neg=r"(?:advar\w*|undersøgels\w*|studie\w*|forsker\w*|forskning\w*|eksperter|kritikere|lov|"
    r"loven|lovforslag|reguler\w*|forbud|forbyd\w*|ifølge|siger|sagde|hævder|påstår|angiveligt|"
    r"beskyld\w*|indrømme\w*|afslør\w*|opdaget|skandale|falsk\w*|desinformation|sandsynligvis|"
    r"formentlig|muligvis|tilsyneladende|mistænk\w*|fare|bekymr\w*|debat\w*|spred\w*|procent|tror|"
    r"tænker|tvivler|ser\s+ud|lyder)",
    markers=(
        "af",
        "hjælp",
        "blev",
        "være",
        "hvad",
        "mig",
        "lavet",
        "artiklen",
        "anmodning",
        "sprogmodel",
        "viden",
        "meget",
        "nogle",
        "kun",
        "efter",
        "jeg",
        "ikke",
        "har",
    ),
)

_SV_NOUN = (
    r"(?:nyhets)?(?:artikel(?:n)?|artikeln|artiklar(?:na)?|text(?:en|er|erna)?|nyhet(?:en)?|"
    r"sammanfattning(?:en|ar)?|innehåll(?:et)?|översättning(?:en)?|inlägg(?:et)?|notis(?:en)?|"
    r"nyhetsbrev(?:et)?|svar(?:et)?|beskrivning(?:en)?|rubrik(?:en)?|version(?:en)?|podd(?:en)?|"
    r"avsnitt(?:et)?|manus(?:et)?|reportage(?:t)?|recension(?:en)?|nyheter(?:na)?)"
)
SV = Lang(
    code="sv",
    noun=_SV_NOUN,
    subj=rf"\b(?:denna|detta|dessa|den\s+här|det\s+här|de\s+här|följande|vår|vårt|våra|"
    rf"alla\s+våra)\s+(?:[\w-]+\s+)?{_SV_NOUN}\b",
    subj_start=r"(?:artikeln|texten|nyheten|sammanfattningen|innehållet|översättningen|inlägget|"
    r"notisen|svaret|reportaget)",
    obj=rf"\b(?:denna|detta|dessa|den\s+här|det\s+här|följande|vår|vårt|"
    rf"våra)\s+(?:[\w-]+\s+)?{_SV_NOUN}\b",
    aux=r"(?:är|var|blev|har\s+blivit|har\s+varit|blir|har|hade)",
    part=r"(?:skriven|skrivet|skrivna|genererad|genererat|genererade|skapad|skapat|skapade|"
    r"producerad|producerat|producerade|framtagen|framtaget|framtagna|(?:maskin)?översatta?|"
    r"sammanfattad|sammanfattat|gjord|gjort|gjorda|utformad|utformat|redigerad|redigerat|författad|"
    r"författat|sammanställd|sammanställt|bearbetad|bearbetat|omskriven|utvecklad|formulerad|"
    r"inläst|skrivits|genererats|skapats|producerats|översatts|sammanfattats|tagits\s+fram|gjorts|"
    r"författats|redigerats|sammanställts|bearbetats|utformats)",
    part_adj=NEVER,
    finite=r"(?:skrevs|genererades|skapades|producerades|översattes|sammanfattades|togs\s+fram|"
    r"gjordes|framställdes|kom\s+till|skrivs|genereras|skapas|produceras|översätts|sammanställdes)",
    prep=r"(?:med\s+hjälp\s+av|med\s+stöd\s+(?:av|från)|tack\s+vare|med\s+hjälp\s+från|"
    r"med\s+användning\s+av|i\s+samarbete\s+med|tillsammans\s+med|av|med|genom|via)",
    adv_agent=r"(?-i:AI|KI)[-‐‑](?:genererad|genererat|genererade|skriven|skrivet|skrivna|skapad|"
    r"skapat|skapade|producerad|producerat|assisterad|stödd|stött|baserad|översatt|driven|drivet)",
    contain=r"(?:innehåller|inkluderar|använder|kan\s+innehålla)",
    demcop=r"(?:(?:detta|det\s+här|här|nedan|följande)\s+är)",
    dets=r"(?:en|ett)",
    gen_noun=r"(?:nyhetsartiklar|nyhetsartikel|artiklar|artikel|texter|text|innehåll|"
    r"sammanfattning(?:ar)?|nyheter|översättning(?:ar)?|bilder|bild|illustration(?:er)?|foto|"
    r"grafik|ljud|röst)",
    conj=r"(?:och|eller|&)",
    adverb=r"(?:automatiskt|delvis|helt|huvudsakligen|fullständigt|maskinellt|också)",
    review=r"(?:granskad|granskat|granskats|kontrollerad|kontrollerat|kontrollerats|redigerad|"
    r"redigerat|redigerats|faktagranskad|faktagranskat|godkänd|godkänt|bearbetad|korrekturläst|"
    r"genomläst|kvalitetssäkrad|kvalitetssäkrat)",
    act_verb=r"(?:(?:har\s+)?(?:skrivit|genererat|skapat|producerat|översatt|tagit\s+fram|"
    r"författat)|skrev|genererade|skapade|producerade|översatte|tog\s+fram)",
    firstp=r"(?:vi|jag|redaktionen)",
    use=r"(?:använt|använts|användes|använder|använde|utnyttjat|nyttjat|tagit\s+hjälp\s+av)",
    prod=r"(?:skriva|skrivandet|skapa|producera|produktion(?:en)?|generera|översätta|"
    r"översättning(?:en)?|ta\s+fram|framtagning(?:en)?|sammanfatta|arbetet\s+med)",
    passive_aux=r"(?:är|var|blev|har|hade|har\s+blivit)",
    neg=r"(?:varn\w*|studie\w*|undersökning\w*|forskar\w*|forskning\w*|expert\w*|kritiker\w*|lag|"
    r"lagen|lagförslag\w*|reglera\w*|reglering\w*|förbud\w*|förbjud\w*|enligt|säger|sade|sa|hävdar|"
    r"påstår|påstås|uppges|anklag\w*|medgav|erkänn\w*|avslöj\w*|upptäckt\w*|skandal\w*|falsk\w*|"
    r"desinformation|sannolikt|troligen|troligtvis|förmodligen|möjligen|tydligen|misstänk\w*|"
    r"huruvida|fara|oro|debatt\w*|sprid\w*|procent|tror|tvivlar|ser\s+ut|låter)",
    markers=(
        "jag",
        "inte",
        "och",
        "är",
        "att",
        "för",
        "hjälp",
        "mig",
        "vad",
        "hur",
        "skriven",
        "artikeln",
        "självklart",
        "begäran",
        "också",
        "från",
        "kunskap",
        "här",
        "denna",
        "detta",
        "av",
        "har",
    ),
)

_NL_NOUN = (
    r"(?:nieuws)?(?:artikel(?:en)?|tekst(?:en)?|bericht(?:en)?|samenvatting(?:en)?|inhoud|content|"
    r"vertaling(?:en)?|stuk(?:ken)?|verhaal|verhalen|post|blog(?:post)?|blogbericht|"
    r"antwoord(?:en)?|beschrijving(?:en)?|recensie|koptekst|versie|podcast|aflevering|"
    r"transcript(?:ie)?|nieuwsbrief|bijdrage|column|item)"
)
NL = Lang(
    code="nl",
    noun=_NL_NOUN,
    subj=rf"\b(?:dit|deze|het\s+volgende|de\s+volgende|onze|al\s+onze|het\s+onderstaande|"
    rf"de\s+onderstaande)\s+(?:[\w-]+\s+)?{_NL_NOUN}\b",
    subj_start=r"(?:het|de)\s+(?:artikel|tekst|bericht|nieuwsbericht|samenvatting|inhoud|vertaling|"
    r"stuk|verhaal|antwoord)",
    obj=rf"\b(?:dit|deze|het\s+volgende|de\s+volgende|onze)\s+(?:[\w-]+\s+)?{_NL_NOUN}\b",
    aux=r"(?:is|werd|werden|zijn|wordt|worden|was|waren)",
    part=r"(?:geschreven|gegenereerd|gemaakt|geproduceerd|opgesteld|vertaald|samengevat|gecreëerd|"
    r"gecreeerd|vervaardigd|bewerkt|herschreven|ontwikkeld|tot\s+stand\s+gekomen|aangemaakt|"
    r"geformuleerd|ondersteund|voorgelezen|ingesproken|geredigeerd)",
    part_adj=r"(?:gegenereerde|geschreven|gemaakte|opgestelde|vertaalde|samengevatte|gecreëerde|"
    r"geproduceerde)",
    finite=r"(?:kwam\s+tot\s+stand)",
    prep=r"(?:met\s+behulp\s+van|met\s+hulp\s+van|met\s+(?:de\s+)?(?:ondersteuning|hulp)\s+van|"
    r"door\s+middel\s+van|m\.b\.v\.|in\s+samenwerking\s+met|samen\s+met|met\s+inzet\s+van|"
    r"met\s+gebruik\s+van|ondersteund\s+door|door|met|via|dankzij)",
    adv_agent=r"(?-i:AI|KI)[-‐‑](?:gegenereerde?|geschreven|gemaakte?|gecreëerde?|ondersteunde?|"
    r"geassisteerde?|gestuurde?|gedreven|vertaalde?)",
    contain=r"(?:bevat|bevatten|gebruikt|kan\s+\w+\s+bevatten|bestaat\s+uit)",
    demcop=r"(?:(?:dit|hier|het\s+volgende)\s+is|hieronder\s+(?:staat|volgt|vind\s+je|vindt\s+u))",
    dets=r"(?:een|de|het)",
    gen_noun=r"(?:nieuwsartikelen|nieuwsartikel|artikelen|artikel|teksten|tekst|inhoud|content|"
    r"samenvatting(?:en)?|nieuwsberichten|nieuwsbericht|berichten|nieuws|vertaling(?:en)?|"
    r"afbeeldingen|afbeelding|beeld|illustratie|foto|stem|audio)",
    conj=r"(?:en|of|&)",
    adverb=r"(?:automatisch|gedeeltelijk|deels|volledig|grotendeels|helemaal|ook)",
    review=r"(?:gecontroleerd|nagekeken|geredigeerd|gecheckt|gereviewd|goedgekeurd|bewerkt|"
    r"beoordeeld|nagelezen|gecorrigeerd|redactioneel)",
    act_verb=r"(?:schreef|schreven|genereerde|maakte|produceerde|vertaalde)",
    firstp=r"(?:we|wij|ik|de\s+redactie|onze\s+redactie)",
    use=r"(?:gebruikt|gebruiken|gebruikten|ingezet|inzetten|zetten|benut|toegepast)",
    prod=r"(?:schrijven|maken|produceren|productie|genereren|vertalen|vertaling|opstellen|"
    r"samenvatten|totstandkoming|creëren)",
    passive_aux=r"(?:is|werd|werden|zijn|wordt|worden)",
    neg=r"(?:waarschuw\w*|studie\w*|onderzoek\w*|wetenschapper\w*|experts?|deskundigen|critici|"
    r"kritiek|wet|wetgeving|regelgeving|reguler\w*|verbod\w*|verbied\w*|volgens|zei|zegt|zeggen|"
    r"beweert|beweerd|beweren|verluidt|beschuldig\w*|gaf\s+toe|toegegeven|onthul\w*|ontdekt|"
    r"schandaal|nep\w*|vals\w*|desinformatie|waarschijnlijk|vermoedelijk|mogelijk|kennelijk|"
    r"blijkbaar|verdacht\w*|gevaar\w*|zorgen|debat|verspreid\w*|procent|denk|geloof|twijfel\w*|"
    r"vermoed\w*|lijkt|klinkt)",
    markers=(
        "de",
        "het",
        "een",
        "en",
        "is",
        "van",
        "niet",
        "ik",
        "wij",
        "dit",
        "deze",
        "met",
        "door",
        "werd",
        "geschreven",
        "behulp",
        "hier",
        "natuurlijk",
        "mijn",
        "heb",
    ),
    act_extra=(r"<AGENT><SEP>(?:heeft|hebben)<GAP2><OBJ><GAP3><PART>",),
)

_FR_NOUN = (
    r"(?:articles?|textes?|contenus?|résumés?|récits?|billets?|posts?|publications?|traductions?|"
    r"dépêches?|brèves?|chroniques?|réponses?|descriptions?|synthèses?|comptes?\s+rendus?|"
    r"newsletters?|paragraphes?|sections?|titres?|versions?|podcasts?|épisodes?|transcriptions?|"
    r"notes?|informations?|actualités?)"
)
FR = Lang(
    code="fr",
    noun=_FR_NOUN,
    subj=rf"\b(?:(?:cet|cette|ce|le\s+présent|la\s+présente|notre|nos|"
    rf"tous\s+nos)\s+(?:[\w-]+\s+)?{_FR_NOUN}|(?:le|la|les)\s+{_FR_NOUN}\s+(?:suivante?s?|"
    rf"ci-dessous|ci-dessus))\b",
    subj_start=r"(?:l['’]\s?article|le\s+(?:texte|contenu|résumé|récit|billet|post)|"
    r"la\s+(?:traduction|dépêche|synthèse|réponse|brève))",
    obj=rf"\b(?:cet|cette|ce|le\s+présent|la\s+présente|notre|nos)\s+(?:[\w-]+\s+)?{_FR_NOUN}\b",
    aux=r"(?:a\s+été|ont\s+été|avait\s+été|est|sont|été|était|étaient|fut|sera)",
    part=r"(?:généré|rédigé|écrit|produit|créé|réalisé|traduit|résumé|conçu|élaboré|composé|"
    r"fabriqué|assisté|préparé|édité|retravaillé|réécrit|synthétisé|narré|aidé|alimenté|soutenu|"
    r"développé)(?:e|s|es)?",
    part_adj=r"(?:généré|rédigé|écrit|produit|créé|réalisé|traduit|conçu|élaboré)(?:e|s|es)?",
    finite=NEVER,
    prep=r"(?:à\s+l['’]aide\s+(?:de|d['’])|avec\s+l['’]aide\s+(?:de|d['’])|grâce\s+à|"
    r"au\s+moyen\s+(?:de|d['’])|en\s+utilisant|en\s+collaboration\s+avec|avec\s+le\s+(?:soutien|"
    r"concours)\s+(?:de|d['’])|par\s+le\s+biais\s+(?:de|d['’])|assisté\s+par|en\s+partie\s+par|"
    r"moyennant|par|avec|via)",
    adv_agent=NEVER,  # French has no "KI-generiert" compound
    contain=r"(?:contient|comporte|inclut|intègre|utilise|peut\s+contenir|comprend)",
    demcop=r"(?:(?:ceci|ce\s+qui\s+suit)\s+est|c['’]est|voici|ci-dessous|il\s+s['’]agit\s+d['’])",
    dets=r"(?:une?|du|des|le|la|l['’])",
    gen_noun=r"(?:articles?|textes?|contenus?|résumés?|actualités|informations|dépêches?|"
    r"traductions?|images?|illustrations?|photos?|visuels?|voix)",
    conj=r"(?:et|ou|&)",
    adverb=r"(?:automatiquement|partiellement|entièrement|en\s+partie|intégralement|aussi|"
    r"également)",
    review=r"(?:vérifié|relu|contrôlé|révisé|supervisé|validé|édité|corrigé|revu|retravaillé)(?:e|"
    r"s|es)?",
    act_verb=r"(?:a|ont)\s+(?:\w+\s+)?(?:écrit|rédigé|généré|produit|créé|traduit|conçu|résumé|"
    r"composé)",
    firstp=r"(?:nous|je|j['’]|la\s+rédaction|notre\s+rédaction)",
    use=r"(?:utilisée?s?|utilisons|utilise|employée?s?|eu\s+recours|recours|recourons|servis|"
    r"fait\s+appel)",
    prod=r"(?:rédiger|rédaction|écrire|écriture|produire|production|générer|génération|créer|"
    r"création|traduire|traduction|résumer|élaborer|élaboration|concevoir|composer|préparer|"
    r"préparation)",
    passive_aux=r"(?:a\s+été|ont\s+été|est|sont|été)",
    neg=r"(?:mett\w*\s+en\s+garde|avert\w*|alert\w*|études?|enquêtes?|sondages?|chercheu\w*|"
    r"scientifiques?|experts?|critiques?|lois?|législation|réglement\w*|régul\w*|interdi\w*|selon|"
    r"d['’]après|déclar\w*|affirm\w*|prétend\w*|accus\w*|reconn\w*|avoué|révél\w*|découvert|"
    r"scandale|faux|fausses?|désinformation|probablement|vraisemblablement|sans\s+doute|"
    r"apparemment|soupçonn\w*|suspect\w*|danger\w*|inquiét\w*|débat\w*|propag\w*|pense|crois|doute|"
    r"semble|dirait|(?:a|ont|avait)\s+dit|dit\s+que|disent|expliqu\w*)",
    markers=(
        "le",
        "la",
        "les",
        "des",
        "est",
        "été",
        "une",
        "un",
        "et",
        "cet",
        "cette",
        "ce",
        "par",
        "pour",
        "avec",
        "je",
        "ne",
        "pas",
        "qui",
        "suis",
    ),
    act_extra=(
        r"c['’]est<SEP><AGENT><SEP>qui<SEP>(?:a|ont)<SEP>(?:écrit|rédigé|généré|produit|"
        r"créé|traduit|conçu)<SEP><OBJ>",
    ),
)

TABLES: dict[str, Lang] = {t.code: t for t in (EN, DE, NB, NN, DA, SV, NL, FR)}
