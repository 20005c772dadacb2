"""Typed settings: the one place that reads the environment."""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ENV_DATABASE_URL = "TRACKER_DATABASE_URL"
ENV_SECRET_KEY = "TRACKER_SECRET_KEY"
ENV_INSTANCE_PATH = "TRACKER_INSTANCE_PATH"
ENV_MAX_SOURCE_BYTES = "TRACKER_MAX_SOURCE_BYTES"
ENV_SECURE_COOKIES = "TRACKER_SECURE_COOKIES"

DEFAULT_MAX_SOURCE_BYTES = 5 * 1024 * 1024
SECRET_FILE_NAME = "secret_key"
DATABASE_FILE_NAME = "tracker.sqlite3"


def project_root() -> Path:
    """The checkout root (the folder holding ``tracker/``)."""
    return Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """The instance folder: ``TRACKER_INSTANCE_PATH``, else ``instance/`` in a checkout, else
    (an installed package) ``<prefix>/var/tracker-instance``, as Flask does."""
    configured = os.environ.get(ENV_INSTANCE_PATH)
    if configured:
        return Path(configured)
    if (project_root() / "pyproject.toml").is_file():
        return project_root() / "instance"
    return Path(sys.prefix) / "var" / "tracker-instance"


def default_database_url(instance: Path | None = None) -> str:
    folder = instance or instance_path()
    return f"sqlite:///{folder / DATABASE_FILE_NAME}"


def database_url(
    override: str | None = None, instance: Path | None = None, configured: str | None = None
) -> str:
    """The URL to use: an explicit override (--database-url), then the environment, then the
    instance config file's value, then SQLite in instance/."""
    return (
        override or os.environ.get(ENV_DATABASE_URL) or configured or default_database_url(instance)
    )


def max_source_bytes() -> int:
    raw = os.environ.get(ENV_MAX_SOURCE_BYTES)
    if not raw:
        return DEFAULT_MAX_SOURCE_BYTES
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{ENV_MAX_SOURCE_BYTES} must be a whole number of bytes") from exc
    if value <= 0:
        raise ValueError(f"{ENV_MAX_SOURCE_BYTES} must be positive")
    return value


def secure_cookies() -> bool:
    """Send cookies over HTTPS only (set TRACKER_SECURE_COOKIES=1 behind TLS)."""
    return os.environ.get(ENV_SECURE_COOKIES, "").strip().lower() in {"1", "true", "yes", "on"}


ENV_TRUSTED_HOSTS = "TRACKER_TRUSTED_HOSTS"


def trusted_hosts() -> list[str] | None:
    """Host names the app answers to (Flask's ``TRUSTED_HOSTS``), from TRACKER_TRUSTED_HOSTS:
    separated by commas or spaces, ``.example.org`` also matching its subdomains; a port is
    ignored. None (any host) when unset. ValueError for an entry that is not a host name."""
    raw = os.environ.get(ENV_TRUSTED_HOSTS, "")
    hosts = [entry.strip().lower() for entry in raw.replace(",", " ").split()]
    for host in hosts:
        name = host[1:] if host.startswith(".") else host
        bracketed = name.startswith("[") and name.endswith("]")  # an IPv6 address
        bad_colon = ":" in name and not bracketed
        if not name or bad_colon or any(ch in name for ch in "/@?#* ") or name.startswith("."):
            raise ValueError(
                f"{ENV_TRUSTED_HOSTS} lists host names such as tracker.example.org or "
                f".example.org, not {host!r}"
            )
    return hosts or None


def proxy_count() -> int:
    """How many reverse proxies stand in front of the app (TRACKER_PROXY_COUNT, default 0).
    Behind N proxies the client's address is the one the outermost proxy put into
    X-Forwarded-For; without it every client would share the proxy's address (and its
    sign-in throttle). ValueError for anything but a whole number from 0 to 5."""
    raw = os.environ.get("TRACKER_PROXY_COUNT", "").strip() or "0"
    if not raw.isdigit() or int(raw) > 5:
        raise ValueError(f"TRACKER_PROXY_COUNT must be a whole number from 0 to 5, not {raw!r}")
    return int(raw)


def load_or_create_secret_key(instance: Path) -> str:
    """The secret key from the environment, else from a 0600 file in the instance folder.

    The file is created with a fresh random key on first use; there is no built-in fallback.
    """
    from_env = os.environ.get(ENV_SECRET_KEY)
    if from_env:
        return from_env
    path = instance / SECRET_FILE_NAME
    if path.exists():
        return _read_secret(path)
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


MIN_SECRET_CHARS = 32


def _read_secret(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_SECRET_CHARS:
        raise ValueError(
            f"{path} holds no usable secret key (under {MIN_SECRET_CHARS} characters): "
            "delete it to have a new one generated, or set TRACKER_SECRET_KEY"
        )
    return key


def api_anonymous_read() -> bool:
    """GET requests under /api/ without a token may read (TRACKER_API_ANONYMOUS_READ=1)."""
    raw = os.environ.get("TRACKER_API_ANONYMOUS_READ", "")
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ReviewSettings:
    """Who publishes the reviews, from configuration (``config.review_settings()``)."""

    org_name: str
    org_url: str
    public_url: str  # base URL under which claim pages are public, e.g. https://desk.example


def review_settings() -> ReviewSettings:
    """Who publishes ClaimReview exports: TRACKER_ORG_NAME (default "Fact-checking desk"),
    TRACKER_ORG_URL (default: the public URL) and TRACKER_PUBLIC_URL, the base URL of the
    public claim pages (default http://localhost:5000). ValueError for a URL that is not
    http(s)."""
    urls = {}
    for variable, default in (
        ("TRACKER_PUBLIC_URL", "http://localhost:5000"),
        ("TRACKER_ORG_URL", ""),
    ):
        value = os.environ.get(variable, "").strip().rstrip("/") or default
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError(f"{variable} must be an http(s) URL, not {value!r}")
        urls[variable] = value
    public = urls["TRACKER_PUBLIC_URL"]
    name = os.environ.get("TRACKER_ORG_NAME", "").strip() or "Fact-checking desk"
    return ReviewSettings(
        org_name=name, org_url=urls["TRACKER_ORG_URL"] or public, public_url=public
    )


# --- fetching sources by URL -----------------------------------------------------------------

ENV_FETCH_ALLOW_PRIVATE = "TRACKER_FETCH_ALLOW_PRIVATE"
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
ENV_FETCH_TIMEOUT = "TRACKER_FETCH_TIMEOUT"
ENV_FETCH_MAX_REDIRECTS = "TRACKER_FETCH_MAX_REDIRECTS"
ENV_RECAPTURE_INTERVAL = "TRACKER_RECAPTURE_INTERVAL"


@dataclass(frozen=True)
class FetchSettings:
    """How pages are fetched (see ``fetch_settings``)."""

    timeout: float = 20.0  # seconds for the whole fetch, redirects included
    max_redirects: int = 5
    max_bytes: int = DEFAULT_MAX_SOURCE_BYTES
    # Also fetch non-public addresses: True for all, or only those in the listed networks.
    allow_private: bool | tuple[IpNetwork, ...] = False


def _positive_number(variable: str, default: float, *, whole: bool, upper: float) -> float:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"{variable} must be {kind}, not {raw!r}") from None
    if not 0 < value <= upper or value != value:
        raise ValueError(f"{variable} must be above 0 and at most {upper:g}, not {raw!r}")
    return value


def parse_allow_private(raw: str) -> bool | tuple[IpNetwork, ...]:
    """TRACKER_FETCH_ALLOW_PRIVATE: "1" allows every address; a list of networks
    ("127.0.0.0/8, ::1") allows those only; empty or "0" allows none. ValueError otherwise."""
    value = raw.strip().lower()
    if value in {"", "0", "false", "no", "off"}:
        return False
    if value in {"1", "true", "yes", "on"}:
        return True
    try:
        return tuple(
            ipaddress.ip_network(part, strict=False) for part in value.replace(",", " ").split()
        )
    except ValueError:
        raise ValueError(
            f"{ENV_FETCH_ALLOW_PRIVATE} must be 1, 0 or a list of networks, not {raw!r}"
        ) from None


def fetch_settings() -> FetchSettings:
    """TRACKER_FETCH_TIMEOUT (seconds, default 20), TRACKER_FETCH_MAX_REDIRECTS (default 5),
    TRACKER_MAX_SOURCE_BYTES, and TRACKER_FETCH_ALLOW_PRIVATE (1, or a list of networks) to
    fetch private, loopback and link-local addresses (tests, intranets). ValueError for a bad
    value."""
    return FetchSettings(
        timeout=_positive_number(ENV_FETCH_TIMEOUT, 20.0, whole=False, upper=600),
        max_redirects=int(_positive_number(ENV_FETCH_MAX_REDIRECTS, 5, whole=True, upper=20)),
        max_bytes=max_source_bytes(),
        allow_private=parse_allow_private(os.environ.get(ENV_FETCH_ALLOW_PRIVATE, "")),
    )


def recapture_interval_minutes() -> int:
    """How often a watched page is fetched again unless it has its own interval:
    TRACKER_RECAPTURE_INTERVAL in minutes (default 1440, one day; at most 525600)."""
    return int(_positive_number(ENV_RECAPTURE_INTERVAL, 1440, whole=True, upper=525_600))


def _whole_number(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip() or str(default)
    if not raw.isdigit():
        raise ValueError(f"{variable} must be a whole number, not {raw!r}")
    return int(raw)


def session_max_age() -> int:
    """Seconds a sign-in lasts at most, however active the session (TRACKER_SESSION_MAX_AGE,
    default 7 days; at least 60)."""
    seconds = _whole_number("TRACKER_SESSION_MAX_AGE", 7 * 24 * 3600)
    if seconds < 60:
        raise ValueError(f"TRACKER_SESSION_MAX_AGE must be at least 60 seconds, not {seconds}")
    return seconds


def api_rate_limit() -> int:
    """API requests a minute per token (or client address); 0 switches the limit off
    (TRACKER_API_RATE_LIMIT, default 600)."""
    return _whole_number("TRACKER_API_RATE_LIMIT", 600)


def rate_limit_storage() -> str | None:
    """The `limits` storage URL the API rate limit counts in (TRACKER_RATE_LIMIT_STORAGE, e.g.
    redis://host:6379/0); None: a file in the instance folder, shared by the workers."""
    return os.environ.get("TRACKER_RATE_LIMIT_STORAGE", "").strip() or None
