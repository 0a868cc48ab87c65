"""dikt's Sphinx extension: directives that render a cooperation spec.

Add ``"dikt.sphinxext"`` to ``extensions`` in ``conf.py``; then, in reST or
MyST pages, each directive takes a spec path (relative to the page, or to the
source directory when it starts with ``/``)::

    .. dikt-allocation:: ../specs/d-ikt
       :member: sande

Directives: ``dikt-check``, ``dikt-allocation`` (``:member:``, ``:year:``),
``dikt-chart`` (``:year:``), ``dikt-prices``, ``dikt-matrix``, ``dikt-gaps``
(``:member:``), ``dikt-roadmap`` (``:member:``), ``dikt-join``
(``:candidate:``, ``:year:``, ``:thin-clients:``), ``dikt-plan``
(``:years:``, ``:growth:``), ``dikt-graph``, and ``dikt-spec-reference``
(no argument: every key of the format, from the model).

Tables are docutils nodes, so every builder gets them and every text is
escaped; diagrams are SVG drawn by :mod:`dikt.diagrams`. A page is rebuilt
when a file of a spec it renders changes. A spec that does not load, or an
analysis that cannot compute, is a build warning naming the problems.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

try:
    from docutils import nodes
    from docutils.parsers.rst import directives
    from sphinx.application import Sphinx
    from sphinx.util import logging
    from sphinx.util.docutils import SphinxDirective
except ImportError as error:  # pragma: no cover - depends on what is installed
    raise ImportError(
        "dikt.sphinxext is a Sphinx extension and needs Sphinx: pip install 'dikt[docs]'"
    ) from error

import dikt
from dikt import render
from dikt._limits import MAX_GROWTH_PERCENT, MAX_PERCENT_PLACES
from dikt.allocation import allocate, unit_prices
from dikt.checks import check
from dikt.diagrams import contributions_svg, dependency_svg
from dikt.economic_plan import plan
from dikt.errors import DiktError, SpecError
from dikt.harmonisation import gaps, matrix, roadmap
from dikt.joining import join
from dikt.model import Cooperation, ThinClients
from dikt.money import parse_percent
from dikt.schema import reference

__all__ = ["setup"]

logger = logging.getLogger(__name__)

Rows = Sequence[Sequence[str]]


def table_node(content: render.Grid, classes: Sequence[str] = ()) -> nodes.table:
    """A docutils table of a grid: text cells (escaped by every writer), numbers right."""
    table = nodes.table(classes=["dikt-table", *classes])
    group = nodes.tgroup(cols=len(content.headers))
    table += group
    for _ in content.headers:
        group += nodes.colspec(colwidth=1)

    def row_node(cells: Sequence[str], header: bool = False) -> nodes.row:
        row = nodes.row()
        for index, cell in enumerate(cells):
            numeric = index in content.right and not header
            entry = nodes.entry(classes=["dikt-num"] if numeric else [])
            entry += nodes.paragraph(text=cell)
            row += entry
        return row

    head = nodes.thead()
    head += row_node(content.headers, header=True)
    group += head
    body = nodes.tbody()
    for cells in content.rows:
        body += row_node(cells)
    group += body
    return table


def _paragraphs(lines: Sequence[str]) -> list[nodes.Node]:
    return [nodes.paragraph(text=line) for line in lines]


class _SpecDirective(SphinxDirective):
    """A directive that renders something of a spec given as its argument."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {}

    def spec(self) -> Cooperation:
        _relative, absolute = self.env.relfn2path(self.arguments[0], self.env.docname)
        root = Path(absolute)
        directory = root if root.is_dir() else root.parent
        for path in dikt.spec_files(directory):
            self.env.note_dependency(str(path))
        return dikt.load(root)

    def run(self) -> list[nodes.Node]:
        try:
            return self.render(self.spec())
        except SpecError as error:
            problems = "; ".join(str(p) for p in error.problems)
            message = f"{self.name}: the spec {self.arguments[0]} cannot be read: {problems}"
        except DiktError as error:
            message = f"{self.name}: {error}"
        logger.warning(message, location=self.get_location())
        return [nodes.error("", nodes.paragraph(text=message))]

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        raise NotImplementedError  # pragma: no cover - every directive renders

    def year(self) -> int | None:
        value = self.options.get("year")
        return int(value) if value is not None else None


def _raw_svg(svg: str, classes: str) -> nodes.raw:
    return nodes.raw("", f"<div class='{classes}'>{svg}</div>", format="html")


class CheckDirective(_SpecDirective):
    """The findings of ``dikt check`` as a table."""

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        found = check(cooperation)
        if not found:
            return [nodes.paragraph(text="No findings: the spec is sound.")]
        return [table_node(render.findings_grid(found))]


class AllocationDirective(_SpecDirective):
    """Owner contributions: totals by kind and member, or one member's lines."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = allocate(cooperation, self.year())
        member = self.options.get("member")
        if member:
            lines = render.allocation_lines_grid(result.member(member))
            return [table_node(lines, classes=["dikt-allocation"])]
        table = table_node(render.allocation_kinds_grid(result), classes=["dikt-allocation"])
        table.insert(0, nodes.title(text=f"Owner contributions {result.year} ({result.currency})"))
        return [table]


class ChartDirective(_SpecDirective):
    """Each member's contribution as a bar stacked by kind (SVG)."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"year": directives.positive_int}

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        return [_raw_svg(contributions_svg(allocate(cooperation, self.year())), "dikt-chart")]


class PricesDirective(_SpecDirective):
    """Unit prices per catalogue system."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"year": directives.positive_int}

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        prices = unit_prices(allocate(cooperation, self.year()))
        return [table_node(render.prices_grid(prices), classes=["dikt-prices"])]


class MatrixDirective(_SpecDirective):
    """Domains by members: the systems each runs, deviating ones in brackets."""

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = matrix(cooperation)
        return [
            table_node(render.matrix_grid(result), classes=["dikt-matrix"]),
            nodes.paragraph(text=render.MATRIX_LEGEND),
        ]


class GapsDirective(_SpecDirective):
    """A member's harmonisation gaps per domain, and its harmonised shares."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = gaps(cooperation, self.options["member"], self.year())
        return [
            table_node(render.gaps_grid(result), classes=["dikt-gaps"]),
            *_paragraphs(render.gaps_summary(result)),
        ]


class RoadmapDirective(_SpecDirective):
    """A member's harmonisation roadmap."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = roadmap(cooperation, self.options["member"], self.year())
        return [
            table_node(render.roadmap_grid(result), classes=["dikt-roadmap"]),
            *_paragraphs(render.roadmap_notes(result)),
        ]


def _thin_clients(value: str) -> str:
    return str(directives.choice(value, ("keep", "replace")))


class JoinDirective(_SpecDirective):
    """The onboarding estimate of a candidate and the what-if for the members."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "candidate": directives.unchanged_required,
        "year": directives.positive_int,
        "thin-clients": _thin_clients,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        choice = self.options.get("thin-clients")
        result = join(
            cooperation,
            self.options["candidate"],
            self.year(),
            ThinClients(choice) if choice else None,
        )
        return [
            nodes.paragraph(
                text=f"One-time costs of joining, implemented in {result.year} ({result.currency}):"
            ),
            table_node(render.join_costs_grid(result), classes=["dikt-join"]),
            nodes.paragraph(text=render.join_annual_text(result)),
            nodes.paragraph(
                text=f"Contributions of the budget year {result.budget_year}, without and with "
                f"{result.candidate}:"
            ),
            table_node(render.join_members_grid(result)),
        ]


def _percent(value: str) -> Fraction:
    """The ``:growth:`` option: percent a year, read as the command line reads it."""
    return parse_percent(value, -100, MAX_GROWTH_PERCENT, low_open=True, places=MAX_PERCENT_PLACES)


class PlanDirective(_SpecDirective):
    """The economic plan: totals per member and year, then each year's detail."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "years": directives.positive_int,
        "growth": _percent,
        "from": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = plan(
            cooperation,
            self.options.get("from"),
            self.options.get("years", 4),
            self.options.get("growth", Fraction(0)),
        )
        out: list[nodes.Node] = [table_node(render.plan_totals_grid(result), ["dikt-plan"])]
        for year in result.years:
            out.append(nodes.rubric(text=str(year.year)))
            out.append(table_node(render.plan_year_grid(year)))
        return out


class GraphDirective(_SpecDirective):
    """The catalogue's dependency graph as an SVG diagram."""

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        return [_raw_svg(dependency_svg(cooperation), "dikt-graph")]


class SpecReferenceDirective(SphinxDirective):
    """Every table and key of the spec format, generated from the model."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for table in reference():
            out.append(nodes.rubric(text=f"{table.file}: {table.table}"))
            out.append(nodes.paragraph(text=table.doc))
            rows = [
                [k.key, k.kind, "required" if k.default is None else k.default, k.doc]
                for k in table.keys
            ]
            out.append(table_node(render.grid(["key", "type", "default", "meaning"], rows)))
        return out


_CSS = """
table.dikt-table td.dikt-num { text-align: right; white-space: nowrap; }
.dikt-graph svg, .dikt-chart svg { max-width: 100%; height: auto; }
"""


def _add_css(app: Sphinx) -> None:
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "dikt.css").write_text(_CSS, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register dikt's directives with Sphinx."""
    for name, directive in {
        "dikt-check": CheckDirective,
        "dikt-allocation": AllocationDirective,
        "dikt-chart": ChartDirective,
        "dikt-prices": PricesDirective,
        "dikt-matrix": MatrixDirective,
        "dikt-gaps": GapsDirective,
        "dikt-roadmap": RoadmapDirective,
        "dikt-join": JoinDirective,
        "dikt-plan": PlanDirective,
        "dikt-graph": GraphDirective,
        "dikt-spec-reference": SpecReferenceDirective,
    }.items():
        app.add_directive(name, directive)
    app.connect("builder-inited", _add_css)
    app.add_css_file("dikt.css")
    from dikt import __version__  # noqa: PLC0415

    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
