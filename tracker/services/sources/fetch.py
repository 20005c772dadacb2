"""Fetching a page by URL with httpx, safely: http(s) only, every hop's address checked and
then used, redirects followed one by one (each checked again), time and size bounded, and
only HTML or plain text accepted. No database here: ``capture`` stores what this returns.

Against DNS rebinding the host name is resolved once per hop, the addresses are checked, and
the connection goes to a checked address (the URL's host is replaced by it; the ``Host``
header and the TLS server name keep the original name, so virtual hosts and certificate
checks work as before)."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import httpx

from tracker.config import FetchSettings, IpNetwork
from tracker.models.types import utcnow
from tracker.services.errors import Invalid

USER_AGENT = "tracker/0.1 (claim and source provenance tracker; captures pages for fact-checks)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Invalid):
    """A page that cannot be fetched or stored; the message says why, in one line."""


@dataclass(frozen=True)
class FetchedPage:
    """The final response of a fetch: what the archive keeps."""

    requested_url: str
    final_url: str
    status: int
    reason: str
    http_version: str
    media_type: str  # "text/html" or "text/plain", lower case, without parameters
    content_type: str  # the Content-Type header as sent (may be empty)
    charset: str | None
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def is_html(self) -> bool:
        return self.media_type in HTML_TYPES


# --- address policy ------------------------------------------------------------------------


def is_public(address: IpAddress) -> bool:
    """Not loopback, private, link-local, multicast, reserved or unspecified."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def address_allowed(address: IpAddress, allow: bool | tuple[IpNetwork, ...]) -> bool:
    if allow is True or is_public(address):
        return True
    return isinstance(allow, tuple) and any(address in network for network in allow)


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (an address literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"the host name {host!r} does not resolve") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    address: str  # the checked address the connection goes to


def check_target(
    url: str, allow: bool | tuple[IpNetwork, ...], resolver: Resolver = resolve
) -> Target:
    """The URL's scheme and host checked, its host resolved and one allowed address chosen."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused(f"not a usable URL: {url[:200]!r} ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https URLs can be fetched, not {scheme or 'none'!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(f"the URL has no host: {url[:200]!r}")
    if parts.username or parts.password:
        raise FetchRefused("URLs with a user name or password are not fetched")
    port = port or (443 if scheme == "https" else 80)
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
    allowed = [a for a in addresses if address_allowed(a, allow)]
    if not allowed:
        shown = ", ".join(str(a) for a in addresses) or "nothing"
        raise FetchRefused(
            f"refused to fetch {host}: it resolves to {shown}, a loopback, private, "
            "link-local, multicast or reserved address (TRACKER_FETCH_ALLOW_PRIVATE lifts this)"
        )
    return Target(url, scheme, host, port, str(allowed[0]))


def _pinned_request(client: httpx.Client, target: Target) -> httpx.Request:
    """A GET of ``target.url`` that connects to the checked address, not the name."""
    url = httpx.URL(target.url)
    name = url.raw_host.decode("ascii")  # IDNA-encoded, as the Host header and SNI need it
    host_header = name if ":" not in name else f"[{name}]"
    if url.port is not None:
        host_header += f":{url.port}"
    extensions = {"sni_hostname": name} if target.scheme == "https" else {}
    return client.build_request(
        "GET",
        url.copy_with(host=target.address),
        headers={"Host": host_header},
        extensions=extensions,
    )


# --- fetching ------------------------------------------------------------------------------


def _media_type(content_type: str) -> tuple[str, str | None]:
    main, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return main.strip().lower(), charset


def _sniff(body: bytes) -> str:
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "text/html"
    return "text/plain"


def _read_body(response: httpx.Response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchRefused(
            f"the page is too large ({int(length)} bytes; the limit is {max_bytes}, "
            "TRACKER_MAX_SOURCE_BYTES)"
        )
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(
                f"the page is too large (over {max_bytes} bytes, the limit; "
                "TRACKER_MAX_SOURCE_BYTES)"
            )
        if time.monotonic() > deadline:
            raise FetchRefused(f"the page did not arrive within {timeout:g} seconds")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_url(url: str, settings: FetchSettings, resolver: Resolver = resolve) -> FetchedPage:
    """GET ``url`` as described in the module docstring; FetchRefused for every refusal."""
    url = url.strip()
    if len(url) > 2000:
        raise FetchRefused("the URL is longer than 2000 characters")
    allow = settings.allow_private
    deadline = time.monotonic() + settings.timeout
    redirects: list[str] = []
    current = url
    timeout = httpx.Timeout(settings.timeout)
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html, text/plain;q=0.9",
        "Accept-Encoding": "identity",
    }
    with httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, headers=headers
    ) as client:
        while True:
            target = check_target(current, allow, resolver)
            try:
                response = client.send(_pinned_request(client, target), stream=True)
                try:
                    if response.status_code in REDIRECTS and "location" in response.headers:
                        if len(redirects) >= settings.max_redirects:
                            raise FetchRefused(
                                f"too many redirects (more than {settings.max_redirects})"
                            )
                        redirects.append(current)
                        current = urljoin(current, response.headers["location"])
                        continue
                    return _final(url, current, response, settings, deadline, redirects)
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise FetchRefused(
                    f"the server at {target.host} did not answer within {settings.timeout:g} s"
                ) from exc
            except httpx.HTTPError as exc:
                raise FetchRefused(f"could not fetch {target.host}: {exc}") from exc
            except httpx.InvalidURL as exc:
                raise FetchRefused(f"not a usable URL: {current[:200]!r} ({exc})") from exc


def _final(
    requested: str,
    final_url: str,
    response: httpx.Response,
    settings: FetchSettings,
    deadline: float,
    redirects: list[str],
) -> FetchedPage:
    status = response.status_code
    if not 200 <= status < 300:
        raise FetchRefused(f"the server answered {status} {response.reason_phrase}".rstrip())
    content_type = response.headers.get("content-type", "")
    media_type, charset = _media_type(content_type)
    if media_type and media_type not in HTML_TYPES | TEXT_TYPES:
        raise FetchRefused(
            f"the page is {media_type}, not HTML or plain text; only those can be stored"
        )
    body = _read_body(response, settings.max_bytes, deadline, settings.timeout)
    if not body.strip():
        raise FetchRefused("the page is empty")
    return FetchedPage(
        requested_url=requested,
        final_url=final_url,
        status=status,
        reason=response.reason_phrase,
        http_version=response.http_version,
        media_type=media_type or _sniff(body),
        content_type=content_type,
        charset=charset,
        headers=[(k, v) for k, v in response.headers.multi_items()],
        body=body,
        fetched_at=utcnow(),
        redirects=redirects,
    )


def decode_page(page: FetchedPage) -> str:
    """The body as text: the declared charset, else a ``<meta charset>``, else UTF-8."""
    charset = page.charset
    if charset is None and page.is_html and (found := _CHARSET.search(page.body[:4096])):
        charset = found.group(1).decode("ascii")
    charset = charset or "utf-8"
    try:
        return page.body.decode(charset).removeprefix("\ufeff")
    except LookupError as exc:
        raise FetchRefused(f"the page declares an unknown character set {charset!r}") from exc
    except UnicodeDecodeError as exc:
        raise FetchRefused(
            f"the page is not valid {charset} (byte {exc.start}: {exc.reason})"
        ) from exc
