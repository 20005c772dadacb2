"""A fetched page to the text ingest stores: the article with trafilatura (menus, cookie
banners, sidebars and footers dropped) and its title, author, site name and date; the
selectolax path of ``html_text`` is the fallback when trafilatura finds no article."""

from __future__ import annotations

from trafilatura import bare_extraction

from tracker.services.sources.fetch import FetchedPage, FetchRefused, decode_page
from tracker.services.sources.ingest import PreparedText, SourceMeta, check_text
from tracker.services.text.html import MAX_DEPTH, HtmlDocument, extract_html, nesting_depth


def article(html: str, url: str) -> HtmlDocument | None:
    """The main text and metadata trafilatura finds, or None when it finds no text."""
    found = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    text = getattr(found, "text", None)
    if not isinstance(text, str) or not text.strip():
        return None

    def value(name: str) -> str | None:
        got = getattr(found, name, None)
        return got.strip() or None if isinstance(got, str) else None

    return HtmlDocument(
        text=text,
        title=value("title"),
        author=value("author"),
        publisher=value("sitename"),
        url=value("url"),
        language=value("language"),
        published=value("date"),
    )


def prepare_page(page: FetchedPage, meta: SourceMeta) -> PreparedText:
    """The page as ingest takes it: text checked, the page's metadata filling what ``meta``
    (checked, given by the user) leaves empty; the URL is the one finally fetched."""
    meta = meta.checked()
    raw = decode_page(page)
    html_published = None
    if page.is_html:
        if nesting_depth(raw) > MAX_DEPTH:
            raise FetchRefused(f"HTML elements nest more than {MAX_DEPTH} levels deep")
        fallback = extract_html(raw)
        doc = article(raw, page.final_url) or fallback
        text = doc.text
        found = SourceMeta(
            doc.title or fallback.title,
            doc.publisher or fallback.publisher,
            None,
            doc.author or fallback.author,
        ).trimmed()
        html_published = doc.published or fallback.published
        meta = SourceMeta(
            title=meta.title or found.title,
            publisher=meta.publisher or found.publisher,
            url=meta.url,
            author=meta.author or found.author,
            language=meta.language,
        )
    else:
        text = raw.replace("\r\n", "\n")
    if not text.strip():
        raise FetchRefused("the page has no readable text")
    text = check_text(text)
    meta = SourceMeta(meta.title, meta.publisher, page.final_url[:2000], meta.author, meta.language)
    return PreparedText(text, meta, page.final_url[:500], page.media_type, html_published)
