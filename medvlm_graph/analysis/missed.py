"""Papers the review missed: field papers outside the list, ranked by their ties to its task seeds.

Co-citation, coupling and PageRank on a whole refresh favour the generic hubs (ResNet, CLIP): they
are tied to everything. Here only papers **in the field** (``papers.in_field``, see
:mod:`medvlm_graph.relevance`) that are **not seeds** are candidates, and they are ranked by their
ties to the list's **task seeds** (every field seed when the list has no task section), never by
popularity:

* ``cites_seeds`` / ``cited_by_seeds``: distinct task seeds the paper cites / that cite it;
* ``cocited_with_seeds``: distinct task seeds cited together with the paper by a field paper;
* ``coupled_with_seeds``: distinct task seeds sharing a reference with the paper, generic hubs
  (cited by at least :data:`~medvlm_graph.relevance.GENERIC_SHARE` of the corpus) excluded.

Ties to other field seeds (a medical model of the model table) count half in the score and are named
in ``ties`` ("other field seeds: ..."); ties to reference points (general models) count nothing. ``score = cites + cited_by + 0.5 cocited + 0.25 coupled``
(weighted counts); rank 1 is the strongest, newer papers first among equals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..graphs.citation import citation_adjacency
from ..relevance import GENERIC_MIN_CITERS, GENERIC_SHARE, seed_roles
from ._frames import paper_titles, paper_years, require, skipped

MISSED_COLUMNS = ["rank", "paper_id", "title", "year", "cites_seeds", "cited_by_seeds", "cocited_with_seeds",
                  "coupled_with_seeds", "tied_seeds", "ties", "task", "task_score", "strategy", "modality",
                  "field_score", "score"]
WEIGHTS = {"task": 1.0, "field": 0.5, "reference": 0.0}
NO_CANDIDATE = "no field paper outside the list is tied to its task seeds"


def _labels_of(labels: pd.DataFrame | None, dimensions: tuple[str, ...],
               min_score: float) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Per dimension, the labels of each paper: ``;``-joined (by score desc, then label) and the best
    score, each indexed by paper id. One sort and one pass over plain Python strings for all
    dimensions (a pandas ``agg(";".join)`` builds a Series per paper)."""
    if labels is None or labels.empty:
        return {d: (pd.Series(dtype="string"), pd.Series(dtype=float)) for d in dimensions}
    lab = labels[labels["dimension"].isin(dimensions) & (labels["score"] >= min_score)]
    lab = lab.sort_values(["paper_id", "score", "label"], ascending=[True, False, True])
    lab = lab.drop_duplicates(["dimension", "paper_id", "label"])
    joined: dict = {d: {} for d in dimensions}
    for dim, pid, label in zip(lab["dimension"].to_numpy(dtype=object), lab["paper_id"].to_numpy(dtype=object),
                               lab["label"].to_numpy(dtype=object)):
        joined[dim].setdefault(pid, []).append(label)
    best = lab.groupby(["dimension", "paper_id"])["score"].max()
    out = {}
    for d in dimensions:
        score = best.xs(d, level="dimension") if d in best.index.get_level_values(0) else pd.Series(dtype=float)
        out[d] = (pd.Series({pid: ";".join(v) for pid, v in joined[d].items()}, dtype=object), score)
    return out


def compute_missed_papers(papers: pd.DataFrame, citations: pd.DataFrame, seeds: pd.DataFrame | None = None, *,
                          labels: pd.DataFrame | None = None, top: int = 50, min_score: float = 0.5,
                          since: int | None = None) -> pd.DataFrame:
    """Field papers outside the list, ranked by their ties to its task seeds (see the module docstring).

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, is_seed, in_field`` (a paper without ``in_field`` counts as in the field),
        ``title, year`` (listed).
    citations : DataFrame
        ``citing_id, cited_id``.
    seeds : DataFrame, optional
        Seeds table (``paper_id, task, origin``): task seeds, other field seeds and reference points.
        Without it every ``is_seed`` paper counts as a task seed.
    labels : DataFrame, optional
        Labels table: the predicted task (section), strategy and modality of each candidate.
    top : int
        Number of papers returned (``None``: all).
    min_score : float
        Labels below this score are not listed.
    since : int, optional
        Only papers of this year or later.

    See Also
    --------
    select_missed : the rows of other ``top`` / ``since`` from one complete ranking (``top=None``).

    Returns
    -------
    DataFrame
        :data:`MISSED_COLUMNS`: ``tied_seeds`` is the ``;``-joined paper ids of the seeds it is tied
        to (strongest first), ``ties`` says how, ``task`` its predicted section(s), ``task_score`` the
        score of the first. Empty with ``attrs["skipped"]`` without citations or candidates.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["s1", "s2", "a", "b", "hub"], "title": ["S1", "S2", "A", "B", "Hub"],
    ...                        "year": [2022, 2023, 2024, 2025, 2016], "is_seed": [True, True, False, False, False],
    ...                        "in_field": [True, True, True, True, False]})
    >>> seeds = pd.DataFrame({"paper_id": ["s1", "s2"], "task": ["vqa", "segmentation"]})
    >>> cites = pd.DataFrame({"citing_id": ["a", "a", "b", "s1", "b"], "cited_id": ["s1", "s2", "s2", "hub", "hub"]})
    >>> compute_missed_papers(papers, cites, seeds)[["rank", "paper_id", "cites_seeds", "ties"]].values.tolist()
    [[1, 'a', 2, 'cites 2'], [2, 'b', 1, 'cites 1; coupled with 1']]
    """
    require(citations, ["citing_id", "cited_id"], "citations")
    require(papers, ["paper_id"], "papers")
    c = citations[["citing_id", "cited_id"]].dropna().astype(str)
    c = c[c["citing_id"] != c["cited_id"]]  # repeated pairs: one edge of citation_adjacency
    if c.empty:
        return skipped(MISSED_COLUMNS, "needs S2 data: no citations (run refresh or ingest)")
    ids = pd.Index(papers["paper_id"].astype(str)).drop_duplicates()
    roles = seed_roles(seeds)
    is_seed = papers.set_index(papers["paper_id"].astype(str))["is_seed"].reindex(ids).fillna(False).astype(bool) \
        if "is_seed" in papers.columns else pd.Series(False, index=ids)
    if not roles:
        roles = {p: "task" for p in ids[is_seed.to_numpy()]}
    w = ids.to_series().map(roles).map(WEIGHTS).fillna(0.0).to_numpy(dtype=float)
    if not (w > 0).any():
        return skipped(MISSED_COLUMNS, "no task seed among the papers")
    in_field = papers.set_index(papers["paper_id"].astype(str))["in_field"].reindex(ids).fillna(True).astype(bool) \
        if "in_field" in papers.columns else pd.Series(True, index=ids)
    M, index = citation_adjacency(pd.DataFrame({"paper_id": ids}), c)
    A = sparse.csr_array(M, dtype=float)  # index == ids: distinct, in the papers' order
    anchors = np.flatnonzero(w > 0)
    wa = w[anchors]
    cites = (A[:, anchors] > 0).astype(float)
    cited_by = (A[anchors, :].T > 0).astype(float)
    # co-citation by field papers only; coupling through references that are not generic hubs
    Af = sparse.diags_array(in_field.to_numpy().astype(float)) @ A
    cocited = ((Af.T @ Af[:, anchors]) > 0).astype(float)
    citers = np.asarray(A.sum(axis=0)).ravel()
    citing_papers = max(int((np.asarray(A.sum(axis=1)).ravel() > 0).sum()), 1)
    generic = (citers / citing_papers >= GENERIC_SHARE) & (citers >= GENERIC_MIN_CITERS)
    An = A @ sparse.diags_array((~generic).astype(float))
    coupled = ((An @ An[anchors, :].T) > 0).astype(float)
    mats = (("cites", cites), ("cited_by", cited_by), ("cocited", cocited), ("coupled", coupled))
    is_task = (wa == WEIGHTS["task"]).astype(float)
    # counts of distinct task seeds (reported), and the weighted counts the score uses
    counts = {name: np.asarray(m @ is_task).ravel() for name, m in mats}
    other = (1.0 - is_task) * (wa > 0)
    others = {name: np.asarray(m @ other).ravel() for name, m in mats}
    weighted = {name: np.asarray(m @ wa).ravel() for name, m in mats}
    score = weighted["cites"] + weighted["cited_by"] + 0.5 * weighted["cocited"] + 0.25 * weighted["coupled"]
    cand = np.flatnonzero(in_field.to_numpy() & ~is_seed.to_numpy() & (score > 0) & (w == 0))
    years = paper_years(papers)
    if since is not None:
        y = years.reindex(ids[cand])
        cand = cand[(y.fillna(-1).to_numpy() >= since)]
    if len(cand) == 0:
        return skipped(MISSED_COLUMNS, NO_CANDIDATE)
    kinds = (("cites", "cites"), ("cited_by", "cited by"), ("cocited", "co-cited with"), ("coupled", "coupled with"))
    other_ties = np.full(len(cand), "", dtype=object)
    for j in np.flatnonzero(sum((others[k][cand] != 0).astype(int) for k, _ in kinds)):  # tied to other seeds
        i = cand[j]
        other_ties[j] = ", ".join(f"{what} {int(others[k][i])}" for k, what in kinds if others[k][i])
    df = pd.DataFrame({"paper_id": ids[cand], "score": np.round(score[cand], 6),
                       "cites_seeds": counts["cites"][cand].astype(int),
                       "cited_by_seeds": counts["cited_by"][cand].astype(int),
                       "cocited_with_seeds": counts["cocited"][cand].astype(int),
                       "coupled_with_seeds": counts["coupled"][cand].astype(int),
                       "other_ties": other_ties})
    df["year"] = df["paper_id"].map(years).astype("Int64")
    df = df.sort_values(["score", "year", "paper_id"], ascending=[False, False, True], na_position="last")
    if top:
        df = df.head(top)
    rows = ids.get_indexer(df["paper_id"])
    # each row's seeds by tie strength desc, then seed position (a stable sort of the row), zeros left out;
    # from the sparse entries, so no rows x seeds dense matrix
    S = sparse.coo_array(2 * cites[rows] + 2 * cited_by[rows] + cocited[rows] + 0.5 * coupled[rows])
    strength = S.data * wa[S.col]
    pos = strength > 0
    r, col, strength = S.row[pos], S.col[pos], strength[pos]
    order = np.lexsort((col, -strength, r))
    names = ids[anchors].to_numpy(dtype=object)[col[order]]
    cuts = np.cumsum(np.bincount(r, minlength=len(rows)))[:-1]
    df["tied_seeds"] = [";".join(x) for x in np.split(names, cuts)]
    tie_counts = zip(*(df[k].tolist() for k in ("cites_seeds", "cited_by_seeds", "cocited_with_seeds",
                                                "coupled_with_seeds")))
    df["ties"] = [_ties(n) + (f" (other field seeds: {o})" if o else "")
                  for n, o in zip(tie_counts, df["other_ties"].tolist())]
    if labels is not None and not labels.empty:
        labels = labels[labels["paper_id"].isin(df["paper_id"])]  # the listed papers' labels only
    by_dim = _labels_of(labels, ("task", "strategy", "modality"), min_score)
    task, task_score = by_dim["task"]
    df["task"] = df["paper_id"].map(task).astype("string").fillna("")
    df["task_score"] = df["paper_id"].map(task_score)
    for dim in ("strategy", "modality"):
        df[dim] = df["paper_id"].map(by_dim[dim][0]).astype("string").fillna("")
    fs = papers.drop_duplicates("paper_id").set_index("paper_id")["field_score"] if "field_score" in papers.columns \
        else pd.Series(dtype=float)
    df["field_score"] = df["paper_id"].map(fs)
    df["title"] = df["paper_id"].map(paper_titles(papers))
    df["rank"] = np.arange(1, len(df) + 1)
    return df[MISSED_COLUMNS].reset_index(drop=True)


def select_missed(ranking: pd.DataFrame, *, top: int | None = 50, since: int | None = None) -> pd.DataFrame:
    """What :func:`compute_missed_papers` returns with ``top`` and ``since``, taken from the complete
    ranking of the same tables (``compute_missed_papers(..., top=None)``), so that one ranking serves
    several outputs (the report's gap page and its candidates).

    Every column of a row depends on that paper alone and the order is total (score, year, paper id),
    so keeping the papers of ``since`` or later and the first ``top`` of them, ranks renumbered, gives
    the same table as ranking again.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["s1", "a", "b"], "title": ["S1", "A", "B"],
    ...                        "year": [2022, 2024, 2025], "is_seed": [True, False, False]})
    >>> cites = pd.DataFrame({"citing_id": ["a", "b", "a"], "cited_id": ["s1", "s1", "b"]})
    >>> ranking = compute_missed_papers(papers, cites, top=None)
    >>> select_missed(ranking, since=2025).equals(compute_missed_papers(papers, cites, since=2025))
    True
    >>> select_missed(ranking, top=1)[["rank", "paper_id"]].values.tolist()
    [[1, 'b']]
    """
    if ranking.empty:
        return ranking.copy()
    df = ranking
    if since is not None:
        df = df[df["year"].fillna(-1).to_numpy() >= since]  # an unknown year counts as -1, as when ranking
        if df.empty:
            return skipped(MISSED_COLUMNS, NO_CANDIDATE)
    if top:
        df = df.head(top)
    df = df.reset_index(drop=True)
    df["rank"] = np.arange(1, len(df) + 1)
    return df


def _ties(counts: tuple[int, int, int, int]) -> str:
    """How a candidate is tied to the task seeds, in words: ``counts`` are the distinct task seeds it
    cites, is cited by, is co-cited with and is coupled with."""
    parts = [f"{what} {n}" for n, what in zip(counts, ("cites", "cited by", "co-cited with", "coupled with")) if n]
    return "; ".join(parts) or "no direct tie to a task seed"
