"""Claim text normalisation used for deduplication (extended with aliases and stemming later)."""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_NON_WORD = re.compile(r"[^\w\s-]+")
_SPACE = re.compile(r"\s+")


def normalize_claim_text(text: str) -> str:
    """NFKC, casefold, hyphen folding, punctuation removed, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_DASHES)
    folded = _NON_WORD.sub(" ", folded).replace("-", " ")
    return _SPACE.sub(" ", folded).strip()
