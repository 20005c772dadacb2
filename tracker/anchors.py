"""The audit log's key and anchors, kept in the instance folder, outside the database.

Someone who can write to the database but cannot read the instance folder can recompute the
SHA-256 chain, but not these (issue 16):

- ``audit_key`` (0600, 32 random bytes in hex, created on first use; or TRACKER_AUDIT_KEY):
  every new event stores ``mac`` = HMAC-SHA256(key, its hash). An edited, inserted or
  recomputed event after the key was introduced has no valid MAC.
- ``audit_anchors.<tag>.jsonl`` (one per database, see ``database_tag``): append-only, one
  HMAC-signed record per line. A ``start`` record anchors the head found when the key was
  created (``keyed_from``: events after that seq must carry a MAC); ``restore`` opens a new
  epoch after `tracker restore`; ``checkpoint``, ``backup`` and ``manual`` records anchor heads
  along the way (every CHECKPOINT_EVENTS events or CHECKPOINT_SECONDS, on each backup, on
  `tracker audit anchor`).
- ``audit_head.<tag>.json``: the newest head, signed, replaced after every commit that appended
  events. Its seq only grows (within an epoch), so deleting the last events is caught.

Every change to these files happens under ``flock`` on ``audit_anchors.<tag>.lock``, so the
workers of one server agree. No Flask; the database only names the files.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, make_url

from tracker import config

KEY_FILE = "audit_key"
ANCHORS_FILE = "audit_anchors.jsonl"
HEAD_FILE = "audit_head.json"
LOCK_FILE = "audit_anchors.lock"
HEAD_BYTES = 512
ENV_AUDIT_KEY = "TRACKER_AUDIT_KEY"
MIN_KEY_CHARS = 32
CHECKPOINT_EVENTS = 1000
CHECKPOINT_SECONDS = 300.0
EPOCH_KINDS = ("start", "restore")
MAC_PREFIX = b"tracker-audit-mac\x00"
_SIG_PREFIX = b"tracker-audit-anchor\x00"


class AnchorError(ValueError):
    """The key or an anchor file cannot be used (unreadable, or a signature does not match)."""


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Anchor:
    """A signed head: the event at ``seq`` had ``hash`` when the record was written."""

    kind: str
    seq: int
    hash: str
    at: str
    keyed_from: int | None = None  # epoch records: events after this seq carry a MAC
    note: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": 1, "kind": self.kind, "seq": self.seq, "hash": self.hash}
        out["at"] = self.at
        if self.keyed_from is not None:
            out["keyed_from"] = self.keyed_from
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass
class Epoch:
    """The anchors that apply to the database now: those since the last start or restore."""

    keyed_from: int
    anchors: list[Anchor] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # bad signatures, unreadable lines

    def expected(self) -> dict[int, Anchor]:
        """seq -> the newest anchor at that seq."""
        return {a.seq: a for a in self.anchors}

    def newest(self) -> Anchor | None:
        return max(self.anchors, key=lambda a: a.seq, default=None)


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Keyring:
    """The key and anchor files of one instance folder."""

    def __init__(self, folder: Path, tag: str | None = None) -> None:
        self.folder = folder
        self._key: bytes | None = None
        # The anchors belong to one database: its tag names the files (the key is shared).
        suffix = f".{tag}" if tag else ""
        self.anchors_path = folder / ANCHORS_FILE.replace(".jsonl", f"{suffix}.jsonl")
        self.head_path = folder / HEAD_FILE.replace(".json", f"{suffix}.json")
        self.lock_path = folder / LOCK_FILE.replace(".lock", f"{suffix}.lock")

    # --- the key ----------------------------------------------------------------------------

    def key(self, *, create: bool = False) -> bytes | None:
        """The audit key (TRACKER_AUDIT_KEY, else the key file); created when ``create``."""
        if self._key is not None:
            return self._key
        from_env = os.environ.get(ENV_AUDIT_KEY, "").strip()
        if from_env:
            if len(from_env) < MIN_KEY_CHARS:
                raise AnchorError(f"{ENV_AUDIT_KEY} must be at least {MIN_KEY_CHARS} characters")
            self._key = from_env.encode()
            return self._key
        path = self.folder / KEY_FILE
        if not path.exists():
            if not create:
                return None
            self.folder.mkdir(parents=True, exist_ok=True)
            try:  # O_EXCL: two processes must not write two keys
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(secrets.token_hex(32) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
        text = path.read_text(encoding="utf-8").strip()
        if len(text) < MIN_KEY_CHARS:
            raise AnchorError(
                f"{path} holds no usable audit key (under {MIN_KEY_CHARS} characters)"
            )
        self._key = text.encode()
        return self._key

    def mac(self, digest: str) -> str:
        key = self.key(create=True)
        assert key is not None
        return mac_of(key, digest)

    def sign(self, anchor: Anchor) -> str:
        key = self.key(create=True)
        assert key is not None
        return hmac.new(key, _SIG_PREFIX + _canonical(anchor.body()), hashlib.sha256).hexdigest()

    def _signed(self, anchor: Anchor) -> dict[str, Any]:
        return {**anchor.body(), "sig": self.sign(anchor)}

    def _check(self, record: Any) -> Anchor:
        if not isinstance(record, dict) or not isinstance(record.get("sig"), str):
            raise AnchorError("not a signed anchor record")
        try:
            anchor = Anchor(
                kind=str(record["kind"]),
                seq=int(record["seq"]),
                hash=str(record["hash"]),
                at=str(record["at"]),
                keyed_from=record.get("keyed_from"),
                note=record.get("note"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AnchorError(f"a malformed anchor record ({exc})") from exc
        if not hmac.compare_digest(self.sign(anchor), record["sig"]):
            raise AnchorError(
                f"the signature of the {anchor.kind} anchor at seq {anchor.seq} fails"
            )
        return anchor

    # --- files ----------------------------------------------------------------------------

    @contextmanager
    def _locked(self, shared: bool = False) -> Iterator[None]:
        """The lock around the anchor files: exclusive to write, shared to read (a reader
        that cannot create the lock file reads without it)."""
        if shared:
            try:
                fd = os.open(self.lock_path, os.O_RDONLY)
            except OSError:
                yield
                return
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _append(self, anchor: Anchor) -> None:
        line = json.dumps(self._signed(anchor), sort_keys=True, ensure_ascii=False) + "\n"
        fd = os.open(self.anchors_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            _drop_torn_tail(fd)
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def _write_head(self, anchor: Anchor, epoch_sig: str, checkpoint: tuple[int, float]) -> None:
        """Overwrite the head record in place: one write of HEAD_BYTES (a sector) at offset 0.

        A temporary file renamed over it costs about 1 ms on ext4 (the rename forces the data
        out), the whole budget of a write transaction; readers and writers hold the lock, and a
        record torn by a crash reads as absent (the next commit rewrites it)."""
        record = {**self._signed(anchor), "epoch": epoch_sig}
        record["checkpoint_seq"], record["checkpoint_time"] = checkpoint
        data = json.dumps(record, sort_keys=True).encode()
        if len(data) >= HEAD_BYTES:
            raise AnchorError(f"a head record longer than {HEAD_BYTES} bytes")
        fd = os.open(self.head_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, data.ljust(HEAD_BYTES), 0)
        finally:
            os.close(fd)

    def _read_head(self) -> dict[str, Any] | None:
        try:
            record = json.loads((self.head_path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent, or torn by a crash: the checkpoints still hold
        return record if isinstance(record, dict) else None

    def records(self) -> Iterator[tuple[Anchor | None, str, str | None]]:
        """(anchor or None, its signature, problem) for each line of the anchors file."""
        try:
            content = (self.anchors_path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        lines = content.splitlines()
        if lines and not content.endswith("\n"):
            lines.pop()  # torn by a crash while it was appended: it never counted
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield self._check(record), str(record["sig"]), None
            except (ValueError, AnchorError) as exc:
                yield None, "", f"{self.anchors_path.name} line {number}: {exc}"

    def _last_epoch_sig(self) -> str | None:
        sig = None
        for anchor, signature, _ in self.records():
            if anchor is not None and anchor.kind in EPOCH_KINDS:
                sig = signature
        return sig

    # --- what writers call ------------------------------------------------------------------

    def started(self) -> bool:
        return (self.anchors_path).exists() and self.key() is not None

    def ensure_started(self, seq: int, digest: str) -> None:
        """Create the key and anchor the head found now (``seq``, ``digest``: the last
        committed event) unless that was done already. The caller holds the database's append
        lock, so the head is the one every later event builds on."""
        if self.started():
            return
        with self._locked():
            if (self.anchors_path).exists() and self._last_epoch_sig() is not None:
                return
            self.key(create=True)
            self._append(Anchor("start", seq, digest, now_text(), keyed_from=seq))

    def note_head(self, seq: int, digest: str) -> None:
        """After a commit: the head moved to ``seq``; keep the newest (monotonic), and append
        a checkpoint every CHECKPOINT_EVENTS events or CHECKPOINT_SECONDS."""
        with self._locked():
            current = self._read_head()
            epoch = current.get("epoch") if current else None
            if current is not None and epoch and int(current.get("seq", -1)) >= seq:
                return
            if not epoch:
                epoch = self._last_epoch_sig()
                if epoch is None:
                    return  # not started: nothing to anchor against
            last_seq, last_time = (
                (int(current["checkpoint_seq"]), float(current["checkpoint_time"]))
                if current and current.get("epoch") == epoch and "checkpoint_seq" in current
                else (0, 0.0)
            )
            anchor = Anchor("head", seq, digest, now_text())
            clock = time.time()
            if seq - last_seq >= CHECKPOINT_EVENTS or clock - last_time >= CHECKPOINT_SECONDS:
                self._append(Anchor("checkpoint", seq, digest, anchor.at))
                last_seq, last_time = seq, clock
            self._write_head(anchor, str(epoch), (last_seq, last_time))

    def add(self, kind: str, seq: int, digest: str, note: str | None = None) -> Anchor:
        """Append a signed anchor now (``manual``, ``backup``); returns it."""
        anchor = Anchor(kind, seq, digest, now_text(), note=note)
        with self._locked():
            self.key(create=True)
            self._append(anchor)
        return anchor

    def restart(self, seq: int, digest: str, keyed_from: int, note: str) -> None:
        """Open a new epoch at a restored head: earlier anchors no longer apply."""
        with self._locked():
            self.key(create=True)
            anchor = Anchor("restore", seq, digest, now_text(), keyed_from=keyed_from, note=note)
            self._append(anchor)
            epoch = self._last_epoch_sig()
            assert epoch is not None
            self._write_head(Anchor("head", seq, digest, anchor.at), epoch, (seq, time.time()))

    def signed(self, anchor: Anchor) -> dict[str, Any]:
        """An anchor with its signature, as stored (for `tracker audit anchor`)."""
        return self._signed(anchor)

    # --- what verification reads ------------------------------------------------------------

    def epoch(self) -> Epoch | None:
        """The anchors that apply now, or None when this folder has none yet."""
        with self._locked(shared=True):
            return self._epoch()

    def _epoch(self) -> Epoch | None:
        current: Epoch | None = None
        problems: list[str] = []
        epoch_sig = None
        for anchor, signature, problem in self.records():
            if problem is not None:
                problems.append(problem)
            elif anchor is not None and anchor.kind in EPOCH_KINDS:
                current = Epoch(keyed_from=int(anchor.keyed_from or 0), anchors=[anchor])
                epoch_sig = signature
            elif anchor is not None and current is not None:
                current.anchors.append(anchor)
        if current is None:
            return Epoch(0, [], problems) if problems else None
        head = self._read_head()
        if head is not None and head.get("epoch") == epoch_sig:
            try:
                current.anchors.append(self._check(head))
            except AnchorError as exc:
                problems.append(f"{self.head_path.name}: {exc}")
        current.problems = problems
        return current


def _drop_torn_tail(fd: int) -> None:
    """Cut a last line a crash left without its newline (it never counted)."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return
    start = max(0, size - 65536)
    tail = os.pread(fd, size - start, start)
    os.ftruncate(fd, start + tail.rfind(b"\n") + 1 if b"\n" in tail else start)


def mac_of(key: bytes, digest: str) -> str:
    return hmac.digest(key, MAC_PREFIX + digest.encode(), "sha256").hex()


_KEYRINGS: dict[tuple[Path, str | None], Keyring] = {}


def database_tag(database: str | URL | None) -> str | None:
    """A short, stable name for one database (its URL without the password; a SQLite file by
    its absolute path), so that each database has anchor files of its own in one folder."""
    if database is None:
        return None
    return _tag(make_url(database) if isinstance(database, str) else database)


@cache  # every audited write asks, twice: no path resolution or hashing per transaction
def _tag(url: URL) -> str:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).resolve()))
    text = url.set(password=None).render_as_string(hide_password=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def keyring(folder: Path | None = None, *, database: str | URL | None = None) -> Keyring:
    """The keyring of ``folder`` (default: the configured instance folder) for ``database``
    (a URL: the anchors of that database), one per process."""
    path = (folder or config.instance_path()).resolve()
    tag = database_tag(database)
    found = _KEYRINGS.get((path, tag))
    if found is None:
        found = _KEYRINGS[(path, tag)] = Keyring(path, tag)
    return found


def all_keyrings(folder: Path | None = None) -> list[Keyring]:
    """The keyrings of every database that has anchors in ``folder`` (default: the configured
    instance folder)."""
    path = (folder or config.instance_path()).resolve()
    rings = []
    for found in sorted(path.glob("audit_anchors*.jsonl")):
        middle = found.name[len("audit_anchors") : -len(".jsonl")]
        tag = middle[1:] if middle.startswith(".") else None
        ring = _KEYRINGS.get((path, tag))
        if ring is None:
            ring = _KEYRINGS[(path, tag)] = Keyring(path, tag)
        rings.append(ring)
    return rings


def for_bind(bind: Engine | Connection) -> Keyring:
    """The keyring of the database behind ``bind``, in the configured instance folder."""
    return keyring(database=bind.engine.url)
