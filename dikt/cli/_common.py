"""What every command of the ``dikt`` program shares: the group, options, errors, output.

Library errors become a clean message and a documented exit code, never a
traceback (the codes are in :mod:`dikt.cli`). Heavy modules are imported
inside the functions that need them, so that ``dikt --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, TypeVar

import click

import dikt
from dikt import __version__
from dikt.limits import (
    LANGUAGES,
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


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


class Paying(Protocol):
    """A year's result with its paying members: an allocation, a settlement."""

    @property
    def year(self) -> int: ...

    @property
    def members(self) -> Sequence[_Identified]: ...


__all__ = ["EXIT_FINDINGS", "EXIT_INVALID", "EXIT_OK", "main", "run"]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_INVALID: Final = 2

F = TypeVar("F", bound=Callable[..., Any])


def N_(text: str) -> str:  # noqa: N802 - gettext's name for a marker
    """Mark a help text for the message catalog (as :func:`dikt.i18n.N_`, without its imports)."""
    return text


def fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def handle_errors(command: F) -> F:
    """Turn dikt's errors into a message on stderr and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from dikt import ComputeError, NotFoundError, SpecError  # noqa: PLC0415
        from dikt.errors import ArgumentError, WhatIfError  # noqa: PLC0415

        try:
            return command(*args, **kwargs)
        except SpecError as error:
            # --lang, else the language the spec's cooperation.toml asks for.
            problems = as_opened(error.problems, error.spec)
            language = kwargs.get("lang") or error.language
            fail(problem_lines(problems, language), EXIT_INVALID)
        except (NotFoundError, ArgumentError) as error:
            fail([error_line(error, spoken(kwargs))], EXIT_INVALID)
        except WhatIfError as error:
            # Named as `dikt check` names its warnings: as the user can open them from here.
            language = spoken(kwargs)
            lines = problem_lines(as_opened(error.problems, kwargs.get("spec")), language)
            fail([error_line(error, language), *lines], EXIT_FINDINGS)
        except ComputeError as error:
            language = spoken(kwargs)
            lines = problem_lines(error.problems, language)
            fail([error_line(error, language), *lines], EXIT_FINDINGS)
        return None  # pragma: no cover - fail exits

    return wrapper  # type: ignore[return-value]


def spoken(kwargs: dict[str, Any]) -> str | None:
    """The language of an error: --lang, else that of the spec the command loaded."""
    context = click.get_current_context(silent=True)
    spec = None if context is None else context.meta.get("dikt.spec_lang")
    return kwargs.get("lang") or spec


def said(template: str, **args: object) -> str:
    """A command-line message in the language asked for, what the user wrote shown escaped.

    ``template`` is a message id (marked for the catalog by the caller's
    ``N_``), ``args`` fill it in.
    """
    from dikt.findings import message_text  # noqa: PLC0415
    from dikt.i18n import message  # noqa: PLC0415

    return message_text(message(template, **args), ASKED.get() or "en")


def error_line(error: Exception, language: str | None) -> str:
    """``dikt: message``, the message in the language where it is a translatable one."""
    from dikt.findings import error_text  # noqa: PLC0415

    return error_text(error, language or "en")


def problem_lines(problems: Sequence[Problem], language: str | None) -> list[str]:
    """Each problem as a line, its message in the language (English by default)."""
    from dikt.findings import problem_text  # noqa: PLC0415

    return [problem_text(p, language or "en") for p in problems]


def as_opened(problems: Sequence[Problem], spec: str | None) -> list[Problem]:
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


def width() -> int | None:
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
    """Keep --lang where the help of the command can find it (it is read first).

    ``dikt --lang nb allocate ...`` (the option before the command) speaks for
    the command, unless the command is given its own ``--lang``.
    """
    from click.core import ParameterSource  # noqa: PLC0415

    before = ctx.meta.get("dikt.group_lang")
    if before is not None and ctx.get_parameter_source("lang") is not ParameterSource.COMMANDLINE:
        value = before
    if value is not None:
        ctx.meta["dikt.lang"] = value
    return value


def _remember_group_language(
    ctx: click.Context, _param: click.Parameter, value: str | None
) -> None:
    """Keep ``dikt --lang LANG`` for the command that follows it."""
    if value is not None:
        ctx.meta["dikt.group_lang"] = ctx.meta["dikt.lang"] = value


def _language_option(text: str) -> Callable[[F], F]:
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=None,
        envvar="DIKT_LANG",
        is_eager=True,
        callback=_remember_language,
        help=text,
    )


#: A command's ``--lang``: English unless the spec says otherwise.
LANG = _language_option(
    N_(
        "Language of tables and messages: en (English) or nb (Norwegian bokmål, "
        "1 234 567,89 kr). Default: the spec's language, else en (env: DIKT_LANG). "
        "JSON and CSV are the same in every language."
    )
)
#: The ``--lang`` of a document a board or a member reads (``report``, ``letter``):
#: bokmål unless the spec says otherwise.
BOARD_LANG = _language_option(
    N_(
        "Language of the document: en (English) or nb (Norwegian bokmål). "
        "Default: the spec's language, else nb (env: DIKT_LANG)."
    )
)


def language_of(lang: str | None, cooperation: Cooperation, default: str = "en") -> str:
    """The language to write in: --lang, else the spec's ``language``, else ``default``."""
    if lang is not None:
        return lang
    return default if cooperation.language is None else cooperation.language.value


def show(
    result: object, document: Callable[[], Document], fmt: Format, output: str | None = None
) -> None:
    """Print a result: as JSON from the result itself, or its document by a writer."""
    if fmt == "json":
        from dikt.findings import to_json  # noqa: PLC0415
        from dikt.serialise import to_data  # noqa: PLC0415

        echo(to_json(to_data(result)), output)
        return
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(
                said(N_("--format xlsx writes a workbook: give --output FILE.xlsx"))
            )
        from dikt.writers import xlsx  # noqa: PLC0415

        echo(xlsx.write(document()), output)
        return
    from dikt.writers import WRITERS  # noqa: PLC0415

    echo(WRITERS[fmt](document(), None if output else width()), output)


def load_spec(spec: str) -> Cooperation:
    cooperation = dikt.load(spec)
    if cooperation.language is not None:  # errors found later are shown in it
        click.get_current_context().meta["dikt.spec_lang"] = cooperation.language.value
    return cooperation


def load_sound(spec: str) -> Cooperation:
    """Load a spec and refuse it (exit 1) if ``check`` finds errors."""
    cooperation = load_spec(spec)
    errors = [p for p in dikt.check(cooperation) if p.severity is dikt.Severity.ERROR]
    if errors:
        from dikt.i18n import message_n  # noqa: PLC0415

        raise dikt.ComputeError(
            message_n(
                "the spec has {n} error; `dikt check` lists it",
                "the spec has {n} errors; `dikt check` lists them",
                len(errors),
            ),
            # Named as `dikt check` names them: as the user can open them from here.
            as_opened(errors, spec),
        )
    return cooperation


SPEC = click.argument("spec", type=click.Path(exists=False, dir_okay=True, file_okay=True))


class Range(click.IntRange):
    """An integer range named for what it holds, so that a mistake reads "not a valid year".

    The name (click's ``name``, which its message "... is not a valid {name}"
    reads) is in the language the command line asks for.
    """

    def __init__(self, low: int | None, high: int | None, what: str) -> None:
        super().__init__(low, high)
        self._what = what

    @property
    def name(self) -> str:  # type: ignore[override]  # click's plain attribute, read on failure
        """What the range holds, in the language asked for."""
        return said(self._what)

    def _describe_range(self) -> str:
        # click describes a range without bounds as "x<=None" in the help: nothing to say.
        if self.min is None and self.max is None:
            return ""
        return super()._describe_range()


#: A year on the command line: the years a spec may hold.
YEARS = Range(YEAR_MIN, YEAR_MAX, N_("year"))
#: A year the library checks itself (an integer named "year" when it is not one).
YEARS_ANY = Range(None, None, N_("year"))
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
    language = ctx.meta.get("dikt.lang") or ASKED.get() or _environment_language()
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
ASKED: contextvars.ContextVar[str | None] = contextvars.ContextVar("dikt_asked", default=None)

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
    token = ASKED.set(language)
    if language == "en":  # click's own language
        try:
            yield
        finally:
            ASKED.reset(token)
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
        ASKED.reset(token)


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
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    is_eager=True,
    expose_value=False,
    callback=_remember_group_language,
    help="Language of the command's tables and messages (as the command's own --lang).",
)
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


OUTPUT = click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file instead of the terminal.",
)


def on_terminal() -> bool:
    """Whether standard output is a terminal (not a file or a pipe)."""
    stream = sys.stdout
    return stream is not None and stream.isatty()


def print_text(text: str) -> None:
    """Print ``text`` to standard output; if it cannot be written, say why (exit 2).

    On a terminal, control characters other than line breaks and tabs are
    shown escaped, in every format.

    A reader that stops reading (``dikt ... | head``) is click's to handle:
    it ends the command quietly.
    """
    import errno  # noqa: PLC0415

    if on_terminal():
        from dikt.findings import for_terminal  # noqa: PLC0415

        # A name holding an escape sequence or a bell is shown, never sent
        # (CSV and FOCUS hold what the user wrote as it is; piped, they still do).
        text = for_terminal(text)
    try:
        click.echo(text, nl=False)
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise
        from dikt.findings import message_text  # noqa: PLC0415
        from dikt.i18n import message  # noqa: PLC0415

        said = message("cannot write the output: {reason}", reason=error.strerror)
        fail(["dikt: " + message_text(said, ASKED.get() or spoken({}) or "en")], EXIT_INVALID)


def _refuse_spec_files(output: Path) -> None:
    """A usage error if ``output`` is a file of a spec the command reads: never overwritten."""
    context = click.get_current_context(silent=True)
    params = {} if context is None else context.params
    ledger = params.get("actuals")
    if ledger and output.resolve() == type(output)(ledger).resolve():
        raise click.BadParameter(
            said(
                N_("{file} is the ledger dikt reads: dikt never writes over it"), file=str(output)
            ),
            param_hint="'--output'",
        )
    for name in ("spec", "spec_a", "spec_b"):
        spec = params.get(name)
        if spec and dikt.spec_contains(dikt.spec_root(spec), output):
            raise click.BadParameter(
                said(
                    N_("{file} is a file of the spec {spec}: dikt never writes over a spec"),
                    file=str(output),
                    spec=spec,
                ),
                param_hint="'--output'",
            )


def echo(text: str | bytes, output: str | None) -> None:
    """Print ``text``, or write it to the file ``output`` (text as UTF-8, bytes as they are).

    A file that cannot be written is a usage error, not a traceback.
    """
    if output is None:
        assert isinstance(text, str)  # bytes (a workbook) always go to a file
        print_text(text)
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
            said(N_("cannot write {file}: {reason}"), file=output, reason=error.strerror),
            param_hint="'--output'",
        ) from None


def require_paying(cooperation: Cooperation, result: Paying, member: str) -> None:
    """Say why one of the spec's members is not in the year's result (not "no member").

    ``result`` is the year's allocation or settlement: a member that has left,
    or has not yet joined, pays nothing in it, and a candidate pays nothing
    until it joins; an id the spec does not have gets the usual message.
    """
    found = cooperation.members.get(member)
    if found is None or any(m.id == member for m in result.members):
        return
    from dikt.errors import ArgumentError  # noqa: PLC0415
    from dikt.i18n import message  # noqa: PLC0415

    if not found.is_member:
        raise ArgumentError(
            message(
                "{member} is a candidate: it pays nothing until it joins (see `dikt join`)",
                member=member,
            )
        )
    if found.leaving is not None and found.leaving.year <= result.year:
        raise ArgumentError(
            message(
                "{name} pays nothing in {year}: it left from {date}, and pays no part of "
                "an investment that year",
                name=found.name,
                year=result.year,
                date=found.leaving,
            )
        )
    if found.joined is not None:
        raise ArgumentError(
            message(
                "{name} pays nothing in {year}: its membership starts on {date}",
                name=found.name,
                year=result.year,
                date=found.joined,
            )
        )
