"""One table of field-type behaviour: how each kind of value in a spec is read,
written, described and validated.

The loader's strict structuring (and its messages), the TOML writer of
:func:`dikt.dump`, the JSON Schema and the words of the spec reference are all
derived from :data:`SCALARS` (strings, integers, booleans, dates, amounts,
fractions), :func:`enum_type` and :data:`ID`; arrays, tables and tables by id
are composed from them by each consumer. A field's own range (``bounds``
metadata) and whether it is an id (``id`` metadata) are read from the model.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

import attrs

from dikt._values import describe
from dikt.i18n import Message, message
from dikt.limits import MAX_COUNT, YEAR_MAX, YEAR_MIN
from dikt.money import (
    MAX_AMOUNT,
    Money,
    OutOfRangeError,
    fraction_text,
    parse_fraction,
    parse_money,
)

__all__ = [
    "COUNT_BOUNDS",
    "ID",
    "ID_PATTERN",
    "SCALARS",
    "Bounds",
    "FieldType",
    "InvalidValueError",
    "bad_id",
    "bounds_of",
    "enum_type",
    "field_type",
    "toml_string",
]

#: Ids of members, systems, domains, keys and investments.
ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

#: The range of an integer key without bounds of its own: a count.
COUNT_BOUNDS: Final = (0, MAX_COUNT)

Bounds = tuple[int, int]


class InvalidValueError(ValueError):
    """A value the user wrote is wrong; the message says why, for people.

    ``code`` is the problem's code: E006 a wrong type or value, E007 out of
    range, E008 an invalid id, E004 an unknown key.
    """

    def __init__(self, message: str, code: str = "E006") -> None:
        super().__init__(message)
        #: The message as given (a :class:`dikt.i18n.Message`, to be shown in any language).
        self.message = message
        self.code = code


@attrs.frozen
class FieldType:
    """How one kind of spec value is read, written and described."""

    #: Strict reading of a parsed TOML value (never coercing); raises
    #: :class:`InvalidValueError`. The second argument is the field's bounds.
    structure: Callable[[object, Bounds], Any]
    #: The value written as TOML.
    toml: Callable[[Any], str]
    #: Its JSON Schema, given the field's bounds.
    schema: Callable[[Bounds], dict[str, Any]]
    #: What it is, in words, for the spec reference.
    kind: Callable[[Bounds], str]


# -- reading --------------------------------------------------------------------------


def _read_str(value: object, _bounds: Bounds) -> str:
    if type(value) is not str:
        raise InvalidValueError(message("expected a string, got {value}", value=describe(value)))
    return value


def _read_int(value: object, bounds: Bounds) -> int:
    if type(value) is not int:
        raise InvalidValueError(message("expected an integer, got {value}", value=describe(value)))
    low, high = bounds
    if not low <= value <= high:
        raise InvalidValueError(_range_message(value, low, high), "E007")
    return value


def _range_message(value: int, low: int, high: int) -> Message:
    shown = describe(value)
    if (low, high) == (YEAR_MIN, YEAR_MAX):
        return message(
            "expected a year from {low} to {high}, got {value}", low=low, high=high, value=shown
        )
    if value < 0 <= low:
        return message("expected a non-negative integer, got {value}", value=shown)
    return message(
        "expected an integer from {low} to {high}, got {value}", low=low, high=high, value=shown
    )


def _read_bool(value: object, _bounds: Bounds) -> bool:
    if type(value) is not bool:
        raise InvalidValueError(
            message("expected true or false, got {value}", value=describe(value))
        )
    return value


def _read_date(value: object, _bounds: Bounds) -> dt.date:
    if type(value) is not dt.date:
        raise InvalidValueError(
            message("expected a date (YYYY-MM-DD), got {value}", value=describe(value))
        )
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise InvalidValueError(
            message(
                "expected a date from {low}-01-01 to {high}-12-31, got {value}",
                low=YEAR_MIN,
                high=YEAR_MAX,
                value=describe(value),
            ),
            "E007",
        )
    return value


def _with_codes(parse: Callable[[object], Any]) -> Callable[[object, Bounds], Any]:
    """A money-module parser as a reader: its range errors are E007, others E006."""

    def read(value: object, _bounds: Bounds) -> Any:
        try:
            return parse(value)
        except OutOfRangeError as error:
            raise InvalidValueError(_message_of(error), "E007") from None
        except ValueError as error:
            raise InvalidValueError(_message_of(error)) from None

    return read


def _message_of(error: ValueError) -> str:
    """The error's message as raised (a translatable message), else its text."""
    said = error.args[0] if error.args else None
    return said if isinstance(said, str) else str(error)


def _read_id(value: object, bounds: Bounds) -> str:
    text = _read_str(value, bounds)
    if not ID_PATTERN.fullmatch(text):
        raise InvalidValueError(bad_id(text), "E008")
    return text


def bad_id(text: str) -> Message:
    """The message for an invalid id (of a table's key, or an ``id`` value)."""
    return message(
        "invalid id {id}: ids are 1-64 characters of letters, digits, "
        "'.', '_' and '-', starting with a letter or digit",
        id=describe(text),
    )


# -- writing --------------------------------------------------------------------------

_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b"}


def toml_string(text: str) -> str:
    """A TOML basic string; control characters escaped, so that it reads back exactly."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _write_money(value: Money) -> str:
    return str(value.ore // 100) if value.ore % 100 == 0 else str(value)


def _write_fraction(value: Fraction) -> str:
    text = fraction_text(value)
    if text.startswith("~"):
        raise ValueError(f"{value} has no exact decimal form; a spec cannot hold it")
    return toml_string(text)


# -- describing -------------------------------------------------------------------------

_DECIMAL = "^[0-9]+(\\.[0-9]+)?$"
_AMOUNT = "^[0-9]+(\\.[0-9]{1,2})?$"


def _int_schema(bounds: Bounds) -> dict[str, Any]:
    return {"type": "integer", "minimum": bounds[0], "maximum": bounds[1]}


def _int_kind(bounds: Bounds) -> str:
    if bounds == (YEAR_MIN, YEAR_MAX):
        return f"year ({YEAR_MIN} to {YEAR_MAX})"
    if bounds == COUNT_BOUNDS:
        return "integer (0 or more)"
    return f"integer ({bounds[0]} to {bounds[1]})"


#: The scalar types of the model, by Python type.
SCALARS: Final[Mapping[type, FieldType]] = MappingProxyType(
    {
        str: FieldType(
            structure=_read_str,
            toml=toml_string,
            schema=lambda _b: {"type": "string"},
            kind=lambda _b: "string",
        ),
        int: FieldType(
            structure=_read_int,
            toml=str,
            schema=_int_schema,
            kind=_int_kind,
        ),
        bool: FieldType(
            structure=_read_bool,
            toml=lambda value: "true" if value else "false",
            schema=lambda _b: {"type": "boolean"},
            kind=lambda _b: "boolean",
        ),
        dt.date: FieldType(
            structure=_read_date,
            toml=lambda value: value.isoformat(),
            schema=lambda _b: {"type": "string", "format": "date"},
            kind=lambda _b: f"date ({YEAR_MIN}-01-01 to {YEAR_MAX}-12-31)",
        ),
        Money: FieldType(
            structure=_with_codes(parse_money),
            toml=_write_money,
            schema=lambda _b: {
                "anyOf": [
                    {"type": "number", "minimum": 0, "maximum": MAX_AMOUNT},
                    {"type": "string", "pattern": _AMOUNT},
                ]
            },
            kind=lambda _b: "amount (at most two decimals)",
        ),
        Fraction: FieldType(
            structure=_with_codes(parse_fraction),
            toml=_write_fraction,
            schema=lambda _b: {
                "anyOf": [
                    {"type": "number", "minimum": 0, "maximum": 1},
                    {"type": "string", "pattern": _DECIMAL},
                ]
            },
            kind=lambda _b: "fraction from 0 to 1",
        ),
    }
)

#: An id written as a value (``id = "sande"``); tables named by their key
#: (``[systems.IT141]``) have their keys checked against the same pattern.
ID: Final = FieldType(
    structure=_read_id,
    toml=toml_string,
    schema=lambda _b: {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"},
    kind=lambda _b: "id",
)


def enum_type(cl: type[enum.Enum]) -> FieldType:
    """The field type of one of the model's enums: its values, as strings."""
    by_value = {member.value: member for member in cl}
    allowed = ", ".join(f'"{v}"' for v in by_value)

    def structure(value: object, _bounds: Bounds) -> enum.Enum:
        if type(value) is str and value in by_value:
            return by_value[value]
        raise InvalidValueError(
            message(
                "expected one of {allowed}, got {value}", allowed=allowed, value=describe(value)
            )
        )

    return FieldType(
        structure=structure,
        toml=lambda value: toml_string(value.value),
        schema=lambda _b: {"enum": list(by_value)},
        kind=lambda _b: "one of " + ", ".join(f'"{v}"' for v in by_value),
    )


def bounds_of(field: attrs.Attribute[Any]) -> Bounds:
    """The range of an integer field: its own ``bounds``, or a count's."""
    bounds: Bounds = field.metadata.get("bounds", COUNT_BOUNDS)
    return bounds


def field_type(field: attrs.Attribute[Any], tp: Any) -> FieldType | None:
    """The field type of a scalar field (``tp`` without ``None``), or None for others."""
    if field.metadata.get("id"):
        return ID
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return enum_type(tp)
    return SCALARS.get(tp)
