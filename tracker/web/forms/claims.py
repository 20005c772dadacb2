"""The forms of tracker/web/claims.py: the list filters, editing, merge, unmerge, confirm,
as-of and revert."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FloatField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from tracker.models import Verdict
from tracker.services.text.language import validate_language
from tracker.web.fields import IntegerField

VERDICT_CHOICES = [SelectChoice(v.value, v.value.replace("_", " ")) for v in Verdict]


def _language_tag(_form: FlaskForm, field: Field) -> None:
    if field.data and field.data.strip():
        try:
            field.data = validate_language(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class FilterForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf = False  # a GET search form

    verdict = SelectField(
        "Verdict", choices=[SelectChoice("", "any verdict"), *VERDICT_CHOICES], default=""
    )
    language = StringField("Language", validators=[Optional(), Length(max=35), _language_tag])
    merged = BooleanField("Include merged claims")
    needs_review = BooleanField("Only claims that need re-review")


class ClaimEditForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField("Claim", validators=[DataRequired(), Length(max=10_000)])
    language = StringField("Language", validators=[Optional(), Length(max=35), _language_tag])
    verdict = SelectField("Verdict", choices=VERDICT_CHOICES)
    confidence = FloatField(
        "Confidence (%)",
        validators=[Optional(), NumberRange(min=0, max=100, message="use a number from 0 to 100")],
    )
    rationale = TextAreaField("Rationale", validators=[Length(max=20_000)])
    reason = StringField("Reason for the change", validators=[Length(max=1000)])
    override_reason = TextAreaField(
        "Override reason (the claim rests only on AI-generated sources)",
        validators=[Length(max=1000)],
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class MergeForm(FlaskForm):  # type: ignore[misc]
    target_id = IntegerField("Merge into claim #", validators=[InputRequired(), NumberRange(min=1)])
    reason = StringField("Reason", validators=[DataRequired(), Length(max=1000)])


class UnmergeForm(FlaskForm):  # type: ignore[misc]
    reason = StringField("Reason", validators=[DataRequired(), Length(max=1000)])


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    # Its own id: the merge form on the same page has a "reason" field too.
    reason = StringField(
        "Reason", id="confirm-reason", validators=[DataRequired(), Length(max=1000)]
    )


class AsOfForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf = False  # a GET form: reads only

    at = StringField("View as of (UTC)", validators=[DataRequired(), Length(max=64)])


class RevertForm(FlaskForm):  # type: ignore[misc]
    to_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reason = StringField("Reason", validators=[DataRequired(), Length(max=1000)])
    override_reason = StringField(
        "Override reason (AI-only sources)", validators=[Length(max=1000)]
    )
