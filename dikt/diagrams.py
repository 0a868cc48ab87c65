"""SVG diagrams, drawn in pure Python so that documentation builds offline.

- :func:`dependency_svg`: the catalogue's dependency graph, in layers (base
  packages at the bottom, what depends on them above), critical systems
  outlined in red;
- :func:`contributions_svg`: each member's contribution as a bar stacked by
  kind of line;
- :func:`bar_chart_svg`: horizontal bars, side by side or stacked, for the
  joining report's charts.

Every text from a spec is escaped: a system named ``<script>`` is drawn as
those characters.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from dikt._values import visible
from dikt.allocation import KIND_ORDER, Allocation, LineKind
from dikt.i18n import texts
from dikt.model import Cooperation, Package
from dikt.naming import short_name

__all__ = ["CHART_WIDTH", "bar_chart_svg", "contributions_svg", "dependency_svg"]


def escape(text: str, quote: bool = True) -> str:
    """Text for SVG: markup escaped, control characters shown (XML cannot hold them)."""
    return html.escape(visible(text), quote=quote)


#: The longest label a chart draws whole (a line of the chart); longer ones end in "…".
_LABEL_CHARS = 48


def _label(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1].rstrip() + "…"


_FONT = "font-family='Helvetica, Arial, sans-serif'"
_KIND_COLOURS = {
    LineKind.BASE: "#4c78a8",
    LineKind.APPLICATION: "#72b7b2",
    LineKind.OWN_SYSTEM: "#e45756",
    LineKind.CORE_INVESTMENT: "#f58518",
    LineKind.APPLICATION_INVESTMENT: "#eeca3b",
    LineKind.MEMBER_INVESTMENT: "#b279a2",
    LineKind.OBLIGATION: "#9d755d",
}

# The dependency diagram: base packages in a column on the left, applications
# on the right, each column ordered by domain. An application's dependencies
# on base packages are curves through the empty middle; dependencies within a
# column are arcs on its outer side. No line passes through a box, and the
# drawing is as narrow as a page's column, so its text stays legible.
_BOX_W, _BOX_H, _ROW, _MIDDLE, _ARC = 196, 40, 50, 250, 64
_FONT_SIZE = 12
#: The smallest text a diagram may be shrunk to, in pixels.
_SMALLEST_TEXT = 10
_CHARS = 28  #: what fits in a box at _FONT_SIZE; longer names take a second line


def _lines(name: str) -> list[str]:
    """A name in one line, or two split at a space, never cut."""
    if len(name) <= _CHARS or " " not in name:
        return [name]
    cut = name.rfind(" ", 0, _CHARS + 1)
    cut = cut if cut > 0 else name.find(" ")
    return [name[:cut], name[cut + 1 :]]


def dependency_svg(cooperation: Cooperation) -> str:
    """The dependency graph of the catalogue as an SVG document."""
    systems = cooperation.systems
    columns: dict[Package, list[str]] = {Package.BASE: [], Package.APPLICATION: []}
    for system_id in sorted(systems, key=lambda s: (systems[s].domain, s)):
        columns[systems[system_id].package].append(system_id)
    left_x, right_x = _ARC, _ARC + _BOX_W + _MIDDLE
    width = right_x + _BOX_W + _ARC
    rows = max(len(c) for c in columns.values()) if systems else 1
    height = rows * _ROW + 30
    where: dict[str, tuple[float, float]] = {}
    for package, x in ((Package.BASE, left_x), (Package.APPLICATION, right_x)):
        column = columns[package]
        top = (height - len(column) * _ROW) / 2 + (_ROW - _BOX_H) / 2
        for index, system_id in enumerate(column):
            where[system_id] = (float(x), top + index * _ROW)
    out = [
        (
            f"<svg xmlns='http://www.w3.org/2000/svg' class='dikt-graph' role='img' "
            f"viewBox='0 0 {width} {height:.0f}' width='{width}' "
            # Shrunk to a phone's column, its text would be 5 pixels: it scrolls instead.
            f"style='min-width: {width * _SMALLEST_TEXT / _FONT_SIZE:.0f}px' {_FONT}>"
        ),
        f"<title>{escape(cooperation.name)}: system dependencies</title>",
        (
            "<defs><marker id='dikt-arrow' viewBox='0 0 10 10' refX='10' refY='5' "
            "markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
            "<path d='M 0 0 L 10 5 L 0 10 z' fill='#888'/></marker></defs>"
        ),
        _heading(left_x, "base packages"),
        _heading(right_x, "applications"),
    ]
    for system_id in sorted(systems):
        for dependency in systems[system_id].depends_on:
            if dependency in where and dependency != system_id:
                out.append(
                    _edge(
                        systems[system_id].package,
                        where[system_id],
                        systems[dependency].package,
                        where[dependency],
                    )
                )
    for system_id in sorted(systems):
        out.append(_box(system_id, cooperation, where[system_id]))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _heading(x: float, text: str) -> str:
    return (
        f"<text x='{x + _BOX_W / 2}' y='16' text-anchor='middle' font-size='{_FONT_SIZE}' "
        f"font-weight='bold'>{text}</text>"
    )


def _edge(
    package: Package, start: tuple[float, float], target: Package, end: tuple[float, float]
) -> str:
    """A dependency as a curve that stays out of every box."""
    (x1, y1), (x2, y2) = start, end
    y1, y2 = y1 + _BOX_H / 2, y2 + _BOX_H / 2
    if package is not target:  # application -> base package, through the middle
        a, b = x1, x2 + _BOX_W
        middle = _MIDDLE / 2
        path = (
            f"M {a:.1f} {y1:.1f} C {a - middle:.1f} {y1:.1f} {b + middle:.1f} {y2:.1f} "
            f"{b:.1f} {y2:.1f}"
        )
    elif package is Package.BASE:  # within the left column: an arc on its left
        bend = x1 - _ARC * 0.9
        path = f"M {x1:.1f} {y1:.1f} C {bend:.1f} {y1:.1f} {bend:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"
    else:  # within the right column: an arc on its right
        a = x1 + _BOX_W
        bend = a + _ARC * 0.9
        path = f"M {a:.1f} {y1:.1f} C {bend:.1f} {y1:.1f} {bend:.1f} {y2:.1f} {a:.1f} {y2:.1f}"
    return (
        f"<path d='{path}' fill='none' stroke='#aaa' stroke-width='1' "
        "marker-end='url(#dikt-arrow)'/>"
    )


def _box(system_id: str, cooperation: Cooperation, at: tuple[float, float]) -> str:
    system = cooperation.systems[system_id]
    x, y = at
    fill = "#dde8f5" if system.package is Package.BASE else "#ffffff"
    stroke = "#b00020" if system.critical else "#555"
    stroke_width = 2.5 if system.critical else 1
    lines = _lines(f"{system_id} {system.name}")
    first = y + _BOX_H / 2 + (4 if len(lines) == 1 else -3)
    texts = "".join(
        f"<text x='{x + 8:.1f}' y='{first + index * 14:.1f}' font-size='{_FONT_SIZE}'>"
        f"{escape(line, quote=True)}</text>"
        for index, line in enumerate(lines)
    )
    return (
        f"<g class='dikt-node'><title>{escape(system_id)} {escape(system.name)}"
        f" ({system.package.value}{', critical' if system.critical else ''})</title>"
        f"<rect x='{x:.1f}' y='{y:.1f}' width='{_BOX_W}' height='{_BOX_H}' rx='5' "
        f"fill='{fill}' stroke='{stroke}' stroke-width='{stroke_width}'/>{texts}</g>"
    )


#: A chart's width in its own units. Charts are drawn narrow, each label on a line
#: above its bars, so that on a phone (a column of some 350 pixels) they shrink
#: little: their smallest text (_VALUE_SIZE) stays above 10 pixels. They are never
#: drawn wider than this in pixels, so on a wide screen they read at their sizes.
CHART_WIDTH = 420
_LABEL_SIZE, _VALUE_SIZE = 14, 13
_MARGIN = 8.0
#: The width of a character of a value ("1 234 567,89 kr") in ems, generously.
_EM = 0.6


def _value_room(values: Sequence[str]) -> float:
    """Room after the longest bar for the longest value written after it."""
    return max((len(value) for value in values), default=0) * _VALUE_SIZE * _EM + 2 * _MARGIN


def contributions_svg(allocation: Allocation, language: str = "en") -> str:
    """Each member's contribution as a horizontal bar, stacked by kind of line."""
    words = texts(language)
    members = allocation.members
    bar_h, gap = 22, 12
    totals = [words.amount(member.total, allocation.currency) for member in members]
    chart_w = CHART_WIDTH - _MARGIN - _value_room(totals)
    largest = max((m.total.ore for m in members), default=0) or 1
    legend, legend_h = _legend(
        [
            (words.term(kind), _KIND_COLOURS[kind])
            for kind in KIND_ORDER
            # Only a member that has left pays obligations: shown when one does.
            if kind is not LineKind.OBLIGATION or allocation.by_kind()[kind]
        ],
        CHART_WIDTH,
    )
    row_h = _LABEL_SIZE + 6 + bar_h + gap
    height = legend_h + len(members) * row_h + gap
    title = words._("{name}: owner contributions {year}").format(
        name=allocation.name, year=allocation.year
    )
    out = [*_svg_start(CHART_WIDTH, height, title), *legend]
    for row, (member, total) in enumerate(zip(members, totals, strict=True)):
        y = legend_h + gap + row * row_h
        bar_y = y + _LABEL_SIZE + 6
        out.append(
            f"<text x='{_MARGIN}' y='{y + _LABEL_SIZE - 2}' font-size='{_LABEL_SIZE}'>"
            f"{escape(_label(short_name(member.name)))}</text>"
        )
        left = _MARGIN
        for kind, amount in member.by_kind().items():
            if not amount:
                continue
            share = chart_w * amount.ore / largest
            out.append(
                f"<rect x='{left:.1f}' y='{bar_y}' width='{share:.1f}' height='{bar_h}' "
                f"fill='{_KIND_COLOURS[kind]}'><title>{escape(short_name(member.name))}, "
                f"{escape(words.term(kind))}: {escape(words.amount(amount, allocation.currency))}"
                "</title></rect>"
            )
            left += share
        out.append(
            f"<text x='{left + 6:.1f}' y='{bar_y + bar_h * 0.7:.1f}' font-size='{_VALUE_SIZE}'>"
            f"{escape(total)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


#: Colours of a bar chart's series, in order.
_SERIES_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948")


def bar_chart_svg(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    shown: Callable[[int], str],
    *,
    stacked: bool = False,
) -> str:
    """Horizontal bars, each label on a line above its bars: each series side by
    side (one bar under the other), or stacked.

    ``series`` are (name, a value per label); ``shown`` writes a value (or a
    stacked total) at the end of its bar. Values are whole numbers (øre,
    units) and never negative.
    """
    bar_h, gap = 18, 10
    per_row = 1 if stacked else len(series)
    count = range(len(labels))
    ends = [sum(v[i] for _, v in series) for i in count] if stacked else []
    written = (
        [shown(v) for v in ends] if stacked else [shown(v[i]) for _, v in series for i in count]
    )
    chart_w = CHART_WIDTH - _MARGIN - _value_room(written)
    largest = max(ends if stacked else [v[i] for _, v in series for i in count], default=0) or 1
    row_h = _LABEL_SIZE + 6 + per_row * bar_h + gap
    colours = [_SERIES_COLOURS[i % len(_SERIES_COLOURS)] for i in range(len(series))]
    entries = [(name, colour) for (name, _), colour in zip(series, colours, strict=True)]
    legend, top = _legend(entries, CHART_WIDTH)
    height = top + len(labels) * row_h + gap
    out = [*_svg_start(CHART_WIDTH, height, title), *legend]
    for row, label in enumerate(labels):
        y = top + gap + row * row_h
        out.append(
            f"<text x='{_MARGIN}' y='{y + _LABEL_SIZE - 2}' font-size='{_LABEL_SIZE}'>"
            f"{escape(_label(label))}</text>"
        )
        y += _LABEL_SIZE + 6
        left = _MARGIN
        for index, (_name, values) in enumerate(series):
            value = values[row]
            length = chart_w * value / largest
            bar_y = y if stacked else y + index * bar_h
            x0 = left if stacked else _MARGIN
            out.append(
                f"<rect x='{x0:.1f}' y='{bar_y}' width='{length:.1f}' height='{bar_h - 2}' "
                f"fill='{colours[index]}'><title>{escape(label)}: {escape(shown(value))}</title>"
                "</rect>"
            )
            if stacked:
                left += length
            else:
                out.append(
                    f"<text x='{x0 + length + 5:.1f}' y='{bar_y + bar_h - 5}' "
                    f"font-size='{_VALUE_SIZE}'>{escape(shown(value))}</text>"
                )
        if stacked:
            out.append(
                f"<text x='{left + 5:.1f}' y='{y + bar_h - 5}' font-size='{_VALUE_SIZE}'>"
                f"{escape(shown(ends[row]))}</text>"
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_start(width: float, height: float, title: str) -> list[str]:
    """A chart's opening tag and its title (what screen readers announce): as wide
    as its column, up to its own width."""
    return [
        (
            f"<svg xmlns='http://www.w3.org/2000/svg' class='dikt-chart' role='img' "
            f"viewBox='0 0 {width} {height}' width='100%' style='max-width: {width}px' "
            f"{_FONT}>"
        ),
        f"<title>{escape(title)}</title>",
    ]


def _legend(entries: Sequence[tuple[str, str]], width: float) -> tuple[list[str], float]:
    """A legend of (name, colour) filling lines of ``width``; its drawing and its height."""
    out: list[str] = []
    x, line = 10.0, 0
    for name, colour in entries:
        size = 16 + _VALUE_SIZE * _EM * len(name) + 14
        if x + size > width and x > 10:
            x, line = 10.0, line + 1
        y = 8 + 22 * line
        out.append(
            f"<rect x='{x:.1f}' y='{y}' width='12' height='12' fill='{colour}'/>"
            f"<text x='{x + 16:.1f}' y='{y + 10}' font-size='{_VALUE_SIZE}'>{escape(name)}</text>"
        )
        x += size
    return out, 30 + 22 * line
