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
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from dikt import render
from dikt._load import load
from dikt.allocation import KIND_ORDER, allocate, unit_prices
from dikt.checks import check
from dikt.diagrams import contributions_svg, dependency_svg
from dikt.errors import DiktError, SpecError
from dikt.harmonisation import gaps, matrix, roadmap
from dikt.joining import join
from dikt.model import Category, Cooperation, ThinClients
from dikt.money import Money, fraction_text, round_ore
from dikt.plan import plan
from dikt.schema import reference

__all__ = ["setup"]

logger = logging.getLogger(__name__)

Rows = Sequence[Sequence[str]]


def table_node(
    headers: Sequence[str], rows: Rows, right: Sequence[int] = (), classes: Sequence[str] = ()
) -> nodes.table:
    """A docutils table: text cells (escaped by every writer), numbers aligned right."""
    table = nodes.table(classes=["dikt-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)

    def row_node(cells: Sequence[str], header: bool = False) -> nodes.row:
        row = nodes.row()
        for index, cell in enumerate(cells):
            entry = nodes.entry(classes=["dikt-num"] if index in right and not header else [])
            entry += nodes.paragraph(text=str(cell))
            row += entry
        return row

    head = nodes.thead()
    head += row_node(headers, header=True)
    group += head
    body = nodes.tbody()
    for cells in rows:
        body += row_node(cells)
    group += body
    return table


def _amount(money: Money) -> str:
    return money.format()


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
        for path in [
            directory / "cooperation.toml",
            *sorted((directory / "members").glob("*.toml")),
        ]:
            self.env.note_dependency(str(path))
        return load(root)

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
        rows = [[p.file, p.path, p.code or "", p.message] for p in found]
        return [table_node(["file", "key", "code", "message"], rows)]


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
            lines = result.member(member).lines
            rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
            ordered = sorted(lines, key=lambda x: (rank[x.kind], x.item))
            rows = [
                [
                    x.kind.value,
                    x.item,
                    x.split.name,
                    x.split.key,
                    fraction_text(x.quantity),
                    fraction_text(x.split.basis),
                    _amount(x.amount),
                ]
                for x in ordered
            ]
            rows.append(["total", "", "", "", "", "", _amount(result.member(member).total)])
            headers = ["kind", "item", "name", "key", "quantity", "basis", "amount"]
            return [table_node(headers, rows, right=[4, 5, 6], classes=["dikt-allocation"])]
        headers = ["kind", *(m.id for m in result.members), "total"]
        rows = []
        totals = result.by_kind()
        for kind in KIND_ORDER:
            if not totals[kind]:
                continue
            rows.append(
                [
                    kind.value,
                    *(_amount(m.by_kind()[kind]) for m in result.members),
                    _amount(totals[kind]),
                ]
            )
        rows.append(["total", *(_amount(m.total) for m in result.members), _amount(result.total)])
        caption = f"Owner contributions {result.year} ({result.currency})"
        table = table_node(headers, rows, right=range(1, len(headers)), classes=["dikt-allocation"])
        title = nodes.title(text=caption)
        table.insert(0, title)
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
        rows = [
            [
                p.system,
                p.name,
                p.package.value,
                p.key,
                _amount(p.annual_cost),
                fraction_text(p.basis),
                _amount(round_ore(p.per_unit)) if p.per_unit is not None else "",
                ", ".join(p.participants),
            ]
            for p in prices
        ]
        headers = [
            "system",
            "name",
            "package",
            "key",
            "annual cost",
            "basis",
            "per unit",
            "participants",
        ]
        return [table_node(headers, rows, right=[4, 5, 6])]


class MatrixDirective(_SpecDirective):
    """Domains by members: the systems each runs, deviating ones in brackets."""

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = matrix(cooperation)
        headers, rows = (
            [
                "domain",
                *(f"{m} (candidate)" if m in result.candidates else m for m in result.members),
            ],
            [
                [
                    row.domain,
                    *(
                        ", ".join(s.id if s.standard else f"[{s.id}]" for s in gap.systems) or "-"
                        if (gap := row.cells.get(m)) is not None
                        else "-"
                        for m in result.members
                    ),
                ]
                for row in result.rows
            ],
        )
        legend = nodes.paragraph(
            text="Standard systems plain, [deviating] ones (own or non-standard) in brackets."
        )
        return [table_node(headers, rows, classes=["dikt-matrix"]), legend]


class GapsDirective(_SpecDirective):
    """A member's harmonisation gaps per domain, and its harmonised shares."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = gaps(cooperation, self.options["member"], self.year())
        rows = [
            [
                d.domain,
                d.status.value,
                ", ".join(s.id if s.standard else f"[{s.id}]" for s in d.systems) or "-",
                ", ".join(d.standard) or "-",
                _amount(d.cost_alone) if d.cost_alone else "",
            ]
            for d in result.domains
        ]
        headers = ["domain", "status", "runs ([deviating])", "standard", "paid alone"]
        summary = render.gaps_table(result).rstrip("\n").splitlines()[-2:]
        return [
            table_node(headers, rows, right=[4], classes=["dikt-gaps"]),
            *(nodes.paragraph(text=line) for line in summary),
        ]


class RoadmapDirective(_SpecDirective):
    """A member's harmonisation roadmap."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = roadmap(cooperation, self.options["member"], self.year())
        rows = [
            [
                str(index),
                f"{s.system} {s.name}",
                s.domain,
                f"{s.target} {s.target_name}" if s.target else "(no standard system)",
                s.natural_time.isoformat() if s.natural_time else "",
                _amount(s.pays_today),
                _amount(s.effect) if s.effect is not None else "",
            ]
            for index, s in enumerate(result.steps, start=1)
        ]
        headers = [
            "#",
            "system",
            "domain",
            "move to",
            "natural time",
            "pays today",
            "effect a year",
        ]
        notes = render.roadmap_table(result).rstrip("\n").splitlines()
        notes = [
            n for n in notes if n.startswith(("Contribution today", "Each step", "Dependency"))
        ]
        return [
            table_node(headers, rows, right=[0, 5, 6], classes=["dikt-roadmap"]),
            *(nodes.paragraph(text=n) for n in notes),
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
        one_time = [
            [
                i.category.value,
                i.item,
                f"{i.quantity} {i.unit}",
                _amount(i.unit_price),
                _amount(i.amount),
                i.rule,
            ]
            for i in result.one_time
        ]
        one_time.append(["total", "", "", "", _amount(result.one_time_total), ""])
        effects = [
            [m.id, _amount(m.before), _amount(m.after), _amount(m.change)] for m in result.members
        ]
        effects.append(
            [result.candidate, "0.00", _amount(result.annual.total), _amount(result.annual.total)]
        )
        effects.append(
            [
                "total",
                _amount(result.total_before),
                _amount(result.total_after),
                _amount(result.total_after - result.total_before),
            ]
        )
        return [
            nodes.paragraph(
                text=f"One-time costs of joining, implemented in {result.year} ({result.currency}):"
            ),
            table_node(
                ["category", "item", "quantity", "unit price", "amount", "rule"],
                one_time,
                right=[2, 3, 4],
                classes=["dikt-join"],
            ),
            nodes.paragraph(
                text=f"Contributions of the budget year {result.budget_year}, without and with "
                f"{result.candidate}:"
            ),
            table_node(["member", "before", "after", "change"], effects, right=[1, 2, 3]),
        ]


def _percent(value: str) -> Fraction:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number of percent") from None
    return Fraction(number) / 100


class PlanDirective(_SpecDirective):
    """The economic plan: totals per member and year."""

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
        headers = ["member", *(str(y.year) for y in result.years)]
        rows = []
        for member in result.members:
            cells = []
            for year in result.years:
                cell = next((c for c in year.cells if c.member == member), None)
                cells.append(_amount(cell.total) if cell else "")
            rows.append([member, *cells])
        rows.append(["total", *(_amount(y.total) for y in result.years)])
        details = []
        for year in result.years:
            for cell in year.cells:
                details.append(
                    [
                        str(year.year),
                        cell.member,
                        _amount(cell.operating),
                        _amount(Money.sum(cell.investments[c] for c in Category)),
                        _amount(cell.fleet_renewal),
                        _amount(cell.joining),
                        _amount(cell.total),
                    ]
                )
        return [
            table_node(headers, rows, right=range(1, len(headers)), classes=["dikt-plan"]),
            table_node(
                ["year", "member", "operating", "investments", "fleet renewal", "joining", "total"],
                details,
                right=[2, 3, 4, 5, 6],
            ),
        ]


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
            out.append(table_node(["key", "type", "default", "meaning"], rows))
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
