"""docutils nodes, for dikt's Sphinx directives: tables every builder can lay out.

Column widths are proportional to the content (not all 1), so that the
text and LaTeX builders lay tables out as the HTML builder does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docutils import nodes

from dikt.document import Document, Figure, Heading, Kind, Paragraph, Table
from dikt.i18n import Texts, texts
from dikt.writers._cells import people_grid, visible

__all__ = ["inline", "table_node", "write"]

#: Code in running text: `backticked`, a "quoted" value as TOML writes it, or a
#: command-line option (--growth).
_CODE = re.compile(r'`([^`]+)`|("[^"\n]*")|(?<![\w-])(--[a-z][a-z0-9-]*)')


def inline(text: str) -> list[nodes.Node]:
    """Text with its code shown as code: ``key``, ``"value"`` and ``--option`` as literals.

    Literals keep straight quotes and double hyphens (Sphinx's smart quotes
    leave them alone), so a value or an option copied from the page works.
    """
    shown = visible(text)
    out: list[nodes.Node] = []
    position = 0
    for match in _CODE.finditer(shown):
        if match.start() > position:
            out.append(nodes.Text(shown[position : match.start()]))
        out.append(nodes.literal(text=match.group(1) or match.group(2) or match.group(3)))
        position = match.end()
    if position < len(shown):
        out.append(nodes.Text(shown[position:]))
    return out


def _paragraph(text: str) -> nodes.paragraph:
    node = nodes.paragraph()
    node += inline(text)
    return node


def write(document: Document, classes: Sequence[str] = ()) -> list[nodes.Node]:
    """The document's blocks as nodes (its title is the page's to give)."""
    words = texts(document.language)
    out: list[nodes.Node] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(nodes.rubric(text=visible(block.text)))
        elif isinstance(block, Paragraph):
            out += [_paragraph(line) for line in block.lines]
        elif isinstance(block, Figure):
            # The SVG is dikt's own drawing, its text escaped where it was drawn.
            out.append(nodes.raw("", f"<div class='dikt-figure'>{block.svg}</div>", format="html"))
            out.append(_paragraph(block.caption))
        else:
            if block.title:
                out.append(nodes.rubric(text=visible(block.title)))
            out.append(table_node(block, classes, words))
            out += [_paragraph(note) for note in block.notes]
    return out


def _classes(kind: Kind) -> list[str]:
    """Numbers right-aligned and unbroken; ids unbroken; names and text free to wrap."""
    if kind.numeric:
        return ["dikt-num"]
    return [] if kind.wraps else ["dikt-id"]


def table_node(
    table: Table, classes: Sequence[str] = (), words: Texts | None = None
) -> nodes.table:
    """A docutils table: a header row, the rows, a totals row last."""
    kinds = [column.kind for column in table.columns]
    # Cells come visible from people_grid; inline() escaping them again is harmless.
    headers, rows, widths = people_grid(table, words)
    node = nodes.table(classes=["dikt-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    node += group
    for width in widths:
        group += nodes.colspec(colwidth=max(width, 1))

    def row_node(cells: Sequence[str], *, header: bool = False) -> nodes.row:
        row = nodes.row()
        for cell, kind in zip(cells, kinds, strict=True):
            entry = nodes.entry(classes=[] if header else _classes(kind))
            entry += _paragraph(cell) if kind.wraps and not header else nodes.paragraph(text=cell)
            row += entry
        return row

    head = nodes.thead()
    head += row_node(headers, header=True)
    group += head
    body = nodes.tbody()
    for row in rows:
        body += row_node(row)
    group += body
    return node
