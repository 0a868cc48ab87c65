"""The dependency graph as Graphviz DOT, GraphML and node-link JSON (see :mod:`dikt.exports`).

User text (names) is made safe for each format: DOT strings escaped with
control characters shown, GraphML without the characters XML 1.0 forbids
(NUL and the other C0 controls but tab and line breaks), JSON as JSON.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from dikt.findings import to_json
from dikt.writers._cells import visible

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["graph_dot", "graph_graphml", "graph_json", "xml_safe"]

#: Characters XML 1.0 does not allow in a document, even escaped.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` without what XML forbids, each such character shown escaped.

    >>> xml_safe("Sande\\x00\\x1b")
    'Sande\\\\x00\\\\x1b'
    """
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


_DOT_SHAPES = {"system": "box", "own-system": "box", "member": "ellipse", "domain": "folder"}
_DOT_EDGE_STYLES = {
    "depends-on": "solid",
    "uses": "dashed",
    "owns": "bold",
    "in-domain": "dotted",
}


def _dot_id(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, control characters shown."""
    return '"' + visible(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def graph_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT: systems as boxes (base packages filled, critical in red)."""
    out = [f"digraph {_dot_id(str(graph.graph.get('name', 'cooperation')))} {{"]
    out.append("  rankdir=LR;")
    out.append('  node [fontname="Helvetica"];')
    for node, data in graph.nodes(data=True):
        attributes = {
            "label": data["label"],
            "shape": _DOT_SHAPES[data["kind"]],
        }
        styles = []
        if data.get("package") == "base":
            styles.append("filled")
            attributes["fillcolor"] = "#dde8f5"
        if data["kind"] == "own-system":
            styles.append("dashed")
        if data.get("critical"):
            attributes["color"] = "#b00020"
            styles.append("bold")
        if styles:
            attributes["style"] = ",".join(styles)
        rendered = ", ".join(f"{k}={_dot_id(v)}" for k, v in attributes.items())
        out.append(f"  {_dot_id(node)} [{rendered}];")
    for source, target, data in graph.edges(data=True):
        attributes = {"style": _DOT_EDGE_STYLES[data["kind"]], "label": data["kind"]}
        if "users" in data:
            attributes["label"] = f"{data['kind']} ({data['users']})"
        rendered = ", ".join(f"{k}={_dot_id(str(v))}" for k, v in attributes.items())
        out.append(f"  {_dot_id(source)} -> {_dot_id(target)} [{rendered}];")
    out.append("}")
    return "\n".join(out) + "\n"


def graph_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML, for yEd, Gephi and other graph tools."""
    import networkx as nx  # noqa: PLC0415 - heavy; only when exporting

    safe = nx.MultiDiGraph(name=xml_safe(str(graph.graph.get("name", ""))))
    for node, data in graph.nodes(data=True):
        safe.add_node(xml_safe(node), **{k: _xml_value(v) for k, v in data.items()})
    for source, target, data in graph.edges(data=True):
        safe.add_edge(
            xml_safe(source), xml_safe(target), **{k: _xml_value(v) for k, v in data.items()}
        )
    return "\n".join(nx.generate_graphml(safe, prettyprint=True)) + "\n"


def _xml_value(value: Any) -> Any:
    return xml_safe(value) if isinstance(value, str) else value


def graph_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON: ``{"nodes": [...], "edges": [...]}``."""
    return to_json(
        {
            "name": graph.graph.get("name"),
            "nodes": [{"id": node, **data} for node, data in graph.nodes(data=True)],
            "edges": [
                {"source": source, "target": target, **data}
                for source, target, data in graph.edges(data=True)
            ],
        }
    )
