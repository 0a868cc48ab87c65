"""Owner contributions: exact example amounts, and the invariants as properties."""

from __future__ import annotations

import json
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given, strategies as st

import dikt
import dikt.views.allocation as views
from dikt import ComputeError, Cooperation, LineKind, Money, Package
from dikt.allocation import investments_of, paying_in, totals, unit_prices

from .conftest import EXAMPLE, MINIMAL_COOPERATION, minimal_member
from .output import as_csv, as_json, as_markdown, as_table
from .strategies import cooperations, payable


@pytest.fixture(scope="module")
def example_allocation() -> dikt.Allocation:
    return dikt.allocate(dikt.load(EXAMPLE))


def test_the_example_totals_to_the_ore(example_allocation: dikt.Allocation) -> None:
    assert str(example_allocation.total) == "63000000.00"
    # specs/d-ikt/cooperation.toml: id, name, budget year and currency.
    assert (
        example_allocation.cooperation_id,
        example_allocation.name,
        example_allocation.year,
        example_allocation.currency,
    ) == ("d-ikt", "Drammensregionens IKT", 2012, "NOK")
    assert [(m.id, str(m.total)) for m in example_allocation.members] == [
        ("drammen", "38634121.97"),
        ("royken", "13665906.17"),
        ("sande", "6147430.67"),
        ("svelvik", "4552541.19"),
    ]
    by_kind = {k.value: str(v) for k, v in example_allocation.by_kind().items()}
    assert by_kind == {
        "base": "36100000.00",
        "application": "16850000.00",
        "own-system": "300000.00",
        "core-investment": "9000000.00",
        "application-investment": "350000.00",
        "member-investment": "400000.00",
        "obligation": "0.00",
    }


def test_a_candidate_pays_nothing(example_allocation: dikt.Allocation) -> None:
    assert "nedre-eiker" not in [m.id for m in example_allocation.members]
    with pytest.raises(dikt.NotFoundError):
        example_allocation.member("nedre-eiker")


def test_an_application_line_is_users_times_unit_price(
    example_allocation: dikt.Allocation,
) -> None:
    line = next(x for x in example_allocation.member("sande").lines if x.item == "IT141")
    assert (line.kind, line.split.key, line.quantity, line.split.basis) == (
        LineKind.APPLICATION,
        "system-users",
        12,
        137,
    )
    assert line.share == Fraction(12, 137)
    assert line.amount == Money.parse("105109.49")
    assert line.rounding_ore == 1


def test_a_mixed_key_splits_an_equal_part_and_a_proportional_part(
    example_allocation: dikt.Allocation,
) -> None:
    amounts = {
        m.id: next(x.amount for x in m.lines if x.item == "IT186")
        for m in example_allocation.members
    }
    # 600 000 x (0.3 / 4 + 0.7 x population / 100 200), in øre:
    # drammen 31 745 508.98, royken 12 883 233.53, sande 8 146 706.59,
    # svelvik 7 224 550.90; the 3 øre left go to .98, .90 and .59.
    assert {k: str(v) for k, v in amounts.items()} == {
        "drammen": "317455.09",
        "royken": "128832.33",
        "sande": "81467.07",
        "svelvik": "72245.51",
    }


def test_the_json_follows_the_contract(example_allocation: dikt.Allocation) -> None:
    data = json.loads(as_json(example_allocation))
    assert (data["cooperation"], data["year"], data["currency"], data["total"]) == (
        "d-ikt",
        2012,
        "NOK",
        "63000000.00",
    )
    assert [m["id"] for m in data["members"]] == ["drammen", "royken", "sande", "svelvik"]
    sande = data["members"][2]
    assert sande["total"] == "6147430.67"
    familia = next(x for x in sande["lines"] if x["item"] == "IT141")
    assert familia == {
        "item": "IT141",
        "kind": "application",
        "name": "Familia",
        "key": "system-users",
        "quantity": "12",
        "basis": "137",
        "amount": "105109.49",
    }
    items = [(x["item"], x["kind"]) for x in sande["lines"]]
    assert items == sorted(items)
    # docs/spec-format.md: paid 100 % by one member, "key is "alone" and quantity and
    # basis are "1"".
    alone = {x["item"]: x for x in sande["lines"] if x["key"] == "alone"}
    assert alone == {
        "gerica": {
            "item": "gerica",
            "kind": "own-system",
            "name": "Gerica",
            "key": "alone",
            "quantity": "1",
            "basis": "1",
            "amount": "300000.00",
        },
        "sande-school-fibre-2012": {
            "item": "sande-school-fibre-2012",
            "kind": "member-investment",
            "name": "Fiber til en skole i Sande (illustrativt)",
            "key": "alone",
            "quantity": "1",
            "basis": "1",
            "amount": "400000.00",
        },
    }


def test_a_line_paid_alone_is_a_split_of_one(example_allocation: dikt.Allocation) -> None:
    """Split: "alone" has no metric and a basis of 1; nothing of it is split equally among
    others: the one participant pays it all (share 1, exact)."""
    (line,) = [x for x in example_allocation.member("sande").lines if x.item == "gerica"]
    split = line.split
    assert (split.key, split.metric, split.equal_share, split.participants, split.basis) == (
        "alone",
        None,
        0,
        ("sande",),
        1,
    )
    assert (line.quantity, line.weight, line.total_weight) == (1, 1, 1)
    assert (line.share, line.exact_ore, line.rounding_ore) == (1, 30_000_000, 0)
    # Named as members/sande.toml names it: [own_systems.gerica] name = "Gerica".
    assert (split.kind, split.name) == (dikt.LineKind.OWN_SYSTEM, "Gerica")


def test_csv_and_markdown(example_allocation: dikt.Allocation) -> None:
    csv_lines = as_csv(views.allocation_document(example_allocation, "sande")).splitlines()
    assert csv_lines[0] == "year,member,kind,item,name,key,quantity,basis,amount"
    assert "2012,sande,application,IT141,Familia,system-users,12,137,105109.49" in csv_lines
    markdown = as_markdown(views.allocation_document(example_allocation, "sande"))
    assert "| application | IT141 | Familia | system-users | 12 | 137 | 105,109.49 |" in markdown


def test_explain_shows_the_rule_the_share_and_the_rounding(
    example_allocation: dikt.Allocation,
) -> None:
    names = dikt.names_of(dikt.load(EXAMPLE))
    document = views.explain_document(example_allocation, "sande", "IT141", names=names)
    assert as_table(document) == (
        "Sande kommune, 2012: 6,147,430.67 NOK\n"
        "\n"
        "IT141 Familia (application)\n"
        "  rule:      in proportion to users of IT141 Familia\n"
        "  split:     1,200,000.00 NOK among 4 participants (Drammen, Røyken, Sande, Svelvik)\n"
        "  quantity:  12 of a basis of 137\n"
        "  share:     12 / 137 = 12/137 (~0.0875912409)\n"
        "  exact:     14400000/137 (~105109.4890510949) NOK\n"
        "  amount:    105,109.49 NOK (floored, then +0.01 by the largest remainder)\n"
    )


def test_unit_prices(example_allocation: dikt.Allocation) -> None:
    prices = {p.system: p for p in unit_prices(example_allocation)}
    assert prices["IT141"].per_unit == Fraction(120_000_000, 137)
    assert prices["IT186"].per_participant == Fraction(60_000_000 * 3, 10 * 4)
    assert prices["IT150"].participants == ("drammen", "royken", "sande", "svelvik")


def _two_members(cooperation: str, a: str = "", b: str = "") -> Cooperation:
    return dikt.load_texts(
        cooperation,
        {
            "members/a.toml": minimal_member("a") + a,
            "members/b.toml": minimal_member("b") + b,
        },
    )


def test_ties_go_to_the_smaller_member_id() -> None:
    text = MINIMAL_COOPERATION.replace("annual_cost = 1000", "annual_cost = 0.01")
    result = dikt.allocate(_two_members(text))
    fw = {m.id: next(x for x in m.lines if x.item == "FW").amount for m in result.members}
    assert fw == {"a": Money(1), "b": Money(0)}


def test_fixed_shares_and_an_equal_key() -> None:
    text = MINIMAL_COOPERATION.replace(
        'package = "base"', 'package = "base"\nkey = "founders"'
    ).replace('package = "application"', 'package = "application"\nkey = "equal"')
    text += '\n[keys.founders]\nshares = { a = "0.75", b = 0.25 }\n'
    result = dikt.allocate(_two_members(text))
    amounts = {(m.id, x.item): str(x.amount) for m in result.members for x in m.lines}
    assert amounts == {
        ("a", "FW"): "750.00",
        ("b", "FW"): "250.00",
        ("a", "CARE"): "250.00",
        ("b", "CARE"): "250.00",
    }
    # Fixed shares have no unit; the equal key's unit is a participant (øre).
    prices = {p.system: (p.per_unit, p.per_participant) for p in unit_prices(result)}
    assert prices == {"CARE": (Fraction(25_000), Fraction(0)), "FW": (None, Fraction(0))}


def test_investments_of_the_year_only() -> None:
    text = MINIMAL_COOPERATION + (
        '\n[[investments]]\nid = "now"\ncategory = "core"\nyear = 2012\namount = 100\n'
        '\n[[investments]]\nid = "later"\ncategory = "core"\nyear = 2013\namount = 700\n'
        '\n[[investments]]\nid = "app"\ncategory = "application"\nyear = 2013\namount = 30\n'
        'system = "CARE"\n'
    )
    cooperation = _two_members(text, b="".join([]))
    assert str(dikt.allocate(cooperation).total) == "1600.00"
    assert str(dikt.allocate(cooperation, 2013).total) == "2230.00"


def test_an_amount_nobody_can_pay_is_a_compute_error() -> None:
    member = minimal_member("a").replace("users = 10", "users = 0")
    cooperation = dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": member})
    with pytest.raises(ComputeError, match=r"system CARE: 500\.00 to pay and nobody to pay it"):
        dikt.allocate(cooperation)


def test_a_basis_of_zero_is_a_compute_error() -> None:
    text = MINIMAL_COOPERATION.replace('package = "base"', 'package = "base"\nkey = "pcs"')
    cooperation = dikt.load_texts(text, {"members/a.toml": minimal_member("a")})
    with pytest.raises(
        ComputeError, match='system FW: cannot split by key "pcs": the participants\' total'
    ):
        dikt.allocate(cooperation)


def test_no_members_is_a_compute_error() -> None:
    nobody = dikt.load_texts(MINIMAL_COOPERATION, {})
    for compute in (lambda: dikt.allocate(nobody), lambda: totals(nobody, 2012)):
        with pytest.raises(ComputeError) as raised:
            compute()
        assert str(raised.value) == "mini has no members: nobody to pay"


def test_diff_per_member_and_line() -> None:
    before = _two_members(MINIMAL_COOPERATION)
    after = _two_members(MINIMAL_COOPERATION.replace("annual_cost = 1000", "annual_cost = 1100"))
    result = dikt.diff(dikt.allocate(before), dikt.allocate(after))
    assert [(m.id, str(m.before), str(m.after), m.percent) for m in result.members] == [
        ("a", "750.00", "800.00", Fraction(20, 3)),
        ("b", "750.00", "800.00", Fraction(20, 3)),
    ]
    assert [(c.item, str(c.change)) for c in result.members[0].lines] == [("FW", "50.00")]
    assert result.above(Fraction(6)) == result.members
    assert result.above(Fraction(7)) == ()


# -- properties ------------------------------------------------------------------------


def _expected_total(cooperation: Cooperation, year: int) -> int:
    members = {m.id for m in cooperation.active_members}
    total = 0
    for system in cooperation.systems.values():
        if system.active_in(year):  # the generator gives every system a payer
            total += system.annual_cost.ore
    for member in cooperation.active_members:
        total += sum(o.annual_cost.ore for o in member.own_systems.values())
    for investment in cooperation.investments:
        if investment.year == year:
            assert investment.member is None or investment.member in members
            total += investment.amount.ore
    return total


@given(cooperations())
def test_conservation_every_krone_is_paid_exactly_once(cooperation: Cooperation) -> None:
    cooperation = payable(cooperation)
    result = dikt.allocate(cooperation)
    assert result.total.ore == _expected_total(cooperation, cooperation.budget_year)
    assert sum(m.total.ore for m in result.members) == result.total.ore
    for member in result.members:
        assert member.total.ore == sum(x.amount.ore for x in member.lines)
    per_split: dict[int, int] = {}
    for member in result.members:
        for line in member.lines:
            per_split[id(line.split)] = per_split.get(id(line.split), 0) + line.amount.ore
    for split in result.splits:
        assert per_split.get(id(split), 0) == split.amount.ore


@given(cooperations())
def test_each_line_is_within_one_ore_of_its_exact_share(cooperation: Cooperation) -> None:
    result = dikt.allocate(payable(cooperation))
    for member in result.members:
        for line in member.lines:
            assert abs(line.amount.ore - line.exact_ore) < 1
            assert line.rounding_ore in (0, 1)


@given(cooperations())
def test_equal_quantities_pay_equal_amounts_and_zero_pays_nothing(
    cooperation: Cooperation,
) -> None:
    result = dikt.allocate(payable(cooperation))
    by_split: dict[int, list[dikt.Line]] = {}
    for member in result.members:
        for line in member.lines:
            by_split.setdefault(id(line.split), []).append(line)
    for lines in by_split.values():
        for a in lines:
            for b in lines:
                if a.quantity == b.quantity:
                    assert abs(a.amount.ore - b.amount.ore) <= 1
            if a.weight == 0:
                assert a.amount == Money(0)
            if a.quantity == 0 and a.split.equal_share == 0 and a.split.metric is not None:
                assert a.amount == Money(0)


@given(cooperations(), st.data())
def test_raising_a_quantity_never_lowers_the_amount(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    """The exact share never falls; the amount falls by at most the rounding øre.

    Largest remainder is not monotone to the øre (the Alabama paradox): a
    member's leftover øre can move to another whose remainder grew. So the
    property holds exactly for the exact share and within one øre for amounts.
    """
    cooperation = payable(cooperation)
    active = cooperation.active_members
    applications = [
        s
        for s in sorted(cooperation.systems)
        if cooperation.systems[s].package is Package.APPLICATION
    ]
    # Drawn among the members that use an application, not filtered after.
    users = [
        (system_id, member)
        for system_id in applications
        for member in active
        if system_id in member.systems and member.systems[system_id].users > 0
    ]
    assume(users)
    system_id, member = data.draw(st.sampled_from(users))
    usage = member.systems[system_id]
    # In use in the budget year (else it has no line): its dates cleared if not.
    system = cooperation.systems[system_id]
    if not system.active_in(cooperation.budget_year):
        always = attrs.evolve(system, introduced=None, retired=None)
        cooperation = attrs.evolve(cooperation, systems={**cooperation.systems, system_id: always})
    more = data.draw(st.integers(1, 1000))
    changed = attrs.evolve(
        member,
        systems={**member.systems, system_id: attrs.evolve(usage, users=usage.users + more)},
    )
    raised = attrs.evolve(cooperation, members={**cooperation.members, member.id: changed})

    def line(allocation: dikt.Allocation) -> dikt.Line:
        return next(x for x in allocation.member(member.id).lines if x.item == system_id)

    before, after = line(dikt.allocate(cooperation)), line(dikt.allocate(raised))
    if before.split.metric is dikt.Metric.SYSTEM_USERS:
        assert after.share >= before.share
        assert after.amount.ore >= before.amount.ore - 1
    else:
        assert after.amount == before.amount


@given(cooperations(), st.randoms(use_true_random=False))
def test_renaming_or_reordering_members_changes_only_the_tie_break(
    cooperation: Cooperation, rnd: object
) -> None:
    cooperation = payable(cooperation)
    ids = sorted(cooperation.members)
    shuffled = list(ids)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    rename = {old: f"m{new}" for old, new in zip(ids, shuffled, strict=True)}
    # Reordering alone (the same ids, another insertion order) changes nothing.
    reordered = attrs.evolve(
        cooperation, members={k: cooperation.members[k] for k in reversed(ids)}
    )
    assert dikt.allocate(reordered) == dikt.allocate(cooperation)

    def renamed(c: Cooperation) -> Cooperation:
        members = {rename[k]: attrs.evolve(m, id=rename[k]) for k, m in c.members.items()}
        keys = {
            k: attrs.evolve(key, shares={rename[m]: s for m, s in key.shares.items()})
            if key.shares is not None
            else key
            for k, key in c.keys.items()
        }
        investments = tuple(
            attrs.evolve(i, member=rename[i.member]) if i.member else i for i in c.investments
        )
        return attrs.evolve(c, members=members, keys=keys, investments=investments)

    original = dikt.allocate(cooperation)
    other = dikt.allocate(renamed(cooperation))
    for member in original.members:
        counterpart = other.member(rename[member.id])
        lines = {(x.item, x.kind): x for x in counterpart.lines}
        for line in member.lines:
            twin = lines[(line.item, line.kind)]
            assert twin.share == line.share
            assert abs(twin.amount.ore - line.amount.ore) <= 1


@given(cooperations(), st.integers(0, 10**9), st.integers(0, 10**9))
def test_two_costs_at_once_equal_the_two_apart_within_one_ore_per_item(
    cooperation: Cooperation, first: int, second: int
) -> None:
    cooperation = payable(cooperation)
    system_id = sorted(cooperation.systems)[0]
    system = cooperation.systems[system_id]
    twin_id = system_id + "b"
    assume(twin_id not in cooperation.systems)
    twin = attrs.evolve(system, id=twin_id, annual_cost=Money(second), depends_on=())
    apart = attrs.evolve(
        cooperation,
        systems={
            **cooperation.systems,
            system_id: attrs.evolve(system, annual_cost=Money(first)),
            twin_id: twin,
        },
        members={
            k: attrs.evolve(
                m,
                systems={**m.systems, twin_id: attrs.evolve(m.systems[system_id], system=twin_id)},
            )
            if system_id in m.systems
            else m
            for k, m in cooperation.members.items()
        },
    )
    together = attrs.evolve(
        cooperation,
        systems={
            **cooperation.systems,
            system_id: attrs.evolve(system, annual_cost=Money(first + second)),
        },
    )
    split_apart, split_together = dikt.allocate(apart), dikt.allocate(together)
    for member in split_together.members:
        joint = sum(x.amount.ore for x in member.lines if x.item == system_id)
        separate = sum(
            x.amount.ore
            for x in split_apart.member(member.id).lines
            if x.item in (system_id, twin_id)
        )
        assert abs(joint - separate) <= 2  # one øre for each of the two items


def test_diff_refuses_two_currencies() -> None:
    nok = _two_members(MINIMAL_COOPERATION)
    eur = _two_members(MINIMAL_COOPERATION.replace('currency = "NOK"', 'currency = "EUR"'))
    with pytest.raises(ComputeError) as raised:
        dikt.diff(dikt.allocate(nok), dikt.allocate(eur))
    assert str(raised.value) == "cannot compare amounts in NOK with amounts in EUR"


def test_diff_lists_an_items_lines_in_the_order_of_kinds() -> None:
    """An investment may bear its system's id: its lines follow the system's (by item, then
    kind in the allocation's order)."""
    investment = (
        '\n[[investments]]\nid = "CARE"\ncategory = "application"\nyear = 2012\n'
        'amount = 30\nsystem = "CARE"\n'
    )
    before = _two_members(MINIMAL_COOPERATION + investment)
    after = _two_members(
        MINIMAL_COOPERATION.replace("annual_cost = 500", "annual_cost = 700")
        + investment.replace("amount = 30", "amount = 50")
    )
    result = dikt.diff(dikt.allocate(before), dikt.allocate(after))
    for change in result.members:
        assert [(x.item, x.kind.value, str(x.before), str(x.after)) for x in change.lines] == [
            ("CARE", "application", "250.00", "350.00"),
            ("CARE", "application-investment", "15.00", "25.00"),
        ]


@given(cooperations(), st.data())
def test_totals_equal_the_allocation_and_detail_its_members_lines(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    """`totals` is `allocate` without the lines of the members not asked for."""
    cooperation = payable(cooperation)
    allocation = dikt.allocate(cooperation)
    ids = [m.id for m in allocation.members]
    detail = data.draw(st.lists(st.sampled_from(ids), unique=True))
    result = totals(cooperation, allocation.year, detail)
    assert result.total == allocation.total
    assert result.members == tuple((m.id, m.name, m.total) for m in allocation.members)
    assert dict(result.detailed) == {i: allocation.member(i) for i in detail}


def test_totals_refuse_a_member_not_detailed() -> None:
    result = totals(dikt.load(EXAMPLE), 2012, ["sande"])
    assert str(result.member("sande").total) == "6147430.67"
    with pytest.raises(dikt.NotFoundError) as raised:
        result.member("drammen")
    assert str(raised.value) == 'no member "drammen" in the spec'


# -- members of the year (docs/allocation.md "Members of the year";
# docs/membership-changes.md "Fixed shares" and "Stated in the spec") -------------

#: FW split by fixed shares, CARE by a key without them (listed first).
FOUNDERS = (
    MINIMAL_COOPERATION.replace('package = "base"', 'package = "base"\nkey = "founders"').replace(
        'package = "application"', 'package = "application"\nkey = "half"'
    )
    + '\n[keys.half]\nequal_share = 0.5\nmetric = "system-users"\n'
    + "\n[keys.founders]\nshares = { a = 0.5, b = 0.3, c = 0.2 }\n"
)


def _three_members(cooperation: str = MINIMAL_COOPERATION, **dates: str) -> Cooperation:
    """Members a, b and c of the minimal cooperation (200 users each, 10 of CARE), with
    the dates given (``c="leaving = 2013-01-01"``)."""
    return dikt.load_texts(
        cooperation,
        {
            f"members/{ident}.toml": minimal_member(ident, number).replace(
                'status = "member"\n', f'status = "member"\n{dates.get(ident, "")}\n'
            )
            for ident, number in (("a", "0602"), ("b", "0603"), ("c", "0604"))
        },
    )


def _lines(allocation: dikt.Allocation) -> dict[str, dict[str, str]]:
    return {m.id: {x.item: str(x.amount) for x in m.lines} for m in allocation.members}


def test_a_member_pays_nothing_from_the_year_of_its_leaving() -> None:
    """Leaving 2013-01-01: it pays in 2012, not from 2013; the others pay the systems,
    held flat (no cost model): FW 1 000 by users (200 each), CARE 500 by its users."""
    spec = _three_members(c="leaving = 2013-01-01")
    # 2012: 1 000 / 3 and 500 / 3, the øre left to the smaller ids.
    assert _lines(dikt.allocate(spec, 2012)) == {
        "a": {"CARE": "166.67", "FW": "333.34"},
        "b": {"CARE": "166.67", "FW": "333.33"},
        "c": {"CARE": "166.66", "FW": "333.33"},
    }
    after = {"a": {"CARE": "250.00", "FW": "500.00"}, "b": {"CARE": "250.00", "FW": "500.00"}}
    assert _lines(dikt.allocate(spec, 2013)) == after
    assert _lines(dikt.allocate(spec, 2014)) == after
    result = totals(spec, 2013, ["a", "b"])
    assert (result.year, str(result.total)) == (2013, "1500.00")
    assert [(i, str(t)) for i, _, t in result.members] == [("a", "750.00"), ("b", "750.00")]


def test_a_fixed_share_key_splits_by_its_shares_without_the_member_that_left() -> None:
    text = FOUNDERS + "\n[keys.founders.shares_without.c]\na = 0.6\nb = 0.4\n"
    spec = _three_members(text, c="leaving = 2013-01-01")
    assert _lines(dikt.allocate(spec, 2012))["c"]["FW"] == "200.00"
    assert _lines(dikt.allocate(spec, 2013)) == {
        "a": {"CARE": "250.00", "FW": "600.00"},
        "b": {"CARE": "250.00", "FW": "400.00"},
    }


def test_a_fixed_share_for_a_member_that_left_needs_the_shares_after() -> None:
    spec = _three_members(FOUNDERS, c="leaving = 2013-01-01")
    with pytest.raises(ComputeError) as raised:
        dikt.allocate(spec, 2013)
    assert str(raised.value) == (
        'the key "founders" has a fixed share for c, which has left by 2013: state the '
        "shares after in [keys.founders.shares_without.c]"
    )
    both = _three_members(FOUNDERS, b="leaving = 2013-01-01", c="leaving = 2014-01-01")
    assert _lines(dikt.allocate(both, 2012))["b"]["FW"] == "300.00"
    with pytest.raises(ComputeError) as raised:
        dikt.allocate(both, 2014)
    assert str(raised.value) == (
        'the key "founders" has fixed shares for b, c, who have all left by 2014: give the '
        "key the shares of the members that remain"
    )


def test_a_year_in_which_no_member_pays_is_refused() -> None:
    """The caller's year is an ArgumentError (exit 2), the spec's budget year a
    ComputeError; a year before the first member joined names that date."""
    gone = dict.fromkeys("abc", "leaving = 2013-01-01")
    spec = _three_members(MINIMAL_COOPERATION.replace("2012", "2013"), **gone)
    left = "mini has no members in 2013: every member has left by then"
    with pytest.raises(ComputeError) as raised:
        dikt.allocate(spec)
    assert (type(raised.value), str(raised.value)) == (ComputeError, left)
    assert [m.id for m in paying_in(spec, 2012)] == ["a", "b", "c"]
    refusals = (
        lambda: dikt.allocate(spec, 2013),
        lambda: totals(spec, 2013),
        lambda: paying_in(spec, 2013),
    )
    for refuse in refusals:
        with pytest.raises(dikt.ArgumentError) as refused:
            refuse()
        assert str(refused.value) == left
    joined = {"a": "joined = 2010-06-01", "b": "joined = 2011-01-01", "c": "joined = 2011-01-01"}
    with pytest.raises(dikt.ArgumentError) as refused:
        dikt.allocate(_three_members(**joined), 2009)
    assert str(refused.value) == "mini has no members in 2009: the first joined on 2010-06-01"
    # 2010 is not before the first joined (a, who leaves at its end, pays in no year),
    # and nobody has left for good: the others join in 2011.
    joined["a"] += "\nleaving = 2010-12-31"
    with pytest.raises(dikt.ArgumentError) as refused:
        dikt.allocate(_three_members(**joined), 2010)
    assert str(refused.value) == "mini has no members in 2010: the next joins on 2011-01-01"


def test_investments_of_are_the_investment_lines_of_the_allocation() -> None:
    text = FOUNDERS + (
        '\n[[investments]]\nid = "now"\ncategory = "core"\nyear = 2012\namount = 100\n'
        '\n[[investments]]\nid = "app"\ncategory = "application"\nyear = 2012\namount = 30\n'
        'system = "CARE"\n'
        '\n[[investments]]\nid = "later"\ncategory = "core"\nyear = 2013\namount = 700\n'
    )
    # a has an own system: allocate bills it, investments_of does not.
    own = '\n[own_systems.mine]\nname = "Mine"\ndomain = "care"\nannual_cost = 9\nusers = 1\n'
    spec = dikt.load_texts(
        text,
        {
            f"members/{ident}.toml": minimal_member(ident, number) + (own if ident == "a" else "")
            for ident, number in (("a", "0602"), ("b", "0603"), ("c", "0604"))
        },
    )
    assert _lines(dikt.allocate(spec, 2012))["a"]["mine"] == "9.00"
    result = investments_of(spec, 2012)
    assert (result.year, str(result.total)) == (2012, "130.00")
    # Core by users (200 each), the application's by its users (10 each).
    assert _lines(result) == {
        "a": {"app": "10.00", "now": "33.34"},
        "b": {"app": "10.00", "now": "33.33"},
        "c": {"app": "10.00", "now": "33.33"},
    }
    assert [(x.item, x.system) for x in result.splits] == [("now", None), ("app", "CARE")]
    later = investments_of(spec, 2013)
    assert (later.year, str(later.total)) == (2013, "700.00")
    assert _lines(later) == {
        "a": {"later": "233.34"},
        "b": {"later": "233.33"},
        "c": {"later": "233.33"},
    }


# -- what a split refuses, word for word, and its fields ---------------------------------


def _refusal(cooperation: Cooperation) -> str:
    with pytest.raises(ComputeError) as raised:
        dikt.allocate(cooperation)
    return str(raised.value)


def test_a_split_that_cannot_be_made_says_why() -> None:
    """What `dikt check` reports with file and key path (E103, E107, E108, E111), the
    library says naming the item, when it is asked to allocate an unchecked spec."""

    def keyed(key: str) -> str:
        return MINIMAL_COOPERATION.replace('package = "base"', f'package = "base"\nkey = "{key}"')

    def investment(category: str, extra: str) -> str:
        return (
            f'\n[[investments]]\nid = "up"\ncategory = "{category}"\nyear = 2012\n'
            f"amount = 10\n{extra}\n"
        )

    founders, half = keyed("founders"), keyed("half")
    # CARE by pcs, introduced after 2012: its investment of 2012 is split alone.
    later_care = MINIMAL_COOPERATION.replace(
        'package = "application"',
        'package = "application"\nkey = "pcs"\nintroduced = 2013-01-01',
    )
    spec = _two_members(MINIMAL_COOPERATION)
    negative = attrs.evolve(
        spec,
        systems={**spec.systems, "FW": attrs.evolve(spec.systems["FW"], annual_cost=Money(-1))},
    )
    assert [
        _refusal(negative),
        _refusal(_two_members(keyed("nope"))),
        _refusal(_two_members(founders + "\n[keys.founders]\nshares = { a = 1 }\n")),
        _refusal(_two_members(founders + "\n[keys.founders]\nshares = { a = 0, b = 0 }\n")),
        _refusal(_two_members(half + "\n[keys.half]\nequal_share = 0.5\n")),
        _refusal(_two_members(keyed("pcs"))),
        _refusal(_two_members(MINIMAL_COOPERATION + investment("core", 'key = "pcs"'))),
        _refusal(_two_members(MINIMAL_COOPERATION + investment("application", 'system = "NOPE"'))),
        _refusal(_two_members(later_care + investment("application", 'system = "CARE"'))),
        _refusal(_two_members(MINIMAL_COOPERATION + investment("member", 'member = "zzz"'))),
    ] == [
        "system FW: a negative amount (-0.01) cannot be split",
        'system FW: unknown key "nope"',
        'system FW: the shares of key "founders" do not cover exactly the participants (a, b)',
        'system FW: the shares of key "founders" are all 0: nobody to pay',
        'system FW: cannot split by key "half": the participants\' total of "?" is 0',
        'system FW: cannot split by key "pcs": the participants\' total of "pcs" is 0',
        'investment up: cannot split by key "pcs": the participants\' total of "pcs" is 0',
        'investment up: unknown system "NOPE"',
        'investment up: cannot split by key "pcs": the participants\' total of "pcs" is 0',
        'investment up: "zzz" is not a member; a member investment is paid by a member',
    ]


def test_an_equal_key_without_a_metric_counts_nothing() -> None:
    """equal_share = 1 needs no metric: each pays the same; no figure is counted, so each
    line's quantity and the basis are 0."""
    text = MINIMAL_COOPERATION.replace('package = "base"', 'package = "base"\nkey = "flat"')
    result = dikt.allocate(_two_members(text + "\n[keys.flat]\nequal_share = 1\n"))
    assert [
        (m.id, x.item, str(x.amount), x.quantity, x.split.basis, x.split.metric)
        for m in result.members
        for x in m.lines
        if x.item == "FW"
    ] == [("a", "FW", "500.00", 0, 0, None), ("b", "FW", "500.00", 0, 0, None)]


def test_a_base_package_split_by_its_own_users() -> None:
    """The `system-users` key of a base package: each member's users of that system, 0 for
    a member that lists none (a base package's participants are all members)."""
    text = MINIMAL_COOPERATION.replace('package = "base"', 'package = "base"\nkey = "system-users"')
    users = '\n[systems.FW]\nusers = {}\nowner = "K"\nmanager = "S"\n'
    result = dikt.allocate(_two_members(text, a=users.format(30), b=users.format(10)))
    assert [
        (m.id, str(x.amount), x.quantity, x.split.basis, x.split.system)
        for m in result.members
        for x in m.lines
        if x.item == "FW"
    ] == [("a", "750.00", 30, 40, "FW"), ("b", "250.00", 10, 40, "FW")]
    # An investment in it is split by the same key among the same participants.
    text += '\n[[investments]]\nid = "up"\ncategory = "application"\nyear = 2012\n'
    text += 'amount = 10\nsystem = "FW"\n'
    result = dikt.allocate(_two_members(text, a=users.format(30)))
    assert [
        (m.id, x.item, str(x.amount), x.quantity, x.split.basis)
        for m in result.members
        for x in m.lines
        if x.item in ("FW", "up")
    ] == [
        ("a", "FW", "1000.00", 30, 30),
        ("a", "up", "10.00", 30, 30),
        ("b", "FW", "0.00", 0, 30),
        ("b", "up", "0.00", 0, 30),
    ]


def test_a_fixed_share_line_in_the_json() -> None:
    """docs/spec-format.md: "for fixed shares, quantity is the member's share and basis is
    "1""; the split names its system."""
    text = MINIMAL_COOPERATION.replace('package = "base"', 'package = "base"\nkey = "founders"')
    text += '\n[keys.founders]\nshares = { a = "0.75", b = 0.25 }\n'
    allocation = dikt.allocate(_two_members(text))
    lines = [
        {k: x[k] for k in ("item", "key", "quantity", "basis", "amount")}
        for m in json.loads(as_json(allocation))["members"]
        for x in m["lines"]
        if x["item"] == "FW"
    ]
    assert lines == [
        {"item": "FW", "key": "founders", "quantity": "0.75", "basis": "1", "amount": "750.00"},
        {"item": "FW", "key": "founders", "quantity": "0.25", "basis": "1", "amount": "250.00"},
    ]
    (split,) = [s for s in allocation.splits if s.item == "FW"]
    assert (split.system, split.metric, split.equal_share) == ("FW", None, 0)
