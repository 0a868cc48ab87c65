"""The document of an impact analysis: what depends on a system, and who is behind it."""

from __future__ import annotations

from dikt.document import Block, Document, Heading, table
from dikt.graph import Impact, ImpactedMember, ImpactedSystem
from dikt.i18n import texts
from dikt.naming import Named, Names, short_name
from dikt.serialise import shape

__all__ = ["impact_document"]


def _system(system: ImpactedSystem, names: Names) -> Named:
    """``IT173 Profil``; a member's own system (``sande/gerica``) as ``Gerica (Sande)``."""
    member, slash, own = system.id.partition("/")
    if not slash:
        return Named(system.id, names.system_as(system.id, system.name))
    shown = names.system_as(own, system.name, own=True, member=member)
    return Named(system.id, f"{shown} ({names.short(member)})")


def _hit(system: str, member: str, names: Names) -> str:
    """A system a member uses, in a list: its project code, or an own system's name."""
    _, slash, own = system.partition("/")
    return names.system_as(own, own, own=True, member=member) if slash else system


def impact_document(result: Impact, language: str = "en", names: Names | None = None) -> Document:
    """The systems that need ``result.system``, then the members and users behind them.

    People read systems as ``IT173 Profil`` and members by their short names
    (``names``, see :func:`dikt.names_of`); the records keep ids and names apart.
    """
    w = texts(language)
    names = names or Names()
    mark = f" [{w._('critical')}]" if result.critical else ""
    records = table(
        "systems",
        "distance:count, system:id, name:name, kind:term, critical:term",
        [[s.distance, s.id, s.name, s.kind, "yes" if s.critical else ""] for s in result.systems],
    )
    systems = table(
        "systems",
        "distance:count, system:id, kind:term, critical:term",
        [
            [s.distance, _system(s, names), s.kind, "yes" if s.critical else ""]
            for s in result.systems
        ],
    )
    members = table(
        "members",
        "member:id, status:term, users:count, systems hit (users):text",
        [
            [
                Named(m.id, short_name(m.name) if m.name else names.short(m.id)),
                "member" if m.is_member else "candidate",
                m.users,
                ", ".join(
                    f"{_hit(system, m.id, names)} ({w.count(n)})" for system, n in m.systems.items()
                ),
            ]
            for m in result.members
        ],
    )
    blocks: list[Block] = []
    if result.systems:
        blocks += [Heading(w._("Systems that depend on it (distance 1 = directly):")), systems]
    if result.members:
        blocks += [Heading(w._("Members and the users behind them:")), members]
    depend = w._("{systems} and {members} depend on it.").format(
        systems=w.n_("{n} system", "{n} systems", len(result.systems)),
        members=w.n_("{n} member", "{n} members", len(result.members)),
    )
    return Document(
        title=f"{result.system} {result.name}{mark}: {depend}",
        blocks=tuple(blocks),
        records=records,
        language=language,
    )


# -- JSON shapes ---------------------------------------------------------------------------

shape(ImpactedSystem, "id", "name", "kind", "critical", "distance")
shape(
    ImpactedMember,
    "id",
    "name",
    ("status", str, lambda m: "member" if m.is_member else "candidate"),
    "users",
    "systems",
)
shape(Impact, "system", "name", "critical", "systems", "members")
