"""``medvlm-graph seeds``: read a reference list into the seeds table (see :mod:`medvlm_graph.seeds`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..io import read_json, write_csv, write_parquet
from ..seeds import current_seeds, read_seeds
from ..seeds.store import chosen_provenance_path, write_chosen
from ..seeds.summary import summary_lines
from .app import app, say, settings


def _write(df, out: Path) -> Path:
    suffix = out.suffix.casefold()
    if suffix == ".parquet":
        return write_parquet(df, out)
    if suffix == ".csv":
        return write_csv(df, out, lineterminator="\n")  # text cells made inert for spreadsheets
    raise UsageError(f"--out must end in .csv or .parquet, not {out.name!r}")


@app.command()
def seeds(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(
        "--source", "-s", metavar="PATH_OR_URL",
        help="Reference list: awesome-list markdown, BibTeX, RIS or CSV file, or an http(s) URL of one. "
             "Default: the list in use (the one chosen earlier with --source, else the shipped snapshot).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the seeds table here (.csv or .parquet). "
                            "Default with --source: <data>/raw/seeds.parquet, which later stages then use.")] = None,
) -> None:
    """Parse a reference list into the seeds table and summarise it."""
    paths = settings(ctx).paths
    if out is not None and out.suffix.casefold() not in {".csv", ".parquet"}:
        raise UsageError(f"--out must end in .csv or .parquet, not {out.name!r}")
    if source is None and paths.seed_list.exists():  # plain `seeds` shows the list later stages use
        df = current_seeds(paths)
        prov = chosen_provenance_path(paths.seed_list)
        origin = read_json(prov).get("source") if prov.exists() else None
        say(ctx, f"The list in use: {paths.seed_list}{f' (read from {origin})' if origin else ''}; "
                 "delete that file to return to the shipped snapshot")
    else:
        df = read_seeds(source)
        say(ctx, f"Read {source or 'the shipped snapshot of the review list'}")
    for line in summary_lines(df):
        say(ctx, line)
    if out is not None:
        _write(df, out)
        say(ctx, f"Wrote {out}")
    elif source is not None:
        write_chosen(df, source, paths.seed_list)
        say(ctx, f"Wrote {paths.seed_list}")
        say(ctx, "Later stages (refresh, ingest, build) now use this list; delete that file to return to the snapshot.")
