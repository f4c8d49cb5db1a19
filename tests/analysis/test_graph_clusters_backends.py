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


# --- the graph as a sparse matrix: same clusters as the networkx graph and as the code before it -----

def _old_louvain_networkx(G, seed):
    """The networkx path as it was before the matrix form (reference)."""
    U = G.copy()
    U.remove_nodes_from([v for v in list(U.nodes) if U.degree(v) == 0])
    U.remove_edges_from(nx.selfloop_edges(U))
    H = nx.Graph()
    H.add_nodes_from(sorted(U.nodes, key=str))
    H.add_edges_from(sorted(((min(u, v, key=str), max(u, v, key=str), d) for u, v, d in U.edges(data=True)),
                            key=lambda e: (str(e[0]), str(e[1]))))
    comms = nx.community.louvain_communities(H, weight="weight", seed=seed)
    return sorted(sorted(map(str, c)) for c in comms), nx.community.modularity(H, comms, weight="weight")


def _old_louvain_igraph(G, seed):
    """The igraph path as it was before the matrix form (reference)."""
    import random

    import igraph
    import numpy as np

    nodes = [v for v in G.nodes if G.degree(v) > 0]
    ids = [str(v) for v in nodes]
    order = sorted(range(len(nodes)), key=ids.__getitem__)
    rank = {nodes[i]: r for r, i in enumerate(order)}
    a = np.array([rank[u] for u, _ in G.edges], dtype=np.int64)
    b = np.array([rank[v] for _, v in G.edges], dtype=np.int64)
    w = np.array([float(x) for _, _, x in G.edges(data="weight", default=1)])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi, w = lo[keep], hi[keep], w[keep]
    o = np.lexsort((hi, lo))
    g = igraph.Graph(n=len(nodes), edges=np.column_stack([lo[o], hi[o]]).tolist())
    igraph.set_random_number_generator(random.Random(seed))
    try:
        part = g.community_multilevel(weights=w[o].tolist())
    finally:
        igraph.set_random_number_generator(random)
    by_rank = [ids[i] for i in order]
    groups: dict = {}
    for r, m in enumerate(part.membership):
        groups.setdefault(m, []).append(by_rank[r])
    return sorted(sorted(g) for g in groups.values()), g.modularity(part.membership, weights=w[o].tolist())


def noisy(seed: int) -> nx.Graph:
    """Weak communities, random weights, isolated nodes, ids whose order differs from insertion order."""
    import random

    r = random.Random(seed)
    G = nx.Graph()
    G.add_nodes_from(f"q{r.randrange(1000):03d}" for _ in range(5))  # isolated: left out
    for _ in range(700):  # no clear structure: the partition depends on the order nodes and edges come in
        u, v = r.randrange(200), r.randrange(200)
        if u != v:
            G.add_edge(f"p{(u * 37) % 200:03d}", f"p{(v * 37) % 200:03d}", weight=r.choice([0.25, 0.5, 1.0, 2.0]))
    G.add_edge("z", "z")
    return G


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
@pytest.mark.parametrize("seed", range(4))
def test_matrix_form_gives_the_clusters_of_the_graph_and_of_the_previous_code(backend, seed, monkeypatch):
    from medvlm_graph.graphs import to_adjacency

    G = noisy(seed)
    if backend == "igraph":
        pytest.importorskip("igraph")
        want, q = _old_louvain_igraph(G, seed)
    else:
        monkeypatch.setitem(sys.modules, "igraph", None)
        want, q = _old_louvain_networkx(G, seed)
    a1, s1 = compute_graph_clusters(G, seed=seed)
    a2, s2 = compute_graph_clusters(to_adjacency(G), seed=seed)
    assert _partition(a1) == want and ["z"] in want
    assert a1.equals(a2) and s1.equals(s2)
    assert s1.attrs["modularity"] == s2.attrs["modularity"] == pytest.approx(q, abs=1e-12)


def test_matrix_form_of_the_coupling_graph_clusters_as_the_networkx_graph():
    import pandas as pd

    from medvlm_graph.graphs import build_coupling_graph, coupling_adjacency

    rows = [(f"c{i:02d}", f"r{(i // 10) * 5 + j}") for i in range(60) for j in range(4)]
    rows += [("c07", "r40"), ("c33", "r3"), ("c51", "r12")]
    cits = pd.DataFrame(rows, columns=["citing_id", "cited_id"])
    G = build_coupling_graph(cits, norm="cosine", top_k=5)
    a1, s1 = compute_graph_clusters(G)
    a2, s2 = compute_graph_clusters(coupling_adjacency(cits, norm="cosine", top_k=5))
    assert a1.equals(a2) and s1.equals(s2) and s1.attrs == s2.attrs
    assert len(s1) == 6


def test_matrix_form_edge_cases():
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    from medvlm_graph.errors import DataError

    empty = (sp.csr_matrix((3, 3)), pd.Index(["a", "b", "c"]))
    a, s = compute_graph_clusters(empty)
    assert a.empty and "graph clusters need" in s.attrs["skipped"]
    # an explicit stored zero is no edge; an asymmetric matrix is read as undirected
    M = sp.csr_matrix((np.array([2.0, 0.0, 1.0]), (np.array([0, 0, 2]), np.array([1, 3, 3]))), shape=(4, 4))
    assert M.nnz == 3  # (0, 3) is a stored zero
    a, _ = compute_graph_clusters((M, pd.Index(["a", "b", "c", "d"])))
    assert _partition(a) == [["a", "b"], ["c", "d"]]
    with pytest.raises(DataError, match="does not match"):
        compute_graph_clusters((M, pd.Index(["a", "b"])))


def _old_terms(X, terms, labels, n_terms):
    """Distinctive terms as computed before (reference): one cluster at a time over the full rows."""
    import numpy as np

    out = {}
    for c in np.unique(labels):
        inside = np.asarray(X[labels == c].mean(axis=0)).ravel()
        rest = X[labels != c]
        outside = np.asarray(rest.mean(axis=0)).ravel() if rest.shape[0] else 0.0
        score = inside - outside
        order = np.lexsort((terms, -score))
        out[int(c)] = [str(terms[i]) for i in order[:n_terms] if inside[i] > 0]
    return out


@pytest.mark.parametrize("seed", range(5))
def test_cluster_terms_equal_the_previous_computation(seed):
    # SYNTHETIC TF-IDF-like matrix: few distinct values (many exact ties), identical columns, one cluster
    # holding every row in one case
    import numpy as np
    import scipy.sparse as sp

    from medvlm_graph.analysis.clusters import _terms

    rng = np.random.default_rng(seed)
    n, v = 300, 400
    X = sp.random(n, v, density=0.03, random_state=seed, format="csr",
                  data_rvs=lambda k: rng.choice([0.25, 0.5, 1.0], k))
    X = sp.hstack([X, X[:, :20]]).tocsr()  # 20 duplicated columns: ties broken by term
    terms = np.array([f"t{(i * 7919) % 1000:03d}_{i}" for i in range(X.shape[1])], dtype=object)
    for n_clusters in (1, 2, 7, 40):
        labels = rng.integers(0, n_clusters, n)
        for n_terms in (1, 8, 30):
            assert _terms(X, terms, labels, n_terms) == _old_terms(X, terms, labels, n_terms)


def test_networkx_louvain_on_a_large_graph_names_the_fast_extra(monkeypatch, caplog):
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    from medvlm_graph.analysis import clusters

    monkeypatch.setitem(sys.modules, "igraph", None)
    monkeypatch.setattr(clusters, "SLOW_LOUVAIN_EDGES", 3)
    M = sp.csr_matrix(np.ones((4, 4)) - np.eye(4))
    with caplog.at_level("WARNING", logger="medvlm_graph"):
        compute_graph_clusters((M, pd.Index(list("abcd"))))
    assert "'fast' extra" in caplog.text and "on 6 edges" in caplog.text
    caplog.clear()
    monkeypatch.setattr(clusters, "SLOW_LOUVAIN_EDGES", 6)
    with caplog.at_level("WARNING", logger="medvlm_graph"):
        compute_graph_clusters((M, pd.Index(list("abcd"))))
    assert caplog.text == ""
