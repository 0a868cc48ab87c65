"""Spreadsheets (xlsx, written with openpyxl): one sheet per table, numbers as numbers.

Amounts and counts are numeric cells with number formats (two decimals and
thousands separators for amounts, thousands separators for quantities),
percentages percent cells, dates date cells; an exact fraction whose
decimals never end (``1740000000/473``) is that division as a formula. The
header row is frozen and the columns fitted to their content; long text
wraps in a column of at most :data:`TEXT_WIDTH`.

What a reader audits is a formula: a totals row's cell that is the sum of
its column is ``=SUM(...)`` over it, and a ``total`` column that is the sum
of the amounts before it in its row is ``=SUM(...)`` over them. Each formula
is written with its value cached, so that a viewer that does not calculate
shows the figure too; the values are the result's, which the formulas
reproduce exactly.

Printed, each sheet is landscape with its header row on every page and a
page header naming the document (the cooperation, the year, the currency)
and the sheet; a sheet is fitted to the page's width only where that keeps
its text readable, else to the fewest pages side by side that do, its first
column repeated on each.

Text cells are always text: a name starting with ``=`` is shown, never run
as a formula. The file is the same bytes for the same document (no creation
time).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
import zipfile
from decimal import Decimal
from fractions import Fraction
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as OpenpyxlCell, MergedCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooter, HeaderFooterItem, _HeaderFooterPart
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from dikt.document import Cell, Document, Kind, Table
from dikt.i18n import Texts, texts
from dikt.money import Money, fraction_text
from dikt.naming import Named
from dikt.writers._cells import header, people_rows, visible

__all__ = ["TEXT_WIDTH", "write"]

_AMOUNT_FORMAT: Final = "#,##0.00"
_PERCENT_FORMAT: Final = "0.00%"
_DATE_FORMAT: Final = "yyyy-mm-dd"
#: A whole quantity: thousands separated (the reader's locale decides the separator).
_QUANTITY_FORMAT: Final = "#,##0"
#: The decimals an exact fraction that never ends is shown with (as dikt's text does).
_FRACTION_PLACES: Final = 10
#: The significant digits a spreadsheet's number holds (a double's, as Excel shows it).
_DIGITS: Final = 15
#: The widest a text column is (in characters); longer text wraps inside it.
TEXT_WIDTH: Final = 50
#: The widest any column is.
_WIDEST: Final = 80
#: The codes of a printed page's header and footer: the sheet's name; "page 2 / 5".
_SHEET_NAME: Final = "&A"
_PAGE_OF_PAGES: Final = "&P / &N"
#: The height of a line of text in a row, in points (Excel's default row).
_LINE_HEIGHT: Final = 15
#: What fits across a landscape A4 page at 100 % (column widths in characters, as
#: openpyxl and Excel count them: some 7 pixels each and 5 for the margins, at 96
#: pixels an inch, on the 10.2 inches between the default margins).
_PAGE_PIXELS: Final = 10.2 * 96
#: Fitting a sheet to the page's width shrinks it no further than this: narrower
#: text is not read (the explain and join sheets were printed at a third of size).
_SMALLEST_SCALE: Final = 0.7
#: Characters a sheet name may not hold, and its length limit (Excel's).
_NOT_IN_SHEET_NAMES: Final = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LIMIT: Final = 31
_MODIFIED: Final = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
#: Fixed timestamps: the same document gives the same file.
_EPOCH: Final = dt.datetime(2000, 1, 1)


#: Numbers and their headers: right-aligned, kept a space away from the next column.
_NUMERIC: Final = Alignment(horizontal="right", indent=1)
#: Names and free text: wrapped inside their column, from the top of the row.
_WRAPPED: Final = Alignment(wrap_text=True, vertical="top")


def _terminates(value: Fraction) -> bool:
    """Whether the fraction's decimals end (its denominator has no prime but 2 and 5)."""
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    return rest == 1


def _places(value: Fraction) -> int:
    """How many decimals a terminating fraction has (3/8: 3)."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return places


def _number(value: Cell, kind: Kind, words: Texts) -> Decimal | float | int | str | dt.date | None:
    """A cell's value for the sheet: numbers as numbers (an exact fraction whose
    decimals never end as a formula dividing it), text as text."""
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
        if value.denominator == 1:
            return int(value)
        if not _terminates(value):
            return f"={value.numerator}/{value.denominator}"
        return float(value)
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


#: A formula's cached value, by sheet (0-based) and cell (``C12``).
Cached = dict[int, dict[str, Decimal | float | int]]


def _format(value: Cell, kind: Kind) -> str | None:
    """The number format of a numeric cell; None: the sheet's default."""
    if kind in (Kind.AMOUNT, Kind.CHANGE):
        return _AMOUNT_FORMAT
    if kind in (Kind.PERCENT, Kind.CHANGE_PERCENT):
        return _PERCENT_FORMAT
    if kind is Kind.DATE:
        return _DATE_FORMAT
    if kind in (Kind.COUNT, Kind.NUMBER):
        if isinstance(value, Fraction) and value.denominator != 1:
            # A spreadsheet holds some 15 significant digits: more decimals are noise.
            digits = len(str(abs(int(value))))
            most = max(2, min(_FRACTION_PLACES, _DIGITS - digits))
            places = min(_places(value), most) if _terminates(value) else most
            return f"{_QUANTITY_FORMAT}.{'0' * places}"
        return _QUANTITY_FORMAT
    return None


def _exact(value: Cell) -> Fraction | None:
    """A numeric cell's exact value (Money in kroner), None if it is no number."""
    if isinstance(value, Money):
        return Fraction(value.to_decimal())
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return Fraction(value)
    return None


def _sums(table: Table) -> dict[int, str]:
    """The columns whose totals row is the sum of the column: their letters."""
    if table.total is None or not table.rows:
        return {}
    found = {}
    for index, column in enumerate(table.columns):
        if column.kind not in (Kind.AMOUNT, Kind.CHANGE, Kind.COUNT, Kind.NUMBER):
            continue
        total = _exact(table.total[index])
        values = [row[index] for row in table.rows]
        exact = [_exact(value) for value in values]
        if total is None or any(
            v is None and x is not None for v, x in zip(exact, values, strict=True)
        ):
            continue
        if sum(v for v in exact if v is not None) == total:
            found[index] = get_column_letter(index + 1)
    return found


def _row_total(table: Table) -> tuple[int, list[int]] | None:
    """The ``total`` column that, in every row, is the sum of the amounts before it:
    its index and those columns'."""
    headers = [column.header for column in table.columns]
    if "total" not in headers:
        return None
    index = headers.index("total")
    if table.columns[index].kind is not Kind.AMOUNT:
        return None
    parts = [i for i in range(index) if table.columns[i].kind is Kind.AMOUNT]
    rows = [*table.rows, *(() if table.total is None else (table.total,))]
    if len(parts) < 2 or not rows:  # a sum of one is no sum
        return None
    for row in rows:
        total = _exact(row[index])
        summed = [_exact(row[i]) for i in parts]
        if total is None or total != sum(v for v in summed if v is not None):
            return None
    return index, parts


def _sum_formula(letters: list[str], row: int) -> str:
    """``=SUM(B5:G5)`` over neighbouring columns, else ``=SUM(B5,D5,F5)``."""
    columns = [column_index_from_string(letter) for letter in letters]
    if columns == list(range(columns[0], columns[-1] + 1)):
        return f"=SUM({letters[0]}{row}:{letters[-1]}{row})"
    return "=SUM(" + ",".join(f"{letter}{row}" for letter in letters) + ")"


def _fill(sheet: Worksheet, table: Table, words: Texts) -> dict[str, Decimal | float | int]:
    """The table in the sheet; the cached values of its formulas, by cell."""
    kinds = [column.kind for column in table.columns]
    headers = [visible(header(column, words)) for column in table.columns]
    sheet.append(headers)
    for cell, kind in zip(sheet[1], kinds, strict=True):
        cell.font = Font(bold=True)
        if kind.numeric:  # over its numbers, as in every other format
            cell.alignment = _NUMERIC
    rows = people_rows(table)
    last = len(rows) + 1
    sums = _sums(table)
    across = _row_total(table)
    cached: dict[str, Decimal | float | int] = {}
    widths = [len(header) for header in headers]
    for index, (row, row_kinds) in enumerate(rows, start=2):
        totals = table.total is not None and index == last
        for column, (value, kind) in enumerate(zip(row, row_kinds, strict=True)):
            formula = None
            if totals and column in sums and index > 2:  # a row above to sum
                formula = f"=SUM({sums[column]}2:{sums[column]}{index - 1})"
            elif across is not None and column == across[0]:
                formula = _sum_formula([get_column_letter(i + 1) for i in across[1]], index)
            cell = sheet.cell(row=index, column=column + 1)
            shown, value_of_formula = _write_cell(cell, value, kind, words, formula)
            if value_of_formula is not None:
                cached[cell.coordinate] = value_of_formula
            widths[column] = max(widths[column], len(shown))
            if totals:
                cell.font = Font(bold=True)
    for column, (width, kind) in enumerate(zip(widths, kinds, strict=True)):
        widths[column] = min(width + 2, TEXT_WIDTH if kind.wraps else _WIDEST)
        sheet.column_dimensions[get_column_letter(column + 1)].width = widths[column]
    _heights(sheet, kinds, widths)
    sheet.freeze_panes = "A2"
    _print_setup(sheet, widths)
    return cached


def _heights(sheet: Worksheet, kinds: list[Kind], widths: list[int]) -> None:
    """Rows whose wrapped text takes more than a line are as tall as it: viewers
    and printers do not all measure wrapped text themselves (LibreOffice does not
    when it prints), and lines laid over the next row cannot be read."""
    wrapped = [column for column, kind in enumerate(kinds) if kind.wraps]
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        lines = max(
            (
                len(textwrap.wrap(str(row[column].value), max(widths[column] - 2, 1)))
                for column in wrapped
                if row[column].value
            ),
            default=1,
        )
        if lines > 1:
            sheet.row_dimensions[number].height = _LINE_HEIGHT * lines


def _write_cell(
    cell: OpenpyxlCell | MergedCell, value: Cell, kind: Kind, words: Texts, formula: str | None
) -> tuple[str, Decimal | float | int | None]:
    """One cell: its value (or ``formula``), alignment and number format; the text it
    shows (for the column's width) and, for a formula, its value to cache."""
    written = _number(value, kind, words)
    if kind.numeric:
        cell.alignment = _NUMERIC
    elif kind.wraps:
        cell.alignment = _WRAPPED
    if formula is None and isinstance(written, str) and written.startswith("=") and kind.numeric:
        formula = written  # an exact fraction, divided
    if formula is not None:
        cell.value = formula
        result = float(value) if isinstance(value, Fraction) else written
        assert isinstance(result, Decimal | float | int)
    else:
        cell.value = written
        result = None
        if isinstance(written, str):
            cell.data_type = "s"  # text stays text: never a formula
    number_format = _format(value, kind)
    if number_format is not None and not (isinstance(written, str) and formula is None):
        cell.number_format = number_format
    if isinstance(value, Fraction):
        shown = fraction_text(value).lstrip("~")
    elif isinstance(written, str):
        shown = written
    else:
        shown = str(value or "")
    if kind.numeric:  # room for the thousands separators and the indent
        shown += " " * max(4, len(shown) // 3 + 1)
    return shown, result


def _print_setup(sheet: Worksheet, widths: list[int]) -> None:
    """Landscape A4, the header row on every page; as wide as the fewest pages that
    keep the text readable (one for most sheets), a wider sheet's pages side by side
    (across, then down), its first column repeated on each."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    pixels = sum(7 * width + 5 for width in widths)
    pages = max(1, math.ceil(pixels * _SMALLEST_SCALE / _PAGE_PIXELS))
    sheet.page_setup.fitToWidth = pages
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if pages > 1:
        sheet.page_setup.pageOrder = "overThenDown"
        sheet.print_title_cols = "A:A"


def _page_header(sheet: Worksheet, title: str) -> None:
    """The printed page's header: the document (cooperation, year, currency) and
    the sheet; its footer the page number."""
    # In a header, "&" starts a code: a literal one is doubled.
    sheet.HeaderFooter = HeaderFooter(
        oddHeader=HeaderFooterItem(
            left=_HeaderFooterPart(text=title.replace("&", "&&") or None),
            right=_HeaderFooterPart(text=_SHEET_NAME),
        ),
        oddFooter=HeaderFooterItem(right=_HeaderFooterPart(text=_PAGE_OF_PAGES)),
    )


def write(document: Document) -> bytes:
    """The document's tables as a workbook, one sheet each, as xlsx bytes."""
    workbook = Workbook()
    for sheet in list(workbook.worksheets):  # the empty default sheet
        workbook.remove(sheet)
    words = texts(document.language)
    taken: set[str] = set()
    tables = document.tables or (() if document.records is None else (document.records,))
    cached: Cached = {}
    # Document properties and page headers are XML: what the title holds (a
    # cooperation's name) is written with control characters escaped.
    title = visible(document.title) if document.title else document.title
    for number, table in enumerate(tables):
        sheet = workbook.create_sheet(_sheet_name(_sheet_title(table, words), taken))
        cached[number] = _fill(sheet, table, words)
        _page_header(sheet, title or "")
    workbook.properties.creator = "dikt"
    workbook.properties.title = title
    workbook.properties.created = _EPOCH
    workbook.properties.modified = _EPOCH
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _without_times(buffer.getvalue(), cached)


#: A formula cell as openpyxl writes it, its value empty.
_FORMULA_CELL: Final = re.compile(
    rb'(<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f>[^<]*</f>\s*)<v\s*(?:/>|>\s*</v>)'
)
_SHEET_FILE: Final = re.compile(r"xl/worksheets/sheet([0-9]+)\.xml")


def _with_values(content: bytes, values: dict[str, Decimal | float | int]) -> bytes:
    """A sheet's XML with each formula's value cached (openpyxl writes none)."""

    def cache(match: re.Match[bytes]) -> bytes:
        value = values.get(match.group(2).decode())
        if value is None:
            return match.group(0)
        text = repr(value) if isinstance(value, float) else str(value)
        return match.group(1) + b"<v>" + text.encode() + b"</v>"

    return _FORMULA_CELL.sub(cache, content)


def _without_times(data: bytes, cached: Cached | None = None) -> bytes:
    """The same zip archive with every entry dated 1980-01-01: the same bytes each time;
    ``cached``: the values of formulas, by sheet, written beside them."""
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
            sheet = _SHEET_FILE.fullmatch(info.filename)
            if cached and sheet is not None and cached.get(int(sheet.group(1)) - 1):
                content = _with_values(content, cached[int(sheet.group(1)) - 1])
            target.writestr(fixed, content)
    return out.getvalue()
