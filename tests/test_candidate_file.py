"""Members first, for a candidate's own file too (issue 22.1).

An error in ``members/ID.toml`` of a candidate (a value of the wrong type,
an unknown system, a municipality number that is not one, ...) never stops
the members' bills: the candidate is set aside, ``check`` warns (W213, at the
error's line, naming the error's own code) and every command that names the
candidate, and the plan it joins in, stops with exit 1. The oracle for the
members' figures is the spec without the candidate's file at all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import dikt
from dikt import ArgumentError, Usage, WhatIfError
from dikt.cli import main

from .conftest import EXAMPLE, MINIMAL_COOPERATION, SpecWriter, minimal_member

CANDIDATE = "members/nedre-eiker.toml"
STOPS = "join, report, keys --candidate, gaps, roadmap"


def run(*args: object) -> tuple[int, str, str]:
    """Exit code, stdout and stderr, the spec's files named as in the spec (not by full path)."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    spec = f"{args[1]}/" if len(args) > 1 else "\0"
    return (
        result.exit_code,
        result.stdout.replace(spec, ""),
        result.stderr.replace(spec, ""),
    )


def example(tmp_path: Path, old: str | None = None, new: str = "") -> Path:
    """The D-IKT example, with ``old`` replaced by ``new`` (once) in the candidate's file."""
    spec = tmp_path / "d-ikt"
    shutil.copytree(EXAMPLE, spec)
    if old is not None:
        path = spec / CANDIDATE
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    return spec


def without_candidate(tmp_path: Path) -> Path:
    spec = tmp_path / "without"
    if not spec.exists():
        shutil.copytree(EXAMPLE, spec)
        (spec / CANDIDATE).unlink()
    return spec


def w213(line: int, path: str, problem: str, code: str, column: int = 1) -> str:
    """W213 for an error in Nedre Eiker's file: it joins on 2013-01-01, in the plan's years."""
    where = f"{CANDIDATE}:{line}:{column}: W213 " + (f"{path}: " if path else "")
    return (
        f'{where}{problem} ({code}): candidate "nedre-eiker" is left out of the members\' '
        f"analyses; the what-ifs with it ({STOPS}), and the plan it joins in with every "
        "candidate's report, stop until its file is fixed"
    )


UNKNOWN_SYSTEM = w213(34, "systems.IT999", 'unknown system "IT999"', "E101")
NOT_AN_INTEGER = w213(35, "systems.IT138.users", 'expected an integer, got "many"', "E006")


@pytest.mark.parametrize(
    ("old", "new", "warning"),
    [
        ("[systems.IT138]", "[systems.IT999]", UNKNOWN_SYSTEM),
        ("users = 1100", 'users = "many"', NOT_AN_INTEGER),
    ],
    ids=["unknown system (check)", "wrong type (load)"],
)
def test_an_error_in_the_candidates_file_is_a_warning_and_the_members_are_billed_alike(
    tmp_path: Path, old: str, new: str, warning: str
) -> None:
    spec = example(tmp_path, old, new)
    code, out, _ = run("check", spec)
    assert code == 0
    assert warning in out.splitlines()
    assert out.endswith("0 errors, 4 warnings\n")  # and none about its file but W213
    # Before: "the spec has 1 error", exit 1, and no member was billed.
    for command in (["allocate", "--format", "json"], ["prices", "--format", "json"]):
        code, out, err = run(command[0], spec, *command[1:])
        assert (code, err) == (0, "")
        assert json.loads(out) == json.loads(
            run(command[0], without_candidate(tmp_path), *command[1:])[1]
        )
    for command in (
        ["explain", spec, "sande"],
        ["keys", spec],
        ["gaps", spec, "drammen"],
        ["matrix", spec],
    ):
        assert run(*command)[0] == 0, command


def test_every_command_that_names_the_candidate_stops_with_the_warning(tmp_path: Path) -> None:
    spec = example(tmp_path, "[systems.IT138]", "[systems.IT999]")
    summary = (
        'dikt: candidate "nedre-eiker" has an error in its file, so dikt leaves it out; '
        "`dikt check` warns about it (1 warning):"
    )
    for command in (
        ["join", spec, "nedre-eiker"],
        ["keys", spec, "--candidate", "nedre-eiker"],
        ["gaps", spec, "nedre-eiker"],
        ["roadmap", spec, "nedre-eiker"],
        ["report", spec, "nedre-eiker", "--output", tmp_path / "r.html"],
    ):
        code, out, err = run(*command)
        assert (code, out) == (1, ""), command
        assert err.splitlines() == [summary, UNKNOWN_SYSTEM], command
    assert not (tmp_path / "r.html").exists()
    # It joins in 2013, within the plan's years: the plan would price it as a member.
    code, _, err = run("plan", spec)
    assert code == 1
    assert err.splitlines() == [
        "dikt: the plan cannot be priced; `dikt check` warns why (1 warning):",
        UNKNOWN_SYSTEM,
    ]
    code, _, err = run("--lang", "nb", "join", spec, "nedre-eiker")
    assert code == 1
    assert err.splitlines()[0] == (
        "dikt: kandidaten «nedre-eiker» har en feil i filen sin, så dikt holder den utenfor; "
        "`dikt check` varsler om den (1 advarsel):"
    )


def test_a_candidate_joining_after_the_plan_does_not_stop_it(tmp_path: Path) -> None:
    spec = example(
        tmp_path, "joined = 2013-01-01", "joined = 2030-01-01\nmunicipality_number_x = 1"
    )
    cooperation = dikt.load(spec)
    entry = cooperation.set_aside["nedre-eiker"]
    assert "nedre-eiker" not in cooperation.members
    assert [p.code for p in entry.problems] == ["E004"]  # an unknown key
    assert str(entry.joined) == "2030-01-01"
    assert run("plan", spec)[0] == 0
    assert run("join", spec, "nedre-eiker")[0] == 1


def test_a_joined_date_that_is_not_one_may_be_any_year_so_it_stops_the_plan(
    tmp_path: Path,
) -> None:
    spec = example(tmp_path, "joined = 2013-01-01", 'joined = "2030"')
    assert run("plan", spec)[0] == 1
    assert run("allocate", spec)[0] == 0


def test_the_library_sets_the_candidate_aside_and_refuses_what_ifs_with_it(tmp_path: Path) -> None:
    spec = example(tmp_path, "[systems.IT138]", "[systems.IT999]")
    cooperation = dikt.load(spec)
    assert sorted(cooperation.members) == ["drammen", "royken", "sande", "svelvik"]
    (problem,) = cooperation.set_aside["nedre-eiker"].problems
    assert (problem.code, problem.path, problem.line) == ("E101", "systems.IT999", 34)
    with pytest.raises(WhatIfError) as refused:
        dikt.join(cooperation, "nedre-eiker")
    assert [str(p) for p in refused.value.problems] == [UNKNOWN_SYSTEM]
    assert [b.code for b in dikt.blockers(cooperation, "nedre-eiker")] == ["W213"]


def test_a_cooperation_built_in_python_is_judged_alike(tmp_path: Path) -> None:
    """check and the what-ifs set the candidate aside themselves, without `load`."""
    loaded = dikt.load(EXAMPLE)
    candidate = loaded.members["nedre-eiker"]
    broken = attrs.evolve(
        candidate, systems={**candidate.systems, "IT999": Usage(system="IT999", users=1)}
    )
    cooperation = attrs.evolve(
        loaded, members={**loaded.members, "nedre-eiker": broken}, sources={}
    )
    assert [p.code for p in dikt.check(cooperation) if p.file == CANDIDATE] == ["W213"]
    with pytest.raises(WhatIfError):
        dikt.join(cooperation, "nedre-eiker")
    assert dikt.allocate(cooperation) == dikt.allocate(loaded)


def test_a_file_whose_status_cannot_be_read_is_taken_as_a_members(
    write_spec: SpecWriter,
) -> None:
    """Unknown whether it is a candidate's, so its errors stop the spec."""
    broken = minimal_member("c", "0604").replace('status = "member"', "status = 5")
    spec = write_spec(MINIMAL_COOPERATION, {"a": minimal_member("a"), "c": broken})
    code, _, err = run("allocate", spec)
    assert code == 2
    assert "members/c.toml" in err


def test_the_cooperation_file_may_name_a_set_aside_candidate_as_it_names_any(
    write_spec: SpecWriter,
) -> None:
    """Not "unknown member": the shares after it joins are not checked until it is back,
    and what no candidate may do (pay an investment, merge) is said as for any candidate."""
    cooperation = (
        MINIMAL_COOPERATION.replace(
            "annual_cost = 1000\n", 'annual_cost = 1000\nkey = "founders"\n', 1
        )
        + "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
        + "\n[keys.founders.shares_with.c]\na = 0.4\nb = 0.4\nc = 0.2\n"
    )
    broken = minimal_member("c", "12").replace(
        'status = "member"', 'status = "candidate"\njoined = 2030-01-01'
    )
    spec = write_spec(
        cooperation, {"a": minimal_member("a"), "b": minimal_member("b", "0603"), "c": broken}
    )
    found = dikt.check(dikt.load(spec))
    assert [(p.file, p.code) for p in found] == [("members/c.toml", "W213")]
    assert found[0].message.startswith('"12" is not a municipality number')
    assert run("allocate", spec)[0] == 0
    spec = write_spec(
        cooperation
        + '\n[[investments]]\nid = "I1"\nyear = 2012\ncategory = "member"\nmember = "c"\n'
        'amount = 10\ndescription = "x"\n',
        {"a": minimal_member("a"), "b": minimal_member("b", "0603"), "c": broken},
    )
    codes = [p.code for p in dikt.check(dikt.load(spec)) if p.file == "cooperation.toml"]
    assert codes == ["E115"]


def test_a_candidates_file_with_another_id_is_set_aside_by_its_name(write_spec: SpecWriter) -> None:
    other = minimal_member("x", "0604").replace('status = "member"', 'status = "candidate"')
    spec = write_spec(MINIMAL_COOPERATION, {"a": minimal_member("a"), "c": other})
    cooperation = dikt.load(spec)
    assert sorted(cooperation.members) == ["a"]
    assert [p.code for p in cooperation.set_aside["c"].problems] == ["E009"]
    code, _, err = run("join", spec, "c")
    assert code == 1
    assert "W213 id:" in err


def test_the_plan_stops_for_a_candidate_implemented_in_its_years(tmp_path: Path) -> None:
    """Joining on 2013-01-01 is implemented in 2012: a plan of 2012 alone prices it
    (7 210 000,00 of one-time costs), so it stops too (before: it left them out, silently)."""
    spec = example(tmp_path, "[systems.IT138]", "[systems.IT999]")
    code, _, err = run("plan", spec, "--years", "1")
    assert code == 1
    assert err.splitlines()[1] == UNKNOWN_SYSTEM


def test_a_candidate_that_joined_before_the_budget_year_does_not_stop_the_plan(
    tmp_path: Path,
) -> None:
    """The plan prices no candidate joined by the budget year (W206): nothing to stop."""
    spec = example(tmp_path, "joined = 2013-01-01", "joined = 2011-01-01\nbogus = 1")
    found = dikt.check(dikt.load(spec))
    (w213,) = [p for p in found if p.code == "W213"]
    assert "and the plan" not in w213.message
    assert w213.message.endswith(f"the what-ifs with it ({STOPS}) stop until its file is fixed")
    assert run("plan", spec)[0] == 0


def test_a_candidates_file_that_is_not_toml_is_set_aside_when_its_status_can_be_read(
    tmp_path: Path,
) -> None:
    """The keys before the first table say it is a candidate's: its syntax error further
    down stops only what is asked of it."""
    spec = example(tmp_path, "users = 1100", "users = = 3")
    code, out, _ = run("check", spec)
    assert code == 0
    assert w213(35, "", "invalid TOML: Invalid value", "E003", column=9) in out.splitlines()
    assert run("allocate", spec)[0] == 0
    assert run("join", spec, "nedre-eiker")[0] == 1


def test_a_renamed_candidates_file_is_known_by_its_id_too(tmp_path: Path) -> None:
    """A file named otherwise than the id it gives (E009): the cooperation's shares after it
    joins name it by its id, and so may the user; neither is an unknown member."""
    spec = example(tmp_path)
    text = (spec / "cooperation.toml").read_text(encoding="utf-8")
    founders = (
        "\n[keys.founders]\nshares = { drammen = 0.4, royken = 0.3, sande = 0.2, svelvik = 0.1 }"
        "\n[keys.founders.shares_with.nedre-eiker]\ndrammen = 0.3\nroyken = 0.3\nsande = 0.2"
        "\nsvelvik = 0.1\nnedre-eiker = 0.1\n"
    )
    (spec / "cooperation.toml").write_text(text + founders, encoding="utf-8")
    (spec / CANDIDATE).rename(spec / "members" / "nedre-eiker2.toml")
    found = dikt.check(dikt.load(spec))
    assert [(p.file, p.code) for p in found if p.code.startswith("E") or p.code == "W213"] == [
        ("members/nedre-eiker2.toml", "W213")
    ]
    assert run("allocate", spec)[0] == 0
    for ident in ("nedre-eiker", "nedre-eiker2"):
        code, _, err = run("join", spec, ident)
        assert code == 1, ident
        assert "W213 id:" in err


def test_join_refuses_an_implementation_year_after_the_candidate_joins(tmp_path: Path) -> None:
    code, _, err = run("join", EXAMPLE, "nedre-eiker", "--year", "2200")
    assert code == 2
    assert err.splitlines()[-1] == (
        "dikt: --year 2200: nedre-eiker joins on 2013-01-01; joining is implemented before it "
        "joins, in 2012 or at the latest in 2013"
    )
    assert run("join", EXAMPLE, "nedre-eiker", "--year", "2013")[0] == 0
    assert run("join", EXAMPLE, "nedre-eiker", "--year", "2014")[0] == 2  # the year after
    # Without a joined date any year will do, up to the one whose next year is dikt's last.
    loaded = dikt.load(EXAMPLE)
    undated = attrs.evolve(loaded.members["nedre-eiker"], joined=None)
    spec = attrs.evolve(loaded, members={**loaded.members, "nedre-eiker": undated})
    assert dikt.join(spec, "nedre-eiker", 2199).year == 2199
    with pytest.raises(ArgumentError) as refused:
        dikt.join(spec, "nedre-eiker", 2200)
    assert str(refused.value) == (
        "--year 2200: the infrastructure is bought the year after the implementation, and "
        "2201 is past 2200, dikt's last year"
    )
    # The report's alternatives are that year and the next, never after it joins.
    report = dikt.join_report(dikt.load(EXAMPLE), "nedre-eiker", 2013)
    assert sorted({a.year for a in report.alternatives}) == [2013]


def test_check_names_the_cause_of_a_w213_in_json_and_selects_by_it(tmp_path: Path) -> None:
    spec = example(tmp_path, "users = 1100", 'users = "many"')
    findings = json.loads(run("check", spec, "--format", "json")[1])["findings"]
    (w213,) = [f for f in findings if f["code"] == "W213"]
    assert (w213["cause"], w213["line"], w213["path"]) == ("E006", 35, "systems.IT138.users")
    assert {f["cause"] for f in findings if f["code"] != "W213"} == {None}
    code, out, _ = run("check", spec, "--select", "E006")
    assert (code, out.splitlines()) == (0, [NOT_AN_INTEGER, "0 errors, 1 warning"])
    assert run("check", spec, "--ignore", "E0")[1].count("W213") == 0


def test_files_written_from_a_model_with_a_candidate_set_aside_are_refused(
    tmp_path: Path,
) -> None:
    """They would lack the candidate: its file's errors are in no model (found by a review)."""
    cooperation = dikt.load(example(tmp_path, "[systems.IT138]", "[systems.IT999]"))
    with pytest.raises(WhatIfError) as refused:
        dikt.dumps(cooperation)
    assert str(refused.value).splitlines() == [
        'candidate "nedre-eiker" has errors in its file, so dikt leaves it out, and files '
        "written from the model would lose it; fix the file first, as `dikt check` warns:",
        UNKNOWN_SYSTEM,
    ]
    with pytest.raises(WhatIfError):
        dikt.dump(cooperation, tmp_path / "copy")
    assert not (tmp_path / "copy").exists()
