"""E118, the cost model's check, from the spec format's words: each way a model can fail
to add up, once failing and once passing at the boundary.

docs/spec-format.md: capacity `steps` (`{ up_to, cost }`, smallest first) sized by the
`"largest"` member or the `"total"` of users, `per_user`, and `fixed` (default: what the
other parts leave of `annual_cost`; E118 if they do not add up). docs/fair-shares.md:
"the users of an item are the member's users of the application, or the member's `users`
for a base package". The spec below has members a and b with 200 users each (400 in
all) and 10 users each of the application CARE (annual cost 500); the firewall FW, a
base package, costs 1 000 a year.
"""

from __future__ import annotations

import pytest

import dikt

from .conftest import MINIMAL_COOPERATION, minimal_member, unlocated


def e118(model: str, system: str = "FW", *, candidate: bool = False) -> list[str]:
    """The E118 findings of the minimal spec with ``model`` as ``system``'s cost model."""
    cooperation = f"{MINIMAL_COOPERATION}\n[systems.{system}.cost_model]\n{model}\n"
    members = {"a": minimal_member("a"), "b": minimal_member("b", "0603")}
    if candidate:
        # A candidate pays nothing yet: its 9 000 users are not the members' need.
        members["c"] = (
            minimal_member("c", "0604")
            .replace('status = "member"', 'status = "candidate"\njoined = 2014-01-01')
            .replace("users = 200", "users = 9000")
        )
    loaded = dikt.load_texts(cooperation, {f"members/{k}.toml": v for k, v in members.items()})
    return [p for p in unlocated(dikt.check(loaded)) if " E118 " in p]


RISE = "capacity steps must rise: up_to above {up} and cost at least {cost}"


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # up_to must rise strictly; the cost may stay the same but never fall.
        (
            "{ up_to = 300, cost = 100 }, { up_to = 300, cost = 200 }",
            RISE.format(up=300, cost="100.00"),
        ),
        (
            "{ up_to = 300, cost = 200 }, { up_to = 500, cost = 199.99 }",
            RISE.format(up=300, cost="200.00"),
        ),
        ("{ up_to = 300, cost = 200 }, { up_to = 301, cost = 200 }", None),
        ("{ up_to = 100, cost = 100 }, { up_to = 300, cost = 200 }", None),
        (
            "{ up_to = 500, cost = 100 }, { up_to = 300, cost = 200 }",
            RISE.format(up=500, cost="100.00"),
        ),
    ],
)
def test_capacity_steps_must_rise(steps: str, expected: str | None) -> None:
    # Sized by the largest member (200 users): every step list below serves it.
    found = e118(f"steps = [{steps}]")
    assert found == (
        []
        if expected is None
        else [f"cooperation.toml: E118 systems.FW.cost_model.steps[1]: {expected}"]
    )


@pytest.mark.parametrize(
    ("basis", "up_to", "fails"),
    [
        # "total": the members' 400 users together; "largest": the largest member's 200.
        ("total", 399, True),
        ("total", 400, False),
        ("largest", 199, True),
        ("largest", 200, False),
    ],
)
def test_the_largest_step_must_serve_the_members(basis: str, up_to: int, fails: bool) -> None:
    found = e118(f'step_basis = "{basis}"\nsteps = [{{ up_to = {up_to}, cost = 100 }}]')
    assert found == (
        [
            f"cooperation.toml: E118 systems.FW.cost_model.steps: the largest capacity step "
            f"serves {up_to} users, fewer than the members need"
        ]
        if fails
        else []
    )


def test_a_candidates_users_are_not_the_members_need() -> None:
    assert e118('step_basis = "total"\nsteps = [{ up_to = 400, cost = 100 }]', candidate=True) == []


@pytest.mark.parametrize(
    ("model", "parts"),
    [
        # 400 users at 2.50 are the whole 1 000: a fixed part of 0 adds up.
        ("per_user = 2.5", None),
        ("per_user = 2.51", "1004.00"),
        # 400 users at 2 and a step of 200 are the whole 1 000.
        ('per_user = 2\nstep_basis = "total"\nsteps = [{ up_to = 400, cost = 200 }]', None),
        ('per_user = 2\nstep_basis = "total"\nsteps = [{ up_to = 400, cost = 200.01 }]', "1000.01"),
        # Sized by the largest member (200 users), the first step that serves it counts.
        ("steps = [{ up_to = 199, cost = 1 }, { up_to = 200, cost = 1000.01 }]", "1000.01"),
        ("steps = [{ up_to = 200, cost = 1000 }, { up_to = 400, cost = 5000 }]", None),
    ],
)
def test_per_user_and_capacity_may_not_exceed_the_annual_cost(
    model: str, parts: str | None
) -> None:
    assert e118(model) == (
        []
        if parts is None
        else [
            f"cooperation.toml: E118 systems.FW.cost_model: the cost model's per-user and "
            f"capacity parts come to {parts}, more than the annual cost 1000.00"
        ]
    )


@pytest.mark.parametrize(
    ("model", "parts"),
    [
        # An application's need is its users (10 + 10), not the members' users.
        ("per_user = 25", None),
        ("per_user = 25.01", "500.20"),
    ],
)
def test_an_applications_need_is_its_users(model: str, parts: str | None) -> None:
    assert e118(model, "CARE") == (
        []
        if parts is None
        else [
            f"cooperation.toml: E118 systems.CARE.cost_model: the cost model's per-user and "
            f"capacity parts come to {parts}, more than the annual cost 500.00"
        ]
    )


@pytest.mark.parametrize(("fixed", "fails"), [(600, False), (599.99, True), (600.01, True)])
def test_a_written_fixed_part_must_be_the_rest(fixed: float, fails: bool) -> None:
    # 400 users at 1.00 leave 600 of the 1 000.
    found = e118(f"per_user = 1\nfixed = {fixed}")
    assert found == (
        [
            f"cooperation.toml: E118 systems.FW.cost_model.fixed: fixed is {fixed:.2f}, but "
            f"the other parts leave 600.00 of the annual cost"
        ]
        if fails
        else []
    )
