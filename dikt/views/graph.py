"""The document of an impact analysis: what depends on a system, and who is behind it."""

from __future__ import annotations

from dikt.document import Block, Document, Heading, table
from dikt.graph import Impact, ImpactedMember, ImpactedSystem
from dikt.serialise import shape

__all__ = ["impact_document"]


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def impact_document(result: Impact) -> Document:
    """The systems that need ``result.system``, then the members and users behind them."""
    mark = " [critical]" if result.critical else ""
    systems = table(
        "systems",
        "distance:count, system:id, name:name, kind:id, critical:id",
        [[s.distance, s.id, s.name, s.kind, "yes" if s.critical else ""] for s in result.systems],
    )
    members = table(
        "members",
        "member:id, status:id, users:count, systems hit (users):text",
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
        blocks += [Heading("Systems that depend on it (distance 1 = directly):"), systems]
    if result.members:
        blocks += [Heading("Members and the users behind them:"), members]
    return Document(
        title=(
            f"{result.system} {result.name}{mark}: {_count(len(result.systems), 'system')} and "
            f"{_count(len(result.members), 'member')} depend on it."
        ),
        blocks=tuple(blocks),
        records=systems,
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
