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
    """``sigma[i, t]``: cost of year ``t`` in state ``i`` (array of shape ``(n_states, n)``)."""
    r = np.asarray(r, dtype=float)
    d = np.asarray(d, dtype=float)
    p0 = r.sum() / d.sum()
    p = np.minimum(p0 * s ** np.arange(n_states), P_MAX)
    return -binom.logpmf(r[None, :], d[None, :], p[:, None])


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

    Examples
    --------
    >>> kleinberg_states([1, 1, 8, 8, 1, 1], [10] * 6).tolist()
    [0, 0, 1, 1, 0, 0]
    """
    _check(s, gamma, n_states)
    r = np.asarray(r, dtype=float)
    d = np.asarray(d, dtype=float)
    if r.shape != d.shape or (r < 0).any() or (r > d).any():
        raise DataError("burst input needs 0 <= r_t <= d_t for every year")
    n = len(r)
    if n < 2 or r.sum() == 0:
        return np.zeros(n, dtype=int)
    cost = burst_costs(r, d, s=s, n_states=n_states)
    up = gamma * math.log(n)
    k = np.arange(n_states)
    trans = np.maximum(k[None, :] - k[:, None], 0) * up  # trans[i, j]: from i to j
    total = cost[:, 0] + trans[0]
    back = np.zeros((n, n_states), dtype=int)
    for t in range(1, n):
        cand = total[:, None] + trans  # cand[i, j]
        back[t] = np.argmin(cand, axis=0)  # ties go to the lower state
        total = cand[back[t], k] + cost[:, t]
    states = np.zeros(n, dtype=int)
    states[-1] = int(np.argmin(total))
    for t in range(n - 1, 0, -1):
        states[t - 1] = back[t, states[t]]
    return states


def kleinberg_bursts(years: Sequence[int], r: Sequence[int], d: Sequence[int], *, s: float = 2.0,
                     gamma: float = 1.0, n_states: int = 2) -> pd.DataFrame:
    """Bursts of one yearly series: ``start_year, end_year, level, weight``.

    ``years`` must be consecutive. See the module docstring for the definition of level and weight.

    Examples
    --------
    >>> b = kleinberg_bursts(range(2018, 2024), [1, 1, 8, 8, 1, 1], [10] * 6)
    >>> b[["start_year", "end_year", "level"]].values.tolist()
    [[2020, 2021, 1]]
    """
    cols = ["start_year", "end_year", "level", "weight"]
    years = [int(y) for y in years]
    if any(b - a != 1 for a, b in zip(years, years[1:])):
        raise DataError("burst years must be consecutive")
    states = kleinberg_states(r, d, s=s, gamma=gamma, n_states=n_states)
    if not states.any():
        return frame(cols)
    cost = burst_costs(r, d, s=s, n_states=n_states)
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
    return frame(cols, rows).sort_values(["start_year", "level"]).reset_index(drop=True)


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
    """
    _check(s, gamma, n_states)
    require(trends, ["dimension", "label", "year", "count", "n_year"], "trends")
    if trends.empty:
        return skipped(BURST_COLUMNS, trends.attrs.get("skipped") or "no trend rows")
    if trends["year"].nunique() < 2:
        return skipped(BURST_COLUMNS, "bursts need at least two years of data")
    parts = []
    for (dim, label), g in trends.groupby(["dimension", "label"], sort=True):
        g = g.sort_values("year")
        if g["count"].sum() < min_total or len(g) < 2:
            continue
        b = kleinberg_bursts(g["year"], g["count"], g["n_year"], s=s, gamma=gamma, n_states=n_states)
        if not b.empty:
            parts.append(b.assign(dimension=dim, label=label))
    if not parts:
        return frame(BURST_COLUMNS)
    return pd.concat(parts, ignore_index=True)[BURST_COLUMNS]


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
    """
    _check(s, gamma, n_states)
    require(citations, ["citing_id", "cited_id"], "citations")
    years = paper_years(papers)
    c = citations[["citing_id", "cited_id"]].dropna().astype(str).drop_duplicates()
    c = c.assign(year=c["citing_id"].map(years)).dropna(subset=["year"])
    if c.empty:
        return skipped(CITATION_BURST_COLUMNS, "no citations between papers with a year (needs S2 data)")
    c["year"] = c["year"].astype(int)
    span = np.arange(c["year"].min(), c["year"].max() + 1)
    if len(span) < 2:
        return skipped(CITATION_BURST_COLUMNS, "citation bursts need citing papers from at least two years")
    d = c.groupby("year").size().reindex(span, fill_value=0).to_numpy()
    counts = c.groupby(["cited_id", "year"]).size().unstack(fill_value=0).reindex(columns=span, fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_citations].sort_index()
    parts = []
    for pid, row in counts.iterrows():
        b = kleinberg_bursts(span, row.to_numpy(), d, s=s, gamma=gamma, n_states=n_states)
        if not b.empty:
            parts.append(b.assign(paper_id=pid))
    if not parts:
        return frame(CITATION_BURST_COLUMNS)
    return pd.concat(parts, ignore_index=True)[CITATION_BURST_COLUMNS]
