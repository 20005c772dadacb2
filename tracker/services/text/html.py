"""Text and metadata from HTML, with selectolax (lexbor). Script and style content is dropped;
block elements become line breaks, as a reader sees them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head"]
BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div"),
        *("dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "li", "main", "nav", "ol", "p", "pre", "section"),
        *("summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
# For ``nesting_depth``: elements that never hold others, elements that a sibling of their kind
# closes (optional end tags), and elements whose content is raw text.
VOID_TAGS = frozenset(
    {
        *("area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image"),
        *("img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"),
    }
)
SIBLING_TAGS = frozenset(
    {
        *("body", "colgroup", "dd", "dt", "head", "html", "li", "optgroup", "option", "p"),
        *("rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th", "thead", "tr"),
    }
)
RAW_TEXT_TAGS = frozenset(
    {"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea"}
    | {"title", "xmp"}
)
MAX_DEPTH = 512  # what browsers build at most (Chromium: 512); real pages stay far below
_TAG = re.compile(r"<!--|<(/?)([a-z][a-z0-9:-]*)")
_INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{2,}")


@dataclass(frozen=True)
class HtmlDocument:
    text: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    published: str | None = None


def _meta(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("href")
            if value and value.strip():
                return value.strip()
    return None


def _mark_blocks(root: LexborNode) -> None:
    for node in root.traverse(include_text=False):
        if node.tag in BLOCK_TAGS:
            node.insert_before("\n")
            node.insert_after("\n")


def _tidy(raw: str) -> str:
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in raw.split("\n")]
    return _BLANKS.sub("\n", "\n".join(lines)).strip()


def nesting_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """How deep the elements of ``html`` nest, as far as its tags tell; counting stops past
    ``limit``. The HTML parser's time grows with the square of the depth (100,000 nested divs
    take about 40 s), so deeper documents are refused before parsing. Void elements and those
    a sibling closes (p, li, td...) do not count; an end tag closes what was opened after its
    element, as a parser does; in SVG and MathML a tag ending in "/>" closes itself."""
    lower = html.lower()
    stack: list[str] = []
    opened: Counter[str] = Counter()
    deepest = pos = 0
    while deepest <= limit and (found := _TAG.search(lower, pos)) is not None:
        if found.group(0) == "<!--":
            end = lower.find("-->", found.end())
            pos = len(lower) if end < 0 else end + 3
            continue
        closing, name = found.group(1), found.group(2)
        end = lower.find(">", found.end())
        if end < 0:
            break
        pos = end + 1
        if closing:
            while opened[name] and stack:
                opened[top := stack.pop()] -= 1
                if top == name:
                    break
        elif name in RAW_TEXT_TAGS:
            end = lower.find(f"</{name}", pos)
            pos = len(lower) if end < 0 else end
        elif name not in VOID_TAGS and name not in SIBLING_TAGS:
            if lower[end - 1] == "/" and (opened["svg"] or opened["math"]):
                continue
            stack.append(name)
            opened[name] += 1
            deepest = max(deepest, len(stack))
    return deepest


def extract_html(html: str) -> HtmlDocument:
    """The readable text of an HTML page plus the metadata its head declares."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _meta(tree, 'meta[property="og:title"]') or (
        title_node.text(strip=True) if title_node is not None else None
    )
    lang_node = tree.css_first("html")
    doc = HtmlDocument(
        text="",
        title=title or None,
        author=_meta(tree, 'meta[name="author"]', 'meta[property="article:author"]'),
        publisher=_meta(tree, 'meta[property="og:site_name"]'),
        url=_meta(tree, 'link[rel="canonical"]', 'meta[property="og:url"]'),
        language=(lang_node.attributes.get("lang") if lang_node is not None else None) or None,
        published=_meta(tree, 'meta[property="article:published_time"]'),
    )
    tree.strip_tags(DROP_TAGS)
    root = tree.body or tree.root
    if root is None:
        return doc
    _mark_blocks(root)
    return HtmlDocument(**{**doc.__dict__, "text": _tidy(root.text(deep=True, separator=""))})
