"""Commands on the system portfolio: harmonisation gaps, the matrix, roadmaps."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

import dikt
from dikt.cli._common import (
    EXIT_FINDINGS,
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
@click.argument("member")
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def gaps(
    *, spec: str, member: str, year: int | None, fmt: Format, output: str | None, lang: str | None
) -> None:
    """Where MEMBER (a member or a candidate) deviates from the standard.

    Per domain: harmonised, deviating, mixed or absent; the systems it runs
    and the cooperation's standard ones; what it pays alone for its own
    systems; and how harmonised it is by domains, users and cost.
    """
    from dikt.views.harmonisation import gaps_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = dikt.gaps(cooperation, member, year)
    language = language_of(lang, cooperation)
    show(result, lambda: gaps_document(result, language, dikt.names_of(cooperation)), fmt, output)


@main.command()
@SPEC
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def matrix(spec: str, fmt: Format, output: str | None, lang: str | None) -> None:
    """The cooperation at a glance: domains by members, the systems each runs.

    Standard systems plain, deviating ones (own or non-standard) in
    brackets; candidates included and marked.
    """
    from dikt.views.harmonisation import matrix_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = dikt.matrix(cooperation)
    language = language_of(lang, cooperation)
    show(result, lambda: matrix_document(result, language, dikt.names_of(cooperation)), fmt, output)


@main.command()
@SPEC
@click.argument("member")
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def roadmap(
    *, spec: str, member: str, year: int | None, fmt: Format, output: str | None, lang: str | None
) -> None:
    """A costed order for MEMBER to move its deviating systems to the standard.

    For each: the standard system to move to, the natural time (its contract
    end), and the annual effect on MEMBER's contribution, priced by the
    allocation on the harmonised spec. Systems others depend on come first.
    Exit 1 if the member's dependencies have a cycle (it is listed).
    """
    from dikt.views.harmonisation import roadmap_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = dikt.roadmap(cooperation, member, year)
    language = language_of(lang, cooperation)
    show(
        result, lambda: roadmap_document(result, language, dikt.names_of(cooperation)), fmt, output
    )
    if result.cycles:
        from dikt.i18n import texts  # noqa: PLC0415

        for cycle in result.cycles:
            said = texts(language)._("dependency cycle: {cycle}")
            click.echo(f"dikt: {said.format(cycle=' -> '.join([*cycle, cycle[0]]))}", err=True)
        sys.exit(EXIT_FINDINGS)


#: The implementation year of a joining candidate (``join``, ``report``).
