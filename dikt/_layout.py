"""A spec's layout on disk: the one place that knows its file names and size bound."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from dikt import limits

__all__ = [
    "ACCOUNTS_DIR",
    "COOPERATION_FILE",
    "MAX_FILE_BYTES",
    "MEMBERS_DIR",
    "member_file",
    "member_stem",
    "spec_contains",
    "spec_files",
]

#: The file that makes a directory a spec.
COOPERATION_FILE: Final = "cooperation.toml"

#: The directory of member files, ``members/ID.toml``.
MEMBERS_DIR: Final = "members"

#: The directory of the year's actual costs, ``accounts/YEAR.toml`` (read only to settle).
ACCOUNTS_DIR: Final = "accounts"

#: The suffix of every spec file.
SUFFIX: Final = ".toml"

# A spec file larger than this is refused unread (one of dikt's limits).
MAX_FILE_BYTES: Final = limits.MAX_FILE_BYTES


def member_file(member_id: str) -> str:
    """The file a member is described in, relative to the spec directory.

    >>> member_file("sande")
    'members/sande.toml'
    """
    return f"{MEMBERS_DIR}/{member_id}{SUFFIX}"


def member_stem(file: str) -> str:
    """The member id a member file's name gives (``members/sande.toml`` -> ``sande``)."""
    return file.rsplit("/", 1)[-1].removesuffix(SUFFIX)


def spec_files(directory: Path) -> list[Path]:
    """The files of the spec in ``directory`` that a change to should rebuild from."""
    return [
        directory / COOPERATION_FILE,
        *sorted((directory / MEMBERS_DIR).glob(f"*{SUFFIX}")),
    ]


def spec_contains(directory: Path, path: Path) -> bool:
    """Whether ``path`` is a file of the spec in ``directory``, or would become one.

    Its ``cooperation.toml``, any file under ``members/`` (a new one would be
    read as a member) or ``accounts/``, and any other name for one of its
    files (a link).
    dikt writes its output nowhere the user's spec is.
    """
    target = path.resolve()
    root = directory.resolve()
    if target == root / COOPERATION_FILE or target.parent in (
        root / MEMBERS_DIR,
        root / ACCOUNTS_DIR,
    ):
        return True
    if not target.is_file():
        return False
    return any(f.is_file() and target.samefile(f) for f in spec_files(directory))
