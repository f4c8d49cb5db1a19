"""CLI commands of the outputs area: ``report`` (the main job) and ``plot NAME --out FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, say, settings


@app.command()
def report(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="HTML file (default <data>/processed/report/index.html).")]
    = None,
) -> None:
    """The main job: build, analyse and write the one-file HTML report and gaps.md (works offline)."""
    from ..report import write_report  # imported here: plotly is heavy and only this command needs it

    path = write_report(settings(ctx).paths.root, out=out)
    size = path.stat().st_size / 1e6
    say(ctx, f"Report written to {path} ({size:.1f} MB, works offline); gap report: {path.parent / 'gaps.md'}")


@app.command()
def plot(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Figure name, e.g. seed-tasks, task-strategy, sankey, trends, "
                                              "citation-network (`--list` shows all).")] = "",
    out: Annotated[Path | None, typer.Option("--out", help="Output file: .html, .png or .svg.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the figure names and exit.")] = False,
) -> None:
    """Export one figure of the report as a file (.html always; .png/.svg where kaleido and Chrome work)."""
    from ..errors import UsageError
    from ..report.figures import FIGURES, export_figure, make_figure

    if list_:
        for key, (_, desc) in FIGURES.items():
            typer.echo(f"{key:18s} {desc}")
        return
    if not name:
        raise UsageError("give a figure name (see `medvlm-graph plot --list`)")
    if out is None:
        out = Path(f"{name}.html")
    fig = make_figure(name, settings(ctx).paths.root)
    path = export_figure(fig, out)
    say(ctx, f"Figure {name} written to {path}")
