"""Shared schema pieces: the base Struct that refuses unknown fields, and common types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import msgspec

if TYPE_CHECKING:
    from litestar import Request

Lat = Annotated[float, msgspec.Meta(ge=-90, le=90, description="latitude, WGS-84 degrees")]
Lng = Annotated[float, msgspec.Meta(ge=-180, le=180, description="longitude, WGS-84 degrees")]
Hours = Annotated[float, msgspec.Meta(gt=0, le=200, description="hours")]
# a title of spaces alone is no title: at least one character that is not a space
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]  # PostgreSQL serial's range


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Request bodies: a field the caller may not set (status, claimant, role...) is refused, and
    so is text with control or bidi-override characters, or of only spaces (400 naming the field)."""

    def __post_init__(self) -> None:
        from marketplace.security.text import check_fields

        check_fields(self)


class Output(msgspec.Struct, kw_only=True):
    """Response bodies."""


class Message(Output):
    """A confirmation: a stable code and its text in the reader's language."""

    code: str
    message: str


def told(request: Request[object, object, object], code: str, **params: object) -> Message:
    """The confirmation `code` in the request's language (Accept-Language, zh-CN by default)."""
    from marketplace import messages

    lang = messages.language(request.headers.get("accept-language"))
    return Message(code=code, message=messages.render(code, lang, params))
