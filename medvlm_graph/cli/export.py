"""``medvlm-graph export``: graph files for Gephi, Cytoscape and VOSviewer (see :mod:`medvlm_graph.graphs.export`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from ..graphs.names import FORMATS, GRAPHS, NORMS, SUFFIXES  # the option help names them
from .app import app, say, settings

if TYPE_CHECKING:
    import networkx as nx

    from ..corpus import Corpus
    from ..paths import DataPaths


def _load_corpus(paths: DataPaths) -> Corpus:
    from ..corpus import Corpus

    return Corpus.load(paths.root)


def _rows(df) -> int:
    return 0 if df is None else len(df)


def empty_reason(name: str, G: nx.Graph, corpus) -> str | None:
    """Why graph ``name`` has no edges, in a few words (``None`` when it has some)."""
    if G.number_of_edges() > 0:
        return None
    if name in ("citation", "cocitation", "coupling") and _rows(corpus.citations) == 0:
        return "no citations"
    if name == "coauthor" and _rows(corpus.authorships) == 0:
        return "no authorships"
    if name in ("cotopic", "labels", "lineage") and _rows(corpus.labels) == 0:
        return "no labels"
    if name == "lineage":
        return "no paper carries a foundation-model label"
    return "no pair passes the thresholds" if name != "citation" else "no citation links two corpus papers"


def skipped_line(reasons: dict[str, str], info: dict) -> str:
    """The one line saying which graphs were not written and why.

    Examples
    --------
    >>> skipped_line({"citation": "no citations", "coupling": "no citations", "coauthor": "no authorships"},
    ...              {"mode": "snapshot", "seed_source": "snapshot x.csv"})  # doctest: +NORMALIZE_WHITESPACE
    'skipped 3 empty graphs: citation, coupling (no citations), coauthor (no authorships); the shipped
    snapshot has no Semantic Scholar data: run `medvlm-graph refresh` (or `ingest`)'
    """
    by_reason: dict[str, list[str]] = {}
    for name, why in reasons.items():
        by_reason.setdefault(why, []).append(name)
    parts = [f"{', '.join(names)} ({why})" for why, names in by_reason.items()]
    line = f"skipped {len(reasons)} empty graph{'s' if len(reasons) != 1 else ''}: {', '.join(parts)}"
    if any(why in ("no citations", "no authorships") for why in by_reason):
        from ..corpus import no_s2_data

        line += f"; {no_s2_data(info)}"
    return line


def _choice(value: str, choices: tuple[str, ...], option: str) -> str:
    v = value.strip().lower()
    if v not in choices:
        raise UsageError(f"unknown {option} {value!r}; choose one of {', '.join(choices)}")
    return v


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help=f"One of: {', '.join(FORMATS)} (VOSviewer = its JSON map format).")] = "graphml",
    graph: Annotated[list[str] | None, typer.Option(
        "--graph", "-g", metavar="NAME",
        help=f"Graph to export (repeatable): {', '.join(GRAPHS)}. Default: all.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output directory. Default: <data>/processed/exports/.")] = None,
    norm: Annotated[str, typer.Option(
        help=f"Edge weight of co-citation and coupling: {', '.join(NORMS)} (salton = cosine).")] = "raw",
    top_k: Annotated[int | None, typer.Option(
        "--top-k", min=1, help="Co-citation and coupling: keep each paper's k strongest links.")] = None,
    min_weight: Annotated[int, typer.Option(
        "--min-weight", min=1, help="Co-citation and coupling: minimum raw count of a link.")] = 1,
) -> None:
    """Write the graphs as GraphML, GEXF, CSV (nodes + edges) or VOSviewer JSON files.

    Graphs without edges are skipped, with one line saying why. Unknown numbers
    (a paper's year or citation count) are written as -1, unknown text as "".
    """
    from ..graphs.export import check_format, export_graph
    from ..graphs.matrix import check_norm

    fmt = check_format(format.strip().lower())
    names = [_choice(g, GRAPHS, "graph") for g in (graph or GRAPHS)]
    norm = check_norm(norm.strip().lower())
    paths = settings(ctx).paths
    out_dir = out if out is not None else paths.exports
    corpus = _load_corpus(paths)
    written: list[Path] = []
    summary: list[str] = []
    empty: dict[str, str] = {}
    for name in dict.fromkeys(names):
        kw = {"norm": norm, "top_k": top_k, "min_weight": min_weight} if name in ("cocitation", "coupling") else {}
        G = corpus.graph(name, **kw)
        reason = empty_reason(name, G, corpus)
        if reason:  # a graph without edges is of no use in Gephi or VOSviewer: not written
            empty[name] = reason
            continue
        written += export_graph(G, out_dir / f"{name}{SUFFIXES[fmt]}", fmt)
        summary.append(f"{name} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    if written:
        say(ctx, f"Wrote {len(written)} {fmt} file(s) to {out_dir}: " + ", ".join(summary))
    else:
        say(ctx, "Wrote no file: every graph asked for is empty")
    if empty:
        say(ctx, skipped_line(empty, getattr(corpus, "info", {})))
