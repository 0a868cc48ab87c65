"""dikt's Sphinx extension: directives that render a cooperation spec.

Add ``"dikt.sphinxext"`` to ``extensions`` in ``conf.py``; then, in reST or
MyST pages, each directive takes a spec path (relative to the page, or to the
source directory when it starts with ``/``)::

    .. dikt-allocation:: ../specs/d-ikt
       :member: sande

Directives: ``dikt-check``, ``dikt-allocation`` (``:member:``, ``:year:``),
``dikt-chart`` (``:year:``), ``dikt-prices``, ``dikt-matrix``, ``dikt-gaps``
(``:member:``), ``dikt-roadmap`` (``:member:``), ``dikt-join``
(``:candidate:``, ``:year:``, ``:thin-clients:``), ``dikt-leave``
(``:member:``, ``:year:``), ``dikt-merge`` (``:members:``, ``:into:``,
``:name:``, ``:year:``), ``dikt-plan``
(``:years:``, ``:growth:``), ``dikt-keys`` (``:year:``, ``:candidate:``),
``dikt-report`` (``:candidate:``, ``:year:``, ``:thin-clients:``, ``:pdf:``), ``dikt-graph``, and
``dikt-spec-reference``
(no argument: every key of the format, from the model).

Every directive that renders a spec takes ``:lang: nb`` (Norwegian bokmål,
``1 234 567,89 kr``) or ``:lang: en``; without it, the spec's own
``language``, else English.

Tables are docutils nodes, so every builder gets them and every text is
escaped; diagrams are SVG drawn by :mod:`dikt.diagrams`. A page is rebuilt
when a file of a spec it renders changes. A spec that does not load, or an
analysis that cannot compute, is a build warning naming the problems.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

try:
    from docutils import nodes
    from docutils.parsers.rst import directives
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util import logging
    from sphinx.util.docutils import SphinxDirective
except ImportError as error:  # pragma: no cover - depends on what is installed
    raise ImportError(
        "dikt.sphinxext is a Sphinx extension and needs Sphinx: pip install 'dikt-ikt[docs]'"
    ) from error

import dikt
from dikt import (
    Cooperation,
    DiktError,
    SpecError,
    ThinClients,
    allocate,
    check,
    gaps,
    i18n,
    join,
    join_report,
    key_study,
    matrix,
    plan,
    roadmap,
    unit_prices,
)
from dikt.diagrams import contributions_svg, dependency_svg
from dikt.document import Document, table
from dikt.errors import NotFoundError
from dikt.findings import findings_table
from dikt.i18n import Texts, texts
from dikt.invoicing import invoices
from dikt.limits import LANGUAGES, MAX_GROWTH_PERCENT, MAX_PERCENT_PLACES
from dikt.model import Period
from dikt.money import parse_percent
from dikt.naming import Names, names_of
from dikt.schema import reference
from dikt.views.allocation import kinds_table, lines_table, prices_table
from dikt.views.fair import keys_document
from dikt.views.harmonisation import gaps_document, matrix_document, roadmap_document
from dikt.views.joining import join_document
from dikt.views.plan import fleet_notes, members_in_order, totals_table, year_table
from dikt.views.report import report_document
from dikt.views.year import (
    explained_differences,
    instalments_table,
    member_settlement,
    members_table,
    variances_table,
)
from dikt.writers.docutils import inline, table_node, write

__all__ = ["setup"]

logger = logging.getLogger(__name__)


def _language(value: str) -> str:
    """The ``:lang:`` option: a language dikt writes."""
    return str(directives.choice(value, LANGUAGES))


class _SpecDirective(SphinxDirective):
    """A directive that renders something of a spec given as its argument."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.option_spec = {**cls.option_spec, "lang": _language}

    def language(self, cooperation: Cooperation) -> str:
        """``:lang:``, else the spec's ``language``, else English."""
        chosen = self.options.get("lang")
        if chosen is not None:
            return str(chosen)
        return "en" if cooperation.language is None else cooperation.language.value

    def words(self, cooperation: Cooperation) -> Texts:
        """The messages and number formats of the directive's language."""
        return texts(self.language(cooperation))

    def names(self, cooperation: Cooperation) -> Names:
        """What people read for the spec's ids (:func:`dikt.names_of`)."""
        return names_of(cooperation)

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
        words = self.words(cooperation)
        if not found:
            return [nodes.paragraph(text=words._("No findings: the spec is sound."))]
        return [table_node(findings_table(found, words.language), words=words)]


class AllocationDirective(_SpecDirective):
    """Owner contributions: totals by kind and member, or one member's lines."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = allocate(cooperation, self.year())
        member = self.options.get("member")
        words = self.words(cooperation)
        if member:
            lines = lines_table(result.member(member))
            return [table_node(lines, ["dikt-allocation"], words)]
        table = table_node(
            kinds_table(result, names=self.names(cooperation)), ["dikt-allocation"], words
        )
        title = words._("Owner contributions {year} ({currency})").format(
            year=result.year, currency=result.currency
        )
        table.insert(0, nodes.title(text=title))
        return [table]


class InvoicesDirective(_SpecDirective):
    """A member's invoices on account for a year, by instalment and group of lines."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
        "per": lambda value: directives.choice(value, ("year", "quarter", "month")),
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        per = self.options.get("per")
        result = invoices(cooperation, self.year(), None if per is None else Period(per))
        wanted = self.options.get("member") or result.members[0].id
        for member in result.members:
            if member.id == wanted:
                shown = instalments_table(member)
                return [table_node(shown, ["dikt-invoices"], self.words(cooperation))]
        raise NotFoundError(i18n.message("member"), wanted, [m.id for m in result.members])


class SettlementDirective(_SpecDirective):
    """The year's settlement by the spec's accounts file: projects and members, or a member."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged,
        "year": directives.positive_int,
        "show": lambda value: directives.choice(value, ("projects", "members")),
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        year = self.year() or cooperation.budget_year
        _relative, absolute = self.env.relfn2path(self.arguments[0], self.env.docname)
        root = dikt.spec_root(absolute)
        self.env.note_dependency(str(root / "accounts" / f"{year}.toml"))
        result = dikt.settle(cooperation, dikt.read_accounts(cooperation, root, year))
        words = self.words(cooperation)
        member = self.options.get("member")
        if member:
            settled = member_settlement(result, member)
            return write(
                Document(
                    title=settled.name,
                    blocks=tuple(explained_differences(result, settled, words, 3)),
                    language=words.language,
                )
            )
        if self.options.get("show") == "members":
            return [table_node(members_table(result), ["dikt-settlement"], words)]
        return [table_node(variances_table(result), ["dikt-settlement"], words)]


class ChartDirective(_SpecDirective):
    """Each member's contribution as a bar stacked by kind (SVG)."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"year": directives.positive_int}

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        chart = contributions_svg(allocate(cooperation, self.year()), self.language(cooperation))
        return [_raw_svg(chart, "dikt-chart")]


class PricesDirective(_SpecDirective):
    """Unit prices per catalogue system."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"year": directives.positive_int}

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        prices = unit_prices(allocate(cooperation, self.year()))
        # The page's column is narrow: the key names its metric, the package is in the graph.
        shown = prices_table(prices, self.names(cooperation)).without("package", "metric")
        return [table_node(shown, ["dikt-prices"], self.words(cooperation))]


class MatrixDirective(_SpecDirective):
    """Domains by members: the systems each runs, deviating ones in brackets."""

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        document = matrix_document(
            matrix(cooperation), self.language(cooperation), self.names(cooperation)
        )
        return write(document, classes=["dikt-matrix"])


class GapsDirective(_SpecDirective):
    """A member's harmonisation gaps per domain, and its harmonised shares."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = gaps(cooperation, self.options["member"], self.year())
        document = gaps_document(result, self.language(cooperation), self.names(cooperation))
        return write(document, classes=["dikt-gaps"])


class RoadmapDirective(_SpecDirective):
    """A member's harmonisation roadmap."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        result = roadmap(cooperation, self.options["member"], self.year())
        document = roadmap_document(result, self.language(cooperation), self.names(cooperation))
        return write(document, classes=["dikt-roadmap"])


def _thin_clients(value: str) -> str:
    return str(directives.choice(value, ("keep", "replace")))


class LeaveDirective(_SpecDirective):
    """A member leaving: the others before and after, what it leaves behind and owes."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "member": directives.unchanged_required,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        from dikt.changes import leave  # noqa: PLC0415
        from dikt.views.changes import leave_document  # noqa: PLC0415

        result = leave(cooperation, self.options["member"], self.year())
        return write(leave_document(result, self.language(cooperation)), classes=["dikt-leave"])


class MergeDirective(_SpecDirective):
    """Members merging into one: every member's contribution before and after."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "members": directives.unchanged_required,
        "into": directives.unchanged_required,
        "name": directives.unchanged,
        "year": directives.positive_int,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        from dikt.changes import merge  # noqa: PLC0415
        from dikt.views.changes import merge_document  # noqa: PLC0415

        result = merge(
            cooperation,
            self.options["members"].split(),
            self.options["into"],
            self.year(),
            self.options.get("name"),
        )
        return write(merge_document(result, self.language(cooperation)), classes=["dikt-merge"])


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
        words = self.words(cooperation)
        introduction = words._(
            "One-time costs of joining, carried out in {year} ({currency}):"
        ).format(year=result.year, currency=result.currency)
        document = join_document(result, words.language, self.names(cooperation))
        return [nodes.paragraph(text=introduction), *write(document, classes=["dikt-join"])[1:]]


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
        words = self.words(cooperation)
        names = self.names(cooperation)
        out: list[nodes.Node] = [table_node(totals_table(result, names), ["dikt-plan"], words)]
        order = members_in_order(result)
        for year in result.years:
            out.append(nodes.rubric(text=str(year.year)))
            out.append(table_node(year_table(year, words.language, names, order), words=words))
        out += [nodes.paragraph(text=note) for note in fleet_notes(result, words.language, names)]
        from dikt.changes import stated_changes  # noqa: PLC0415
        from dikt.views.plan import changes_section  # noqa: PLC0415

        changes = stated_changes(cooperation, result)
        if changes:
            section = changes_section(changes, words.language, names)
            out += write(Document(title="", blocks=section, language=words.language))
        return out


class KeysDirective(_SpecDirective):
    """The cost keys side by side with the Shapley value, each key's core, membership's benefit."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "year": directives.positive_int,
        "candidate": directives.unchanged_required,
        # The option's first name, kept for one release.
        "with": directives.unchanged_required,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        candidate = self.options.get("candidate")
        if "with" in self.options:
            logger.warning(
                "dikt-keys: :with: is deprecated; use :candidate:", location=self.get_location()
            )
            candidate = candidate or self.options["with"]
        study = key_study(cooperation, self.year(), candidate)
        document = keys_document(study, self.language(cooperation), self.names(cooperation))
        return write(document, classes=["dikt-keys"])


class ReportDirective(_SpecDirective):
    """The joining report's sections in the page; with ``:pdf:``, its PDF beside the page.

    The report is in the page's language as every directive is (``:lang:``,
    the spec's, else English here, unlike ``dikt report``, which defaults to
    bokmål); the PDF is written into ``_static`` with a download link.
    """

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "candidate": directives.unchanged_required,
        "year": directives.positive_int,
        "thin-clients": _thin_clients,
        "pdf": directives.flag,
    }

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        choice = self.options.get("thin-clients")
        report = join_report(
            cooperation,
            self.options["candidate"],
            self.year(),
            ThinClients(choice) if choice else None,
        )
        words = self.words(cooperation)
        document = report_document(report, words.language)
        out: list[nodes.Node] = []
        if "pdf" in self.options:
            from dikt.writers import pdf  # noqa: PLC0415 - Typst only where a PDF is asked for

            data = pdf.write_pdf(document)
            name = f"dikt-report-{hashlib.sha256(data).hexdigest()[:12]}.pdf"
            (_static_dir(self.env) / name).write_bytes(data)
            depth = "../" * self.env.docname.count("/")
            label = html.escape(words._("The report as PDF"))
            link = f"<p class='dikt-report-link'><a href='{depth}_static/{name}'>{label}</a></p>"
            out.append(nodes.raw("", link, format="html"))
        return out + write(document, classes=["dikt-report"])


class GraphDirective(_SpecDirective):
    """The catalogue's dependency graph as an SVG diagram."""

    def render(self, cooperation: Cooperation) -> list[nodes.Node]:
        svg = dependency_svg(cooperation)
        # The whole diagram at full size, beside the page, for zooming in.
        name = f"dikt-graph-{hashlib.sha256(svg.encode()).hexdigest()[:12]}.svg"
        (_static_dir(self.env) / name).write_text(svg, encoding="utf-8")
        depth = "../" * self.env.docname.count("/")
        label = self.words(cooperation)._("Open the diagram at full size")
        link = (
            f"<p class='dikt-graph-link'><a href='{depth}_static/{name}'>"
            f"{html.escape(label)}</a></p>"
        )
        return [_raw_svg(svg, "dikt-graph"), nodes.raw("", link, format="html")]


class SpecReferenceDirective(SphinxDirective):
    """Every table and key of the spec format, generated from the model."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for doc in reference():
            # A section per table, so that every table is a heading in the sidebar.
            title = f"{doc.file}: {doc.table}"
            section = nodes.section(ids=[nodes.make_id(f"spec-{title}")])
            heading = nodes.title()
            heading += nodes.literal(text=doc.table)
            heading += nodes.Text(f" in {doc.file}")
            section += heading
            text = nodes.paragraph()
            text += inline(doc.doc)
            section += text
            keys = table(
                doc.table,
                "key:id, type:text, default:text, meaning:text",
                [
                    [k.key, k.kind, "required" if k.default is None else k.default, k.doc]
                    for k in doc.keys
                ],
            )
            section += table_node(keys)
            out.append(section)
        return out


_CSS = """
table.dikt-table { font-size: 0.8em; border-collapse: collapse; }
table.dikt-table th, table.dikt-table td { padding: 0.2em 0.45em; text-align: left; }
table.dikt-table p { margin: 0; }
table.dikt-table td.dikt-num { text-align: right; white-space: nowrap; }
table.dikt-table th { white-space: normal; }
.dikt-graph svg, .dikt-chart svg { max-width: 100%; height: auto; }
.dikt-graph { overflow-x: auto; }
"""


#: The attribute of the build environment naming the builder's ``_static`` folder,
#: where the directives write the files they link to (the PDF report, the graph at
#: full size). Set when the builder starts: a directive sees the environment, and
#: the environment's ``app`` is deprecated (gone in Sphinx 11).
_STATIC = "dikt_static"


def _add_css(app: Sphinx) -> None:
    _remember_static(app, app.env)
    (_static_dir(app.env) / "dikt.css").write_text(_CSS, encoding="utf-8")


def _remember_static(app: Sphinx, env: BuildEnvironment, *_: object) -> None:
    """Name the builder's ``_static`` folder on the environment (``_STATIC``): when
    the builder starts, and again before reading, in case dikt was set up after
    the builder started (by another extension)."""
    setattr(env, _STATIC, str(Path(app.outdir) / "_static"))


def _static_dir(env: BuildEnvironment) -> Path:
    """The builder's ``_static`` folder (see ``_STATIC``), made if missing."""
    static = Path(getattr(env, _STATIC))
    static.mkdir(parents=True, exist_ok=True)
    return static


def setup(app: Sphinx) -> dict[str, Any]:
    """Register dikt's directives with Sphinx."""
    for name, directive in {
        "dikt-check": CheckDirective,
        "dikt-allocation": AllocationDirective,
        "dikt-chart": ChartDirective,
        "dikt-invoices": InvoicesDirective,
        "dikt-settlement": SettlementDirective,
        "dikt-prices": PricesDirective,
        "dikt-matrix": MatrixDirective,
        "dikt-gaps": GapsDirective,
        "dikt-roadmap": RoadmapDirective,
        "dikt-join": JoinDirective,
        "dikt-leave": LeaveDirective,
        "dikt-merge": MergeDirective,
        "dikt-plan": PlanDirective,
        "dikt-keys": KeysDirective,
        "dikt-report": ReportDirective,
        "dikt-graph": GraphDirective,
        "dikt-spec-reference": SpecReferenceDirective,
    }.items():
        app.add_directive(name, directive)
    app.connect("builder-inited", _add_css)
    app.connect("env-before-read-docs", _remember_static)
    app.add_css_file("dikt.css")
    from dikt import __version__  # noqa: PLC0415

    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
