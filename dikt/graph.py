"""The dependency graph of a cooperation, built on demand with networkx.

Nodes are the catalogue systems (``system:IT141``), the members' own systems
(``own:sande/gerica``), the members and candidates (``member:sande``) and the
domains (``domain:care``). Edges point from the one that needs to the one
needed: ``depends-on`` (system to system), ``uses`` (member to catalogue
system, with ``users``), ``owns`` (member to own system, with ``users``) and
``in-domain`` (system to domain). The model holds no graph; this module builds
one when asked, so that ``import dikt`` stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from dikt._repr import summary_repr
from dikt.errors import NotFoundError
from dikt.i18n import message
from dikt.model import Cooperation, Package

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Impact",
    "ImpactedMember",
    "ImpactedSystem",
    "build_graph",
    "impact",
    "node_id",
]


def node_id(kind: str, ident: str) -> str:
    """The graph's node id for a system, own system, member or domain."""
    return f"{kind}:{ident}"


def build_graph(cooperation: Cooperation) -> nx.MultiDiGraph:
    """The cooperation as a networkx multi-digraph (see the module's docstring).

    Nodes carry ``kind`` and ``label``; systems also ``package``, ``domain``,
    ``critical`` and ``status``. Nodes and edges are added in sorted order, so
    exports are deterministic.
    """
    import networkx as nx  # noqa: PLC0415 - heavy; imported only when a graph is built

    graph = nx.MultiDiGraph(name=cooperation.id)
    for domain_id, domain in sorted(cooperation.domains.items()):
        graph.add_node(node_id("domain", domain_id), kind="domain", label=domain.name)
    for system_id, system in sorted(cooperation.systems.items()):
        graph.add_node(
            node_id("system", system_id),
            kind="system",
            label=f"{system_id} {system.name}",
            package=system.package.value,
            domain=system.domain,
            critical=system.critical,
            status=system.status.value,
        )
    for member_id, member in sorted(cooperation.members.items()):
        graph.add_node(
            node_id("member", member_id),
            kind="member",
            label=member.name,
            status=member.status.value,
            users=member.users,
        )
        for own_id, own in sorted(member.own_systems.items()):
            graph.add_node(
                node_id("own", f"{member_id}/{own_id}"),
                kind="own-system",
                label=own.name,
                member=member_id,
                domain=own.domain,
                critical=False,
            )
    for system_id, system in sorted(cooperation.systems.items()):
        source = node_id("system", system_id)
        if system.domain in cooperation.domains:
            graph.add_edge(source, node_id("domain", system.domain), kind="in-domain")
        for dependency in sorted(set(system.depends_on)):
            if dependency in cooperation.systems:
                graph.add_edge(source, node_id("system", dependency), kind="depends-on")
    for member_id, member in sorted(cooperation.members.items()):
        source = node_id("member", member_id)
        for system_id, usage in sorted(member.systems.items()):
            if system_id in cooperation.systems:
                graph.add_edge(source, node_id("system", system_id), kind="uses", users=usage.users)
        for own_id, own in sorted(member.own_systems.items()):
            own_node = node_id("own", f"{member_id}/{own_id}")
            graph.add_edge(source, own_node, kind="owns", users=own.users)
            if own.domain in cooperation.domains:
                graph.add_edge(own_node, node_id("domain", own.domain), kind="in-domain")
            for dependency in sorted(set(own.depends_on)):
                # An own system may depend on the member's other own systems.
                if dependency in member.own_systems:
                    target = node_id("own", f"{member_id}/{dependency}")
                    graph.add_edge(own_node, target, kind="depends-on")
                elif dependency in cooperation.systems:
                    graph.add_edge(own_node, node_id("system", dependency), kind="depends-on")
    return graph


@attrs.frozen(kw_only=True)
class ImpactedSystem:
    """A system that needs the failing one, directly or through others."""

    id: str  #: catalogue id, or ``member/own-id`` for an own system
    name: str
    kind: str  #: "base", "application" or "own-system"
    critical: bool
    distance: int  #: 1 for a direct dependant, 2 for its dependants...


@attrs.frozen(kw_only=True)
class ImpactedMember:
    """A member (or candidate) that loses systems, and the users behind them."""

    id: str
    name: str
    is_member: bool
    users: int  #: all its users when a base package is hit; else the most on one system
    systems: Mapping[str, int]  #: users of each hit system it uses, by system id


@attrs.frozen(kw_only=True, repr=False)
class Impact:
    """What transitively depends on one catalogue system."""

    __repr__ = summary_repr

    system: str
    name: str
    critical: bool
    systems: tuple[ImpactedSystem, ...]
    members: tuple[ImpactedMember, ...]


def impact(cooperation: Cooperation, system_id: str) -> Impact:
    """Everything that stops if ``system_id`` stops: systems, members, users.

    Raises :class:`NotFoundError` when the catalogue has no such system.
    """
    import networkx as nx  # noqa: PLC0415 - heavy; imported only when a graph is built

    if system_id not in cooperation.systems:
        raise NotFoundError(message("catalogue system"), system_id, sorted(cooperation.systems))
    graph = build_graph(cooperation)
    dependencies = nx.DiGraph(
        (u, v) for u, v, kind in graph.edges(data="kind") if kind == "depends-on"
    )
    start = node_id("system", system_id)
    distances: dict[str, int] = {}
    if start in dependencies:
        # Reversed edges: from a system to those that depend on it.
        lengths = nx.single_source_shortest_path_length(dependencies.reverse(copy=False), start)
        distances = {node: length for node, length in lengths.items() if node != start}
    hit: list[ImpactedSystem] = []
    for node, distance in distances.items():
        data: dict[str, Any] = graph.nodes[node]
        ident = node.split(":", 1)[1]
        if data["kind"] == "system":
            kind = data["package"]
            name = cooperation.systems[ident].name
        else:
            kind = "own-system"
            member_id, own_id = ident.split("/", 1)
            name = cooperation.members[member_id].own_systems[own_id].name
        hit.append(
            ImpactedSystem(
                id=ident, name=name, kind=kind, critical=bool(data["critical"]), distance=distance
            )
        )
    hit.sort(key=lambda s: (s.distance, s.id))
    hit_ids = {s.id for s in hit} | {system_id}
    base_hit = any(
        cooperation.systems[i].package is Package.BASE for i in hit_ids if i in cooperation.systems
    )
    members: list[ImpactedMember] = []
    for member_id, member in sorted(cooperation.members.items()):
        used = {
            sid: usage.users
            for sid, usage in member.systems.items()
            if sid in hit_ids and usage.users > 0
        }
        used |= {
            f"{member_id}/{oid}": own.users
            for oid, own in member.own_systems.items()
            if f"{member_id}/{oid}" in hit_ids and own.users > 0
        }
        if not used and not (base_hit and member.is_member):
            continue
        users = member.users if base_hit and member.is_member else max(used.values())
        members.append(
            ImpactedMember(
                id=member_id,
                name=member.name,
                is_member=member.is_member,
                users=users,
                systems=MappingProxyType(dict(sorted(used.items()))),
            )
        )
    system = cooperation.systems[system_id]
    return Impact(
        system=system_id,
        name=system.name,
        critical=system.critical,
        systems=tuple(hit),
        members=tuple(members),
    )
