"""GitHub-flavoured Markdown: a title, sections, tables; every cell escaped."""

from __future__ import annotations

from dikt.document import Document, Figure, Heading, Paragraph, Table
from dikt.i18n import Texts, texts
from dikt.writers._cells import for_people, header, people_rows, visible

__all__ = ["escape", "write", "write_table"]


def escape(text: str) -> str:
    """Text safe in Markdown: pipes, HTML, links, images and line breaks neutralised.

    Brackets are escaped, so that a name such as ``[click](https://x)`` or
    ``![](https://x/pixel)`` is shown as written, never a link or an image
    fetched by whoever opens the page; control characters are shown escaped.

    >>> escape("a|b\\r\\n<c>")
    'a\\\\|b\\\\r\\\\n&lt;c&gt;'
    >>> escape("![x](y)")
    '!\\\\[x\\\\](y)'
    """
    return visible(
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("[", "\\[")
        .replace("]", "\\]")
    )


def write(document: Document, width: int | None = None) -> str:  # noqa: ARG001 - one signature
    """The document as Markdown (``width`` is unused: Markdown reflows)."""
    words = texts(document.language)
    out = [f"# {escape(document.title)}"] if document.title else []
    for block in document.blocks:
        if out:
            out.append("")
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {escape(block.text)}")
        elif isinstance(block, Paragraph):
            out += [escape(line) for line in block.lines]
        elif isinstance(block, Figure):
            out.append(f"*{escape(block.caption)}*")
        else:
            if block.title:
                out += [f"**{escape(block.title)}**", ""]
            out.append(write_table(block, words))
            if block.notes:
                out += ["", *(escape(note) for note in block.notes)]
    return "\n".join(out) + "\n"


def write_table(table: Table, words: Texts | None = None) -> str:
    """A table in Markdown; numbers right-aligned, the totals row last."""
    words = words or texts()
    kinds = [column.kind for column in table.columns]
    out = ["| " + " | ".join(escape(header(c, words)) for c in table.columns) + " |"]
    out.append("|" + "|".join("---:" if kind.numeric else "---" for kind in kinds) + "|")
    for row, row_kinds in people_rows(table):
        cells = [
            escape(for_people(value, kind, words))
            for value, kind in zip(row, row_kinds, strict=True)
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)
