"""Jinja filters and globals that show values one way on every page.

Filters: ``when`` (a moment or date: "1 Apr 2024, 23:17 UTC" / "1 Apr 2024"), ``published``
(a source's publication date as it printed it), ``percent`` (a confidence: "80 %" or "not set"),
``verdict_label`` ("Mostly true"). Global: ``part_url`` (the page an audit sentence part links
to; see tracker.services.audit.sentences)."""

from __future__ import annotations

from flask import Flask, url_for

from tracker.services.audit.sentences import Part
from tracker.services.text.display import (
    format_percent,
    format_published,
    format_when,
    verdict_label,
)


def part_url(part: Part) -> str | None:
    """The page of an entity named in an audit sentence, when it has one."""
    if part.ref is None or not part.ref.isdigit():
        return None
    ident = int(part.ref)
    if part.kind == "claim":
        return url_for("claims.claim_page", claim_id=ident)
    if part.kind == "source":
        return url_for("sources.source_page", source_id=ident)
    if part.kind == "excerpt" and part.source_id is not None:
        return url_for("sources.source_page", source_id=part.source_id) + f"#excerpt-{ident}"
    if part.kind == "publisher":
        return url_for("publishers.publisher_list") + f"#publisher-{ident}"
    return None


def register_display(app: Flask) -> None:
    app.add_template_filter(format_when, "when")
    app.add_template_filter(format_published, "published")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(verdict_label, "verdict_label")
    app.jinja_env.globals["part_url"] = part_url
