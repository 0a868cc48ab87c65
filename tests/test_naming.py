"""Names, not ids, for people: one rule (dikt.naming), ids for machines."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, strategies as st

import dikt
from dikt.document import Kind, table
from dikt.naming import Named, Names, short_name
from dikt.writers import csv, markdown, text
from dikt.writers._cells import for_machines, for_people


@pytest.fixture(scope="module")
def names() -> Names:
    return dikt.names_of(dikt.load("specs/d-ikt"))


def test_a_member_by_its_name_and_its_short_name(names: Names) -> None:
    assert names.member("royken") == "Røyken kommune"
    assert names.short("royken") == "Røyken"
    assert names.short("nedre-eiker") == "Nedre Eiker"


def test_a_domain_by_its_name(names: Names) -> None:
    assert names.domain("care") == "Pleie og omsorg"
    assert names.domain("case-archive") == "Sak og arkiv"


def test_a_catalogue_system_by_code_and_name_an_own_system_by_name(names: Names) -> None:
    assert names.system("IT173") == "IT173 Profil"
    assert names.system_name("IT173") == "Profil"
    assert names.system("websak", member="nedre-eiker") == "WebSak"
    assert names.system("websak") == "websak"  # whose own system: unknown without the member


def test_an_id_the_spec_does_not_name_reads_as_itself(names: Names) -> None:
    assert names.member("nowhere") == "nowhere"
    assert names.short("nowhere") == "nowhere"
    assert names.domain("nowhere") == "nowhere"
    assert Names().member("royken") == "royken"


def test_a_list_of_members_by_short_names(names: Names) -> None:
    assert names.listed(("drammen", "royken")) == "Drammen, Røyken"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Røyken kommune", "Røyken"),
        ("Nedre Eiker Kommune", "Nedre Eiker"),
        ("Vestfold fylkeskommune", "Vestfold"),
        ("Austvik municipality", "Austvik"),
        ("kommune", "kommune"),
        ("Kommunekassen", "Kommunekassen"),
    ],
)
def test_short_name_leaves_out_the_word_for_what_it_is(name: str, short: str) -> None:
    assert short_name(name) == short


@given(st.text(max_size=30))
def test_a_short_name_is_never_empty_unless_the_name_is(name: str) -> None:
    assert short_name(name) or not name


def test_the_lookup_is_frozen(names: Names) -> None:
    with pytest.raises(TypeError):
        names.members["royken"] = "x"  # type: ignore[index]


def test_a_named_cell_is_its_id_for_machines_and_its_name_for_people() -> None:
    cell = Named("royken", "Røyken")
    assert cell == "royken"
    assert for_machines(cell, Kind.ID) == "royken"
    assert type(for_machines(cell, Kind.ID)) is str
    assert for_people(cell, Kind.ID) == "Røyken"
    assert pickle.loads(pickle.dumps(cell)).shown == "Røyken"


def test_writers_for_people_write_names_and_csv_writes_ids() -> None:
    doc = table("t", "member:id, users:count", [[Named("royken", "Røyken"), 5300]])
    assert "Røyken" in text.write_table(doc)
    assert "Røyken" in markdown.write_table(doc)
    assert csv.write_table(doc) == "member,users\r\nroyken,5300\r\n"


def test_a_named_cell_with_control_characters_is_shown_escaped() -> None:
    doc = table("t", "member:id", [[Named("x", "R\x1b[31mød")]])
    assert "\x1b" not in text.write_table(doc)


def test_names_of_is_public() -> None:
    assert {"names_of", "Names", "Named", "short_name"} <= set(dikt.__all__)
