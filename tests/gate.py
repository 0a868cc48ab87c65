"""The gate: what a spec that `check` passes must let every analysis compute.

Shared by the property tests over generated specs and the mutation fuzz.
"""

from __future__ import annotations

from fractions import Fraction

import dikt
from dikt import Allocation, Cooperation, Money, Severity, WhatIf
from dikt.economic_plan import plan
from dikt.harmonisation import gaps, matrix, roadmap
from dikt.joining import join
from dikt.limits import YEAR_MIN
from dikt.rules import horizon, pays_in


def assert_conserved(allocation: Allocation) -> None:
    """Every split's lines sum to the amount split; totals agree to the øre."""
    by_split: dict[int, int] = {}  # by the split's identity: own systems share ids
    for member in allocation.members:
        assert member.total == Money.sum(line.amount for line in member.lines)
        for line in member.lines:
            assert line.amount.ore >= 0
            by_split[id(line.split)] = by_split.get(id(line.split), 0) + line.amount.ore
    for split in allocation.splits:
        assert by_split.get(id(split), 0) == split.amount.ore
    assert allocation.total == Money.sum(m.total for m in allocation.members)
    assert allocation.total == Money.sum(s.amount for s in allocation.splits)


def has_errors(cooperation: Cooperation) -> bool:
    """Whether ``check`` reports an error (warnings do not count)."""
    return any(p.severity is Severity.ERROR for p in dikt.check(cooperation))


def run_every_analysis(cooperation: Cooperation) -> None:
    """Every analysis dikt offers, as the CLI runs them, on a spec ``check`` passes.

    Raises whatever an analysis raises: for a spec without check errors,
    nothing may be raised at all.
    """
    for year in horizon(cooperation):
        allocation = dikt.allocate(cooperation, year)
        assert_conserved(allocation)
    dikt.unit_prices(dikt.allocate(cooperation))
    matrix(cooperation)
    # What a warning of `check` stops (W207-W211, tests/test_promise.py) is not run here.
    found = dikt.blockers(cooperation)
    for member_id, member in cooperation.members.items():
        stops = {what for b in found if member_id in b.candidates for what in b.blocks}
        dated = {
            what
            for b in found
            if member_id in b.candidates and not b.unless_year
            for what in b.blocks
        }
        if WhatIf.GAPS not in stops:
            gaps(cooperation, member_id)
        if WhatIf.ROADMAP not in stops:
            roadmap(cooperation, member_id)
        if not member.is_member and WhatIf.JOIN not in dated:
            undated = WhatIf.JOIN in stops
            year = (
                None
                if member.joined is not None and not undated
                else given_year(cooperation, member)
            )
            if undated and year is None:
                continue  # no year a caller could give: none has members, before it joins
            estimate = join(cooperation, member_id, year)
            assert estimate.annual.total == Money.sum(line.amount for line in estimate.annual.lines)
            moved = Money.sum(m.change for m in estimate.members)
            assert estimate.total_after - estimate.total_before == estimate.annual.total + moved
    study = dikt.key_study(cooperation)
    for key in study.keys:
        if key.unavailable is None:
            assert Money.sum(share.amount for share in key.shares) == study.total
        else:  # only the Shapley value may be out of reach, and it says why
            assert (key.key, key.shares) == ("shapley", ())
    if any(WhatIf.PLAN in b.blocks for b in found):
        return
    result = plan(cooperation, growth=Fraction(1, 40))
    for plan_year in result.years:
        assert_conserved(plan_year.allocation)


def given_year(cooperation: dikt.Cooperation, member: dikt.Member) -> int | None:
    """An implementation year a caller may give for candidate ``member``: the budget year, or
    else the year before it joins or the one it joins in; one with members to implement it,
    and not after it joins. None if there is none."""
    joined = member.joined
    years = [cooperation.budget_year]
    if joined is not None:
        years += [joined.year - 1, joined.year]
    return next(
        (
            y
            for y in years
            if (joined is None or y <= joined.year)
            and y >= YEAR_MIN  # joined in 1900: the year before is no year dikt has
            and any(pays_in(m, y) for m in cooperation.active_members)
        ),
        None,
    )
