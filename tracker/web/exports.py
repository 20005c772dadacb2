"""Downloads of a claim in interchange formats: its lineage as W3C PROV-JSON."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from tracker.db import get_session
from tracker.models import Role
from tracker.services.interop.prov import prov_json
from tracker.web.auth import require_role

bp = Blueprint("exports", __name__)


@bp.get("/claims/<int:claim_id>/prov.json")
@require_role(Role.VIEWER)
def claim_prov(claim_id: int) -> ResponseReturnValue:
    """The claim's lineage (services/interop/prov.py), named by this site's URLs."""
    text = prov_json(get_session(), claim_id, base_url=request.url_root)
    return Response(
        text + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="claim-{claim_id}-prov.json"'},
    )
