"""Input hygiene and output escaping for text: pure functions.

Text people type is refused when it holds control characters (NUL and the like) or the
bidirectional overrides that make a title read differently from what it is (Trojan Source), or
when it is only spaces; spreadsheet exports neutralise cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import re

from marketplace.errors import InvalidInput

# C0 controls except tab, newline and carriage return; DEL; C1 controls; the bidi embeddings,
# overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the directional marks.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]"
)
# Characters that show nothing: a text made only of these and spaces is blank.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
# Fields whose value is a secret, checked by the login itself (never echoed, never stored).
EXEMPT_FIELDS = frozenset({"password"})


def check_text(value: str, field: str) -> None:
    """Refuse control and bidi-override characters anywhere, and a text of only spaces."""
    if _FORBIDDEN.search(value):
        raise InvalidInput(
            f"{field} contains control or text-direction characters that are not allowed.",
            code="security_text_control",
            field=field,
            name=field,
        )
    if value and not _INVISIBLE.sub("", value).strip():
        raise InvalidInput(
            f"{field} cannot be only spaces.", code="security_text_blank", field=field, name=field
        )


def check_fields(struct: object) -> None:
    """Check every text (and list of texts) of a request body, naming the field at fault."""
    for name in getattr(struct, "__struct_fields__", ()):
        if name in EXEMPT_FIELDS:
            continue
        value = getattr(struct, name)
        if isinstance(value, str):
            check_text(value, name)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    check_text(item, name)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value safe for a spreadsheet: text starting with = + - @ (or tab/CR) gets a leading
    apostrophe, so Excel and WPS show it as text instead of running it (OWASP CSV injection).
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer whose every cell goes through csv_cell: use it for every export."""

    def __init__(self, stream: object) -> None:
        import csv

        self._writer = csv.writer(stream)  # type: ignore[arg-type]

    def writerow(self, row: list) -> None:
        self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: list[list]) -> None:
        for row in rows:
            self.writerow(row)
