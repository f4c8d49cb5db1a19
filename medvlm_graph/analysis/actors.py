"""Who and where: productive and cited authors and venues, Lotka's law, Bradford zones, co-author clusters.

Everything is counted on the papers in ``scope`` (the field by default): an author's ``papers`` are
the papers in scope they signed (full counting; ``fractional_papers`` gives each of a paper's ``m``
authors ``1/m``), and ``citations`` are *local* citations: how many papers in scope cite them
(citations from the rest of the corpus, or Semantic Scholar's global counts, are not used). The
``h_index`` is the largest ``h`` such that ``h`` of the author's (venue's) papers in scope have at
least ``h`` local citations each. Authors are told apart by ``author_id`` (names alone would merge
namesakes); the name shown is their most frequent spelling. Venues are compared case-insensitively
with spaces collapsed; the spelling shown is the most frequent one.

- Lotka's law (Lotka 1926): the share of authors with ``n`` papers falls as ``C / n**alpha``;
  ``alpha`` and ``C`` are fitted by least squares on ``log10(share) = log10(C) - alpha log10(n)``
  over the observed ``n`` (as bibliometrix does), next to the classic law ``alpha = 2``,
  ``C = 6 / pi**2``.
- Bradford's law (Bradford 1934): ranked by papers, the venues fall into three zones each holding
  about a third of the papers, a small core (zone 1) and ever more venues per zone after it. A
  venue's zone is the third in which its first paper falls, ``1 + floor(3 * papers before it /
  all papers)``, so the core is never empty.
- Co-author clusters: Louvain communities (seeded) of the co-author graph of the papers in scope
  (:func:`medvlm_graph.graphs.build_coauthor_graph`, edge weight = joint papers).

References
----------
Lotka, A. J. (1926). The frequency distribution of scientific productivity. *Journal of the
Washington Academy of Sciences*, 16(12), 317-323.
Bradford, S. C. (1934). Sources of information on specific subjects. *Engineering*, 137, 85-86.
Hirsch, J. E. (2005). An index to quantify an individual's scientific research output. *PNAS*,
102(46), 16569-16572.
Aria, M., & Cuccurullo, C. (2017). bibliometrix: an R-tool for comprehensive science mapping
analysis. *Journal of Informetrics*, 11(4), 959-975.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..graphs._common import positions
from ..graphs.matrix import cooccurrence, incidence, occurrences
from ._citing import CitationData
from ._frames import require, skipped
from .clusters import compute_graph_clusters
from .scope import DEFAULT_SCOPE, check_scope

AUTHOR_COLUMNS = ["author_id", "name", "papers", "fractional_papers", "citations", "h_index", "first_year",
                  "last_year"]
VENUE_COLUMNS = ["venue", "papers", "citations", "h_index", "first_year", "last_year", "rank", "cumulative_papers",
                 "zone"]
LOTKA_COLUMNS = ["papers", "authors", "share", "fitted_share", "lotka_share", "alpha", "c", "r2"]
COAUTHOR_MEMBER_COLUMNS = ["author_id", "name", "papers", "cluster"]
COAUTHOR_CLUSTER_COLUMNS = ["cluster", "authors", "papers", "top_authors", "cluster_label"]
LOTKA_C = 6 / math.pi**2
NO_AUTHORS = "no authorships for the papers in scope (authors come from Semantic Scholar: run refresh or ingest)"


def h_index(counts) -> int:
    """Largest ``h`` with ``h`` of ``counts`` at least ``h`` (Hirsch 2005).

    Examples
    --------
    >>> h_index([10, 8, 5, 4, 3]), h_index([25, 8, 5, 3, 3]), h_index([]), h_index([0, 0])
    (4, 3, 0, 0)
    """
    c = np.sort(np.asarray(list(counts), dtype=np.int64))[::-1]
    return int((c >= np.arange(1, len(c) + 1)).sum())


def _local_citations(data: CitationData, scope: str) -> np.ndarray | None:
    """Number of papers in scope citing each position's paper (None without citations)."""
    if data.A is None:
        return None
    inside = data.in_scope(scope)
    citing, cited = data.edges
    return np.bincount(cited[inside[citing] & inside[cited]], minlength=data.n)


def _stats(df: pd.DataFrame, key: str, local: np.ndarray | None) -> pd.DataFrame:
    """Per ``key``: papers, citations, h_index, first_year, last_year (``df``: key, year, and ``_pos``,
    the position of the paper in ``local``), by ``key``."""
    codes, keys = pd.factorize(df[key], sort=True)  # the groups, in key order; each paper once per group
    pos = df["_pos"].to_numpy()
    once = ~pd.DataFrame({"k": codes, "p": pos}).duplicated().to_numpy()
    codes, pos, year = codes[once], pos[once], df["year"].to_numpy(dtype=float)[once]
    by = pd.Series(year).groupby(codes)
    out = pd.DataFrame({"papers": np.bincount(codes, minlength=len(keys)), "first_year": by.min().to_numpy(),
                        "last_year": by.max().to_numpy()}, index=pd.Index(keys, name=key))
    if local is None:
        out["citations"] = pd.array([None] * len(out), dtype="Int64")
        out["h_index"] = pd.array([None] * len(out), dtype="Int64")
    else:
        c = local[pos].astype(np.int64)
        order = np.lexsort((-c, codes))  # each group's papers by citations, most cited first
        start = np.r_[0, np.cumsum(np.bincount(codes, minlength=len(keys)))[:-1]]
        rank = np.arange(len(order)) - start[codes[order]] + 1
        out["citations"] = pd.array(np.bincount(codes, weights=c, minlength=len(keys)).astype(np.int64), dtype="Int64")
        out["h_index"] = pd.array(np.bincount(codes[order], weights=c[order] >= rank, minlength=len(keys))
                                  .astype(np.int64), dtype="Int64")
    for col in ("first_year", "last_year"):
        out[col] = pd.array(out[col].to_numpy(), dtype="Int64")
    return out


def _spelling(df: pd.DataFrame, key: str, name: str) -> pd.Series:
    """Most frequent ``name`` per ``key`` (ties: alphabetically first)."""
    n = df.groupby([key, name]).size().rename("n").reset_index()
    n = n.sort_values([key, "n", name], ascending=[True, False, True]).drop_duplicates(key)
    return n.set_index(key)[name]


def _scoped_authorships(authorships: pd.DataFrame, data: CitationData, scope: str) -> pd.DataFrame:
    """The authorships of the papers in scope, with ``_pos`` (the paper's position in ``data``)."""
    require(authorships, ["paper_id", "author_id"], "authorships")
    a = authorships.dropna(subset=["paper_id"]).assign(paper_id=lambda d: d["paper_id"].astype(str))
    pos = positions(a["paper_id"], data.index)
    inside = np.r_[data.in_scope(scope), False][pos]  # -1 (not a paper of the corpus): out
    a = a[inside].assign(_pos=pos[inside])
    if "author_name" not in a.columns:
        a = a.assign(author_name=pd.NA)
    return a


def compute_authors(papers: pd.DataFrame, authorships: pd.DataFrame | None, citations: pd.DataFrame | None = None,
                    *, scope: str = DEFAULT_SCOPE, top: int | None = None) -> pd.DataFrame:
    """The most productive authors of the papers in ``scope``, with their local citations.

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, year`` (``in_field``, ``is_seed`` when present).
    authorships : DataFrame
        ``paper_id, author_id`` (``author_name`` when present); rows without ``author_id`` are left out.
    citations : DataFrame, optional
        ``citing_id, cited_id``; without it ``citations`` and ``h_index`` are missing.
    scope : {"field", "seeds", "all"}
    top : int, optional
        Keep the first ``top`` rows.

    Returns
    -------
    DataFrame
        ``author_id, name, papers, fractional_papers, citations`` (local), ``h_index`` (local),
        ``first_year, last_year``, by papers, then citations (descending), then name and id.
        Empty with ``attrs["skipped"]`` without authorships in scope.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["a", "b", "c"], "year": [2020, 2021, 2022]})
    >>> au = pd.DataFrame({"paper_id": ["a", "a", "b", "c"], "author_id": ["1", "2", "1", "2"],
    ...                    "author_name": ["Ann", "Bo", "Ann", "Bo"]})
    >>> c = pd.DataFrame({"citing_id": ["b", "c", "c"], "cited_id": ["a", "a", "b"]})
    >>> compute_authors(p, au, c, scope="all").values.tolist()
    [['1', 'Ann', 2, 1.5, 3, 1, 2020, 2021], ['2', 'Bo', 2, 1.5, 2, 1, 2020, 2022]]
    """
    require(papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if authorships is None or len(authorships) == 0:
        return skipped(AUTHOR_COLUMNS, NO_AUTHORS)
    return _authors_of(CitationData(papers, citations), authorships, scope=scope, top=top)


def _authors_of(data: CitationData, authorships: pd.DataFrame | None, *, scope: str = DEFAULT_SCOPE,
                top: int | None = None) -> pd.DataFrame:
    """:func:`compute_authors` of a corpus already coded (:class:`._citing.CitationData`)."""
    require(data.papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if authorships is None or len(authorships) == 0:
        return skipped(AUTHOR_COLUMNS, NO_AUTHORS)
    a = _scoped_authorships(authorships, data, scope)
    n_authors = a.groupby("paper_id").size()
    a = a.dropna(subset=["author_id"]).assign(author_id=lambda d: d["author_id"].astype(str))
    if a.empty:
        return skipped(AUTHOR_COLUMNS, NO_AUTHORS)
    a = a.assign(year=data.year[a["_pos"].to_numpy()])
    out = _stats(a, "author_id", _local_citations(data, scope))
    frac = a.drop_duplicates(["author_id", "paper_id"])
    out["fractional_papers"] = (1.0 / frac["paper_id"].map(n_authors)).groupby(frac["author_id"]).sum()
    out["name"] = _spelling(a.assign(author_name=a["author_name"].fillna("").astype(str)), "author_id", "author_name")
    out = out.reset_index().rename(columns={"index": "author_id"})
    out = out.sort_values(["papers", "citations", "name", "author_id"], ascending=[False, False, True, True],
                          na_position="last")
    out = out[AUTHOR_COLUMNS].reset_index(drop=True)
    return out.head(top) if top is not None else out


def compute_venues(papers: pd.DataFrame, citations: pd.DataFrame | None = None, *,
                   scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """Venues of the papers in ``scope`` ranked by papers, with local citations and Bradford zones.

    Returns
    -------
    DataFrame
        ``venue, papers, citations, h_index`` (local; missing without citations), ``first_year,
        last_year, rank`` (1 = most papers; ties by citations, then name), ``cumulative_papers``,
        ``zone`` (Bradford zone 1, 2 or 3; module docstring). Empty with ``attrs["skipped"]`` when no
        paper in scope has a venue.

    Examples
    --------
    Nine papers in five venues: the first venue alone holds the first third (zone 1):

    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": list("abcdefghi"), "year": 2020,
    ...                   "venue": ["J1"] * 4 + ["J2"] * 2 + ["J3", "J4", "j4 "]})
    >>> compute_venues(p, scope="all")[["venue", "papers", "cumulative_papers", "zone"]].values.tolist()
    [['J1', 4, 4, 1], ['J2', 2, 6, 2], ['J4', 2, 8, 3], ['J3', 1, 9, 3]]
    """
    require(papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if "venue" not in papers.columns:
        return skipped(VENUE_COLUMNS, "the papers table has no venue column")
    return _venues_of(CitationData(papers, citations), scope=scope)


def _venues_of(data: CitationData, *, scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """:func:`compute_venues` of a corpus already coded (:class:`._citing.CitationData`)."""
    papers = data.papers
    require(papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if "venue" not in papers.columns:
        return skipped(VENUE_COLUMNS, "the papers table has no venue column")
    pos = data.rows()
    inside = np.r_[data.in_scope(scope), False][pos]  # a row whose id is in scope (-1, no id: out)
    p = papers[inside]
    venue = p["venue"].astype("string").str.split().str.join(" ")
    p = p.assign(venue=venue, key=venue.str.casefold(), paper_id=p["paper_id"].astype(str), _pos=pos[inside])
    p = p[p["venue"].notna() & (p["venue"] != "")]
    if p.empty:
        return skipped(VENUE_COLUMNS, "no paper in scope has a venue (venues come from Semantic Scholar: "
                                      "run refresh or ingest)")
    p = p.assign(year=data.year[p["_pos"].to_numpy()])
    out = _stats(p, "key", _local_citations(data, scope))
    out["venue"] = _spelling(p.assign(venue=p["venue"].astype(str)), "key", "venue")
    out = out.sort_values(["papers", "citations", "venue"], ascending=[False, False, True], na_position="last")
    out = out.reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["cumulative_papers"] = out["papers"].cumsum()
    before = out["cumulative_papers"] - out["papers"]
    out["zone"] = np.minimum(3, 1 + (3 * before) // int(out["papers"].sum())).astype(int)
    return out[VENUE_COLUMNS]


def compute_lotka(papers: pd.DataFrame, authorships: pd.DataFrame | None, *,
                  scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """Author productivity (authors with ``n`` papers in scope) and Lotka's law fitted to it.

    Returns
    -------
    DataFrame
        ``papers`` (n), ``authors`` (with n papers), ``share`` (of all authors), ``fitted_share``
        (``C / n**alpha``), ``lotka_share`` (classic law, ``6 / (pi**2 n**2)``), and the fit ``alpha``,
        ``c``, ``r2`` (the same on every row; missing below two distinct ``n``). Empty with
        ``attrs["skipped"]`` without authorships in scope.

    Examples
    --------
    16 authors with one paper, 4 with two, 1 with four: exactly Lotka's inverse square.

    >>> import pandas as pd
    >>> rows = [(f"p{i}", f"a{i}") for i in range(16)] + [(f"q{i}{k}", f"b{i}") for i in range(4) for k in range(2)]
    >>> rows += [(f"r{k}", "c0") for k in range(4)]
    >>> au = pd.DataFrame(rows, columns=["paper_id", "author_id"])
    >>> p = pd.DataFrame({"paper_id": au["paper_id"].unique(), "year": 2020})
    >>> t = compute_lotka(p, au, scope="all")
    >>> t[["papers", "authors"]].values.tolist(), round(float(t["alpha"][0]), 6), round(float(t["r2"][0]), 6)
    ([[1, 16], [2, 4], [4, 1]], 2.0, 1.0)
    """
    check_scope(scope)
    return _lotka_of(compute_authors(papers, authorships, scope=scope))


def _lotka_of(authors: pd.DataFrame) -> pd.DataFrame:
    """:func:`compute_lotka` of the whole authors table (:func:`compute_authors` without ``top``)."""
    if authors.empty:
        return skipped(LOTKA_COLUMNS, authors.attrs.get("skipped", NO_AUTHORS))
    freq = authors.groupby("papers").size()
    n = freq.index.to_numpy(dtype=float)
    share = freq.to_numpy() / freq.sum()
    out = pd.DataFrame({"papers": freq.index.astype(int), "authors": freq.to_numpy().astype(int), "share": share,
                        "lotka_share": LOTKA_C / n**2})
    if len(n) >= 2:
        x, y = np.log10(n), np.log10(share)
        slope, intercept = np.polyfit(x, y, 1)
        fit = intercept + slope * x
        ss_tot = float(((y - y.mean()) ** 2).sum())
        r2 = 1.0 - float(((y - fit) ** 2).sum()) / ss_tot if ss_tot > 0 else 1.0
        out["alpha"], out["c"], out["r2"] = -slope, 10**intercept, r2
        out["fitted_share"] = 10**intercept * n**slope
    else:
        out["alpha"] = out["c"] = out["r2"] = out["fitted_share"] = np.nan
        out.attrs["note"] = "Lotka's law not fitted: every author has the same number of papers"
    return out[LOTKA_COLUMNS]


def compute_coauthor_clusters(papers: pd.DataFrame, authorships: pd.DataFrame | None, *,
                              scope: str = DEFAULT_SCOPE, resolution: float = 1.0, seed: int = 0,
                              n_names: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Louvain clusters of the co-author graph of the papers in ``scope``.

    Returns
    -------
    members : DataFrame
        ``author_id, name, papers`` (in scope), ``cluster`` (0 = largest), authors with a co-author.
    clusters : DataFrame
        ``cluster, authors, papers`` (papers in scope signed by a member), ``top_authors`` (the
        ``n_names`` most productive members, ", "-joined), ``cluster_label`` (the first three, " / ").
        ``attrs["modularity"]``. Both empty with ``attrs["skipped"]`` when no two authors share a paper.

    Examples
    --------
    >>> import pandas as pd
    >>> au = pd.DataFrame({"paper_id": ["p", "p", "q", "q", "r", "r"], "author_id": list("abbcde"),
    ...                    "author_name": ["Ann", "Bo", "Bo", "Cy", "Di", "Ed"]})
    >>> p = pd.DataFrame({"paper_id": ["p", "q", "r"], "year": 2020})
    >>> m, s = compute_coauthor_clusters(p, au, scope="all")
    >>> s[["cluster", "authors", "papers", "cluster_label"]].values.tolist()
    [[0, 3, 2, 'Bo / Ann / Cy'], [1, 2, 1, 'Di / Ed']]
    """
    require(papers, ["paper_id"], "papers")
    check_scope(scope)
    if authorships is None or len(authorships) == 0:
        return skipped(COAUTHOR_MEMBER_COLUMNS, NO_AUTHORS), skipped(COAUTHOR_CLUSTER_COLUMNS, NO_AUTHORS)
    return _coauthor_clusters_of(CitationData(papers), authorships, scope=scope, resolution=resolution, seed=seed,
                                 n_names=n_names)


def _coauthor_clusters_of(data: CitationData, authorships: pd.DataFrame | None, *, scope: str = DEFAULT_SCOPE,
                          resolution: float = 1.0, seed: int = 0,
                          n_names: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`compute_coauthor_clusters` of a corpus already coded (:class:`._citing.CitationData`).

    The co-author graph is clustered in its matrix form (``X @ X.T`` of the author x paper incidence,
    diagonal dropped): the graph of :func:`medvlm_graph.graphs.build_coauthor_graph`, whose
    clusters :func:`.clusters.compute_graph_clusters` finds alike in either form.
    """
    require(data.papers, ["paper_id"], "papers")
    check_scope(scope)
    if authorships is None or len(authorships) == 0:
        return skipped(COAUTHOR_MEMBER_COLUMNS, NO_AUTHORS), skipped(COAUTHOR_CLUSTER_COLUMNS, NO_AUTHORS)
    a = _scoped_authorships(authorships, data, scope).dropna(subset=["author_id"])
    a = a.assign(author_id=a["author_id"].astype(str))
    X, index, _ = incidence(a["author_id"], a["paper_id"])
    M = sp.csr_matrix(cooccurrence(X), dtype=np.float64)  # joint papers
    M.setdiag(0)
    M.eliminate_zeros()
    assign, summary = compute_graph_clusters((M, index), resolution=resolution, seed=seed)
    if assign.empty:
        why = "no two authors of the papers in scope wrote a paper together"
        return skipped(COAUTHOR_MEMBER_COLUMNS, why), skipped(COAUTHOR_CLUSTER_COLUMNS, why)
    members = assign[["paper_id", "cluster"]].rename(columns={"paper_id": "author_id"})
    name = _spelling(a.assign(author_name=a["author_name"].fillna("").astype(str)), "author_id", "author_name")
    n_papers = pd.Series(occurrences(X), index=index.astype(str))
    members["name"] = name.reindex(members["author_id"]).to_numpy(dtype=object)
    members["papers"] = n_papers.reindex(members["author_id"]).to_numpy().astype(int)
    members = members.sort_values(["cluster", "papers", "name", "author_id"], ascending=[True, False, True, True])
    members = members[COAUTHOR_MEMBER_COLUMNS].reset_index(drop=True)
    joined = a.merge(members[["author_id", "cluster"]], on="author_id")
    n_papers = joined.groupby("cluster")["paper_id"].nunique()
    rows = []
    for c, g in members.groupby("cluster", sort=True):
        names = [x for x in g["name"].tolist() if x][:n_names]
        rows.append((int(c), len(g), int(n_papers.get(c, 0)), ", ".join(names), " / ".join(names[:3])))
    clusters = pd.DataFrame(rows, columns=COAUTHOR_CLUSTER_COLUMNS)
    clusters.attrs["modularity"] = summary.attrs.get("modularity")
    return members, clusters
