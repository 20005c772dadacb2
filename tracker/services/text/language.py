"""Language identification with lingua (all languages, models loaded lazily, once)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

# BCP-47 primary tag, optional script/region/variants: "nb", "de-AT", "zh-Hant-TW".
BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
MIN_LETTERS = 20
# lingua's confidence for the best language; real prose scores 0.75-1.0, junk under 0.4.
MIN_CONFIDENCE = 0.5
MAX_TAG = 35  # the column size


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().build()


CLAIM_LANGUAGES = Path(str(files("tracker").joinpath("data", "claim_languages.txt")))


def claim_languages() -> list[str]:
    """The ISO 639-1 codes a claim's language is detected among (tracker/data)."""
    lines = CLAIM_LANGUAGES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _claim_detector() -> LanguageDetector:
    # Trigrams only, among the desk's languages: lingua's high-accuracy mode loads every 1- to
    # 5-gram model of every language for a text under 120 characters (25 s and 900 MB once);
    # this loads in about 1 s and 60 MB.
    codes = [getattr(IsoCode639_1, code.upper()) for code in claim_languages()]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect_claim_language(text: str) -> str | None:
    """The language of a claim (a sentence) among ``claim_languages()``, or None when the text
    is too short or no language stands out."""
    return _best(_claim_detector(), text)


def _best(detector: LanguageDetector, text: str) -> str | None:
    if sum(ch.isalpha() for ch in text[:5000]) < MIN_LETTERS:
        return None
    ranked = detector.compute_language_confidence_values(text[:20000])
    if not ranked or ranked[0].value < MIN_CONFIDENCE:
        return None  # repeated words, names or junk: no language to speak of
    return str(ranked[0].language.iso_code_639_1.name).lower()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language (``nb``/``nn`` for Norwegian), or None when the
    text has too few letters or no language stands out."""
    if sum(ch.isalpha() for ch in text[:5000]) < MIN_LETTERS:
        return None
    # The first ~20k characters are plenty and keep long documents fast.
    ranked = _detector().compute_language_confidence_values(text[:20000])
    if not ranked or ranked[0].value < MIN_CONFIDENCE:
        return None  # repeated words, names or junk: no language to speak of
    return str(ranked[0].language.iso_code_639_1.name).lower()


def validate_language(code: str) -> str:
    """A user-given BCP-47 tag, normalised to lower-case language, or ValueError."""
    if not isinstance(code, str):
        raise ValueError("the language must be a BCP-47 tag such as nb, de or en-GB")
    code = code.strip()
    if len(code) > MAX_TAG or not BCP47.match(code):
        raise ValueError(f"{code!r} is not a BCP-47 language tag (for example nb, de, en-GB)")
    head, *rest = code.split("-")
    return "-".join([head.lower(), *rest])


# Other spellings of the language codes the pattern tables use (ISO 639-2, "no" for Bokmål).
CODE_ALIASES: dict[str, str] = {
    "no": "nb", "nor": "nb", "nob": "nb", "nno": "nn", "eng": "en", "deu": "de", "ger": "de",
    "nld": "nl", "dut": "nl", "dan": "da", "swe": "sv", "fra": "fr", "fre": "fr",
}  # fmt: skip


def primary_language(language: str | None) -> str | None:
    """The primary subtag of a language tag, lower-cased, with CODE_ALIASES applied."""
    if not isinstance(language, str) or not language.strip():
        return None
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return CODE_ALIASES.get(code, code)
