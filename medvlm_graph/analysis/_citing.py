"""The citation matrix and paper times shared by the indicators (:mod:`.indicators`).

``A`` is the binary *citing x cited* matrix over every paper id of the corpus (the ``papers`` table
and both ends of the ``citations`` table): ``A[i, j] = 1`` when ``i`` cites ``j``. Duplicate rows
collapse, self-citations and rows with a missing id are dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..graphs.citation import citation_adjacency
from ._frames import require
from .scope import DEFAULT_SCOPE, apply_scope

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
    edges = citation_edges(citations)
    index = corpus_index(papers, edges)
    # the one citation matrix of the package, over the papers and both ends of the edges
    A, index = citation_adjacency(pd.DataFrame({"paper_id": index.astype(str)}), edges)
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
