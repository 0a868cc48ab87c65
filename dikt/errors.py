"""The errors dikt raises: a small hierarchy under :class:`DiktError`.

They carry structured attributes (``problems``, ``cycle``) so that a caller
(the CLI, the Sphinx extension, another tool) decides how to show them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

import attrs

__all__ = [
    "ComputeError",
    "DiktError",
    "NotFoundError",
    "Problem",
    "Severity",
    "SpecError",
    "format_path",
]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class Severity(enum.Enum):
    """How bad a problem is: errors stop the work, warnings inform."""

    ERROR = "error"
    WARNING = "warning"


def format_path(path: Sequence[str | int]) -> str:
    """A key path as TOML would write it: ``systems.IT141.users``, ``fleet[3].units``.

    >>> format_path(["systems", "IT141", "users"]), format_path(["fleet", 3, "units"])
    ('systems.IT141.users', 'fleet[3].units')
    >>> format_path(["systems", "a b"])
    'systems."a b"'
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        shown = part if _BARE_KEY.fullmatch(part) else '"' + part.replace('"', '\\"') + '"'
        text += f".{shown}" if text else shown
    return text


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong (or worth a look) in a spec, located by file and key path.

    ``code`` is set for the findings of :func:`dikt.check` (``E...`` errors,
    ``W...`` warnings) and absent for problems that stop a spec from loading.
    """

    file: str
    path: str = ""
    message: str
    code: str | None = None
    severity: Severity = Severity.ERROR
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.path:
            parts.append(self.path)
        text = f"{self.code} {self.message}" if self.code else self.message
        return ": ".join([*parts, text])


class DiktError(Exception):
    """The base of every error dikt raises on purpose."""


class SpecError(DiktError):
    """The spec could not be read: every problem found, all at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ComputeError(DiktError):
    """The spec loaded, but an analysis cannot be computed from it."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message)


class NotFoundError(DiktError):
    """An id given by the caller (not written in the spec) names nothing there."""

    def __init__(self, kind: str, ident: str, known: Sequence[str]) -> None:
        import difflib  # noqa: PLC0415 - only on this error path

        self.kind = kind
        self.ident = ident
        self.suggestions = difflib.get_close_matches(ident, list(known), n=3, cutoff=0.5)
        message = f'no {kind} "{ident}" in the spec'
        if self.suggestions:
            message += "; did you mean " + " or ".join(f'"{s}"' for s in self.suggestions) + "?"
        super().__init__(message)
