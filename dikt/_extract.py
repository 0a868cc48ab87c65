"""Babel's extraction method for dikt (``babel.cfg``): messages, headers, table names.

Besides the gettext calls Babel's Python extractor finds (with dikt's own
markers ``n_`` and ``message`` added), the views name their columns in
compact specs (``"member:id, before:amount"``, see
:func:`dikt.document.columns`) or as ``(header, Kind.X)`` pairs, and their
tables by machine names (``"lines-sande"``) that spreadsheets show as sheet
names. Those are messages too: people read them translated, machines (CSV)
as they are. This method finds them, so ``pybabel extract`` leaves nothing
out. The command line's help is a message too: the docstrings of its
commands and the ``help=`` of its options. Not used at run time.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from typing import IO, Any, Final

from babel.messages.extract import extract_python

from dikt.document import Kind

__all__ = ["extract"]

_KINDS: Final = "|".join(re.escape(kind.value) for kind in Kind)
#: A compact column spec, or its start ("year:year, member:id, " + more).
_SPEC: Final = re.compile(rf"\s*[^,:]+:(?:{_KINDS})(?:\s*,\s*[^,:]+:(?:{_KINDS}))*\s*,?\s*")
#: dikt's own markers, and the standard keyword Babel reads each like.
#: (``_said`` is dikt.money's message about a value, which cannot import dikt.i18n early.)
_MARKERS: Final = {"n_": "ngettext", "message_n": "ngettext", "message": "", "_said": ""}

Extracted = tuple[int, str, str | tuple[str, ...], list[str]]


def extract(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[Extracted]:
    """Every message of a dikt module, as Babel's extraction methods yield them."""
    known = dict.fromkeys([*keywords, *_MARKERS])  # Babel reads only the names here
    found: Iterator[Any] = extract_python(fileobj, known, comment_tags, options)  # type: ignore[arg-type]
    for line, funcname, messages, comments in found:
        yield line, _MARKERS.get(funcname, funcname), messages, comments
    fileobj.seek(0)
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        for line, text in _headers(node):
            yield line, "", text, []


def _headers(node: ast.AST) -> Iterator[tuple[int, str]]:
    yield from _help(node)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if _SPEC.fullmatch(node.value):
            for part in node.value.split(","):
                if part.strip():
                    yield node.lineno, part.strip().rsplit(":", 1)[0]
    elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
        header, kind = node.elts
        if (
            isinstance(header, ast.Constant)
            and isinstance(header.value, str)
            and isinstance(kind, ast.Attribute)
            and isinstance(kind.value, ast.Name)
            and kind.value.id == "Kind"
        ):
            yield node.lineno, header.value
    elif isinstance(node, ast.Call) and _called(node) == "table" and node.args:
        name = node.args[0]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            yield node.lineno, name.value
        elif isinstance(name, ast.JoinedStr) and isinstance(name.values[0], ast.Constant):
            # f"lines-{member}": the sheet is named by its translated prefix.
            yield node.lineno, str(name.values[0].value).rstrip("-")


def _help(node: ast.AST) -> Iterator[tuple[int, str]]:
    """A click command's docstring (its help), and an option's ``help=`` or ``text=``."""
    if isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Call) and _called(d) in ("command", "group") for d in node.decorator_list
    ):
        doc = ast.get_docstring(node)  # cleaned as click cleans it
        if doc:
            yield node.lineno, doc.partition("\f")[0]
    elif isinstance(node, ast.Call):
        for keyword in node.keywords:
            value = keyword.value
            text = value.value if isinstance(value, ast.Constant) else None
            if keyword.arg in ("help", "text") and isinstance(text, str):
                yield value.lineno, text


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
