"""The vectorised helpers of the figures and the report give what the code they replaced gave.

Each reference below is the code before it was vectorised, kept here; inputs are SYNTHETIC (random
labels with duplicates, shuffled rows, non-ASCII and ':' in labels).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from medvlm_graph.report.builder import _labels_by
from medvlm_graph.viz._common import join_by_key, labels_by_paper, texts
from medvlm_graph.viz.network import _label_graph_from_table, plot_label_network


def old_labels_by_paper(labels):
    if labels is None or len(labels) == 0:
        return {}
    out: dict[str, dict[str, list[str]]] = {}
    for pid, dim, lab in zip(labels["paper_id"].astype(str), labels["dimension"].astype(str),
                             labels["label"].astype(str)):
        out.setdefault(pid, {}).setdefault(dim, [])
        if lab not in out[pid][dim]:
            out[pid][dim].append(lab)
    return {pid: "; ".join(f"{d}: {', '.join(sorted(v))}" for d, v in sorted(dims.items()))
            for pid, dims in out.items()}


def old_labels_by(lab, dimension):
    if len(lab) == 0:
        return {}
    sub = lab[lab["dimension"].astype(str) == dimension]
    return sub.groupby(sub["paper_id"].astype(str))["label"].apply(
        lambda x: ", ".join(sorted(set(map(str, x))))).to_dict()


def old_label_graph(labels, dimensions):
    sub = labels[labels["dimension"].astype(str).isin(dimensions)]
    keyed = (sub["dimension"].astype(str) + ":" + sub["label"].astype(str))
    per_paper = keyed.groupby(sub["paper_id"].astype(str)).apply(lambda s: sorted(set(s)))
    G = nx.Graph()
    for labs in per_paper:
        for a in labs:
            if a not in G:
                dim, lab = a.split(":", 1)
                G.add_node(a, dimension=dim, label=lab, count=0)
            G.nodes[a]["count"] += 1
        for i, a in enumerate(labs):
            for b in labs[i + 1:]:
                w = G.edges[a, b]["weight"] + 1 if G.has_edge(a, b) else 1
                G.add_edge(a, b, weight=w)
    return G


LABELS = {"task": ["vqa", "segmentation", "report_generation", "détection", "a:b"],
          "strategy": ["prompting", "fine_tuning", "adapter"], "modality": ["ct", "mri", "x光"],
          "model": ["clip", "sam"]}


def random_labels(seed: int, n_papers: int = 60, dtype: str = "string") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n_papers):
        pid = f"p{rng.integers(0, 10**6):06d}" if p % 7 else f"seed:é{p}"
        for _ in range(int(rng.integers(0, 7))):
            dim = str(rng.choice(list(LABELS)))
            rows.append((pid, dim, str(rng.choice(LABELS[dim]))))  # duplicates included
    df = pd.DataFrame(rows, columns=["paper_id", "dimension", "label"]).sample(frac=1.0, random_state=seed)
    return df.astype(dtype).assign(source="rules", score=1.0)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("dtype", ["string", "str", "object"])
def test_lookups_equal_the_loops(seed, dtype):
    labels = random_labels(seed, dtype=dtype)
    assert labels_by_paper(labels) == old_labels_by_paper(labels)
    data = type("Data", (), {"labels": labels})()
    for dim in ("task", "strategy", "nope"):
        assert _labels_by(data, dim) == old_labels_by(labels, dim)


@pytest.mark.parametrize("seed", range(6))
def test_label_graph_equals_the_loop_with_nodes_and_edges_in_the_same_order(seed):
    labels = random_labels(seed)
    dims = ("task", "strategy", "modality")
    new, old = _label_graph_from_table(labels, dims), old_label_graph(labels, dims)
    assert list(new.nodes(data=True)) == list(old.nodes(data=True))
    assert list(new.edges(data=True)) == list(old.edges(data=True))  # adjacency order: the drawing's order
    assert plot_label_network(labels).to_json() == plot_label_network(old).to_json()


def test_label_graph_by_hand():
    labels = pd.DataFrame({"paper_id": ["b", "a", "a", "b", "a", "c"],
                           "dimension": ["task", "task", "strategy", "strategy", "task", "modality"],
                           "label": ["vqa", "vqa", "prompting", "prompting", "vqa", "ct"]})
    G = _label_graph_from_table(labels, ("task", "strategy", "modality"))
    assert list(G.nodes(data="count")) == [("strategy:prompting", 2), ("task:vqa", 2), ("modality:ct", 1)]
    assert list(G.edges(data="weight")) == [("strategy:prompting", "task:vqa", 2)]


def test_empty_and_missing_labels():
    empty = pd.DataFrame({"paper_id": [], "dimension": [], "label": []}, dtype="string")
    assert labels_by_paper(empty) == {} and labels_by_paper(None) == {}
    assert _label_graph_from_table(empty, ("task",)).number_of_nodes() == 0
    holes = pd.DataFrame({"paper_id": ["a", "a", None], "dimension": ["task", "task", "task"],
                          "label": ["vqa", None, "ct"]}, dtype="string")
    assert labels_by_paper(holes) == {"a": "task: vqa"}  # rows without paper or label say nothing
    assert list(_label_graph_from_table(holes, ("task",)).nodes) == ["task:vqa"]


@pytest.mark.parametrize("n", [0, 1, 3, 500])
def test_point_texts_as_an_array_give_the_same_figure_json(n):
    hover = [f"<b>t{i} é &amp; \"q\"</b><br>漢 {i}" for i in range(n)]
    urls = [f"https://www.semanticscholar.org/paper/{i:040x}" if i % 3 else "" for i in range(n)]
    def figure(conv):
        return go.Figure(go.Scatter(x=list(range(n)), y=[i / 7 for i in range(n)], hovertext=conv(hover),
                                    customdata=conv(urls), hoverinfo="text"))
    assert figure(texts).to_json() == figure(list).to_json()


def test_join_by_key_keeps_row_order_within_a_key():
    keys = pd.Series(["b", "a", "b", "c", "a"], dtype="string")
    values = pd.Series(["z", "y", "x", "w", "v"], dtype="string")
    assert join_by_key(keys, values, "; ") == {"b": "z; x", "a": "y; v", "c": "w"}
