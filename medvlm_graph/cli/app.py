"""The Typer application, its global options and the one error handler.

Each command lives in a module of this package named for its area
(``seeds``, ``fetch``, ``build``, ``analyses``, ``outputs``, ``ingest``) and
registers itself on :data:`app`. Commands are thin: they turn options into
keyword arguments of the Python API of the same name and print a summary.

The global options ``--data-dir``, ``--quiet`` and ``--verbose`` are accepted
before the command (``medvlm-graph --quiet build``) and after it
(``medvlm-graph build --quiet``): every command class made here carries them too
(:class:`_Command`), so no command declares them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from .. import __version__, log
from ..errors import MedvlmError
from ..paths import ENV_DATA_DIR, DataPaths, check_data_dir, default_data_dir

# Commands that fetch: an interrupt keeps what they fetched (the cache), and running them again resumes.
FETCHING_COMMANDS = ("refresh", "ingest")
DATA_DIR_HELP = ("Data directory (raw/ and processed/). Default: ./data, else the data/ folder of the nearest "
                 "parent project; created when missing.")


def _flags_shown_as_flags(params: list) -> list:
    """Show boolean flags without a value placeholder in ``--help`` (Typer's rich help writes ``<bool>``)."""
    for p in params:
        if getattr(p, "is_flag", False) and not getattr(p, "count", False) and p.metavar is None:
            p.metavar = ""
    return params


class _Group(TyperGroup):
    """Turns every :class:`MedvlmError` into ``Error: ...`` and its exit code."""

    def invoke(self, ctx: typer.Context):  # noqa: D401
        try:
            result = super().invoke(ctx)
        except MedvlmError as exc:
            _note_created(ctx)
            typer.echo(f"Error: {log.redact(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if ctx.invoked_subcommand in FETCHING_COMMANDS:
                message = "interrupted; everything fetched so far is kept (run it again to resume)"
            else:
                message = f"interrupted{f' ({ctx.invoked_subcommand})' if ctx.invoked_subcommand else ''}"
            typer.echo(f"Error: {message}", err=True)
            raise typer.Exit(130) from None
        _note_created(ctx)
        return result

    def get_params(self, ctx: typer.Context) -> list:
        return _flags_shown_as_flags(super().get_params(ctx))


def _global_options(
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or info messages.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug messages.")] = False,
) -> None:
    """Template of the global options that every command also accepts after its name."""


def _set_global(ctx: typer.Context, param, value):
    """Callback of a global option given after the command: update the :class:`Settings`."""
    root = ctx.find_root()
    s = root.obj if isinstance(root.obj, Settings) else None
    if s is None:  # a command invoked on its own (tests)
        s = root.obj = Settings(data_dir=default_data_dir())
    if param.name == "data_dir" and value is not None:
        s.set_data_dir(value)
    elif param.name == "quiet" and value:
        s.quiet = True
    elif param.name == "verbose" and value:
        s.verbose = True
    log.configure(quiet=s.quiet, verbose=s.verbose)
    return value


def _global_params() -> list:
    """Fresh option objects for ``--data-dir``, ``--quiet``, ``--verbose`` (made by Typer from the template)."""
    probe = typer.Typer(add_completion=False)
    probe.command()(_global_options)
    params = list(typer.main.get_command(probe).params)
    for p in params:
        p.expose_value = False  # the command functions do not take them; the callback stores them
        p.callback = _set_global
        p.rich_help_panel = "Global options"
    return params


class _Command(TyperCommand):
    """A command that also accepts the global options after its name."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        own = {o for p in self.params for o in getattr(p, "opts", ())}
        self.params.extend(p for p in _global_params() if not own & set(p.opts))

    def get_params(self, ctx: typer.Context) -> list:
        return _flags_shown_as_flags(super().get_params(ctx))


class _App(typer.Typer):
    """``typer.Typer`` whose commands are :class:`_Command` unless told otherwise."""

    def command(self, *args, cls=None, **kwargs):
        return super().command(*args, cls=cls or _Command, **kwargs)


app = _App(
    cls=_Group,
    name="medvlm-graph",
    help="Map the field of vision-language models in medical image analysis from its citation graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass
class Settings:
    """Global options, available to every command as ``ctx.obj``.

    ``data_dir`` is kept as the user gave it (messages show it that way).
    """

    data_dir: Path
    quiet: bool = False
    verbose: bool = False
    existed: bool | None = field(default=None, repr=False)  # whether the data dir existed when first used

    def set_data_dir(self, value: Path) -> None:
        self.data_dir, self.existed = Path(value).expanduser(), None

    @property
    def paths(self) -> DataPaths:
        """The data directory's paths (refused when it names a file; the first write creates it)."""
        if self.existed is None:
            self.existed = check_data_dir(self.data_dir)
        return DataPaths(self.data_dir)


def _note_created(ctx: typer.Context) -> None:
    """Say so when the command created the data directory (a new or mistyped ``--data-dir``)."""
    s = ctx.find_root().obj
    if isinstance(s, Settings) and s.existed is False and s.data_dir.is_dir():
        s.existed = True
        if not s.quiet:
            typer.echo(f"note: created the data directory {s.data_dir}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"medvlm-graph {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", envvar=ENV_DATA_DIR, help=DATA_DIR_HELP, show_default=False),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or info messages.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug messages.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Map the field of vision-language models in medical image analysis from its citation graph.

    Global options (--data-dir, --quiet, --verbose) go before or after the command.
    """
    log.configure(quiet=quiet, verbose=verbose)
    ctx.obj = Settings(data_dir=Path(data_dir).expanduser() if data_dir is not None else default_data_dir(),
                       quiet=quiet, verbose=verbose)


def settings(ctx: typer.Context) -> Settings:
    """The :class:`Settings` of the running command."""
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):  # called outside the app (tests)
        obj = Settings(data_dir=default_data_dir())
    return obj


def say(ctx: typer.Context, message: str) -> None:
    """Print a summary line to stdout unless ``--quiet``."""
    if not settings(ctx).quiet:
        typer.echo(message)
