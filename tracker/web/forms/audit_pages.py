"""The audit log filters and the reports: the forms of tracker/web/audit_pages.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from tracker.services.errors import Invalid
from tracker.services.text.times import parse_time
from tracker.web.fields import DecimalField


def _readable_time(_form: FlaskForm, field: Field) -> None:
    if (field.data or "").strip():
        try:
            parse_time(field.data)
        except Invalid as exc:
            raise ValidationError(str(exc)) from exc


class AuditFilterForm(FlaskForm):  # type: ignore[misc]
    """Read from the query string; a GET form changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    actor = StringField("Actor", validators=[Optional(), Length(max=200)])
    action = StringField("Action", validators=[Optional(), Length(max=64)])
    entity_type = StringField("Entity type", validators=[Optional(), Length(max=64)])
    entity_id = StringField("Entity id", validators=[Optional(), Length(max=64)])
    since = StringField("From", validators=[Optional(), Length(max=64), _readable_time])
    until = StringField("To", validators=[Optional(), Length(max=64), _readable_time])
    text = StringField("Reason contains", validators=[Optional(), Length(max=200)])


class ReportForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf = False

    since = StringField("From", validators=[Optional(), Length(max=64), _readable_time])
    until = StringField("To", validators=[Optional(), Length(max=64), _readable_time])
    actor = StringField("Actor", validators=[Optional(), Length(max=200)])
    points = DecimalField(
        "More than (points of 100)", default=20, validators=[Optional(), NumberRange(0, 100)]
    )
    after_link_only = BooleanField("Only changes made after claims were linked")
