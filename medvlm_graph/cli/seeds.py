"""``medvlm-graph seeds``: read reference lists into the seeds table (see :mod:`medvlm_graph.seeds`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import app, say, settings


def _write(df, out: Path) -> Path:
    from ..io import write_csv, write_parquet

    suffix = out.suffix.casefold()
    if suffix == ".parquet":
        return write_parquet(df, out)
    if suffix == ".csv":
        return write_csv(df, out, lineterminator="\n")  # text cells made inert for spreadsheets
    raise UsageError(f"--out must end in .csv or .parquet, not {out.name!r}")


@app.command()
def seeds(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option(
        "--source", "-s", metavar="PATH_OR_URL",
        help="Reference list: awesome-list markdown (tables, bullets, paragraph entries, <details> sections), "
             "BibTeX, RIS or CSV file, or an http(s) URL of one. Repeat to merge lists: one row per paper, "
             "with the lists and sections it came from. Default: the list in use (the one chosen earlier with "
             "--source, else the shipped snapshot).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the seeds table here (.csv or .parquet). "
                            "Default with --source: <data>/raw/seeds.parquet, which later stages then use.")] = None,
    taxonomy: Annotated[Path | None, typer.Option(
        "--taxonomy", help="Taxonomy YAML whose task ids, names and aliases section headings map to "
                           "(default: the shipped one).")] = None,
) -> None:
    """Parse reference lists into the seeds table; report each section (rows, task, skipped blocks)."""
    from ..io import read_json
    from ..seeds import current_seeds, read_list, read_seeds
    from ..seeds.store import chosen_provenance_path, write_chosen
    from ..seeds.summary import summary_lines

    paths = settings(ctx).paths
    if out is not None and out.suffix.casefold() not in {".csv", ".parquet"}:
        raise UsageError(f"--out must end in .csv or .parquet, not {out.name!r}")
    if source:
        read = read_list(source if len(source) > 1 else source[0], taxonomy=taxonomy)
        df = read.table
        say(ctx, f"Read {', '.join(source)}")
        for line in read.lines():
            say(ctx, line)
    elif paths.seed_list.exists():  # plain `seeds` shows the list later stages use
        df = current_seeds(paths)
        prov = chosen_provenance_path(paths.seed_list)
        origin = read_json(prov).get("source") if prov.exists() else None
        say(ctx, f"The list in use: {paths.seed_list}{f' (read from {origin})' if origin else ''}; "
                 "delete that file to return to the shipped snapshot")
    else:
        df = read_seeds(None)
        say(ctx, "Read the shipped snapshot of the review list")
    for line in summary_lines(df):
        say(ctx, line)
    if out is not None:
        _write(df, out)
        say(ctx, f"Wrote {out}")
    elif source:
        write_chosen(df, source if len(source) > 1 else source[0], paths.seed_list, row_format=read.row_format)
        say(ctx, f"Wrote {paths.seed_list}")
        say(ctx, "Later stages (refresh, ingest, build) now use this list; delete that file to return to the snapshot.")
