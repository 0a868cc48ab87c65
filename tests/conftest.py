"""Shared fixtures and the hypothesis profiles.

Profiles: "ci" (the default; quick enough for every push), "thorough"
(many more examples; `HYPOTHESIS_PROFILE=thorough pytest`), "mutation" (fewer,
for a first pass of tools/mutation.py over a large module) and "unshrunk" (ci's
examples, a failure not shrunk: tools/mutation.py needs only to know that a test fails).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, Phase, settings

from dikt import Problem

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# Only for a first pass of tools/mutation.py over a large module (docs/testing.md).
settings.register_profile(
    "mutation", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# For tools/mutation.py: the ci profile's examples, a failure not shrunk. A mutant is
# killed by the first failing example; shrinking it took a minute or two of some runs.
settings.register_profile(
    "unshrunk",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "specs" / "d-ikt"


@pytest.fixture(autouse=True)
def _plain_output_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect English and unwrapped tables unless they ask otherwise, whatever
    DIKT_LANG or COLUMNS the shell (or a test runner's worker) has."""
    monkeypatch.delenv("DIKT_LANG", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def example() -> Path:
    """The shipped D-IKT example spec directory."""
    return EXAMPLE


MINIMAL_COOPERATION = """\
schema = 1
id = "mini"
name = "Mini"
budget_year = 2012
currency = "NOK"

[domains.infra]
name = "Infrastructure"

[domains.care]
name = "Care"

[systems.FW]
name = "Firewall"
package = "base"
domain = "infra"
annual_cost = 1000

[systems.CARE]
name = "Care system"
package = "application"
domain = "care"
annual_cost = 500
depends_on = ["FW"]
"""

MINIMAL_MEMBER = """\
id = "{id}"
name = "{name}"
municipality_number = "{number}"
status = "member"
population = 1000
employees = 100
users = 200

[representatives]
board = "Rådmann"
working_committee = "IT-sjef"

[systems.CARE]
users = 10
owner = "Kommunalsjef"
manager = "Systemansvarlig"
"""


def minimal_member(ident: str = "a", number: str = "0602") -> str:
    """A sound member file for the minimal cooperation."""
    return MINIMAL_MEMBER.format(id=ident, name=ident.title(), number=number)


SpecWriter = Callable[..., Path]


@pytest.fixture
def write_spec(tmp_path: Path) -> SpecWriter:
    """Write a spec directory from texts: write_spec(cooperation, {"a": text})."""

    def write(
        cooperation: str = MINIMAL_COOPERATION, members: dict[str, str] | None = None
    ) -> Path:
        root = tmp_path / "spec"
        (root / "members").mkdir(parents=True, exist_ok=True)
        (root / "cooperation.toml").write_text(cooperation, encoding="utf-8")
        if members is None:
            members = {"a": minimal_member("a")}
        for stem, text in members.items():
            (root / "members" / f"{stem}.toml").write_text(text, encoding="utf-8")
        return root

    return write


def unlocated(problems: Iterable[Problem]) -> list[str]:
    """Problems as printed, without line and column (asserted in their own tests).

    Syntax and encoding problems keep theirs: they come from the parser.
    """
    return [
        str(p if p.code in ("E002", "E003") else attrs.evolve(p, line=None, column=None))
        for p in problems
    ]
