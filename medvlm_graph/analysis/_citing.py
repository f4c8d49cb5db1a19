"""The citation matrix and paper times shared by the indicators (:mod:`.indicators`).

``A`` is the binary *citing x cited* matrix over every paper id of the corpus (the ``papers`` table
and both ends of the ``citations`` table): ``A[i, j] = 1`` when ``i`` cites ``j``. Duplicate rows
collapse, self-citations and rows with a missing id are dropped.

:class:`CitationData` holds it with the papers' years, times, titles and scopes as arrays over the
same positions, built once per corpus: :func:`.indicators.run_indicators` hands one to every
indicator instead of each re-reading the string tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..graphs._common import positions
from ..graphs.citation import citation_adjacency
from ._frames import require
from .scope import DEFAULT_SCOPE, apply_scope, check_scope

#: The time of a paper without one (:attr:`CitationData.day`): after every real day.
NO_TIME = np.iinfo(np.int64).max

#: Day of the year a paper known only by its year is placed on (1 July: the middle of the year).
MID_YEAR = (7, 1)


def citation_edges(citations: pd.DataFrame) -> pd.DataFrame:
    """Distinct ``citing_id, cited_id`` pairs as strings, without self-citations or missing ids."""
    require(citations, ["citing_id", "cited_id"], "citations")
    c = citations[["citing_id", "cited_id"]].dropna().astype(str)
    return c[c["citing_id"] != c["cited_id"]].drop_duplicates().reset_index(drop=True)


def corpus_index(papers: pd.DataFrame, edges: pd.DataFrame) -> pd.Index:
    """Sorted distinct ids of the papers table and of both ends of ``edges``."""
    ids = pd.concat([papers["paper_id"].dropna().astype(str), edges["citing_id"], edges["cited_id"]])
    return pd.Index(np.sort(ids.unique().astype(object)), dtype="string")


def citation_matrix(papers: pd.DataFrame, citations: pd.DataFrame) -> tuple[sp.csr_matrix, pd.Index]:
    """``(A, index)``: the binary citing x cited CSR matrix over :func:`corpus_index`.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["a", "b", "c"]})
    >>> c = pd.DataFrame({"citing_id": ["b", "c", "c", "c"], "cited_id": ["a", "a", "b", "c"]})
    >>> A, ids = citation_matrix(p, c)
    >>> list(ids), A.toarray().tolist()
    (['a', 'b', 'c'], [[0, 0, 0], [1, 0, 0], [1, 1, 0]])
    """
    require(papers, ["paper_id"], "papers")
    require(citations, ["citing_id", "cited_id"], "citations")
    c = citations[["citing_id", "cited_id"]].dropna().astype(str)
    # the ids of citation_edges (no string de-duplication: the matrix collapses duplicate rows)
    index = corpus_index(papers, c[c["citing_id"] != c["cited_id"]])
    # the one citation matrix of the package, over the papers and both ends of the edges
    A, index = citation_adjacency(pd.DataFrame({"paper_id": index.astype(str)}), c)
    return sp.csr_matrix(A, dtype=np.int64), pd.Index(index, dtype="string")


def scope_ids(papers: pd.DataFrame, scope: str = DEFAULT_SCOPE) -> pd.Index:
    """Distinct ids (strings) of the papers in ``scope`` (:mod:`.scope`)."""
    return pd.Index(apply_scope(papers, scope=scope)["paper_id"].dropna().astype(str).unique(), dtype="string")


def paper_days(papers: pd.DataFrame) -> pd.Series:
    """``paper_id -> datetime64``: the publication date, else 1 July of the year (:data:`MID_YEAR`).

    Papers with neither are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["a", "b", "c"], "year": [2020, 2021, None],
    ...                   "publication_date": ["2020-03-05", None, None]})
    >>> paper_days(p).astype(str).to_dict()
    {'a': '2020-03-05', 'b': '2021-07-01'}
    """
    require(papers, ["paper_id"], "papers")
    ids = papers["paper_id"].astype("string")
    date = pd.Series(pd.NaT, index=papers.index, dtype="datetime64[ns]")
    if "publication_date" in papers.columns:
        date = pd.to_datetime(papers["publication_date"].astype("string"), errors="coerce", format="ISO8601")
    if "year" in papers.columns:
        year = pd.to_numeric(papers["year"], errors="coerce")
        ok = date.isna() & year.notna() & (year >= 1) & (year <= 9999)
        fill = pd.to_datetime(pd.DataFrame({"year": year[ok].astype(int), "month": MID_YEAR[0], "day": MID_YEAR[1]}))
        date = date.copy()
        date[ok] = fill
    keep = date.notna() & ids.notna()
    out = pd.Series(date[keep].dt.normalize().to_numpy(), index=ids[keep].astype(str).to_numpy())
    return out[~out.index.duplicated()]


def _first(pos: np.ndarray, n: int, values: np.ndarray, fill, *, last: bool = False) -> np.ndarray:
    """``values`` spread over ``n`` positions (``fill`` elsewhere), the first (``last``: last) row per position."""
    out = np.full(n, fill, dtype=values.dtype if values.dtype != object else object)
    keep = pos >= 0
    pos, values = pos[keep], values[keep]
    if last:
        pos, values = pos[::-1], values[::-1]
    _, first = np.unique(pos, return_index=True)
    out[pos[first]] = values[first]
    return out


@dataclass(eq=False)
class CitationData:
    """The corpus as arrays over the positions of :func:`corpus_index`, built once for the indicators.

    Parameters
    ----------
    papers : DataFrame
        The papers table (``paper_id``; ``year``, ``publication_date``, ``title``, ``in_field``,
        ``is_seed`` when present).
    citations : DataFrame, optional
        ``citing_id, cited_id``; ``None`` or empty: no citation matrix.

    Attributes
    ----------
    index : pandas.Index
        The sorted distinct ids (:func:`corpus_index`); every array below is over its positions.
    A : scipy.sparse.csr_matrix or None
        The binary citing x cited matrix of :func:`citation_matrix` (``None`` without citations).

    Each part is computed when first read (so a malformed citations table raises where the
    indicator reading it would have).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["b", "a"], "year": [2021, None], "title": ["B", "A"]})
    >>> d = CitationData(p, pd.DataFrame({"citing_id": ["b"], "cited_id": ["z"]}))
    >>> list(d.index), d.A.toarray().tolist(), d.year.tolist(), d.titles.tolist()
    (['a', 'b', 'z'], [[0, 0, 0], [0, 0, 1], [0, 0, 0]], [nan, 2021.0, nan], ['A', 'B', None])
    """

    papers: pd.DataFrame
    citations: pd.DataFrame | None = None
    _scopes: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        require(self.papers, ["paper_id"], "papers")

    @cached_property
    def _matrix(self) -> tuple[sp.csr_matrix | None, pd.Index]:
        if self.citations is None or len(self.citations) == 0:
            return None, corpus_index(self.papers, pd.DataFrame({"citing_id": [], "cited_id": []}, dtype="string"))
        return citation_matrix(self.papers, self.citations)

    @property
    def A(self) -> sp.csr_matrix | None:
        return self._matrix[0]

    @property
    def index(self) -> pd.Index:
        return self._matrix[1]

    @property
    def n(self) -> int:
        """Number of positions."""
        return len(self.index)

    @cached_property
    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """``(citing, cited)`` positions of the distinct citations, by citing then cited id."""
        if self.A is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        citing = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.A.indptr))
        return citing, self.A.indices.astype(np.int64)

    def rows(self, mask: pd.Series | np.ndarray | None = None) -> np.ndarray:
        """Position of the id of each row of ``papers`` (``mask``: of those rows), -1 for a missing id."""
        ids = self.papers["paper_id"] if mask is None else self.papers.loc[np.asarray(mask, dtype=bool), "paper_id"]
        ok = ids.notna().to_numpy()
        out = np.full(len(ids), -1, dtype=np.int64)
        out[ok] = positions(ids[ok].astype(str), self.index)
        return out

    @cached_property
    def year(self) -> np.ndarray:
        """Year of each position (float, NaN when unknown): :func:`._frames.paper_years`."""
        if "year" not in self.papers.columns:
            return np.full(self.n, np.nan)
        years = pd.to_numeric(self.papers["year"], errors="coerce")
        ok = (years.notna() & self.papers["paper_id"].notna()).to_numpy()
        return _first(self.rows(ok), self.n, years[ok].astype(int).to_numpy().astype(float), np.nan)

    @cached_property
    def day(self) -> np.ndarray:
        """Days since 1970 of each position (:data:`NO_TIME` when unknown): :func:`paper_days`."""
        days = paper_days(self.papers)
        out = np.full(self.n, NO_TIME, dtype=np.int64)
        pos = positions(pd.Series(days.index, dtype="string"), self.index)
        out[pos[pos >= 0]] = days.to_numpy().astype("datetime64[D]").astype(np.int64)[pos >= 0]
        return out

    @cached_property
    def titles(self) -> np.ndarray:
        """Title of each position (``None`` when unknown): :func:`._frames.paper_titles` (the last row wins)."""
        if "title" not in self.papers.columns:
            return np.full(self.n, None, dtype=object)
        ok = (self.papers["paper_id"].notna() & self.papers["title"].notna()).to_numpy()
        titles = self.papers.loc[ok, "title"].astype(str).to_numpy(dtype=object)
        return _first(self.rows(ok), self.n, titles, None, last=True)

    def in_scope(self, scope: str = DEFAULT_SCOPE) -> np.ndarray:
        """Boolean mask of the positions in ``scope`` (:func:`scope_ids`)."""
        check_scope(scope)
        if scope not in self._scopes:
            mask = np.zeros(self.n, dtype=bool)
            pos = positions(pd.Series(scope_ids(self.papers, scope), dtype="string"), self.index)
            mask[pos[pos >= 0]] = True
            self._scopes[scope] = mask
        return self._scopes[scope]
