"""How a value the user wrote is shown back to them in a message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

__all__ = ["describe"]

_MAX_SHOWN = 40


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
        return f'"{escaped}"'
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
