"""Co-citation and bibliographic coupling graphs (sparse matrix products).

With ``A`` the binary citing x cited incidence matrix (duplicate citations
collapsed, self-citations dropped):

* co-citation ``A.T @ A``: two papers are linked by the number of papers that
  cite both; occurrences ``s_i`` = number of citing papers citing ``i``;
  ``N`` = number of distinct citing papers.
* bibliographic coupling ``A @ A.T``: two papers are linked by the number of
  references they share; ``s_i`` = number of references of ``i``; ``N`` =
  number of distinct cited papers.

Normalisations (``norm``) are defined in :mod:`medvlm_graph.graphs.matrix`:
``raw``, ``cosine`` (Salton), ``jaccard``, ``association`` (association
strength ``N * c_ij / (s_i * s_j)``: observed / expected co-occurrences) and
``inclusion``.

With ``papers=`` the items are the corpus papers, and ``N`` (``G.graph["n_contexts"]``) counts only
the contexts linked to at least one of them: the citing papers that cite a corpus paper
(co-citation), the references of corpus papers (coupling). A citing paper whose references all lie
outside the corpus is not a context, so association strength compares observed co-occurrences with
those expected among the contexts the corpus takes part in. Without ``papers=`` every citing
(cited) paper of the table is a context.

References
----------
.. [1] Small, H. (1973). Co-citation in the scientific literature: a new measure of the
   relationship between two documents. *Journal of the American Society for Information Science*,
   24(4), 265-269.
.. [2] Kessler, M. M. (1963). Bibliographic coupling between scientific papers. *American
   Documentation*, 14(1), 10-25.
.. [3] van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of some
   well-known similarity measures. *Journal of the American Society for Information Science and
   Technology*, 60(8), 1635-1651.

Scale: at 100k papers and 3M citations the unpruned co-citation graph can hold
tens of millions of pairs; the matrix functions stay cheap, but a networkx
graph of that size does not, so pass ``top_k`` (and/or ``min_weight``).
"""

from __future__ import annotations

import os

import pandas as pd
import scipy.sparse as sp

from ..errors import UsageError
from ._common import clean_labels, conform, label_attrs, label_dimensions, paper_defaults, paper_node_attrs
from ._pairs import pair_graph, pairs
from .matrix import PairTable, check_norm, cooccurrence, incidence, to_matrix
from .stored import read_pair_table


def _edges(citations: pd.DataFrame) -> pd.DataFrame:
    c = conform(citations, "citations", ("citing_id", "cited_id"))
    c = c[["citing_id", "cited_id"]].dropna()
    return c[c["citing_id"] != c["cited_id"]]


def _corpus_index(papers: pd.DataFrame | None) -> pd.Index | None:
    if papers is None:
        return None
    p = conform(papers, "papers", ("paper_id",))
    ids = p["paper_id"].dropna().unique()
    return pd.Index(sorted(ids.astype(object).tolist()), dtype="string")


def _item_matrix(citations: pd.DataFrame, papers: pd.DataFrame | None, kind: str
                 ) -> tuple[sp.csr_matrix, pd.Index]:
    """Items x contexts matrix: cited x citing (co-citation) or citing x cited (coupling).

    ``papers`` fixes the items (nodes); the contexts are every paper on the
    other side of the citation table, inside the corpus or not.
    """
    c = _edges(citations)
    item, ctx = ("cited_id", "citing_id") if kind == "cocitation" else ("citing_id", "cited_id")
    X, index, _ = incidence(c[item], c[ctx], row_index=_corpus_index(papers))
    return X, index


def cocitation_matrix(citations: pd.DataFrame, *, papers: pd.DataFrame | None = None
                      ) -> tuple[sp.csr_matrix, pd.Index]:
    """Co-citation counts ``A.T @ A`` as a CSR matrix and its paper-id index.

    ``C[i, j]`` = number of papers citing both ``i`` and ``j``; the diagonal
    holds ``s_i``, the number of papers citing ``i``. Rows follow ``index``
    (sorted paper ids; the corpus papers when ``papers`` is given).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"citing_id": ["x", "x", "y"], "cited_id": ["a", "b", "a"]})
    >>> C, index = cocitation_matrix(c)
    >>> list(index), C.toarray().tolist()
    (['a', 'b'], [[2, 1], [1, 1]])
    """
    X, index = _item_matrix(citations, papers, "cocitation")
    return cooccurrence(X), index


def coupling_matrix(citations: pd.DataFrame, *, papers: pd.DataFrame | None = None
                    ) -> tuple[sp.csr_matrix, pd.Index]:
    """Bibliographic coupling counts ``A @ A.T`` as a CSR matrix and its paper-id index.

    ``C[i, j]`` = number of references shared by ``i`` and ``j``; the diagonal
    holds the number of references of ``i``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"citing_id": ["a", "a", "b"], "cited_id": ["x", "y", "x"]})
    >>> C, index = coupling_matrix(c)
    >>> list(index), C.toarray().tolist()
    (['a', 'b'], [[2, 1], [1, 1]])
    """
    X, index = _item_matrix(citations, papers, "coupling")
    return cooccurrence(X), index


def _pair_table(kind: str, citations, papers, norm, top_k, min_weight, pairs_dir=None) -> tuple[PairTable, pd.Index]:
    """The kept pairs of the co-citation or coupling graph (pruned while counted) and the node index.

    With ``pairs_dir`` (``raw/fetched/pairs`` of a data directory), the pair table Spark wrote there
    (``ingest --engine spark --pairs``) stands in for counting when it was made with the same
    settings on the same citations (:func:`.stored.read_pair_table`); otherwise the pairs are counted.
    """
    X, index = _item_matrix(citations, papers, kind)
    if pairs_dir is not None:
        stored = read_pair_table(pairs_dir, kind, citations, index, norm=norm, top_k=top_k,
                                 min_count=max(int(min_weight), 1))
        if stored is not None:
            return stored, index
    return pairs(X, kind, norm=norm, min_count=max(int(min_weight), 1), top_k=top_k), index


def _adjacency(kind: str, citations, papers, norm, top_k, min_weight, values,
               pairs_dir=None) -> tuple[sp.csr_matrix, pd.Index]:
    norm = check_norm(norm)
    if values not in ("weight", "count"):
        raise UsageError(f"values must be 'weight' or 'count' (got {values!r})")
    t, index = _pair_table(kind, citations, papers, norm, top_k, min_weight, pairs_dir)
    return to_matrix(t, len(index), values), index


def cocitation_adjacency(
    citations: pd.DataFrame,
    *,
    papers: pd.DataFrame | None = None,
    norm: str = "raw",
    top_k: int | None = None,
    min_weight: int = 1,
    values: str = "weight",
    pairs_dir: str | os.PathLike[str] | None = None,
) -> tuple[sp.csr_matrix, pd.Index]:
    """The co-citation graph as a sparse matrix and its paper-id index (no networkx).

    The edges of :func:`build_cocitation_graph` with the same keywords (pruned by ``min_weight`` and
    ``top_k`` while they are counted, so memory follows the edges kept), on the same nodes in the
    same order: ``M[i, j] = M[j, i]`` is the edge's ``weight`` (float, ``values="weight"``) or raw
    ``count`` (int, ``values="count"``); no edge and the diagonal are 0.

    Returns
    -------
    (scipy.sparse.csr_matrix, pandas.Index of str)
        Symmetric matrix and the paper id of each row/column (sorted ids; the corpus papers when
        ``papers`` is given).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"citing_id": ["x", "x", "y", "y"], "cited_id": ["a", "b", "a", "b"]})
    >>> M, index = cocitation_adjacency(c, norm="jaccard")
    >>> list(index), M.toarray().tolist()
    (['a', 'b'], [[0.0, 1.0], [1.0, 0.0]])
    """
    return _adjacency("cocitation", citations, papers, norm, top_k, min_weight, values, pairs_dir)


def coupling_adjacency(
    citations: pd.DataFrame,
    *,
    papers: pd.DataFrame | None = None,
    norm: str = "raw",
    top_k: int | None = None,
    min_weight: int = 1,
    values: str = "weight",
    pairs_dir: str | os.PathLike[str] | None = None,
) -> tuple[sp.csr_matrix, pd.Index]:
    """The bibliographic coupling graph as a sparse matrix and its paper-id index (no networkx).

    Same keywords and matrix as :func:`cocitation_adjacency`, for the edges of
    :func:`build_coupling_graph`.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"citing_id": ["a", "a", "b"], "cited_id": ["x", "y", "x"]})
    >>> M, index = coupling_adjacency(c, values="count")
    >>> list(index), M.toarray().tolist()
    (['a', 'b'], [[0, 1], [1, 0]])
    """
    return _adjacency("coupling", citations, papers, norm, top_k, min_weight, values, pairs_dir)


def _build(kind, citations, papers, labels, norm, top_k, min_weight, pairs_dir=None):
    norm = check_norm(norm)
    t, index = _pair_table(kind, citations, papers, norm, top_k, min_weight, pairs_dir)
    attrs: dict[str, dict] = {}
    defaults: dict = {}
    if papers is not None:
        attrs = paper_node_attrs(conform(papers, "papers", ("paper_id",)))
        defaults = paper_defaults()
    if labels is not None:
        lab = clean_labels(labels)
        dims = label_dimensions(lab)
        per = label_attrs(lab, dims)
        defaults = {**defaults, **{d: "" for d in dims}}
        for pid, a in per.items():
            attrs[pid] = {**attrs.get(pid, {}), **a}
    return pair_graph(
        t, index, kind=kind, node_attrs=attrs, defaults=defaults,
        graph_attrs={"norm": norm, "top_k": int(top_k or 0), "min_weight": int(min_weight),
                     "n_contexts": int(t.n_contexts)},
    )


def build_cocitation_graph(
    citations: pd.DataFrame,
    *,
    papers: pd.DataFrame | None = None,
    norm: str = "raw",
    top_k: int | None = None,
    min_weight: int = 1,
    labels: pd.DataFrame | None = None,
    pairs_dir: str | os.PathLike[str] | None = None,
):
    """Co-citation graph: papers linked by how many papers cite both.

    Parameters
    ----------
    citations : DataFrame (citations table)
    papers : DataFrame, optional
        Restricts the nodes to these papers (every corpus paper becomes a node,
        isolated or not, with the citation graph's paper attributes). The
        citing side is the whole citation table, but ``N`` (``n_contexts``, the
        ``N`` of association strength) counts only the citing papers that cite
        at least one of these papers (module docstring).
    norm : {"raw", "cosine", "jaccard", "association", "inclusion"}
        Edge ``weight`` normalisation (module docstring); ``"salton"`` is an
        alias of ``"cosine"``.
    top_k : int, optional
        Keep each node's ``top_k`` strongest edges by ``weight`` (union over
        both ends; ties: larger count, then smaller neighbour id).
    min_weight : int
        Keep edges with raw ``count >= min_weight`` (applied before top_k).
    labels : DataFrame, optional
        Adds one ";"-joined str attribute per label dimension.
    pairs_dir : path, optional
        ``raw/fetched/pairs`` of a data directory: the pair table ``ingest --engine spark --pairs``
        wrote there is used instead of counting when it was made with the same ``norm``, ``top_k``
        and ``min_weight`` on the same citations (else the pairs are counted here).

    Returns
    -------
    networkx.Graph
        Nodes: paper ids with ``occurrences`` (int, times cited). Edges:
        ``weight`` (float, normalised) and ``count`` (int, raw co-citations).
        ``G.graph``: ``kind``, ``norm``, ``top_k`` (0 = none), ``min_weight``,
        ``n_contexts`` (N).

    References
    ----------
    .. [1] van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of some
       well-known similarity measures. *Journal of the American Society for Information Science and
       Technology*, 60(8), 1635-1651. https://doi.org/10.1002/asi.21075 (``norm="association"``)

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"citing_id": ["x", "x", "y", "y"], "cited_id": ["a", "b", "a", "b"]})
    >>> G = build_cocitation_graph(c, norm="cosine")
    >>> G.edges["a", "b"]
    {'weight': 1.0, 'count': 2}
    """
    return _build("cocitation", citations, papers, labels, norm, top_k, min_weight, pairs_dir)


def build_coupling_graph(
    citations: pd.DataFrame,
    *,
    papers: pd.DataFrame | None = None,
    norm: str = "raw",
    top_k: int | None = None,
    min_weight: int = 1,
    labels: pd.DataFrame | None = None,
    pairs_dir: str | os.PathLike[str] | None = None,
):
    """Bibliographic coupling graph: papers linked by how many references they share.

    Same keywords and attributes as :func:`build_cocitation_graph`; node
    ``occurrences`` is the number of references of the paper, and references
    outside ``papers`` still count as shared references.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"citing_id": ["a", "a", "b"], "cited_id": ["x", "y", "x"]})
    >>> G = build_coupling_graph(c, norm="jaccard")
    >>> G.edges["a", "b"]
    {'weight': 0.5, 'count': 1}
    """
    return _build("coupling", citations, papers, labels, norm, top_k, min_weight, pairs_dir)
