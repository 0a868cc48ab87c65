"""Workbooks: read back with openpyxl, every number equal to the JSON of the same command."""

from __future__ import annotations

import datetime as dt
import json
import types
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import openpyxl.packaging.core
import openpyxl.writer.excel
import pytest

import dikt
from dikt.views.allocation import allocation_document
from dikt.writers import xlsx

from .conftest import EXAMPLE
from .test_cli import run
from .test_output import COMMANDS


def workbook(tmp_path: Path, *args: object) -> openpyxl.Workbook:
    target = tmp_path / "out.xlsx"
    code, out, _ = run(*args, "--format", "xlsx", "--output", target)
    assert (code, out) == (0, "")
    return openpyxl.load_workbook(target)


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
        # Printed: landscape, as wide as the page, the header on every page.
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1"


def test_numbers_and_their_headers_are_right_aligned(tmp_path: Path) -> None:
    lines = workbook(tmp_path, "allocate", EXAMPLE)["lines Drammen"]
    header = [cell.value for cell in lines[1]]
    assert (header[1], header[6]) == ("item", "amount")
    for row in (1, 2, lines.max_row):
        assert lines.cell(row=row, column=7).alignment.horizontal == "right"
        assert lines.cell(row=row, column=2).alignment.horizontal is None


def test_the_allocation_workbook_equals_the_json_to_the_ore(tmp_path: Path) -> None:
    book = workbook(tmp_path, "allocate", EXAMPLE)
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
    book = workbook(tmp_path, "join", EXAMPLE, "nedre-eiker")
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
    plan = workbook(tmp_path, "plan", EXAMPLE, "--growth", "2.5")
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
    assert all(cell.data_type != "f" for cell in cells)
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
        monkeypatch.setattr(xlsx, "_without_times", lambda data: data)
        raw.append(xlsx.write(document))
        monkeypatch.undo()
    assert raw[0] != raw[1]  # the clock reaches an unscrubbed file
    assert written[0] == written[1]
