"""From spreadsheets to a spec: template, import, export, and bad workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from openpyxl import Workbook, load_workbook

import dikt
from dikt import Cooperation, Money, SpecError
from dikt.cli import main
from dikt.errors import WhatIfError
from dikt.i18n import texts
from dikt.model import (
    Invoicing,
    Key,
    Leaving,
    Merger,
    Obligations,
    Outcome,
    Period,
    Remainder,
    SettlementTerms,
)
from dikt.sheets import (
    export_workbook,
    import_csv,
    import_workbook,
    spec_texts,
    template_workbook,
)

from .conftest import EXAMPLE, ROOT
from .console import commands, mismatch, output_of
from .strategies import cooperations, dates, ids, money, optional_texts


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def example_nb() -> bytes:
    """The shipped example as a workbook with bokmål sheets and headers."""
    return export_workbook(dikt.load(EXAMPLE), "nb")


def changed(data: bytes, change: Callable[[Workbook], object]) -> bytes:
    """The workbook after ``change``, saved by openpyxl as a spreadsheet program would."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(data: bytes, name: str = "portefølje.xlsx") -> list[str]:
    """What importing the workbook says, a line each; [] if it imports."""
    try:
        import_workbook(data, name)
    except SpecError as error:
        return [str(p) for p in error.problems]
    return []


# -- round trips ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "nb"])
def test_export_then_import_gives_the_example(language: str) -> None:
    example = dikt.load(EXAMPLE)
    imported = import_workbook(export_workbook(example, language), "d-ikt.xlsx")
    assert imported.model == example


@st.composite
def _changing(draw: st.DrawFn) -> Cooperation:
    """A generated cooperation that also states what export once lost on the way.

    A member's leaving date, [leaving], [settlement] and [invoicing] at values
    other than their defaults (the import gave the defaults back), and one or
    two mergers (their members in any order, the merged id one of them or a
    new one, with or without a name).
    """
    cooperation = draw(cooperations())
    everyone = sorted(cooperation.members)
    members = dict(cooperation.members)
    # A member's: a candidate's leaving date is an error in its file, which sets it aside.
    leaver = draw(st.sampled_from([m for m in everyone if members[m].is_member]))
    # Its parts of investments, as agreed: any ids, any amounts (the workbook checks nothing).
    agreed = draw(st.dictionaries(ids, money, max_size=3))
    members[leaver] = attrs.evolve(members[leaver], leaving=draw(dates), obligations=agreed)
    mergers = {}
    for _ in range(draw(st.integers(1, 2))):
        merging = draw(st.lists(st.sampled_from(everyone), min_size=1, unique=True))
        into = draw(st.sampled_from(merging) | ids)
        mergers[into] = Merger(
            into=into, members=tuple(merging), date=draw(dates), name=draw(optional_texts)
        )
    return attrs.evolve(
        cooperation,
        members=members,
        invoicing=Invoicing(
            per=draw(st.sampled_from([Period.YEAR, Period.MONTH])),
            remainder=Remainder.LAST,
            due_days=draw(st.integers(0, 366).filter(lambda days: days != 30)),
        ),
        settlement=SettlementTerms(
            outcome=Outcome.CARRY_FORWARD,
            unassigned_key=draw(st.sampled_from(sorted({"users", *cooperation.keys})) | ids),
        ),
        leaving=Leaving(investments=Obligations.PAY_TO_END),
        mergers=mergers,
    )


@settings(max_examples=max(12, settings.default.max_examples // 10))
@given(_changing())
def test_export_then_import_gives_the_same_model(cooperation: Cooperation) -> None:
    """Every generated spec, texts with control characters and "_x0041_" included, and
    its leaving date, mergers and settings for invoices, settlement and leaving."""
    imported = import_workbook(export_workbook(cooperation), "spec.xlsx")
    assert imported.model == cooperation


def _leaving_and_merging(cooperation: Cooperation) -> Cooperation:
    """The example with Sande leaving, Drammen and Svelvik merging, and the settings for
    invoices, settlement and leaving other than their defaults."""
    sande = attrs.evolve(
        cooperation.members["sande"],
        leaving=dt.date(2014, 1, 1),
        obligations={"backup-2014": Money.parse("136363.64"), "citrix-2015": Money(0)},
    )
    return attrs.evolve(
        cooperation,
        members={**cooperation.members, "sande": sande},
        invoicing=Invoicing(per=Period.MONTH, remainder=Remainder.LAST, due_days=14),
        settlement=SettlementTerms(
            outcome=Outcome.CARRY_FORWARD, unassigned_key="population-30-70"
        ),
        leaving=Leaving(investments=Obligations.PAY_TO_END),
        mergers={
            "drammen": Merger(
                into="drammen",
                members=("drammen", "svelvik"),
                date=dt.date(2016, 1, 1),
                name="Nye Drammen kommune",
            )
        },
    )


def test_leaving_mergers_and_the_settings_survive_export_and_import(tmp_path: Path) -> None:
    """`dikt export` then `dikt import` lost a member's leaving date, [leaving],
    [settlement], [invoicing] and [mergers], and gave the spec back without them."""
    spec = tmp_path / "spec"
    for name, text in spec_texts(_leaving_and_merging(dikt.load(EXAMPLE))).items():
        (spec / name).parent.mkdir(parents=True, exist_ok=True)
        (spec / name).write_text(text, encoding="utf-8")
    workbook = tmp_path / "spec.xlsx"
    assert run("export", spec, workbook, "--lang", "nb")[0] == 0
    code, _, err = run("import", workbook, tmp_path / "again")
    assert code == 0, err
    assert dikt.load(tmp_path / "again") == dikt.load(spec)
    book = load_workbook(workbook)
    members = [[c.value for c in row] for row in book["Medlemmer"].iter_rows()]
    leaving = members[0].index("Trer ut")
    assert {row[0]: row[leaving] for row in members[1:]} == {
        "drammen": None,
        "nedre-eiker": None,
        "royken": None,
        "sande": dt.datetime(2014, 1, 1),
        "svelvik": None,
    }
    assert [[c.value for c in row] for row in book["Sammenslåinger"].iter_rows()] == [
        ["Slått sammen til", "Medlem", "Dato", "Navn etter sammenslåingen"],
        ["drammen", "drammen", dt.datetime(2016, 1, 1), "Nye Drammen kommune"],
        ["drammen", "svelvik", dt.datetime(2016, 1, 1), "Nye Drammen kommune"],
    ]
    fields = {row[0]: row[1] for row in book["Samarbeid"].iter_rows(min_row=2, values_only=True)}
    assert [fields[name] for name in list(fields)[-6:]] == [
        "month",
        "last",
        14,
        "carry-forward",
        "population-30-70",
        "pay-to-end",
    ]


def test_the_rows_of_a_merger_that_disagree_are_refused() -> None:
    data = export_workbook(_leaving_and_merging(dikt.load(EXAMPLE)), "nb")

    def dated_and_named_otherwise(book: Workbook) -> None:
        book["Sammenslåinger"]["C3"] = dt.date(2017, 1, 1)
        book["Sammenslåinger"]["D3"] = "Drammen"

    def named_in_one_row_only(book: Workbook) -> None:
        book["Sammenslåinger"]["D2"] = None

    said = "every row of a merger gives the same date and name"
    assert problems(changed(data, dated_and_named_otherwise)) == [
        'portefølje.xlsx: E156 Sammenslåinger!C3: the merger "drammen" is dated 2016-01-01 '
        f"in row 2: {said}",
        'portefølje.xlsx: E156 Sammenslåinger!D3: the merger "drammen" is named "Nye Drammen '
        f'kommune" in row 2: {said}',
    ]
    assert problems(changed(data, named_in_one_row_only)) == [
        'portefølje.xlsx: E156 Sammenslåinger!D3: the merger "drammen" has no name in row 2: '
        f"{said}",
    ]


def test_a_workbook_without_the_mergers_sheet_imports_without_mergers(example_nb: bytes) -> None:
    """The sheet is not required: a workbook of an older dikt has none."""
    data = changed(example_nb, lambda book: book.remove(book["Sammenslåinger"]))
    assert import_workbook(data, "p.xlsx").model == dikt.load(EXAMPLE)


def test_spec_texts_load_to_the_same_model_with_the_schema_comments() -> None:
    example = dikt.load(EXAMPLE)
    files = spec_texts(example)
    assert files["cooperation.toml"].startswith("#:schema ../schema/cooperation.schema.json\n")
    assert files["members/sande.toml"].startswith("#:schema ../../schema/member.schema.json\n")
    members = {name: text for name, text in files.items() if name.startswith("members/")}
    assert dikt.load_texts(files["cooperation.toml"], members) == example


# -- the template -----------------------------------------------------------------------


def test_the_template_in_bokmal_has_its_sheets_headers_and_lists() -> None:
    book = load_workbook(io.BytesIO(template_workbook("nb")))
    assert book.sheetnames == [
        "Samarbeid",
        "Fagområder",
        "Nøkler",
        "Andeler",
        "Systemer",
        "Kapasitetstrinn",
        "Medlemmer",
        "Brukere",
        "Systemansvar",
        "Egne systemer",
        "Maskinpark",
        "Ansatte som overføres",
        "Avtaler som overtas",
        "Investeringer",
        "Forpliktelser ved uttreden",
        "Prosessarbeid",
        "Sammenslåinger",
    ]
    systems = book["Systemer"]
    assert [c.value for c in systems[1]][:5] == ["Id", "Navn", "Pakke", "Fagområde", "Årskostnad"]
    lists = {str(v.sqref): v.formula1 for v in systems.data_validations.dataValidation}
    assert lists["C2:C200"] == '"base,application"'
    assert lists["D2:D200"] == "'Fagområder'!$A$2:$A$200"
    assert lists["G2:G200"] == '"employees,equal,pcs,population,system-users,users"'
    fields = {row[0]: row[1] for row in book["Samarbeid"].iter_rows(min_row=2, values_only=True)}
    assert fields["Valuta"] == "NOK"
    assert fields["Språk"] == "nb"
    assert fields["Dagsats"] == 7000
    assert {name: fields[name] for name in list(fields)[-6:]} == {
        "Fakturering a konto per": "quarter",
        "Terminer som får ørene til overs": "first",
        "Dager til forfall": 30,
        "Merforbruk eller mindreforbruk": "settle",
        "Nøkkel for kostnader uten prosjekt": None,
        "Uttredende medlems andel av investeringer": "settle",
    }
    assert "Trer ut" in [c.value for c in book["Medlemmer"][1]]
    assert [c.value for c in book["Sammenslåinger"][1]] == [
        "Slått sammen til",
        "Medlem",
        "Dato",
        "Navn etter sammenslåingen",
    ]


def test_the_template_in_english_starts_from_the_example() -> None:
    book = load_workbook(io.BytesIO(template_workbook("en", dikt.load(EXAMPLE))))
    assert book.sheetnames[:5] == ["Cooperation", "Domains", "Keys", "Shares", "Systems"]
    users = book["Users"]
    assert [c.value for c in users[1]] == [
        "System",
        "drammen",
        "nedre-eiker",
        "royken",
        "sande",
        "svelvik",
    ]
    assert [c.value for c in users[2]] == ["IT138", 3200, 1100, 900, 420, 380]


def test_an_empty_template_says_what_is_to_fill_in() -> None:
    assert problems(template_workbook("nb"), "mal.xlsx") == [
        'mal.xlsx: E158 Samarbeid!B2: a value is required here ("Id")',
        'mal.xlsx: E158 Samarbeid!B3: a value is required here ("Navn")',
        'mal.xlsx: E158 Samarbeid!B6: a value is required here ("Budsjettår")',
    ]


# -- bad workbooks: each problem at its sheet and cell, all at once ------------------------


def test_an_empty_sheet(example_nb: bytes) -> None:
    def empty(book: Workbook) -> None:
        book.remove(book["Systemer"])
        book.create_sheet("Systemer", 4)

    assert problems(changed(example_nb, empty)) == [
        "portefølje.xlsx: E151 Systemer: the sheet is empty; expected a header row: Id, Navn, "
        "Pakke, Fagområde, Årskostnad, Leverandør, Nøkkel, Avhenger av, Status, Kritisk, "
        "Koordineringsansvarlig, Driftsansvarlig, Tjenestekategori, Innført, Utfaset, "
        "Kostnad per bruker, Trinn etter, Fast del",
    ]


def test_a_missing_sheet_and_an_unknown_one(example_nb: bytes) -> None:
    def renamed(book: Workbook) -> None:
        book["Systemer"].title = "Sytemer"

    assert problems(changed(example_nb, renamed)) == [
        'portefølje.xlsx: E151 Sytemer: unknown sheet "Sytemer"; did you mean "Systemer"?',
        'portefølje.xlsx: E151 no sheet "Systemer" (Systems); the workbook needs it',
    ]


def test_a_renamed_column(example_nb: bytes) -> None:
    def renamed(book: Workbook) -> None:
        book["Systemer"]["E1"] = "Kostnad"

    assert problems(changed(example_nb, renamed)) == [
        'portefølje.xlsx: E152 Systemer!E1: unknown column "Kostnad"; did you mean "Årskostnad"?',
        'portefølje.xlsx: E152 Systemer!A1: missing column "Årskostnad" (Annual cost)',
    ]


def test_a_merged_cell(example_nb: bytes) -> None:
    def merged(book: Workbook) -> None:
        book["Systemer"].merge_cells("B3:C3")

    assert problems(changed(example_nb, merged)) == [
        "portefølje.xlsx: E153 Systemer!B3: merged cells B3:C3; dikt reads one value per "
        "cell: unmerge them",
    ]


def test_a_formula_a_date_and_numbers_written_as_text(example_nb: bytes) -> None:
    def wrong(book: Workbook) -> None:
        systems = book["Systemer"]
        systems["E3"] = "=1+2"
        systems["E4"] = dt.date(2012, 1, 1)
        systems["E5"] = "1 234,50"
        systems["E6"] = "1,234.50"

    assert problems(changed(example_nb, wrong)) == [
        "portefølje.xlsx: E154 Systemer!E3: a formula; dikt reads values: enter the value itself",
        "portefølje.xlsx: E155 Systemer!E4: expected an amount, got the date 2012-01-01",
        "portefølje.xlsx: E155 Systemer!E5: expected an amount as a number, got the text "
        '"1 234,50": write it without spaces or thousands separators, with a decimal point '
        "(1234.5), or as a number cell",
        "portefølje.xlsx: E155 Systemer!E6: expected an amount as a number, got the text "
        '"1,234.50": write it without spaces or thousands separators, with a decimal point '
        "(1234.5), or as a number cell",
    ]


def test_an_id_twice(example_nb: bytes) -> None:
    def twice(book: Workbook) -> None:
        book["Medlemmer"]["A3"] = "drammen"

    assert problems(changed(example_nb, twice)) == [
        'portefølje.xlsx: E156 Medlemmer!A3: "drammen" is there twice (also in row 2)',
    ]


def test_a_user_count_on_a_system_nobody_has(example_nb: bytes) -> None:
    def unknown(book: Workbook) -> None:
        book["Brukere"].append(["IT999", 4])

    assert problems(changed(example_nb, unknown)) == [
        'portefølje.xlsx: E157 Brukere!A32: user counts of "IT999", which is not in the '
        "sheet Systemer",
    ]


def test_a_hidden_sheet(example_nb: bytes) -> None:
    def hidden(book: Workbook) -> None:
        book["Kapasitetstrinn"].sheet_state = "hidden"

    assert problems(changed(example_nb, hidden)) == [
        "portefølje.xlsx: E151 Kapasitetstrinn: a hidden sheet; dikt reads only what people "
        "can see: show it",
    ]


def test_values_the_spec_refuses_are_named_by_their_cells(example_nb: bytes) -> None:
    def wrong(book: Workbook) -> None:
        book["Brukere"]["B3"] = "many"
        book["Brukere"]["C3"] = -3
        book["Systemer"]["C2"] = "basis"

    assert problems(changed(example_nb, wrong)) == [
        'portefølje.xlsx: E155 Brukere!B3: expected a whole number, got the text "many"',
        'portefølje.xlsx: E006 Systemer!C2: expected one of "base", "application", got "basis"',
        "portefølje.xlsx: E007 Brukere!C3: expected a non-negative integer, got -3",
    ]


def test_check_findings_are_named_by_their_cells(example_nb: bytes) -> None:
    def wrong(book: Workbook) -> None:
        book["Systemer"]["D2"] = "nowhere"

    imported = import_workbook(changed(example_nb, wrong), "p.xlsx")
    errors = [p for p in imported.at_cells(dikt.check(imported.model)) if p.code == "E102"]
    assert [str(p) for p in errors] == [
        'p.xlsx: E102 Systemer!D2: unknown domain "nowhere"',
    ]


def test_an_encrypted_workbook_a_workbook_with_macros_and_no_workbook() -> None:
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert problems(encrypted, "hemmelig.xlsx") == [
        "hemmelig.xlsx: E150 an encrypted workbook (or an Excel 97-2003 .xls file), which "
        "dikt cannot read: save it without a password as an Excel workbook (.xlsx)",
    ]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template_workbook())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"macros")
    assert problems(out.getvalue(), "makro.xlsm") == [
        "makro.xlsm: E150 a workbook with macros, which dikt does not read: save it as an "
        "Excel workbook (.xlsx) without macros",
    ]
    assert problems(b"id;name\n", "tekst.xlsx") == [
        "tekst.xlsx: E150 not an Excel workbook (.xlsx): the file is not a zip archive",
    ]


# -- CSV ------------------------------------------------------------------------------------


def csv_files(data: bytes) -> dict[str, bytes]:
    """The workbook's sheets as CSV files, as a spreadsheet program saves them (semicolons)."""
    book = load_workbook(io.BytesIO(data))
    files = {}
    for sheet in book.worksheets:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        for row in sheet.iter_rows(values_only=True):
            writer.writerow([_csv_text(value) for value in row])
        files[f"{sheet.title}.csv"] = ("\ufeff" + out.getvalue()).encode("utf-8")
    return files


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def test_a_directory_of_csv_files_imports_as_the_workbook(example_nb: bytes) -> None:
    imported = import_csv(csv_files(example_nb), "d-ikt")
    assert imported.model == dikt.load(EXAMPLE)


def test_csv_problems_name_the_file_and_the_cell(example_nb: bytes) -> None:
    files = csv_files(example_nb)
    files["Systemer.csv"] = files["Systemer.csv"].replace(b";1200000;", b";1 200 000;", 1)
    with pytest.raises(SpecError) as raised:
        import_csv(files, "d-ikt")
    assert [str(p) for p in raised.value.problems] == [
        str(Path("d-ikt") / "Systemer.csv")
        + ': E155 E3: expected an amount as a number, got the text "1 200 000": write it '
        "without spaces or thousands separators, with a decimal point (1234.5), or as a "
        "number cell",
    ]


# -- the commands ---------------------------------------------------------------------------


def test_template_import_check_allocate(tmp_path: Path) -> None:
    """The getting-started path: a template from the example, imported, checked, allocated."""
    workbook = tmp_path / "portefølje.xlsx"
    assert run("template", workbook, "--lang", "nb", "--example")[0] == 0
    code, out, err = run("import", workbook, tmp_path / "spec")
    assert (code, out) == (0, "")
    assert err == (
        f"{workbook}: W225 Medlemmer!A2: Drammen kommune has no fleet survey ([[fleet]]): the "
        "plan shows no PC renewal figure for it\n"
        f"{workbook}: W225 Medlemmer!A4: Røyken kommune has no fleet survey ([[fleet]]): the "
        "plan shows no PC renewal figure for it\n"
        f"{workbook}: W201 Systemansvar!A68: IT178 (Bibliofil) is in use without system "
        f"manager\nwrote {tmp_path / 'spec'}: 5 members, 30 systems\n"
    )
    assert dikt.load(tmp_path / "spec") == dikt.load(EXAMPLE)
    assert run("check", tmp_path / "spec")[0] == 0
    assert run("allocate", tmp_path / "spec")[0] == 0


def test_import_never_overwrites_a_spec_unless_forced(tmp_path: Path) -> None:
    workbook = tmp_path / "p.xlsx"
    run("export", EXAMPLE, workbook)
    spec = tmp_path / "spec"
    assert run("import", workbook, spec)[0] == 0
    (spec / "members" / "extra.toml").write_text("# mine\n", encoding="utf-8")
    code, _, err = run("import", workbook, spec)
    assert code == 2
    assert f"{spec} exists; --force replaces it" in err
    assert (spec / "members" / "extra.toml").exists()
    assert run("import", workbook, spec, "--force")[0] == 0
    assert not (spec / "members" / "extra.toml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.xlsx", "spec"]


def test_import_does_not_replace_a_directory_that_is_no_spec(tmp_path: Path) -> None:
    workbook = tmp_path / "p.xlsx"
    run("export", EXAMPLE, workbook)
    other = tmp_path / "documents"
    other.mkdir()
    (other / "letter.txt").write_text("dear", encoding="utf-8")
    code, _, err = run("import", workbook, other, "--force")
    assert code == 2
    assert "exists and is no spec (no cooperation.toml): not replaced" in err
    assert (other / "letter.txt").read_text(encoding="utf-8") == "dear"


def test_a_bad_workbook_writes_nothing_and_exits_2(tmp_path: Path, example_nb: bytes) -> None:
    def wrong(book: Workbook) -> None:
        book["Systemer"]["D2"] = "nowhere"
        book["Systemer"]["E3"] = "1 234,50"

    workbook = tmp_path / "p.xlsx"
    workbook.write_bytes(changed(example_nb, wrong))
    code, out, err = run("import", workbook, tmp_path / "spec")
    assert (code, out) == (2, "")
    assert err == (
        f'{workbook}: E155 Systemer!E3: expected an amount as a number, got the text "1 234,50": '
        "write it without spaces or thousands separators, with a decimal point (1234.5), or "
        "as a number cell\n"
    )
    workbook.write_bytes(changed(example_nb, lambda book: book["Systemer"].cell(2, 4, "nowhere")))
    code, out, err = run("import", workbook, tmp_path / "spec", "--lang", "nb")
    assert code == 2
    assert err == f"{workbook}: E102 Systemer!D2: ukjent fagområde «nowhere»\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.xlsx"]


def test_export_writes_no_spec_file_and_only_workbooks(tmp_path: Path) -> None:
    code, _, err = run("export", EXAMPLE, tmp_path / "spec.csv")
    assert code == 2
    assert "give a workbook name ending in .xlsx" in err
    code, _, err = run("export", EXAMPLE, EXAMPLE / "members" / "x.xlsx")
    assert code == 2
    assert "dikt never writes over a spec" in err


def test_the_how_to_names_every_sheet() -> None:
    """docs/howto/spreadsheets.md's table of sheets, in the workbook's order."""
    howto = (ROOT / "docs" / "howto" / "spreadsheets.md").read_text(encoding="utf-8")
    named = re.findall(r"(?m)^\| ([^|]+ / [^|]+) \| ", howto)
    english = load_workbook(io.BytesIO(template_workbook("en"))).sheetnames
    bokmal = load_workbook(io.BytesIO(template_workbook("nb"))).sheetnames
    assert named[1:] == [f"{nb} / {en}" for nb, en in zip(bokmal, english, strict=True)]


def test_the_how_to_runs_as_written_in_an_empty_directory(tmp_path: Path) -> None:
    """docs/howto/spreadsheets.md: template, import, check, allocate, as it shows them."""
    howto = (ROOT / "docs" / "howto" / "spreadsheets.md").read_text(encoding="utf-8")
    shown = commands(howto)
    assert [command for command, _ in shown] == [
        "dikt template portefølje.xlsx --lang nb --example",
        "dikt import portefølje.xlsx spec",
        "dikt check spec",
        "dikt allocate spec",
    ]
    for command, lines in shown:
        problem = mismatch(lines, output_of(command, tmp_path))
        assert problem is None, problem


# -- a candidate's rows with errors: never left out of the spec written ------------


def test_a_candidate_with_errors_is_refused_not_left_out(example_nb: bytes) -> None:
    """Loading sets such a candidate aside (W213); the spec written would lose it."""

    def wrong(book: Workbook) -> None:
        book["Medlemmer"]["C3"] = "06a5"  # Nedre Eiker, a candidate
        book["Egne systemer"]["D2"] = "nowhere"  # Nedre Eiker's Gerica

    assert problems(changed(example_nb, wrong)) == [
        'portefølje.xlsx: E109 Medlemmer!C3: "06a5" is not a municipality number '
        '(4 digits, such as "0602")',
        'portefølje.xlsx: E102 Egne systemer!D2: unknown domain "nowhere"',
    ]


def test_import_force_keeps_the_spec_when_a_candidate_has_errors(
    tmp_path: Path, example_nb: bytes
) -> None:
    spec = tmp_path / "spec"
    code, _, _ = run("import", _saved(tmp_path, example_nb), spec)
    assert code == 0
    before = {p.name: p.read_bytes() for p in (spec / "members").iterdir()}
    for cell, value, said in [
        ("Medlemmer!C3", "06a5", "E109 Medlemmer!C3: «06a5» er ikke et kommunenummer"),
        ("Egne systemer!D2", "nowhere", "E102 Egne systemer!D2: ukjent fagområde «nowhere»"),
    ]:
        sheet, reference = cell.split("!")

        def wrong(book: Workbook, sheet: str = sheet, at: str = reference, to: str = value) -> None:
            book[sheet][at] = to

        workbook = tmp_path / "bad.xlsx"
        workbook.write_bytes(changed(example_nb, wrong))
        code, out, err = run("import", "--force", workbook, spec, "--lang", "nb")
        assert (code, out) == (2, "")
        assert err.startswith(f"{workbook}: {said}"), err
        assert "W213" not in err
        assert {p.name: p.read_bytes() for p in (spec / "members").iterdir()} == before


def _saved(directory: Path, data: bytes) -> Path:
    workbook = directory / "p.xlsx"
    workbook.write_bytes(data)
    return workbook


def test_export_refuses_a_spec_with_a_candidate_set_aside(tmp_path: Path) -> None:
    """The workbook would not have the candidate, and importing it would lose its file."""
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE, spec)
    file = spec / "members" / "nedre-eiker.toml"
    text = file.read_text(encoding="utf-8")
    file.write_text(
        re.sub(r'(?m)^municipality_number = ".*"$', 'municipality_number = "06a5"', text),
        encoding="utf-8",
    )
    cooperation = dikt.load(spec)
    assert list(cooperation.set_aside) == ["nedre-eiker"]
    with pytest.raises(WhatIfError):
        export_workbook(cooperation)
    warned = [line for line in run("check", spec)[1].splitlines() if " W213 " in line]
    assert len(warned) == 1
    workbook = tmp_path / "spec.xlsx"
    code, out, err = run("export", spec, workbook)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        'dikt: candidate "nedre-eiker" has errors in its file, so dikt leaves it out, and a '
        "workbook would lose it; fix the file first, as `dikt check` warns:",
        *warned,
    ]
    assert not workbook.exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "wrote {spec}: 1 member, 1 system"), ("nb", "skrev {spec}: 1 medlem, 1 system")],
)
def test_import_counts_members_and_systems_in_words(tmp_path: Path, lang: str, said: str) -> None:
    example = dikt.load(EXAMPLE)
    one = attrs.evolve(
        example,
        members={"drammen": attrs.evolve(example.members["drammen"], systems={})},
        systems={"IT192": attrs.evolve(example.systems["IT192"], depends_on=())},
        investments=(),
        mergers={},
    )
    workbook = tmp_path / "one.xlsx"
    workbook.write_bytes(export_workbook(one))
    code, _, err = run("import", workbook, tmp_path / "spec", "--lang", lang)
    assert code == 0, err
    assert err.splitlines()[-1] == said.format(spec=tmp_path / "spec")


# -- a key's shares once a candidate joins, a member leaves, members merge ------------


def _with_founders(cooperation: Cooperation) -> Cooperation:
    """The example with the base packages split by fixed shares, stated for every change."""
    founders = Key(
        id="founders",
        shares={
            "drammen": Fraction(1, 2),
            "royken": Fraction(1, 5),
            "sande": Fraction(1, 5),
            "svelvik": Fraction(1, 10),
        },
        shares_with={
            "nedre-eiker": {
                "drammen": Fraction(2, 5),
                "nedre-eiker": Fraction(1, 10),
                "royken": Fraction(1, 5),
                "sande": Fraction(1, 5),
                "svelvik": Fraction(1, 10),
            }
        },
        shares_without={
            "sande": {
                "drammen": Fraction(3, 5),
                "royken": Fraction(3, 10),
                "svelvik": Fraction(1, 10),
            }
        },
        shares_merged={
            "drammen": {
                "drammen": Fraction(7, 10),
                "royken": Fraction(1, 5),
                "svelvik": Fraction(1, 10),
            }
        },
    )
    return attrs.evolve(
        cooperation,
        keys={**cooperation.keys, "founders": founders},
        defaults=attrs.evolve(cooperation.defaults, base_key="founders"),
    )


@pytest.mark.parametrize("language", ["en", "nb"])
def test_shares_with_without_and_merged_survive_the_round_trip(language: str) -> None:
    spec = _with_founders(dikt.load(EXAMPLE))
    assert not [p for p in dikt.check(spec) if p.code in ("W207", "E119", "E182")]
    data = export_workbook(spec, language)
    rows = list(load_workbook(io.BytesIO(data))[texts(language)._("Shares")].iter_rows())
    assert [cell.value for cell in rows[0]] == [
        texts(language)._(header)
        for header in ("Key", "Member", "Share", "With candidate", "Without member", "Merged into")
    ]
    assert ["founders", "nedre-eiker", 0.1, "nedre-eiker", None, None] in [
        [cell.value for cell in row] for row in rows
    ]
    assert import_workbook(data, "d-ikt.xlsx").model == spec


def test_the_spec_imported_prices_leaving_by_its_shares(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    spec.mkdir()
    for name, text in spec_texts(_with_founders(dikt.load(EXAMPLE))).items():
        (spec / name).parent.mkdir(parents=True, exist_ok=True)
        (spec / name).write_text(text, encoding="utf-8")
    assert run("leave", spec, "sande")[0] == 0
    workbook = tmp_path / "spec.xlsx"
    assert run("export", spec, workbook)[0] == 0
    assert run("import", workbook, tmp_path / "again")[0] == 0
    code, out, err = run("leave", tmp_path / "again", "sande")
    assert (code, out) == (0, run("leave", spec, "sande")[1]), err


def test_a_share_of_two_changes_at_once(tmp_path: Path) -> None:
    def wrong(book: Workbook) -> None:
        sheet = book["Andeler"]
        for row in sheet.iter_rows(min_row=2):
            if row[3].value == "nedre-eiker" and row[1].value == "drammen":
                row[4].value = "sande"
                return

    data = changed(export_workbook(_with_founders(dikt.load(EXAMPLE)), "nb"), wrong)
    assert problems(data) == [
        'portefølje.xlsx: E155 Andeler!E6: at most one of "Med kandidat" (With candidate), '
        '"Uten medlem" (Without member), "Slått sammen til" (Merged into) in a row: a share '
        "is of the key's shares once one candidate joins, one member leaves or members merge "
        "into one"
    ]


def test_import_force_replaces_only_the_spec_files_and_keeps_the_rest(tmp_path: Path) -> None:
    """The accounts, a .git directory and notes are the user's: --force replaced the whole
    directory and lost them (found by a review)."""
    workbook = tmp_path / "p.xlsx"
    run("export", EXAMPLE, workbook)
    spec = tmp_path / "spec"
    assert run("import", workbook, spec)[0] == 0
    kept = {
        "accounts/2012.csv": "Bilag;Prosjekt;Tekst;Beløp\r\n",
        ".git/HEAD": "ref: refs/heads/main\n",
        "NOTES.md": "# notater\n",
        "members/README.txt": "one file per member\n",
    }
    for name, text in kept.items():
        (spec / name).parent.mkdir(parents=True, exist_ok=True)
        (spec / name).write_bytes(text.encode("utf-8"))
    (spec / "members" / "gone.toml").write_text("# not in the workbook\n", encoding="utf-8")
    before = (spec / "cooperation.toml").read_text(encoding="utf-8")
    (spec / "cooperation.toml").write_text("# a comment\n" + before, encoding="utf-8")
    assert run("import", workbook, spec, "--force")[0] == 0
    for name, text in kept.items():
        assert (spec / name).read_bytes() == text.encode("utf-8"), name
    assert not (spec / "members" / "gone.toml").exists()
    assert (spec / "cooperation.toml").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.xlsx", "spec"]
