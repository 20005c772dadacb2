"""Publishers: how much of each one's output is flagged AI-generated, and the publisher flag."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import Role
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.publishers import publisher_stats, set_publisher_flag
from tracker.web.auth import require_role, web_actor
from tracker.web.errors import status_of
from tracker.web.forms.publishers import (
    FlagForm,
)

bp = Blueprint("publishers", __name__)


def _page(form: FlagForm | None = None, status: int = 200) -> ResponseReturnValue:
    stats = publisher_stats(get_session())
    return render_template("publishers.html", stats=stats, form=form or FlagForm()), status


@bp.get("/publishers")
def publisher_list() -> ResponseReturnValue:
    return _page()


@bp.post("/publishers/flag")
@require_role(Role.EDITOR)
def flag() -> ResponseReturnValue:
    form = FlagForm()
    if not form.validate():
        return _page(form, 422)
    with savepoint(Invalid, NotFound) as refused:
        publisher = set_publisher_flag(
            get_session(),
            form.publisher_id.data,
            form.flag.data == "on",
            reason=form.reason.data,
            actor=web_actor(),
        )
    if refused.error is not None:
        form.reason.errors.append(str(refused.error))
        return _page(form, status_of(refused.error))
    state = "flagged as a source of AI-generated text" if publisher.ai_flag else "unflagged"
    flash(f"{publisher.name} is {state}.", "success")
    return redirect(url_for(".publisher_list"))
