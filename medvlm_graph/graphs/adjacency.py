"""Any networkx graph as a sparse adjacency matrix and its node-id index.

The form the ``*_adjacency`` builders return, so an analysis that takes a
``(matrix, index)`` pair can take a user's networkx graph as well.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp


def to_adjacency(G: nx.Graph, *, weight: str | None = "weight") -> tuple[sp.csr_matrix, pd.Index]:
    """``(M, index)``: ``M[i, j]`` is the ``weight`` of edge ``index[i] -> index[j]`` (1 when absent).

    Nodes keep the graph's order; their ids become strings. An undirected graph gives a symmetric
    matrix (a self-loop once, on the diagonal); ``weight=None`` gives 1 for every edge. An edge whose
    weight is 0 stays a stored entry of ``M``, so the matrix keeps every edge of the graph.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("b", "a", {"weight": 2.5}), ("a", "c")])
    >>> M, index = to_adjacency(G)
    >>> list(index), M.toarray().tolist()
    (['b', 'a', 'c'], [[0.0, 2.5, 0.0], [2.5, 0.0, 1.0], [0.0, 1.0, 0.0]])
    """
    nodes = list(G)
    M = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=np.float64, format="csr")
    return sp.csr_matrix(M), pd.Index([str(v) for v in nodes], dtype="string")
