"""Shared pieces of the ``ai_detect`` pattern tables: regex *sources* only.

Compiled in ``ai_disclosure`` with re.IGNORECASE; case-sensitive pieces (acronyms such as AI/KI/IA,
model names) use a scoped ``(?-i:...)``. Holds the language list and aliases, the AI agent and
the sentence pieces shared by all languages, and the ``Lang`` record the per-language tables in
``tracker/data/ai/disclosure/`` fill. Import these through ``patterns``.
"""

from __future__ import annotations

from dataclasses import dataclass

NEVER = r"(?!x)x"  # a field that matches nothing

LANGUAGES: tuple[str, ...] = ("en", "de", "nb", "nl", "fr", "sv", "da", "nn")

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
    r"(?:outils?|systèmes?|modèles?|logiciels?|programmes?)\s+d['’]\s?(?:(?-i:IA)|"
    r"intelligence\s+artificielle))"
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
    r"stöd(?:et)?|støtte(?:n)?|assistanse(?:n)?|assistans(?:en)?|assistance|ondersteuning|hulp)|"
    # English open compounds: "an AI assistant", "an AI language model"
    r"\s+(?:tools?|assistants?|(?:language\s+)?models?|systems?|chatbots?|software|engines?|"
    r"generators?|applications?))?"
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
    r"bron|credits?|text|texte|tekst|foto|photo|bild|bilde|image|illustrasjon|illustration|"
    r"illustratie|afbeelding|"
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
    r"(?:not|never|no|none|neither|nor|nobody|n['’]t|nicht|nie|niemals|kein\w*|weder|niemand|ikke|"
    r"ikkje|aldri|ingen|inga|inget|intet|ingenting|hverken|varken|inte|aldrig|niet|nooit|geen|"
    r"niets|pas|jamais|aucun\w*|nullement|without|ohne|uten|utan|uden|zonder|sans)"
)
# Words right before the subject that make the sentence conditional or reported.
PRE_BLOCK = r"(?:if|whether|when|wenn|falls|ob|hvis|dersom|om|ifall|indien|si)"
# A writing or speaking verb and a colon before the statement: it quotes someone
# ("A reader wrote: this article was generated by AI").
REPORT_COLON = (
    r"(?:wrote|writes|tweeted|posted|commented|replied|said|says|schrieb|schreibt|sagte|sagt|"
    r"skrev|skreiv|skriver|skriv|sa|sier|seier|sagde|siger|sade|säger|schreef|schrijft|zei|zegt|"
    r"écrit|écrivait|a\s+dit|dit|déclaré)\s*:"
)
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
