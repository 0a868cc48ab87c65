"""Terminal text: aligned tables that fit the terminal, control characters escaped.

Amounts, counts and ids never wrap; names and free text wrap to the width
when there is one (the terminal's, or ``COLUMNS``). Without a width (output
piped to a file or a program) nothing is wrapped or cut.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from dikt.document import Block, Document, Figure, Heading, Paragraph, Table
from dikt.i18n import Texts, texts
from dikt.writers._cells import people_grid, visible

__all__ = ["write", "write_table"]

_GAP = "  "
#: A wrapped column is never narrower than this (or its header).
_MIN_WRAPPED = 12


def write(document: Document, width: int | None = None) -> str:
    """The document as terminal text; ``width`` is the terminal's, None for no limit."""
    words = texts(document.language)
    out: list[str] = []
    if document.title:
        out.append(visible(document.title))
    previous: Block | None = None
    for block in document.blocks:
        # A block follows its heading directly; other blocks stand apart.
        if out and not isinstance(previous, Heading):
            out.append("")
        if isinstance(block, Heading):
            out.append(visible(block.text))
        elif isinstance(block, Paragraph):
            out += _wrapped_lines(block.lines, width)
        elif isinstance(block, Figure):
            out += _wrapped_lines([f"[{block.caption}]"], width)
        else:
            if block.title and not isinstance(previous, Heading):
                out.append(visible(block.title))
            out.append(write_table(block, width, words))
            out += _wrapped_lines(block.notes, width)
        previous = block
    return "\n".join(out) + "\n"


def _wrapped_lines(lines: Sequence[str], width: int | None) -> list[str]:
    shown = [visible(line) for line in lines]
    if width is None:
        return shown
    return [part for line in shown for part in (textwrap.wrap(line, width) or [""])]


def write_table(table: Table, width: int | None = None, words: Texts | None = None) -> str:
    """A table as aligned columns under a ruled header; a totals row last.

    >>> from dikt.document import Kind, table
    >>> print(write_table(table("t", [("id", Kind.ID), ("users", Kind.COUNT)], [["sande", 12]])))
    id     users
    -----  -----
    sande     12
    """
    kinds = [column.kind for column in table.columns]
    headers, rows, widths = people_grid(table, words)
    if width is not None:
        widths = _fit(widths, headers, [kind.wraps for kind in kinds], width)
    out = [_line([[h] for h in headers], widths, kinds)[0]]
    out.append(_line([["-" * w] for w in widths], widths, kinds)[0])
    for row in rows:
        cells = [
            textwrap.wrap(cell, w, break_on_hyphens=False) or [""] if kind.wraps else [cell]
            for cell, w, kind in zip(row, widths, kinds, strict=True)
        ]
        out += _line(cells, widths, kinds)
    return "\n".join(out)


def _fit(widths: list[int], headers: list[str], wraps: list[bool], width: int) -> list[int]:
    """Narrow the wrapping columns, widest first, until the table fits ``width``."""
    fitted = list(widths)
    floor = [
        max(len(header), _MIN_WRAPPED) if wrap else fitted[index]
        for index, (header, wrap) in enumerate(zip(headers, wraps, strict=True))
    ]
    excess = sum(fitted) + len(_GAP) * (len(fitted) - 1) - width
    while excess > 0:
        candidates = [i for i, w in enumerate(fitted) if w > floor[i]]
        if not candidates:
            break  # amounts and ids never wrap: the table stays wider than the terminal
        widest = max(candidates, key=lambda i: fitted[i])
        fitted[widest] -= 1
        excess -= 1
    return fitted


def _line(cells: list[list[str]], widths: list[int], kinds: Sequence[object]) -> list[str]:
    """One table row, as many terminal lines as its tallest wrapped cell."""
    height = max(len(parts) for parts in cells)
    lines = []
    for index in range(height):
        parts = []
        for part_list, width, kind in zip(cells, widths, kinds, strict=True):
            part = part_list[index] if index < len(part_list) else ""
            numeric = getattr(kind, "numeric", False)
            parts.append(part.rjust(width) if numeric else part.ljust(width))
        lines.append(_GAP.join(parts).rstrip())
    return lines
