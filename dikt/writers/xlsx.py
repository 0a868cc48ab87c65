"""Spreadsheets (xlsx, written with openpyxl): one sheet per table, numbers as numbers.

Amounts and counts are numeric cells with number formats (two decimals and
thousands separators for amounts, the currency where the document gives
one), percentages percent cells, dates date cells; the header row is frozen
and the columns fitted to their content. A totals row holds the values the
result gives (they equal the sums of their columns). Text cells are always
text: a name starting with ``=`` is shown, never run as a formula. The file
is the same bytes for the same document (no creation time).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from fractions import Fraction
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from dikt.document import Cell, Document, Kind, Table
from dikt.i18n import Texts, texts
from dikt.money import Money, fraction_text
from dikt.naming import Named
from dikt.writers._cells import header, people_rows, visible

__all__ = ["write"]

_AMOUNT_FORMAT: Final = "#,##0.00"
_PERCENT_FORMAT: Final = "0.00%"
_DATE_FORMAT: Final = "yyyy-mm-dd"
#: Characters a sheet name may not hold, and its length limit (Excel's).
_NOT_IN_SHEET_NAMES: Final = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LIMIT: Final = 31
_MODIFIED: Final = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
#: Fixed timestamps: the same document gives the same file.
_EPOCH: Final = dt.datetime(2000, 1, 1)


#: Numbers and their headers: right-aligned, kept a space away from the next column.
_NUMERIC: Final = Alignment(horizontal="right", indent=1)


def _number(value: Cell, kind: Kind, words: Texts) -> Decimal | float | int | str | dt.date | None:
    """A cell's value for the sheet: numbers as numbers, text as text."""
    if value is None:
        return None
    if isinstance(value, Money):
        # Written as the exact decimal text (openpyxl takes Decimal); never a float here.
        return value.to_decimal()
    if kind in (Kind.PERCENT, Kind.CHANGE_PERCENT) and isinstance(value, Fraction | int):
        return float(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return float(value) if value.denominator != 1 else int(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, Named):
        return visible(value.shown)
    return visible(words.term(value) if kind is Kind.TERM else str(value))


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _NOT_IN_SHEET_NAMES.sub("-", name)[:_SHEET_NAME_LIMIT] or "table"
    candidate, index = base, 2
    while candidate.lower() in taken:
        suffix = f" {index}"
        candidate = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        index += 1
    taken.add(candidate.lower())
    return candidate


def _sheet_title(table: Table, words: Texts) -> str:
    """The table's title, else its name in the language: ``linjer Sande`` for ``lines-sande``."""
    if table.title:
        return table.title
    parts = table.name.split("-")
    if table.sheet:  # "lines-royken": a word, then data, which people read as the sheet says
        return f"{words._(parts[0])} {table.sheet}"
    for end in range(len(parts), 0, -1):  # the longest part of the name with a translation
        head = "-".join(parts[:end])
        if words._(head) != head:
            return "-".join([words._(head), *parts[end:]])
    return table.name


def _fill(sheet: Worksheet, table: Table, words: Texts) -> None:
    kinds = [column.kind for column in table.columns]
    headers = [visible(header(column, words)) for column in table.columns]
    sheet.append(headers)
    for cell, kind in zip(sheet[1], kinds, strict=True):
        cell.font = Font(bold=True)
        if kind.numeric:  # over its numbers, as in every other format
            cell.alignment = _NUMERIC
    rows = people_rows(table)
    widths = [len(header) for header in headers]
    for index, (row, row_kinds) in enumerate(rows, start=2):
        for column, (value, kind) in enumerate(zip(row, row_kinds, strict=True), start=1):
            written = _number(value, kind, words)
            cell = sheet.cell(row=index, column=column)
            cell.value = written
            if kind.numeric:
                cell.alignment = _NUMERIC
            if isinstance(written, str):
                cell.data_type = "s"  # text stays text: never a formula
            elif kind in (Kind.AMOUNT, Kind.CHANGE):
                cell.number_format = _AMOUNT_FORMAT
            elif kind in (Kind.PERCENT, Kind.CHANGE_PERCENT):
                cell.number_format = _PERCENT_FORMAT
            elif kind is Kind.DATE:
                cell.number_format = _DATE_FORMAT
            if isinstance(written, str):
                shown = written
            else:
                shown = fraction_text(value) if isinstance(value, Fraction) else str(value or "")
            widths[column - 1] = max(widths[column - 1], len(shown) + (4 if kind.numeric else 0))
        if table.total is not None and index == len(rows) + 1:
            for cell in sheet[index]:
                cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 80)
    sheet.freeze_panes = "A2"
    # Printed, a table is as wide as the page and its header repeats on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"


def write(document: Document) -> bytes:
    """The document's tables as a workbook, one sheet each, as xlsx bytes."""
    workbook = Workbook()
    for sheet in list(workbook.worksheets):  # the empty default sheet
        workbook.remove(sheet)
    words = texts(document.language)
    taken: set[str] = set()
    tables = document.tables or (() if document.records is None else (document.records,))
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(_sheet_title(table, words), taken))
        _fill(sheet, table, words)
    workbook.properties.creator = "dikt"
    # Document properties are XML: what the title holds (a cooperation's name)
    # is written with control characters escaped, so the file stays valid.
    workbook.properties.title = visible(document.title) if document.title else document.title
    workbook.properties.created = _EPOCH
    workbook.properties.modified = _EPOCH
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _without_times(buffer.getvalue())


def _without_times(data: bytes) -> bytes:
    """The same zip archive with every entry dated 1980-01-01: the same bytes each time."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()
