"""Form posts to service inputs: every bad field at once, each beside its field; numbers typed
with a Chinese input method (full-width digits) are accepted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from marketplace.errors import DomainError
from marketplace.validation import Problem, normalise_form, problems, required_code

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


def blank(data: dict[str, Any], *names: str) -> list[Problem]:
    """A problem for each of `names` left blank or only spaces (请填写… / 请选择…)."""
    return [Problem(n, required_code(n)) for n in names if not str(data.get(n) or "").strip()]


def rule(check: Callable[[], object]) -> list[Problem]:
    """A pure rule's refusal (a DomainError) as one of the form's problems, or none: the checks
    a form can make before spending anything (a code's try, a row) are all run, not stopped at
    the first."""
    try:
        check()
    except DomainError as exc:
        return [Problem(exc.field or "_form", exc.code, dict(exc.params))]
    return []


def refuse(found: list[Problem]) -> None:
    """Raise every problem found at once (each shown beside its field by field_errors)."""
    if found:
        raise FormInvalid(found)


def sent_back(
    form: object = None, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """A refused form to show again on its page: which one (a name, or the id of the item it
    acts on), what was typed (never a password) and each refusal beside its field (as
    field_errors gives them). `sent_back()` is no form sent back."""
    return {"form": form, "values": values or {}, "errors": errors or {}}


async def form_dict(request: Any, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The posted form as a dict; the names in `lists` keep every value."""
    form = await request.form()
    out: dict[str, Any] = {k: form.get(k) for k in form if k not in lists and k != "_csrf_token"}
    for name in lists:
        out[name] = form.getall(name) if name in form else []
    return out
