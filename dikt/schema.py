"""A JSON Schema of the spec files, generated from the model's field metadata.

Editors that read JSON Schema for TOML (taplo, Even Better TOML) validate a
spec as people type, given a ``#:schema`` comment at the top of the file.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

import attrs

from dikt.model import Cooperation, Investment, Member
from dikt.money import Money

__all__ = ["json_schema"]

_ID = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_DECIMAL = "^[0-9]+(\\.[0-9]+)?$"
_AMOUNT = "^[0-9]+(\\.[0-9]{1,2})?$"


def _defs_name(cl: type) -> str:
    return cl.__name__


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return _type_schema(inner, defs)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer", "minimum": 0}
    if tp is dt.date:
        return {"type": "string", "format": "date"}
    if tp is Money:
        return {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": _AMOUNT},
            ]
        }
    if tp is Fraction:
        return {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "pattern": _DECIMAL},
            ]
        }
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin in (Mapping, dict):
        return {
            "type": "object",
            "propertyNames": {"pattern": _ID},
            "additionalProperties": _type_schema(args[1], defs),
        }
    if attrs.has(tp):
        name = _defs_name(tp)
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a dikt bug


def _class_schema(cl: type, defs: dict[str, Any], *, top: bool = False) -> dict[str, Any]:
    hints = typing.get_type_hints(cl)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in attrs.fields(cl):
        if a.metadata.get("from_key") or a.metadata.get("file"):
            continue
        schema = dict(_type_schema(hints[a.name], defs))
        if a.name == "id" and (top or cl is Investment):
            schema["pattern"] = _ID
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
    body = _class_schema(cl, defs, top=True)
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
