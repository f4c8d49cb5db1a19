"""Reference publication year spectroscopy (RPYS) of Marx, Bornmann, Barth & Leydesdorff (2014).

The cited references of a field are counted by their publication year (``NCR``: one per citation,
so a paper cited by ten field papers counts ten times). Each year's count is compared with the
median of the five years around it (two before, the year, two after; years outside the spectrum
count 0): ``deviation = NCR - median``. Peaks of the deviation point to the years of the field's
historical roots, and the most cited references of a peak year are the works behind it.

A *peak* here is a year whose deviation is positive and a local maximum (above the year before and
not below the year after); the ``peaks`` largest are ranked.

Which papers: the citing papers are those in ``scope`` (the field by default); their cited
references are taken from the whole corpus (most roots lie outside the field), and need a year.

References
----------
Marx, W., Bornmann, L., Barth, A., & Leydesdorff, L. (2014). Detecting the historical roots of
research fields by reference publication year spectroscopy (RPYS). *Journal of the Association for
Information Science and Technology*, 65(4), 751-764.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from ._citing import CitationData
from ._frames import require, skipped
from .runs import NO_CITATIONS
from .scope import DEFAULT_SCOPE, check_scope

RPYS_COLUMNS = ["year", "references", "distinct_references", "median_5", "deviation", "peak_rank"]
PEAK_COLUMNS = ["peak_rank", "year", "paper_id", "title", "citations", "share"]


def compute_rpys(papers: pd.DataFrame, citations: pd.DataFrame | None, *, scope: str = DEFAULT_SCOPE,
                 peaks: int = 5, per_peak: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The RPYS spectrum of the references cited by the papers in ``scope``, and its peak years.

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, year`` (``title``, ``in_field``, ``is_seed`` when present).
    citations : DataFrame
        ``citing_id, cited_id``.
    scope : {"field", "seeds", "all"}
        Whose references are counted.
    peaks : int
        Peak years ranked (by deviation, largest first).
    per_peak : int
        Most cited references listed for each peak year.

    Returns
    -------
    spectrum : DataFrame
        ``year`` (every year from the oldest to the newest reference), ``references`` (NCR),
        ``distinct_references``, ``median_5``, ``deviation``, ``peak_rank`` (Int64, 1 = largest
        peak; missing off the peaks). ``attrs["note"]`` counts the references without a year.
    peaks : DataFrame
        ``peak_rank, year, paper_id, title, citations`` (by papers in scope), ``share`` (of the
        year's NCR), the ``per_peak`` most cited references of each peak year.
        Both empty with ``attrs["skipped"]`` without citations.

    References
    ----------
    Marx, Bornmann, Barth & Leydesdorff (2014), *JASIST* 65(4), 751-764.

    Examples
    --------
    Three papers cite a 1998 classic; the other references spread evenly:

    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["c", "r95", "r96", "r97", "r99", "r00", "f1", "f2", "f3"],
    ...                   "year": [1998, 1995, 1996, 1997, 1999, 2000, 2020, 2021, 2022]})
    >>> c = pd.DataFrame({"citing_id": ["f1", "f2", "f3", "f1", "f1", "f2", "f2", "f3"],
    ...                   "cited_id": ["c", "c", "c", "r95", "r96", "r97", "r99", "r00"]})
    >>> s, pk = compute_rpys(p, c, scope="all")
    >>> s["year"].tolist(), s["references"].tolist(), s["deviation"].tolist()
    ([1995, 1996, 1997, 1998, 1999, 2000], [1, 1, 1, 3, 1, 1], [0.0, 0.0, 0.0, 2.0, 0.0, 0.0])
    >>> pk[["peak_rank", "year", "paper_id", "citations", "share"]].values.tolist()
    [[1, 1998, 'c', 3, 1.0]]
    """
    require(papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if citations is None or len(citations) == 0:
        return skipped(RPYS_COLUMNS, NO_CITATIONS), skipped(PEAK_COLUMNS, NO_CITATIONS)
    return _rpys_of(CitationData(papers, citations), scope=scope, peaks=peaks, per_peak=per_peak)


def _rpys_of(data: CitationData, *, scope: str = DEFAULT_SCOPE, peaks: int = 5,
             per_peak: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`compute_rpys` of a corpus already coded (:class:`._citing.CitationData`)."""
    require(data.papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if data.A is None:
        return skipped(RPYS_COLUMNS, NO_CITATIONS), skipped(PEAK_COLUMNS, NO_CITATIONS)
    citing, cited = data.edges
    cited = cited[data.in_scope(scope)[citing]]
    ry = data.year[cited]
    known = ~np.isnan(ry)
    no_year = int((~known).sum())
    cited = cited[known]
    if len(cited) == 0:
        why = "no reference with a known year is cited by a paper in scope"
        return skipped(RPYS_COLUMNS, why), skipped(PEAK_COLUMNS, why)
    ref_year = ry[known].astype(np.int64)
    lo, hi = int(ref_year.min()), int(ref_year.max())
    ncr = np.bincount(ref_year - lo, minlength=hi - lo + 1)
    distinct = data.year[np.flatnonzero(np.bincount(cited, minlength=data.n))].astype(np.int64)
    nd = np.bincount(distinct - lo, minlength=hi - lo + 1)
    med = np.median(sliding_window_view(np.r_[0, 0, ncr, 0, 0].astype(float), 5), axis=1)
    dev = ncr - med
    before = np.r_[-np.inf, dev[:-1]]
    after = np.r_[dev[1:], -np.inf]
    is_peak = (dev > 0) & (dev > before) & (dev >= after)
    yrs = np.arange(lo, hi + 1)
    cand = np.flatnonzero(is_peak)
    cand = cand[np.lexsort((yrs[cand], -dev[cand]))][: max(int(peaks), 0)]
    rank = pd.array([None] * len(yrs), dtype="Int64")
    rank[cand] = np.arange(1, len(cand) + 1)
    spectrum = pd.DataFrame({"year": yrs, "references": ncr.astype(np.int64), "distinct_references": nd,
                             "median_5": med, "deviation": dev.astype(float), "peak_rank": rank})
    if no_year:
        spectrum.attrs["note"] = f"{no_year} cited reference(s) without a year left out"
    rows = []
    for r, i in enumerate(cand, start=1):
        y = int(yrs[i])
        n = np.bincount(cited[ref_year == y], minlength=data.n)
        pos = np.flatnonzero(n)
        n = n[pos]
        top = np.lexsort((pos, -n))[: max(int(per_peak), 0)]  # most cited, then by id (positions are sorted ids)
        rows += [(r, y, str(data.index[pos[j]]), data.titles[pos[j]], int(n[j]), float(n[j] / ncr[i])) for j in top]
    peak_table = pd.DataFrame(rows, columns=PEAK_COLUMNS)
    if peak_table.empty:
        peak_table.attrs["skipped"] = "the spectrum has no peak (no year above its 5-year median)"
    return spectrum[RPYS_COLUMNS], peak_table
