"""The CSV formula guard, from OWASP's rule rather than dikt's ``neutralise``.

OWASP (CSV Injection) lists the characters a spreadsheet reads as the start of a
formula: ``=``, ``+``, ``-``, ``@``, tab (0x09) and carriage return (0x0D); a cell
starting with one gets a leading ``'``. docs/spec-format.md names the first four; the
tab and the carriage return are OWASP's too. Cells are read back with Python's own CSV
reader, never with the writer's helpers.
"""

from __future__ import annotations

import csv
import io
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from dikt import Money
from dikt.document import Document, Kind, table
from dikt.writers import WRITERS

from .conftest import EXAMPLE
from .test_cli import run

#: OWASP's formula-starting characters.
OWASP = ("=", "+", "-", "@", "\t", "\r")


def read_back(names: list[str], header: str = "name") -> list[list[str]]:
    """A table of these names written as CSV, then parsed as RFC 4180."""
    document = Document(
        title="",
        blocks=(
            table(
                "t",
                [("id", Kind.ID), (header, Kind.NAME), ("n", Kind.COUNT)],
                [[f"m{i}", name, i] for i, name in enumerate(names)],
            ),
        ),
    )
    return list(csv.reader(io.StringIO(WRITERS["csv"](document, None), newline="")))


@pytest.mark.parametrize("start", OWASP)
@pytest.mark.parametrize("rest", ["", "1+1", 'HYPERLINK("http://x";"y")', "cmd|' /C calc'!A0"])
def test_every_owasp_start_gets_a_quote(start: str, rest: str) -> None:
    rows = read_back([start + rest])
    assert rows[1][1] == "'" + start + rest


@pytest.mark.parametrize("start", OWASP)
def test_a_header_is_guarded_too(start: str) -> None:
    assert read_back(["x"], header=start + "h")[0][1] == "'" + start + "h"


@pytest.mark.parametrize(
    "text", ["a=1", " =1", "1-2", "Sande", "", "'=1", "ø+", "\n=1", "\u3000=1"]
)
def test_other_starts_are_left_as_written(text: str) -> None:
    # Only the first character counts; a formula character later in the cell is text.
    assert read_back([text])[1][1] == text


@given(st.text(max_size=12))
def test_any_text_reads_back_guarded_by_its_first_character(text: str) -> None:
    expected = "'" + text if text[:1] in OWASP else text
    assert read_back([text])[1][1] == expected


def test_a_system_name_starting_a_formula_is_guarded_end_to_end(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE, spec)
    catalogue = spec / "cooperation.toml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace('name = "Familia"', 'name = "@SUM(1+1)"'), encoding="utf-8")
    code, out, _ = run("allocate", spec, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    cells = [cell for row in rows for cell in row]
    assert "'@SUM(1+1)" in cells
    assert "@SUM(1+1)" not in cells


def test_numbers_are_never_guarded_and_percentages_read_as_percentages() -> None:
    # A negative change is a number, not a formula: only text cells are guarded.
    document = Document(
        title="",
        blocks=(
            table(
                "t",
                [("change", Kind.CHANGE), ("share", Kind.PERCENT), ("n", Kind.NUMBER)],
                [[Money(-500), Fraction(1, 3), Fraction(-1, 4)]],
            ),
        ),
    )
    assert WRITERS["csv"](document, None) == "change,share,n\r\n-5.00,33.33,-0.25\r\n"
