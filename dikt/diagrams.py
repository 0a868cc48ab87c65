"""SVG diagrams, drawn in pure Python so that documentation builds offline.

- :func:`dependency_svg`: the catalogue's dependency graph, in layers (base
  packages at the bottom, what depends on them above), critical systems
  outlined in red;
- :func:`contributions_svg`: each member's contribution as a bar stacked by
  kind of line.

Every text from a spec is escaped: a system named ``<script>`` is drawn as
those characters.
"""

from __future__ import annotations

from html import escape

from dikt.allocation import KIND_ORDER, Allocation, LineKind
from dikt.model import Cooperation, Package

__all__ = ["contributions_svg", "dependency_svg"]

_FONT = "font-family='Helvetica, Arial, sans-serif'"
_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 150, 44, 18, 70
_KIND_COLOURS = {
    LineKind.BASE: "#4c78a8",
    LineKind.APPLICATION: "#72b7b2",
    LineKind.OWN_SYSTEM: "#e45756",
    LineKind.CORE_INVESTMENT: "#f58518",
    LineKind.APPLICATION_INVESTMENT: "#eeca3b",
    LineKind.MEMBER_INVESTMENT: "#b279a2",
}


def _text(value: str, limit: int = 22) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return escape(shown, quote=True)


def _levels(cooperation: Cooperation) -> dict[str, int]:
    """Each system's layer: 0 without dependencies, else one above its highest."""
    systems = cooperation.systems
    levels: dict[str, int] = {}
    visiting: set[str] = set()

    def level(system_id: str) -> int:
        if system_id in levels:
            return levels[system_id]
        if system_id in visiting:  # a cycle (check reports it): cut it here
            return 0
        visiting.add(system_id)
        below = [level(d) for d in systems[system_id].depends_on if d in systems]
        visiting.discard(system_id)
        levels[system_id] = 1 + max(below) if below else 0
        return levels[system_id]

    for system_id in sorted(systems):
        level(system_id)
    return levels


def dependency_svg(cooperation: Cooperation) -> str:
    """The dependency graph of the catalogue as an SVG document."""
    systems = cooperation.systems
    levels = _levels(cooperation)
    top = max(levels.values(), default=0)
    rows: list[list[str]] = [[] for _ in range(top + 1)]
    for system_id in sorted(systems, key=lambda s: (systems[s].domain, s)):
        rows[levels[system_id]].append(system_id)
    position: dict[str, float] = {}
    # Order each layer by where its dependencies stand (barycentre), bottom up,
    # so that edges cross less; ties keep the domain order.
    for index, row in enumerate(rows):
        if index:

            def centre(system_id: str) -> float:
                below = [position[d] for d in systems[system_id].depends_on if d in position]
                return sum(below) / len(below) if below else float("inf")

            row.sort(key=centre)
        for slot, system_id in enumerate(row):
            position[system_id] = slot
    width = max(len(row) for row in rows) * (_BOX_W + _GAP_X) + _GAP_X if rows else 100
    height = len(rows) * (_BOX_H + _GAP_Y) + _GAP_Y
    where: dict[str, tuple[float, float]] = {}
    for index, row in enumerate(rows):
        offset = (width - len(row) * (_BOX_W + _GAP_X) + _GAP_X) / 2
        row_y = float(height - (index + 1) * (_BOX_H + _GAP_Y))
        for slot, system_id in enumerate(row):
            where[system_id] = (offset + slot * (_BOX_W + _GAP_X), row_y)
    out = [
        (
            f"<svg xmlns='http://www.w3.org/2000/svg' class='dikt-graph' role='img' "
            f"viewBox='0 0 {width:.0f} {height:.0f}' width='100%' {_FONT}>"
        ),
        f"<title>{escape(cooperation.name)}: system dependencies</title>",
        (
            "<defs><marker id='dikt-arrow' viewBox='0 0 10 10' refX='10' refY='5' "
            "markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
            "<path d='M 0 0 L 10 5 L 0 10 z' fill='#888'/></marker></defs>"
        ),
    ]
    for system_id in sorted(systems):
        x, y = where[system_id]
        for dependency in systems[system_id].depends_on:
            if dependency not in where:
                continue
            dx, dy = where[dependency]
            out.append(
                f"<line x1='{x + _BOX_W / 2:.1f}' y1='{y + _BOX_H:.1f}' "
                f"x2='{dx + _BOX_W / 2:.1f}' y2='{dy:.1f}' stroke='#aaa' stroke-width='1' "
                "marker-end='url(#dikt-arrow)'/>"
            )
    for system_id in sorted(systems):
        system = systems[system_id]
        x, y = where[system_id]
        fill = "#dde8f5" if system.package is Package.BASE else "#ffffff"
        stroke = "#b00020" if system.critical else "#555"
        stroke_width = 2.5 if system.critical else 1
        out.append(
            f"<g class='dikt-node'><title>{escape(system_id)} {escape(system.name)}"
            f" ({system.package.value}{', critical' if system.critical else ''})</title>"
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{_BOX_W}' height='{_BOX_H}' rx='5' "
            f"fill='{fill}' stroke='{stroke}' stroke-width='{stroke_width}'/>"
            f"<text x='{x + _BOX_W / 2:.1f}' y='{y + 18:.1f}' text-anchor='middle' "
            f"font-size='13' font-weight='bold'>{_text(system_id)}</text>"
            f"<text x='{x + _BOX_W / 2:.1f}' y='{y + 35:.1f}' text-anchor='middle' "
            f"font-size='11'>{_text(system.name)}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def contributions_svg(allocation: Allocation) -> str:
    """Each member's contribution as a horizontal bar, stacked by kind of line."""
    members = allocation.members
    label_w, bar_h, gap, chart_w = 110.0, 26, 12, 620
    largest = max((m.total.ore for m in members), default=0) or 1
    legend_h = 30
    height = legend_h + len(members) * (bar_h + gap) + gap
    width = label_w + chart_w + 140
    out = [
        (
            f"<svg xmlns='http://www.w3.org/2000/svg' class='dikt-chart' role='img' "
            f"viewBox='0 0 {width} {height}' width='100%' {_FONT}>"
        ),
        f"<title>{escape(allocation.name)}: owner contributions {allocation.year}</title>",
    ]
    x = label_w
    for kind in KIND_ORDER:
        out.append(
            f"<rect x='{x}' y='8' width='12' height='12' fill='{_KIND_COLOURS[kind]}'/>"
            f"<text x='{x + 16}' y='18' font-size='11'>{escape(kind.value)}</text>"
        )
        x += 16 + 7 * len(kind.value) + 14
    for row, member in enumerate(members):
        y = legend_h + gap + row * (bar_h + gap)
        out.append(
            f"<text x='{label_w - 8}' y='{y + bar_h * 0.68:.1f}' text-anchor='end' "
            f"font-size='13'>{_text(member.id, 16)}</text>"
        )
        left = float(label_w)
        for kind, amount in member.by_kind().items():
            if not amount:
                continue
            share = chart_w * amount.ore / largest
            out.append(
                f"<rect x='{left:.1f}' y='{y}' width='{share:.1f}' height='{bar_h}' "
                f"fill='{_KIND_COLOURS[kind]}'><title>{escape(member.id)}, "
                f"{escape(kind.value)}: {amount.format(allocation.currency)}</title></rect>"
            )
            left += share
        out.append(
            f"<text x='{left + 6:.1f}' y='{y + bar_h * 0.68:.1f}' font-size='12'>"
            f"{escape(member.total.format(allocation.currency))}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
