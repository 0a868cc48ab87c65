"""Reading a spec directory: tomli, the one strict cattrs converter, and errors.

Every parser or structuring problem becomes a :class:`~dikt.errors.Problem`
with file, key path and (for TOML syntax) line and column; they are all
collected and raised together as one :class:`~dikt.errors.SpecError`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import errno
import functools
import os
import re
import stat
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
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

from dikt._fast import constructor
from dikt._fieldtypes import (
    COUNT_BOUNDS,
    ID_PATTERN,
    SCALARS,
    Bounds,
    FieldType,
    InvalidValueError,
    bad_id,
    bounds_of,
    enum_type,
    field_type,
)
from dikt._layout import COOPERATION_FILE, MAX_FILE_BYTES, MEMBERS_DIR, member_file, member_stem
from dikt._positions import deepest_nesting, in_order, locate, offset_position
from dikt._values import describe
from dikt.errors import Problem, SpecError, format_path
from dikt.i18n import Message, message
from dikt.limits import LANGUAGES, MAX_MEMBER_FILES, MAX_SPEC_BYTES
from dikt.model import (
    SCHEMA_VERSION,
    Cooperation,
    Member,
    SetAside,
    written_fields,
)
from dikt.whatif import set_aside

__all__ = [
    "MAX_FILE_BYTES",
    "load",
    "load_texts",
    "spec_root",
    "structure_cooperation",
]


_InvalidValueError = InvalidValueError


def _hook(field_type: FieldType, bounds: Bounds = COUNT_BOUNDS) -> Callable[[object, object], Any]:
    """A cattrs structure hook from the field-type table."""
    read = field_type.structure

    def structure(value: object, _: object) -> Any:
        return read(value, bounds)

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
            raise _InvalidValueError(
                message("expected an array, got {value}", value=describe(value))
            )
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


def _mapping_hook(
    converter: cattrs.Converter, tp: Any, *, fast_path: bool = True
) -> Callable[[object, object], Any]:
    """Tables keyed by id; a table named by its key gets that id injected."""
    (_key_type, value_type) = typing.get_args(tp)
    value_hook = converter.get_structure_hook(value_type)
    id_field = _from_key_field(value_type) if attrs.has(value_type) else None
    fast = _fast_path(value_type) if id_field is not None and fast_path else None

    def structure(value: object, _: object) -> Mapping[str, Any]:
        if type(value) is not dict:
            raise _InvalidValueError(
                message("expected a table, got {value}", value=describe(value))
            )
        result, errors = {}, []
        for key, element in value.items():
            if fast is not None and type(element) is dict and _valid_id(key):
                # The common case, quickly: a valid id naming a plain table.
                made = fast(element, key)
                if made is not None:
                    result[key] = made
                    continue
            try:
                if not _valid_id(key):
                    raise _InvalidValueError(bad_id(key), "E008")
                document = element
                if id_field is not None:
                    if type(element) is not dict:
                        raise _InvalidValueError(
                            message("expected a table, got {value}", value=describe(element))
                        )
                    if id_field in element:
                        raise _InvalidValueError(
                            f'unknown key "{id_field}": the table\'s name is its {id_field}',
                            "E004",
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


#: Field types the fast path takes: the Python type and whether it is a bounded integer.
_SIMPLE: Final[dict[Any, tuple[type, bool]]] = {
    str: (str, False),
    str | None: (str, False),
    int: (int, True),
    bool: (bool, False),
}


_MISSING: Final = object()


def _fast_path(cl: type) -> Callable[[dict[str, Any], str | None], Any] | None:
    """A generated quick structurer for classes of plain strings, integers and booleans.

    ``fast(table, key)`` returns the object, or None for anything it does not
    take, which then goes to cattrs' path and gets its precise messages: one
    behaviour, two speeds (a property test holds them together). ``key`` is
    the id of a table named by its key (``[systems.IT141]``), which is not in
    the table. A hundred thousand usage entries go through it: it is
    generated per class, copies no dict, and builds the object through
    :func:`dikt._fast.constructor`. Integers must lie within their field's
    bounds, as the strict hooks demand; returns None for classes it cannot
    serve.
    """
    hints = typing.get_type_hints(cl)
    key_field = _from_key_field(cl)
    try:
        make = constructor(cl)
    except TypeError:
        return None
    namespace: dict[str, Any] = {"MISSING": _MISSING, "make": make}
    lines = ["def fast(d, key):", "    if not d.keys() <= NAMES:", "        return None"]
    arguments = []
    for index, a in enumerate(attrs.fields(cl)):
        if a.name == key_field:
            arguments.append("key")
            continue
        simple = _SIMPLE.get(hints[a.name])
        if simple is None or isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            return None
        kind, bounded = simple
        value = f"v{index}"
        namespace[kind.__name__] = kind
        wrong = f"type({value}) is not {kind.__name__}"
        if bounded:
            low, high = bounds_of(a)
            wrong += f" or not {low} <= {value} <= {high}"
        lines.append(f"    {value} = d.get({a.name!r}, MISSING)")
        if a.default is attrs.NOTHING:
            lines += [f"    if {value} is MISSING or {wrong}:", "        return None"]
        else:
            namespace[f"default{index}"] = a.default
            lines += [
                f"    if {value} is MISSING:",
                f"        {value} = default{index}",
                f"    elif {wrong}:",
                "        return None",
            ]
        arguments.append(value)
    lines.append(f"    return make({', '.join(arguments)})")
    namespace["NAMES"] = frozenset(a.name for a in attrs.fields(cl) if a.name != key_field)
    exec("\n".join(lines), namespace)
    fast: Callable[[dict[str, Any], str | None], Any] = namespace["fast"]
    return fast


@functools.lru_cache(maxsize=65536)
def _valid_id(key: str) -> bool:
    """Whether ``key`` is a valid id; ids repeat (every member names the same systems)."""
    return ID_PATTERN.fullmatch(key) is not None


def _class_hook(
    converter: cattrs.Converter, cl: type, *, fast_path: bool = True
) -> Callable[[object, object], Any]:
    """attrs classes: cattrs' generated function, behind a check for a table."""
    overrides: dict[str, Any] = {}
    if cl is Cooperation:
        # Members come from members/*.toml, never from cooperation.toml.
        overrides["members"] = override(omit=True)
    hints = typing.get_type_hints(cl)
    for a in attrs.fields(cl):
        if a.metadata.get("id") or ("bounds" in a.metadata and hints[a.name] is int):
            type_ = field_type(a, hints[a.name])
            assert type_ is not None  # ids and bounded integers are scalars
            overrides[a.name] = override(struct_hook=_hook(type_, bounds_of(a)))
        if a.metadata.get("internal"):
            overrides[a.name] = override(omit=True)
    generated: Callable[[Any, type], Any] = make_dict_structure_fn(cl, converter, **overrides)
    # Classes with an id value (not named by a key) take cattrs' path only.
    # Tables named by their key are served by the mapping's fast path; classes
    # with an id value take cattrs' path only.
    with_id = _from_key_field(cl) is not None or any(a.metadata.get("id") for a in attrs.fields(cl))
    fast = _fast_path(cl) if fast_path and not with_id else None

    def structure(value: object, _: object) -> Any:
        if type(value) is not dict:
            raise _InvalidValueError(
                message("expected a table, got {value}", value=describe(value))
            )
        if fast is not None:
            result = fast(value, None)
            if result is not None:
                return result
        return generated(value, cl)

    return structure


def _make_converter(*, fast_path: bool = True) -> cattrs.Converter:
    """The strict converter; ``fast_path=False`` gives it without the fast path (for tests)."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for python_type, type_ in SCALARS.items():
        converter.register_structure_hook(python_type, _hook(type_))
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
        lambda t: _hook(enum_type(t)),
    )
    converter.register_structure_hook_factory(_is_tuple, functools.partial(_tuple_hook, converter))
    converter.register_structure_hook_factory(
        _is_mapping, functools.partial(_mapping_hook, converter, fast_path=fast_path)
    )
    converter.register_structure_hook_factory(
        attrs.has, functools.partial(_class_hook, converter, fast_path=fast_path)
    )
    return converter


@cache
def _converter() -> cattrs.Converter:
    return _make_converter()


# -- turning cattrs' exception groups into problems ------------------------------


def _field_names(cl: Any) -> list[str]:
    if not attrs.has(cl):
        return []
    return [a.name for a in written_fields(cl)]


def _close_key(key: str, allowed: list[str]) -> str | None:
    """The allowed key ``key`` is most likely a misspelling of, if any."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_key(key: str, allowed: list[str]) -> Message:
    if key == "members" and "mergers" in allowed:
        # Not a misspelt "mergers": members are written elsewhere.
        return message(
            "unknown key {key}: members are files under members/, one per member",
            key=describe(key),
        )
    close = _close_key(key, allowed)
    if close is not None:
        return message('unknown key {key}; did you mean "{close}"?', key=describe(key), close=close)
    return message("unknown key {key}", key=describe(key))


def _problems(error: BaseException, path: tuple[str | int, ...], file: str) -> list[Problem]:
    def problem(at: tuple[str | int, ...], message: str, code: str) -> Problem:
        return Problem(file=file, path=format_path(at), message=message, code=code)

    if isinstance(error, ClassValidationError):
        found: list[Problem] = []
        with_notes, others = error.group_exceptions()
        # A misspelt key is one mistake: "unknown key "usres"; did you mean
        # "users"?" says it all, so "users" is not also reported missing.
        meant = {
            close
            for sub in others
            if isinstance(sub, ForbiddenExtraKeysError)
            for key in sub.extra_fields
            if (close := _close_key(key, _field_names(sub.cl))) is not None
        }
        for sub, note in with_notes:
            if type(sub) is KeyError:
                if note.name not in meant:
                    found.append(
                        problem(
                            path, message('missing required key "{key}"', key=note.name), "E005"
                        )
                    )
            else:
                found += _problems(sub, (*path, note.name), file)
        for sub in others:
            if isinstance(sub, ForbiddenExtraKeysError):
                allowed = _field_names(sub.cl)
                found += [
                    problem((*path, key), _unknown_key(key, allowed), "E004")
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
        return [problem(path, error.message, error.code)]
    # Anything else is a bug in dikt, not the user's mistake; still no traceback
    # for them, but a message that says so.
    return [
        problem(
            path,
            message("internal error while reading this value: {error}", error=repr(error)),
            "E006",
        )
    ]


# -- files -----------------------------------------------------------------------

_BOM: Final = "\ufeff"
#: A run of digits this long is an integer Python will not convert (the
#: interpreter's limit on integer strings is 4300 digits).
_LONG_NUMBER: Final = re.compile(r"[+-]?[0-9][0-9_]{4000,}")
#: Arrays and inline tables nested deeper than this are refused: tomli parses
#: them recursively, and no spec nests more than three levels.
_MAX_NESTING: Final = 100


def _parse(text: str, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse one file's TOML; every failure becomes a located problem, never a crash."""
    try:
        return tomli.loads(text, parse_float=Decimal), []
    except tomli.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        reason = getattr(error, "msg", None) or str(error)
        return None, [
            Problem(
                file=file,
                message=message("invalid TOML: {reason}", reason=reason),
                code="E003",
                line=line,
                column=column,
            )
        ]
    except RecursionError:
        line, column = offset_position(text, deepest_nesting(text, _MAX_NESTING))
        return None, [
            Problem(
                file=file,
                message=message(
                    "invalid TOML: arrays or inline tables nested too deeply "
                    "(dikt reads at most {levels} levels)",
                    levels=_MAX_NESTING,
                ),
                code="E003",
                line=line,
                column=column,
            )
        ]
    except ValueError:
        # tomli hands integers to int(), which refuses thousands of digits.
        match = _LONG_NUMBER.search(text)
        line, column = offset_position(text, match.start() if match else 0)
        return None, [
            Problem(
                file=file,
                message=message("invalid TOML: a number too long to read (more than 4000 digits)"),
                code="E003",
                line=line,
                column=column,
            )
        ]


def _stat(path: Path) -> tuple[os.stat_result | None, str | None]:
    """``path``'s status (following links), and what it is if not a regular file."""
    try:
        status = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, message("a symbolic link loop")
        # os.path.islink, not Path.is_symlink, which raises in a directory
        # that cannot be searched (Python 3.11).
        if os.path.islink(path):  # noqa: PTH114 - see above
            return None, message("a symbolic link to a missing file")

        if error.errno == errno.ENOENT:
            return None, "missing"
        return None, message("unreadable ({reason})", reason=error.strerror)
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return status, None
    kinds = (
        (stat.S_ISDIR, message("a directory")),
        (stat.S_ISFIFO, message("a named pipe (FIFO)")),
        (stat.S_ISCHR, message("a character device")),
        (stat.S_ISBLK, message("a block device")),
        (stat.S_ISSOCK, message("a socket")),
    )
    other = message("not a regular file")
    return status, next((name for test, name in kinds if test(mode)), other)


def _size(path: Path) -> int:
    """``path``'s size in bytes (0 if it cannot be read: that is reported elsewhere)."""
    status, _ = _stat(path)
    return 0 if status is None else status.st_size


def _kind(path: Path) -> str | None:
    """What ``path`` is if it is not a regular file (following links); None if it is one."""
    return _stat(path)[1]


def _read(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """A spec file's text; a problem (E001, E002) if it is not a readable UTF-8 file.

    A UTF-8 byte-order mark, which some Windows editors write, is dropped.
    """

    def refuse(
        message: str, code: str = "E001", line: int | None = None
    ) -> tuple[None, list[Problem]]:
        return None, [Problem(file=file, message=message, code=code, line=line)]

    # One status, before opening: a named pipe or a device is never opened.
    status, kind = _stat(path)
    if kind is not None or status is None:
        return refuse(message("not a regular file: {kind}", kind=kind))
    try:
        size = status.st_size
        if size > MAX_FILE_BYTES:
            return refuse(
                message(
                    "the file has {size} bytes; a spec file may have at most {most} bytes",
                    size=size,
                    most=MAX_FILE_BYTES,
                )
            )
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return refuse(message("cannot read the file: {reason}", reason=error.strerror))
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        return refuse(
            message(
                "the file has more than {most} bytes, the most a spec may have",
                most=MAX_FILE_BYTES,
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = message("the file is not UTF-8 text (byte {byte})", byte=error.start)
        return refuse(text, "E002", line)
    return text.removeprefix(_BOM), []


def spec_root(spec: str | os.PathLike[str]) -> Path:
    """The directory of a spec named by its directory or its cooperation.toml.

    Problems name their files relative to it.
    """
    return _spec_paths(spec)[0]


def _spec_paths(spec: str | os.PathLike[str]) -> tuple[Path, Path]:
    path = Path(spec)
    # os.path's tests, not Path's: those raise in a directory that cannot be
    # searched (Python 3.11), these say False.
    if os.path.isdir(path):  # noqa: PTH112
        return path, path / COOPERATION_FILE
    if path.name == COOPERATION_FILE or path.suffix == ".toml" or os.path.isfile(path):  # noqa: PTH113
        return path.parent, path
    return path, path / COOPERATION_FILE


def _member_files(root: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The member files under ``members/``, and problems with the directory or its files.

    Every ``*.toml`` directly in it is a member file; hidden files (editors'
    lock and backup files) and files of other kinds are not spec files and
    are passed over, but a name ending in ``.TOML`` or ``.Toml`` is named,
    so that no member is left out silently.
    """
    directory = root / MEMBERS_DIR
    kind = _kind(directory)
    if kind == "missing":
        return [], []
    if kind == "a directory" and not _searchable(directory):
        return [], [_unsearchable(MEMBERS_DIR)]
    if kind != "a directory" or _outside(directory, root):
        shown = (
            message("outside the spec directory")
            if kind == "a directory"
            else message("a regular file")
            if kind is None
            else kind
        )
        return [], [
            Problem(
                file=MEMBERS_DIR,
                message=message(
                    "must be a directory inside the spec directory; it is {kind}", kind=shown
                ),
                code="E001",
            )
        ]
    try:
        with os.scandir(directory) as entries:
            # A link may point anywhere; a plain entry lies in the directory.
            links = {entry.name: entry.is_symlink() for entry in entries}
    except OSError as error:
        return [], [
            Problem(
                file=MEMBERS_DIR,
                message=message("cannot read the directory: {reason}", reason=error.strerror),
                code="E001",
            )
        ]
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for name in sorted(links):
        path = directory / name
        file = f"{MEMBERS_DIR}/{name}"
        if name.startswith("."):
            continue
        if not name.endswith(".toml"):
            if name.lower().endswith(".toml"):
                problems.append(
                    Problem(
                        file=file,
                        message=message(
                            "not loaded: a member file's name ends in .toml, in lower case; "
                            "rename it {name}.toml",
                            name=name[: -len(".toml")],
                        ),
                        code="E011",
                    )
                )
            continue
        if links[name] and _outside(path, root):
            kind = _kind(path)
            problems.append(
                Problem(
                    file=file,
                    message=message("not a regular file: {kind}", kind=kind)
                    if kind is not None
                    else message(
                        "the file points outside the spec directory; member files must lie "
                        "inside it"
                    ),
                    code="E001",
                )
            )
        else:
            found.append((path, file))
    return found, problems


def _searchable(directory: Path) -> bool:
    """Whether the files in ``directory`` can be opened (it has search, x, permission).

    A directory that can be listed but not searched shows its names and
    opens none of its files.
    """
    return os.access(directory, os.X_OK)


def _unsearchable(file: str) -> Problem:
    """E001: a directory of the spec that cannot be searched."""
    return Problem(
        file=file,
        message=message(
            "the directory cannot be searched (it lacks execute permission for this user), "
            "so none of its files can be opened"
        ),
        code="E001",
    )


def _outside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        # RuntimeError: a symbolic link loop (Python before 3.13).
        return True
    return False


def _structure_members(
    members_raw: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, Member], dict[str, str], list[Problem]]:
    """The members by id, the file each came from by id, and the problems."""
    converter = _converter()
    problems: list[Problem] = []
    members: dict[str, Member] = {}
    seen: dict[str, str] = {}
    for file, document in members_raw.items():
        stem = member_stem(file)
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
                    message=message(
                        'the id "{id}" differs from the file name; the file of member "{id}" '
                        "is {file}",
                        id=member.id,
                        file=member_file(member.id),
                    ),
                    code="E009",
                )
            )
        if member.id in seen:
            problems.append(
                Problem(
                    file=file,
                    path="id",
                    message=message(
                        'duplicate member id "{id}" (also in {file})',
                        id=member.id,
                        file=seen[member.id],
                    ),
                    code="E009",
                )
            )
            continue
        seen[member.id] = file
        members[member.id] = member
    return dict(sorted(members.items())), seen, problems


def _structure_cooperation_file(raw: Mapping[str, Any]) -> tuple[Cooperation | None, list[Problem]]:
    schema = raw.get("schema")
    if type(schema) is int and schema != SCHEMA_VERSION:
        # Another format version means other keys: nothing else is worth saying.
        return None, [
            Problem(
                file=COOPERATION_FILE,
                path="schema",
                message=message(
                    "this dikt reads spec format {version}, not {value}",
                    version=SCHEMA_VERSION,
                    value=describe(schema),
                ),
                code="E010",
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
    texts: Mapping[str, str] | None = None,
) -> Cooperation:
    """Structure parsed TOML documents into a model, collecting every problem.

    ``raw`` is the parsed ``cooperation.toml`` (None if it could not be
    parsed); ``members_raw`` maps a member file's name (``members/sande.toml``)
    to its parsed document; ``problems`` are those already found while reading;
    ``texts`` are the files' texts by name, which locate problems (line and
    column) and are kept as the model's ``sources``. Raises
    :class:`~dikt.errors.SpecError` with all of them.
    """
    found = list(problems or [])
    cooperation = None
    if raw is not None:
        cooperation, more = _structure_cooperation_file(raw)
        found += more
    members, files, more = _structure_members(members_raw)
    found += more
    found, aside = _candidates_aside(found, members_raw, texts or {})
    if found or cooperation is None:
        language = None if raw is None else raw.get("language")
        every = [*found, *(p for entry in aside.values() for p in entry.problems)]
        raise SpecError(
            in_order(locate(every, texts or {})),
            language=language if language in LANGUAGES else None,
        )
    aside = {
        member_id: attrs.evolve(entry, problems=tuple(locate(entry.problems, texts or {})))
        for member_id, entry in aside.items()
    }
    # By file: a candidate's file may give another id than its name (E009).
    members = {key: value for key, value in members.items() if member_stem(files[key]) not in aside}
    loaded = attrs.evolve(cooperation, members=members, sources=texts or {}, set_aside=aside)
    return set_aside(loaded)


def _candidates_aside(
    problems: list[Problem],
    members_raw: Mapping[str, Mapping[str, Any]],
    texts: Mapping[str, str],
) -> tuple[list[Problem], dict[str, SetAside]]:
    """The problems of the members' part, and the candidates set aside for theirs.

    A member file that says ``status = "candidate"`` is a candidate's, and
    what is wrong in it stops only the what-ifs with it; a file whose status
    cannot be read is taken at its worst, as a member's.
    """
    by_file: dict[str, list[Problem]] = {}
    kept = []
    for problem in problems:
        document = members_raw.get(problem.file)
        if document is None and problem.file != COOPERATION_FILE:
            document = _top_level(texts.get(problem.file))
        if document is not None and document.get("status") == "candidate":
            by_file.setdefault(problem.file, []).append(problem)
        else:
            kept.append(problem)
    aside = {}
    for file, found in sorted(by_file.items()):
        document = members_raw.get(file) or _top_level(texts.get(file)) or {}
        joined, named = document.get("joined"), document.get("id")
        member_id = member_stem(file)
        aside[member_id] = SetAside(
            id=member_id,
            problems=tuple(found),
            joined=joined if type(joined) is dt.date else None,
            dated="joined" in document,
            named=named if isinstance(named, str) and named != member_id else None,
        )
    return kept, aside


#: A table header, which ends a TOML file's top-level keys.
_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _top_level(text: str | None) -> dict[str, Any] | None:
    """The top-level keys of a member file that is not valid TOML, where those can be read.

    The keys before the first table header are parsed alone: a file whose
    syntax error lies further down still says whether it is a candidate's
    (``status``), and when it joins. None if they cannot be read either.
    """
    if text is None:
        return None
    match = _HEADER.search(text)
    return _parse(text[: match.start()] if match else text, "")[0]


def _parse_all(
    texts: Mapping[str, str], problems: list[Problem]
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
    """Parse the cooperation file and the member files, adding to ``problems``."""
    raw = None
    members_raw: dict[str, dict[str, Any]] = {}
    for file, text in texts.items():
        document, found = _parse(text, file)
        problems += found
        if document is None:
            continue
        if file == COOPERATION_FILE:
            raw = document
        else:
            members_raw[file] = document
    return raw, members_raw


def load_texts(cooperation_text: str, member_texts: Mapping[str, str]) -> Cooperation:
    """Load a spec from the texts of its files (``members/ID.toml`` -> text).

    The same checks as :func:`load`, for specs that do not live on disk.
    """
    texts = {COOPERATION_FILE: cooperation_text.removeprefix(_BOM)}
    texts |= {file: text.removeprefix(_BOM) for file, text in sorted(member_texts.items())}
    problems: list[Problem] = []
    raw, members_raw = _parse_all(texts, problems)
    return structure_cooperation(raw, members_raw, problems, texts)


def load(spec: str | os.PathLike[str]) -> Cooperation:
    """Load a spec directory (or its ``cooperation.toml``) into a frozen model.

    Raises :class:`~dikt.errors.SpecError` listing every problem found, each
    with its file (relative to the spec's directory), key path, code, line
    and column.
    """
    try:
        return _load(spec)
    except SpecError as error:
        raise SpecError(error.problems, os.fspath(spec), error.language) from None


def _load(spec: str | os.PathLike[str]) -> Cooperation:
    root, cooperation_path = _spec_paths(spec)
    file = cooperation_path.name
    if file != COOPERATION_FILE:
        raise SpecError(
            [
                Problem(
                    file=file,
                    message=message(
                        "not a spec: a spec is a directory with a cooperation.toml, "
                        "named by the directory or by its cooperation.toml"
                    ),
                    code="E001",
                )
            ]
        )
    if os.path.isdir(root) and not _searchable(root):  # noqa: PTH112 - as in _spec_paths
        raise SpecError([_unsearchable(".")])
    kind = _kind(cooperation_path)
    if kind is not None:
        refusal = (
            message("no such file: a spec is a directory with a cooperation.toml")
            if kind == "missing"
            else message("not a regular file: {kind}", kind=kind)
        )
        raise SpecError([Problem(file=file, message=refusal, code="E001")])
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    text, found = _read(cooperation_path, COOPERATION_FILE)
    problems += found
    if text is not None:
        texts[COOPERATION_FILE] = text
    files, found = _member_files(root)
    problems += found
    if len(files) > MAX_MEMBER_FILES:
        problems.append(
            Problem(
                file=MEMBERS_DIR,
                message=message(
                    "{count} member files; a spec may have at most {most}, so none was read",
                    count=len(files),
                    most=MAX_MEMBER_FILES,
                ),
                code="E001",
            )
        )
        files = []
    total = _size(cooperation_path)
    for path, name in files:
        text, found = _read(path, name)
        problems += found
        if text is None:
            continue
        total += _size(path)
        if total > MAX_SPEC_BYTES:
            problems.append(
                Problem(
                    file=name,
                    message=message(
                        "the spec's files hold more than {most} bytes together, the most a "
                        "spec may hold; this file and those after it were not read",
                        most=MAX_SPEC_BYTES,
                    ),
                    code="E001",
                )
            )
            break
        texts[name] = text
    raw, members_raw = _parse_all(texts, problems)
    return structure_cooperation(raw, members_raw, problems, texts)
