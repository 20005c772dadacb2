"""Personal API tokens: issued and revoked by admins, used as ``Authorization: Bearer ...``.

Only the SHA-256 of a token is stored. A token is 256 random bits, so a fast, unsalted hash
is enough: nobody can search that space, and a lookup by hash is one indexed query per
request (a slow password hash would only cost time on every API call)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models.types import Role, UTCDateTime, str_enum, utcnow
from tracker.models.user import User


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    # hex SHA-256 of the whole token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters ("trk_" and 8 more), to recognise it in lists.
    prefix: Mapped[str] = mapped_column(String(16))
    # The most the token may do; a token of a user never does more than the user's own role.
    role: Mapped[Role] = mapped_column(str_enum(Role, "api_token_role"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(200))  # the issuing admin (audit actor)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(200))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
