"""Main path analysis of the citation graph: search path count (SPC) and main paths.

Knowledge flows from a cited paper to the paper citing it, so the analysis runs on the *flow*
orientation ``cited -> citing`` (the reverse of the citation graph's ``citing -> cited``). Sources are
papers citing nothing inside the corpus, sinks are papers nobody inside the corpus cites.

- ``SPC(u -> v) = N_minus(u) * N_plus(v)``: the number of source-to-sink paths through the edge, where
  ``N_minus(u)`` counts paths from any source to ``u`` (1 at a source) and ``N_plus(v)`` counts paths from
  ``v`` to any sink (1 at a sink) (Batagelj 2003). ``spc_norm`` divides by the number of
  source-to-sink paths.
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

import networkx as nx
import pandas as pd

from ..errors import DataError
from ._frames import paper_titles, paper_years, skipped

SPC_COLUMNS = ["cited_id", "citing_id", "spc", "spc_norm"]
PATH_COLUMNS = ["step", "paper_id", "year", "title", "spc_in", "node_spc"]
_NO_YEAR = 10**6


def _flow_dag(citation_graph: nx.DiGraph, papers: pd.DataFrame | None):
    if not isinstance(citation_graph, nx.DiGraph):
        raise DataError("main path analysis needs a directed citation graph (networkx.DiGraph)")
    years = paper_years(papers).to_dict() if papers is not None and len(papers) else {}
    for v, data in citation_graph.nodes(data=True):
        y = data.get("year")
        # build_citation_graph marks an unknown year as -1
        if str(v) not in years and y is not None and not pd.isna(y) and int(y) >= 0:
            years[str(v)] = int(y)
    key = {v: (years.get(str(v), _NO_YEAR), str(v)) for v in citation_graph.nodes}
    edges = sorted(((v, u) for u, v in citation_graph.edges if u != v), key=lambda e: (key[e[0]], key[e[1]]))
    F = nx.DiGraph()
    F.add_nodes_from(sorted(citation_graph.nodes, key=key.get))
    F.add_edges_from(edges)
    dropped = 0
    for comp in nx.strongly_connected_components(F):
        if len(comp) < 2:
            continue
        bad = [(u, v) for u, v in F.subgraph(comp).edges if key[u] >= key[v]]
        F.remove_edges_from(bad)
        dropped += len(bad)
    return F, key, dropped


def _counts(F: nx.DiGraph, key):
    order = list(nx.lexicographical_topological_sort(F, key=key.get))
    n_minus, n_plus = {}, {}
    for v in order:
        preds = list(F.predecessors(v))
        n_minus[v] = sum(n_minus[u] for u in preds) if preds else 1
    for v in reversed(order):
        succs = list(F.successors(v))
        n_plus[v] = sum(n_plus[w] for w in succs) if succs else 1
    return order, n_minus, n_plus


def _note(dropped: int) -> str:
    return f"{dropped} citation edge(s) dropped to break cycles (see the module docstring)" if dropped else ""


def compute_spc(citation_graph: nx.DiGraph, *, papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Search path count of every citation edge.

    Parameters
    ----------
    citation_graph : networkx.DiGraph
        Edge ``u -> v``: ``u`` cites ``v``. Node attribute ``year`` is used when ``papers`` lacks it.
    papers : DataFrame, optional
        ``paper_id, year`` (to order papers when breaking cycles).

    Returns
    -------
    DataFrame
        ``cited_id, citing_id, spc`` (float; exact integers below 2**53), ``spc_norm`` (share of all
        source-to-sink paths through the edge), sorted by ``spc`` descending then ids.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c", "a"), ("c", "b"), ("d", "c")])  # c cites a and b, d cites c
    >>> compute_spc(G)[["cited_id", "citing_id", "spc"]].values.tolist()
    [['c', 'd', 2.0], ['a', 'c', 1.0], ['b', 'c', 1.0]]
    """
    if citation_graph.number_of_edges() == 0:
        return skipped(SPC_COLUMNS, "no citations inside the corpus (needs S2 data: run refresh or ingest)")
    F, key, dropped = _flow_dag(citation_graph, papers)
    _, n_minus, n_plus = _counts(F, key)
    total = sum(n_plus[v] for v in F if F.in_degree(v) == 0)
    rows = [(str(u), str(v), float(n_minus[u] * n_plus[v]), (n_minus[u] * n_plus[v]) / total)
            for u, v in F.edges]
    out = pd.DataFrame(rows, columns=SPC_COLUMNS)
    out = out.sort_values(["spc", "cited_id", "citing_id"], ascending=[False, True, True]).reset_index(drop=True)
    if dropped:
        out.attrs["note"] = _note(dropped)
    return out


def _best(F: nx.DiGraph, order, key, spc, *, forward: bool):
    """Largest SPC sum of a path ending at each node (from a source), or starting at it (to a sink)."""
    best, choice = {}, {}
    seq = order if forward else list(reversed(order))
    for v in seq:
        nbrs = list(F.predecessors(v)) if forward else list(F.successors(v))
        if not nbrs:
            best[v], choice[v] = 0, None
            continue
        cands = [(best[u] + (spc[(u, v)] if forward else spc[(v, u)]), u) for u in nbrs]
        top = max(c[0] for c in cands)
        best[v] = top
        choice[v] = min((u for s, u in cands if s == top), key=key.get)
    return best, choice


def compute_main_path(citation_graph: nx.DiGraph, *, method: str = "global",
                      papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The main path through the citation DAG, papers in order from oldest to newest.

    Parameters
    ----------
    citation_graph : networkx.DiGraph
        Edge ``u -> v``: ``u`` cites ``v``.
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

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c", "a"), ("c", "b"), ("d", "c")])
    >>> compute_main_path(G)["paper_id"].tolist()
    ['a', 'c', 'd']
    """
    if method not in ("global", "key-route"):
        raise DataError(f"unknown main path method {method!r}; use global or key-route")
    if citation_graph.number_of_edges() == 0:
        return skipped(PATH_COLUMNS, "no citations inside the corpus (needs S2 data: run refresh or ingest)")
    F, key, dropped = _flow_dag(citation_graph, papers)
    order, n_minus, n_plus = _counts(F, key)
    spc = {(u, v): n_minus[u] * n_plus[v] for u, v in F.edges}
    back, bchoice = _best(F, order, key, spc, forward=True)
    ahead, fchoice = _best(F, order, key, spc, forward=False)
    if method == "global":
        sinks = [v for v in F if F.out_degree(v) == 0 and F.in_degree(v) > 0]
        end = min(sinks, key=lambda v: (-back[v], key[v]))
        path = [end]
        while bchoice[path[-1]] is not None:
            path.append(bchoice[path[-1]])
        path.reverse()
    else:
        u, v = min(spc, key=lambda e: (-spc[e], key[e[0]], key[e[1]]))
        path = [u]
        while bchoice[path[-1]] is not None:
            path.append(bchoice[path[-1]])
        path.reverse()
        path.append(v)
        while fchoice[path[-1]] is not None:
            path.append(fchoice[path[-1]])
    titles = paper_titles(papers)
    rows = []
    for i, v in enumerate(path):
        year = key[v][0]
        rows.append((i, str(v), None if year == _NO_YEAR else year,
                     titles.get(str(v), citation_graph.nodes[v].get("title")),
                     float(spc[(path[i - 1], v)]) if i else float("nan"), float(n_minus[v] * n_plus[v])))
    out = pd.DataFrame(rows, columns=PATH_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    if dropped:
        out.attrs["note"] = _note(dropped)
    return out
