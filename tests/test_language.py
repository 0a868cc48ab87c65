"""Every document in bokmål is bokmål, and names what it shows (issue 24.1-2).

Each command renders the example in nb as people read it: its document (title,
headings, paragraphs, column headers, cells and notes, each as the writers for
people write it), its text and Markdown, its workbook's sheet names and headers,
and the joining report's HTML. The test fails on

- one of dikt's English messages left untranslated (a whole cell or line that is
  an English message, or a phrase of three words or more of one);
- a spec key (``capacity_per_user``, ``premises.process``, ``cal = "single"``)
  where people read what it means;
- a member's or a domain's id where people read its name (``royken``, ``care``).

Machine formats (JSON, CSV, FOCUS) keep ids and English; they are not read here.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from babel.messages.pofile import read_po

import dikt
from dikt import writers
from dikt.document import Document, Heading, Paragraph, Table
from dikt.i18n import texts
from dikt.schema import reference
from dikt.views.report import report_document
from dikt.writers._cells import for_people, header, people_rows
from dikt.writers.xlsx import _sheet_title

from .conftest import EXAMPLE, ROOT
from .test_cli import run
from .test_output import COMMANDS

NB = texts("nb")

#: The commands people read in bokmål (``check`` prints findings that point at
#: spec keys by design, as a linter does).
READ = {name: args for name, args in COMMANDS.items() if name != "check"}


@functools.cache
def _english() -> tuple[frozenset[str], tuple[str, ...]]:
    """dikt's English messages that bokmål writes otherwise: whole, and their long phrases."""
    with (ROOT / "dikt" / "locale" / "dikt.pot").open("rb") as handle:
        catalog = read_po(handle)
    whole: set[str] = set()
    phrases: set[str] = set()
    for entry in catalog:
        if not entry.id:
            continue
        for english in entry.id if isinstance(entry.id, tuple) else (entry.id,):
            translated = (
                NB.ngettext(entry.id[0], entry.id[1], 2)
                if isinstance(entry.id, tuple)
                else NB._(english)
            )
            if translated == english:
                continue  # the same in both languages ("30/70", "CoreCAL")
            whole.add(english)
            for piece in re.split(r"\{[^}]*\}", english):
                part = piece.strip(" .,:;()")
                # A phrase of three words is English beyond doubt; a shorter one may be a
                # product's name (spec text) that both languages write alike.
                if len(part.split()) >= 3 and part not in translated:
                    phrases.add(part)
    return frozenset(whole), tuple(sorted(phrases))


#: Spec keys as TOML writes them: snake_case names and dotted paths of tables.
_KEYS = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            {re.escape(key.key) for table in reference() for key in table.keys if "_" in key.key},
            key=len,
            reverse=True,
        )
    )
    + r")\b|\b(?:premises|systems|defaults|keys|transfer|licences|settlement)\.[a-z_]+"
    + r'|\b[a-z_]+ = "'
)


@functools.cache
def _ids() -> re.Pattern[str]:
    """Member and domain ids that read otherwise as names (``royken``, ``care``)."""
    cooperation = dikt.load(EXAMPLE)
    names = dikt.names_of(cooperation)
    ids = [m for m in cooperation.members if names.short(m) != m]
    ids += [d for d in cooperation.domains if names.domain(d) != d]
    # A file's path holds its member's id (members/royken.toml): that is its name.
    return re.compile(r"(?<![\w/-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w/-])")


def problems(text: str, where: str, *, keys: bool = True) -> Iterator[str]:
    """What in one text people read is not bokmål, or not a name."""
    whole, phrases = _english()
    line = text.strip()
    if line in whole:
        yield f"{where}: English {line!r}"
    for phrase in phrases:
        if phrase in text:
            yield f"{where}: English {phrase!r} in {text!r}"
    if keys and (found := _KEYS.search(text)):
        yield f"{where}: spec key {found.group()!r} in {text!r}"
    if found := _ids().search(text):
        yield f"{where}: id {found.group()!r} in {text!r}"


def read_document(document: Document) -> Iterator[str]:
    """Every problem in what people read of a document, cell by cell."""
    assert document.language == "nb"
    yield from problems(document.title, "title")
    for block in document.blocks:
        if isinstance(block, Heading):
            yield from problems(block.text, "heading")
        elif isinstance(block, Paragraph):
            for line in block.lines:
                yield from problems(line, "paragraph")
        elif isinstance(block, Table):
            yield from read_table(block)


def read_table(table: Table) -> Iterator[str]:
    where = f"table {table.name}"
    yield from problems(_sheet_title(table, NB), f"{where}, sheet name")
    for column in table.columns:
        yield from problems(header(column, NB), f"{where}, header")
    # A premise's source says where in the spec its value is: a file and a key, as
    # `dikt check` points at them, for whoever changes it.
    sources = {i for i, column in enumerate(table.columns) if column.header == "source"}
    for row, kinds in people_rows(table):
        for index, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if value is not None:
                shown = for_people(value, kind, NB)
                yield from problems(shown, f"{where}, cell", keys=index not in sources)
    for note in table.notes:
        yield from problems(note, f"{where}, note")


@pytest.fixture
def documents(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Document]]:
    """The documents a command line shows (as a terminal table), as the writers get them."""
    shown: list[Document] = []
    table = writers.WRITERS["table"]

    def keep(document: Document, width: int | None = None) -> str:
        shown.append(document)
        return table(document, width)

    monkeypatch.setattr(writers, "WRITERS", {**writers.WRITERS, "table": keep})

    def render(*args: Any) -> list[Document]:
        shown.clear()
        code, _, err = run(*args, "--lang", "nb")
        assert code == 0, err
        return list(shown)

    return render


@pytest.mark.parametrize("command", sorted(READ))
def test_every_document_in_bokmal_is_bokmal_and_names_what_it_shows(
    command: str, documents: Callable[..., list[Document]]
) -> None:
    (document,) = documents(*READ[command])
    assert list(read_document(document)) == []


@pytest.mark.parametrize("command", sorted(READ))
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_every_command_prints_bokmal(command: str, fmt: str) -> None:
    code, out, err = run(*READ[command], "--lang", "nb", "--format", fmt)
    assert code == 0, err
    found = [p for line in out.splitlines() for p in problems(line, f"{fmt} line", keys=False)]
    assert found == []


@pytest.mark.parametrize("command", sorted(READ))
def test_every_workbook_in_bokmal_names_its_sheets_and_columns_in_bokmal(
    command: str, tmp_path: Path
) -> None:
    book = tmp_path / f"{command}.xlsx"
    code, _, err = run(*READ[command], "--lang", "nb", "--format", "xlsx", "--output", book)
    assert code == 0, err
    workbook = openpyxl.load_workbook(book)
    found = []
    for sheet in workbook.worksheets:
        found += problems(sheet.title, "sheet name")
        found += [
            p
            for row in sheet.iter_rows(max_row=1, values_only=True)
            for cell in row
            if isinstance(cell, str)
            for p in problems(cell, f"sheet {sheet.title}, header")
        ]
    assert found == []


def test_the_joining_report_in_bokmal_is_bokmal(tmp_path: Path) -> None:
    report = dikt.join_report(dikt.load(EXAMPLE), "nedre-eiker")
    assert list(read_document(report_document(report, "nb"))) == []
    page = tmp_path / "report.html"
    code, _, err = run("report", EXAMPLE, "nedre-eiker", "--output", page)
    assert code == 0, err
    # What a reader sees: the text between the tags, the charts' labels among it.
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page.read_text(encoding="utf-8")))
    found = [
        p
        for line in text.splitlines()
        if line.strip()
        for p in problems(line, "report")
        # The style sheet's rules are not text anyone reads.
        if not re.match(r"\s*[@.#:a-z-]+[^\n]*[{};]", line)
    ]
    assert found == []


def test_the_test_finds_english_keys_and_ids() -> None:
    """The checks above can fail: each kind of slip is found."""
    assert list(problems("total", "x"))  # an English term, whole
    assert list(problems("Above the Shapley value, subsidising", "x"))  # an English phrase
    assert list(problems("capacity_per_user for hver av", "x"))
    assert list(problems("regel: premises.process", "x"))
    assert list(problems('på enkelt-CAL (cal = "single")', "x"))
    assert list(problems("Ingen kartlegging for drammen, royken", "x"))
    assert list(problems("care", "x"))
    assert not list(problems("Ingen kartlegging for Drammen, Røyken: 1 234,00 kr", "x"))


def test_a_list_of_members_in_a_sentence_reads_as_a_sentence() -> None:
    """Not "PC-parken til Drammen, Røyken": the last two joined by "og"."""
    code, out, _ = run("plan", EXAMPLE, "--lang", "nb")
    assert code == 0
    assert (
        "PC-parken til Drammen og Røyken er ikke kartlagt: fornyelsen er ukjent, ikke null, "
        "og er ikke med i summene." in out
    )
