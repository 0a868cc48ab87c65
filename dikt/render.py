"""Turning result objects into text: tables, JSON, DOT, GraphML.

Nothing here computes: every figure comes from a result object. Nothing
here prints either; each function returns a string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from dikt.errors import Problem, Severity

if TYPE_CHECKING:
    import networkx as nx

    from dikt.graph import Impact

__all__ = [
    "findings_json",
    "findings_text",
    "graph_dot",
    "graph_graphml",
    "graph_json",
    "impact_json",
    "impact_text",
    "table",
    "to_json",
]


def to_json(data: Any) -> str:
    """JSON as dikt prints it: two-space indent, UTF-8 kept, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> str:
    """A plain-text table; columns whose index is in ``right`` are right-aligned.

    >>> print(table(["id", "users"], [["sande", "12"]], right=[1]))
    id     users
    -----  -----
    sande     12
    """
    body = [list(map(str, row)) for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    aligned = set(right)

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if index in aligned else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(row) for row in body]
    return "\n".join(out)


# -- check ------------------------------------------------------------------------


def findings_text(problems: Sequence[Problem]) -> str:
    """One line per finding, then a summary line."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    lines = [str(p) for p in problems]
    lines.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def findings_json(problems: Sequence[Problem]) -> str:
    """The findings as a JSON list of objects."""
    return to_json(
        {
            "errors": sum(1 for p in problems if p.severity is Severity.ERROR),
            "warnings": sum(1 for p in problems if p.severity is Severity.WARNING),
            "findings": [
                {
                    "file": p.file,
                    "path": p.path,
                    "line": p.line,
                    "column": p.column,
                    "code": p.code,
                    "severity": p.severity.value,
                    "message": p.message,
                }
                for p in problems
            ],
        }
    )


# -- impact -----------------------------------------------------------------------


def impact_text(result: Impact) -> str:
    """What depends on a system, for people."""
    mark = " [critical]" if result.critical else ""
    out = [
        (
            f"{result.system} {result.name}{mark}: "
            f"{_count(len(result.systems), 'system')} and "
            f"{_count(len(result.members), 'member')} depend on it."
        )
    ]
    if result.systems:
        out += [
            "",
            "Systems that depend on it (distance 1 = directly):",
            table(
                ["distance", "system", "name", "kind", "critical"],
                [
                    [str(s.distance), s.id, s.name, s.kind, "yes" if s.critical else ""]
                    for s in result.systems
                ],
                right=[0],
            ),
        ]
    if result.members:
        out += [
            "",
            "Members and the users behind them:",
            table(
                ["member", "status", "users", "systems hit (users)"],
                [
                    [
                        m.id,
                        "member" if m.is_member else "candidate",
                        str(m.users),
                        ", ".join(f"{s} ({n})" for s, n in m.systems.items()),
                    ]
                    for m in result.members
                ],
                right=[2],
            ),
        ]
    return "\n".join(out) + "\n"


def impact_json(result: Impact) -> str:
    """What depends on a system, as JSON."""
    return to_json(
        {
            "system": result.system,
            "name": result.name,
            "critical": result.critical,
            "systems": [
                {
                    "id": s.id,
                    "name": s.name,
                    "kind": s.kind,
                    "critical": s.critical,
                    "distance": s.distance,
                }
                for s in result.systems
            ],
            "members": [
                {
                    "id": m.id,
                    "name": m.name,
                    "status": "member" if m.is_member else "candidate",
                    "users": m.users,
                    "systems": dict(m.systems),
                }
                for m in result.members
            ],
        }
    )


# -- graph exports ----------------------------------------------------------------

_DOT_SHAPES = {"system": "box", "own-system": "box", "member": "ellipse", "domain": "folder"}
_DOT_EDGE_STYLES = {
    "depends-on": "solid",
    "uses": "dashed",
    "owns": "bold",
    "in-domain": "dotted",
}


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


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

    return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"


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
