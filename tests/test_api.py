"""The public Python API: everything in __all__ is importable and documented."""

from __future__ import annotations

import inspect

import pytest

import dikt


@pytest.mark.parametrize("name", dikt.__all__)
def test_every_public_name_is_importable_and_documented(name: str) -> None:
    value = getattr(dikt, name)
    if callable(value):  # data (CODES, __version__) is documented where it is defined
        assert inspect.getdoc(value), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dikt.nope  # type: ignore[attr-defined]  # noqa: B018


def test_dir_lists_the_public_names() -> None:
    assert set(dikt.__all__) <= set(dir(dikt))
