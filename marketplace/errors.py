"""Domain errors, each mapped to one HTTP status in one place (see app.py).

Every error carries a stable `code` (what the pages and API clients branch on), the `field` it
concerns when there is one, and `params` for the message. The API answers
`{status_code, code, message, field, errors: [{field, code, message}]}`.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a person can act on; `status_code` is how HTTP reports it."""

    status_code = 400
    default_code = "invalid_input"

    def __init__(
        self, message: str, *, code: str | None = None, field: str | None = None, **params: object
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.params = params


class InvalidInput(DomainError):
    """The request is well-formed but a value is not acceptable."""

    status_code = 400
    default_code = "invalid_input"


class NotAuthenticated(DomainError):
    """No session, or it has ended."""

    status_code = 401
    default_code = "not_authenticated"


class Forbidden(DomainError):
    """The caller may see the object but not do this to it."""

    status_code = 403
    default_code = "forbidden"


class NotFound(DomainError):
    """No such object, or the caller may not see it (never leak which)."""

    status_code = 404
    default_code = "not_found"


class Conflict(DomainError):
    """The object's state refuses the change (a transition that is not allowed, a lost race)."""

    status_code = 409
    default_code = "conflict"


class TooManyRequests(DomainError):
    """Rate limited."""

    status_code = 429
    default_code = "too_many_requests"
