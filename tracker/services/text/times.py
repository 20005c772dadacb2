"""Reading the times people type into audit filters.

A day ("2024-05-28", "28.05.2024", "May 28", "28. mai 2024", with month names in the
languages of ``date_words``), a moment ("2024-05-28 12:00", ISO with an offset), or a time
back from now ("7d", "2w", "3m" = months, "1y", "24h", "last 2 weeks", "3 days ago",
"yesterday", "today", "since yesterday"). Naive times are UTC. A day covers the whole day:
as a lower bound it starts at midnight, as an upper bound it ends at the next midnight."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from tracker.services.errors import Invalid
from tracker.services.text.date_words import ORDINALS, WORDS

ACCEPTED = (
    'a day ("2024-05-28", "28.05.2024", "May 28", "28. mai 2024"), a day and time '
    '("2024-05-28 12:00", UTC unless an offset is given), or a time back from now '
    '("7d", "2w", "3m" for months, "1y", "24h", "last 2 weeks", "yesterday", "today", '
    '"since yesterday")'
)

_UNITS = {
    "h": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "m": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "year": "years",
    "years": "years",
}
_COMPACT = re.compile(r"^(\d{1,4})\s*(h|d|w|m|y)$")
_LAST = re.compile(r"^(?:last|past)\s+(?:(\d{1,4})\s+)?([a-z]+)$")
_AGO = re.compile(r"^(\d{1,4})\s*([a-z]+)\s+ago$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MAX_CHARS = 64


class _Words(dateutil_parser.parserinfo):
    """dateutil's English names plus the month names of every language in ``date_words``."""

    def __init__(self) -> None:
        months: list[list[str]] = [list(names) for names in self.MONTHS]
        for language in WORDS.values():
            for index, names in enumerate(language.months):
                months[index].extend(n for n in names if n not in months[index])
        self.MONTHS = [tuple(names) for names in months]  # type: ignore[misc]
        self.JUMP = [*self.JUMP, *(o for o in ORDINALS if o not in self.JUMP)]
        super().__init__(dayfirst=True)


_WORDS = _Words()


@dataclass(frozen=True)
class TimeSpan:
    """What a typed time names: a moment (``start == end``) or a whole UTC day."""

    start: datetime
    end: datetime


def _invalid(text: str) -> Invalid:
    return Invalid(f"cannot read {text!r} as a time; use {ACCEPTED}")


def _day(moment: datetime) -> TimeSpan:
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return TimeSpan(start, start + timedelta(days=1))


def _back(now: datetime, amount: int, unit: str) -> TimeSpan:
    moment = now - relativedelta(**{_UNITS[unit]: amount})  # type: ignore[arg-type]
    return TimeSpan(moment, moment)


def _relative(text: str, now: datetime) -> TimeSpan | None:
    if text in ("today", "now"):
        return _day(now) if text == "today" else TimeSpan(now, now)
    if text == "yesterday":
        return _day(now - timedelta(days=1))
    if found := _COMPACT.match(text):
        return _back(now, int(found.group(1)), found.group(2))
    for pattern in (_LAST, _AGO):
        if (found := pattern.match(text)) and found.group(2) in _UNITS:
            return _back(now, int(found.group(1) or 1), found.group(2))
    return None


def _iso(text: str) -> TimeSpan:
    try:
        moment = datetime.fromisoformat(text.upper())
    except ValueError as exc:
        raise _invalid(text) from exc
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return TimeSpan(moment, moment) if len(text) > 10 else _day(moment)


def _absolute(text: str, now: datetime) -> TimeSpan:
    if _ISO.match(text):  # strict: "2024-13-01" is an error, not the 13th of January
        return _iso(text)
    # Two parses with different defaults tell which parts the text gave (year, time of day).
    first_default = datetime(now.year, 1, 1)
    second_default = datetime(now.year - 1, 1, 1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown time zone name is an error, not a guess
        try:
            first = dateutil_parser.parse(text, parserinfo=_WORDS, default=first_default)
        except (ValueError, OverflowError, Warning) as exc:
            raise _invalid(text) from exc
        try:
            second: datetime | None = dateutil_parser.parse(
                text, parserinfo=_WORDS, default=second_default
            )
        except (ValueError, OverflowError, Warning):
            second = None  # e.g. "Feb 29" in a year without one: the year was not given
    has_year = second is not None and second.year == first.year
    has_time = second is not None and second.hour == first.hour
    moment = first.astimezone(UTC) if first.tzinfo else first.replace(tzinfo=UTC)
    if not has_year and moment - now > timedelta(days=1):
        moment = moment - relativedelta(years=1)  # "May 28" in January means last May
    return TimeSpan(moment, moment) if has_time else _day(moment)


def parse_time(text: str, *, now: datetime | None = None) -> TimeSpan:
    """The time a person typed, or Invalid with the accepted forms."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    clean = " ".join((text or "").split()).lower()
    if not clean or len(clean) > _MAX_CHARS:
        raise _invalid(text)
    clean = clean.removeprefix("since ").strip()
    try:
        return _relative(clean, now) or _absolute(clean, now)
    except (ValueError, OverflowError) as exc:  # e.g. "9999y" or "9999-12-31": out of range
        raise _invalid(text) from exc


def since_time(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """The lower bound (inclusive) a typed time means; None for an empty text."""
    if not (text or "").strip():
        return None
    return parse_time(text or "", now=now).start


def until_time(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """The upper bound (exclusive) a typed time means: a day ends at the next midnight."""
    if not (text or "").strip():
        return None
    return parse_time(text or "", now=now).end
