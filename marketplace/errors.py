"""Domain errors, each mapped to one HTTP status in one place (see app.py)."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a person can act on; `status_code` is how HTTP reports it."""

    status_code = 400

    def __init__(self, message: str, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class InvalidInput(DomainError):
    """The request is well-formed but a value is not acceptable."""

    status_code = 400


class NotAuthenticated(DomainError):
    """No session, or it has ended."""

    status_code = 401


class Forbidden(DomainError):
    """The caller may see the object but not do this to it."""

    status_code = 403


class NotFound(DomainError):
    """No such object, or the caller may not see it (never leak which)."""

    status_code = 404


class Conflict(DomainError):
    """The object's state refuses the change (a transition that is not allowed, a lost race)."""

    status_code = 409


class TooManyRequests(DomainError):
    """Rate limited."""

    status_code = 429
