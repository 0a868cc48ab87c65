"""Commands for the membership changes beside joining: leave and merge."""

from __future__ import annotations

import click

from dikt.cli._common import (
    FORMATS,
    LANG,
    OUTPUT,
    SPEC,
    YEARS_ANY,
    Format,
    format_option,
    handle_errors,
    language_of,
    load_sound,
    main,
    show,
)

CHANGE_YEAR = click.option(
    "--year",
    # Any whole number: a year outside dikt's years is the library's one clear
    # message (exit 2), as a year before the member joined is.
    type=YEARS_ANY,
    default=None,
    metavar="YEAR",
    help="The change takes effect from the start of this year; default: the budget year.",
)


@main.command()
@SPEC
@click.argument("member")
@CHANGE_YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def leave(
    *,
    spec: str,
    member: str,
    year: int | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What MEMBER leaving does: what every remaining member pays after, and why.

    The year's contributions with and without it, by member and by line; per
    system it used, what the others take over (fixed parts and capacity that
    do not shrink with it); and its part of investments still being paid (of
    its leaving year and later), settled at leaving or paid year by year as
    the spec's [leaving] says. Systems with a cost model are priced for the
    remaining members by it; the others are held flat, and the output says
    how much.
    """
    from dikt.changes import leave as leave_of  # noqa: PLC0415
    from dikt.views.changes import leave_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = leave_of(cooperation, member, year)
    language = language_of(lang, cooperation)
    show(result, lambda: leave_document(result, language), fmt, output)


@main.command()
@SPEC
@click.argument("members", nargs=-1, required=True)
@click.option("--into", required=True, metavar="ID", help="The merged member's id.")
@click.option(
    "--name",
    default=None,
    help="The merged municipality's name; default: that of the member with the merged id "
    "(required when --into is a new id).",
)
@CHANGE_YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def merge(
    *,
    spec: str,
    members: tuple[str, ...],
    into: str,
    name: str | None,
    year: int | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What MEMBERS merging into one member (--into ID) does to every member.

    From the start of the year, the merged member's users, employees and
    population are theirs added up, every system any of them ran stays with
    it, and an equal part of a key is paid once. Every member's contribution
    before and after, and the other members' lines that change.
    """
    from dikt.changes import merge as merge_of  # noqa: PLC0415
    from dikt.views.changes import merge_document  # noqa: PLC0415

    cooperation = load_sound(spec)
    result = merge_of(cooperation, list(members), into, year, name)
    language = language_of(lang, cooperation)
    show(result, lambda: merge_document(result, language), fmt, output)


__all__ = ["leave", "merge"]
