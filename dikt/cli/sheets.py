"""Commands between spreadsheets and specs: a template to fill in, import, export."""

from __future__ import annotations

import click

import dikt
from dikt.cli._common import (
    EXIT_INVALID,
    LANG,
    N_,
    SPEC,
    echo,
    fail,
    handle_errors,
    language_of,
    load_spec,
    main,
    problem_lines,
    said,
)


def _workbook_name(value: str, parameter: str) -> str:
    if not value.lower().endswith(".xlsx"):
        raise click.BadParameter(
            said(N_("{file}: give a workbook name ending in .xlsx"), file=value),
            param_hint=parameter,
        )
    return value


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@LANG
@click.option(
    "--example",
    is_flag=True,
    help="Start from the shipped D-IKT example instead of empty sheets.",
)
@handle_errors
def template(file: str, lang: str | None, example: bool) -> None:
    """Write a workbook FILE.xlsx to fill in, for 'dikt import'.

    Sheets for the cooperation, domains, keys and their fixed shares,
    systems and their capacity steps, members, users per system per member
    (a system a row, a member a column), owners and managers, own systems,
    fleet, staff and contracts moving over, investments, a leaving member's
    agreed parts of them, process work and mergers; headers in the language
    of --lang, lists to choose packages, keys and domains from.
    """
    from dikt.sheets import example_spec, template_workbook  # noqa: PLC0415

    _workbook_name(file, "'FILE'")
    start = dikt.load(example_spec()) if example else None
    echo(template_workbook(lang or "en", start), file)


@main.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=True, file_okay=True))
@click.argument("spec_dir", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--force", is_flag=True, help="Replace SPEC_DIR if it holds a spec already.")
@LANG
@handle_errors
def import_(source: str, spec_dir: str, force: bool, lang: str | None) -> None:
    """Write the spec SPEC_DIR from a workbook (SOURCE.xlsx) or a directory of CSV files.

    The workbook has the layout 'dikt template' writes; a CSV directory one
    file per sheet (Systemer.csv...). Every problem is listed with its
    file, sheet and cell (Systemer!D14), and nothing is written (exit 2),
    also when 'dikt check' would find errors in the spec, or in a
    candidate's rows (which it would leave out, W213). An existing spec
    is replaced only with --force: its cooperation.toml and member files
    (their comments too, which a workbook does not hold); everything else
    in SPEC_DIR, such as accounts/ or .git, is kept. The files are written
    all or none.
    """
    from pathlib import Path  # noqa: PLC0415 - with urllib, a third of --help's start

    from dikt import Severity, check  # noqa: PLC0415
    from dikt.cli._specdir import write_spec  # noqa: PLC0415 - shutil, tempfile likewise
    from dikt.i18n import message_n  # noqa: PLC0415
    from dikt.sheets import import_csv, import_workbook, spec_texts  # noqa: PLC0415

    path = Path(source)
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
        imported = import_csv(files, source)
    else:
        imported = import_workbook(path.read_bytes(), source)
    found = imported.at_cells(check(imported.model))
    errors = [p for p in found if p.severity is Severity.ERROR]
    language = lang or language_of(None, imported.model)
    if errors:
        fail(problem_lines(errors, language), EXIT_INVALID)
    for line in problem_lines([p for p in found if p not in errors], language):
        click.echo(line, err=True)
    write_spec(Path(spec_dir), spec_texts(imported.model), force=force)
    members, systems = len(imported.model.members), len(imported.model.systems)
    click.echo(
        said(
            N_("wrote {spec}: {members}, {systems}"),
            spec=spec_dir,
            members=message_n("{n} member", "{n} members", members),
            systems=message_n("{n} system", "{n} systems", systems),
        ),
        err=True,
    )


@main.command()
@SPEC
@click.argument("file", type=click.Path(dir_okay=False))
@LANG
@handle_errors
def export(spec: str, file: str, lang: str | None) -> None:
    """Write the spec SPEC into a workbook FILE.xlsx, in the layout 'dikt import' reads.

    Importing the workbook again gives the same spec. Headers in the
    language of --lang, else the spec's language. A spec with a candidate
    whose file has errors (W213) is refused (exit 1): the workbook would
    lose it.
    """
    from dikt.sheets import export_workbook  # noqa: PLC0415

    _workbook_name(file, "'FILE'")
    cooperation = load_spec(spec)
    echo(export_workbook(cooperation, language_of(lang, cooperation)), file)
