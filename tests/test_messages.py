"""Messages as a new user meets them, and specs on a file system that refuses access."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import dikt
from dikt.cli import main
from dikt.findings import problem_text
from dikt.i18n import message_n, texts

from .conftest import MINIMAL_COOPERATION, ROOT, SpecWriter, minimal_member


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _problems(cooperation: str, members: dict[str, str]) -> list[dikt.Problem]:
    with pytest.raises(dikt.SpecError) as raised:
        dikt.load_texts(cooperation, {f"members/{k}.toml": v for k, v in members.items()})
    return list(raised.value.problems)


# -- a misspelt key ---------------------------------------------------------------------


def test_a_misspelt_key_is_one_finding() -> None:
    """Not also "missing required key "users"" beside the "did you mean"."""
    member = minimal_member("a").replace("[systems.CARE]\nusers = 10", "[systems.CARE]\nusres = 10")
    found = _problems(MINIMAL_COOPERATION, {"a": member})
    assert [str(p) for p in found] == [
        'members/a.toml:14:1: E004 systems.CARE.usres: unknown key "usres"; did you mean "users"?'
    ]


def test_a_missing_key_without_a_misspelling_is_still_reported() -> None:
    member = minimal_member("a").replace("[systems.CARE]\nusers = 10\n", "[systems.CARE]\n")
    found = _problems(MINIMAL_COOPERATION, {"a": member})
    assert [(p.code, p.path, p.message) for p in found] == [
        ("E005", "systems.CARE", 'missing required key "users"')
    ]


def test_load_problems_are_ordered_by_file_line_and_column() -> None:
    """A missing key is reported at its table, before an unknown key further down."""
    member = (
        minimal_member("a")
        .replace("employees = 100\n", "")
        .replace("[systems.CARE]\nusers = 10", "[systems.CARE]\nusers = 10\nextra = 1")
        .replace('status = "member"', 'status = "member"\nzzz = 1')
    )
    found = _problems(
        MINIMAL_COOPERATION.replace('currency = "NOK"', "currency = 1"), {"a": member}
    )
    places = [(p.file, p.line or 0, p.column or 0) for p in found]
    assert places == sorted(places, key=lambda f: (f[0] != "cooperation.toml", *f))
    assert [p.code for p in found] == ["E006", "E005", "E004", "E004"]


def test_check_findings_are_ordered_by_line() -> None:
    """A system nobody uses (found last) above a system with an unknown domain."""
    unused = '[systems.AAA]\nname = "Unused"\npackage = "application"\ndomain = "care"\n'
    cooperation = MINIMAL_COOPERATION.replace(
        "[systems.FW]", unused + "annual_cost = 1\n\n[systems.FW]"
    )
    cooperation = cooperation.replace(
        'domain = "care"\nannual_cost = 500', 'domain = "nope"\nannual_cost = 500'
    )
    found = dikt.check(dikt.load_texts(cooperation, {"members/a.toml": minimal_member("a")}))
    assert [(p.line, p.code) for p in found] == [(13, "W204"), (17, "E108"), (28, "E102")]


# -- counts and quotation marks ---------------------------------------------------------


def test_a_message_with_a_count_reads_singular_or_plural() -> None:
    one = message_n("the spec has {n} error; `dikt check` lists it", "x {n}", 1)
    assert one == "the spec has 1 error; `dikt check` lists it"
    assert texts("nb").message(one) == "spesifikasjonen har 1 feil; `dikt check` viser den"


def test_allocate_of_a_spec_with_errors_counts_them_in_words(write_spec: SpecWriter) -> None:
    one = write_spec(members={"a": minimal_member("a").replace("users = 10", "users = 0")})
    code, _, err = run("allocate", one)
    assert code == 1
    assert err.splitlines()[0] == "dikt: the spec has 1 error; `dikt check` lists it"
    two = write_spec(
        members={"a": minimal_member("a", number="62").replace("users = 10", "users = 0")}
    )
    code, _, err = run("allocate", two, "--lang", "nb")
    assert err.splitlines()[0] == "dikt: spesifikasjonen har 2 feil; `dikt check` viser dem"


def test_allocate_names_files_as_check_does(
    write_spec: SpecWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(members={"a": minimal_member("a").replace("users = 10", "users = 0")})
    monkeypatch.chdir(spec.parent)
    _, out, _ = run("check", "spec")
    _, _, err = run("allocate", "spec")
    (finding,) = [line for line in out.splitlines() if " E1" in line]
    assert finding.startswith("spec/cooperation.toml:")
    assert err.splitlines()[1:] == [finding]


def test_bokmal_quotes_what_the_user_wrote_in_its_own_marks() -> None:
    member = minimal_member("a").replace("[systems.CARE]\nusers = 10", "[systems.CARE]\nusres = 10")
    (found,) = _problems(MINIMAL_COOPERATION, {"a": member})
    assert problem_text(found, "nb").endswith(": ukjent nøkkel «usres»; mente du «users»?")
    assert problem_text(found, "en").endswith(': unknown key "usres"; did you mean "users"?')


def test_bokmal_messages_use_only_its_own_quotation_marks() -> None:
    """A translation quotes with «» (TOML quoted in code, `cal = "single"`, aside)."""
    catalog = (ROOT / "dikt" / "locale" / "nb" / "LC_MESSAGES" / "dikt.po").read_text("utf-8")
    translations = [line for line in catalog.splitlines() if line.startswith("msgstr")]
    mixed = [line for line in translations if '\\"' in line and ' = \\"' not in line]
    assert mixed == []


# -- the language before the command -------------------------------------------------------


def test_the_language_may_come_before_the_command() -> None:
    spec = ROOT / "specs" / "d-ikt"
    code, out, _ = run("--lang", "nb", "allocate", spec)
    assert code == 0
    assert out == run("allocate", spec, "--lang", "nb")[1]
    assert "\xa0kr" in out or "totalt" in out.lower() or out != run("allocate", spec)[1]


def test_the_command_s_own_language_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ROOT / "specs" / "d-ikt"
    assert run("--lang", "nb", "allocate", spec, "--lang", "en") == run("allocate", spec)
    monkeypatch.setenv("DIKT_LANG", "en")
    assert run("--lang", "nb", "allocate", spec)[1] == run("allocate", spec, "--lang", "nb")[1]


# -- the file system ------------------------------------------------------------------------


def test_members_as_a_regular_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "cooperation.toml").write_text(MINIMAL_COOPERATION, encoding="utf-8")
    (tmp_path / "members").write_text("", encoding="utf-8")
    code, out, _ = run("check", tmp_path)
    assert code == 2
    assert out == (
        f"{tmp_path / 'members'}: E001 must be a directory inside the spec directory; "
        "it is a regular file\n1 error, 0 warnings\n"
    )


@pytest.fixture
def shared_spec() -> Iterator[Path]:
    """A spec directory another user may read (pytest's own tmp_path is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="dikt-perm-"))
    try:
        shutil.copytree(ROOT / "specs" / "d-ikt", directory / "spec")
        for path in [directory, *directory.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield directory / "spec"
    finally:
        for path in [directory, *directory.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(directory)


def _as_another_user(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``dikt ARGS`` run as a user who is not root (nobody), or skip where that cannot be."""
    command = [sys.executable, "-m", "dikt", *map(str, args)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("DIKT_LANG", None)
    if os.geteuid() != 0:
        return subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root, and no setpriv to run as another user")
    as_nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*as_nobody, sys.executable, "-c", "import dikt"],
        capture_output=True,
        env=environment,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("nobody cannot run this Python and dikt")
    return subprocess.run(
        [*as_nobody, *command], capture_output=True, text=True, env=environment, check=False
    )


@pytest.mark.parametrize("named", ["directory", "cooperation.toml"])
def test_a_spec_directory_that_cannot_be_searched_is_e001(shared_spec: Path, named: str) -> None:
    shared_spec.chmod(0o644)
    spec = shared_spec if named == "directory" else shared_spec / "cooperation.toml"
    done = _as_another_user("check", spec)
    assert (done.returncode, done.stderr) == (2, "")
    assert done.stdout == (
        f"{shared_spec}: E001 the directory cannot be searched (it lacks execute permission "
        "for this user), so none of its files can be opened\n1 error, 0 warnings\n"
    )


def test_members_that_cannot_be_searched_is_e001(shared_spec: Path) -> None:
    (shared_spec / "members").chmod(0o644)
    done = _as_another_user("allocate", shared_spec)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"{shared_spec / 'members'}: E001 the directory cannot be ")
    assert "Traceback" not in done.stderr


def test_an_unsearchable_directory_seen_by_the_library(
    write_spec: SpecWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal whoever runs the tests: the library asks os.access."""
    spec = write_spec()
    real = os.access

    def access(path: object, mode: int) -> bool:
        return False if Path(str(path)).name == "members" and mode == os.X_OK else real(path, mode)

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(dikt.SpecError) as raised:
        dikt.load(spec)
    assert [(p.file, p.code) for p in raised.value.problems] == [("members", "E001")]
