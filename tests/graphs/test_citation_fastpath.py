"""build_citation_graph's own label join equals the shared clean_labels + label_attrs path
(SYNTHETIC labels: duplicates from several sources, missing and negative scores, extra dimension)."""

from __future__ import annotations

import random

import pandas as pd

from medvlm_graph.graphs import build_citation_graph
from medvlm_graph.graphs._common import clean_labels, label_attrs, label_dimensions


def test_label_attributes_equal_shared_helpers():
    r = random.Random(0)
    papers = pd.DataFrame({"paper_id": [f"p{i}" for i in range(30)], "title": "t", "year": 2020})
    rows = []
    for _ in range(400):
        rows.append((f"p{r.randrange(32)}", r.choice(["task", "model", "modality", "zeta", "alpha"]),
                     r.choice(["x", "y", "z", "w"]), r.choice(["rules", "manual", "review", None]),
                     r.choice([None, -0.5, 0.0, 0.3, 0.6, 1.0])))
    labels = pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"])
    G = build_citation_graph(papers, pd.DataFrame({"citing_id": ["p1", "p1"], "cited_id": ["p2", "p2"]}), labels)
    lab = clean_labels(labels)
    dims = label_dimensions(lab)
    want = label_attrs(lab, dims)
    assert dims == ["task", "strategy", "modality", "model", "alpha", "zeta"]
    for pid in papers["paper_id"]:
        node = G.nodes[pid]
        assert {d: node[d] for d in dims} == want.get(pid, {d: "" for d in dims})
    assert any(";" in G.nodes[p]["task"] for p in papers["paper_id"])  # several labels joined
    assert list(G.edges(data=True)) == [("p1", "p2", {"is_influential": False, "intents": ""})]
    assert G.pred["p2"]["p1"] is G.succ["p1"]["p2"]  # one attribute dict per edge, as networkx does
