"""Turn a :class:`~medvlm_graph.graphs.matrix.PairTable` into a networkx graph."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pandas as pd
import scipy.sparse as sp

from .. import log
from ._common import add_nodes, as_py
from .matrix import PairTable, pair_table

# Above this many kept pairs a warning suggests pruning (networkx needs ~0.5 kB per edge).
LARGE_GRAPH_EDGES = 5_000_000
_PROGRESS_ROWS = 20_000


def pairs(X: sp.spmatrix, what: str, **kw) -> PairTable:
    """:func:`pair_table` with a progress bar on large inputs."""
    if X.shape[0] < _PROGRESS_ROWS:
        return pair_table(X, **kw)
    with log.progress(f"counting {what} pairs", X.shape[0]) as advance:
        return pair_table(X, progress=advance, **kw)


def pair_graph(
    t: PairTable,
    index: pd.Index,
    *,
    kind: str,
    node_attrs: dict[str, dict] | None = None,
    defaults: dict | None = None,
    occurrence_attr: str = "occurrences",
    edge_attrs: Callable[[PairTable], dict[str, list]] | None = None,
    weight: str = "normalised",
    graph_attrs: dict | None = None,
) -> nx.Graph:
    """Graph with every id of ``index`` as a node and the pairs of ``t`` as edges.

    ``weight="normalised"``: edge ``weight`` is the float normalised weight and
    ``count`` the raw int count; ``weight="count"``: ``weight`` is the int count.
    Extra per-edge columns come from ``edge_attrs(t)``.
    """
    if len(t) > LARGE_GRAPH_EDGES:
        log.logger.warning(
            "%s graph has %d edges; pass top_k or min_weight to prune it before plotting or export",
            kind, len(t),
        )
    G = nx.Graph(kind=kind, **(graph_attrs or {}))
    ids = index.astype(object).tolist()
    occ = as_py(t.occurrences)
    attrs = {pid: {**(node_attrs or {}).get(pid, {}), occurrence_attr: occ[n]} for n, pid in enumerate(ids)}
    add_nodes(G, ids, attrs, defaults)
    u = [ids[i] for i in as_py(t.i)]
    v = [ids[j] for j in as_py(t.j)]
    cols: dict[str, list] = {}
    if weight == "normalised":
        cols["weight"] = as_py(t.weight.astype(float))
        cols["count"] = as_py(t.count)
    else:
        cols["weight"] = as_py(t.count)
    if edge_attrs is not None:
        cols.update(edge_attrs(t))
    names = list(cols)
    # What add_edges_from does, without its per-edge checks: both ends are nodes already and the
    # pairs are unique with i < j. One attribute dict per edge, shared by both adjacency views.
    adj = G._adj
    if names == ["weight", "count"]:
        for a, b, w, n in zip(u, v, cols["weight"], cols["count"]):
            adj[a][b] = adj[b][a] = {"weight": w, "count": n}
    else:
        for a, b, *vals in zip(u, v, *cols.values()):
            adj[a][b] = adj[b][a] = dict(zip(names, vals))
    return G
