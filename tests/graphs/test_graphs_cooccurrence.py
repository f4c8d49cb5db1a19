"""Co-citation and coupling on the hand-made 5-paper world (see conftest.py).

Co-citation (papers cited together by one citing paper):
    P1 cites {P3, P4, P5} -> (P3,P4) (P3,P5) (P4,P5)
    P2 cites {P3, P4}     -> (P3,P4)
    P3, P4 cite only P5   -> nothing
  counts: (P3,P4)=2, (P3,P5)=1, (P4,P5)=1
  occurrences (times cited): s3=2, s4=2, s5=3; N = 4 citing papers
  cosine  c/sqrt(si sj): (P3,P4)=2/2=1, (P3,P5)=(P4,P5)=1/sqrt(6)=0.408248...
  jaccard c/(si+sj-c):   (P3,P4)=2/2=1, (P3,P5)=(P4,P5)=1/4=0.25
  association N c/(si sj): (P3,P4)=4*2/4=2, (P3,P5)=(P4,P5)=4/6=0.6667
  inclusion c/min(si,sj): (P3,P4)=1, (P3,P5)=(P4,P5)=1/2

Coupling (references shared): refs P1={3,4,5} P2={3,4} P3={5} P4={5}
  counts: (P1,P2)=2, (P1,P3)=1, (P1,P4)=1, (P3,P4)=1; (P2,P3)=(P2,P4)=0
  occurrences (references): s1=3, s2=2, s3=1, s4=1; N = 3 cited papers
  cosine: (P1,P2)=2/sqrt(6)=0.816497, (P1,P3)=(P1,P4)=1/sqrt(3)=0.577350, (P3,P4)=1
  jaccard: (P1,P2)=2/3, (P1,P3)=(P1,P4)=1/3, (P3,P4)=1
  association: (P1,P2)=3*2/6=1, (P1,P3)=(P1,P4)=3/3=1, (P3,P4)=3/1=3
  inclusion: (P1,P2)=2/2=1, (P1,P3)=(P1,P4)=1/1=1, (P3,P4)=1
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from medvlm_graph.errors import UsageError
from medvlm_graph.graphs import (
    build_cocitation_graph,
    build_coupling_graph,
    cocitation_matrix,
    coupling_matrix,
)

COCIT_COUNTS = {("P3", "P4"): 2, ("P3", "P5"): 1, ("P4", "P5"): 1}
COUPLING_COUNTS = {("P1", "P2"): 2, ("P1", "P3"): 1, ("P1", "P4"): 1, ("P3", "P4"): 1}

COCIT_WEIGHTS = {
    "raw": {("P3", "P4"): 2.0, ("P3", "P5"): 1.0, ("P4", "P5"): 1.0},
    "cosine": {("P3", "P4"): 1.0, ("P3", "P5"): 1 / math.sqrt(6), ("P4", "P5"): 1 / math.sqrt(6)},
    "jaccard": {("P3", "P4"): 1.0, ("P3", "P5"): 0.25, ("P4", "P5"): 0.25},
    "association": {("P3", "P4"): 2.0, ("P3", "P5"): 4 / 6, ("P4", "P5"): 4 / 6},
    "inclusion": {("P3", "P4"): 1.0, ("P3", "P5"): 0.5, ("P4", "P5"): 0.5},
}
COUPLING_WEIGHTS = {
    "raw": {("P1", "P2"): 2.0, ("P1", "P3"): 1.0, ("P1", "P4"): 1.0, ("P3", "P4"): 1.0},
    "cosine": {("P1", "P2"): 2 / math.sqrt(6), ("P1", "P3"): 1 / math.sqrt(3), ("P1", "P4"): 1 / math.sqrt(3),
               ("P3", "P4"): 1.0},
    "jaccard": {("P1", "P2"): 2 / 3, ("P1", "P3"): 1 / 3, ("P1", "P4"): 1 / 3, ("P3", "P4"): 1.0},
    "association": {("P1", "P2"): 1.0, ("P1", "P3"): 1.0, ("P1", "P4"): 1.0, ("P3", "P4"): 3.0},
    "inclusion": {("P1", "P2"): 1.0, ("P1", "P3"): 1.0, ("P1", "P4"): 1.0, ("P3", "P4"): 1.0},
}


def edge_map(G, attr):
    return {tuple(sorted((u, v))): d[attr] for u, v, d in G.edges(data=True)}


@pytest.mark.parametrize("norm", list(COCIT_WEIGHTS))
def test_cocitation_counts_and_each_norm(citations, norm):
    G = build_cocitation_graph(citations, norm=norm)
    assert sorted(G.nodes) == ["P3", "P4", "P5"]
    assert edge_map(G, "count") == COCIT_COUNTS
    assert edge_map(G, "weight") == pytest.approx(COCIT_WEIGHTS[norm], rel=1e-12)
    assert {n: d["occurrences"] for n, d in G.nodes(data=True)} == {"P3": 2, "P4": 2, "P5": 3}
    assert G.graph["n_contexts"] == 4 and G.graph["norm"] == norm
    for _, _, d in G.edges(data=True):
        assert type(d["weight"]) is float and type(d["count"]) is int


@pytest.mark.parametrize("norm", list(COUPLING_WEIGHTS))
def test_coupling_counts_and_each_norm(citations, norm):
    G = build_coupling_graph(citations, norm=norm)
    assert sorted(G.nodes) == ["P1", "P2", "P3", "P4"]
    assert edge_map(G, "count") == COUPLING_COUNTS
    assert edge_map(G, "weight") == pytest.approx(COUPLING_WEIGHTS[norm], rel=1e-12)
    assert {n: d["occurrences"] for n, d in G.nodes(data=True)} == {"P1": 3, "P2": 2, "P3": 1, "P4": 1}
    assert G.graph["n_contexts"] == 3


def test_matrix_functions_hold_counts_and_occurrences(citations):
    C, index = cocitation_matrix(citations)
    assert list(index) == ["P3", "P4", "P5"]
    assert C.toarray().tolist() == [[2, 2, 1], [2, 2, 1], [1, 1, 3]]
    C, index = coupling_matrix(citations)
    assert list(index) == ["P1", "P2", "P3", "P4"]
    assert C.toarray().tolist() == [[3, 2, 1, 1], [2, 2, 0, 0], [1, 0, 1, 1], [1, 0, 1, 1]]


def test_min_weight_prunes_on_raw_counts(citations):
    G = build_coupling_graph(citations, norm="cosine", min_weight=2)
    assert edge_map(G, "count") == {("P1", "P2"): 2}
    assert sorted(G.nodes) == ["P1", "P2", "P3", "P4"]  # pruning removes edges, not nodes
    G = build_cocitation_graph(citations, min_weight=3)
    assert G.number_of_edges() == 0 and G.number_of_nodes() == 3


def test_top_k_keeps_union_of_each_nodes_strongest(citations):
    # cosine: P1's best (P1,P2)=.816, P2's best (P1,P2), P3's best (P3,P4)=1 > (P1,P3)=.577,
    # P4's best (P3,P4) -> {(P1,P2), (P3,P4)}
    G = build_coupling_graph(citations, norm="cosine", top_k=1)
    assert set(edge_map(G, "count")) == {("P1", "P2"), ("P3", "P4")}
    # raw: P3 ties (P1,P3)=1 and (P3,P4)=1 -> smaller neighbour id P1; P4 likewise -> (P1,P4)
    G = build_coupling_graph(citations, norm="raw", top_k=1)
    assert set(edge_map(G, "count")) == {("P1", "P2"), ("P1", "P3"), ("P1", "P4")}
    # top_k after min_weight: only (P1,P2) survives min_weight=2
    G = build_coupling_graph(citations, top_k=3, min_weight=2)
    assert set(edge_map(G, "count")) == {("P1", "P2")}
    # k larger than any degree keeps everything
    assert edge_map(build_coupling_graph(citations, top_k=10), "count") == COUPLING_COUNTS


def test_papers_restrict_nodes_but_not_the_other_side(citations, papers, make_citations):
    extra = make_citations([("X", "P3"), ("X", "Q"), ("P3", "Q"), ("P4", "Q")])
    both = pd.concat([citations, extra], ignore_index=True)
    # co-citation without papers: Q is a node; X counts as a citing paper
    G = build_cocitation_graph(both)
    assert edge_map(G, "count") == {("P3", "P4"): 2, ("P3", "P5"): 1, ("P4", "P5"): 1, ("P3", "Q"): 1,
                                    ("P5", "Q"): 2}
    # with papers: nodes are exactly the corpus (isolates kept), Q is gone, X still counts
    G = build_cocitation_graph(both, papers=papers)
    assert sorted(G.nodes) == ["P1", "P2", "P3", "P4", "P5"]
    assert edge_map(G, "count") == COCIT_COUNTS
    assert G.nodes["P3"]["occurrences"] == 3  # P1, P2, X
    assert G.nodes["P1"]["occurrences"] == 0
    assert G.nodes["P1"]["title"] == "Paper one" and G.nodes["P5"]["year"] == -1
    # coupling with papers: X is not a node, but Q (outside the corpus) is a shared reference
    G = build_coupling_graph(both, papers=papers)
    assert "X" not in G
    assert edge_map(G, "count")[("P3", "P4")] == 2  # P5 and Q


def test_association_n_counts_contexts_touching_the_corpus(citations, papers, make_citations):
    """With papers=, N of association strength counts only the contexts linked to a corpus paper."""
    # Y cites only Q (outside the corpus): a citing paper, but it touches no corpus paper
    both = pd.concat([citations, make_citations([("Y", "Q")])], ignore_index=True)
    assert build_cocitation_graph(both, norm="association").graph["n_contexts"] == 5  # P1 P2 P3 P4 Y
    G = build_cocitation_graph(both, papers=papers, norm="association")
    assert G.graph["n_contexts"] == 4  # P1 P2 P3 P4: Y cites no corpus paper
    assert edge_map(G, "weight") == pytest.approx(COCIT_WEIGHTS["association"])  # 4 * c / (s_i s_j)
    # coupling: references outside the corpus are contexts when a corpus paper cites them
    both = pd.concat([citations, make_citations([("P3", "Q"), ("Z", "R")])], ignore_index=True)
    assert build_coupling_graph(both, papers=papers).graph["n_contexts"] == 4  # P3 P4 P5 Q; not R


def test_labels_become_node_attributes(citations, papers, labels):
    G = build_cocitation_graph(citations, papers=papers, labels=labels)
    assert G.nodes["P3"]["task"] == "segmentation"
    assert G.nodes["P5"]["task"] == "" and G.nodes["P5"]["model"] == ""


def test_salton_is_cosine(citations):
    G = build_coupling_graph(citations, norm="salton")
    assert edge_map(G, "weight") == pytest.approx(COUPLING_WEIGHTS["cosine"], rel=1e-12)
    assert G.graph["norm"] == "cosine"


def test_bad_arguments_raise_usage_errors(citations):
    with pytest.raises(UsageError, match="unknown norm 'bogus'"):
        build_cocitation_graph(citations, norm="bogus")
    with pytest.raises(UsageError, match="top_k must be at least 1"):
        build_coupling_graph(citations, top_k=0)


def test_empty_citations_give_empty_graphs(papers, make_citations):
    empty = make_citations([])
    G = build_cocitation_graph(empty)
    assert G.number_of_nodes() == 0 and G.number_of_edges() == 0
    G = build_coupling_graph(empty, papers=papers, norm="association", top_k=3)
    assert G.number_of_nodes() == 5 and G.number_of_edges() == 0
    C, index = cocitation_matrix(empty)
    assert C.shape == (0, 0) and len(index) == 0


def test_block_splitting_gives_the_same_pairs(citations):
    from medvlm_graph.graphs.matrix import incidence, pair_table

    X, _, _ = incidence(citations["cited_id"], citations["citing_id"])
    whole = pair_table(X, norm="jaccard", top_k=1)
    tiny = pair_table(X, norm="jaccard", top_k=1, block_work=1)  # one row per block
    assert whole.i.tolist() == tiny.i.tolist() and whole.j.tolist() == tiny.j.tolist()
    assert whole.weight.tolist() == tiny.weight.tolist()
