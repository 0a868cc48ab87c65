"""Writing a model back to spec files (TOML), so that ``load(dump(x)) == x``.

Keys at their default value are left out, as a person would write the file.
Amounts are written as integers or decimals with two places, fractions as
decimal strings: nothing passes through a binary float.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from dikt._fieldtypes import SCALARS, enum_type, toml_string
from dikt._layout import COOPERATION_FILE, MEMBERS_DIR, member_file
from dikt.model import Cooperation, written_fields

__all__ = ["dump", "dumps"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(name: str) -> str:
    return name if _BARE.fullmatch(name) else toml_string(name)


def _value(value: Any) -> str:
    """A value as TOML: scalars by the field-type table, arrays and inline tables of them."""
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, enum.Enum):
        return enum_type(type(value)).toml(value)
    # bool before int: a bool is an int to Python, not to TOML.
    for python_type in (bool, *SCALARS):
        if isinstance(value, python_type):
            return SCALARS[python_type].toml(value)
    raise TypeError(f"cannot write {value!r} to TOML")  # pragma: no cover - a dikt bug


def _is_default(field: attrs.Attribute[Any], value: Any) -> bool:
    default = field.default
    if default is attrs.NOTHING:
        return False
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return bool(value == default.factory())  # type: ignore[union-attr]
    return bool(value == default)


def _table(obj: Any, path: list[str], out: list[str], *, header: bool) -> None:
    scalars: list[str] = []
    nested: list[tuple[str, Any]] = []
    for field in written_fields(type(obj)):
        value = getattr(obj, field.name)
        if value is None or _is_default(field, value):
            continue
        if attrs.has(type(value)):
            nested.append(("table", (field.name, value)))
        elif isinstance(value, tuple) and value and attrs.has(type(value[0])):
            nested.append(("array", (field.name, value)))
        elif isinstance(value, Mapping) and value and attrs.has(type(next(iter(value.values())))):
            nested.append(("map", (field.name, value)))
        elif isinstance(value, Mapping) and not value:
            continue
        else:
            scalars.append(f"{_key(field.name)} = {_value(value)}")
    if header:
        out.append("\n[" + ".".join(_key(p) for p in path) + "]")
    out.extend(scalars)
    for kind, (name, value) in nested:
        if kind == "table":
            _table(value, [*path, name], out, header=True)
        elif kind == "map":
            for key, item in value.items():
                _table(item, [*path, name, key], out, header=True)
        else:
            for item in value:
                before = len(out)
                _table(item, [*path, name], out, header=True)
                out[before] = "\n[[" + ".".join(_key(p) for p in [*path, name]) + "]]"


def dumps(cooperation: Cooperation) -> dict[str, str]:
    """The spec's files as texts: ``cooperation.toml`` and ``members/ID.toml``.

    Raises :class:`~dikt.errors.WhatIfError` (the W213 warnings) if a
    candidate is set aside for errors in its file: the model no longer holds
    what that file says, and files written from it would lose the candidate.
    """
    if cooperation.set_aside:
        from dikt.errors import WhatIfError  # noqa: PLC0415 - only when refused
        from dikt.i18n import message_n  # noqa: PLC0415
        from dikt.whatif import set_aside_named, set_aside_warnings  # noqa: PLC0415

        raise WhatIfError(
            message_n(
                "candidate {candidates} has errors in its file, so dikt leaves it out, and "
                "files written from the model would lose it; fix the file first, as "
                "`dikt check` warns:",
                "candidates {candidates} have errors in their files, so dikt leaves them "
                "out, and files written from the model would lose them; fix the files "
                "first, as `dikt check` warns:",
                len(cooperation.set_aside),
                candidates=set_aside_named(cooperation),
            ),
            set_aside_warnings(cooperation),
        )
    files: dict[str, str] = {}
    out: list[str] = []
    _table(cooperation, [], out, header=False)
    files[COOPERATION_FILE] = "\n".join(out).lstrip("\n") + "\n"
    for member_id, member in sorted(cooperation.members.items()):
        out = []
        _table(member, [], out, header=False)
        files[member_file(member_id)] = "\n".join(out).lstrip("\n") + "\n"
    return files


def dump(cooperation: Cooperation, directory: str | os.PathLike[str]) -> list[Path]:
    """Write the spec into ``directory``, which must not hold a spec already.

    Nothing existing is overwritten: if any file to be written exists,
    :class:`FileExistsError` is raised before anything is written.
    """
    root = Path(directory)
    files = dumps(cooperation)
    targets = [root / name for name in files]
    existing = [str(p) for p in targets if p.exists()]
    if existing:
        raise FileExistsError(f"would overwrite {', '.join(existing)}")
    (root / MEMBERS_DIR).mkdir(parents=True, exist_ok=True)
    for target, text in zip(targets, files.values(), strict=True):
        target.write_text(text, encoding="utf-8")
    return targets
