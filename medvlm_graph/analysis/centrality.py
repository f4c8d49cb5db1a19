"""Centrality of papers in the citation graph (PageRank, local counts, betweenness, sigma).

The citation graph is a ``networkx.DiGraph`` whose nodes are paper ids and whose edge ``u -> v``
means *u cites v* (the direction of the ``citations`` table, as built by
``graphs.build_citation_graph``).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import DataError
from ._frames import skipped

CENTRALITY_COLUMNS = ["paper_id", "pagerank", "local_citations", "local_references", "betweenness",
                      "burst_weight", "sigma"]
#: Above this many nodes betweenness is estimated from a sample of source nodes.
BETWEENNESS_EXACT_MAX = 1000
BETWEENNESS_SAMPLE = 100


def compute_centrality(citation_graph: nx.DiGraph, *, betweenness_k: int | None = None, seed: int = 0,
                       bursts: pd.DataFrame | None = None, alpha: float = 0.85) -> pd.DataFrame:
    """PageRank, in-corpus citation counts, betweenness and CiteSpace's sigma per paper.

    Parameters
    ----------
    citation_graph : networkx.DiGraph
        Edge ``u -> v``: ``u`` cites ``v``.
    betweenness_k : int, optional
        Number of sampled source nodes for betweenness. ``None``: exact up to
        ``BETWEENNESS_EXACT_MAX`` (1000) nodes, else a sample of ``BETWEENNESS_SAMPLE`` (100) nodes
        drawn with ``seed`` (networkx's estimator).
    seed : int
        Seed of the betweenness sample (reproducible).
    bursts : DataFrame, optional
        Citation bursts (:func:`~medvlm_graph.analysis.compute_citation_bursts`): ``paper_id`` and
        ``weight``; a paper's burstness is its strongest burst weight.
    alpha : float
        PageRank damping factor.

    Returns
    -------
    DataFrame
        Sorted by ``pagerank`` (descending) then ``paper_id``:

        - ``pagerank``: PageRank on the citation direction (rank flows to cited papers);
        - ``local_citations``: in-degree (citations from papers inside the corpus);
        - ``local_references``: out-degree (references to papers inside the corpus);
        - ``betweenness``: normalised betweenness on the undirected graph (as CiteSpace computes it);
        - ``burst_weight``: strongest citation-burst weight (0 without a burst);
        - ``sigma``: ``(betweenness + 1) ** burst_weight`` (CiteSpace's sigma; 1 without a burst).

        Empty with ``attrs["skipped"]`` when the graph has no edge.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("b", "a"), ("c", "a"), ("c", "b")])
    >>> compute_centrality(G)[["paper_id", "local_citations", "local_references"]].values.tolist()
    [['a', 2, 0], ['b', 1, 1], ['c', 0, 2]]
    """
    if not isinstance(citation_graph, nx.DiGraph):
        raise DataError("compute_centrality needs a directed citation graph (networkx.DiGraph)")
    G = citation_graph
    if G.number_of_edges() == 0:
        return skipped(CENTRALITY_COLUMNS, "no citations inside the corpus (needs S2 data: run refresh or ingest)")
    pr = nx.pagerank(G, alpha=alpha, weight=None)
    n = G.number_of_nodes()
    k = betweenness_k
    if k is None and n > BETWEENNESS_EXACT_MAX:
        k = BETWEENNESS_SAMPLE
    if k is not None:
        k = min(int(k), n)
    U = nx.Graph(G.to_undirected(as_view=True))
    bc = nx.betweenness_centrality(U, k=k, seed=seed, normalized=True)
    burst = {}
    if bursts is not None and len(bursts):
        burst = bursts.groupby("paper_id")["weight"].max().to_dict()
    nodes = sorted(G.nodes, key=str)
    df = pd.DataFrame({
        "paper_id": [str(v) for v in nodes],
        "pagerank": [pr[v] for v in nodes],
        "local_citations": [G.in_degree(v) for v in nodes],
        "local_references": [G.out_degree(v) for v in nodes],
        "betweenness": [bc[v] for v in nodes],
        "burst_weight": [float(burst.get(str(v), 0.0)) for v in nodes],
    })
    df["sigma"] = np.power(df["betweenness"] + 1.0, df["burst_weight"])
    if k is not None and k < n:
        df.attrs["note"] = f"betweenness estimated from {k} sampled nodes of {n} (seed {seed})"
    return df.sort_values(["pagerank", "paper_id"], ascending=[False, True]).reset_index(drop=True)
