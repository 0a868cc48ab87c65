"""The workbook writer on small documents made by hand: each cell's value and format,
the sheets' names, the widths, the document's properties.

dikt/writers/xlsx.py's contract (docs/spec-format.md, "Output"): numbers as numbers
(amounts with two decimals and thousands separators, percentages as percent cells,
dates as date cells), text always text, one sheet per table named as the table (a
sheet name as Excel allows it), the header row frozen and bold, the totals row bold,
the columns fitted to their content, the same bytes for the same document.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from fractions import Fraction

import openpyxl

from dikt import Money
from dikt.document import Document, Kind, Table, table
from dikt.naming import Named
from dikt.writers import xlsx


def _book(
    *tables: Table, title: str = "T", language: str = "en", values: bool = False
) -> openpyxl.Workbook:
    """The workbook of the tables; with ``values``, formulas read as their cached values."""
    document = Document(title=title, blocks=tables, language=language)
    return openpyxl.load_workbook(io.BytesIO(xlsx.write(document)), data_only=values)


def test_each_kind_of_cell_is_written_as_its_kind() -> None:
    sheet = _book(
        table(
            "cells",
            [
                ("member", Kind.ID),
                ("amount", Kind.AMOUNT),
                ("change", Kind.CHANGE),
                ("share", Kind.PERCENT),
                ("change %", Kind.CHANGE_PERCENT),
                ("users", Kind.COUNT),
                ("quantity", Kind.NUMBER),
                ("from", Kind.DATE),
                ("kind", Kind.TERM),
                ("note", Kind.TEXT),
            ],
            [
                (
                    Named("sande", "Sande kommune"),
                    Money(123456),
                    Money(-5),
                    Fraction(1, 8),
                    1,
                    7,
                    Fraction(5, 2),
                    dt.date(2012, 1, 1),
                    "base",
                    "=1+1",
                ),
                (None, None, None, None, None, 0, Fraction(4), None, "application", "\x1b[31m"),
            ],
        )
    )["cells"]
    first = [cell.value for cell in sheet[2]]
    assert first == [
        "Sande kommune",  # people read a member by its name
        1234.56,
        -0.05,
        0.125,
        1,
        7,
        2.5,
        dt.datetime(2012, 1, 1),
        "base",  # a term as people read it (in English, as it is)
        "=1+1",
    ]
    assert [cell.value for cell in sheet[3]] == [
        None,
        None,
        None,
        None,
        None,
        0,
        4,  # a whole fraction is a whole number
        None,
        "application",
        "\\x1b[31m",  # a control character shown, not sent
    ]
    assert isinstance(sheet.cell(3, 7).value, int)
    formats = [cell.number_format for cell in sheet[2]]
    assert formats[1:5] == ["#,##0.00", "#,##0.00", "0.00%", "0.00%"]
    assert formats[7] == "yyyy-mm-dd"
    # Quantities with thousands separators, a fraction with its decimals.
    assert formats[5:7] == ["#,##0", "#,##0.0"]
    assert sheet.cell(3, 7).number_format == "#,##0"
    assert all(cell.data_type == "s" for cell in (sheet.cell(2, 1), sheet.cell(2, 10)))
    # Numbers and their headers to the right, text to the left.
    assert [cell.alignment.horizontal for cell in sheet[1]] == [None, *["right"] * 6, *[None] * 3]
    assert [cell.alignment.horizontal for cell in sheet[2]] == [None, *["right"] * 6, *[None] * 3]
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])


def test_an_amount_is_the_exact_decimal_and_a_flag_is_text() -> None:
    sheet = _book(table("x", [("amount", Kind.AMOUNT), ("flag", Kind.TEXT)], [(Money(10), True)]))[
        "x"
    ]
    assert sheet.cell(2, 1).value == 0.1
    assert sheet.cell(2, 2).value == "True"
    assert sheet.cell(2, 2).data_type == "s"


def test_the_totals_row_is_bold_and_reads_total() -> None:
    sheet = _book(
        table(
            "sums",
            [("member", Kind.ID), ("amount", Kind.AMOUNT)],
            [("a", Money(100)), ("b", Money(250))],
            total=("total", Money(350)),
        )
    )["sums"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["member", "amount"],
        ["a", 1.0],
        ["b", 2.5],
        ["total", "=SUM(B2:B3)"],
    ]
    assert [all(cell.font.bold for cell in row) for row in sheet.iter_rows()] == [
        True,
        False,
        False,
        True,
    ]


def test_sheet_names_are_what_excel_allows_and_never_twice() -> None:
    empty = [("n", Kind.COUNT)]
    book = _book(
        table("a/b:c*d?e[f]g\\h", empty, []),
        table("x" * 40, empty, []),
        table("X" * 40, empty, []),  # the same name but for case, to Excel
        table("x" * 40, empty, []),
        table("lines", empty, []),
        table("Lines", empty, []),
        table("", empty, []),
    )
    assert book.sheetnames == [
        "a-b-c-d-e-f-g-h",
        "x" * 31,
        "X" * 29 + " 2",
        "x" * 29 + " 3",
        "lines",
        "Lines 2",
        "table",
    ]


def test_a_sheet_is_named_by_its_title_else_its_name_in_the_language() -> None:
    empty = [("n", Kind.COUNT)]
    book = _book(
        table("lines-sande", [("kind", Kind.TERM)], [("base",)]),
        table("totals-by-kind", empty, []),
        table("unknown-words", empty, []),
        table("members", empty, [], title="Who pays"),
        language="nb",
    )
    assert book.sheetnames == ["linjer-sande", "sum-etter-type", "unknown-words", "Who pays"]
    assert book["linjer-sande"].cell(2, 1).value == "grunnpakke"  # a term, in bokmål
    assert book["unknown-words"].cell(1, 1).value == "n"


def test_columns_are_fitted_to_their_content_up_to_a_limit() -> None:
    sheet = _book(
        table(
            "w",
            [("id", Kind.ID), ("amount", Kind.AMOUNT), ("note", Kind.TEXT), ("n", Kind.NUMBER)],
            [
                ("a-long-identifier", Money(123456789), "x" * 200, Fraction(1, 3)),
                ("b", None, "y", 0),
            ],
        )
    )["w"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    # Text: its length and a margin of 2; numbers a third more, at least 4, for
    # separators and the indent (1234567.89 is shown 1,234,567.89); free text
    # never wider than 50 (it wraps), the rest never wider than 80.
    assert widths == [17 + 2, 10 + 4 + 2, 50, 12 + 5 + 2]
    assert sheet.cell(2, 3).alignment.wrap_text
    assert sheet.row_dimensions[2].height == 15 * 5  # 200 characters in lines of 48


def test_the_workbook_says_who_made_it_and_its_title_safely() -> None:
    document = Document(title="Sande\r\x1b", blocks=(table("x", [("n", Kind.COUNT)], [(1,)]),))
    data = xlsx.write(document)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.properties.creator == "dikt"
    assert book.properties.title == "Sande\\r\\x1b"
    assert book.properties.created == dt.datetime(2000, 1, 1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
        core = archive.read("docProps/core.xml")
    # The document's properties, every one of them: no time of saving.
    assert core == (
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        b"<dc:creator>dikt</dc:creator><dc:title>Sande\\r\\x1b</dc:title>"
        b'<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
        b'<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
        b"</cp:coreProperties>"
    )
    untitled = Document(title="", blocks=(table("x", [("n", Kind.COUNT)], [(1,)]),))
    assert openpyxl.load_workbook(io.BytesIO(xlsx.write(untitled))).properties.title is None


def test_records_are_the_sheet_when_there_are_no_tables() -> None:
    records = table("records", [("amount", Kind.AMOUNT)], [(Money(1),)])
    document = Document(title="T", blocks=(), records=records)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.write(document)))
    assert book.sheetnames == ["records"]
    assert book["records"].cell(2, 1).value == 0.01


def test_an_empty_cell_is_as_wide_as_nothing() -> None:
    # A number column headed "n" with no values: the header's width, or the four of a
    # number's separators and indent; an empty cell adds nothing.
    sheet = _book(table("e", [("n", Kind.COUNT), ("m", Kind.AMOUNT)], [(None, None)]))["e"]
    assert [sheet.column_dimensions[letter].width for letter in "AB"] == [4 + 2, 4 + 2]


def test_only_a_term_is_translated_never_a_name_or_a_text() -> None:
    sheet = _book(
        table(
            "t",
            [("kind", Kind.TERM), ("name", Kind.NAME), ("note", Kind.TEXT)],
            [("member", "member", "base")],
        ),
        language="nb",
    )["t"]
    assert [cell.value for cell in sheet[2]] == ["medlem", "member", "base"]
