"""A JSON Schema of the spec files, generated from the model's field metadata.

Editors that read JSON Schema for TOML (taplo, Even Better TOML) validate a
spec as people type, given a ``#:schema`` comment at the top of the file.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

import attrs

from dikt._fieldtypes import COUNT_BOUNDS, ID, SCALARS, Bounds, bounds_of, enum_type
from dikt.model import Cooperation, Member, written_fields
from dikt.money import Money

__all__ = ["KeyDoc", "TableDoc", "json_schema", "reference"]


def _defs_name(cl: type) -> str:
    return cl.__name__


def _type_schema(tp: Any, defs: dict[str, Any], bounds: Bounds = COUNT_BOUNDS) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return _type_schema(inner, defs, bounds)
    if tp in SCALARS:
        return SCALARS[tp].schema(bounds)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return enum_type(tp).schema(bounds)
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin in (Mapping, dict):
        return {
            "type": "object",
            "propertyNames": ID.schema(bounds),
            "additionalProperties": _type_schema(args[1], defs),
        }
    if attrs.has(tp):
        name = _defs_name(tp)
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a dikt bug


def _class_schema(cl: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cl)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in written_fields(cl):
        schema = dict(
            ID.schema(bounds_of(a))
            if a.metadata.get("id")
            else _type_schema(hints[a.name], defs, bounds_of(a))
        )
        schema["description"] = a.metadata["doc"]
        default = a.default
        if default is attrs.NOTHING:
            required.append(a.name)
        elif isinstance(default, enum.Enum):
            schema["default"] = default.value
        elif isinstance(default, Money):
            # Whole kroner as an integer; a JSON number is never used for øre.
            schema["default"] = default.ore // 100 if default.ore % 100 == 0 else str(default)
        elif isinstance(default, bool | int | str):
            schema["default"] = default
        properties[a.name] = schema
    result: dict[str, Any] = {
        "type": "object",
        "description": (cl.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        result["required"] = required
    return result


def json_schema(file: Literal["cooperation", "member"]) -> dict[str, Any]:
    """The JSON Schema of ``cooperation.toml`` or of a ``members/ID.toml`` file."""
    defs: dict[str, Any] = {}
    cl = Cooperation if file == "cooperation" else Member
    body = _class_schema(cl, defs)
    title = "dikt cooperation.toml" if file == "cooperation" else "dikt members/ID.toml"
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://dikt.invalid/schema/{file}.schema.json",
        "title": title,
        **body,
    }
    if file == "cooperation":
        schema["properties"]["schema"]["const"] = 1
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


# -- the spec reference ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class KeyDoc:
    """One key of a spec file, for the reference documentation."""

    key: str
    kind: str  #: the value's type, in words
    default: str | None  #: None when the key is required
    doc: str


@attrs.frozen(kw_only=True)
class TableDoc:
    """One table of a spec file and its keys."""

    file: str  #: "cooperation.toml" or "members/ID.toml"
    table: str  #: how the table is written: "[systems.ID]", "(top level)"...
    doc: str
    keys: tuple[KeyDoc, ...]


def _kind(tp: Any, bounds: Bounds = COUNT_BOUNDS) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return _kind(inner, bounds)
    if tp in SCALARS:
        return SCALARS[tp].kind(bounds)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return enum_type(tp).kind(bounds)
    if origin is tuple:
        inner = args[0]
        return (
            f"array of tables {_table_name(inner)}"
            if attrs.has(inner)
            else _plural("array", _kind(inner))
        )
    if origin in (Mapping, dict):
        inner = args[1]
        return (
            f"tables by id ({_table_name(inner)})"
            if attrs.has(inner)
            else _plural("table", _kind(inner), " by id")
        )
    if attrs.has(tp):
        return f"table ({_table_name(tp)})"
    raise TypeError(f"no description of {tp!r}")  # pragma: no cover - a dikt bug


def _plural(what: str, kind: str, by: str = "") -> str:
    """``array of ids``; a kind of more than one word reads whole: ``table by id of amounts``
    would misread ``fraction from 0 to 1``, so ``table by id, each a fraction from 0 to 1``."""
    if " " in kind:
        return f"{what}{by}, each an {kind}" if kind[0] in "aeiou" else f"{what}{by}, each a {kind}"
    return f"{what} of {kind}s{by}"


def _default(a: attrs.Attribute[Any]) -> str | None:
    default = a.default
    if default is attrs.NOTHING:
        return None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return "(empty)"
    if default is None or default == ():
        return "(none)"
    if isinstance(default, enum.Enum):
        return f'"{default.value}"'
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, Money):
        return default.format()
    if isinstance(default, Fraction):
        return str(default)
    return str(default)


def _table_name(cl: type) -> str:
    return {name: table for table, name, _ in _reference_plan()}.get(cl.__name__, cl.__name__)


def _reference_plan() -> tuple[tuple[str, str, type], ...]:
    from dikt import model  # noqa: PLC0415 - model imports nothing from here

    return (
        ("(top level)", "Cooperation", model.Cooperation),
        ("[defaults]", "Defaults", model.Defaults),
        ("[keys.NAME]", "Key", model.Key),
        ("[domains.ID]", "Domain", model.Domain),
        ("[systems.ID]", "System", model.System),
        ("[[investments]]", "Investment", model.Investment),
        ("[premises]", "Premises", model.Premises),
        ("[premises.prices]", "Prices", model.Prices),
        ("[[premises.process]]", "ProcessItem", model.ProcessItem),
        ("[invoicing]", "Invoicing", model.Invoicing),
        ("[settlement]", "SettlementTerms", model.SettlementTerms),
        ("(top level)", "Member", model.Member),
        ("[representatives]", "Representatives", model.Representatives),
        ("[systems.ID]", "Usage", model.Usage),
        ("[own_systems.ID]", "OwnSystem", model.OwnSystem),
        ("[[fleet]]", "FleetEntry", model.FleetEntry),
        ("[licences]", "Licences", model.Licences),
        ("[transfer]", "Transfer", model.Transfer),
        ("[[transfer.staff]]", "StaffGroup", model.StaffGroup),
        ("[[transfer.contracts]]", "TakenOver", model.TakenOver),
    )


def reference() -> tuple[TableDoc, ...]:
    """Every table and key of both spec files, from the model's field metadata."""
    tables = []
    for table, name, cl in _reference_plan():
        hints = typing.get_type_hints(cl)
        keys = tuple(
            KeyDoc(
                key=a.name,
                kind=_kind(hints[a.name], bounds_of(a)),
                default=_default(a),
                doc=a.metadata["doc"],
            )
            for a in written_fields(cl)
        )
        member_file = name in {
            "Member",
            "Representatives",
            "Usage",
            "OwnSystem",
            "FleetEntry",
            "Licences",
        }
        tables.append(
            TableDoc(
                file="members/ID.toml" if member_file else "cooperation.toml",
                table=table,
                doc=(cl.__doc__ or "").strip().splitlines()[0],
                keys=keys,
            )
        )
    return tuple(tables)
