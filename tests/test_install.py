"""Installing dikt as the docs say: the distribution's own name, and the CI recipe.

The name ``dikt`` on the package index belongs to an unrelated project, so
every install instruction must name this project's distribution (read from
pyproject.toml), and the CI how-to's recipe must really run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT

DISTRIBUTION: str = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "name"
]

# Where users read install commands: the README, the docs, and the messages
# dikt itself prints (the Sphinx extension says how to get Sphinx).
_SOURCES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").rglob("*.md")),
    *sorted((ROOT / "docs").rglob("*.rst")),
    *sorted((ROOT / "dikt").rglob("*.py")),
]
_SKIP = {"_build"}

# "pip install" followed by its arguments, up to the end of the line, a
# backtick or a closing quote of a Python string.
_PIP = re.compile(r"pip install ([^`\n\"]*)")


def _requirements(arguments: str) -> list[str]:
    """The requirement names in one pip command's arguments (options and paths left out)."""
    names = []
    for word in shlex.split(arguments.split("&&", maxsplit=1)[0]):
        if word.startswith(("-", ".")) or "/" in word:
            continue
        names.append(re.split(r"[\[<>=!~; ]", word, maxsplit=1)[0])
    return names


def _install_commands() -> list[tuple[str, str]]:
    found = []
    for path in _SOURCES:
        if _SKIP & set(path.parts):
            continue
        for match in _PIP.finditer(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(ROOT)), match.group(1)))
    return found


def test_the_distribution_name_is_not_the_taken_one() -> None:
    assert DISTRIBUTION == "dikt-ikt"


def test_every_install_instruction_names_our_distribution() -> None:
    commands = _install_commands()
    # The scan finds what it should: the tutorial, the CI how-to, the README
    # and the Sphinx extension's message all say how to install.
    places = {place for place, _ in commands}
    assert {"docs/tutorial.md", "docs/howto/ci.md", "README.md", "dikt/sphinxext.py"} <= places
    wrong = [
        (place, name)
        for place, arguments in commands
        for name in _requirements(arguments)
        if name == "dikt" or (name.startswith("dikt") and name != DISTRIBUTION)
    ]
    assert wrong == []


def test_the_requirement_parser_sees_a_wrong_name() -> None:
    """The scan above can fail: it reads names with extras and versions."""
    assert _requirements("dikt") == ["dikt"]
    assert _requirements("'dikt[docs]'") == ["dikt"]
    assert _requirements("-q -e '.[test]' && .venv/bin/python -m pytest") == []
    assert _requirements("dikt-ikt>=0.1 sphinx") == ["dikt-ikt", "sphinx"]


def _recipe() -> list[str]:
    """The shell lines of the CI how-to's recipe, word for word."""
    text = (ROOT / "docs" / "howto" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_ci_recipe_runs_in_a_git_repository(tmp_path: Path) -> None:
    """A base commit on main, a change on a branch: the recipe passes a small
    change and fails a large one, as the how-to says."""
    lines = _recipe()
    # Installing is the one line not run: the suite runs with dikt installed
    # from this checkout, and tests never touch the network.
    assert lines[0] == f"pip install {DISTRIBUTION}"
    steps = lines[1:]

    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    origin = tmp_path / "origin.git"
    work = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True, env=env)
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True, env=env)
    shutil.copytree(EXAMPLE, work / "spec")
    for args in (
        ("add", "spec"),
        ("commit", "-q", "-m", "base"),
        ("remote", "add", "origin", str(origin)),
        ("push", "-q", "origin", "main"),
        ("checkout", "-q", "-b", "change"),
    ):
        subprocess.run(["git", *args], cwd=work, check=True, env=env, capture_output=True)

    def run_recipe() -> list[int]:
        codes = []
        for step in steps:
            done = subprocess.run(
                ["bash", "-o", "pipefail", "-c", step],
                check=False,
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
            )
            codes.append(done.returncode)
            if done.returncode != 0:
                break
        return codes

    member = work / "spec" / "members" / "sande.toml"
    original = member.read_text(encoding="utf-8")
    # A small change: one more user of one system.
    per_system = re.compile(r"(\[systems\.[^\]]+\]\nusers = )(\d+)")
    small = per_system.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", original, count=1)
    assert small != original
    member.write_text(small, encoding="utf-8")
    assert run_recipe() == [0] * len(steps)

    # A large one: ten times the users of every system Sande runs.
    large = per_system.sub(lambda m: f"{m.group(1)}{int(m.group(2)) * 10}", original)
    member.write_text(large, encoding="utf-8")
    codes = run_recipe()
    assert codes[:-1] == [0] * (len(steps) - 1)
    assert codes[-1] == 1
