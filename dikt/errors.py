"""The errors dikt raises: a small hierarchy under :class:`DiktError`.

They carry structured attributes (``problems``, ``cycle``) so that a caller
(the CLI, the Sphinx extension, another tool) decides how to show them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

import attrs

__all__ = [
    "CODES",
    "ComputeError",
    "DiktError",
    "NotFoundError",
    "Problem",
    "Severity",
    "SpecError",
    "WhatIfError",
    "format_path",
]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

#: Every problem's code and what it means: ``E0..`` a spec that cannot be
#: read (exit 2), ``E1..`` errors and ``W2..`` warnings of :func:`dikt.check`;
#: ``E130``-``E140`` actual costs that ``dikt settle`` cannot read (exit 2);
#: ``E150``-``E169`` a workbook that ``dikt import`` cannot read (exit 2).
#: Codes are stable: a code is never reused for another meaning.
CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "E001": "a file or directory that cannot be read (missing, not a regular file, "
        "unreadable, too large, outside the spec directory)",
        "E002": "a file that is not UTF-8 text",
        "E003": "invalid TOML syntax",
        "E004": "an unknown key",
        "E005": "a missing required key",
        "E006": "a value of the wrong type, or not one of the allowed values",
        "E007": "a number, year or date outside its range",
        "E008": "an invalid id",
        "E009": "a member file whose name and id disagree, or a duplicate member id",
        "E010": "a spec format version this dikt does not read",
        "E011": "a file in members/ that is not loaded (its name does not end in .toml)",
        "E101": "reference to an unknown catalogue system",
        "E102": "reference to an unknown domain",
        "E103": "reference to an unknown allocation key",
        "E104": "reference to an unknown member",
        "E105": "a cycle in depends_on",
        "E106": "fixed shares that do not cover exactly the participants",
        "E107": "fixed shares that do not sum to 1",
        "E108": "an amount with nobody to pay it (no participants, or a basis of 0)",
        "E109": "a municipality number that is not 4 digits",
        "E110": "an investment whose category and system/member/key do not agree",
        "E111": "an allocation key that is not well defined",
        "E112": "a duplicate investment id",
        "E113": "a currency that is not an ISO 4217 code",
        "E114": "a cooperation without members",
        "E115": "a member investment of the budget year for a candidate, which pays nothing yet",
        "E116": "a catalogue system retired on or before the day it is introduced",
        "E117": "retired: a key with fixed shares that a joining candidate would have to "
        "share (now the warning W207: it stops only the what-ifs with the candidate)",
        "E118": "a system's cost model that does not add up to its annual cost (capacity steps "
        "that do not rise or serve too few users, per-user and step costs above the annual "
        "cost, a fixed part that is not the rest)",
        "E119": "shares after a candidate joins (shares_with) that name a member as the "
        "candidate, or do not cover exactly the key's members and the candidate",
        "E130": "a ledger or accounts file that cannot be read (missing, not UTF-8, not CSV or "
        "TOML, an unknown key)",
        "E131": "a ledger column named on the command line that the ledger does not have",
        "E132": "an amount of the actual costs that is not money (not a number, more than two "
        "decimals, a row of the wrong width)",
        "E133": "actual costs booked to an unknown project code",
        "E134": "actual costs booked to a system not in operation in the year, or to an "
        "investment of another year",
        "E135": "a duplicate row in a ledger",
        "E136": "actual costs in a currency other than the spec's",
        "E137": "actual costs booked to no project, and no [settlement] unassigned_key to share "
        "them",
        "E138": "no actual costs: an empty ledger, or an accounts file without [actuals]",
        "E139": "an accounts file whose year is not the year of its name",
        "E140": "a project whose actual costs are negative in all (its credit notes exceed its "
        "costs)",
        "E170": "a member's staff or contract moving over, booked to a system that is not "
        "in the catalogue (a candidate's: W211)",
        "E150": "a workbook (or CSV file) that dikt import cannot read: no xlsx, encrypted, with "
        "macros, too large, not UTF-8",
        "E151": "a workbook's sheet that is missing, unknown, hidden or empty",
        "E152": "a workbook's column (or Cooperation field) that is missing, unknown, without a "
        "header or there twice",
        "E153": "merged cells in a workbook",
        "E154": "a formula or an error value in a workbook's cell",
        "E155": "a cell whose value is of the wrong kind (text where a number goes, a number "
        "written with separators, a date where a number goes), or a share (sheet Shares) of "
        "more than one of With candidate, Without member and Merged into",
        "E156": "an id that is there twice in a workbook's sheet, or a merger whose rows "
        "(sheet Mergers) give different dates or names",
        "E157": "a row or a user count for a system, member or key that is not in its sheet",
        "E158": "an empty cell where a value is required",
        "E180": "a merger that is not well defined (fewer than two members, a candidate, a date "
        "before a member joined, an id that is another member's, a new id without a name)",
        "E181": "a leaving date for a candidate, or before the member joined",
        "E183": "obligations (parts of investments agreed at leaving) in the file of a member "
        "without a leaving date, or of a candidate",
        "E184": "an obligation for an investment the member cannot bear a part of: unknown, a "
        "member investment, of a year before it leaves, or a part larger than the investment",
        "E185": "parts of an investment that members who have left bear, agreed in their files "
        "and as the key gives them, that come to more than the investment",
        "E182": "shares after a member leaves that name a candidate, or give the leaving member "
        "a share",
        "E190": "a budget year in which no member pays (before the first member joined, or "
        "after every member has left)",
        "E191": "a member investment of a year in which its member is not a member (before it "
        "joined, or from its leaving)",
        "E192": "a key with a fixed share for a member that leaves within the plan's years, "
        "without the shares after it leaves",
        "E193": "a key with fixed shares and a member that joins after the budget year",
        "W201": "a system in use at a member without system owner or system manager",
        "W202": "a critical system without coordinator or operations manager",
        "W203": "a member without board or working-committee representative",
        "W204": "a catalogue system nobody uses",
        "W205": "an own system whose id is also a catalogue system's",
        "W206": "a candidate whose joined date is in or before the budget year",
        "W207": "a key with fixed shares and no shares for a candidate who would share it "
        "(shares_with): the what-ifs with the candidate cannot price it",
        "W208": "a candidate without a joined date (or one in dikt's first year, or one whose "
        "year before has no members to implement it): join and report for it need the "
        "implementation year",
        "W209": "capacity steps that cannot serve the members with a candidate: the what-ifs "
        "with the candidate cannot price the system",
        "W210": "capacity steps by total users shared by more than 16 members with a candidate: "
        "the what-if of fair shares with the candidate has no exact Shapley value",
        "W211": "a candidate's staff or contract moving over, booked to a system that is not in "
        "the catalogue: the what-ifs with the candidate cannot price it",
        "W212": "capacity steps by total users shared by more members than an exact Shapley "
        "value is computed for (16)",
        "W213": "an error in a candidate's own file: the candidate is left out of the members' "
        "analyses, and the what-ifs with it stop until the file is fixed",
        "W217": "credit notes (negative amounts) among the actual costs: allowed, and subtracted",
        "W225": "a member without a fleet survey where others have one: the plan has no PC "
        "renewal figure for it",
        "W230": "a member whose joined date is after the budget year: it pays nothing until then",
        "W231": "a leaving date that is not 1 January: the member leaves from the start of that "
        "year and pays no contribution in it",
        "W232": "investments of a leaving member's years that its obligations leave out: the "
        "other members pay them whole",
    }
)


class Severity(enum.Enum):
    """How bad a problem is: errors stop the work, warnings inform."""

    ERROR = "error"
    WARNING = "warning"


def format_path(path: Sequence[str | int]) -> str:
    r"""A key path as TOML would write it: ``systems.IT141.users``, ``fleet[3].units``.

    >>> format_path(["systems", "IT141", "users"]), format_path(["fleet", 3, "units"])
    ('systems.IT141.users', 'fleet[3].units')
    >>> format_path(["systems", "a b"])
    'systems."a b"'

    A key that is not bare is a TOML basic string, control characters escaped
    as TOML writes them, so that the path can be pasted into the file and no
    raw control character reaches a terminal:

    >>> print(format_path(["bad\x1b[31m", 'say "hi"']))
    "bad\u001b[31m"."say \"hi\""
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        shown = part if _BARE_KEY.fullmatch(part) else _basic_string(part)
        text += f".{shown}" if text else shown
    return text


#: TOML's short escapes; every other control character is written ``\uXXXX``.
_ESCAPES: Final = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
#: What a TOML basic string escapes, and the characters dikt never writes raw.
_TO_ESCAPE: Final = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')


def _basic_string(text: str) -> str:
    """``text`` as a TOML basic string: ``"a \\"b\\""``."""
    return '"' + _TO_ESCAPE.sub(_escape, text) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong (or worth a look) in a spec, located by file and key path.

    ``code`` is one of :data:`CODES`: ``E0..`` for problems that stop a spec
    from loading, ``E1..`` errors and ``W2..`` warnings for the findings of
    :func:`dikt.check`. ``line`` and ``column`` (1-based) locate the key or
    table the problem is about, where dikt can find it in the file.
    """

    file: str
    path: str = ""
    message: str
    code: str | None = None
    severity: Severity = Severity.ERROR
    line: int | None = None
    column: int | None = None
    #: For W213: the code of the error in a candidate's own file that the warning stands for.
    cause: str | None = None

    def __str__(self) -> str:
        """``FILE:LINE:COLUMN: CODE KEY.PATH: message``, as linters print findings.

        Line and column are left out where unknown, the key path where the
        problem is about a whole file.
        """
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {self.code} {text}" if self.code else f"{where}: {text}"


class DiktError(Exception):
    """The base of every error dikt raises on purpose."""


class SpecError(DiktError):
    """The spec could not be read: every problem found, all at once.

    ``spec`` is the spec as the caller named it (directory or cooperation.toml),
    when it was read from disk; the problems' files are relative to its
    directory.
    """

    def __init__(
        self, problems: Sequence[Problem], spec: str | None = None, language: str | None = None
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.spec = spec
        #: The spec's ``language``, where its cooperation.toml states a valid one:
        #: the language its readers want these problems in (None: not known).
        self.language = language
        super().__init__("\n".join(str(p) for p in self.problems))


class ComputeError(DiktError):
    """The spec loaded, but an analysis cannot be computed from it."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message)


class ArgumentError(ComputeError):
    """An argument given by the caller (not written in the spec) does not fit it:
    a candidate where a member is needed, a member named twice, a year before
    a member joined. The command line exits 2 for it, as for a wrong option."""


class WhatIfError(ComputeError):
    """A what-if with a candidate that something in the spec stops.

    ``problems`` are the warnings of :func:`dikt.check` that say what, in the
    same words (W207-W211, W213); the members' own analyses are not stopped by them.
    """

    def __str__(self) -> str:
        """The summary, then each warning as ``check`` prints it."""
        return "\n".join([str(self.args[0]), *(str(p) for p in self.problems)])


class NotFoundError(ComputeError):
    """An id given by the caller (not written in the spec) names nothing there."""

    def __init__(self, kind: str, ident: str, known: Sequence[str]) -> None:
        import difflib  # noqa: PLC0415 - only on this error path

        self.kind = kind
        self.ident = ident
        self.suggestions = difflib.get_close_matches(ident, list(known), n=3, cutoff=0.5)
        from dikt.i18n import message, one_of  # noqa: PLC0415 - the model layer imports errors

        if self.suggestions:
            text = message(
                'no {kind} "{id}" in the spec; did you mean {options}?',
                kind=kind,
                id=ident,
                options=one_of(self.suggestions),
            )
        else:
            text = message('no {kind} "{id}" in the spec', kind=kind, id=ident)
        super().__init__(text)
