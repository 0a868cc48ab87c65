"""Commands on membership: joining, the joining report, fair shares of cost keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

import dikt
from dikt.cli._common import (
    BOARD_LANG,
    FORMATS,
    LANG,
    N_,
    OUTPUT,
    SPEC,
    YEAR,
    YEARS,
    Format,
    Percent,
    echo,
    format_option,
    handle_errors,
    language_of,
    load_sound,
    main,
    said,
    show,
)
from dikt.limits import MAX_GROWTH_PERCENT

if TYPE_CHECKING:
    from fractions import Fraction


IMPLEMENTATION_YEAR = click.option(
    "--year",
    type=YEARS,
    default=None,
    metavar="YEAR",
    help="Implementation year; default: the year before the candidate's joined date.",
)
#: The price growth a year that prices a candidate joining after the budget year.
GROWTH = click.option(
    "--growth",
    type=Percent(-100, MAX_GROWTH_PERCENT, low_open=True),
    default="0",
    show_default=True,
    metavar="PCT",
    help="Price growth of operating costs, percent a year, from the budget year to the year "
    "the candidate joins (above -100, at most 1000).",
)
#: Whether a joining candidate's thin clients are kept (``join``, ``report``).
THIN_CLIENTS = click.option(
    "--thin-clients",
    type=click.Choice(["keep", "replace"]),
    default=None,
    help="Keep the candidate's thin clients or replace them by laptops; default: the premises.",
)


@main.command()
@SPEC
@click.argument("candidate")
@IMPLEMENTATION_YEAR
@THIN_CLIENTS
@GROWTH
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def join(
    *,
    spec: str,
    candidate: str,
    year: int | None,
    thin_clients: str | None,
    growth: Fraction,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What joining costs CANDIDATE, and what it does to every member.

    One-time costs by category (implementation: PCs, thin clients, charging
    cabinets, licences; process: images and fixed work; infrastructure:
    data-centre capacity), each with its quantity, price and rule; the
    candidate's annual contribution once a member, priced in the year it
    joins; every existing member's total before and after; the summary of
    one-time and annual costs, the net annual effect against the
    candidate's IT costs today, and every premise used.
    """
    from dikt.views.joining import join_document  # noqa: PLC0415

    choice = dikt.ThinClients(thin_clients) if thin_clients else None
    cooperation = load_sound(spec)
    result = dikt.join(cooperation, candidate, year, choice, growth)
    language = language_of(lang, cooperation)
    show(result, lambda: join_document(result, language, dikt.names_of(cooperation)), fmt, output)


@main.command()
@SPEC
@YEAR
@click.option(
    "--candidate",
    metavar="CANDIDATE",
    default=None,
    help="Also each member's Shapley value without and with this candidate: who gains.",
)
# The option's first name, kept working for one release.
@click.option("--with", "joining", metavar="CANDIDATE", default=None, hidden=True)
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def keys(
    *,
    spec: str,
    year: int | None,
    candidate: str | None,
    joining: str | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What each cost key would make every member pay, beside the Shapley value.

    The shared costs split equally, by users, by employees, by population,
    30/70 and 50/50 equal/population, and by the spec's own named keys; for
    each member the amount, per inhabitant and per user, the change against
    today's keys and the amount above its Shapley value (above 0: it
    subsidises others). For each split, the core: whether some set of
    members would pay less on its own (up to 16 members). Then each member's
    cost on its own against its contribution. The Shapley value uses the
    systems' cost models (fixed, per user, capacity steps) where the spec
    has them. --candidate CANDIDATE adds who gains by the candidate's joining.
    """
    from dikt.views.fair import keys_document  # noqa: PLC0415

    if joining is not None:
        click.echo(said(N_("dikt: --with is deprecated; use --candidate")), err=True)
        candidate = candidate or joining
    cooperation = load_sound(spec)
    result = dikt.key_study(cooperation, year, candidate)
    language = language_of(lang, cooperation)
    show(result, lambda: keys_document(result, language, dikt.names_of(cooperation)), fmt, output)


@main.command()
@SPEC
@click.argument("candidate")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="FILE.pdf or FILE.html: the format follows the suffix.",
)
@IMPLEMENTATION_YEAR
@THIN_CLIENTS
@BOARD_LANG
@handle_errors
def report(
    *,
    spec: str,
    candidate: str,
    output: str,
    year: int | None,
    thin_clients: str | None,
    lang: str | None,
) -> None:
    """Write the joining report for CANDIDATE: the economics chapter, as PDF or HTML.

    A summary (one-time costs by category, the annual contribution, what
    joining does to each member, the premises), the one-time costs item by
    item and the alternatives (this implementation year and the next, thin
    clients kept or replaced), the candidate's PC fleet, its annual
    contribution line by line, harmonisation gaps and roadmap, the economic
    plan, and the digest of the spec's files.
    """
    from pathlib import Path  # noqa: PLC0415

    suffix = Path(output).suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise click.BadParameter(
            said(N_("{file}: the report is written as .pdf or .html"), file=output),
            param_hint="'--output'",
        )
    from dikt.views.report import report_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    choice = dikt.ThinClients(thin_clients) if thin_clients else None
    result = dikt.join_report(cooperation, candidate, year, choice)
    language = language_of(lang, cooperation, default="nb")  # a board reads it
    document = report_document(result, language)
    if suffix == ".pdf":
        from dikt.writers import pdf  # noqa: PLC0415

        echo(pdf.write_pdf(document), output)
    else:
        from dikt.writers import html  # noqa: PLC0415

        echo(html.write_html(document), output)
