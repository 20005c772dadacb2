"""The audit log's hash chain: its head, and verification of every link.

Design (issue 6). Each event has ``seq`` (1, 2, 3, ... without gaps: its position in the
chain), ``prev_hash`` and ``hash`` = SHA-256(b"tracker-audit\\x00" + canonical JSON), where the
canonical JSON holds ``"v": 1``, ``prev_hash`` and the event's fields (occurred_at as UTC ISO
8601 with microseconds and "Z", actor, action, entity_type, entity_id, changes, reason,
request_id, context), with sorted keys, compact separators and ensure_ascii=False.

Why ``seq`` rather than the id: the id comes from the database (a PostgreSQL sequence) only at
INSERT, and an event cannot be updated afterwards (the append-only triggers), so its hash must be
known before the insert. ``seq`` is assigned together with ``prev_hash`` and ``hash`` while the
append lock is held (BEGIN IMMEDIATE on SQLite, ``pg_advisory_xact_lock`` on PostgreSQL; see
``tracker.models.audit._chain_new_events``, which runs for every flushed event, so ``record()``
and any other insert path are chained). ``seq`` is unique, so the chain can never fork. Neither
the id nor ``seq`` is hashed: an event's position is proven by the ``prev_hash`` links, and
verification also checks that ids grow along the chain.

Verification walks the events in ``seq`` order, streaming, and stops judging at the first
broken link (it still counts the rest). The rules, checked in this order for each event E
after the previous event P:

1. "content changed": E's recomputed hash differs from its stored hash (index: E).
2. "row missing": E's seq is not P.seq + 1 (a gap; index: the first missing seq).
3. E.prev_hash is not P.hash:
   a. "row inserted" at P, if E.prev_hash equals P.prev_hash: two events claim the same
      predecessor, so P was slipped in between them;
   b. "row reordered" at E, if E.prev_hash is the hash of another event in the log;
   c. "row inserted" at E, if the event after E links to P (E sits outside the chain);
   d. "row missing" at E otherwise: E's predecessor is gone (deleted, seqs renumbered).
4. "row reordered" at P: E's id is not greater than P's (ids were swapped).
5. With ``expect_head``: "truncated" if that hash (a head seen earlier) is not in the chain.

Then what the instance folder vouches for (``tracker.anchors``; issue 16), unless
``anchored=False``:

6. "bad MAC": an event after the epoch's ``keyed_from`` seq without a valid MAC (a changed,
   inserted or recomputed event: computing a MAC needs the key), or any stored MAC that fails;
7. "anchor mismatch": an event whose hash differs from the hash anchored at its seq (the
   events before it were rewritten);
8. "truncated": the newest anchored seq is past the end of the log (events deleted), except
   with ``prefix=True`` (a backup may be older than the newest anchor);
9. "anchor invalid": a line of the anchor files whose signature fails.
"""

from __future__ import annotations

import hmac
import json
import multiprocessing
from collections import namedtuple
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import URL, String, Text, cast, func, inspect, null, select, type_coerce
from sqlalchemy.orm import Session

from tracker import anchors
from tracker.models import AuditEvent
from tracker.models.audit import GENESIS_HASH, canonical_json, canonical_time, digest

CONTENT_CHANGED = "content changed"
ROW_MISSING = "row missing"
ROW_REORDERED = "row reordered"
ROW_INSERTED = "row inserted"
TRUNCATED = "truncated"
BAD_MAC = "bad MAC"
ANCHOR_MISMATCH = "anchor mismatch"
ANCHOR_INVALID = "anchor invalid"

_BATCH = 5000
_T = AuditEvent.__table__.c
_COLUMNS = (
    _T.id,
    _T.seq,
    _T.prev_hash,
    _T.hash,
    type_coerce(_T.occurred_at, String).label("occurred_at"),
    _T.actor,
    _T.action,
    _T.entity_type,
    _T.entity_id,
    cast(_T.changes, Text).label("changes"),  # text: parsed and re-encoded here, once
    _T.reason,
    _T.request_id,
    cast(_T.context, Text).label("context"),
    _T.mac,
)
# A database at a migration before the MAC column (a backup being checked) reads NULL MACs.
_COLUMNS_NO_MAC = (*_COLUMNS[:-1], null().label("mac"))


def _has_mac(session: Session) -> bool:
    columns = inspect(session.connection()).get_columns("audit_events")
    return any(column["name"] == "mac" for column in columns)


def _columns(session: Session) -> tuple[Any, ...]:
    return _COLUMNS if _has_mac(session) else _COLUMNS_NO_MAC


@dataclass(frozen=True)
class Head:
    hash: str  # GENESIS_HASH for an empty log
    count: int


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    count: int  # events in the log
    head: str  # hash of the last event (GENESIS_HASH for an empty log)
    index: int | None = None  # seq of the first broken link
    reason: str | None = None
    detail: str | None = None
    # What the instance folder vouched for: the newest anchored seq checked (None: no
    # anchors), and the seq after which every event carries a MAC.
    anchored_seq: int | None = None
    keyed_from: int | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Break:
    index: int
    reason: str
    detail: str


def head(session: Session) -> Head:
    """The hash of the last event and the number of events."""
    last = session.scalar(select(_T.hash).order_by(_T.seq.desc()).limit(1))
    count = session.scalar(select(func.count()).select_from(AuditEvent.__table__)) or 0
    return Head(hash=str(last) if last is not None else GENESIS_HASH, count=int(count))


_TIME_FORMAT_LEN = len("2026-11-22 08:20:27.070977")
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_MAX_CACHED = 4096


def _time(value: Any) -> str:
    """The canonical form of a stored timestamp (SQLite gives text, PostgreSQL datetimes)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return canonical_time(value)


def _parse(text: str) -> Any:
    parsed, end = _scan(text, 0)
    return parsed if end == len(text) else json.loads(text)  # loads rejects trailing junk


def _json(value: Any, cache: dict[str, str]) -> str:
    """Canonical JSON of a stored JSON value (raises ValueError if the text is not JSON)."""
    if not isinstance(value, str):  # psycopg parses JSON itself
        return canonical_json(value)
    cached = cache.get(value)
    if cached is None:
        cached = canonical_json(_parse(value))
        if len(cache) >= _MAX_CACHED:
            cache.clear()
        cache[value] = cached
    return cached


def _recompute(row: Any, contexts: dict[str, str]) -> str | None:
    """The hash the row should have, from its stored fields; None if they are unreadable.

    This runs for every event, so the common cases (SQLite text) are inlined."""
    (_, _, prev_hash, _, when, actor, action, etype, eid, changes, reason, rid, context, _) = row
    try:
        changes_json = canonical_json(_parse(changes) if isinstance(changes, str) else changes)
        # Contexts repeat (one command or request writes many events): they are cached.
        context_json = _json(context, contexts)
        if isinstance(when, str) and len(when) == _TIME_FORMAT_LEN and when[10] == " ":
            occurred_at = f"{when[:10]}T{when[11:]}Z"  # SQLAlchemy's SQLite format
        else:
            occurred_at = _time(when)
    except (TypeError, ValueError, StopIteration):
        return None
    if prev_hash is None:
        return None
    return digest(
        prev_hash, occurred_at, actor, action, etype, eid, changes_json, reason, rid, context_json
    )


_Row = namedtuple(
    "_Row",
    "id seq prev_hash hash occurred_at actor action entity_type entity_id changes reason "
    "request_id context mac",
)
_SQLITE_WALK = f"SELECT {', '.join(_Row._fields)} FROM audit_events"
_SQLITE_WALK_NO_MAC = _SQLITE_WALK.replace(", mac FROM", ", NULL AS mac FROM")


def _stream(session: Session, lo: int | None = None, hi: int | None = None) -> Iterator[Any]:
    """Every event (or those with lo <= seq <= hi) in seq order as a tuple (``_Row``'s
    fields), fetched in batches."""
    connection = session.connection()
    ranged = lo is not None and hi is not None
    has_mac = _has_mac(session)
    if connection.dialect.name == "sqlite":
        walk = _SQLITE_WALK if has_mac else _SQLITE_WALK_NO_MAC
        # The driver's own cursor, in the session's transaction: plain tuples, no Row objects
        # (a third of the walk's time on SQLite).
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.arraysize = _BATCH
        try:
            if ranged:
                cursor.execute(f"{walk} WHERE seq BETWEEN ? AND ? ORDER BY seq", (lo, hi))
            else:
                cursor.execute(f"{walk} ORDER BY seq")
            while rows := cursor.fetchmany():
                yield from rows
        finally:
            cursor.close()
        return
    # A server-side cursor on PostgreSQL (yield_per streams).
    columns = _COLUMNS if has_mac else _COLUMNS_NO_MAC
    stmt = select(*columns).order_by(_T.seq).execution_options(yield_per=_BATCH)
    if ranged:
        stmt = stmt.where(_T.seq.between(lo, hi))
    for partition in session.execute(stmt).partitions():
        yield from partition


def _seq_of_hash(session: Session, digest: str) -> int | None:
    return session.scalar(select(_T.seq).where(_T.hash == digest))


def _prev_hash_at(session: Session, seq: int) -> str | None:
    return session.scalar(select(_T.prev_hash).where(_T.seq == seq))


def _check(session: Session, row: Any, prev: Any | None, contexts: dict[str, str]) -> _Break | None:
    seq = int(row.seq) if row.seq is not None else 0
    if row.hash is None or row.prev_hash is None or row.seq is None:
        return _Break(seq, CONTENT_CHANGED, "the event has no place in the chain")
    if _recompute(row, contexts) != row.hash:
        return _Break(seq, CONTENT_CHANGED, "the recomputed hash differs from the stored hash")
    expected_seq = prev.seq + 1 if prev is not None else 1
    if seq != expected_seq:
        return _Break(expected_seq, ROW_MISSING, f"no event at seq {expected_seq}")
    expected_prev = prev.hash if prev is not None else GENESIS_HASH
    if row.prev_hash != expected_prev:
        if prev is not None and row.prev_hash == prev.prev_hash:
            return _Break(
                prev.seq, ROW_INSERTED, f"seq {seq} links past seq {prev.seq} to the same parent"
            )
        other = _seq_of_hash(session, row.prev_hash)
        if other is not None:
            return _Break(seq, ROW_REORDERED, f"prev_hash points to the event at seq {other}")
        if _prev_hash_at(session, seq + 1) == expected_prev:
            return _Break(seq, ROW_INSERTED, f"seq {seq + 1} links past it to seq {seq - 1}")
        return _Break(seq, ROW_MISSING, "prev_hash points to an event that is not in the log")
    if prev is not None and row.id <= prev.id:
        return _Break(
            int(prev.seq), ROW_REORDERED, f"id {prev.id} (seq {prev.seq}) is after id {row.id}"
        )
    return None


@dataclass(frozen=True)
class Trust:
    """What the instance folder vouches for (picklable: parallel workers get a copy)."""

    key: bytes | None  # None: the folder has no audit key (stored MACs cannot be checked)
    keyed_from: int  # events after this seq must carry a MAC
    expected: dict[int, str]  # anchored seq -> hash
    times: dict[int, str]  # anchored seq -> when it was anchored
    problems: tuple[str, ...] = ()

    @property
    def newest(self) -> int:
        return max(self.expected, default=0)


def load_trust(keys: anchors.Keyring | None = None, *, database: str | URL | None = None) -> Trust:
    """The key and the current epoch's anchors of the instance folder (``keys``: its keyring;
    default: the configured instance folder's). Read it before the database: an anchor is
    written after its commit, so every anchored event is then in the snapshot read later."""
    ring = keys or anchors.keyring(database=database)
    try:
        key = ring.key()
        epoch = ring.epoch()
    except (OSError, anchors.AnchorError) as exc:
        return Trust(None, 0, {}, {}, (str(exc),))
    if epoch is None:
        return Trust(key, -1, {}, {})  # no epoch: MACs are checked where present
    expected = {a.seq: a.hash for a in epoch.anchors}
    times = {a.seq: a.at for a in epoch.anchors}
    return Trust(key, epoch.keyed_from, expected, times, tuple(epoch.problems))


def _needs_mac(mac: str | None, seq: int, keyed_from: int) -> bool:
    """A stored MAC is always checked; past ``keyed_from`` (-1: no epoch) one is required."""
    return mac is not None or seq > keyed_from >= 0


def _judge_keyed(row: Any, trust: Trust) -> _Break | None:
    """Rules 6 and 7 for one event whose chain links hold."""
    seq, digest, mac = int(row[1]), row[3], row[13]
    if _needs_mac(mac, seq, trust.keyed_from):
        if trust.key is None:
            return _Break(seq, BAD_MAC, "the instance folder has no audit key to check its MAC")
        if mac != anchors.mac_of(trust.key, digest):
            return _Break(
                seq, BAD_MAC, "no valid MAC: the event was changed or written without the key"
            )
    anchored = trust.expected.get(seq)
    if anchored is not None and anchored != digest:
        return _Break(
            seq,
            ANCHOR_MISMATCH,
            f"the hash anchored at seq {seq} on {trust.times.get(seq)} differs: the events up "
            "to it were rewritten",
        )
    return None


@dataclass(frozen=True)
class _Walk:
    """What a walk over part of the chain found."""

    count: int
    broken: _Break | None  # the first broken link of the chain (rules 1-4)
    last: tuple[int, int, str] | None  # (id, seq, hash) of the last event walked
    seen: bool  # the expected head was among the events walked
    keyed: _Break | None = None  # the first event the key or an anchor refutes (rules 6-7)


def _walk(
    session: Session,
    rows: Iterator[Any],
    prev: Any | None,
    expect_head: str | None,
    trust: Trust | None = None,
) -> _Walk:
    """Judge each row against the one before it (``prev``: the event before the first row,
    or None at the start of the chain); after the first broken link, only count.

    The key's verdict is kept apart and the chain is judged on past it: where both fail at
    the same event, the chain's rules tell what was done (an inserted row also lacks a MAC)."""
    count = 0
    contexts: dict[str, str] = {}
    broken: _Break | None = None
    keyed: _Break | None = None
    seen = False
    last_id, last_seq, last_hash = (prev[0], prev[1], prev[3]) if prev else (-1, 0, GENESIS_HASH)
    key = trust.key if trust is not None else None
    keyed_from = trust.keyed_from if trust is not None else 0
    expected = trust.expected if trust is not None else {}
    prefix, sign = anchors.MAC_PREFIX, hmac.digest  # anchors.mac_of, inlined below
    for row in rows:
        count += 1
        if broken is None and (
            row[1] != last_seq + 1
            or row[2] != last_hash
            or row[0] <= last_id
            or _recompute(row, contexts) != row[3]
        ):  # the fast path failed: find out what is wrong
            before = _Row(*prev) if prev is not None else None
            broken = _check(session, _Row(*row), before, contexts)
        if keyed is None and broken is None and trust is not None:
            mac = row[13]
            if (
                (mac is not None or row[1] > keyed_from >= 0)  # _needs_mac, inlined
                and (key is None or mac != sign(key, prefix + row[3].encode(), "sha256").hex())
            ) or row[1] in expected:
                keyed = _judge_keyed(row, trust)
        if row[3] == expect_head:
            seen = True
        prev = row
        last_id, last_seq, last_hash = row[0], row[1], row[3]
    last = (last_id, last_seq, str(last_hash)) if count else None
    return _Walk(count, broken, last, seen, keyed)


def _report(
    walks: list[_Walk],
    prev_head: str,
    expect_head: str | None,
    trust: Trust | None = None,
    prefix: bool = False,
) -> VerifyReport:
    count = sum(w.count for w in walks)
    lasts = [w.last for w in walks if w.last is not None]
    last_seq, head_hash = (lasts[-1][1], lasts[-1][2]) if lasts else (0, prev_head)
    broken = next((w.broken for w in walks if w.broken is not None), None)
    keyed = next((w.keyed for w in walks if w.keyed is not None), None)
    if keyed is not None and (broken is None or keyed.index < broken.index):
        broken = keyed
    seen = expect_head in (None, GENESIS_HASH) or any(w.seen for w in walks)
    if broken is None and not seen:
        broken = _Break(int(last_seq) + 1, TRUNCATED, "the expected head is not in the log")
    anchored, warnings = _anchored(trust, int(last_seq), prefix)
    if broken is None and trust is not None:
        broken = _anchor_break(trust, int(last_seq), prefix)
    fields: dict[str, Any] = {"count": count, "head": head_hash, "warnings": warnings}
    fields["anchored_seq"] = anchored
    fields["keyed_from"] = trust.keyed_from if trust is not None and trust.key else None
    if broken is None:
        return VerifyReport(ok=True, **fields)
    return VerifyReport(
        ok=False, index=broken.index, reason=broken.reason, detail=broken.detail, **fields
    )


def _anchored(
    trust: Trust | None, last_seq: int, prefix: bool
) -> tuple[int | None, tuple[str, ...]]:
    """The newest anchored seq that was checked, and what could not be checked."""
    if trust is None:
        return None, ("not checked against the instance folder's anchors",)
    checked = [seq for seq in trust.expected if seq <= last_seq or not prefix]
    if trust.key is None and not trust.expected:
        return None, (
            "the instance folder has no audit key or anchors yet: only the hash chain was "
            "checked (the first write creates them)",
        )
    if not checked:
        return None, ("no anchor covers these events: only the hash chain and MACs were checked",)
    return max(checked), ()


def _anchor_break(trust: Trust, last_seq: int, prefix: bool) -> _Break | None:
    if trust.problems:
        return _Break(last_seq, ANCHOR_INVALID, "; ".join(trust.problems[:3]))
    if not prefix and trust.newest > last_seq:
        return _Break(
            last_seq + 1,
            TRUNCATED,
            f"the head anchored at seq {trust.newest} on {trust.times.get(trust.newest)} is "
            f"gone: the log ends at seq {last_seq}",
        )
    return None


def verify(
    session: Session,
    expect_head: str | None = None,
    *,
    workers: int = 1,
    anchored: bool = True,
    prefix: bool = False,
    trust: Trust | None = None,
) -> VerifyReport:
    """Walk the whole chain in constant memory; report the first broken link, if any.

    ``expect_head`` is a head hash recorded earlier: it must still be in the chain, else the
    log was truncated after it (and maybe extended with other events).

    ``anchored``: also check the MACs and anchors of the instance folder (``trust``, read
    from the configured instance folder when not given); ``prefix``: the log may end before
    the newest anchor (a backup).

    With ``workers`` > 1 and a log of at least PARALLEL_MIN events in a database other
    processes can open (committed data), the seq range is split among that many processes;
    each judges its part against the event just before it, so the report is the same as one
    walk's (see ``verify_parallel``).
    """
    if anchored and trust is None:
        trust = load_trust(database=session.get_bind().engine.url)
    if not anchored:
        trust = None
    if workers > 1:
        parallel = verify_parallel(session, expect_head, workers, trust, prefix)
        if parallel is not None:
            return parallel
    walk = _walk(session, _stream(session), None, expect_head, trust)
    return _report([walk], GENESIS_HASH, expect_head, trust, prefix)


# --- parallel verification ----------------------------------------------------------------

PARALLEL_MIN = 100_000


def _ranges(low: int, high: int, parts: int) -> list[tuple[int, int]]:
    step = -(-(high - low + 1) // parts)
    return [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]


def verify_parallel(
    session: Session,
    expect_head: str | None,
    workers: int,
    trust: Trust | None = None,
    prefix: bool = False,
) -> VerifyReport | None:
    """Verify seq ranges in ``workers`` processes; None when the log does not qualify (too
    small, an in-memory database, or events without a seq: the single walk handles those)."""
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    total, with_seq, low, high = session.execute(
        select(func.count(), func.count(_T.seq), func.min(_T.seq), func.max(_T.seq))
    ).one()
    if total < PARALLEL_MIN or with_seq != total:
        return None
    parts = _ranges(int(low), int(high), workers)
    context = multiprocessing.get_context("spawn")  # no fork of a process holding connections
    address = url.render_as_string(hide_password=False)
    jobs = [(address, lo, hi, expect_head, trust) for lo, hi in parts]
    with ProcessPoolExecutor(max_workers=len(parts), mp_context=context) as pool:
        walks = list(pool.map(_verify_range, jobs))
    return _report(walks, GENESIS_HASH, expect_head, trust, prefix)


def _verify_range(job: tuple[str, int, int, str | None, Trust | None]) -> _Walk:
    """One worker: the events with lo <= seq <= hi, judged from the event before lo."""
    from tracker.db import READ_ONLY, make_engine  # a fresh engine in the worker process

    address, lo, hi, expect_head, trust = job
    engine = make_engine(address)
    try:
        with Session(engine) as session:
            session.connection(execution_options={READ_ONLY: True})
            prev = _row_before(session, lo)
            return _walk(session, _stream(session, lo, hi), prev, expect_head, trust)
    finally:
        engine.dispose()


def _row_before(session: Session, seq: int) -> Any | None:
    row = session.execute(
        select(*_columns(session)).where(_T.seq < seq).order_by(_T.seq.desc()).limit(1)
    ).first()
    return tuple(row) if row is not None else None
