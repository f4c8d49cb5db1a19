"""Clusters of papers: text topics, graph communities, agreement with the review, thematic map.

- Text clusters: TF-IDF of title (+ abstract when present) and k-means; ``k`` is the value of
  ``k_range`` with the best mean silhouette (cosine) unless given. Above ``LSA_MIN_PAPERS`` (500)
  papers, k-means runs on a 100-dimensional LSA projection (TruncatedSVD, rows re-normalised) with 3
  restarts instead of the full TF-IDF with 10, to stay fast. Each cluster is labelled by its
  most distinctive terms: largest mean TF-IDF inside the cluster minus mean TF-IDF outside it
  (a phrase replaces the words it holds). Words that name a kind of document or a venue
  ("system card", "technical report", "MICCAI", "proceedings"; :data:`NON_TOPIC_WORDS`) are not
  topics: they neither form clusters nor label them.
- Graph clusters: Louvain communities (seeded) of an undirected weighted graph such as
  bibliographic coupling or co-citation; isolated papers are left out. With the optional
  ``igraph`` package installed (the ``fast`` extra; optional because igraph is GPL-2.0-or-later),
  igraph's C implementation of Louvain (``community_multilevel``) runs (5 CPU-s instead of 75 at
  1.1 M edges); otherwise networkx's ``louvain_communities``. The graph comes as a networkx graph or
  as the ``(matrix, index)`` pair of the ``graphs.*_adjacency`` builders, with the same result. Both optimise the same modularity, but their random node orders differ,
  so the partitions can differ in detail on graphs without a clear community structure;
  ``summary.attrs["method"]`` says which ran.
- Agreement: adjusted Rand index and normalised mutual information between clusters and the labels
  of one dimension (by default the review's task sections).
- Thematic map (Callon et al. 1991; bibliometrix's thematic map): per cluster, centrality = external
  link strength (sum of weights of edges leaving the cluster) and density = internal link strength
  divided by cluster size; quadrants by the medians over clusters (a value equal to the median
  counts as high): motor (high, high), basic (high centrality, low density), niche (low, high),
  emerging_or_declining (low, low). A link's strength is the graph's edge weight by default (the
  cosine of the coupling graph), or Callon's equivalence index with ``measure="equivalence"``.

Cluster ids are 0, 1, ... by decreasing size, ties by smallest member paper id, so results do not
depend on the order of the input.
"""

from __future__ import annotations

import re
import random
import warnings
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from .. import log
from ..errors import DataError
from ..graphs.adjacency import to_adjacency
from ._frames import require, skipped

#: Above this many edges, networkx's pure-Python Louvain takes a minute or more (75 CPU-s at 1.1 M edges
#: against 5 s for igraph's): a warning names the optional ``fast`` extra.
SLOW_LOUVAIN_EDGES = 200_000
TEXT_ASSIGN_COLUMNS = ["paper_id", "cluster", "cluster_label", "x", "y"]
GRAPH_ASSIGN_COLUMNS = ["paper_id", "cluster", "cluster_label"]
SUMMARY_COLUMNS = ["cluster", "size", "top_terms", "cluster_label", "silhouette"]
AGREEMENT_COLUMNS = ["dimension", "n_papers", "n_clusters", "n_labels", "adjusted_rand", "nmi"]
THEMATIC_COLUMNS = ["cluster", "cluster_label", "size", "centrality", "density", "quadrant"]
THEMATIC_MEASURES = ("weight", "equivalence")
LSA_MIN_PAPERS = 500
LSA_DIMS = 100


# Words of titles that name a kind of document, a venue or a publisher, not a topic: they never make a
# cluster (nor its label). Report stays: "report generation" is a task.
NON_TOPIC_WORDS = frozenset({
    "card", "cards", "system", "systems", "technical", "tech", "whitepaper", "preprint", "arxiv", "biorxiv",
    "medrxiv", "proceedings", "conference", "workshop", "symposium", "journal", "transactions", "letters",
    "ieee", "acm", "springer", "elsevier", "lncs", "lecture", "notes", "vol", "volume", "pp", "international",
    "annual", "miccai", "cvpr", "iccv", "eccv", "neurips", "nips", "icml", "iclr", "aaai", "ijcai", "acl",
    "emnlp", "naacl", "wacv", "isbi", "midl", "ipmi", "bmvc", "kdd",
})
# Phrases removed before counting words: document kinds ("GPT-4 technical report", "GPT-4o system card")
# and venue tails a list sometimes keeps in a title (", in: International Conference on ...").
_NON_TOPIC_PHRASES = re.compile(
    r"\b(?:technical|tech)\s+reports?\b|\b(?:system|model)\s+cards?\b|\bwhite\s*papers?\b"
    r"|[,.;]?\s*\bin:\s.*$|\b(?:proceedings\s+of|(?:international\s+)?(?:conference|workshop|symposium)\s+on)\b.*$",
    re.IGNORECASE)


@lru_cache(maxsize=1 << 18)  # the text and graph clusters of one run read the same titles
def topic_text(text: str) -> str:
    """``text`` without the phrases that name a document kind or a venue (see :data:`NON_TOPIC_WORDS`).

    Examples
    --------
    >>> topic_text("Gpt-4o system card"), topic_text("Deepseek-v3 technical report")
    ('Gpt-4o ', 'Deepseek-v3 ')
    >>> topic_text("Clip-lung: lung nodule prediction, in: International Conference on Medical Image Computing")
    'Clip-lung: lung nodule prediction'
    >>> topic_text("Radiology report generation")
    'Radiology report generation'
    """
    return _NON_TOPIC_PHRASES.sub("", text)


def _texts(papers: pd.DataFrame) -> pd.Series:
    require(papers, ["paper_id", "title"], "papers")
    title = papers["title"].fillna("").astype(str).map(topic_text)
    abstract = papers["abstract"].fillna("").astype(str) if "abstract" in papers.columns else ""
    text = (title + " " + abstract).str.strip()
    s = pd.Series(text.to_numpy(), index=papers["paper_id"].astype(str).to_numpy())
    s = s[~s.index.duplicated()]
    return s[s.str.len() > 0].sort_index()


def _vectorize(texts: pd.Series):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    n = len(texts)
    # On small corpora every term counts; on larger ones drop hapaxes and near-universal terms.
    big = n >= 50
    vec = TfidfVectorizer(stop_words=sorted(ENGLISH_STOP_WORDS | NON_TOPIC_WORDS), sublinear_tf=True, ngram_range=(1, 2),
                          min_df=2 if big else 1, max_df=0.5 if big else 1.0,
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b")
    try:
        X = vec.fit_transform(texts.to_list())
    except ValueError:  # empty vocabulary
        return None, None
    return X, np.asarray(vec.get_feature_names_out())


#: Above the absolute error of a mean of TF-IDF values summed in another order (n * 1e-16 at most).
_TERM_MARGIN = 1e-9


def _terms(X, terms, labels, n_terms: int) -> dict[int, list[str]]:
    """Per cluster, the ``n_terms`` terms of largest mean TF-IDF inside minus mean outside.

    Scores of every term come from one sparse product (clusters x papers indicator times ``X``);
    the terms within :data:`_TERM_MARGIN` of a cluster's ``n_terms``-th score are then scored again
    exactly as one cluster at a time over all rows (scipy's ``mean``, same summation order), and
    sorted by score desc, then term. Same result as scoring every term that way, at the cost of a
    few columns per cluster.
    """
    labels = np.asarray(labels)
    uniq, inv = np.unique(labels, return_inverse=True)
    X = sp.csr_matrix(X, dtype=np.float64)
    n, v = X.shape
    top = min(n_terms, v)
    size = np.bincount(inv, minlength=len(uniq)).astype(np.float64)
    S = (sp.csr_matrix((np.ones(n), (inv, np.arange(n))), shape=(len(uniq), n)) @ X).tocsr()
    total = np.asarray(X.sum(axis=0)).ravel()
    Xc = X.tocsc()
    out = {}
    for k, c in enumerate(uniq):
        if top <= 0:
            out[int(c)] = []
            continue
        s_in = S[k].toarray().ravel()
        approx = s_in / size[k] - ((total - s_in) / (n - size[k]) if n > size[k] else 0.0)
        kth = np.partition(approx, v - top)[v - top]
        cand = np.flatnonzero(approx >= kth - _TERM_MARGIN)
        sub = Xc[:, cand].tocsr()
        inside = np.asarray(sub[labels == c].mean(axis=0)).ravel()
        rest = sub[labels != c]
        outside = np.asarray(rest.mean(axis=0)).ravel() if rest.shape[0] else 0.0
        score = inside - outside
        order = np.lexsort((terms[cand], -score))  # by score desc, then term
        out[int(c)] = [str(terms[cand[i]]) for i in order[:n_terms] if inside[i] > 0]
    return out


def _renumber(ids: np.ndarray, labels: np.ndarray) -> np.ndarray:
    df = pd.DataFrame({"id": ids, "c": labels})
    g = df.groupby("c")["id"].agg(["size", "min"]).reset_index()
    g = g.sort_values(["size", "min"], ascending=[False, True]).reset_index(drop=True)
    mapping = dict(zip(g["c"], g.index))
    return df["c"].map(mapping).to_numpy()


def _label(terms: list[str]) -> str:
    """The three most distinctive terms, a phrase replacing the words it holds.

    Examples
    --------
    >>> _label(["detection", "anomaly", "anomaly detection", "industrial", "zero-shot"])
    'anomaly detection / industrial / zero-shot'
    >>> _label(["medical image", "image", "image segmentation", "sam"])
    'medical image / image segmentation / sam'
    >>> _label(["large language", "language model", "language models", "radiology"])
    'large language / language model / radiology'
    >>> _label([])
    '(no terms)'
    """
    def words(term: str) -> set[str]:  # plural and singular alike: "language models" holds "language model"
        return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in term.split()}

    chosen: list[str] = []
    for term in terms:
        if any(words(term) <= words(c) for c in chosen):
            continue  # "image" after "medical image"
        inside = [i for i, c in enumerate(chosen) if words(c) <= words(term)]
        if inside:  # "anomaly detection" takes the place of "detection" and "anomaly"
            chosen = [c for i, c in enumerate(chosen) if i not in inside]
            chosen.insert(inside[0], term)
        else:
            chosen.append(term)
    return " / ".join(chosen[:3]) if chosen else "(no terms)"


def compute_text_clusters(papers: pd.DataFrame, *, k: int | None = None, k_range: tuple[int, int] = (2, 10),
                          random_state: int = 0, n_terms: int = 8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Topic clusters from text: TF-IDF + k-means, ``k`` by the best silhouette when not given.

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, title`` (and ``abstract`` when present). Papers without text are left out.
    k : int, optional
        Number of clusters. ``None``: each ``k`` in ``k_range`` (inclusive, capped at n_papers - 1)
        is tried and the one with the largest mean cosine silhouette kept (ties: smaller ``k``).
    random_state : int
        Seed of k-means (10 restarts), the silhouette sample and the 2-D projection.
    n_terms : int
        Distinctive terms listed per cluster.

    Returns
    -------
    assignments : DataFrame
        ``paper_id, cluster, cluster_label, x, y`` (``x, y``: the first two TruncatedSVD components of
        the TF-IDF matrix).
    summary : DataFrame
        ``cluster, size, top_terms`` (", "-joined), ``cluster_label`` (first three terms joined by
        " / "), ``silhouette`` (mean over the cluster's papers; over a sample of 2000 papers on larger
        corpora). ``summary.attrs`` holds ``k`` and the
        overall ``silhouette``. Both frames are empty with ``attrs["skipped"]`` below 3 papers.

    References
    ----------
    .. [1] Rousseeuw, P. J. (1987). Silhouettes: A graphical aid to the interpretation and validation of
       cluster analysis. *Journal of Computational and Applied Mathematics*, 20, 53-65.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": list("abcd"), "title": [
    ...     "Chest X-ray report generation with vision-language models",
    ...     "Radiology report generation from chest X-ray images",
    ...     "Polyp segmentation in endoscopy with SAM",
    ...     "Endoscopy polyp segmentation with prompts"]})
    >>> assignments, summary = compute_text_clusters(papers, k=2)
    >>> assignments["cluster"].tolist(), summary["cluster_label"].tolist()
    ([0, 0, 1, 1], ['chest x-ray / report generation / generation vision-language', 'endoscopy polyp / polyp segmentation / endoscopy sam'])
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.metrics import silhouette_samples

    texts = _texts(papers)
    if len(texts) < 3:
        why = f"text clusters need at least 3 papers with a title, got {len(texts)}"
        return skipped(TEXT_ASSIGN_COLUMNS, why), skipped(SUMMARY_COLUMNS, why)
    X, terms = _vectorize(texts)
    if X is None or X.shape[1] < 2:
        why = "text clusters need at least 2 distinct terms"
        return skipped(TEXT_ASSIGN_COLUMNS, why), skipped(SUMMARY_COLUMNS, why)
    n = X.shape[0]
    if k is not None and not 2 <= k <= n - 1:
        raise DataError(f"k must be between 2 and {n - 1} for {n} papers, got {k}")
    if k is not None:
        ks = [int(k)]
    else:
        top_k = min(k_range[1], n - 1)
        ks = list(range(max(2, k_range[0]), min(top_k, _distinct_rows(X, top_k)) + 1))
    if not ks:
        why = "text clusters need at least 3 papers with distinct text"
        return skipped(TEXT_ASSIGN_COLUMNS, why), skipped(SUMMARY_COLUMNS, why)
    sample = min(n, 2000)
    n_init, lsa = 10, None
    if n > LSA_MIN_PAPERS and X.shape[1] > LSA_DIMS:
        from sklearn.preprocessing import normalize

        lsa = TruncatedSVD(n_components=LSA_DIMS, random_state=random_state).fit_transform(X)
        Xk = normalize(lsa)
        n_init = 3
    else:  # dense is much faster for k-means++ on small matrices
        Xk = X.toarray()
    silhouette = _SampledSilhouette(Xk, sample, random_state)
    best = None
    # One thread: on small inputs OpenMP start-up costs more than the work (and results do not change).
    for kk in ks:
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            lab = KMeans(n_clusters=kk, n_init=n_init, random_state=random_state).fit_predict(Xk)
        if len(np.unique(lab)) < 2:
            continue
        sil = silhouette(lab)
        if best is None or sil > best[0] + 1e-12:
            best = (sil, kk, lab)
    if best is None:
        why = "k-means found a single cluster"
        return skipped(TEXT_ASSIGN_COLUMNS, why), skipped(SUMMARY_COLUMNS, why)
    sil, kk, lab = best
    ids = texts.index.to_numpy()
    lab = _renumber(ids, lab)
    # Per-cluster silhouettes from a fixed sample on large corpora (the full matrix is n x n).
    idx = np.arange(n) if n <= sample else np.sort(np.random.default_rng(random_state).choice(n, sample, replace=False))
    per = np.full(n, np.nan)
    per[idx] = silhouette_samples(Xk[idx], lab[idx], metric="cosine")
    top = _terms(X, terms, lab, n_terms)
    names = {c: _label(t) for c, t in top.items()}
    # 2-D map: the first two SVD components (of the LSA already computed on large corpora)
    xy = lsa[:, :2] if lsa is not None else TruncatedSVD(n_components=2, random_state=random_state).fit_transform(X)
    assign = pd.DataFrame({"paper_id": ids, "cluster": lab.astype(int),
                           "cluster_label": [names[c] for c in lab], "x": xy[:, 0], "y": xy[:, 1]})
    summary = pd.DataFrame([(c, int((lab == c).sum()), ", ".join(top[c]), names[c],
                             float(np.nanmean(per[lab == c])) if np.isfinite(per[lab == c]).any() else np.nan)
                            for c in sorted(top)], columns=SUMMARY_COLUMNS)
    summary.attrs.update({"k": int(kk), "silhouette": float(sil), "k_tried": ks})
    return assign.sort_values(["cluster", "paper_id"]).reset_index(drop=True), summary


def _distinct_rows(X, cap: int) -> int:
    """Distinct rows of the CSR matrix ``X`` (same terms, same weights to 12 decimals), counted up to ``cap``.

    Only whether fewer than ``cap`` rows differ matters (``k`` stays below the number of distinct
    texts), so the count stops there. TF-IDF weights are positive and finite, so rows compare equal
    exactly when their bytes do.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix([[0.5, 0.0], [0.5, 0.0], [0.0, 1.0], [0.5, 0.0]])
    >>> _distinct_rows(X, 10), _distinct_rows(X, 1)
    (2, 1)
    """
    seen: set[tuple[bytes, bytes]] = set()
    data = np.round(X.data, 12)
    for a, b in zip(X.indptr[:-1].tolist(), X.indptr[1:].tolist()):
        if len(seen) >= cap:
            break
        seen.add((X.indices[a:b].tobytes(), data[a:b].tobytes()))
    return len(seen)


class _SampledSilhouette:
    """``silhouette_score(X, labels, metric="cosine", sample_size=sample, random_state=seed)`` for many
    labelings of one ``X``, bit for bit, with the sample's distances computed once.

    scikit-learn draws the sample from ``check_random_state(seed).permutation(n)[:sample]`` whatever the
    labels, computes the cosine distances of that sample block by block
    (``pairwise_distances_chunked``), then reduces each row by label. Here the same rows and the same
    blocks give the same matrix once, and ``silhouette_samples(..., metric="precomputed")`` runs the
    same row reduction on it for each labeling.
    """

    def __init__(self, X: np.ndarray, sample: int, seed: int) -> None:
        from sklearn.metrics import pairwise_distances_chunked
        from sklearn.utils import check_random_state

        self.rows = check_random_state(seed).permutation(X.shape[0])[:sample]
        self.D = np.vstack(list(pairwise_distances_chunked(X[self.rows], metric="cosine")))

    def __call__(self, labels: np.ndarray) -> float:
        from sklearn.metrics import silhouette_samples

        return float(np.mean(silhouette_samples(self.D, np.asarray(labels)[self.rows], metric="precomputed")))


def describe_clusters(assignments: pd.DataFrame, papers: pd.DataFrame, *, n_terms: int = 8) -> pd.DataFrame:
    """Label clusters found any way by their distinctive TF-IDF terms.

    Returns
    -------
    DataFrame
        ``cluster, size, top_terms, cluster_label, silhouette`` (silhouette is NaN here).

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["u1", "u2", "m1", "m2", "m3"], "title": [
    ...     "Ultrasound thyroid nodule detection", "Thyroid ultrasound nodule classification",
    ...     "MRI brain tumour segmentation", "Brain MRI tumour grading", "MRI brain lesion"]})
    >>> clusters = pd.DataFrame({"paper_id": papers["paper_id"], "cluster": [1, 1, 0, 0, 0]})
    >>> describe_clusters(clusters, papers, n_terms=3)[["cluster", "size", "top_terms"]].values.tolist()
    [[0, 3, 'brain, mri, mri brain'], [1, 2, 'nodule, thyroid, ultrasound']]
    """
    require(assignments, ["paper_id", "cluster"], "assignments")
    texts = _texts(papers)
    sizes = assignments.groupby("cluster")["paper_id"].nunique()
    texts = texts[texts.index.isin(assignments["paper_id"].astype(str).unique())]
    top: dict[int, list[str]] = {}
    if len(texts) >= 2:
        X, terms = _vectorize(texts)
        if X is not None:
            cmap = dict(zip(assignments["paper_id"].astype(str), assignments["cluster"]))
            lab = np.array([cmap[p] for p in texts.index])
            top = _terms(X, terms, lab, n_terms)
    rows = [(int(c), int(s), ", ".join(top.get(int(c), [])), _label(top.get(int(c), [])), float("nan"))
            for c, s in sizes.items()]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


@dataclass
class _LouvainInput:
    """The graph Louvain sees: nodes with an edge (or a self-loop) in id order, edges ``lo < hi``.

    ``ids[r]`` is the node of rank ``r`` (sorted ids); edges are sorted by ``(lo, hi)`` and carry
    ``w``. Both backends get nodes and edges in this order: Louvain's result depends on it.
    """

    ids: list[str]
    lo: np.ndarray
    hi: np.ndarray
    w: np.ndarray


def _louvain_input(G, weight: str) -> _LouvainInput:
    if isinstance(G, nx.Graph):
        U = nx.Graph(G.to_undirected()) if G.is_directed() else G
        M, index = to_adjacency(U, weight=weight)  # keeps edges of weight 0, as networkx does
    else:
        M, index = G
        M = sp.csr_matrix(M, dtype=np.float64)
        if M.shape != (len(index), len(index)):
            raise DataError(f"graph matrix of shape {M.shape} does not match its index of {len(index)} ids")
        M.eliminate_zeros()  # a stored 0 is no edge in a matrix
        M = M.maximum(M.T).tocsr()  # undirected
    ids = np.asarray([str(v) for v in index], dtype=object)
    has_edge = np.diff(M.indptr) > 0  # a node with only a self-loop stays (isolated), as in networkx
    keep = np.flatnonzero(has_edge)
    order = keep[np.argsort(ids[keep], kind="stable")]
    rank = np.full(len(ids), -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    C = M.tocoo()
    lo, hi = rank[C.row], rank[C.col]
    up = lo < hi  # each undirected edge once; self-loops dropped
    lo, hi, w = lo[up], hi[up], C.data[up]
    o = np.lexsort((hi, lo))
    return _LouvainInput(ids[order].tolist(), lo[o], hi[o], w[o].astype(np.float64))


def _louvain_networkx(g: _LouvainInput, *, resolution: float, seed: int) -> tuple[list[set], float]:
    H = nx.Graph()
    H.add_nodes_from(g.ids)
    ids = g.ids
    H.add_edges_from((ids[a], ids[b], {"weight": x}) for a, b, x in zip(g.lo.tolist(), g.hi.tolist(), g.w.tolist()))
    comms = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    return comms, float(nx.community.modularity(H, comms, weight="weight", resolution=resolution))


def _louvain_igraph(igraph, g: _LouvainInput, *, resolution: float, seed: int) -> tuple[list[set], float]:
    """Louvain by igraph on the same graph as :func:`_louvain_networkx` (nodes and edges in id order)."""

    ig = igraph.Graph(n=len(g.ids), edges=np.column_stack([g.lo, g.hi]))
    weights = g.w.tolist()
    rng = random.Random(seed)
    igraph.set_random_number_generator(rng)
    try:
        part = ig.community_multilevel(weights=weights, resolution=resolution)
    finally:
        igraph.set_random_number_generator(random)
    members = np.asarray(part.membership)
    idx = np.argsort(members, kind="stable")
    cuts = np.flatnonzero(np.diff(members[idx])) + 1
    comms = [{g.ids[r] for r in part_idx} for part_idx in np.split(idx, cuts)]
    return comms, float(ig.modularity(part.membership, weights=weights, resolution=resolution))


def compute_graph_clusters(G, *, resolution: float = 1.0, seed: int = 0, weight: str = "weight",
                           papers: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Louvain communities of a weighted paper graph (coupling, co-citation, ...).

    Parameters
    ----------
    G : networkx.Graph, or (scipy.sparse matrix, index)
        Undirected (a directed graph is read as undirected); edge attribute ``weight`` (1 if absent).
        Or the matrix form of the ``graphs.*_adjacency`` builders: ``M[i, j]`` the weight of the edge
        between papers ``index[i]`` and ``index[j]`` (symmetric; an asymmetric matrix is read as
        undirected with the larger of ``M[i, j]``, ``M[j, i]``). Both forms of one graph give the
        same clusters.
    resolution : float
        Louvain resolution (> 1 gives smaller communities).
    seed : int
        Louvain seed (reproducible).
    weight : str
        Edge attribute of a networkx ``G`` holding the weight.
    papers : DataFrame, optional
        ``paper_id, title[, abstract]`` to label communities by distinctive terms.

    Returns
    -------
    assignments : DataFrame
        ``paper_id, cluster, cluster_label`` (papers with at least one edge).
    summary : DataFrame
        ``cluster, size, top_terms, cluster_label, silhouette`` (silhouette NaN); ``attrs["modularity"]``.
        Both empty with ``attrs["skipped"]`` when the graph has no edge.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of
       communities in large networks. *Journal of Statistical Mechanics: Theory and Experiment*,
       2008(10), P10008. https://doi.org/10.1088/1742-5468/2008/10/P10008

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.union(nx.complete_graph(["a", "b", "c"]), nx.complete_graph(["d", "e", "f"]))
    >>> G.add_edge("c", "d")
    >>> a, s = compute_graph_clusters(G)
    >>> a.groupby("cluster")["paper_id"].apply(list).tolist()
    [['a', 'b', 'c'], ['d', 'e', 'f']]
    >>> from medvlm_graph.graphs import to_adjacency
    >>> compute_graph_clusters(to_adjacency(G))[0].equals(a)
    True
    """
    if G is None or (G.number_of_edges() == 0 if isinstance(G, nx.Graph) else G[0].count_nonzero() == 0):
        why = "graph clusters need a coupling or co-citation graph with edges (needs S2 data: run refresh or ingest)"
        return skipped(GRAPH_ASSIGN_COLUMNS, why), skipped(SUMMARY_COLUMNS, why)
    g = _louvain_input(G, weight)
    try:
        import igraph
    except ImportError:  # optional: networkx's pure-Python Louvain
        igraph = None
    if igraph is not None:
        comms, modularity = _louvain_igraph(igraph, g, resolution=resolution, seed=seed)
        method = "igraph community_multilevel"
    else:
        if len(g.lo) > SLOW_LOUVAIN_EDGES:
            log.logger.warning("Louvain in networkx (pure Python) on %d edges may take minutes; the optional "
                               "'fast' extra (igraph, GPL-2.0-or-later) runs it in C", len(g.lo))
        comms, modularity = _louvain_networkx(g, resolution=resolution, seed=seed)
        method = "networkx louvain_communities"
    ids = np.array([str(v) for c in comms for v in c])
    raw = np.array([i for i, c in enumerate(comms) for _ in c])
    lab = _renumber(ids, raw)
    assign = pd.DataFrame({"paper_id": ids, "cluster": lab.astype(int)})
    if papers is not None:
        summary = describe_clusters(assign, papers)
    else:
        summary = pd.DataFrame({"cluster": sorted(set(lab))})
        summary["size"] = summary["cluster"].map(assign.groupby("cluster").size())
        summary["top_terms"], summary["cluster_label"], summary["silhouette"] = "", summary["cluster"].map(
            lambda c: f"cluster {c}"), float("nan")
    labels = dict(zip(summary["cluster"], summary["cluster_label"]))
    assign["cluster_label"] = assign["cluster"].map(labels)
    summary = summary.sort_values("cluster").reset_index(drop=True)[SUMMARY_COLUMNS]
    summary.attrs["modularity"] = modularity
    summary.attrs["method"] = method
    return assign.sort_values(["cluster", "paper_id"]).reset_index(drop=True)[GRAPH_ASSIGN_COLUMNS], summary


def compute_cluster_agreement(assignments: pd.DataFrame, labels: pd.DataFrame, *, dimension: str = "task",
                              min_score: float = 0.5) -> pd.DataFrame:
    """Adjusted Rand index and NMI between clusters and the labels of one dimension.

    A paper with several labels of the dimension takes its highest-scored one (ties: alphabetical).
    Only papers both clustered and labelled count.

    Returns
    -------
    DataFrame
        One row: ``dimension, n_papers, n_clusters, n_labels, adjusted_rand, nmi`` (arithmetic NMI,
        scikit-learn's default). Empty with ``attrs["skipped"]`` below 2 such papers.

    References
    ----------
    .. [1] Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of Classification*, 2(1),
       193-218. https://doi.org/10.1007/BF01908075
    .. [2] Strehl, A., & Ghosh, J. (2002). Cluster ensembles: A knowledge reuse framework for combining
       multiple partitions. *Journal of Machine Learning Research*, 3, 583-617.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"paper_id": list("abcd"), "cluster": [0, 0, 1, 1]})
    >>> l = pd.DataFrame({"paper_id": list("abcd"), "dimension": "task", "label": list("xxyy"), "score": 1.0})
    >>> compute_cluster_agreement(a, l)[["adjusted_rand", "nmi"]].values.tolist()
    [[1.0, 1.0]]
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    require(assignments, ["paper_id", "cluster"], "assignments")
    require(labels, ["paper_id", "dimension", "label"], "labels")
    lab = labels[labels["dimension"] == dimension].dropna(subset=["paper_id", "label"]).copy()
    lab["score"] = pd.to_numeric(lab["score"], errors="coerce").fillna(1.0) if "score" in lab else 1.0
    lab = lab[lab["score"] >= min_score]
    lab = lab.assign(paper_id=lab["paper_id"].astype(str), label=lab["label"].astype(str))
    lab = lab.sort_values(["paper_id", "score", "label"], ascending=[True, False, True]).drop_duplicates("paper_id")
    both = assignments.assign(paper_id=assignments["paper_id"].astype(str)).merge(lab[["paper_id", "label"]],
                                                                                 on="paper_id")
    if len(both) < 2:
        return skipped(AGREEMENT_COLUMNS, f"agreement needs at least 2 papers with a cluster and a {dimension} label")
    ari = float(adjusted_rand_score(both["label"], both["cluster"]))
    nmi = float(normalized_mutual_info_score(both["label"], both["cluster"]))
    return pd.DataFrame([(dimension, len(both), both["cluster"].nunique(), both["label"].nunique(), ari, nmi)],
                        columns=AGREEMENT_COLUMNS)


def text_similarity_graph(papers: pd.DataFrame, *, top_k: int = 5, min_similarity: float = 0.1) -> nx.Graph:
    """Undirected graph linking each paper to its ``top_k`` most similar papers (TF-IDF cosine).

    Edges below ``min_similarity`` are dropped; ``weight`` is the cosine similarity. Used for the
    thematic map when no coupling or co-citation graph exists (text only).

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["x", "y", "z"], "title": [
    ...     "Dental panoramic X-ray", "Panoramic dental radiograph", "Skin lesion dermoscopy"]})
    >>> G = text_similarity_graph(papers)  # z shares no term: it stays, unlinked
    >>> [(u, v, round(w, 3)) for u, v, w in G.edges(data="weight")], sorted(G.nodes)
    ([('x', 'y', 0.278)], ['x', 'y', 'z'])
    """
    from sklearn.metrics.pairwise import cosine_similarity

    texts = _texts(papers)
    G = nx.Graph()
    G.add_nodes_from(texts.index)
    if len(texts) < 2:
        return G
    X, _ = _vectorize(texts)
    if X is None:
        return G
    S = cosine_similarity(X)
    np.fill_diagonal(S, 0.0)
    ids = texts.index.to_numpy()
    for i in range(len(ids)):
        order = np.lexsort((ids, -S[i]))[:top_k]
        for j in order:
            if S[i, j] >= min_similarity:
                G.add_edge(ids[i], ids[j], weight=float(S[i, j]))
    return G


def _equivalence(G: nx.Graph, u, v, d: dict) -> float:
    """Callon's equivalence index of edge ``u - v``: ``count ** 2 / (occurrences_u * occurrences_v)``."""
    c, su, sv = d.get("count"), G.nodes[u].get("occurrences"), G.nodes[v].get("occurrences")
    if c is None or not su or not sv:
        raise DataError("the equivalence index needs co-occurrence counts: edge attribute 'count' and node "
                        "attribute 'occurrences' (as build_coupling_graph and build_cocitation_graph set them)")
    return float(c) ** 2 / (float(su) * float(sv))


def compute_thematic_map(assignments: pd.DataFrame, G, *, weight: str = "weight",
                         measure: str = "weight") -> pd.DataFrame:
    """Callon centrality and density of each cluster, and its thematic-map quadrant.

    Parameters
    ----------
    assignments : DataFrame
        ``paper_id, cluster`` (``cluster_label`` kept when present).
    G : networkx.Graph, or (scipy.sparse matrix, index)
        Weighted paper graph (coupling, co-citation, or :func:`text_similarity_graph`); edge weight 1
        when absent. A directed graph is read as undirected. Or the matrix form of the
        ``graphs.*_adjacency`` builders (``measure="weight"`` only): both forms give the same map.
    weight : str
        Edge attribute holding the link strength when ``measure="weight"``.
    measure : {"weight", "equivalence"}
        The strength of a link. ``"weight"`` (default): the edge attribute ``weight`` as the graph
        holds it (the cosine of the coupling graph the ``clusters`` run builds, or text
        similarity). ``"equivalence"``: Callon's equivalence index ``e_ij = c_ij ** 2 / (s_i s_j)``
        from the raw co-occurrence count (edge attribute ``count``) and the occurrences of both
        ends (node attribute ``occurrences``), as :func:`~medvlm_graph.graphs.build_coupling_graph`
        and :func:`~medvlm_graph.graphs.build_cocitation_graph` set them (Callon et al. 1991; Cobo
        et al. 2011). It is the square of the cosine; Cobo's constant factors (10 for centrality,
        100 for density) are left out, as they move no cluster across a median.

    Returns
    -------
    DataFrame
        ``cluster, cluster_label, size, centrality`` (external link strength), ``density`` (internal link
        strength / size), ``quadrant`` (motor, basic, niche, emerging_or_declining; see the module
        docstring). Empty with ``attrs["skipped"]`` below two clusters or without edges.

    References
    ----------
    .. [1] Callon, M., Courtial, J. P., & Laville, F. (1991). Co-word analysis as a tool for describing
       the network of interactions between basic and technological research: The case of polymer
       chemistry. *Scientometrics*, 22(1), 155-205. https://doi.org/10.1007/BF02019280
    .. [2] Cobo, M. J., López-Herrera, A. G., Herrera-Viedma, E., & Herrera, F. (2011). An approach for
       detecting, quantifying, and visualizing the evolution of a research field: A practical
       application to the Fuzzy Sets Theory field. *Journal of Informetrics*, 5(1), 146-166.
       https://doi.org/10.1016/j.joi.2010.10.002
    .. [3] Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping
       analysis. *Journal of Informetrics*, 11(4), 959-975. https://doi.org/10.1016/j.joi.2017.08.007

    Examples
    --------
    >>> import networkx as nx, pandas as pd
    >>> G = nx.Graph([("a", "b"), ("c", "d"), ("b", "c")])
    >>> a = pd.DataFrame({"paper_id": list("abcd"), "cluster": [0, 0, 1, 1]})
    >>> compute_thematic_map(a, G)[["centrality", "density"]].values.tolist()
    [[1.0, 0.5], [1.0, 0.5]]
    """
    if measure not in THEMATIC_MEASURES:
        raise DataError(f"unknown measure {measure!r} for the thematic map; use {' or '.join(THEMATIC_MEASURES)}")
    require(assignments, ["paper_id", "cluster"], "assignments")
    if assignments.empty or assignments["cluster"].nunique() < 2:
        return skipped(THEMATIC_COLUMNS, "thematic map needs at least two clusters")
    cmap = dict(zip(assignments["paper_id"].astype(str), assignments["cluster"].astype(int)))
    inner = {c: 0.0 for c in set(cmap.values())}
    outer = dict(inner)
    n_edges = 0
    if isinstance(G, tuple):  # the matrix form (M, index) of the graphs.*_adjacency builders
        if measure != "weight":
            raise DataError("the equivalence index needs the networkx graph (its occurrences), not the matrix form")
        M, index = G
        U = sp.triu(M.maximum(M.T), k=1).tocoo()  # each undirected edge once, the larger weight
        clus = pd.Series(index.astype(str)).map(cmap).to_numpy(dtype=float, na_value=np.nan)
        cu, cv, w = clus[U.row], clus[U.col], U.data.astype(float)
        ok = ~np.isnan(cu) & ~np.isnan(cv)
        cu, cv, w = cu[ok].astype(int), cv[ok].astype(int), w[ok]
        n_edges = len(w)
        same = cu == cv
        for c, x in pd.Series(w[same]).groupby(cu[same]).sum().items():
            inner[int(c)] += float(x)
        for side in (cu, cv):
            for c, x in pd.Series(w[~same]).groupby(side[~same]).sum().items():
                outer[int(c)] += float(x)
    edges = () if isinstance(G, tuple) else G.edges(data=True)
    for u, v, d in edges:
        cu, cv = cmap.get(str(u)), cmap.get(str(v))
        if cu is None or cv is None or u == v:
            continue
        w = _equivalence(G, u, v, d) if measure == "equivalence" else float(d.get(weight, 1.0))
        n_edges += 1
        if cu == cv:
            inner[cu] += w
        else:
            outer[cu] += w
            outer[cv] += w
    if n_edges == 0:
        return skipped(THEMATIC_COLUMNS, "thematic map needs edges between clustered papers")
    sizes = assignments.assign(cluster=assignments["cluster"].astype(int)).groupby("cluster")["paper_id"].nunique()
    names = {}
    if "cluster_label" in assignments.columns:
        names = dict(zip(assignments["cluster"].astype(int), assignments["cluster_label"]))
    out = pd.DataFrame({"cluster": sorted(inner)})
    out["cluster_label"] = out["cluster"].map(lambda c: names.get(c, f"cluster {c}"))
    out["size"] = out["cluster"].map(sizes).astype(int)
    out["centrality"] = out["cluster"].map(outer).astype(float)
    out["density"] = out["cluster"].map(inner) / out["size"]
    hc = out["centrality"] >= out["centrality"].median()
    hd = out["density"] >= out["density"].median()
    out["quadrant"] = np.select([hc & hd, hc & ~hd, ~hc & hd], ["motor", "basic", "niche"], "emerging_or_declining")
    return out[THEMATIC_COLUMNS]
