"""Where a key stands in a TOML file: line and column for every key path.

tomli gives positions only for syntax errors. When a spec has problems, this
module scans the source of each file concerned once and indexes the position
of every table header, key and array element by its key path, so that a
problem about ``systems.IT141.users`` points at the line of ``users``. The
clean path never runs it.

The scanner reads TOML that tomli has already accepted; on anything it does
not expect it stops and keeps what it has indexed (a problem then falls back
to the nearest enclosing table it knows), it never raises.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from dikt._layout import COOPERATION_FILE
from dikt.errors import Problem

__all__ = ["KeyIndex", "deepest_nesting", "locate", "offset_position", "parse_path"]

Path = tuple[str | int, ...]

_BARE: Final = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END: Final = re.compile(r"[,\]}\n#]")
_PATH_KEY: Final = re.compile(r"[^.\[]+")
_ESCAPES: Final = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}
#: Deeper values are not indexed: no spec key is nested this deep.
_MAX_DEPTH: Final = 64


class _StopError(Exception):
    """The scanner met something it does not expect: keep what is indexed."""


def parse_path(text: str) -> Path:
    """The key path that :func:`dikt.errors.format_path` wrote as ``text``.

    >>> parse_path('systems.IT141.users'), parse_path('fleet[3].units')
    (('systems', 'IT141', 'users'), ('fleet', 3, 'units'))
    >>> parse_path('keys."a b".shares')
    ('keys', 'a b', 'shares')
    """
    parts: list[str | int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == ".":
            i += 1
        elif char == "[":
            end = text.find("]", i)
            if end < 0 or not text[i + 1 : end].isdigit():
                break
            parts.append(int(text[i + 1 : end]))
            i = end + 1
        elif char == '"':
            j, key = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                key.append(text[j])
                j += 1
            parts.append("".join(key))
            i = j + 1
        else:
            match = _PATH_KEY.match(text, i)
            assert match is not None  # the character at i is neither "." nor "["
            parts.append(match.group())
            i = match.end()
    return tuple(parts)


class KeyIndex:
    """The position (line, column; both 1-based) of every key path in one TOML text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.positions: dict[Path, tuple[int, int]] = {}
        self._arrays_of_tables: dict[Path, int] = {}
        self._header_start = 0
        # On anything unexpected, keep the positions found so far.
        with contextlib.suppress(_StopError, IndexError, RecursionError):
            self._document()

    def find(self, path: Iterable[str | int]) -> tuple[int, int]:
        """The position of ``path``, or of its nearest indexed ancestor, or (1, 1)."""
        path = tuple(path)
        while path:
            position = self.positions.get(path)
            if position is not None:
                return position
            path = path[:-1]
        return (1, 1)

    # -- the scanner ---------------------------------------------------------------

    def _position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def _record(self, path: Path, offset: int) -> None:
        if path not in self.positions:
            self.positions[path] = self._position(offset)

    def _skip(self, i: int, *, newlines: bool) -> int:
        """Past whitespace and comments (and newlines, if allowed)."""
        text = self._text
        while i < len(text):
            char = text[i]
            if char in " \t" or (newlines and char in "\r\n"):
                i += 1
            elif char == "#":
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
            else:
                break
        return i

    def _document(self) -> None:
        text = self._text
        table: Path = ()
        i = 0
        while True:
            i = self._skip(i, newlines=True)
            if i >= len(text):
                return
            bracket = i
            if text.startswith("[[", i):
                keys, i = self._keys(i + 2)
                self._header_start = bracket
                if not text.startswith("]]", i):
                    raise _StopError
                array = self._resolve(keys)
                index = self._arrays_of_tables.get(array, -1) + 1
                self._arrays_of_tables[array] = index
                self._record(array, self._header_start)
                table = (*array, index)
                self._record(table, self._header_start)
                i += 2
            elif text[i] == "[":
                keys, i = self._keys(i + 1)
                self._header_start = bracket
                if not text.startswith("]", i):
                    raise _StopError
                table = self._resolve(keys)
                self._record(table, self._header_start)
                i += 1
            else:
                i = self._key_value(i, table, 0)

    def _resolve(self, keys: Path) -> Path:
        """A header's path, with the current index of each array of tables in it."""
        resolved: list[str | int] = []
        for index, key in enumerate(keys):
            resolved.append(key)
            if index < len(keys) - 1 and tuple(resolved) in self._arrays_of_tables:
                resolved.append(self._arrays_of_tables[tuple(resolved)])
            self._record(tuple(resolved), self._header_start)
        return tuple(resolved)

    def _keys(self, i: int) -> tuple[Path, int]:
        """A dotted key from ``i``; remembers where its first part starts."""
        keys: list[str | int] = []
        i = self._skip(i, newlines=False)
        self._header_start = i
        while True:
            i = self._skip(i, newlines=False)
            key, i = self._key(i)
            keys.append(key)
            i = self._skip(i, newlines=False)
            if i < len(self._text) and self._text[i] == ".":
                i += 1
                continue
            return tuple(keys), i

    def _key(self, i: int) -> tuple[str, int]:
        text = self._text
        if text[i] == '"':
            return self._basic_string(i)
        if text[i] == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise _StopError
            return text[i + 1 : end], end + 1
        match = _BARE.match(text, i)
        if match is None:
            raise _StopError
        return match.group(), match.end()

    def _basic_string(self, i: int) -> tuple[str, int]:
        text = self._text
        chars: list[str] = []
        i += 1
        while text[i] != '"':
            if text[i] == "\\":
                code = text[i + 1]
                if code in "uU":
                    width = 4 if code == "u" else 8
                    chars.append(chr(int(text[i + 2 : i + 2 + width], 16)))
                    i += 2 + width
                    continue
                chars.append(_ESCAPES.get(code, code))
                i += 2
                continue
            chars.append(text[i])
            i += 1
        return "".join(chars), i + 1

    def _key_value(self, i: int, table: Path, depth: int) -> int:
        """``key = value`` from ``i``, under ``table``; returns the offset after it."""
        keys, i = self._keys(i)
        start = self._header_start
        path = table
        for key in keys:
            path = (*path, key)
            self._record(path, start)
        i = self._skip(i, newlines=False)
        if self._text[i] != "=":
            raise _StopError
        i = self._skip(i + 1, newlines=False)
        return self._value(i, path, depth)

    def _value(self, i: int, path: Path, depth: int) -> int:
        if depth > _MAX_DEPTH:
            raise _StopError
        text = self._text
        char = text[i]
        if text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i : i + 3]
            j = i + 3
            while True:
                end = text.find(quote, j)
                if end < 0:
                    raise _StopError
                escaped = quote == '"""' and _escaped(text, end)
                if not escaped:
                    break
                j = end + 1
            end += 3
            for _ in range(2):  # up to two quotes may stand just before the closing ones
                if end < len(text) and text[end] == quote[0]:
                    end += 1
            return end
        if char == '"':
            return self._basic_string(i)[1]
        if char == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise _StopError
            return end + 1
        if char == "{":
            return self._inline_table(i + 1, path, depth)
        if char == "[":
            return self._array(i + 1, path, depth)
        match = _SCALAR_END.search(text, i)
        return len(text) if match is None else match.start()

    def _inline_table(self, i: int, path: Path, depth: int) -> int:
        text = self._text
        while True:
            i = self._skip(i, newlines=True)
            if text[i] == "}":
                return i + 1
            if text[i] == ",":
                i += 1
                continue
            i = self._key_value(i, path, depth + 1)

    def _array(self, i: int, path: Path, depth: int) -> int:
        text = self._text
        index = 0
        while True:
            i = self._skip(i, newlines=True)
            if text[i] == "]":
                return i + 1
            if text[i] == ",":
                index += 1
                i += 1
                continue
            element = (*path, index)
            self._record(element, i)
            i = self._value(i, element, depth + 1)


def offset_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of an offset in ``text``.

    >>> offset_position("a = 1\\nb = [", 10)
    (2, 5)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def deepest_nesting(text: str, limit: int) -> int:
    """The offset where brackets first nest deeper than ``limit``, or 0.

    Strings and comments are skipped. For TOML that tomli could not parse for
    its depth, so only on that error path.
    """
    depth, i, n = 0, 0, len(text)
    while i < n:
        char = text[i]
        if char in "[{":
            depth += 1
            if depth > limit:
                return i
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif char in "\"'":
            quote = text[i : i + 3] if text.startswith(char * 3, i) else char
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if char == '"' and text[j] == "\\" else 1
            i = j + len(quote)
            continue
        i += 1
    return 0


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


@functools.lru_cache(maxsize=64)
def _index(text: str) -> KeyIndex:
    """The index of ``text``, kept: a spec is checked again and again in one run (each
    what-if checks its scenario, a docs build checks the spec for every directive),
    and indexing the cooperation's file was most of a check's time. An index is
    only read once built."""
    return KeyIndex(text)


def locate(problems: Iterable[Problem], texts: Mapping[str, str]) -> list[Problem]:
    """``problems`` with line and column filled in from the files' ``texts``.

    Each file is indexed once, and only if one of its problems lacks a
    position; a problem keeps a position it has (TOML syntax errors).
    """
    indexes: dict[str, KeyIndex] = {}
    located = []
    for problem in problems:
        text = texts.get(problem.file)
        if problem.line is not None or text is None:
            located.append(problem)
            continue
        index = indexes.get(problem.file)
        if index is None:
            index = indexes[problem.file] = _index(text)
        line, column = index.find(parse_path(problem.path))
        located.append(attrs.evolve(problem, line=line, column=column))
    return located


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` ordered as a reader goes through the spec: by file, line and column.

    ``cooperation.toml`` first, then the member files by name; within a file,
    what has no position (the file as a whole) first. Problems at one place
    keep their order.
    """
    return sorted(
        problems,
        key=lambda p: (p.file != COOPERATION_FILE, p.file, p.line or 0, p.column or 0),
    )
