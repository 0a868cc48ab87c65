"""JSON from the results themselves: one cattrs converter, one shape per result class.

Every JSON output of dikt is ``CONVERTER.unstructure(result)``. The value
types have one form each, in every command: amounts are strings with two
decimals (``"1234.50"``), exact numbers strings (``"85"``, ``"0.3"``, or
``"1/3"`` when no decimal is exact), percentages strings with two decimals
(``"76.92"``), enums their values, dates ISO strings, counts and years
integers. Each result class declares its shape once (:func:`shape`): the
names of its JSON fields, their types and how to read them off the result.
The converter's unstructure hooks and the JSON Schema of each command's
output (:func:`output_schema`) are both derived from those declarations, so
they cannot drift apart. The fields fixed by the spec format's contract come
first; additions are additive.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import operator
import types
import typing
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, Final

import attrs
import cattrs

from dikt.money import Money, fraction_text, round_ore

__all__ = [
    "CONVERTER",
    "Exact",
    "Percent",
    "Prop",
    "attr",
    "exact",
    "json_schema_of",
    "shape",
    "to_data",
]


@attrs.frozen
class Percent:
    """A share (0 to 1) written as a percentage with two decimals (``"76.92"``)."""

    share: Fraction


@attrs.frozen
class Exact:
    """An exact number (int or Fraction) as a string: ``"85"``, ``"0.3"``, ``"1/3"``."""

    value: int | Fraction


@attrs.frozen
class Prop:
    """One JSON field of a result: its name, its JSON type, and how it is read."""

    name: str
    tp: Any
    get: Callable[[Any], Any]
    source: str | None = None  #: the attribute it reads, when it reads one directly


#: The declared shapes, by result class.
SHAPES: Final[dict[type, tuple[Prop, ...]]] = {}


def _exact(value: Exact | int | Fraction) -> str:
    """An exact number as a string; readers of exact fields may give the bare number."""
    number = value.value if isinstance(value, Exact) else value
    if type(number) is int:
        return str(number)
    text = fraction_text(number)
    if text.startswith("~"):
        number = Fraction(number)
        return f"{number.numerator}/{number.denominator}"
    return text


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(Money, str)
    converter.register_unstructure_hook(Exact, _exact)
    converter.register_unstructure_hook(
        Percent, lambda p: str(round_ore(p.share * 10_000).to_decimal())
    )
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda e: e.value
    )
    converter.register_unstructure_hook(
        types.MappingProxyType, lambda m: {k: converter.unstructure(v) for k, v in m.items()}
    )
    return converter


#: The one converter of dikt's JSON output.
CONVERTER: Final = _make_converter()


def _declared(cl: type, name: str) -> Prop:
    """The field or property ``name`` of ``cl``, typed by its annotation.

    Exact numbers (``Fraction``, ``int | Fraction``) are written as
    :class:`Exact` strings; every other type as it is.
    """
    member = getattr(cl, name, None)
    if isinstance(member, property):
        tp = typing.get_type_hints(member.fget)["return"]
    else:
        tp = typing.get_type_hints(cl)[name]
    if tp is Fraction or tp == int | Fraction:
        return Prop(name, Exact, exact(name), name)
    return Prop(name, tp, attr(name), name)


def _prop(name: str, tp: Any, get: Callable[[Any], Any]) -> Prop:
    """A declared field; one read by :func:`attr` is read inline by the generated hook."""
    return Prop(name, tp, get, get.path if isinstance(get, _Attr) else None)


def shape(cl: type, *props: str | tuple[str, Any, Callable[[Any], Any]]) -> None:
    """Declare the JSON shape of ``cl``, field by field, in order.

    A field is the name of an attribute or property of ``cl`` (typed by its
    annotation), or a (name, JSON type, reader) triple for anything else.
    """
    declared = tuple(
        _declared(cl, prop) if isinstance(prop, str) else _prop(*prop) for prop in props
    )
    SHAPES[cl] = declared
    CONVERTER.register_unstructure_hook(cl, _hook(cl, declared))


def _hook(cl: type, declared: tuple[Prop, ...]) -> Callable[[Any], dict[str, Any]]:
    """The unstructure hook of a shape, generated: one dict display, no loop.

    Each field's writer is chosen once from its declared type, and a field
    read straight off an attribute is read inline, so that a hundred thousand
    allocation lines do not each go through a dispatch per value.
    """
    namespace: dict[str, Any] = {"int": int, "str": str}
    entries = []
    for index, prop in enumerate(declared):
        write = _writer(prop.tp)
        if prop.source is not None:
            read = f"value.{prop.source}"
        else:
            namespace[f"get{index}"] = prop.get
            read = f"get{index}(value)"
        if write is _identity:
            entries.append(f"{prop.name!r}: {read}")
        elif write is _exact:
            # Most exact numbers are integers: written without a call.
            namespace["exact"] = _exact
            entries.append(
                f"{prop.name!r}: str(v{index}) if type(v{index} := {read}) is int "
                f"else exact(v{index})"
            )
        else:
            namespace[f"write{index}"] = write
            entries.append(f"{prop.name!r}: write{index}({read})")
    source = f"def hook(value):\n    return {{{', '.join(entries)}}}\n"
    exec(source, namespace)
    hook: Callable[[Any], dict[str, Any]] = namespace["hook"]
    hook.__doc__ = f"JSON data of a {cl.__name__}."
    return hook


def _identity(value: Any) -> Any:
    return value


def _optional(write: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def optional(value: Any) -> Any:
        return None if value is None else write(value)

    return optional


def _writer(tp: Any) -> Callable[[Any], Any]:
    """How a value of the declared JSON type is written; the converter's by default."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _optional(_writer(rest[0]))
    if tp in (str, int, bool):
        return _identity
    if tp is Money:
        return str
    if tp is Exact:
        return _exact
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        # The member's value as stored: a C-level read, not Enum's property.
        return operator.attrgetter("_value_")
    if (origin is tuple or origin is list) and args and args[0] in SHAPES:
        item = args[0]

        def items(values: Any) -> list[Any]:
            write = CONVERTER.get_unstructure_hook(item)
            return [write(value) for value in values]

        return items
    return CONVERTER.unstructure


# The JSON shapes of results are declared beside their documents, in these
# modules. A library user may call to_data before anything imported them; the
# output must not depend on what happened to be imported (a key study would
# come out with its attribute names instead of the spec format's fields).
_SHAPED_IN: Final = (
    "dikt.findings",
    "dikt.views.allocation",
    "dikt.views.changes",
    "dikt.views.fair",
    "dikt.views.graph",
    "dikt.views.harmonisation",
    "dikt.views.joining",
    "dikt.views.plan",
    "dikt.views.year",
)
_shapes_loaded = False


def _load_shapes() -> None:
    global _shapes_loaded  # noqa: PLW0603 - once per process, then a flag test
    if not _shapes_loaded:
        for module in _SHAPED_IN:
            importlib.import_module(module)
        _shapes_loaded = True


def to_data(result: object) -> Any:
    """A result as JSON data (dicts, lists, strings, integers, booleans, None)."""
    _load_shapes()
    return CONVERTER.unstructure(result)


@attrs.frozen
class _Attr:
    """A reader of an attribute path (``"split.kind"``), which hooks read inline."""

    path: str
    get: Callable[[Any], Any] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "get", operator.attrgetter(self.path))

    def __call__(self, value: Any) -> Any:
        return self.get(value)


def attr(name: str) -> Callable[[Any], Any]:
    """A reader of the attribute ``name``, or of a path of them (``"split.kind"``)."""
    return _Attr(name)


def exact(name: str) -> Callable[[Any], Any]:
    """A reader of the exact number in the attribute ``name`` (written as :class:`Exact`)."""
    return attr(name)


# -- JSON Schema ---------------------------------------------------------------------------

_AMOUNT_PATTERN: Final = "^-?[0-9]+\\.[0-9]{2}$"
_EXACT_PATTERN: Final = "^-?[0-9]+(\\.[0-9]+)?(/[0-9]+)?$"


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a declared JSON type."""
    if tp is Any:
        return {}
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema(a, defs) for a in args]}
    if tp is type(None):
        return {"type": "null"}
    simple: dict[Any, dict[str, Any]] = {
        str: {"type": "string"},
        int: {"type": "integer"},
        bool: {"type": "boolean"},
        Money: {"type": "string", "pattern": _AMOUNT_PATTERN},
        Percent: {"type": "string", "pattern": _AMOUNT_PATTERN},
        Exact: {"type": "string", "pattern": _EXACT_PATTERN},
        dt.date: {"type": "string", "format": "date"},
    }
    if tp in simple:
        return simple[tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [member.value for member in tp]}
    if origin is tuple or origin is list:
        return {"type": "array", "items": _schema(args[0], defs)}
    if origin in (Mapping, dict):
        return {"type": "object", "additionalProperties": _schema(args[1], defs)}
    if tp in SHAPES:
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # against recursion
            props = SHAPES[tp]
            defs[name] = {
                "type": "object",
                "properties": {p.name: _schema(p.tp, defs) for p in props},
                "required": [p.name for p in props],
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a dikt bug


def json_schema_of(cl: type, title: str) -> dict[str, Any]:
    """The JSON Schema of ``to_data`` of a ``cl``, from its declared shape."""
    defs: dict[str, Any] = {}
    body = _schema(cl, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **body,
        "$defs": defs,
    }
