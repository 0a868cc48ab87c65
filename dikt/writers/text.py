"""Terminal text: aligned tables that fit the terminal, control characters escaped.

When there is a width (the terminal's, or ``COLUMNS``), every line fits it
and no word is broken; a table tries, in order:

1. its natural layout;
2. text wrapped at spaces (terms also after a hyphen), headers too;
   numbers, dates and ids never wrap; an id and the name after it in one
   column (as in 4) where that takes fewer lines;
3. a table of like columns beside a label (numbers, or members' systems)
   split into blocks of columns, the label repeated;
4. the shortest that fits of: a first column of repeating terms (the kind
   of each line) as a line above the rows of each kind; free-text columns
   (rules, descriptions), then names, moved under their row; both. Where a
   name would move under its row and an id stands before it, the two may
   instead share one column, ``IT150 Datasentral (VMware)``, wrapped at
   spaces after the id: of layouts as short, that one;
5. else stacked, one record after another, a line per value.

A word longer than the whole width (a hostile name) is cut with an
ellipsis, as is a name longer than :data:`MAX_NAME` anywhere in a table: the
full text is in the JSON. Without a width (output piped to a file or a
program) nothing is wrapped and only such names are cut.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from dikt.document import Block, Document, Figure, Heading, Kind, Paragraph, Table
from dikt.i18n import Texts, texts
from dikt.writers._cells import people_grid, visible

__all__ = ["MAX_NAME", "MAX_TEXT", "display_width", "write", "write_table"]

_GAP: Final = "  "
#: A wrapped column is not made narrower than this (or its longest word).
_MIN_WRAPPED: Final = 12
#: The most terminal cells a name (or id, or term) takes in a table, and
#: a free-text cell (a rule, a description): past it, cut with an ellipsis.
MAX_NAME: Final = 64
MAX_TEXT: Final = 240
#: How far the rows of a group stand in from the line that heads them.
_GROUPED: Final = 2
#: How far the further lines of an id and its name in one column stand in.
_HANGING: Final = 2
#: No layout is made narrower than this, whatever the terminal says.
_NARROWEST: Final = 20
_ELLIPSIS: Final = "…"
#: Where a long stacked label stops: a third of the width.
_LABEL_SHARE: Final = 3
#: Where a term may break: after a hyphen between letters (``core-|investment``,
#: never ``population-30-70``, whose numbers belong together).
_HYPHEN: Final = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")
#: A line of a paragraph that reads "  label:   value": its continuation
#: lines start under the value.
_LABELLED: Final = re.compile(r"^(\s+[^\s:][^:]{0,30}:\s+)\S")


def display_width(text: str) -> int:
    """How many terminal cells ``text`` takes: wide (CJK) characters two, marks none.

    >>> display_width("Røyken"), display_width("東京"), display_width("e\\u0301")
    (6, 4, 1)
    """
    if text.isascii():
        return len(text)
    # Norwegian letters and the no-break spaces inside every amount: below U+0300
    # no character is wide, combining or a format character but the soft hyphen.
    # Layout measures each cell many times: this is most of what it measures.
    if max(text) < _FIRST_MARK:
        return len(text) - text.count(_SOFT_HYPHEN)
    # Short texts (a cell, a word) are measured again and again while a table is
    # laid out: kept. Long ones are not, so the cache never holds a whole text.
    return _measured_kept(text) if len(text) <= _KEPT else _measured(text)


_FIRST_MARK: Final = "\u0300"
_SOFT_HYPHEN: Final = "\u00ad"
_KEPT: Final = 80


def _measured(text: str) -> int:
    """``display_width`` character by character: for text beyond Latin."""
    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


_measured_kept = functools.lru_cache(maxsize=4096)(_measured)


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` terminal cells, cut with an ellipsis if longer."""
    if display_width(text) <= limit:
        return text
    kept, used = [], 0
    for char in text:
        used += display_width(char)
        if used > limit - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + _ELLIPSIS


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if right else text + space


# -- wrapping -----------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    """The words of ``text``, split at plain spaces only: a no-break space (inside
    ``1 234 567,89``, or ``12,50 %``) holds its number together."""
    return [word for word in text.split(" ") if word]


def _words(text: str, hyphens: bool) -> list[str]:
    """The unbreakable pieces of ``text``: its words, and with ``hyphens`` the parts of
    a hyphenated word, each keeping its hyphen (``core-``, ``investment``)."""
    words = _split(text)
    if not hyphens:
        return words
    return [piece for word in words for piece in _HYPHEN.split(word)]


def _longest_word(text: str, hyphens: bool) -> int:
    return max((display_width(word) for word in _words(text, hyphens)), default=0)


def _wrap(text: str, width: int, hyphens: bool = False, first: int | None = None) -> list[str]:
    """``text`` in lines of at most ``width`` cells (the first line ``first``, if
    given), broken at spaces (with ``hyphens`` also after a hyphen); a word wider
    than its line is cut with an ellipsis."""
    lines: list[str] = []
    line = ""

    def room() -> int:
        return max(first if first is not None and not lines else width, 1)

    for word in _split(text):
        pieces = _HYPHEN.split(word) if hyphens else [word]
        joined = f"{line} {word}" if line else word
        if display_width(joined) <= room():
            line = joined
            continue
        for index, piece in enumerate(pieces):
            glue = " " if index == 0 and line else ""
            if display_width(line + glue + piece) <= room():
                line += glue + piece
                continue
            if line or (first is not None and not lines):
                lines.append(line)
                line = ""
            line = _cut(piece, room())
    if line or not lines:
        lines.append(line)
    return lines


def _hanging(line: str, width: int | None) -> list[str]:
    """A paragraph's line wrapped to ``width``, its continuation lines indented
    under its text: under the value of a ``  label:  value`` line."""
    if width is None:
        return [line]
    labelled = _LABELLED.match(line)
    indent = len(line) - len(line.lstrip(" "))
    if labelled and len(labelled.group(1)) <= width // 2:
        indent = len(labelled.group(1))
    head, rest = line[:indent], line[indent:]
    if not rest.strip():
        return [line.rstrip()]
    room = max(width - indent, _NARROWEST // 2)
    if labelled:
        # The label stays on the first line: wrap the value only.
        return [
            head + part if i == 0 else " " * indent + part
            for i, part in enumerate(_wrap(rest, room))
        ]
    return [" " * indent + part for part in _wrap(rest, room)]


def _wrapped_lines(lines: Sequence[str], width: int | None) -> list[str]:
    return [part for line in lines for part in _hanging(visible(line), width)]


# -- documents ----------------------------------------------------------------------------------


def write(document: Document, width: int | None = None) -> str:
    """The document as terminal text; ``width`` is the terminal's, None for no limit."""
    if width is not None:
        width = max(width, _NARROWEST)
    words = texts(document.language)
    out: list[str] = []
    if document.title:
        out += _wrapped_lines([document.title], width)
    previous: Block | None = None
    for block in document.blocks:
        # A block follows its heading directly; other blocks stand apart.
        if out and not isinstance(previous, Heading):
            out.append("")
        if isinstance(block, Heading):
            out += _wrapped_lines([block.text], width)
        elif isinstance(block, Paragraph):
            out += _wrapped_lines(block.lines, width)
        elif isinstance(block, Figure):
            out += _wrapped_lines([f"[{block.caption}]"], width)
        else:
            if block.title and not isinstance(previous, Heading):
                out += _wrapped_lines([block.title], width)
            out.append(write_table(block, width, words))
            out += _wrapped_lines(block.notes, width)
        previous = block
    return "\n".join(out) + "\n"


# -- tables -------------------------------------------------------------------------------------


class _Grid:
    """A table's text: headers and rows of cells as people read them, and
    what each column may do (wrap at spaces, after hyphens; align right)."""

    def __init__(self, table: Table, words: Texts | None) -> None:
        self.kinds = [column.kind for column in table.columns]
        #: The columns' names for machines (``name``, whatever the language shows).
        self.keys = [column.header for column in table.columns]
        headers, rows, _ = people_grid(table, words)
        self.total = table.total is not None  #: the last row is the totals row
        #: Columns whose further lines stand in (an id and its name in one column).
        self.hanging: frozenset[int] = frozenset()
        self.headers = headers
        self.rows = [
            [self._shown(cell, kind) for cell, kind in zip(row, self.kinds, strict=True)]
            for row in rows
        ]

    @staticmethod
    def _shown(cell: str, kind: Kind) -> str:
        if not kind.text:
            return cell
        return _cut(" ".join(_split(cell)), MAX_TEXT if kind is Kind.TEXT else MAX_NAME)

    def wraps(self, column: int) -> bool:
        """Text wraps at spaces (an id has none); numbers and dates never wrap."""
        return self.kinds[column].text

    def hyphens(self, column: int) -> bool:
        """One of dikt's terms (``core-investment``) may also wrap after a hyphen."""
        return self.kinds[column] is Kind.TERM

    def natural(self, column: int) -> int:
        cells = [row[column] for row in self.rows]
        return max(display_width(text) for text in [self.headers[column], *cells])

    def floor(self, column: int) -> int:
        """The narrowest the column may be: no word broken, no number wrapped."""
        header = _longest_word(self.headers[column], hyphens=False)
        cells = [row[column] for row in self.rows]
        if not self.wraps(column):
            return max([header, *(display_width(cell) for cell in cells)])
        hyphens = self.hyphens(column)
        longest = max([header, *(_longest_word(cell, hyphens) for cell in cells)])
        if column in self.hanging:
            longest += _HANGING  # any word may fall on a line that stands in
        return max(longest, min(self.natural(column), _MIN_WRAPPED))


def write_table(table: Table, width: int | None = None, words: Texts | None = None) -> str:
    """A table as aligned columns under a ruled header; a totals row last.

    With a ``width``, every line fits it (see the module's docstring for how).

    >>> from dikt.document import Kind, table
    >>> print(write_table(table("t", [("id", Kind.ID), ("users", Kind.COUNT)], [["sande", 12]])))
    id     users
    -----  -----
    sande     12
    """
    grid = _Grid(table, words)
    every = list(range(len(grid.kinds)))
    if width is None:
        return "\n".join(_columns(grid, every, [grid.natural(i) for i in every]))
    width = max(width, _NARROWEST)
    widths = _fit(grid, every, width)
    if widths is not None:
        lines = _columns(grid, every, widths)
        # A long id (familia-upgrade-2012) can leave its name a narrow column that
        # wraps it over three lines; the two in one column may take fewer.
        wrapped = any(w < grid.natural(i) for i, w in zip(every, widths, strict=True))
        merged = _merged(grid) if wrapped else None
        if merged is not None:
            one = _fit(merged, every[:-1], width)
            if one is not None:
                fewer = _columns(merged, every[:-1], one)
                if len(fewer) < len(lines):
                    return "\n".join(fewer)
        return "\n".join(lines)
    if len(every) > 2 and len({_family(kind) for kind in grid.kinds[1:]}) == 1:
        blocks = _blocks(grid, width)
        return "\n".join(blocks if blocks is not None else _stacked(grid, width))
    # A first column of repeating terms (the kind of each line) may head groups of
    # rows; free text (rules, descriptions), then names, may move under their row,
    # the widest first. Of the layouts that fit, the shortest.
    layouts = _layouts(grid, width)
    if layouts and _name_under(grid, layouts):
        # A name under every row ("name: Datasentral (VMware)") reads worse than
        # the id and the name in one column: that, where it is no longer.
        merged = _merged(grid)
        if merged is not None:
            shared = _layouts(merged, width)
            if shared and len(min(shared, key=len)) <= len(min(layouts, key=len)):
                layouts = shared
    if layouts:
        shortest = min(layouts, key=len)
        return "\n".join(shortest)
    return "\n".join(_stacked(grid, width))


def _name_after_id(grid: _Grid) -> int | None:
    """The column of a name that directly follows an id (the item and its name), if any.

    Only a column called ``name`` is the id's own: a name after an id may be
    another thing's (a roadmap's domain, then the system to move to).
    """
    kinds = grid.kinds
    for i in range(1, len(kinds)):
        if kinds[i] is Kind.NAME and kinds[i - 1] is Kind.ID and grid.keys[i] == "name":
            return i
    return None


def _name_under(grid: _Grid, layouts: Sequence[Sequence[str]]) -> bool:
    """Whether the shortest layout moves the name after an id under its row."""
    i = _name_after_id(grid)
    if i is None:
        return False
    label = f"{grid.headers[i]}: "
    return any(label in line for line in min(layouts, key=len))


def _merged(grid: _Grid) -> _Grid | None:
    """``grid`` with the id and the name that follows it in one column of names."""
    i = _name_after_id(grid)
    if i is None:
        return None
    merged = object.__new__(_Grid)
    merged.kinds = [*grid.kinds[: i - 1], Kind.NAME, *grid.kinds[i + 1 :]]
    merged.keys = [*grid.keys[: i - 1], grid.keys[i - 1], *grid.keys[i + 1 :]]
    merged.total = grid.total
    merged.hanging = frozenset({i - 1})
    merged.headers = [*grid.headers[: i - 1], grid.headers[i - 1], *grid.headers[i + 1 :]]
    merged.rows = [
        [*row[: i - 1], f"{row[i - 1]} {row[i]}".strip(), *row[i + 1 :]] for row in grid.rows
    ]
    return merged


def _layouts(grid: _Grid, width: int) -> list[list[str]]:
    """Every layout of step 4 that fits ``width`` (see the module's docstring)."""
    every = list(range(len(grid.kinds)))
    layouts: list[list[str]] = []
    for grouped in (False, True) if _groups(grid) else (False,):
        base = every[1:] if grouped else every
        movable = [
            i
            for kind in (Kind.TEXT, Kind.NAME)
            for i in sorted(
                (i for i in base[1:] if grid.kinds[i] is kind), key=grid.natural, reverse=True
            )
        ]
        for count in range(len(movable) + 1):
            under = movable[:count]
            kept = [i for i in base if i not in under]
            widths = _fit(grid, kept, width - (_GROUPED if grouped else 0))
            if widths is not None:
                layouts.append(
                    _columns(grid, kept, widths, under=under, width=width, grouped=grouped)
                )
    return layouts


def _groups(grid: _Grid) -> bool:
    """Whether the first column is a term that repeats down the rows (and more
    columns follow), so that it can head groups of rows instead."""
    data = grid.rows[:-1] if grid.total else grid.rows
    firsts = [row[0] for row in data]
    return (
        grid.kinds[0] is Kind.TERM
        and len(grid.kinds) > 2
        and len(set(firsts)) < len(firsts)
        and all(firsts)
    )


def _family(kind: Kind) -> str:
    """Columns of one family compare side by side: numbers, or the same kind of text."""
    return "number" if kind.numeric else kind.value


def _span(widths: Sequence[int]) -> int:
    return sum(widths) + len(_GAP) * (len(widths) - 1)


def _fit(grid: _Grid, columns: Sequence[int], width: int) -> list[int] | None:
    """Widths for ``columns`` that fit ``width``: the natural ones, else the widest
    wrapping columns narrowed first; None if even the narrowest do not fit."""
    fitted = [grid.natural(i) for i in columns]
    if _span(fitted) <= width:
        return fitted
    floor = [grid.floor(i) for i in columns]
    if _span(floor) > width:
        return None
    excess = _span(fitted) - width
    while excess > 0:
        widest = max((k for k, w in enumerate(fitted) if w > floor[k]), key=lambda k: fitted[k])
        fitted[widest] -= 1
        excess -= 1
    return fitted


def _columns(
    grid: _Grid,
    columns: Sequence[int],
    widths: Sequence[int],
    *,
    under: Sequence[int] = (),
    width: int | None = None,
    grouped: bool = False,
) -> list[str]:
    """Rows as aligned columns (wrapped to ``widths``), headers ruled; the
    ``under`` columns' text under each row, labelled; ``grouped``: the first
    column's value a line of its own above the rows that share it."""
    headers = [_wrap(grid.headers[i], w) for i, w in zip(columns, widths, strict=True)]
    height = max(len(lines) for lines in headers)
    headers = [[""] * (height - len(lines)) + lines for lines in headers]  # bottom-aligned
    right = [grid.kinds[i].numeric for i in columns]
    margin = " " * _GROUPED if grouped else ""
    out = [margin + line for line in _lines(headers, widths, right)]
    out += [margin + line for line in _lines([["-" * w] for w in widths], widths, right)]
    indent = len(_GAP) + widths[0] if widths[0] + len(_GAP) <= (width or 0) // 3 else 2
    indent += len(margin)
    group = None
    for number, row in enumerate(grid.rows):
        shown = list(row)
        if grouped and grid.total and number == len(grid.rows) - 1:
            # The totals row's label stands in the first column shown.
            shown[columns[0]] = shown[columns[0]] or row[0]
        elif grouped and row[0] != group:
            group = row[0]
            out += _wrap(group, width or display_width(group), hyphens=True)
        cells = [
            _hung(shown[i], w, grid.hyphens(i))
            if i in grid.hanging
            else _wrap(shown[i], w, grid.hyphens(i))
            if grid.wraps(i)
            else [shown[i]]
            for i, w in zip(columns, widths, strict=True)
        ]
        out += [margin + line for line in _lines(cells, widths, right)]
        for i in sorted(under):
            if row[i] and width is not None:
                out += _labelled(grid.headers[i], row[i], indent, width)
    return out


def _hung(text: str, width: int, hyphens: bool) -> list[str]:
    """``text`` wrapped to ``width``, its further lines standing in: an id and its name
    (``IT154 Nettverk (LAN, WAN og`` over ``  fiber)``), not two items."""
    first, *rest = _wrap(text, width - _HANGING, hyphens, first=width)
    return [first, *(" " * _HANGING + line for line in rest)]


def _lines(
    cells: Sequence[Sequence[str]], widths: Sequence[int], right: Sequence[bool]
) -> list[str]:
    """One row, as many terminal lines as its tallest cell."""
    height = max(len(parts) for parts in cells)
    return [
        _GAP.join(
            _pad(parts[index] if index < len(parts) else "", w, r)
            for parts, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()
        for index in range(height)
    ]


def _labelled(label: str, text: str, indent: int, width: int) -> list[str]:
    """``label: text`` from ``indent``, the text's further lines under its start
    (or, when that leaves too little room, two cells further in than the label)."""
    head = " " * indent + f"{_cut(label, width // _LABEL_SHARE)}: "
    start = display_width(head)
    if width - start < _NARROWEST:
        start = indent + 2
    parts = _wrap(text, width - start, first=width - display_width(head))
    return [(head + parts[0]).rstrip(), *(" " * start + part for part in parts[1:])]


def _blocks(grid: _Grid, width: int) -> list[str] | None:
    """A table of like columns beside a label, as blocks of columns that fit,
    the label column repeated in each; None if the label and one column do not fit.

    As few blocks as fit, their columns shared out evenly (3 and 2, not 4 and 1).
    """
    others = list(range(1, len(grid.kinds)))
    floors = [grid.floor(i) for i in range(len(grid.kinds))]
    if floors[0] + len(_GAP) + max(floors[i] for i in others) > width:
        return None
    for count in range(2, len(others) + 1):
        size = -(-len(others) // count)
        blocks = [[0, *others[k : k + size]] for k in range(0, len(others), size)]
        if all(_span([floors[i] for i in block]) <= width for block in blocks):
            break
    out: list[str] = []
    for block in blocks:
        widths = _fit(grid, block, width)
        assert widths is not None  # the block was made of columns whose floors fit
        out += ([""] if out else []) + _columns(grid, block, widths)
    return out


def _heading_columns(grid: _Grid) -> list[int]:
    """What names a record when stacked: its first id (with the name beside it),
    else its first name, else its first cell."""
    kinds = grid.kinds
    for kind in (Kind.ID, Kind.NAME):
        if kind in kinds:
            first = kinds.index(kind)
            named = _name_after_id(grid) == first + 1
            return [first, first + 1] if named else [first]
    return [0]


def _stacked(grid: _Grid, width: int) -> list[str]:
    """Each row as a record: what names it, then a line per other value, labelled."""
    heading = _heading_columns(grid)
    rest = [i for i in range(len(grid.kinds)) if i not in heading]
    labels = [_cut(header, width // _LABEL_SHARE) for header in grid.headers]
    label_width = max((display_width(labels[i]) for i in rest), default=0)
    start = 2 + label_width + len(_GAP)
    room = width - start
    numbers = [display_width(row[i]) for row in grid.rows for i in rest if grid.kinds[i].numeric]
    number_width = min(max(numbers, default=0), room)
    out: list[str] = []
    for row in grid.rows:
        if out:
            out.append("")
        # A totals row has its label where the others have an id: the first text.
        title = " ".join(row[i] for i in heading if row[i])
        title = title or next((row[i] for i in rest if grid.kinds[i].text and row[i]), "")
        out += _wrap(title, width)
        for i in rest:
            if not row[i] or row[i] == title:
                continue
            label = "  " + _pad(labels[i], label_width, right=False) + _GAP
            if grid.kinds[i].numeric:
                out.append((label + _pad(row[i], number_width, right=True)).rstrip())
                continue
            parts = _wrap(row[i], room, grid.hyphens(i))
            out += [(label if k == 0 else " " * start) + part for k, part in enumerate(parts)]
    return out
