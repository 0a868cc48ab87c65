"""The diff and one member's allocation, on small cooperations worked by hand.

docs/allocation.md and `dikt diff --help`: the diff lists every member of either
allocation with its total before and after (0.00 where it pays nothing), and the lines
that change; a line that appears or goes counts as a change, even of 0.00. Every split
is exact to the øre: floored, the øre left over to the largest remainders, ties to the
smaller member id (shared/design/spec-format.md). Amounts here are worked out by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

import dikt
from dikt import Cooperation, NotFoundError

from .conftest import MINIMAL_COOPERATION, minimal_member


def _members(*ids: str, cooperation: str = MINIMAL_COOPERATION) -> Cooperation:
    """The minimal cooperation (FW: base, 1000; CARE: application, 500) with these
    members, all alike (10 users of CARE each)."""
    return dikt.load_texts(
        cooperation,
        {f"members/{i}.toml": minimal_member(i, f"06{n:02d}") for n, i in enumerate(ids)},
    )


def _shown(result: dikt.AllocationDiff) -> list[tuple[object, ...]]:
    return [
        (
            m.id,
            m.name,
            str(m.before),
            str(m.after),
            m.percent,
            [(c.item, c.kind.value, c.name, str(c.before), str(c.after)) for c in m.lines],
        )
        for m in result.members
    ]


def test_a_member_that_joins_is_in_the_diff_from_nothing() -> None:
    # Two alike: FW 500.00 and CARE 250.00 each. Three alike: FW 1000/3 = 333.33 1/3,
    # the one øre left to a (the smallest id); CARE 500/3 = 166.66 2/3, the two øre
    # left to a and b.
    result = dikt.diff(dikt.allocate(_members("a", "b")), dikt.allocate(_members("a", "b", "c")))
    assert _shown(result) == [
        (
            "a",
            "A",
            "750.00",
            "500.01",
            Fraction(-24999, 750),
            [
                ("CARE", "application", "Care system", "250.00", "166.67"),
                ("FW", "base", "Firewall", "500.00", "333.34"),
            ],
        ),
        (
            "b",
            "B",
            "750.00",
            "500.00",
            Fraction(-100, 3),
            [
                ("CARE", "application", "Care system", "250.00", "166.67"),
                ("FW", "base", "Firewall", "500.00", "333.33"),
            ],
        ),
        (
            "c",
            "C",
            "0.00",
            "499.99",
            None,
            [
                ("CARE", "application", "Care system", "0.00", "166.66"),
                ("FW", "base", "Firewall", "0.00", "333.33"),
            ],
        ),
    ]
    assert str(result.change) == "0.00"
    # A new member moves by more than any percent; a and b by 33 1/3 % and a bit less.
    assert [m.id for m in result.above(Fraction(100, 3))] == ["c"]
    assert [m.id for m in result.above(Fraction(24999, 750))] == ["b", "c"]
    assert [m.id for m in result.above(Fraction(0))] == ["a", "b", "c"]


def test_a_member_that_leaves_is_in_the_diff_to_nothing() -> None:
    result = dikt.diff(dikt.allocate(_members("a", "b", "c")), dikt.allocate(_members("a", "b")))
    assert _shown(result)[2] == (
        "c",
        "C",
        "499.99",
        "0.00",
        Fraction(-100),
        [
            ("CARE", "application", "Care system", "166.66", "0.00"),
            ("FW", "base", "Firewall", "333.33", "0.00"),
        ],
    )
    # b: 500.00 to 750.00 is 50 % exactly; a: 249.99 on 500.01 a little less.
    assert [m.id for m in result.above(Fraction(4999, 100))] == ["a", "b", "c"]
    assert [m.id for m in result.above(Fraction(50))] == ["c"]
    assert [m.id for m in result.above(Fraction(100))] == []  # gone is -100 %


def test_a_line_that_appears_at_nothing_is_a_change() -> None:
    free = MINIMAL_COOPERATION + (
        '\n[systems.FREE]\nname = "Free system"\npackage = "base"\ndomain = "infra"\n'
        "annual_cost = 0\n"
    )
    before, after = (
        dikt.allocate(_members("a", "b")),
        dikt.allocate(_members("a", "b", cooperation=free)),
    )
    result = dikt.diff(before, after)
    assert [(m.id, str(m.before), str(m.after), m.percent) for m in result.members] == [
        ("a", "750.00", "750.00", Fraction(0)),
        ("b", "750.00", "750.00", Fraction(0)),
    ]
    for member in result.members:
        assert [(c.item, c.name, str(c.before), str(c.after)) for c in member.lines] == [
            ("FREE", "Free system", "0.00", "0.00")
        ]
    assert result.above(Fraction(0)) == ()  # no total moves
    gone = dikt.diff(after, before)
    assert [[(c.item, c.name) for c in m.lines] for m in gone.members] == [
        [("FREE", "Free system")],
        [("FREE", "Free system")],
    ]
    same = dikt.diff(before, before)
    assert [(m.id, m.lines, m.percent) for m in same.members] == [
        ("a", (), Fraction(0)),
        ("b", (), Fraction(0)),
    ]


def test_one_members_allocation_by_its_id_and_a_stranger_named_with_suggestions() -> None:
    allocation = dikt.allocate(_members("a", "b", "c"))
    assert [(m.id, str(m.total)) for m in (allocation.member(i) for i in "cab")] == [
        ("c", "499.99"),
        ("a", "500.01"),
        ("b", "500.00"),
    ]
    with pytest.raises(NotFoundError, match=r'^no member "x" in the spec$'):
        allocation.member("x")
    with pytest.raises(NotFoundError, match=r'^no member "bb" in the spec; did you mean "b"\?$'):
        allocation.member("bb")
