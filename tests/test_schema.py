"""The JSON Schema: shipped files match the code, and the examples validate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli

import dikt

from .conftest import EXAMPLE, ROOT

SCHEMAS = ROOT / "specs" / "schema"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("file", ["cooperation", "member"])
def test_the_shipped_schema_is_the_generated_one(file: str) -> None:
    shipped = json.loads((SCHEMAS / f"{file}.schema.json").read_text(encoding="utf-8"))
    assert shipped == dikt.json_schema(file)  # type: ignore[arg-type]
    jsonschema.Draft202012Validator.check_schema(shipped)


def _example_files() -> list[tuple[Path, str]]:
    files = [(EXAMPLE / "cooperation.toml", "cooperation")]
    files += [(p, "member") for p in sorted((EXAMPLE / "members").glob("*.toml"))]
    return files


@pytest.mark.parametrize(("path", "file"), _example_files(), ids=lambda x: getattr(x, "name", x))
def test_the_example_files_validate_and_name_their_schema(path: Path, file: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "#:schema ../schema/cooperation.schema.json"
        if file == "cooperation"
        else "#:schema ../../schema/member.schema.json"
    )
    schema = dikt.json_schema(file)  # type: ignore[arg-type]
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(_jsonable(tomli.loads(text)))


def test_the_schema_catches_what_the_loader_refuses() -> None:
    schema = dikt.json_schema("member")
    document = _jsonable(tomli.loads((EXAMPLE / "members" / "sande.toml").read_text("utf-8")))
    document["systems"]["IT141"]["users"] = 1.9
    document["colour"] = "red"
    errors = sorted(
        ".".join(map(str, e.absolute_path)) or e.message
        for e in jsonschema.Draft202012Validator(schema).iter_errors(document)
    )
    assert errors == [
        "Additional properties are not allowed ('colour' was unexpected)",
        "systems.IT141.users",
    ]


def test_every_key_has_documentation() -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("description"), name
            for value in node.values():
                walk(value)

    walk(dikt.json_schema("cooperation"))
    walk(dikt.json_schema("member"))
