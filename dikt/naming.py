"""How people read the things a spec names: one rule, in one place.

Machines read ids (JSON, CSV, the exports); people read names. Every view
for people (tables, charts, the report, the docs, workbooks) asks
:func:`names_of` and writes:

- a member by its name, ``Røyken kommune``; by its short name, ``Røyken``,
  where space is tight (column headers, chart labels, lists);
- a domain by its name, ``Pleie og omsorg``;
- a catalogue system by its project code and name, ``IT173 Gerica``; a
  member's own system by its name (it has no project code);
- an id the spec does not name (a candidate added by a what-if, an id from
  a result of another spec) as itself.

A table cell that people read by a name but machines by its id is a
:class:`Named`: a ``str`` that *is* the id (so CSV writes the id) and knows
what people read (:attr:`Named.shown`, which the writers for people write).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

if TYPE_CHECKING:
    from dikt.model import Cooperation

__all__ = ["Named", "Names", "names_of", "short_name"]

#: What a municipality's or a cooperation's name says of what it is, which
#: its short name leaves out: "Røyken kommune" is "Røyken" in a tight column.
_KIND_WORDS: Final = re.compile(
    r"\s+(kommune|fylkeskommune|municipality|county|interkommunale?|iks)$", re.IGNORECASE
)


def short_name(name: str) -> str:
    """A member's name without the word for what it is: the name of a tight column.

    >>> short_name("Røyken kommune"), short_name("Nedre Eiker kommune"), short_name("Oslo")
    ('Røyken', 'Nedre Eiker', 'Oslo')
    """
    short = _KIND_WORDS.sub("", name.strip())
    return short or name


class Named(str):
    """An id that people read by a name: the ``str`` is the id, :attr:`shown` the name.

    Writers for machines (CSV) write the id as for any text; writers for
    people write :attr:`shown`.

    >>> cell = Named("royken", "Røyken")
    >>> cell == "royken", cell.shown
    (True, 'Røyken')
    """

    shown: str

    def __new__(cls, id: str, shown: str) -> Named:
        made = super().__new__(cls, id)
        made.shown = shown
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Named, (str(self), self.shown))


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


def _frozen_pairs(mapping: Mapping[tuple[str, str], str]) -> Mapping[tuple[str, str], str]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(kw_only=True)
class Names:
    """The names people read for a cooperation's ids; see :func:`names_of`.

    Every lookup falls back to the id itself, so a view never fails on an id
    the spec does not name. ``Names()`` names nothing: every id reads as itself.
    """

    members: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    short_members: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    domains: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    systems: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    #: Own systems by (member id, own system id): their names.
    own_systems: Mapping[tuple[str, str], str] = attrs.field(factory=dict, converter=_frozen_pairs)

    def member(self, id: str) -> str:
        """A member's (or candidate's) name: ``Røyken kommune``."""
        return self.members.get(id, id)

    def short(self, id: str) -> str:
        """A member's short name, for tight places: ``Røyken``."""
        return self.short_members.get(id, self.members.get(id, id))

    def domain(self, id: str) -> str:
        """A domain's name: ``Pleie og omsorg``."""
        return self.domains.get(id, id)

    def system(self, id: str, member: str | None = None) -> str:
        """A system as people read it: ``IT173 Gerica`` for a catalogue system.

        With ``member``, an id that is not in the catalogue is looked up among
        that member's own systems, which read by their name alone.
        """
        if id in self.systems:
            return f"{id} {self.systems[id]}"
        if member is not None and (member, id) in self.own_systems:
            return self.own_systems[member, id]
        return id

    def system_as(self, id: str, name: str = "", *, own: bool = False, member: str = "") -> str:
        """A system as people read it, from a result that carries its name too.

        The spec's names first; else the result's ``name``: ``IT173 Profil`` for a
        catalogue system, the name alone for a member's ``own`` system.

        >>> Names().system_as("IT173", "Profil"), Names().system_as("gerica", "Gerica", own=True)
        ('IT173 Profil', 'Gerica')
        """
        if own:
            return self.own_systems.get((member, id), name or id)
        known = self.systems.get(id, name)
        return f"{id} {known}" if known else id

    def system_name(self, id: str, member: str | None = None) -> str:
        """A system's name alone (beside a column of project codes): ``Gerica``."""
        if id in self.systems:
            return self.systems[id]
        return self.own_systems.get((member or "", id), id)

    def member_cell(self, id: str, *, short: bool = False) -> Named:
        """A table cell of a member: its id for machines, its (short) name for people."""
        return Named(id, self.short(id) if short else self.member(id))

    def domain_cell(self, id: str) -> Named:
        """A table cell of a domain: its id for machines, its name for people."""
        return Named(id, self.domain(id))

    def system_cell(self, id: str, member: str | None = None) -> Named:
        """A table cell of a system: its id for machines, ``IT173 Gerica`` for people."""
        return Named(id, self.system(id, member))

    def listed(self, ids: tuple[str, ...] | list[str]) -> str:
        """Members' short names in a list: ``Drammen, Røyken, Sande``."""
        return ", ".join(self.short(id) for id in ids)


def names_of(cooperation: Cooperation) -> Names:
    """The names people read for a cooperation's members, domains and systems.

    >>> import dikt
    >>> names = dikt.names_of(dikt.load("specs/d-ikt"))
    >>> names.member("royken"), names.short("royken"), names.domain("care")
    ('Røyken kommune', 'Røyken', 'Pleie og omsorg')
    >>> names.system("IT173"), names.system("gerica", member="sande"), names.member("x")
    ('IT173 Profil', 'Gerica', 'x')
    """
    members = cooperation.members.values()
    return Names(
        members={m.id: m.name for m in members},
        short_members={m.id: short_name(m.name) for m in members},
        domains={d.id: d.name for d in cooperation.domains.values()},
        systems={s.id: s.name for s in cooperation.systems.values()},
        own_systems={(m.id, o.id): o.name for m in members for o in m.own_systems.values()},
    )
