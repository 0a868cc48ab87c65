"""HTML: one standalone, printable file, its CSS and charts (SVG) inline.

Every text is escaped (a member named ``<script>`` shows as those
characters); control characters are shown escaped, as in every writer for
people. Numbers are right-aligned and never broken across lines. The same
document gives the same bytes.
"""

from __future__ import annotations

from html import escape
from typing import Final

from dikt.document import Document, Figure, Heading, Kind, Paragraph, Table
from dikt.i18n import Texts, texts
from dikt.writers._cells import for_people, header, people_rows, visible

__all__ = ["write_html"]

_CSS: Final = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #1b1b1b; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       overflow-wrap: break-word; }
h1 { font-size: 1.6rem; margin: 0 0 0.8rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
p { margin: 0.4rem 0; }
.table { overflow-x: auto; max-width: 100%; margin: 0.6rem 0 1rem; }
table { border-collapse: collapse; font-size: 9pt; }
th, td { padding: 0.2rem 0.45rem; border-bottom: 1px solid #e2e2e2; text-align: left;
         vertical-align: top; }
th { border-bottom: 1px solid #999; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.id { white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 1px solid #999; }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #555; }
table, tr { break-inside: avoid; }
@media print { .table { overflow: visible; } }
h2, h3 { break-after: avoid; }
@media print { body { margin: 0; max-width: none; } }
"""


def _cell_class(kind: Kind) -> str:
    if kind.numeric:
        return " class='num'"
    return " class='id'" if kind in (Kind.ID, Kind.TERM) else ""


def _table(table: Table, words: Texts) -> list[str]:
    # A wide table scrolls inside its box on a narrow screen; the page does not.
    out = ["<div class='table'><table>"]
    if table.title:
        out.append(f"<caption>{escape(visible(table.title))}</caption>")
    heads = "".join(
        f"<th{_cell_class(c.kind)}>{escape(visible(header(c, words)))}</th>" for c in table.columns
    )
    out.append(f"<thead><tr>{heads}</tr></thead><tbody>")
    rows = people_rows(table)
    for index, (row, kinds) in enumerate(rows):
        is_total = table.total is not None and index == len(rows) - 1
        cells = "".join(
            f"<td{_cell_class(kind)}>{escape(for_people(value, kind, words))}</td>"
            for value, kind in zip(row, kinds, strict=True)
        )
        out.append(f"<tr class='total'>{cells}</tr>" if is_total else f"<tr>{cells}</tr>")
    out.append("</tbody></table></div>")
    out += [f"<p>{escape(visible(note))}</p>" for note in table.notes]
    return out


def write_html(document: Document) -> str:
    """The document as one standalone HTML page."""
    words = texts(document.language)
    title = escape(visible(document.title))
    out = [
        "<!DOCTYPE html>",
        f"<html lang='{escape(document.language)}'>",
        "<head>",
        "<meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<meta name='generator' content='dikt'>",
        f"<title>{title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            out.append(f"<h{level}>{escape(visible(block.text))}</h{level}>")
        elif isinstance(block, Paragraph):
            out += [f"<p>{escape(visible(line))}</p>" for line in block.lines]
        elif isinstance(block, Figure):
            # The SVG is dikt's own drawing (dikt.diagrams), its texts escaped there.
            out.append(
                f"<figure>{block.svg}<figcaption>{escape(visible(block.caption))}</figcaption>"
                "</figure>"
            )
        else:
            out += _table(block, words)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
