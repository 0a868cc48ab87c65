"""The ArchiMate 3.1 model exchange export: well formed, referentially sound, allowed, stable."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
from hypothesis import given

import dikt
from dikt.archimate import NAMESPACE, archimate_xml

from .conftest import EXAMPLE
from .strategies import cooperations
from .test_cli import run

XSI = "{http://www.w3.org/2001/XMLSchema-instance}type"
N = f"{{{NAMESPACE}}}"

#: The relationships the export emits, and the element types ArchiMate 3.1's
#: relationship tables (Appendix B) allow them between. Serving runs from the
#: serving element: application to application, system software to system
#: software and to application components (technology serves application),
#: application components to business actors (application serves business).
#: A grouping may aggregate any concept; an association may join any two.
ALLOWED = {
    "Serving": {
        ("ApplicationComponent", "ApplicationComponent"),
        ("SystemSoftware", "SystemSoftware"),
        ("SystemSoftware", "ApplicationComponent"),
        ("ApplicationComponent", "BusinessActor"),
    },
    "Aggregation": {
        ("Grouping", target)
        for target in ("ApplicationComponent", "SystemSoftware", "BusinessActor", "Grouping")
    },
}
ELEMENT_TYPES = {"ApplicationComponent", "SystemSoftware", "BusinessActor", "Grouping"}


def check_model(text: str) -> ET.Element:
    """Every rule the test asserts of an exchange file; the parsed root."""
    root = ET.fromstring(text)  # well formed
    assert root.tag == f"{N}model"
    assert root.find(f"{N}name") is not None
    order = [child.tag.removeprefix(N) for child in root]
    expected = [
        "name",
        "documentation",
        "elements",
        "relationships",
        "propertyDefinitions",
        "views",
    ]
    assert order == expected
    elements = {e.get("identifier"): e.get(XSI) for e in root.iter(f"{N}element")}
    assert set(elements.values()) <= ELEMENT_TYPES
    identifiers = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers))  # unique
    assert all(i and i[0].isalpha() and ":" not in i for i in identifiers)  # NCNames
    definitions = {d.get("identifier") for d in root.iter(f"{N}propertyDefinition")}
    for prop in root.iter(f"{N}property"):
        assert prop.get("propertyDefinitionRef") in definitions
    relationships = {}
    for rel in root.iter(f"{N}relationship"):
        source, target, kind = rel.get("source"), rel.get("target"), rel.get(XSI)
        assert source in elements, source
        assert target in elements, target
        if kind != "Association":
            assert (elements[source], elements[target]) in ALLOWED[kind or ""], (
                kind,
                source,
                target,
            )
        relationships[rel.get("identifier")] = (source, target)
    for view in root.iter(f"{N}view"):
        nodes = {n.get("identifier"): n.get("elementRef") for n in view.iter(f"{N}node")}
        assert set(nodes.values()) <= set(elements)
        for connection in view.iter(f"{N}connection"):
            source, target = relationships[connection.get("relationshipRef")]
            assert nodes[connection.get("source")] == source
            assert nodes[connection.get("target")] == target
    return root


def test_the_example_exports_a_sound_model() -> None:
    cooperation = dikt.load(EXAMPLE)
    root = check_model(archimate_xml(cooperation))
    types = [e.get(XSI) for e in root.iter(f"{N}element")]
    assert types.count("ApplicationComponent") == 16 + sum(
        len(m.own_systems) for m in cooperation.members.values()
    )
    assert types.count("SystemSoftware") == 14
    assert types.count("BusinessActor") == 5
    assert types.count("Grouping") == len(cooperation.domains)
    ad = next(e for e in root.iter(f"{N}element") if e.get("identifier") == "id-system-IT192")
    assert ad.findtext(f"{N}name") == "IT192 AD"
    serving = {
        (r.get("source"), r.get("target"))
        for r in root.iter(f"{N}relationship")
        if r.get(XSI) == "Serving"
    }
    assert ("id-system-IT192", "id-system-IT141") in serving  # Familia depends on AD
    assert ("id-system-IT141", "id-member-sande") in serving  # Sande uses Familia
    assert len(list(root.iter(f"{N}view"))) >= 10


def test_the_export_is_the_same_in_every_run() -> None:
    cooperation = dikt.load(EXAMPLE)
    assert archimate_xml(cooperation) == archimate_xml(dikt.load(EXAMPLE))


@given(cooperations())
def test_every_generated_spec_exports_a_sound_model(cooperation: dikt.Cooperation) -> None:
    check_model(archimate_xml(cooperation))


def test_user_text_cannot_break_the_xml() -> None:
    cooperation = dikt.load(EXAMPLE)
    system = cooperation.systems["IT141"]
    hostile = attrs.evolve(
        cooperation,
        systems={**cooperation.systems, "IT141": attrs.evolve(system, name="<&>\x00\x1b\"'")},
    )
    root = check_model(archimate_xml(hostile))
    familia = next(e for e in root.iter(f"{N}element") if e.get("identifier") == "id-system-IT141")
    assert familia.findtext(f"{N}name") == "IT141 <&>\\x00\\x1b\"'"


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "d-ikt.xml"
    code, out, _ = run("graph", EXAMPLE, "--format", "archimate", "--output", target)
    assert (code, out) == (0, "")
    check_model(target.read_text(encoding="utf-8"))
