"""Kleinberg burst detection on yearly counts (the batched, "enumerated" model).

Definition (Kleinberg 2003, section 4; the variant CiteSpace applies to yearly counts): year ``t``
brings ``d_t`` events of which ``r_t`` are relevant (papers with a label among the year's labelled
papers, or citations to one paper among all in-corpus citations). A hidden automaton has states
``0 .. n_states-1``; state ``i`` emits relevant events with probability
``p_i = min(p_0 * s**i, 0.9999)`` where ``p_0 = sum(r) / sum(d)`` is the base rate. The cost of
year ``t`` in state ``i`` is ``sigma_i(t) = -ln[binom(d_t, r_t) p_i**r_t (1-p_i)**(d_t-r_t)]``;
moving up from state ``i`` to ``j > i`` costs ``(j - i) * gamma * ln(n)`` (``n`` = number of
years), moving down is free. The state sequence of least total cost (Viterbi, starting in state 0)
is the burst structure.

A burst of level ``k`` is a maximal run of years in state ``>= k`` (bursts nest: a level-2 burst
lies inside a level-1 burst). Its weight is ``sum_t [sigma_{k-1}(t) - sigma_k(t)]`` over the run,
i.e. how much better the higher state explains those years (Kleinberg's burst weight).

Parameters everywhere: ``s`` (rate ratio between states, > 1), ``gamma`` (cost of going up; larger
means fewer, stronger bursts), ``n_states`` (2 = two-state model; more = nested levels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import binom

from ..errors import DataError
from ._frames import frame, paper_years, require, skipped

BURST_COLUMNS = ["dimension", "label", "start_year", "end_year", "level", "weight"]
CITATION_BURST_COLUMNS = ["paper_id", "start_year", "end_year", "level", "weight"]
P_MAX = 0.9999


def _check(s: float, gamma: float, n_states: int) -> None:
    if not s > 1:
        raise DataError(f"burst parameter s must be > 1, got {s}")
    if gamma < 0:
        raise DataError(f"burst parameter gamma must be >= 0, got {gamma}")
    if int(n_states) < 2:
        raise DataError(f"n_states must be at least 2, got {n_states}")


def burst_costs(r: Sequence[int], d: Sequence[int], *, s: float = 2.0, n_states: int = 2) -> np.ndarray:
    """``sigma[i, t]``: cost of year ``t`` in state ``i`` (array of shape ``(n_states, n)``).

    Examples
    --------
    >>> c = burst_costs([1, 8], [10, 10])  # base rate 9/20; the burst state emits at twice that rate
    >>> c.shape, c.argmin(axis=0).tolist()  # the cheaper state of each year
    ((2, 2), [0, 1])
    """
    return _costs(np.asarray(r, dtype=float)[None, :], np.asarray(d, dtype=float)[None, :], s, n_states)[0]


def _costs(R: np.ndarray, D: np.ndarray, s: float, n_states: int) -> np.ndarray:
    """Costs of many series at once: ``R, D`` of shape ``(P, T)`` -> ``(P, n_states, T)``."""
    tot = D.sum(axis=1)
    p0 = np.divide(R.sum(axis=1), tot, out=np.zeros(len(R)), where=tot > 0)
    p = np.minimum(p0[:, None] * s ** np.arange(n_states)[None, :], P_MAX)
    return -binom.logpmf(R[:, None, :], D[:, None, :], p[:, :, None])


def _viterbi(cost: np.ndarray, up: float) -> np.ndarray:
    """Least-cost state paths for costs ``(P, S, T)``, starting in state 0; ties go to the lower state."""
    P, S, T = cost.shape
    k = np.arange(S)
    trans = np.maximum(k[None, :] - k[:, None], 0) * up  # trans[i, j]: from i to j
    total = cost[:, :, 0] + trans[0][None, :]
    back = np.zeros((P, T, S), dtype=int)
    for t in range(1, T):
        cand = total[:, :, None] + trans[None, :, :]  # (P, i, j)
        back[:, t, :] = np.argmin(cand, axis=1)
        total = np.take_along_axis(cand, back[:, t, :][:, None, :], axis=1)[:, 0, :] + cost[:, :, t]
    states = np.zeros((P, T), dtype=int)
    states[:, -1] = np.argmin(total, axis=1)
    rows = np.arange(P)
    for t in range(T - 1, 0, -1):
        states[:, t - 1] = back[rows, t, states[:, t]]
    return states


def _states_many(R, D, s: float, gamma: float, n_states: int) -> tuple[np.ndarray, np.ndarray]:
    R = np.asarray(R, dtype=float)
    D = np.broadcast_to(np.asarray(D, dtype=float), R.shape)
    if (R < 0).any() or (R > D).any():
        raise DataError("burst input needs 0 <= r_t <= d_t for every year")
    T = R.shape[1]
    if T < 2:
        return np.zeros(R.shape, dtype=int), np.zeros((R.shape[0], n_states, T))
    cost = _costs(R, D, s, n_states)
    states = _viterbi(cost, gamma * math.log(T))
    states[R.sum(axis=1) == 0] = 0
    return states, cost


def kleinberg_states(r: Sequence[int], d: Sequence[int], *, s: float = 2.0, gamma: float = 1.0,
                     n_states: int = 2) -> np.ndarray:
    """Least-cost state of each year (0 = base rate) under the batched Kleinberg model.

    Parameters
    ----------
    r, d : sequences of int
        Relevant and total events per consecutive year (``0 <= r_t <= d_t``).
    s, gamma, n_states : see the module docstring.

    Returns
    -------
    ndarray of int
        All zeros when there is no relevant event or fewer than two years.

    References
    ----------
    .. [1] Kleinberg, J. (2002). Bursty and hierarchical structure in streams. *Proceedings of the 8th
       ACM SIGKDD International Conference on Knowledge Discovery and Data Mining*, 91-101.
       https://doi.org/10.1145/775047.775061
    .. [2] Kleinberg, J. (2003). Bursty and hierarchical structure in streams. *Data Mining and
       Knowledge Discovery*, 7(4), 373-397. https://doi.org/10.1023/A:1024940629314

    Examples
    --------
    >>> kleinberg_states([1, 1, 8, 8, 1, 1], [10] * 6).tolist()
    [0, 0, 1, 1, 0, 0]
    """
    _check(s, gamma, n_states)
    r = np.asarray(r, dtype=float)
    d = np.asarray(d, dtype=float)
    if r.shape != d.shape:
        raise DataError("burst input needs as many totals d_t as counts r_t")
    if len(r) == 0:
        return np.zeros(0, dtype=int)
    return _states_many(r[None, :], d[None, :], s, gamma, n_states)[0][0]


def _runs(years: list[int], states: np.ndarray, cost: np.ndarray) -> list[tuple[int, int, int, float]]:
    rows = []
    for level in range(1, int(states.max()) + 1):
        on = states >= level
        t = 0
        while t < len(on):
            if not on[t]:
                t += 1
                continue
            u = t
            while u + 1 < len(on) and on[u + 1]:
                u += 1
            w = float((cost[level - 1, t:u + 1] - cost[level, t:u + 1]).sum())
            rows.append((years[t], years[u], level, w))
            t = u + 1
    return sorted(rows, key=lambda x: (x[0], x[2]))


def _many_bursts(years, R, D, keys, s, gamma, n_states) -> list[tuple]:
    """Bursts of many series sharing ``years``: rows ``(*key, start, end, level, weight)``."""
    years = [int(y) for y in years]
    if any(b - a != 1 for a, b in zip(years, years[1:])):
        raise DataError("burst years must be consecutive")
    if len(R) == 0:
        return []
    states, cost = _states_many(R, D, s, gamma, n_states)
    out = []
    for i in np.flatnonzero(states.any(axis=1)):
        out += [(*keys[i], *row) for row in _runs(years, states[i], cost[i])]
    return out


def kleinberg_bursts(years: Sequence[int], r: Sequence[int], d: Sequence[int], *, s: float = 2.0,
                     gamma: float = 1.0, n_states: int = 2) -> pd.DataFrame:
    """Bursts of one yearly series: ``start_year, end_year, level, weight``.

    ``years`` must be consecutive. See the module docstring for the definition of level and weight.

    See Also
    --------
    kleinberg_states : the model and its references.

    Examples
    --------
    >>> b = kleinberg_bursts(range(2018, 2024), [1, 1, 8, 8, 1, 1], [10] * 6)
    >>> b[["start_year", "end_year", "level"]].values.tolist()
    [[2020, 2021, 1]]
    """
    _check(s, gamma, n_states)
    cols = ["start_year", "end_year", "level", "weight"]
    r = np.asarray(r, dtype=float)
    d = np.asarray(d, dtype=float)
    if r.shape != d.shape or len(r) != len(list(years)):
        raise DataError("burst input needs one count and one total per year")
    rows = _many_bursts(list(years), r[None, :], d[None, :], [()], s, gamma, n_states)
    return frame(cols, rows)


def compute_bursts(trends: pd.DataFrame, *, s: float = 2.0, gamma: float = 1.0, n_states: int = 2,
                   min_total: int = 1) -> pd.DataFrame:
    """Bursts of label usage: for each label, ``r_t`` = its ``count`` and ``d_t`` = ``n_year``.

    Parameters
    ----------
    trends : DataFrame
        Output of :func:`~medvlm_graph.analysis.compute_trends` (complete yearly series).
    s, gamma, n_states : see the module docstring (defaults: two states, s=2, gamma=1).
    min_total : int
        Labels with fewer papers in total are not analysed.

    Returns
    -------
    DataFrame
        ``dimension, label, start_year, end_year, level, weight``; empty with ``attrs["skipped"]``
        when the series are shorter than two years.

    References
    ----------
    .. [1] Kleinberg, J. (2002). Bursty and hierarchical structure in streams. *Proc. 8th ACM SIGKDD*, 91-101.

    Examples
    --------
    >>> import pandas as pd
    >>> trends = pd.DataFrame({"dimension": "task", "label": "vqa", "year": range(2018, 2024),
    ...                        "count": [1, 1, 8, 8, 1, 1], "n_year": 10})
    >>> compute_bursts(trends)[["label", "start_year", "end_year", "level"]].values.tolist()
    [['vqa', 2020, 2021, 1]]
    """
    _check(s, gamma, n_states)
    require(trends, ["dimension", "label", "year", "count", "n_year"], "trends")
    if trends.empty:
        return skipped(BURST_COLUMNS, trends.attrs.get("skipped") or "no trend rows")
    if trends["year"].nunique() < 2:
        return skipped(BURST_COLUMNS, "bursts need at least two years of data")
    rows = []
    for dim, g in trends.groupby("dimension", sort=True):
        years = list(range(int(g["year"].min()), int(g["year"].max()) + 1))
        R = g.pivot_table(index="label", columns="year", values="count", aggfunc="sum", fill_value=0)
        D = g.pivot_table(index="label", columns="year", values="n_year", aggfunc="max", fill_value=0)
        R, D = R.reindex(columns=years, fill_value=0), D.reindex(index=R.index, columns=years, fill_value=0)
        keep = R.sum(axis=1) >= min_total
        R, D = R[keep], D[keep]
        rows += _many_bursts(years, R.to_numpy(), D.to_numpy(), [(dim, lab) for lab in R.index], s, gamma,
                             n_states)
    return frame(BURST_COLUMNS, rows)


def compute_citation_bursts(papers: pd.DataFrame, citations: pd.DataFrame, *, s: float = 2.0,
                            gamma: float = 1.0, n_states: int = 2, min_citations: int = 3) -> pd.DataFrame:
    """Citation bursts of papers (CiteSpace's "references with the strongest citation bursts").

    For a cited paper, ``r_t`` = in-corpus citations it receives from papers published in year ``t``
    and ``d_t`` = all in-corpus citations made by papers of year ``t``.

    Returns
    -------
    DataFrame
        ``paper_id, start_year, end_year, level, weight``; empty with ``attrs["skipped"]`` when there
        are no citations between papers with known years.

    References
    ----------
    .. [1] Kleinberg, J. (2002). Bursty and hierarchical structure in streams. *Proc. 8th ACM SIGKDD*, 91-101.
    .. [2] Chen, C. (2006). CiteSpace II: Detecting and visualizing emerging trends and transient
       patterns in scientific literature. *JASIST*, 57(3), 359-377. https://doi.org/10.1002/asi.20317

    Examples
    --------
    Ten papers a year from 2018 to 2023; those citing ``a`` are 1, 1, 8, 8, 1, 1 of them (the rest cite ``x``):

    >>> import pandas as pd
    >>> rows = [(f"{y}-{i}", y, "a" if i < n else "x")
    ...         for y, n in zip(range(2018, 2024), [1, 1, 8, 8, 1, 1]) for i in range(10)]
    >>> papers = pd.DataFrame([(p, y) for p, y, _ in rows], columns=["paper_id", "year"])
    >>> citations = pd.DataFrame([(p, c) for p, _, c in rows], columns=["citing_id", "cited_id"])
    >>> compute_citation_bursts(papers, citations)[["paper_id", "start_year", "end_year", "level"]].values.tolist()
    [['a', 2020, 2021, 1]]
    """
    _check(s, gamma, n_states)
    require(citations, ["citing_id", "cited_id"], "citations")
    years = paper_years(papers)
    c = citations[["citing_id", "cited_id"]].dropna().astype(str)
    # Distinct (citing, cited) pairs whose citing paper has a year, as integer codes: the pandas
    # drop_duplicates / map / groupby of the same pairs cost a Python string per row.
    ci = years.index.get_indexer(c["citing_id"])
    has_year = ci >= 0
    cj, cited = pd.factorize(c["cited_id"][has_year])
    cited = np.asarray(cited, dtype=object)
    pair = np.sort(ci[has_year].astype(np.int64) * max(len(cited), 1) + cj)
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair
    ci, cj = pair // max(len(cited), 1), pair % max(len(cited), 1)
    year = years.to_numpy()[ci].astype(int)
    if len(pair) == 0:
        return skipped(CITATION_BURST_COLUMNS, "no citations between papers with a year (needs S2 data)")
    span = np.arange(year.min(), year.max() + 1)
    if len(span) < 2:
        return skipped(CITATION_BURST_COLUMNS, "citation bursts need citing papers from at least two years")
    t = year - span[0]
    d = np.bincount(t, minlength=len(span))
    counts = np.bincount(cj * len(span) + t, minlength=len(cited) * len(span)).reshape(len(cited), len(span))
    kept = np.flatnonzero(counts.sum(axis=1) >= min_citations)
    kept = kept[np.argsort(cited[kept], kind="stable")]  # by paper id, as sort_index
    ids = cited[kept]
    rows = _many_bursts(list(span), counts[kept], d[None, :], [(pid,) for pid in ids], s, gamma,
                        n_states)
    return frame(CITATION_BURST_COLUMNS, rows)
