"""Citation, co-topic, label, lineage and co-author graphs on tiny hand-made tables (synthetic)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from medvlm_graph.errors import UsageError
from medvlm_graph.graphs import (
    GRAPHS,
    build_citation_graph,
    build_coauthor_graph,
    build_cotopic_graph,
    build_graph,
    build_label_graph,
    build_lineage_graph,
    largest_component,
    top_k_subgraph,
)


def all_values(G):
    yield from G.graph.values()
    for _, d in G.nodes(data=True):
        yield from d.values()
    for *_, d in G.edges(data=True):
        yield from d.values()


# ----------------------------------------------------------------- citation

def test_citation_graph_nodes_edges_and_clean_attributes(papers, citations, labels, make_citations):
    extra = make_citations(
        [("P1", "P3"), ("P1", "P3"), ("P5", "X"), ("X", "P1"), ("P5", "P5")],
        is_influential=[True, None, False, False, False],
        intents=["methodology", "background", None, None, None],
    )
    G = build_citation_graph(papers, pd.concat([citations, extra], ignore_index=True), labels)
    assert isinstance(G, nx.DiGraph)
    assert list(G.nodes) == ["P1", "P2", "P3", "P4", "P5"]
    assert sorted(G.edges) == [("P1", "P3"), ("P1", "P4"), ("P1", "P5"), ("P2", "P3"), ("P2", "P4"),
                               ("P3", "P5"), ("P4", "P5")]
    # the three P1->P3 rows collapse: influential if any, intents united
    assert G.edges["P1", "P3"] == {"is_influential": True, "intents": "background;methodology"}
    assert G.edges["P2", "P3"] == {"is_influential": False, "intents": ""}
    assert G.graph["dropped_edges"] == 2 and G.graph["self_citations"] == 1
    assert G.nodes["P5"] == {"title": "", "year": -1, "venue": "arXiv", "is_seed": False, "citation_count": 3,
                             "task": "", "strategy": "", "modality": "", "model": ""}
    assert G.nodes["P4"]["is_seed"] is False and G.nodes["P2"]["venue"] == ""
    # labels ";"-joined by decreasing score; P2's clip from rules and manual counted once
    assert G.nodes["P2"]["modality"] == "ct;xray"
    assert G.nodes["P2"]["model"] == "clip"
    assert G.nodes["P3"]["task"] == "segmentation"
    assert None not in list(all_values(G))
    assert type(G.nodes["P1"]["year"]) is int and type(G.nodes["P1"]["is_seed"]) is bool


def test_citation_graph_without_labels_or_citations(papers, make_citations):
    G = build_citation_graph(papers, make_citations([]))
    assert G.number_of_nodes() == 5 and G.number_of_edges() == 0
    assert set(G.nodes["P1"]) == {"title", "year", "venue", "is_seed", "citation_count"}
    assert G.graph["dropped_edges"] == 0


# ----------------------------------------------------------------- co-topic and labels
# Labels (conftest): P1 {task:vqa, modality:xray .9, model:clip .8}
#                    P2 {task:vqa, modality:xray .6, modality:ct .7, model:clip max(.5, manual 1.0)}
#                    P3 {task:segmentation .4, modality:ct .9, model:sam .9}   P9 {model:sam .9}

def test_cotopic_graph_counts_shared_labels(labels):
    G = build_cotopic_graph(labels)
    assert sorted(G.nodes) == ["P1", "P2", "P3", "P9"]
    got = {tuple(sorted((u, v))): (d["weight"], d["shared"]) for u, v, d in G.edges(data=True)}
    assert got == {
        ("P1", "P2"): (3, "modality:xray;model:clip;task:vqa"),
        ("P2", "P3"): (1, "modality:ct"),
        ("P3", "P9"): (1, "model:sam"),
    }
    assert G.nodes["P2"]["n_labels"] == 4 and G.nodes["P2"]["modality"] == "ct;xray"


def test_cotopic_thresholds_and_dimensions(labels, papers):
    # min_score 0.65 drops P2's xray (.6) and P3's segmentation (.4)
    G = build_cotopic_graph(labels, min_score=0.65)
    got = {tuple(sorted((u, v))): (d["weight"], d["shared"]) for u, v, d in G.edges(data=True)}
    assert got == {("P1", "P2"): (2, "model:clip;task:vqa"), ("P2", "P3"): (1, "modality:ct"),
                   ("P3", "P9"): (1, "model:sam")}
    G = build_cotopic_graph(labels, min_shared=2)
    assert [tuple(sorted(e)) for e in G.edges] == [("P1", "P2")]
    G = build_cotopic_graph(labels, dimensions=("modality",), papers=papers)
    assert {tuple(sorted(e)) for e in G.edges} == {("P1", "P2"), ("P2", "P3")}
    assert G.nodes["P1"]["title"] == "Paper one" and G.nodes["P1"]["modality"] == "xray"
    assert G.nodes["P1"]["n_labels"] == 1


def test_label_graph_counts_papers_carrying_both(labels):
    G = build_label_graph(labels)
    assert {n: d["count"] for n, d in G.nodes(data=True)} == {
        "modality:ct": 2, "modality:xray": 2, "model:clip": 2, "model:sam": 2,
        "task:segmentation": 1, "task:vqa": 2}
    assert G.nodes["model:clip"]["dimension"] == "model" and G.nodes["model:clip"]["label"] == "clip"
    got = {tuple(sorted((u, v))): d["weight"] for u, v, d in G.edges(data=True)}
    assert got == {
        ("modality:xray", "task:vqa"): 2, ("model:clip", "task:vqa"): 2, ("modality:xray", "model:clip"): 2,
        ("modality:ct", "task:vqa"): 1, ("modality:ct", "modality:xray"): 1, ("modality:ct", "model:clip"): 1,
        ("modality:ct", "task:segmentation"): 1, ("model:sam", "task:segmentation"): 1,
        ("modality:ct", "model:sam"): 1,
    }
    assert build_label_graph(labels, min_count=2).number_of_edges() == 3


# ----------------------------------------------------------------- lineage

def test_lineage_links_papers_to_models(labels, papers):
    G = build_lineage_graph(labels, papers)
    assert isinstance(G, nx.DiGraph)
    assert sorted(G.edges(data=True)) == [
        ("P1", "model:clip", {"source": "rules", "score": 0.8}),
        ("P2", "model:clip", {"source": "manual;rules", "score": 1.0}),
        ("P3", "model:sam", {"source": "rules", "score": 0.9}),
    ]
    assert G.nodes["model:clip"] == {"kind": "model", "model": "clip", "title": "clip", "count": 2}
    assert G.nodes["model:sam"]["count"] == 1  # P9 is not in papers
    assert G.nodes["P1"]["kind"] == "paper" and G.nodes["P1"]["title"] == "Paper one"
    assert G.graph["dropped_labels"] == 1
    assert "P4" not in G  # papers without a model label stay out


# ----------------------------------------------------------------- co-author

def test_coauthor_graph_counts_joint_papers():
    a = pd.DataFrame({  # synthetic
        "paper_id": ["p1", "p1", "p2", "p2", "p2", "p3", "p3", "p3", "p3"],
        "author_id": ["A1", "A2", "A1", "A2", "A3", "A3", "A1", None, "A3"],
        "author_name": ["Ann", "Bo", "Ann", "Bo", "Cy", "Cy", "Ann X", "Nobody", "Cy"],
    })
    G = build_coauthor_graph(a)
    got = {tuple(sorted((u, v))): d["weight"] for u, v, d in G.edges(data=True)}
    assert got == {("A1", "A2"): 2, ("A1", "A3"): 2, ("A2", "A3"): 1}
    assert G.nodes["A1"] == {"name": "Ann", "n_papers": 3}
    assert G.nodes["A3"] == {"name": "Cy", "n_papers": 2}
    assert G.graph["dropped_authorships"] == 1
    assert build_coauthor_graph(a, min_weight=2).number_of_edges() == 2
    assert build_coauthor_graph(None).number_of_nodes() == 0


# ----------------------------------------------------------------- helpers and registry

def test_largest_component_and_top_k_subgraph():
    G = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    assert sorted(largest_component(G)) == ["c", "d", "e"]
    D = nx.DiGraph([("a", "b"), ("c", "b"), ("x", "y")])
    assert sorted(largest_component(D)) == ["a", "b", "c"]
    assert largest_component(nx.Graph()).number_of_nodes() == 0
    # equal sizes: the component with the smaller node id
    assert sorted(largest_component(nx.Graph([("z", "y"), ("b", "a")]))) == ["a", "b"]

    S = nx.star_graph(4)  # hub 0
    S.add_edge(5, 6)
    assert list(top_k_subgraph(S, 1)) == [0]
    for n in S:
        S.nodes[n]["year"] = 2000 + n
    assert sorted(top_k_subgraph(S, 2, by="year")) == [5, 6]
    assert sorted(top_k_subgraph(S, 2, by="degree")) == [0, 1]  # tie among leaves -> smaller id
    with pytest.raises(UsageError, match="numeric attribute 'nope'"):
        top_k_subgraph(S, 2, by="nope")


def test_build_graph_by_name(papers, citations, labels):
    tables = {"papers": papers, "citations": citations, "labels": labels, "authorships": None}
    for name in GRAPHS:
        assert isinstance(build_graph(name, **tables), nx.Graph)
    G = build_graph("coupling", **tables, norm="cosine", top_k=1)
    assert sorted(G.nodes) == ["P1", "P2", "P3", "P4", "P5"]
    assert {tuple(sorted(e)) for e in G.edges} == {("P1", "P2"), ("P3", "P4")}
    assert G.nodes["P1"]["task"] == "vqa"
    with pytest.raises(UsageError, match="unknown graph 'nope'"):
        build_graph("nope", **tables)
