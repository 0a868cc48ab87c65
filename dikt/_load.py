"""Reading a spec directory: tomli, the one strict cattrs converter, and errors.

Every parser or structuring problem becomes a :class:`~dikt.errors.Problem`
with file, key path and (for TOML syntax) line and column; they are all
collected and raised together as one :class:`~dikt.errors.SpecError`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import os
import re
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import attrs
import cattrs
import tomli
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from dikt._gc import paused_gc
from dikt._values import describe
from dikt.errors import Problem, SpecError, format_path
from dikt.model import SCHEMA_VERSION, Cooperation, Investment, Member
from dikt.money import Money, parse_fraction, parse_money

__all__ = ["ID_PATTERN", "MAX_FILE_BYTES", "load", "load_texts", "structure_cooperation"]

#: A spec file larger than this is refused unread: no real cooperation comes
#: near it (the national-scale benchmark's files are well under 1 MiB each).
MAX_FILE_BYTES: Final = 8 * 1024 * 1024

#: Ids of members, systems, domains, keys and investments.
ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

COOPERATION_FILE: Final = "cooperation.toml"
MEMBERS_DIR: Final = "members"


class _InvalidValueError(ValueError):
    """A value the user wrote is wrong; the message says why, for people."""


# -- strict hooks: no coercion, ever -------------------------------------------


def _structure_str(value: object, _: object) -> str:
    if type(value) is not str:
        raise _InvalidValueError(f"expected a string, got {describe(value)}")
    return value


def _structure_int(value: object, _: object) -> int:
    if type(value) is not int:
        raise _InvalidValueError(f"expected an integer, got {describe(value)}")
    if value < 0:
        raise _InvalidValueError(f"expected a non-negative integer, got {describe(value)}")
    return value


def _structure_bool(value: object, _: object) -> bool:
    if type(value) is not bool:
        raise _InvalidValueError(f"expected true or false, got {describe(value)}")
    return value


def _structure_date(value: object, _: object) -> dt.date:
    if type(value) is not dt.date:
        raise _InvalidValueError(f"expected a date (YYYY-MM-DD), got {describe(value)}")
    return value


def _structure_money(value: object, _: object) -> Money:
    try:
        return parse_money(value)
    except ValueError as error:
        raise _InvalidValueError(str(error)) from None


def _structure_fraction(value: object, _: object) -> Fraction:
    try:
        return parse_fraction(value)
    except ValueError as error:
        raise _InvalidValueError(str(error)) from None


def _structure_id(value: object, _: object) -> str:
    text = _structure_str(value, None)
    if not ID_PATTERN.fullmatch(text):
        raise _InvalidValueError(_bad_id(text))
    return text


def _bad_id(text: str) -> str:
    return (
        f"invalid id {describe(text)}: ids are 1-64 characters of letters, digits, "
        "'.', '_' and '-', starting with a letter or digit"
    )


def _enum_hook(cl: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    by_value = {member.value: member for member in cl}
    allowed = ", ".join(f'"{v}"' for v in by_value)

    def structure(value: object, _: object) -> enum.Enum:
        if type(value) is str and value in by_value:
            return by_value[value]
        raise _InvalidValueError(f"expected one of {allowed}, got {describe(value)}")

    return structure


def _is_tuple(tp: Any) -> bool:
    return typing.get_origin(tp) is tuple


def _is_mapping(tp: Any) -> bool:
    return typing.get_origin(tp) in (Mapping, dict, typing.Mapping)


def _from_key_field(cl: type) -> str | None:
    names: list[str] = [a.name for a in attrs.fields(cl) if a.metadata.get("from_key")]
    return names[0] if names else None


def _note(error: Exception, note: str) -> Exception:
    error.__notes__ = [*getattr(error, "__notes__", []), note]
    return error


def _tuple_hook(converter: cattrs.Converter, tp: Any) -> Callable[[object, object], Any]:
    """Arrays: a TOML array only (a string is not a list), each item checked."""
    (item_type, _ellipsis) = typing.get_args(tp)
    item = converter.get_structure_hook(item_type)

    def structure(value: object, _: object) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _InvalidValueError(f"expected an array, got {describe(value)}")
        result, errors = [], []
        for index, element in enumerate(value):
            try:
                result.append(item(element, item_type))
            except Exception as error:
                note = IterableValidationNote(f"@ index {index}", index, item_type)
                errors.append(_note(error, note))
        if errors:
            raise IterableValidationError("array", errors, tp)
        return tuple(result)

    return structure


def _mapping_hook(converter: cattrs.Converter, tp: Any) -> Callable[[object, object], Any]:
    """Tables keyed by id; a table named by its key gets that id injected."""
    (_key_type, value_type) = typing.get_args(tp)
    value_hook = converter.get_structure_hook(value_type)
    id_field = _from_key_field(value_type) if attrs.has(value_type) else None
    fast = _fast_path(value_type) if id_field is not None else None
    named = id_field or ""

    def structure(value: object, _: object) -> Mapping[str, Any]:
        if type(value) is not dict:
            raise _InvalidValueError(f"expected a table, got {describe(value)}")
        result, errors = {}, []
        for key, element in value.items():
            if fast is not None and type(element) is dict and named not in element:
                # The common case, quickly: a valid id naming a plain table.
                made = fast({**element, named: key}) if ID_PATTERN.fullmatch(key) else None
                if made is not None:
                    result[key] = made
                    continue
            try:
                if not ID_PATTERN.fullmatch(key):
                    raise _InvalidValueError(_bad_id(key))
                document = element
                if id_field is not None:
                    if type(element) is not dict:
                        raise _InvalidValueError(f"expected a table, got {describe(element)}")
                    if id_field in element:
                        raise _InvalidValueError(
                            f'unknown key "{id_field}": the table\'s name is its {id_field}'
                        )
                    document = {**element, id_field: key}
                result[key] = value_hook(document, value_type)
            except Exception as error:
                note = IterableValidationNote(f"@ key {key!r}", key, value_type)
                errors.append(_note(error, note))
        if errors:
            raise IterableValidationError("table", errors, tp)
        return MappingProxyType(result)

    return structure


_SIMPLE: Final[dict[Any, tuple[type, bool]]] = {
    str: (str, False),
    str | None: (str, False),
    int: (int, True),
    bool: (bool, False),
}


def _fast_path(cl: type) -> Callable[[dict[str, Any]], Any] | None:
    """A quick structurer for classes of plain strings and counts, or None.

    Tens of thousands of usage entries go through it. It accepts only what
    the strict hooks accept and returns None for anything else, which then
    takes cattrs' path and gets its precise messages: one behaviour, two
    speeds.
    """
    hints = typing.get_type_hints(cl)
    kinds: dict[str, tuple[type, bool]] = {}
    required: set[str] = set()
    for a in attrs.fields(cl):
        simple = _SIMPLE.get(hints[a.name])
        if simple is None:
            return None
        kinds[a.name] = simple
        if a.default is attrs.NOTHING:
            required.add(a.name)
    names, needed = kinds.keys(), frozenset(required)

    def structure(value: dict[str, Any]) -> Any:
        if not (value.keys() <= names and needed <= value.keys()):
            return None
        for name, item in value.items():
            kind, count = kinds[name]
            if type(item) is not kind or (count and item < 0):  # type: ignore[operator]
                return None
        return cl(**value)

    return structure


def _class_hook(converter: cattrs.Converter, cl: type) -> Callable[[object, object], Any]:
    """attrs classes: cattrs' generated function, behind a check for a table."""
    overrides: dict[str, Any] = {}
    if cl is Cooperation:
        # Members come from members/*.toml, never from cooperation.toml.
        overrides["members"] = override(omit=True)
    if cl in (Cooperation, Member, Investment):
        overrides["id"] = override(struct_hook=_structure_id)
    generated: Callable[[Any, type], Any] = make_dict_structure_fn(cl, converter, **overrides)
    fast = _fast_path(cl) if not overrides else None

    def structure(value: object, _: object) -> Any:
        if type(value) is not dict:
            raise _InvalidValueError(f"expected a table, got {describe(value)}")
        if fast is not None:
            result = fast(value)
            if result is not None:
                return result
        return generated(value, cl)

    return structure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_structure_hook(Money, _structure_money)
    converter.register_structure_hook(Fraction, _structure_fraction)
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    converter.register_structure_hook_factory(_is_tuple, functools.partial(_tuple_hook, converter))
    converter.register_structure_hook_factory(
        _is_mapping, functools.partial(_mapping_hook, converter)
    )
    converter.register_structure_hook_factory(attrs.has, functools.partial(_class_hook, converter))
    return converter


@cache
def _converter() -> cattrs.Converter:
    return _make_converter()


# -- turning cattrs' exception groups into problems ------------------------------


def _field_names(cl: Any) -> list[str]:
    if not attrs.has(cl):
        return []
    return [
        a.name
        for a in attrs.fields(cl)
        if not a.metadata.get("from_key") and not a.metadata.get("file")
    ]


def _unknown_key(key: str, allowed: list[str]) -> str:
    message = f"unknown key {describe(key)}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        message += f'; did you mean "{close[0]}"?'
    return message


def _problems(error: BaseException, path: tuple[str | int, ...], file: str) -> list[Problem]:
    def problem(at: tuple[str | int, ...], message: str) -> Problem:
        return Problem(file=file, path=format_path(at), message=message)

    if isinstance(error, ClassValidationError):
        found: list[Problem] = []
        with_notes, others = error.group_exceptions()
        for sub, note in with_notes:
            if type(sub) is KeyError:
                found.append(problem(path, f'missing required key "{note.name}"'))
            else:
                found += _problems(sub, (*path, note.name), file)
        for sub in others:
            if isinstance(sub, ForbiddenExtraKeysError):
                allowed = _field_names(sub.cl)
                found += [
                    problem((*path, key), _unknown_key(key, allowed))
                    for key in sorted(sub.extra_fields)
                ]
            else:
                found += _problems(sub, path, file)
        return found
    if isinstance(error, IterableValidationError):
        found = []
        with_notes_i, others_i = error.group_exceptions()
        for sub, inote in with_notes_i:
            found += _problems(sub, (*path, inote.index), file)
        for sub in others_i:
            found += _problems(sub, path, file)
        return found
    if isinstance(error, _InvalidValueError):
        return [problem(path, str(error))]
    # Anything else is a bug in dikt, not the user's mistake; still no traceback
    # for them, but a message that says so.
    return [problem(path, f"internal error while reading this value: {error!r}")]


# -- files -----------------------------------------------------------------------


def _parse(text: str, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return tomli.loads(text, parse_float=Decimal), []
    except tomli.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        message = getattr(error, "msg", None) or str(error)
        return None, [
            Problem(file=file, message=f"invalid TOML: {message}", line=line, column=column)
        ]


def _read(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    file=file,
                    message=f"the file has {size} bytes; a spec file may have at most "
                    f"{MAX_FILE_BYTES} bytes",
                )
            ]
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(file=file, message=f"cannot read the file: {error.strerror}")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                file=file, line=line, message=f"the file is not UTF-8 text (byte {error.start})"
            )
        ]


def _spec_paths(spec: str | os.PathLike[str]) -> tuple[Path, Path]:
    path = Path(spec)
    if path.is_dir():
        return path, path / COOPERATION_FILE
    if path.suffix == ".toml" or path.is_file():
        return path.parent, path
    return path, path / COOPERATION_FILE


def _member_files(root: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    directory = root / MEMBERS_DIR
    if not directory.exists():
        return [], []
    if not directory.is_dir() or _outside(directory, root):
        return [], [
            Problem(file=MEMBERS_DIR, message="must be a directory inside the spec directory")
        ]
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.toml")):
        file = f"{MEMBERS_DIR}/{path.name}"
        if _outside(path, root):
            problems.append(
                Problem(
                    file=file,
                    message="the file points outside the spec directory; member files "
                    "must lie inside it",
                )
            )
        elif not path.is_file():
            problems.append(Problem(file=file, message="not a regular file"))
        else:
            found.append((path, file))
    return found, problems


def _outside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return True
    return False


def _structure_members(
    members_raw: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, Member], list[Problem]]:
    converter = _converter()
    problems: list[Problem] = []
    members: dict[str, Member] = {}
    seen: dict[str, str] = {}
    for file, document in members_raw.items():
        stem = file.rsplit("/", 1)[-1].removesuffix(".toml")
        try:
            member = converter.structure(document, Member)
        except Exception as error:
            problems += _problems(error, (), file)
            continue
        if member.id != stem:
            problems.append(
                Problem(
                    file=file,
                    path="id",
                    message=f'the id "{member.id}" differs from the file name; '
                    f'the file of member "{member.id}" is members/{member.id}.toml',
                )
            )
        if member.id in seen:
            problems.append(
                Problem(
                    file=file,
                    path="id",
                    message=f'duplicate member id "{member.id}" (also in {seen[member.id]})',
                )
            )
            continue
        seen[member.id] = file
        members[member.id] = member
    return dict(sorted(members.items())), problems


def _structure_cooperation_file(raw: Mapping[str, Any]) -> tuple[Cooperation | None, list[Problem]]:
    schema = raw.get("schema")
    if type(schema) is int and schema != SCHEMA_VERSION:
        # Another format version means other keys: nothing else is worth saying.
        return None, [
            Problem(
                file=COOPERATION_FILE,
                path="schema",
                message=f"this dikt reads spec format {SCHEMA_VERSION}, not {schema}",
            )
        ]
    try:
        return _converter().structure(raw, Cooperation), []
    except Exception as error:
        return None, _problems(error, (), COOPERATION_FILE)


def structure_cooperation(
    raw: Mapping[str, Any] | None,
    members_raw: Mapping[str, Mapping[str, Any]],
    problems: list[Problem] | None = None,
) -> Cooperation:
    """Structure parsed TOML documents into a model, collecting every problem.

    ``raw`` is the parsed ``cooperation.toml`` (None if it could not be
    parsed); ``members_raw`` maps a member file's name (``members/sande.toml``)
    to its parsed document; ``problems`` are those already found while reading.
    Raises :class:`~dikt.errors.SpecError` with all of them.
    """
    found = list(problems or [])
    cooperation = None
    if raw is not None:
        cooperation, more = _structure_cooperation_file(raw)
        found += more
    members, more = _structure_members(members_raw)
    found += more
    if found or cooperation is None:
        raise SpecError(found)
    return attrs.evolve(cooperation, members=members)


@paused_gc
def load_texts(cooperation_text: str, member_texts: Mapping[str, str]) -> Cooperation:
    """Load a spec from the texts of its files (``members/ID.toml`` -> text).

    The same checks as :func:`load`, for specs that do not live on disk.
    """
    raw, problems = _parse(cooperation_text, COOPERATION_FILE)
    members_raw: dict[str, dict[str, Any]] = {}
    for file, text in sorted(member_texts.items()):
        document, found = _parse(text, file)
        problems += found
        if document is not None:
            members_raw[file] = document
    return structure_cooperation(raw, members_raw, problems)


@paused_gc
def load(spec: str | os.PathLike[str]) -> Cooperation:
    """Load a spec directory (or its ``cooperation.toml``) into a frozen model.

    Raises :class:`~dikt.errors.SpecError` listing every problem found, each
    with its file and key path, and line and column for TOML syntax errors.
    """
    root, cooperation_path = _spec_paths(spec)
    if cooperation_path.name != COOPERATION_FILE:
        raise SpecError(
            [
                Problem(
                    file=str(cooperation_path),
                    message="not a spec: a spec is a directory with a cooperation.toml, "
                    "named by the directory or by its cooperation.toml",
                )
            ]
        )
    if not cooperation_path.is_file():
        raise SpecError(
            [
                Problem(
                    file=str(cooperation_path),
                    message="no such file: a spec is a directory with a cooperation.toml",
                )
            ]
        )
    problems: list[Problem] = []
    text, found = _read(cooperation_path, COOPERATION_FILE)
    problems += found
    raw = None
    if text is not None:
        raw, found = _parse(text, COOPERATION_FILE)
        problems += found
    files, found = _member_files(root)
    problems += found
    members_raw: dict[str, dict[str, Any]] = {}
    for path, file in files:
        text, found = _read(path, file)
        problems += found
        if text is None:
            continue
        document, found = _parse(text, file)
        problems += found
        if document is not None:
            members_raw[file] = document
    return structure_cooperation(raw, members_raw, problems)
