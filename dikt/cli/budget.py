"""Commands on the members' budget: contributions, prices, explanations, diffs, the plan."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Literal

import click

import dikt
from dikt.cli._common import (
    EXIT_FINDINGS,
    FORMATS,
    LANG,
    N_,
    OUTPUT,
    SPEC,
    YEAR,
    YEARS,
    Format,
    Percent,
    Range,
    echo,
    format_option,
    handle_errors,
    language_of,
    load_sound,
    main,
    require_paying,
    said,
    show,
)
from dikt.limits import MAX_GROWTH_PERCENT, YEAR_MAX

if TYPE_CHECKING:
    from fractions import Fraction


@main.command()
@SPEC
@YEAR
@click.option("--member", default=None, help="Show only this member.")
@format_option(
    *FORMATS,
    "focus",
    text="Output format; focus: a FinOps FOCUS 1.3 cost and usage dataset (CSV).",
)
@OUTPUT
@LANG
@handle_errors
def allocate(
    *,
    spec: str,
    year: int | None,
    member: str | None,
    fmt: Format | Literal["focus"],
    output: str | None,
    lang: str | None,
) -> None:
    """Each member's owner contribution for a year, line by line.

    Base packages, applications, own systems, and core, application and
    member investments; totals per member, per kind of line and for the
    cooperation. Exact to the øre: every amount is paid exactly once.
    --format focus writes the year as a FinOps FOCUS 1.3 dataset, one row
    per member and charged item.
    """
    from dikt.views.allocation import allocation_document, only_member  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = dikt.allocate(cooperation, year)
    if member is not None:
        require_paying(cooperation, result, member)
    shown = result if member is None else only_member(result, member)
    if fmt == "focus":
        from dikt.focus import focus_csv  # noqa: PLC0415

        echo(focus_csv(cooperation, shown), output)
        return
    language = language_of(lang, cooperation)
    names = dikt.names_of(cooperation)
    show(shown, lambda: allocation_document(result, member, language, names), fmt, output)


@main.command()
@SPEC
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def prices(spec: str, year: int | None, fmt: Format, output: str | None, lang: str | None) -> None:
    """The unit price per year of every catalogue system.

    Per user (or per unit of the key's metric), with the system's key,
    participants and basis; an equal part of a mixed key is shown as the
    amount each participant pays.
    """
    from dikt.views.allocation import PriceList, prices_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = dikt.allocate(cooperation, year)
    listed = PriceList(currency=result.currency, systems=dikt.unit_prices(result))
    language = language_of(lang, cooperation)
    names = dikt.names_of(cooperation)
    show(
        listed,
        lambda: prices_document(listed.systems, listed.currency, language, names),
        fmt,
        output,
    )


@main.command()
@SPEC
@click.argument("member")
@click.argument("item", required=False)
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def explain(
    *,
    spec: str,
    member: str,
    item: str | None,
    year: int | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """How MEMBER's contribution was computed, line by line (or one ITEM).

    For each line: the key, the member's quantity, the basis, the exact
    share, the amount, and where rounding moved an øre.
    """
    from dikt.views.allocation import explain_document, explanation  # noqa: PLC0415

    cooperation = load_sound(spec)
    dikt.require_member(cooperation, member)  # an unknown id before any work
    allocation = dikt.allocate(cooperation, year)
    require_paying(cooperation, allocation, member)
    result = explanation(allocation, member, item)
    language = language_of(lang, cooperation)
    names = dikt.names_of(cooperation)
    show(result, lambda: explain_document(allocation, member, item, language, names), fmt, output)


@main.command()
@click.argument("spec_a", type=click.Path())
@click.argument("spec_b", type=click.Path())
@YEAR
@click.option(
    "--fail-above",
    type=Percent(0, 10**9),
    default=None,
    metavar="PCT",
    help="Exit 1 when any member's total moves more than PCT percent (0 to 10^9).",
)
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def diff(
    *,
    spec_a: str,
    spec_b: str,
    year: int | None,
    fail_above: Fraction | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What changes per member and per line between SPEC_A and SPEC_B.

    Each spec is allocated for its own budget year (or --year for both).
    With --fail-above PCT, exit 1 when a member's total moves more than PCT
    percent, for use in the CI of a spec repository.
    """

    after = load_sound(spec_b)
    result = dikt.diff(dikt.allocate(load_sound(spec_a), year), dikt.allocate(after, year))
    from dikt.views.allocation import diff_document  # noqa: PLC0415

    language = language_of(lang, after)
    names = dikt.names_of(after)
    show(result, lambda: diff_document(result, language, names), fmt, output)
    if fail_above is not None:
        moved = result.above(fail_above * 100)
        if moved:
            from dikt.i18n import texts  # noqa: PLC0415

            words = texts(language)
            said = words._("moved more than {limit}: {members}").format(
                limit=words.exact_percent(fail_above), members=names.listed([m.id for m in moved])
            )
            click.echo(f"dikt: {said}", err=True)
            sys.exit(EXIT_FINDINGS)


@main.command()
@SPEC
@click.option(
    "--from",
    "start",
    type=YEARS,
    default=None,
    metavar="YEAR",
    help="First year; default: the budget year.",
)
@click.option(
    "--years",
    type=Range(1, 50, N_("number of years")),
    default=4,
    show_default=True,
    metavar="N",
    help="Years in the plan.",
)
@click.option(
    "--growth",
    type=Percent(-100, MAX_GROWTH_PERCENT, low_open=True),
    default="0",
    show_default=True,
    metavar="PCT",
    # Written out for the message catalog; a test keeps it equal to MAX_GROWTH_PERCENT.
    help="Price growth of operating costs, percent a year, from the second year "
    "(above -100, at most 1000).",
)
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def plan(
    *,
    spec: str,
    start: int | None,
    years: int,
    growth: Fraction,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """The economic plan: per member and year, operating, investments, fleet, joining.

    Operating contributions and investments come from the allocation of each
    year (candidates joining in the plan become members from their joined
    year; systems are charged while in operation); PC fleet renewal as
    machines reach the premises' lifetime; a joining candidate's one-time
    costs in its implementation year.
    """
    from dikt.views.plan import plan_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    first = cooperation.budget_year if start is None else start
    context = click.get_current_context()
    chosen: int | None = years
    given = context.get_parameter_source("years") is click.core.ParameterSource.COMMANDLINE
    if start is None and not given:
        # The spec's budget year and the default four years: they end at the
        # last year dikt supports, as the report's plan does. The user gave
        # no option to blame.
        chosen = None
    elif first + years - 1 > YEAR_MAX:
        raise click.BadParameter(
            said(
                N_("the plan's last year, {year}, is after {last}, the last year dikt supports"),
                year=first + years - 1,
                last=YEAR_MAX,
            ),
            param_hint="'--years'" if start is None else "'--from' / '--years'",
        )
    result = dikt.plan(cooperation, first, chosen, growth)
    language = language_of(lang, cooperation)
    from dikt.changes import stated_changes  # noqa: PLC0415

    changes = stated_changes(cooperation, result)
    show(
        result,
        lambda: plan_document(result, language, changes, dikt.names_of(cooperation)),
        fmt,
        output,
    )
