"""Pattern tables for ``ai_detect``: regex *sources* only, compiled with re.IGNORECASE in
``ai_disclosure`` and ``ai_language``.

Case-sensitive pieces (acronyms such as AI/KI/IA, model names) use a scoped ``(?-i:...)``.
Per language, ``Lang`` holds the words a disclosure is built from (self-reference subject,
auxiliary, production participle, agent preposition, ...); ``ai_disclosure`` assembles them into
sentence templates.

This module is the public face: the shared pieces and ``Lang`` live in ``ai_patterns_base``,
the per-language tables in ``ai_patterns_lang_a`` (EN, DE, NB, NN) and ``ai_patterns_lang_b``
(DA, SV, NL, FR); all are re-exported here and ``TABLES`` maps language codes to them.
"""

from __future__ import annotations

from tracker.services.ai.patterns_base import (
    AGENT_ACRONYM,
    AGENT_ADJ,
    AGENT_CORE,
    AGENT_DET,
    AGENT_FOLLOW_BLOCK,
    AGENT_MODEL,
    AGENT_PHRASE,
    AGENT_SUFFIX,
    GAP_BLOCK_AUX,
    GAP_BLOCK_LIGHT,
    GAP_BLOCK_STRICT,
    LABEL_WORDS,
    LANGUAGES,
    LEFTOVER_REPORT_CUES,
    NEGATION,
    NEVER,
    PRE_BLOCK,
    REPORT_COLON,
    TRAIL_CONJ,
    USE_BLOCK,
    Lang,
)
from tracker.services.ai.patterns_lang_a import DE, EN, NB, NN
from tracker.services.ai.patterns_lang_b import DA, FR, NL, SV

__all__ = [
    "AGENT_ACRONYM",
    "AGENT_ADJ",
    "AGENT_CORE",
    "AGENT_DET",
    "AGENT_FOLLOW_BLOCK",
    "AGENT_MODEL",
    "AGENT_PHRASE",
    "AGENT_SUFFIX",
    "DA",
    "DE",
    "EN",
    "FR",
    "GAP_BLOCK_AUX",
    "GAP_BLOCK_LIGHT",
    "GAP_BLOCK_STRICT",
    "LABEL_WORDS",
    "LANGUAGES",
    "LEFTOVER_REPORT_CUES",
    "NB",
    "NEGATION",
    "NEVER",
    "NL",
    "NN",
    "PRE_BLOCK",
    "REPORT_COLON",
    "SV",
    "TABLES",
    "TRAIL_CONJ",
    "USE_BLOCK",
    "Lang",
]

TABLES: dict[str, Lang] = {t.code: t for t in (EN, DE, NB, NN, DA, SV, NL, FR)}
