"""Sphinx configuration of dikt's documentation.

Build: ``python -m sphinx -W -b html docs docs/_build/html``.
"""

from __future__ import annotations

import re

import click
from sphinx.application import Sphinx

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
# The API page documents some 1 100 objects. As entries of its table of contents
# they made a sidebar no one scrolls, and furo copies the whole table into every
# page: a third of the build's time (18 s instead of 12). The index and the
# search find an object; the page's contents list its modules.
toc_object_entries = False
# Nothing is fetched while building: the docs build offline.
intersphinx_mapping: dict[str, tuple[str, None]] = {}


# -- the command-line reference ---------------------------------------------------------------
# sphinx-click reads the commands' help as reStructuredText, but it is written for a
# terminal: "--format" would become an en dash ("–format") and "FILE:LINE:COLUMN" a link
# to nowhere. Here they become literals, as do commands quoted as click quotes them
# ('dikt check'), so that what is copied from the page runs.

_QUOTED_COMMAND = re.compile(r"'(dikt(?: [^'\n]+)?)'")
_PLACEHOLDER = re.compile(r"(?<![\w`-])([A-Z]+(?::[A-Z]+)+)(?![\w`])")
_OPTION = re.compile(r"(?<![\w`-])(--[a-z][a-z0-9-]*)(?: ([A-Z][\w.]*|[a-z]+))?")


def _choices(ctx: click.Context, name: str) -> tuple[str, ...]:
    for param in ctx.command.params:
        if name in getattr(param, "opts", ()) and isinstance(param.type, click.Choice):
            return tuple(str(choice) for choice in param.type.choices)
    return ()


def _literal_text(ctx: click.Context, text: str) -> str:
    def option(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if value and (value[0].isupper() or value in _choices(ctx, name)):
            return f"``{name} {value}``"
        return f"``{name}``" + (f" {value}" if value else "")

    parts = re.split(r"(``[^`]+``)", _QUOTED_COMMAND.sub(r"``\1``", text))
    return "".join(
        part if part.startswith("``") else _OPTION.sub(option, _PLACEHOLDER.sub(r"``\1``", part))
        for part in parts
    )


def _literals(app: Sphinx, ctx: click.Context, lines: list[str]) -> None:  # noqa: ARG001
    for index, line in enumerate(lines):
        if line.lstrip().startswith((".. ", ":")):
            continue  # a directive (.. option:: --format) or a field (:default:)
        lines[index] = _literal_text(ctx, line)


def setup(app: Sphinx) -> None:
    """Connect the reference's help texts to :func:`_literals`."""
    for event in ("description", "options", "arguments", "epilog"):
        app.connect(f"sphinx-click-process-{event}", _literals)
