"""Month, weekday and byline-keyword tables for the date finder (see ``dates.py``).

Names are lower-case; matching is case-insensitive and a trailing dot after any name is
accepted, so abbreviations are listed without their dot.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageWords:
    """Date vocabulary of one language."""

    months: tuple[tuple[str, ...], ...]  # 12 entries, January first
    weekdays: tuple[tuple[str, ...], ...]  # 7 entries, Monday first
    dayfirst: bool  # how to read an ambiguous "03/04/2024"
    published: tuple[str, ...]  # byline keywords meaning "published"
    updated: tuple[str, ...]  # byline keywords meaning "updated"


_NB_MONTHS = (
    ("januar", "jan"),
    ("februar", "feb", "febr"),
    ("mars", "mar"),
    ("april", "apr"),
    ("mai",),
    ("juni", "jun"),
    ("juli", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "okt"),
    ("november", "nov"),
    ("desember", "des"),
)

WORDS: dict[str, LanguageWords] = {
    "nb": LanguageWords(
        months=_NB_MONTHS,
        weekdays=(
            ("mandag", "man"),
            ("tirsdag", "tir", "tirs"),
            ("onsdag", "ons"),
            ("torsdag", "tor", "tors"),
            ("fredag", "fre"),
            ("lørdag", "lør"),
            ("søndag", "søn"),
        ),
        dayfirst=True,
        published=("publisert", "først publisert", "publ"),
        updated=("oppdatert", "sist oppdatert", "endret", "sist endret"),
    ),
    "nn": LanguageWords(
        months=_NB_MONTHS,
        weekdays=(
            ("måndag", "mån"),
            ("tysdag", "tys"),
            ("onsdag", "ons"),
            ("torsdag", "tor", "tors"),
            ("fredag", "fre"),
            ("laurdag", "lau", "lør"),
            ("sundag", "sun", "søn"),
        ),
        dayfirst=True,
        published=("publisert", "publicert", "først publisert"),
        updated=("oppdatert", "sist oppdatert", "endra", "sist endra"),
    ),
    "da": LanguageWords(
        months=(
            ("januar", "jan"),
            ("februar", "feb"),
            ("marts", "mar", "mrt"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        weekdays=(
            ("mandag", "man"),
            ("tirsdag", "tir", "tirs"),
            ("onsdag", "ons"),
            ("torsdag", "tor", "tors"),
            ("fredag", "fre"),
            ("lørdag", "lør"),
            ("søndag", "søn"),
        ),
        dayfirst=True,
        published=("udgivet", "publiceret", "offentliggjort", "først offentliggjort"),
        updated=("opdateret", "senest opdateret", "sidst opdateret", "ændret"),
    ),
    "sv": LanguageWords(
        months=(
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augusti", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        weekdays=(
            ("måndag", "mån"),
            ("tisdag", "tis"),
            ("onsdag", "ons"),
            ("torsdag", "tor", "tors"),
            ("fredag", "fre"),
            ("lördag", "lör"),
            ("söndag", "sön"),
        ),
        dayfirst=True,
        published=("publicerad", "publicerat", "publ"),
        updated=("uppdaterad", "uppdaterat", "senast uppdaterad", "ändrad"),
    ),
    "de": LanguageWords(
        months=(
            ("januar", "jänner", "jan", "jän"),
            ("februar", "feber", "feb", "febr"),
            ("märz", "maerz", "mär", "mrz"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ),
        weekdays=(
            ("montag", "mo"),
            ("dienstag", "di"),
            ("mittwoch", "mi"),
            ("donnerstag", "do"),
            ("freitag", "fr"),
            ("samstag", "sonnabend", "sa"),
            ("sonntag", "so"),
        ),
        dayfirst=True,
        published=("veröffentlicht", "publiziert", "erstellt", "erschienen", "datum:"),
        updated=(
            "aktualisiert",
            "zuletzt aktualisiert",
            "stand:",
            "geändert",
            "zuletzt geändert",
            "letzte änderung",
        ),
    ),
    "nl": LanguageWords(
        months=(
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        weekdays=(
            ("maandag", "ma"),
            ("dinsdag", "di"),
            ("woensdag", "wo"),
            ("donderdag", "do"),
            ("vrijdag", "vr"),
            ("zaterdag", "za"),
            ("zondag", "zo"),
        ),
        dayfirst=True,
        published=("gepubliceerd", "geplaatst", "verschenen", "datum:"),
        updated=("bijgewerkt", "laatst bijgewerkt", "gewijzigd", "aangepast"),
    ),
    "en": LanguageWords(
        months=(
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        weekdays=(
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ),
        dayfirst=False,  # en-US "03/04/2024" is March 4
        published=("published", "first published", "posted", "date:"),
        updated=("updated", "last updated", "last modified", "modified", "edited"),
    ),
    "fr": LanguageWords(
        months=(
            ("janvier", "janv", "jan"),
            ("février", "fevrier", "févr", "fevr", "fév"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("août", "aout"),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("décembre", "decembre", "déc", "dec"),
        ),
        weekdays=(
            ("lundi", "lun"),
            ("mardi", "mar"),
            ("mercredi", "mer"),
            ("jeudi", "jeu"),
            ("vendredi", "ven"),
            ("samedi", "sam"),
            ("dimanche", "dim"),
        ),
        dayfirst=True,
        published=("publié", "publié le", "mis en ligne", "posté", "paru"),
        updated=("mis à jour", "modifié", "actualisé", "dernière mise à jour"),
    ),
}

LANGUAGES: tuple[str, ...] = tuple(WORDS)

# Keywords valid in any language ("Dato:" is nb/da, "Date:" en/fr).
COMMON_PUBLISHED: tuple[str, ...] = ("dato:", "date:")

# Words allowed between a byline keyword and its date ("Aktualisiert am 3. Januar").
CONNECTORS: tuple[str, ...] = (
    "am",
    "on",
    "op",
    "le",
    "den",
    "d",
    "the",
    "at",
    "kl",
    "um",
    "om",
    "à",
    "a",
)

# Words allowed between a date and its time ("kl. 07.30", "um 11:05", "à 14h05").
TIME_MARKERS: tuple[str, ...] = (
    "klokka",
    "klokken",
    "klockan",
    "kl",
    "um",
    "gegen",
    "om",
    "à",
    "a",
    "at",
    "@",
)

# Words that may follow a time ("11:05 Uhr", "18.40 uur", "14 h").
TIME_SUFFIXES: tuple[str, ...] = ("uhr", "uur", "u", "h")

# Words that open a byline ("Av Ola Nordmann, 14. februar 2023").
BYLINE_STARTS: tuple[str, ...] = (
    "by",
    "av",
    "af",
    "von",
    "door",
    "par",
    "fra",
    "från",
    "from",
    "text",
    "tekst",
    "skrevet av",
    "written by",
    "posted by",
    "geschrieben von",
)

# Ordinal suffixes dateutil must skip ("7th", "1er", "2de").
ORDINALS: tuple[str, ...] = ("st", "nd", "rd", "th", "er", "e", "de", "ste")

# Zone abbreviations -> UTC offset in minutes. CST/IST-like clashes are read the common way.
TZ_OFFSETS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "UT": 0,
    "WET": 0,
    "WEZ": 0,
    "WEST": 60,
    "WESZ": 60,
    "BST": 60,
    "CET": 60,
    "MEZ": 60,
    "CEST": 120,
    "MESZ": 120,
    "EET": 120,
    "OEZ": 120,
    "EEST": 180,
    "OESZ": 180,
    "MSK": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
}
