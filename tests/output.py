"""The output layer as the tests call it: a result's JSON, a document in a format."""

from __future__ import annotations

from dikt.document import Document
from dikt.findings import to_json
from dikt.serialise import to_data
from dikt.writers import WRITERS


def as_json(result: object) -> str:
    """What ``--format json`` prints for ``result``."""
    return to_json(to_data(result))


def as_table(document: Document) -> str:
    """What ``--format table`` prints, without a terminal width."""
    return WRITERS["table"](document, None)


def as_markdown(document: Document) -> str:
    """What ``--format markdown`` prints."""
    return WRITERS["markdown"](document, None)


def as_csv(document: Document) -> str:
    """What ``--format csv`` prints."""
    return WRITERS["csv"](document, None)
