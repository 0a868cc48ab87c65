"""The ``dikt`` command: a thin click layer over the library.

Each command is options, one library call and one view written in a format. Library errors
become a clean message and a documented exit code, never a traceback:

- 0: success;
- 1: the spec loaded, but ``check`` found errors, or a command could not
  compute (for instance an application with a cost and no users);
- 2: the spec could not be read or is invalid, the command line is wrong, or
  the output cannot be written (a full disk).

The commands live in a module per group (:mod:`dikt.cli.spec`,
:mod:`dikt.cli.budget`, :mod:`dikt.cli.portfolio`,
:mod:`dikt.cli.membership`, :mod:`dikt.cli.changes`, :mod:`dikt.cli.sheets`, :mod:`dikt.cli.year`);
what they share (the group, options, errors and output) in
:mod:`dikt.cli._common`. Heavy modules (cattrs, networkx) are
imported inside the commands, so that ``dikt --help`` starts fast.
"""

from __future__ import annotations

# Importing a command module registers its commands with the group.
from dikt.cli import (
    budget as budget,
    changes as changes,
    membership as membership,
    portfolio as portfolio,
    sheets as sheets,
    spec as spec,
    year as year,
)
from dikt.cli._common import (
    EXIT_FINDINGS as EXIT_FINDINGS,
    EXIT_INVALID as EXIT_INVALID,
    EXIT_OK as EXIT_OK,
    main as main,
    run as run,
)

__all__ = ["EXIT_FINDINGS", "EXIT_INVALID", "EXIT_OK", "main", "run"]
