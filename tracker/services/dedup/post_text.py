"""Social-media markup in claim texts and incoming posts: links are dropped, and #hashtags
and @handles are split into their words ("#BoycottCVS" -> "Boycott CVS", "@IlhanMN" ->
"Ilhan MN"), so that a post's tags match the words of a stored claim."""

from __future__ import annotations

import re

# Links: a scheme or "www.", and the "pic.twitter.com/..." that copied tweets carry (often
# glued to the word before it).
_LINK = re.compile(r"(?:https?://|www\.)\S+|pic\.twitter\.com/\S*", re.IGNORECASE)
_TAG = re.compile(r"(?<![\w#@])[#@]([^\W_]\w*)")
# Word boundaries inside a tag.
_INNER = re.compile(
    r"(?<=[^\W\d_])(?=\d)"  # Iran|2020
    r"|(?<=\d)(?=[A-ZÀ-Þ])"  # 100|Days (but 25th stays)
    r"|(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])"  # Boycott|CVS
    r"|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zà-ÿ])"  # CVS|Boycott
    r"|_+"
)


def _split_tag(match: re.Match[str]) -> str:
    return " " + " ".join(_INNER.sub(" ", match.group(1)).split()) + " "


def strip_post_markup(text: str) -> str:
    """``text`` without links, its hashtags and handles split into words."""
    if "://" in text or "www." in text or "pic.twitter" in text:
        text = _LINK.sub(" ", text)
    if "#" in text or "@" in text:
        text = _TAG.sub(_split_tag, text)
    return text
