"""Language data for claim normalisation: function words, light-stemming suffixes, irregular
forms, synonyms and number words for en, de, nl, nb/nn, da, sv and fr.

Words are written as in running text; ``normalize.py`` folds them (casefold, diacritics
removed) when it builds its tables. Entity aliases live in ``entity_lexicon.py``, spelling
variants in ``spelling_lexicon.py`` and the guards' word lists in ``guard_lexicon.py``.
"""

from __future__ import annotations

from tracker.services.dedup.entity_lexicon import DEFAULT_ALIASES as DEFAULT_ALIASES
from tracker.services.dedup.entity_lexicon import ENTITY_TYPES as ENTITY_TYPES

LANGUAGES: tuple[str, ...] = ("en", "de", "nl", "nb", "nn", "da", "sv", "fr")

# Tags that share another language's tables.
LANGUAGE_ALIASES: dict[str, str] = {"no": "nb"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _list(text: str) -> list[str]:
    return text.split()


def _pairs(text: str) -> dict[str, str]:
    """ "a:b c:d" -> {"a": "b", "c": "d"}; a bare word maps to the empty string."""
    table: dict[str, str] = {}
    for item in text.split():
        key, _, value = item.partition(":")
        table[key] = value
    return table


# Function words: never stemmed or rewritten, and the only evidence used to guess the language
# of a claim given without one (a word listed for several languages tells nothing).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the a an and or but of to in on at by for with from as into about against between "
        "over after before under since during without within than that this these those which "
        "who whom whose what when where while it its they them their there here he she his her "
        "we our you your is are was were be been being has have had do does did will would "
        "shall should can could may might must not no never nor neither also only just very so "
        "such then too both each either other another any some all more most less many much "
        "few own same if because though although whether until upon per via among"
    ),
    "de": _words(
        "der die das den dem des ein eine einen einem einer eines und oder aber sondern denn "
        "dass ob wenn als wie weil von zu zum zur mit nach bei aus auf an am im in ins um für "
        "über unter vor hinter neben zwischen durch gegen ohne seit bis während wegen trotz ist "
        "sind waren wird werden wurde wurden worden sein hat haben hatte hatten habe kann können "
        "konnte muss müssen soll sollen wollen darf nicht kein keine keinen keinem keiner keines "
        "auch noch schon nur sehr es er sie wir ihr ich du sich seine seiner seinen seinem ihre "
        "ihren ihrem ihrer dies diese dieser diesen diesem dieses welche welcher welches was wer "
        "wo hier dort da dann mehr weniger alle jeder jede jedes beide bereits"
    ),
    "nl": _words(
        "de het een en van is zijn heeft hebben had hadden met niet dat die dit deze op voor naar "
        "door bij ook wordt werd werden worden geen nog om te tot uit als maar of zich haar hun "
        "wij zij hij ze er al aan over na dan toen wel meer minder alle geen wat wie waar hoe "
        "omdat tussen tegen zonder sinds tijdens"
    ),
    "nb": _words(
        "og i er var har hadde ikke av på til som med en et ei det den de dem for fra at etter "
        "ble blir være vært mot om seg sin sitt sine også ved nå hvor hva kan skal vil ingen "
        "dette disse mellom fordi eller men enn bare noen mye gjennom hvordan uten mange han hun "
        "deres jeg vi dere sier så"
    ),
    "nn": _words(
        "og i er var har hadde ikkje av på til som med ein eit ei det den dei dykk for frå at "
        "etter vart blir vere vore mot om seg sin sitt sine òg også ved no kvar kva kan skal vil "
        "ingen dette desse mellom fordi eller men enn berre nokon mykje gjennom korleis utan eg "
        "ho me"
    ),
    "da": _words(
        "og i er var har havde ikke af på til som med en et det den de dem for fra at efter "
        "blev bliver være været mod om sig sin sit sine også ved nu hvor hvad kan skal vil "
        "ingen dette disse mellem fordi eller men end kun nogen meget gennem hvordan uden mange "
        "han hun deres jeg vi siger så"
    ),
    "sv": _words(
        "och i är var har hade inte av på till som med en ett det den de dem för från att "
        "efter blev blir vara varit mot om sig sin sitt sina också vid nu var vad kan ska vill "
        "ingen inga inget detta dessa mellan eftersom eller men än bara några mycket genom hur "
        "utan många han hon deras jag vi när enligt"
    ),
    "fr": _words(
        "le la les un une des du de et est sont a ont été être dans pour par sur avec pas ne "
        "que qui au aux ce cette ces il elle ils elles son sa ses leur leurs plus mais ou où "
        "entre selon en y se sans sous vers chez depuis"
    ),
}

# Light stemming: the longest listed suffix that leaves at least STEM_MIN letters is removed
# (then ``normalize.py`` applies the language's clean-up steps). Irregular forms come first.
STEM_MIN = 3
STEM_SUFFIXES: dict[str, dict[str, str]] = {
    "en": _pairs(
        "ifications:if ification:if ifying:if ified:if ifies:if ify:if izations:iz ization:iz "
        "izing:iz ized:iz izes:iz ize:iz ations ation ating ated ates ate ments ment nesses "
        "ness ingly ings ing ies:i ied:i ed s"
    ),
    "de": _pairs(
        "ierungen ierung ierten ierter iertes iertem ierend ierte iert ieren ierst iere ungen "
        "ung ern em en er es est et st te e s t"
    ),
    "nl": _pairs(
        "eringen ering aties atie eerden eerde eerd eert eren eer ingen ing den ten de te en "
        "s e t d"
    ),
    "nb": _pairs(
        "eringene eringen eringer ering erende erte erer ert ere ende ene ane ede ete te de er "
        "en et ne a e s t"
    ),
    "sv": _pairs(
        "eringarna eringen eringar ering erade erat erar era arna erna orna ande ende ades ade "
        "are ar er or en et at na te de a e s t"
    ),
    "fr": _pairs(
        "ications:i ication:i issements:iss issement:iss ements ement ations ation eraient "
        "erait erons eront erez era aient ait ant ees ee es er ez ent e s x"
    ),
}
STEM_SUFFIXES["nn"] = STEM_SUFFIXES["da"] = STEM_SUFFIXES["nb"]

# Separable-verb particles: "angekündigt" -> "ankündigt", "uitgevoerd" -> "uitvoerd".
PARTICLES: dict[str, tuple[str, ...]] = {
    "de": tuple(
        _list(
            "ab an auf aus bei dar ein fest fort her hin los mit nach vor weg zu zuruck zusammen "
            "durch uber um unter wieder"
        )
    ),
    "nl": tuple(_list("aan af bij door in mee na om op over toe uit voor weg terug samen")),
}

# Irregular forms -> a regular form of the same word (which is then stemmed).
IRREGULAR: dict[str, dict[str, str]] = {
    "en": _pairs(
        "said:say sent:send won:win lost:lose held:hold took:take taken:take gave:give "
        "given:give made:make began:begin begun:begin led:lead met:meet fought:fight "
        "struck:strike sold:sell bought:buy brought:bring thought:think told:tell found:find "
        "kept:keep built:build spent:spend went:go gone:go came:come became:become fell:fall "
        "fallen:fall rose:rise risen:rise shot:shoot knew:know known:know saw:see seen:see "
        "wrote:write written:write spoke:speak spoken:speak broke:break broken:break "
        "chose:choose chosen:choose drove:drive driven:drive flew:fly flown:fly grew:grow "
        "grown:grow threw:throw thrown:throw forbade:forbid forbidden:forbid "
        "withdrew:withdraw withdrawn:withdraw overthrew:overthrow undertook:undertake "
        "sought:seek taught:teach caught:catch meant:mean paid:pay laid:lay stood:stand "
        "understood:understand ran:run drew:draw drawn:draw beaten:beat froze:freeze "
        "frozen:freeze swore:swear sworn:swear bore:bear borne:bear hid:hide hidden:hide "
        "dealt:deal felt:feel heard:hear slew:slay slain:slay fled:flee sank:sink sunk:sink "
        "shook:shake shaken:shake woke:wake forgave:forgive forgiven:forgive "
        "foresaw:foresee arisen:arise arose:arise men:man women:woman children:child "
        "people:person"
    ),
    "de": _pairs(
        "gewann:gewinnen gewonnen:gewinnen verlor:verlieren verloren:verlieren "
        "stieg:steigen gestiegen:steigen sank:sinken gesunken:sinken sandte:senden "
        "gesandt:senden entsandt:entsenden entsandte:entsenden hob:heben gehoben:heben "
        "aufgehoben:aufheben bestritt:bestreiten bestritten:bestreiten "
        "beschloss:beschliessen beschlossen:beschliessen nahm:nehmen genommen:nehmen "
        "angenommen:annehmen traf:treffen getroffen:treffen vorgeschlagen:vorschlagen "
        "schlug:schlagen geschlagen:schlagen verbot:verbieten verboten:verbieten "
        "unterschrieb:unterschreiben unterschrieben:unterschreiben "
        "zurückgewiesen:zurückweisen wies:weisen gewiesen:weisen abgelehnt:ablehnen "
        "starb:sterben gestorben:sterben griff:greifen angegriffen:angreifen "
        "ergriffen:ergreifen sprach:sprechen gesprochen:sprechen"
    ),
    "nl": _pairs(
        "won:winnen gewonnen:winnen verloor:verliezen verloren:verliezen steeg:stijgen "
        "gestegen:stijgen nam:nemen genomen:nemen aangenomen:aannemen wees:wijzen "
        "afgewezen:afwijzen verworpen:verwerpen opgeheven:opheffen hief:heffen sloot:sluiten "
        "gesloten:sluiten verbood:verbieden verboden:verbieden stierf:sterven "
        "gestorven:sterven kocht:kopen gekocht:kopen verkocht:verkopen vond:vinden "
        "gevonden:vinden sprak:spreken gesproken:spreken"
    ),
    "nb": _pairs(
        "vant:vinne vunnet:vinne tok:ta tatt:ta vedtok:vedta vedtatt:vedta forbød:forby "
        "forbudt:forby steg:stige steget:stige sank:synke sunket:synke skrev:skrive "
        "skrevet:skrive inngikk:inngå inngått:inngå sa:si sagt:si solgte:selge solgt:selge "
        "gikk:gå gått:gå fikk:få fått:få drepte:drepe døde:dø omkom:omkomme økte:øke økt:øke"
    ),
    "sv": _pairs("vann:vinna vunnit:vinna tog:ta tagit:ta sade:säga sa:säga dog:dö"),
    "fr": {},
}
IRREGULAR["nn"] = IRREGULAR["da"] = IRREGULAR["nb"]

# Synonyms: every listed word (in any inflection the stemmer folds) becomes the canonical word.
# A form ending in "!" matches only as written: "accord" must not catch "according", German
# "billigen" (approve) not "billig" (cheap).
SYNONYMS: dict[str, dict[str, str]] = {
    "treaty": {
        "en": "treaty pact agreement! agreements! accord! accords!",
        "de": "vertrag abkommen pakt übereinkommen vereinbarung! vereinbarungen! abmachung",
        "nl": "verdrag akkoord pact overeenkomst",
        "nb": "avtale traktat pakt overenskomst",
        "da": "aftale traktat pagt overenskomst",
        "sv": "avtal fördrag pakt överenskommelse",
        "fr": "traité accord! accords! pacte",
    },
    "alliance": {
        "en": "alliance",
        "de": "bündnis allianz",
        "nl": "bondgenootschap alliantie verbond",
        "nb": "allianse",
        "da": "alliance",
        "sv": "allians",
        "fr": "alliance",
    },
    "attack": {
        "en": "attack assault",
        "de": "angriff anschlag attentat attacke angreifen",
        "nl": "aanval aanslag aanvallen",
        "nb": "angrep anslag attentat angripe",
        "da": "angreb attentat angribe",
        "sv": "attack angrepp attentat angripa",
        "fr": "attaque attentat attaquer",
    },
    "soldier": {
        "en": "soldier troop",
        "de": "soldat truppe",
        "nl": "soldaat troep",
        "nb": "soldat tropp",
        "da": "soldat tropper",
        "sv": "soldat trupp",
        "fr": "soldat troupe",
    },
    "support": {
        "en": "support",
        "de": "unterstützen unterstützung",
        "nl": "steunen steun ondersteunen ondersteuning",
        "nb": "støtte",
        "da": "støtte",
        "sv": "stödja stöd",
        "fr": "soutenir soutien appuyer",
    },
    "send": {
        "en": "send deploy dispatch",
        "de": "senden entsenden schicken",
        "nl": "sturen zenden",
        "nb": "sende utplassere",
        "da": "sende",
        "sv": "skicka sända",
        "fr": "envoyer déployer",
    },
    "warn": {
        "en": "warn warning",
        "de": "warnen warnung",
        "nl": "waarschuwen waarschuwing",
        "nb": "advare advarsel",
        "da": "advare advarsel",
        "sv": "varna varning",
        "fr": "avertir avertissement",
    },
    "kill": {
        "en": "kill",
        "de": "töten! tötet! tötete! töteten! getötet!",
        "nl": "doden! doodt! doodde! doodden! gedood!",
        "nb": "drepe",
        "da": "dræbe",
        "sv": "döda",
        "fr": "tuer",
    },
    "exercise": {
        "en": "exercise drill maneuver",
        "de": "übung manöver",
        "nl": "oefening manoeuvre",
        "nb": "øvelse manøver",
        "da": "øvelse manøvre",
        "sv": "övning manöver",
        "fr": "exercice manœuvre",
    },
    "meeting": {
        "en": "meeting",
        "de": "treffen",
        "nl": "bijeenkomst vergadering",
        "nb": "møte",
        "da": "møde",
        "sv": "möte",
        "fr": "réunion rencontre",
    },
    "invite": {
        "en": "invite invitation",
        "de": "einladen einladung",
        "nl": "uitnodigen uitnodiging",
        "nb": "invitere invitasjon",
        "da": "invitere invitation",
        "sv": "inbjudan",
        "fr": "inviter invitation",
    },
    "approve": {
        "en": "approve approval endorse",
        "de": "billigen! billigt! billigte! billigten! gebilligt! genehmigen zustimmen zustimmung",
        "nl": "goedkeuren goedkeuring",
        "nb": "godkjenne godkjenning",
        "da": "godkende godkendelse",
        "sv": "godkänna",
        "fr": "approuver approbation",
    },
    "percent": {
        "en": "percent pct",
        "de": "prozent",
        "nl": "procent",
        "nb": "prosent",
        "da": "procent",
        "sv": "procent",
        "fr": "pourcent",
    },
}

# Number words: units and tens add up, "hundred" multiplies what precedes it, scales
# (thousand, million, ...) close a group. Articles count as one only before a scale or
# "hundred" ("a million", "eine Million"), never alone.
_UNITS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
    "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn",
    "nl": "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
    "vijftien zestien zeventien achttien negentien",
    "nb": "null én to tre fire fem seks sju åtte ni ti elleve tolv tretten fjorten femten "
    "seksten sytten atten nitten",
    "da": "nul én to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten "
    "seksten sytten atten nitten",
    "sv": "noll en två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton "
    "sexton sjutton arton nitton",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize",
}
_TENS = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety",
    "de": "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
    "nl": "twintig dertig veertig vijftig zestig zeventig tachtig negentig",
    "nb": "tjue tretti førti femti seksti sytti åtti nitti",
    "da": "tyve tredive fyrre halvtreds tres halvfjerds firs halvfems",
    "sv": "tjugo trettio fyrtio femtio sextio sjuttio åttio nittio",
    "fr": "vingt trente quarante cinquante soixante",  # 70-99 are not parsed
}


def _numbered(text: str, start: int, step: int) -> dict[str, int]:
    return {word: start + i * step for i, word in enumerate(text.split())}


NUMBER_WORDS: dict[str, dict[str, int]] = {
    lang: {**_numbered(_UNITS[lang], 0, 1), **_numbered(_TENS[lang], 20, 10)} for lang in _UNITS
}
NUMBER_WORDS["nb"].update({"syv": 7, "tyve": 20, "tredve": 30, "en": 1, "ett": 1, "ei": 1})
NUMBER_WORDS["da"].update({"en": 1, "et": 1})
NUMBER_WORDS["sv"].update({"ett": 1})
NUMBER_WORDS["de"].update({"ein": 1, "eine": 1, "einen": 1, "zwo": 2})
NUMBER_WORDS["nl"].update({"een": 1})
NUMBER_WORDS["en"].update({"a": 1, "an": 1})
NUMBER_WORDS["fr"]["une"] = 1
NUMBER_WORDS["nn"] = {**NUMBER_WORDS["nb"], "ein": 1, "eitt": 1}

# Words that are also articles or pronouns: a number only next to another number word.
NUMBER_ARTICLES: frozenset[str] = _words("a an ein eine einen een en ett ei et un une")
# Words that multiply the number before them (or one): "three hundred", "two dozen".
MULTIPLIERS: dict[str, int] = {
    **dict.fromkeys(_list("hundred hundert honderd hundre hundrede hundra cent"), 100),
    **dict.fromkeys(_list("dozen dutzend dozijn dusin dussin douzaine"), 12),
}
# Scale words by language ("Billion" is 10^12 in German, Dutch and Scandinavian usage).
_SHORT = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_LONG = {"million": 10**6, "milliard": 10**9, "billion": 10**12}
SCALES: dict[str, dict[str, int]] = {
    "en": {**_SHORT, "millions": 10**6, "billions": 10**9, "bn": 10**9, "mn": 10**6},
    "de": {
        "tausend": 10**3,
        **_LONG,
        "millionen": 10**6,
        "mio": 10**6,
        "milliarde": 10**9,
        "milliarden": 10**9,
        "mrd": 10**9,
        "billionen": 10**12,
    },
    "nl": {
        "duizend": 10**3,
        "miljoen": 10**6,
        "miljoenen": 10**6,
        "mln": 10**6,
        "miljard": 10**9,
        "miljarden": 10**9,
        "mld": 10**9,
        "biljoen": 10**12,
    },
    "nb": {
        "tusen": 10**3,
        **_LONG,
        "millioner": 10**6,
        "mill": 10**6,
        "milliarder": 10**9,
        "mrd": 10**9,
    },
    "da": {
        "tusind": 10**3,
        **_LONG,
        "millioner": 10**6,
        "mio": 10**6,
        "milliarder": 10**9,
        "mia": 10**9,
    },
    "sv": {
        "tusen": 10**3,
        "miljon": 10**6,
        "miljoner": 10**6,
        "miljard": 10**9,
        "miljarder": 10**9,
        "mdr": 10**9,
    },
    "fr": {"mille": 10**3, **_LONG, "millions": 10**6, "milliards": 10**9},
}
SCALES["nn"] = SCALES["nb"]
# Words joining number parts: "one hundred and five", "einundzwanzig", "tjueen", "enogtyve".
NUMBER_JOINERS: dict[str, frozenset[str]] = {
    "en": frozenset({"and"}),
    "de": frozenset({"und"}),
    "nl": frozenset({"en"}),
    "nb": frozenset({"og"}),
    "nn": frozenset({"og"}),
    "da": frozenset({"og"}),
    "sv": frozenset(),
    "fr": frozenset({"et"}),
}
