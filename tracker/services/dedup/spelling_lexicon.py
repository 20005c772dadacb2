"""British -> American spelling variants, generated from word families so that inflected forms
("organisations", "defences", "travelled", "favourite") are covered too.

Only listed roots are rewritten: a blanket "-ise" -> "-ize" rule would also change "rise",
"promise" and "exercise".
"""

from __future__ import annotations


def _list(text: str) -> list[str]:
    return text.split()


# -our/-or: colour -> color, colours, coloured, colourful ...
_OUR_ROOTS = _list(
    "arm behavi clam col endeav fav ferv flav harb hon hum lab neighb odo parl rig rum sav "
    "splend tum val vap vig"
)
_OUR_ENDINGS = (
    "",
    "s",
    "ed",
    "ing",
    "able",
    "ably",
    "ful",
    "ite",
    "ites",
    "er",
    "ers",
    "hood",
    "ist",
    "ists",
    "less",
    "al",
)

# -ise/-ize and -isation/-ization.
_ISE_ROOTS = _list(
    "apolog author capital categor central character civil critic democrat destabil econom "
    "emphas final global harmon hospital industrial legal legitim liberal local maxim memor "
    "minim mobil modern monopol national neutral normal optim organ penal polar privat "
    "priorit real recogn standard stabil subsid summar symbol sympath terror util visual "
    "militar radical special stigmat synchron theor digit decentral demobil immobil revital "
    "jeopard patron scrutin sanit fertil general human ideal moral ration social "
    "agon antagon colon custom dramat energ equal formal fossil hypothes italic mechan "
    "mesmer metabol natural ostrac pasteur plagiar popular public regular rhapsod scandal "
    "sensit serial steril tantal trivial urban vandal vapor victim vocal weapon western"
)
_ISE_ENDINGS = {
    "ise": "ize",
    "ises": "izes",
    "ised": "ized",
    "ising": "izing",
    "isation": "ization",
    "isations": "izations",
    "iser": "izer",
    "isers": "izers",
}

# -yse/-yze.
_YSE_ROOTS = ("anal", "paral", "catal", "dial", "electrol")
_YSE_ENDINGS = {"yse": "yze", "ysed": "yzed", "yses": "yzes", "ysing": "yzing"}

# -ence/-ense.
_ENCE_ROOTS = ("defen", "offen", "licen", "preten")
_ENCE_ENDINGS = {"ce": "se", "ces": "ses", "celess": "seless"}

# -re/-er.
_RE_ROOTS = _list(
    "cent met theat lit fib calib somb spect lust meag kilomet centimet millimet sab sepulch goit"
)
_RE_ENDINGS = {"re": "er", "res": "ers", "red": "ered", "ring": "ering"}

# Doubled l before a suffix: travelled -> traveled.
_LL_ROOTS = _list(
    "travel cancel label model fuel signal total counsel channel level marshal dial equal "
    "quarrel rival tunnel pedal jewel duel shovel panel funnel gravel libel marvel "
    "parcel pencil snorkel swivel tassel towel yodel"
)
_LL_ENDINGS = {"led": "ed", "ling": "ing", "ler": "er", "lers": "ers", "lor": "or", "lors": "ors"}

# Single words and their inflections.
_PAIRS = (
    "programme:program programmes:programs catalogue:catalog catalogues:catalogs "
    "dialogue:dialog dialogues:dialogs analogue:analog grey:gray tyre:tire tyres:tires "
    "judgement:judgment judgements:judgments acknowledgement:acknowledgment "
    "acknowledgements:acknowledgments ageing:aging sceptic:skeptic sceptics:skeptics "
    "sceptical:skeptical scepticism:skepticism aeroplane:airplane aeroplanes:airplanes "
    "aluminium:aluminum jewellery:jewelry plough:plow ploughs:plows mould:mold moulds:molds "
    "moustache:mustache cosy:cozy enrolment:enrollment fulfilment:fulfillment "
    "instalment:installment instalments:installments practise:practice practised:practiced "
    "practises:practices practising:practicing gaol:jail gaols:jails kerb:curb "
    "pyjamas:pajamas draught:draft draughts:drafts manoeuvre:maneuver manoeuvres:maneuvers "
    "manoeuvred:maneuvered manoeuvring:maneuvering paediatric:pediatric anaemia:anemia "
    "leukaemia:leukemia encyclopaedia:encyclopedia foetus:fetus artefact:artifact "
    "artefacts:artifacts sulphur:sulfur "
    "counsellor:counselor counsellors:counselors woollen:woolen wilful:willful skilful:skillful "
    "distil:distill instil:instill fulfil:fulfill enrol:enroll enrols:enrolls "
    "annexe:annex whisky:whiskey"
)


def _families() -> dict[str, str]:
    table: dict[str, str] = {}
    for root in _OUR_ROOTS:
        for end in _OUR_ENDINGS:
            table[f"{root}our{end}"] = f"{root}or{end}"
    for roots, endings in (
        (_ISE_ROOTS, _ISE_ENDINGS),
        (_YSE_ROOTS, _YSE_ENDINGS),
        (_ENCE_ROOTS, _ENCE_ENDINGS),
        (_RE_ROOTS, _RE_ENDINGS),
    ):
        for root in roots:
            for british, american in endings.items():
                table[root + british] = root + american
    for root in _LL_ROOTS:
        for british, american in _LL_ENDINGS.items():
            table[root + british] = root + american
    for pair in _PAIRS.split():
        british, american = pair.split(":")
        table[british] = american
    return table


# British spelling -> American spelling, lower-case.
SPELLING_VARIANTS: dict[str, str] = _families()
