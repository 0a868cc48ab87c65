"""Actual costs and the settlement: ledgers as exported, exact settlements, properties."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tempfile
import tracemalloc
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

import dikt
from dikt.actuals import ore_of, parse_amount
from dikt.findings import problem_text
from dikt.focus import focus_actual_csv
from dikt.views.year import letter_document, settlement_document
from dikt.writers import WRITERS

from .conftest import EXAMPLE, MINIMAL_COOPERATION, minimal_member
from .output import as_csv, as_json, as_table
from .strategies import cooperations, payable
from .test_cli import run

HEADER = "Bilag;Prosjekt;Beløp;Valuta\r\n"


@pytest.fixture(scope="module")
def example() -> dikt.Cooperation:
    return dikt.load(EXAMPLE)


def ledger(tmp_path: Path, text: str, name: str = "ledger.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def read(example: dikt.Cooperation, path: Path, **columns: str) -> dikt.Actuals:
    return dikt.read_ledger(
        example,
        path,
        2012,
        project_column=columns.get("project", "Prosjekt"),
        amount_column=columns.get("amount", "Beløp"),
        currency_column=columns.get("currency"),
    )


def problems(error: pytest.ExceptionInfo[dikt.SpecError]) -> list[str]:
    return [str(p) for p in error.value.problems]


# -- the example ---------------------------------------------------------------------------


def test_the_d_ikt_settlement_of_2012(example: dikt.Cooperation) -> None:
    result = dikt.settle(example, dikt.read_accounts(example, EXAMPLE, 2012))
    assert (str(result.budget), str(result.actual), str(result.difference)) == (
        "63000000.00",
        "63082500.00",
        "82500.00",
    )
    assert [(m.id, str(m.invoiced), str(m.actual), str(m.due)) for m in result.members] == [
        ("drammen", "38634121.97", "38677992.43", "43870.46"),
        ("royken", "13665906.17", "13680927.23", "15021.06"),
        ("sande", "6147430.67", "6165863.00", "18432.33"),
        ("svelvik", "4552541.19", "4557717.34", "5176.15"),
    ]
    over = {i.item: str(i.difference) for i in result.items if i.difference}
    assert over["IT151"] == "280000.00"
    assert over["IT154"] == "-290000.00"
    gerica = [line for line in result.members[2].lines if line.item == "gerica"]
    assert [(str(g.budget), str(g.actual)) for g in gerica] == [("300000.00", "312500.00")]


def test_a_later_year_is_settled_against_its_own_budget(example: dikt.Cooperation) -> None:
    """Actual costs of 2013 as budgeted for 2013: settled against 2013's allocation, nothing
    to pay; against the budget of another year, refused; a member looked up by its id."""
    budget = dikt.allocate(example, 2013)
    actuals = _as_budgeted(budget)
    result = dikt.settle(example, actuals)
    assert (result.year, result.budget, result.actual) == (2013, budget.total, budget.total)
    assert budget.total != dikt.allocate(example).total
    assert all(not m.difference for m in result.members)
    assert result.member("sande").invoiced == budget.member("sande").total
    with pytest.raises(dikt.NotFoundError) as missing:
        result.member("sandee")
    assert str(missing.value) == 'no member "sandee" in the spec; did you mean "sande"?'
    with pytest.raises(dikt.ComputeError) as error:
        dikt.settle(example, actuals, budget=dikt.allocate(example))
    assert str(error.value) == "the budget is of 2012, the actual costs of 2013"


def test_what_a_settlement_refuses(example: dikt.Cooperation) -> None:
    """Costs nobody can pay, word for word: a project no budget line shares, costs booked
    to no project without a key (or with a key that has no basis), a year without a budget."""
    budget = dikt.allocate(example)
    actuals = _as_budgeted(budget)
    unknown = {"zz": dikt.Money(5), "yy": dikt.Money(7), "xx": dikt.Money(0)}
    with pytest.raises(dikt.ComputeError) as error:
        dikt.settle(
            example,
            attrs.evolve(actuals, projects={**actuals.projects, **unknown}),
            budget=budget,
        )
    # A project of no cost is let be.
    assert str(error.value) == (
        "actual costs with nobody to pay them (no budget line shares them): yy, zz"
    )
    unassigned = attrs.evolve(actuals, unassigned=dikt.Money(100))
    for key, said in ((None, "null"), ("nokey", '"nokey"')):
        spec = attrs.evolve(
            example, settlement=attrs.evolve(example.settlement, unassigned_key=key)
        )
        with pytest.raises(dikt.ComputeError) as error:
            dikt.settle(spec, unassigned, budget=budget)
        assert str(error.value) == f"[settlement] unassigned_key: {said} is not a key of the spec"
    spec = attrs.evolve(
        example,
        settlement=attrs.evolve(example.settlement, unassigned_key="employees"),
        members={k: attrs.evolve(m, employees=0) for k, m in example.members.items()},
    )
    with pytest.raises(dikt.ComputeError) as error:
        dikt.settle(spec, unassigned, budget=budget)
    assert str(error.value) == (
        '[settlement] unassigned_key: cannot split by key "employees": the participants\' '
        'total of "employees" is 0'
    )
    empty = attrs.evolve(budget, total=dikt.Money(0), members=(), splits=())
    with pytest.raises(dikt.ComputeError) as error:
        dikt.settle(example, actuals, budget=empty)
    assert str(error.value) == "2012 has no budget: nothing to settle against"


def test_a_budget_of_nothing_is_settled_all_the_same() -> None:
    """A year whose systems cost 0.00 has a budget (its lines): a cost booked to one of
    them is settled, not refused as a year without a budget."""
    free = MINIMAL_COOPERATION.replace("annual_cost = 1000", "annual_cost = 0").replace(
        "annual_cost = 500", "annual_cost = 0"
    )
    cooperation = dikt.load_texts(free, {"members/a.toml": minimal_member("a")})
    budget = dikt.allocate(cooperation)
    assert (budget.total, len(budget.splits)) == (dikt.Money(0), 2)
    actuals = dikt.Actuals(
        year=2012, currency="NOK", source="-", projects={"FW": dikt.Money(100_00)}
    )
    result = dikt.settle(cooperation, actuals)
    assert [(m.id, str(m.difference)) for m in result.members] == [("a", "100.00")]


def test_carry_forward_settles_nothing_in_the_year(example: dikt.Cooperation) -> None:
    terms = attrs.evolve(example.settlement, outcome=dikt.Outcome.CARRY_FORWARD)
    spec = attrs.evolve(example, settlement=terms)
    result = dikt.settle(spec, dikt.read_accounts(spec, EXAMPLE, 2012))
    drammen = result.members[0]
    assert (str(drammen.due), str(drammen.carried)) == ("0.00", "43870.46")
    text = as_table(settlement_document(result))
    assert "carries the difference into next year's budget (KRS 12)" in text


def test_the_table_names_members_and_fits_80_columns(example: dikt.Cooperation) -> None:
    result = dikt.settle(example, dikt.read_accounts(example, EXAMPLE, 2012))
    for language in ("en", "nb"):
        text = WRITERS["table"](settlement_document(result, "sande", language), 80)
        assert "Sande kommune" in text
        assert max(len(line) for line in text.splitlines()) <= 80, language
    assert "i forhold til brukere" in WRITERS["table"](
        settlement_document(result, "sande", "nb"), 80
    )


def test_a_mistyped_code_is_quoted_as_bokmal_quotes(
    example: dikt.Cooperation, tmp_path: Path
) -> None:
    path = ledger(tmp_path, HEADER + "1;IT15l;1;NOK\r\n")
    with pytest.raises(dikt.SpecError) as error:
        read(example, path)
    assert problem_text(error.value.problems[0], "nb").endswith(
        "E133 Prosjekt: ukjent prosjektkode «IT15l»; mente du «IT151»?"
    )


def test_json_and_csv(example: dikt.Cooperation) -> None:
    result = dikt.settle(example, dikt.read_accounts(example, EXAMPLE, 2012))
    data = json.loads(as_json(result))
    assert data["outcome"] == "settle"
    assert data["members"][0]["difference"] == "43870.46"
    line = data["members"][0]["lines"][0]
    assert set(line) >= {"item", "budget", "actual", "difference", "key", "share"}
    rows = as_csv(settlement_document(result)).splitlines()
    assert rows[0] == ("year,member,item,kind,key,quantity,basis,budget,actual,difference")


# -- reading ledgers -----------------------------------------------------------------------


def test_a_norwegian_ledger_with_bom_crlf_quotes_and_no_break_spaces(
    example: dikt.Cooperation, tmp_path: Path
) -> None:
    text = (
        HEADER
        + '1;IT151;"3\u00a0180\u00a0000,00";NOK\r\n'
        + '2;"IT141";1 260 000,00;NOK\r\n'
        + '3;"IT141";"-10 000,50";NOK\r\n'
        + '"4;a";IT192;2400000.00;NOK\r\n'
    )
    actuals = read(example, ledger(tmp_path, text, bom=True), currency="Valuta")
    assert {k: str(v) for k, v in actuals.projects.items()} == {
        "IT141": "1249999.50",
        "IT151": "3180000.00",
        "IT192": "2400000.00",
    }
    assert (actuals.rows, actuals.credit_notes, str(actuals.credited)) == (4, 1, "-10000.50")
    assert [str(w) for w in actuals.warnings] == [
        f"{tmp_path / 'ledger.csv'}: W217 1 credit note(s) (negative amounts), -10000.50 in all: "
        "allowed, and subtracted from their projects' costs"
    ]


def test_a_comma_separated_ledger(example: dikt.Cooperation, tmp_path: Path) -> None:
    path = ledger(tmp_path, "project,amount\nIT151,1100000.00\nIT151,5\n")
    actuals = read(example, path, project="project", amount="amount")
    assert str(actuals.projects["IT151"]) == "1100005.00"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 100 000,00", "1100000.00"),
        ("1\u202f100\u202f000,5", "1100000.5"),
        ("1.100.000,00", "1100000.00"),
        ("1100000.00", "1100000.00"),
        ("1100000", "1100000"),
        ("12,5", "12.5"),
        ("-250", "-250"),
        ("\u2212250,00", "-250.00"),
    ],
)
def test_amounts_as_ledgers_write_them(cell: str, expected: str) -> None:
    assert str(parse_amount(cell)) == expected


@pytest.mark.parametrize("cell", ["1,100,000.00", "1 10 000", "=1+1", "abc", "", "1e5"])
def test_what_is_not_an_amount(cell: str) -> None:
    with pytest.raises(ValueError, match="expected an amount"):
        parse_amount(cell)


def test_three_decimals_are_refused_even_as_thousands() -> None:
    """``1.100`` may mean 1.1 or 1100: money is to the øre, so neither is guessed."""
    with pytest.raises(ValueError, match="at most two decimals"):
        parse_amount("1.100")


def test_every_problem_of_a_ledger_with_row_and_column(
    example: dikt.Cooperation, tmp_path: Path
) -> None:
    text = (
        HEADER
        + "1;IT15l;100,00;NOK\r\n"  # mistyped code
        + "2;IT151;100,005;NOK\r\n"  # three decimals
        + "3;IT151;=SUM(A1:A9);NOK\r\n"  # a formula
        + "4;IT151;100,00;SEK\r\n"  # another currency
        + "5;IT151;100,00;NOK\r\n"
        + "5;IT151;100,00;NOK\r\n"  # a duplicate
        + "7;;100,00;NOK\r\n"  # booked to no project
        + "8;storage-2013;100,00;NOK\r\n"  # an investment of 2013
        + "9;IT151;100,00\r\n"  # a short row
    )
    path = ledger(tmp_path, text)
    with pytest.raises(dikt.SpecError) as error:
        read(example, path, currency="Valuta")
    assert problems(error) == [
        f'{path}:2:2: E133 Prosjekt: unknown project code "IT15l"; did you mean "IT151"?',
        f'{path}:3:3: E132 Beløp: "100,005": an amount has at most two decimals: '
        "money is to the øre",
        f'{path}:4:3: E132 Beløp: "\'=SUM(A1:A9)": expected an amount such as '
        "1 100 000,00 or 1100000.00",
        f'{path}:5:4: E136 Valuta: a cost in "SEK"; the spec\'s currency is NOK',
        f"{path}:7: E135 a duplicate of the row on line 6",
        f"{path}:8:2: E137 Prosjekt: a cost booked to no project; name a project, or the key "
        "that shares such costs ([settlement] unassigned_key)",
        f"{path}:9:2: E134 Prosjekt: project storage-2013 is an investment of 2013, not of 2012",
        f"{path}:10: E132 a row of 3 fields under a header of 4",
    ]


def test_a_missing_column_is_named_with_a_suggestion(
    example: dikt.Cooperation, tmp_path: Path
) -> None:
    path = ledger(tmp_path, HEADER + "1;IT151;1;NOK\r\n")
    with pytest.raises(dikt.SpecError) as error:
        read(example, path, project="prosjekt")
    assert problems(error) == [
        f'{path}:1: E131 --project-column "prosjekt": the ledger has no such column; '
        'did you mean "Prosjekt"?'
    ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "E138 the ledger is empty: no header and no rows"),
        (HEADER, "E138 the ledger has no rows: no actual costs to settle"),
    ],
)
def test_an_empty_ledger(example: dikt.Cooperation, tmp_path: Path, text: str, said: str) -> None:
    path = ledger(tmp_path, text)
    with pytest.raises(dikt.SpecError) as error:
        read(example, path)
    assert problems(error) == [f"{path}: {said}"]


def test_a_system_not_in_operation_cannot_take_costs(
    example: dikt.Cooperation, tmp_path: Path
) -> None:
    systems = dict(example.systems)
    systems["IT151"] = attrs.evolve(systems["IT151"], retired=dt.date(2011, 6, 1))
    spec = attrs.evolve(example, systems=systems)
    path = ledger(tmp_path, HEADER + "1;IT151;1;NOK\r\n")
    with pytest.raises(dikt.SpecError) as error:
        read(spec, path)
    assert problems(error) == [
        f"{path}:2:2: E134 Prosjekt: project IT151 (Lagring HP 3PAR) is a system not in "
        "operation in 2012"
    ]


def test_unassigned_costs_are_shared_by_the_named_key(
    example: dikt.Cooperation, tmp_path: Path
) -> None:
    spec = attrs.evolve(
        example, settlement=attrs.evolve(example.settlement, unassigned_key="equal")
    )
    path = ledger(tmp_path, HEADER + "1;;1000,00;NOK\r\n2;IT151;2900000;NOK\r\n")
    result = dikt.settle(spec, read(spec, path))
    assert [str(i.actual) for i in result.items if i.item == "(no project)"] == ["1000.00"]
    shares = [
        str(line.actual) for m in result.members for line in m.lines if line.item == "(no project)"
    ]
    assert shares == ["250.00", "250.00", "250.00", "250.00"]


def test_a_large_ledger_is_streamed(example: dikt.Cooperation, tmp_path: Path) -> None:
    """The file is read row by row: memory holds a hash per row, never the rows."""
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        # 20 000 rows: held in memory, each would take well over 200 bytes
        # (a list of four strings), so the bound below tells streaming apart.
        for row in range(20_000):
            out.write(f"{row};IT151;1 000,00;NOK\r\n")
    tracemalloc.start()
    actuals = read(example, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert str(actuals.projects["IT151"]) == "20000000.00"
    assert peak < 200 * 20_000  # 200 bytes a row at most; the file has 500 kB of text


def test_the_accounts_file_is_read_strictly(example: dikt.Cooperation, tmp_path: Path) -> None:
    root = tmp_path / "spec"
    shutil.copytree(EXAMPLE, root)
    (root / "accounts" / "2012.toml").write_text(
        'year = 2013\ncurrency = "NOK"\n\n[actuals]\nIT151 = 1.001\nIT15 = 5\n',
        encoding="utf-8",
    )
    with pytest.raises(dikt.SpecError) as error:
        dikt.read_accounts(example, root, 2012)
    assert problems(error) == [
        "accounts/2012.toml:1:1: E139 year: the accounts of 2012 say year = 2013",
        "accounts/2012.toml:5:1: E132 actuals.IT151: an amount has at most two decimals: "
        "money is to the øre",
        'accounts/2012.toml:6:1: E133 actuals.IT15: unknown project code "IT15"; '
        'did you mean "IT150", "IT151" or "IT152"?',
    ]


def test_no_accounts_for_the_year(example: dikt.Cooperation) -> None:
    with pytest.raises(dikt.SpecError) as error:
        dikt.read_accounts(example, EXAMPLE, 2013)
    assert problems(error) == [
        "accounts/2013.toml: E130 no actual costs for 2013: write accounts/2013.toml in the "
        "spec, or give a ledger with --actuals"
    ]


# -- the command ---------------------------------------------------------------------------


def test_settle_in_bokmal() -> None:
    code, out, err = run("settle", EXAMPLE, "--lang", "nb")
    assert (code, err) == (0, "")
    assert "Sande kommune" in out
    assert "+18\xa0432,33" in out


def test_settle_a_ledger_from_the_command_line(tmp_path: Path) -> None:
    path = ledger(tmp_path, HEADER + "1;IT151;-5,00;NOK\r\n")
    code, out, err = run(
        "settle",
        EXAMPLE,
        "--actuals",
        path,
        "--project-column",
        "Prosjekt",
        "--amount-column",
        "Beløp",
        "--format",
        "json",
    )
    assert code == 2, (out, err)  # IT151 negative in all: the ledger cannot be settled
    assert "E140" in err
    code, _out, err = run("settle", EXAMPLE, "--actuals", path)
    assert code == 2
    assert "--actuals needs --project-column NAME and --amount-column NAME" in err


def test_a_broken_accounts_file_never_stops_allocate(tmp_path: Path) -> None:
    root = tmp_path / "spec"
    shutil.copytree(EXAMPLE, root)
    (root / "accounts" / "2012.toml").write_text("year = [", encoding="utf-8")
    assert run("allocate", root)[0] == 0
    assert run("check", root)[0] == 0
    code, _out, err = run("settle", root)
    assert code == 2
    assert "accounts/2012.toml:1:9: E130 invalid TOML" in err


def test_the_output_never_overwrites_the_ledger_or_the_accounts(tmp_path: Path) -> None:
    root = tmp_path / "spec"
    shutil.copytree(EXAMPLE, root)
    accounts = root / "accounts" / "2012.toml"
    before = accounts.read_bytes()
    code, _out, err = run("settle", root, "--output", accounts)
    assert code == 2
    assert accounts.read_bytes() == before
    path = ledger(tmp_path, HEADER + "1;IT151;5,00;NOK\r\n")
    code, _out, err = run(
        "settle",
        root,
        "--actuals",
        path,
        "--project-column",
        "Prosjekt",
        "--amount-column",
        "Beløp",
        "--output",
        path,
    )
    assert code == 2
    assert "dikt never writes over it" in err


# -- properties ----------------------------------------------------------------------------


def _as_budgeted(allocation: dikt.Allocation, scale: int = 1) -> dikt.Actuals:
    projects: dict[str, dikt.Money] = {}
    for split in allocation.splits:
        key = (
            f"{split.participants[0]}/{split.item}"
            if split.kind is dikt.LineKind.OWN_SYSTEM
            else split.item
        )
        projects[key] = split.amount * scale
    return dikt.Actuals(year=allocation.year, currency="NOK", source="-", projects=projects)


def _allocated(cooperation: dikt.Cooperation) -> dikt.Allocation | None:
    try:
        return dikt.allocate(cooperation)
    except dikt.ComputeError:
        return None


payable_cooperations = cooperations().map(payable)


@given(payable_cooperations)
def test_actuals_equal_to_the_budget_settle_to_zero(cooperation: dikt.Cooperation) -> None:
    allocation = _allocated(cooperation)
    if allocation is None or not allocation.splits:
        return
    result = dikt.settle(cooperation, _as_budgeted(allocation), budget=allocation)
    assert all(not m.difference for m in result.members)
    assert all(not line.difference for m in result.members for line in m.lines)


@given(payable_cooperations)
def test_doubling_every_actual_doubles_every_share_within_an_ore(
    cooperation: dikt.Cooperation,
) -> None:
    allocation = _allocated(cooperation)
    if allocation is None or not allocation.splits:
        return
    once = dikt.settle(cooperation, _as_budgeted(allocation), budget=allocation)
    twice = dikt.settle(cooperation, _as_budgeted(allocation, 2), budget=allocation)
    for a, b in zip(once.members, twice.members, strict=True):
        for line_a, line_b in zip(a.lines, b.lines, strict=True):
            assert abs(line_b.actual.ore - 2 * line_a.actual.ore) <= 1


_ROWS = st.lists(
    st.tuples(st.sampled_from(["IT151", "IT141", "IT192", "gerica"]), st.integers(-(10**6), 10**8)),
    min_size=1,
    max_size=30,
)


@settings(max_examples=30)
@given(_ROWS, st.randoms(use_true_random=False))
def test_a_settlement_does_not_depend_on_the_order_of_the_rows(
    rows: list[tuple[str, int]], random: object
) -> None:
    example = dikt.load(EXAMPLE)
    totals: dict[str, int] = {}
    for code, ore in rows:
        totals[code] = totals.get(code, 0) + ore
    if any(total < 0 for total in totals.values()):
        return  # a project negative in all is an error, in any order
    shuffled = list(enumerate(rows))
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    results = []
    with tempfile.TemporaryDirectory() as directory:
        for order in (list(enumerate(rows)), shuffled):
            body = "".join(
                f"{n};{code};{dikt.Money(ore).to_decimal()};NOK\r\n" for n, (code, ore) in order
            )
            path = ledger(Path(directory), HEADER + body)
            result = dikt.settle(example, read(example, path))
            results.append([(m.id, m.difference) for m in result.members])
    assert results[0] == results[1]


# -- the letter and the exports ------------------------------------------------------------


@pytest.mark.parametrize("cell", ["1\u00a0100\u00a0000,5", "-12.05", "1.100.000,00", "7", "12,5"])
def test_the_fast_reading_of_an_amount_is_the_exact_one(cell: str) -> None:
    assert ore_of(cell) == int(parse_amount(cell) * 100)


@given(st.integers(-(10**15), 10**15), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_every_amount_reads_back_to_its_ore(ore: int, space: str) -> None:
    whole, cents = divmod(abs(ore), 100)
    text = ("-" if ore < 0 else "") + f"{whole:,}".replace(",", space) + f",{cents:02d}"
    assert ore_of(text) == ore


def test_the_letter_in_html_and_pdf(tmp_path: Path) -> None:
    html = tmp_path / "sande.html"
    code, _out, err = run("letter", EXAMPLE, "sande", "--output", html)
    assert (code, err) == (0, "")
    text = html.read_text(encoding="utf-8")
    assert "Drammensregionens IKT: avregning 2012 for Sande kommune" in text
    assert "Sande kommune betaler 18\u00a0432,33\u00a0kr i tillegg" in text
    assert "<svg" in text
    pdf = tmp_path / "sande.pdf"
    assert run("letter", EXAMPLE, "sande", "--output", pdf, "--lang", "en")[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    code, _out, err = run("letter", EXAMPLE, "sande", "--output", tmp_path / "sande.txt")
    assert code == 2


def test_a_letter_to_a_member_that_gets_money_back(example: dikt.Cooperation) -> None:
    spec = attrs.evolve(example)
    actuals = dikt.read_accounts(spec, EXAMPLE, 2012)
    cheaper = attrs.evolve(actuals, projects={**actuals.projects, "IT157": dikt.Money(600_000_000)})
    result = dikt.settle(spec, cheaper)
    text = as_table(letter_document(result, "svelvik", "en"))
    assert "Svelvik kommune gets " in text
    assert "back." in text


def test_the_actual_costs_in_focus_beside_the_budget(example: dikt.Cooperation) -> None:
    result = dikt.settle(example, dikt.read_accounts(example, EXAMPLE, 2012))
    rows = list(csv.DictReader(io.StringIO(focus_actual_csv(example, result))))
    total = sum(Decimal(row["BilledCost"]) for row in rows)
    assert total == result.actual.to_decimal()
    assert all(json.loads(row["Tags"])["dikt/figures"] == "actual" for row in rows)


def test_the_settlement_workbook_has_formulas(tmp_path: Path) -> None:
    path = tmp_path / "settlement.xlsx"
    assert run("settle", EXAMPLE, "--format", "xlsx", "--output", path)[0] == 0
    workbook = load_workbook(path)
    projects, members = workbook.worksheets[:2]
    assert projects["E2"].value == "=D2-C2"
    assert members["D2"].value == "=C2-B2"
    assert members["B6"].value == "=SUM(B2:B5)"
    # The values the formulas stand for are dikt's own.
    assert Decimal(str(members["C2"].value)) - Decimal(str(members["B2"].value)) == Decimal(
        "43870.46"
    )
