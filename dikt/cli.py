"""The ``dikt`` command: a thin click layer over the library.

Each command is options, one library call and one view written in a format. Library errors
become a clean message and a documented exit code, never a traceback:

- 0: success;
- 1: the spec loaded, but ``check`` found errors, or a command could not
  compute (for instance an application with a cost and no users);
- 2: the spec could not be read or is invalid, the command line is wrong, or
  the output cannot be written (a full disk).

Heavy modules (cattrs, networkx) are imported inside the commands, so that
``dikt --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

import click

import dikt
from dikt import __version__
from dikt.limits import (
    LANGUAGES,
    MAX_GROWTH_PERCENT,
    MAX_PERCENT_PLACES,
    YEAR_MAX,
    YEAR_MIN,
)

if TYPE_CHECKING:
    from fractions import Fraction
    from pathlib import Path

    from dikt import Cooperation, Problem
    from dikt.document import Document
    from dikt.i18n import Texts

__all__ = ["EXIT_FINDINGS", "EXIT_INVALID", "EXIT_OK", "main", "run"]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_INVALID: Final = 2

F = TypeVar("F", bound=Callable[..., Any])


def N_(text: str) -> str:  # noqa: N802 - gettext's name for a marker
    """Mark a help text for the message catalog (as :func:`dikt.i18n.N_`, without its imports)."""
    return text


def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def handle_errors(command: F) -> F:
    """Turn dikt's errors into a message on stderr and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from dikt import ComputeError, NotFoundError, SpecError  # noqa: PLC0415

        try:
            return command(*args, **kwargs)
        except SpecError as error:
            # --lang, else the language the spec's cooperation.toml asks for.
            problems = _as_opened(error.problems, error.spec)
            language = kwargs.get("lang") or error.language
            _fail(_problem_lines(problems, language), EXIT_INVALID)
        except NotFoundError as error:
            _fail([_error_line(error, _spoken(kwargs))], EXIT_INVALID)
        except ComputeError as error:
            language = _spoken(kwargs)
            lines = _problem_lines(error.problems, language)
            _fail([_error_line(error, language), *lines], EXIT_FINDINGS)
        return None  # pragma: no cover - _fail exits

    return wrapper  # type: ignore[return-value]


def _spoken(kwargs: dict[str, Any]) -> str | None:
    """The language of an error: --lang, else that of the spec the command loaded."""
    context = click.get_current_context(silent=True)
    spec = None if context is None else context.meta.get("dikt.spec_lang")
    return kwargs.get("lang") or spec


def _said(template: str, **args: object) -> str:
    """A command-line message in the language asked for, what the user wrote shown escaped.

    ``template`` is a message id (marked for the catalog by the caller's
    ``N_``), ``args`` fill it in.
    """
    from dikt.findings import message_text  # noqa: PLC0415
    from dikt.i18n import message  # noqa: PLC0415

    return message_text(message(template, **args), _ASKED.get() or "en")


def _error_line(error: Exception, language: str | None) -> str:
    """``dikt: message``, the message in the language where it is a translatable one."""
    from dikt.findings import error_text  # noqa: PLC0415

    return error_text(error, language or "en")


def _problem_lines(problems: Sequence[Problem], language: str | None) -> list[str]:
    """Each problem as a line, its message in the language (English by default)."""
    from dikt.findings import problem_text  # noqa: PLC0415

    return [problem_text(p, language or "en") for p in problems]


def _as_opened(problems: Sequence[Problem], spec: str | None) -> list[Problem]:
    """Problems whose file is named as the user can open it from here.

    The library names files relative to the spec directory; the user named
    the spec directory (or its cooperation.toml) as ``spec``.
    """
    if spec is None:
        return list(problems)
    import os.path  # noqa: PLC0415

    import attrs  # noqa: PLC0415

    root = dikt.spec_root(spec)
    return [attrs.evolve(p, file=os.path.normpath(root / p.file)) for p in problems]


#: The formats every command that shows tables takes.
Format = Literal["table", "json", "csv", "markdown", "xlsx"]
FORMATS: Final[tuple[Format, ...]] = ("table", "json", "csv", "markdown", "xlsx")


def _width() -> int | None:
    """The width to fit tables to: ``COLUMNS``, else the terminal's; None when piped."""
    import os  # noqa: PLC0415
    import shutil  # noqa: PLC0415

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _remember_language(
    ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    """Keep --lang where the help of the command can find it (it is read first)."""
    if value is not None:
        ctx.meta["dikt.lang"] = value
    return value


LANG = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    envvar="DIKT_LANG",
    is_eager=True,
    callback=_remember_language,
    help="Language of tables and messages: en (English) or nb (Norwegian bokmål, "
    "1 234 567,89 kr). Default: the spec's `language`, else en (env: DIKT_LANG). "
    "JSON and CSV are the same in every language.",
)


def _language(lang: str | None, cooperation: Cooperation, default: str = "en") -> str:
    """The language to write in: --lang, else the spec's ``language``, else ``default``."""
    if lang is not None:
        return lang
    return default if cooperation.language is None else cooperation.language.value


def _show(
    result: object, document: Callable[[], Document], fmt: Format, output: str | None = None
) -> None:
    """Print a result: as JSON from the result itself, or its document by a writer."""
    if fmt == "json":
        from dikt.findings import to_json  # noqa: PLC0415
        from dikt.serialise import to_data  # noqa: PLC0415

        _echo(to_json(to_data(result)), output)
        return
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(
                _said(N_("--format xlsx writes a workbook: give --output FILE.xlsx"))
            )
        from dikt.writers import xlsx  # noqa: PLC0415

        _echo(xlsx.write(document()), output)
        return
    from dikt.writers import WRITERS  # noqa: PLC0415

    _echo(WRITERS[fmt](document(), None if output else _width()), output)


def _load(spec: str) -> Cooperation:
    cooperation = dikt.load(spec)
    if cooperation.language is not None:  # errors found later are shown in it
        click.get_current_context().meta["dikt.spec_lang"] = cooperation.language.value
    return cooperation


def _load_sound(spec: str) -> Cooperation:
    """Load a spec and refuse it (exit 1) if ``check`` finds errors."""
    cooperation = _load(spec)
    errors = [p for p in dikt.check(cooperation) if p.severity is dikt.Severity.ERROR]
    if errors:
        from dikt.i18n import message  # noqa: PLC0415

        raise dikt.ComputeError(
            message("the spec has {n} error(s); `dikt check` lists them", n=len(errors)), errors
        )
    return cooperation


SPEC = click.argument("spec", type=click.Path(exists=False, dir_okay=True, file_okay=True))


class _Range(click.IntRange):
    """An integer range named for what it holds, so that a mistake reads "not a valid year".

    The name (click's ``name``, which its message "... is not a valid {name}"
    reads) is in the language the command line asks for.
    """

    def __init__(self, low: int, high: int, what: str) -> None:
        super().__init__(low, high)
        self._what = what

    @property
    def name(self) -> str:  # type: ignore[override]  # click's plain attribute, read on failure
        """What the range holds, in the language asked for."""
        return _said(self._what)


#: A year on the command line: the years a spec may hold.
YEARS = _Range(YEAR_MIN, YEAR_MAX, N_("year"))
YEAR = click.option(
    "--year",
    type=YEARS,
    default=None,
    metavar="YEAR",
    help="Budget year; default: the spec's budget_year.",
)


class Percent(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.5
    """A number of percent as written (2.5 is 5/2 %), never through a binary float.

    Read by :func:`dikt.money.parse_percent`, the one reader of percentages:
    the range and the decimals are checked before the number becomes an
    exact fraction (of 1, not of 100). A trailing ``%`` is allowed.
    """

    name = "percent"

    def __init__(self, low: int, high: int, *, low_open: bool = False) -> None:
        self.low, self.high, self.low_open = low, high, low_open

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Fraction:
        from fractions import Fraction  # noqa: PLC0415

        from dikt.money import parse_percent  # noqa: PLC0415

        if isinstance(value, Fraction):
            return value
        try:
            return parse_percent(
                str(value), self.low, self.high, low_open=self.low_open, places=MAX_PERCENT_PLACES
            )
        except ValueError as error:
            self.fail(str(error), param, ctx)


def format_option(*choices: str, text: str = N_("Output format.")) -> Callable[[F], F]:
    """The ``--format`` option of a command; its first choice is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=text,
    )


class _Command(click.Command):
    """A command whose help reads in the chosen language.

    The language of ``--help`` is ``--lang`` given before it (``dikt allocate
    --lang nb --help``), else ``DIKT_LANG``; help cannot wait for a spec.
    The help texts are message ids of the catalog; click's own words
    (``Usage:``, ``Options``, ``[default: ...]``) are written here so that
    they can be translated too.
    """

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        words = _help_words(ctx)
        if words is None:
            super().format_usage(ctx, formatter)
            return
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, pieces, prefix=words._("Usage:") + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        words = _help_words(ctx)
        if words is None or self.help is None:
            super().format_help_text(ctx, formatter)
            return
        import inspect  # noqa: PLC0415

        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(words._(inspect.cleandoc(self.help).partition("\f")[0]))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        words = _help_words(ctx)
        if words is None:
            super().format_options(ctx, formatter)
            return
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None or isinstance(param, click.Argument):
                continue
            names, text = record
            original = getattr(param, "help", None) or ""
            if original and text.startswith(original):
                text = words._(original) + text[len(original) :]
            # click's "[default: x; required]", in the language.
            text = text.replace("[default: ", f"[{words._('default')}: ")
            text = text.replace("required]", f"{words._('required')}]")
            rows.append((names, text))
        if rows:
            with formatter.section(words._("Options")):
                formatter.write_dl(rows)


class _Group(_Command, click.Group):
    """The ``dikt`` group: its help, and its commands', in the chosen language."""

    command_class = _Command

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        """Run the command line, click's own messages in the language it asks for."""
        arguments = sys.argv[1:] if args is None else list(args)
        with _click_speaks(_asked_language(arguments)):
            return super().main(args, *rest, **options)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # _Command's options, then the commands (click.Group's order).
        super().format_options(ctx, formatter)
        if _help_words(ctx) is not None:
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        words = _help_words(ctx)
        if words is None:
            super().format_commands(ctx, formatter)
            return
        import inspect  # noqa: PLC0415

        names = [name for name in self.list_commands(ctx) if self.get_command(ctx, name)]
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.get_command(ctx, name)
            assert command is not None
            text = words._(inspect.cleandoc(command.help or ""))
            rows.append((name, _short_help(text, limit)))
        with formatter.section(words._("Commands")):
            formatter.write_dl(rows)


def _short_help(text: str, limit: int) -> str:
    """A command's first sentence, cut at a word to fit ``limit`` (as click shortens help)."""
    paragraph = text.split("\n\n", maxsplit=1)[0].replace("\n", " ")
    end = paragraph.find(". ")
    sentence = paragraph if end < 0 else paragraph[: end + 1]
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 3].rsplit(" ", 1)[0] + "..."


def _help_words(ctx: click.Context) -> Texts | None:
    """The language help is written in, when it is not English (None)."""
    language = ctx.meta.get("dikt.lang") or _ASKED.get() or _environment_language()
    if language not in LANGUAGES or language == "en":
        return None
    from dikt.i18n import texts  # noqa: PLC0415

    return texts(language)


def _environment_language() -> str | None:
    import os  # noqa: PLC0415

    return os.environ.get("DIKT_LANG")


def _asked_language(args: Sequence[str]) -> str | None:
    """The language a command line asks for, before click reads it: ``--lang``, else DIKT_LANG.

    Mistakes on the command line are found while click parses it, before
    ``--lang`` has been read; this reads it first, so that they are told in
    the language asked for.

    >>> _asked_language(["allocate", "specs/d-ikt", "--lang", "nb", "--formt"])
    'nb'
    >>> _asked_language(["keys", "--lang=nb"])
    'nb'
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
    return _environment_language()


#: The language asked for on the command line being run (for click's messages and usage).
_ASKED: contextvars.ContextVar[str | None] = contextvars.ContextVar("dikt_asked", default=None)

#: click's modules that write messages a user of the command line reads.
_CLICK_MODULES: Final = ("click.core", "click.exceptions", "click.parser", "click.types")


@contextlib.contextmanager
def _click_speaks(language: str | None) -> Iterator[None]:
    """click's messages (usage errors, ``Error:``, ``Try ... for help``) in ``language``.

    click marks them with gettext's ``gettext`` and ``ngettext``, bound as
    ``_`` and ``ngettext`` in each of its modules; while the command line
    runs, those names give dikt's catalog instead (its messages are listed in
    :data:`_CLICK_MESSAGES`), and are put back afterwards. Only the ``dikt``
    program does this, for its own run; the library never touches click.
    """
    if language not in LANGUAGES:
        yield
        return
    token = _ASKED.set(language)
    if language == "en":  # click's own language
        try:
            yield
        finally:
            _ASKED.reset(token)
        return
    import importlib  # noqa: PLC0415

    from dikt.i18n import texts  # noqa: PLC0415

    words = texts(language)
    # Each module's namespace: its gettext names are plain globals, read at each call.
    namespaces = [vars(importlib.import_module(name)) for name in _CLICK_MODULES]
    saved = [(namespace["_"], namespace["ngettext"]) for namespace in namespaces]
    try:
        for namespace in namespaces:
            namespace["_"], namespace["ngettext"] = words._, words.ngettext
        yield
    finally:
        for namespace, (gettext_, ngettext_) in zip(namespaces, saved, strict=True):
            namespace["_"], namespace["ngettext"] = gettext_, ngettext_
        _ASKED.reset(token)


def n_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural for the catalog (read by ``dikt._extract`` as ngettext)."""
    return singular, plural


#: click's messages that a user of the command line may see, in the catalog
#: so that they are translated (click 8's texts; a test checks they are still
#: click's). Its help words are in :data:`_CLICK_WORDS`.
_CLICK_MESSAGES: Final = (
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    n_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    n_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_("Option {name!r} does not take a value."),
    n_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    n_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("Could not open file {filename!r}: {message}"),
    N_("Aborted!"),
)


#: click's own words in help, translated where dikt writes help.
_CLICK_WORDS: Final = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("default"),
    N_("required"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dikt")
def main() -> None:
    """dikt: the economics and system portfolio of an inter-municipal IT cooperation.

    SPEC is a spec directory (a cooperation.toml and a members/ directory) or its
    cooperation.toml. Exit codes: 0 success; 1 the spec has errors or a
    command could not compute; 2 the spec cannot be read, the command line is
    wrong, or the output cannot be written.
    """


def run() -> None:
    """The ``dikt`` program: :func:`main`, with the cyclic garbage collector off.

    A command builds some 200 000 small objects and exits; the collector's
    passes over them free nothing and cost about a quarter of the time. The
    program owns its process, so it may switch the collector off; the library
    never does (callers of :func:`main`, such as tests, keep theirs).
    """
    import gc  # noqa: PLC0415

    gc.disable()
    main()


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
                _said(
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
        cooperation = _load(spec)
        language = _language(lang, cooperation)
        problems = [
            p
            for p in run_check(cooperation)
            if (not select or p.code.startswith(select))  # type: ignore[union-attr]
            and not (ignore and p.code.startswith(ignore))  # type: ignore[union-attr]
        ]
        failing = [p for p in problems if warnings_as_errors or p.severity is Severity.ERROR]
        code = EXIT_FINDINGS if failing else EXIT_OK
    except SpecError as error:
        problems, code = list(error.problems), EXIT_INVALID
        language = lang or error.language or "en"
    shown = _as_opened(problems, spec)
    writer = {"text": findings_text, "json": findings_json, "github": findings_github}[fmt]
    _print(writer(shown, language))
    sys.exit(code)


OUTPUT = click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file instead of the terminal.",
)


def _print(text: str) -> None:
    """Print ``text`` to standard output; if it cannot be written, say why (exit 2).

    A reader that stops reading (``dikt ... | head``) is click's to handle:
    it ends the command quietly.
    """
    import errno  # noqa: PLC0415

    try:
        click.echo(text, nl=False)
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise
        from dikt.findings import message_text  # noqa: PLC0415
        from dikt.i18n import message  # noqa: PLC0415

        said = message("cannot write the output: {reason}", reason=error.strerror)
        _fail(["dikt: " + message_text(said, _ASKED.get() or _spoken({}) or "en")], EXIT_INVALID)


def _refuse_spec_files(output: Path) -> None:
    """A usage error if ``output`` is a file of a spec the command reads: never overwritten."""
    context = click.get_current_context(silent=True)
    params = {} if context is None else context.params
    for name in ("spec", "spec_a", "spec_b"):
        spec = params.get(name)
        if spec and dikt.spec_contains(dikt.spec_root(spec), output):
            raise click.BadParameter(
                _said(
                    N_("{file} is a file of the spec {spec}: dikt never writes over a spec"),
                    file=str(output),
                    spec=spec,
                ),
                param_hint="'--output'",
            )


def _echo(text: str | bytes, output: str | None) -> None:
    """Print ``text``, or write it to the file ``output`` (text as UTF-8, bytes as they are).

    A file that cannot be written is a usage error, not a traceback.
    """
    if output is None:
        assert isinstance(text, str)  # bytes (a workbook) always go to a file
        _print(text)
        return
    from pathlib import Path  # noqa: PLC0415

    _refuse_spec_files(Path(output))
    try:
        if isinstance(text, bytes):
            Path(output).write_bytes(text)
        else:
            Path(output).write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise click.BadParameter(
            _said(N_("cannot write {file}: {reason}"), file=output, reason=error.strerror),
            param_hint="'--output'",
        ) from None


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

    cooperation = _load(spec)
    result = dikt.impact(cooperation, system)
    language = _language(lang, cooperation)
    _show(result, lambda: impact_document(result, language), fmt, output)


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
    cooperation = _load(spec)
    if fmt == "archimate":
        from dikt.archimate import archimate_xml  # noqa: PLC0415

        _echo(archimate_xml(cooperation), output)
        return
    from dikt import exports  # noqa: PLC0415

    write = {"dot": exports.graph_dot, "graphml": exports.graph_graphml, "json": exports.graph_json}
    _echo(write[fmt](dikt.build_graph(cooperation)), output)


_OUTPUT_COMMANDS: Final = (
    "allocate",
    "check",
    "diff",
    "explain",
    "gaps",
    "impact",
    "join",
    "keys",
    "matrix",
    "plan",
    "prices",
    "roadmap",
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
            raise click.UsageError(_said(N_("give the command: dikt schema output COMMAND")))
        from dikt.views.schemas import output_schema  # noqa: PLC0415

        _print(to_json(output_schema(command)))
        return
    if command is not None:
        raise click.UsageError(_said(N_("'dikt schema {file}' takes no command"), file=file))
    _print(to_json(dikt.json_schema(file)))


@main.command()
@SPEC
@YEAR
@click.option("--member", default=None, help="Show only this member.")
@format_option(
    *FORMATS,
    "focus",
    text="Output format; focus: a FinOps FOCUS 1.3 cost and usage dataset (CSV).",
)
@OUTPUT
@LANG
@handle_errors
def allocate(
    *,
    spec: str,
    year: int | None,
    member: str | None,
    fmt: Format | Literal["focus"],
    output: str | None,
    lang: str | None,
) -> None:
    """Each member's owner contribution for a year, line by line.

    Base packages, applications, own systems, and core, application and
    member investments; totals per member, per kind of line and for the
    cooperation. Exact to the øre: every amount is paid exactly once.
    --format focus writes the year as a FinOps FOCUS 1.3 dataset, one row
    per member and charged item.
    """
    from dikt.views.allocation import allocation_document, only_member  # noqa: PLC0415

    cooperation = _load_sound(spec)
    result = dikt.allocate(cooperation, year)
    shown = result if member is None else only_member(result, member)
    if fmt == "focus":
        from dikt.focus import focus_csv  # noqa: PLC0415

        _echo(focus_csv(shown, cooperation), output)
        return
    language = _language(lang, cooperation)
    _show(shown, lambda: allocation_document(result, member, language), fmt, output)


@main.command()
@SPEC
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def prices(spec: str, year: int | None, fmt: Format, output: str | None, lang: str | None) -> None:
    """The unit price per year of every catalogue system.

    Per user (or per unit of the key's metric), with the system's key,
    participants and basis; an equal part of a mixed key is shown as the
    amount each participant pays.
    """
    from dikt.views.allocation import PriceList, prices_document  # noqa: PLC0415

    cooperation = _load_sound(spec)
    result = dikt.allocate(cooperation, year)
    listed = PriceList(currency=result.currency, systems=dikt.unit_prices(result))
    language = _language(lang, cooperation)
    _show(listed, lambda: prices_document(listed.systems, listed.currency, language), fmt, output)


@main.command()
@SPEC
@click.argument("member")
@click.argument("item", required=False)
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def explain(
    *,
    spec: str,
    member: str,
    item: str | None,
    year: int | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """How MEMBER's contribution was computed, line by line (or one ITEM).

    For each line: the key, the member's quantity, the basis, the exact
    share, the amount, and where rounding moved an øre.
    """
    from dikt.views.allocation import explain_document, explanation  # noqa: PLC0415

    cooperation = _load_sound(spec)
    _require_member(cooperation, member)
    allocation = dikt.allocate(cooperation, year)
    result = explanation(allocation, member, item)
    language = _language(lang, cooperation)
    _show(result, lambda: explain_document(allocation, member, item, language), fmt, output)


def _require_member(cooperation: Cooperation, member: str) -> None:
    if not dikt.require_member(cooperation, member).is_member:
        from dikt.i18n import message  # noqa: PLC0415

        raise dikt.ComputeError(
            message(
                "{member} is a candidate: it pays nothing until it joins (see `dikt join`)",
                member=member,
            )
        )


@main.command()
@click.argument("spec_a", type=click.Path())
@click.argument("spec_b", type=click.Path())
@YEAR
@click.option(
    "--fail-above",
    type=Percent(0, 10**9),
    default=None,
    metavar="PCT",
    help="Exit 1 when any member's total moves more than PCT percent (0 to 10^9).",
)
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def diff(
    *,
    spec_a: str,
    spec_b: str,
    year: int | None,
    fail_above: Fraction | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What changes per member and per line between SPEC_A and SPEC_B.

    Each spec is allocated for its own budget year (or --year for both).
    With --fail-above PCT, exit 1 when a member's total moves more than PCT
    percent, for use in the CI of a spec repository.
    """

    after = _load_sound(spec_b)
    result = dikt.diff(dikt.allocate(_load_sound(spec_a), year), dikt.allocate(after, year))
    from dikt.views.allocation import diff_document  # noqa: PLC0415

    language = _language(lang, after)
    _show(result, lambda: diff_document(result, language), fmt, output)
    if fail_above is not None:
        moved = result.above(fail_above * 100)
        if moved:
            from dikt.i18n import texts  # noqa: PLC0415

            words = texts(language)
            said = words._("moved more than {limit}: {members}").format(
                limit=words.exact_percent(fail_above), members=", ".join(m.id for m in moved)
            )
            click.echo(f"dikt: {said}", err=True)
            sys.exit(EXIT_FINDINGS)


@main.command()
@SPEC
@click.argument("member")
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def gaps(
    *, spec: str, member: str, year: int | None, fmt: Format, output: str | None, lang: str | None
) -> None:
    """Where MEMBER (a member or a candidate) deviates from the standard.

    Per domain: harmonised, deviating, mixed or absent; the systems it runs
    and the cooperation's standard ones; what it pays alone for its own
    systems; and how harmonised it is by domains, users and cost.
    """
    from dikt.views.harmonisation import gaps_document  # noqa: PLC0415

    cooperation = _load_sound(spec)
    result = dikt.gaps(cooperation, member, year)
    language = _language(lang, cooperation)
    _show(result, lambda: gaps_document(result, language), fmt, output)


@main.command()
@SPEC
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def matrix(spec: str, fmt: Format, output: str | None, lang: str | None) -> None:
    """The cooperation at a glance: domains by members, the systems each runs.

    Standard systems plain, deviating ones (own or non-standard) in
    brackets; candidates included and marked.
    """
    from dikt.views.harmonisation import matrix_document  # noqa: PLC0415

    cooperation = _load_sound(spec)
    result = dikt.matrix(cooperation)
    language = _language(lang, cooperation)
    _show(result, lambda: matrix_document(result, language), fmt, output)


@main.command()
@SPEC
@click.argument("member")
@YEAR
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def roadmap(
    *, spec: str, member: str, year: int | None, fmt: Format, output: str | None, lang: str | None
) -> None:
    """A costed order for MEMBER to move its deviating systems to the standard.

    For each: the standard system to move to, the natural time (its contract
    end), and the annual effect on MEMBER's contribution, priced by the
    allocation on the harmonised spec. Systems others depend on come first.
    Exit 1 if the member's dependencies have a cycle (it is listed).
    """
    from dikt.views.harmonisation import roadmap_document  # noqa: PLC0415

    cooperation = _load_sound(spec)
    result = dikt.roadmap(cooperation, member, year)
    language = _language(lang, cooperation)
    _show(result, lambda: roadmap_document(result, language), fmt, output)
    if result.cycles:
        from dikt.i18n import texts  # noqa: PLC0415

        for cycle in result.cycles:
            said = texts(language)._("dependency cycle: {cycle}")
            click.echo(f"dikt: {said.format(cycle=' -> '.join([*cycle, cycle[0]]))}", err=True)
        sys.exit(EXIT_FINDINGS)


#: The implementation year of a joining candidate (``join``, ``report``).
IMPLEMENTATION_YEAR = click.option(
    "--year",
    type=YEARS,
    default=None,
    metavar="YEAR",
    help="Implementation year; default: the year before the candidate's joined date.",
)
#: Whether a joining candidate's thin clients are kept (``join``, ``report``).
THIN_CLIENTS = click.option(
    "--thin-clients",
    type=click.Choice(["keep", "replace"]),
    default=None,
    help="Keep the candidate's thin clients or replace them by laptops; default: the premises.",
)


@main.command()
@SPEC
@click.argument("candidate")
@IMPLEMENTATION_YEAR
@THIN_CLIENTS
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def join(
    *,
    spec: str,
    candidate: str,
    year: int | None,
    thin_clients: str | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What joining costs CANDIDATE, and what it does to every member.

    One-time costs by category (implementation: PCs, thin clients, charging
    cabinets, licences; process: images and fixed work; infrastructure:
    data-centre capacity), each with its quantity, price and rule; the
    candidate's annual contribution once a member; and every existing
    member's total before and after.
    """
    from dikt.views.joining import join_document  # noqa: PLC0415

    choice = dikt.ThinClients(thin_clients) if thin_clients else None
    cooperation = _load_sound(spec)
    result = dikt.join(cooperation, candidate, year, choice)
    language = _language(lang, cooperation)
    _show(result, lambda: join_document(result, language), fmt, output)


@main.command()
@SPEC
@YEAR
@click.option(
    "--with",
    "joining",
    metavar="CANDIDATE",
    default=None,
    help="Also each member's Shapley value without and with this candidate: who gains.",
)
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def keys(
    *,
    spec: str,
    year: int | None,
    joining: str | None,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """What each cost key would make every member pay, beside the Shapley value.

    The shared costs split equally, by users, by employees, by population,
    30/70 and 50/50 equal/population, and by the spec's own named keys; for
    each member the amount, per inhabitant and per user, the change against
    today's keys and the amount above its Shapley value (above 0: it
    subsidises others). For each split, the core: whether some set of
    members would pay less on its own (up to 16 members). Then each member's
    cost on its own against its contribution. The Shapley value uses the
    systems' cost models (fixed, per user, capacity steps) where the spec
    has them. --with CANDIDATE adds who gains by the candidate's joining.
    """
    from dikt.views.fair import keys_document  # noqa: PLC0415

    cooperation = _load_sound(spec)
    result = dikt.key_study(cooperation, year, joining)
    language = _language(lang, cooperation)
    _show(result, lambda: keys_document(result, language), fmt, output)


@main.command()
@SPEC
@click.argument("candidate")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="FILE.pdf or FILE.html: the format follows the suffix.",
)
@IMPLEMENTATION_YEAR
@THIN_CLIENTS
@LANG
@handle_errors
def report(
    *,
    spec: str,
    candidate: str,
    output: str,
    year: int | None,
    thin_clients: str | None,
    lang: str | None,
) -> None:
    """Write the joining report for CANDIDATE: the economics chapter, as PDF or HTML.

    A summary (one-time costs by category, the annual contribution, what
    joining does to each member, the premises), the one-time costs item by
    item and the alternatives (this implementation year and the next, thin
    clients kept or replaced), the candidate's PC fleet, its annual
    contribution line by line, harmonisation gaps and roadmap, the economic
    plan, and the digest of the spec's files. In Norwegian bokmål unless
    --lang en (or the spec's language) says otherwise.
    """
    from pathlib import Path  # noqa: PLC0415

    suffix = Path(output).suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise click.BadParameter(
            _said(N_("{file}: the report is written as .pdf or .html"), file=output),
            param_hint="'--output'",
        )
    from dikt.views.report import report_document  # noqa: PLC0415

    cooperation = _load_sound(spec)
    choice = dikt.ThinClients(thin_clients) if thin_clients else None
    result = dikt.join_report(cooperation, candidate, year, choice)
    language = _language(lang, cooperation, default="nb")  # a board reads it
    document = report_document(result, language)
    if suffix == ".pdf":
        from dikt.writers import pdf  # noqa: PLC0415

        _echo(pdf.write_pdf(document), output)
    else:
        from dikt.writers import html  # noqa: PLC0415

        _echo(html.write_html(document), output)


@main.command()
@SPEC
@click.option(
    "--from",
    "start",
    type=YEARS,
    default=None,
    metavar="YEAR",
    help="First year; default: the budget year.",
)
@click.option(
    "--years",
    type=_Range(1, 50, N_("number of years")),
    default=4,
    show_default=True,
    metavar="N",
    help="Years in the plan.",
)
@click.option(
    "--growth",
    type=Percent(-100, MAX_GROWTH_PERCENT, low_open=True),
    default="0",
    show_default=True,
    metavar="PCT",
    # Written out for the message catalog; a test keeps it equal to MAX_GROWTH_PERCENT.
    help="Price growth of operating costs, percent a year, from the second year "
    "(above -100, at most 1000).",
)
@format_option(*FORMATS)
@OUTPUT
@LANG
@handle_errors
def plan(
    *,
    spec: str,
    start: int | None,
    years: int,
    growth: Fraction,
    fmt: Format,
    output: str | None,
    lang: str | None,
) -> None:
    """The economic plan: per member and year, operating, investments, fleet, joining.

    Operating contributions and investments come from the allocation of each
    year (candidates joining in the plan become members from their joined
    year; systems are charged while in operation); PC fleet renewal as
    machines reach the premises' lifetime; a joining candidate's one-time
    costs in its implementation year.
    """
    from dikt.views.plan import plan_document  # noqa: PLC0415

    cooperation = _load_sound(spec)
    first = cooperation.budget_year if start is None else start
    if first + years - 1 > YEAR_MAX:
        raise click.BadParameter(
            _said(
                N_("the plan's last year, {year}, is after {last}, the last year dikt supports"),
                year=first + years - 1,
                last=YEAR_MAX,
            ),
            param_hint="'--from' / '--years'",
        )
    result = dikt.plan(cooperation, first, years, growth)
    language = _language(lang, cooperation)
    _show(result, lambda: plan_document(result, language), fmt, output)
