"""Smaller views of large graphs, for plotting."""

from __future__ import annotations

import math

import networkx as nx

from ..errors import UsageError


def largest_component(G: nx.Graph) -> nx.Graph:
    """Copy of the largest (weakly, for directed graphs) connected component.

    Ties go to the component holding the smallest node id; an empty graph
    gives an empty copy.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    >>> sorted(largest_component(G))
    ['c', 'd', 'e']
    """
    if G.number_of_nodes() == 0:
        return G.copy()
    comps = nx.weakly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    best = min(comps, key=lambda c: (-len(c), min(map(str, c))))
    return G.subgraph(best).copy()


def top_k_subgraph(G: nx.Graph, k: int, by: str = "pagerank") -> nx.Graph:
    """Copy of the subgraph induced by the ``k`` highest-ranked nodes.

    Parameters
    ----------
    k : number of nodes kept
    by : ``"pagerank"`` (weighted by ``weight`` when edges have it),
        ``"degree"`` (weighted degree likewise), or the name of a numeric node
        attribute (nodes without it rank last). Ties go to the smaller node id.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(top_k_subgraph(G, 2, by="degree"))
    ['b', 'c']
    """
    if k < 0:
        raise UsageError(f"k must be non-negative (got {k})")
    if G.number_of_nodes() == 0 or k == 0:
        return G.subgraph([]).copy()
    weighted = any("weight" in d for _, _, d in G.edges(data=True))
    w = "weight" if weighted else None
    if by == "pagerank":
        score = nx.pagerank(G, weight=w) if G.number_of_edges() else {n: 0.0 for n in G}
    elif by == "degree":
        score = dict(G.degree(weight=w))
    else:
        score = {}
        for n, d in G.nodes(data=True):
            v = d.get(by)
            score[n] = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else -math.inf
        if all(v == -math.inf for v in score.values()):
            raise UsageError(f"no node has a numeric attribute {by!r}; use pagerank, degree or a numeric attribute")
    keep = sorted(G.nodes, key=lambda n: (-score[n], str(n)))[:k]
    return G.subgraph(keep).copy()
