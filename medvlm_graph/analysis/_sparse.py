"""Integer-indexed sparse views of a graph (networkx, or a sparse matrix with its id index), and graph
algorithms on them.

The analysis path runs on ``scipy.sparse`` / numpy instead of networkx's Python loops. The
functions here reproduce networkx's results (same formulas, same sampling), so switching is
invisible in the outputs up to floating-point summation order (relative differences ~1e-15).
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..errors import DataError


def edge_arrays(G: nx.Graph) -> tuple[list, np.ndarray, np.ndarray]:
    """``(nodes, src, dst)``: the nodes in ``G``'s order and every edge as integer positions.

    One Python step per node (not per edge): each adjacency dict is mapped through ``dict``
    lookups in a list comprehension. An undirected graph lists each edge once (``src <= dst``
    in node order is not guaranteed; both orientations are never listed).

    Examples
    --------
    >>> import networkx as nx
    >>> nodes, s, d = edge_arrays(nx.DiGraph([("a", "b"), ("b", "c")]))
    >>> nodes, s.tolist(), d.tolist()
    (['a', 'b', 'c'], [0, 1], [1, 2])
    """
    nodes = list(G)
    pos = {v: i for i, v in enumerate(nodes)}
    adj = G._succ if G.is_directed() else G._adj
    lens = np.fromiter((len(nbrs) for nbrs in adj.values()), dtype=np.int64, count=len(nodes))
    src = np.repeat(np.arange(len(nodes), dtype=np.int64), lens)
    dst = np.fromiter((pos[w] for nbrs in adj.values() for w in nbrs), dtype=np.int64, count=int(lens.sum()))
    if not G.is_directed():  # each undirected edge appears in both adjacency dicts: keep one
        keep = src <= dst
        src, dst = src[keep], dst[keep]
    return nodes, src, dst


def directed_arrays(G, what: str) -> tuple[list, np.ndarray, np.ndarray]:
    """``(nodes, src, dst)`` of a directed graph: a ``networkx.DiGraph`` (:func:`edge_arrays`), or the
    ``(matrix, index)`` pair of :func:`~medvlm_graph.graphs.citation_adjacency`, where a nonzero
    ``M[i, j]`` is the edge ``index[i] -> index[j]`` (nodes: the ids of ``index``, in its order).

    ``citation_adjacency(papers, citations)`` has the nodes of ``build_citation_graph(papers,
    citations)`` in the same order and the same edges, so both give the same nodes and edges (the
    edges may be listed in another order).

    Raises
    ------
    DataError
        When ``G`` is neither (``what`` names the analysis).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> nodes, s, d = directed_arrays((sp.csr_matrix([[0, 1], [0, 0]]), ["a", "b"]), "demo")
    >>> nodes, s.tolist(), d.tolist()
    (['a', 'b'], [0], [1])
    """
    if isinstance(G, tuple) and len(G) == 2:
        M, index = G
        M = sp.csr_array(M, copy=True)
        if M.shape != (len(index), len(index)):
            raise DataError(f"{what}: graph matrix of shape {M.shape} does not match its index of {len(index)} ids")
        M.sum_duplicates()  # a repeated entry is one edge, a stored 0 none
        M.eliminate_zeros()
        C = M.tocoo()
        return [str(v) for v in index], C.row.astype(np.int64), C.col.astype(np.int64)
    if not isinstance(G, nx.DiGraph):
        raise DataError(f"{what} needs a directed citation graph (networkx.DiGraph, or the (matrix, index) "
                        "pair of citation_adjacency)")
    return edge_arrays(G)


def n_edges(G) -> int:
    """Edges of a networkx graph, or nonzero entries of the matrix of a ``(matrix, index)`` pair."""
    if isinstance(G, tuple) and len(G) == 2:
        return int(sp.csr_array(G[0]).count_nonzero())
    return G.number_of_edges()


def adjacency(n: int, src: np.ndarray, dst: np.ndarray, *, symmetric: bool = False) -> sp.csr_array:
    """Binary CSR adjacency (``A[src, dst] = 1``; both directions when ``symmetric``)."""
    if symmetric:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    A = sp.csr_array((np.ones(len(src)), (src, dst)), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    return A


def pagerank(A: sp.csr_array, *, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6) -> np.ndarray:
    """PageRank of the graph with adjacency ``A`` (row = source), as ``networkx.pagerank(weight=None)``.

    Same power iteration as networkx's scipy implementation: uniform start and teleport,
    dangling nodes' rank spread uniformly, stop when the l1 change is below ``n * tol``.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        As networkx, after ``max_iter`` iterations without convergence.

    References
    ----------
    .. [1] Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search engine.
       *Computer Networks and ISDN Systems*, 30(1-7), 107-117.
       https://doi.org/10.1016/S0169-7552(98)00110-X
    """
    N = A.shape[0]
    if N == 0:
        return np.zeros(0)
    S = np.asarray(A.sum(axis=1), dtype=float).ravel()  # float even for an integer adjacency
    S[S != 0] = 1.0 / S[S != 0]
    M = sp.dia_array((S[None, :], 0), shape=A.shape).tocsr() @ A
    x = np.repeat(1.0 / N, N)
    p = np.repeat(1.0 / N, N)
    is_dangling = np.where(S == 0)[0]
    for _ in range(max_iter):
        xlast = x
        x = alpha * (x @ M + sum(x[is_dangling]) * p) + (1 - alpha) * p
        if np.absolute(x - xlast).sum() < N * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def _rows_product(A: sp.csr_array, rows: np.ndarray, cols: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``A @ X`` on the rows ``rows`` (boolean mask; the other rows are 0 or left as computed, the
    caller reads only ``rows``), for ``X`` zero outside the rows ``cols`` (boolean mask): the same
    floats as the full product.

    scipy sums each row's terms in the order of its column indices, starting from 0; dropping the
    columns where ``X`` is 0 drops terms ``a * 0 == 0`` that leave every partial sum unchanged (all
    values here are nonnegative), and the kept terms keep their order (sorted indices, sorted
    ``cols``). A breadth-first level touches a few rows and columns, so this costs a fraction of the
    full product.
    """
    n = A.shape[0]
    r, c = np.flatnonzero(rows), np.flatnonzero(cols)
    if not len(r) or not len(c):
        return np.zeros_like(X)
    A.sort_indices()
    # slicing copies the matrix: worth it only when it drops much of it
    sub = A if len(r) > 0.9 * n else A[r]
    if len(c) <= n // 2:
        sub, X = sub[:, c], X[c]
    if len(r) > 0.9 * n:
        return sub @ X  # the other rows are not read by the caller
    out = np.zeros_like(X, shape=(n, X.shape[1]))
    out[r] = sub @ X
    return out


def sample_sources(nodes: list, k: int | None, seed: int) -> list | None:
    """The ``k`` source nodes networkx's betweenness estimator draws with ``seed`` (None: all)."""
    if k is None or k == len(nodes):
        return None
    return random.Random(seed).sample(list(nodes), k)


def betweenness(A: sp.csr_array, sources: np.ndarray | None, *, batch: int = 64) -> np.ndarray:
    """Normalised betweenness of an undirected unweighted graph, as ``networkx.betweenness_centrality``.

    Brandes' algorithm run for a batch of sources at once with sparse-matrix products: a
    level-synchronous breadth-first search counts shortest paths (``sigma``) level by level, then
    dependencies are accumulated from the deepest level back. ``sources`` are the sampled source
    positions (``None``: every node, the exact value); the rescaling is networkx's since 3.5
    (endpoints excluded; a sampled source is scaled by ``1 / ((k - 1)(n - 2))``, others by
    ``1 / (k (n - 2))``; networkx 3.2 - 3.4 scaled every node by ``n / (k (n - 1)(n - 2))``, hence the
    ``networkx>=3.5`` pin).

    Parameters
    ----------
    A : scipy.sparse.csr_array
        Symmetric binary adjacency without self-loops.
    sources : array of int, optional
        Source positions.
    batch : int
        Sources processed together (memory: a few ``n x batch`` float arrays).

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of Mathematical
       Sociology*, 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249
    .. [2] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. *International
       Journal of Bifurcation and Chaos*, 17(7), 2303-2318.
    """
    n = A.shape[0]
    bc = np.zeros(n)
    src = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    A = sp.csr_array(A)  # symmetric: A.T == A, so the products below are A @ dense
    for lo in range(0, len(src), batch):
        s = src[lo:lo + batch]
        b = len(s)
        cols = np.arange(b)
        sigma = np.zeros((n, b))
        level = np.full((n, b), -1, dtype=np.int32)
        sigma[s, cols] = 1.0
        level[s, cols] = 0
        frontier = sigma.copy()
        depth = 0
        while True:
            # only rows some source has not reached yet can be new; only frontier rows contribute
            nxt = _rows_product(A, (level < 0).any(axis=1), (frontier != 0).any(axis=1), frontier)
            new = (level < 0) & (nxt > 0)
            if not new.any():
                break
            depth += 1
            level[new] = depth
            sigma[new] = nxt[new]
            frontier = np.where(new, nxt, 0.0)
        delta = np.zeros((n, b))
        for d in range(depth, 0, -1):
            at_d = level == d
            coeff = np.where(at_d, (1.0 + delta) / np.where(sigma > 0, sigma, 1.0), 0.0)
            prev = level == d - 1
            up = _rows_product(A, prev.any(axis=1), at_d.any(axis=1), coeff)
            delta[prev] += sigma[prev] * up[prev]
        delta[s, cols] = 0.0  # a source's own dependency does not count
        bc += delta.sum(axis=1)
    # networkx's _rescale (normalized=True, endpoints=False)
    N = n - 1
    if N < 2:
        return bc
    if sources is None:
        return bc * (1.0 / (N * (N - 1)))
    k = len(src)
    scale = np.full(n, 1.0 / (k * (N - 1)))
    scale[src] = 1.0 / ((k - 1) * (N - 1)) if k > 1 else np.nan
    return bc * scale
