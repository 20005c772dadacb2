"""Claim pages (read-only here; editing comes with the reviewer app)."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.services.claims import get_claim, list_claims
from tracker.web.db import get_session

bp = Blueprint("claims", __name__)


@bp.get("/claims")
def claim_list() -> str:
    return render_template("claims.html", claims=list_claims(get_session()))


@bp.get("/claims/<int:claim_id>")
def claim_page(claim_id: int) -> str:
    return render_template("claim.html", claim=get_claim(get_session(), claim_id))
