"""Form posts to service inputs: decode with msgspec, report problems beside the field."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")
_FIELD = re.compile(r"\$\.(\w+)")


class FormInvalid(Exception):
    """A form value could not be decoded; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def decode(cls: type[T], data: dict[str, Any]) -> T:
    """Convert form strings to the schema (numbers, dates, lists), refusing what does not fit."""
    cleaned = {k: v for k, v in data.items() if v not in ("", None, [])}
    try:
        return msgspec.convert(cleaned, cls, strict=False)
    except msgspec.ValidationError as exc:
        match = _FIELD.search(str(exc))
        raise FormInvalid(
            {match.group(1) if match else "_form": str(exc).split(" - at ")[0]}
        ) from None


async def form_dict(request: Any, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The posted form as a dict; the names in `lists` keep every value."""
    form = await request.form()
    out: dict[str, Any] = {k: form.get(k) for k in form if k not in lists and k != "_csrf_token"}
    for name in lists:
        out[name] = form.getall(name) if name in form else []
    return out
