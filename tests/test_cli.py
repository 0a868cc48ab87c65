"""The command line: exit codes, output, and the README's commands for real."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dikt import __version__
from dikt.cli import main

from .conftest import EXAMPLE, MINIMAL_COOPERATION, ROOT, SpecWriter, minimal_member
from .console import commands, mismatch, output_of


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    assert run("--version") == (0, f"dikt, version {__version__}\n", "")


def test_check_a_sound_spec_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named as they open from where dikt runs, with line and column."""
    monkeypatch.chdir(ROOT)
    code, out, _ = run("check", "specs/d-ikt")
    assert code == 0
    assert out == (
        "specs/d-ikt/members/drammen.toml:1:1: W225 Drammen kommune has no fleet survey "
        "([[fleet]]): the plan shows no PC renewal figure for it\n"
        "specs/d-ikt/members/royken.toml:1:1: W225 Røyken kommune has no fleet survey "
        "([[fleet]]): the plan shows no PC renewal figure for it\n"
        "specs/d-ikt/members/svelvik.toml:77:1: W201 systems.IT178: IT178 (Bibliofil) is in "
        "use without system manager\n0 errors, 3 warnings\n"
    )
    monkeypatch.chdir(EXAMPLE / "members")
    code, out, _ = run("check", "../cooperation.toml")
    assert out.startswith("../members/drammen.toml:1:1: W225 ")


def test_check_with_errors_exits_1(write_spec: SpecWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(members={"a": minimal_member("a", number="62")})
    monkeypatch.chdir(spec)
    code, out, _ = run("check", ".")
    assert code == 1
    assert out == (
        'members/a.toml:3:1: E109 municipality_number: "62" is not a municipality number '
        '(4 digits, such as "0602")\n1 error, 0 warnings\n'
    )


def test_check_of_an_unreadable_spec_exits_2(
    write_spec: SpecWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(MINIMAL_COOPERATION.replace("annual_cost = 500", "annual_cost = 1.001"))
    monkeypatch.chdir(spec.parent)
    code, out, _ = run("check", "spec")
    assert code == 2
    assert out == (
        "spec/cooperation.toml:23:1: E006 systems.CARE.annual_cost: expected an amount with "
        "at most two decimals, got 1.001\n1 error, 0 warnings\n"
    )


def test_check_json() -> None:
    code, out, _ = run("check", EXAMPLE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["errors"] == 0
    assert data["warnings"] == 3
    assert [f["code"] for f in data["findings"]] == ["W225", "W225", "W201"]


def test_impact_table_and_json() -> None:
    code, out, _ = run("impact", EXAMPLE, "IT170")
    assert code == 0
    assert out.splitlines()[0] == "IT170 ePhorte: 3 systems and 5 members depend on it."
    code, out, _ = run("impact", EXAMPLE, "IT170", "--format", "json")
    assert json.loads(out)["systems"][0]["id"] == "IT185"


def test_impact_of_an_unknown_system_exits_2() -> None:
    code, out, err = run("impact", EXAMPLE, "IT999")
    assert (code, out) == (2, "")
    assert err.startswith('dikt: no catalogue system "IT999" in the spec')


def test_graph_and_impact_need_only_a_readable_spec(write_spec: SpecWriter) -> None:
    """Unknown references are left out of the graph, so it helps to find them."""
    spec = write_spec(MINIMAL_COOPERATION.replace('domain = "care"', 'domain = "nowhere"'))
    code, out, _ = run("graph", spec)
    assert code == 0
    assert "domain:nowhere" not in out
    assert run("impact", spec, "FW")[0] == 0


def test_an_invalid_spec_gives_every_problem_and_exit_2(
    write_spec: SpecWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(members={"a": minimal_member("a").replace("users = 200", "users = 2.5")})
    monkeypatch.chdir(spec.parent)
    code, out, err = run("impact", "spec", "CARE")
    assert (code, out) == (2, "")
    assert err == "spec/members/a.toml:7:1: E006 users: expected an integer, got 2.5\n"


@pytest.mark.parametrize(
    ("fmt", "start"), [("dot", 'digraph "d-ikt" {'), ("json", "{"), ("graphml", "<graphml")]
)
def test_graph_formats(fmt: str, start: str) -> None:
    code, out, _ = run("graph", EXAMPLE, "--format", fmt)
    assert code == 0
    assert out.startswith(start)


def test_schema_prints_json_schema() -> None:
    code, out, _ = run("schema", "member")
    assert code == 0
    assert json.loads(out)["title"] == "dikt members/ID.toml"
    assert json.loads(run("schema")[1])["title"] == "dikt cooperation.toml"


def test_a_wrong_command_line_exits_2() -> None:
    assert run("graph", EXAMPLE, "--format", "png")[0] == 2
    assert run("frobnicate")[0] == 2


def test_the_cli_starts_without_heavy_imports() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from dikt.cli import main\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "heavy = {'cattrs', 'networkx', 'tomli', 'attrs'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_help_imports_nothing_its_commands_need_only_when_they_run() -> None:
    """pathlib (with urllib and ipaddress), tempfile and fractions were a third of
    `dikt --help`'s start beyond click's own; the commands import them when they run.
    (click.testing imports tempfile itself: the help runs without it.)"""
    code = (
        "import contextlib, io, sys\n"
        "from dikt.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'], prog_name='dikt')\n"
        "late = {'pathlib', 'tempfile', 'fractions', 'urllib.parse'} & set(sys.modules)\n"
        "assert not late, late\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_check_imports_no_analysis_and_no_renderer() -> None:
    """`dikt check` is a linter run on every change: it loads only what it uses."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from dikt.cli import main\n"
        f"CliRunner().invoke(main, ['check', {str(EXAMPLE)!r}])\n"
        "unused = {'networkx', 'dikt.render', 'dikt.allocation', 'dikt.harmonisation',\n"
        "          'dikt.joining', 'dikt.economic_plan', 'dikt.graph', 'dikt.diagrams'}\n"
        "assert not unused & set(sys.modules), unused & set(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


SCRIPT = Path(sys.executable).parent / "dikt"


@pytest.mark.skipif(not SCRIPT.exists(), reason="dikt is not installed as a command")
def test_the_readme_main_job_runs_as_a_real_command() -> None:
    """The README's main job, through the installed console script."""
    done = subprocess.run(
        [str(SCRIPT), "check", "specs/d-ikt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("0 errors, 3 warnings\n")
    assert done.stderr == ""


def test_python_m_dikt_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dikt", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout == f"dikt, version {__version__}\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["allocate", "specs/d-ikt"], "dikt: cannot write the output: No space left on device\n"),
        (["check", "specs/d-ikt", "--format", "json"], "dikt: cannot write the output: "),
        (["schema", "cooperation"], "dikt: cannot write the output: "),
        (["allocate", "specs/d-ikt", "--lang", "nb"], "dikt: kan ikke skrive utdataene: "),
    ],
)
def test_output_that_cannot_be_written_is_a_message_not_a_traceback(
    args: list[str], said: str
) -> None:
    """A full disk (or any failing standard output) ends the command with exit 2 and why."""
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "dikt", *args],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if k != "DIKT_LANG"},
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.startswith(said), done.stderr
    assert "Traceback" not in done.stderr


def test_a_reader_that_stops_reading_ends_the_command_quietly() -> None:
    """``dikt allocate ... | head``: no traceback when the pipe is closed early."""
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone before dikt writes a byte
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dikt", "allocate", "specs/d-ikt"],
            cwd=ROOT,
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr) == (1, "")  # click's quiet end, as documented


def test_the_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m venv")][:2]
    assert "dikt" in commands[0]
    assert "specs/d-ikt" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci


def test_paths_are_accepted_as_directory_or_file(tmp_path: Path) -> None:
    assert run("check", EXAMPLE / "cooperation.toml")[0] == 0
    code, out, _ = run("check", tmp_path)
    assert code == 2
    assert "no such file: a spec is a directory with a cooperation.toml" in out


# -- allocation commands -----------------------------------------------------------------


def test_allocate_table_ends_with_the_totals_by_kind() -> None:
    code, out, _ = run("allocate", EXAMPLE)
    assert code == 0
    assert out.splitlines()[0] == "Drammensregionens IKT (d-ikt): owner contributions 2012, NOK"
    assert out.splitlines()[-1] == (
        "total                   38,634,121.97  13,665,906.17  6,147,430.67  4,552,541.19  "
        "63,000,000.00"
    )


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_allocate_formats(fmt: str) -> None:
    code, out, _ = run("allocate", EXAMPLE, "--format", fmt, "--member", "svelvik")
    assert code == 0
    assert "IT141" in out
    assert "drammen" not in out


def test_allocate_an_unknown_member_exits_2() -> None:
    code, _, err = run("allocate", EXAMPLE, "--member", "drammn")
    assert code == 2
    assert err == 'dikt: no member "drammn" in the spec; did you mean "drammen"?\n'


def test_allocate_a_spec_with_errors_exits_1(write_spec: SpecWriter) -> None:
    spec = write_spec(members={"a": minimal_member("a").replace("users = 10", "users = 0")})
    code, out, err = run("allocate", spec)
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == "dikt: the spec has 1 error; `dikt check` lists it"


def test_prices_table_json_csv() -> None:
    code, out, _ = run("prices", EXAMPLE)
    assert code == 0
    familia = next(line for line in out.splitlines() if line.startswith("IT141"))
    assert "8,759.12" in familia
    data = json.loads(run("prices", EXAMPLE, "--format", "json")[1])
    assert next(s for s in data["systems"] if s["id"] == "IT141")["per_unit"] == "8759.12"
    csv_text = run("prices", EXAMPLE, "--format", "csv")[1]
    assert csv_text.startswith("system,name,package,key,metric,annual cost,basis,per unit,")
    assert "\nIT141,Familia,application,system-users,system-users,1200000.00,137,8759.12," in (
        csv_text
    )


def test_explain_one_item_and_all_lines() -> None:
    code, out, _ = run("explain", EXAMPLE, "sande", "gerica")
    assert code == 0
    assert out.splitlines()[2:5] == [
        "Gerica (own-system)",
        "  rule:      paid alone (100 %)",
        "  split:     300,000.00 NOK among 1 participant (Sande)",
    ]
    assert run("explain", EXAMPLE, "sande")[1].count("\n  rule:") == 36


def test_explain_a_candidate_or_unknown_item() -> None:
    # Naming the wrong kind of member is a mistake on the command line: exit 2,
    # as for leave, merge and join.
    code, _, err = run("explain", EXAMPLE, "nedre-eiker")
    assert code == 2
    assert err == (
        "dikt: nedre-eiker is a candidate: it pays nothing until it joins (see `dikt join`)\n"
    )
    code, _, err = run("explain", EXAMPLE, "sande", "IT999")
    assert code == 2
    assert err.startswith('dikt: no line of sande "IT999" in the spec')


@pytest.mark.parametrize(
    "command",
    [
        ["allocate", "--member"],
        ["settle", "--member"],
        ["letter", "--output", "{tmp}/letter.html"],
    ],
    ids=lambda c: c[0],
)
def test_a_candidate_named_for_a_years_figures_is_said_to_be_one(
    command: list[str], tmp_path: Path
) -> None:
    """Not 'no member "nedre-eiker" in the spec': it is in the spec, and pays nothing
    until it joins (the same words for every command that shows one member's year)."""
    name, *options = (part.format(tmp=tmp_path) for part in command)
    argv = (
        [name, EXAMPLE, *options, "nedre-eiker"]
        if name != "letter"
        else [name, EXAMPLE, "nedre-eiker", *options]
    )
    code, _, err = run(*argv)
    assert (code, err) == (
        2,
        "dikt: nedre-eiker is a candidate: it pays nothing until it joins (see `dikt join`)\n",
    )
    assert not (tmp_path / "letter.html").exists()


def test_diff_and_fail_above(tmp_path: Path) -> None:
    budget = tmp_path / "2013"
    shutil.copytree(EXAMPLE, budget)
    text = (budget / "cooperation.toml").read_text(encoding="utf-8")
    (budget / "cooperation.toml").write_text(
        text.replace("annual_cost = 7_400_000", "annual_cost = 8_400_000"), encoding="utf-8"
    )
    code, out, _ = run("diff", EXAMPLE, budget)
    assert code == 0
    assert "IT157" in out
    code, _, err = run("diff", EXAMPLE, budget, "--fail-above", "1")
    assert code == 1
    assert err == "dikt: moved more than 1 %: Drammen, Røyken, Sande, Svelvik\n"
    assert run("diff", EXAMPLE, budget, "--fail-above", "5")[0] == 0
    data = json.loads(run("diff", EXAMPLE, budget, "--format", "json")[1])
    assert data["members"][0]["lines"][0]["item"] == "IT157"
    assert run("diff", EXAMPLE, budget, "--format", "markdown")[1].startswith("# Owner")


@pytest.mark.parametrize(
    ("command", "shown"),
    commands((ROOT / "README.md").read_text(encoding="utf-8")),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_readme_shows_what_dikt_prints(command: str, shown: list[str]) -> None:
    """Each `$ dikt ...` of the README prints what the README shows (`...`: left out)."""
    problem = mismatch(shown, output_of(command, ROOT))
    assert problem is None, problem


def test_the_readme_has_console_blocks_to_check() -> None:
    assert len(commands((ROOT / "README.md").read_text(encoding="utf-8"))) >= 10


# -- harmonisation commands ----------------------------------------------------------------


def test_gaps_of_the_candidate() -> None:
    code, out, _ = run("gaps", EXAMPLE, "nedre-eiker")
    assert code == 0
    assert out.splitlines()[-3:-1] == [
        "Harmonised: 10 of the 13 domains it runs systems in (76.92 %); 82.15 % of users and "
        "41.14 % of cost (applications and own systems).",
        # The table lists 14 domains: the one not counted is named.
        "No systems in 1 domain, not counted: Helse.",
    ]
    assert json.loads(run("gaps", EXAMPLE, "sande", "--format", "json")[1])["member"] == "sande"
    assert run("gaps", EXAMPLE, "sande", "--format", "markdown")[1].startswith("# Harmonisation")


def test_gaps_of_an_unknown_member_exits_2() -> None:
    code, _, err = run("gaps", EXAMPLE, "nedre_eiker")
    assert code == 2
    assert (
        err
        == 'dikt: no member or candidate "nedre_eiker" in the spec; did you mean "nedre-eiker"?\n'
    )


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_matrix(fmt: str) -> None:
    code, out, _ = run("matrix", EXAMPLE, "--format", fmt)
    assert code == 0
    # People read an own system by its name; JSON keeps its id.
    assert ("gerica" if fmt == "json" else "Gerica") in out


def test_roadmap(write_spec: SpecWriter) -> None:
    code, out, _ = run("roadmap", EXAMPLE, "nedre-eiker")
    assert code == 0
    assert "after every step: 11,359,376.47 NOK (-243,975.04 NOK a year)" in out
    assert (
        json.loads(run("roadmap", EXAMPLE, "sande", "--format", "json")[1])["steps"][0]["target"]
        == "IT173"
    )
    member = minimal_member("a") + (
        '\n[own_systems.x]\nname = "X"\ndomain = "care"\nannual_cost = 1\nusers = 1\n'
        'depends_on = ["y"]\nowner = "o"\nmanager = "m"\n'
        '\n[own_systems.y]\nname = "Y"\ndomain = "care"\nannual_cost = 1\nusers = 1\n'
        'depends_on = ["x"]\nowner = "o"\nmanager = "m"\n'
    )
    spec = write_spec(members={"a": member})
    # A cycle is an error of the spec: the roadmap refuses it like any analysis.
    code, _, err = run("roadmap", spec, "a")
    assert code == 1
    assert "E105 own_systems.x.depends_on: dependency cycle: x -> y -> x" in err


# -- joining ---------------------------------------------------------------------------------


def test_join_table_json_markdown() -> None:
    code, out, _ = run("join", EXAMPLE, "nedre-eiker")
    assert code == 0
    assert out.splitlines()[0] == (
        "Nedre Eiker kommune joining: carried out in 2012, thin clients kept, NOK"
    )
    assert "By category: implementation 6,615,000.00; process 595,000.00; infrastructure " in out
    data = json.loads(run("join", EXAMPLE, "nedre-eiker", "--format", "json", "--year", "2013")[1])
    assert (data["year"], data["one_time"]["items"][0]["amount"]) == (2013, "8302500.00")
    replace = run(
        "join", EXAMPLE, "nedre-eiker", "--thin-clients", "replace", "--format", "markdown"
    )
    assert "Thin clients replaced by laptops" in replace[1]


def test_join_a_member_exits_2() -> None:
    code, _, err = run("join", EXAMPLE, "sande")
    assert code == 2
    assert err == "dikt: sande is already a member; joining is for candidates\n"


# -- plan ------------------------------------------------------------------------------------


def test_plan_formats_and_growth() -> None:
    code, out, _ = run("plan", EXAMPLE, "--growth", "2.5")
    assert code == 0
    assert out.splitlines()[0] == (
        "Drammensregionens IKT: economic plan 2012-2015, NOK, price growth 2.5 % a year from 2013"
    )
    data = json.loads(run("plan", EXAMPLE, "--format", "json", "--years", "2")[1])
    assert [y["year"] for y in data["years"]] == [2012, 2013]
    assert run("plan", EXAMPLE, "--format", "csv", "--from", "2013")[1].count("\n2013,") == 5
    assert run("plan", EXAMPLE, "--format", "markdown")[1].startswith("# Drammensregionens")


def test_plan_rejects_a_growth_that_is_not_a_number() -> None:
    code, _, err = run("plan", EXAMPLE, "--growth", "lots")
    assert code == 2
    assert "'lots' is not a number of percent" in err


@pytest.mark.parametrize("command", sorted(main.commands))
def test_no_help_shows_a_range_of_none(command: str) -> None:
    """click wrote an option without bounds as "[x<=None]" (dikt leave --year)."""
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "None" not in out, out
