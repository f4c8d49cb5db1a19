"""Centrality of papers in the citation graph (PageRank, local counts, betweenness, sigma).

The citation graph is a ``networkx.DiGraph`` whose nodes are paper ids and whose edge ``u -> v``
means *u cites v* (the direction of the ``citations`` table, as built by
``graphs.build_citation_graph``), or the same graph as the ``(matrix, index)`` pair of
``graphs.citation_adjacency`` (no networkx object: same result).

Speed: PageRank and betweenness run on ``scipy.sparse`` matrices (:mod:`._sparse`), with the same
formulas and the same source sample as networkx, so values equal networkx's up to summation order.
Sampled betweenness costs about ``k x edges``; ``k`` is capped so that ``k * edges`` stays within
``BETWEENNESS_BUDGET`` (but never below ``BETWEENNESS_MIN_SAMPLE``), and the cap is reported in
``attrs["note"]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _sparse
from ._frames import skipped

CENTRALITY_COLUMNS = ["paper_id", "pagerank", "local_citations", "local_references", "betweenness",
                      "burst_weight", "sigma"]
#: Above this many nodes betweenness is estimated from a sample of source nodes.
BETWEENNESS_EXACT_MAX = 1000
BETWEENNESS_SAMPLE = 100
#: Largest ``k * (undirected edges)`` of the default sample: 100 sources up to 1.5 M edges, then fewer
#: (50 at 3 M edges), so the estimate stays within seconds. An explicit ``betweenness_k`` is not capped.
BETWEENNESS_BUDGET = 150_000_000
BETWEENNESS_MIN_SAMPLE = 20


def compute_centrality(citation_graph, *, betweenness_k: int | None = None, seed: int = 0,
                       bursts: pd.DataFrame | None = None, alpha: float = 0.85) -> pd.DataFrame:
    """PageRank, in-corpus citation counts, betweenness and CiteSpace's sigma per paper.

    Parameters
    ----------
    citation_graph : networkx.DiGraph, or (scipy.sparse matrix, index)
        Edge ``u -> v``: ``u`` cites ``v``. Or the matrix form of
        :func:`~medvlm_graph.graphs.citation_adjacency` (``M[i, j] != 0``: ``index[i]`` cites
        ``index[j]``), which gives the same table as the networkx graph of the same papers.
    betweenness_k : int, optional
        Number of sampled source nodes for betweenness. ``None``: exact up to
        ``BETWEENNESS_EXACT_MAX`` (1000) nodes, else a sample of ``BETWEENNESS_SAMPLE`` (100) nodes
        drawn with ``seed`` (networkx's estimator), fewer on large graphs so that
        ``k * edges <= BETWEENNESS_BUDGET`` (at least ``BETWEENNESS_MIN_SAMPLE``).
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

    References
    ----------
    .. [1] Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search engine.
       *Computer Networks and ISDN Systems*, 30(1-7), 107-117.
       https://doi.org/10.1016/S0169-7552(98)00110-X
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of Mathematical
       Sociology*, 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249
    .. [3] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. *International
       Journal of Bifurcation and Chaos*, 17(7), 2303-2318.
    .. [4] Chen, C. (2006). CiteSpace II: Detecting and visualizing emerging trends and transient
       patterns in scientific literature. *Journal of the American Society for Information Science and
       Technology*, 57(3), 359-377. https://doi.org/10.1002/asi.20317
    .. [5] Chen, C., Chen, Y., Horowitz, M., Hou, H., Liu, Z., & Pellegrino, D. (2009). Towards an
       explanatory and computational theory of scientific discovery. *Journal of Informetrics*, 3(3),
       191-209 (sigma).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("b", "a"), ("c", "a"), ("c", "b")])
    >>> compute_centrality(G)[["paper_id", "local_citations", "local_references"]].values.tolist()
    [['a', 2, 0], ['b', 1, 1], ['c', 0, 2]]
    >>> from medvlm_graph.graphs.adjacency import to_adjacency
    >>> compute_centrality(to_adjacency(G)).equals(compute_centrality(G))
    True
    """
    nodes, src, dst = _sparse.directed_arrays(citation_graph, "compute_centrality")
    if len(src) == 0:
        return skipped(CENTRALITY_COLUMNS, "no citations inside the corpus (needs S2 data: run refresh or ingest)")
    n = len(nodes)
    pr = _sparse.pagerank(_sparse.adjacency(n, src, dst), alpha=alpha)
    keep = src != dst  # networkx's BFS never passes through a self-loop
    U = _sparse.adjacency(n, src[keep], dst[keep], symmetric=True)
    k, capped = betweenness_k, False
    if k is None and n > BETWEENNESS_EXACT_MAX:
        k = BETWEENNESS_SAMPLE
        m = U.nnz // 2
        if k * m > BETWEENNESS_BUDGET:
            k, capped = max(BETWEENNESS_MIN_SAMPLE, BETWEENNESS_BUDGET // m), True
    if k is not None:
        k = min(int(k), n)
    sample = _sparse.sample_sources(nodes, k, seed)
    pos = {v: i for i, v in enumerate(nodes)}
    bc = _sparse.betweenness(U, None if sample is None else np.array([pos[v] for v in sample], dtype=np.int64))
    burst = {}
    if bursts is not None and len(bursts):
        burst = bursts.groupby("paper_id")["weight"].max().to_dict()
    ids = [str(v) for v in nodes]
    order = sorted(range(n), key=lambda i: ids[i])
    df = pd.DataFrame({
        "paper_id": [ids[i] for i in order],
        "pagerank": pr[order],
        # each edge listed once (a self-loop too): the in- and out-degrees networkx counts
        "local_citations": np.bincount(dst, minlength=n).astype(np.int64)[order],
        "local_references": np.bincount(src, minlength=n).astype(np.int64)[order],
        "betweenness": bc[order],
        "burst_weight": [float(burst.get(ids[i], 0.0)) for i in order],
    })
    df["sigma"] = np.power(df["betweenness"] + 1.0, df["burst_weight"])
    if k is not None and k < n:
        df.attrs["note"] = f"betweenness estimated from {k} sampled nodes of {n} (seed {seed})" + (
            f"; sample capped at BETWEENNESS_BUDGET / edges ({BETWEENNESS_BUDGET:,} / {U.nnz // 2:,})"
            if capped else "")
    return df.sort_values(["pagerank", "paper_id"], ascending=[False, True]).reset_index(drop=True)
