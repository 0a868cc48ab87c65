"""The promise of `check`, tested both ways over generated and mutated specs (issue 22.3).

- `check` reports no error => every analysis of the members computes, for
  the budget year and the plan's years: allocate (and explain, prices, diff,
  invoices, the FOCUS export), keys, gaps and roadmap for every member, the
  matrix, the graph.
- `check` reports no warning about candidate C (W207-W211 name it) => every
  what-if with C computes: join, keys --candidate, gaps, roadmap and the
  joining report; and when no warning stops the plan, the plan computes.
- The other way: a what-if such a warning names stops, with exactly those
  warnings (:class:`dikt.WhatIfError`), and nothing else is ever raised.

The specs are the property tests' sound cooperations, changed the ways that
stop what-ifs (a key of fixed shares that candidates would share, with and
without ``shares_with``; capacity steps sized for today's members; what a
candidate moves over booked to an unknown system; a candidate without a
joined date, or joining in the plan's years), and the semantic mutants of
the example.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, seed, settings, strategies as st

import dikt
from dikt import (
    CapacityStep,
    Cooperation,
    CostModel,
    Key,
    MemberStatus,
    Money,
    Package,
    Severity,
    StaffGroup,
    StepBasis,
    Transfer,
    Usage,
    WhatIf,
    WhatIfError,
)
from dikt.cli import main
from dikt.rules import horizon, needs

from .conftest import EXAMPLE
from .gate import assert_conserved, given_year
from .strategies import cooperations, semantic_mutants

EXAMPLE_MODEL = dikt.load(EXAMPLE)

#: Few examples, each running every analysis: the suite stays fast (CI).
_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_CHANGES = (
    "founders",
    "founders-with",
    "tight-steps",
    "transfer",
    "undated",
    "joins",
    "broken-file",
)


def _hundredths(ids: list[str]) -> dict[str, Fraction]:
    """Shares for ``ids`` as a spec can write them (hundredths), summing to 1."""
    each = 100 // len(ids)
    shares = {member: Fraction(each, 100) for member in ids}
    shares[ids[-1]] += Fraction(100 - each * len(ids), 100)
    return shares


@st.composite
def candidate_trouble(draw: st.DrawFn, base: Cooperation) -> Cooperation:
    """``base`` with a few changes that stop what-ifs with a candidate, and not the members'."""
    cooperation = base
    for index in range(draw(st.integers(1, 4))):
        active = [m.id for m in cooperation.active_members]
        others = sorted(m for m, v in cooperation.members.items() if not v.is_member)
        # Most specs get a candidate joining in the plan's years first: what the rest stops.
        change = "joins" if index == 0 and draw(st.booleans()) else draw(st.sampled_from(_CHANGES))
        event(f"change: {change}")
        if change == "joins" and len(active) > 1:
            # A member becomes a candidate joining in the plan's years.
            chosen = draw(st.sampled_from(active))
            joined = dt.date(cooperation.budget_year + draw(st.integers(0, 3)), 1, 1)
            member = attrs.evolve(
                cooperation.members[chosen], status=MemberStatus.CANDIDATE, joined=joined
            )
            cooperation = attrs.evolve(cooperation, members={**cooperation.members, chosen: member})
        elif change in ("founders", "founders-with"):
            bases = sorted(s for s, v in cooperation.systems.items() if v.package is Package.BASE)
            if not bases:
                continue
            system_id = draw(st.sampled_from(bases))
            shares = _hundredths(active)
            with_ = {}
            if change == "founders-with" and others:
                joining = draw(st.sampled_from(others))
                with_ = {joining: _hundredths([*active, joining])}
            key = Key(id="founders", shares=shares, shares_with=with_)
            system = attrs.evolve(cooperation.systems[system_id], key="founders")
            cooperation = attrs.evolve(
                cooperation,
                keys={**cooperation.keys, "founders": key},
                systems={**cooperation.systems, system_id: system},
            )
        elif change == "tight-steps":
            system_id = draw(st.sampled_from(sorted(cooperation.systems)))
            system = cooperation.systems[system_id]
            today = needs(cooperation, system_id)
            basis = draw(st.sampled_from(StepBasis))
            need = (
                sum(today.values()) if basis is StepBasis.TOTAL else max(today.values(), default=0)
            )
            if need < 1:
                continue
            # Sized exactly for today's members: a candidate's users overflow it.
            step = CapacityStep(up_to=need, cost=Money(system.annual_cost.ore // 2))
            model = CostModel(steps=(step,), step_basis=basis)
            cooperation = attrs.evolve(
                cooperation,
                systems={
                    **cooperation.systems,
                    system_id: attrs.evolve(system, cost_model=model),
                },
            )
        elif change == "transfer" and others:
            chosen = draw(st.sampled_from(others))
            target = draw(st.sampled_from([*sorted(cooperation.systems), "NOPE"]))
            staff = StaffGroup(role="Tekniker", annual_cost=Money(60_000_000), system=target)
            member = attrs.evolve(cooperation.members[chosen], transfer=Transfer(staff=(staff,)))
            cooperation = attrs.evolve(cooperation, members={**cooperation.members, chosen: member})
        elif change == "broken-file" and others:
            # An error in the candidate's own file: it is set aside, the members compute.
            chosen = draw(st.sampled_from(others))
            member = cooperation.members[chosen]
            broken = draw(
                st.sampled_from(
                    [
                        attrs.evolve(member, municipality_number="12"),
                        attrs.evolve(
                            member,
                            systems={**member.systems, "NOPE": Usage(system="NOPE", users=3)},
                        ),
                        attrs.evolve(member, leaving=dt.date(cooperation.budget_year + 2, 1, 1)),
                    ]
                )
            )
            cooperation = attrs.evolve(cooperation, members={**cooperation.members, chosen: broken})
        elif change == "undated" and others:
            chosen = draw(st.sampled_from(others))
            member = attrs.evolve(cooperation.members[chosen], joined=None)
            cooperation = attrs.evolve(cooperation, members={**cooperation.members, chosen: member})
    return cooperation


def _run(cli: list[str]) -> None:
    """A command as the user runs it: it must not fail for a spec check passes."""
    result = CliRunner().invoke(main, cli)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, (cli, result.stderr)


def members_compute(cooperation: Cooperation) -> None:
    """Every analysis of the members: nothing may be raised for a spec without errors."""
    for year in horizon(cooperation):
        allocation = dikt.allocate(cooperation, year)
        assert_conserved(allocation)
        dikt.invoices(cooperation, year, allocation=allocation)
    allocation = dikt.allocate(cooperation)
    dikt.unit_prices(allocation)
    dikt.diff(allocation, allocation)
    dikt.focus_csv(cooperation=cooperation, allocation=allocation)
    study = dikt.key_study(cooperation)
    for key in study.keys:
        assert key.unavailable is None or key.key == "shapley"
    dikt.matrix(cooperation)
    dikt.build_graph(cooperation)
    for member in cooperation.active_members:
        dikt.gaps(cooperation, member.id)
        dikt.roadmap(cooperation, member.id)


def _refused_or_computed(blocked: bool, what_if: Callable[[], object]) -> None:
    """A what-if computes unless a warning stops it; then it stops with a WhatIfError."""
    if not blocked:
        what_if()
        return
    with pytest.raises(WhatIfError) as refused:
        what_if()
    assert refused.value.problems
    assert {p.code for p in refused.value.problems} <= {
        "W207",
        "W208",
        "W209",
        "W210",
        "W211",
        "W213",
    }


def what_ifs_compute_unless_warned(cooperation: Cooperation, *, report: bool) -> None:
    """Each what-if with each candidate: computed when no warning names it, else refused."""
    found = dikt.blockers(cooperation)
    # `check` warns with exactly these findings (located in the files, where it has them).
    warned = [
        (p.file, p.path, p.code, p.message)
        for p in dikt.check(cooperation)
        if p.code in {b.code for b in found}
    ]
    said = [(p.file, p.path, p.code, p.message) for p in (b.problem() for b in found)]
    assert sorted(warned) == sorted(said)
    stops_plan = any(WhatIf.PLAN in b.blocks for b in found)
    _refused_or_computed(stops_plan, lambda: dikt.plan(cooperation, growth=Fraction(1, 40)))
    for candidate in sorted(m for m, v in cooperation.members.items() if not v.is_member):
        about = [b for b in found if candidate in b.candidates]
        if about:
            event(f"warned: {' '.join(sorted({b.code for b in about}))}")
        stops = {what for b in about for what in b.blocks}
        dated = {what for b in about if not b.unless_year for what in b.blocks}
        _refused_or_computed(WhatIf.JOIN in stops, lambda c=candidate: dikt.join(cooperation, c))
        given = given_year(cooperation, cooperation.members[candidate])
        if given is not None:
            _refused_or_computed(
                WhatIf.JOIN in dated,
                lambda c=candidate, y=given: dikt.join(cooperation, c, y),
            )
        _refused_or_computed(
            WhatIf.KEYS in stops, lambda c=candidate: dikt.key_study(cooperation, candidate=c)
        )
        _refused_or_computed(WhatIf.GAPS in stops, lambda c=candidate: dikt.gaps(cooperation, c))
        _refused_or_computed(
            WhatIf.ROADMAP in stops, lambda c=candidate: dikt.roadmap(cooperation, c)
        )
        if report:
            _refused_or_computed(
                WhatIf.REPORT in stops or stops_plan,
                lambda c=candidate: dikt.join_report(cooperation, c),
            )


def _errors(cooperation: Cooperation) -> bool:
    return any(p.severity is Severity.ERROR for p in dikt.check(cooperation))


@seed(22)
@_SETTINGS
@given(cooperations(max_members=4, max_systems=5).flatmap(candidate_trouble))
def test_generated_specs_keep_the_promise(cooperation: Cooperation) -> None:
    if _errors(cooperation):
        event("check finds errors")
        return
    members_compute(cooperation)
    what_ifs_compute_unless_warned(cooperation, report=True)


@seed(23)
@settings(_SETTINGS, max_examples=12)
@given(semantic_mutants(EXAMPLE_MODEL).flatmap(candidate_trouble))
def test_mutants_of_the_example_keep_the_promise(cooperation: Cooperation) -> None:
    if _errors(cooperation):
        event("check finds errors")
        return
    members_compute(cooperation)
    what_ifs_compute_unless_warned(cooperation, report=False)


def test_the_command_line_keeps_the_promise(tmp_path: Path) -> None:
    """A few commands as the user runs them, on a spec whose candidate's what-ifs are stopped."""
    founders = Key(
        id="founders",
        shares={m.id: Fraction(1, 4) for m in EXAMPLE_MODEL.active_members},
    )
    systems = dict(EXAMPLE_MODEL.systems)
    systems["IT182"] = attrs.evolve(systems["IT182"], key="founders")
    cooperation = attrs.evolve(
        EXAMPLE_MODEL, keys={**EXAMPLE_MODEL.keys, "founders": founders}, systems=systems
    )
    assert not _errors(cooperation)
    spec = tmp_path / "spec"
    dikt.dump(cooperation, spec)
    for command in (
        ["check", str(spec)],
        ["allocate", str(spec), "--year", str(cooperation.budget_year + 3)],
        ["explain", str(spec), "drammen"],
        ["prices", str(spec)],
        ["keys", str(spec)],
        ["roadmap", str(spec), "sande"],
        ["matrix", str(spec)],
    ):
        _run(command)
    stopped = CliRunner().invoke(main, ["join", str(spec), "nedre-eiker"])
    assert stopped.exit_code == 1
    assert " W207 keys.founders.shares: " in stopped.stderr
