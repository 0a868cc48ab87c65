"""dikt in Norwegian bokmål: complete catalogs, number formats; JSON and CSV never change."""

from __future__ import annotations

import datetime as dt
import enum
import io
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import click
import click.exceptions
import openpyxl
import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import given, strategies as st

import dikt
from dikt import allocation, harmonisation, joining, model
from dikt.cli._common import _CLICK_MESSAGES, _CLICK_MODULES
from dikt.errors import Severity
from dikt.i18n import LANGUAGES, TERMS, message, texts
from dikt.limits import MAX_GROWTH_PERCENT
from dikt.money import Money
from dikt.views.allocation import (
    allocation_document,
    diff_document,
    explain_document,
    prices_document,
)
from dikt.views.graph import impact_document
from dikt.views.harmonisation import gaps_document, matrix_document, roadmap_document
from dikt.views.joining import join_document
from dikt.views.plan import plan_document
from dikt.writers import WRITERS

from .conftest import EXAMPLE, ROOT
from .test_cli import run
from .test_output import COMMANDS

LOCALE = ROOT / "dikt" / "locale"
PO = LOCALE / "nb" / "LC_MESSAGES" / "dikt.po"
NBSP = "\u00a0"


def catalog() -> dict[str | tuple[str, ...], object]:
    with PO.open("rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


def extracted() -> set[str | tuple[str, ...]]:
    """The message ids ``pybabel extract -F babel.cfg`` finds in dikt today."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, text, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        found.add(text)
    return found


# -- the catalog -----------------------------------------------------------------------


def test_every_message_has_a_bokmal_translation() -> None:
    untranslated = [
        key
        for key, entry in catalog().items()
        if not entry.string  # type: ignore[attr-defined]
        or (isinstance(entry.string, tuple) and not all(entry.string))  # type: ignore[attr-defined]
        or entry.fuzzy  # type: ignore[attr-defined]
    ]
    assert untranslated == []


def test_the_catalog_holds_exactly_the_messages_of_the_code() -> None:
    # A new message in the code (or one removed) needs pybabel extract and update:
    # docs/howto/language.md.
    in_code, in_catalog = extracted(), set(catalog())
    assert sorted(map(str, in_code - in_catalog)) == []
    assert sorted(map(str, in_catalog - in_code)) == []


def test_translations_keep_their_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return set(re.findall(r"\{(\w*)\}", text))

    for key, entry in catalog().items():
        ids = key if isinstance(key, tuple) else (key,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)  # type: ignore[attr-defined]
        for index, text in enumerate(strings):
            # The singular form against the singular id, the others against the plural
            # (click's "Did you mean {possibility}?" has other fields in its plural).
            source = ids[min(index, len(ids) - 1)]
            assert fields(text) <= fields(ids[-1]) | fields(ids[0]), (key, text)
            assert fields(source) <= fields(text) | {"n"}, (key, text)


def test_the_shipped_compiled_catalog_is_the_po_compiled() -> None:
    # pybabel compile writes the same bytes: a .po edited without compiling fails here.
    with PO.open("rb") as handle:
        source = read_po(handle)
    compiled = io.BytesIO()
    write_mo(compiled, source)
    assert PO.with_suffix(".mo").read_bytes() == compiled.getvalue()


ENUMS_SHOWN_AS_TERMS: list[type[enum.Enum]] = [
    allocation.LineKind,
    model.Package,
    model.SystemStatus,
    model.Metric,
    model.Category,
    model.MemberStatus,
    model.Device,
    model.Use,
    model.CalKind,
    model.ThinClients,
    harmonisation.DomainStatus,
    joining.CostCategory,
    Severity,
]


@pytest.mark.parametrize("kind", ENUMS_SHOWN_AS_TERMS, ids=lambda k: k.__name__)
def test_every_term_a_table_shows_is_translated(kind: type[enum.Enum]) -> None:
    nb = texts("nb")
    for value in kind:
        assert value.value in TERMS
        assert nb.term(value) != value.value or value.value in {"standard"}


def test_the_languages_of_the_spec_format_are_those_dikt_writes() -> None:
    assert tuple(language.value for language in model.Language) == LANGUAGES


# -- numbers -----------------------------------------------------------------------------


def test_bokmal_numbers_follow_the_norwegian_conventions() -> None:
    nb = texts("nb")
    assert nb.amount(Money(123456789), "NOK") == f"1{NBSP}234{NBSP}567,89{NBSP}kr"
    assert nb.amount(Money(-150)) == "-1,50"
    assert nb.amount(Money(150), signed=True) == "+1,50"
    assert nb.exact_percent(Fraction(1, 8)) == f"12,5{NBSP}%"
    assert nb.percent(Fraction(10, 13)) == f"76,92{NBSP}%"
    assert nb.number(Fraction(23650)) == f"23{NBSP}650"
    assert nb.count(1800) == f"1{NBSP}800"
    assert nb.date(dt.date(2013, 1, 1)) == "01.01.2013"
    assert nb.currency("NOK") == "kr"


def test_english_numbers_are_unchanged() -> None:
    en = texts("en")
    assert en.amount(Money(123456789), "NOK") == "1,234,567.89 NOK"
    assert en.percent(Fraction(10, 13)) == "76.92 %"
    # One way in a table: a change reads as its share does (issue 24.8).
    assert en.percent(Fraction(-1, 20), signed=True) == "-5.00 %"
    assert en.count(1800) == "1,800"
    assert en.number(Fraction(1, 3)) == "~0.3333333333"


def test_percentages_round_half_away_from_zero_never_to_even() -> None:
    # 0.125 % and 0.135 %: half-even would give 0,12 and 0,14.
    assert texts("nb").percent(Fraction(1, 800)) == f"0,13{NBSP}%"
    assert texts("nb").percent(Fraction(135, 100000)) == f"0,14{NBSP}%"
    assert texts("en").percent(Fraction(1, 800)) == "0.13 %"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_a_bokmal_amount_is_exactly_its_ore(ore: int) -> None:
    shown = texts("nb").amount(Money(ore), "NOK")
    assert shown.endswith(f"{NBSP}kr")
    digits = shown.removesuffix(f"{NBSP}kr").replace(NBSP, "").replace(",", ".")
    assert Decimal(digits) == Decimal(ore) / 100
    assert re.fullmatch(r"-?\d{1,3}(\u00a0\d{3})*,\d\d", shown.removesuffix(f"{NBSP}kr"))


@given(st.fractions(min_value=-10, max_value=10))
def test_a_bokmal_number_is_the_english_one_with_a_decimal_comma(value: Fraction) -> None:
    english = texts("en").number(value)
    assert texts("nb").number(value).replace(NBSP, "").replace(",", ".") == english


def test_messages_are_translated_with_their_arguments() -> None:
    built = message('unknown key "{key}" (known keys: {known})', key="usrs", known="users")
    assert built == 'unknown key "usrs" (known keys: users)'
    assert texts("nb").message(built) == "ukjent nøkkel «usrs» (kjente nøkler: users)"
    assert texts("nb").message("plain text") == "plain text"
    assert texts("nb")._("") == ""


# -- documents -----------------------------------------------------------------------------


def documents(language: str) -> list[dikt.document.Document]:  # type: ignore[name-defined]
    cooperation = dikt.load(EXAMPLE)
    result = dikt.allocate(cooperation)
    return [
        allocation_document(result, language=language),
        explain_document(result, "sande", language=language),
        prices_document(dikt.unit_prices(result), "NOK", language),
        diff_document(dikt.diff(result, dikt.allocate(cooperation, 2013)), language),
        gaps_document(dikt.gaps(cooperation, "nedre-eiker"), language),
        matrix_document(dikt.matrix(cooperation), language),
        roadmap_document(dikt.roadmap(cooperation, "nedre-eiker"), language),
        join_document(dikt.join(cooperation, "nedre-eiker"), language),
        plan_document(dikt.plan(cooperation, growth=Fraction(1, 40)), language),
        impact_document(dikt.impact(cooperation, "IT192"), language),
    ]


def test_every_header_of_every_document_is_in_the_catalog() -> None:
    known = set(catalog())
    for document in documents("nb"):
        assert document.language == "nb"
        for table in (*document.tables, *([document.records] if document.records else [])):
            for column in table.columns:
                if column.label is None and not column.header.isdigit():
                    assert column.header in known, (table.name, column.header)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_bokmal_documents_read_in_bokmal(writer: str) -> None:
    english, norwegian = documents("en"), documents("nb")
    for en, nb in zip(english, norwegian, strict=True):
        en_text = WRITERS[writer](en, None)  # type: ignore[index]
        nb_text = WRITERS[writer](nb, None)  # type: ignore[index]
        if writer == "csv":
            assert nb_text == en_text  # machines read the same bytes in every language
        else:
            assert nb_text != en_text
            # No English amount (1,234.56) is left in a Norwegian text.
            assert not re.search(r"\d,\d{3}\.\d\d", nb_text), en.title


def test_the_allocation_in_bokmal_reads_as_a_norwegian_budget() -> None:
    cooperation = dikt.load(EXAMPLE)
    text = WRITERS["table"](allocation_document(dikt.allocate(cooperation), language="nb"), None)
    assert text.startswith("Drammensregionens IKT (d-ikt): eiertilskudd 2012, NOK\n")
    assert "Sum etter type" in text
    assert f"63{NBSP}000{NBSP}000,00" in text
    base = next(line for line in text.splitlines() if line.startswith("grunnpakke "))
    assert re.search(r" \d{1,3}(\u00a0\d{3})*,\d\d$", base), base
    assert "fagapplikasjon" in text
    assert "kjerneinvestering" in text


# -- the command line ---------------------------------------------------------------------


def test_lang_nb_gives_norwegian_tables() -> None:
    code, out, _ = run("join", EXAMPLE, "nedre-eiker", "--lang", "nb")
    assert code == 0
    assert out.startswith("Tilslutning av Nedre Eiker kommune: gjennomføring i 2012")
    assert "Engangskostnader" in out
    assert f"8{NBSP}660{NBSP}000,00" in out
    assert "Ladeskap for bærbare PC-er i skolen" in out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_and_csv_are_the_same_in_every_language(command: str) -> None:
    formats = ["json"] if command == "check" else ["json", "csv"]
    for fmt in formats:
        outputs = {run(*COMMANDS[command], "--format", fmt, "--lang", lang) for lang in LANGUAGES}
        assert len(outputs) == 1, (command, fmt)


def spec_in(tmp_path: Path, language: str) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE, spec)
    cooperation = spec / "cooperation.toml"
    text = cooperation.read_text(encoding="utf-8")
    cooperation.write_text(
        text.replace('currency = "NOK"\n', f'currency = "NOK"\nlanguage = "{language}"\n', 1),
        encoding="utf-8",
    )
    return spec


def test_the_spec_language_is_the_default_and_lang_overrides_it(tmp_path: Path) -> None:
    spec = spec_in(tmp_path, "nb")
    assert dikt.load(spec).language is model.Language.NB
    _, norwegian, _ = run("allocate", spec)
    assert "eiertilskudd" in norwegian
    _, english, _ = run("allocate", spec, "--lang", "en")
    assert "owner contributions" in english
    assert (
        run("allocate", spec, "--format", "json")[1]
        == run("allocate", EXAMPLE, "--format", "json")[1]
    )


def test_check_speaks_the_spec_language_even_when_the_spec_does_not_load(tmp_path: Path) -> None:
    spec = spec_in(tmp_path, "nb")
    member = spec / "members" / "sande.toml"
    member.write_text(
        member.read_text(encoding="utf-8").replace("users = 2150", 'users = "2150"', 1),
        encoding="utf-8",
    )
    code, out, _ = run("check", spec)
    assert code == 2
    assert out.endswith("E006 users: forventet et heltall, fikk «2150»\n1 feil, 0 advarsler\n")
    code, out, _ = run("check", spec, "--lang", "en")
    assert out.endswith('E006 users: expected an integer, got "2150"\n1 error, 0 warnings\n')
    code, _, err = run("allocate", spec)
    assert (code, err.splitlines()[-1][-30:]) == (2, "forventet et heltall, fikk «2150»"[-30:])


def test_check_findings_in_bokmal(tmp_path: Path) -> None:
    spec = spec_in(tmp_path, "nb")
    cooperation = spec / "cooperation.toml"
    cooperation.write_text(
        cooperation.read_text(encoding="utf-8").replace('currency = "NOK"', 'currency = "nok"'),
        encoding="utf-8",
    )
    code, out, _ = run("check", spec)
    assert code == 1
    assert "E113 currency: «nok» er ikke en ISO 4217-kode (tre store bokstaver, som «NOK»)" in out
    code, out, _ = run("check", spec, "--format", "json")
    assert '"message": "\\"nok\\" is not an ISO 4217 code' in out  # JSON stays English


def test_dikt_lang_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIKT_LANG", "nb")
    _, out, _ = run("matrix", EXAMPLE)
    assert "Nedre Eiker (kandidat)" in out
    assert "fagområde" in out


def test_command_line_mistakes_are_told_in_the_language_asked_for() -> None:
    """click's own messages read in bokmål with --lang nb, even before click reads --lang."""
    code, _, err = run("allocate", EXAMPLE, "--lang", "nb", "--formt", "json")
    assert code == 2
    # The test runner calls the program "main".
    assert err == (
        "Bruk: main allocate [OPTIONS] SPEC\n"
        "Skriv «main allocate --help» for hjelp.\n\n"
        "Feil: Valget '--formt' finnes ikke. Mente du '--format'?\n"
    )
    code, _, err = run("allocate", EXAMPLE, "--lang=nb", "--year", "1700")
    assert code == 2
    assert "Feil: Ugyldig verdi for '--year': 1700 er utenfor området 1900<=x<=2200." in err
    _, _, err = run("allocate", EXAMPLE, "x", "y", "--lang", "nb")
    assert "Feil: Fikk uventede ekstra argumenter (x y)" in err
    _, _, err = run("allocate", "--lang", "nb")
    assert "Feil: Mangler argument 'SPEC'." in err
    # dikt's own usage messages too, what the user wrote shown escaped.
    code, _, err = run(
        "report", EXAMPLE, "nedre-eiker", "--output", "r\x1b[2J.docx", "--lang", "nb"
    )
    assert code == 2
    assert "Feil: Ugyldig verdi for '--output': r\\x1b[2J.docx: rapporten skrives som" in err
    assert "\x1b" not in err
    _, _, err = run("allocate", EXAMPLE, "--year", "x", "--lang", "nb")
    assert "Feil: Ugyldig verdi for '--year': 'x' er ikke et gyldig år." in err
    _, _, err = run("allocate", EXAMPLE, "--year", "x")
    assert "Error: Invalid value for '--year': 'x' is not a valid year." in err
    _, _, err = run("check", EXAMPLE, "--select", "Q9", "--lang", "nb")
    assert "«Q9» er ingen kode og ikke begynnelsen på en (koder: E001-E011" in err


def test_command_line_mistakes_in_bokmal_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIKT_LANG", "nb")
    code, _, err = run("alocate")
    assert code == 2
    assert "Feil: Kommandoen 'alocate' finnes ikke. Mente du 'allocate'?" in err
    _, _, err = run("allocate", EXAMPLE, "--format", "yaml")
    assert "'yaml' er ikke en av 'table', 'json'" in err


def test_click_speaks_english_again_after_a_bokmal_run() -> None:
    """The command line puts click's own gettext names back when it is done."""
    before = click.exceptions._
    run("allocate", EXAMPLE, "--lang", "nb", "--formt")
    assert click.exceptions._ is before
    code, _, err = run("allocate", EXAMPLE, "--formt")
    assert code == 2
    assert "Error: No such option '--formt'. Did you mean '--format'?" in err


def test_the_click_messages_in_the_catalog_are_still_clicks() -> None:
    """A click release that rewords a message would leave it untranslated: this says so."""
    folder = Path(click.__file__).parent
    clicks = {
        message_id
        for module in _CLICK_MODULES
        for _, message_id, _, _ in extract_from_file(
            "python", str(folder / f"{module.split('.')[1]}.py")
        )
    }
    missing = [m for m in _CLICK_MESSAGES if m not in clicks]
    assert not missing, f"no longer click's messages: {missing}"


def test_what_a_command_cannot_compute_is_said_in_the_language_asked_for() -> None:
    code, _, err = run("join", EXAMPLE, "drammen", "--lang", "nb")
    assert (code, err) == (2, "dikt: drammen er allerede medlem; tilslutning gjelder kandidater\n")
    code, _, err = run("join", EXAMPLE, "drammen")
    assert (code, err) == (2, "dikt: drammen is already a member; joining is for candidates\n")
    with pytest.raises(dikt.ComputeError) as raised:
        dikt.plan(dikt.load(EXAMPLE), 2199, 4)
    assert texts("nb").message(raised.value.args[0]) == (
        "planens siste år 2202 er utenfor årene dikt støtter, 1900-2200"
    )
    assert str(raised.value) == "the plan's last year 2202 is outside the supported years 1900-2200"


def test_an_unknown_language_is_a_usage_error() -> None:
    code, _, err = run("allocate", EXAMPLE, "--lang", "de")
    assert code == 2
    assert "'de' is not one of 'en', 'nb'" in err


def test_a_bokmal_workbook_has_norwegian_sheets_and_headers_and_the_same_numbers(
    tmp_path: Path,
) -> None:
    target = tmp_path / "nb.xlsx"
    assert (
        run("join", EXAMPLE, "nedre-eiker", "--format", "xlsx", "--output", target, "--lang", "nb")[
            0
        ]
        == 0
    )
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["sammendrag", "engangskostnader", "medlemmer", "premisser"]
    sheet = book["engangskostnader"]
    assert [c.value for c in sheet[1]] == [
        "kategori",
        "post",
        "mengde",
        "enhet",
        "enhetspris",
        "beløp",
        "regel",
    ]
    assert sheet["A2"].value == "implementering"
    assert sheet["F2"].value == 4_500_000
    english = tmp_path / "en.xlsx"
    run("join", EXAMPLE, "nedre-eiker", "--format", "xlsx", "--output", english)
    numbers = [
        [c.value for c in row if isinstance(c.value, int | float)]
        for sheet in openpyxl.load_workbook(english).worksheets
        for row in sheet.iter_rows()
    ]
    assert numbers == [
        [c.value for c in row if isinstance(c.value, int | float)]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
    ]


# -- help ----------------------------------------------------------------------------------


def test_help_in_bokmal_with_lang_before_help() -> None:
    code, out, _ = run("join", "--lang", "nb", "--help")
    assert code == 0
    assert out.startswith("Bruk: ")
    assert out.splitlines()[0].endswith(" join [OPTIONS] SPEC CANDIDATE")
    assert "Hva tilslutning koster CANDIDATE" in out
    assert "Valg:" in out
    assert "Vis denne meldingen og avslutt." in out
    assert "[standard: table]" in out
    assert "Options:" not in out


def test_the_command_list_in_bokmal_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIKT_LANG", "nb")
    code, out, _ = run("--help")
    assert code == 0
    assert "Kommandoer:" in out
    assert "  prices    Enhetsprisen per år for hvert system i katalogen.\n" in out
    monkeypatch.delenv("DIKT_LANG")
    _, english, _ = run("--help")
    assert "  prices    The unit price per year of every catalogue system.\n" in english


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_has_no_raw_markup_and_one_default_language(lang: str) -> None:
    """A terminal shows `backticks` as they are; report and letter are written in
    bokmål unless the spec says otherwise, and their --lang says so (once)."""
    code, out, _ = run("--lang", lang, "--help")
    assert code == 0
    names = re.findall(r"^  ([a-z]+)  ", out.split("\n\n")[-1], re.MULTILINE)
    assert len(names) > 20
    for name in names:
        code, out, _ = run("--lang", lang, name, "--help")
        assert code == 0
        assert "`" not in out, name
        flat = " ".join(out.split())
        default = "else nb" if name in ("report", "letter") else "else en"
        if lang == "nb":
            default = default.replace("else", "ellers")
        assert flat.count(default) == ("--lang" in flat), (name, flat)
        assert "bokmål unless" not in flat


def test_the_growth_help_states_the_real_limit() -> None:
    _, out, _ = run("plan", "--help")
    assert f"at most {MAX_GROWTH_PERCENT})" in " ".join(out.split())


def test_errors_of_a_command_speak_the_spec_language(tmp_path: Path) -> None:
    spec = spec_in(tmp_path, "nb")
    code, _, err = run("allocate", spec, "--member", "drammn")
    assert (code, err) == (
        2,
        "dikt: «drammn» finnes ikke som medlem i spesifikasjonen; mente du «drammen»?\n",
    )
    code, _, err = run("explain", spec, "nedre-eiker")
    assert code == 2
    assert err.startswith("dikt: nedre-eiker er kandidat: den betaler ingenting")
    code, _, err = run("allocate", spec, "--member", "drammn", "--lang", "en")
    assert err == 'dikt: no member "drammn" in the spec; did you mean "drammen"?\n'
