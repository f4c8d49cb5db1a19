"""``medvlm-graph ingest``: S2 Datasets bulk files -> the fetched layer (DuckDB or Spark)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .app import app, say, settings


@app.command()
def ingest(
    ctx: typer.Context,
    papers: Annotated[list[str], typer.Option(
        "--papers", help="S2 papers JSONL(.gz) file or quoted glob ('papers/*.gz'); repeat for more.")],
    citations: Annotated[list[str], typer.Option(
        "--citations", help="S2 citations JSONL(.gz) file or quoted glob; repeat for more.")],
    abstracts: Annotated[Optional[list[str]], typer.Option(
        "--abstracts", help="S2 abstracts JSONL(.gz) file or quoted glob; fills the kept papers' abstracts.")] = None,
    tldrs: Annotated[Optional[list[str]], typer.Option(
        "--tldrs", help="S2 tldrs JSONL(.gz) file or quoted glob; fills the kept papers' TLDRs.")] = None,
    hops: Annotated[Optional[int], typer.Option(
        "--hops", min=0, help="Keep only the seeds and papers within N citation links (default: all).")] = None,
    seeds_only: Annotated[bool, typer.Option(
        "--seeds-only", help="Keep only the papers matched to seeds (same as --hops 0).")] = False,
    engine: Annotated[str, typer.Option(
        "--engine", help="duckdb (this machine) or spark (needs the 'spark' extra and Java 17+).")] = "duckdb",
    master: Annotated[Optional[str], typer.Option(
        "--master", help="Spark master URL (local\\[4], spark://host:7077, yarn); default $MASTER, else local\\[*].")] = None,
    pairs: Annotated[Optional[list[str]], typer.Option(
        "--pairs", help="Spark: also count cocitation / coupling pairs of the kept citations (repeat for both).")] = None,
    pair_norm: Annotated[str, typer.Option(
        "--pair-norm", help="Pair weight: raw, cosine (salton), jaccard, association, inclusion.")] = "raw",
    pair_top_k: Annotated[Optional[int], typer.Option(
        "--pair-top-k", min=1, help="Pairs kept per paper (union over both ends; default: every pair).")] = None,
    memory_limit: Annotated[str, typer.Option(
        "--memory-limit", help="DuckDB memory limit; it spills to disk beyond it.")] = "4GB",
    threads: Annotated[Optional[int], typer.Option(
        "--threads", min=1, help="DuckDB threads (default: all cores).")] = None,
) -> None:
    """Load Semantic Scholar Datasets bulk files (papers, citations, abstracts, TLDRs) into the fetched layer."""
    from ..ingest import ingest as run_ingest

    summary = run_ingest(
        papers, citations,
        abstracts=abstracts or None,
        tldrs=tldrs or None,
        data_dir=settings(ctx).paths.root,
        hops=hops, seeds_only=seeds_only,
        engine=engine,
        master=master,
        pairs=pairs or None,
        pair_norm=pair_norm,
        pair_top_k=pair_top_k,
        memory_limit=memory_limit,
        threads=threads,
    )
    for line in summary.lines():
        say(ctx, line)
