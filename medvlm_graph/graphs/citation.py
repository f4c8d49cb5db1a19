"""The directed citation graph: paper -> paper it cites."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._common import (
    LABEL_DIMENSIONS,
    add_nodes,
    column,
    conform,
    paper_defaults,
    paper_node_attrs,
    positions,
)


def _merge_intents(values: pd.Series) -> str:
    return ";".join(sorted({x for v in values for x in str(v).split(";") if x}))


def _label_attrs(labels: pd.DataFrame) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Dimensions and ``{paper_id: {dimension: "l1;l2"}}`` (by score desc, then id).

    The same result as ``label_attrs(clean_labels(labels), label_dimensions(...))`` of
    :mod:`._common` without their per-group Python aggregations (the source column is not needed
    here): one sort, then one pass over the rows.
    """
    df = conform(labels, "labels", ("paper_id", "dimension", "label"))
    df = df.dropna(subset=["paper_id", "dimension", "label"])
    df = df.assign(score=df["score"].fillna(1.0))
    df = df[df["score"] >= 0.0]
    dims = list(LABEL_DIMENSIONS) + sorted(set(df["dimension"].astype(str)) - set(LABEL_DIMENSIONS))
    df = df.sort_values(["paper_id", "dimension", "score", "label"], ascending=[True, True, False, True])
    df = df.drop_duplicates(["paper_id", "dimension", "label"])  # keeps the highest score
    joined: dict[str, dict[str, list[str]]] = {}
    for pid, dim, lab in zip(df["paper_id"].astype(str), df["dimension"].astype(str), df["label"].astype(str)):
        joined.setdefault(pid, {}).setdefault(dim, []).append(lab)
    return dims, {pid: {d: ";".join(v.get(d, ())) for d in dims} for pid, v in joined.items()}


def _node_ids(papers: pd.DataFrame) -> list[str]:
    """Paper ids of a conformed papers table, first row per id, in table order (the graph's nodes)."""
    p = papers.dropna(subset=["paper_id"]).drop_duplicates("paper_id")
    return column(p, "paper_id", "str")


def _coded_edges(ids: pd.Index, citations: pd.DataFrame, *, attrs: bool) -> tuple[pd.DataFrame, int, int]:
    """Citations as integer positions in ``ids``: ``(edges, dropped_edges, self_citations)``.

    ``edges`` has columns ``ci`` (citing) and ``cj`` (cited), plus ``is_influential`` and ``intents``
    when ``attrs``; self-citations and edges with an endpoint outside ``ids`` are dropped and counted
    (self-citations as citing papers, dropped edges as distinct pairs). Duplicate pairs may remain.
    """
    cols = ["citing_id", "cited_id"] + (["is_influential", "intents"] if attrs else [])
    c = citations[cols].dropna(subset=["citing_id", "cited_id"])
    self_loop = c["citing_id"] == c["cited_id"]
    self_citations = int(c.loc[self_loop, "citing_id"].nunique())
    c = c[~self_loop]
    ci, cj = positions(c["citing_id"], ids), positions(c["cited_id"], ids)
    inside = (ci >= 0) & (cj >= 0)
    dropped = int(len(c.loc[~inside, ["citing_id", "cited_id"]].drop_duplicates())) if not inside.all() else 0
    out = {"ci": ci[inside], "cj": cj[inside]}
    if attrs:
        out["is_influential"] = (c.loc[inside, "is_influential"].astype("boolean").fillna(False)
                                 .astype(bool).to_numpy())
        out["intents"] = c.loc[inside, "intents"].astype("string").fillna("").to_numpy(dtype=object)
    return pd.DataFrame(out), dropped, self_citations


def citation_adjacency(papers: pd.DataFrame, citations: pd.DataFrame) -> tuple[sp.csr_matrix, pd.Index]:
    """The citation graph as a sparse adjacency matrix and its paper-id index (no networkx).

    ``A[i, j] = 1`` when paper ``index[i]`` cites paper ``index[j]``: the edges of
    :func:`build_citation_graph` (self-citations, edges leaving ``papers`` and duplicates dropped), on
    the same nodes in the same order (``papers`` order, first row per id), so an analysis run on the
    matrix sees the graph it would see in networkx.

    Returns
    -------
    (scipy.sparse.csr_matrix of int8, pandas.Index of str)
        Square matrix (rows cite columns) and the paper id of each row/column.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["b", "a", "c"]})
    >>> c = pd.DataFrame({"citing_id": ["a", "a", "a", "c"], "cited_id": ["b", "b", "zz", "c"]})
    >>> A, index = citation_adjacency(p, c)
    >>> list(index), A.toarray().tolist()
    (['b', 'a', 'c'], [[0, 0, 0], [1, 0, 0], [0, 0, 0]])
    """
    papers = conform(papers, "papers", ("paper_id",))
    citations = conform(citations, "citations", ("citing_id", "cited_id"))
    ids = pd.Index(_node_ids(papers), dtype="string")
    e, _, _ = _coded_edges(ids, citations, attrs=False)
    n = len(ids)
    A = sp.csr_matrix((np.ones(len(e), dtype=np.int8), (e["ci"].to_numpy(), e["cj"].to_numpy())),
                      shape=(n, n), dtype=np.int8)
    A.sum_duplicates()
    A.data[:] = 1  # duplicate rows collapse
    return A, ids


def build_citation_graph(
    papers: pd.DataFrame,
    citations: pd.DataFrame,
    labels: pd.DataFrame | None = None,
) -> nx.DiGraph:
    """Directed citation graph over every paper of ``papers`` (edge: citing -> cited).

    Parameters
    ----------
    papers, citations, labels : DataFrame
        Tables of :mod:`medvlm_graph.tables` (``labels`` optional).

    Returns
    -------
    networkx.DiGraph
        Nodes: every ``paper_id`` of ``papers`` with attributes ``title``,
        ``venue`` (str, ``""`` when unknown), ``year``, ``citation_count``
        (int, ``-1`` when unknown), ``is_seed`` (bool, ``False`` when unknown)
        and, when ``labels`` is given, one str attribute per label dimension
        (``task``, ``strategy``, ``modality``, ``model`` and any other present)
        holding the paper's labels ";"-joined by decreasing score (``""`` if
        none). Edges: ``is_influential`` (bool) and ``intents`` (";"-joined
        str). Duplicate edges collapse (influential if any row says so, intents
        united). Edges with an endpoint outside ``papers`` are dropped and
        counted (distinct pairs) in ``G.graph["dropped_edges"]``; self-citations
        are dropped and counted in ``G.graph["self_citations"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["a", "b"], "title": ["A", "B"], "year": [2020, None]})
    >>> c = pd.DataFrame({"citing_id": ["a", "a", "a"], "cited_id": ["b", "b", "zz"]})
    >>> G = build_citation_graph(p, c)
    >>> list(G.edges(data=True)), G.nodes["b"]["year"], G.graph["dropped_edges"]
    ([('a', 'b', {'is_influential': False, 'intents': ''})], -1, 1)
    """
    papers = conform(papers, "papers", ("paper_id",))
    citations = conform(citations, "citations", ("citing_id", "cited_id"))
    G = nx.DiGraph(kind="citation")
    attrs = paper_node_attrs(papers)
    if labels is not None:
        dims, per_paper = _label_attrs(labels)
        empty = {d: "" for d in dims}
        for pid, a in attrs.items():
            a.update(per_paper.get(pid, empty))
    add_nodes(G, attrs.keys(), attrs, paper_defaults())

    # Papers as integer codes, numbered in id order: membership, duplicates and the (citing, cited)
    # sort become integer work.
    nodes = sorted(attrs)
    c, dropped, self_citations = _coded_edges(pd.Index(nodes, dtype="string"), citations, attrs=True)
    G.graph["self_citations"] = self_citations
    G.graph["dropped_edges"] = dropped
    key = c["ci"].to_numpy(dtype=np.int64) * max(len(nodes), 1) + c["cj"].to_numpy(dtype=np.int64)
    if len(np.unique(key)) < len(key):  # duplicate pairs: collapse them (rare; pandas is fine here)
        c = c.drop_duplicates()
        dup = c.duplicated(["ci", "cj"], keep=False)
        if dup.any():
            merged = c[dup].groupby(["ci", "cj"], as_index=False).agg(
                is_influential=("is_influential", "any"), intents=("intents", _merge_intents)
            )
            c = pd.concat([c[~dup], merged], ignore_index=True)
    order = np.lexsort((c["cj"].to_numpy(), c["ci"].to_numpy()))  # by citing then cited id
    names = np.array(nodes, dtype=object)
    # What add_edges_from does, without its per-edge checks: both endpoints are nodes already and
    # each (citing, cited) pair is unique here. One attribute dict per edge, shared by both views.
    succ, pred = G._succ, G._pred
    for u, v, i, t in zip(
        names[c["ci"].to_numpy()[order]].tolist(),
        names[c["cj"].to_numpy()[order]].tolist(),
        c["is_influential"].to_numpy(dtype=bool)[order].tolist(),
        c["intents"].to_numpy(dtype=object)[order].tolist(),
    ):
        succ[u][v] = pred[v][u] = {"is_influential": i, "intents": t}
    return G
