"""The duplicates page: merge, keep distinct, skip: the forms of tracker/web/dedup_pages.py."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from tracker.web.fields import IntegerField

GROUP_KEY = re.compile(r"^\d{1,12}(-\d{1,12}){1,200}$")
REASON = [DataRequired(message="Give a reason."), Length(max=500)]


CLAIM_ID = [DataRequired(), NumberRange(min=1)]


class PairForm(FlaskForm):  # type: ignore[misc]
    claim_id = IntegerField("Claim", validators=CLAIM_ID)
    other_id = IntegerField("Other claim", validators=CLAIM_ID)


class MergeForm(PairForm):
    keep = RadioField(
        "Keep",
        choices=[
            SelectChoice("older", "the older claim"),
            SelectChoice("newer", "the newer claim"),
        ],
        default="older",
    )
    reason = StringField("Reason for the merge", validators=REASON)


class DistinctForm(PairForm):
    reason = StringField("Why they differ", validators=REASON)


class SkipForm(FlaskForm):  # type: ignore[misc]
    group = HiddenField(validators=[DataRequired(), Regexp(GROUP_KEY)])
