"""The sparse / numpy implementations of PageRank, betweenness and search path counts against
networkx and a plain-Python reference (the previous implementation), on hand-made and random
SYNTHETIC graphs."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from medvlm_graph.analysis import compute_centrality, compute_main_path, compute_spc
from medvlm_graph.analysis import centrality as C
from medvlm_graph.analysis._sparse import adjacency, betweenness, edge_arrays, pagerank, sample_sources


def _random_digraph(seed: int, n: int = 40, p: float = 0.08) -> nx.DiGraph:
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    G.add_edge(3, 3)  # a self-loop counts for PageRank, never for betweenness
    G.add_nodes_from([n, n + 1])  # isolated papers
    return nx.relabel_nodes(G, {i: f"p{(i * 7919) % 10007:05d}" for i in G})  # distinct ids, shuffled order


def test_edge_arrays_by_hand():
    nodes, s, d = edge_arrays(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))
    assert nodes == ["a", "b", "c"] and s.tolist() == [0, 1, 2] and d.tolist() == [1, 2, 0]
    nodes, s, d = edge_arrays(nx.Graph([("a", "b"), ("b", "c")]))
    assert sorted(zip(s.tolist(), d.tolist())) == [(0, 1), (1, 2)]  # each undirected edge once


@pytest.mark.parametrize("seed", range(5))
def test_pagerank_equals_networkx(seed):
    G = _random_digraph(seed)
    nodes, s, d = edge_arrays(G)
    ours = pagerank(adjacency(len(nodes), s, d), alpha=0.85)
    ref = nx.pagerank(G, alpha=0.85, weight=None)
    assert np.max(np.abs(ours - np.array([ref[v] for v in nodes]))) < 1e-9


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [None, 1, 7, 40])
def test_betweenness_equals_networkx(seed, k):
    G = _random_digraph(seed)
    nodes, s, d = edge_arrays(G)
    keep = s != d
    U = adjacency(len(nodes), s[keep], d[keep], symmetric=True)
    sample = sample_sources(nodes, k, seed)
    pos = {v: i for i, v in enumerate(nodes)}
    ours = betweenness(U, None if sample is None else [pos[v] for v in sample], batch=5)
    ref = nx.betweenness_centrality(nx.Graph(G.to_undirected(as_view=True)), k=k, seed=seed, normalized=True)
    want = np.array([ref[v] for v in nodes])
    assert np.array_equal(np.isnan(ours), np.isnan(want))  # k=1: networkx gives NaN at the source
    assert np.nanmax(np.abs(ours - want)) < 1e-12


def test_compute_centrality_equals_networkx_sampled():
    G = _random_digraph(11, n=60)
    df = compute_centrality(G, betweenness_k=15, seed=4).set_index("paper_id")
    bc = nx.betweenness_centrality(nx.Graph(G.to_undirected(as_view=True)), k=15, seed=4, normalized=True)
    pr = nx.pagerank(G, weight=None)
    assert max(abs(df.loc[v, "betweenness"] - bc[v]) for v in G) < 1e-12
    assert max(abs(df.loc[v, "pagerank"] - pr[v]) for v in G) < 1e-12


def test_betweenness_sample_capped_on_large_graphs(monkeypatch):
    G = _random_digraph(2, n=1100, p=0.01)
    m = nx.Graph(G.to_undirected(as_view=True))
    m.remove_edges_from(nx.selfloop_edges(m))
    edges = m.number_of_edges()
    monkeypatch.setattr(C, "BETWEENNESS_BUDGET", edges * 30)  # room for 30 sources, not 100
    df = compute_centrality(G)
    assert df.attrs["note"].startswith("betweenness estimated from 30 sampled nodes of 1102 (seed 0); sample capped")
    monkeypatch.setattr(C, "BETWEENNESS_BUDGET", edges)  # room for 1: the floor applies
    df = compute_centrality(G)
    assert df.attrs["note"].startswith(f"betweenness estimated from {C.BETWEENNESS_MIN_SAMPLE} sampled nodes")
    assert "capped" not in compute_centrality(G, betweenness_k=50).attrs["note"]  # explicit k: not capped


# --- search path counts: the previous networkx implementation as the reference -------------------

def _reference_spc(G: nx.DiGraph, years: dict) -> dict:
    """SPC per flow edge by the previous algorithm (networkx DAG, Python ints)."""
    key = {v: (years.get(v) if years.get(v) is not None else 10**6, str(v)) for v in G}
    F = nx.DiGraph()
    F.add_nodes_from(G)
    F.add_edges_from((v, u) for u, v in G.edges if u != v)
    for comp in nx.strongly_connected_components(F):
        if len(comp) > 1:
            F.remove_edges_from([(u, v) for u, v in F.subgraph(comp).edges if key[u] >= key[v]])
    order = list(nx.topological_sort(F))
    n_minus, n_plus = {}, {}
    for v in order:
        n_minus[v] = sum(n_minus[u] for u in F.predecessors(v)) or 1
    for v in reversed(order):
        n_plus[v] = sum(n_plus[w] for w in F.successors(v)) or 1
    return {(u, v): n_minus[u] * n_plus[v] for u, v in F.edges}


def test_spc_hand_dag_equals_reference():
    # flow (cited -> citing): X->A, A->C, B->C, C->D, C->E, D->F, E->F, B->E
    flow = [("X", "A"), ("A", "C"), ("B", "C"), ("C", "D"), ("C", "E"), ("D", "F"), ("E", "F"), ("B", "E")]
    G = nx.DiGraph([(v, u) for u, v in flow])
    got = {(r.cited_id, r.citing_id): r.spc for r in compute_spc(G).itertuples()}
    assert got == {e: float(x) for e, x in _reference_spc(G, {}).items()}
    assert got[("E", "F")] == 3.0


@pytest.mark.parametrize("seed", range(40))
def test_spc_random_graphs_equal_reference(seed):
    r = random.Random(seed)
    n = r.randint(2, 35)
    G = nx.gnp_random_graph(n, r.random() * 0.3, seed=seed, directed=True)  # cycles included
    G = nx.relabel_nodes(G, {i: f"w{i:02d}" for i in G})
    years = {v: r.choice([2019, 2020, 2021, None]) for v in G}
    papers = pd.DataFrame({"paper_id": list(years), "year": pd.array(list(years.values()), dtype="Int64"),
                           "title": list(years)})
    if G.number_of_edges() == 0:
        return
    spc = compute_spc(G, papers=papers)
    ref = _reference_spc(G, years)
    assert {(a, b): x for a, b, x in zip(spc["cited_id"], spc["citing_id"], spc["spc"])} == \
        {e: float(x) for e, x in ref.items()}


def test_spc_stays_exact_beyond_float_precision():
    # 40 stages of three parallel papers between hubs: 3**40 source-to-sink paths (> 2**53).
    flow = []
    for i in range(40):
        for x in "abc":
            flow += [(f"n{i:02d}", f"{x}{i:02d}"), (f"{x}{i:02d}", f"n{i + 1:02d}")]
    G = nx.DiGraph([(v, u) for u, v in flow])
    spc = compute_spc(G)
    assert set(spc["spc"]) == {float(3**39)} and spc["spc_norm"].iloc[0] == 1 / 3
    path = compute_main_path(G)
    assert path["node_spc"].tolist() == [float(3**40), float(3**39)] * 40 + [float(3**40)]
    assert path["paper_id"].tolist()[:3] == ["n00", "a00", "n01"] and path["paper_id"].iloc[-1] == "n40"


def test_sampled_betweenness_by_hand():
    """The estimator, independent of the installed networkx: path 0-1-2-3-4, sources 0 and 2 (k = 2).

    Raw dependencies: from 0, node 1 lies on 3 shortest paths, node 2 on 2, node 3 on 1; from 2,
    nodes 1 and 3 on 1 each. Rescaling (networkx >= 3.5, endpoints excluded, N = n - 1 = 4): a
    sampled node by 1 / ((k - 1)(N - 1)) = 1/3, any other by 1 / (k (N - 1)) = 1/6.
    """
    U = adjacency(5, np.array([0, 1, 2, 3]), np.array([1, 2, 3, 4]), symmetric=True)
    got = betweenness(U, np.array([0, 2]))
    assert np.allclose(got, [0.0, 4 / 6, 2 / 3, 2 / 6, 0.0], rtol=0, atol=1e-15)


def test_networkx_pin_matches_the_betweenness_estimator():
    """_sparse.betweenness reproduces networkx >= 3.5's sampled rescaling (3.2 - 3.4 scale by n / k)."""
    import re
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    spec = next(d for d in project["dependencies"] if re.match(r"networkx\b", d))
    low = tuple(int(x) for x in re.search(r">=\s*([\d.]+)", spec).group(1).split(".")[:2])
    assert low >= (3, 5), spec
    assert tuple(int(x) for x in nx.__version__.split(".")[:2]) >= (3, 5)
