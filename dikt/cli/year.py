"""Commands on the year's cycle: invoices on account, settlement by actual costs, letters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

import dikt
from dikt.cli._common import (
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
