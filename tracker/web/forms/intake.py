"""The new-claim form and claim search: the forms of tracker/web/intake.py."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from tracker.models import Stance, Verdict
from tracker.services.claims.records import MAX_CLAIM_CHARS
from tracker.web.fields import IntegerField

VERDICT_CHOICES = [SelectChoice(v.value, v.value.replace("_", " ")) for v in Verdict]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class LinkToField(IntegerField):
    """The claim to link to. The hidden input and a candidate's button share the name
    ``link_to``; the last non-empty value wins."""

    widget = HiddenInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_data = [v for v in valuelist if v.strip()][-1:]
        super().process_formdata(self.raw_data)


class ClaimForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField(
        "Claim",
        validators=[DataRequired("Write the claim."), Length(max=MAX_CLAIM_CHARS)],
        filters=[_strip],
    )
    language = StringField(
        "Language (optional)", validators=[Optional(), Length(max=35)], filters=[_strip]
    )
    stance = SelectField(
        "The excerpt…",
        choices=[SelectChoice(s.value, s.value) for s in Stance],
        default=Stance.SUPPORTS.value,
    )
    confidence = IntegerField(
        "Confidence (%)",
        validators=[Optional(), NumberRange(0, 100, "Give a whole number from 0 to 100.")],
    )
    verdict = SelectField("Verdict", choices=VERDICT_CHOICES, default=Verdict.UNREVIEWED.value)
    proposed_verdict = SelectField(
        "Proposed verdict",
        choices=[
            SelectChoice("", "no proposal"),
            *(c for c in VERDICT_CHOICES if c.value != Verdict.UNREVIEWED.value),
        ],
        default="",
    )
    rationale = TextAreaField(
        "Rationale (the reason for the verdict)",
        validators=[Length(max=20000)],
        filters=[_strip],
    )
    override_reason = StringField(
        "Override reason (AI-only evidence)",
        validators=[Optional(), Length(max=500)],
        filters=[_strip],
    )
    source_id = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=1)])
    start = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])
    end = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])
    quote = TextAreaField("Quote from the source", validators=[Optional(), Length(max=20000)])
    occurrence = IntegerField(
        "Occurrence (when the quote appears more than once)",
        validators=[Optional(), NumberRange(min=1)],
    )
    link_to = LinkToField(validators=[Optional(), NumberRange(min=1)])

    def span_args(self) -> dict[str, Any]:
        """The excerpt the form asks for, as ``intake_claim`` takes it (offsets win)."""
        quote = (self.quote.data or "").strip() or None
        offsets = self.start.data is not None or self.end.data is not None
        return {
            "source_id": self.source_id.data,
            "start": self.start.data,
            "end": self.end.data,
            "quote": None if offsets else quote,
            "occurrence": None if offsets else self.occurrence.data,
        }


class SearchForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf = False  # a GET form that changes nothing

    text = StringField(
        "Text", validators=[Optional(), Length(max=MAX_CLAIM_CHARS)], filters=[_strip]
    )
    verdict = SelectField(
        "Verdict", choices=[SelectChoice("", "any"), *VERDICT_CHOICES], default=""
    )
    min_conf = IntegerField("Confidence from (%)", validators=[Optional(), NumberRange(0, 100)])
    max_conf = IntegerField("Confidence to (%)", validators=[Optional(), NumberRange(0, 100)])
    language = StringField("Language", validators=[Optional(), Length(max=35)], filters=[_strip])
    source_id = IntegerField("Source id", validators=[Optional(), NumberRange(min=1)])
    ai_only = BooleanField("Only claims from AI-generated sources")
