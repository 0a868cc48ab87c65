"""The document of the joining report: the economics chapter of a pre-project."""

from __future__ import annotations

from dikt.diagrams import bar_chart_svg
from dikt.document import Block, Document, Figure, Heading, Paragraph, Table, table
from dikt.i18n import Texts, texts
from dikt.joining import CostCategory, JoinEstimate
from dikt.model import ThinClients
from dikt.money import Money
from dikt.report import JoinReport
from dikt.views.allocation import lines_table
from dikt.views.harmonisation import gaps_summary, gaps_table, roadmap_notes, roadmap_table
from dikt.views.joining import annual_paragraph, costs_table, members_table
from dikt.views.plan import totals_table

__all__ = [
    "alternatives_table",
    "fleet_table",
    "models_table",
    "report_document",
    "summary_table",
]


def summary_table(report: JoinReport, language: str = "en") -> Table:
    """The key figures: one-time costs by category, the annual contribution, the totals."""
    w = texts(language)
    estimate = report.estimate
    rows: list[list[str | Money]] = [
        [w._("One-time costs: {category}").format(category=w.term(category)), amount]
        for category, amount in estimate.by_category().items()
    ]
    rows += [
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
    return table("summary", "figure:text, amount:amount", rows)


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
    members = [m.id for m in estimate.members] + [estimate.candidate]
    before = [m.before for m in estimate.members] + [Money(0)]
    after = [m.after for m in estimate.members] + [estimate.annual.total]
    contributions_title = w._(
        "Contributions per member without and with {candidate} ({year}, {currency})"
    ).format(candidate=estimate.candidate, year=estimate.budget_year, currency=estimate.currency)
    contributions = _money_chart(
        contributions_title,
        members,
        [(w._("without"), before), (w._("with"), after)],
        w,
    )
    fleet_title = w._("The PC fleet of {candidate} by purchase year").format(
        candidate=estimate.candidate
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
    """The joining report as a document, in bokmål unless asked otherwise."""
    w = texts(language)
    estimate = report.estimate
    one_time_chart, contributions_chart, fleet_chart = _charts(report, w)
    kept = estimate.thin_clients is ThinClients.KEEP
    pcs = next((i for i in estimate.one_time if i.category is CostCategory.IMPLEMENTATION), None)
    blocks: list[Block] = [
        Paragraph.of(
            (
                w._("Implemented in {year}, thin clients kept.")
                if kept
                else w._("Implemented in {year}, thin clients replaced by laptops.")
            ).format(year=estimate.year),
            w._(
                "Computed by dikt {version} from the spec {id} (budget year {year}), "
                "identity {digest}."
            ).format(
                version=report.version,
                id=report.cooperation_id,
                year=report.budget_year,
                digest=report.digest[:16],
            ),
        ),
        Heading(w._("Summary")),
        summary_table(report, language),
        one_time_chart,
        contributions_chart,
        _premises(report, w),
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
    blocks += [Heading(w._("The PC models"), level=3), models_table(report)]
    blocks += [
        Heading(w._("The annual contribution")),
        lines_table(estimate.annual),
        annual_paragraph(estimate, language),
        Heading(w._("What joining does to the members")),
        members_table(estimate),
        Heading(w._("Harmonisation")),
        gaps_table(report.gaps),
        gaps_summary(report.gaps, language),
    ]
    if report.roadmap.steps:
        blocks += [Heading(w._("The roadmap"), level=3), roadmap_table(report.roadmap, language)]
    blocks += [
        roadmap_notes(report.roadmap, language),
        Heading(w._("The economic plan")),
        totals_table(report.plan),
        Heading(w._("The spec")),
        table("files", "file:id, sha256:id", [[f.file, f.sha256] for f in report.files]),
        Paragraph.of(
            w._("Identity of the spec (SHA-256 of the files): {digest}").format(
                digest=report.digest
            )
        ),
    ]
    return Document(
        title=w._("{candidate} joining {cooperation}: the economics").format(
            candidate=estimate.name, cooperation=report.name
        ),
        blocks=tuple(blocks),
        language=language,
    )
