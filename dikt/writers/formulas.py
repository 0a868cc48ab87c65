"""Workbooks whose figures are formulas: a difference is actual minus budget, a total a sum.

For the settlement (``dikt settle --format xlsx``): the cells a reader
checks by hand are formulas over the cells beside them, so that the
workbook shows how each figure arises and follows an edited actual cost.
The values dikt computed are the same: the formulas reproduce them exactly,
and are cached beside them for viewers that do not calculate.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import attrs
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dikt.writers.xlsx import Cached, _without_times

__all__ = ["Differences", "with_formulas"]


@attrs.frozen
class Differences:
    """In one sheet (by position): the column that is ``actual - budget``, and the sums.

    Columns are 1-based; ``summed`` are the columns whose totals row sums the
    column above it.
    """

    sheet: int
    difference: int
    actual: int
    budget: int
    summed: tuple[int, ...]


def with_formulas(data: bytes, sheets: Sequence[Differences]) -> bytes:
    """The workbook ``data`` with its differences and totals written as formulas.

    The last row of each sheet is its totals row.
    """
    workbook = load_workbook(io.BytesIO(data))
    # The values dikt wrote (or cached beside its formulas), kept beside the formulas.
    values = load_workbook(io.BytesIO(data), data_only=True)
    cached: Cached = {}
    for spec in sheets:
        sheet, known = workbook.worksheets[spec.sheet], values.worksheets[spec.sheet]
        formulas: dict[tuple[int, int], str] = {}
        last = sheet.max_row
        actual, budget = get_column_letter(spec.actual), get_column_letter(spec.budget)
        for row in range(2, last):
            formulas[row, spec.difference] = f"={actual}{row}-{budget}{row}"
        if last > 2:
            for column in spec.summed:
                letter = get_column_letter(column)
                formulas[last, column] = f"=SUM({letter}2:{letter}{last - 1})"
        kept = cached.setdefault(spec.sheet, {})
        for (row, column), text in formulas.items():
            cell = sheet.cell(row=row, column=column)
            value = known.cell(row=row, column=column).value
            cell.value = text
            if isinstance(value, int | float | Decimal):
                kept[cell.coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _without_times(buffer.getvalue(), cached)
