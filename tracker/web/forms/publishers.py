"""The publisher flag: the forms of tracker/web/publishers.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from tracker.web.fields import IntegerField


class FlagForm(FlaskForm):  # type: ignore[misc]
    publisher_id = IntegerField(
        "Publisher", widget=HiddenInput(), validators=[DataRequired(), NumberRange(min=1)]
    )
    flag = SelectField(
        "Publisher flag",
        choices=[SelectChoice("on", "AI content source"), SelectChoice("off", "not flagged")],
    )
    reason = StringField("Reason", validators=[DataRequired(), Length(max=1000)])
