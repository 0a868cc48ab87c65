"""Commands on a spec itself: check it, its schemas, its dependency graph."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, Literal

import click

import dikt
from dikt.cli._common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    FORMATS,
    LANG,
    N_,
    OUTPUT,
    SPEC,
    Format,
    as_opened,
    echo,
    format_option,
    handle_errors,
    language_of,
    load_spec,
    main,
    print_text,
    said,
    show,
)

if TYPE_CHECKING:
    from dikt.errors import Problem


def _code_ranges(codes: Iterable[str]) -> str:
    """The codes as ranges by their first two characters: ``E001-E011, E101-E117, W201-W206``."""
    groups: dict[str, list[str]] = {}
    for code in sorted(codes):
        groups.setdefault(code[:2], []).append(code)
    return ", ".join(f"{group[0]}-{group[-1]}" for group in groups.values())


def _codes(
    _context: click.Context, parameter: click.Parameter, value: str | None
) -> tuple[str, ...]:
    """Comma-separated codes or code prefixes (``E1``, ``W``), each naming some code."""
    from dikt import CODES  # noqa: PLC0415

    if not value:
        return ()
    selected = tuple(part.strip().upper() for part in value.split(",") if part.strip())
    for code in selected:
        if not any(known.startswith(code) for known in CODES):
            raise click.BadParameter(
                said(
                    N_(
                        "'{code}' is no code and no prefix of one (codes: {codes}; "
                        "`dikt check --help`)"
                    ),
                    code=code,
                    codes=_code_ranges(CODES),
                ),
                param=parameter,
            )
    return selected


@main.command()
@SPEC
@format_option(
    "text",
    "json",
    "github",
    text="text: one line per finding; json; github: GitHub Actions annotations.",
)
@click.option(
    "--select",
    metavar="CODES",
    callback=_codes,
    help="Report only these codes or prefixes, comma-separated (E1,W201).",
)
@click.option(
    "--ignore", metavar="CODES", callback=_codes, help="Do not report these codes or prefixes."
)
@click.option("--warnings-as-errors", is_flag=True, help="Exit 1 when there are warnings, too.")
@LANG
def check(
    *,
    spec: str,
    fmt: Literal["text", "json", "github"],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    warnings_as_errors: bool,
    lang: str | None,
) -> None:
    """Check a spec like a linter: one line per finding.

    Each line reads FILE:LINE:COLUMN: CODE KEY.PATH: message, the file named
    as it can be opened from here. Codes starting with E0 are problems that
    stop the spec from loading, E1 errors, W2 warnings (docs: the spec
    format). --select and --ignore filter the findings of a spec that loads.
    Exit 0 without errors, 1 with errors (or warnings, with
    --warnings-as-errors), 2 when the spec cannot be read.
    """
    from dikt import (  # noqa: PLC0415
        Severity,
        SpecError,
        check as run_check,
    )
    from dikt.findings import findings_github, findings_json, findings_text  # noqa: PLC0415

    language = lang or "en"
    try:
        cooperation = load_spec(spec)
        language = language_of(lang, cooperation)
        # A W213 stands for an error in a candidate's file: its cause's code selects it too.
        problems = [
            p
            for p in run_check(cooperation)
            if (not select or _coded(p, select)) and not (ignore and _coded(p, ignore))
        ]
        failing = [p for p in problems if warnings_as_errors or p.severity is Severity.ERROR]
        code = EXIT_FINDINGS if failing else EXIT_OK
    except SpecError as error:
        problems, code = list(error.problems), EXIT_INVALID
        language = lang or error.language or "en"
    shown = as_opened(problems, spec)
    writer = {"text": findings_text, "json": findings_json, "github": findings_github}[fmt]
    print_text(writer(shown, language))
    sys.exit(code)


@main.command()
@SPEC
@click.argument("system")
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def impact(spec: str, system: str, fmt: Format, output: str | None, lang: str | None) -> None:
    """List everything that transitively depends on SYSTEM.

    The systems that need it (critical ones marked), and the members and
    users behind them.
    """
    from dikt.views.graph import impact_document  # noqa: PLC0415

    cooperation = load_spec(spec)
    result = dikt.impact(cooperation, system)
    language = language_of(lang, cooperation)
    show(result, lambda: impact_document(result, language, dikt.names_of(cooperation)), fmt, output)


@main.command()
@SPEC
@format_option(
    "dot",
    "graphml",
    "json",
    "archimate",
    text="Graphviz DOT, GraphML, node-link JSON, or an ArchiMate 3.1 model exchange file.",
)
@OUTPUT
@handle_errors
def graph(
    spec: str, fmt: Literal["dot", "graphml", "json", "archimate"], output: str | None
) -> None:
    """Export the dependency graph: systems, members, domains and their edges.

    Edges: depends-on (system to system), uses (member to system, with
    users), owns (member to own system), in-domain (system to domain).
    --format archimate writes the portfolio for ArchiMate tools (Archi...):
    The Open Group's Model Exchange File Format, with a view per domain.
    """
    cooperation = load_spec(spec)
    if fmt == "archimate":
        from dikt.archimate import archimate_xml  # noqa: PLC0415

        echo(archimate_xml(cooperation), output)
        return
    from dikt import exports  # noqa: PLC0415

    write = {"dot": exports.graph_dot, "graphml": exports.graph_graphml, "json": exports.graph_json}
    echo(write[fmt](dikt.build_graph(cooperation)), output)


_OUTPUT_COMMANDS: Final = (
    "allocate",
    "check",
    "diff",
    "explain",
    "gaps",
    "impact",
    "invoices",
    "join",
    "keys",
    "leave",
    "matrix",
    "merge",
    "plan",
    "prices",
    "roadmap",
    "settle",
)


@main.command()
@click.argument(
    "file", type=click.Choice(["cooperation", "member", "output"]), default="cooperation"
)
@click.argument("command", type=click.Choice(_OUTPUT_COMMANDS), required=False)
def schema(file: Literal["cooperation", "member", "output"], command: str | None) -> None:
    """Print the JSON Schema of cooperation.toml, of a member file, or of a command's JSON.

    Editors validate specs with it as people type: save it beside the spec
    and put '#:schema PATH' on the first line of each file (taplo, Even
    Better TOML). 'dikt schema output COMMAND' gives the schema of
    'dikt COMMAND --format json', for the tools that read it.
    """
    from dikt.findings import to_json  # noqa: PLC0415

    if file == "output":
        if command is None:
            raise click.UsageError(said(N_("give the command: dikt schema output COMMAND")))
        from dikt.views.schemas import output_schema  # noqa: PLC0415

        print_text(to_json(output_schema(command)))
        return
    if command is not None:
        raise click.UsageError(said(N_("'dikt schema {file}' takes no command"), file=file))
    print_text(to_json(dikt.json_schema(file)))


def _coded(problem: Problem, codes: tuple[str, ...]) -> bool:
    """Whether ``problem``'s code, or the code of the error it stands for, is one of ``codes``
    (or starts with one)."""
    return any(
        code is not None and code.startswith(codes) for code in (problem.code, problem.cause)
    )
