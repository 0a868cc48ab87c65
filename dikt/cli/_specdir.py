"""Writing a spec directory whole: what `dikt import` writes, all or none.

Apart from the commands so that `dikt --help` does not import shutil and
tempfile.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dikt.cli._common import N_, said

if TYPE_CHECKING:
    from collections.abc import Mapping


def write_spec(target: Path, files: Mapping[str, str], *, force: bool) -> None:
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
