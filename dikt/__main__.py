"""``python -m dikt``: the same as the ``dikt`` command."""

from dikt.cli import run

if __name__ == "__main__":
    run()
