"""Pagination for list pages: one COUNT and one LIMIT/OFFSET query per page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PER_PAGE = 200


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number(raw: Any) -> int:
    """A page number from a query argument: anything that is not a positive integer is 1."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return 1
    return value if 1 <= value <= 1_000_000 else 1


def paginate(session: Session, query: Select[Any], page: int, per_page: int = 50) -> Page[Any]:
    """One page of ``query`` (which must be ordered), and the total row count.

    ``query`` selects one ORM entity or one column; eager loads belong on the query."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = int(
        session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)
