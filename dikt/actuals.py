"""A year's actual costs by project: from the spec's accounts file or a ledger export.

Every cost of the cooperation is booked to a project, and a project is a
system: a catalogue system's project code, a member's own system (its id, or
``MEMBER/ID`` where two members use the same id) or an investment of the
year. Actual costs come from ``accounts/YEAR.toml`` in the spec directory
(:func:`read_accounts`) or from a CSV ledger as accounting systems export it
(:func:`read_ledger`), read as a stream in bounded memory.

Reading is as strict as loading a spec: every problem is collected and
raised at once as a :class:`~dikt.errors.SpecError`, each with file, line
(the ledger's row) and column. These files are read only by the commands
that settle the year: a problem in them never stops ``allocate``.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import attrs

from dikt.errors import Problem, Severity, SpecError
from dikt.i18n import Message, message, one_of
from dikt.model import Cooperation, check_year
from dikt.money import MAX_AMOUNT, Money, decimal_places

__all__ = [
    "MAX_LEDGER_PROBLEMS",
    "Actuals",
    "ore_of",
    "parse_amount",
    "project_codes",
    "read_accounts",
    "read_ledger",
]

#: The most problems a ledger reports; a ledger of a million bad rows says
#: how many more there were instead of a million lines.
MAX_LEDGER_PROBLEMS: Final = 100

#: Thousands separators accounting systems write: space, no-break space,
#: narrow no-break space, thin space.
_SPACES: Final = " \u00a0\u202f\u2009"
_GROUPED: Final = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+(?:,[0-9]+)?")
_DOTTED: Final = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+")
_COMMA: Final = re.compile(r"[0-9]+(?:,[0-9]+)?")
_POINT: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MINUS: Final = ("-", "\u2212")


def _frozen(value: Mapping[str, Money]) -> Mapping[str, Money]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Actuals:
    """A year's actual costs, by project code; what :func:`dikt.settle` settles by."""

    year: int
    currency: str
    source: str  #: the file they were read from, as the caller named it
    projects: Mapping[str, Money] = attrs.field(converter=_frozen)  #: by item id
    unassigned: Money = Money(0)  #: costs booked to no project
    rows: int = 0  #: the ledger's rows (the accounts file's entries)
    credit_notes: int = 0  #: rows with a negative amount
    credited: Money = Money(0)  #: their sum (negative or 0)
    warnings: tuple[Problem, ...] = ()

    @property
    def total(self) -> Money:
        """The year's actual costs in all."""
        return Money.sum(self.projects.values()) + self.unassigned


def project_codes(cooperation: Cooperation, year: int) -> dict[str, str]:
    """Every code a cost of ``year`` may be booked to, and the item it is booked to.

    Catalogue systems by their project code, own systems of members by their
    id (when no other member's own system or catalogue system has it) and as
    ``MEMBER/ID``, investments of the year by their id.
    """
    codes = {system_id: system_id for system_id in cooperation.systems}
    own: dict[str, list[str]] = {}
    for member in cooperation.active_members:
        for own_id in member.own_systems:
            codes[f"{member.id}/{own_id}"] = f"{member.id}/{own_id}"
            own.setdefault(own_id, []).append(member.id)
    for own_id, members in own.items():
        if len(members) == 1 and own_id not in codes:
            codes[own_id] = f"{members[0]}/{own_id}"
    for investment in cooperation.investments:
        if investment.year == year:
            codes.setdefault(investment.id, investment.id)
    return codes


def parse_amount(text: str) -> Decimal:
    """An amount as a ledger writes it, exactly: ``1 100 000,00``, ``1100000.00``, ``-250``.

    Thousands may be separated by a space (or a no-break space), and then the
    decimals by a comma; or by points, with a decimal comma (``1.100.000,00``);
    without thousands separators the decimals follow a point or a comma. A
    leading minus (a credit note) is allowed. Raises :class:`ValueError`
    with a message for people for anything else, and for more than two
    decimals: money is to the øre.

    >>> parse_amount("1 100 000,00"), parse_amount("1100000.5"), parse_amount("-12,50")
    (Decimal('1100000.00'), Decimal('1100000.5'), Decimal('-12.50'))
    """
    stripped = text.strip(_SPACES)
    sign = ""
    if stripped.startswith(_MINUS):
        sign, stripped = "-", stripped[1:].lstrip(_SPACES)
    if _GROUPED.fullmatch(stripped):
        digits = re.sub(f"[{_SPACES}]", "", stripped).replace(",", ".")
    elif _DOTTED.fullmatch(stripped):
        digits = stripped.replace(".", "").replace(",", ".")
    elif _COMMA.fullmatch(stripped):
        digits = stripped.replace(",", ".")
    elif _POINT.fullmatch(stripped):
        digits = stripped
    else:
        raise ValueError(message("expected an amount such as 1 100 000,00 or 1100000.00"))
    if "." in digits and len(digits.partition(".")[2]) > 2:
        raise ValueError(message("an amount has at most two decimals: money is to the øre"))
    number = Decimal(sign + digits)
    if abs(number) > MAX_AMOUNT:
        raise ValueError(message("an amount may be at most {most}", most=MAX_AMOUNT))
    return number


_FAST_GROUPED: Final = re.compile(
    r"(-?)([0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+)(?:,([0-9]{1,2}))?"
)
_FAST_PLAIN: Final = re.compile(r"(-?)([0-9]{1,14})(?:[.,]([0-9]{1,2}))?")


def ore_of(text: str) -> int:
    """An amount as :func:`parse_amount` reads it, in whole øre.

    The forms ledgers write most (``1 100 000,00``, ``1100000.00``) are read
    by integer arithmetic on their digits; the rest through
    :func:`parse_amount`, which also says what is wrong.

    >>> ore_of("1\u00a0100\u00a0000,5"), ore_of("-12.05"), ore_of("1.100.000,00")
    (110000050, -1205, 110000000)
    """
    stripped = text.strip(_SPACES)
    match = _FAST_PLAIN.fullmatch(stripped) or _FAST_GROUPED.fullmatch(stripped)
    if match is None:
        return int(parse_amount(text) * 100)
    sign, whole, cents = match.groups()
    # str.split() splits at every space ledgers group thousands with (no-break ones too).
    digits = whole if whole.isdigit() else "".join(whole.split())
    ore = int(digits) * 100 + (int(cents) * (10 if len(cents) == 1 else 1) if cents else 0)
    if ore > MAX_AMOUNT * 100:
        raise ValueError(message("an amount may be at most {most}", most=MAX_AMOUNT))
    return -ore if sign else ore


def _shown(text: str) -> str:
    """A cell as a message shows it (the message quotes it): escaped, shortened, a
    formula neutralised (``'=...``)."""
    from dikt._values import describe  # noqa: PLC0415
    from dikt.writers.csv import neutralise  # noqa: PLC0415

    return describe(neutralise(text))[1:-1]


class _Collector:
    """The problems of one file, at most :data:`MAX_LEDGER_PROBLEMS` of them listed."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.more = 0
        self.warnings: list[Problem] = []
        self._suggestions: dict[str, Message] = {}

    def error(
        self,
        text: Message | str,
        code: str,
        *,
        path: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        if len(self.problems) >= MAX_LEDGER_PROBLEMS:
            self.more += 1
            return
        self.problems.append(
            Problem(file=self.file, path=path, message=text, code=code, line=line, column=column)
        )

    def warn(self, text: Message | str, code: str, *, path: str = "") -> None:
        self.warnings.append(
            Problem(file=self.file, path=path, message=text, code=code, severity=Severity.WARNING)
        )

    def unknown(self, code: str, known: Iterable[str]) -> Message:
        said = self._suggestions.get(code)
        if said is None:
            close = _closest(code, known)
            said = (
                message(
                    'unknown project code "{code}"; did you mean {close}?',
                    code=_shown(code),
                    close=one_of(close),
                )
                if close
                else message('unknown project code "{code}"', code=_shown(code))
            )
            self._suggestions[code] = said
        return said

    def raise_if_any(self, language: str | None = None) -> None:
        if not self.problems:
            return
        problems = list(self.problems)
        if self.more:
            problems.append(
                Problem(
                    file=self.file,
                    message=message("{n} more problems not listed", n=self.more),
                    code=problems[-1].code,
                )
            )
        raise SpecError(problems, language=language)


#: Characters typed for one another (l and 1, O and 0): half an edit.
_LOOKALIKES: Final = frozenset(
    {("l", "1"), ("1", "l"), ("i", "1"), ("1", "i"), ("o", "0"), ("0", "o")}
)


def _distance(a: str, b: str) -> int:
    """Twice the edit distance of two short texts; a lookalike substitution counts 1."""
    previous = list(range(0, 2 * len(b) + 1, 2))
    for i, char in enumerate(a, start=1):
        current = [2 * i]
        for j, other in enumerate(b, start=1):
            cost = 0 if char == other else 1 if (char, other) in _LOOKALIKES else 2
            current.append(min(previous[j] + 2, current[j - 1] + 2, previous[j - 1] + cost))
        previous = current
    return previous[-1]


def _closest(code: str, known: Iterable[str]) -> list[str]:
    """The known codes a mistyped one most likely meant: fewest edits, at most 3 of them.

    Edit distance rather than difflib's ratio: for ``IT15l`` it finds
    ``IT151`` (one substitution), where the ratio ties every ``IT1x5``.
    """
    if len(code) > 64:
        return []
    limit = max(1, min(2, len(code) // 3))
    ranked = sorted(
        (distance, other)
        for other in known
        if abs(len(other) - len(code)) <= limit
        for distance in (_distance(code.casefold(), other.casefold()),)
        if distance <= 2 * limit
    )
    best = ranked[0][0] if ranked else 0
    return [other for distance, other in ranked[:3] if distance == best]


def _where_not_booked(cooperation: Cooperation, year: int, code: str) -> Message | None:
    """Why ``code``, a code of the spec, takes no costs in ``year`` (None if it does)."""
    system = cooperation.systems.get(code)
    if system is not None and not system.active_in(year):
        return message(
            "project {code} ({name}) is a system not in operation in {year}",
            code=code,
            name=system.name,
            year=year,
        )
    for investment in cooperation.investments:
        if investment.id == code and investment.year != year and code not in cooperation.systems:
            return message(
                "project {code} is an investment of {other}, not of {year}",
                code=code,
                other=investment.year,
                year=year,
            )
    return None


class _Book:
    """Sums of actual costs by item, with what is said about them."""

    def __init__(self, cooperation: Cooperation, year: int, collect: _Collector) -> None:
        self.cooperation = cooperation
        self.year = year
        self.codes = project_codes(cooperation, year)
        #: The codes a cost of the year may be booked to, and their items.
        self.bookable = {
            code: item
            for code, item in self.codes.items()
            if _where_not_booked(cooperation, year, code) is None
        }
        self.collect = collect
        self.sums: dict[str, int] = {}
        self.unassigned = 0
        self.rows = 0
        self.credit_notes = 0
        self.credited = 0

    def book(
        self,
        code: str,
        ore: int,
        *,
        path: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.rows += 1
        if ore < 0:
            self.credit_notes += 1
            self.credited += ore
        if not code:
            if self.cooperation.settlement.unassigned_key is None:
                self.collect.error(
                    message(
                        "a cost booked to no project; name a project, or the key that "
                        "shares such costs ([settlement] unassigned_key)"
                    ),
                    "E137",
                    path=path,
                    line=line,
                    column=column,
                )
                return
            self.unassigned += ore
            return
        item = self.bookable.get(code)
        if item is None:
            why = _where_not_booked(self.cooperation, self.year, code)
            if why is not None:
                self.collect.error(why, "E134", path=path, line=line, column=column)
            else:
                said = self.collect.unknown(code, self.codes)
                self.collect.error(said, "E133", path=path, line=line, column=column)
            return
        self.sums[item] = self.sums.get(item, 0) + ore

    def actuals(self, source: str, currency: str) -> Actuals:
        if self.credit_notes:
            self.collect.warn(
                message(
                    "{n} credit note(s) (negative amounts), {amount} in all: allowed, "
                    "and subtracted from their projects' costs",
                    n=self.credit_notes,
                    amount=Money(self.credited),
                ),
                "W217",
            )
        negative = sorted(item for item, ore in self.sums.items() if ore < 0)
        for item in negative:
            self.collect.error(
                message(
                    "the actual costs of {item} are negative in all ({amount}): its credit "
                    "notes exceed its costs",
                    item=item,
                    amount=Money(self.sums[item]),
                ),
                "E140",
            )
        if self.unassigned < 0:
            self.collect.error(
                message(
                    "the costs booked to no project are negative in all ({amount})",
                    amount=Money(self.unassigned),
                ),
                "E140",
            )
        return Actuals(
            year=self.year,
            currency=currency,
            source=source,
            projects={item: Money(ore) for item, ore in sorted(self.sums.items())},
            unassigned=Money(self.unassigned),
            rows=self.rows,
            credit_notes=self.credit_notes,
            credited=Money(self.credited),
            warnings=tuple(self.collect.warnings),
        )


def _language(cooperation: Cooperation) -> str | None:
    return None if cooperation.language is None else cooperation.language.value


def read_accounts(cooperation: Cooperation, spec: str | os.PathLike[str], year: int) -> Actuals:
    """The actual costs of ``year`` from the spec's ``accounts/YEAR.toml``.

    ::

        year = 2012
        currency = "NOK"

        [actuals]            # by project code
        IT182 = 12_950_000
        storage-2012 = "2480000.00"

        unassigned = 150_000 # optional: costs booked to no project

    Raises :class:`~dikt.errors.SpecError` listing every problem with its
    line (E130-E140).
    """
    from dikt._load import _parse, _read, spec_root  # noqa: PLC0415
    from dikt._positions import locate  # noqa: PLC0415

    check_year(year)
    root = spec_root(spec)
    file = f"accounts/{year}.toml"
    collect = _Collector(file)
    path = root / "accounts" / f"{year}.toml"
    if not path.exists():
        collect.error(
            message(
                "no actual costs for {year}: write {file} in the spec, or give a ledger "
                "with --actuals",
                year=year,
                file=file,
            ),
            "E130",
        )
        collect.raise_if_any(_language(cooperation))
    text, problems = _read(path, file)
    data: dict[str, Any] | None = None
    if text is not None:
        data, problems = _parse(text, file)
    if data is None or text is None:
        raise SpecError(
            [attrs.evolve(p, code="E130") for p in problems], language=_language(cooperation)
        )
    book = _Book(cooperation, year, collect)
    allowed = {"year", "currency", "actuals", "unassigned"}
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            said = (
                message('unknown key "{key}"; did you mean "{close}"?', key=key, close=close[0])
                if close
                else message('unknown key "{key}"', key=key)
            )
            collect.error(said, "E130", path=key)
    if data.get("year") != year:
        collect.error(
            message(
                "the accounts of {year} say year = {written}",
                year=year,
                written=repr(data.get("year")),
            ),
            "E139",
            path="year",
        )
    currency = data.get("currency", cooperation.currency)
    if currency != cooperation.currency:
        collect.error(
            message(
                'the accounts are in "{currency}", the spec in {spec}',
                currency=_shown(str(currency)),
                spec=cooperation.currency,
            ),
            "E136",
            path="currency",
        )
    actuals = data.get("actuals", {})
    if not isinstance(actuals, dict) or not actuals:
        collect.error(
            message("no actual costs: [actuals] is missing or empty"), "E138", path="actuals"
        )
        actuals = {}
    entries: list[tuple[str, object, str]] = [
        (
            code,
            value,
            f"actuals.{code}" if re.fullmatch(r"[A-Za-z0-9_-]+", code) else f'actuals."{code}"',
        )
        for code, value in actuals.items()
    ]
    if "unassigned" in data:
        entries.append(("", data["unassigned"], "unassigned"))
    for code, value, key_path in entries:
        ore = _toml_amount(value, collect, key_path)
        if ore is not None:
            book.book(code, ore, path=key_path)
    result = book.actuals(file, cooperation.currency)
    if collect.problems:
        collect.problems = locate(collect.problems, {file: text})
    collect.raise_if_any(_language(cooperation))
    return result


def _toml_amount(value: object, collect: _Collector, path: str) -> int | None:
    """An amount of the accounts file in øre (a credit may be negative); None if not one."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        collect.error(
            message('expected an amount, got "{value}"', value=_shown(str(value))),
            "E132",
            path=path,
        )
        return None
    try:
        number = parse_amount(str(value)) if isinstance(value, str) else Decimal(value)
        if not number.is_finite() or abs(number) > MAX_AMOUNT:
            raise ValueError(message("an amount may be at most {most}", most=MAX_AMOUNT))
        if decimal_places(number) > 2:
            raise ValueError(message("an amount has at most two decimals: money is to the øre"))
    except ValueError as error:
        collect.error(error.args[0], "E132", path=path)
        return None
    return int(number * 100)


def _records(stream: io.TextIOBase) -> Iterator[tuple[int, list[str]]]:
    """The ledger's records with the line each starts on (quoted fields may span lines)."""
    first = stream.readline()
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(_chain(first, stream), delimiter=delimiter, strict=True)
    line = 1
    for record in reader:
        yield line, record
        line = reader.line_num + 1


def _chain(first: str, rest: io.TextIOBase) -> Iterator[str]:
    yield first
    yield from rest


def _read_rows(
    records: Iterator[tuple[int, list[str]]],
    names: list[str],
    book: _Book,
    collect: _Collector,
    language: str | None,
    *,
    project_column: str,
    amount_column: str,
    currency_column: str | None,
) -> None:
    """Check the header's columns, then book every row (problems collected).

    A row is known again by the hash of its fields, kept with its line: a
    few dozen bytes a row, never the rows themselves.
    """
    seen: dict[int, int] = {}
    wanted = {"--project-column": project_column, "--amount-column": amount_column}
    if currency_column is not None:
        wanted["--currency-column"] = currency_column
    for option, name in wanted.items():
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            said = (
                message(
                    '{option} "{name}": the ledger has no such column; did you mean "{close}"?',
                    option=option,
                    name=_shown(name),
                    close=close[0],
                )
                if close
                else message(
                    '{option} "{name}": the ledger has no such column (its columns: {columns})',
                    option=option,
                    name=_shown(name),
                    columns=", ".join(_shown(n) for n in names[:20]) or "-",
                )
            )
            collect.error(said, "E131", line=1)
    collect.raise_if_any(language)
    project_at = names.index(project_column)
    amount_at = names.index(amount_column)
    currency_at = None if currency_column is None else names.index(currency_column)
    width = len(names)
    currency = book.cooperation.currency
    bookable = book.bookable
    sums = book.sums
    for line, record in records:
        if len(record) != width:
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            collect.error(
                message(
                    "a row of {n} fields under a header of {width}",
                    n=len(record),
                    width=width,
                ),
                "E132",
                line=line,
            )
            continue
        key = hash(tuple(record))
        earlier = seen.get(key)
        if earlier is not None:
            collect.error(
                message("a duplicate of the row on line {line}", line=earlier),
                "E135",
                line=line,
            )
            continue
        seen[key] = line
        if currency_at is not None and record[currency_at].strip() != currency:
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            collect.error(
                message(
                    'a cost in "{currency}"; the spec\'s currency is {spec}',
                    currency=_shown(record[currency_at].strip()),
                    spec=currency,
                ),
                "E136",
                path=currency_column or "",
                line=line,
                column=currency_at + 1,
            )
            continue
        cell = record[amount_at]
        try:
            ore = ore_of(cell)
        except ValueError as error:
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            collect.error(
                message('"{value}": {reason}', value=_shown(cell), reason=error.args[0]),
                "E132",
                path=amount_column,
                line=line,
                column=amount_at + 1,
            )
            continue
        code = record[project_at].strip()
        item = bookable.get(code)
        if item is not None and ore >= 0:
            # The common row, booked here: a method call per row is a tenth of the time.
            book.rows += 1
            sums[item] = sums.get(item, 0) + ore
            continue
        book.book(code, ore, path=project_column, line=line, column=project_at + 1)


def read_ledger(
    cooperation: Cooperation,
    ledger: str | os.PathLike[str],
    year: int,
    *,
    project_column: str,
    amount_column: str,
    currency_column: str | None = None,
) -> Actuals:
    """The actual costs of ``year`` from a CSV ledger export, streamed in bounded memory.

    Semicolon- or comma-separated (from the header line), UTF-8 with or
    without a byte-order mark, CRLF or LF, quoted fields; amounts as
    :func:`parse_amount` reads them, exact. A row whose project cell is empty
    is a cost booked to no project (shared by ``[settlement] unassigned_key``,
    else an error). A row with a negative amount is a credit note: allowed,
    and said (W217). A row that repeats an earlier one exactly is an error (a
    ledger exported twice). Raises :class:`~dikt.errors.SpecError` with every
    problem by row and column (at most :data:`MAX_LEDGER_PROBLEMS`).
    """
    check_year(year)
    file = os.fspath(ledger)
    collect = _Collector(file)
    language = _language(cooperation)
    path = Path(file)
    if not path.is_file():
        collect.error(message("the ledger is not a readable file"), "E130")
        collect.raise_if_any(language)
    book = _Book(cooperation, year, collect)
    try:
        with path.open("rb") as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            records = _records(stream)
            header = next(records, None)
            if header is None or not any(cell.strip() for cell in header[1]):
                collect.error(message("the ledger is empty: no header and no rows"), "E138")
                collect.raise_if_any(language)
                raise AssertionError  # pragma: no cover - raised above
            _read_rows(
                records,
                [name.strip() for name in header[1]],
                book,
                collect,
                language,
                project_column=project_column,
                amount_column=amount_column,
                currency_column=currency_column,
            )
    except UnicodeDecodeError as error:
        collect.error(
            message("the ledger is not UTF-8 text (byte {byte})", byte=error.start), "E130"
        )
    except csv.Error as error:
        collect.error(message("the ledger is not CSV: {reason}", reason=str(error)), "E130")
    except OSError as error:
        collect.error(message("cannot read the ledger: {reason}", reason=error.strerror), "E130")
    if book.rows == 0 and not collect.problems:
        collect.error(message("the ledger has no rows: no actual costs to settle"), "E138")
    result = book.actuals(file, cooperation.currency)
    collect.raise_if_any(language)
    return result
