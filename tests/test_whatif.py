"""Members first: what a candidate's file breaks stops only the what-ifs with it (issue 22.1-2).

Each problem that only a what-if with a candidate meets is a warning of
`check` (W207-W211) that names the candidate, the what-ifs it stops and how
to fix it; the members' analyses compute; those what-ifs stop at once with
the same words, exit 1. A key states its shares after a candidate joins in
``[keys.NAME.shares_with.CANDIDATE]`` (E119 when it does not fit).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import dikt
from dikt import WhatIfError
from dikt.cli import main
from dikt.economic_plan import plan
from dikt.harmonisation import gaps, matrix, roadmap
from dikt.joining import join, one_time_costs
from dikt.whatif import WhatIf, blockers

from .conftest import MINIMAL_COOPERATION, SpecWriter, minimal_member, unlocated

FOUNDERS = (
    MINIMAL_COOPERATION.replace("annual_cost = 1000\n", 'annual_cost = 1000\nkey = "founders"\n', 1)
    + "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
)
SHARES_WITH_C = "\n[keys.founders.shares_with.c]\na = 0.4\nb = 0.4\nc = 0.2\n"

W207 = (
    'W207 keys.founders.shares: key "founders" has fixed shares and none for candidate "c", '
    "who would share FW once it joins: the what-ifs with it (join, report, keys --candidate, "
    "gaps, roadmap, plan) cannot price it; state the shares after it joins in "
    "[keys.founders.shares_with.c], or split these by a metric"
)


def candidate(ident: str = "c", number: str = "0604", joined: str | None = "2013-01-01") -> str:
    """A candidate file for the minimal cooperation, joining on ``joined`` (None: no date)."""
    status = 'status = "candidate"' + (f"\njoined = {joined}" if joined else "")
    return minimal_member(ident, number).replace('status = "member"', status)


def members(**extra: str) -> dict[str, str]:
    return {"a": minimal_member("a"), "b": minimal_member("b", "0603"), **extra}


def findings(spec: Path) -> list[str]:
    return unlocated(dikt.check(dikt.load(spec)))


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# -- W207: a key of fixed shares without shares for the candidate --------------------------


def test_a_fixed_share_key_without_the_candidate_is_a_warning_naming_what_it_stops(
    write_spec: SpecWriter,
) -> None:
    spec = write_spec(FOUNDERS, members(c=candidate()))
    assert findings(spec) == [f"cooperation.toml: {W207}"]
    code, out, _ = run("check", spec)
    assert code == 0
    assert out.endswith("0 errors, 1 warning\n")


def test_the_members_analyses_compute_whatever_the_candidate_breaks(
    write_spec: SpecWriter,
) -> None:
    """Before: E117 refused the whole spec, `dikt allocate` for the members included."""
    spec = write_spec(FOUNDERS, members(c=candidate()))
    cooperation = dikt.load(spec)
    for year in range(2012, 2016):
        allocation = dikt.allocate(cooperation, year)
        assert [m.id for m in allocation.members] == ["a", "b"]
        assert str(allocation.member("a").total) == "750.00"
    dikt.unit_prices(dikt.allocate(cooperation))
    assert dikt.key_study(cooperation).candidate is None
    matrix(cooperation)
    for member in ("a", "b"):
        gaps(cooperation, member)
        roadmap(cooperation, member)
    for command in (
        ["allocate", spec],
        ["explain", spec, "a"],
        ["prices", spec],
        ["keys", spec],
        ["gaps", spec, "a"],
        ["roadmap", spec, "b"],
        ["matrix", spec],
        ["allocate", spec, "--format", "focus"],
        ["invoices", spec],
        ["diff", spec, spec],
    ):
        code, _, err = run(*command)
        assert (code, err) == (0, ""), command


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["join", "{spec}", "c"], '`dikt join` cannot be priced for candidate "c"'),
        (
            ["keys", "{spec}", "--candidate", "c"],
            '`dikt keys --candidate` cannot be priced for candidate "c"',
        ),
        (["gaps", "{spec}", "c"], '`dikt gaps` cannot be priced for candidate "c"'),
        (["roadmap", "{spec}", "c"], '`dikt roadmap` cannot be priced for candidate "c"'),
        (["plan", "{spec}"], "the plan cannot be priced"),
        (
            ["report", "{spec}", "c", "--output", "{spec}/../r.html"],
            '`dikt report` cannot be priced for candidate "c"',
        ),
    ],
)
def test_each_what_if_stops_at_once_with_the_words_of_check(
    write_spec: SpecWriter, command: list[str], what: str
) -> None:
    spec = write_spec(FOUNDERS, members(c=candidate()))
    _, checked, _ = run("check", spec)
    warning = checked.splitlines()[0]
    assert warning.startswith(f"{spec}/cooperation.toml:")
    assert warning.endswith(f":1: {W207}")
    code, out, err = run(*(part.format(spec=spec) for part in command))
    assert (code, out) == (1, "")
    assert err == f"dikt: {what}; `dikt check` warns why (1 warning):\n{warning}\n"
    assert not (spec.parent / "r.html").exists()


def test_the_library_refuses_with_the_warnings_as_check_reports_them(
    write_spec: SpecWriter,
) -> None:
    cooperation = dikt.load(write_spec(FOUNDERS, members(c=candidate())))
    with pytest.raises(WhatIfError) as raised:
        join(cooperation, "c")
    assert raised.value.problems == tuple(p for p in dikt.check(cooperation) if p.code == "W207")
    for analysis in (
        lambda: dikt.key_study(cooperation, candidate="c"),
        lambda: gaps(cooperation, "c"),
        lambda: roadmap(cooperation, "c"),
        lambda: plan(cooperation),
        lambda: dikt.join_report(cooperation, "c"),
    ):
        with pytest.raises(WhatIfError):
            analysis()


def test_a_plan_that_ends_before_the_candidate_joins_computes(write_spec: SpecWriter) -> None:
    """The plan prices the candidate only from its joined date."""
    cooperation = dikt.load(write_spec(FOUNDERS, members(c=candidate(joined="2020-01-01"))))
    (blocker,) = blockers(cooperation)
    assert WhatIf.PLAN not in blocker.blocks
    assert "(join, report, keys --candidate, gaps, roadmap)" in blocker.message
    assert [y.year for y in plan(cooperation).years] == [2012, 2013, 2014, 2015]


def test_e117_is_retired() -> None:
    assert dikt.CODES["E117"].startswith("retired: ")
    assert "W207" in dikt.CODES["E117"]


# -- shares_with -------------------------------------------------------------------------------


def test_shares_with_prices_every_what_if_with_the_candidate(write_spec: SpecWriter) -> None:
    spec = write_spec(FOUNDERS + SHARES_WITH_C, members(c=candidate()))
    cooperation = dikt.load(spec)
    assert dikt.check(cooperation) == ()
    estimate = join(cooperation, "c")
    assert [str(line.amount) for line in estimate.annual.lines if line.item == "FW"] == ["200.00"]
    assert [(m.id, str(m.before), str(m.after)) for m in estimate.members] == [
        ("a", "750.00", "566.67"),
        ("b", "750.00", "566.67"),
    ]
    after = plan(cooperation).years[1].allocation
    assert {
        m.id: str(line.amount) for m in after.members for line in m.lines if line.item == "FW"
    } == {
        "a": "400.00",
        "b": "400.00",
        "c": "200.00",
    }
    assert dikt.key_study(cooperation, candidate="c").gains
    assert gaps(cooperation, "c").member == "c"
    assert roadmap(cooperation, "c").total_before == estimate.annual.total
    dikt.join_report(cooperation, "c")
    # The members' bills are today's shares.
    assert str(dikt.allocate(cooperation).member("a").total) == "750.00"


def test_shares_with_is_loaded_dumped_and_in_the_schema(write_spec: SpecWriter) -> None:
    cooperation = dikt.load(write_spec(FOUNDERS + SHARES_WITH_C, members(c=candidate())))
    key = cooperation.keys["founders"]
    assert {k: str(v) for k, v in key.shares_with["c"].items()} == {
        "a": "2/5",
        "b": "2/5",
        "c": "1/5",
    }
    assert dikt.load_texts(*_texts(cooperation)).keys["founders"] == key
    schema = dikt.json_schema("cooperation")
    assert "shares_with" in schema["$defs"]["Key"]["properties"]


def _texts(cooperation: dikt.Cooperation) -> tuple[str, dict[str, str]]:
    texts = dikt.dumps(cooperation)
    return texts.pop("cooperation.toml"), texts


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "\n[keys.founders.shares_with.b]\na = 1\n",
            [
                f"cooperation.toml: {W207}",
                'cooperation.toml: E119 keys.founders.shares_with.b: "b" is a member: '
                "shares_with gives the shares after a candidate joins",
            ],
        ),
        (
            "\n[keys.founders.shares_with.c]\na = 0.5\nc = 0.5\n",
            [
                "cooperation.toml: E119 keys.founders.shares_with.c: the shares after c joins "
                "must name exactly the members of `shares` and c: no share for b",
            ],
        ),
        (
            "\n[keys.founders.shares_with.c]\na = 0.5\nb = 0.2\nc = 0.2\n",
            [
                "cooperation.toml: E107 keys.founders.shares_with.c: the shares sum to 0.9, not 1",
            ],
        ),
        (
            "\n[keys.founders.shares_with.zz]\na = 0.5\nb = 0.5\n",
            [
                f"cooperation.toml: {W207}",
                'cooperation.toml: E104 keys.founders.shares_with.zz: unknown member "zz"',
            ],
        ),
        (
            "\n[keys.founders.shares_with.c]\na = 0.4\nb = 0.4\nc = 0.1\nnobody = 0.1\n",
            ['cooperation.toml: E104 keys.founders.shares_with.c.nobody: unknown member "nobody"'],
        ),
    ],
)
def test_shares_with_that_do_not_fit(
    write_spec: SpecWriter, table: str, expected: list[str]
) -> None:
    spec = write_spec(FOUNDERS + table, members(c=candidate()))
    assert findings(spec) == expected


def test_shares_with_for_a_key_without_shares_is_e111(write_spec: SpecWriter) -> None:
    text = (
        MINIMAL_COOPERATION
        + '\n[keys.mix]\nmetric = "users"\n'
        + ("\n[keys.mix.shares_with.c]\na = 0.5\nc = 0.5\n")
    )
    spec = write_spec(text, {"a": minimal_member("a"), "c": candidate()})
    assert findings(spec) == [
        "cooperation.toml: E111 keys.mix.shares_with.c: shares_with gives a key's fixed shares "
        "after a change: add `shares`"
    ]


def test_a_key_of_an_application_the_candidate_does_not_use_keeps_its_shares(
    write_spec: SpecWriter,
) -> None:
    """Only the keys of what the candidate would share take its shares_with."""
    text = (
        MINIMAL_COOPERATION.replace(
            'depends_on = ["FW"]\n', 'depends_on = ["FW"]\nkey = "founders"\n', 1
        )
        + "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
    )
    joining = candidate().split("[systems.CARE]")[0]
    cooperation = dikt.load(write_spec(text, members(c=joining)))
    assert dikt.check(cooperation) == ()
    assert str(join(cooperation, "c").annual.total) == "333.33"


def test_one_table_cannot_fit_what_the_candidate_shares_and_what_it_does_not(
    write_spec: SpecWriter,
) -> None:
    text = (
        FOUNDERS.replace('depends_on = ["FW"]\n', 'depends_on = ["FW"]\nkey = "founders"\n', 1)
        + SHARES_WITH_C
    )
    joining = candidate().split("[systems.CARE]")[0]
    assert findings(write_spec(text, members(c=joining))) == [
        'cooperation.toml: W207 keys.founders.shares: key "founders" splits FW, which '
        'candidate "c" would share once it joins, and CARE, which it would not: no one table '
        "of shares fits both, so the what-ifs with it (join, report, keys --candidate, gaps, "
        "roadmap, plan) cannot price it; split them by separate keys"
    ]


def test_two_candidates_joining_during_the_plan_and_sharing_a_fixed_key(
    write_spec: SpecWriter,
) -> None:
    text = FOUNDERS + SHARES_WITH_C + "\n[keys.founders.shares_with.d]\na = 0.4\nb = 0.4\nd = 0.2\n"
    spec = write_spec(text, members(c=candidate(), d=candidate("d", "0605", "2014-01-01")))
    cooperation = dikt.load(spec)
    assert findings(spec) == [
        'cooperation.toml: W207 keys.founders.shares: key "founders" has fixed shares, and '
        'candidates "c", "d" would all share it once they join: shares_with states the shares '
        "after one candidate joins, so the plan (and every report) cannot price 2014 and later; "
        "split these by a metric"
    ]
    with pytest.raises(WhatIfError):
        plan(cooperation)
    assert [y.year for y in plan(cooperation, years=2).years] == [2012, 2013]
    for joining in ("c", "d"):
        join(cooperation, joining)
        dikt.key_study(cooperation, candidate=joining)


# -- W208: no joined date ---------------------------------------------------------------------


def test_a_candidate_without_a_joined_date(write_spec: SpecWriter) -> None:
    spec = write_spec(MINIMAL_COOPERATION, members(c=candidate(joined=None)))
    warning = (
        'W208 candidate "c" has no joined date: join and report for it need the '
        "implementation year (--year); set `joined` in members/c.toml"
    )
    assert findings(spec) == [f"members/c.toml: {warning}"]
    cooperation = dikt.load(spec)
    with pytest.raises(WhatIfError):
        join(cooperation, "c")
    with pytest.raises(WhatIfError, match=r'^candidate "c" has no joined date: '):
        one_time_costs(cooperation, "c")
    assert join(cooperation, "c", 2012).year == 2012
    code, _, err = run("join", spec, "c")
    assert code == 1
    assert err.splitlines()[1] == f"{spec}/members/c.toml:1:1: {warning}"
    assert run("join", spec, "c", "--year", "2012")[0] == 0
    plan(cooperation)
    dikt.key_study(cooperation, candidate="c")


# -- W209: capacity steps too small for the members with the candidate -------------------------


STEPPED = MINIMAL_COOPERATION.replace(
    "annual_cost = 1000\n",
    'annual_cost = 1000\n\n[systems.FW.cost_model]\nstep_basis = "total"\n'
    "steps = [{ up_to = 400, cost = 600 }]\n",
    1,
)


def test_capacity_steps_that_cannot_serve_the_candidate(write_spec: SpecWriter) -> None:
    spec = write_spec(STEPPED, members(c=candidate()))
    assert findings(spec) == [
        "cooperation.toml: W209 systems.FW.cost_model.steps: the largest capacity step of FW "
        '(Firewall) serves 400 users, fewer than the members and candidate "c" need (600): '
        "the what-ifs with it (join, report, keys --candidate, plan) cannot price it; add a "
        "larger step"
    ]
    cooperation = dikt.load(spec)
    dikt.allocate(cooperation)
    dikt.key_study(cooperation)
    gaps(cooperation, "c")
    roadmap(cooperation, "c")
    for analysis in (
        lambda: join(cooperation, "c"),
        lambda: dikt.key_study(cooperation, candidate="c"),
        lambda: plan(cooperation),
    ):
        with pytest.raises(WhatIfError):
            analysis()


def test_capacity_steps_that_serve_the_candidate_are_no_warning(write_spec: SpecWriter) -> None:
    spec = write_spec(STEPPED.replace("up_to = 400", "up_to = 600"), members(c=candidate()))
    assert findings(spec) == []
    join(dikt.load(spec), "c")


# -- W210: too many members for an exact Shapley value ----------------------------------------


def test_too_many_members_for_the_shapley_value_with_the_candidate(
    write_spec: SpecWriter,
) -> None:
    text = STEPPED.replace("up_to = 400", "up_to = 5000")
    sixteen = {f"m{i:02d}": minimal_member(f"m{i:02d}", f"{i + 100:04d}") for i in range(16)}
    spec = write_spec(text.replace("cost = 600", "cost = 0"), {**sixteen, "c": candidate()})
    assert findings(spec) == [
        "cooperation.toml: W210 systems.FW.cost_model.step_basis: capacity steps of FW "
        '(Firewall) by total users shared by 17 members with candidate "c": the Shapley value '
        'is exact for at most 16, so keys --candidate c cannot price it; step_basis = "largest" '
        "has a closed form"
    ]
    cooperation = dikt.load(spec)
    dikt.key_study(cooperation)
    join(cooperation, "c")
    with pytest.raises(WhatIfError):
        dikt.key_study(cooperation, candidate="c")


# -- W211: what a candidate moves over, booked to an unknown system ----------------------------


def test_a_candidate_moving_staff_to_an_unknown_system(write_spec: SpecWriter) -> None:
    joining = candidate() + (
        '\n[[transfer.staff]]\nrole = "Tekniker"\nannual_cost = 600_000\nsystem = "NOPE"\n'
    )
    spec = write_spec(MINIMAL_COOPERATION, members(c=joining))
    assert findings(spec) == [
        "members/c.toml: W211 transfer.staff[0].system: NOPE is not a catalogue system: what "
        'candidate "c" moves over is booked to one, so the what-ifs with it (join, report, '
        "keys --candidate, plan) cannot price it; name a project of the catalogue"
    ]
    cooperation = dikt.load(spec)
    dikt.allocate(cooperation)
    assert run("allocate", spec)[0] == 0
    with pytest.raises(WhatIfError):
        join(cooperation, "c")
    assert run("join", spec, "c")[0] == 1


def test_the_messages_read_in_bokmal(write_spec: SpecWriter) -> None:
    spec = write_spec(FOUNDERS, members(c=candidate()))
    code, out, _ = run("check", spec, "--lang", "nb")
    assert code == 0
    assert out.splitlines()[0].endswith(
        "W207 keys.founders.shares: nøkkelen «founders» har faste andeler og ingen for "
        "kandidaten «c», som vil dele FW når den slutter seg til: hva-om-analysene med den "
        "(join, report, keys --candidate, gaps, roadmap, plan) kan ikke prise den; oppgi "
        "andelene etter tiltredelsen i [keys.founders.shares_with.c], eller fordel disse etter "
        "en målestørrelse"
    )
    code, _, err = run("join", spec, "c", "--lang", "nb")
    assert code == 1
    assert err.startswith(
        "dikt: `dikt join` kan ikke prises for kandidaten «c»; `dikt check` advarer om hvorfor "
        "(1 advarsel):\n"
    )


# -- the roadmap: each step priced where it can be, and why not where it cannot ---------------

SOLO = (
    MINIMAL_COOPERATION.replace('depends_on = ["FW"]\n', 'depends_on = ["FW"]\nkey = "solo"\n', 1)
    + "\n[keys.solo]\nshares = { b = 1 }\n"
    + '\n[domains.hr]\nname = "HR"\n'
    + '\n[systems.HR]\nname = "Payroll"\npackage = "application"\ndomain = "hr"\n'
    + "annual_cost = 300\n"
    + '\n[systems.DEV]\nname = "Deviant"\npackage = "application"\ndomain = "care"\n'
    + 'annual_cost = 100\nstatus = "tolerated"\n'
)
NOT_PRICED = (
    'key "solo" of CARE has fixed shares and none for a: the agreement would have to give it '
    "a share"
)


def _roadmap_spec(write_spec: SpecWriter) -> Path:
    a = minimal_member("a").replace("[systems.CARE]", "[systems.DEV]")
    a += '\n[own_systems.pay]\nname = "Old payroll"\ndomain = "hr"\nannual_cost = 50\n'
    a += 'users = 5\nowner = "o"\nmanager = "m"\n'
    b = minimal_member("b", "0603") + '\n[systems.HR]\nusers = 4\nowner = "o"\nmanager = "m"\n'
    return write_spec(SOLO, {"a": a, "b": b})


def test_a_roadmap_prices_every_step_it_can_and_says_why_not_per_step(
    write_spec: SpecWriter,
) -> None:
    cooperation = dikt.load(_roadmap_spec(write_spec))
    assert dikt.check(cooperation) == ()
    result = roadmap(cooperation, "a")
    assert [(s.system, s.target, s.unpriced) for s in result.steps] == [
        ("DEV", "CARE", NOT_PRICED),
        ("pay", "HR", None),
    ]
    dev, pay = result.steps
    assert dev.total_after is None
    assert pay.effect is not None
    assert result.total_after_all == pay.total_after


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown", "json"])
def test_every_format_of_the_roadmap_says_which_step_is_not_priced(
    write_spec: SpecWriter, fmt: str
) -> None:
    code, out, err = run("roadmap", _roadmap_spec(write_spec), "a", "--format", fmt)
    assert (code, err) == (0, "")
    if fmt == "csv":
        header, dev, pay = out.splitlines()
        assert header.endswith(",not priced")
        assert dev.endswith(
            ',"key ""solo"" of CARE has fixed shares and none for a: the '
            'agreement would have to give it a share"'
        )
        assert pay.endswith(",")
    elif fmt == "json":
        assert NOT_PRICED.replace('"', '\\"') in out
    else:
        assert "not priced" in out
        assert NOT_PRICED in out


def test_the_workbook_of_the_roadmap_says_which_step_is_not_priced(
    write_spec: SpecWriter, tmp_path: Path
) -> None:
    import zipfile  # noqa: PLC0415

    book = tmp_path / "roadmap.xlsx"
    code, _, _ = run(
        "roadmap", _roadmap_spec(write_spec), "a", "--format", "xlsx", "--output", book
    )
    assert code == 0
    with zipfile.ZipFile(book) as archive:
        cells = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "not priced" in cells
    assert NOT_PRICED.replace('"', "&quot;") in cells or NOT_PRICED in cells


def test_a_roadmap_step_not_priced_in_bokmal(write_spec: SpecWriter) -> None:
    code, out, _ = run("roadmap", _roadmap_spec(write_spec), "a", "--lang", "nb")
    assert code == 0
    assert "ikke priset" in out
    assert (
        "nøkkelen «solo» for CARE har faste andeler og ingen for a: avtalen måtte gi den en andel"
        in out
    )


def test_a_candidate_joining_in_dikts_first_year_needs_the_implementation_year(
    write_spec: SpecWriter,
) -> None:
    """Before: `dikt join` priced an implementation in 1899, outside dikt's years, and
    `dikt report` stopped on "year 1899 is outside the supported years 1900-2200"."""
    spec = write_spec(MINIMAL_COOPERATION, members(c=candidate(joined="1900-06-01")))
    assert [p for p in findings(spec) if " W208 " in p] == [
        'members/c.toml: W208 joined: candidate "c" joins on 1900-06-01: the year before, its '
        "implementation year, is before 1900, dikt's first year; join and report for it need "
        "the implementation year (--year)"
    ]
    cooperation = dikt.load(spec)
    with pytest.raises(WhatIfError):
        join(cooperation, "c")
    assert join(cooperation, "c", 1900).year == 1900


def test_a_plan_with_a_candidate_joining_in_dikts_first_year(write_spec: SpecWriter) -> None:
    """It joins in 1900, with no implementation year in dikt's years: nothing one-time to plan.

    A candidate whose joined date is in or before the budget year joins in no
    year of the plan, as allocate bills it nothing (W206 says so): the plan
    computes, with the members alone.
    """
    text = MINIMAL_COOPERATION.replace("budget_year = 2012", "budget_year = 1900")
    cooperation = dikt.load(write_spec(text, members(c=candidate(joined="1900-06-01"))))
    result = plan(cooperation)
    assert {cell.member: str(cell.joining) for cell in result.years[0].cells} == {
        "a": "0.00",
        "b": "0.00",
    }
    assert all(cell.member != "c" for year in result.years for cell in year.cells)


def test_an_implementation_year_without_members_is_w208(write_spec: SpecWriter) -> None:
    """The year before the candidate joins, nobody could implement it: `join --year` refuses
    that year, so join without --year stops as for a candidate without a date (found by the
    promise test: join computed, the report's alternatives for the same year refused)."""
    founded = minimal_member("a").replace(
        'status = "member"', 'status = "member"\njoined = 2012-01-01'
    )
    spec = write_spec(
        MINIMAL_COOPERATION,
        {
            "a": founded,
            "b": minimal_member("b", "0603").replace(
                'status = "member"', 'status = "member"\njoined = 2012-01-01'
            ),
            "c": candidate(joined="2012-06-01"),
        },
    )
    w208 = (
        'cooperation.toml: W208 joined: candidate "c" joins on 2012-06-01: the year before, '
        "its implementation year, mini has no members to implement it; join and report for "
        "it need the implementation year (--year)"
    )
    assert [f for f in findings(spec) if "W208" in f] == [
        w208.replace("cooperation.toml", "members/c.toml")
    ]
    code, _, err = run("join", spec, "c")
    assert code == 1
    assert err.splitlines()[1].endswith(w208.split(": ", 1)[1])
    assert run("join", spec, "c", "--year", "2012")[0] == 0
    assert run("report", spec, "c", "--year", "2012", "--output", spec / "r.html")[0] == 0
