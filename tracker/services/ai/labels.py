"""The words people read for AI statuses and AI evidence, from ``tracker/data/ai_status.toml``.

Every surface (pages, API, CLI, exports) takes its labels from here, so a status reads the same
everywhere: "AI-generated (disclosed)", "AI-generated (reviewer)", "suspected AI",
"human (reviewer)", "unknown"."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from tracker.models.types import AI_STATUS_LABELS, AiStatus

DATA = Path(str(files("tracker").joinpath("data", "ai_status.toml")))


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[str, str], str]:
    with DATA.open("rb") as handle:
        data = tomllib.load(handle)
    return dict(data["evidence"]), str(data["fallback"]["evidence"])


def status_label(status: AiStatus | str | None) -> str:
    """The label of an AI status ("suspected" -> "suspected AI"); None reads "unknown"."""
    try:
        return AI_STATUS_LABELS[AiStatus(status or AiStatus.UNKNOWN)]
    except ValueError:
        return str(status)


def status_labels() -> dict[str, str]:
    """Every status value with its label, in the order of AiStatus."""
    return {s.value: s.label for s in AiStatus}


def evidence_phrase(kind: str, pattern: str | None = None) -> str:
    """A sentence for one piece of AI evidence ("weak:repeated_body" -> "the whole text
    appears twice"); the more specific "kind/pattern" entry wins."""
    phrases, fallback = _phrases()
    if pattern and f"{kind}/{pattern}" in phrases:
        return phrases[f"{kind}/{pattern}"]
    return phrases.get(kind, fallback)
