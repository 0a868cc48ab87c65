"""The public Python API: everything in __all__ is importable and documented."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import dikt

from .conftest import EXAMPLE, ROOT


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


def test_the_repr_of_a_large_result_is_short_and_useful() -> None:
    cooperation = dikt.load(EXAMPLE)
    allocation = dikt.allocate(cooperation)
    assert repr(allocation) == (
        "Allocation(cooperation_id='d-ikt', name='Drammensregionens IKT', year=2012, "
        "currency='NOK', total=Money('63000000.00'), members=<4 entries>, splits=<37 entries>)"
    )
    for value in (
        cooperation,
        dikt.plan(cooperation),
        dikt.join(cooperation, "nedre-eiker"),
        dikt.gaps(cooperation, "sande"),
        dikt.roadmap(cooperation, "sande"),
        dikt.matrix(cooperation),
        dikt.impact(cooperation, "IT192"),
        dikt.diff(allocation, allocation),
    ):
        assert len(repr(value)) < 400, type(value)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_checks_is_a_leaf_that_no_analysis_imports() -> None:
    """Only the edges (the package, the CLI, the Sphinx extension) import the checks."""
    edges = {"__init__.py", "sphinxext.py"}
    for path in sorted((ROOT / "dikt").glob("*.py")):
        if path.name not in edges and path.name != "checks.py":
            assert "dikt.checks" not in _imports(path), path.name


def test_the_edges_use_only_the_public_api() -> None:
    """The CLI and the Sphinx extension import no private module of dikt.

    The CLI's modules share the package's own ``dikt.cli._common``.
    """
    edges = [ROOT / "dikt" / "sphinxext.py", *sorted((ROOT / "dikt" / "cli").glob("*.py"))]
    for path in edges:
        private = {m for m in _imports(path) if m.startswith("dikt._")}
        assert private == set(), path.name


def test_every_name_the_docs_use_is_public() -> None:
    """`dikt.NAME` in the docs' and README's Python is in dikt.__all__."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    texts.append((ROOT / "README.md").read_text(encoding="utf-8"))
    used = set()
    for text in texts:
        for block in re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL):
            used.update(re.findall(r"\bdikt\.([A-Za-z_]+)\b", block))
            for module, names in re.findall(r"from dikt(\.[a-z_]+)? import ([^\n]+)", block):
                assert not module, f"the docs import from dikt{module}: use dikt.NAME"
                used.update(n.strip() for n in names.split(","))
    assert used
    assert used <= set(dikt.__all__), used - set(dikt.__all__)
