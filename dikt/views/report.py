"""The document of the joining report: the economics chapter of a pre-project."""

from __future__ import annotations

from fractions import Fraction

import attrs

from dikt.diagrams import bar_chart_svg
from dikt.document import Block, Document, Figure, Heading, Paragraph, Table, table
from dikt.i18n import Texts, texts
from dikt.joining import CostCategory, JoinEstimate
from dikt.model import Device, ThinClients
from dikt.money import Money
from dikt.naming import short_name
from dikt.report import JoinReport
from dikt.views.allocation import lines_table
from dikt.views.harmonisation import gaps_summary, gaps_table, roadmap_notes, roadmap_table
from dikt.views.joining import (
    annual_paragraph,
    costs_paragraph,
    costs_table,
    members_table,
    net_paragraph,
    summary_table as joining_summary_table,
)
from dikt.views.plan import plan_blocks

__all__ = [
    "alternatives_table",
    "fleet_table",
    "models_table",
    "premises_table",
    "report_document",
    "source_summary_table",
    "summary_table",
]


def summary_table(report: JoinReport, language: str = "en") -> Table:
    """The key figures beside the summary: the annual contribution, the totals, the change."""
    w = texts(language)
    estimate = report.estimate
    rows: list[list[str | Money]] = [
        [w._("One-time costs in all"), estimate.one_time_total],
        [
            w._("Annual contribution once a member ({year})").format(year=estimate.budget_year),
            estimate.annual.total,
        ],
        [w._("The cooperation's total without the candidate"), estimate.total_before],
        [w._("The cooperation's total with the candidate"), estimate.total_after],
        [
            w._("Change for the existing members together"),
            Money.sum(m.change for m in estimate.members),
        ],
    ]
    return table("key-figures", "key figure:text, amount:amount", rows)


def source_summary_table(report: JoinReport, language: str = "en") -> Table | None:
    """The pre-project's summary: one-time costs in the implementation year and the next,
    annual costs from joining, each column headed with its year."""
    estimate = report.estimate
    found = joining_summary_table(estimate, language)
    summary = estimate.summary
    if found is None or summary is None:
        return None
    w = texts(language)
    labels = [
        w._("Cost"),
        w._("Investment {year}").format(year=summary.year),
        w._("Operations {year}").format(year=summary.year),
        w._("Investment {year}").format(year=summary.next_year),
        w._("Investment a year from {year}").format(year=summary.annual_from),
        w._("Salary and administration a year"),
        w._("Operating costs a year"),
    ]
    total = found.total
    return attrs.evolve(
        found,
        columns=tuple(
            attrs.evolve(column, label=label)
            for column, label in zip(found.columns, labels, strict=True)
        ),
        # The totals row's label stands in a name column: people read it translated.
        total=None if total is None else (w.term("total"), *total[1:]),
    )


def premises_table(report: JoinReport, language: str = "en") -> Table:
    """The premises the estimate rests on, in words: what each is and its value."""
    w = texts(language)
    currency = report.estimate.currency
    rows = []
    for premise in report.estimate.premises:
        value = premise.value
        if isinstance(value, Money):
            shown = w.amount(value, currency)
        elif isinstance(value, Fraction):
            shown = w.number(value)
        elif isinstance(value, int):
            shown = str(value)
        else:
            shown = w.message(value)
        rows.append([w.message(premise.name), shown])
    return table("premises", "premise:text, value:text", rows)


def _premises(report: JoinReport, w: Texts) -> Paragraph:
    premises, currency = report.premises, report.estimate.currency
    return Paragraph.of(
        w._(
            "Premises: a PC older than {lifetime} years in the implementation year is "
            "replaced by a laptop ({laptop}), as is every PC of a model with fewer than "
            "{minimum} units; school laptops go {capacity} to a charging cabinet "
            "({cabinet}); each PC model kept needs {days} person-days for its image, at "
            "{day_rate} a day; data-centre capacity costs {per_user} per user."
        ).format(
            lifetime=premises.pc_lifetime_years,
            laptop=w.amount(premises.prices.laptop, currency),
            minimum=premises.min_units_per_model,
            capacity=premises.cabinet_capacity,
            cabinet=w.amount(premises.prices.charging_cabinet, currency),
            days=premises.image_days_per_model,
            day_rate=w.amount(premises.day_rate, currency),
            per_user=w.amount(premises.prices.capacity_per_user, currency),
        )
    )


def _models_paragraph(report: JoinReport, w: Texts) -> Paragraph:
    """The PC models in two sentences; the full list is in the appendix."""
    models = [m for m in report.estimate.fleet if m.kind is not Device.THIN_CLIENT]
    units = sum(m.units for m in models)
    replaced = sum(m.replaced for m in models)
    small = sum(1 for m in models if m.small)
    images = sum(1 for m in models if m.image)
    # The rest: large models none of whose units is kept (every unit too old),
    # so that the counts add up to the models for a board that adds them.
    aged = len(models) - small - images
    aged_text = (
        " "
        + w.ngettext(
            "{aged} more model is replaced whole because every unit of it is older than "
            "{years} years.",
            "{aged} more models are replaced whole because every unit of them is older than "
            "{years} years.",
            aged,
        ).format(aged=aged, years=report.premises.pc_lifetime_years)
        if aged
        else ""
    )
    return Paragraph.of(
        w.ngettext(
            "{models} PC model with {units} units in all; {replaced} units are replaced by "
            "laptops.",
            "{models} PC models with {units} units in all; {replaced} units are replaced by "
            "laptops.",
            len(models),
        ).format(models=len(models), units=w.count(units), replaced=w.count(replaced)),
        w.ngettext(
            "{small} model has fewer than {minimum} units and is replaced whole;",
            "{small} models have fewer than {minimum} units and are replaced whole;",
            small,
        ).format(small=small, minimum=report.premises.min_units_per_model)
        + " "
        + w.ngettext(
            "{images} model is kept and needs an image.",
            "{images} models are kept and need an image.",
            images,
        ).format(images=images)
        + aged_text
        + " "
        + w._("Every model is listed in the appendix."),
    )


def alternatives_table(report: JoinReport) -> Table:
    """The one-time costs of each alternative: implementation year, thin clients."""
    return table(
        "alternatives",
        (
            "year:year, thin clients:term, implementation:amount, process:amount, "
            "infrastructure:amount, one-time costs:amount"
        ),
        [
            [
                a.year,
                a.thin_clients.value,
                *a.by_category().values(),
                a.one_time_total,
            ]
            for a in report.alternatives
        ],
    )


def fleet_table(report: JoinReport) -> Table:
    """The candidate's devices by purchase year."""
    return table(
        "fleet",
        "purchased:year, laptop:count, desktop:count, thin-client:count, total:count",
        [[f.year, f.laptops, f.desktops, f.thin_clients, f.total] for f in report.fleet],
    )


def models_table(report: JoinReport) -> Table:
    """The candidate's PC models: units, what the rules replace, and whose image is kept."""
    return table(
        "models",
        (
            "model:name, kind:term, units:count, replaced:count, for schools:count, "
            "small model:term, image kept:term"
        ),
        [
            [
                m.model,
                m.kind.value,
                m.units,
                m.replaced,
                m.school_replaced,
                "yes" if m.small else "",
                "yes" if m.image else "",
            ]
            for m in report.estimate.fleet
        ],
    )


def _money_chart(
    title: str, labels: list[str], series: list[tuple[str, list[Money]]], w: Texts
) -> str:
    return bar_chart_svg(
        title,
        labels,
        [(name, [m.ore for m in values]) for name, values in series],
        lambda ore: w.amount(Money(ore)),
    )


def _charts(report: JoinReport, w: Texts) -> tuple[Figure, Figure, Figure]:
    estimate: JoinEstimate = report.estimate
    categories = estimate.by_category()
    one_time_title = w._("One-time costs by category ({currency})").format(
        currency=estimate.currency
    )
    one_time = _money_chart(
        one_time_title,
        [w.term(c) for c in categories],
        [(w._("one-time costs"), list(categories.values()))],
        w,
    )
    names = report.names
    members = [names.short(m.id) for m in estimate.members] + [short_name(estimate.name)]
    before = [m.before for m in estimate.members] + [Money(0)]
    after = [m.after for m in estimate.members] + [estimate.annual.total]
    contributions_title = w._(
        "Contributions per member without and with {candidate} ({year}, {currency})"
    ).format(
        candidate=short_name(estimate.name), year=estimate.budget_year, currency=estimate.currency
    )
    contributions = _money_chart(
        contributions_title,
        members,
        [(w._("without"), before), (w._("with"), after)],
        w,
    )
    fleet_title = w._("The PC fleet of {candidate} by purchase year").format(
        candidate=estimate.name
    )
    fleet = bar_chart_svg(
        fleet_title,
        [str(f.year) for f in report.fleet],
        [
            (w.term("laptop"), [f.laptops for f in report.fleet]),
            (w.term("desktop"), [f.desktops for f in report.fleet]),
            (w.term("thin-client"), [f.thin_clients for f in report.fleet]),
        ],
        w.count,
        stacked=True,
    )
    return (
        Figure(one_time, one_time_title),
        Figure(contributions, contributions_title),
        Figure(fleet, fleet_title),
    )


def report_document(report: JoinReport, language: str = "en") -> Document:
    """The joining report as a document, in bokmål unless asked otherwise.

    Page one is the board's: the pre-project's summary table, the key figures
    and the charts, every amount marked as without VAT and an estimate. The
    full list of PC models is an appendix; the spec's identity a colophon.
    """
    w = texts(language)
    estimate = report.estimate
    one_time_chart, contributions_chart, fleet_chart = _charts(report, w)
    kept = estimate.thin_clients is ThinClients.KEEP
    pcs = next((i for i in estimate.one_time if i.category is CostCategory.IMPLEMENTATION), None)
    blocks: list[Block] = [
        Paragraph.of(
            (
                w._("Carried out in {year}, thin clients kept.")
                if kept
                else w._("Carried out in {year}, thin clients replaced by laptops.")
            ).format(year=estimate.year),
            w._(
                "All amounts are in {currency} excluding VAT. They are estimates: the "
                "cooperation invoices the actual costs."
            ).format(currency=estimate.currency),
        ),
        Heading(w._("Summary")),
    ]
    source_summary = source_summary_table(report, language)
    if source_summary is not None:
        blocks.append(source_summary)
    blocks += [
        summary_table(report, language),
        net_paragraph(estimate, language),
        one_time_chart,
        contributions_chart,
        Heading(w._("Premises")),
        _premises(report, w),
        premises_table(report, language),
        Heading(w._("One-time costs")),
        costs_table(estimate, language),
        Heading(w._("The alternatives"), level=3),
        alternatives_table(report),
        Heading(w._("The PC fleet")),
        fleet_table(report),
        fleet_chart,
    ]
    if pcs is not None:
        blocks.append(Paragraph.of(f"{w.message(pcs.item)}: {w.message(pcs.rule)}."))
    blocks += [Heading(w._("The PC models"), level=3), _models_paragraph(report, w)]
    blocks += [
        Heading(w._("The annual contribution")),
        lines_table(estimate.annual),
        annual_paragraph(estimate, language),
        Heading(w._("What joining does to the members")),
        members_table(estimate, report.names),
        costs_paragraph(estimate, language),
        Heading(w._("Harmonisation")),
        gaps_table(report.gaps, report.names),
        gaps_summary(report.gaps, language, report.names),
    ]
    if report.roadmap.steps:
        blocks += [
            Heading(w._("The roadmap"), level=3),
            roadmap_table(report.roadmap, language, report.names),
        ]
    blocks += [
        roadmap_notes(report.roadmap, language, report.names),
        Heading(w._("The economic plan")),
        *plan_blocks(report.plan, language, report.names, level=3),
        Heading(w._("Appendix: the PC models")),
        models_table(report),
        Heading(w._("About this report")),
        Paragraph.of(
            w._("Computed by dikt {version} from the spec {id} (budget year {year}).").format(
                version=report.version, id=report.cooperation_id, year=report.budget_year
            ),
            w._("Identity of the spec (SHA-256 of the files): {digest}").format(
                digest=report.digest
            ),
        ),
        table("files", "file:id, sha256:id", [[f.file, f.sha256] for f in report.files]),
    ]
    return Document(
        title=w._("{candidate} joining {cooperation}: the economics").format(
            candidate=estimate.name, cooperation=report.name
        ),
        blocks=tuple(blocks),
        language=language,
    )
