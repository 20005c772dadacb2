"""The hostile suites' fixture (cheap password hashes) and hooks: prints the hostile
submissions made, per suite and engine, and in a full run (TRACKER_HOSTILE_EXAMPLES of 10000
or more) fails the session when an engine that ran all three suites made fewer than that."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.hostile.checks import REFUSED, SUBMISSIONS
from tests.hostile.strategies import budget, full_run
from tests.hostile.web import FAST_HASHER
from tracker.services.accounts import sign_in as accounts
from tracker.services.accounts import users

SUITES = ("web", "api", "cli")


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap password hashes for every hostile test."""
    monkeypatch.setattr(users, "password_hasher", FAST_HASHER)
    monkeypatch.setattr(accounts, "password_hasher", FAST_HASHER)


def _per_engine() -> Counter[str]:
    totals: Counter[str] = Counter()
    for (_suite, backend), count in SUBMISSIONS.items():
        totals[backend] += count
    return totals


def _short_engines() -> list[str]:
    """Engines that ran every suite but made fewer submissions than the full run's budget."""
    ran = {backend for (_suite, backend) in SUBMISSIONS}
    return [
        backend
        for backend in sorted(ran)
        if all(SUBMISSIONS[(suite, backend)] for suite in SUITES)
        and _per_engine()[backend] < budget()
    ]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SUBMISSIONS:
        return
    terminalreporter.section("hostile input")
    for (suite, backend), count in sorted(SUBMISSIONS.items()):
        refused = REFUSED[(suite, backend)]
        terminalreporter.write_line(
            f"{suite:4} on {backend:10}: {count:6} submissions ({refused} refused)"
        )
    for backend, total in sorted(_per_engine().items()):
        terminalreporter.write_line(f"total on {backend:10}: {total:6} (budget {budget()})")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if full_run() and exitstatus == 0 and _short_engines():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nhostile input: fewer than {budget()} submissions on {_short_engines()}")
