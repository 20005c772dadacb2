"""Domain errors: refusals with a message meant for the user. They know nothing of HTTP: the web
pages (tracker/web/errors.py) and the API (tracker/api/problems.py) each map every class to a
status code in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a refusal with a message meant for the user."""


class Invalid(DomainError):
    """Bad input: the value is refused and nothing changes."""


class NotFound(DomainError):
    """No such record."""


class Conflict(DomainError):
    """The request conflicts with the stored state (a duplicate, a stale version)."""


class Forbidden(DomainError):
    """The actor may not do this."""


class Throttled(DomainError):
    """Too many attempts: try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
