"""``medvlm-graph trends | clusters | gaps``: each analysis as tables plus a short summary.

Tables go to ``<data>/processed/analysis/<name>.csv`` and ``.parquet`` (``gaps`` also writes
``gaps.md``); see :mod:`medvlm_graph.analysis.runs` for what each run computes.

Like every command module, this one imports the library (pandas, scipy, sklearn, ...) inside the
commands: ``medvlm-graph --help``, ``--version`` and the other commands do not load it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .app import app, say, settings

if TYPE_CHECKING:
    import pandas as pd

    from ..corpus import Corpus

_SCOPE_HELP = ("Papers analysed: 'field' (papers in the field: in_field), 'seeds' (the review's own list) "
               "or 'all' (every paper in the corpus).")


def _runs():
    from ..analysis import runs  # imported on use: scipy/sklearn are slow to import for other commands

    return runs


def _check_scope(scope: str) -> None:
    from ..analysis.scope import check_scope

    check_scope(scope)


def _corpus(ctx: typer.Context) -> Corpus:
    from ..corpus import Corpus

    return Corpus.load(settings(ctx).paths.root)


def _source(corpus) -> str:
    p, c = corpus.papers, corpus.citations
    n_seed = int(p["is_seed"].fillna(False).astype(bool).sum()) if "is_seed" in p.columns else 0
    txt = f"{len(p)} papers ({n_seed} from the seed list), {len(corpus.labels)} labels, {len(c)} citations"
    return txt + ("" if len(c) else "; no Semantic Scholar data yet (titles, sections and year hints only)")


def _table(ctx: typer.Context, title: str, df: pd.DataFrame, columns: list[str]) -> None:
    if settings(ctx).quiet or df is None or df.empty:
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for c in columns:
        t.add_column(c)
    for row in df[columns].itertuples(index=False):
        t.add_row(*[f"{v:.3g}" if isinstance(v, float) else str(v) for v in row])
    Console(file=sys.stdout, width=120).print(t)


def _finish(ctx: typer.Context, run) -> None:
    out = settings(ctx).paths.analysis
    files = _runs().write_run(run, out)
    for note in run.notes:
        say(ctx, f"note: {note}")
    for part, why in run.skipped.items():
        say(ctx, f"skipped: {part}: {why}")
    say(ctx, f"wrote {len(files)} files to {out}")


def _partial_note(as_of: str | None, include_partial: bool) -> str:
    from ..analysis.trends import partial_year

    year = partial_year(as_of)
    when = f"data of {as_of}" if as_of else "the current year"
    return f"growth {'counts' if include_partial else 'leaves out'} {year}, partial ({when})"


@app.command()
def trends(
    ctx: typer.Context,
    dimensions: Annotated[list[str] | None, typer.Option("--dimensions", "--dimension", "-d",
                         help="Dimension(s) to analyse: task, strategy, modality, model (default: all).")] = None,
    min_score: Annotated[float, typer.Option(help="Ignore labels scored below this.")] = 0.5,
    scope: Annotated[str, typer.Option(help=_SCOPE_HELP)] = "field",
    s: Annotated[float, typer.Option("--s", help="Burst rate ratio between states (> 1).")] = 2.0,
    gamma: Annotated[float, typer.Option(help="Burst cost of moving up a state (larger: fewer bursts).")] = 1.0,
    n_states: Annotated[int, typer.Option(help="Burst states (2 = two-state; more = nested levels).")] = 2,
    last: Annotated[int, typer.Option(help="Growth (CAGR) over the last N complete years of the data.")] = 3,
    include_partial: Annotated[bool, typer.Option("--include-partial", help="Let growth end in the year the data "
                               "was collected (partial; left out by default).")] = False,
) -> None:
    """Papers per year by label, growth (CAGR), Kleinberg bursts, foundation-model adoption."""
    import pandas as pd

    from ..analysis._frames import DIMENSIONS

    dims = tuple(dimensions) if dimensions else DIMENSIONS
    bad = [d for d in dims if d not in DIMENSIONS]
    if bad:
        raise UsageError(f"unknown dimension {bad[0]!r}; use one of: {', '.join(DIMENSIONS)}")
    _check_scope(scope)
    corpus = _corpus(ctx)
    run = _runs().run_trends(corpus.papers, corpus.labels, citations=corpus.citations, seeds=corpus.seeds,
                          taxonomy=corpus.taxonomy, dimensions=dims, min_score=min_score, scope=scope, s=s,
                          gamma=gamma, n_states=n_states, last=last, as_of=corpus.as_of,
                          include_partial=include_partial)
    tr = run.tables["trends"]
    if len(tr):
        top = (tr.groupby(["dimension", "label"])["count"].sum().reset_index(name="papers")
               .sort_values(["dimension", "papers", "label"], ascending=[True, False, True])
               .groupby("dimension").head(3))
        g = run.tables["growth"][["dimension", "label", "cagr"]]
        b = run.tables["bursts"]
        burst = (b.assign(span=[f"{a}-{e}" if a != e else f"{a}" for a, e in zip(b["start_year"], b["end_year"])])
                 .groupby(["dimension", "label"])["span"].agg(", ".join).reset_index(name="bursts")) if len(b) else None
        top = top.merge(g, on=["dimension", "label"], how="left")
        top["bursts"] = "" if burst is None else top.merge(burst, on=["dimension", "label"], how="left")["bursts"].fillna("")
        top["cagr"] = top["cagr"].map(lambda x: "n/a" if pd.isna(x) else f"{x:+.0%}")
        years = f"{int(tr['year'].min())}-{int(tr['year'].max())}"
        gw = run.tables["growth"]
        window = f"{int(gw['start_year'].min())}-{int(gw['end_year'].max())}" if len(gw) else "n/a"
        top = top.rename(columns={"cagr": f"cagr {window}"})
        _table(ctx, f"Most frequent labels per dimension, {years}; {_partial_note(corpus.as_of, include_partial)}",
               top, ["dimension", "label", "papers", f"cagr {window}", "bursts"])
    _finish(ctx, run)


@app.command()
def clusters(
    ctx: typer.Context,
    k: Annotated[int | None, typer.Option(help="Text clusters (default: best silhouette over 2-10).")] = None,
    random_state: Annotated[int, typer.Option("--random-state", "--seed",
                                              help="Random seed (k-means, Louvain, sampled betweenness).")] = 0,
    resolution: Annotated[float, typer.Option(help="Louvain resolution.")] = 1.0,
    scope: Annotated[str, typer.Option(help=_SCOPE_HELP)] = "field",
    main_path: Annotated[str, typer.Option(help="Main path search: global or key-route.")] = "global",
    betweenness_k: Annotated[int | None, typer.Option(help="Betweenness sample size (default: exact up "
                                                           "to 1000 papers, else 100).")] = None,
) -> None:
    """Text and citation-graph clusters, agreement with the review's tasks, thematic map, centrality, main path."""
    from ..paths import DataPaths

    if main_path not in ("global", "key-route"):
        raise UsageError("--main-path must be global or key-route")
    _check_scope(scope)
    corpus = _corpus(ctx)
    run = _runs().run_clusters(corpus.papers, corpus.labels, citations=corpus.citations, k=k, random_state=random_state,
                            resolution=resolution, scope=scope, main_path=main_path, betweenness_k=betweenness_k,
                            pairs_dir=DataPaths(corpus.data_dir).stored_pairs if corpus.data_dir else None)
    summary = run.tables["graph_cluster_summary"]
    kind = "graph (Louvain on coupling)"
    if summary.empty:
        summary, kind = run.tables["text_cluster_summary"], "text (TF-IDF + k-means)"
    _table(ctx, f"Clusters: {kind}", summary.head(12), ["cluster", "size", "cluster_label"])
    _table(ctx, "Agreement with the review's task sections", run.tables["cluster_agreement"],
           [c for c in ("clustering", "n_papers", "n_clusters", "n_labels", "adjusted_rand", "nmi")
            if c in run.tables["cluster_agreement"].columns])
    _table(ctx, "Thematic map", run.tables["thematic_map"].head(12),
           ["cluster", "cluster_label", "centrality", "density", "quadrant"])
    _table(ctx, "Main path", run.tables["main_path"].head(15), ["step", "year", "title"])
    _finish(ctx, run)


def _pairs(pair: list[str] | None) -> list[tuple[str, str]]:
    from ..analysis._frames import DIMENSIONS

    if not pair:
        return list(_runs().DEFAULT_PAIRS)
    out = []
    for p in pair:
        a, _, b = p.partition(":")
        if not b or a not in DIMENSIONS or b not in DIMENSIONS or a == b:
            raise UsageError(f"--pair {p!r}: use two different dimensions as A:B, e.g. task:strategy")
        out.append((a, b))
    return out


@app.command()
def gaps(
    ctx: typer.Context,
    pairs: Annotated[list[str] | None, typer.Option("--pairs", "--pair", help="Dimension pair A:B (repeatable; default: "
                                                        "task:strategy, task:modality, strategy:modality).")] = None,
    min_expected: Annotated[float, typer.Option(help="Gap rule: expected count at least this ...")] = 3.0,
    z: Annotated[float, typer.Option(help="... and adjusted residual at most -z.")] = 1.96,
    recent: Annotated[int, typer.Option(help="Years in the recent window of rising/stalled combinations.")] = 2,
    min_score: Annotated[float, typer.Option(help="Ignore labels scored below this.")] = 0.5,
    scope: Annotated[str, typer.Option(help=_SCOPE_HELP)] = "field",
) -> None:
    """Under-explored label combinations (observed vs expected, chi-square), trends, model gaps, gaps.md."""
    import pandas as pd

    pairs = _pairs(pairs)
    _check_scope(scope)
    corpus = _corpus(ctx)
    run = _runs().run_gaps(corpus.papers, corpus.labels, citations=corpus.citations, seeds=corpus.seeds,
                        taxonomy=corpus.taxonomy, pairs=pairs, min_score=min_score, min_expected=min_expected,
                        z=z, recent=recent, scope=scope, source=_source(corpus))
    cells = run.tables["gaps"]
    if len(cells):
        used = cells[cells["flag"] != "unused"]
        rows = []
        for (da, db), g in used.groupby(["dim_a", "dim_b"], sort=False):
            empty = g[g["observed"] == 0].sort_values("expected", ascending=False)
            rows.append((f"{da} x {db}", int((g["flag"] == "gap").sum()), f"{len(empty)}/{len(g)}",
                         ", ".join(f"{r.label_a} x {r.label_b} ({r.expected:.1f})" for r in empty.head(3).itertuples())))
        _table(ctx, "Gaps (flag=gap) and empty combinations (expected count)",
               pd.DataFrame(rows, columns=["table", "gaps", "empty", "largest expected among empty"]),
               ["table", "gaps", "empty", "largest expected among empty"])
    _finish(ctx, run)
    say(ctx, f"report: {settings(ctx).paths.analysis / 'gaps.md'}")
