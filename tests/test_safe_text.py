"""What the user wrote is safe in every format: formulas, terminals, bidi, Markdown, xlsx."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from dikt._values import visible
from dikt.cli import _common, main

from .conftest import EXAMPLE


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _renamed(tmp_path: Path, *, member: str = "", system: str = "", cooperation: str = "") -> Path:
    """The example spec with Sande, Familia (IT141) or the cooperation renamed (TOML text)."""
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE, spec)
    if member:
        path = spec / "members" / "sande.toml"
        text = path.read_text("utf-8").replace('name = "Sande kommune"', f'name = "{member}"')
        path.write_text(text, "utf-8")
    path = spec / "cooperation.toml"
    text = path.read_text("utf-8")
    if system:
        text = text.replace('name = "Familia"', f'name = "{system}"')
    if cooperation:
        text = text.replace("\nname = ", f'\nname = "{cooperation}"\nold_name = ', 1)
        text = text.replace("\nold_name = ", "\n# ", 1)
    path.write_text(text, "utf-8")
    return spec


def test_focus_neutralises_formulas_as_csv_does(tmp_path: Path) -> None:
    spec = _renamed(tmp_path, member='=HYPERLINK(\\"http://x\\")', system="@SUM(A1)")
    code, out, _ = run("allocate", spec, "--format", "focus")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    names = {row["SubAccountName"] for row in rows}
    assert '\'=HYPERLINK("http://x")' in names
    assert '=HYPERLINK("http://x")' not in names
    assert "'@SUM(A1)" in {row["ServiceName"] for row in rows}
    assert all(not row["BilledCost"].startswith("'") for row in rows)


@pytest.mark.parametrize("fmt", ["csv", "focus"])
def test_csv_on_a_terminal_sends_no_escape_or_bell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    spec = _renamed(tmp_path, system="Familia\\u001b[2J\\u0007")
    piped = run("allocate", spec, "--format", fmt)[1]
    monkeypatch.setattr(_common, "on_terminal", lambda: True)
    code, out, _ = run("allocate", spec, "--format", fmt)
    assert code == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "Familia\\x1b[2J\\x07" in out
    assert len(out.splitlines()) == len(piped.splitlines())  # records still end their lines


def test_csv_to_a_pipe_keeps_what_the_user_wrote(tmp_path: Path) -> None:
    spec = _renamed(tmp_path, system="Familia\\u0007")
    code, out, _ = run("allocate", spec, "--format", "csv")
    assert code == 0
    assert "Familia\x07" in out


def test_bidirectional_overrides_are_shown_escaped() -> None:
    assert visible("Sande\u202e00.001") == "Sande\\u202e00.001"
    assert visible("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069") == (
        "\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069"
    )


def test_a_table_shows_a_bidi_override_escaped(tmp_path: Path) -> None:
    spec = _renamed(tmp_path, system="Familia\\u202e")
    code, out, _ = run("prices", spec)
    assert code == 0
    assert "\u202e" not in out
    assert "Familia\\u202e" in out


def test_markdown_escapes_links_and_images(tmp_path: Path) -> None:
    spec = _renamed(tmp_path, system="![x](https://evil.example/p.png) [go](https://evil.example)")
    code, out, _ = run("prices", spec, "--format", "markdown")
    assert code == 0
    assert "![x](" not in out
    assert "[go](" not in out
    assert "!\\[x\\](https://evil.example/p.png) \\[go\\](https://evil.example)" in out


def test_xlsx_properties_are_valid_xml_whatever_the_name_holds(tmp_path: Path) -> None:
    spec = _renamed(tmp_path, cooperation="D-IKT \\u0001\\u0008 <&> \\uffff")
    target = tmp_path / "out.xlsx"
    code, _, err = run("allocate", spec, "--format", "xlsx", "--output", target)
    assert (code, err) == (0, "")
    with zipfile.ZipFile(target) as archive:
        core = archive.read("docProps/core.xml")
    title = ElementTree.fromstring(core).find("{http://purl.org/dc/elements/1.1/}title")
    assert title is not None
    assert title.text is not None
    assert title.text.startswith("D-IKT \\x01\\x08 <&> \\uffff (d-ikt)")
