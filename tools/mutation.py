"""Mutation testing of dikt's rule modules with mutmut, one module at a time.

    nice -n 10 .venv/bin/python tools/mutation.py money fleet
    .venv/bin/python tools/mutation.py --list

Each module is mutated in its own copy of the repository (the files git
tracks, under ``--workdir``, default ``.mutation/``), so that runs never touch
the working tree and a module's results survive for the next run (mutmut
only tests the mutants it has not tested yet). The tests run are the ones
that are about the module (``MODULES``): a mutant they do not kill survives
even if some other test would kill it, so the score is a lower bound. The
score is killed / (killed + survived), timeouts counted as killed (the
mutant made the tests hang) and mutants no test reaches as survived.
Needs ``pip install -e '.[mutation]'``. Too slow for every CI run: run it
before resolving a change to a rule, and list the equivalent survivors in
docs/testing.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Each rule module: its file and the tests that are about it.
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "money": (
        "dikt/money.py",
        (
            "tests/test_money.py",
            "tests/test_oracle_allocation.py",
            "tests/test_allocation.py",
            "tests/test_load.py",
            "tests/test_load_properties.py",
            "tests/test_i18n.py",
        ),
    ),
    "fleet": ("dikt/fleet.py", ("tests/test_oracle_fleet.py", "tests/test_joining.py")),
    "allocation": (
        "dikt/allocation.py",
        (
            "tests/test_oracle_allocation.py",
            "tests/test_oracle_diff.py",
            "tests/test_allocation.py",
            "tests/test_leaving_obligations.py",
            "tests/test_years.py",
        ),
    ),
    "fair": (
        "dikt/fair.py",
        (
            "tests/test_oracle_core.py",
            "tests/test_oracle_keys.py",
            "tests/test_fair.py",
            "tests/test_fair_shares.py",
        ),
    ),
    "joining": (
        "dikt/joining.py",
        (
            "tests/test_joining.py",
            "tests/test_oracle_fleet.py",
            # What moves over with a candidate, priced by the cost models.
            "tests/test_costs.py",
            # The what-ifs' refusals: a candidate without a date, `join --year` out of bounds.
            "tests/test_whatif.py",
            "tests/test_candidate_file.py",
        ),
    ),
    "checks": (
        "dikt/checks.py",
        (
            "tests/test_check.py",
            "tests/test_oracle_cost_model.py",
            "tests/test_load.py",
            # The checks of joining, leaving and merging (E180 to E193) are tested
            # with the what-ifs they guard.
            "tests/test_years.py",
            "tests/test_changes.py",
            "tests/test_whatif.py",
            # E185, the parts of members that have left, with the rule they guard.
            "tests/test_leaving_obligations.py",
        ),
    ),
    # The checks of one member's file (moved out of checks.py so that loading can judge a
    # candidate's file alone): unknown systems and domains, roles, own-system cycles.
    "memberfile": (
        "dikt/_memberfile.py",
        (
            "tests/test_check.py",
            "tests/test_candidate_file.py",
            "tests/test_load.py",
            "tests/test_leaving_obligations.py",  # E183, E184, W232: obligations
        ),
    ),
    # The one cost function: its oracle, its properties, and the core's oracle of c(S),
    # which prices the cost items it builds.
    "costs": (
        "dikt/costs.py",
        (
            "tests/test_oracle_costs.py",
            "tests/test_costs.py",
            "tests/test_oracle_core.py",
            "tests/test_fair_shares.py",
        ),
    ),
    "changes": (
        "dikt/changes.py",
        (
            "tests/test_oracle_changes.py",
            "tests/test_changes.py",
            "tests/test_changes_words.py",
            "tests/test_leaving_obligations.py",
        ),
    ),
    "harmonisation": (
        "dikt/harmonisation.py",
        ("tests/test_oracle_harmonisation.py", "tests/test_harmonisation.py"),
    ),
    # The year's cycle (docs/year.md): the settlement by actual costs and the invoices on
    # account, with a member that has left (its obligations) among them.
    "settlement": (
        "dikt/settlement.py",
        (
            "tests/test_oracle_year.py",
            "tests/test_settlement.py",
            "tests/test_leaving_obligations.py",
        ),
    ),
    "invoicing": (
        "dikt/invoicing.py",
        (
            "tests/test_oracle_year.py",
            "tests/test_invoicing.py",
            "tests/test_leaving_obligations.py",
        ),
    ),
    # The 4-year plan (docs/plan.md): its years, growth, members joining and leaving, fleets.
    "economic_plan": (
        "dikt/economic_plan.py",
        (
            "tests/test_oracle_year.py",
            "tests/test_plan.py",
            "tests/test_years.py",
            "tests/test_oracle_fleet.py",
        ),
    ),
    "csv": ("dikt/writers/csv.py", ("tests/test_oracle_csv.py", "tests/test_output.py")),
    "xlsx": ("dikt/writers/xlsx.py", ("tests/test_xlsx_cells.py", "tests/test_xlsx.py")),
}

#: Tests that read dikt's source text: mutmut's copy holds every mutant's text beside
#: the original (the catalog check finds a hundred "messages" no one wrote).
DESELECT = (
    "tests/test_i18n.py::test_the_catalog_holds_exactly_the_messages_of_the_code",
    # typst's PDF writer hangs in mutmut's forked worker (its thread pool, started in the
    # parent by the first run of the tests, does not survive a fork): every mutant the
    # test reached timed out, and was counted killed. The letter's text is tested apart.
    "tests/test_settlement.py::test_the_letter_in_html_and_pdf",
)

#: mutmut's exit codes of a tested mutant (mutmut.stats.status_by_exit_code).
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # a failing test, a crash, a timeout
SURVIVED = {0, 5, 33}  # the tests passed, or none reached it

CONFIG = """
[tool.mutmut]
# The whole package is copied (so that the mutated module is imported, not the
# installed one); only the module is mutated.
source_paths = ["dikt"]
only_mutate = [{path!r}]
pytest_add_cli_args_test_selection = {tests!r}
# One process (the CPU is shared); no distribution of tests over workers.
pytest_add_cli_args = ["-n", "0", "-p", "no:cacheprovider", "-q", "--no-header", "-x", {deselect}]
# A mutant times out after (the tests' estimated time + this) x 15 seconds of wall time,
# and a timeout counts as killed. With mutmut's default of 1, a mutant whose tests were
# estimated at 0.05 s had 16 s: little on a machine shared with other runs. 10 gives it
# 150 s (a mutant that really hangs costs that much).
timeout_constant = 10.0
# mutmut copies the package's other files (the catalogs) only once: copied again,
# so that a message changed since the first run is not checked against a stale one.
also_copy = ["specs", "docs", "tools", "tests", "README.md", "babel.cfg", "dikt/locale"]
"""


def prepare(module: str, workdir: Path) -> Path:
    """A copy of the repository's tracked files with mutmut set up for ``module``."""
    path, tests = MODULES[module]
    target = workdir / module
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source, copy = ROOT / name.decode(), target / name.decode()
        if source.is_file() and (not copy.exists() or copy.read_bytes() != source.read_bytes()):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
    # The compiled catalog is not tracked in every checkout; dikt needs it to speak bokmål.
    for mo in (ROOT / "dikt" / "locale").rglob("*.mo"):
        copy = target / mo.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(mo, copy)
    pyproject = target / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    deselect = ", ".join(f'"--deselect", "{test}"' for test in DESELECT)
    text += CONFIG.format(path=path, tests=list(tests), deselect=deselect).replace("'", '"')
    pyproject.write_text(text, encoding="utf-8")
    return target


def _verdicts(module: str, target: Path) -> dict[str, int | None]:
    """mutmut's exit code of each mutant of ``module`` (None: not run)."""
    meta = target / "mutants" / (MODULES[module][0] + ".meta")
    verdicts: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))[
        "exit_code_by_key"
    ]
    return verdicts


def sample(module: str, target: Path, size: int, seed: int) -> list[str]:
    """``size`` of the module's mutants drawn at random, the same for the same seed."""
    if not _has_results(module, target):
        sys.exit(f"{module}: no mutants named yet: start a run and stop it (Ctrl-C) first")
    names = sorted(_verdicts(module, target))
    return sorted(random.Random(seed).sample(names, min(size, len(names))))


def score(
    module: str, target: Path, chosen: list[str] | None = None
) -> tuple[int, int, int, list[str]]:
    """(killed, survived, not run, the surviving mutants' names) from mutmut's results.

    Mutants not run are those mutmut never got to (an interrupted run, or
    tests that failed before any mutant was tried): they count for nothing.
    ``chosen``: only those mutants (a sample).
    """
    verdicts = _verdicts(module, target)
    if chosen is not None:
        verdicts = {name: verdicts.get(name) for name in chosen}
    killed = survived = not_run = 0
    survivors = []
    for name, code in sorted(verdicts.items()):
        if code in KILLED:
            killed += 1
        elif code in SURVIVED:
            survived += 1
            survivors.append(name)
        else:
            not_run += 1
    return killed, survived, not_run, survivors


def _has_results(module: str, target: Path) -> bool:
    return (target / "mutants" / (MODULES[module][0] + ".meta")).exists()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".mutation")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--list", action="store_true", help="the modules and their tests")
    parser.add_argument(
        "--report", action="store_true", help="only the scores of earlier runs, run nothing"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only the mutants whose names match (fnmatch, e.g. 'dikt.fair.x_core*'); "
        "the others are left as they were",
    )
    parser.add_argument(
        "--profile",
        default="ci",
        help="the hypothesis profile of the tests (default: ci, as every CI run; "
        "'mutation' has 20 examples a property, for a first pass over a large module)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="only N of the module's mutants drawn at random (seeded by --seed; an "
        "earlier run, even one stopped at once, must have named them), scored alone: "
        "an estimate for a module too slow to run whole",
    )
    parser.add_argument("--seed", type=int, default=28, help="of --sample (default: 28)")
    parser.add_argument(
        "--again",
        action="store_true",
        help="try only the earlier run's survivors again (after new tests)",
    )
    args = parser.parse_args()
    if args.list:
        for module, (path, tests) in MODULES.items():
            print(f"{module}: {path} <- {' '.join(tests)}")
        return 0
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}")
    mutmut = Path(sys.executable).with_name("mutmut")
    rows = []
    for module in args.modules or list(MODULES):
        target = args.workdir / module
        if not args.report:
            target = prepare(module, args.workdir)
            print(f"== {module}: mutmut run in {target}", flush=True)
            environment = {**os.environ, "HYPOTHESIS_PROFILE": args.profile}
            # mutmut keeps a verdict once given; survivors named again are tried again.
            again = score(module, target)[3] if args.again and _has_results(module, target) else []
            if args.again and not again:
                print(f"{module}: no survivors to try again")
                continue
            if args.sample:
                again = sample(module, target, args.sample, args.seed)
            elif args.only:
                again = [
                    name
                    for name in again or args.only
                    if not args.again or any(fnmatch.fnmatch(name, p) for p in args.only)
                ]
            subprocess.run(
                [str(mutmut), "run", "--max-children", str(args.max_children), *again],
                cwd=target,
                env=environment,
                check=False,
            )
        if not _has_results(module, target):
            print(f"{module}: no results (run it first)")
            continue
        chosen = sample(module, target, args.sample, args.seed) if args.sample else None
        killed, survived, not_run, survivors = score(module, target, chosen)
        rows.append((module if chosen is None else f"{module}*", killed, survived, not_run))
        for name in survivors:
            print(f"  survived: {name}")
    print(f"\n{'module':<12}{'killed':>8}{'survived':>10}{'not run':>9}{'score':>9}")
    for module, killed, survived, not_run in rows:
        total = killed + survived
        shown = f"{100 * killed / total:.1f} %" if total else "-"
        print(f"{module:<12}{killed:>8}{survived:>10}{not_run:>9}{shown:>9}")
    if args.sample:
        print(f"* a sample of {args.sample} mutants (seed {args.seed}), not the whole module")
    return 0


if __name__ == "__main__":
    sys.exit(main())
