"""How values read on every page, in the CLI and in the audit sentences: dates, percentages,
verdicts and stances. Plain functions, no Flask (the web layer registers them as filters)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from tracker.models.types import Stance, Verdict

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STANCE_WORDS = {
    Stance.SUPPORTS: "supporting",
    Stance.REFUTES: "refuting",
    Stance.MENTIONS: "mentioning",
}


def _as_datetime(value: object) -> datetime | date | None:
    """A datetime or date, or an ISO 8601 string read as one (None if it is neither)."""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            return None
    return None


def format_date(value: date) -> str:
    """``1 Apr 2024``."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_when(value: object) -> str:
    """The app's one way of showing a moment: ``1 Apr 2024, 23:17 UTC``.

    A naive datetime is UTC (the database stores UTC); an aware one is converted to UTC. A date
    (or an ISO date string) shows as ``1 Apr 2024``. Anything else is shown as it is."""
    moment = _as_datetime(value)
    if moment is None:
        return "" if value is None else str(value)
    if not isinstance(moment, datetime):
        return format_date(moment)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{format_date(moment.date())}, {moment:%H:%M} UTC"


def format_local(moment: datetime, offset_minutes: int | None) -> str:
    """A time as the source printed it: ``1 Apr 2024, 23:17`` (local, offset unknown) or
    ``1 Apr 2024, 23:17 (UTC+02:00)``."""
    shown = f"{format_date(moment.date())}, {moment:%H:%M}"
    if offset_minutes is None:
        return shown
    offset = datetime(2000, 1, 1, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    return f"{shown} ({'UTC' + offset.strftime('%z')[:3] + ':' + offset.strftime('%z')[3:]})"


def format_published(source: Any) -> str | None:
    """A source's publication date as it reads on pages (None when unknown). Takes a Source
    (``published_at``...) or a found date (``value``, ``has_time``, ``utc_offset_min``)."""
    value = getattr(source, "published_at", getattr(source, "value", None))
    if not isinstance(value, datetime):
        return None
    if not getattr(source, "published_has_time", getattr(source, "has_time", False)):
        return format_date(value.date())
    offset = getattr(source, "published_utc_offset_min", getattr(source, "utc_offset_min", None))
    return format_local(value, offset)


def format_percent(value: object) -> str:
    """A confidence in 0..1 as ``80 %``; ``not set`` when there is none."""
    if value is None or value == "":
        return "not set"
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    percent = round(number * 100, 1)
    return f"{percent:g} %"


def verdict_label(value: object) -> str:
    """``mostly_true`` -> ``Mostly true`` (as the verdict badges read)."""
    raw = getattr(value, "value", value)
    if raw is None or raw == "":
        return "no verdict"
    text = str(raw).replace("_", " ")
    return text[:1].upper() + text[1:]


def stance_word(value: object) -> str:
    """``supports`` -> ``supporting``."""
    raw = str(getattr(value, "value", value))
    try:
        return STANCE_WORDS[Stance(raw)]
    except ValueError:
        return raw.replace("_", " ")


def is_verdict(value: object) -> bool:
    return str(getattr(value, "value", value)) in {v.value for v in Verdict}
