"""Console blocks of the docs, run for real: every ``$ dikt ...`` and what it prints.

A block is a fenced ``console`` block of Markdown: lines starting with ``$ ``
are commands, the lines after them their output. In the expected output a
line ``...`` stands for any number of lines, and a line ending in ``  ...``
for any line that starts with what comes before it (a table cut at the
right). Commands run in a given directory through the command line itself
(click's runner), with no terminal width, as when the output is piped.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from dikt.cli import main

__all__ = ["Command", "commands", "mismatch", "output_of"]

_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)

Command = tuple[str, list[str]]


def commands(markdown: str) -> list[Command]:
    """Every command of the console blocks, with the lines shown after it."""
    found: list[Command] = []
    for block in _BLOCK.findall(markdown):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return found


@contextmanager
def _inside(directory: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


def output_of(command: str, directory: Path) -> list[str]:
    """What a ``dikt ...`` command prints (stdout, then stderr), as lines."""
    argv = shlex.split(command)
    assert argv[0] == "dikt", f"only dikt commands run here: {command}"
    assert not {"|", ">", "<", "&&"} & set(argv), f"no shell in a console block: {command}"
    with _inside(directory):
        result = CliRunner(env={"COLUMNS": None}).invoke(main, argv[1:])
    return (result.stdout + result.stderr).splitlines()


def mismatch(expected: list[str], actual: list[str]) -> str | None:
    """Where ``actual`` does not fit ``expected`` (with its elisions), or None."""
    if _fits(expected, actual):
        return None
    return "expected:\n" + "\n".join(expected) + "\n\nactual:\n" + "\n".join(actual)


def _fits(expected: list[str], actual: list[str]) -> bool:
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(_fits(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    cut = head.endswith("  ...")
    ok = actual[0].startswith(head[: -len("  ...")]) if cut else actual[0] == head
    return ok and _fits(rest, actual[1:])
