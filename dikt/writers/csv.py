"""CSV for machines: RFC 4180, UTF-8, ``.`` decimals, one row per record, no formulas.

The same bytes whatever the language: amounts as ``1234.50``, percentages
as ``76.92``, dates ISO. A text cell that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return: the OWASP rule) gets a leading ``'``; line breaks inside a cell are
quoted, so each record stays one row. Spreadsheet users want ``--format
xlsx``.
"""

from __future__ import annotations

import csv
import io

from dikt.document import Cell, Column, Document, Table
from dikt.writers._cells import for_machines

__all__ = ["neutralise", "write", "write_table"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run: ``'=1+1`` for ``=1+1``.

    >>> neutralise("=HYPERLINK(1)"), neutralise("Sande")
    ("'=HYPERLINK(1)", 'Sande')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def write(document: Document, width: int | None = None) -> str:  # noqa: ARG001 - one signature
    """The document's records (or its only table) as CSV."""
    records = document.records
    if records is None:
        (records,) = document.tables  # a view with several tables gives its records
    return write_table(records)


def write_table(table: Table) -> str:
    """One header row, then one row per record (the totals row is not a record)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the excel dialect: rows end in \r\n, as RFC 4180's do
    columns = table.columns
    writer.writerow([neutralise(column.header) for column in columns])
    for row in table.rows:
        # A Table refuses a row of another width when it is built: one cell per column.
        writer.writerow([_cell(columns[i], value) for i, value in enumerate(row)])
    return buffer.getvalue()


def _cell(column: Column, value: Cell) -> str:
    """A cell as machines read it; text neutralised so that no spreadsheet runs it."""
    text = for_machines(value, column.kind)
    return neutralise(text) if column.kind.text else text
