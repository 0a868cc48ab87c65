"""Invoices on account: exact instalments, dates, references; the sums as properties."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest

import dikt
from dikt.views.year import invoices_document

from .conftest import EXAMPLE
from .output import as_csv, as_json, as_table
from .test_cli import run


@pytest.fixture(scope="module")
def example() -> dikt.Cooperation:
    return dikt.load(EXAMPLE)


def test_quarterly_instalments_add_up_to_the_contribution(example: dikt.Cooperation) -> None:
    result = dikt.invoices(example)
    drammen = result.members[0]
    assert (drammen.id, str(drammen.total)) == ("drammen", "38634121.97")
    assert [(i.number, i.date, i.due, str(i.total)) for i in drammen.instalments] == [
        (1, dt.date(2012, 1, 1), dt.date(2012, 1, 31), "9658530.62"),
        (2, dt.date(2012, 4, 1), dt.date(2012, 5, 1), "9658530.51"),
        (3, dt.date(2012, 7, 1), dt.date(2012, 7, 31), "9658530.45"),
        (4, dt.date(2012, 10, 1), dt.date(2012, 10, 31), "9658530.39"),
    ]
    assert result.per is dikt.Period.QUARTER


def test_a_later_year_is_invoiced_by_its_own_allocation(example: dikt.Cooperation) -> None:
    """`dikt invoices --year 2013`: 2013's contributions, dated in 2013."""
    result = dikt.invoices(example, 2013)
    allocation = dikt.allocate(example, 2013)
    assert (result.year, result.total) == (2013, allocation.total)
    assert allocation.total != dikt.allocate(example).total
    assert [(m.id, m.total) for m in result.members] == [
        (m.id, m.total) for m in allocation.members
    ]
    assert result.members[0].instalments[0].date == dt.date(2013, 1, 1)


def test_the_remainder_rule_last_gives_the_left_over_ore_to_the_last(
    example: dikt.Cooperation,
) -> None:
    terms = attrs.evolve(example.invoicing, remainder=dikt.Remainder.LAST)
    result = dikt.invoices(attrs.evolve(example, invoicing=terms))
    assert [str(i.total) for i in result.members[0].instalments] == [
        "9658530.39",
        "9658530.45",
        "9658530.51",
        "9658530.62",
    ]


def test_monthly_dates_and_references(example: dikt.Cooperation) -> None:
    result = dikt.invoices(example, per=dikt.Period.MONTH)
    instalments = result.members[0].instalments
    assert [i.date.month for i in instalments] == list(range(1, 13))
    assert instalments[1].due == dt.date(2012, 3, 2)
    assert {line.reference for line in instalments[0].lines} == {
        line.item for line in instalments[0].lines
    }


def test_json_of_an_invoice_line(example: dikt.Cooperation) -> None:
    data = json.loads(as_json(dikt.invoices(example, per=dikt.Period.YEAR)))
    assert data["per"] == "year"
    assert data["remainder"] == "first"
    line = data["members"][0]["instalments"][0]["lines"][0]
    assert set(line) == {"item", "kind", "reference", "amount", "name"}
    assert data["members"][0]["instalments"][0]["date"] == "2012-01-01"


def test_the_csv_is_one_row_per_invoice_line(example: dikt.Cooperation) -> None:
    result = dikt.invoices(example)
    rows = as_csv(invoices_document(result)).splitlines()
    assert rows[0] == "year,member,instalment,date,due,item,kind,reference,name,amount"
    lines = sum(len(i.lines) for m in result.members for i in m.instalments)
    assert len(rows) == 1 + lines


def test_the_table_names_members_and_fits_80_columns(example: dikt.Cooperation) -> None:
    text = as_table(invoices_document(dikt.invoices(example), "nb"))
    assert "Drammen kommune" in text
    assert "1 instalment" not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_the_command_in_bokmal() -> None:
    code, out, err = run("invoices", EXAMPLE, "--per", "year", "--lang", "nb")
    assert (code, err) == (0, "")
    assert "32\xa0898\xa0998,29" in out


def test_the_command_refuses_an_unknown_period() -> None:
    code, _out, err = run("invoices", EXAMPLE, "--per", "week")
    assert code == 2
    assert "week" in err
