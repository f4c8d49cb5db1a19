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

from .. import log
from ..errors import DataError
from ._citing import citation_matrix, paper_days, scope_ids
from ._frames import paper_titles, paper_years, require, skipped
from .runs import NO_CITATIONS
from .scope import DEFAULT_SCOPE, check_scope

CD_COLUMNS = ["paper_id", "title", "year", "window", "window_complete", "n_references", "n_i", "n_j", "n_k",
              "cd", "mcd"]
# Scalar multiply-adds per block of focal papers (bounds the memory of one block's product).
_BLOCK_WORK = 20_000_000
_NO_TIME = np.iinfo(np.int64).max


def _blocks(work: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive ranges of positions whose summed ``work`` is about ``budget`` each."""
    if len(work) == 0:
        return []
    block_of = np.cumsum(work) // max(budget, 1)
    starts = np.flatnonzero(np.r_[True, block_of[1:] != block_of[:-1]])
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
    Sparse: with ``A`` the citing x cited matrix, the citers of a block of focal papers' references
    are the non-zeros of ``A[block] @ A.T`` and their own citers the rows ``A.T[block]``; the time
    window is applied to the non-zeros, and blocks bound the memory.

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
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise DataError(f"window must be a whole number of years >= 1, got {window!r}")
    if citations is None or len(citations) == 0:
        return skipped(CD_COLUMNS, NO_CITATIONS)
    A, index = citation_matrix(papers, citations)
    n = len(index)
    days = paper_days(papers)
    t = np.full(n, _NO_TIME, dtype=np.int64)
    pos = index.get_indexer(pd.Index(days.index, dtype="string"))
    t[pos] = days.to_numpy().astype("datetime64[D]").astype(np.int64)  # days since 1970
    n_refs = np.diff(A.indptr)
    focal = index.get_indexer(scope_ids(papers, scope))
    focal = np.sort(focal[focal >= 0])
    focal = focal[(t[focal] != _NO_TIME) & (n_refs[focal] > 0)]
    if len(focal) == 0:
        return skipped(CD_COLUMNS, "no paper in scope with a publication year and references in the corpus")
    start = pd.to_datetime(t[focal].astype("datetime64[D]"))
    end = (start + pd.DateOffset(years=int(window))).to_numpy().astype("datetime64[D]").astype(np.int64)
    AT = A.T.tocsr()  # cited x citing: row f lists the citers of f
    indeg = np.diff(AT.indptr).astype(np.int64)
    counts = np.zeros((len(focal), 4), dtype=np.int64)  # by code: 1 refs only, 2 focal only, 3 both
    blocks = _blocks(A[focal] @ indeg + indeg[focal], block_work)
    with log.progress("disruption (CD index)", len(focal)) if len(blocks) > 1 else _no_bar() as advance:
        for lo, hi in blocks:
            rows = focal[lo:hi]
            P = (A[rows] @ AT).tocsr()  # [f, i]: how many references of f paper i cites
            P.data[:] = 1
            S = (P + 2 * AT[rows]).tocoo()
            r, i, code = S.row, S.col, S.data.astype(np.int64)
            inside = (t[i] > t[rows][r]) & (t[i] <= end[lo:hi][r])
            counts[lo:hi] = np.bincount(r[inside] * 4 + code[inside], minlength=(hi - lo) * 4).reshape(-1, 4)
            advance(hi - lo)
    n_k, n_i, n_j = counts[:, 1], counts[:, 2], counts[:, 3]
    total = n_i + n_j + n_k
    keep = total > 0
    if not keep.any():
        return skipped(CD_COLUMNS, f"no paper in scope is cited, nor are its references, within {window} years")
    ids = index[focal[keep]].astype(str)
    years = paper_years(papers)
    titles = paper_titles(papers)
    last = t[t != _NO_TIME].max()
    with np.errstate(invalid="ignore", divide="ignore"):
        cd = (n_i - n_j)[keep] / total[keep]
    out = pd.DataFrame({
        "paper_id": ids.to_numpy(dtype=object),
        "title": [titles.get(p) for p in ids],
        "year": pd.array([years.get(p) for p in ids], dtype="Int64"),
        "window": int(window),
        "window_complete": end[keep] <= last,
        "n_references": n_refs[focal[keep]].astype(np.int64),
        "n_i": n_i[keep], "n_j": n_j[keep], "n_k": n_k[keep],
        "cd": cd.astype(float),
        "mcd": (cd * (n_i + n_j)[keep]).astype(float),
    })
    out["_citers"] = out["n_i"] + out["n_j"]
    out = out.sort_values(["cd", "_citers", "paper_id"], ascending=[False, False, True], na_position="last")
    return out.drop(columns="_citers").reset_index(drop=True)[CD_COLUMNS]


def _no_bar():
    """What :func:`medvlm_graph.log.progress` yields, without a bar (a single block)."""
    return contextlib.nullcontext(lambda n=1: None)
