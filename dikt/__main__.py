"""``python -m dikt``: the same as the ``dikt`` command."""

from dikt.cli import main

if __name__ == "__main__":
    main()
