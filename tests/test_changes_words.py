"""Leaving and merging as a board reads them: the merged member's name, and the bokmål text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import dikt
from dikt import changes
from dikt.allocation import investments_of
from dikt.changes import merge
from dikt.errors import ArgumentError

from .conftest import EXAMPLE
from .test_cli import run


def test_a_merger_into_a_new_id_needs_its_name() -> None:
    """Sande and Svelvik into holmestrand is not "Sande kommune"."""
    code, out, err = run("merge", EXAMPLE, "sande", "svelvik", "--into", "holmestrand")
    assert (code, out, err) == (
        2,
        "",
        "dikt: holmestrand is a new id: give the merged municipality's name (--name)\n",
    )
    cooperation = dikt.load(EXAMPLE)
    with pytest.raises(ArgumentError):
        merge(cooperation, ["sande", "svelvik"], "holmestrand")
    named = merge(cooperation, ["sande", "svelvik"], "holmestrand", name="Holmestrand kommune")
    assert named.into_name == "Holmestrand kommune"
    # Into one of them, the merged member keeps that member's name.
    assert merge(cooperation, ["sande", "svelvik"], "svelvik").into_name == "Svelvik kommune"


def test_check_wants_the_name_of_a_stated_merger_into_a_new_id(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE, spec)
    cooperation = spec / "cooperation.toml"
    text = cooperation.read_text(encoding="utf-8")
    cooperation.write_text(
        text + '\n[mergers.holmestrand]\nmembers = ["sande", "svelvik"]\ndate = 2020-01-01\n',
        encoding="utf-8",
    )
    code, out, _ = run("check", spec, "--select", "E180")
    assert code == 1
    line = len(text.splitlines()) + 2
    assert out == (
        f"{spec}/cooperation.toml:{line}:1: E180 mergers.holmestrand: "
        '"holmestrand" is a new id: give the merged municipality\'s name '
        '(name = "...")\n1 error, 0 warnings\n'
    )


def test_leaving_in_bokmal_names_the_member() -> None:
    code, out, _ = run("--lang", "nb", "leave", EXAMPLE, "sande")
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0] == "Sande kommune trer ut av Drammensregionens IKT fra og med 2012 (beløp i NOK)"
    )
    assert lines[2] == (
        "Sande kommune trer ut med virkning fra 01.01.2012. Som medlem ville Sande kommune "
        "ha betalt 6\u00a0147\u00a0430,67\u00a0kr i 2012; de gjenværende medlemmene må "
        "til sammen betale 1\u00a0027\u00a0856,27\u00a0kr mer."
    )
    assert (
        "For hvert system Sande brukte: hva Sande betalte, hvor mye systemets kostnad går ned "
        "uten medlemmet, og hva de øvrige medlemmene overtar (faste kostnader og kapasitet som "
        "ikke reduseres)."
    ) in lines
    assert (
        "Andelen til Sande av investeringene i 2012 og senere, slik nøkkelen ville ha fordelt "
        "dem om Sande hadde fortsatt som medlem; de øvrige medlemmene betaler bare resten."
    ) in lines
    for rough in ("Det ville", "Dets andel", "om det var blitt", "2012, NOK"):
        assert rough not in out


def test_a_merger_names_its_members_as_a_sentence_does() -> None:
    code, out, _ = run("--lang", "nb", "merge", EXAMPLE, "sande", "svelvik", "--into", "svelvik")
    assert code == 0
    assert out.splitlines()[0] == (
        "Sande og Svelvik slås sammen til Svelvik kommune fra og med 2012 (beløp i NOK)"
    )


# -- the work a what-if does ------------------------------------------------------------------


def test_investments_of_a_year_are_allocates_investment_lines() -> None:
    cooperation = dikt.load(EXAMPLE)
    kinds = {
        dikt.LineKind.CORE_INVESTMENT,
        dikt.LineKind.APPLICATION_INVESTMENT,
        dikt.LineKind.MEMBER_INVESTMENT,
    }
    for year in range(2012, 2016):
        whole = dikt.allocate(cooperation, year)
        alone = investments_of(cooperation, year)
        assert [(s.item, s.kind) for s in alone.splits] == [
            (s.item, s.kind) for s in whole.splits if s.kind in kinds
        ]
        assert {
            m.id: [(line.item, line.amount) for line in m.lines if line.kind in kinds]
            for m in whole.members
        } == {m.id: [(line.item, line.amount) for line in m.lines] for m in alone.members}


def test_a_member_leaving_allocates_no_year_whole_until_its_lines_are_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The figures come from the splits (every total, Sande's own lines, its part
    of the investments of 2013-2015 from those investments alone); the lines
    of the year with and without it are allocated once each, when asked for."""
    calls: list[int | None] = []
    real = changes.allocate

    def counted(cooperation: dikt.Cooperation, year: int | None = None) -> dikt.Allocation:
        calls.append(year)
        return real(cooperation, year)

    monkeypatch.setattr(changes, "allocate", counted)
    result = changes.leave(dikt.load(EXAMPLE), "sande")
    assert calls == []
    assert {o.year for o in result.obligations} == {2012, 2013, 2014, 2015}
    assert str(result.obligations_total) == "1930305.82"
    assert result.before.member("sande").total == result.departing
    # The year after: the others' contributions, and what Sande pays in it toward
    # the investments still being paid ("settle": all of them, at once).
    assert result.after.total == result.total_after
    assert result.after.member("sande").total == result.paying_after == result.obligations_total
    assert result.before is result.before
    assert calls == [2012, 2012]
    rows = {row.id: row for row in result.members}
    assert all(rows[m.id].after == m.total for m in result.after.members if m.id != "sande")
    assert all(rows[m.id].before == m.total for m in result.before.members if m.id != "sande")


def test_a_merger_allocates_no_year_whole_until_its_lines_are_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int | None] = []
    real = changes.allocate

    def counted(cooperation: dikt.Cooperation, year: int | None = None) -> dikt.Allocation:
        calls.append(year)
        return real(cooperation, year)

    monkeypatch.setattr(changes, "allocate", counted)
    result = changes.merge(dikt.load(EXAMPLE), ["sande", "svelvik"], "sande")
    assert calls == []
    rows = {row.id: row for row in result.members}
    assert rows["sande"].after == result.after.member("sande").total
    assert rows["royken"].before == result.before.member("royken").total
    assert calls == [2012, 2012]
