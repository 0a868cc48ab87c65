"""Loading specs: the model, and an exact message for every kind of mistake."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

import dikt
from dikt import Money, SpecError
from dikt._layout import MAX_FILE_BYTES

from .conftest import MINIMAL_COOPERATION, SpecWriter, minimal_member, unlocated


def messages(spec: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        dikt.load(spec)
    return unlocated(caught.value.problems)


def with_system_key(key: str, value: str) -> str:
    """The minimal cooperation with one more key in [systems.CARE]."""
    return MINIMAL_COOPERATION + f"{key} = {value}\n"


def test_the_example_loads_into_frozen_objects(example: Path) -> None:
    cooperation = dikt.load(example)
    assert cooperation.id == "d-ikt"
    assert cooperation.budget_year == 2012
    assert sorted(cooperation.members) == ["drammen", "nedre-eiker", "royken", "sande", "svelvik"]
    assert cooperation.systems["IT141"].annual_cost == Money.parse(1_200_000)
    assert cooperation.keys["population-30-70"].equal_share == Fraction(3, 10)
    assert cooperation.members["sande"].own_systems["gerica"].contract_ends == dt.date(2014, 12, 31)
    with pytest.raises(AttributeError):
        cooperation.id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cooperation.systems["new"] = cooperation.systems["IT141"]  # type: ignore[index]


def test_the_spec_may_be_named_by_its_cooperation_toml(example: Path) -> None:
    assert dikt.load(example / "cooperation.toml") == dikt.load(example)


def test_the_example_has_what_the_report_needs(example: Path) -> None:
    cooperation = dikt.load(example)
    for code in ("IT182", "IT184", "IT192"):
        assert cooperation.systems[code].package is dikt.Package.BASE
    for code in ("IT138", "IT141", "IT191"):
        assert cooperation.systems[code].package is dikt.Package.APPLICATION
    assert len(cooperation.systems) >= 25
    assert len({s.domain for s in cooperation.systems.values()}) >= 8
    total = Money.sum(s.annual_cost for s in cooperation.systems.values())
    assert Money.parse(50_000_000) <= total <= Money.parse(56_000_000)
    nedre_eiker = cooperation.members["nedre-eiker"]
    assert nedre_eiker.status is dikt.MemberStatus.CANDIDATE
    assert {o.domain for o in nedre_eiker.own_systems.values()} == {
        "case-archive",
        "finance",
        "care",
    }


def test_the_example_fleet_agrees_with_the_report(example: Path) -> None:
    fleet = dikt.load(example).members["nedre-eiker"].fleet
    pcs = [e for e in fleet if e.kind is not dikt.Device.THIN_CLIENT]
    thin = [e for e in fleet if e.kind is dikt.Device.THIN_CLIENT]
    assert len({e.model for e in pcs}) == 77
    assert 380 <= sum(e.units for e in thin) < 400
    assert sum(e.units for e in thin if e.use is dikt.Use.SCHOOL) == 150
    assert sum(e.units for e in pcs if e.use is dikt.Use.SCHOOL) == 1250
    by_model: dict[str, int] = {}
    for entry in pcs:
        by_model[entry.model] = by_model.get(entry.model, 0) + entry.units
    old_or_small = sum(e.units for e in pcs if e.purchased <= 2007 or by_model[e.model] < 10)
    of_2008 = sum(e.units for e in pcs if e.purchased == 2008 and by_model[e.model] >= 10)
    laptop = 7_500
    assert old_or_small * laptop == pytest.approx(4_500_000, rel=0.05)
    assert of_2008 * laptop == pytest.approx(3_800_000, rel=0.05)


def test_a_wrong_type_names_file_key_path_and_value(write_spec: SpecWriter) -> None:
    member = minimal_member("sande").replace(
        "[systems.CARE]\nusers = 10", "[systems.IT141]\nusers = 1.9"
    )
    spec = write_spec(members={"sande": member})
    assert messages(spec) == [
        "members/sande.toml: E006 systems.IT141.users: expected an integer, got 1.9"
    ]


@pytest.mark.parametrize(
    ("key", "value", "code", "message"),
    [
        ("users", '"7"', "E006", 'expected an integer, got "7"'),
        ("users", "true", "E006", "expected an integer, got true"),
        ("users", "-3", "E007", "expected a non-negative integer, got -3"),
        ("owner", "5", "E006", "expected a string, got 5"),
        ("owner", '["a"]', "E006", "expected a string, got an array"),
    ],
)
def test_no_coercion_in_member_usage(
    write_spec: SpecWriter, key: str, value: str, code: str, message: str
) -> None:
    member = minimal_member("a").replace("users = 10\n", "").replace('owner = "Kommunalsjef"\n', "")
    member = member.replace("[systems.CARE]\n", f"[systems.CARE]\n{key} = {value}\n")
    if key != "users":
        member += "users = 10\n"
    spec = write_spec(members={"a": member})
    assert messages(spec) == [f"members/a.toml: {code} systems.CARE.{key}: {message}"]


@pytest.mark.parametrize(
    ("key", "value", "code", "message"),
    [
        ("depends_on", '"FW"', "E006", 'expected an array, got "FW"'),
        ("depends_on", "[1]", "E006", "systems.CARE.depends_on[0]: expected a string, got 1"),
        ("critical", "1", "E006", "expected true or false, got 1"),
        ("critical", '"yes"', "E006", 'expected true or false, got "yes"'),
        ("vendor", "{ a = 1 }", "E006", "expected a string, got a table"),
    ],
)
def test_no_coercion_in_the_catalogue(
    write_spec: SpecWriter, key: str, value: str, code: str, message: str
) -> None:
    if key == "depends_on":
        spec = write_spec(MINIMAL_COOPERATION.replace('depends_on = ["FW"]', f"{key} = {value}"))
    else:
        spec = write_spec(with_system_key(key, value))
    expected = message if message.startswith("systems.") else f"systems.CARE.{key}: {message}"
    assert messages(spec) == [f"cooperation.toml: E006 {expected}"]


def test_a_datetime_is_not_a_date(write_spec: SpecWriter) -> None:
    member = minimal_member("a").replace(
        "users = 200\n", "users = 200\njoined = 2013-01-01T00:00:00\n"
    )
    spec = write_spec(members={"a": member})
    assert messages(spec) == [
        "members/a.toml: E006 joined: expected a date (YYYY-MM-DD), "
        "got a date-time (2013-01-01T00:00:00)"
    ]


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("1234.567", "E006", "expected an amount with at most two decimals, got 1234.567"),
        ('"0.125"', "E006", 'expected an amount with at most two decimals, got "0.125"'),
        ("-5", "E007", "an amount may not be negative, got -5"),
        ("-0.5", "E007", "an amount may not be negative, got -0.5"),
        ("nan", "E006", "expected a finite amount, got nan"),
        ("inf", "E006", "expected a finite amount, got inf"),
        ("true", "E006", "expected an amount (a number or a decimal string), got true"),
        ('"12 kr"', "E006", 'expected an amount (a number or a decimal string), got "12 kr"'),
        ("1e20", "E007", "an amount may be at most 10000000000000, got 1E+20"),
    ],
)
def test_money_is_checked(write_spec: SpecWriter, value: str, code: str, message: str) -> None:
    text = MINIMAL_COOPERATION.replace("annual_cost = 500", f"annual_cost = {value}")
    assert messages(write_spec(text)) == [
        f"cooperation.toml: {code} systems.CARE.annual_cost: {message}"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1234.5", "1234.50"), ('"1234.50"', "1234.50"), ("850_000", "850000.00"), ("0.1", "0.10")],
)
def test_money_is_read_exactly(write_spec: SpecWriter, value: str, expected: str) -> None:
    text = MINIMAL_COOPERATION.replace("annual_cost = 500", f"annual_cost = {value}")
    cooperation = dikt.load(write_spec(text))
    assert str(cooperation.systems["CARE"].annual_cost) == expected


def test_an_unknown_key_suggests_the_close_one(write_spec: SpecWriter) -> None:
    spec = write_spec(with_system_key("depend_on", '["FW"]'))
    assert messages(spec) == [
        'cooperation.toml: E004 systems.CARE.depend_on: unknown key "depend_on"; '
        'did you mean "depends_on"?'
    ]


def test_an_unknown_key_far_from_any_has_no_suggestion(write_spec: SpecWriter) -> None:
    spec = write_spec(with_system_key("colour", '"red"'))
    assert messages(spec) == ['cooperation.toml: E004 systems.CARE.colour: unknown key "colour"']


def test_members_cannot_be_written_in_the_cooperation_file(write_spec: SpecWriter) -> None:
    spec = write_spec(
        MINIMAL_COOPERATION.replace('currency = "NOK"', 'currency = "NOK"\nmembers = []')
    )
    assert messages(spec) == [
        'cooperation.toml: E004 members: unknown key "members": members are files under '
        "members/, one per member"
    ]


def test_a_missing_required_key_is_named(write_spec: SpecWriter) -> None:
    spec = write_spec(MINIMAL_COOPERATION.replace("budget_year = 2012\n", ""))
    assert messages(spec) == ['cooperation.toml: E005 missing required key "budget_year"']
    member = minimal_member("a").replace("users = 10\n", "")
    assert messages(write_spec(members={"a": member})) == [
        'members/a.toml: E005 systems.CARE: missing required key "users"'
    ]


def test_a_bad_enum_value_lists_the_allowed_ones(write_spec: SpecWriter) -> None:
    spec = write_spec(MINIMAL_COOPERATION.replace('package = "base"', 'package = "basic"'))
    assert messages(spec) == [
        'cooperation.toml: E006 systems.FW.package: expected one of "base", "application", '
        'got "basic"'
    ]


def test_a_syntax_error_has_line_and_column(write_spec: SpecWriter) -> None:
    spec = write_spec(MINIMAL_COOPERATION.replace('name = "Mini"', "name = Mini"))
    assert messages(spec) == ["cooperation.toml:3:8: E003 invalid TOML: Invalid value"]


def test_every_problem_is_reported_at_once(write_spec: SpecWriter) -> None:
    broken_member = minimal_member("b").replace("users = 200", 'users = "many"')
    spec = write_spec(
        MINIMAL_COOPERATION.replace("annual_cost = 1000", "annual_cost = -1").replace(
            'name = "Care"', "name = 7"
        ),
        {"a": "id = ", "b": broken_member},
    )
    assert messages(spec) == [
        "cooperation.toml: E006 domains.care.name: expected a string, got 7",
        "cooperation.toml: E007 systems.FW.annual_cost: an amount may not be negative, got -1",
        "members/a.toml:1:6: E003 invalid TOML: Invalid value",
        'members/b.toml: E006 users: expected an integer, got "many"',
    ]


def test_a_member_file_is_named_by_its_id(write_spec: SpecWriter) -> None:
    spec = write_spec(members={"sande": minimal_member("sandee")})
    assert messages(spec) == [
        'members/sande.toml: E009 id: the id "sandee" differs from the file name; '
        'the file of member "sandee" is members/sandee.toml'
    ]


def test_duplicate_member_ids_are_refused(write_spec: SpecWriter) -> None:
    spec = write_spec(members={"a": minimal_member("a"), "b": minimal_member("a")})
    assert messages(spec) == [
        'members/b.toml: E009 id: the id "a" differs from the file name; '
        'the file of member "a" is members/a.toml',
        'members/b.toml: E009 id: duplicate member id "a" (also in members/a.toml)',
    ]


def test_an_invalid_id_is_refused(write_spec: SpecWriter) -> None:
    text = MINIMAL_COOPERATION.replace("[domains.care]", '[domains."care home"]')
    assert messages(write_spec(text)) == [
        'cooperation.toml: E008 domains."care home": invalid id "care home": ids are 1-64 '
        "characters of letters, digits, '.', '_' and '-', starting with a letter or digit"
    ]


def test_a_table_named_by_its_id_may_not_repeat_it(write_spec: SpecWriter) -> None:
    assert messages(write_spec(with_system_key("id", '"X"'))) == [
        'cooperation.toml: E004 systems.CARE: unknown key "id": the table\'s name is its id'
    ]


def test_a_member_file_may_not_point_outside_the_spec(
    write_spec: SpecWriter, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.toml"
    outside.write_text(minimal_member("evil"), encoding="utf-8")
    spec = write_spec()
    (spec / "members" / "evil.toml").symlink_to(outside)
    assert messages(spec) == [
        "members/evil.toml: E001 the file points outside the spec directory; member files must lie "
        "inside it"
    ]


def test_a_symlink_inside_the_spec_is_followed(write_spec: SpecWriter) -> None:
    spec = write_spec()
    (spec / "shared.toml").write_text(minimal_member("b"), encoding="utf-8")
    (spec / "members" / "b.toml").symlink_to(spec / "shared.toml")
    assert sorted(dikt.load(spec).members) == ["a", "b"]


def test_too_many_member_files_are_refused_unread(
    write_spec: SpecWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec()
    for name in ("b", "c"):
        (spec / "members" / f"{name}.toml").write_text(minimal_member(name), encoding="utf-8")
    monkeypatch.setattr("dikt._load.MAX_MEMBER_FILES", 2)
    assert messages(spec) == [
        "members: E001 3 member files; a spec may have at most 2, so none was read"
    ]


def test_a_spec_too_large_in_all_stops_being_read(
    write_spec: SpecWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the bound on a whole spec, member files are no longer read (and held in memory)."""
    spec = write_spec()
    for name in ("b", "c", "d"):
        (spec / "members" / f"{name}.toml").write_text(minimal_member(name), encoding="utf-8")
    size = (spec / "cooperation.toml").stat().st_size + 2 * len(minimal_member("a").encode())
    monkeypatch.setattr("dikt._load.MAX_SPEC_BYTES", size)
    assert messages(spec) == [
        f"members/c.toml: E001 the spec's files hold more than {size} bytes together, the most "
        "a spec may hold; this file and those after it were not read"
    ]


def test_a_file_too_large_is_refused_unread(write_spec: SpecWriter) -> None:
    spec = write_spec()
    with (spec / "members" / "big.toml").open("wb") as big:
        big.truncate(MAX_FILE_BYTES + 1)
    assert messages(spec) == [
        f"members/big.toml: E001 the file has {MAX_FILE_BYTES + 1} bytes; a spec file may have "
        f"at most {MAX_FILE_BYTES} bytes"
    ]


def test_a_file_that_is_not_utf8_is_refused(write_spec: SpecWriter) -> None:
    spec = write_spec()
    (spec / "members" / "b.toml").write_bytes(b'id = "b"\nname = "N\xf8tter\xf8y"\n')
    assert messages(spec) == ["members/b.toml:2: E002 the file is not UTF-8 text (byte 18)"]


def test_another_format_version_is_refused_alone(write_spec: SpecWriter) -> None:
    text = MINIMAL_COOPERATION.replace("schema = 1", "schema = 2").replace(
        "annual_cost = 500", "x = 1"
    )
    assert messages(write_spec(text)) == [
        "cooperation.toml: E010 schema: this dikt reads spec format 1, not 2"
    ]


def test_a_missing_spec_says_what_a_spec_is(tmp_path: Path) -> None:
    """Files are named relative to the spec's directory; the error keeps the spec as named."""
    with pytest.raises(SpecError) as caught:
        dikt.load(tmp_path / "nowhere")
    assert caught.value.spec == str(tmp_path / "nowhere")
    assert unlocated(caught.value.problems) == [
        "cooperation.toml: E001 no such file: a spec is a directory with a cooperation.toml"
    ]


def test_fractions_are_taken_exactly(write_spec: SpecWriter) -> None:
    text = MINIMAL_COOPERATION + '\n[keys.mix]\nequal_share = 0.3\nmetric = "population"\n'
    assert dikt.load(write_spec(text)).keys["mix"].equal_share == Fraction(3, 10)
    text = MINIMAL_COOPERATION + '\n[keys.mix]\nequal_share = 1.5\nmetric = "population"\n'
    assert messages(write_spec(text)) == [
        "cooperation.toml: E007 keys.mix.equal_share: expected a fraction between 0 and 1, got 1.5"
    ]


def test_load_texts_reads_specs_not_on_disk() -> None:
    cooperation = dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": minimal_member("a")})
    assert list(cooperation.members) == ["a"]


def test_another_file_is_not_a_spec(tmp_path: Path) -> None:
    other = tmp_path / "budget.toml"
    other.write_text(MINIMAL_COOPERATION, encoding="utf-8")
    assert messages(other) == [
        "budget.toml: E001 not a spec: a spec is a directory with a cooperation.toml, named by "
        "the directory or by its cooperation.toml"
    ]
