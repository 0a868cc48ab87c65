"""Every command's terminal output fits the terminal: 60, 80, 100 and 200 columns.

Each command runs as people run it, with ``COLUMNS`` set, in both languages.
No line may be wider than ``COLUMNS`` (in terminal cells), and no word may be
broken: every word of the wrapped output is a word of the same output unwrapped
(piped, with no width), or the part of one of dikt's terms before or after a
hyphen. ``check`` is not here: a linter writes one finding per line, unwrapped,
for editors and scripts to read (``FILE:LINE:COLUMN: ...``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from dikt.cli import main
from dikt.document import Document, Paragraph, table
from dikt.money import Money
from dikt.writers.text import MAX_NAME, display_width, write, write_table

from .conftest import EXAMPLE

EARLIER = EXAMPLE.parent / "d-ikt-2013"

#: Every command that writes tables for people, with arguments that show them all.
COMMANDS: list[tuple[str, ...]] = [
    ("allocate", str(EXAMPLE)),
    ("allocate", str(EXAMPLE), "--member", "sande"),
    ("prices", str(EXAMPLE)),
    ("explain", str(EXAMPLE), "drammen"),
    ("explain", str(EXAMPLE), "drammen", "IT150"),
    ("diff", str(EARLIER), str(EXAMPLE)),
    ("plan", str(EXAMPLE)),
    ("join", str(EXAMPLE), "nedre-eiker"),
    ("keys", str(EXAMPLE)),
    ("keys", str(EXAMPLE), "--candidate", "nedre-eiker"),
    ("gaps", str(EXAMPLE), "nedre-eiker"),
    ("matrix", str(EXAMPLE)),
    ("roadmap", str(EXAMPLE), "nedre-eiker"),
    ("impact", str(EXAMPLE), "IT150"),
    ("leave", str(EARLIER), "sande"),
    ("merge", str(EARLIER), "drammen", "nedre-eiker", "svelvik", "--into", "drammen"),
    ("invoices", str(EXAMPLE)),
    ("invoices", str(EXAMPLE), "--per", "month"),
    ("settle", str(EXAMPLE)),
    ("settle", str(EXAMPLE), "--member", "sande"),
]

WIDTHS = (60, 80, 100, 200)


@functools.cache
def _document(command: tuple[str, ...], lang: str) -> Document:
    """The document the command hands its writer (run once; the analyses are the slow part)."""
    seen: list[Document] = []

    def keep(document: Document, width: int | None) -> str:
        seen.append(document)
        return ""

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dikt.writers.WRITERS", {"table": keep})
        result = CliRunner().invoke(main, [*command, "--lang", lang])
    assert result.exit_code == 0, result.output
    (document,) = seen
    return document


def _output(command: tuple[str, ...], lang: str, columns: int | None) -> str:
    return write(_document(command, lang), columns)


def _words(text: str) -> set[str]:
    """The words of a text: split at plain spaces only (a no-break space holds a number)."""
    return {word for line in text.splitlines() for word in line.split(" ") if word}


def _pieces(words: set[str]) -> set[str]:
    """What a term may wrap into: the parts of its words after each hyphen."""
    return {piece for word in words for piece in re.split(r"(?<=[^\W\d_]-)(?=[^\W\d_])", word)}


def broken_words(wrapped: str, unwrapped: str) -> set[str]:
    """The words of ``wrapped`` that are neither a word nor a hyphen-part of ``unwrapped``."""
    whole = _words(unwrapped)
    allowed = whole | _pieces(whole)
    # A moved column is labelled with its header and a colon ("rule: ...").
    allowed |= {f"{a}:" for a in allowed}
    return {w for w in _words(wrapped) if w not in allowed and set(w) != {"-"}}


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:1] + c[2:]))
def test_every_command_fits_the_terminal_without_breaking_a_word(
    command: tuple[str, ...], columns: int, lang: str
) -> None:
    wrapped = _output(command, lang, columns)
    widest = max(wrapped.splitlines(), key=display_width)
    assert display_width(widest) <= columns, widest
    assert broken_words(wrapped, _output(command, lang, None)) == set()


def test_the_command_line_fits_its_tables_to_columns() -> None:
    """join was 99 columns wide at COLUMNS=80, with 'premises.pro/cess' broken."""
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["join", str(EXAMPLE), "nedre-eiker"])
    assert result.exit_code == 0
    assert max(display_width(line) for line in result.stdout.splitlines()) <= 80
    join = next(command for command in COMMANDS if command[0] == "join")
    assert broken_words(result.stdout, _output(join, "en", None)) == set()


def test_broken_words_are_found() -> None:
    """The check above can fail: a word cut in two is not a word of the unwrapped text."""
    assert broken_words("premises.pro\ncess", "premises.process") == {"premises.pro", "cess"}
    assert broken_words("core-\ninvestment", "core-investment") == set()
    assert broken_words("population-30-\n70", "population-30-70") == {"population-30-", "70"}
    assert broken_words("1\xa0450\n000,00", "1\xa0450\xa0000,00") == {"1\xa0450", "000,00"}


# -- the layouts, one by one -------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_a_table_that_fits_is_written_as_it_is() -> None:
    shown = write_table(
        table("t", "member:id, name:name, amount:amount", [["sande", "Sande", Money(100)]]),
        80,
    )
    assert _lines(shown) == [
        "member  name   amount",
        "------  -----  ------",
        "sande   Sande    1.00",
    ]


def test_text_wraps_at_spaces_and_headers_wrap_above_their_numbers() -> None:
    shown = write_table(
        table(
            "t",
            "member:id, description:text, annual cost:amount",
            [["sande", "one two three four five six", Money(123456)]],
        ),
        30,
    )
    assert _lines(shown) == [
        "                        annual",
        "member  description       cost",
        "------  ------------  --------",
        "sande   one two       1,234.56",
        "        three four",
        "        five six",
    ]


def test_terms_wrap_after_a_hyphen_but_ids_never_wrap() -> None:
    shown = write_table(
        table(
            "t",
            "kind:term, item:id, amount:amount",
            [["application-investment", "familia-upgrade-2012", Money(100)]],
        ),
        44,
    )
    assert _lines(shown) == [
        "kind            item                  amount",
        "--------------  --------------------  ------",
        "application-    familia-upgrade-2012    1.00",
        "investment",
    ]


def test_free_text_moves_under_its_row_when_wrapping_is_not_enough() -> None:
    shown = write_table(
        table(
            "t",
            "item:id, amount:amount, rule:text",
            [["pcs", Money(450000000), "210 in models of fewer than 10 units, 390 bought in 2007"]],
        ),
        28,
    )
    assert _lines(shown) == [
        "item        amount",
        "----  ------------",
        "pcs   4,500,000.00",
        "      rule: 210 in models of",
        "        fewer than 10 units,",
        "        390 bought in 2007",
    ]


def test_a_first_column_of_repeating_terms_heads_groups_of_rows() -> None:
    shown = write_table(
        table(
            "t",
            "kind:term, item:id, key:term, quantity:number, amount:amount",
            [
                [
                    "application-investment",
                    "familia-upgrade-2012",
                    "system-users",
                    10,
                    Money(2554745),
                ],
                ["application-investment", "fronter-2012", "system-users", 10, Money(2554745)],
                ["base", "IT150", "users", 14500, Money(367864693)],
            ],
            total=["total", None, None, None, Money(372974183)],
        ),
        62,
    )
    assert _lines(shown) == [
        "  item                  key           quantity        amount",
        "  --------------------  ------------  --------  ------------",
        "application-investment",
        "  familia-upgrade-2012  system-users        10     25,547.45",
        "  fronter-2012          system-users        10     25,547.45",
        "base",
        "  IT150                 users            14500  3,678,646.93",
        "  total                                         3,729,741.83",
    ]


def test_an_id_and_its_name_share_a_column_rather_than_the_name_under_every_row() -> None:
    """dikt allocate at 80 columns: a 23-character investment id left the system
    names no room, and each went under its row ("name: Datasentral (VMware)"): a
    table of twice the lines. The id and the name now share the column, the name's
    further lines standing in so that they do not read as another item."""
    rows = [
        ["base", "IT150", "Datasentral (VMware)", "users", 2150, Money(54545455)],
        ["base", "IT151", "Lagring HP 3PAR", "users", 2150, Money(26363636)],
        [
            "member-investment",
            "sande-school-fibre-2012",
            "Fiber til en skole",
            "alone",
            1,
            Money(40000000),
        ],
    ]
    shown = write_table(
        table(
            "t",
            "kind:term, item:id, name:name, key:term, quantity:number, amount:amount",
            rows,
            total=["total", None, None, None, None, Money(120909091)],
        ),
        62,
    )
    assert _lines(shown) == [
        "  item                           key    quantity        amount",
        "  -----------------------------  -----  --------  ------------",
        "base",
        "  IT150 Datasentral (VMware)     users      2150    545,454.55",
        "  IT151 Lagring HP 3PAR          users      2150    263,636.36",
        "member-investment",
        "  sande-school-fibre-2012 Fiber  alone         1    400,000.00",
        "    til en skole",
        "  total                                           1,209,090.91",
    ]


def test_an_id_and_its_name_share_a_column_when_that_takes_fewer_lines() -> None:
    """dikt settle at 80 columns: one long project id (familia-upgrade-2012) made
    the id column 20 wide for every row and left the names a narrow column that
    wrapped most of them over two or three lines. The two in one column take fewer
    lines; a table whose names do not wrap keeps its two columns."""
    kinds = "item:id, name:name, budget:amount, actual:amount"
    rows = [
        ["IT150", "Datasentral (VMware)", Money(600000000), Money(612000000)],
        ["IT154", "Nettverk (LAN, WAN og fiber)", Money(360000000), Money(331000000)],
        ["familia-upgrade-2012", "Oppgradering av Familia", Money(35000000), Money(42000000)],
    ]
    assert _lines(write_table(table("t", kinds, rows), 62)) == [
        "item                                      budget        actual",
        "----------------------------------  ------------  ------------",
        "IT150 Datasentral (VMware)          6,000,000.00  6,120,000.00",
        "IT154 Nettverk (LAN, WAN og fiber)  3,600,000.00  3,310,000.00",
        "familia-upgrade-2012 Oppgradering     350,000.00    420,000.00",
        "  av Familia",
    ]
    assert _lines(write_table(table("t", kinds, rows[:1]), 62)) == [
        "item   name                        budget        actual",
        "-----  --------------------  ------------  ------------",
        "IT150  Datasentral (VMware)  6,000,000.00  6,120,000.00",
    ]


def test_a_name_that_is_not_the_ids_own_keeps_its_column() -> None:
    """dikt roadmap at 60 columns wrote "fagområde: Pleie og omsorg IT173 Profil":
    the domain and the system to move to, two things, as one. Only a column called
    ``name`` after an id is that id's name."""
    rows = [[1, "pleie-og-omsorg", "IT173 Profil", Money(30000000)]]
    kinds = "step:count, domain:id, target:name, amount:amount"
    for width in (30, 40, 60):
        shown = write_table(table("t", kinds, rows), width)
        assert "pleie-og-omsorg IT173" not in shown, width
        assert "target" in shown, width


def test_names_move_under_their_row_after_free_text() -> None:
    shown = write_table(
        table(
            "t",
            "system:id, name:name, key:term, annual cost:amount, basis:number, participants:text",
            [["IT138", "Wintid", "system-users", Money(90000000), 4900, "drammen, royken, sande"]],
            total=["total", None, None, Money(90000000), None, ""],
        ),
        40,
    )
    assert _lines(shown) == [
        "system  key           annual cost  basis",
        "------  ------------  -----------  -----",
        "IT138   system-users   900,000.00   4900",
        "        name: Wintid",
        "        participants: drammen, royken,",
        "          sande",
        "total                  900,000.00",
    ]


def test_numbers_beside_a_label_split_into_even_blocks_of_columns() -> None:
    shown = write_table(
        table(
            "t",
            "kind:term, drammen:amount, royken:amount, sande:amount, total:amount",
            [["base", Money(2213319239), Money(809006343), Money(328181817), Money(3610000000)]],
        ),
        50,
    )
    assert _lines(shown) == [
        "kind        drammen        royken",
        "----  -------------  ------------",
        "base  22,133,192.39  8,090,063.43",
        "",
        "kind         sande          total",
        "----  ------------  -------------",
        "base  3,281,818.17  36,100,000.00",
    ]


def test_a_table_of_mixed_columns_is_stacked_when_nothing_else_fits() -> None:
    shown = write_table(
        table(
            "t",
            "system:id, name:name, key:term, annual cost:amount, basis:number, participants:text",
            [["IT138", "Wintid", "system-users", Money(90000000), 4900, "drammen, royken, sande"]],
            total=["total", None, None, Money(90000000), None, ""],
        ),
        36,
    )
    assert _lines(shown) == [
        "IT138 Wintid",
        "  key           system-users",
        "  annual cost   900,000.00",
        "  basis               4900",
        "  participants  drammen, royken,",
        "                sande",
        "",
        "total",
        "  annual cost   900,000.00",
    ]


def test_explained_lines_continue_under_their_value() -> None:
    document = Document(
        title="",
        blocks=(
            Paragraph.of("  split:     6,000,000.00 NOK among 4 participants (drammen, royken)"),
        ),
    )
    assert _lines(write(document, 40)) == [
        "  split:     6,000,000.00 NOK among 4",
        "             participants (drammen,",
        "             royken)",
    ]


def test_a_paragraph_never_breaks_a_number_at_its_no_break_spaces() -> None:
    document = Document(title="", blocks=(Paragraph.of("infrastruktur 1\xa0450\xa0000,00."),))
    assert _lines(write(document, 24)) == ["infrastruktur", "1\xa0450\xa0000,00."]


# -- bad input -------------------------------------------------------------------------------

HOSTILE = [
    "Sande\u202e kommune",  # a right-to-left override
    "Bell\x07 and\r return \x1b[2J",
    "x" * 500,
    " ".join(["word"] * 125),
    "東京都 " * 30,
]


@pytest.mark.parametrize("name", HOSTILE, ids=["bidi", "control", "500-long", "500-words", "wide"])
@pytest.mark.parametrize("columns", [None, 80])
def test_a_hostile_name_is_escaped_or_cut_and_keeps_the_table(
    name: str, columns: int | None
) -> None:
    shown = write_table(
        table(
            "t",
            "member:id, name:name, amount:amount",
            [["sande", name, Money(100)], ["royken", "Røyken", Money(200)]],
        ),
        columns,
    )
    assert not any(c in shown for c in "\x07\r\x1b\u202e")
    assert all(display_width(line) <= (columns or MAX_NAME + 20) for line in _lines(shown))
    assert any(line.startswith("royken") for line in _lines(shown))
    if display_width(name) > MAX_NAME:
        assert "…" in shown


def test_a_long_word_is_cut_to_the_width_in_a_paragraph() -> None:
    document = Document(title="x" * 500, blocks=())
    assert _lines(write(document, 80)) == ["x" * 79 + "…"]


def test_percentages_and_counts_stay_whole() -> None:
    shown = write_table(
        table("t", "member:id, share:percent, users:count", [["a", Fraction(1, 3), 1800]]), 80
    )
    assert "33.33 %" in shown


# -- what a cell measures --------------------------------------------------------------------


def _cells(char: str) -> int:
    """Terminal cells of one character, from Unicode's tables: marks and format
    characters none, wide and fullwidth ones two."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def test_every_character_before_the_combining_marks_is_one_cell_but_the_soft_hyphen() -> None:
    """The measure's short cut for Latin text (amounts hold no-break spaces) is exact."""
    # And the combining marks just past the short cut (U+0300-U+036F): none, not one.
    for code in range(0x370):
        char = chr(code)
        assert display_width(f"ø{char}") == 1 + _cells(char), hex(code)
    assert display_width("del\u00adtaker") == 8


@given(st.text(st.characters(max_codepoint=0x2FF) | st.characters(), max_size=30))
def test_a_texts_width_is_the_sum_of_its_characters(text: str) -> None:
    assert display_width(text) == sum(map(_cells, text))
