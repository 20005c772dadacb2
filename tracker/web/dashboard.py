"""The dashboard: the desk's start page (verdict counts, review queue, recent activity,
pending duplicates, AI-flagged sources)."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.db import get_session
from tracker.models import Role
from tracker.services.audit.sentences import describe, group_by_request
from tracker.services.claims.dashboard import dashboard
from tracker.web.auth import can

bp = Blueprint("dashboard", __name__)

# How many duplicate groups the dashboard shows (the duplicates page lists them all).
TOP_GROUPS = 5
# Recent activity: one line per request, the newest ones.
ACTIVITY_LINES = 10


@bp.get("/")
def index() -> str:
    session = get_session()
    board = dashboard(session)
    described = describe(session, board.activity, for_admin=can(Role.ADMIN))
    activity = group_by_request(described)[:ACTIVITY_LINES]
    return render_template("index.html", board=board, top_groups=TOP_GROUPS, activity=activity)
