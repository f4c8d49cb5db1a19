"""Sleeping beauties: the beauty coefficient B and the awakening year of Ke et al. (2015).

With ``c_t`` the citations a paper receives ``t`` years after its publication (``t = 0`` is the
publication year), ``t_m`` the first year of its maximum and ``l_t`` the straight line from
``(0, c_0)`` to ``(t_m, c_{t_m})``::

    B   = sum over t = 0..t_m of (l_t - c_t) / max(1, c_t)
    t_a = argmax over t <= t_m of |(c_{t_m} - c_0) t - t_m c_t + t_m c_0| / sqrt((c_{t_m} - c_0)^2 + t_m^2)

``B`` is 0 for a paper cited linearly, large for one that slept (few citations) and then woke up,
negative for one cited most early; ``t_a`` (the awakening) is the year farthest below the line.
``B = 0`` and no awakening when the maximum is in the publication year.

Which papers: the papers in ``scope`` (the field by default) with a year; the citations come from
every paper of the corpus with a year (a citation dated before the cited paper, as from an earlier
preprint, counts in the publication year). The curve runs to the last year of the corpus (which may
be partial).

References
----------
Ke, Q., Ferrara, E., Radicchi, F., & Flammini, A. (2015). Defining and identifying Sleeping Beauties
in science. *PNAS*, 112(24), 7426-7431.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._citing import CitationData
from ._frames import require, skipped
from .runs import NO_CITATIONS
from .scope import DEFAULT_SCOPE, check_scope

SB_COLUMNS = ["paper_id", "title", "year", "citations", "peak_year", "peak_citations", "beauty", "awakening_year"]
CURVE_COLUMNS = ["paper_id", "year", "citations"]


def beauty_coefficient(c: np.ndarray) -> tuple[float, int | None]:
    """``(B, t_a)`` of one yearly citation curve ``c`` (``c[0]``: the publication year).

    Examples
    --------
    A paper asleep four years, then cited ten times:

    >>> beauty_coefficient([0, 0, 0, 0, 10])
    (15.0, 3)
    >>> beauty_coefficient([1, 2, 3])   # linear growth: no sleep
    (0.0, 0)
    """
    B, ta, _ = _beauty(np.asarray(c, dtype=float)[None, :], np.array([len(c) - 1]))
    return float(B[0]), (None if ta[0] < 0 else int(ta[0]))


def _beauty(C: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised ``B``, ``t_a`` (-1: none) and ``t_m`` of each row of ``C`` (valid up to ``last``)."""
    n, w = C.shape
    t = np.arange(w)[None, :]
    valid = t <= last[:, None]
    tm = np.argmax(np.where(valid, C, -1.0), axis=1)  # first maximum
    rows = np.arange(n)
    c0, cm = C[:, 0], C[rows, tm]
    upto = t <= tm[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(tm > 0, (cm - c0) / np.maximum(tm, 1), 0.0)
    line = slope[:, None] * t + c0[:, None]
    B = np.where(upto, (line - C) / np.maximum(1.0, C), 0.0).sum(axis=1)
    B = np.where(tm > 0, B, 0.0)
    norm = np.sqrt((cm - c0) ** 2 + tm ** 2)
    d = np.abs((cm - c0)[:, None] * t - tm[:, None] * C + (tm * c0)[:, None]) / np.where(norm > 0, norm, 1.0)[:, None]
    ta = np.argmax(np.where(upto, d, -1.0), axis=1)
    return B, np.where(tm > 0, ta, -1), tm


def compute_sleeping_beauties(papers: pd.DataFrame, citations: pd.DataFrame | None, *,
                              scope: str = DEFAULT_SCOPE, min_citations: int = 1,
                              curves: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Beauty coefficient and awakening year of every paper in ``scope`` cited in the corpus.

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, year`` (``title``, ``in_field``, ``is_seed`` when present).
    citations : DataFrame
        ``citing_id, cited_id`` (citations from the whole corpus count).
    scope : {"field", "seeds", "all"}
        Which papers are scored.
    min_citations : int
        Score papers with at least this many citations in the corpus.
    curves : int
        Yearly curves returned for the ``curves`` papers of largest ``B``.

    Returns
    -------
    beauties : DataFrame
        ``paper_id, title, year, citations`` (in the corpus), ``peak_year, peak_citations``,
        ``beauty`` (B), ``awakening_year`` (Int64, missing when the peak is the publication year),
        by ``beauty`` descending, then citations descending, then id.
    curves : DataFrame
        ``paper_id, year, citations``: one row per year from publication to the last year of the
        corpus, zeros included, for the top ``curves`` papers.
        Both empty with ``attrs["skipped"]`` without citations.

    References
    ----------
    Ke, Ferrara, Radicchi & Flammini (2015), *PNAS* 112(24), 7426-7431.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["sb", "x1", "x2", "x3"], "year": [2010, 2014, 2014, 2014]})
    >>> c = pd.DataFrame({"citing_id": ["x1", "x2", "x3"], "cited_id": "sb"})
    >>> b, _ = compute_sleeping_beauties(p, c, scope="all")
    >>> b[["paper_id", "citations", "peak_year", "beauty", "awakening_year"]].values.tolist()
    [['sb', 3, 2014, 4.5, 2013]]
    """
    require(papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if citations is None or len(citations) == 0:
        return skipped(SB_COLUMNS, NO_CITATIONS), skipped(CURVE_COLUMNS, NO_CITATIONS)
    return _sleeping_beauties_of(CitationData(papers, citations), scope=scope, min_citations=min_citations,
                                 curves=curves)


def _sleeping_beauties_of(data: CitationData, *, scope: str = DEFAULT_SCOPE, min_citations: int = 1,
                          curves: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`compute_sleeping_beauties` of a corpus already coded (:class:`._citing.CitationData`)."""
    require(data.papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if data.A is None:
        return skipped(SB_COLUMNS, NO_CITATIONS), skipped(CURVE_COLUMNS, NO_CITATIONS)
    year = data.year
    known = ~np.isnan(year)
    focal = np.flatnonzero(data.in_scope(scope) & known)  # by id: the positions are sorted ids
    k_of = np.full(data.n, -1, dtype=np.int64)
    k_of[focal] = np.arange(len(focal))
    citing, cited = data.edges
    hit = (k_of[cited] >= 0) & known[citing]
    if not hit.any():
        why = "no paper in scope is cited by a paper with a known year"
        return skipped(SB_COLUMNS, why), skipped(CURVE_COLUMNS, why)
    citing, cited = citing[hit], cited[hit]
    last_year = int(year[known].max())
    rel = np.maximum(year[citing] - year[cited], 0).astype(np.int64)  # years after publication
    span = last_year - year[focal].astype(np.int64)
    width = int(max(span.max(), 0)) + 1
    C = np.bincount(k_of[cited] * width + rel, minlength=len(focal) * width).reshape(len(focal), width)
    C = C.astype(float)
    total = C.sum(axis=1)
    keep = (total >= max(int(min_citations), 1)) & (span >= 0)
    if not keep.any():
        why = f"no paper in scope has {min_citations} or more citations in the corpus"
        return skipped(SB_COLUMNS, why), skipped(CURVE_COLUMNS, why)
    C, span, pos = C[keep], span[keep], focal[keep]
    ids = data.index[pos].astype(str)
    B, ta, tm = _beauty(C, span)
    y0 = year[pos].astype(np.int64)
    awakening = pd.array(y0 + ta, dtype="Int64")
    awakening[ta < 0] = pd.NA
    out = pd.DataFrame({
        "paper_id": ids.to_numpy(dtype=object),
        "title": data.titles[pos],
        "year": pd.array(y0, dtype="Int64"),
        "citations": total[keep].astype(np.int64),
        "peak_year": pd.array(y0 + tm, dtype="Int64"),
        "peak_citations": C[np.arange(len(C)), tm].astype(np.int64),
        "beauty": B.astype(float),
        "awakening_year": awakening,
    })
    order = out.sort_values(["beauty", "citations", "paper_id"], ascending=[False, False, True]).index.to_numpy()
    out = out.loc[order].reset_index(drop=True)
    top = order[: max(int(curves), 0)]
    curve = pd.DataFrame(
        [(ids[i], int(y0[i] + t), int(C[i, t])) for i in top for t in range(int(span[i]) + 1)],
        columns=CURVE_COLUMNS)
    return out[SB_COLUMNS], curve
