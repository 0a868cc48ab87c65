"""How a value the user wrote is shown back to them: in a message, and on a terminal."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Final

__all__ = ["Written", "describe", "for_terminal", "visible"]

_MAX_SHOWN = 40


class Written(str):
    """A string value as TOML writes it (``"usres"``), shown in a message.

    English messages show it as it is; a language with its own quotation
    marks (bokmål: «usres») shows :attr:`inner` between them
    (:meth:`dikt.i18n.Texts.message`), so that one message never mixes two
    kinds of quotes.
    """

    inner: str  #: what is between the quotation marks, escaped as in the TOML string

    def __new__(cls, inner: str) -> Written:
        made = super().__new__(cls, f'"{inner}"')
        made.inner = inner
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Written, (self.inner,))


def describe(value: object) -> str:
    """The value as it would look in TOML, short enough for one message line.

    >>> describe("7"), describe(True), describe(Decimal("1.9")), describe([1])
    ('"7"', 'true', '1.9', 'an array')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 3] + "..."
        escaped = shown.replace("\\", "\\\\").replace('"', '\\"')
        escaped = "".join(c if c.isprintable() else repr(c)[1:-1] for c in escaped)
        return Written(escaped)
    if isinstance(value, Decimal) and not value.is_finite():
        return "nan" if value.is_nan() else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | Decimal):
        text = str(value)
        return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dt.datetime):
        return f"a date-time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, dt.time):
        return f"a time ({value.isoformat()})"
    return repr(value)  # pragma: no cover - TOML gives no other kinds


#: C0 and C1 control characters (tab and newline too), the Unicode line and
#: paragraph separators, the bidirectional controls (marks, embeddings,
#: overrides, isolates), which could turn the rest of a line around (an
#: amount read backwards), and the noncharacters XML refuses: never written raw.
_CONTROL: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
#: What a terminal must not receive raw in output that keeps its line breaks
#: (CSV): the controls above but tab, line feed and carriage return.
_TERMINAL: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f"
    "\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
_NAMED: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b", "\x00": "\\x00"}


def visible(text: str) -> str:
    """``text`` with every control character shown escaped (``\\r``, ``\\x1b``, ``\\x07``).

    What reaches a terminal, a Markdown table or a docutils node is never a
    raw CR, ESC, BEL or NUL: a name cannot move the cursor, recolour the
    screen or break a row, nor turn the text after it right to left
    (``\\u202e``).

    >>> visible("Sande\\r\\x1b[31m")
    'Sande\\\\r\\\\x1b[31m'
    """
    return _CONTROL.sub(_escaped, text)


def for_terminal(text: str) -> str:
    """Output for a terminal: like :func:`visible`, but line breaks and tabs kept.

    For formats whose lines are records (CSV printed to a terminal): an
    escape sequence or a bell in a name is shown, never sent.

    >>> for_terminal("a,\\x1b[2J\\x07b\\r\\n")
    'a,\\\\x1b[2J\\\\x07b\\r\\n'
    """
    return _TERMINAL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
