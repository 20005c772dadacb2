"""Domain errors. The web app maps each class to one HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a refusal with a message meant for the user."""

    status = 400


class Invalid(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Forbidden(DomainError):
    status = 403


class Throttled(DomainError):
    """Too many attempts: try again later (HTTP 429)."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
