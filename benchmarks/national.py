"""Benchmark: a national-scale cooperation, and the CLI's start-up.

Generates a cooperation of 357 members (every Norwegian municipality of 2012
had its own file), 300 catalogue systems and about 100 000 usage entries,
writes it as TOML files, then times in one run:

- parsing the files with tomli alone (read + ``tomli.loads``, floats as
  Decimal, as the loader reads them): the floor no loader can go below;
- parsing plus building only the objects the model and the allocation hold
  (a ``Usage``, a ``Line`` and its ``Money`` per usage entry), unchecked:
  the floor no loader and allocator of this typed, frozen model can go below;
- ``dikt.load`` + ``dikt.check`` + ``dikt.allocate`` on the same files;
- importing the same spec from a workbook (``dikt.sheets.import_workbook``, what
  ``dikt import`` does: 357 members, 300 systems, 100 000 usage cells and their
  owners and managers) against loading it from TOML (aim: at most 3 x);
- the fair shares, and the what-ifs of a joining candidate (join, plan, the
  joining report's figures), with cost models on a third of the systems,
  join against ``dikt.allocate`` of the same spec (aim: at most 1.5 x);
- closing the year: ``dikt.settle`` with a ledger of 100 000 rows
  (``dikt.read_ledger``) against ``dikt.allocate``, in the library and end
  to end (``dikt settle --actuals`` against ``dikt allocate``);
- ``dikt --help`` against ``python -c "import click"`` as subprocesses.

It reports the best of several repeats and the ratios the issue aims for
(everything / parsing alone at most 1.35; --help / import click at most 1.3).

    python benchmarks/national.py [--members 357] [--systems 300] [--repeat 5] [--workbook-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import tomli

import dikt
from dikt import (
    Cooperation,
    Domain,
    Investment,
    Member,
    MemberStatus,
    Money,
    Package,
    Representatives,
    System,
    Usage,
)
from dikt._fast import constructor
from dikt.limits import MAX_MEMBER_FILES
from dikt.model import Category, CostModel
from dikt.money import money_of
from dikt.rules import needs
from dikt.sheets import export_workbook, import_workbook


def generate(members: int, systems: int, seed: int = 2012) -> Cooperation:
    """A sound cooperation of the given size; every member uses every application."""
    rng = random.Random(seed)
    domains = {f"d{i:02d}": Domain(id=f"d{i:02d}", name=f"Domain {i}") for i in range(20)}
    base_count = max(1, systems // 15)
    catalogue = {}
    for index in range(systems):
        system_id = f"S{index:04d}"
        catalogue[system_id] = System(
            id=system_id,
            name=f"System {index}",
            package=Package.BASE if index < base_count else Package.APPLICATION,
            domain=f"d{index % 20:02d}",
            annual_cost=Money(rng.randrange(10_000_00, 5_000_000_00)),
            depends_on=(f"S{rng.randrange(base_count):04d}",) if index >= base_count else (),
            coordinator="Rådgiver",
            operations="Driftsteknisk",
        )
    applications = [s for s in catalogue if catalogue[s].package is Package.APPLICATION]
    result: dict[str, Member] = {}
    for index in range(members):
        member_id = f"m{index:03d}"
        users = rng.randrange(200, 40_000)
        result[member_id] = Member(
            id=member_id,
            name=f"Kommune {index}",
            municipality_number=f"{1000 + index:04d}",
            status=MemberStatus.MEMBER,
            population=users * 4,
            employees=users // 4 + 1,
            users=users,
            representatives=Representatives(board="Rådmann", working_committee="IT-sjef"),
            systems={
                s: Usage(
                    system=s,
                    users=rng.randrange(1, 500),
                    owner="Kommunalsjef",
                    manager="Systemansvarlig",
                )
                for s in applications
            },
        )
    investments = tuple(
        Investment(
            id=f"core-{i}", category=Category.CORE, year=2012, amount=Money(rng.randrange(10**9))
        )
        for i in range(20)
    )
    return Cooperation(
        schema=1,
        id="norge",
        name="A national cooperation (generated)",
        budget_year=2012,
        currency="NOK",
        domains=domains,
        systems=catalogue,
        investments=investments,
        members=result,
    )


def with_cost_models(cooperation: Cooperation) -> dict[str, System]:
    """The catalogue with a cost model on every third system: half its cost per user."""
    systems = dict(cooperation.systems)
    for index, system_id in enumerate(sorted(systems)):
        if index % 3:
            continue
        users = sum(needs(cooperation, system_id).values())
        system = systems[system_id]
        per_user = Money(system.annual_cost.ore // (2 * max(users, 1)))
        systems[system_id] = attrs.evolve(system, cost_model=CostModel(per_user=per_user))
    return systems


def best_of(repeat: int, works: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The best wall time of each piece of work over ``repeat`` rounds, in seconds.

    The pieces run in turn within each round, so a slow spell of the machine
    hits them alike.
    """
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def without_gc(work: Callable[[], object]) -> Callable[[], object]:
    """The same work with the cyclic collector paused, as the `dikt` command runs.

    The library leaves the collector alone (no global state); the command,
    a process of its own, pauses it, since the collector's passes over some
    200 000 new objects free nothing.
    """

    def run() -> object:
        gc.disable()
        try:
            return work()
        finally:
            gc.enable()

    return run


def parse_only(directory: Path) -> None:
    """What any loader must do at least: read and parse every file."""
    tomli.loads((directory / "cooperation.toml").read_text("utf-8"), parse_float=Decimal)
    for path in sorted((directory / "members").glob("*.toml")):
        tomli.loads(path.read_text("utf-8"), parse_float=Decimal)


def objects_floor(directory: Path) -> None:
    """Parsing plus only building the objects the frozen model and the allocation hold.

    Each usage entry becomes a ``Usage`` and one allocation ``Line`` with its
    ``Money``, built the fastest way there is (through their slots), with no
    validation, no check, no arithmetic and no grouping: less than any loader
    and allocator of this model can do, so ``everything`` cannot go below it.
    """
    usage = constructor(Usage)
    line = constructor(dikt.Line)
    tomli.loads((directory / "cooperation.toml").read_text("utf-8"), parse_float=Decimal)
    lines = []
    for path in sorted((directory / "members").glob("*.toml")):
        table = tomli.loads(path.read_text("utf-8"), parse_float=Decimal)
        for key, entry in table["systems"].items():
            made = usage(key, entry["users"], entry["owner"], entry["manager"])
            lines.append(line(None, made.system, made.users, money_of(made.users), 1, 1))


def everything(directory: Path) -> None:
    """Load, check and allocate: the main job of `dikt allocate`."""
    cooperation = dikt.load(directory)
    problems = dikt.check(cooperation)
    assert not any(p.severity is dikt.Severity.ERROR for p in problems), problems[:3]
    dikt.allocate(cooperation)


def write_ledger(allocation: dikt.Allocation, path: Path, rows: int = 100_000) -> None:
    """A ledger as a Norwegian accounting system exports it: semicolons, ``1 234,56``."""
    rng = random.Random(12)
    codes = [
        f"{s.participants[0]}/{s.item}" if s.kind is dikt.LineKind.OWN_SYSTEM else s.item
        for s in allocation.splits
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Bilag;Prosjekt;Tekst;Beløp\r\n")
        for row in range(rows):
            ore = rng.randrange(1, 10**8)
            whole = f"{ore // 100:,}".replace(",", "\u00a0")
            out.write(f"{row};{rng.choice(codes)};Faktura {row};{whole},{ore % 100:02d}\r\n")


def settle_with_ledger(cooperation: Cooperation, ledger: Path) -> None:
    """Read a ledger and settle the year by it: the main job of `dikt settle --actuals`."""
    actuals = dikt.read_ledger(
        cooperation,
        ledger,
        cooperation.budget_year,
        project_column="Prosjekt",
        amount_column="Beløp",
    )
    dikt.settle(cooperation, actuals)


def command_best(argv: list[str], repeat: int) -> float:
    """The best wall time of a command run as a subprocess, its output thrown away."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def linear_growth(members: int, systems: int, repeat: int) -> float:
    """How much longer load + check + allocate takes with 4 x the members (4 x the usage rows)."""
    times = []
    for size in (members, 4 * members):
        directory = Path(tempfile.mkdtemp(prefix="dikt-bench-"))
        try:
            dikt.dump(generate(size, systems), directory)
            gc.collect()
            work = without_gc(functools.partial(everything, directory))
            times.append(best_of(repeat, {"all": work})["all"])
        finally:
            shutil.rmtree(directory)
    return times[1] / times[0]


def command_times(commands: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """(median, best) wall time of each command run as a subprocess, taken in turns.

    Start-up times of some 50 ms vary with the machine's state; the best of
    many runs is the steadier figure, the median the typical one.
    """
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, argv in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            times[index].append(time.perf_counter() - start)
    return [(statistics.median(t), min(t)) for t in times]


def main() -> None:
    """Run the benchmark and print its figures as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=357)
    parser.add_argument("--systems", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--startup-repeat", type=int, default=61)
    parser.add_argument(
        "--workbook-only",
        action="store_true",
        help="Time only the import of the workbook against loading the TOML files.",
    )
    args = parser.parse_args()
    if 4 * args.members > MAX_MEMBER_FILES:
        raise SystemExit(
            f"--members {args.members}: the growth spec's {4 * args.members} members exceed "
            f"dikt.limits.MAX_MEMBER_FILES ({MAX_MEMBER_FILES})"
        )
    if sys.dont_write_bytecode:
        # Without bytecode caches every start-up compiles dikt/cli/ again (some
        # 5 ms here): the start-up figures would measure the compiler, not dikt.
        print(
            "warning: PYTHONDONTWRITEBYTECODE is set; start-up times include compiling "
            "(run with `env -u PYTHONDONTWRITEBYTECODE`)\n",
            file=sys.stderr,
        )

    directory = Path(tempfile.mkdtemp(prefix="dikt-bench-"))
    try:
        cooperation = generate(args.members, args.systems)
        dikt.dump(cooperation, directory)
        usages = sum(len(m.systems) for m in cooperation.members.values())
        size = sum(p.stat().st_size for p in directory.rglob("*.toml"))
        workbook = export_workbook(cooperation)
        # Nothing else alive while the whole job is timed, as in a `dikt`
        # process: a second model in memory slows allocation by some 10 %.
        del cooperation
        gc.collect()
        if args.workbook_only:
            workbook_figures(args, directory, workbook)
            return
        figures = best_of(
            args.repeat,
            {
                "parse": lambda: parse_only(directory),
                "parse, collector paused": without_gc(lambda: parse_only(directory)),
                "floor": without_gc(lambda: objects_floor(directory)),
                "everything": without_gc(lambda: everything(directory)),
                "load": without_gc(lambda: dikt.load(directory)),
                "import": without_gc(lambda: import_workbook(workbook, "national.xlsx")),
            },
        )
        script = shutil.which("dikt") or str(Path(sys.executable).parent / "dikt")
        figures["cli allocate json"] = command_best(
            [script, "allocate", str(directory), "--format", "json"], args.repeat
        )
        loaded = dikt.load(directory)
        figures |= best_of(
            args.repeat,
            {
                "check": without_gc(lambda: dikt.check(loaded)),
                "allocate": without_gc(lambda: dikt.allocate(loaded)),
            },
        )
        game = dikt.cost_game(loaded)
        figures |= best_of(
            args.repeat,
            {
                "shapley": without_gc(lambda: dikt.shapley(game)),
                "keys": without_gc(lambda: dikt.key_study(loaded)),
            },
        )
        ledger = directory / "ledger.csv"
        write_ledger(dikt.allocate(loaded), ledger)
        figures |= best_of(
            args.repeat,
            {"settle": without_gc(lambda: settle_with_ledger(loaded, ledger))},
        )
        figures["cli allocate csv"] = command_best(
            [script, "allocate", str(directory), "--format", "csv"], args.repeat
        )
        figures["cli settle csv"] = command_best(
            [
                script,
                "settle",
                str(directory),
                "--actuals",
                str(ledger),
                "--project-column",
                "Prosjekt",
                "--amount-column",
                "Beløp",
                "--format",
                "csv",
            ],
            args.repeat,
        )
        # The last member as a candidate joining on 1 January after the budget
        # year: the what-ifs a joining pre-project runs.
        # A third of the systems have a cost model (half their cost per user),
        # so that join prices the new set by the cost function (issue 23).
        last = max(loaded.members)
        joining = attrs.evolve(
            loaded,
            systems=with_cost_models(loaded),
            members={
                **loaded.members,
                last: attrs.evolve(
                    loaded.members[last],
                    status=MemberStatus.CANDIDATE,
                    joined=dt.date(loaded.budget_year + 1, 1, 1),
                ),
            },
        )
        figures |= best_of(
            args.repeat,
            {
                "join allocate": without_gc(lambda: dikt.allocate(joining)),
                "join": without_gc(lambda: dikt.join(joining, last)),
                "plan": without_gc(lambda: dikt.plan(joining)),
                "report": without_gc(lambda: dikt.join_report(joining, last)),
            },
        )
    finally:
        shutil.rmtree(directory)
    growth = linear_growth(args.members, args.systems, args.repeat)

    help_time, check_time, click_time = command_times(
        [
            [script, "--help"],
            [script, "check", str(Path(__file__).resolve().parent.parent / "specs" / "d-ikt")],
            [sys.executable, "-c", "import click"],
        ],
        args.startup_repeat,
    )

    report(
        args,
        figures,
        {"help": help_time, "check": check_time, "click": click_time},
        growth,
        (usages, size),
    )


def workbook_figures(args: argparse.Namespace, directory: Path, workbook: bytes) -> None:
    """Time importing the workbook against loading the TOML files, and print the ratio."""
    figures = best_of(
        args.repeat,
        {
            "load": without_gc(lambda: dikt.load(directory)),
            "import": without_gc(lambda: import_workbook(workbook, "national.xlsx")),
        },
    )
    print(f"| measurement (best of {args.repeat}) | seconds |")
    print("|---|---:|")
    print(f"| `dikt.load`, national spec from TOML | {figures['load']:.3f} |")
    print(
        f"| import of the same spec from a workbook ({len(workbook) / 1e6:.1f} MB) | "
        f"{figures['import']:.3f} |"
    )
    print()
    print(_import_ratio(figures))


def _import_ratio(figures: dict[str, float]) -> str:
    return (
        f"Ratio import from a workbook / load from TOML: "
        f"{figures['import'] / figures['load']:.2f} (aim: at most 3)"
    )


def report(
    args: argparse.Namespace,
    figures: dict[str, float],
    startup: dict[str, tuple[float, float]],
    growth: float,
    spec: tuple[int, int],
) -> None:
    """Print the figures as a Markdown table, then the ratios against their aims."""
    usages, size = spec
    help_time, check_time, click_time = startup["help"], startup["check"], startup["click"]
    print(
        f"Spec: {args.members} members, {args.systems} systems, {usages} usage entries, "
        f"{size / 1e6:.1f} MB of TOML in {args.members + 1} files\n"
    )
    whole = figures["everything"]
    print(f"| measurement (best of {args.repeat}) | seconds |")
    print("|---|---:|")
    print(f"| tomli parsing alone | {figures['parse']:.3f} |")
    print(f"| tomli parsing alone, collector paused | {figures['parse, collector paused']:.3f} |")
    print(f"| parsing + building the model's and lines' objects only | {figures['floor']:.3f} |")
    print(f"| load + check + allocate | {whole:.3f} |")
    print(f"| of which load | {figures['load']:.3f} |")
    print(f"| import of the same spec from a workbook | {figures['import']:.3f} |")
    print(f"| of which check | {figures['check']:.3f} |")
    print(f"| of which allocate | {figures['allocate']:.3f} |")
    print(f"| Shapley value of the cost game ({args.members} members) | {figures['shapley']:.3f} |")
    print(f"| `dikt.key_study` (allocate, game, every key) | {figures['keys']:.3f} |")
    print(f"| `dikt.join`, the last member as a candidate | {figures['join']:.3f} |")
    print(f"| `dikt.plan`, 4 years, with that candidate | {figures['plan']:.3f} |")
    print(f"| `dikt.join_report` (join, 4 alternatives, plan...) | {figures['report']:.3f} |")
    print(f"| `dikt.read_ledger` (100 000 rows) + `dikt.settle` | {figures['settle']:.3f} |")
    print(f"| `dikt allocate --format csv`, national | {figures['cli allocate csv']:.3f} |")
    print(
        "| `dikt settle --actuals` (100 000 rows) `--format csv` | "
        f"{figures['cli settle csv']:.3f} |"
    )
    print(f"| `dikt --help`, median of {args.startup_repeat} | {help_time[0]:.3f} |")
    print(f"| `dikt --help`, best of {args.startup_repeat} | {help_time[1]:.3f} |")
    end_to_end = figures["cli allocate json"]
    print(f"| `dikt allocate --format json > /dev/null`, national | {end_to_end:.3f} |")
    print(f"| `dikt check specs/d-ikt`, median of {args.startup_repeat} | {check_time[0]:.3f} |")
    print(f"| `python -c 'import click'`, median | {click_time[0]:.3f} |")
    print(f"| `python -c 'import click'`, best | {click_time[1]:.3f} |")
    print()
    print(
        f"Ratio everything / parsing alone: {whole / figures['parse']:.2f} "
        f"({whole / figures['parse, collector paused']:.2f} against parsing with the "
        "collector paused too; aim: at most 1.35)"
    )
    print(_import_ratio(figures))
    print(
        f"Ratio of the objects' floor / parsing alone: {figures['floor'] / figures['parse']:.2f} "
        "(what is left of the 1.35 for validating, checking and splitting)"
    )
    print(
        f"Ratio dikt allocate (JSON, end to end) / parsing alone: "
        f"{figures['cli allocate json'] / figures['parse']:.2f} (aim: at most 2.5)"
    )
    print(
        f"Linear growth: 4 x the usage rows takes {growth:.2f} x the time of load + check + "
        "allocate (aim: at most 4.2)"
    )
    print(
        f"Ratio dikt settle --actuals (100 000 rows) / dikt allocate, end to end: "
        f"{figures['cli settle csv'] / figures['cli allocate csv']:.2f} (aim: at most 1.5); "
        f"in the library, read_ledger + settle / allocate: "
        f"{figures['settle'] / figures['allocate']:.2f}"
    )
    print(
        f"Ratio dikt.join (cost models on a third of the systems) / dikt.allocate of the "
        f"same spec: {figures['join'] / figures['join allocate']:.2f} (aim: at most 1.5)"
    )
    print(
        f"Ratio dikt --help / import click: {help_time[0] / click_time[0]:.2f} by medians, "
        f"{help_time[1] / click_time[1]:.2f} by best times (aim: at most 1.3)"
    )
    print(
        f"Ratio dikt check specs/d-ikt / import click: {check_time[0] / click_time[0]:.2f} "
        "by medians"
    )


if __name__ == "__main__":
    main()
