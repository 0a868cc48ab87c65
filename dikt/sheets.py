"""From spreadsheets to a spec and back: the workbook layout, import and export.

A cooperation's portfolio often lives in spreadsheets: a system list, and
users per system per member. :func:`template_workbook` writes a workbook to
fill in, :func:`import_workbook` (or :func:`import_csv`, a directory of one
CSV file per sheet) reads it into a model, :func:`spec_texts` gives that
model's spec files, and :func:`export_workbook` writes a spec back into the
same layout, so that export then import gives the same model.

The layout, one sheet each (names and headers in English or bokmål; either
is read):

- Cooperation (Samarbeid): one field a row, its value beside it;
- Domains, Keys, Shares (fixed shares of a key, and those once a candidate
  joins, a member leaves or members merge), Systems, Steps (a system's
  capacity steps), Members: one row per entry, a header row on top;
- Users (Brukere): a system a row, a member a column, users in the cells (an
  empty cell: the member does not use the system; 0: it does, with none);
- Responsibilities (system owner and manager per member and system), Own
  systems, Fleet, Staff moving over, Contracts taken over, Investments,
  Process: one row per entry;
- Mergers (Sammenslåinger): a row per merging member, each row of a merger
  with its date and name.

Reading is strict and says where: every problem names the file, the sheet
and the cell (``Systemer!D14``) and what was expected, all at once, in a
:class:`~dikt.errors.SpecError`. Pure functions: bytes in, a model or bytes
out; the command line reads and writes the files.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import enum
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, NamedTuple

import attrs

from dikt._dump import dumps
from dikt._layout import COOPERATION_FILE, MEMBERS_DIR, member_file
from dikt._load import structure_cooperation
from dikt._values import describe
from dikt._xlsx import CellError, Grid, WorkbookError, escape, read
from dikt.errors import Problem, SpecError, format_path
from dikt.i18n import N_, Message, message, message_n, texts
from dikt.model import (
    CalKind,
    Category,
    Cooperation,
    Device,
    Language,
    MemberStatus,
    Metric,
    Obligations,
    Outcome,
    Package,
    Period,
    Remainder,
    ServiceCategory,
    StepBasis,
    SystemStatus,
    ThinClients,
    Use,
)
from dikt.money import Money, fraction_text

__all__ = [
    "Imported",
    "example_spec",
    "export_workbook",
    "import_csv",
    "import_workbook",
    "spec_texts",
    "template_workbook",
]


#: In a document, a value that could not be read (and was said so, at its cell):
#: the loader's problem about it is the same one, and is left out.
_FAILED: Final = type("_Failed", (), {"__repr__": lambda _self: "<failed>"})()


class _Kind(enum.Enum):
    TEXT = "text"
    ID = "id"
    IDS = "ids"
    INTEGER = "integer"
    AMOUNT = "amount"
    FRACTION = "fraction"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@attrs.frozen
class _Column:
    """A column (or a field of the Cooperation sheet): where its value goes, and its kind."""

    key: tuple[str, ...]
    header: str
    kind: _Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    validation: str | None = None  # the sheet whose ids the column takes ("domains", "keys")


def _choice(key: tuple[str, ...], header: str, values: type[enum.Enum], **kw: Any) -> _Column:
    return _Column(key, header, _Kind.CHOICE, choices=tuple(v.value for v in values), **kw)


@attrs.frozen
class _Sheet:
    """A sheet of rows under a header."""

    name: str
    columns: tuple[_Column, ...]


_T, _I, _N, _A = _Kind.TEXT, _Kind.ID, _Kind.INTEGER, _Kind.AMOUNT

#: The fields of the Cooperation sheet, a row each.
_FIELDS: Final = (
    _Column(("id",), N_("Id"), _I, required=True),
    _Column(("name",), N_("Name"), _T, required=True),
    _Column(("legal_basis",), N_("Legal basis"), _T),
    _Column(("established",), N_("Established"), _Kind.DATE),
    _Column(("budget_year",), N_("Budget year"), _N, required=True),
    _Column(("currency",), N_("Currency"), _T, required=True),
    _choice(("language",), N_("Language"), Language),
    _Column(("defaults", "base_key"), N_("Key for base packages"), _T, validation="keys"),
    _Column(("defaults", "application_key"), N_("Key for applications"), _T, validation="keys"),
    _Column(
        ("defaults", "core_investment_key"), N_("Key for core investments"), _T, validation="keys"
    ),
    _Column(("defaults", "per_user_share"), N_("Share of each cost per user"), _Kind.FRACTION),
    _Column(("premises", "pc_lifetime_years"), N_("PC lifetime in years"), _N),
    _Column(("premises", "min_units_per_model"), N_("Fewest units of a PC model kept"), _N),
    _Column(("premises", "image_days_per_model"), N_("Image days per PC model"), _N),
    _Column(("premises", "day_rate"), N_("Day rate"), _A),
    _Column(("premises", "cabinet_capacity"), N_("PCs per charging cabinet"), _N),
    _choice(("premises", "thin_clients"), N_("Thin clients when joining"), ThinClients),
    _Column(("premises", "prices", "laptop"), N_("Price of a laptop"), _A),
    _Column(("premises", "prices", "desktop"), N_("Price of a desktop PC"), _A),
    _Column(("premises", "prices", "charging_cabinet"), N_("Price of a charging cabinet"), _A),
    _Column(("premises", "prices", "core_cal_per_employee"), N_("CoreCAL per employee"), _A),
    _Column(("premises", "prices", "capacity_per_user"), N_("Capacity per joining user"), _A),
    _choice(("invoicing", "per"), N_("Invoices on account per"), Period),
    _choice(("invoicing", "remainder"), N_("Instalments taking the øre left over"), Remainder),
    _Column(("invoicing", "due_days"), N_("Days until an invoice is due"), _N),
    _choice(("settlement", "outcome"), N_("Overspend or underspend"), Outcome),
    _Column(
        ("settlement", "unassigned_key"),
        N_("Key for costs booked to no project"),
        _T,
        validation="keys",
    ),
    _choice(("leaving", "investments"), N_("A leaving member's part of investments"), Obligations),
)

_COOPERATION: Final = _Sheet(
    N_("Cooperation"),
    (_Column(("field",), N_("Field"), _T), _Column(("value",), N_("Value"), _T)),
)
_DOMAINS: Final = _Sheet(
    N_("Domains"), (_Column(("id",), N_("Id"), _I, True), _Column(("name",), N_("Name"), _T, True))
)
_KEYS: Final = _Sheet(
    N_("Keys"),
    (
        _Column(("id",), N_("Id"), _I, True),
        _choice(("metric",), N_("Metric"), Metric),
        _Column(("equal_share",), N_("Equal share"), _Kind.FRACTION),
    ),
)
_SHARES: Final = _Sheet(
    N_("Shares"),
    (
        _Column(("key",), N_("Key"), _I, True),
        _Column(("member",), N_("Member"), _I, True),
        _Column(("share",), N_("Share"), _Kind.FRACTION, True),
        # A share once a candidate joins, a member leaves or members merge: at most one a row.
        _Column(("shares_with",), N_("With candidate"), _I),
        _Column(("shares_without",), N_("Without member"), _I),
        _Column(("shares_merged",), N_("Merged into"), _I),
    ),
)
#: The Shares sheet's columns that say which of a key's tables a share is of.
_SITUATIONS: Final = _SHARES.columns[3:]
_SYSTEMS: Final = _Sheet(
    N_("Systems"),
    (
        _Column(("id",), N_("Id"), _I, True),
        _Column(("name",), N_("Name"), _T, True),
        _choice(("package",), N_("Package"), Package, required=True),
        _Column(("domain",), N_("Domain"), _T, True, validation="domains"),
        _Column(("annual_cost",), N_("Annual cost"), _A, True),
        _Column(("vendor",), N_("Vendor"), _T),
        _Column(("key",), N_("Key"), _T, validation="keys"),
        _Column(("depends_on",), N_("Depends on"), _Kind.IDS),
        _choice(("status",), N_("Status"), SystemStatus),
        _Column(("critical",), N_("Critical"), _Kind.BOOLEAN),
        _Column(("coordinator",), N_("Coordinator"), _T),
        _Column(("operations",), N_("Operations"), _T),
        _choice(("service_category",), N_("Service category"), ServiceCategory),
        _Column(("introduced",), N_("Introduced"), _Kind.DATE),
        _Column(("retired",), N_("Retired"), _Kind.DATE),
        _Column(("cost_model", "per_user"), N_("Cost per user"), _A),
        _choice(("cost_model", "step_basis"), N_("Steps sized by"), StepBasis),
        _Column(("cost_model", "fixed"), N_("Fixed part"), _A),
    ),
)
_STEPS: Final = _Sheet(
    N_("Steps"),
    (
        _Column(("system",), N_("System"), _I, True),
        _Column(("up_to",), N_("Up to users"), _N, True),
        _Column(("cost",), N_("Cost"), _A, True),
    ),
)
_MEMBERS: Final = _Sheet(
    N_("Members"),
    (
        _Column(("id",), N_("Id"), _I, True),
        _Column(("name",), N_("Name"), _T, True),
        _Column(("municipality_number",), N_("Municipality number"), _T, True),
        _choice(("status",), N_("Status"), MemberStatus, required=True),
        _Column(("joined",), N_("Joined"), _Kind.DATE),
        _Column(("leaving",), N_("Leaving"), _Kind.DATE),
        _Column(("population",), N_("Population"), _N, True),
        _Column(("employees",), N_("Employees"), _N, True),
        _Column(("users",), N_("Users"), _N, True),
        _Column(("representatives", "board"), N_("Board representative"), _T),
        _Column(
            ("representatives", "working_committee"), N_("Working committee representative"), _T
        ),
        _choice(("licences", "cal"), N_("Client licences"), CalKind),
        _Column(("transfer", "operating_cost"), N_("IT operating costs today"), _A),
    ),
)
_USERS: Final = _Sheet(N_("Users"), (_Column(("system",), N_("System"), _I, True),))
_RESPONSIBILITIES: Final = _Sheet(
    N_("Responsibilities"),
    (
        _Column(("member",), N_("Member"), _I, True),
        _Column(("system",), N_("System"), _I, True),
        _Column(("owner",), N_("System owner"), _T),
        _Column(("manager",), N_("System manager"), _T),
    ),
)
_OWN_SYSTEMS: Final = _Sheet(
    N_("Own systems"),
    (
        _Column(("member",), N_("Member"), _I, True),
        _Column(("id",), N_("Id"), _I, True),
        _Column(("name",), N_("Name"), _T, True),
        _Column(("domain",), N_("Domain"), _T, True, validation="domains"),
        _Column(("annual_cost",), N_("Annual cost"), _A, True),
        _Column(("users",), N_("Users"), _N, True),
        _Column(("vendor",), N_("Vendor"), _T),
        _Column(("depends_on",), N_("Depends on"), _Kind.IDS),
        _Column(("contract_ends",), N_("Contract ends"), _Kind.DATE),
        _Column(("owner",), N_("System owner"), _T),
        _Column(("manager",), N_("System manager"), _T),
    ),
)
_FLEET: Final = _Sheet(
    N_("Fleet"),
    (
        _Column(("member",), N_("Member"), _I, True),
        _Column(("model",), N_("Model"), _T, True),
        _choice(("kind",), N_("Kind"), Device, required=True),
        _Column(("units",), N_("Units"), _N, True),
        _Column(("purchased",), N_("Purchased"), _N, True),
        _choice(("use",), N_("Use"), Use),
    ),
)
_STAFF: Final = _Sheet(
    N_("Staff moving over"),
    (
        _Column(("member",), N_("Member"), _I, True),
        _Column(("role",), N_("Role"), _T, True),
        _Column(("count",), N_("Count"), _N),
        _Column(("position",), N_("Position"), _Kind.FRACTION),
        _Column(("annual_cost",), N_("Annual cost"), _A, True),
        _Column(("system",), N_("System"), _T, True),
    ),
)
_CONTRACTS: Final = _Sheet(
    N_("Contracts taken over"),
    (
        _Column(("member",), N_("Member"), _I, True),
        _Column(("item",), N_("Item"), _T, True),
        _Column(("system",), N_("System"), _T, True),
        _Column(("annual_cost",), N_("Annual cost"), _A, True),
    ),
)
_INVESTMENTS: Final = _Sheet(
    N_("Investments"),
    (
        _Column(("id",), N_("Id"), _I, True),
        _choice(("category",), N_("Category"), Category, required=True),
        _Column(("year",), N_("Year"), _N, True),
        _Column(("amount",), N_("Amount"), _A, True),
        _Column(("description",), N_("Description"), _T),
        _Column(("system",), N_("System"), _T),
        _Column(("member",), N_("Member"), _T),
        _Column(("key",), N_("Key"), _T, validation="keys"),
    ),
)
#: A leaving member's parts of investments, as agreed when it gave notice (``obligations``).
_OBLIGATIONS: Final = _Sheet(
    N_("Obligations"),
    (
        _Column(("member",), N_("Member"), _I, True),
        _Column(("investment",), N_("Investment"), _I, True),
        _Column(("part",), N_("Part"), _A, True),
    ),
)
_PROCESS: Final = _Sheet(
    N_("Process"),
    (_Column(("item",), N_("Item"), _T, True), _Column(("days",), N_("Days"), _N, True)),
)

#: Mergers stated in the spec (``[mergers.ID]``): a row per merging member, each row of a
#: merger with its date and name (they must agree), its members in the order of its rows.
_MERGERS: Final = _Sheet(
    N_("Mergers"),
    (
        _Column(("into",), N_("Merged into"), _I, True),
        _Column(("member",), N_("Member"), _I, True),
        _Column(("date",), N_("Date"), _Kind.DATE, True),
        _Column(("name",), N_("Name after the merger"), _T),
    ),
)

#: Every sheet, in the workbook's order.
_SHEETS: Final = (
    _COOPERATION,
    _DOMAINS,
    _KEYS,
    _SHARES,
    _SYSTEMS,
    _STEPS,
    _MEMBERS,
    _USERS,
    _RESPONSIBILITIES,
    _OWN_SYSTEMS,
    _FLEET,
    _STAFF,
    _CONTRACTS,
    _INVESTMENTS,
    _OBLIGATIONS,
    _PROCESS,
    _MERGERS,
)
#: The sheets a workbook must have; the others may be left out (none of them).
_REQUIRED: Final = frozenset({_COOPERATION.name, _SYSTEMS.name, _MEMBERS.name, _USERS.name})


def _names(english: str) -> tuple[str, ...]:
    """A sheet's name or a header in every language dikt writes."""
    return tuple(dict.fromkeys((english, texts("nb")._(english))))


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


# -- where a value came from --------------------------------------------------------


class _Cell(NamedTuple):
    """A cell: its sheet (as the file names it), row and column (1-based).

    A named tuple, not an attrs class: an import makes half a million of them.
    """

    sheet: str
    row: int
    column: int

    def __str__(self) -> str:
        from openpyxl.utils import get_column_letter  # noqa: PLC0415

        return f"{get_column_letter(self.column)}{self.row}"


@attrs.frozen(eq=False, kw_only=True)
class Imported:
    """A model read from a workbook, and where each of its values came from.

    :meth:`at_cells` turns problems about the model (from
    :func:`dikt.check`, which names spec files and key paths) into problems
    at the cells they came from, so that the reader finds them in the
    workbook.
    """

    #: The spec read (a cooperation, its members included).
    model: Cooperation
    #: The workbook (or the CSV directory) as the caller named it.
    source: str
    _cells: Mapping[tuple[str, tuple[str | int, ...]], _Cell | _Row] = attrs.field(alias="cells")
    _csv: bool = attrs.field(default=False, alias="csv")

    def at_cells(self, problems: Iterable[Problem]) -> tuple[Problem, ...]:
        """The problems, each named by the file, sheet and cell its value came from."""
        return _at_cells(problems, self._cells, self.source, csv=self._csv)


def _reference(source: str, cell: _Cell, *, csv: bool) -> tuple[str, str]:
    """The file and the cell reference a problem names: ``(FILE, "Systemer!D14")``."""
    if csv:
        return str(Path(source) / f"{cell.sheet}.csv"), str(cell)
    return source, f"{cell.sheet}!{cell}"


def _at_cells(
    problems: Iterable[Problem],
    cells: Mapping[tuple[str, tuple[str | int, ...]], _Cell | _Row],
    source: str,
    *,
    csv: bool,
) -> tuple[Problem, ...]:
    by_path: dict[tuple[str, str], _Cell] | None = None
    located = []
    for problem in problems:
        if by_path is None:  # only once there is a problem: the national spec has 500 000
            by_path = _cells_by_path(cells)
        path = problem.path
        cell = None
        while True:
            cell = by_path.get((problem.file, path))
            if cell is not None or not path:
                break
            path = _parent(path)
        if cell is None:
            cell = by_path.get((problem.file, ""))
        if cell is None:
            file, reference = source, ""
        else:
            file, reference = _reference(source, cell, csv=csv)
        said = problem.message
        if problem.path and path != problem.path:  # a cell of the row, not of the value
            said = message("{message} ({path})", message=problem.message, path=problem.path)
        located.append(
            attrs.evolve(problem, file=file, path=reference, message=said, line=None, column=None)
        )
    return tuple(located)


def _cells_by_path(
    cells: Mapping[tuple[str, tuple[str | int, ...]], _Cell | _Row],
) -> dict[tuple[str, str], _Cell]:
    """Each value's cell by its file and key path (``systems.IT141.users``)."""
    found: dict[tuple[str, str], _Cell] = {}
    for (file, path), where in cells.items():
        if isinstance(where, _Cell):
            found[file, format_path(path)] = where
            continue
        found[file, format_path(path)] = where.first
        for key in where.columns:
            cell = where.cell(key)
            found[file, format_path((*path, *key))] = cell
            for end in range(1, len(key)):  # a table of the row (``representatives``)
                found.setdefault((file, format_path((*path, *key[:end]))), cell)
    return found


_LAST_PART: Final = re.compile(r'(?:\.(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")|\[[0-9]+\])$')


def _parent(path: str) -> str:
    """The key path one level up: ``systems.IT141`` for ``systems.IT141.users``."""
    match = _LAST_PART.search(path)
    return path[: match.start()] if match else ""


# -- reading cells ------------------------------------------------------------------

_PLAIN_NUMBER: Final = re.compile(r"[0-9]+(\.[0-9]+)?")
_SEPARATED: Final = re.compile(r"[0-9][0-9 \u00a0\u202f.,']*[0-9]")
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER_TEXT: Final = re.compile(r"[0-9]+")


class _Problems:
    """Problems found while reading, each at its cell."""

    def __init__(self, source: str, *, csv: bool) -> None:
        self.source = source
        self.csv = csv
        self.found: list[Problem] = []
        #: Cells said to be wrong without a problem of their own (the rest of a merged range).
        self.said: set[tuple[str, str]] = set()

    def add(self, cell: _Cell | str, said: str, code: str) -> None:
        if isinstance(cell, str):  # a whole sheet (or file)
            file = str(Path(self.source) / f"{cell}.csv") if self.csv and cell else self.source
            reference = "" if self.csv or not cell else cell
            self.found.append(Problem(file=file, path=reference, message=said, code=code))
            return
        file, reference = _reference(self.source, cell, csv=self.csv)
        self.found.append(Problem(file=file, path=reference, message=said, code=code))


def _text_value(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _number_words(value: object) -> Message:
    if isinstance(value, bool):
        return message("the truth value {value}", value="TRUE" if value else "FALSE")
    if isinstance(value, dt.datetime | dt.date):
        return message("the date {value}", value=f"{value:%Y-%m-%d}")
    if isinstance(value, int | float):
        return message("the number {value}", value=repr(value))
    return message("the text {value}", value=describe(value))


def _convert(value: object, column: _Column) -> tuple[object, Message | None]:
    """A cell's value as the spec file holds it, or why it cannot be."""
    kind = column.kind
    if kind in (_Kind.TEXT, _Kind.ID, _Kind.CHOICE):
        text = _text_value(value)
        if text is None:
            expected = {
                _Kind.TEXT: message("expected text"),
                _Kind.ID: message("expected an id"),
                _Kind.CHOICE: message(
                    "expected one of {choices}", choices=", ".join(column.choices)
                ),
            }[kind]
            return None, message(
                "{expected}, got {got}", expected=expected, got=_number_words(value)
            )
        return text, None
    if kind is _Kind.IDS:
        text = _text_value(value)
        if text is None:
            return None, message(
                "expected ids separated by commas, got {got}", got=_number_words(value)
            )
        return [part.strip() for part in text.split(",") if part.strip()], None
    if kind is _Kind.INTEGER:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        if isinstance(value, float) and value.is_integer():
            return int(value), None
        if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
            return int(value.strip()), None
        return None, _not_a_number(value, message("a whole number"))
    if kind in (_Kind.AMOUNT, _Kind.FRACTION):
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        if isinstance(value, float):
            return Decimal(repr(value)), None
        if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
            return Decimal(value.strip()), None
        what = message("an amount") if kind is _Kind.AMOUNT else message("a fraction from 0 to 1")
        return None, _not_a_number(value, what)
    if kind is _Kind.DATE:
        if isinstance(value, dt.datetime):
            if value.time() != dt.time():
                return None, message(
                    "expected a date without a time of day, got {value}", value=f"{value}"
                )
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip()), None
            except ValueError:
                pass
        return None, message(
            "expected a date (YYYY-MM-DD, or a date cell), got {got}", got=_number_words(value)
        )
    # a truth value
    if isinstance(value, bool):
        return value, None
    if isinstance(value, str) and value.strip().casefold() in ("true", "false"):
        return value.strip().casefold() == "true", None
    return None, message("expected TRUE or FALSE, got {got}", got=_number_words(value))


def _not_a_number(value: object, what: Message) -> Message:
    if isinstance(value, str) and _SEPARATED.fullmatch(value.strip()):
        return message(
            "expected {what} as a number, got the text {value}: write it without spaces or "
            "thousands separators, with a decimal point (1234.5), or as a number cell",
            what=what,
            value=describe(value),
        )
    return message("expected {what}, got {got}", what=what, got=_number_words(value))


# -- a sheet's rows ---------------------------------------------------------------


class _Row:
    """A data row: its values by column key (converted), and where each column is.

    Its cells are made when asked for: an import reads half a million values,
    and a cell is wanted only for a problem.
    """

    __slots__ = ("columns", "number", "sheet", "values")

    def __init__(
        self,
        sheet: str,
        number: int,
        values: dict[tuple[str, ...], object],
        columns: Mapping[tuple[str, ...], int],
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.values = values
        self.columns = columns

    def cell(self, key: tuple[str, ...]) -> _Cell:
        """The cell of the column ``key`` in this row."""
        return _Cell(self.sheet, self.number, self.columns[key])

    @property
    def first(self) -> _Cell:
        """The row's first cell (of its first column)."""
        return _Cell(self.sheet, self.number, min(self.columns.values()))


class _Reader:
    """Reading one workbook (or CSV directory) into spec documents."""

    def __init__(self, grids: Mapping[str, Grid], problems: _Problems) -> None:
        self.problems = problems
        self.cells: dict[tuple[str, tuple[str | int, ...]], _Cell | _Row] = {}
        self.grids: dict[str, Grid] = {}
        #: Sheets not wholly read (missing, a header or an id that could not be read):
        #: references to their ids are not said to be unknown, which they may not be.
        self.incomplete: set[str] = set()
        #: Users cells that could not be read, by (member, system).
        self.failed_usage: set[object] = set()
        known = {_folded(n): sheet for sheet in _SHEETS for n in _names(sheet.name)}
        for name, grid in grids.items():
            sheet = known.get(_folded(name))
            if sheet is None:
                close = difflib.get_close_matches(
                    name, [n for s in _SHEETS for n in _names(s.name)], n=1, cutoff=0.6
                )
                said = (
                    message(
                        'unknown sheet "{name}"; did you mean "{close}"?', name=name, close=close[0]
                    )
                    if close
                    else message(
                        'unknown sheet "{name}"; the sheets are {names}',
                        name=name,
                        names=", ".join(texts("nb")._(s.name) for s in _SHEETS),
                    )
                )
                problems.add(name, said, "E151")
                continue
            if sheet.name in self.grids:
                problems.add(name, message("a second sheet of the same name"), "E151")
                continue
            if grid.hidden:
                problems.add(
                    name,
                    message("a hidden sheet; dikt reads only what people can see: show it"),
                    "E151",
                )
            for row, column in _covered(grid):
                problems.said.add(
                    _reference(problems.source, _Cell(name, row, column), csv=problems.csv)
                )
            for merged in grid.merged:
                first = merged.split(":")[0]
                problems.add(
                    f"{name}!{first}" if not problems.csv else name,
                    message(
                        "merged cells {cells}; dikt reads one value per cell: unmerge them",
                        cells=merged,
                    ),
                    "E153",
                )
            for row, column in sorted(grid.formulas):
                problems.add(
                    _Cell(name, row, column),
                    message("a formula; dikt reads values: enter the value itself"),
                    "E154",
                )
            for row, column in sorted(grid.errors - grid.formulas):
                value = grid.cells[row, column]
                assert isinstance(value, CellError)
                problems.add(
                    _Cell(name, row, column),
                    message("an error value ({value}), not a value", value=value.text),
                    "E154",
                )
            self.grids[sheet.name] = grid
        for sheet in _SHEETS:
            if sheet.name in _REQUIRED and sheet.name not in self.grids:
                self.incomplete.add(sheet.name)
                problems.add(
                    "",
                    message(
                        'no sheet "{name}" ({other}); the workbook needs it',
                        name=texts("nb")._(sheet.name),
                        other=sheet.name,
                    ),
                    "E151",
                )

    def _usable(self, grid: Grid, row: int, column: int) -> object:
        value = grid.cells.get((row, column))
        if isinstance(value, CellError) or (row, column) in grid.formulas:
            return None
        return value

    def header(self, sheet: _Sheet) -> tuple[Grid, dict[int, _Column]] | None:
        """The sheet's grid and its columns by number; None (and why) if it cannot be read."""
        grid = self.grids.get(sheet.name)
        if grid is None:
            return None
        if not grid.cells:
            self.incomplete.add(sheet.name)
            self.problems.add(
                grid.name,
                message(
                    "the sheet is empty; expected a header row: {headers}",
                    headers=", ".join(_names(c.header)[-1] for c in sheet.columns),
                ),
                "E151",
            )
            return None
        known: dict[str, _Column] = {}
        for column in sheet.columns:
            for name in _names(column.header):
                known[_folded(name)] = column
        found: dict[int, _Column] = {}
        seen: dict[_Column, _Cell] = {}
        last = max(c for r, c in grid.cells if r == 1) if any(r == 1 for r, _ in grid.cells) else 0
        for number in range(1, last + 1):
            value = self._usable(grid, 1, number)
            cell = _Cell(grid.name, 1, number)
            if value is None or (isinstance(value, str) and not value.strip()):
                if any(c == number for r, c in grid.cells if r > 1):
                    self.problems.add(
                        cell, message("a column without a header; expected one"), "E152"
                    )
                continue
            text = _text_value(value) or ""
            named = known.get(_folded(text))
            if named is None:
                allowed = [_names(c.header)[-1] for c in sheet.columns]
                close = difflib.get_close_matches(
                    text, [n for c in sheet.columns for n in _names(c.header)], n=1, cutoff=0.6
                )
                said = (
                    message(
                        'unknown column "{name}"; did you mean "{close}"?',
                        name=text,
                        close=close[0],
                    )
                    if close
                    else message(
                        "unknown column {name}; the columns are {allowed}",
                        name=describe(text),
                        allowed=", ".join(allowed),
                    )
                )
                self.problems.add(cell, said, "E152")
                continue
            if named in seen:
                self.problems.add(
                    cell,
                    message("the column is there twice (also {cell})", cell=str(seen[named])),
                    "E152",
                )
                continue
            seen[named] = cell
            found[number] = named
        missing = [c for c in sheet.columns if c.required and c not in seen]
        for column in missing:
            self.problems.add(
                f"{grid.name}!A1" if not self.problems.csv else grid.name,
                message(
                    'missing column "{name}" ({other})',
                    name=_names(column.header)[-1],
                    other=column.header,
                ),
                "E152",
            )
        if missing:
            self.incomplete.add(sheet.name)
            return None
        return grid, found

    def rows(self, sheet: _Sheet) -> list[_Row]:
        """The sheet's data rows, converted; problems for values that cannot be."""
        header = self.header(sheet)
        if header is None:
            return []
        grid, columns = header
        cells = grid.cells
        # Cells said to be wrong already: merged, formulas, error values.
        special = _covered(grid) | grid.formulas
        special |= grid.errors
        by_key = {column.key: number for number, column in columns.items()}
        plain = (_Kind.TEXT, _Kind.ID, _Kind.CHOICE)
        order = [(number, column.key, column.kind, column) for number, column in columns.items()]
        numbers = sorted({row for row, column in cells if row > 1 and column in columns})
        result = []
        for number in numbers:
            values: dict[tuple[str, ...], object] = {}
            filled = False
            for column_number, key, kind, column in order:
                raw = cells.get((number, column_number))
                if special and (number, column_number) in special:
                    filled = True
                    values[key] = _FAILED  # said already
                    continue
                if raw is None or (raw == "" and kind is not _Kind.TEXT):
                    continue
                filled = True
                if type(raw) is str and kind in plain:
                    values[key] = raw  # the common case, quickly
                    continue
                converted, problem = _convert(raw, column)
                if problem is not None:
                    self.problems.add(_Cell(grid.name, number, column_number), problem, "E155")
                    converted = _FAILED
                values[key] = converted
            if not filled:
                continue
            for column in columns.values():
                if column.required and values.get(column.key, _FAILED) is _FAILED:
                    self.incomplete.add(sheet.name)
                    if column.key not in values:
                        self.problems.add(
                            _Cell(grid.name, number, by_key[column.key]),
                            message(
                                'a value is required here ("{name}")',
                                name=_names(column.header)[-1],
                            ),
                            "E158",
                        )
                        values[column.key] = _FAILED
            result.append(_Row(grid.name, number, values, by_key))
        return result

    def put(self, file: str, table: dict[str, Any], path: tuple[str | int, ...], row: _Row) -> None:
        """The row's values into ``table`` (at ``path`` in ``file``), remembering their cells."""
        self.cells[file, path] = row
        for key, value in row.values.items():
            if len(key) == 1:
                table[key[0]] = value
                continue
            target = table
            for part in key[:-1]:
                target = target.setdefault(part, {})
            target[key[-1]] = value

    def unique(
        self, sheet: _Sheet, key: tuple[str, ...], what: Callable[[_Row], object]
    ) -> list[_Row]:
        """The rows whose ``what`` was not seen in an earlier row; E156 for the others."""
        seen: dict[object, _Row] = {}
        kept = []
        for row in self.rows(sheet):
            ident = what(row)
            if ident is None:
                continue
            if ident in seen:
                # The row is left out: what refers to it may not be unknown after all.
                self.incomplete.add(sheet.name)
                self.problems.add(
                    row.cell(key),
                    message(
                        "{id} is there twice (also in row {row})",
                        id=_shown(ident),
                        row=seen[ident].number,
                    ),
                    "E156",
                )
                continue
            seen[ident] = row
            kept.append(row)
        return kept


def _covered(grid: Grid) -> set[tuple[int, int]]:
    """The cells of the grid's merged ranges, as (row, column)."""
    from openpyxl.utils import range_boundaries  # noqa: PLC0415

    cells = set()
    for merged in grid.merged:
        try:
            low_column, low_row, high_column, high_row = range_boundaries(merged)
        except (ValueError, TypeError):
            continue
        if None in (low_column, low_row, high_column, high_row):
            continue
        for row in range(low_row, high_row + 1):  # type: ignore[arg-type, operator]
            for column in range(low_column, high_column + 1):  # type: ignore[arg-type, operator]
                cells.add((row, column))
    return cells


def _shown(ident: object) -> str:
    """An id (or a pair of ids) as a message shows it."""
    if isinstance(ident, tuple):
        return " / ".join(describe(str(part)) for part in ident)
    return describe(str(ident))


def _cooperation_fields(reader: _Reader, document: dict[str, Any]) -> None:
    grid = reader.grids.get(_COOPERATION.name)
    if grid is None:
        return
    if not grid.cells:
        reader.problems.add(
            grid.name,
            message(
                "the sheet is empty; expected a field a row: {fields}",
                fields=", ".join(_names(f.header)[-1] for f in _FIELDS),
            ),
            "E151",
        )
        return
    known = {_folded(n): field for field in _FIELDS for n in _names(field.header)}
    known_headers = {_folded(n) for c in _COOPERATION.columns for n in _names(c.header)}
    seen: dict[_Column, int] = {}
    rows = sorted({r for r, _ in grid.cells})
    for number in rows:
        label = reader._usable(grid, number, 1)
        cell = _Cell(grid.name, number, 1)
        value = reader._usable(grid, number, 2)
        text = _text_value(label)
        if text is None or not text.strip():
            if value is not None:
                reader.problems.add(cell, message("a value without a field name beside it"), "E152")
            continue
        if number == 1 and _folded(text) in known_headers:
            continue
        field = known.get(_folded(text))
        if field is None:
            close = difflib.get_close_matches(
                text, [n for f in _FIELDS for n in _names(f.header)], n=1, cutoff=0.6
            )
            said = (
                message(
                    'unknown field "{name}"; did you mean "{close}"?', name=text, close=close[0]
                )
                if close
                else message("unknown field {name}", name=describe(text))
            )
            reader.problems.add(cell, said, "E152")
            continue
        if field in seen:
            reader.problems.add(
                cell,
                message(
                    "{id} is there twice (also in row {row})", id=describe(text), row=seen[field]
                ),
                "E156",
            )
            continue
        seen[field] = number
        _field_value(reader, document, grid, number, field)
    for field in _FIELDS:
        if field.required and field not in seen:
            document[field.key[0]] = _FAILED
            reader.cells[COOPERATION_FILE, field.key] = _Cell(grid.name, 1, 1)
            reader.problems.add(
                grid.name if reader.problems.csv else f"{grid.name}!A1",
                message(
                    'missing field "{name}" ({other})',
                    name=_names(field.header)[-1],
                    other=field.header,
                ),
                "E158",
            )


def _field_value(
    reader: _Reader, document: dict[str, Any], grid: Grid, number: int, field: _Column
) -> None:
    """The value of a field of the Cooperation sheet (in row ``number``) into the document."""
    value = reader._usable(grid, number, 2)
    value_cell = _Cell(grid.name, number, 2)
    reader.cells[COOPERATION_FILE, field.key] = value_cell
    if value is None or (value == "" and field.kind is not _Kind.TEXT):
        if (number, 2) in grid.formulas or isinstance(grid.cells.get((number, 2)), CellError):
            converted = _FAILED  # said already
        elif field.required:
            reader.problems.add(
                value_cell,
                message('a value is required here ("{name}")', name=_names(field.header)[-1]),
                "E158",
            )
            converted = _FAILED
        else:
            return
    else:
        converted, problem = _convert(value, field)
        if problem is not None:
            reader.problems.add(value_cell, problem, "E155")
            converted = _FAILED
    target = document
    for part in field.key[:-1]:
        target = target.setdefault(part, {})
        reader.cells.setdefault((COOPERATION_FILE, field.key[:-1]), value_cell)
    target[field.key[-1]] = converted


def _ident(row: _Row, *keys: str) -> object:
    """The row's id (of one column, or a pair), None if one is missing or unreadable."""
    values = row.values
    first = values.get((keys[0],))
    if first is None or first is _FAILED:
        return None
    if len(keys) == 1:
        return first
    second = values.get((keys[1],))
    if second is None or second is _FAILED:
        return None
    return (first, second)


def _situation(row: _Row) -> tuple[_Column, str] | None:
    """The column (With candidate...) and id a share row names, None for a plain share."""
    for column in _SITUATIONS:
        who = row.values.get(column.key)
        if who is not None and who is not _FAILED:
            return column, str(who)
    return None


def _share_ident(reader: _Reader, row: _Row) -> object:
    """A share row's id: its key and member, and which of the key's tables it is of.

    None (and why, if not said already) for a row with a value missing, or
    with more than one of With candidate, Without member and Merged into.
    """
    pair = _ident(row, "key", "member")
    given = [c for c in _SITUATIONS if row.values.get(c.key) is not None]
    if pair is None or any(row.values[c.key] is _FAILED for c in given):
        return None
    if len(given) > 1:
        reader.incomplete.add(_SHARES.name)
        reader.problems.add(
            row.cell(given[1].key),
            message(
                "at most one of {columns} in a row: a share is of the key's shares once "
                "one candidate joins, one member leaves or members merge into one",
                columns=", ".join(f'"{texts("nb")._(c.header)}" ({c.header})' for c in _SITUATIONS),
            ),
            "E155",
        )
        return None
    if not given:
        return pair
    assert isinstance(pair, tuple)
    key, member = pair
    return (key, given[0].key[0], row.values[given[0].key], member)


def _tables_by_id(reader: _Reader, sheet: _Sheet, name: str) -> dict[str, Any]:
    """The sheet's rows as cooperation.toml's tables by id (``[systems.IT141]``)."""
    tables: dict[str, Any] = {}
    for row in reader.unique(sheet, ("id",), lambda r: _ident(r, "id")):
        ident = str(row.values.pop(("id",)))
        tables[ident] = {}
        reader.put(COOPERATION_FILE, tables[ident], (name, ident), row)
    return tables


def _documents(reader: _Reader) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The spec's documents, as TOML would give them, from the sheets."""
    cooperation: dict[str, Any] = {"schema": 1}
    _cooperation_fields(reader, cooperation)
    file = COOPERATION_FILE
    cooperation["domains"] = _tables_by_id(reader, _DOMAINS, "domains")
    keys = cooperation["keys"] = _tables_by_id(reader, _KEYS, "keys")
    for row in reader.unique(_SHARES, ("member",), lambda r: _share_ident(reader, r)):
        key, member = str(row.values[("key",)]), str(row.values[("member",)])
        if key not in keys:
            if _KEYS.name in reader.incomplete:
                continue
            reader.problems.add(
                row.cell(("key",)),
                message(
                    'a share of the key "{key}", which is not in the sheet {sheet}',
                    key=key,
                    sheet=_sheet_name(reader, _KEYS),
                ),
                "E157",
            )
            continue
        share, cell = row.values.get(("share",)), row.cell(("share",))
        situation = _situation(row)
        if situation is None:
            keys[key].setdefault("shares", {})[member] = share
            reader.cells[file, ("keys", key, "shares", member)] = cell
            reader.cells.setdefault((file, ("keys", key, "shares")), cell)
            continue
        column, who = situation
        table = column.key[0]
        keys[key].setdefault(table, {}).setdefault(who, {})[member] = share
        reader.cells[file, ("keys", key, table, who, member)] = cell
        reader.cells.setdefault((file, ("keys", key, table, who)), row.cell(column.key))
        reader.cells.setdefault((file, ("keys", key, table)), row.cell(column.key))
    systems = cooperation["systems"] = _tables_by_id(reader, _SYSTEMS, "systems")
    for row in reader.rows(_STEPS):
        system = row.values.get(("system",))
        if system is None or system is _FAILED:
            continue
        if system not in systems:
            if _SYSTEMS.name in reader.incomplete:
                continue
            reader.problems.add(
                row.cell(("system",)),
                message(
                    'a capacity step of "{system}", which is not in the sheet {sheet}',
                    system=system,
                    sheet=_sheet_name(reader, _SYSTEMS),
                ),
                "E157",
            )
            continue
        steps = systems[str(system)].setdefault("cost_model", {}).setdefault("steps", [])
        del row.values[("system",)]
        step: dict[str, Any] = {}
        reader.put(file, step, ("systems", str(system), "cost_model", "steps", len(steps)), row)
        steps.append(step)
    cooperation["investments"] = _array(reader, _INVESTMENTS, ("investments",))
    process = _array(reader, _PROCESS, ("premises", "process"))
    if process:
        cooperation.setdefault("premises", {})["process"] = process
    cooperation["mergers"] = _mergers(reader)
    return cooperation, _member_documents(reader, systems)


def _array(reader: _Reader, sheet: _Sheet, path: tuple[str, ...]) -> list[Any]:
    """The sheet's rows as cooperation.toml's array of tables at ``path``."""
    items: list[Any] = []
    for row in reader.rows(sheet):
        item: dict[str, Any] = {}
        reader.put(COOPERATION_FILE, item, (*path, len(items)), row)
        items.append(item)
    return items


def _mergers(reader: _Reader) -> dict[str, Any]:
    """The Mergers sheet as cooperation.toml's ``[mergers.ID]`` tables.

    A row per merging member: the rows of a merger (its id in Merged into)
    give its members, in their order, and must agree on its date and name.
    A row that does not is said (E156) at its cell, naming the first row.
    """
    mergers: dict[str, Any] = {}
    first: dict[str, _Row] = {}
    for row in reader.rows(_MERGERS):
        values = row.values
        into, member = values.get(("into",)), values.get(("member",))
        if into is None or into is _FAILED:
            continue
        into = str(into)
        if into not in mergers:
            first[into] = row
            merger: dict[str, Any] = {"members": [], "date": values.get(("date",))}
            if values.get(("name",)) is not None:
                merger["name"] = values[("name",)]
            mergers[into] = merger
            path: tuple[str | int, ...] = ("mergers", into)
            reader.cells[COOPERATION_FILE, path] = row
            reader.cells[COOPERATION_FILE, (*path, "members")] = row.cell(("member",))
        else:
            _agrees(reader, into, first[into], row)
        members = mergers[into]["members"]
        if member is not None and member is not _FAILED:
            reader.cells[COOPERATION_FILE, ("mergers", into, "members", len(members))] = row.cell(
                ("member",)
            )
            members.append(str(member))
    return mergers


def _agrees(reader: _Reader, into: str, first: _Row, row: _Row) -> None:
    """Say (E156) where a row of a merger gives another date or name than its first row."""
    for key in (("date",), ("name",)):
        said, other = row.values.get(key), first.values.get(key)
        if said == other or _FAILED in (said, other):
            continue
        if key == ("date",):
            assert isinstance(other, dt.date)  # a required column: there, and read
            wrong = message(
                "the merger {id} is dated {date} in row {row}: every row of a merger gives "
                "the same date and name",
                id=describe(into),
                date=other.isoformat(),
                row=first.number,
            )
        elif other is None:
            wrong = message(
                "the merger {id} has no name in row {row}: every row of a merger gives the "
                "same date and name",
                id=describe(into),
                row=first.number,
            )
        else:
            wrong = message(
                "the merger {id} is named {name} in row {row}: every row of a merger gives "
                "the same date and name",
                id=describe(into),
                name=describe(str(other)),
                row=first.number,
            )
        cell = row.cell(key) if key in row.columns else row.first
        reader.problems.add(cell, wrong, "E156")


def _read_obligations(reader: _Reader, members: dict[str, dict[str, Any]]) -> None:
    """The sheet Obligations into the members' ``obligations`` (a part per investment)."""
    for row in reader.unique(
        _OBLIGATIONS, ("investment",), lambda r: _ident(r, "member", "investment")
    ):
        member = str(row.values.pop(("member",)))
        investment_id = str(row.values.pop(("investment",)))
        if member not in members:
            _unknown_member(reader, row, member)
            continue
        held: dict[str, Any] = {}
        reader.put(member_file(member), held, ("obligations", investment_id), row)
        if "part" in held:
            members[member].setdefault("obligations", {})[investment_id] = held["part"]


def _member_documents(reader: _Reader, systems: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The member files' documents, from the Members, Users and members' own sheets."""
    members: dict[str, dict[str, Any]] = {}
    for row in reader.unique(_MEMBERS, ("id",), lambda r: _ident(r, "id")):
        ident = str(row.values[("id",)])
        number = row.values.get(("municipality_number",))
        if isinstance(number, str) and number.isdigit() and len(number) < 4:
            # Excel drops a leading zero from a number typed into a general cell.
            row.values[("municipality_number",)] = number.zfill(4)
        document: dict[str, Any] = {"systems": {}}
        reader.put(member_file(ident), document, (), row)
        members[ident] = document
    _users(reader, members, systems)
    for row in reader.unique(
        _RESPONSIBILITIES, ("system",), lambda r: _ident(r, "member", "system")
    ):
        member, system = str(row.values.pop(("member",))), str(row.values.pop(("system",)))
        usage = members[member]["systems"].get(system) if member in members else None
        if usage is None:
            if (
                {_USERS.name, _MEMBERS.name, _SYSTEMS.name} & reader.incomplete
                or (member, system) in reader.failed_usage
                or system in reader.failed_usage
                or member in reader.failed_usage
            ):
                continue
            reader.problems.add(
                row.cell(("system",)),
                message(
                    'a system owner or manager for "{system}" at "{member}", which has no user '
                    "count in the sheet {sheet}",
                    system=system,
                    member=member,
                    sheet=_sheet_name(reader, _USERS),
                ),
                "E157",
            )
            continue
        reader.put(member_file(member), usage, ("systems", system), row)
    for row in reader.unique(_OWN_SYSTEMS, ("id",), lambda r: _ident(r, "member", "id")):
        member, ident = str(row.values.pop(("member",))), str(row.values.pop(("id",)))
        if member not in members:
            _unknown_member(reader, row, member)
            continue
        own = members[member].setdefault("own_systems", {})
        own[ident] = {}
        reader.put(member_file(member), own[ident], ("own_systems", ident), row)
    _read_obligations(reader, members)
    for row in reader.rows(_FLEET):
        said = row.values.pop(("member",), "")
        member = "" if said is _FAILED else str(said)
        if member not in members:
            if member:
                _unknown_member(reader, row, member)
            continue
        fleet = members[member].setdefault("fleet", [])
        entry: dict[str, Any] = {}
        reader.put(member_file(member), entry, ("fleet", len(fleet)), row)
        fleet.append(entry)
    for sheet, table_name in ((_STAFF, "staff"), (_CONTRACTS, "contracts")):
        for row in reader.rows(sheet):
            said = row.values.pop(("member",), "")
            member = "" if said is _FAILED else str(said)
            if member not in members:
                if member:
                    _unknown_member(reader, row, member)
                continue
            moving = members[member].setdefault("transfer", {}).setdefault(table_name, [])
            item: dict[str, Any] = {}
            reader.put(member_file(member), item, ("transfer", table_name, len(moving)), row)
            moving.append(item)
    return {member_file(m): d for m, d in members.items()}


def _sheet_name(reader: _Reader, sheet: _Sheet) -> str:
    grid = reader.grids.get(sheet.name)
    return grid.name if grid is not None else texts("nb")._(sheet.name)


def _unknown_member(reader: _Reader, row: _Row, member: str) -> None:
    if _MEMBERS.name in reader.incomplete:
        return
    reader.problems.add(
        row.cell(("member",)),
        message(
            'the member "{member}" is not in the sheet {sheet}',
            member=member,
            sheet=_sheet_name(reader, _MEMBERS),
        ),
        "E157",
    )


def _users(reader: _Reader, members: dict[str, dict[str, Any]], systems: Mapping[str, Any]) -> None:
    """The Users sheet: a system a row, a member a column, users in the cells."""
    grid = reader.grids.get(_USERS.name)
    if grid is None:
        return
    problems = reader.problems
    cells = grid.cells
    corner_names = _names(_USERS.columns[0].header)
    if not cells:
        problems.add(
            grid.name,
            message(
                "the sheet is empty; expected a system a row, a member a column: "
                "{header} in A1, member ids in row 1, system ids in column A",
                header=corner_names[-1],
            ),
            "E151",
        )
        return
    corner = _text_value(reader._usable(grid, 1, 1))
    if corner is None or _folded(corner) not in {_folded(n) for n in corner_names}:
        problems.add(
            _Cell(grid.name, 1, 1),
            message(
                'expected "{header}" here, over the system ids (member ids to its right)',
                header=corner_names[-1],
            ),
            "E152",
        )
    top: dict[int, object] = {}
    side: dict[int, object] = {}
    for (row, column), value in cells.items():
        if row == 1:
            top[column] = value
        elif column == 1:
            side[row] = value
    columns = _matrix_ids(reader, grid, top, members, _MEMBERS, across=True)
    rows = _matrix_ids(reader, grid, side, systems, _SYSTEMS, across=False)
    where = reader.cells
    formulas = grid.formulas
    # Rows and columns with an id (known or not: unknown ones are reported once, at the id).
    seen_rows = {r for r, value in side.items() if _text_value(value)}
    seen_columns = {c for c, value in top.items() if _text_value(value)}
    for (row, column), value in cells.items():
        if row == 1 or column == 1 or value is None or value == "":
            continue
        system = rows.get(row)
        member = columns.get(column)
        if system is None or member is None:
            if (row, column) in formulas or isinstance(value, CellError):
                continue
            if row not in seen_rows:
                problems.add(
                    _Cell(grid.name, row, column),
                    message("a user count in a row without a system id in column A"),
                    "E157",
                )
            elif column not in seen_columns:
                problems.add(
                    _Cell(grid.name, row, column),
                    message("a user count in a column without a member id in row 1"),
                    "E157",
                )
            continue
        users = value
        if type(users) is not int:
            if (row, column) in formulas or isinstance(users, CellError):
                users = _FAILED
            else:
                users, problem = _convert(users, _USER_COUNT)
                if problem is not None:
                    problems.add(_Cell(grid.name, row, column), problem, "E155")
                    users = _FAILED
        members[member]["systems"][system] = {"users": users}
        where[member_file(member), ("systems", system, "users")] = _Cell(grid.name, row, column)


def _matrix_ids(
    reader: _Reader,
    grid: Grid,
    ids: Mapping[int, object],
    known: Mapping[str, Any],
    sheet: _Sheet,
    *,
    across: bool,
) -> dict[int, str]:
    """The member ids of row 1 (``across``) or the system ids of column A, by position.

    Ids twice, unknown ids and values that are no ids are said; their rows or
    columns are left out, and noted in ``failed_usage``.
    """
    problems = reader.problems
    found: dict[int, str] = {}
    seen: dict[str, int] = {}
    what = message("a member id") if across else message("a system id")
    for position, value in ids.items():
        if position == 1:
            continue
        row, column = (1, position) if across else (position, 1)
        cell = _Cell(grid.name, row, column)
        text = _text_value(value)
        if (row, column) in grid.formulas or isinstance(value, CellError):
            continue
        if text is None:
            problems.add(
                cell,
                message("expected {what}, got {got}", what=what, got=_number_words(value)),
                "E155",
            )
            continue
        if not text:
            continue
        if text in seen:
            reader.failed_usage.add(text)
            first = _Cell(grid.name, 1, seen[text]) if across else _Cell(grid.name, seen[text], 1)
            problems.add(
                cell,
                message("{id} is there twice (also in {cell})", id=describe(text), cell=str(first)),
                "E156",
            )
            continue
        seen[text] = position
        if text not in known:
            reader.failed_usage.add(text)
            if sheet.name in reader.incomplete:
                continue
            said = (
                message(
                    'user counts of "{id}", which is not in the sheet {sheet}',
                    id=text,
                    sheet=_sheet_name(reader, sheet),
                )
                if not across
                else message(
                    'the member "{member}" is not in the sheet {sheet}',
                    member=text,
                    sheet=_sheet_name(reader, sheet),
                )
            )
            problems.add(cell, said, "E157")
            continue
        found[position] = text
    return found


_USER_COUNT: Final = _Column(("users",), N_("Users"), _N)


def _read_grids(grids: Mapping[str, Grid], source: str, *, csv: bool) -> Imported:
    problems = _Problems(source, csv=csv)
    reader = _Reader(grids, problems)
    cooperation_raw, members_raw = _documents(reader)
    found = problems.found

    def also(more: Iterable[Problem]) -> list[Problem]:
        said = {(p.file, p.path) for p in found} | problems.said
        # A value that could not be read is said once, by the reader, at its cell.
        return found + [
            p
            for p in _at_cells(more, reader.cells, source, csv=csv)
            if (p.file, p.path) not in said
        ]

    try:
        cooperation = structure_cooperation(cooperation_raw, members_raw)
    except SpecError as error:
        raise SpecError(also(error.problems), language=error.language) from None
    if found:
        raise SpecError(found)
    # A candidate whose rows have errors is set aside by loading (W213): the spec
    # written without it would lose what the workbook says of it. Refused as a
    # member's errors are (once the sheets are read: before, a candidate's errors
    # may come of what could not be read).
    found = also(p for entry in cooperation.set_aside.values() for p in entry.problems)
    if found:
        language = cooperation.language
        raise SpecError(found, language=None if language is None else language.value)
    return Imported(model=cooperation, source=source, cells=reader.cells, csv=csv)


def import_workbook(data: bytes, source: str) -> Imported:
    """Read a workbook (the bytes of an xlsx file) into a model.

    ``source`` names the file in problems. Raises
    :class:`~dikt.errors.SpecError` with every problem found, each at its
    sheet and cell (``Systemer!D14``): a file that is no xlsx workbook (an
    encrypted one, one with macros), a sheet missing, hidden or empty, a
    column missing or unknown, a merged cell, a formula, a value of the
    wrong kind, an id twice, a user count for a system or member not in
    their sheets, and whatever the spec's own rules refuse, a candidate's
    errors included (which :func:`dikt.load` would set aside, leaving the
    candidate out of the model).
    """
    try:
        grids = read(data)
    except WorkbookError as error:
        raise SpecError([Problem(file=source, message=error.message, code="E150")]) from None
    return _read_grids({g.name: g for g in grids}, source, csv=False)


def import_csv(files: Mapping[str, bytes], source: str) -> Imported:
    """Read a directory of CSV files, one per sheet (``Systemer.csv``), into a model.

    ``files`` maps each file's name to its bytes (UTF-8, a byte-order mark
    allowed; comma- or semicolon-separated); ``source`` names the directory.
    Every cell is text: numbers with a decimal point and no thousands
    separators, dates as YYYY-MM-DD, truth values as true or false.
    Problems as :func:`import_workbook`'s, each at its file and cell.
    """
    problems: list[Problem] = []
    grids: dict[str, Grid] = {}
    for name, data in sorted(files.items()):
        if not name.lower().endswith(".csv"):
            continue
        sheet = name[: -len(".csv")]
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as error:
            problems.append(
                Problem(
                    file=str(Path(source) / name),
                    message=message(
                        "the file is not UTF-8 text (byte {byte}); save it as CSV UTF-8",
                        byte=error.start,
                    ),
                    code="E150",
                )
            )
            continue
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        cells: dict[tuple[int, int], object] = {}
        for row, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            for column, value in enumerate(values, start=1):
                if value != "":
                    cells[row, column] = value
        grids[sheet] = Grid(sheet, False, cells, frozenset(), ())
    if problems:
        raise SpecError(problems)
    return _read_grids(grids, source, csv=True)


# -- writing spec files -----------------------------------------------------------

#: The ``#:schema`` comments of the shipped specs, which editors validate by.
_SCHEMA_COMMENTS: Final = {
    COOPERATION_FILE: "#:schema ../schema/cooperation.schema.json\n",
    MEMBERS_DIR: "#:schema ../../schema/member.schema.json\n",
}


def spec_texts(cooperation: Cooperation) -> dict[str, str]:
    """The spec's files as texts, each starting with its ``#:schema`` comment.

    ``cooperation.toml`` and ``members/ID.toml``, as :func:`dikt.dumps`
    writes them, which :func:`dikt.load` reads back to the same model.
    """
    files = dumps(cooperation)
    return {
        name: _SCHEMA_COMMENTS[COOPERATION_FILE if name == COOPERATION_FILE else MEMBERS_DIR] + text
        for name, text in files.items()
    }


# -- writing workbooks -------------------------------------------------------------


def example_spec() -> Path:
    """The shipped D-IKT spec (``specs/d-ikt``), which a template may start from."""
    from importlib import resources  # noqa: PLC0415

    packaged = Path(str(resources.files("dikt"))) / "_examples" / "d-ikt"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "specs" / "d-ikt"


_AMOUNT_FORMAT: Final = "#,##0.00"
_DATE_FORMAT: Final = "yyyy-mm-dd"
_TEXT_FORMAT: Final = "@"
#: Rows a template's validation lists and formats reach below the data.
_SPARE_ROWS: Final = 200


def _cell_value(value: object) -> object:
    """A model value as a cell holds it: numbers as numbers, where they are exact."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Money):
        if value.ore % 100 == 0:
            return value.ore // 100
        number = value.ore / 100
        return number if Decimal(repr(number)) == value.to_decimal() else str(value.to_decimal())
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value)
        number = float(value)
        if Fraction(Decimal(repr(number))) == value:
            return number
        return fraction_text(value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return value


def _get(obj: object, key: tuple[str, ...]) -> object:
    for part in key:
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _rows(cooperation: Cooperation | None) -> dict[str, list[list[object]]]:
    """Each sheet's data rows (without the header), as cell values."""
    rows: dict[str, list[list[object]]] = {s.name: [] for s in _SHEETS}
    if cooperation is None:
        return rows

    def row(sheet: _Sheet, *objects: object, first: Sequence[object] = ()) -> list[object]:
        values = list(first)
        for column in sheet.columns[len(first) :]:
            value = None
            for obj in objects:
                try:
                    value = _get(obj, column.key)
                except AttributeError:
                    continue
                break
            values.append(value)
        return values

    c = cooperation
    for domain in sorted(c.domains.values(), key=lambda d: d.id):
        rows[_DOMAINS.name].append([domain.id, domain.name])
    for key in sorted(c.keys.values(), key=lambda k: k.id):
        metric = key.metric
        equal = key.equal_share if key.shares is None else None
        rows[_KEYS.name].append([key.id, metric, equal])
        for member, share in sorted((key.shares or {}).items()):
            rows[_SHARES.name].append([key.id, member, share, None, None, None])
        for place, column in enumerate(_SITUATIONS, start=3):
            tables: Mapping[str, Mapping[str, Fraction]] = getattr(key, column.key[0])
            for who, shares in sorted(tables.items()):
                for member, share in sorted(shares.items()):
                    line: list[object] = [key.id, member, share, None, None, None]
                    line[place] = who
                    rows[_SHARES.name].append(line)
    for system in sorted(c.systems.values(), key=lambda s: s.id):
        values = row(_SYSTEMS, system)
        if system.cost_model is not None:
            for step in system.cost_model.steps:
                rows[_STEPS.name].append([system.id, step.up_to, step.cost])
        rows[_SYSTEMS.name].append(values)
    for person in c.members.values():
        rows[_MEMBERS.name].append(row(_MEMBERS, person))
        for usage in sorted(person.systems.values(), key=lambda u: u.system):
            if usage.owner is not None or usage.manager is not None:
                rows[_RESPONSIBILITIES.name].append(
                    [person.id, usage.system, usage.owner, usage.manager]
                )
        for own in sorted(person.own_systems.values(), key=lambda o: o.id):
            rows[_OWN_SYSTEMS.name].append(row(_OWN_SYSTEMS, own, first=[person.id]))
        for entry in person.fleet:
            rows[_FLEET.name].append(row(_FLEET, entry, first=[person.id]))
        for investment_id, part in sorted(person.obligations.items()):
            rows[_OBLIGATIONS.name].append([person.id, investment_id, part])
        for group in person.transfer.staff:
            rows[_STAFF.name].append(row(_STAFF, group, first=[person.id]))
        for contract in person.transfer.contracts:
            rows[_CONTRACTS.name].append(row(_CONTRACTS, contract, first=[person.id]))
    for investment in c.investments:
        rows[_INVESTMENTS.name].append(row(_INVESTMENTS, investment))
    for item in c.premises.process:
        rows[_PROCESS.name].append([item.item, item.days])
    for into, merger in sorted(c.mergers.items()):
        for member in merger.members:  # in the merger's order, which import keeps
            rows[_MERGERS.name].append([into, member, merger.date, merger.name])
    return rows


def _field_values(cooperation: Cooperation | None, language: str) -> list[object]:
    """The Cooperation sheet's values; for a template, the defaults, NOK and the language."""
    if cooperation is not None:
        return [_get(cooperation, f.key) for f in _FIELDS]
    from dikt.model import Defaults, Invoicing, Leaving, Premises, SettlementTerms  # noqa: PLC0415

    blank: dict[str, object] = {
        "defaults": Defaults(),
        "premises": Premises(),
        "invoicing": Invoicing(),
        "settlement": SettlementTerms(),
        "leaving": Leaving(),
    }
    start: dict[str, object] = {"currency": "NOK", "language": language}
    return [
        _get(blank[f.key[0]], f.key[1:]) if f.key[0] in blank else start.get(f.key[0])
        for f in _FIELDS
    ]


def _format(kind: _Kind) -> str | None:
    return {
        _Kind.AMOUNT: _AMOUNT_FORMAT,
        _Kind.DATE: _DATE_FORMAT,
        _Kind.TEXT: _TEXT_FORMAT,
        _Kind.ID: _TEXT_FORMAT,
        _Kind.IDS: _TEXT_FORMAT,
        _Kind.CHOICE: _TEXT_FORMAT,
    }.get(kind)


def _write_cell(sheet: Any, value: object, kind: _Kind | None) -> Any:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    written = _cell_value(value)
    if isinstance(written, str):
        written = escape(written)
    cell = WriteOnlyCell(sheet, written)  # type: ignore[arg-type]  # values of a spec
    if isinstance(written, str):
        cell.data_type = "s"  # text stays text, never a formula
    number_format = None if kind is None else _format(kind)
    if number_format is not None and not (kind is _Kind.AMOUNT and isinstance(written, str)):
        cell.number_format = number_format
    return cell


def _validate(sheet: Any, column: _Column, cells: str, lists: Mapping[str, str]) -> None:
    """A validation of the cells (``B2:B200``): a list to choose from, or a count."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    formula = None
    if column.choices:
        formula = '"' + ",".join(column.choices) + '"'
    elif column.validation is not None:
        formula = lists[column.validation]
    elif column.kind is _Kind.INTEGER:
        check = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        check.add(cells)
        sheet.data_validations.append(check)
        return
    if formula is None or len(formula) > 255:  # Excel's limit on a list written out
        return
    listed = DataValidation(type="list", formula1=formula, allow_blank=True)
    listed.add(cells)
    sheet.data_validations.append(listed)


def _header_cells(sheet: Any, labels: Sequence[str]) -> list[Any]:
    """Bold text cells of a header row."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, escape(label))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _workbook(cooperation: Cooperation | None, language: str) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.utils import get_column_letter, quote_sheetname  # noqa: PLC0415

    from dikt.writers.xlsx import _EPOCH, _without_times  # noqa: PLC0415

    words = texts(language)
    book = Workbook(write_only=True)
    names = {s.name: words._(s.name) for s in _SHEETS}
    rows = _rows(cooperation)
    key_names = sorted({m.value for m in Metric} | set(cooperation.keys if cooperation else ()))
    domains = len(rows[_DOMAINS.name]) + _SPARE_ROWS
    lists = {
        "keys": '"' + ",".join(key_names) + '"',
        "domains": f"{quote_sheetname(names[_DOMAINS.name])}!$A$2:$A${domains}",
    }

    # The cooperation: a field a row.
    sheet = book.create_sheet(names[_COOPERATION.name])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 40
    sheet.append(_header_cells(sheet, [words._(c.header) for c in _COOPERATION.columns]))
    values = _field_values(cooperation, language)
    for number, (field, value) in enumerate(zip(_FIELDS, values, strict=True), start=2):
        label = _header_cells(sheet, [words._(field.header)])[0]
        sheet.append([label, _write_cell(sheet, value, field.kind)])
        _validate(sheet, field, f"B{number}", lists)
    sheet.freeze_panes = "B2"

    for spec in _SHEETS[1:]:
        sheet = book.create_sheet(names[spec.name])
        if spec is _USERS:
            _users_sheet(sheet, cooperation, words._(_USERS.columns[0].header))
            continue
        labels = [words._(c.header) for c in spec.columns]
        data = rows[spec.name]
        for index, (label, column) in enumerate(zip(labels, spec.columns, strict=True), start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(label) + 4)
            _validate(sheet, column, f"{letter}2:{letter}{len(data) + _SPARE_ROWS}", lists)
        sheet.freeze_panes = "A2"
        sheet.append(_header_cells(sheet, labels))
        for line in data:
            sheet.append(
                [
                    _write_cell(sheet, value, column.kind)
                    for value, column in zip(line, spec.columns, strict=True)
                ]
            )
    book.properties.creator = "dikt"
    book.properties.created = _EPOCH
    book.properties.modified = _EPOCH
    buffer = io.BytesIO()
    book.save(buffer)
    return _without_times(buffer.getvalue())


def _users_sheet(sheet: Any, cooperation: Cooperation | None, corner: str) -> None:
    """The Users sheet: a system a row, a member a column, users in the cells."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    members = sorted(cooperation.members) if cooperation else []
    systems = sorted(cooperation.systems) if cooperation else []
    sheet.column_dimensions["A"].width = 14
    for index in range(2, len(members) + 2):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    last_column = get_column_letter(max(len(members) + 1, 2) + 20)
    counts = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    counts.add(f"B2:{last_column}{len(systems) + _SPARE_ROWS}")
    sheet.data_validations.append(counts)
    sheet.freeze_panes = "B2"
    sheet.append(_header_cells(sheet, [corner, *members]))
    for system in systems:
        values: list[object] = [_write_cell(sheet, system, _Kind.ID)]
        for member in members:
            usage = cooperation.members[member].systems.get(system) if cooperation else None
            values.append(None if usage is None else usage.users)
        sheet.append(values)


def export_workbook(cooperation: Cooperation, language: str = "en") -> bytes:
    """The spec as a workbook in the layout :func:`import_workbook` reads (xlsx bytes).

    Sheet names and headers in ``language`` ("en" or "nb"); values as the
    spec holds them. ``import_workbook(export_workbook(c), ...)`` gives ``c``.

    Raises :class:`~dikt.errors.WhatIfError` (with the W213 warnings of
    :func:`dikt.check`) if a candidate is set aside for errors in its file:
    the model has no longer what that file says, and a workbook without the
    candidate would lose it on import.
    """
    if cooperation.set_aside:
        _refuse_set_aside(cooperation)
    return _workbook(cooperation, language)


def _refuse_set_aside(cooperation: Cooperation) -> None:
    from dikt.errors import WhatIfError  # noqa: PLC0415 - only when refused
    from dikt.whatif import set_aside_named, set_aside_warnings  # noqa: PLC0415

    raise WhatIfError(
        message_n(
            "candidate {candidates} has errors in its file, so dikt leaves it out, and a "
            "workbook would lose it; fix the file first, as `dikt check` warns:",
            "candidates {candidates} have errors in their files, so dikt leaves them out, "
            "and a workbook would lose them; fix the files first, as `dikt check` warns:",
            len(cooperation.set_aside),
            candidates=set_aside_named(cooperation),
        ),
        set_aside_warnings(cooperation),
    )


def template_workbook(language: str = "en", example: Cooperation | None = None) -> bytes:
    """A workbook to fill in: the layout's sheets and headers, validation lists, no data.

    With ``example`` (for instance the shipped D-IKT spec,
    :func:`example_spec`), the workbook starts from it instead. The
    premises hold their defaults.
    """
    return _workbook(example, language)
