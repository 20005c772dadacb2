"""The audit log page (viewer and up): newest first, filtered, 50 events a page.

Also the template helpers that show an event (entity link, field changes, origin), used by
this page and the dashboard's recent activity."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from tracker.models import AuditEvent
from tracker.services.audit_query import (
    AuditFilter,
    FieldChange,
    event_origin,
    field_changes,
    list_events,
)
from tracker.services.pages import page_number
from tracker.web.db import get_session

bp = Blueprint("audit_pages", __name__)

FILTERS = ("actor", "action", "entity_type", "entity_id", "since", "until")
# Entity types that have a page of their own: (endpoint, its id argument).
ENTITY_PAGES = {
    "claim": ("claims.claim_page", "claim_id"),
    "source": ("sources.source_page", "source_id"),
}


class AuditFilterForm(FlaskForm):  # type: ignore[misc]
    """Read from the query string; a GET form changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    actor = StringField("Actor", validators=[Optional(), Length(max=200)])
    action = StringField("Action", validators=[Optional(), Length(max=64)])
    entity_type = StringField("Entity type", validators=[Optional(), Length(max=64)])
    entity_id = StringField("Entity id", validators=[Optional(), Length(max=64)])
    since = DateField("From (UTC)", validators=[Optional()])
    until = DateField("To (UTC)", validators=[Optional()])


@bp.app_template_global("audit_entity_url")
def entity_url(event: AuditEvent) -> str | None:
    """The page of the event's entity, when it has one (claims and sources)."""
    target = ENTITY_PAGES.get(event.entity_type)
    if target is None or not event.entity_id.isdigit():
        return None
    endpoint, argument = target
    values: dict[str, Any] = {argument: int(event.entity_id)}
    return url_for(endpoint, **values)


@bp.app_template_global("audit_changes")
def changes_of(event: AuditEvent) -> list[FieldChange]:
    return field_changes(event.changes)


@bp.app_template_global("audit_origin")
def origin_of(event: AuditEvent) -> dict[str, str]:
    return event_origin(event)


@bp.get("/audit")
def audit_list() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    valid = form.validate()
    # A filter with an error (a malformed date) is left out and shown with its message.
    good = [name for name in FILTERS if not form[name].errors]
    where = AuditFilter(**{name: form[name].data for name in good})
    page = list_events(get_session(), where, page_number(request.args.get("page")))
    args = {name: request.args[name] for name in good if request.args.get(name, "").strip()}
    body = render_template("audit.html", form=form, page=page, args=args)
    return body, 200 if valid else 422
