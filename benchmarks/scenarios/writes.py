"""Write load with an acknowledgement log, for the crash and backup scenarios.

Each loop runs until ``stop`` is set and logs an operation as acknowledged only when the
client saw it succeed (HTTP 302, or exit status 0 of a CLI command); operations started but not
acknowledged are logged as attempted. ``check_*`` read a database afterwards and return the
problems found (empty: all good)."""

from __future__ import annotations

import itertools
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from common import TRACKER, cli, csrf_token, sign_in
from sqlalchemy import func, select, text

from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent, Claim, Source
from tracker.models.dedup import ClaimMerge

_VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
IMPORT_ROWS = 3
_SERIAL = itertools.count(1)  # import tags and ingest titles stay unique across loops


@dataclass
class AckLog:
    acked: list[tuple[float, str, Any]] = field(default_factory=list)
    attempted: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    running: list[subprocess.Popen[str]] = field(default_factory=list)

    def attempt(self, kind: str, key: Any) -> None:
        with self.lock:
            self.attempted.append((kind, key))

    def ack(self, kind: str, key: Any) -> None:
        with self.lock:
            self.acked.append((time.monotonic(), kind, key))

    def acked_before(self, moment: float) -> list[tuple[str, Any]]:
        with self.lock:
            return [(kind, key) for at, kind, key in self.acked if at < moment]


def seed(url: str, work: Path, pairs: int) -> list[tuple[int, int]]:
    """One source and 2 x pairs claims, each citing its own excerpt; the (claim, into) pairs
    the merge loop will merge."""
    sentences = [f"Statement number {i} was made at the harbour." for i in range(2 * pairs)]
    source = work / "seed.txt"
    source.write_text("Seed harbour report\n\n" + " ".join(sentences) + "\n")
    done = cli(url, "ingest", str(source), "--title", "seed")
    assert done.returncode == 0, done.stderr
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        source_id = session.scalar(select(Source.id).where(Source.title == "seed"))
    rows = "".join(
        f"Claim {i} on the harbour,en,{source_id},{s}\n" for i, s in enumerate(sentences)
    )
    (work / "seed.csv").write_text("text,language,source,quote\n" + rows)
    done = cli(url, "claims", "import", str(work / "seed.csv"))
    assert done.returncode == 0, done.stderr
    with make_sessionmaker(engine)() as session:
        ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
    engine.dispose()
    return [(ids[i], ids[i + 1]) for i in range(0, len(ids) - 1, 2)]


def _run_cli(url: str, log: AckLog, *args: str) -> int:
    process = subprocess.Popen(
        [TRACKER, "--database-url", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with log.lock:
        log.running.append(process)
    process.communicate()
    with log.lock:
        log.running.remove(process)
    return process.returncode


def import_loop(url: str, work: Path, stop: threading.Event, log: AckLog) -> None:
    while not stop.is_set():
        tag = f"imp{next(_SERIAL):05d}"
        path = work / f"{tag}.csv"
        rows = [f"{tag} row {i} says the harbour toll doubled" for i in range(IMPORT_ROWS)]
        path.write_text("text,language\n" + "".join(f"{r},en\n" for r in rows))
        log.attempt("import", tag)
        if _run_cli(url, log, "claims", "import", str(path)) == 0:
            log.ack("import", tag)


def ingest_loop(url: str, work: Path, stop: threading.Event, log: AckLog) -> None:
    while not stop.is_set():
        n = next(_SERIAL)
        title = f"ing{n:05d} harbour report"
        path = work / f"ing{n:05d}.txt"
        path.write_text(f"{title}\n\nThe harbour toll doubled in report {n}. " * 20)
        log.attempt("ingest", title)
        if _run_cli(url, log, "ingest", str(path), "--title", title) == 0:
            log.ack("ingest", title)


def _quiet(call: Any, *args: Any, **kwargs: Any) -> httpx.Response | None:
    try:
        response: httpx.Response = call(*args, **kwargs)
        return response
    except (httpx.TransportError, ValueError):  # the server was killed mid-request
        time.sleep(0.2)
        return None


def edit_loop(base: str, user: str, claim_id: int, stop: threading.Event, log: AckLog) -> None:
    """Sequential edits of one claim (no other writer edits it): each ack is a version."""
    client = httpx.Client(base_url=base, timeout=60)
    signed_in = False
    while not stop.is_set():
        if not signed_in:
            answer = _quiet(sign_in, client, user)
            signed_in = answer is not None and answer.status_code == 302
            continue
        page = _quiet(client.get, f"/claims/{claim_id}/edit")
        found = _VERSION.search(page.text) if page is not None else None
        if page is None or found is None:
            continue
        version = int(found.group(1))
        data = {
            "text": f"Edited claim {claim_id} about the harbour toll",
            "language": "en",
            "verdict": "in_review",
            "confidence": "50",
            "rationale": f"{user} edit {next(_SERIAL)}",  # never a no-op edit
            "reason": "load",
            "version": str(version),
            "csrf_token": csrf_token(page.text),
        }
        log.attempt("edit", (claim_id, version + 1))
        answer = _quiet(client.post, f"/claims/{claim_id}/edit", data=data)
        if answer is not None and answer.status_code == 302:
            log.ack("edit", (claim_id, version + 1))
    client.close()


def merge_loop(
    base: str, user: str, pairs: list[tuple[int, int]], stop: threading.Event, log: AckLog
) -> None:
    client = httpx.Client(base_url=base, timeout=60)
    todo = list(pairs)
    signed_in = False
    while todo and not stop.is_set():
        if not signed_in:
            answer = _quiet(sign_in, client, user)
            signed_in = answer is not None and answer.status_code == 302
            continue
        claim_id, into = todo[0]
        page = _quiet(client.get, f"/claims/{claim_id}")
        if page is None or page.status_code != 200:
            continue
        data = {"target_id": str(into), "reason": "same claim", "csrf_token": csrf_token(page.text)}
        log.attempt("merge", (claim_id, into))
        answer = _quiet(client.post, f"/claims/{claim_id}/merge", data=data)
        todo.pop(0)  # acknowledged or not, it is not retried (its outcome is checked)
        if answer is not None and answer.status_code == 302:
            log.ack("merge", (claim_id, into))
    client.close()


def check_merges(url: str) -> list[str]:
    """No half-merged claim: merged claims hold no evidence, every active ClaimMerge row has
    its claim merged into its target and the reverse, one claim.merge event per merge row."""
    engine = make_engine(url)
    problems: list[str] = []
    with engine.connect() as conn:
        queries = {
            "merged claim still holds evidence": "SELECT DISTINCT c.id FROM claims c JOIN "
            "evidence e ON e.claim_id = c.id WHERE c.merged_into_id IS NOT NULL",
            "merge row without its claim merged": "SELECT m.claim_id FROM claim_merges m JOIN "
            "claims c ON c.id = m.claim_id WHERE m.unmerged_at IS NULL AND "
            "(c.merged_into_id IS NULL OR c.merged_into_id <> m.into_id)",
            "merged claim without a merge row": "SELECT c.id FROM claims c WHERE "
            "c.merged_into_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claim_merges m WHERE "
            "m.claim_id = c.id AND m.unmerged_at IS NULL)",
        }
        for label, sql in queries.items():
            ids = [row[0] for row in conn.execute(text(sql))]
            if ids:
                problems.append(f"{label}: {ids[:10]}")
    with make_sessionmaker(engine)() as session:
        rows = session.scalar(select(func.count(ClaimMerge.id))) or 0
        events = session.scalar(select(func.count()).where(AuditEvent.action == "claim.merge")) or 0
    engine.dispose()
    if rows != events:
        problems.append(f"{rows} merge rows but {events} claim.merge events")
    return problems


def check_writes(
    url: str, acked: list[tuple[str, Any]], attempted: list[tuple[str, Any]]
) -> list[str]:
    """Every acknowledged write is there whole; every other attempted write is whole or absent."""
    engine = make_engine(url)
    problems: list[str] = []
    acked_set = set(acked)
    with make_sessionmaker(engine)() as session:
        for kind, key in attempted:
            is_acked = (kind, key) in acked_set
            found = _found(session, kind, key)
            whole = {"import": IMPORT_ROWS}.get(kind, 1)
            if found not in (0, whole):
                problems.append(f"{kind} {key} is half there ({found} of {whole})")
            elif is_acked and found != whole:
                problems.append(f"acknowledged {kind} {key} is missing")
    engine.dispose()
    return problems


def _found(session: Any, kind: str, key: Any) -> int:
    if kind == "import":
        like = Claim.text.like(f"{key} row %")
        return int(session.scalar(select(func.count(Claim.id)).where(like)) or 0)
    if kind == "ingest":
        return int(session.scalar(select(func.count(Source.id)).where(Source.title == key)) or 0)
    if kind == "merge":
        claim = session.get(Claim, key[0])
        return int(claim is not None and claim.merged_into_id == key[1])
    claim_id, version = key  # an edit: its event and the claim at that version or later
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "claim.update", AuditEvent.entity_id == str(claim_id)
        )
    )
    has_event = any(e.changes.get("version", {}).get("after") == version for e in events)
    claim = session.get(Claim, claim_id)
    if has_event and claim is not None and claim.version < version:
        return -1  # the event without the row: half there
    if not has_event and claim is not None and claim.version >= version:
        return -1  # the row without its event
    return int(has_event)
