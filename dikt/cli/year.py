"""Commands on the year's cycle: invoices on account, settlement by actual costs, letters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import click

import dikt
from dikt.cli._common import (
    BOARD_LANG,
    FORMATS,
    LANG,
    OUTPUT,
    SPEC,
    YEAR,
    Format,
    format_option,
    handle_errors,
    language_of,
    load_sound,
    main,
    require_paying,
    show,
)

if TYPE_CHECKING:
    pass


@main.command()
@SPEC
@YEAR
@click.option(
    "--per",
    type=click.Choice(["year", "quarter", "month"]),
    default=None,
    help="Instalments: one a year, a quarter or a month; default: the spec's [invoicing] per.",
)
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def invoices(
    *,
    spec: str,
    year: int | None,
    per: str | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """Each member's contribution for a year as invoices on account.

    Instalments that add up to the contribution exactly, to the øre (the øre
    left over go to the first or the last instalments, as [invoicing] says),
    with dates, due dates and lines by kind, each with its reference (the
    project code). --format csv writes one row per invoice line, ready for
    an accounting system's import.
    """
    from dikt.views.year import invoices_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = dikt.invoices(cooperation, year, None if per is None else dikt.Period(per))
    language = language_of(lang, cooperation)
    show(result, lambda: invoices_document(result, language), fmt, output)


ACTUALS = click.option(
    "--actuals",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="LEDGER.csv",
    help="A ledger export (CSV) of the year's actual costs; default: the spec's "
    "accounts/YEAR.toml.",
)
PROJECT_COLUMN = click.option(
    "--project-column",
    default=None,
    metavar="NAME",
    help="The ledger's column of project codes (with --actuals).",
)
AMOUNT_COLUMN = click.option(
    "--amount-column",
    default=None,
    metavar="NAME",
    help="The ledger's column of amounts (with --actuals).",
)
CURRENCY_COLUMN = click.option(
    "--currency-column",
    default=None,
    metavar="NAME",
    help="The ledger's column of currency codes, checked against the spec's (optional).",
)


def read_actuals(
    cooperation: dikt.Cooperation,
    spec: str,
    year: int | None,
    actuals: str | None,
    columns: tuple[str | None, str | None, str | None],
) -> dikt.Actuals:
    """The year's actual costs, from a ledger or the spec's accounts file; warnings said."""
    from dikt.cli._common import N_, problem_lines, said, spoken  # noqa: PLC0415

    project, amount, currency = columns
    chosen = cooperation.budget_year if year is None else year
    if actuals is None:
        if project or amount or currency:
            raise click.UsageError(said(N_("the ledger's columns go with --actuals LEDGER.csv")))
        result = dikt.read_accounts(cooperation, spec, chosen)
    else:
        if not project or not amount:
            raise click.UsageError(
                said(N_("--actuals needs --project-column NAME and --amount-column NAME"))
            )
        result = dikt.read_ledger(
            cooperation,
            actuals,
            chosen,
            project_column=project,
            amount_column=amount,
            currency_column=currency,
        )
    for line in problem_lines(result.warnings, spoken({})):
        click.echo(line, err=True)
    return result


@main.command()
@SPEC
@YEAR
@ACTUALS
@PROJECT_COLUMN
@AMOUNT_COLUMN
@CURRENCY_COLUMN
@click.option("--member", default=None, help="Show this member's lines, each explained.")
@format_option(
    *FORMATS,
    "focus",
    text="Output format; focus: the actual costs as a FinOps FOCUS 1.3 dataset (CSV), "
    "tagged to read beside the budget's.",
)
@OUTPUT
@LANG
@handle_errors
def settle(
    *,
    spec: str,
    year: int | None,
    actuals: str | None,
    project_column: str | None,
    amount_column: str | None,
    currency_column: str | None,
    member: str | None,
    fmt: Format | Literal["focus"],
    output: str | None,
    lang: str | None,
) -> None:
    """Settle the year by its actual costs: what each member owes or gets back.

    The actual costs of each project are shared by the same keys, quantities
    and rules as the budget; each member's share minus what it was invoiced
    on account is its settlement, and the settlements add up exactly to
    actual minus budget. The spec's [settlement] outcome says whether the
    difference is settled in the year or carried into next year's budget.
    Actual costs come from accounts/YEAR.toml in the spec, or from a ledger
    export: --actuals LEDGER.csv --project-column NAME --amount-column NAME.
    Exit 2 when the actual costs cannot be read (every problem listed).
    """
    from dikt.views.year import settlement_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    found = read_actuals(
        cooperation, spec, year, actuals, (project_column, amount_column, currency_column)
    )
    result = dikt.settle(cooperation, found)
    if fmt == "focus":
        from dikt.cli._common import echo  # noqa: PLC0415
        from dikt.focus import focus_actual_csv  # noqa: PLC0415

        echo(focus_actual_csv(cooperation, result), output)
        return
    language = language_of(lang, cooperation)
    if member is not None:
        from dikt.views.year import member_settlement  # noqa: PLC0415

        require_paying(cooperation, result, member)
        member_settlement(result, member)
    if fmt == "xlsx" and output is not None:
        from dikt.cli._common import echo  # noqa: PLC0415
        from dikt.writers import xlsx  # noqa: PLC0415
        from dikt.writers.formulas import Differences, with_formulas  # noqa: PLC0415

        # Projects: budget C, actual D, difference E (only those that differ are listed, so
        # only the differences are summed); members: invoiced B, actual C, difference D.
        workbook = xlsx.write(settlement_document(result, member, language))
        sheets = [Differences(0, 5, 4, 3, (5,)), Differences(1, 4, 3, 2, (2, 3, 4))]
        echo(with_formulas(workbook, sheets), output)
        return
    show(result, lambda: settlement_document(result, member, language), fmt, output)


@main.command()
@SPEC
@click.argument("member")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="FILE.pdf or FILE.html: the format follows the suffix.",
)
@YEAR
@ACTUALS
@PROJECT_COLUMN
@AMOUNT_COLUMN
@CURRENCY_COLUMN
@BOARD_LANG
@handle_errors
def letter(
    *,
    spec: str,
    member: str,
    output: str,
    year: int | None,
    actuals: str | None,
    project_column: str | None,
    amount_column: str | None,
    currency_column: str | None,
    lang: str | None,
) -> None:
    """Write MEMBER's settlement letter for the year, as PDF or HTML.

    What it was invoiced on account, its share of the actual costs and the
    difference; budget against actual by kind, in a table and a chart; the
    lines that explain most of the difference, each explained; and the
    projects that ran over or under.
    """
    from pathlib import Path  # noqa: PLC0415

    from dikt.cli._common import N_, echo, said  # noqa: PLC0415

    suffix = Path(output).suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise click.BadParameter(
            said(N_("{file}: the letter is written as .pdf or .html"), file=output),
            param_hint="'--output'",
        )
    from dikt.views.year import letter_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    found = read_actuals(
        cooperation, spec, year, actuals, (project_column, amount_column, currency_column)
    )
    result = dikt.settle(cooperation, found)
    require_paying(cooperation, result, member)
    document = letter_document(result, member, language_of(lang, cooperation, default="nb"))
    if suffix == ".pdf":
        from dikt.writers import pdf  # noqa: PLC0415

        echo(pdf.write_pdf(document), output)
    else:
        from dikt.writers import html  # noqa: PLC0415

        echo(html.write_html(document), output)
