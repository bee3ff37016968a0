"""Form posts to service inputs: every bad field at once, each beside its field; numbers typed
with a Chinese input method (full-width digits) are accepted."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from marketplace.validation import Problem, normalise_form, problems

T = TypeVar("T")


class FormInvalid(Exception):
    """Form values that do not fit the schema: every problem, each naming its field."""

    def __init__(self, found: list[Problem]) -> None:
        super().__init__(found)
        self.problems = found

    @property
    def errors(self) -> dict[str, str]:
        """field -> message code (the first problem of each field)."""
        out: dict[str, str] = {}
        for p in self.problems:
            out.setdefault(p.field, p.code)
        return out


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Blank values left out (the schema's default applies), numbers made ASCII."""
    return {k: normalise_form(v) for k, v in data.items() if v not in ("", None, [])}


def decode(cls: type[T], data: dict[str, Any]) -> T:
    """Convert form strings to the schema (numbers, dates, lists), refusing what does not fit
    with every problem at once."""
    cleaned = clean(data)
    found = problems(cls, cleaned, strict=False)
    if found:
        raise FormInvalid(found)
    try:
        return msgspec.convert(cleaned, cls, strict=False)
    except msgspec.ValidationError:  # a constraint the field-by-field pass did not model
        raise FormInvalid([Problem("_form", "invalid_input")]) from None


async def form_dict(request: Any, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The posted form as a dict; the names in `lists` keep every value."""
    form = await request.form()
    out: dict[str, Any] = {k: form.get(k) for k in form if k not in lists and k != "_csrf_token"}
    for name in lists:
        out[name] = form.getall(name) if name in form else []
    return out
