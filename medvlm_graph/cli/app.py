"""The Typer application, its global options and the one error handler.

Each command lives in a module of this package named for its area
(``seeds``, ``fetch``, ``build``, ``analyses``, ``outputs``, ``ingest``) and
registers itself on :data:`app`. Commands are thin: they turn options into
keyword arguments of the Python API of the same name and print a summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from .. import log
from ..errors import MedvlmError
from ..paths import ENV_DATA_DIR, DataPaths


class _Group(TyperGroup):
    """Turns every :class:`MedvlmError` into ``Error: ...`` and its exit code."""

    def invoke(self, ctx: typer.Context):  # noqa: D401
        try:
            return super().invoke(ctx)
        except MedvlmError as exc:
            typer.echo(f"Error: {log.redact(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Error: interrupted; everything fetched so far is kept", err=True)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=_Group,
    name="medvlm-graph",
    help="Map the field of vision-language models in medical image analysis from its citation graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass
class Settings:
    """Global options, available to every command as ``ctx.obj``."""

    data_dir: Path
    quiet: bool = False
    verbose: bool = False

    @property
    def paths(self) -> DataPaths:
        return DataPaths(self.data_dir)


@app.callback()
def _main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path,
        typer.Option("--data-dir", envvar=ENV_DATA_DIR, help="Data directory (raw/ and processed/).",
                     show_default=True),
    ] = Path("data"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or info messages.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug messages.")] = False,
) -> None:
    """Map the field of vision-language models in medical image analysis from its citation graph."""
    log.configure(quiet=quiet, verbose=verbose)
    ctx.obj = Settings(data_dir=data_dir, quiet=quiet, verbose=verbose)


def settings(ctx: typer.Context) -> Settings:
    """The :class:`Settings` of the running command."""
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):  # called outside the app (tests)
        obj = Settings(data_dir=Path("data"))
    return obj


def say(ctx: typer.Context, message: str) -> None:
    """Print a summary line to stdout unless ``--quiet``."""
    if not settings(ctx).quiet:
        typer.echo(message)
