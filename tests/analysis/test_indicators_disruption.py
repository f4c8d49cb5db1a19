"""CD index (compute_disruption): hand-computed disruptive and consolidating papers, the time window,
the field scope, and agreement with the `cdindex` package (Funk's reference implementation).
Every table here is SYNTHETIC."""

from __future__ import annotations

import sys
from pathlib import Path

import cdindex
import numpy as np
import pandas as pd
import pytest

from medvlm_graph.analysis.disruption import CD_COLUMNS, compute_disruption
from medvlm_graph.errors import DataError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpora import random_corpus  # noqa: E402


def corpus():
    """D builds on r1, r2 and is then cited alone (disruptive); C builds on r3, r4 and is cited with
    them (consolidating). Only D and C are in the field."""
    years = {"r1": 2000, "r2": 2000, "r3": 2000, "r4": 2000, "D": 2010, "C": 2010,
             "x1": 2011, "x2": 2012, "x3": 2015, "y1": 2012, "w": 2016, "s": 2010,
             "z1": 2012, "z2": 2012, "z3": 2013}
    cites = [("D", "r1"), ("D", "r2"), ("C", "r3"), ("C", "r4"),
             ("x1", "D"), ("x2", "D"), ("x3", "D"),  # cite D alone: n_i = 3
             ("y1", "r1"),                            # cites D's reference only: n_k = 1
             ("w", "D"), ("s", "D"),                  # after the 5-year window / in D's own year: not counted
             ("z1", "C"), ("z1", "r3"), ("z2", "C"), ("z2", "r3"), ("z3", "C"), ("z3", "r4")]  # n_j = 3
    papers = pd.DataFrame({"paper_id": list(years), "year": list(years.values()),
                           "title": [f"Synthetic {k}" for k in years], "in_field": [k in ("D", "C") for k in years]})
    return papers, pd.DataFrame(cites, columns=["citing_id", "cited_id"])


def test_disruptive_and_consolidating_papers():
    papers, citations = corpus()
    cd = compute_disruption(papers, citations)
    assert list(cd.columns) == CD_COLUMNS
    rows = cd.set_index("paper_id")
    assert list(cd["paper_id"]) == ["D", "C"]  # the field only, most disruptive first
    assert rows.loc["D", ["n_i", "n_j", "n_k", "n_references"]].tolist() == [3, 0, 1, 2]
    assert rows.loc["D", "cd"] == 0.75 and rows.loc["D", "mcd"] == 2.25
    assert rows.loc["C", ["n_i", "n_j", "n_k"]].tolist() == [0, 3, 0]
    assert rows.loc["C", "cd"] == -1.0 and rows.loc["C", "mcd"] == -3.0
    assert rows.loc["D", "window"] == 5 and rows.loc["D", "title"] == "Synthetic D"
    assert bool(rows.loc["D", "window_complete"])  # 2015 <= 2016, the corpus' last year


def test_window_length_and_scope_all():
    papers, citations = corpus()
    cd = compute_disruption(papers, citations, window=10, scope="all").set_index("paper_id")
    assert cd.loc["D", ["n_i", "n_j", "n_k"]].tolist() == [4, 0, 1]  # w (2016) is now inside
    assert not cd.loc["D", "window_complete"]  # 2020 is past the corpus' last year
    # with scope="all" the citing papers get a CD too: x1 (2011) cites D, and x2, x3, w cite D later
    assert cd.loc["x1", ["n_i", "n_j", "n_k"]].tolist() == [0, 0, 3]


def test_publication_dates_refine_the_window():
    """With dates, a paper of the same year published after the focal paper counts."""
    papers, citations = corpus()
    papers["publication_date"] = None
    papers.loc[papers["paper_id"] == "D", "publication_date"] = "2010-02-01"
    papers.loc[papers["paper_id"] == "s", "publication_date"] = "2010-09-01"
    papers.loc[papers["paper_id"] == "x3", "publication_date"] = "2015-02-01"  # the last day of the window
    papers.loc[papers["paper_id"] == "x2", "publication_date"] = "2015-02-02"  # one day past it
    cd = compute_disruption(papers, citations).set_index("paper_id")
    # n_i: s (same year, later), x1 and x3 (on the window's last day); x2 is a day late; n_k: y1
    assert cd.loc["D", ["n_i", "n_j", "n_k"]].tolist() == [3, 0, 1]


def test_blocks_do_not_change_the_result():
    papers, citations = corpus()
    one = compute_disruption(papers, citations, scope="all")
    many = compute_disruption(papers, citations, scope="all", block_work=1)
    pd.testing.assert_frame_equal(one, many)


def test_skips_without_citations_and_rejects_bad_windows():
    papers, _ = corpus()
    out = compute_disruption(papers, None)
    assert out.empty and list(out.columns) == CD_COLUMNS and "no citations" in out.attrs["skipped"]
    with pytest.raises(DataError, match="window"):
        compute_disruption(papers, corpus()[1], window=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("window", [3, 5])
def test_agrees_with_the_cdindex_package(seed, window):
    """cdindex with year timestamps and t_delta = window: the same CD and mCD for every focal paper."""
    papers, citations = random_corpus(seed)
    ours = compute_disruption(papers, citations, window=window)
    g = cdindex.Graph()
    for pid, y in zip(papers["paper_id"], papers["year"]):
        g.add_vertex(pid, int(y))
    for a, b in zip(citations["citing_id"], citations["cited_id"]):
        g.add_edge(a, b)
    assert len(ours) > 50
    assert set(ours["paper_id"]) <= set(papers.loc[papers["in_field"], "paper_id"])
    for r in ours.itertuples():
        assert g.cdindex(r.paper_id, window) == pytest.approx(r.cd, abs=1e-12)
        assert g.mcdindex(r.paper_id, window) == pytest.approx(r.mcd, abs=1e-12)
        assert g.iindex(r.paper_id, window) == r.n_i + r.n_j
    # every field paper with references left out has no citer in its window (cdindex divides by zero)
    left = set(papers.loc[papers["in_field"], "paper_id"]) - set(ours["paper_id"])
    for pid in left:
        if g.out_degree(pid):
            value = g.cdindex(pid, window)
            assert value is None or np.isnan(value)
