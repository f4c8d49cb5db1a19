"""Text and graph clusters, agreement, thematic map (hand-made inputs; text is synthetic)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from medvlm_graph.analysis import (
    compute_cluster_agreement,
    compute_graph_clusters,
    compute_text_clusters,
    compute_thematic_map,
    text_similarity_graph,
)
from medvlm_graph.errors import DataError

from .conftest import labels_frame

# Synthetic titles in two obvious topics.
TOPIC_A = ["lung nodule segmentation in chest ct", "ct lung nodule segmentation network",
           "segmentation of lung nodules on ct scans", "lung ct nodule segmentation benchmark"]
TOPIC_B = ["retinal fundus report generation", "report generation for retinal fundus photographs",
           "fundus image report generation model", "generation of retinal fundus reports"]


def corpus():
    ids = [f"a{i}" for i in range(4)] + [f"b{i}" for i in range(4)]
    return pd.DataFrame({"paper_id": ids, "title": TOPIC_A + TOPIC_B, "abstract": [None] * 8})


def test_text_clusters_two_topics():
    assign, summary = compute_text_clusters(corpus())
    groups = assign.groupby("cluster")["paper_id"].apply(sorted).tolist()
    assert sorted(groups) == [["a0", "a1", "a2", "a3"], ["b0", "b1", "b2", "b3"]]
    assert summary.attrs["k"] == 2 and summary["size"].tolist() == [4, 4]
    assert list(assign.columns) == ["paper_id", "cluster", "cluster_label", "x", "y"]
    assert list(summary.columns) == ["cluster", "size", "top_terms", "cluster_label", "silhouette"]
    terms = dict(zip(summary["cluster"], summary["top_terms"]))
    a_cluster = assign.set_index("paper_id").loc["a0", "cluster"]
    assert {"lung", "nodule", "ct"} <= set(terms[a_cluster].split(", "))
    # cluster 0 is the one holding the smallest paper id when sizes tie
    assert a_cluster == 0


def test_text_clusters_deterministic_and_order_free():
    a1, s1 = compute_text_clusters(corpus(), random_state=0)
    a2, s2 = compute_text_clusters(corpus().iloc[::-1], random_state=0)
    pd.testing.assert_frame_equal(a1[["paper_id", "cluster", "cluster_label"]], a2[["paper_id", "cluster",
                                                                                    "cluster_label"]])
    a3, _ = compute_text_clusters(corpus(), random_state=0)
    pd.testing.assert_frame_equal(a1, a3)


def test_text_clusters_fixed_k_and_small_inputs():
    a, s = compute_text_clusters(corpus(), k=3)
    assert s.attrs["k"] == 3 and a["cluster"].nunique() == 3
    with pytest.raises(DataError):
        compute_text_clusters(corpus(), k=8)
    a, s = compute_text_clusters(corpus().head(2))
    assert a.empty and s.empty and "at least 3 papers" in a.attrs["skipped"]
    same = pd.DataFrame({"paper_id": ["x", "y", "z"], "title": ["ct lung"] * 3})
    a, s = compute_text_clusters(same)
    assert a.empty and "distinct" in a.attrs["skipped"]


def two_communities():
    G = nx.union(nx.complete_graph(["a", "b", "c", "d"]), nx.complete_graph(["e", "f", "g", "h"]))
    G.add_edge("d", "e", weight=0.5)
    nx.set_edge_attributes(G, {e: 1.0 for e in G.edges if e != ("d", "e")}, "weight")
    G.add_node("lonely")
    return G


def test_graph_clusters_two_communities():
    assign, summary = compute_graph_clusters(two_communities(), papers=None)
    assert assign.groupby("cluster")["paper_id"].apply(list).tolist() == [["a", "b", "c", "d"],
                                                                          ["e", "f", "g", "h"]]
    assert "lonely" not in set(assign["paper_id"])  # isolated papers are left out
    H = two_communities()
    H.remove_node("lonely")
    expected = nx.community.modularity(H, [{"a", "b", "c", "d"}, {"e", "f", "g", "h"}], weight="weight")
    assert summary.attrs["modularity"] == pytest.approx(expected)
    again, _ = compute_graph_clusters(two_communities(), seed=0)
    pd.testing.assert_frame_equal(assign, again)


def test_graph_clusters_labelled_by_terms_and_empty():
    G = nx.Graph()
    G.add_edges_from([("a0", "a1"), ("a1", "a2"), ("a2", "a3"), ("a0", "a3"), ("a0", "a2"), ("a1", "a3"),
                      ("b0", "b1"), ("b1", "b2"), ("b2", "b3"), ("b0", "b3"), ("b0", "b2"), ("b1", "b3"),
                      ("a3", "b0")])
    assign, summary = compute_graph_clusters(G, papers=corpus())
    label = dict(zip(assign["paper_id"], assign["cluster_label"]))
    assert "lung" in label["a0"] or "nodule" in label["a0"] or "ct" in label["a0"]
    assert "fundus" in label["b0"] or "retinal" in label["b0"] or "report" in label["b0"]
    a, s = compute_graph_clusters(nx.empty_graph(3))
    assert a.empty and s.empty and "needs S2 data" in a.attrs["skipped"]


def test_agreement_perfect_and_partial():
    assign = pd.DataFrame({"paper_id": ["a", "b", "c", "d"], "cluster": [0, 0, 1, 1]})
    lab = labels_frame([("a", "task", "x"), ("b", "task", "x"), ("c", "task", "y"), ("d", "task", "y")])
    r = compute_cluster_agreement(assign, lab).iloc[0]
    assert (r["adjusted_rand"], r["nmi"], r["n_papers"], r["n_clusters"], r["n_labels"]) == (1.0, 1.0, 4, 2, 2)
    # papers a, b in one cluster but different labels; c, d likewise: ARI -0.5, NMI 0
    lab2 = labels_frame([("a", "task", "x"), ("b", "task", "y"), ("c", "task", "x"), ("d", "task", "y")])
    r = compute_cluster_agreement(assign, lab2).iloc[0]
    assert r["adjusted_rand"] == pytest.approx(-0.5) and r["nmi"] == pytest.approx(0.0, abs=1e-12)
    # a paper with two tasks keeps its highest-scored one
    multi = pd.concat([lab, labels_frame([("a", "task", "y")], score=0.6)])
    assert compute_cluster_agreement(assign, multi).iloc[0]["adjusted_rand"] == 1.0
    none = compute_cluster_agreement(assign, lab[lab["paper_id"] == "a"])
    assert none.empty and none.attrs["skipped"]


def test_thematic_map_by_hand():
    # cluster 0: a-b (2.0), a-c (1.0); cluster 1: d-e (1.0); cluster 2: f alone; across: c-d (0.5), b-f (0.25)
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 2.0), ("a", "c", 1.0), ("d", "e", 1.0), ("c", "d", 0.5), ("b", "f", 0.25)])
    assign = pd.DataFrame({"paper_id": list("abcdef"), "cluster": [0, 0, 0, 1, 1, 2],
                           "cluster_label": ["A"] * 3 + ["D"] * 2 + ["F"]})
    tm = compute_thematic_map(assign, G)
    assert tm["centrality"].tolist() == [0.75, 0.5, 0.25]
    assert tm["density"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    # medians: centrality 0.5, density 0.5 (ties count as high)
    assert tm["quadrant"].tolist() == ["motor", "motor", "emerging_or_declining"]
    assert tm["cluster_label"].tolist() == ["A", "D", "F"]
    one = compute_thematic_map(assign.assign(cluster=0), G)
    assert one.empty and "two clusters" in one.attrs["skipped"]
    none = compute_thematic_map(assign, nx.Graph())
    assert none.empty and "edges" in none.attrs["skipped"]


def test_thematic_map_equivalence_index_by_hand():
    """Callon's equivalence index e_ij = c_ij ** 2 / (s_i s_j) from raw counts, instead of the weights."""
    G = nx.Graph()
    G.add_nodes_from([("a", {"occurrences": 4}), ("b", {"occurrences": 2}), ("c", {"occurrences": 1}),
                      ("d", {"occurrences": 3})])
    # weight: what a cosine coupling graph holds (c / sqrt(s_i s_j)); count: shared references
    G.add_edge("a", "b", count=2, weight=2 / 8 ** 0.5)  # e = 4 / 8
    G.add_edge("c", "d", count=1, weight=1 / 3 ** 0.5)  # e = 1 / 3
    G.add_edge("b", "c", count=1, weight=1 / 2 ** 0.5)  # e = 1 / 2
    assign = pd.DataFrame({"paper_id": list("abcd"), "cluster": [0, 0, 1, 1]})
    eq = compute_thematic_map(assign, G, measure="equivalence")
    assert eq["centrality"].tolist() == pytest.approx([0.5, 0.5])
    assert eq["density"].tolist() == pytest.approx([0.25, 1 / 6])  # internal e / cluster size
    default = compute_thematic_map(assign, G)  # unchanged: the edge weights as they are
    assert default["centrality"].tolist() == pytest.approx([2 ** -0.5, 2 ** -0.5])
    assert default["density"].tolist() == pytest.approx([2 ** 0.5 / 4, 3 ** -0.5 / 2])
    with pytest.raises(DataError, match="equivalence index needs"):
        compute_thematic_map(assign, nx.Graph([("a", "b"), ("b", "c")]), measure="equivalence")
    with pytest.raises(DataError, match="unknown measure"):
        compute_thematic_map(assign, G, measure="cosine")


def test_text_similarity_graph():
    G = text_similarity_graph(corpus(), top_k=2)
    assert set(G.nodes) == set(corpus()["paper_id"])
    assert all((u[0] == v[0]) for u, v in G.edges)  # no edge across the two topics
    assert all(0 < d["weight"] <= 1 for _, _, d in G.edges(data=True))


def test_large_corpus_uses_lsa_and_separates_topics():
    import numpy as np

    rng = np.random.default_rng(0)
    va = [f"alpha{i}" for i in range(60)]
    vb = [f"beta{i}" for i in range(60)]
    titles = [" ".join(rng.choice(va if i < 300 else vb, size=8)) for i in range(600)]
    papers = pd.DataFrame({"paper_id": [f"p{i:03d}" for i in range(600)], "title": titles})
    assign, summary = compute_text_clusters(papers, k=2)
    a = assign.set_index("paper_id")["cluster"]
    assert a.iloc[:300].nunique() == 1 and a.iloc[300:].nunique() == 1 and a.iloc[0] != a.iloc[-1]
    assert summary["size"].tolist() == [300, 300]
    again, _ = compute_text_clusters(papers, k=2)
    pd.testing.assert_frame_equal(assign, again)


def test_cluster_labels_leave_out_document_kinds_and_venues():
    """Synthetic titles: model cards, technical reports and venue tails share words that are not topics."""
    from medvlm_graph.analysis.clusters import describe_clusters

    papers = pd.DataFrame({"paper_id": [f"m{i}" for i in range(4)] + [f"r{i}" for i in range(4)], "title": [
        "Alpha-4 system card", "Beta-2 system card", "Gamma-3 technical report", "Delta technical report",
        "Radiology report generation with retrieval, in: International Conference on Medical Image Computing",
        "Chest x-ray report generation. MICCAI proceedings", "Report generation for ct, IEEE transactions",
        "Radiology report generation benchmark"]})
    assign = pd.DataFrame({"paper_id": papers["paper_id"], "cluster": [0] * 4 + [1] * 4})
    summary = describe_clusters(assign, papers).set_index("cluster")
    words = {w for terms in summary["top_terms"] for t in terms.split(", ") for w in t.split()}
    assert not words & {"card", "system", "technical", "international", "conference", "miccai", "proceedings",
                        "ieee", "transactions", "computing"}
    assert summary.loc[1, "cluster_label"] == "report generation / radiology report / generation ct"
    assert "report" not in summary.loc[0, "top_terms"].split(", ")  # "technical report" is no topic


def test_thematic_map_on_the_matrix_form_equals_the_networkx_form():
    """run_clusters draws the map from the coupling matrix (no networkx graph of every pair)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "relevance"))
    import field_world  # SYNTHETIC refresh-shaped corpus

    import numpy as np

    from medvlm_graph.analysis.clusters import compute_graph_clusters, compute_thematic_map
    from medvlm_graph.graphs import build_coupling_graph
    from medvlm_graph.graphs.cooccurrence import coupling_adjacency

    w = field_world.build()
    for top_k in (None, 5):
        G = build_coupling_graph(w["citations"], papers=w["papers"], norm="cosine", top_k=top_k)
        M = coupling_adjacency(w["citations"], papers=w["papers"], norm="cosine", top_k=top_k)
        assign, _ = compute_graph_clusters(G, seed=0)
        a, b = compute_thematic_map(assign, G), compute_thematic_map(assign, M)
        assert a[["cluster", "size", "quadrant"]].equals(b[["cluster", "size", "quadrant"]])
        assert np.allclose(a[["centrality", "density"]], b[["centrality", "density"]], rtol=1e-12)
