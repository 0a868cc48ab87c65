"""Format-neutral documents: what a result shows, not how.

A view (``dikt.views``) turns an analysis result into a :class:`Document`
once: a title, headings, short paragraphs and :class:`Table` objects whose
columns are typed (:class:`Kind`: an amount, a percentage, a count, a date,
an id, a name, free text...). A writer (``dikt.writers``) turns any document
into one format: terminal text, Markdown, CSV, docutils nodes. Adding a
format is one writer; adding an analysis is one view. Neither side computes
what the other shows: sums, signs and statuses come from the results.

Cells hold values, not text: a writer decides how an amount or a percentage
reads (``1,234,567.89`` or ``1 234 567,89``), and how user text is made safe
for its format.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from fractions import Fraction
from typing import Final, TypeAlias, TypeVar

import attrs

from dikt.money import Money

__all__ = [
    "Block",
    "Cell",
    "Column",
    "Document",
    "Figure",
    "Heading",
    "Kind",
    "Paragraph",
    "Table",
    "columns",
    "table",
]


class Kind(enum.Enum):
    """What a column holds, which decides how it is written and aligned."""

    AMOUNT = "amount"  #: Money (None: blank)
    CHANGE = "change"  #: Money with its sign always shown (None: blank)
    PERCENT = "percent"  #: a Fraction of 1 (0.5 is 50 %), None: blank
    CHANGE_PERCENT = "change-percent"  #: a signed Fraction of 1; None: "new"
    COUNT = "count"  #: an int
    NUMBER = "number"  #: an exact int or Fraction (a quantity, a share)
    DATE = "date"  #: a date (None: blank)
    YEAR = "year"  #: an int, never with a thousands separator
    ID = "id"  #: an id: never wrapped
    TERM = "term"  #: one of dikt's terms (a kind of line, a status): translated for people
    NAME = "name"  #: a name: may wrap
    TEXT = "text"  #: free text: may wrap

    @property
    def numeric(self) -> bool:
        """Right-aligned in tables."""
        return self in _NUMERIC

    @property
    def wraps(self) -> bool:
        """May be wrapped to fit a terminal; amounts and ids never are."""
        return self in (Kind.NAME, Kind.TEXT)

    @property
    def text(self) -> bool:
        """Holds text (an id, a term, a name, free text) rather than a number or a date."""
        return self in (Kind.ID, Kind.TERM, Kind.NAME, Kind.TEXT)


_NUMERIC: Final = frozenset(
    {Kind.AMOUNT, Kind.CHANGE, Kind.PERCENT, Kind.CHANGE_PERCENT, Kind.COUNT, Kind.NUMBER}
)

#: What a cell may hold.
Cell: TypeAlias = Money | Fraction | int | str | dt.date | None


@attrs.frozen
class Column:
    """A column: its header and the kind of value it holds.

    ``header`` is the column's name for machines (a CSV header) and, translated,
    for people; ``label``, where given, is what people read instead (a header
    made of data, such as ``sande (kandidat)``, already in the document's language).
    """

    header: str
    kind: Kind
    label: str | None = None


@attrs.frozen(kw_only=True)
class Table:
    """A table of typed cells, with an optional totals row.

    ``name`` is a short machine name (a CSV file's, and a spreadsheet's sheet
    translated), ``title`` what people read above it (None: no title of its
    own), ``sheet`` the data in its name as people read it, when the name holds
    data (a member, a key): a workbook names the sheet of ``lines-royken`` with
    sheet ``Røyken`` as ``linjer Røyken``.
    """

    name: str
    title: str | None = None
    sheet: str | None = None
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None  #: the totals row, its values from the result
    notes: tuple[str, ...] = ()  #: short paragraphs shown under the table

    def without(self, *headers: str) -> Table:
        """The table without the columns of these headers (for a narrow page)."""
        keep = [i for i, column in enumerate(self.columns) if column.header not in headers]
        return attrs.evolve(
            self,
            columns=_pick(self.columns, keep),
            rows=tuple(_pick(row, keep) for row in self.rows),
            total=None if self.total is None else _pick(self.total, keep),
        )

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for row in (*self.rows, *(() if self.total is None else (self.total,))):
            if len(row) != width:
                raise ValueError(f"a row of {len(row)} cells in a table of {width} columns")


_T = TypeVar("_T")


def _pick(row: Sequence[_T], keep: Sequence[int]) -> tuple[_T, ...]:
    return tuple(row[i] for i in keep)


@attrs.frozen
class Heading:
    """A section heading (``level`` 2 under the document's title, 3 below)."""

    text: str
    level: int = 2


@attrs.frozen
class Paragraph:
    """A short paragraph: one or more lines, kept as lines where the format allows."""

    lines: tuple[str, ...]

    @classmethod
    def of(cls, *lines: str) -> Paragraph:
        """A paragraph of the given lines."""
        return cls(tuple(lines))


@attrs.frozen
class Figure:
    """A chart: SVG drawn by :mod:`dikt.diagrams` (its text escaped there), and a caption.

    Formats that show pictures (HTML, PDF, Sphinx) show it; text formats give
    the caption only.
    """

    svg: str
    caption: str


#: What a document is made of.
Block: TypeAlias = Heading | Paragraph | Table | Figure


@attrs.frozen(kw_only=True)
class Document:
    """A result as people read it: a title and blocks, in order.

    ``records`` is the flat table of records that machine formats (CSV)
    write, one row per record, when it differs from the tables people read;
    None when the document's tables are the records.
    """

    title: str
    blocks: tuple[Block, ...]
    records: Table | None = None
    #: The language its text is in, which writers for people write numbers,
    #: headers and terms in (a code of :data:`dikt.i18n.LANGUAGES`).
    language: str = "en"

    @property
    def tables(self) -> tuple[Table, ...]:
        """The document's tables, in order."""
        return tuple(b for b in self.blocks if isinstance(b, Table))


def columns(spec: str) -> list[tuple[str, Kind]]:
    """Columns written compactly: ``"member:id, change %:change-percent"``.

    >>> columns("member:id, annual cost:amount")
    [('member', <Kind.ID: 'id'>), ('annual cost', <Kind.AMOUNT: 'amount'>)]
    """
    out = []
    for part in spec.split(","):
        header, kind = part.strip().rsplit(":", 1)
        out.append((header, Kind(kind)))
    return out


def table(
    name: str,
    columns: str | Sequence[tuple[str, Kind] | tuple[str, Kind, str]],
    rows: Sequence[Sequence[Cell]],
    *,
    title: str | None = None,
    total: Sequence[Cell] | None = None,
    notes: Sequence[str] = (),
    sheet: str | None = None,
) -> Table:
    """A :class:`Table` from plain sequences; ``columns`` as (header, kind) pairs or
    (header, kind, label) triples, or written compactly as :func:`columns` reads them."""
    pairs = globals()["columns"](columns) if isinstance(columns, str) else columns
    return Table(
        name=name,
        title=title,
        sheet=sheet,
        columns=tuple(Column(*column) for column in pairs),
        rows=tuple(tuple(row) for row in rows),
        total=None if total is None else tuple(total),
        notes=tuple(notes),
    )
