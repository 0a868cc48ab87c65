"""The portfolio as an ArchiMate 3.1 model, in The Open Group's Model Exchange File Format.

Architects keep portfolios in ArchiMate tools (Archi among them); this file
imports into any tool that reads the exchange format. The mapping:

- each catalogue application and each member's own system: an
  ``ApplicationComponent``; each base package (firewall, antivirus,
  directory...): ``SystemSoftware``;
- each member and candidate: a ``BusinessActor``; each domain: a ``Grouping``;
- depends-on: the system depended on *serves* the one that needs it
  (``Serving``; an ``Association`` where ArchiMate allows no serving, from
  an application to a base package);
- use: an application *serves* the member using it (``Serving``; a use of a
  base package is an ``Association``);
- ownership of an own system: an ``Association`` named "owns";
- domain membership: the domain's ``Grouping`` *aggregates* the system
  (``Aggregation``);
- properties: package, annual cost, critical, status, vendor, and for
  members status and municipality number;
- one view (diagram) per domain, with its systems and the dependencies
  between them.

Identifiers are made from the spec's ids (``id-system-IT141``), so they are
the same in every run and an import can be repeated.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Final

from dikt._graphfile import xml_safe
from dikt.model import Cooperation, Package

__all__ = ["NAMESPACE", "archimate_xml"]

#: The exchange format's namespace (the same for ArchiMate 3.0 and 3.1).
NAMESPACE: Final = "http://www.opengroup.org/xsd/archimate/3.0/"
_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA: Final = "http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

#: Property definitions: identifier, name, type.
_PROPERTIES: Final = (
    ("propid-package", "package", "string"),
    ("propid-annual-cost", "annual cost", "number"),
    ("propid-critical", "critical", "boolean"),
    ("propid-status", "status", "string"),
    ("propid-vendor", "vendor", "string"),
    ("propid-municipality-number", "municipality number", "string"),
)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _ident(*parts: str) -> str:
    """A stable XML identifier (an NCName) from spec ids."""
    return "id-" + "-".join(parts)


def _name(parent: ET.Element, text: str, tag: str = "name") -> None:
    # No xml:lang: names are in the spec's own language, which the spec does not say.
    ET.SubElement(parent, _q(tag)).text = xml_safe(text)


def _properties(parent: ET.Element, values: Mapping[str, str | None]) -> None:
    present = {k: v for k, v in values.items() if v is not None}
    if not present:
        return
    node = ET.SubElement(parent, _q("properties"))
    for ref, value in present.items():
        prop = ET.SubElement(node, _q("property"), propertyDefinitionRef=ref)
        ET.SubElement(prop, _q("value")).text = xml_safe(value)


class _Model:
    """Elements and relationships as they are added, in order."""

    def __init__(self, root: ET.Element) -> None:
        self.elements = ET.SubElement(root, _q("elements"))
        self.relationships = ET.SubElement(root, _q("relationships"))
        self.kinds: dict[str, str] = {}
        self.links: list[tuple[str, str, str, str]] = []  # id, type, source, target

    def element(
        self, ident: str, kind: str, name: str, properties: Mapping[str, str | None]
    ) -> None:
        node = ET.SubElement(self.elements, _q("element"), identifier=ident)
        node.set(f"{{{_XSI}}}type", kind)
        _name(node, name)
        _properties(node, properties)
        self.kinds[ident] = kind

    def link(self, kind: str, source: str, target: str, name: str | None = None) -> None:
        ident = _ident("rel", kind.lower(), source.removeprefix("id-"), target.removeprefix("id-"))
        node = ET.SubElement(
            self.relationships, _q("relationship"), identifier=ident, source=source, target=target
        )
        node.set(f"{{{_XSI}}}type", kind)
        if name is not None:
            _name(node, name)
        self.links.append((ident, kind, source, target))


def _serving(model: _Model, source: str, target: str) -> None:
    """``source`` serves ``target``, or is associated with it where serving is not allowed."""
    allowed = {
        ("ApplicationComponent", "ApplicationComponent"),
        ("SystemSoftware", "SystemSoftware"),
        ("SystemSoftware", "ApplicationComponent"),
        ("ApplicationComponent", "BusinessActor"),
    }
    kinds = (model.kinds[source], model.kinds[target])
    model.link("Serving" if kinds in allowed else "Association", source, target)


def archimate_xml(cooperation: Cooperation) -> str:
    """The cooperation's portfolio as an ArchiMate Model Exchange File (XML text)."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(_q("model"), identifier=_ident("model", cooperation.id))
    root.set(f"{{{_XSI}}}schemaLocation", f"{NAMESPACE} {_SCHEMA}")
    _name(root, cooperation.name)
    _name(root, f"The systems, members and domains of {cooperation.name}.", "documentation")
    model = _Model(root)
    systems = cooperation.systems
    for domain_id, domain in sorted(cooperation.domains.items()):
        model.element(_ident("domain", domain_id), "Grouping", domain.name, {})
    for system_id, system in sorted(systems.items()):
        kind = "SystemSoftware" if system.package is Package.BASE else "ApplicationComponent"
        model.element(
            _ident("system", system_id),
            kind,
            f"{system_id} {system.name}",
            {
                "propid-package": system.package.value,
                "propid-annual-cost": str(system.annual_cost),  # in the spec's currency
                "propid-critical": "true" if system.critical else "false",
                "propid-status": system.status.value,
                "propid-vendor": system.vendor,
            },
        )
    for member_id, member in sorted(cooperation.members.items()):
        model.element(
            _ident("member", member_id),
            "BusinessActor",
            member.name,
            {
                "propid-status": member.status.value,
                "propid-municipality-number": member.municipality_number,
            },
        )
        for own_id, own in sorted(member.own_systems.items()):
            model.element(
                _ident("own", member_id, own_id),
                "ApplicationComponent",
                f"{own_id} {own.name}",
                {
                    "propid-package": "own-system",
                    "propid-annual-cost": str(own.annual_cost),
                    "propid-vendor": own.vendor,
                },
            )
    # Relationships: only between elements that exist (a dangling reference
    # is check's to report, not the export's to invent).
    for system_id, system in sorted(systems.items()):
        for dependency in system.depends_on:
            if dependency in systems and dependency != system_id:
                _serving(model, _ident("system", dependency), _ident("system", system_id))
        if system.domain in cooperation.domains:
            model.link("Aggregation", _ident("domain", system.domain), _ident("system", system_id))
    for member_id, member in sorted(cooperation.members.items()):
        actor = _ident("member", member_id)
        for system_id, usage in sorted(member.systems.items()):
            if system_id in systems and usage.users > 0:
                _serving(model, _ident("system", system_id), actor)
        for own_id, own in sorted(member.own_systems.items()):
            element = _ident("own", member_id, own_id)
            model.link("Association", actor, element, "owns")
            if own.domain in cooperation.domains:
                model.link("Aggregation", _ident("domain", own.domain), element)
            for dependency in own.depends_on:
                if dependency in systems:
                    _serving(model, _ident("system", dependency), element)
                elif dependency in member.own_systems and dependency != own_id:
                    _serving(model, _ident("own", member_id, dependency), element)
    definitions = ET.SubElement(root, _q("propertyDefinitions"))
    for ident, name, kind in _PROPERTIES:
        definition = ET.SubElement(
            definitions, _q("propertyDefinition"), identifier=ident, type=kind
        )
        _name(definition, name)
    _views(root, cooperation, model)
    for container in list(root):
        if (
            container.tag in (_q("relationships"), _q("views"))
            and not list(container.iter(_q("relationship")))
            and not list(container.iter(_q("view")))
        ):
            root.remove(container)  # the format wants no empty lists
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _views(root: ET.Element, cooperation: Cooperation, model: _Model) -> None:
    """One diagram per domain: its catalogue systems in a grid, the links among them."""
    views = ET.SubElement(ET.SubElement(root, _q("views")), _q("diagrams"))
    for domain_id, domain in sorted(cooperation.domains.items()):
        members = [
            _ident("system", s) for s, system in sorted(cooperation.systems.items())
            if system.domain == domain_id
        ]  # fmt: skip
        if not members:
            continue
        view = ET.SubElement(views, _q("view"), identifier=_ident("view", domain_id))
        view.set(f"{{{_XSI}}}type", "Diagram")
        _name(view, domain.name)
        nodes = _grid(view, domain_id, members)
        for ident, _kind, source, target in model.links:
            if source in nodes and target in nodes:
                connection = ET.SubElement(
                    view,
                    _q("connection"),
                    identifier=f"{ident}-in-{domain_id}",
                    relationshipRef=ident,
                    source=nodes[source],
                    target=nodes[target],
                )
                connection.set(f"{{{_XSI}}}type", "Relationship")


def _grid(view: ET.Element, domain_id: str, elements: Iterable[str]) -> dict[str, str]:
    """Place elements three to a row; the node identifier of each element."""
    nodes = {}
    for index, element in enumerate(elements):
        ident = f"{element}-in-{domain_id}"
        node = ET.SubElement(
            view,
            _q("node"),
            identifier=ident,
            elementRef=element,
            x=str(24 + (index % 3) * 200),
            y=str(24 + (index // 3) * 100),
            w="170",
            h="60",
        )
        node.set(f"{{{_XSI}}}type", "Element")
        nodes[element] = ident
    return nodes
