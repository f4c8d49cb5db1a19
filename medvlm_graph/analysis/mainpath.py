"""Main path analysis of the citation graph: search path count (SPC) and main paths.

Knowledge flows from a cited paper to the paper citing it, so the analysis runs on the *flow*
orientation ``cited -> citing`` (the reverse of the citation graph's ``citing -> cited``). Sources are
papers citing nothing inside the corpus (but cited there), sinks are papers nobody inside the corpus
cites (but citing some); a paper with neither is isolated and on no path.

- ``SPC(u -> v) = N_minus(u) * N_plus(v)``: the number of source-to-sink paths through the edge, where
  ``N_minus(u)`` counts paths from any source to ``u`` (1 at a source) and ``N_plus(v)`` counts paths from
  ``v`` to any sink (1 at a sink) (Batagelj 2003). ``spc_norm`` divides by the number of
  source-to-sink paths; a paper with no citation edge inside the corpus is on none of them (it is
  neither a source nor a sink of the flow).
- Global main path: the source-to-sink path with the largest sum of SPC (Liu & Lu 2012).
- Key-route main path: the edge with the largest SPC, extended backwards to a source and forwards to
  a sink by the same largest-sum search.

Citation graphs can hold cycles (preprints citing each other). They are broken deterministically
before counting: inside each strongly connected component, an edge is dropped when it flows from a
paper that is not older than its target, comparing ``(year, paper_id)`` (unknown years last). The
number of dropped edges is reported in ``attrs["note"]``. Ties between equal sums go to the
predecessor/successor with the smaller ``(year, paper_id)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from ..errors import DataError
from ._frames import paper_titles, paper_years, skipped
from ._sparse import directed_arrays, n_edges

SPC_COLUMNS = ["cited_id", "citing_id", "spc", "spc_norm"]
PATH_COLUMNS = ["step", "paper_id", "year", "title", "spc_in", "node_spc"]
_NO_YEAR = 10**6


@dataclass
class _Flow:
    """The flow DAG on integer positions: edge ``u[e] -> v[e]`` (cited -> citing).

    ``rank[i]`` is node ``i``'s position in ``(year, paper_id)`` order; ``level[i]`` its longest
    distance from a source (every edge goes to a higher level). Path counts are Python ints in
    object arrays, so they stay exact however large (as the networkx version was).
    """

    nodes: list
    key: dict
    rank: np.ndarray
    u: np.ndarray
    v: np.ndarray
    dropped: int
    level: np.ndarray | None = None


def _flow_dag(citation_graph, papers: pd.DataFrame | None) -> _Flow:
    nodes, citing, cited = directed_arrays(citation_graph, "main path analysis")
    years = paper_years(papers).to_dict() if papers is not None and len(papers) else {}
    # the matrix form has no node attributes: its years are those of ``papers``
    for v, data in citation_graph.nodes(data=True) if isinstance(citation_graph, nx.DiGraph) else ():
        y = data.get("year")
        # build_citation_graph marks an unknown year as -1
        if str(v) not in years and y is not None and not pd.isna(y) and int(y) >= 0:
            years[str(v)] = int(y)
    n = len(nodes)
    key = {v: (years.get(str(v), _NO_YEAR), str(v)) for v in nodes}
    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=lambda i: key[nodes[i]])] = np.arange(n)
    keep = citing != cited
    u, v = cited[keep], citing[keep]
    # Break cycles: inside a strongly connected component drop the edges that do not flow from
    # an older to a newer paper (by rank); what remains is acyclic.
    _, comp = connected_components(csr_array((np.ones(len(u)), (u, v)), shape=(n, n)), directed=True,
                                   connection="strong")
    bad = (comp[u] == comp[v]) & (rank[u] >= rank[v])
    return _Flow(nodes, key, rank, u[~bad], v[~bad], int(bad.sum()))


def _levels(F: _Flow) -> np.ndarray:
    """Longest distance from a source of every node (Kahn's algorithm, one frontier at a time)."""
    n = len(F.nodes)
    indeg = np.bincount(F.v, minlength=n)
    order = np.argsort(F.u, kind="stable")
    tgt = F.v[order]
    indptr = np.r_[0, np.cumsum(np.bincount(F.u, minlength=n))]
    level = np.full(n, -1, dtype=np.int64)
    frontier = np.flatnonzero(indeg == 0)
    depth = 0
    while frontier.size:
        level[frontier] = depth
        lens = indptr[frontier + 1] - indptr[frontier]
        idx = np.repeat(indptr[frontier] - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
        hit, times = np.unique(tgt[idx], return_counts=True)
        indeg[hit] -= times
        frontier = hit[indeg[hit] == 0]
        depth += 1
    return level


def _by_level(F: _Flow, at: np.ndarray, level_of: np.ndarray):
    """Edge positions grouped by ``level_of[at]`` then ``at``: yields (level, edges, group starts)."""
    lv = level_of[at]
    order = np.lexsort((at, lv))
    lv_sorted = lv[order]
    cuts = np.flatnonzero(np.r_[True, lv_sorted[1:] != lv_sorted[:-1], True]) if len(lv) else [0]
    for a, b in zip(cuts[:-1], cuts[1:]):
        e = order[a:b]
        g = at[e]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        yield int(lv_sorted[a]), e, starts


def _counts(F: _Flow):
    """``N_minus`` and ``N_plus`` of every node (object arrays of Python ints)."""
    n = len(F.nodes)
    F.level = _levels(F)
    n_minus = np.ones(n, dtype=object)
    n_plus = np.ones(n, dtype=object)
    for _, e, starts in _by_level(F, F.v, F.level):  # increasing levels: predecessors are done
        n_minus[F.v[e[starts]]] = np.add.reduceat(n_minus[F.u[e]], starts)
    groups = list(_by_level(F, F.u, F.level))
    for _, e, starts in reversed(groups):  # decreasing levels: successors are done
        n_plus[F.u[e[starts]]] = np.add.reduceat(n_plus[F.v[e]], starts)
    return n_minus, n_plus


def _note(dropped: int) -> str:
    return f"{dropped} citation edge(s) dropped to break cycles (see the module docstring)" if dropped else ""


def compute_spc(citation_graph, *, papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Search path count of every citation edge.

    Parameters
    ----------
    citation_graph : networkx.DiGraph, or (scipy.sparse matrix, index)
        Edge ``u -> v``: ``u`` cites ``v``. Node attribute ``year`` is used when ``papers`` lacks it.
        Or the matrix form of :func:`~medvlm_graph.graphs.citation_adjacency` (``M[i, j] != 0``:
        ``index[i]`` cites ``index[j]``): the same table as the networkx graph of the same papers.
    papers : DataFrame, optional
        ``paper_id, year`` (to order papers when breaking cycles).

    Returns
    -------
    DataFrame
        ``cited_id, citing_id, spc`` (float; exact integers below 2**53), ``spc_norm`` (share of all
        source-to-sink paths through the edge), sorted by ``spc`` descending then ids.

    References
    ----------
    .. [1] Hummon, N. P., & Doreian, P. (1989). Connectivity in a citation network: The development of
       DNA theory. *Social Networks*, 11(1), 39-63. https://doi.org/10.1016/0378-8733(89)90017-8
    .. [2] Batagelj, V. (2003). Efficient algorithms for citation network analysis. arXiv:cs/0309023.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c", "a"), ("c", "b"), ("d", "c")])  # c cites a and b, d cites c
    >>> compute_spc(G)[["cited_id", "citing_id", "spc"]].values.tolist()
    [['c', 'd', 2.0], ['a', 'c', 1.0], ['b', 'c', 1.0]]
    """
    if n_edges(citation_graph) == 0:
        return skipped(SPC_COLUMNS, "no citations inside the corpus (needs S2 data: run refresh or ingest)")
    F = _flow_dag(citation_graph, papers)
    n_minus, n_plus = _counts(F)
    n = len(F.nodes)
    indeg, outdeg = np.bincount(F.v, minlength=n), np.bincount(F.u, minlength=n)
    # Source-to-sink paths: from every source, the paths it starts. A paper without any citation
    # edge inside the corpus (isolated, or only citing itself) is on no path, so it does not count.
    total = int(np.sum(n_plus[(indeg == 0) & (outdeg > 0)]))
    spc = n_minus[F.u] * n_plus[F.v]
    ids = np.array([str(v) for v in F.nodes], dtype=object)
    out = pd.DataFrame({"cited_id": ids[F.u], "citing_id": ids[F.v], "spc": spc.astype(float),
                        "spc_norm": (spc / total).astype(float) if len(spc) else np.zeros(0)})
    out = out.sort_values(["spc", "cited_id", "citing_id"], ascending=[False, True, True]).reset_index(drop=True)
    if F.dropped:
        out.attrs["note"] = _note(F.dropped)
    return out


def _best(F: _Flow, n_minus, n_plus, *, forward: bool):
    """Largest SPC sum of a path ending at each node (from a source), or starting at it (to a sink).

    Returns ``best`` (object array of ints) and ``choice`` (the chosen predecessor / successor
    position, -1 at a source / sink); ties go to the neighbour of smallest ``(year, paper_id)``.
    """
    n = len(F.nodes)
    best = np.zeros(n, dtype=object)
    choice = np.full(n, -1, dtype=np.int64)
    at, other = (F.v, F.u) if forward else (F.u, F.v)
    by_rank = np.argsort(F.rank)
    groups = list(_by_level(F, at, F.level))
    for _, e, starts in (groups if forward else reversed(groups)):
        cand = best[other[e]] + n_minus[F.u[e]] * n_plus[F.v[e]]
        lens = np.diff(np.r_[starts, len(e)])
        top = np.maximum.reduceat(cand, starts)
        tied = cand == np.repeat(top, lens)
        r = np.where(tied, F.rank[other[e]], n)
        targets = at[e[starts]]
        best[targets] = top
        choice[targets] = by_rank[np.minimum.reduceat(r, starts)]
    return best, choice


def compute_main_path(citation_graph, *, method: str = "global",
                      papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The main path through the citation DAG, papers in order from oldest to newest.

    Parameters
    ----------
    citation_graph : networkx.DiGraph, or (scipy.sparse matrix, index)
        Edge ``u -> v``: ``u`` cites ``v``. Or the matrix form of
        :func:`~medvlm_graph.graphs.citation_adjacency`: the same path as the networkx graph of the
        same papers (a paper without a title in ``papers`` gets ``""``, as that graph marks it).
    method : {"global", "key-route"}
        See the module docstring.
    papers : DataFrame, optional
        ``paper_id, year, title`` (years order papers when breaking cycles; titles are listed).

    Returns
    -------
    DataFrame
        ``step`` (0 = the path's source), ``paper_id, year, title``, ``spc_in`` (SPC of the edge
        arriving at the paper on the path; NaN at step 0), ``node_spc`` (``N_minus * N_plus``: paths
        through the paper). Empty with ``attrs["skipped"]`` when there is no citation edge.

    References
    ----------
    .. [1] Hummon, N. P., & Doreian, P. (1989). Connectivity in a citation network: The development of
       DNA theory. *Social Networks*, 11(1), 39-63. https://doi.org/10.1016/0378-8733(89)90017-8
    .. [2] Liu, J. S., & Lu, L. Y. Y. (2012). An integrated approach for main path analysis: Development
       of the Hirsch index as an example. *JASIST*, 63(3), 528-542. https://doi.org/10.1002/asi.21692

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c", "a"), ("c", "b"), ("d", "c")])
    >>> compute_main_path(G)["paper_id"].tolist()
    ['a', 'c', 'd']
    """
    if method not in ("global", "key-route"):
        raise DataError(f"unknown main path method {method!r}; use global or key-route")
    if n_edges(citation_graph) == 0:
        return skipped(PATH_COLUMNS, "no citations inside the corpus (needs S2 data: run refresh or ingest)")
    F = _flow_dag(citation_graph, papers)
    if len(F.u) == 0:
        return skipped(PATH_COLUMNS, "no citations between distinct papers inside the corpus")
    n_minus, n_plus = _counts(F)
    back, bchoice = _best(F, n_minus, n_plus, forward=True)
    if method == "global":
        n = len(F.nodes)
        indeg, outdeg = np.bincount(F.v, minlength=n), np.bincount(F.u, minlength=n)
        sinks = np.flatnonzero((outdeg == 0) & (indeg > 0))
        top = max(back[sinks])
        end = int(sinks[np.argmin(np.where(back[sinks] == top, F.rank[sinks], n))])
        path = [end]
        while bchoice[path[-1]] >= 0:
            path.append(int(bchoice[path[-1]]))
        path.reverse()
    else:
        _, fchoice = _best(F, n_minus, n_plus, forward=False)
        spc = n_minus[F.u] * n_plus[F.v]
        cand = np.flatnonzero(spc == max(spc))
        e = cand[np.lexsort((F.rank[F.v[cand]], F.rank[F.u[cand]]))[0]]
        path = [int(F.u[e])]
        while bchoice[path[-1]] >= 0:
            path.append(int(bchoice[path[-1]]))
        path.reverse()
        path.append(int(F.v[e]))
        while fchoice[path[-1]] >= 0:
            path.append(int(fchoice[path[-1]]))
    key = F.key
    path = [F.nodes[i] for i in path]
    pos = {v: i for i, v in enumerate(F.nodes)}
    n_minus = {v: n_minus[pos[v]] for v in path}
    n_plus = {v: n_plus[pos[v]] for v in path}
    titles = paper_titles(papers)
    graph = isinstance(citation_graph, nx.DiGraph)
    rows = []
    for i, v in enumerate(path):
        year = key[v][0]
        rows.append((i, str(v), None if year == _NO_YEAR else year,
                     titles.get(str(v), citation_graph.nodes[v].get("title") if graph else ""),
                     float(n_minus[path[i - 1]] * n_plus[v]) if i else float("nan"), float(n_minus[v] * n_plus[v])))
    out = pd.DataFrame(rows, columns=PATH_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    if F.dropped:
        out.attrs["note"] = _note(F.dropped)
    return out
