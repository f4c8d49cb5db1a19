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

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from ..errors import DataError
from ._frames import paper_titles, paper_years, skipped
from ._sparse import directed_arrays, n_edges

SPC_COLUMNS = ["cited_id", "citing_id", "spc", "spc_norm"]
PATH_COLUMNS = ["step", "paper_id", "year", "title", "spc_in", "node_spc"]
_NO_YEAR = 10**6


#: Integers below this are exact in float64, and so are their sums and products that stay below it.
_EXACT = 2.0**53


@dataclass
class _Flow:
    """The flow DAG on integer positions: edge ``u[e] -> v[e]`` (cited -> citing).

    ``rank[i]`` is node ``i``'s position in ``(year, paper_id)`` order; ``names[i]`` its id as text
    and ``year[i]`` its year (``_NO_YEAR`` when unknown), as :func:`_flow_dag` sets them; ``level[i]``
    its longest distance from a source (every edge goes to a higher level). Path counts are exact
    integers however large (as the networkx version's Python ints were): float64 while every count
    stays below 2**53, Python ints in object arrays beyond (see :func:`_counts`). ``key`` is not read
    here (``treeofscience`` builds a flow by hand with it).
    """

    nodes: list
    rank: np.ndarray
    u: np.ndarray
    v: np.ndarray
    dropped: int
    names: np.ndarray | None = None
    year: np.ndarray | None = None
    key: dict = field(default_factory=dict)
    level: np.ndarray | None = None
    groups: dict = field(default_factory=dict)
    counts: tuple | None = None


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
    names = np.array([str(v) for v in nodes], dtype=object)
    year = np.array([years.get(name, _NO_YEAR) for name in names], dtype=np.int64)
    # rank in (year, paper_id) order; equal ids (only str(v) of distinct nodes can tie) keep node order
    by_id = np.empty(n, dtype=np.int64)
    by_id[np.argsort(names, kind="stable")] = np.arange(n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((by_id, year))] = np.arange(n)
    keep = citing != cited
    u, v = cited[keep], citing[keep]
    # Break cycles: inside a strongly connected component drop the edges that do not flow from
    # an older to a newer paper (by rank); what remains is acyclic.
    _, comp = connected_components(csr_array((np.ones(len(u)), (u, v)), shape=(n, n)), directed=True,
                                   connection="strong")
    bad = (comp[u] == comp[v]) & (rank[u] >= rank[v])
    return _Flow(nodes, rank, u[~bad], v[~bad], int(bad.sum()), names=names, year=year)


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


def _groups(F: _Flow, at: str) -> list:
    """``_by_level`` of the edges by their ``at`` end (``"u"`` or ``"v"``), computed once per flow."""
    if at not in F.groups:
        if F.level is None:
            F.level = _levels(F)
        F.groups[at] = list(_by_level(F, getattr(F, at), F.level))
    return F.groups[at]


def _counts(F: _Flow):
    """``N_minus`` and ``N_plus`` of every node (computed once per flow): float64 arrays when every
    count is below 2**53 (sums of integers below it are exact in any order), else object arrays of
    Python ints."""
    if F.counts is not None:
        return F.counts
    n = len(F.nodes)
    for dtype in (np.float64, object):
        n_minus = np.ones(n, dtype=dtype)
        n_plus = np.ones(n, dtype=dtype)
        for _, e, starts in _groups(F, "v"):  # increasing levels: predecessors are done
            n_minus[F.v[e[starts]]] = np.add.reduceat(n_minus[F.u[e]], starts)
        for _, e, starts in reversed(_groups(F, "u")):  # decreasing levels: successors are done
            n_plus[F.u[e[starts]]] = np.add.reduceat(n_plus[F.v[e]], starts)
        if dtype is object or (_exact(n_minus) and _exact(n_plus)):
            F.counts = (n_minus, n_plus)
            return F.counts
    raise AssertionError("unreachable")


def _exact(x: np.ndarray) -> bool:
    """Whether ``x`` holds exact integers: Python ints, or float64 sums and products of positive
    integers all below 2**53 (a float result reaching 2**53 may have been rounded)."""
    return x.dtype == object or not x.size or bool(np.max(x) < _EXACT)


def _ints(x: np.ndarray) -> np.ndarray:
    """Exact counts as Python ints (object array)."""
    return x if x.dtype == object else x.astype(np.int64).astype(object)


def _spc(n_minus: np.ndarray, n_plus: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``N_minus[u] * N_plus[v]``, exact: float64 when every product is below 2**53, else Python ints."""
    spc = n_minus[u] * n_plus[v]
    return spc if _exact(spc) else _ints(n_minus)[u] * _ints(n_plus)[v]


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
    return _spc_table(_flow_dag(citation_graph, papers))


def _spc_table(F: _Flow) -> pd.DataFrame:
    """The table of :func:`compute_spc` from the flow DAG."""
    n_minus, n_plus = _counts(F)
    n = len(F.nodes)
    indeg, outdeg = np.bincount(F.v, minlength=n), np.bincount(F.u, minlength=n)
    # Source-to-sink paths: from every source, the paths it starts. A paper without any citation
    # edge inside the corpus (isolated, or only citing itself) is on no path, so it does not count.
    starts = n_plus[(indeg == 0) & (outdeg > 0)]
    total = np.sum(starts)
    spc = _spc(n_minus, n_plus, F.u, F.v)
    if spc.dtype == object or not total < _EXACT:
        spc, total = _ints(spc), int(np.sum(_ints(starts)))
    # float64 operands below 2**53 are the integers themselves, and IEEE division rounds their exact
    # quotient as Python's int / int does: the same floats either way
    spc_norm = (spc / total).astype(float) if len(spc) else np.zeros(0)
    spc = spc.astype(float)
    # by spc desc, then cited id, then citing id, as pandas sorts them: equal ids share a code (only the
    # str of two distinct networkx nodes can be equal) and the sort is stable
    _, by_id = np.unique(F.names, return_inverse=True)
    order = np.lexsort((by_id[F.v], by_id[F.u], -spc))
    names = pa.array(F.names, type=pa.large_string())  # ids taken by Arrow, not as 2 x edges Python strings
    out = pd.DataFrame({"cited_id": pd.array(names.take(F.u[order]), dtype="str"),
                        "citing_id": pd.array(names.take(F.v[order]), dtype="str"),
                        "spc": spc[order], "spc_norm": spc_norm[order]})
    if F.dropped:
        out.attrs["note"] = _note(F.dropped)
    return out


def _best(F: _Flow, n_minus, n_plus, *, forward: bool):
    """Largest SPC sum of a path ending at each node (from a source), or starting at it (to a sink).

    Returns ``best`` (exact integers: float64 while every sum stays below 2**53, else Python ints)
    and ``choice`` (the chosen predecessor / successor position, -1 at a source / sink); ties go to
    the neighbour of smallest ``(year, paper_id)``.
    """
    n = len(F.nodes)
    at, other = (F.v, F.u) if forward else (F.u, F.v)
    by_rank = np.argsort(F.rank)
    groups = _groups(F, "v" if forward else "u")
    for exact in (False, True):
        if exact:  # a sum reached 2**53: again in Python ints
            n_minus, n_plus = _ints(n_minus), _ints(n_plus)
        best = np.zeros(n, dtype=n_minus.dtype)
        choice = np.full(n, -1, dtype=np.int64)
        for _, e, starts in (groups if forward else reversed(groups)):
            cand = best[other[e]] + n_minus[F.u[e]] * n_plus[F.v[e]]
            lens = np.diff(np.r_[starts, len(e)])
            top = np.maximum.reduceat(cand, starts)
            tied = cand == np.repeat(top, lens)
            r = np.where(tied, F.rank[other[e]], n)
            targets = at[e[starts]]
            best[targets] = top
            choice[targets] = by_rank[np.minimum.reduceat(r, starts)]
        # sums of nonnegative terms only grow: if the largest is below 2**53, none was rounded
        if _exact(best):
            return best, choice
    raise AssertionError("unreachable")


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
    return _main_path_table(_flow_dag(citation_graph, papers), citation_graph, method, papers)


def _main_path_table(F: _Flow, citation_graph, method: str, papers: pd.DataFrame | None) -> pd.DataFrame:
    """The table of :func:`compute_main_path` from the flow DAG of ``citation_graph``."""
    if len(F.u) == 0:
        return skipped(PATH_COLUMNS, "no citations between distinct papers inside the corpus")
    n_minus, n_plus = _counts(F)
    back, bchoice = _best(F, n_minus, n_plus, forward=True)
    if method == "global":
        n = len(F.nodes)
        indeg, outdeg = np.bincount(F.v, minlength=n), np.bincount(F.u, minlength=n)
        sinks = np.flatnonzero((outdeg == 0) & (indeg > 0))
        top = np.max(back[sinks])
        end = int(sinks[np.argmin(np.where(back[sinks] == top, F.rank[sinks], n))])
        path = [end]
        while bchoice[path[-1]] >= 0:
            path.append(int(bchoice[path[-1]]))
        path.reverse()
    else:
        _, fchoice = _best(F, n_minus, n_plus, forward=False)
        spc = _spc(n_minus, n_plus, F.u, F.v)
        cand = np.flatnonzero(spc == np.max(spc))
        e = cand[np.lexsort((F.rank[F.v[cand]], F.rank[F.u[cand]]))[0]]
        path = [int(F.u[e])]
        while bchoice[path[-1]] >= 0:
            path.append(int(bchoice[path[-1]]))
        path.reverse()
        path.append(int(F.v[e]))
        while fchoice[path[-1]] >= 0:
            path.append(int(fchoice[path[-1]]))
    # the path's counts as Python ints: their products are exact, as the networkx version's were
    n_minus = {i: int(n_minus[i]) for i in path}
    n_plus = {i: int(n_plus[i]) for i in path}
    titles = paper_titles(papers)
    graph = isinstance(citation_graph, nx.DiGraph)
    rows = []
    for step, i in enumerate(path):
        name, year = F.names[i], int(F.year[i])
        rows.append((step, name, None if year == _NO_YEAR else year,
                     titles.get(name, citation_graph.nodes[F.nodes[i]].get("title") if graph else ""),
                     float(n_minus[path[step - 1]] * n_plus[i]) if step else float("nan"),
                     float(n_minus[i] * n_plus[i])))
    out = pd.DataFrame(rows, columns=PATH_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    if F.dropped:
        out.attrs["note"] = _note(F.dropped)
    return out


def compute_spc_and_main_path(citation_graph, *, method: str = "global",
                              papers: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(compute_spc(...), compute_main_path(...))`` of one graph, from one flow DAG and one count of
    paths (the ``clusters`` run needs both; each alone computes them again).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c", "a"), ("c", "b"), ("d", "c")])
    >>> spc, path = compute_spc_and_main_path(G)
    >>> spc.equals(compute_spc(G)), path.equals(compute_main_path(G))
    (True, True)
    """
    if method not in ("global", "key-route"):
        raise DataError(f"unknown main path method {method!r}; use global or key-route")
    if n_edges(citation_graph) == 0:
        return compute_spc(citation_graph, papers=papers), compute_main_path(citation_graph, method=method,
                                                                              papers=papers)
    F = _flow_dag(citation_graph, papers)
    return _spc_table(F), _main_path_table(F, citation_graph, method, papers)
