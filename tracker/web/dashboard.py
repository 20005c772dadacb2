"""The dashboard: the desk's start page."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.services.claims import list_claims
from tracker.services.sources import list_sources
from tracker.web.db import get_session

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index() -> str:
    session = get_session()
    return render_template("index.html", sources=list_sources(session), claims=list_claims(session))
