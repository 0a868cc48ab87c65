"""Writers: any :class:`~dikt.document.Document` into one format.

:data:`WRITERS` maps each human or tabular format a command offers to its
writer; the command line picks from it, and mypy checks that every entry is
a writer. JSON is not a writer of documents: it comes from the results
themselves (:mod:`dikt.serialise`). Adding a format is one module here and
one entry below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, Literal, TypeAlias

from dikt.document import Document
from dikt.writers import csv, markdown, text

__all__ = ["WRITERS", "Writer", "WriterName"]

#: A writer: a document, and the terminal's width where it matters, to text.
Writer: TypeAlias = Callable[[Document, "int | None"], str]

#: The names of the document formats, as ``--format`` takes them.
WriterName: TypeAlias = Literal["table", "markdown", "csv"]

#: Every document format, by the name ``--format`` gives it.
WRITERS: Final[Mapping[WriterName, Writer]] = MappingProxyType(
    {"table": text.write, "markdown": markdown.write, "csv": csv.write}
)
