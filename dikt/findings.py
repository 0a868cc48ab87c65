"""Writing findings (the problems of a spec) as text, JSON and GitHub annotations.

Kept apart from the analyses' renderers so that ``dikt check`` imports no
analysis: the check path stays as quick to start as the linter it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs

from dikt._values import for_terminal, visible
from dikt.document import Table, table
from dikt.errors import Problem, Severity
from dikt.i18n import texts
from dikt.serialise import attr, shape, to_data

__all__ = [
    "Report",
    "error_text",
    "findings_github",
    "findings_json",
    "findings_table",
    "findings_text",
    "for_terminal",
    "message_text",
    "problem_text",
    "to_json",
]


@attrs.frozen(kw_only=True)
class Report:
    """What ``dikt check`` found: the findings (or load problems), in order."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        """How many are errors."""
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many are warnings."""
        return len(self.problems) - self.errors


shape(Problem, "file", "path", "line", "column", "code", "severity", "message", "cause")
shape(
    Report,
    "errors",
    "warnings",
    ("findings", tuple[Problem, ...], attr("problems")),
)


def to_json(data: Any) -> str:
    """JSON as dikt prints it: two-space indent, UTF-8 kept, a final newline.

    Written by orjson, which gives exactly the text of ``json.dumps(data,
    indent=2, ensure_ascii=False)`` some 20 times faster (the standard
    library's encoder is pure Python when it indents: a national-scale
    allocation is 26 MB of JSON); the standard library writes what orjson
    refuses (integers beyond 64 bits).
    """
    import orjson  # noqa: PLC0415 - only where JSON is written

    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def problem_text(problem: Problem, language: str = "en") -> str:
    """``FILE:LINE:COLUMN: CODE KEY.PATH: message``, the message in the language.

    As :meth:`Problem.__str__ <dikt.errors.Problem.__str__>` writes it, in English.
    """
    message = texts(language).message(problem.message)
    # A file or message may hold what the user wrote (a directory named with an
    # escape sequence): shown escaped, never raw on a terminal.
    return visible(str(attrs.evolve(problem, message=message)))


def error_text(error: Exception, language: str = "en") -> str:
    r"""``dikt: message`` for an error, in the language, safe for a terminal.

    The message may hold what the user wrote (a member id, a path): control
    characters in it are shown escaped.

    >>> from dikt.i18n import message
    >>> error_text(ValueError(message('no member "{id}"', id="x\x1b[2J")))
    'dikt: no member "x\\x1b[2J"'
    """
    text = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
    return "dikt: " + message_text(text, language)


def message_text(text: str, language: str = "en") -> str:
    """A message (:func:`dikt.i18n.message`) in the language, safe for a terminal.

    Control characters in it, which can only come from what the user wrote,
    are shown escaped.
    """
    return visible(texts(language).message(text))


def _summary(problems: Sequence[Problem], language: str) -> str:
    """``2 errors, 1 warning``, in the language."""
    words = texts(language)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return words._("{errors}, {warnings}").format(
        errors=words.n_("{n} error", "{n} errors", errors),
        warnings=words.n_("{n} warning", "{n} warnings", len(problems) - errors),
    )


def findings_text(problems: Sequence[Problem], language: str = "en") -> str:
    """One line per finding, then a summary line."""
    lines = [problem_text(p, language) for p in problems]
    lines.append(_summary(problems, language))
    return "\n".join(lines) + "\n"


def findings_table(problems: Sequence[Problem], language: str = "en") -> Table:
    """Findings as a document table: file, line, key path, code, message (in the language)."""
    words = texts(language)
    return table(
        "findings",
        "file:id, line:count, key:id, code:id, message:text",
        [[p.file, p.line, p.path, p.code or "", words.message(p.message)] for p in problems],
    )


def findings_json(problems: Sequence[Problem], language: str = "en") -> str:  # noqa: ARG001
    """The findings as JSON: counts of errors and warnings, then each finding.

    The same in every language (messages in English): JSON is for machines.
    """
    return to_json(to_data(Report(problems=tuple(problems))))


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """Escape text for a GitHub Actions workflow command (its data or a property)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def findings_github(problems: Sequence[Problem], language: str = "en") -> str:
    """GitHub Actions workflow commands, one per finding, so CI annotates the change.

    ``::error file=F,line=L,col=C,title=CODE::KEY.PATH: message`` (``::warning``
    for warnings), then the summary line as plain text.
    """
    lines = []
    for p in problems:
        level = "error" if p.severity is Severity.ERROR else "warning"
        properties = [f"file={_github_escape(visible(p.file), property_value=True)}"]
        if p.line is not None:
            properties.append(f"line={p.line}")
            if p.column is not None:
                properties.append(f"col={p.column}")
        if p.code:
            properties.append(f"title={p.code}")
        message = texts(language).message(p.message)
        text = f"{p.path}: {message}" if p.path else message
        lines.append(f"::{level} {','.join(properties)}::{_github_escape(visible(text))}")
    lines.append(_summary(problems, language))
    return "\n".join(lines) + "\n"
