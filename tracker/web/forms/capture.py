"""Adding a source by URL: the forms of tracker/web/capture.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.services.sources.ingest import FIELD_LIMITS


class UrlForm(FlaskForm):  # type: ignore[misc]
    page_url = StringField(
        "Page URL",
        validators=[DataRequired("Give the address of the page."), Length(max=2000)],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    url_publisher = StringField("Publisher", validators=[Length(max=FIELD_LIMITS["publisher"])])
