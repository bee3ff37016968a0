"""Every bad field of an input at once, each as a code with parameters (rendered in the reader's
language by marketplace.messages).

msgspec stops at the first error and words it for programmers ("Expected `float` <= 90.0 -
at `$.lat`"). This pass walks the Struct's fields over the raw input instead, checks each value
against the field's type and its Meta constraints, and says what is wrong in the schema's own
terms: "required", "range" (min, max), "too_long" (max)... The API's validation handler and the
pages' form decoder both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

import msgspec
from msgspec import inspect as mi

from marketplace.core.fields import CHOSEN


@dataclass(frozen=True)
class Problem:
    """One bad field: where, what (a message code), and the figures the message needs."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９．－＋"}
_FULL_WIDTH.update({0x3000: 0x20, 0x3002: 0x2E})  # ideographic space, full stop


def half_width(text: str) -> str:
    """Full-width digits, signs and spaces as ASCII ("１２.５" -> "12.5"), for numbers typed with
    a Chinese input method; other text is left as it is."""
    return text.translate(_FULL_WIDTH)


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _plain(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _bare(info: mi.Type) -> mi.Type:
    """The type under its documentation (Meta with a description wraps it in Metadata)."""
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def _without_none(info: mi.Type) -> tuple[mi.Type, bool]:
    """The type a value must have when present, and whether null is allowed."""
    info = _bare(info)
    if isinstance(info, mi.UnionType):
        rest = [_bare(t) for t in info.types if not isinstance(t, mi.NoneType)]
        nullable = len(rest) < len(info.types)
        if len(rest) == 1:
            return rest[0], nullable
        return info, nullable
    return info, False


def _number_problem(name: str, info: mi.FloatType | mi.IntType, value: Any) -> Problem:
    kind = "integer" if isinstance(info, mi.IntType) else "number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Problem(name, f"validation_not_{kind}")
    low = info.ge if info.ge is not None else info.gt
    high = info.le if info.le is not None else info.lt
    if kind == "integer" and isinstance(value, float) and not value.is_integer():
        return Problem(name, "validation_not_integer")
    if low is not None and high is not None:
        code = "validation_range_above" if info.ge is None else "validation_range"
        return Problem(name, code, {"min": _plain(low), "max": _plain(high)})
    if info.gt is not None:
        return Problem(name, "validation_above", {"min": _plain(info.gt)})
    if info.ge is not None:
        return Problem(name, "validation_at_least", {"min": _plain(info.ge)})
    if info.lt is not None:
        return Problem(name, "validation_below", {"max": _plain(info.lt)})
    if info.le is not None:
        return Problem(name, "validation_at_most", {"max": _plain(info.le)})
    return Problem(name, f"validation_not_{kind}")


def _str_problem(name: str, info: mi.StrType, value: Any) -> Problem:
    if not isinstance(value, str):
        return Problem(name, "validation_not_text")
    if info.min_length and not value.strip():
        return Problem(name, "validation_required")
    if info.min_length is not None and len(value) < info.min_length:
        return Problem(name, "validation_too_short", {"min": info.min_length})
    if info.max_length is not None and len(value) > info.max_length:
        return Problem(name, "validation_too_long", {"max": info.max_length})
    return Problem(name, "validation_format")


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


def required_code(name: str) -> str:
    """The message code for a missing value: 请选择 for a choice, else 请填写."""
    return "validation_choose" if name in CHOSEN else "validation_required"


@dataclass
class _Checker:
    strict: bool
    problems: list[Problem] = field(default_factory=list)

    def field(self, name: str, annotation: Any, value: Any) -> None:
        info = mi.type_info(annotation)
        inner, nullable = _without_none(info)
        if value is None:
            if not nullable:
                self.problems.append(Problem(name, required_code(name)))
            return
        if isinstance(inner, mi.StrType) and inner.min_length and _blank(value):
            self.problems.append(Problem(name, required_code(name)))  # spaces alone are no answer
            return
        try:
            msgspec.convert(value, annotation, strict=self.strict)
            return
        except msgspec.ValidationError:
            pass
        self.problems.append(_classify(name, inner, value, self.strict))


def _classify(name: str, inner: mi.Type, value: Any, strict: bool) -> Problem:
    if isinstance(inner, mi.FloatType | mi.IntType):
        if isinstance(value, str) and not strict:
            try:
                value = float(value)
            except ValueError:
                kind = "integer" if isinstance(inner, mi.IntType) else "number"
                return Problem(name, f"validation_not_{kind}")
        return _number_problem(name, inner, value)
    if isinstance(inner, mi.StrType):
        return _str_problem(name, inner, value)
    if isinstance(inner, mi.ListType | mi.SetType | mi.FrozenSetType):
        if not isinstance(value, list | tuple | set):
            return Problem(name, "validation_not_list")
        if inner.max_length is not None and len(value) > inner.max_length:
            return Problem(name, "validation_too_many", {"max": inner.max_length})
        if inner.min_length is not None and len(value) < inner.min_length:
            return Problem(name, "validation_required")
        item = _bare(inner.item_type)
        for v in value:
            if isinstance(item, mi.StrType) and isinstance(v, str):
                if item.min_length and not v.strip():
                    return Problem(name, "validation_item_blank")
                if item.max_length is not None and len(v) > item.max_length:
                    return Problem(name, "validation_item_too_long", {"max": item.max_length})
        return Problem(name, "validation_item_invalid")
    if isinstance(inner, mi.DateType):
        return Problem(name, "validation_not_date")
    if isinstance(inner, mi.DateTimeType):
        return Problem(name, "validation_not_datetime")
    if isinstance(inner, mi.BoolType):
        return Problem(name, "validation_not_yes_no")
    if isinstance(inner, mi.LiteralType | mi.EnumType):
        return Problem(name, "validation_choice")
    return Problem(name, "validation_invalid")


def problems(cls: type, raw: Any, *, strict: bool = True) -> list[Problem]:
    """Every problem of `raw` (a decoded JSON object or a form dict) against the Struct `cls`:
    missing required fields, unknown fields (where the Struct forbids them), and each present
    field's type and constraints. An empty list means msgspec would accept it."""
    if not isinstance(raw, dict):
        return [Problem("_body", "validation_not_object")]
    checker = _Checker(strict=strict)
    fields = msgspec.structs.fields(cls)
    known = {f.encode_name for f in fields}
    for f in fields:
        if f.encode_name not in raw:
            if f.required:
                checker.problems.append(Problem(f.encode_name, required_code(f.encode_name)))
            continue
        checker.field(f.encode_name, f.type, raw[f.encode_name])
    if getattr(getattr(cls, "__struct_config__", None), "forbid_unknown_fields", False):
        for name in raw:
            if name not in known:
                checker.problems.append(Problem(str(name), "validation_unknown_field"))
    return checker.problems


def normalise_form(value: Any) -> Any:
    """A typed form value as the decoder should see it: a number typed with a Chinese input
    method ("１２．５", full-width) becomes ASCII; any other text keeps what was typed."""
    if isinstance(value, str):
        converted = half_width(value).strip()
        return converted if _NUMBER.fullmatch(converted) else value
    if isinstance(value, list):
        return [normalise_form(v) for v in value]
    return value


def _query_problem(request: Any, name: str, raw: Any) -> Problem:
    """A bad query or path parameter, classified against its declared type and bounds."""
    parameter = request.route_handler.parsed_fn_signature.parameters.get(name)
    if parameter is None:
        return Problem(name, "validation_invalid")
    bounds = getattr(parameter, "kwarg_definition", None)
    limits = {
        k: getattr(bounds, k, None)
        for k in ("ge", "gt", "le", "lt", "min_length", "max_length")
        if getattr(bounds, k, None) is not None
    }
    annotation = parameter.annotation
    if limits:
        annotation = Annotated[annotation, msgspec.Meta(**limits)]  # type: ignore[valid-type]
    found = _Checker(strict=False)
    found.field(name, annotation, raw)
    return found.problems[0] if found.problems else Problem(name, "validation_invalid")


def request_problems(request: Any, reported: list[dict]) -> list[Problem]:
    """Every bad field of a request Litestar refused: the body checked field by field against
    its Struct (msgspec reports only the first), query and path parameters against their
    declared types and bounds."""
    found: list[Problem] = []
    data = request.route_handler.parsed_data_field
    body = request._connection_state.body  # read and kept by Litestar before it decoded it
    body_type = getattr(data, "annotation", None) if data is not None else None
    if (
        isinstance(body, bytes)
        and isinstance(body_type, type)
        and issubclass(body_type, msgspec.Struct)
    ):
        try:
            raw = msgspec.json.decode(body)
        except msgspec.DecodeError:
            found.append(Problem("_body", "validation_not_json"))
        else:
            found.extend(problems(body_type, raw))
    params = {**request.query_params, **request.path_params}
    for error in reported:
        key = error.get("key")
        if error.get("source") in ("query", "path") and key:
            found.append(_query_problem(request, key, params.get(key)))
    return found
