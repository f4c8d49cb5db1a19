"""Co-topic graphs: papers linked by shared labels, and labels linked by shared papers.

Both are products of the binary paper x label incidence matrix ``B`` (label
ids ``"dimension:label"``): ``B @ B.T`` for papers, ``B.T @ B`` for labels.
The co-topic graph is dense by nature (every pair of papers sharing a common
label such as ``modality:xray`` is linked): on large corpora raise
``min_shared`` or pass ``top_k``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ._common import LABEL_DIMENSIONS, as_py, clean_labels, conform, label_attrs, paper_defaults, paper_node_attrs
from ._pairs import pair_graph, pairs
from .matrix import incidence


def _incidence(labels, dimensions, min_score):
    lab = clean_labels(labels, dimensions, min_score)
    key = lab["dimension"].astype(str) + ":" + lab["label"].astype(str)
    B, papers, label_ids = incidence(lab["paper_id"], key)
    return lab, B, papers, label_ids


def build_cotopic_graph(
    labels: pd.DataFrame,
    *,
    dimensions: Sequence[str] = LABEL_DIMENSIONS,
    min_shared: int = 1,
    min_score: float = 0.0,
    top_k: int | None = None,
    papers: pd.DataFrame | None = None,
):
    """Papers linked by the labels they share.

    Parameters
    ----------
    labels : DataFrame (labels table)
    dimensions : dimensions whose labels count
    min_shared : keep pairs sharing at least this many labels
    min_score : ignore labels scored below this (a missing score counts as 1.0)
    top_k : optional, keep each paper's ``top_k`` strongest edges (union)
    papers : optional papers table, for node attributes (title, year, ...)

    Returns
    -------
    networkx.Graph
        Nodes: every paper with at least one counted label, with
        ``n_labels`` (int) and one ";"-joined str attribute per dimension.
        Edges: ``weight`` (int, number of shared labels) and ``shared``
        (";"-joined ``dimension:label`` ids, sorted).

    Examples
    --------
    >>> import pandas as pd
    >>> lab = pd.DataFrame({"paper_id": ["a", "a", "b", "b"], "dimension": ["task", "modality"] * 2,
    ...                     "label": ["vqa", "xray", "vqa", "ct"]})
    >>> G = build_cotopic_graph(lab)
    >>> G.edges["a", "b"]
    {'weight': 1, 'shared': 'task:vqa'}
    """
    lab, B, index, label_ids = _incidence(labels, dimensions, min_score)
    t = pairs(B, "co-topic", norm="raw", min_count=max(int(min_shared), 1), top_k=top_k)
    # Each paper's label set as a bitmask (Python ints: any number of labels).
    names = label_ids.astype(object).tolist()
    Bc = B.tocsr()
    masks = [sum(1 << int(k) for k in Bc.indices[Bc.indptr[r]:Bc.indptr[r + 1]]) for r in range(B.shape[0])]
    cache: dict[int, str] = {}

    def shared(m: int) -> str:
        if m not in cache:
            cache[m] = ";".join(names[k] for k in range(m.bit_length()) if m >> k & 1)
        return cache[m]

    dims = list(dimensions)
    attrs = {pid: dict(a) for pid, a in label_attrs(lab, dims).items()}
    defaults = {d: "" for d in dims}
    if papers is not None:
        defaults.update(paper_defaults())
        pa = paper_node_attrs(conform(papers, "papers", ("paper_id",)))
        for pid in attrs:
            attrs[pid].update(pa.get(pid, {}))
    return pair_graph(
        t, index, kind="cotopic", node_attrs=attrs, defaults=defaults, occurrence_attr="n_labels",
        weight="count",
        edge_attrs=lambda t: {"shared": [shared(masks[i] & masks[j]) for i, j in zip(as_py(t.i), as_py(t.j))]},
        graph_attrs={"min_shared": int(min_shared), "min_score": float(min_score), "top_k": int(top_k or 0),
                     "dimensions": ";".join(dims)},
    )


def build_label_graph(
    labels: pd.DataFrame,
    *,
    dimensions: Sequence[str] = LABEL_DIMENSIONS,
    min_score: float = 0.0,
    min_count: int = 1,
):
    """Labels linked by the number of papers that carry both.

    Returns
    -------
    networkx.Graph
        Nodes ``"dimension:label"`` with ``dimension``, ``label`` (str) and
        ``count`` (int, papers carrying it); edges ``weight`` (int, papers
        carrying both), kept when ``weight >= min_count``. Pairs within one
        dimension are included (e.g. two strategies of one paper).

    Examples
    --------
    >>> import pandas as pd
    >>> lab = pd.DataFrame({"paper_id": ["a", "a", "b", "b"], "dimension": ["task", "modality"] * 2,
    ...                     "label": ["vqa", "xray", "vqa", "xray"]})
    >>> G = build_label_graph(lab)
    >>> G.nodes["task:vqa"]["count"], G.edges["task:vqa", "modality:xray"]["weight"]
    (2, 2)
    """
    _, B, _, label_ids = _incidence(labels, dimensions, min_score)
    X = B.T.tocsr()
    t = pairs(X, "label", norm="raw", min_count=max(int(min_count), 1))
    attrs = {}
    for lid in label_ids.astype(object).tolist():
        dim, _, lab = lid.partition(":")
        attrs[lid] = {"dimension": dim, "label": lab}
    G = pair_graph(t, label_ids, kind="labels", node_attrs=attrs, occurrence_attr="count", weight="count",
                   graph_attrs={"min_score": float(min_score), "min_count": int(min_count),
                                "dimensions": ";".join(dimensions)})
    return G
