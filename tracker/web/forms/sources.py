"""The source list filters, the AI flag and adding a source: the forms of tracker/web/sources.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.models import AiGenerated, AiStatus
from tracker.services.audit.log import MAX_REASON
from tracker.services.sources.ingest import FIELD_LIMITS, SourceMeta

FILTERS = ("language", "publisher", "ai", "date_from", "date_to")
# The derived yes/no flag, named in the words of the status vocabulary.
AI_CHOICES = [
    SelectChoice(AiGenerated.YES.value, "AI-generated (either)"),
    SelectChoice(AiGenerated.NO.value, "not AI-generated"),
]
STATUS_CHOICES = [SelectChoice(status.value, status.label) for status in AiStatus]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _iso_date(_form: FlaskForm, field: Field) -> None:
    if field.data:
        try:
            date.fromisoformat(field.data)
        except ValueError:
            raise ValidationError(
                f"“{field.data[:40]}” is not a date: use YYYY-MM-DD, for example 2024-05-28."
            ) from None


class SourceFilterForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf = False  # a GET form: it changes nothing

    language = SelectField(
        "Language", choices=[SelectChoice("", "any")], validate_choice=False, default=""
    )
    publisher = StringField("Publisher", validators=[Length(max=200)], filters=[_strip])
    ai = SelectField(
        "AI status",
        choices=[SelectChoice("", "any"), *STATUS_CHOICES, *AI_CHOICES],
        default="",
    )
    date_from = StringField("Published from", validators=[_iso_date], filters=[_strip])
    date_to = StringField("Published to", validators=[_iso_date], filters=[_strip])

    def validate_date_to(self, field: Field) -> None:
        start, end = self.date_from.data, field.data
        if start and end and not self.date_from.errors and start > end:
            raise ValidationError("The end date is before the start date.")

    def args(self) -> dict[str, str]:
        """The filters in use, as query arguments (for the pager's links)."""
        return {name: self[name].data for name in FILTERS if self[name].data}


class FlagForm(FlaskForm):  # type: ignore[misc]
    status = SelectField("AI status", choices=STATUS_CHOICES)
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Give a reason for the flag."), Length(max=MAX_REASON)],
        filters=[_strip],
    )


class NewSourceForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField("Paste the text")
    upload = FileField("…or upload a file (.txt, .md, .html)")
    content_b64 = HiddenField()  # the upload, carried from the preview to the save
    filename = HiddenField()
    checked_sha256 = HiddenField()  # the text the user saw in the preview
    title = StringField("Title", validators=[Length(max=FIELD_LIMITS["title"])])
    publisher = StringField("Publisher", validators=[Length(max=FIELD_LIMITS["publisher"])])
    url = StringField("URL", validators=[Length(max=FIELD_LIMITS["url"])])
    author = StringField("Author", validators=[Length(max=FIELD_LIMITS["author"])])
    language = StringField("Language", validators=[Optional(), Length(max=35)])
    published = StringField("Published", validators=[Optional(), Length(max=200)])
    action = StringField()  # set by the button pressed: preview or save

    def source_meta(self) -> SourceMeta:
        return SourceMeta(
            title=self.title.data,
            publisher=self.publisher.data,
            url=self.url.data,
            author=self.author.data,
            language=self.language.data,
        )
