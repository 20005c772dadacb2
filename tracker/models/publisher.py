"""Publishers: the outlets sources come from, matched by name or web domain, and their AI flag."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base
from tracker.models.types import UTCDateTime, utcnow


class Publisher(Base):
    __tablename__ = "publishers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # the display name
    # casefolded, punctuation removed, spaces collapsed: "Geo-Politika " -> "geo politika"
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    domain: Mapped[str | None] = mapped_column(String(253), unique=True)  # "geopolitika.no"
    # A publisher known to publish AI-generated text: its new sources start "suspected".
    ai_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    ai_flag_reason: Mapped[str | None] = mapped_column(Text)
    ai_flag_by: Mapped[str | None] = mapped_column(String(200))
    ai_flag_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
