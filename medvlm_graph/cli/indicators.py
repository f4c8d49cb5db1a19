"""``medvlm-graph indicators``: disruption, sleeping beauties, RPYS, tree of science, who and where, co-words.

Each flag is the keyword of the same name of :func:`medvlm_graph.analysis.indicators.run_indicators`.
Tables go to ``<data>/processed/analysis/<name>.csv`` and ``.parquet``, with the co-word map also as
``coword_map.json`` (VOSviewer) and ``coword_map.graphml``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .analyses import _SCOPE_HELP, _check_scope, _corpus, _table
from .app import app, say, settings


@app.command()
def indicators(
    ctx: typer.Context,
    scope: Annotated[str, typer.Option(help=_SCOPE_HELP)] = "field",
    window: Annotated[int, typer.Option(min=1, help="CD index window in years after publication (CD5).")] = 5,
    peaks: Annotated[int, typer.Option(min=0, help="RPYS peak years listed with their most cited references.")] = 5,
    roots: Annotated[int, typer.Option(min=0, help="Tree of science: root papers.")] = 20,
    trunk: Annotated[int, typer.Option(min=0, help="Tree of science: trunk papers.")] = 20,
    leaves: Annotated[int, typer.Option(min=0, help="Tree of science: leaf papers.")] = 50,
    top: Annotated[int, typer.Option(min=1, help="Rows of the authors table.")] = 20,
    n_terms: Annotated[int, typer.Option(min=2, help="Co-word map: terms kept (the most frequent).")] = 100,
    min_papers: Annotated[int, typer.Option(min=1, help="Co-word map: papers a term must occur in.")] = 2,
    resolution: Annotated[float, typer.Option(help="Louvain resolution (co-author and co-word clusters).")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed (Louvain, co-word layout).")] = 0,
) -> None:
    """Disruption (CD5), sleeping beauties, RPYS, tree of science, authors and venues, co-word map."""
    import pandas as pd

    from ..analysis.indicators import run_indicators, write_indicators

    _check_scope(scope)
    corpus = _corpus(ctx)
    run = run_indicators(corpus.papers, citations=corpus.citations, authorships=corpus.authorships,
                         taxonomy=corpus.taxonomy, scope=scope, window=window, peaks=peaks, roots=roots,
                         trunk=trunk, leaves=leaves, top=top, n_terms=n_terms, min_papers=min_papers,
                         resolution=resolution, seed=seed)
    t = run.tables
    cd = t["disruption"]
    if len(cd):
        ends = pd.concat([cd.head(5), cd.tail(5)]).drop_duplicates("paper_id")
        _table(ctx, f"Most disruptive and most consolidating papers (CD{window})", ends,
               ["paper_id", "year", "n_i", "n_j", "n_k", "cd", "title"])
    _table(ctx, "Sleeping beauties", t["sleeping_beauties"].head(5),
           ["paper_id", "year", "awakening_year", "peak_year", "beauty", "title"])
    _table(ctx, "RPYS peak years and their most cited references", t["rpys_peaks"],
           ["peak_rank", "year", "citations", "title"])
    tree = t["tree_of_science"]
    _table(ctx, "Tree of science (first 5 of each part)", tree.groupby("part", sort=False).head(5),
           ["part", "rank", "year", "times_cited", "sap", "title"])
    _table(ctx, "Most productive authors", t["authors"].head(10),
           ["name", "papers", "citations", "h_index", "first_year", "last_year"])
    _table(ctx, "Bradford core venues (zone 1)", t["venues"][t["venues"]["zone"] == 1].head(10),
           ["venue", "papers", "citations", "cumulative_papers"])
    terms = t["coword_terms"]
    if len(terms):
        clusters = (terms.dropna(subset=["cluster"]).groupby("cluster").agg(terms=("term", "size"),
                    label=("cluster_label", "first")).reset_index())
        _table(ctx, "Co-word clusters", clusters, ["cluster", "terms", "label"])
    out = settings(ctx).paths.analysis
    files = write_indicators(run, out)
    for note in run.notes:
        say(ctx, f"note: {note}")
    for part, why in run.skipped.items():
        say(ctx, f"skipped: {part}: {why}")
    say(ctx, f"wrote {len(files)} files to {out}")
