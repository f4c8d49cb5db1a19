"""compute_graph_clusters with igraph (when installed) and with the networkx fallback, on SYNTHETIC
graphs with planted communities: same partition, method reported."""

from __future__ import annotations

import sys

import networkx as nx
import pytest

from medvlm_graph.analysis import compute_graph_clusters


def planted(seed: int) -> nx.Graph:
    G = nx.planted_partition_graph(6, 12, 0.7, 0.01, seed=seed)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = 1.0 + (u + v) % 3
    G.add_edge(80, 80, weight=2.0)  # a paper whose only edge is a self-loop stays, alone
    return nx.relabel_nodes(G, {i: f"p{i:03d}" for i in G})


def _partition(a):
    return sorted(sorted(g) for g in a.groupby("cluster")["paper_id"].apply(list))


@pytest.mark.parametrize("seed", range(3))
def test_fallback_and_igraph_agree_on_planted_communities(seed, monkeypatch):
    G = planted(seed)
    pytest.importorskip("igraph")
    a1, s1 = compute_graph_clusters(G, seed=seed)
    monkeypatch.setitem(sys.modules, "igraph", None)  # import igraph -> ImportError
    a2, s2 = compute_graph_clusters(G, seed=seed)
    assert s1.attrs["method"] == "igraph community_multilevel"
    assert s2.attrs["method"] == "networkx louvain_communities"
    assert _partition(a1) == _partition(a2)
    assert len(_partition(a1)) == 7 and ["p080"] in _partition(a1)  # 6 planted groups + the self-loop paper
    assert s1.attrs["modularity"] == pytest.approx(s2.attrs["modularity"], abs=1e-12)
    assert a1.equals(a2) and s1["size"].tolist() == s2["size"].tolist()


def test_fallback_without_igraph(monkeypatch):
    monkeypatch.setitem(sys.modules, "igraph", None)
    G = nx.union(nx.complete_graph(["a", "b", "c"]), nx.complete_graph(["d", "e", "f"]))
    G.add_edge("c", "d")
    a, s = compute_graph_clusters(G)
    assert a.groupby("cluster")["paper_id"].apply(list).tolist() == [["a", "b", "c"], ["d", "e", "f"]]
    assert s.attrs["method"] == "networkx louvain_communities"
