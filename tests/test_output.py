"""The output layer: every command's JSON against its schema, writers, safe text."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli
from hypothesis import given, strategies as st

from dikt.document import Document, Heading, Kind, Paragraph, table
from dikt.errors import format_path
from dikt.exports import xml_safe
from dikt.findings import to_json
from dikt.views.schemas import OUTPUTS, output_schema
from dikt.writers import WRITERS
from dikt.writers._cells import visible
from dikt.writers.markdown import escape
from dikt.writers.text import write_table

from .conftest import EXAMPLE
from .test_cli import run

#: Each command with JSON output, as the command line runs it on the example.
COMMANDS = {
    "allocate": ["allocate", EXAMPLE],
    "check": ["check", EXAMPLE],
    "diff": ["diff", EXAMPLE, EXAMPLE, "--year", "2013"],
    "explain": ["explain", EXAMPLE, "sande"],
    "gaps": ["gaps", EXAMPLE, "nedre-eiker"],
    "impact": ["impact", EXAMPLE, "IT192"],
    "invoices": ["invoices", EXAMPLE],
    "join": ["join", EXAMPLE, "nedre-eiker"],
    "keys": ["keys", EXAMPLE],
    "leave": ["leave", EXAMPLE, "sande"],
    "matrix": ["matrix", EXAMPLE],
    "merge": ["merge", EXAMPLE, "sande", "svelvik", "--into", "sande"],
    "plan": ["plan", EXAMPLE, "--growth", "2.5"],
    "prices": ["prices", EXAMPLE],
    "roadmap": ["roadmap", EXAMPLE, "nedre-eiker"],
    "settle": ["settle", EXAMPLE],
}


def test_every_command_with_json_output_has_a_schema() -> None:
    assert set(COMMANDS) == set(OUTPUTS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_json_fits_its_published_schema(command: str) -> None:
    schema = output_schema(command)
    jsonschema.Draft202012Validator.check_schema(schema)
    code, out, _ = run(*COMMANDS[command], "--format", "json")
    assert code == 0
    jsonschema.validate(json.loads(out), schema)
    code, printed, _ = run("schema", "output", command)
    assert (code, json.loads(printed)) == (0, schema)


@pytest.mark.parametrize("command", ["join", "plan", "roadmap", "diff"])
def test_json_is_the_same_in_a_fresh_process(command: str) -> None:
    """Each command declares the shapes it needs, whatever else was imported before."""
    args = [str(a) for a in COMMANDS[command]]
    fresh = subprocess.run(
        [sys.executable, "-m", "dikt", *args, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(fresh) == json.loads(run(*COMMANDS[command], "--format", "json")[1])


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"check"}))
@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_every_command_with_tables_takes_every_format(command: str, fmt: str) -> None:
    code, out, _ = run(*COMMANDS[command], "--format", fmt)
    assert code == 0
    assert out.strip()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len({len(row) for row in rows}) == 1  # a header and records, one width


def test_one_type_per_concept_across_commands() -> None:
    """Amounts are strings with two decimals; exact numbers strings; percentages strings."""
    allocation = json.loads(run("allocate", EXAMPLE, "--format", "json")[1])
    join = json.loads(run("join", EXAMPLE, "nedre-eiker", "--format", "json")[1])
    assert allocation["members"][0]["lines"][0]["quantity"] == "3200"
    assert join["one_time"]["items"][0]["quantity"] == "600"
    assert join["annual"]["lines"][0]["amount"].count(".") == 1
    gaps = json.loads(run("gaps", EXAMPLE, "nedre-eiker", "--format", "json")[1])
    assert gaps["harmonised"]["domains_percent"] == "76.92"


# -- writers -----------------------------------------------------------------------------

DOCUMENT = Document(
    title="Title",
    blocks=(
        Heading("Section"),
        table(
            "t",
            [("id", Kind.ID), ("name", Kind.NAME), ("amount", Kind.AMOUNT)],
            [["a", "A very long name that will need to wrap in a narrow terminal", None]],
        ),
        Paragraph.of("line one", "line two"),
    ),
)


def test_text_tables_wrap_names_to_the_width_and_never_amounts() -> None:
    wide = WRITERS["table"](DOCUMENT, None)
    narrow = WRITERS["table"](DOCUMENT, 40)
    assert "A very long name that will need to wrap in a narrow terminal" in wide
    assert all(len(line) <= 40 for line in narrow.splitlines())
    assert "A very long name" in narrow


def test_terminal_text_shows_control_characters_escaped() -> None:
    document = Document(title="T\x1b[2J", blocks=(Paragraph.of("bell\x07 cr\r nul\x00"),))
    out = WRITERS["table"](document, None)
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\r" not in out
    assert "\x00" not in out
    assert "T\\x1b[2J" in out
    assert "bell\\x07 cr\\r nul\\x00" in out


#: Arbitrary user text: names, titles, roles.
USER_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30
) | st.sampled_from(
    ["=HYPERLINK(1)", "+1", "-1", "@a", "a|b", "a\r\nb", "\x1b[31m", "\x00", "\u2028"]
)


@given(st.lists(USER_TEXT, min_size=1, max_size=4))
def test_user_text_is_safe_in_every_format(names: list[str]) -> None:
    document = Document(
        title="Safe",
        blocks=(
            table(
                "t",
                [("id", Kind.ID), ("name", Kind.NAME), ("count", Kind.COUNT)],
                [[f"m{i}", name, i] for i, name in enumerate(names)],
            ),
        ),
    )
    # CSV: parses back to the same columns, the exact text (OWASP's formula starts quoted).
    rows = list(csv.reader(io.StringIO(WRITERS["csv"](document, None), newline="")))
    assert rows[0] == ["id", "name", "count"]
    assert [row[1] for row in rows[1:]] == [
        "'" + name if name[:1] in ("=", "+", "-", "@", "\t", "\r") else name for name in names
    ]
    assert all(len(row) == 3 for row in rows)
    # Markdown: every row keeps its cells.
    lines = WRITERS["markdown"](document, None).splitlines()
    table_lines = [line for line in lines if line.startswith("|")]
    assert len(table_lines) == len(names) + 2
    for line in table_lines:
        assert line.replace("\\|", "").count("|") == 4
    # Terminal text: no raw control character.
    text = WRITERS["table"](document, 50)
    assert not any(
        (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029" for c in text
    )
    # XML (GraphML): parses.
    for name in names:
        ET.fromstring(f"<a>{escape_xml(xml_safe(name))}</a>")
    # dikt's JSON (orjson, the standard library past 64-bit integers) keeps the exact text.
    assert json.loads(to_json({"names": names})) == {"names": names}


@given(st.lists(USER_TEXT, min_size=1, max_size=3))
def test_a_key_path_is_toml_and_safe_on_a_terminal(keys: list[str]) -> None:
    """A finding's key path reads back in TOML to the very keys, control characters escaped."""
    path = format_path(["t", *keys])
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029" for c in path)
    found: Any = tomli.loads(f"{path} = 1")
    for key in ["t", *keys]:
        found = found[key]
    assert found == 1


def test_findings_and_errors_show_what_the_user_wrote_escaped(tmp_path: Path) -> None:
    """A spec directory, a key and a member id holding an escape sequence reach no terminal raw."""
    spec = tmp_path / "evil\x1b[2J"
    shutil.copytree(EXAMPLE, spec)
    with (spec / "members" / "sande.toml").open("a", encoding="utf-8") as file:
        file.write('"bad\\u001b[31mkey" = 1\n')
    code, out, _ = run("check", spec)
    assert code == 2
    assert "\x1b" not in out
    assert 'E004 fleet[3]."bad\\u001b[31mkey": unknown key' in out
    assert "evil\\x1b[2J" in out
    code, _, err = run("join", EXAMPLE, "x\x1b[2J")
    assert code == 2
    assert err == 'dikt: no member or candidate "x\\x1b[2J" in the spec\n'


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_csv_is_rfc4180_with_crlf_and_neutralised_formulas() -> None:
    document = Document(
        title="",
        blocks=(table("t", [("name", Kind.NAME), ("amount", Kind.AMOUNT)], [["=1+1", None]]),),
    )
    assert WRITERS["csv"](document, None) == "name,amount\r\n'=1+1,\r\n"


def test_markdown_escapes_pipes_and_line_breaks() -> None:
    assert escape("a|b\r\nc") == "a\\|b\\r\\nc"
    assert visible("\x9b") == "\\x9b"


def test_a_totals_row_comes_from_the_result_not_the_writer() -> None:
    shown = write_table(
        table(
            "t",
            [("id", Kind.ID), ("share", Kind.PERCENT)],
            [["a", Fraction(1, 3)]],
            total=["total", Fraction(1)],
        )
    )
    assert shown.splitlines()[-1] == "total  100.00 %"


def test_the_command_line_knows_every_output_schema() -> None:
    from dikt.cli.spec import _OUTPUT_COMMANDS  # noqa: PLC0415 - the CLI keeps its own list for speed

    assert set(_OUTPUT_COMMANDS) == set(OUTPUTS)
