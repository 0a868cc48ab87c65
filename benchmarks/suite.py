"""Benchmark: the test suite's time, against an earlier commit in the same hour.

The bound is on pytest's own count ("N passed in X s") on 2 cores, but this
machine's speed moves by a fifth from one hour to the next: a figure alone
says little. This runs the suite of an earlier commit (in a temporary git
worktree) and of the working tree in turns, with the same interpreter and
options, and prints both with their ratio.

    python benchmarks/suite.py [--base 96ab523] [--repeat 2]

Each run is the README's test command (``python -m pytest``, every core),
with ``-q -p no:cacheprovider`` so that no run leaves a cache for the next.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_COUNT = re.compile(r"(\d+) passed.* in ([\d.]+)s")


def suite_time(tree: Path) -> tuple[int, float]:
    """(tests passed, pytest's seconds) of one run of the suite in ``tree``."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    match = _COUNT.search(last)
    if done.returncode != 0 or match is None:
        raise SystemExit(f"the suite in {tree} did not pass: {last or done.stderr[-500:]}")
    return int(match.group(1)), float(match.group(2))


def main() -> None:
    """Time the suite of ``--base`` and of the working tree in turns; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="96ab523", help="the earlier commit (%(default)s)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"base": [], "now": []}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="dikt-suite-") as scratch:
        base = Path(scratch) / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base), args.base],
            check=True,
        )
        try:
            for _ in range(args.repeat):
                for name, tree in (("base", base), ("now", ROOT)):
                    counts[name], seconds = suite_time(tree)
                    times[name].append(seconds)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True
            )
    print(f"| suite | tests | pytest, median of {args.repeat} (s) | runs (s) |")
    print("|---|---:|---:|---|")
    for name, label in (("base", args.base), ("now", "working tree")):
        runs = ", ".join(f"{t:.1f}" for t in times[name])
        print(f"| {label} | {counts[name]} | {statistics.median(times[name]):.1f} | {runs} |")
    ratio = statistics.median(times["now"]) / statistics.median(times["base"])
    print(f"\nRatio now / {args.base}: {ratio:.2f} (in the hour measured; the bound is 60 s)")


if __name__ == "__main__":
    main()
