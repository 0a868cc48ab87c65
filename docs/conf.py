"""Sphinx configuration of dikt's documentation.

Build: ``python -m sphinx -W -b html docs docs/_build/html``.
"""

from __future__ import annotations

from dikt import __version__

project = "dikt"
author = "The dikt developers"
copyright = "2026, the dikt developers"
release = version = __version__

extensions = [
    "myst_parser",
    "sphinx_click",
    "sphinx.ext.autodoc",
    "dikt.sphinxext",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "tutorial/spec", "README.md"]
# furo: readable tables, dark mode, search; well kept and known to Python users.
html_theme = "furo"
html_title = f"dikt {version}"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
# Nothing is fetched while building: the docs build offline.
intersphinx_mapping: dict[str, tuple[str, None]] = {}
