"""Source pages: the list and one source with its marks."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.services.sources import get_source, list_sources
from tracker.web.db import get_session

bp = Blueprint("sources", __name__)


@bp.get("/sources")
def source_list() -> str:
    return render_template("sources.html", sources=list_sources(get_session()))


@bp.get("/sources/<int:source_id>")
def source_page(source_id: int) -> str:
    return render_template("source.html", source=get_source(get_session(), source_id))
