"""Synthetic claim-like strings for the scale benchmarks.

Claims are built from templates in en, de, nl and nb that combine a shared pool of entity
names (countries, leaders, organisations, in several spellings), event verbs, objects,
numbers and dates, so that many claims share words the way a real desk's database does.
A fixed seed makes every run generate the same corpus."""

from __future__ import annotations

import random
from collections.abc import Iterator

ENTITIES = {
    "en": [
        "Russia",
        "North Korea",
        "South Korea",
        "China",
        "Iran",
        "Ukraine",
        "Pakistan",
        "India",
        "the United States",
        "Afghanistan",
        "the Taliban",
        "NATO",
        "the EU",
        "France",
        "Germany",
        "Norway",
        "the Netherlands",
        "Turkey",
        "Brazil",
        "Chile",
        "Peru",
        "Kenya",
        "Nigeria",
        "Japan",
        "Poland",
        "Hungary",
        "Israel",
        "Egypt",
    ],
    "de": [
        "Russland",
        "Nordkorea",
        "Südkorea",
        "China",
        "Iran",
        "die Ukraine",
        "Pakistan",
        "Indien",
        "die USA",
        "Afghanistan",
        "die Taliban",
        "die Nato",
        "die EU",
        "Frankreich",
        "Deutschland",
        "Norwegen",
        "die Niederlande",
        "die Türkei",
    ],
    "nl": [
        "Rusland",
        "Noord-Korea",
        "Zuid-Korea",
        "China",
        "Iran",
        "Oekraïne",
        "Pakistan",
        "India",
        "de VS",
        "Afghanistan",
        "de Taliban",
        "de NAVO",
        "de EU",
        "Frankrijk",
        "Duitsland",
        "Noorwegen",
        "Nederland",
        "Turkije",
    ],
    "nb": [
        "Russland",
        "Nord-Korea",
        "Sør-Korea",
        "Kina",
        "Iran",
        "Ukraina",
        "Pakistan",
        "India",
        "USA",
        "Afghanistan",
        "Taliban",
        "Nato",
        "EU",
        "Frankrike",
        "Tyskland",
        "Norge",
        "Nederland",
        "Tyrkia",
    ],
}
TEMPLATES = {
    "en": [
        "{a} has {verb} a {obj} with {b}",
        "{a} {verb} the {obj} with {b} in {month} {year}",
        "{n} soldiers from {a} were sent to {b}",
        "{a} will {verb2} {n} million in aid to {b}",
        "{a} accused {b} of violating the {obj} on {day} {month}",
        "{a} and {b} held a joint exercise with {n} ships",
    ],
    "de": [
        "{a} hat ein {obj} mit {b} {verb}",
        "{n} Soldaten aus {a} wurden nach {b} geschickt",
        "{a} wirft {b} vor, das {obj} im {month} {year} verletzt zu haben",
    ],
    "nl": [
        "{a} heeft een {obj} met {b} {verb}",
        "{n} soldaten uit {a} zijn naar {b} gestuurd",
        "{a} beschuldigt {b} van schending van het {obj} in {month} {year}",
    ],
    "nb": [
        "{a} har {verb} en {obj} med {b}",
        "{n} soldater fra {a} ble sendt til {b}",
        "{a} anklager {b} for å bryte {obj} i {month} {year}",
    ],
}
WORDS = {
    "en": {
        "verb": ["ratified", "signed", "proposed", "rejected", "suspended", "extended"],
        "verb2": ["send", "pledge", "cut", "approve"],
        "obj": [
            "defence treaty",
            "trade agreement",
            "ceasefire",
            "gas deal",
            "arms pact",
            "grain accord",
            "nuclear agreement",
            "visa deal",
            "security pact",
        ],
        "month": ["January", "March", "May", "June", "September", "November"],
    },
    "de": {
        "verb": ["ratifiziert", "unterzeichnet", "abgelehnt", "verlängert"],
        "obj": ["Verteidigungsabkommen", "Handelsabkommen", "Gasabkommen", "Waffenpakt"],
        "month": ["Januar", "März", "Mai", "Juni", "September"],
    },
    "nl": {
        "verb": ["geratificeerd", "ondertekend", "afgewezen", "verlengd"],
        "obj": ["defensieverdrag", "handelsakkoord", "gasakkoord", "wapenpact"],
        "month": ["januari", "maart", "mei", "juni", "september"],
    },
    "nb": {
        "verb": ["ratifisert", "signert", "avvist", "forlenget"],
        "obj": ["forsvarsavtale", "handelsavtale", "gassavtale", "våpenpakt"],
        "month": ["januar", "mars", "mai", "juni", "september"],
    },
}
_SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "vik", "dra", "nel", "bur", "tas", "gor", "li"]
NAMES = sorted(
    {
        (a + b + c).capitalize()
        for a in _SYLLABLES
        for b in _SYLLABLES
        for c in ("", "sen", "ov", "er", "ini", "berg")
    }
)[:2000]
SAID = {
    "en": ["according to", "says"],
    "de": ["laut", "sagt"],
    "nl": ["volgens", "zegt"],
    "nb": ["ifølge", "sier"],
}
LANG_WEIGHTS = [("en", 0.6), ("de", 0.15), ("nl", 0.1), ("nb", 0.15)]


def _fill(rng: random.Random, lang: str) -> str:
    words = WORDS[lang]
    a, b = rng.sample(ENTITIES[lang], 2)
    values = {
        "a": a,
        "b": b,
        "n": rng.choice([3, 12, 45, 54, 139, 300, 1000, 2500]),
        "year": rng.choice([2022, 2023, 2024, 2025]),
        "day": rng.randint(1, 28),
        **{k: rng.choice(v) for k, v in words.items()},
    }
    text = rng.choice(TEMPLATES[lang]).format(**values)
    return text[0].upper() + text[1:]


def generate(n: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """``n`` (language, text) pairs; a serial tag keeps most of them distinct."""
    rng = random.Random(seed)
    langs = [lang for lang, _ in LANG_WEIGHTS]
    weights = [w for _, w in LANG_WEIGHTS]
    for _ in range(n):
        lang = rng.choices(langs, weights)[0]
        # Real claims name a source, a place or a person: one of ~2,000 invented names, so
        # rare words exist without making every claim unique.
        yield lang, f"{_fill(rng, lang)}, {rng.choice(SAID[lang])} {rng.choice(NAMES)}"


def perturb(rng: random.Random, text: str) -> str:
    """A near-duplicate: a dropped word, a typo, or changed case and punctuation."""
    words = text.split()
    kind = rng.randrange(3)
    if kind == 0 and len(words) > 6:
        del words[rng.randrange(1, len(words) - 1)]
    elif kind == 1:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    else:
        return text.lower().rstrip(".") + "!"
    return " ".join(words)
