"""Commands between spreadsheets and specs: a template to fill in, import, export."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from collections.abc import Mapping


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
    from dikt import Severity, check  # noqa: PLC0415
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
    _write_spec(Path(spec_dir), spec_texts(imported.model), force=force)
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


def _write_spec(target: Path, files: Mapping[str, str], *, force: bool) -> None:
    """Write the spec's files into ``target``: all or none, an existing spec only with force.

    The files go to a new directory beside ``target`` first, which is then
    renamed into place; a failure leaves ``target`` as it was.
    """
    hint = "'SPEC_DIR'"
    if target.exists() or target.is_symlink():
        empty = target.is_dir() and not target.is_symlink() and not any(target.iterdir())
        if not empty:
            if not force:
                raise click.BadParameter(
                    said(N_("{spec} exists; --force replaces it"), spec=str(target)),
                    param_hint=hint,
                )
            if target.is_symlink() or not (target / "cooperation.toml").is_file():
                raise click.BadParameter(
                    said(
                        N_("{spec} exists and is no spec (no cooperation.toml): not replaced"),
                        spec=str(target),
                    ),
                    param_hint=hint,
                )
    parent = target.resolve().parent if target.exists() else target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as error:
        raise click.BadParameter(
            said(N_("cannot write {file}: {reason}"), file=str(target), reason=error.strerror),
            param_hint=hint,
        ) from None
    old = None
    try:
        for name, text in files.items():
            file = staging / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8", newline="")
        os.chmod(staging, 0o755)  # noqa: PTH101 - mkdtemp makes it private
        if target.is_dir():
            _carry_over(target, staging, files)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            os.rename(target, old / "spec")  # noqa: PTH104
        os.rename(staging, target)  # noqa: PTH104
    except OSError as error:
        if old is not None and not target.exists():
            os.rename(old / "spec", target)  # noqa: PTH104 - put it back
        shutil.rmtree(staging, ignore_errors=True)
        raise click.BadParameter(
            said(N_("cannot write {file}: {reason}"), file=str(target), reason=error.strerror),
            param_hint=hint,
        ) from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _carry_over(target: Path, staging: Path, files: Mapping[str, str]) -> None:
    """Copy into ``staging`` what ``target`` holds besides the spec's own files.

    Only ``cooperation.toml`` and the member files are the workbook's to
    replace: the accounts, a ``.git`` directory, notes and anything else
    the user keeps in the spec's directory stay as they are.
    """
    ours = {Path(name) for name in files}
    for entry in sorted(target.iterdir()):
        name = entry.relative_to(target)
        if name == Path("cooperation.toml"):
            continue
        if name == Path("members") and entry.is_dir() and not entry.is_symlink():
            for inner in sorted(entry.iterdir()):
                if inner.suffix == ".toml" or inner.relative_to(target) in ours:
                    continue  # a member's file: the workbook's members replace them all
                _copy(inner, staging / inner.relative_to(target))
            continue
        _copy(entry, staging / name)


def _copy(source: Path, destination: Path) -> None:
    """Copy a file or a directory as it is, symbolic links as links."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, destination, symlinks=True)
    else:
        shutil.copy2(source, destination, follow_symlinks=False)


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
