"""Centrality, search path count and main paths on hand-made citation graphs."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from medvlm_graph.analysis import compute_centrality, compute_main_path, compute_spc
from medvlm_graph.errors import DataError


def citation_graph(flow_edges):
    """Build the citation graph (citing -> cited) from knowledge-flow edges (cited -> citing)."""
    return nx.DiGraph([(v, u) for u, v in flow_edges])


# Flow: X->A, A->C, B->C, C->D, C->E, D->F, E->F, B->E. Sources X, B; sink F.
FLOW = [("X", "A"), ("A", "C"), ("B", "C"), ("C", "D"), ("C", "E"), ("D", "F"), ("E", "F"), ("B", "E")]


def test_spc_by_hand():
    spc = compute_spc(citation_graph(FLOW))
    got = {(r.cited_id, r.citing_id): r.spc for r in spc.itertuples()}
    # N-: X1 B1 A1 C2 D2 E3 F5; N+: F1 D1 E1 C2 A2 X2 B3; SPC(u->v) = N-(u) * N+(v)
    assert got == {("X", "A"): 2, ("A", "C"): 2, ("B", "C"): 2, ("C", "D"): 2, ("C", "E"): 2, ("D", "F"): 2,
                   ("E", "F"): 3, ("B", "E"): 1}
    norm = {(r.cited_id, r.citing_id): r.spc_norm for r in spc.itertuples()}
    assert norm[("E", "F")] == pytest.approx(3 / 5)  # 5 source-to-sink paths
    assert spc.iloc[0][["cited_id", "citing_id"]].tolist() == ["E", "F"]


def test_spc_norm_ignores_isolated_papers():
    """A paper with no citation inside the corpus lies on no source-to-sink path (Batagelj 2003)."""
    G = citation_graph(FLOW)
    G.add_nodes_from(["lonely1", "lonely2"])
    G.add_edge("selfcite", "selfcite")  # only a self-citation: isolated too
    norm = {(r.cited_id, r.citing_id): r.spc_norm for r in compute_spc(G).itertuples()}
    assert norm[("E", "F")] == pytest.approx(3 / 5)  # still 5 source-to-sink paths, not 8
    assert norm[("B", "E")] == pytest.approx(1 / 5)


def test_global_main_path_by_hand():
    path = compute_main_path(citation_graph(FLOW))
    # best SPC sums: A 2, C 4 (via A), D 6, E 6 (via C), F 9 (via E)
    assert path["paper_id"].tolist() == ["X", "A", "C", "E", "F"]
    assert path["spc_in"].tolist()[1:] == [2, 2, 2, 3] and math.isnan(path["spc_in"].iloc[0])
    assert path["node_spc"].tolist() == [2, 2, 4, 3, 5]
    assert path["step"].tolist() == [0, 1, 2, 3, 4]


def test_key_route_differs_from_global():
    flow = [("S1", "H"), ("S2", "H"), ("S3", "H"), ("H", "T"),
            ("S4", "a"), ("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "T2")]
    G = citation_graph(flow)
    # global: the chain S4..T2 sums 6 > S1-H-T sums 1 + 3; key route: the top edge H->T (SPC 3)
    assert compute_main_path(G)["paper_id"].tolist() == ["S4", "a", "b", "c", "d", "e", "T2"]
    assert compute_main_path(G, method="key-route")["paper_id"].tolist() == ["S1", "H", "T"]
    with pytest.raises(DataError):
        compute_main_path(G, method="other")


def test_cycles_broken_by_year():
    G = nx.DiGraph([("A", "B"), ("B", "A"), ("C", "B")])  # A and B cite each other; C cites B
    papers = pd.DataFrame({"paper_id": ["A", "B", "C"], "year": [2021, 2020, 2022], "title": ["a", "b", "c"]})
    spc = compute_spc(G, papers=papers)
    # flow edges B->A (A cites B) kept: B is older; A->B dropped
    assert sorted(zip(spc["cited_id"], spc["citing_id"])) == [("B", "A"), ("B", "C")]
    assert spc.attrs["note"].startswith("1 citation edge(s) dropped")
    path = compute_main_path(G, papers=papers)
    assert path["paper_id"].tolist() == ["B", "A"] and path["title"].tolist() == ["b", "a"]
    assert path["year"].tolist() == [2020, 2021]


def test_node_year_attribute_and_unknown_marker():
    G = nx.DiGraph([("A", "B"), ("B", "A")])
    G.nodes["A"]["year"] = 2019
    G.nodes["B"]["year"] = -1  # build_citation_graph's "unknown": sorts last
    assert compute_main_path(G)["paper_id"].tolist() == ["A", "B"]


def test_empty_graphs():
    G = nx.DiGraph()
    G.add_node("a")
    for df in (compute_spc(G), compute_main_path(G), compute_centrality(G)):
        assert df.empty and "needs S2 data" in df.attrs["skipped"]
    with pytest.raises(DataError):
        compute_centrality(nx.Graph([("a", "b")]))


def test_centrality_by_hand():
    G = nx.DiGraph([("b", "a"), ("c", "b")])  # c cites b cites a
    bursts = pd.DataFrame({"paper_id": ["b", "b"], "weight": [1.5, 2.0]})
    c = compute_centrality(G, bursts=bursts).set_index("paper_id")
    assert c.loc[["a", "b", "c"], "local_citations"].tolist() == [1, 1, 0]
    assert c.loc[["a", "b", "c"], "local_references"].tolist() == [0, 1, 1]
    assert c.loc[["a", "b", "c"], "betweenness"].tolist() == [0.0, 1.0, 0.0]  # b is on the only a-c path
    assert c.loc["b", "burst_weight"] == 2.0 and c.loc["b", "sigma"] == pytest.approx(4.0)  # (1 + 1) ** 2
    assert c.loc["a", "sigma"] == 1.0
    assert c["pagerank"].sum() == pytest.approx(1.0)
    assert c["pagerank"].idxmax() == "a"


def test_sampled_betweenness_is_reproducible():
    G = nx.gnp_random_graph(60, 0.08, seed=1, directed=True)
    G = nx.relabel_nodes(G, {v: f"n{v:02d}" for v in G})
    a = compute_centrality(G, betweenness_k=10, seed=3)
    b = compute_centrality(G, betweenness_k=10, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert "estimated from 10 sampled nodes" in a.attrs["note"]
