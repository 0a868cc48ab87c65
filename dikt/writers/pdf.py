"""PDF through Typst: the document as Typst source, compiled by the ``typst`` package.

Offline and without system programs: the compiler and its fonts come in the
``typst`` wheel. Every text goes into the source as a Typst string literal,
never as markup, so no name can format or script the page. The PDF has no
creation date: the same document gives the same bytes.
"""

from __future__ import annotations

import re
from typing import Final

from dikt.document import Document, Figure, Heading, Paragraph, Table
from dikt.i18n import Texts, texts
from dikt.writers._cells import for_people, header, people_rows, visible

__all__ = ["source", "write_pdf"]

_PREAMBLE: Final = """\
#set document(title: {title}, author: "dikt", date: none)
#set page(paper: "a4", margin: (x: 18mm, y: 20mm), numbering: "1")
#set text(lang: {lang}, size: 10pt)
#set par(justify: false)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 17pt)
#show heading: set block(sticky: true)
#show heading.where(level: 2): it => block(above: 1.6em, below: 0.8em, sticky: true,
                                           text(size: 13pt, it.body))
#show table: set text(size: 9pt)
#set table(stroke: (x, y) => if y == 0 { (bottom: 0.6pt) } else { (bottom: 0.3pt + luma(215)) },
           inset: (x: 4pt, y: 3pt))
#show figure.caption: set text(size: 8.5pt)
"""


#: Tables of this many rows or fewer are never split across pages.
_UNBROKEN_ROWS: Final = 16


def _string(text: str) -> str:
    """People's text as a Typst string literal, its control characters shown escaped."""
    return _literal(visible(text))


def _literal(text: str) -> str:
    """Any text as a Typst string literal (line breaks kept: an SVG's)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _numeric_width(table: Table, index: int, words: Texts) -> str:
    """A number column as wide as its widest number; its header wraps at spaces.

    Typst sizes an ``auto`` column by its header too, and squeezes a text column
    to nothing when a wide table's headers do not fit: the numbers (which never
    break) decide instead, and the header's longest word.
    """
    cells = [for_people(row[index], kinds[index], words) for row, kinds in people_rows(table)]
    longest = max((len(cell) for cell in cells), default=0)
    word = max((len(w) for w in header(table.columns[index], words).split()), default=0)
    # Digits are half an em wide; a bold header letter some 0.56 em; the inset 8pt.
    return f"{max(longest * 0.5, word * 0.56) + 0.9:.1f}em"


def _table(table: Table, words: Texts) -> str:
    kinds = [column.kind for column in table.columns]
    rows = people_rows(table)
    widths = ", ".join(
        "1fr" if kind.wraps else _numeric_width(table, index, words) if kind.numeric else "auto"
        for index, kind in enumerate(kinds)
    )
    aligns = ", ".join("right" if kind.numeric else "left" for kind in kinds)
    cells = [
        "table.header("
        + ", ".join(f"strong({_string(header(column, words))})" for column in table.columns)
        + ")"
    ]
    for index, (row, row_kinds) in enumerate(rows):
        total = table.total is not None and index == len(rows) - 1
        for value, kind in zip(row, row_kinds, strict=True):
            shown = _string(for_people(value, kind, words))
            cells.append(f"strong({shown})" if total else shown)
    body = ",\n  ".join(cells)
    out = f"table(\n  columns: ({widths},),\n  align: ({aligns},),\n  {body},\n)"
    # A short table stays on one page; a long one breaks, its header repeated.
    breakable = "true" if len(rows) > _UNBROKEN_ROWS else "false"
    out = f"#block(breakable: {breakable}, {out})\n"
    if table.title:
        out = f"#block(sticky: true, strong({_string(table.title)}))\n\n" + out
    return out + "".join(f"\n#{_string(note)}\n" for note in table.notes)


def source(document: Document) -> str:
    """The document as Typst source."""
    words = texts(document.language)
    preamble = _PREAMBLE.replace("{title}", _string(document.title))
    out = [preamble.replace("{lang}", _string(document.language))]
    out.append(f"#heading(level: 1, {_string(document.title)})\n")
    blocks = document.blocks
    for number, block in enumerate(blocks):
        if isinstance(block, Heading):
            out.append(f"#heading(level: {block.level}, {_string(block.text)})\n")
        elif isinstance(block, Paragraph):
            if number + 1 < len(blocks) and isinstance(blocks[number + 1], Table):
                # A paragraph that leads into a table goes to the table's page with it
                # (the colophon's identity was left a page before its list of files).
                out += [f"#block(sticky: true, {_string(line)})\n" for line in block.lines]
            else:
                out += [f"#{_string(line)}\n" for line in block.lines]
        elif isinstance(block, Figure):
            out.append(
                f'#figure(image(bytes({_literal(block.svg)}), format: "svg", '
                f"width: {_figure_width(block.svg)}), caption: {_string(block.caption)})\n"
            )
        else:
            out.append(_table(block, words))
    return "\n".join(out)


#: A drawing's unit on the page: a CSS pixel is 0.75 pt, so a chart's text
#: (13 and 14 units) prints at about 10 pt, as it reads on a screen.
_POINTS_PER_UNIT: Final = 0.75
_VIEW_BOX: Final = re.compile(r"viewBox='0 0 ([0-9.]+) ")


#: The width between the page's margins (A4, 18 mm each side), in points.
_TEXT_WIDTH_PT: Final = (210 - 2 * 18) / 25.4 * 72


def _figure_width(svg: str) -> str:
    """How wide a drawing prints: its own width in points, at most the page's."""
    found = _VIEW_BOX.search(svg)
    points = float(found.group(1)) * _POINTS_PER_UNIT if found else _TEXT_WIDTH_PT
    return "100%" if points >= _TEXT_WIDTH_PT else f"{points:.0f}pt"


def write_pdf(document: Document) -> bytes:
    """The document as PDF bytes."""
    import typst  # noqa: PLC0415 - the compiler is loaded only to write a PDF

    pdf = typst.compile(source(document).encode("utf-8"), format="pdf")
    assert isinstance(pdf, bytes)
    return pdf
