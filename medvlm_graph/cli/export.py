"""``medvlm-graph export``: graph files for Gephi, Cytoscape and VOSviewer (see :mod:`medvlm_graph.graphs.export`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import networkx as nx
import typer

from .. import log
from ..corpus import Corpus
from ..errors import UsageError
from ..graphs import GRAPHS, NORMS
from ..graphs.export import FORMATS, SUFFIXES, check_format, export_graph
from ..graphs.matrix import check_norm
from ..paths import DataPaths
from .app import app, say, settings

_S2_HINT = "the shipped snapshot has no Semantic Scholar data; run `medvlm-graph refresh` (or `ingest`), then `build`"


def _load_corpus(paths: DataPaths) -> Corpus:
    return Corpus.load(paths.root)


def _rows(df) -> int:
    return 0 if df is None else len(df)


def empty_reason(name: str, G: nx.Graph, corpus) -> str | None:
    """Why graph ``name`` has no edges (``None`` when it has some)."""
    if G.number_of_edges() > 0:
        return None
    if name in ("citation", "cocitation", "coupling") and _rows(corpus.citations) == 0:
        return f"no citations in the corpus: {_S2_HINT}"
    if name == "coauthor" and _rows(corpus.authorships) == 0:
        return f"no authorships in the corpus: {_S2_HINT}"
    if name in ("cotopic", "labels", "lineage") and _rows(corpus.labels) == 0:
        return "no labels in the corpus; run `medvlm-graph build`"
    if name == "lineage":
        return "no paper carries a foundation-model label"
    return "no pair passes the thresholds" if name != "citation" else "no citation links two corpus papers"


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
    """Write the graphs as GraphML, GEXF, CSV (nodes + edges) or VOSviewer JSON files."""
    fmt = check_format(format.strip().lower())
    names = [_choice(g, GRAPHS, "graph") for g in (graph or GRAPHS)]
    norm = check_norm(norm.strip().lower())
    paths = settings(ctx).paths
    out_dir = out if out is not None else paths.exports
    corpus = _load_corpus(paths)
    written: list[Path] = []
    summary: list[str] = []
    for name in dict.fromkeys(names):
        kw = {"norm": norm, "top_k": top_k, "min_weight": min_weight} if name in ("cocitation", "coupling") else {}
        G = corpus.graph(name, **kw)
        reason = empty_reason(name, G, corpus)
        if reason:
            log.logger.warning("%s graph is empty (%d nodes, no edges): %s", name, G.number_of_nodes(), reason)
        written += export_graph(G, out_dir / f"{name}{SUFFIXES[fmt]}", fmt)
        summary.append(f"{name} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    say(ctx, f"Wrote {len(written)} {fmt} file(s) to {out_dir}: " + ", ".join(summary))
