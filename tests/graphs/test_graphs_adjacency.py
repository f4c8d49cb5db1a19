"""The matrix builders (``*_adjacency``) hold exactly the networkx builders' graphs (SYNTHETIC
citations: the 5-paper world of conftest.py and random small graphs)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvlm_graph.errors import UsageError
from medvlm_graph.graphs import (
    build_citation_graph,
    build_cocitation_graph,
    build_coupling_graph,
    citation_adjacency,
    cocitation_adjacency,
    coupling_adjacency,
    to_adjacency,
)
from medvlm_graph.graphs.matrix import NORMS, incidence, pair_table

IDS = [f"n{i}" for i in range(8)]
edge_lists = st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)), max_size=40)


def frame(edges):
    return pd.DataFrame({"citing_id": [a for a, _ in edges], "cited_id": [b for _, b in edges]}, dtype="string")


def matrix_edges(M, index) -> dict:
    C = M.tocoo()
    return {(index[i], index[j]): v for i, j, v in zip(C.row.tolist(), C.col.tolist(), C.data.tolist())}


def graph_edges(G, attr) -> dict:
    out = {}
    for u, v, d in G.edges(data=True):
        out[(u, v)] = d[attr]
        if not G.is_directed():
            out[(v, u)] = d[attr]
    return out


def test_citation_adjacency_on_the_five_paper_world(papers, citations):
    A, index = citation_adjacency(papers, citations)
    assert list(index) == ["P1", "P2", "P3", "P4", "P5"]
    assert A.dtype == np.int8
    assert A.toarray().tolist() == [
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],  # P2 -> P3 given twice: one edge
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
    ]


def test_citation_adjacency_follows_the_papers_order_and_drops_outside_edges():
    papers = pd.DataFrame({"paper_id": ["c", "a", None, "b", "a"]})
    cits = frame([("a", "b"), ("b", "b"), ("a", "zz"), ("c", "a"), ("a", "b")])
    A, index = citation_adjacency(papers, cits)
    G = build_citation_graph(papers, cits)
    assert list(index) == list(G.nodes) == ["c", "a", "b"]
    assert matrix_edges(A, index) == {("a", "b"): 1, ("c", "a"): 1}


@settings(max_examples=60, deadline=None)
@given(edges=edge_lists, n_papers=st.integers(0, 8))
def test_citation_adjacency_equals_the_citation_graph(edges, n_papers):
    papers = pd.DataFrame({"paper_id": IDS[::-1][:n_papers]})
    A, index = citation_adjacency(papers, frame(edges))
    G = build_citation_graph(papers, frame(edges))
    assert list(index) == list(G.nodes)
    assert set(matrix_edges(A, index)) == set(G.edges)
    assert set(matrix_edges(A, index).values()) <= {1}


@settings(max_examples=80, deadline=None)
@given(edges=edge_lists, kind=st.sampled_from(["cocitation", "coupling"]), norm=st.sampled_from(NORMS),
       min_weight=st.integers(1, 3), top_k=st.one_of(st.none(), st.integers(1, 3)),
       with_papers=st.booleans())
def test_pair_adjacency_equals_the_networkx_graph(edges, kind, norm, min_weight, top_k, with_papers):
    adjacency, build = ((cocitation_adjacency, build_cocitation_graph) if kind == "cocitation"
                        else (coupling_adjacency, build_coupling_graph))
    kw = dict(norm=norm, min_weight=min_weight, top_k=top_k,
              papers=pd.DataFrame({"paper_id": IDS[:5]}) if with_papers else None)
    G = build(frame(edges), **kw)
    W, index = adjacency(frame(edges), **kw)
    C, index2 = adjacency(frame(edges), values="count", **kw)
    assert list(index) == list(index2) == list(G.nodes)
    assert W.dtype == np.float64 and C.dtype == np.int64
    assert matrix_edges(W, index) == graph_edges(G, "weight")  # bit for bit: the same float
    assert matrix_edges(C, index) == graph_edges(G, "count")
    assert (W != W.T).nnz == 0 and W.diagonal().sum() == 0


def test_values_must_be_weight_or_count(citations):
    with pytest.raises(UsageError, match="values"):
        coupling_adjacency(citations, values="cosine")
    with pytest.raises(UsageError, match="norm"):
        cocitation_adjacency(citations, norm="nope")


def test_to_adjacency_keeps_order_weights_and_zero_weight_edges():
    G = nx.Graph()
    G.add_edge(2, 1, weight=0.5)
    G.add_edge(1, 3, weight=0.0)
    G.add_edge(3, 3)
    M, index = to_adjacency(G)
    assert list(index) == ["2", "1", "3"]
    assert matrix_edges(M, index) == {("2", "1"): 0.5, ("1", "2"): 0.5, ("1", "3"): 0.0, ("3", "1"): 0.0,
                                      ("3", "3"): 1.0}
    D = nx.DiGraph([("a", "b")])
    M, index = to_adjacency(D, weight=None)
    assert M.toarray().tolist() == [[0.0, 1.0], [0.0, 0.0]]


def _random_incidence(seed: int, n_items: int, n_ctx: int, per_ctx: int):
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for ctx in range(n_ctx):
        items = rng.choice(n_items, size=rng.integers(1, per_ctx + 1), replace=False)
        rows += [f"i{x:04d}" for x in items]
        cols += [f"c{ctx:04d}"] * len(items)
    return incidence(rows, cols)[0]


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("top_k", [None, 1, 3, 12])
def test_pair_table_does_not_depend_on_the_block_size(norm, top_k):
    # Rows of up to a few hundred entries (longer than 8k: every prefilter chunk is non-empty) and
    # many tied weights; one block of everything vs blocks of a few rows.
    X = _random_incidence(0, 300, 400, 12)
    one = pair_table(X, norm=norm, top_k=top_k, min_count=1, block_work=10**12)
    many = pair_table(X, norm=norm, top_k=top_k, min_count=1, block_work=500)
    assert len(one) > 100
    for a in ("i", "j", "count", "weight", "occurrences"):
        assert getattr(one, a).tolist() == getattr(many, a).tolist()


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.sampled_from(IDS + ["zz", "ß", "n1 "])), max_size=30),
       index=st.lists(st.sampled_from(IDS + ["ß"]), unique=True, max_size=9),
       dtype=st.sampled_from([object, "string", "str"]))
def test_positions_equal_get_indexer(values, index, dtype):
    from medvlm_graph.graphs._common import positions

    s = pd.Series(values, dtype=dtype)
    idx = pd.Index(index, dtype=object)
    want = pd.Index(idx, dtype="string").get_indexer(pd.Series(values, dtype="string"))
    assert positions(s, idx).tolist() == want.tolist()
