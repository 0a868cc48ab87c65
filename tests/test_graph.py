"""The dependency graph: impact analysis and exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given

import dikt
from dikt import Cooperation
from dikt.errors import NotFoundError
from dikt.exports import graph_dot, graph_graphml, graph_json

from .conftest import EXAMPLE, MINIMAL_COOPERATION, minimal_member
from .strategies import cooperations


def test_the_graph_has_systems_members_domains_and_typed_edges() -> None:
    graph = dikt.build_graph(dikt.load(EXAMPLE))
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert kinds == {"system", "own-system", "member", "domain"}
    edges = {data["kind"] for _, _, data in graph.edges(data=True)}
    assert edges == {"depends-on", "uses", "owns", "in-domain"}
    assert graph.has_edge("system:IT141", "system:IT192")
    assert graph.has_edge("member:sande", "own:sande/gerica")
    assert graph.get_edge_data("member:drammen", "system:IT141")[0] == {"kind": "uses", "users": 85}


def test_impact_of_a_base_package_reaches_every_member() -> None:
    result = dikt.impact(dikt.load(EXAMPLE), "IT150")
    assert result.critical
    ids = [s.id for s in result.systems]
    assert "IT192" in ids
    assert "IT141" in ids
    assert "sande/gerica" in ids
    assert [s.distance for s in result.systems] == sorted(s.distance for s in result.systems)
    members = {m.id: m for m in result.members}
    assert members["drammen"].users == 14_500
    assert members["nedre-eiker"].is_member is False
    assert next(s for s in result.systems if s.id == "IT173").critical


def test_impact_of_an_application_lists_its_users() -> None:
    result = dikt.impact(dikt.load(EXAMPLE), "IT170")
    assert [(s.id, s.distance) for s in result.systems] == [
        ("IT185", 1),
        ("IT186", 1),
        ("IT187", 2),
    ]
    assert [(m.id, m.users, dict(m.systems)) for m in result.members] == [
        ("drammen", 1100, {"IT170": 1100, "IT185": 60, "IT186": 10, "IT187": 10}),
        ("nedre-eiker", 4, {"IT187": 4}),
        ("royken", 350, {"IT170": 350, "IT185": 35, "IT186": 5, "IT187": 5}),
        ("sande", 140, {"IT170": 140, "IT185": 30, "IT186": 3, "IT187": 3}),
        ("svelvik", 120, {"IT170": 120, "IT185": 30, "IT186": 3, "IT187": 3}),
    ]


def test_impact_of_an_unknown_system_suggests_close_ones() -> None:
    with pytest.raises(NotFoundError) as caught:
        dikt.impact(dikt.load(EXAMPLE), "IT1411")
    assert (
        str(caught.value)
        == 'no catalogue system "IT1411" in the spec; did you mean "IT141", "IT191" or "IT184"?'
    )


def test_a_leaf_system_impacts_only_its_users() -> None:
    cooperation = dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": minimal_member("a")})
    result = dikt.impact(cooperation, "CARE")
    assert result.systems == ()
    assert [(m.id, m.users) for m in result.members] == [("a", 10)]


def test_exports_parse_and_escape() -> None:
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION.replace('name = "Firewall"', 'name = "<b>\\"fw\\"</b>"'),
        {"members/a.toml": minimal_member("a")},
    )
    graph = dikt.build_graph(cooperation)
    dot = graph_dot(graph)
    assert '"system:FW" [label="FW <b>\\"fw\\"</b>"' in dot
    assert '"system:CARE" -> "system:FW" [style="solid", label="depends-on"];' in dot
    data = json.loads(graph_json(graph))
    assert {n["id"] for n in data["nodes"]} >= {"system:FW", "member:a", "domain:care"}
    root = ET.fromstring(graph_graphml(graph))
    assert root.tag.endswith("graphml")


@given(cooperations())
def test_impact_never_lists_the_system_itself_and_is_transitive(
    cooperation: Cooperation,
) -> None:
    for system_id in cooperation.systems:
        result = dikt.impact(cooperation, system_id)
        hit = {s.id for s in result.systems}
        assert system_id not in hit
        for system in cooperation.systems.values():
            if system_id in system.depends_on:
                assert system.id in hit
                assert hit >= {s.id for s in dikt.impact(cooperation, system.id).systems}
