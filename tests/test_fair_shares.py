"""Fair shares without false alarms: items split among who needs them, the core on the
exact split, and keys that survive a Shapley value that cannot be computed."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from hypothesis import given, strategies as st

import dikt
from dikt import Money
from dikt.allocation import LineKind
from dikt.fair import (
    CostItem,
    Game,
    _counts_by_need,
    _counts_by_set,
    core,
    cost_game,
    key_study,
)
from dikt.model import Package
from dikt.rules import participants

from .conftest import EXAMPLE
from .test_cli import run

TWO_SYSTEMS = """\
schema = 1
id = "two"
name = "Two groups"
budget_year = 2012
currency = "NOK"

[domains.care]
name = "Care"

[systems.X]
name = "X"
package = "application"
domain = "care"
annual_cost = 1000000

[systems.Y]
name = "Y"
package = "application"
domain = "care"
annual_cost = 1000000
"""

MEMBER = """\
id = "{id}"
name = "{id}"
municipality_number = "{number}"
status = "member"
population = {population}
employees = {employees}
users = {users}

[representatives]
board = "Rådmann"
working_committee = "IT-sjef"

[systems.{system}]
users = {system_users}
owner = "Kommunalsjef"
manager = "Systemansvarlig"
"""


def _member(ident: str, index: int, system: str) -> str:
    return MEMBER.format(
        id=ident,
        number=f"{1000 + index:04d}",
        population=1000 + 337 * index,
        employees=100 + 31 * index,
        users=70 + 13 * index,
        system=system,
        system_users=7 + 3 * index,
    )


def _two_groups() -> dikt.Cooperation:
    """Systems of NOK 1 000 000 each: X for a, b, c and Y for d, e, f."""
    members = {
        f"members/{ident}.toml": _member(ident, index, "X" if ident in "abc" else "Y")
        for index, ident in enumerate("abcdef")
    }
    return dikt.load_texts(TWO_SYSTEMS, members)


def test_groups_that_share_nothing_show_no_violation_under_any_key() -> None:
    study = key_study(_two_groups())
    assert len(study.keys) == 8
    for result in study.keys:
        assert result.core.checked
        assert (result.key, result.core.count) == (result.key, 0)
        paid = {s.member: s.amount.ore for s in result.shares}
        assert paid["a"] + paid["b"] + paid["c"] == 100_000_000
        assert paid["d"] + paid["e"] + paid["f"] == 100_000_000


def test_an_item_is_split_only_among_who_needs_it() -> None:
    """Equally: a third of X each for a, b, c; nothing of X for d, e, f."""
    (equal,) = [r for r in key_study(_two_groups()).keys if r.key == "equal"]
    assert [s.amount for s in equal.shares] == [
        Money(33_333_334),
        Money(33_333_333),
        Money(33_333_333),
        Money(33_333_334),
        Money(33_333_333),
        Money(33_333_333),
    ]


def test_the_core_is_checked_on_the_exact_split() -> None:
    """An øre that rounding moved into a set is no violation: its exact split is in the core."""
    game = Game(
        players=("a", "b", "c", "d"),
        items=(
            CostItem(item="x", kind=LineKind.BASE, players=(0, 1), needs=(0, 0), fixed=1),
            CostItem(item="y", kind=LineKind.BASE, players=(2, 3), needs=(0, 0), fixed=1),
        ),
    )
    rounded = [Money(1), Money(1), Money(0), Money(0)]  # a half øre each, rounded together
    assert core(game, rounded).count > 0  # the rounded amounts alone look unfair
    assert core(game, rounded, exact=[Fraction(1, 2)] * 4).count == 0
    over = core(game, rounded, exact=[Fraction(3, 2), Fraction(1, 2), Fraction(0), Fraction(0)])
    assert [v.members for v in over.violations][:2] == [("a",), ("a", "b")]
    assert over.violations[1].pays == Money(2)
    assert over.violations[1].excess == Money(1)


def test_needing_an_item_is_the_same_in_the_allocation_and_the_game() -> None:
    """Users > 0 for an application, every member for a base package."""
    cooperation = dikt.load(EXAMPLE)
    game = cost_game(cooperation)
    by_item = {item.item: item for item in game.items}
    for system_id, system in cooperation.systems.items():
        item = by_item.get(system_id)
        if item is None:
            continue
        expected = tuple(m.id for m in participants(cooperation, system_id))
        assert tuple(game.players[p] for p in item.players) == expected
        if system.package is Package.BASE:
            assert len(item.players) == len(game.players)


# -- capacity steps by total users beyond the exact limit ------------------------------------

MANY = """\
schema = 1
id = "many"
name = "Many"
budget_year = 2012
currency = "NOK"

[domains.infra]
name = "Infrastructure"

[domains.care]
name = "Care"

[systems.DC]
name = "Data centre"
package = "base"
domain = "infra"
annual_cost = 1000000

[systems.DC.cost_model]
step_basis = "total"
steps = [{ up_to = 1000, cost = 300000 }, { up_to = 100000, cost = 600000 }]

[systems.X]
name = "X"
package = "application"
domain = "care"
annual_cost = 1000000
"""


def _many(count: int) -> dict[str, str]:
    return {
        f"members/m{index:02d}.toml": _member(f"m{index:02d}", index, "X") for index in range(count)
    }


def test_keys_show_every_other_key_when_the_shapley_value_cannot_be_computed() -> None:
    study = key_study(dikt.load_texts(MANY, _many(17)))
    assert [r.key for r in study.keys] == [
        "today",
        "equal",
        "users",
        "employees",
        "population",
        "30/70",
        "50/50",
        "shapley",
    ]
    *others, fair = study.keys
    assert all(len(r.shares) == 17 for r in others)
    assert all(s.above_fair is None for r in others for s in r.shares)
    assert fair.shares == ()
    assert fair.unavailable is not None
    assert "at most 16 members, not 17" in fair.unavailable


def test_dikt_keys_says_why_the_shapley_row_is_missing(tmp_path: Path) -> None:
    root = tmp_path / "spec"
    (root / "members").mkdir(parents=True)
    (root / "cooperation.toml").write_text(MANY, "utf-8")
    for name, text in _many(17).items():
        (root / name).write_text(text, "utf-8")
    code, out, _ = run("check", root)
    assert code == 0
    assert (
        "W212 systems.DC.cost_model.step_basis: capacity steps by total users shared by 17 " in out
    )
    code, out, err = run("keys", root)
    assert (code, err) == (0, "")
    assert "Not computed: DC: capacity steps by total users have no closed form" in out
    data = json.loads(run("keys", root, "--format", "json")[1])
    assert data["keys"][-1]["unavailable"].startswith("DC: capacity steps by total users")
    assert [k["key"] for k in data["keys"]][:2] == ["today", "equal"]


def test_sixteen_members_sharing_steps_by_total_users_are_priced_exactly() -> None:
    cooperation = dikt.load_texts(MANY, _many(16))
    assert not [p for p in dikt.check(cooperation) if p.code == "W212"]
    study = key_study(cooperation)
    (fair,) = [r for r in study.keys if r.key == "shapley"]
    assert sum(s.amount.ore for s in fair.shares) == study.total.ore
    assert fair.unavailable is None


@given(st.lists(st.integers(0, 40), min_size=1, max_size=8))
def test_both_ways_of_counting_sets_by_need_agree(needs: list[int]) -> None:
    total = sum(needs)
    by_need, by_set = _counts_by_need(needs, total), _counts_by_set(needs, total)
    for y in range(total + 1):
        assert list(by_need(y)) == list(by_set(y))
