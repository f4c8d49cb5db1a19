"""The sparse builders equal a brute-force Python count on random small graphs (synthetic)."""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from medvlm_graph.graphs import build_citation_graph, build_cocitation_graph, build_coupling_graph
from medvlm_graph.graphs.matrix import NORMS

IDS = [f"n{i}" for i in range(7)]
edge_lists = st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)), max_size=35)


def frame(edges):
    return pd.DataFrame({"citing_id": [a for a, _ in edges], "cited_id": [b for _, b in edges]},
                        dtype="string")


def brute(edges, kind):
    """Pairs, counts and occurrences by plain Python loops."""
    groups: dict[str, set[str]] = {}
    for a, b in edges:
        if a == b:
            continue
        ctx, item = (a, b) if kind == "cocitation" else (b, a)
        groups.setdefault(ctx, set()).add(item)
    counts: Counter = Counter()
    occ: Counter = Counter()
    for items in groups.values():
        occ.update(items)
        counts.update(combinations(sorted(items), 2))
    return counts, occ, len(groups)


def brute_weight(c, si, sj, n, norm):
    return {
        "raw": float(c),
        "cosine": c / math.sqrt(si * sj),
        "jaccard": c / (si + sj - c),
        "association": (c * n) / (si * sj),
        "inclusion": c / min(si, sj),
    }[norm]


def brute_top_k(weights, counts, k):
    nbrs: dict[str, list] = {}
    for (a, b), w in weights.items():
        nbrs.setdefault(a, []).append((-w, -counts[(a, b)], b, (a, b)))
        nbrs.setdefault(b, []).append((-w, -counts[(a, b)], a, (a, b)))
    return {e for lst in nbrs.values() for *_, e in sorted(lst)[:k]}


def edges_of(G):
    return {tuple(sorted((u, v))): (d["count"], d["weight"]) for u, v, d in G.edges(data=True)}


@settings(max_examples=60, deadline=None)
@given(edges=edge_lists, kind=st.sampled_from(["cocitation", "coupling"]), norm=st.sampled_from(NORMS),
       min_weight=st.integers(1, 3), top_k=st.one_of(st.none(), st.integers(1, 3)))
def test_sparse_pairs_equal_brute_force(edges, kind, norm, min_weight, top_k):
    build = build_cocitation_graph if kind == "cocitation" else build_coupling_graph
    G = build(frame(edges), norm=norm, min_weight=min_weight, top_k=top_k)
    counts, occ, n = brute(edges, kind)
    kept = {e: c for e, c in counts.items() if c >= min_weight}
    weights = {(a, b): brute_weight(c, occ[a], occ[b], n, norm) for (a, b), c in kept.items()}
    if top_k is not None:
        keep = brute_top_k(weights, kept, top_k)
        kept = {e: c for e, c in kept.items() if e in keep}
    assert edges_of(G) == {e: (c, weights[e]) for e, c in kept.items()}
    assert set(G.nodes) == set(occ)
    assert {v: d["occurrences"] for v, d in G.nodes(data=True)} == dict(occ)


@settings(max_examples=20, deadline=None)
@given(edges=edge_lists, seed=st.randoms(use_true_random=False), norm=st.sampled_from(NORMS),
       top_k=st.one_of(st.none(), st.integers(1, 2)))
def test_shuffling_rows_changes_nothing(edges, seed, norm, top_k):
    shuffled = list(edges)
    seed.shuffle(shuffled)
    for build in (build_cocitation_graph, build_coupling_graph):
        G1 = build(frame(edges), norm=norm, top_k=top_k)
        G2 = build(frame(shuffled), norm=norm, top_k=top_k)
        assert list(G1.nodes(data=True)) == list(G2.nodes(data=True))
        assert list(G1.edges(data=True)) == list(G2.edges(data=True))
    papers = pd.DataFrame({"paper_id": IDS})
    C1 = build_citation_graph(papers, frame(edges))
    C2 = build_citation_graph(papers, frame(shuffled))
    assert list(C1.edges(data=True)) == list(C2.edges(data=True))
    assert C1.number_of_edges() == len({(a, b) for a, b in edges if a != b})


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 9), st.integers(1, 3), st.integers(1, 3)),
                     max_size=60),
       k=st.integers(1, 4))
def test_fast_top_k_selection_equals_full_sort(rows, k):
    import numpy as np

    from medvlm_graph.graphs.matrix import _top_k_exact, _top_k_rows

    rows = sorted(rows)
    r, c, cnt, den = (np.array([x[i] for x in rows], dtype=np.int64) for i in range(4))
    w = cnt / den  # many ties
    assert _top_k_rows(r, c, cnt, w, k).tolist() == _top_k_exact(r, c, cnt, w, k).tolist()


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(0, 300), min_size=1, max_size=6), k=st.integers(1, 20),
       seed=st.integers(0, 2**32 - 1), levels=st.integers(1, 50))
def test_fast_top_k_on_long_rows_equals_full_sort(sizes, k, seed, levels):
    # Rows longer than the prefilter's 8k chunks, with few distinct weights (many ties) or many.
    import numpy as np

    from medvlm_graph.graphs.matrix import _top_k_exact, _top_k_rows

    rng = np.random.default_rng(seed)
    r = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    c = rng.permutation(len(r)).astype(np.int64)
    cnt = rng.integers(1, levels + 1, len(r)).astype(np.int64)
    w = cnt / rng.integers(1, 4, len(r))
    assert _top_k_rows(r, c, cnt, w, k).tolist() == _top_k_exact(r, c, cnt, w, k).tolist()
