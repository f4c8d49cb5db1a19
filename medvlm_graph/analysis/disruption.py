"""Disruption: the CD index of Funk & Owen-Smith (2017), as used by Park, Leahey & Funk (2023).

A focal paper ``f`` is *disruptive* when the papers that cite it ignore the work it built on, and
*consolidating* when they cite it together with its references. Among the papers published in the
``window`` years after ``f`` that cite ``f`` or one of its references:

* ``n_i`` cite ``f`` and none of its references,
* ``n_j`` cite ``f`` and at least one of its references,
* ``n_k`` cite at least one of its references but not ``f``,

and ``CD = (n_i - n_j) / (n_i + n_j + n_k)``, from -1 (consolidating) to +1 (disruptive).
``mCD = CD * (n_i + n_j)`` weighs it by the citations in the window (Funk & Owen-Smith's mCD).

Which papers: the focal papers are those in ``scope`` (the field by default) with at least one
reference; the citing papers and the references are taken from the whole corpus, since CD counts the
citers of a paper's references wherever they lie. A citing paper must have a publication time; the
references need none.

Time: a paper's publication date, else 1 July of its year. A citing paper counts when its time ``t``
is in ``(t_f, t_f + window years]`` (same calendar day ``window`` years later), as in the ``cdindex``
package; with years only, CD5 of a 2018 paper reads the papers of 2019 to 2023.

Caveat: in a corpus fetched around a seed list, the citers of the references are only those the
corpus holds (the citers of the seeds, not every paper citing CLIP or U-Net), so ``n_k`` is
undercounted and CD is biased upwards; a corpus ingested from full S2 Datasets files has complete
counts.

References
----------
Funk, R. J., & Owen-Smith, J. (2017). A dynamic network measure of technological change.
*Management Science*, 63(3), 791-817.
Park, M., Leahey, E., & Funk, R. J. (2023). Papers and patents are becoming less disruptive over
time. *Nature*, 613, 138-144.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .. import log
from ..errors import DataError
from ._citing import NO_TIME, CitationData
from ._frames import require, skipped
from .runs import NO_CITATIONS
from .scope import DEFAULT_SCOPE, check_scope

CD_COLUMNS = ["paper_id", "title", "year", "window", "window_complete", "n_references", "n_i", "n_j", "n_k",
              "cd", "mcd"]
# Scalar multiply-adds per block of focal papers (bounds the memory of one block's product).
_BLOCK_WORK = 20_000_000
# Years of publication spanned by one block, as a share of the window: the block's product reads the
# citers of the whole span's windows, so a narrow span wastes little on citers outside a paper's window.
_SPAN_SHARE = 0.25


def _blocks(work: np.ndarray, budget: int, span: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Consecutive ranges of positions whose summed ``work`` is about ``budget`` each (and, given the
    non-decreasing bucket ``span`` of each position, inside one bucket)."""
    if len(work) == 0:
        return []
    block_of = np.cumsum(work) // max(budget, 1)
    cut = block_of[1:] != block_of[:-1]
    if span is not None:
        cut |= span[1:] != span[:-1]
    starts = np.flatnonzero(np.r_[True, cut])
    return list(zip(starts.tolist(), np.r_[starts[1:], len(work)].tolist()))


def compute_disruption(papers: pd.DataFrame, citations: pd.DataFrame | None, *, window: int = 5,
                       scope: str = DEFAULT_SCOPE, block_work: int = _BLOCK_WORK) -> pd.DataFrame:
    """CD index (CD5 by default) of every paper in ``scope`` with references and citers in the window.

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, year`` (``publication_date``, ``title``, ``in_field``, ``is_seed`` when present).
    citations : DataFrame
        ``citing_id, cited_id`` (the whole corpus).
    window : int
        Years after publication in which citing papers are counted (CD5: 5).
    scope : {"field", "seeds", "all"}
        Which papers get a CD (the citers and references always come from the whole corpus).
    block_work : int
        Memory bound: multiply-adds per block of focal papers in the sparse product.

    Returns
    -------
    DataFrame
        ``paper_id, title, year, window, window_complete`` (the corpus reaches the end of the
        window), ``n_references`` (in the corpus), ``n_i, n_j, n_k`` (module docstring), ``cd``,
        ``mcd``; one row per paper with ``n_i + n_j + n_k > 0``, by ``cd`` descending, then citers
        in the window descending, then id. Empty with ``attrs["skipped"]`` without citations.

    Notes
    -----
    Sparse, in one product per block of focal papers of about the same time. With ``A`` the citing x
    cited matrix, ``M`` the block's references (``M[r, f] = 1`` when ``f`` cites ``r``) plus
    ``W = max references + 1`` at ``M[f, f]``, and the citing papers in time order, row ``i`` of
    ``A @ M`` holds, for each focal ``f``, the references of ``f`` that ``i`` cites plus ``W`` when
    ``i`` cites ``f``: ``n_i`` counts the values equal to ``W`` and ``n_j + n_k`` the others. Only
    the rows of papers inside some window of the block are multiplied (the window of each non-zero
    is then checked exactly), and ``n_i + n_j`` are the citers of ``f`` in its window.

    References
    ----------
    Funk & Owen-Smith (2017), *Management Science* 63(3); Park, Leahey & Funk (2023), *Nature* 613.

    Examples
    --------
    ``f`` (2015) cites ``r``; ``a`` cites ``f`` alone, ``b`` cites ``f`` and ``r``, ``c`` cites
    ``r`` alone; ``d`` cites ``f`` too late for ``f``'s window. ``a`` and ``b`` cite ``f`` and are only
    followed by papers citing ``f`` (their reference), never by their own citers:

    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": list("rfabcd"), "year": [2010, 2015, 2016, 2017, 2018, 2021]})
    >>> c = pd.DataFrame({"citing_id": list("fabbcd"), "cited_id": list("rffrrf")})
    >>> cd = compute_disruption(p, c, scope="all")
    >>> cd[["paper_id", "n_i", "n_j", "n_k", "cd"]].values.tolist()
    [['f', 1, 1, 1, 0.0], ['a', 0, 0, 2, 0.0], ['b', 0, 0, 2, 0.0]]
    """
    require(papers, ["paper_id"], "papers")
    check_scope(scope)
    _check_window(window)
    if citations is None or len(citations) == 0:
        return skipped(CD_COLUMNS, NO_CITATIONS)
    return _disruption_of(CitationData(papers, citations), window=window, scope=scope, block_work=block_work)


def _check_window(window) -> None:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise DataError(f"window must be a whole number of years >= 1, got {window!r}")


def _disruption_of(data: CitationData, *, window: int = 5, scope: str = DEFAULT_SCOPE,
                   block_work: int = _BLOCK_WORK) -> pd.DataFrame:
    """:func:`compute_disruption` of a corpus already coded (:class:`._citing.CitationData`)."""
    check_scope(scope)
    _check_window(window)
    if data.A is None:
        return skipped(CD_COLUMNS, NO_CITATIONS)
    A, t, n = data.A, data.day, data.n
    n_refs = np.diff(A.indptr).astype(np.int64)
    focal = np.flatnonzero(data.in_scope(scope) & (t != NO_TIME) & (n_refs > 0))
    if len(focal) == 0:
        return skipped(CD_COLUMNS, "no paper in scope with a publication year and references in the corpus")
    start = pd.to_datetime(t[focal].astype("datetime64[D]"))
    end = (start + pd.DateOffset(years=int(window))).to_numpy().astype("datetime64[D]").astype(np.int64)
    # positions in time order: the papers inside the window of f are the range lo[f] <= rank < hi[f]
    order = np.argsort(t, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    t_sorted = t[order]
    lo = np.searchsorted(t_sorted, t[focal], side="right")
    hi = np.searchsorted(t_sorted, end, side="right")
    # n_i + n_j: the citers of each focal paper inside its window
    k_of = np.full(n, -1, dtype=np.int64)
    k_of[focal] = np.arange(len(focal))
    citing, cited = data.edges
    k = k_of[cited]
    hit = k >= 0
    k, r = k[hit], rank[citing[hit]]
    cites = np.bincount(k[(r >= lo[k]) & (r < hi[k])], minlength=len(focal))
    # n_i + n_j + n_k and n_i, block by block of focal papers in time order
    total = np.zeros(len(focal), dtype=np.int64)
    alone = np.zeros(len(focal), dtype=np.int64)
    by_time = np.argsort(t[focal], kind="stable")
    indeg = np.bincount(cited, minlength=n)
    work = (A[focal[by_time]] @ indeg + indeg[focal[by_time]]).astype(np.int64)
    span = (t[focal[by_time]] - t[focal[by_time[0]]]) // max(int(365.25 * window * _SPAN_SHARE), 1)
    blocks = _blocks(work, block_work, span)
    A_time = sp.csr_matrix((A.data.astype(np.int32), A.indices, A.indptr), shape=A.shape)[order]
    with log.progress("disruption (CD index)", len(focal)) if len(blocks) > 1 else _no_bar() as advance:
        for a, b in blocks:
            ks = by_time[a:b]  # focal indices of the block
            r0, r1 = int(lo[ks].min()), int(hi[ks].max())
            if r1 > r0:
                total[ks], alone[ks] = _block_counts(A, A_time, focal[ks], n_refs, lo[ks] - r0, hi[ks] - r0, r0, r1)
            advance(b - a)
    n_i = alone
    n_j = cites - alone
    n_k = total - cites
    keep = total > 0
    if not keep.any():
        return skipped(CD_COLUMNS, f"no paper in scope is cited, nor are its references, within {window} years")
    pos = focal[keep]
    last = t[t != NO_TIME].max()
    with np.errstate(invalid="ignore", divide="ignore"):
        cd = (n_i - n_j)[keep] / total[keep]
    out = pd.DataFrame({
        "paper_id": data.index[pos].astype(str).to_numpy(dtype=object),
        "title": data.titles[pos],
        "year": pd.array(data.year[pos], dtype="Int64"),
        "window": int(window),
        "window_complete": end[keep] <= last,
        "n_references": n_refs[pos],
        "n_i": n_i[keep], "n_j": n_j[keep], "n_k": n_k[keep],
        "cd": cd.astype(float),
        "mcd": (cd * (n_i + n_j)[keep]).astype(float),
    })
    out["_citers"] = out["n_i"] + out["n_j"]
    out = out.sort_values(["cd", "_citers", "paper_id"], ascending=[False, False, True], na_position="last")
    return out.drop(columns="_citers").reset_index(drop=True)[CD_COLUMNS]


def _block_counts(A: sp.csr_matrix, A_time: sp.csr_matrix, focal: np.ndarray, n_refs: np.ndarray,
                  lo: np.ndarray, hi: np.ndarray, r0: int, r1: int) -> tuple[np.ndarray, np.ndarray]:
    """``(n_i + n_j + n_k, n_i)`` of the focal papers of one block (``lo``, ``hi``: their windows in
    the time-ordered rows ``r0:r1`` of ``A_time``)."""
    m = len(focal)
    W = int(n_refs[focal].max()) + 1
    refs = A[focal]
    rows = np.r_[refs.indices, focal]
    cols = np.r_[np.repeat(np.arange(m), np.diff(refs.indptr)), np.arange(m)]
    vals = np.r_[np.ones(refs.nnz, dtype=np.int64), np.full(m, W, dtype=np.int64)]
    dtype = np.int32 if 2 * W < np.iinfo(np.int32).max else np.int64
    M = sp.csr_matrix((vals.astype(dtype), (rows, cols)), shape=(A.shape[1], m))
    Q = A_time[r0:r1] @ M  # [i, f]: references of f that i cites, + W when i cites f
    # rows c0:c1 lie in the window of every focal paper of the block: no check needed there
    c0, c1 = int(lo.max()), int(hi.min())
    if c1 <= c0:
        c0 = c1 = 0
    ip = Q.indptr
    k, q = Q.indices[ip[c0]:ip[c1]], Q.data[ip[c0]:ip[c1]]
    total = np.bincount(k, minlength=m)
    alone = np.bincount(k[q == W], minlength=m)
    for a, b in ((0, c0), (c1, r1 - r0)):
        if b > a:
            row = np.repeat(np.arange(a, b), np.diff(ip[a:b + 1]))
            k, q = Q.indices[ip[a]:ip[b]], Q.data[ip[a]:ip[b]]
            inside = (row >= lo[k]) & (row < hi[k])
            k, q = k[inside], q[inside]
            total += np.bincount(k, minlength=m)
            alone += np.bincount(k[q == W], minlength=m)
    return total, alone


def _no_bar():
    """What :func:`medvlm_graph.log.progress` yields, without a bar (a single block)."""
    return contextlib.nullcontext(lambda n=1: None)
