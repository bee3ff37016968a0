"""Reading and writing the .xlsx files communities keep (openpyxl): one header row in Chinese,
then one row per record."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from marketplace.errors import InvalidInput

MAX_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(headers: Sequence[str], example: Sequence[object], title: str) -> bytes:
    """A workbook with the headers (bold, wide columns) and one example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(headers))
    ws.append(list(example))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, h in enumerate(headers):
        ws.column_dimensions[chr(ord("A") + i)].width = max(12, len(h) * 2 + 4)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed as a number comes back as 13812345678.0
    return str(value).strip()


def read_rows(content: bytes, headers: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {header: text}) for every non-empty row of the first sheet.
    Columns are found by their header, in any order; a missing required header is a 400."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(
            "This file is not an .xlsx workbook.", code="org_bad_file", field="file"
        ) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    first = next(rows, None) or ()
    found = {_text(h): i for i, h in enumerate(first) if _text(h)}
    missing = [h for h in headers if h not in found]
    if missing:
        wb.close()
        raise InvalidInput(
            "The sheet lacks the columns: " + ", ".join(missing),
            code="roster_missing_columns",
            field="file",
            columns="、".join(missing),
        )
    out = []
    for number, values in enumerate(rows, start=2):
        record = {h: _text(values[found[h]]) if found[h] < len(values) else "" for h in headers}
        if any(record.values()):
            out.append((number, record))
        if len(out) > MAX_ROWS:
            wb.close()
            raise InvalidInput(
                f"At most {MAX_ROWS} rows per file.",
                code="roster_too_many_rows",
                field="file",
                limit=MAX_ROWS,
            )
    wb.close()
    return out


def sheets(parts: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """A workbook of (title, headers, rows) sheets. Every cell is made safe (no formulas run)
    and lists or mappings are written as JSON text."""
    import msgspec

    from marketplace.security.text import csv_cell

    def cell(value: object) -> object:
        if isinstance(value, list | dict | tuple):
            value = msgspec.json.encode(value).decode()
        return csv_cell(value)

    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in parts:
        ws = wb.create_sheet(title)
        ws.append(list(headers))
        for cell_ in ws[1]:
            cell_.font = Font(bold=True)
        for row in rows:
            ws.append([cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
