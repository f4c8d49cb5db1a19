"""Kleinberg bursts: known intervals, weights by formula, Viterbi checked against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from medvlm_graph.analysis import compute_bursts, compute_citation_bursts, kleinberg_bursts, kleinberg_states
from medvlm_graph.errors import DataError


def cost(r, d, p):
    """-ln binomial likelihood, written independently of the module."""
    return -(math.log(math.comb(d, r)) + r * math.log(p) + (d - r) * math.log(1 - p))


def brute_force(r, d, s, gamma, n_states):
    n = len(r)
    p0 = sum(r) / sum(d)
    ps = [min(p0 * s**i, 0.9999) for i in range(n_states)]
    best = None
    for seq in itertools.product(range(n_states), repeat=n):
        c, prev = 0.0, 0
        for t, q in enumerate(seq):
            c += max(q - prev, 0) * gamma * math.log(n) + cost(r[t], d[t], ps[q])
            prev = q
        if best is None or c < best[0] - 1e-12:
            best = (c, seq)
    return list(best[1])


TWO = ([1, 1, 8, 8, 1, 1], [10] * 6)
MULTI = ([1, 1, 8, 18, 8, 1, 1, 1], [20] * 8)


def test_two_state_interval_and_weight():
    r, d = TWO
    assert kleinberg_states(r, d).tolist() == [0, 0, 1, 1, 0, 0] == brute_force(r, d, 2.0, 1.0, 2)
    b = kleinberg_bursts(range(2018, 2024), r, d)
    assert b[["start_year", "end_year", "level"]].values.tolist() == [[2020, 2021, 1]]
    # p0 = 1/3, p1 = 2/3: each burst year gains 8 ln 2 + 2 ln(1/2) = 6 ln 2
    assert b["weight"].iloc[0] == pytest.approx(12 * math.log(2))


def test_multi_state_nested_levels():
    r, d = MULTI
    assert kleinberg_states(r, d, n_states=2).tolist() == [0, 0, 1, 1, 1, 0, 0, 0]
    states = kleinberg_states(r, d, n_states=3).tolist()
    assert states == [0, 0, 1, 2, 1, 0, 0, 0] == brute_force(r, d, 2.0, 1.0, 3)
    b = kleinberg_bursts(range(2016, 2024), r, d, n_states=3)
    assert b[["start_year", "end_year", "level"]].values.tolist() == [[2018, 2020, 1], [2019, 2019, 2]]
    p0 = sum(r) / sum(d)
    p = [p0, 2 * p0, 4 * p0]
    w1 = sum(cost(r[t], 20, p[0]) - cost(r[t], 20, p[1]) for t in (2, 3, 4))
    w2 = cost(r[3], 20, p[1]) - cost(r[3], 20, p[2])
    assert b["weight"].tolist() == pytest.approx([w1, w2])


def test_gamma_suppresses_bursts():
    r, d = TWO
    assert not kleinberg_states(r, d, gamma=20.0).any()


def test_brute_force_agreement_on_varied_series():
    rng = np.random.default_rng(0)
    for _ in range(5):
        d = rng.integers(5, 15, size=6).tolist()
        r = [int(rng.integers(0, x + 1)) for x in d]
        if sum(r) == 0:
            continue
        assert kleinberg_states(r, d, s=2.5, gamma=0.5, n_states=3).tolist() == brute_force(r, d, 2.5, 0.5, 3)


def test_degenerate_inputs():
    assert kleinberg_states([], []).tolist() == []
    assert kleinberg_states([3], [5]).tolist() == [0]
    assert kleinberg_states([0, 0, 0], [4, 4, 4]).tolist() == [0, 0, 0]
    assert kleinberg_bursts([2020], [3], [5]).empty
    with pytest.raises(DataError):
        kleinberg_states([5], [3])
    with pytest.raises(DataError):
        kleinberg_states([1, 2], [3, 3], s=1.0)
    with pytest.raises(DataError):
        kleinberg_bursts([2020, 2022], [1, 2], [3, 3])


def test_compute_bursts_on_trends():
    r, d = TWO
    trends = pd.DataFrame({"dimension": "task", "label": "vqa", "year": range(2018, 2024), "count": r,
                           "n_year": d, "share": 0.0})
    other = trends.assign(label="segmentation", count=[1] * 6)
    b = compute_bursts(pd.concat([trends, other]))
    assert b[["dimension", "label", "start_year", "end_year", "level"]].values.tolist() == [
        ["task", "vqa", 2020, 2021, 1]]
    one = compute_bursts(trends.iloc[:1])
    assert one.empty and one.attrs["skipped"] == "bursts need at least two years of data"
    empty = compute_bursts(trends.iloc[0:0])
    assert empty.empty and empty.attrs["skipped"]


def test_citation_bursts():
    # Paper "hot" receives 8 of 10 citations made in 2020 and 2021, 1 of 10 in the other years.
    years = range(2018, 2024)
    hot = [1, 1, 8, 8, 1, 1]
    papers, cites = [], []
    for y, h in zip(years, hot):
        for i in range(10):
            pid = f"c{y}_{i}"
            papers.append((pid, y))
            cites.append((pid, "hot" if i < h else "cold"))
    papers = pd.DataFrame(papers + [("hot", 2017), ("cold", 2017)], columns=["paper_id", "year"])
    cites = pd.DataFrame(cites, columns=["citing_id", "cited_id"])
    b = compute_citation_bursts(papers, cites)
    assert b[["paper_id", "start_year", "end_year", "level"]].values.tolist() == [["hot", 2020, 2021, 1]]
    assert b["weight"].iloc[0] == pytest.approx(12 * math.log(2))
    none = compute_citation_bursts(papers, cites.iloc[0:0])
    assert none.empty and "needs S2 data" in none.attrs["skipped"]
