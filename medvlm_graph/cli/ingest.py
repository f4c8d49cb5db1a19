"""``medvlm-graph ingest``: S2 Datasets bulk files -> the fetched layer (DuckDB)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import app, say, settings


@app.command()
def ingest(
    ctx: typer.Context,
    papers: Annotated[list[str], typer.Option(
        "--papers", help="S2 papers JSONL(.gz) file or quoted glob ('papers/*.gz'); repeat for more.")],
    citations: Annotated[list[str], typer.Option(
        "--citations", help="S2 citations JSONL(.gz) file or quoted glob; repeat for more.")],
    hops: Annotated[Optional[int], typer.Option(
        "--hops", min=0, help="Keep only the seeds and papers within N citation links (default: all).")] = None,
    seeds_only: Annotated[bool, typer.Option(
        "--seeds-only", help="Keep only the papers matched to seeds (same as --hops 0).")] = False,
    memory_limit: Annotated[str, typer.Option(
        "--memory-limit", help="DuckDB memory limit; it spills to disk beyond it.")] = "4GB",
    threads: Annotated[Optional[int], typer.Option(
        "--threads", min=1, help="DuckDB threads (default: all cores).")] = None,
) -> None:
    """Load Semantic Scholar Datasets bulk files (papers + citations) into the fetched layer."""
    from ..ingest import ingest as run_ingest

    if seeds_only and hops not in (None, 0):
        raise UsageError("--seeds-only and --hops N exclude each other")
    summary = run_ingest(
        papers, citations,
        data_dir=settings(ctx).paths.root,
        hops=0 if seeds_only else hops,
        memory_limit=memory_limit,
        threads=threads,
    )
    for line in summary.lines():
        say(ctx, line)
