"""The start-up health check (`tracker check`; `tracker serve` runs it before it starts).

Each check gives a ``Check(name, status, detail)`` with status ok, warn or fail; any fail means
the app should not start. Nothing here writes: a missing secret key is reported, not created,
and a missing SQLite file is reported, not created. No Flask.
"""

from __future__ import annotations

import math
import os
import stat
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tracker import config, migrate
from tracker.db import READ_ONLY, SQLITE_BUSY_TIMEOUT_MS
from tracker.services.audit.chain import head, verify

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def failed(checks: list[Check]) -> bool:
    return any(check.status == "fail" for check in checks)


# --- the secret key ---------------------------------------------------------------------------

MIN_SECRET_BITS = 256  # 32 random bytes
MIN_DISTINCT_CHARS = 10
MIN_BITS_PER_CHAR = 3.0  # Shannon entropy of the key's own characters
GENERATE_HINT = "generate one with `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`"

# Placeholders seen in tutorials and sample configs, compared without case and punctuation.
_PLACEHOLDERS = frozenset(
    [
        "dev",
        "development",
        "devkey",
        "secret",
        "secretkey",
        "mysecret",
        "mysecretkey",
        "yoursecretkey",
        "supersecret",
        "topsecret",
        "notsecret",
        "s3cr3t",
        "changeme",
        "changethis",
        "changeit",
        "pleasechange",
        "replaceme",
        "password",
        "passw0rd",
        "letmein",
        "test",
        "testing",
        "testkey",
        "default",
        "example",
        "insecure",
        "key",
        "flask",
        "tracker",
        "admin",
        "qwerty",
        "123456",
        "12345678",
        "1234567890",
        "todo",
        "fixme",
        "xxx",
        "none",
        "null",
    ]
)
_PLACEHOLDER_WORDS = sorted(_PLACEHOLDERS, key=len, reverse=True)
_HEX = frozenset(string.hexdigits)
_BASE64 = frozenset(string.ascii_letters + string.digits + "+/=-_")


def _alphabet_bits(key: str) -> float:
    """Bits per character of the alphabet the key seems drawn from (an upper bound)."""
    chars = set(key)
    if chars <= frozenset(string.digits):
        return math.log2(10)
    if chars <= _HEX and (chars.isdisjoint(string.ascii_lowercase) or chars.isdisjoint("ABCDEF")):
        return 4.0  # token_hex
    if chars <= _BASE64:
        return 6.0  # token_urlsafe, base64
    pool = 0
    for group, size in (
        (string.digits, 10),
        (string.ascii_lowercase, 26),
        (string.ascii_uppercase, 26),
        (string.punctuation + " ", 33),
    ):
        if not chars.isdisjoint(group):
            pool += size
    if any(ord(ch) > 127 for ch in chars):
        pool += 64
    return math.log2(max(pool, 2))


def secret_bits(key: str) -> int:
    """Estimated entropy: length times the bits per character of the key's alphabet."""
    return int(len(key) * _alphabet_bits(key))


def _shannon_per_char(key: str) -> float:
    counts = Counter(key).values()
    return -sum(n / len(key) * math.log2(n / len(key)) for n in counts)


def _repeats_a_pattern(key: str) -> bool:
    """True when the key is a shorter string repeated (``abcabcabc...``)."""
    return any(
        key == (key[:period] * (len(key) // period + 1))[: len(key)]
        for period in range(1, len(key) // 2 + 1)
    )


def _mostly_a_sequence(key: str) -> bool:
    """True when most neighbouring characters are consecutive (``abcdef``, ``123456``)."""
    steps = sum(abs(ord(b) - ord(a)) == 1 for a, b in pairwise(key))
    return steps > len(key) / 3


def _only_placeholder_words(key: str) -> bool:
    rest = "".join(ch for ch in key.lower() if ch.isalnum())
    if rest in _PLACEHOLDERS:
        return True
    stripped = rest
    for word in _PLACEHOLDER_WORDS:
        stripped = stripped.replace(word, "")
    return stripped != rest and len(stripped.strip(string.digits)) < 4


def weak_secret(key: str | None) -> str | None:
    """Why ``key`` is too weak to sign sessions, or None when it is strong enough.

    Refused: no key, well-known placeholders (and keys made of them), repeated characters or
    patterns, runs like ``abcdef``, and keys under MIN_SECRET_BITS of estimated entropy."""
    if key is None or not key.strip():
        return "no secret key is set"
    key = key.strip()
    if _only_placeholder_words(key):
        return f"it is a well-known placeholder value; {GENERATE_HINT}"
    if len(set(key)) < MIN_DISTINCT_CHARS or _repeats_a_pattern(key):
        return f"it repeats a few characters; {GENERATE_HINT}"
    if _mostly_a_sequence(key) or _shannon_per_char(key) < MIN_BITS_PER_CHAR:
        return f"it is too regular to be random; {GENERATE_HINT}"
    bits = secret_bits(key)
    if bits < MIN_SECRET_BITS:
        return (
            f"about {bits} bits of entropy (length {len(key)}); at least {MIN_SECRET_BITS} "
            f"(32 random bytes) are needed; {GENERATE_HINT}"
        )
    return None


@dataclass(frozen=True)
class SecretSource:
    """The key the app would use and where it comes from (``key`` None: none configured)."""

    key: str | None
    where: str
    path: Path | None = None  # the instance key file, when the key comes from it


def find_secret(instance: Path, configured: str | None = None) -> SecretSource:
    """The app's secret key without creating one, in the app's order: ``configured`` (the
    instance config.py's SECRET_KEY), TRACKER_SECRET_KEY, then the instance key file."""
    if configured:
        return SecretSource(configured, f"SECRET_KEY in {instance / 'config.py'}")
    from_env = os.environ.get(config.ENV_SECRET_KEY)
    if from_env:
        return SecretSource(from_env, config.ENV_SECRET_KEY)
    path = instance / config.SECRET_FILE_NAME
    if path.is_file():
        return SecretSource(path.read_text(encoding="utf-8").strip(), str(path), path)
    return SecretSource(None, str(path), path)


def check_secret(source: SecretSource) -> Check:
    if source.key is None:
        return Check(
            "secret key",
            "warn",
            f"none configured: {config.ENV_SECRET_KEY} is unset and {source.where} does not "
            "exist; the app creates that file on first start (instances behind one proxy "
            f"must share one key: set {config.ENV_SECRET_KEY})",
        )
    problem = weak_secret(source.key)
    if problem:
        return Check("secret key", "fail", f"{source.where}: {problem}")
    detail = f"from {source.where}, about {secret_bits(source.key.strip())} bits"
    if source.path is not None and source.path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        mode = stat.S_IMODE(source.path.stat().st_mode)
        return Check(
            "secret key", "warn", f"{detail}; other users may read it (mode {mode:o}): chmod 600"
        )
    return Check("secret key", "ok", detail)


# --- configuration ----------------------------------------------------------------------------


def check_configuration() -> Check:
    """The TRACKER_* settings that are parsed at start-up parse."""
    readers: list[Callable[[], object]] = [
        config.max_source_bytes,
        config.trusted_hosts,
        config.review_settings,
    ]
    problems = []
    for read in readers:
        try:
            read()
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        return Check("configuration", "fail", "; ".join(problems))
    hosts = config.trusted_hosts()
    cookies = "Secure cookies" if config.secure_cookies() else "cookies not marked Secure"
    where = f"trusted hosts {', '.join(hosts)}" if hosts else "any Host header accepted"
    return Check("configuration", "ok", f"{where}; {cookies}")


# --- the database -----------------------------------------------------------------------------

# The WAL-reset bug: two connections writing or checkpointing at the same moment can corrupt a
# WAL database; present from 3.7.0, fixed in 3.51.3.
WAL_RESET_BUG = ((3, 7, 0), (3, 51, 2))


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:3] if part.isdigit())


def check_sqlite_version(version: str) -> Check:
    low, high = WAL_RESET_BUG
    if low <= _version_tuple(version) <= high:
        return Check(
            "sqlite version",
            "warn",
            f"SQLite {version} has the WAL-reset bug (3.7.0 to 3.51.2): rarely, two processes "
            "writing at once can corrupt the database; with several workers use SQLite 3.51.3 "
            "or newer, or PostgreSQL",
        )
    return Check("sqlite version", "ok", f"SQLite {version}")


def _pragmas(conn: Connection) -> Check:
    found = {
        name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    }
    wrong = []
    if str(found["journal_mode"]).lower() != "wal":
        wrong.append(f"journal_mode is {found['journal_mode']}, not wal")
    if found["foreign_keys"] != 1:
        wrong.append("foreign_keys is off")
    if int(found["busy_timeout"] or 0) < SQLITE_BUSY_TIMEOUT_MS:
        wrong.append(f"busy_timeout is {found['busy_timeout']} ms, under {SQLITE_BUSY_TIMEOUT_MS}")
    if found["synchronous"] not in (1, 2, 3):  # NORMAL, FULL, EXTRA
        wrong.append(f"synchronous is {found['synchronous']} (OFF)")
    shown = ", ".join(f"{k}={v}" for k, v in found.items())
    if wrong:
        return Check("sqlite pragmas", "fail", f"{'; '.join(wrong)} ({shown})")
    return Check("sqlite pragmas", "ok", shown)


def _connect(engine: Engine) -> tuple[Check, list[Check]]:
    """Reachability, plus the SQLite pragmas and library version read on that connection."""
    where = engine.url.render_as_string(hide_password=True)
    extra: list[Check] = []
    try:
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            if conn.dialect.name == "sqlite":
                version = str(conn.exec_driver_sql("SELECT sqlite_version()").scalar())
                extra = [_pragmas(conn), check_sqlite_version(version)]
            else:
                version = str(conn.exec_driver_sql("SHOW server_version").scalar())
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return Check("database", "fail", f"cannot connect to {where}: {reason}"), []
    return Check("database", "ok", f"{engine.dialect.name} {version} at {where}"), extra


def _migration(engine: Engine) -> Check:
    current, code_head = migrate.current_revision(engine), migrate.head_revision()
    if current == code_head:
        return Check("migration", "ok", f"at the head migration {code_head}")
    return Check(
        "migration",
        "fail",
        f"the database is at {current or 'no migration (empty)'} but this code needs "
        f"{code_head}: run `tracker db upgrade`",
    )


def _audit(engine: Engine, run_verify: bool, workers: int) -> Check:
    with Session(engine) as session:
        session.connection(execution_options={READ_ONLY: True})
        if not run_verify:
            current = head(session)
            return Check("audit chain", "ok", f"{current.count} events, head {current.hash}")
        report = verify(session, workers=workers)
    if report.ok:
        return Check("audit chain", "ok", f"verified {report.count} events, head {report.head}")
    return Check(
        "audit chain",
        "fail",
        f"broken at index {report.index}: {report.reason} ({report.detail}); {report.count} events",
    )


def check_database(engine: Engine, *, run_verify: bool = False, workers: int = 1) -> list[Check]:
    """Reachable, SQLite pragmas and version, at the head migration, the audit chain."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or not Path(database).is_file():
            return [Check("database", "fail", f"no database file at {database or ':memory:'}")]
    reachable, extra = _connect(engine)
    if reachable.status == "fail":
        return [reachable]
    checks = [reachable, *extra, _migration(engine)]
    if checks[-1].status == "ok":
        checks.append(_audit(engine, run_verify, workers))
    return checks


def run_checks(
    engine: Engine, secret: SecretSource, *, run_verify: bool = False, workers: int = 1
) -> list[Check]:
    """Every start-up check, in order: database, configuration, secret key."""
    return [
        *check_database(engine, run_verify=run_verify, workers=workers),
        check_configuration(),
        check_secret(secret),
    ]
