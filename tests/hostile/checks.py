"""What every hostile submission is checked for, and the submission counter.

- no 5xx and no traceback (the test apps run with TESTING on, so an unhandled exception
  propagates into the test and fails it);
- a refusal is one of the statuses allowed for that form or endpoint, says why (an alert on
  the page, or a problem's ``detail``), and leaves the database as it was: the row count of
  every table and the sum of claim versions are compared before and after;
- every HTML page is inert: no payload marker unescaped, no inline script or event-handler
  attribute, no link, source or form target with a javascript:, data:, file: or vbscript:
  URL.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tests.hostile.corpus import DANGEROUS_SCHEMES, RAW_MARKERS
from tracker.db import Base
from tracker.models import Claim

# (suite, backend) -> submissions made; printed by tests/hostile/plugin.py at the end.
SUBMISSIONS: Counter[tuple[str, str]] = Counter()
REFUSED: Counter[tuple[str, str]] = Counter()

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
)
PROBLEM_TYPE = "application/problem+json"
MESSAGE_CLASSES = frozenset({"error", "flash-error", "notice", "warning", "warning-box"})
FAVICON = ("link", "data:,")  # base.html: an empty icon, so browsers ask for no /favicon.ico


# --- the database ---------------------------------------------------------------------------


def snapshot(session: Session) -> dict[str, int]:
    """Rows per table, and the sum of claim versions (an edit changes no count)."""
    counts = [
        select(func.count()).select_from(table).scalar_subquery().label(table.name)
        for table in Base.metadata.sorted_tables
    ]
    versions = select(func.coalesce(func.sum(Claim.version), 0)).scalar_subquery()
    row = session.execute(select(*counts, versions.label("claim_versions"))).one()
    return {key: int(value) for key, value in row._mapping.items()}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def engine_name(engine: Engine) -> str:
    return engine.dialect.name


# --- pages ----------------------------------------------------------------------------------


class _PageScan(HTMLParser):
    """Collects what would be live in a browser, and the texts of alerts and errors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.alerts: list[str] = []
        self._in_script = False
        self._alert_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and _dangerous_url(value) and (tag, value) != FAVICON:
                self.problems.append(f"<{tag} {name}={value[:60]!r}> live URL")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "script":
            if not values.get("src", "").startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {values.get('src')!r}")
            self._in_script = True
        classes = set(values.get("class", "").split())
        if values.get("role") == "alert" or classes & MESSAGE_CLASSES or self._alert_depth:
            self._alert_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if self._alert_depth:
            self._alert_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")
        if self._alert_depth and data.strip():
            self.alerts.append(data.strip())


def _dangerous_url(value: str) -> bool:
    squeezed = "".join(ch for ch in value if ch > " " and ch != "\x7f").lower()
    return squeezed.startswith(DANGEROUS_SCHEMES)


def inspect_page(body: str) -> _PageScan:
    scan = _PageScan()
    scan.feed(body)
    scan.close()
    for marker in RAW_MARKERS:
        if marker in body:
            at = body.index(marker)
            scan.problems.append(f"unescaped {marker!r}: …{body[max(0, at - 60) : at + 60]!r}")
    return scan


def assert_inert(response: TestResponse, what: str) -> _PageScan | None:
    """The page's HTML is inert; returns its scan (None for a body that is not HTML)."""
    if response.mimetype != "text/html":
        return None
    scan = inspect_page(response.get_data(as_text=True))
    assert not scan.problems, f"{what}: {scan.problems[:5]}"
    return scan


def assert_stays_here(response: TestResponse, what: str) -> None:
    """A redirect never leaves the site, nor runs a script (no open redirect)."""
    location = response.headers.get("Location")
    if location is None:
        return
    parts = urlsplit(location)
    assert not _dangerous_url(location), f"{what}: redirects to {location[:80]!r}"
    assert parts.netloc in ("", "localhost") and not location.startswith("//"), (
        f"{what}: redirects off the site to {location[:80]!r}"
    )


def refusal_message(response: TestResponse) -> str:
    """What a refusal tells the user: the page's alerts, a problem's detail, a JSON error."""
    if response.mimetype == "text/html":
        scan = inspect_page(response.get_data(as_text=True))
        return " ".join(scan.alerts)
    if response.mimetype in (PROBLEM_TYPE, "application/json"):
        body = json.loads(response.get_data(as_text=True))
        return str(body.get("detail") or body.get("error") or "")
    return response.get_data(as_text=True)


# --- one submission -------------------------------------------------------------------------


@dataclass
class Probe:
    """Sends submissions for one suite and checks each (see the module docstring)."""

    session: Session
    suite: str
    backend: str
    log: list[str] = field(default_factory=list)

    def count(self, refused: bool = False) -> None:
        SUBMISSIONS[(self.suite, self.backend)] += 1
        if refused:
            REFUSED[(self.suite, self.backend)] += 1

    def check(
        self,
        send: Callable[[], TestResponse],
        *,
        what: str,
        refusals: Iterable[int],
        may_write: bool = True,
        problem: bool = False,
        writes_on_refusal: Callable[[dict[str, tuple[int, int]]], bool] | None = None,
    ) -> TestResponse:
        """Send one submission; ``refusals``: the statuses it may be refused with;
        ``problem``: refusals are RFC 9457 problems; ``writes_on_refusal``: the changes a
        refusal may make (a failed sign-in is audited)."""
        before = snapshot(self.session)
        response = send()
        status = response.status_code
        refused = status >= 400
        self.count(refused)
        assert status < 500, f"{what}: {status} {response.get_data(as_text=True)[:500]}"
        assert_inert(response, what)
        assert_stays_here(response, what)
        after = snapshot(self.session)
        diff = changed(before, after)
        if refused:
            allowed = set(refusals)
            assert status in allowed, (
                f"{what}: {status} not in {sorted(allowed)}: "
                + (response.get_data(as_text=True)[:800])
            )
            if writes_on_refusal is None or not writes_on_refusal(diff):
                assert not diff, f"{what}: refused with {status} but changed {diff}"
            if problem:
                assert response.mimetype == PROBLEM_TYPE, f"{what}: {response.mimetype}"
            assert refusal_message(response).strip(), f"{what}: {status} without a message"
        elif not may_write:
            assert not diff, f"{what}: a read changed {diff}"
        return response

    def pages(self, client: Any, paths: Iterable[str], what: str) -> None:
        """Pages that show a stored payload: each renders (200) and is inert."""
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, f"{what}: GET {path} -> {response.status_code}"
            assert_inert(response, f"{what}: GET {path}")
