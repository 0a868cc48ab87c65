"""The document of an impact analysis: what depends on a system, and who is behind it."""

from __future__ import annotations

from dikt.document import Block, Document, Heading, table
from dikt.graph import Impact, ImpactedMember, ImpactedSystem
from dikt.i18n import texts
from dikt.serialise import shape

__all__ = ["impact_document"]


def impact_document(result: Impact, language: str = "en") -> Document:
    """The systems that need ``result.system``, then the members and users behind them."""
    w = texts(language)
    mark = f" [{w._('critical')}]" if result.critical else ""
    systems = table(
        "systems",
        "distance:count, system:id, name:name, kind:term, critical:term",
        [[s.distance, s.id, s.name, s.kind, "yes" if s.critical else ""] for s in result.systems],
    )
    members = table(
        "members",
        "member:id, status:term, users:count, systems hit (users):text",
        [
            [
                m.id,
                "member" if m.is_member else "candidate",
                m.users,
                ", ".join(f"{s} ({n})" for s, n in m.systems.items()),
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
        records=systems,
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
