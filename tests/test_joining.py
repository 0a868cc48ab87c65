"""Joining: the report's estimates, the fleet rules, and the what-if properties."""

from __future__ import annotations

import json
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given, strategies as st

import dikt
import dikt.views.joining
from dikt import ComputeError, Cooperation, Device, FleetEntry, Money, ThinClients, Use
from dikt.joining import CostCategory, join, join_alternative, one_time_costs
from dikt.scenario import promote

from .conftest import EXAMPLE, MINIMAL_COOPERATION, minimal_member
from .output import as_json
from .strategies import cooperations, open_to_newcomers


@pytest.fixture(scope="module")
def example() -> Cooperation:
    return dikt.load(EXAMPLE)


def _amount(result: dikt.joining.JoinEstimate, item: str) -> Money:
    return next(i.amount for i in result.one_time if i.item == item)


def test_pcs_of_2007_or_earlier_cost_about_4_5_million(example: Cooperation) -> None:
    """Report: PCs bought in 2007 or earlier, replaced by laptops, about NOK 4.5 million."""
    result = join(example, "nedre-eiker")
    assert result.year == 2012
    pcs = _amount(result, "PCs replaced by laptops")
    assert pcs.ore / 100 == pytest.approx(4_500_000, rel=0.05)
    assert pcs == Money.parse(4_500_000)


def test_pcs_of_2008_too_cost_about_3_8_million_more(example: Cooperation) -> None:
    """Report: if PCs bought in 2008 must go too, about NOK 3.8 million more."""
    more = _amount(join(example, "nedre-eiker", 2013), "PCs replaced by laptops") - _amount(
        join(example, "nedre-eiker"), "PCs replaced by laptops"
    )
    assert more.ore / 100 == pytest.approx(3_800_000, rel=0.05)


def test_replacing_all_thin_clients_costs_about_3_million(example: Cooperation) -> None:
    """Report: replacing all thin clients by laptops, about NOK 3 million."""
    result = join(example, "nedre-eiker", thin_clients=ThinClients.REPLACE)
    thin = _amount(result, "Thin clients replaced by laptops")
    assert thin.ore / 100 == pytest.approx(3_000_000, rel=0.05)


def test_fifteen_charging_cabinets_about_half_a_million(example: Cooperation) -> None:
    """Report: 15 charging cabinets of 30 PCs, about NOK 0.5 million."""
    item = next(i for i in join(example, "nedre-eiker").one_time if "cabinets" in i.item)
    assert item.quantity == 15
    assert item.amount.ore / 100 == pytest.approx(500_000, rel=0.05)


def test_the_estimate_in_full(example: Cooperation) -> None:
    result = join(example, "nedre-eiker")
    assert [(i.category.value, i.item, i.quantity, str(i.amount)) for i in result.one_time] == [
        ("implementation", "PCs replaced by laptops", 600, "4500000.00"),
        ("implementation", "Charging cabinets for school laptops", 15, "495000.00"),
        ("implementation", "CoreCAL licences", 1800, "1620000.00"),
        ("process", "Images for PC models kept", 30, "210000.00"),
        # The spec's own text, as D-IKT writes it (the report's three process items).
        ("process", "Bygge om katalogen (tre AD-er) til samarbeidets standard", 40, "280000.00"),
        (
            "process",
            "Flytte fjerntilgang fra Citrix Access Gateway til Connectra",
            10,
            "70000.00",
        ),
        ("process", "Tilpasse mobile enheter til ActiveSync", 5, "35000.00"),
        ("infrastructure", "Data-centre capacity", 5800, "1450000.00"),
    ]
    assert str(result.one_time_total) == "8660000.00"
    assert result.one_time[0].rule == (
        "210 in models of fewer than 10 units, 390 bought in 2007 or earlier "
        "(older than 4 years in 2012)"
    )
    assert result.by_category()[CostCategory.PROCESS] == Money.parse(595_000)
    # Priced in 2013, the year it joins, by the cost models (every system's:
    # licences, support, storage and capacity grow with its users), with its
    # staff and contracts moving over.
    assert result.budget_year == 2013
    assert str(result.annual.total) == "12983952.88"
    assert [(m.id, str(m.before), str(m.after)) for m in result.members] == [
        ("drammen", "36800183.14", "35941059.05"),
        ("royken", "13019629.20", "12706653.66"),
        ("sande", "5534370.37", "5400021.58"),
        ("svelvik", "4395817.29", "4287469.46"),
    ]
    assert (str(result.cost_change), str(result.held_flat)) == ("7781225.78", "0.00")
    assert str(result.moved_added) == "2217930.85"
    assert str(result.total_after - result.total_before) == "11569156.63"
    # 7 781 225,78 by the cost models + 2 217 930,85 of the staff and contracts
    # moving over beyond that growth (of 4 890 000) + 1 570 000 own systems.
    assert 778_122_578 + 221_793_085 + 157_000_000 == 1_156_915_663
    # Its IT costs today, 10 690 000, end; as a member it pays 12 983 952,88.
    assert (str(result.it_today), str(result.net_annual)) == ("10690000.00", "2293952.88")
    assert result.payback_year is None
    assert result.summary is not None
    assert [str(a) if a else None for a in result.summary.total.amounts()] == [
        "6615000.00",
        "595000.00",
        "1450000.00",
        "1197600.95",
        "894125.63",
        "10892226.30",
    ]
    assert result.premises[15] == dikt.joining.Premise(
        name="IT staff moving over (FTE)",
        value=7,
        source="members/nedre-eiker.toml: transfer.staff",
    )


def test_every_one_time_item_with_its_unit_price_and_rule(example: Cooperation) -> None:
    """Implemented in 2013, every thin client replaced: each item as the report reads it."""
    result = join(example, "nedre-eiker", 2013, ThinClients.REPLACE)
    laptops, cabinet, cal, day = "7500.00", "33000.00", "900.00", "7000.00"
    fixed = "fixed work the cooperation's premises state"
    assert [
        (i.category.value, i.item, i.quantity, i.unit, str(i.unit_price), str(i.amount), i.rule)
        for i in result.one_time
    ] == [
        (
            "implementation",
            "PCs replaced by laptops",
            1107,
            "laptops",
            laptops,
            "8302500.00",
            # A lifetime of 4 years in 2013: bought in 2008 or earlier.
            "210 in models of fewer than 10 units, 897 bought in 2008 or earlier "
            "(older than 4 years in 2013)",
        ),
        (
            "implementation",
            "Thin clients replaced by laptops",
            395,
            "laptops",
            laptops,
            "2962500.00",
            "thin clients replaced: every thin client",
        ),
        (
            "implementation",
            "Charging cabinets for school laptops",
            28,  # 830 / 30 = 27.7
            "cabinets",
            cabinet,
            "924000.00",
            "830 laptops bought for schools, 30 per cabinet, rounded up",
        ),
        (
            "implementation",
            "CoreCAL licences",
            1800,
            "employees",
            cal,
            "1620000.00",
            "on single CALs: CoreCAL for every employee",
        ),
        (
            "process",
            "Images for PC models kept",
            20,
            "person-days",
            day,
            "140000.00",
            "10 PC models kept, 2 person-days each",
        ),
        (
            "process",
            "Bygge om katalogen (tre AD-er) til samarbeidets standard",
            40,
            "person-days",
            day,
            "280000.00",
            fixed,
        ),
        (
            "process",
            "Flytte fjerntilgang fra Citrix Access Gateway til Connectra",
            10,
            "person-days",
            day,
            "70000.00",
            fixed,
        ),
        (
            "process",
            "Tilpasse mobile enheter til ActiveSync",
            5,
            "person-days",
            day,
            "35000.00",
            fixed,
        ),
        (
            "infrastructure",
            "Data-centre capacity",
            5800,
            "users",
            "250.00",
            "1450000.00",
            "the capacity price per user, for each of the candidate's users",
        ),
    ]


def test_the_net_effect_names_every_part_of_the_it_costs_today(example: Cooperation) -> None:
    # A board adds the parts up: 4 540 000 + 350 000 + 5 800 000 = 10 690 000.
    result = join(example, "nedre-eiker")
    assert dikt.views.joining.net_paragraph(result, "nb").lines[0] == (
        "IT-kostnadene til Nedre Eiker kommune i dag: 10\u00a0690\u00a0000,00\u00a0kr per år "
        "(ansatte 4\u00a0540\u00a0000,00\u00a0kr, avtaler og lisenser 350\u00a0000,00\u00a0kr, "
        "andre driftsutgifter 5\u00a0800\u00a0000,00\u00a0kr); som medlem fra 2013 betaler "
        "kommunen 12\u00a0983\u00a0952,88\u00a0kr per år: en netto årlig virkning på "
        "+2\u00a0293\u00a0952,88\u00a0kr."
    )
    # The salary column is explained as a share of the contribution, not the staff's cost.
    table = dikt.views.joining.summary_table(result, "en")
    assert table is not None
    assert table.notes[1] == (
        "Salary and administration: the part of Nedre Eiker kommune's contribution that "
        "pays the cooperation's staff on the systems its own IT staff move to "
        "(4,540,000.00 NOK a year today, moving over to the cooperation); the rest of "
        "the contribution is operations."
    )


def test_savings_pay_the_one_time_costs_back(example: Cooperation) -> None:
    """IT costs today of 19.9 million against a contribution of 13.0: 8.66 million back in 2014."""
    candidate = example.members["nedre-eiker"]
    richer = attrs.evolve(
        candidate,
        transfer=attrs.evolve(candidate.transfer, operating_cost=Money.parse(15_000_000)),
    )
    spec = attrs.evolve(example, members={**example.members, "nedre-eiker": richer})
    result = join(spec, "nedre-eiker")
    assert str(result.net_annual) == "-6906047.12"
    assert result.payback_year == 2014


def test_a_later_joining_year_is_priced_with_the_growth(example: Cooperation) -> None:
    flat = join(example, "nedre-eiker")
    grown = join(example, "nedre-eiker", growth=Fraction(1, 40))
    assert grown.budget_year == flat.budget_year == 2013
    assert grown.it_today == Money.parse("10957250")  # 10 690 000 x 1.025
    assert grown.annual.total > flat.annual.total


def test_the_json_follows_the_contract(example: Cooperation) -> None:
    data = json.loads(as_json(join(example, "nedre-eiker")))
    assert (data["candidate"], data["year"]) == ("nedre-eiker", 2012)
    assert data["one_time"]["total"] == "8660000.00"
    assert data["one_time"]["items"][0] == {
        "category": "implementation",
        "item": "PCs replaced by laptops",
        "quantity": "600",
        "unit": "laptops",
        "unit_price": "7500.00",
        "amount": "4500000.00",
        "rule": "210 in models of fewer than 10 units, 390 bought in 2007 or earlier "
        "(older than 4 years in 2012)",
    }
    assert data["annual"]["total"] == "12983952.88"
    assert data["members"][0] == {
        "id": "drammen",
        "before": "36800183.14",
        "after": "35941059.05",
        "change": "-859124.09",
    }
    assert (data["cost_change"], data["held_flat"]) == ("7781225.78", "0.00")
    assert data["moved_added"] == "2217930.85"
    assert (data["it_today"], data["net_annual"], data["payback_year"]) == (
        "10690000.00",
        "2293952.88",
        None,
    )
    assert data["summary"]["rows"][5] == {
        "item": "Owner contribution to operations",
        "investment": None,
        "operations": None,
        "next_investment": None,
        "annual_investment": None,
        "annual_salary": "894125.63",
        "annual_operating": "10892226.30",
    }


def test_a_member_cannot_join_and_a_candidate_needs_a_year() -> None:
    candidate = minimal_member("c").replace('status = "member"', 'status = "candidate"')
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION, {"members/a.toml": minimal_member("a"), "members/c.toml": candidate}
    )
    with pytest.raises(ComputeError, match="a is already a member"):
        join(cooperation, "a")
    with pytest.raises(ComputeError, match='candidate "c" has no joined date: join and report'):
        join(cooperation, "c")
    assert join(cooperation, "c", 2014).year == 2014


def test_a_small_model_goes_whatever_its_age() -> None:
    candidate = minimal_member("c").replace('status = "member"', 'status = "candidate"') + (
        '\n[[fleet]]\nmodel = "Rare"\nkind = "desktop"\nunits = 4\npurchased = 2011\n'
        '\n[[fleet]]\nmodel = "Rare"\nkind = "desktop"\nunits = 5\npurchased = 2012\n'
        '\n[[fleet]]\nmodel = "Common"\nkind = "laptop"\nunits = 10\npurchased = 2011\n'
        'use = "school"\n'
    )
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION, {"members/a.toml": minimal_member("a"), "members/c.toml": candidate}
    )
    result = join(cooperation, "c", 2012)
    assert [(m.model, m.units, m.replaced, m.small, m.image) for m in result.fleet] == [
        ("Common", 10, 0, False, True),
        ("Rare", 9, 9, True, False),
    ]
    images = next(i for i in result.one_time if i.item == "Images for PC models kept")
    assert (images.quantity, images.rule) == (2, "1 PC model kept, 2 person-days")


# -- the join document: premises, summary and payback, from the spec's own figures ------------

_MOVING = """
[transfer]
operating_cost = {operating}

[[transfer.staff]]
role = "Driftstekniker"
count = 2
position = 0.5
annual_cost = 200
system = "FW"

[[transfer.staff]]
role = "IT-sjef"
annual_cost = 400
system = "FW"

[[transfer.contracts]]
item = "Care licences"
system = "CARE"
annual_cost = 100
"""


def _moving(operating: str = "900", joined: str = "2012-01-01") -> Cooperation:
    """The minimal cooperation and a candidate like it (200 users, 10 on CARE) moving staff."""
    candidate = minimal_member("c").replace(
        'status = "member"', f'status = "candidate"\njoined = {joined}'
    )
    return dikt.load_texts(
        MINIMAL_COOPERATION,
        {
            "members/a.toml": minimal_member("a"),
            "members/c.toml": candidate + _MOVING.format(operating=operating),
        },
    )


def _premises(result: dikt.joining.JoinEstimate) -> list[tuple[str, str, str]]:
    return [(p.name, str(p.value), p.source) for p in result.premises]


def test_every_premise_of_the_example_names_its_value_and_where_it_is_written(
    example: Cooperation,
) -> None:
    """Each value as cooperation.toml and members/nedre-eiker.toml write it."""
    spec, own = "cooperation.toml", "members/nedre-eiker.toml"
    assert _premises(join(example, "nedre-eiker")) == [
        ("Implementation year", "2012", f"{own}: joined"),  # joined = 2013-01-01
        ("Annual figures priced in", "2013", f"{own}: joined"),
        ("Price growth a year", "0", "--growth"),
        ("PC lifetime (years)", "4", f"{spec}: premises.pc_lifetime_years"),
        ("Fewest units of a PC model kept", "10", f"{spec}: premises.min_units_per_model"),
        ("Person-days per image", "2", f"{spec}: premises.image_days_per_model"),
        ("Day rate", "7000.00", f"{spec}: premises.day_rate"),
        ("Laptop", "7500.00", f"{spec}: premises.prices.laptop"),
        ("PCs per charging cabinet", "30", f"{spec}: premises.cabinet_capacity"),
        ("Charging cabinet", "33000.00", f"{spec}: premises.prices.charging_cabinet"),
        ("CoreCAL per employee", "900.00", f"{spec}: premises.prices.core_cal_per_employee"),
        (
            "Data-centre capacity per user",
            "250.00",
            f"{spec}: premises.prices.capacity_per_user",
        ),
        (
            "Systems with a cost model",
            # The fourteen [systems.*.cost_model] tables of the example, sorted.
            "IT150, IT151, IT152, IT153, IT154, IT155, IT156, IT157, IT158, IT159, IT160, "
            "IT182, IT184, IT192",
            f"{spec}: systems.*.cost_model",
        ),
        ("Default share of cost per user", "17/20", f"{spec}: defaults.per_user_share"),
        ("Cost held flat (no cost model)", "0.00", f"{spec}: systems.*.annual_cost"),
        # 3 technicians, 3 in user support and the IT manager, all full time.
        ("IT staff moving over (FTE)", "7", f"{own}: transfer.staff"),
        # 1 950 000 + 1 740 000 + 850 000
        ("Their salary and administration a year", "4540000.00", f"{own}: transfer.staff"),
        # 200 000 + 150 000
        ("Contracts and licences taken over a year", "350000.00", f"{own}: transfer.contracts"),
        ("IT operating costs today a year", "5800000.00", f"{own}: transfer.operating_cost"),
    ]


def test_premises_given_as_options_name_the_option(example: Cooperation) -> None:
    result = join(example, "nedre-eiker", 2011, growth=Fraction(1, 40))
    assert _premises(result)[:3] == [
        ("Implementation year", "2011", "--year"),
        ("Annual figures priced in", "2013", "members/nedre-eiker.toml: joined"),
        ("Price growth a year", "1/40", "--growth"),
    ]


def test_a_spec_without_cost_models_or_user_share_says_so_in_its_premises() -> None:
    """Priced in the budget year (joined 2012), every system held flat, nothing moving over."""
    cooperation = _moving()
    candidate = cooperation.members["c"]
    bare = attrs.evolve(
        cooperation,
        members={**cooperation.members, "c": attrs.evolve(candidate, transfer=dikt.Transfer())},
    )
    premises = _premises(join(bare, "c"))
    assert premises[:2] == [
        ("Implementation year", "2011", "members/c.toml: joined"),
        ("Annual figures priced in", "2012", "cooperation.toml: budget_year"),
    ]
    assert premises[12:] == [
        ("Systems with a cost model", "-", "cooperation.toml: systems.*.cost_model"),
        ("Default share of cost per user", "-", "cooperation.toml: defaults.per_user_share"),
        # FW 1 000 + CARE 500, neither with a cost model.
        ("Cost held flat (no cost model)", "1500.00", "cooperation.toml: systems.*.annual_cost"),
    ]
    assert _premises(join(cooperation, "c"))[15:] == [
        # 2 at half time + 1 full time
        ("IT staff moving over (FTE)", "2", "members/c.toml: transfer.staff"),
        ("Their salary and administration a year", "600.00", "members/c.toml: transfer.staff"),
        (
            "Contracts and licences taken over a year",
            "100.00",
            "members/c.toml: transfer.contracts",
        ),
        ("IT operating costs today a year", "900.00", "members/c.toml: transfer.operating_cost"),
    ]


def _rows(result: dikt.joining.JoinEstimate) -> list[tuple[str, list[str | None]]]:
    assert result.summary is not None
    return [
        (row.item, [None if a is None else str(a) for a in row.amounts()])
        for row in result.summary.rows
    ]


def test_the_summary_splits_the_contribution_into_the_staff_moving_over_and_the_rest() -> None:
    """Worked by hand from the spec.

    FW (1 000, held flat) takes on the 600 of staff moving to it: 1 600,
    split by users 200/200, so the candidate pays 800, of which 600/1 600 is
    the staff: 300. CARE (500) takes on the 100 contract: 600, split 10/10,
    300, all of it operations (a contract is not salary). Operations: 800 +
    300 - 300 = 800. One-time: 200 users of data-centre capacity at 250.
    """
    result = join(_moving(), "c")
    assert result.summary is not None
    summary = result.summary
    assert (summary.year, summary.next_year, summary.annual_from) == (2011, 2012, 2012)
    assert _rows(result) == [
        ("Implementation investments", ["0.00", None, None, None, None, None]),
        ("Process costs", [None, "0.00", None, None, None, None]),
        ("Infrastructure purchase", [None, None, "50000.00", None, None, None]),
        ("Core investments", [None, None, None, "0.00", None, None]),
        ("Application investments", [None, None, None, "0.00", None, None]),
        ("Owner contribution to operations", [None, None, None, None, "300.00", "800.00"]),
    ]
    # Today 600 + 100 + 900 = 1 600 a year; as a member 800 + 300 = 1 100.
    assert (str(result.it_today), str(result.net_annual)) == ("1600.00", "-500.00")


def test_the_example_summary_row_by_row(example: Cooperation) -> None:
    """The pre-project's table: each row in its own column, the years from joined = 2013."""
    result = join(example, "nedre-eiker")
    assert result.summary is not None
    assert (result.summary.year, result.summary.next_year, result.summary.annual_from) == (
        2012,
        2013,
        2013,
    )
    assert _rows(result) == [
        # PCs 4 500 000 + cabinets 495 000 + CoreCAL 1 620 000
        ("Implementation investments", ["6615000.00", None, None, None, None, None]),
        # images 210 000 + the three process items 385 000
        ("Process costs", [None, "595000.00", None, None, None, None]),
        # 5 800 users at 250
        ("Infrastructure purchase", [None, None, "1450000.00", None, None, None]),
        ("Core investments", [None, None, None, "1083191.86", None, None]),
        ("Application investments", [None, None, None, "114409.09", None, None]),
        # base 8 822 814,26 + applications 1 393 537,67 + own systems 1 570 000 - salary
        ("Owner contribution to operations", [None, None, None, None, "894125.63", "10892226.30"]),
    ]
    assert (
        str(
            result.annual.by_kind()[dikt.LineKind.BASE]
            + result.annual.by_kind()[dikt.LineKind.APPLICATION]
            + Money.parse(1_570_000)
        )
        == "11786351.93"
    )  # = 894 125,63 + 10 892 226,30


@pytest.mark.parametrize(
    ("operating", "payback"),
    [
        # A member pays 1 100 a year; one-time costs are 50 000, from 2012.
        ("25400", 2013),  # today 26 100: saves 25 000, paid back in exactly two years
        ("25399.99", 2014),  # one øre less a year: a third year
        ("12900", 2015),  # saves 12 500: exactly the fourth and last year of the plan
        ("12899.99", None),  # one øre short after four years
        ("400", None),  # today 1 100: no saving
        ("0", None),  # costs more as a member
        ("50400", 2012),  # saves exactly the 50 000 in the first year
        ("50399.99", 2013),  # one øre short of it
    ],
)
def test_payback_is_the_first_year_the_savings_cover_the_one_time_costs(
    operating: str, payback: int | None
) -> None:
    result = join(_moving(operating), "c")
    assert str(result.one_time_total) == "50000.00"
    assert result.payback_year == payback


def test_without_one_time_costs_any_saving_pays_back_at_once() -> None:
    cooperation = _moving("400.01")  # a member pays 1 100; today 1 100.01
    free = attrs.evolve(
        cooperation.premises,
        prices=attrs.evolve(cooperation.premises.prices, capacity_per_user=Money(0)),
    )
    cooperation = attrs.evolve(cooperation, premises=free)
    result = join(cooperation, "c")
    assert (str(result.one_time_total), str(result.net_annual)) == ("0.00", "-0.01")
    assert result.payback_year == 2012
    # No saving at all is no payback, even of nothing.
    candidate = cooperation.members["c"]
    even = attrs.evolve(
        candidate,
        transfer=attrs.evolve(candidate.transfer, operating_cost=Money.parse(400)),
    )
    result = join(attrs.evolve(cooperation, members={**cooperation.members, "c": even}), "c")
    assert (str(result.net_annual), result.payback_year) == ("0.00", None)


def test_joining_is_implemented_the_year_before_and_not_before_1900() -> None:
    assert join(_moving(joined="1901-01-01"), "c").year == 1900
    early = _moving(joined="1900-06-01")
    with pytest.raises(dikt.WhatIfError, match=r"W208 joined: .* is before 1900, dikt's first"):
        join(early, "c")
    # Its one-time costs alone (no what-if checks): stopped by the same rule.
    with pytest.raises(dikt.WhatIfError) as stopped:
        one_time_costs(early, "c")
    assert str(stopped.value).startswith('candidate "c" joins on 1900-06-01: the year before')


def test_the_fleet_lists_pcs_before_thin_clients_and_judges_only_pcs_by_model_size() -> None:
    candidate = minimal_member("c").replace('status = "member"', 'status = "candidate"') + (
        '\n[[fleet]]\nmodel = "Aa thin"\nkind = "thin-client"\nunits = 4\npurchased = 2011\n'
        '\n[[fleet]]\nmodel = "Zz laptop"\nkind = "laptop"\nunits = 12\npurchased = 2011\n'
    )
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION, {"members/a.toml": minimal_member("a"), "members/c.toml": candidate}
    )
    result = join(cooperation, "c", 2012)
    # Four thin clients kept: not a small PC model, and no image to build for them.
    assert [(m.model, m.kind.value, m.replaced, m.small, m.image) for m in result.fleet] == [
        ("Zz laptop", "laptop", 0, False, True),
        ("Aa thin", "thin-client", 0, False, False),
    ]


def test_a_member_is_refused_as_a_candidate_in_so_many_words() -> None:
    cooperation = _moving()
    with pytest.raises(
        dikt.ArgumentError, match=r"^a is already a member; joining is for candidates$"
    ):
        join(cooperation, "a")


def test_what_moves_over_is_added_to_its_systems() -> None:
    """Staff 200 + 400 to FW, contracts 100 + 50 to CARE (both held flat: no cost models)."""
    cooperation = _moving()
    candidate = cooperation.members["c"]
    more = (
        *candidate.transfer.contracts,
        dikt.model.TakenOver(item="Care app", system="CARE", annual_cost=Money.parse(50)),
    )
    candidate = attrs.evolve(candidate, transfer=attrs.evolve(candidate.transfer, contracts=more))
    costs = {
        system_id: str(system.annual_cost)
        for system_id, system in dikt.joining.taken_over(cooperation, candidate).systems.items()
    }
    assert costs == {"FW": "1600.00", "CARE": "650.00"}
    # Priced higher than today plus what moves over: the priced cost stands.
    priced = attrs.evolve(
        cooperation,
        systems={
            **cooperation.systems,
            "FW": attrs.evolve(cooperation.systems["FW"], annual_cost=Money.parse(2000)),
        },
    )
    after = dikt.joining.taken_over(priced, candidate, cooperation)
    assert str(after.systems["FW"].annual_cost) == "2000.00"
    assert str(after.systems["CARE"].annual_cost) == "650.00"


def test_costs_moved_to_a_system_not_in_the_catalogue_are_refused() -> None:
    cooperation = _moving()
    candidate = cooperation.members["c"]
    astray = dikt.model.TakenOver(item="Old GIS", system="GIS", annual_cost=Money.parse(10))
    candidate = attrs.evolve(
        candidate, transfer=attrs.evolve(candidate.transfer, contracts=(astray,))
    )
    # Merging with another that moves nothing there: only the one that does is named.
    other = attrs.evolve(candidate, id="b", transfer=dikt.Transfer())
    with pytest.raises(
        ComputeError, match=r"^c moves costs to GIS, which is not in the catalogue$"
    ):
        dikt.joining.taken_over(cooperation, [other, candidate])
    both = attrs.evolve(candidate, id="b")
    with pytest.raises(ComputeError, match=r"^b, c moves costs to GIS, which is not in"):
        dikt.joining.taken_over(cooperation, [both, candidate])


def test_an_alternative_of_the_example_is_its_join(example: Cooperation) -> None:
    estimate = join(example, "nedre-eiker")
    for year, choice in ((2013, ThinClients.REPLACE), (2011, ThinClients.KEEP)):
        fresh = join(example, "nedre-eiker", year, choice)
        assert join_alternative(example, estimate, year, choice) == fresh
    assert join_alternative(example, estimate).premises == estimate.premises


# -- properties -----------------------------------------------------------------------------


def _with_candidate(cooperation: Cooperation, fleet: list[FleetEntry], users: int) -> Cooperation:
    candidate = dikt.Member(
        id="zz-candidate",
        name="Candidate",
        municipality_number="9999",
        status=dikt.MemberStatus.CANDIDATE,
        population=1000,
        employees=100,
        users=users,
        fleet=tuple(fleet),
    )
    # The members' joined dates set aside: these tests join in any year, and
    # joining before the cooperation had members is refused (test_years).
    members = {k: attrs.evolve(m, joined=None) for k, m in cooperation.members.items()}
    cooperation = open_to_newcomers(cooperation)
    return attrs.evolve(cooperation, members={**members, candidate.id: candidate})


fleets = st.lists(
    st.builds(
        FleetEntry,
        model=st.sampled_from(["A", "B", "C"]),
        kind=st.sampled_from(Device),
        units=st.integers(0, 40),
        purchased=st.integers(2000, 2015),
        use=st.sampled_from(Use),
    ),
    max_size=6,
)


def _joinable(cooperation: Cooperation) -> bool:
    """No fixed shares (they cannot include a newcomer) and no other errors."""
    promoted = promote(cooperation, "zz-candidate")
    return not any(k.shares is not None for k in cooperation.keys.values()) and not [
        p for p in dikt.check(promoted) if p.severity is dikt.Severity.ERROR
    ]


def _without_images(result: dikt.joining.JoinEstimate) -> Money:
    return result.one_time_total - _amount(result, "Images for PC models kept")


@given(cooperations(), fleets, st.integers(2005, 2015), st.integers(0, 3), st.integers(1, 6))
def test_a_later_year_or_a_shorter_lifetime_never_lowers_the_one_time_cost(
    cooperation: Cooperation, fleet: list[FleetEntry], year: int, later: int, lifetime: int
) -> None:
    """Every cost but the images never falls; see the next test for the images."""
    cooperation = _with_candidate(cooperation, fleet, 100)
    assume(_joinable(cooperation))
    base = join(cooperation, "zz-candidate", year)
    later_result = join(cooperation, "zz-candidate", year + later)
    shorter = attrs.evolve(
        cooperation,
        premises=attrs.evolve(
            cooperation.premises,
            pc_lifetime_years=min(lifetime, cooperation.premises.pc_lifetime_years),
        ),
    )
    shorter_result = join(shorter, "zz-candidate", year)
    implementation = CostCategory.IMPLEMENTATION
    for other in (later_result, shorter_result):
        assert other.by_category()[implementation] >= base.by_category()[implementation]
        assert _without_images(other) >= _without_images(base)
        assert sum(m.replaced for m in other.fleet) >= sum(m.replaced for m in base.fleet)


@given(
    cooperations(),
    fleets,
    st.integers(2005, 2015),
    st.integers(2005, 2015),
    st.sampled_from(ThinClients),
)
def test_an_alternative_is_the_join_of_its_year_and_choice(
    cooperation: Cooperation, fleet: list[FleetEntry], year: int, other: int, choice: ThinClients
) -> None:
    """The report's alternatives reuse the annual figures: the same as estimating anew."""
    cooperation = _with_candidate(cooperation, fleet, 100)
    assume(_joinable(cooperation))
    estimate = join(cooperation, "zz-candidate", year)
    fresh = join(cooperation, "zz-candidate", other, choice)
    assert join_alternative(cooperation, estimate, other, choice) == fresh
    assert one_time_costs(cooperation, "zz-candidate", other, choice) == fresh.one_time


def test_the_images_can_make_a_later_year_cheaper() -> None:
    """The rules as written are not monotone: replacing a model's last unit saves its image.

    A model of 10 units, 9 of them old: in 2012 one unit is kept and needs an
    image (2 days x 7 000); in 2015 that unit is due too, and a laptop
    (7 500) costs less than the image it saves.
    """
    candidate = minimal_member("c").replace('status = "member"', 'status = "candidate"') + (
        '\n[[fleet]]\nmodel = "M"\nkind = "laptop"\nunits = 9\npurchased = 2007\n'
        '\n[[fleet]]\nmodel = "M"\nkind = "laptop"\nunits = 1\npurchased = 2010\n'
    )
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION, {"members/a.toml": minimal_member("a"), "members/c.toml": candidate}
    )
    early, late = join(cooperation, "c", 2012), join(cooperation, "c", 2015)
    assert _amount(early, "PCs replaced by laptops") == Money.parse(67_500)
    assert _amount(early, "Images for PC models kept") == Money.parse(14_000)
    assert _amount(late, "PCs replaced by laptops") == Money.parse(75_000)
    assert _amount(late, "Images for PC models kept") == Money(0)
    assert late.one_time_total < early.one_time_total


@given(cooperations(), st.lists(st.integers(10, 100), max_size=4), st.integers(2000, 2030))
def test_an_all_new_fleet_in_large_models_has_no_device_cost(
    cooperation: Cooperation, sizes: list[int], year: int
) -> None:
    fleet = [
        FleetEntry(model=f"M{i}", kind=Device.LAPTOP, units=n, purchased=year, use=Use.SCHOOL)
        for i, n in enumerate(sizes)
    ]
    cooperation = _with_candidate(cooperation, fleet, 100)
    premises = attrs.evolve(cooperation.premises, min_units_per_model=10)
    cooperation = attrs.evolve(cooperation, premises=premises)
    assume(_joinable(cooperation))
    result = join(cooperation, "zz-candidate", year)
    devices = [i for i in result.one_time if "laptops" in i.item or "cabinets" in i.item]
    assert all(i.amount == Money(0) for i in devices)


@given(cooperations(), fleets, st.integers(0, 10_000))
def test_after_joining_everyone_pays_the_new_total_exactly(
    cooperation: Cooperation, fleet: list[FleetEntry], users: int
) -> None:
    cooperation = _with_candidate(cooperation, fleet, users)
    assume(_joinable(cooperation))
    result = join(cooperation, "zz-candidate", 2012)
    assert sum(m.after.ore for m in result.members) + result.annual.total.ore == (
        result.total_after.ore
    )
    # Priced by the cost models (the spec may have some), in the budget year (no joined date).
    members = [*(m.id for m in cooperation.active_members), "zz-candidate"]
    assert result.total_after == dikt.allocate(dikt.priced(cooperation, members)[0]).total


@given(cooperations(), st.integers(1, 10_000))
def test_a_joining_candidate_never_raises_a_members_share_of_a_base_package(
    cooperation: Cooperation, users: int
) -> None:
    """Economies of scale: the exact share never rises; the amount by at most the rounding øre.

    Largest remainder can hand a member the leftover øre it did not get
    before, so amounts are compared within one øre, exact shares exactly.
    """
    cooperation = _with_candidate(cooperation, [], users)
    assume(_joinable(cooperation))
    before = dikt.allocate(cooperation)
    after = dikt.allocate(promote(cooperation, "zz-candidate"))
    for member in before.members:
        twin = {line.item: line for line in after.member(member.id).lines}
        for line in member.lines:
            if line.kind is not dikt.LineKind.BASE:
                continue
            assert twin[line.item].share <= line.share
            assert twin[line.item].amount.ore <= line.amount.ore + 1
