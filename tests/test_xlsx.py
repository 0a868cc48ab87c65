"""Workbooks: read back with openpyxl, every number equal to the JSON of the same command."""

from __future__ import annotations

import datetime as dt
import io
import json
import types
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import openpyxl
import openpyxl.packaging.core
import openpyxl.writer.excel
import pytest
from openpyxl.utils import get_column_letter

import dikt
from dikt.document import Document, table
from dikt.money import Money
from dikt.views.allocation import allocation_document
from dikt.writers import xlsx

from .conftest import EXAMPLE
from .test_cli import run
from .test_output import COMMANDS


def workbook(tmp_path: Path, *args: object, values: bool = False) -> openpyxl.Workbook:
    """The command's workbook; with ``values``, its formulas read as their cached values."""
    target = tmp_path / "out.xlsx"
    code, out, _ = run(*args, "--format", "xlsx", "--output", target)
    assert (code, out) == (0, "")
    return openpyxl.load_workbook(target, data_only=values)


def ore(value: object) -> int:
    """A numeric cell's amount in øre (a float with two decimals, read exactly)."""
    assert isinstance(value, int | float), value
    return int((Decimal(repr(value)) * 100).to_integral_value())


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"check"}))
def test_every_table_command_writes_a_workbook(tmp_path: Path, command: str) -> None:
    book = workbook(tmp_path, *COMMANDS[command])
    assert book.sheetnames
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        # Printed: landscape, as wide as a page (or a few, side by side, the first
        # column on each), the header row on every page, the document named above it.
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.page_setup.fitToWidth in (1, 2)
        if sheet.page_setup.fitToWidth > 1:
            assert sheet.print_title_cols == "$A:$A"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddHeader.left.text == book.properties.title
        assert sheet.oddHeader.right.text == "&A"  # the sheet's name: the year, the member


def test_numbers_and_their_headers_are_right_aligned(tmp_path: Path) -> None:
    lines = workbook(tmp_path, "allocate", EXAMPLE)["lines Drammen"]
    header = [cell.value for cell in lines[1]]
    assert (header[1], header[6]) == ("item", "amount")
    for row in (1, 2, lines.max_row):
        assert lines.cell(row=row, column=7).alignment.horizontal == "right"
        assert lines.cell(row=row, column=2).alignment.horizontal is None


def test_the_allocation_workbook_equals_the_json_to_the_ore(tmp_path: Path) -> None:
    book = workbook(tmp_path, "allocate", EXAMPLE, values=True)
    data = json.loads(run("allocate", EXAMPLE, "--format", "json")[1])
    totals = book["totals-by-kind"]
    header = [cell.value for cell in totals[1]]
    last = [cell.value for cell in totals[totals.max_row]]
    assert last[0] == "total"
    names = dikt.names_of(dikt.load(EXAMPLE))
    for member in data["members"]:
        column = header.index(names.short(member["id"]))  # people read members by name
        assert ore(last[column]) == ore(float(member["total"]))
        lines = book[f"lines {names.short(member['id'])}"]  # a sheet named as people read it
        amounts = [row[6].value for row in lines.iter_rows(min_row=2)]
        *values, total = amounts
        assert ore(total) == round(Decimal(member["total"]) * 100)
        assert sum(ore(v) for v in values) == ore(total)  # the totals row is the sum
        assert lines.cell(row=2, column=7).number_format == "#,##0.00"
    assert ore(last[header.index("total")]) == round(Decimal(data["total"]) * 100)


def test_the_join_and_plan_workbooks_equal_their_json(tmp_path: Path) -> None:
    book = workbook(tmp_path, "join", EXAMPLE, "nedre-eiker", values=True)
    data = json.loads(run("join", EXAMPLE, "nedre-eiker", "--format", "json")[1])
    items = list(book["one-time"].iter_rows(min_row=2, values_only=True))
    for row, item in zip(items, data["one_time"]["items"], strict=False):
        assert row[2] == int(item["quantity"])
        assert ore(row[5]) == round(Decimal(item["amount"]) * 100)
    assert ore(items[-1][5]) == round(Decimal(data["one_time"]["total"]) * 100)
    members = list(book["members"].iter_rows(min_row=2, values_only=True))
    sande = next(row for row in members if row[0] == "Sande")
    assert book["members"].cell(row=2, column=5).number_format == "0.00%"
    assert isinstance(sande[4], float)
    plan = workbook(tmp_path, "plan", EXAMPLE, "--growth", "2.5", values=True)
    plan_data = json.loads(run("plan", EXAMPLE, "--growth", "2.5", "--format", "json")[1])
    totals = list(plan["totals"].iter_rows(values_only=True))
    for column, year in enumerate(plan_data["years"], start=1):
        assert totals[0][column] == str(year["year"])
        assert ore(totals[-1][column]) == round(Decimal(year["total"]) * 100)


def test_text_cells_are_text_never_formulas(tmp_path: Path) -> None:
    cooperation = dikt.load(EXAMPLE)
    system = cooperation.systems["IT141"]
    hostile = attrs.evolve(
        cooperation,
        systems={**cooperation.systems, "IT141": attrs.evolve(system, name="=HYPERLINK(1)")},
    )
    target = tmp_path / "hostile.xlsx"
    allocation = dikt.allocate(hostile)
    document = allocation_document(allocation)
    target.write_bytes(xlsx.write(document))
    book = openpyxl.load_workbook(target)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = {cell.value for cell in cells if cell.data_type == "f"}
    assert formulas  # the totals
    assert all(str(formula).startswith("=SUM(") for formula in formulas)
    assert any(cell.value == "=HYPERLINK(1)" and cell.data_type == "s" for cell in cells)


def test_the_same_document_gives_the_same_bytes_whatever_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two writes years apart by the clock give the same bytes; without the scrubbing
    the clock would show (openpyxl stamps the time of saving, zip entries their time)."""
    document = allocation_document(dikt.allocate(dikt.load(EXAMPLE)))
    written, raw = [], []
    for moment in (dt.datetime(2001, 2, 3, 4, 5, 6), dt.datetime(2030, 12, 31, 23, 59, 58)):
        stamp = moment.timestamp()

        class Clock(dt.datetime):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None, at: float = stamp) -> Clock:  # type: ignore[override]
                return cls.fromtimestamp(at, tz)

        clock = types.SimpleNamespace(datetime=Clock, timezone=dt.timezone)
        monkeypatch.setattr(openpyxl.writer.excel, "datetime", clock)
        monkeypatch.setattr(openpyxl.packaging.core, "datetime", clock)
        monkeypatch.setattr(zipfile.time, "time", moment.timestamp)
        written.append(xlsx.write(document))
        monkeypatch.setattr(xlsx, "_without_times", lambda data, _cached=None: data)
        raw.append(xlsx.write(document))
        monkeypatch.undo()
    assert raw[0] != raw[1]  # the clock reaches an unscrubbed file
    assert written[0] == written[1]


# -- workbooks an economist can audit (issue 24.7) ------------------------------------------


def test_totals_are_sums_with_their_values_cached(tmp_path: Path) -> None:
    """A total is =SUM over its column (a row's total over its amounts), and the file
    holds its value too, for viewers that do not calculate; the value is dikt's."""
    book = workbook(tmp_path, "allocate", EXAMPLE)
    lines = book["lines Drammen"]
    last = lines.max_row
    assert lines.cell(last, 7).value == f"=SUM(G2:G{last - 1})"
    totals = book["totals-by-kind"]
    width = totals.max_column
    assert totals.cell(2, width).value == f"=SUM(B2:{get_column_letter(width - 1)}2)"
    values = workbook(tmp_path, "allocate", EXAMPLE, values=True)
    cached = values["lines Drammen"].cell(last, 7).value
    data = json.loads(run("allocate", EXAMPLE, "--format", "json")[1])
    drammen = next(member for member in data["members"] if member["id"] == "drammen")
    assert ore(cached) == round(Decimal(drammen["total"]) * 100)
    assert ore(cached) == sum(
        ore(row[0]) for row in values["lines Drammen"].iter_rows(2, last - 1, 7, 7, True)
    )
    plan = workbook(tmp_path, "plan", EXAMPLE)["2013"]
    assert (
        plan.cell(3, plan.max_column).value == f"=SUM(B3:{get_column_letter(plan.max_column - 1)}3)"
    )


def test_a_total_that_is_no_sum_stays_a_value() -> None:
    document = Document(
        title="T",
        blocks=(
            table(
                "t",
                "member:id, amount:amount, share:percent",
                [["a", Money(100), Fraction(1, 4)], ["b", Money(200), Fraction(3, 4)]],
                total=["total", Money(250), Fraction(1)],
            ),
        ),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.write(document)))["t"]
    assert [cell.value for cell in sheet[4]] == ["total", 2.5, 1]


def test_the_exact_amount_is_a_number_and_quantities_have_separators(tmp_path: Path) -> None:
    """explain's exact share was text ("~545454.54..."): now the exact division itself."""
    sheet = workbook(tmp_path, "explain", EXAMPLE, "drammen").worksheets[0]
    header = [cell.value for cell in sheet[1]]
    exact, quantity = header.index("exact") + 1, header.index("quantity") + 1
    assert sheet.cell(2, exact).value == "=1740000000/473"  # IT150: 14500/23650 of 6 000 000
    assert sheet.cell(2, exact).number_format == "#,##0.00000000"  # 15 significant digits
    assert sheet.cell(2, quantity).value == 14500
    assert sheet.cell(2, quantity).number_format == "#,##0"
    cached = workbook(tmp_path, "explain", EXAMPLE, "drammen", values=True).worksheets[0]
    assert cached.cell(2, exact).value == pytest.approx(1740000000 / 473)
    csv_out = run("explain", EXAMPLE, "drammen", "--format", "csv")[1]
    assert ",1740000000/473,3678646.93," in csv_out  # exact for machines too


def test_printed_sheets_say_which_year_and_stay_readable(tmp_path: Path) -> None:
    """A year's sheet is headed by the plan and the sheet (the year); a wide sheet is
    printed on two pages side by side, not shrunk to a third of its size."""
    plan = workbook(tmp_path, "plan", EXAMPLE, "--lang", "nb")
    year = plan["2013"]
    assert year.oddHeader.left.text == "Drammensregionens IKT: økonomiplan 2012-2015, NOK"
    assert year.oddHeader.right.text == "&A"
    assert year.oddFooter.right.text == "&P / &N"
    assert (year.page_setup.fitToWidth, year.page_setup.paperSize) == (1, 9)  # A4
    explain = workbook(tmp_path, "explain", EXAMPLE, "drammen").worksheets[0]
    assert explain.page_setup.fitToWidth == 2
    assert explain.page_setup.pageOrder == "overThenDown"
    assert explain.print_title_cols == "$A:$A"
    rules = [cell for cell in explain["E"][1:] if len(str(cell.value)) > 48]
    assert rules  # the key population-30-70's rule, wrapped in a taller row
    assert all(cell.alignment.wrap_text for cell in rules)
    assert all(explain.row_dimensions[cell.row].height >= 30 for cell in rules)


def test_the_settlement_formulas_keep_their_values(tmp_path: Path) -> None:
    path = tmp_path / "settlement.xlsx"
    assert run("settle", EXAMPLE, "--format", "xlsx", "--output", path)[0] == 0
    members = openpyxl.load_workbook(path).worksheets[1]
    assert members["D2"].value == "=C2-B2"
    cached = openpyxl.load_workbook(path, data_only=True).worksheets[1]
    assert Decimal(str(cached["D2"].value)) == Decimal("43870.46")
    assert cached["B6"].value == sum(cached.cell(row, 2).value for row in range(2, 6))
