"""CLI commands of the outputs area: ``report`` (the main job) and ``plot NAME --out FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, say, settings


@app.command()
def report(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="HTML file (default <data>/processed/report/index.html); "
                                             "gaps.md and the CSV tables it cites go next to it.")]
    = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=2,
                                                help="Processes to use: 2 computes the clusters run in a forked "
                                                     "worker while the rest of the report is drawn (the same "
                                                     "results); 1 holds one process's memory only. Default: 2 on "
                                                     "a machine with two cores that can fork, for 2,000 papers "
                                                     "or more.")]
    = None,
) -> None:
    """The main job: build, analyse and write the one-file HTML report and gaps.md (works offline)."""
    from ..report.builder import write_report_files  # imported here: plotly is heavy and only this command needs it

    files = write_report_files(settings(ctx).paths.root, out=out, workers=workers)
    say(ctx, f"Wrote {len(files)} files:")
    for i, path in enumerate(files):
        what = (f" (the report, {path.stat().st_size / 1e6:.1f} MB, works offline)" if i == 0
                else " (the gap report)" if path.name == "gaps.md" else "")
        say(ctx, f"  {path}{what}")


@app.command()
def plot(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Figure name, e.g. seed-tasks, task-strategy, sankey, trends, "
                                              "citation-network (`--list` shows all).")] = "",
    out: Annotated[Path | None, typer.Option("--out", help="Output file: .html, .png or .svg (PNG/SVG need "
                                             "pip install \".[static]\" and Chrome). Default: "
                                             "<data>/processed/figures/NAME.html.")] = None,
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
    paths = settings(ctx).paths
    if out is None:
        out = paths.figures / f"{name}.html"
    fig = make_figure(name, paths.root)
    path = export_figure(fig, out)
    say(ctx, f"Figure {name} written to {path}")
