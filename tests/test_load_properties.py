"""Properties of loading: round trips, and no crash on any input."""

from __future__ import annotations

import functools
import typing
from pathlib import Path
from typing import Any

import attrs
import tomli
import tomli_w
from hypothesis import given, strategies as st

import dikt
from dikt import Cooperation, SpecError, _load, model
from dikt._fieldtypes import bounds_of

from .conftest import EXAMPLE
from .strategies import cooperations, toml_documents, toml_values


def _files(cooperation: Cooperation) -> tuple[str, dict[str, str]]:
    files = dikt.dumps(cooperation)
    return files.pop("cooperation.toml"), files


@given(cooperations())
def test_a_valid_model_written_and_read_back_is_equal(cooperation: Cooperation) -> None:
    text, members = _files(cooperation)
    assert dikt.load_texts(text, members) == cooperation


@given(cooperations())
def test_a_valid_model_written_to_disk_and_loaded_is_equal(
    cooperation: Cooperation,
) -> None:
    import tempfile  # noqa: PLC0415 - hypothesis forbids function-scoped tmp_path

    with tempfile.TemporaryDirectory() as directory:
        dikt.dump(cooperation, directory)
        assert dikt.load(directory) == cooperation


def test_dump_never_overwrites(tmp_path: Path) -> None:
    cooperation = dikt.load(EXAMPLE)
    (tmp_path / "cooperation.toml").write_text("mine", encoding="utf-8")
    try:
        dikt.dump(cooperation, tmp_path)
    except FileExistsError:
        pass
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("dump overwrote a file")
    assert (tmp_path / "cooperation.toml").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "members").exists()


def _analyse(text: str, members: dict[str, str]) -> None:
    """Load, then check and graph: only SpecError may come out."""
    try:
        cooperation = dikt.load_texts(text, members)
    except SpecError as error:
        problems = error.problems
    else:
        dikt.check(cooperation)
        dikt.build_graph(cooperation)
        return
    assert problems
    assert all(p.file for p in problems)


@given(toml_documents(), st.dictionaries(st.sampled_from(["a", "b"]), toml_documents()))
def test_any_toml_document_raises_nothing_but_spec_error(
    cooperation: dict[str, Any], members: dict[str, dict[str, Any]]
) -> None:
    _analyse(
        tomli_w.dumps(cooperation),
        {f"members/{k}.toml": tomli_w.dumps(v) for k, v in members.items()},
    )


@functools.cache
def _example_documents() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The example's files as TOML documents, read once: nothing changes them in
    place (``_mutate`` copies what it changes)."""
    cooperation = tomli.loads((EXAMPLE / "cooperation.toml").read_text(encoding="utf-8"))
    members = {
        f"members/{p.name}": tomli.loads(p.read_text(encoding="utf-8"))
        for p in sorted((EXAMPLE / "members").glob("*.toml"))
    }
    return cooperation, members


def _paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, (*prefix, index))
    return found


@functools.cache
def _example_paths(file: str) -> tuple[tuple[Any, ...], ...]:
    """The key paths of one of the example's files (not the top), found once."""
    cooperation, members = _example_documents()
    return tuple(_paths({"cooperation.toml": cooperation, **members}[file])[1:])


def _mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value if action == "replace" else document
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if not rest and action == "delete":
            del copy[head]
        elif not rest and action == "add":
            copy[str(value)[:6] or "x"] = value
        else:
            copy[head] = _mutate(copy[head], rest, action, value)
        return copy
    copy_list = list(document)
    if not rest and action == "delete":
        del copy_list[head]
    else:
        copy_list[head] = _mutate(copy_list[head], rest, action, value)
    return copy_list


@st.composite
def mutated_examples(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The example's documents with a few keys replaced, deleted or added."""
    cooperation, members = _example_documents()
    documents: dict[str, Any] = {"cooperation.toml": cooperation, **members}
    example = dict(documents)
    for _ in range(draw(st.integers(1, 4))):
        file = draw(st.sampled_from(sorted(documents)))
        unchanged = documents[file] is example[file]
        paths = _example_paths(file) if unchanged else tuple(_paths(documents[file])[1:])
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        value = draw(toml_values())
        documents[file] = _mutate(documents[file], path, action, value)
    cooperation = documents.pop("cooperation.toml")
    return cooperation, documents


@given(mutated_examples())
def test_a_mutated_example_raises_nothing_but_spec_error(
    documents: tuple[dict[str, Any], dict[str, dict[str, Any]]],
) -> None:
    cooperation, members = documents
    _analyse(tomli_w.dumps(cooperation), {k: tomli_w.dumps(v) for k, v in members.items()})


@given(st.data())
def test_a_mangled_example_text_raises_nothing_but_spec_error(data: st.DataObject) -> None:
    texts = {
        "cooperation.toml": (EXAMPLE / "cooperation.toml").read_text(encoding="utf-8"),
        "members/sande.toml": (EXAMPLE / "members" / "sande.toml").read_text(encoding="utf-8"),
    }
    file = data.draw(st.sampled_from(sorted(texts)))
    text = texts[file]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    texts[file] = text[:start] + data.draw(st.text(max_size=10)) + text[end:]
    cooperation = texts.pop("cooperation.toml")
    _analyse(cooperation, texts)


def test_the_example_round_trips() -> None:
    cooperation = dikt.load(EXAMPLE)
    text, members = _files(cooperation)
    assert dikt.load_texts(text, members) == cooperation
    assert attrs.evolve(cooperation) == cooperation


# -- the fast path agrees with the strict structurer ------------------------------------

STRICT = _load._make_converter(fast_path=False)
FAST_CLASSES = [
    cl
    for cl in vars(model).values()
    if isinstance(cl, type) and attrs.has(cl) and _load._fast_path(cl) is not None
]
_FIELD_VALUES = (
    st.text(max_size=6)
    | st.integers(-3, 3)
    | st.sampled_from([0, 10**9, 10**9 + 1, 1899, 1900, 2200, 2201, True, False, None])
    | toml_values()
)


def _valid(field: attrs.Attribute[Any], tp: Any) -> st.SearchStrategy[Any]:
    """Values the strict hooks accept for a field, and just past its bounds."""
    if tp is int:
        low, high = bounds_of(field)
        # The edges and just past them: where a second structurer would drift.
        return st.integers(low, high) | st.sampled_from([low - 1, low, high, high + 1])
    return st.text(max_size=6)


@st.composite
def _tables_for(draw: st.DrawFn, cl: type) -> dict[str, Any]:
    """Tables for ``cl``, most of them valid or nearly so, some anything."""
    hints = typing.get_type_hints(cl)
    fields = {a.name: a for a in attrs.fields(cl)}
    required = [n for n, a in fields.items() if a.default is attrs.NOTHING]
    keys = [n for n in fields if n in required or draw(st.booleans())]
    keys = draw(st.permutations(keys).map(lambda ks: ks[: len(ks) - draw(st.integers(0, 1))]))
    if draw(st.integers(0, 4)) == 0:
        keys.append("extra")
    mostly_valid = st.sampled_from([True, True, True, False])
    return {
        key: draw(
            _valid(fields[key], hints[key])
            if key in fields and draw(mostly_valid)
            else _FIELD_VALUES
        )
        for key in keys
    }


TABLES = st.sampled_from(FAST_CLASSES).flatmap(lambda cl: st.tuples(st.just(cl), _tables_for(cl)))


def test_the_fast_path_serves_the_hot_classes() -> None:
    assert model.Usage in FAST_CLASSES


@given(TABLES)
def test_the_fast_path_returns_what_the_strict_structurer_does_or_hands_over(
    case: tuple[type, dict[str, Any]],
) -> None:
    cl, table = case
    key_field = _load._from_key_field(cl)
    # A table named by its key: the key is a TOML key (a string), checked as an id first.
    key = table.pop(key_field, None) if key_field else None
    if key_field and not (isinstance(key, str) and _load._valid_id(key)):
        key = "IT141"
    made = _load._fast_path(cl)(table, key)  # type: ignore[misc]
    if made is None:
        return  # handed to the strict structurer, whose messages are precise
    assert STRICT.structure({**table, key_field: key} if key_field else table, cl) == made
