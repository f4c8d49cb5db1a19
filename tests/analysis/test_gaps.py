"""Gap tables, chi-square, rising/stalled, model-task gaps, missed papers (hand-computed values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2 as chi2_dist
from scipy.stats import chi2_contingency

from medvlm_graph.analysis import (
    compute_all_gaps,
    compute_gap_trends,
    compute_gaps,
    compute_independence_test,
    compute_missed_papers,
    compute_model_task_gaps,
)
from medvlm_graph.analysis._sparse import pagerank
from medvlm_graph.errors import DataError

from .conftest import labels_frame

SQ6 = math.sqrt(6)


def cell(df, a, b):
    row = df[(df["label_a"] == a) & (df["label_b"] == b)]
    assert len(row) == 1
    return row.iloc[0]


def test_expected_and_residuals_by_hand(gap_labels):
    g = compute_gaps(gap_labels, "task", "strategy", min_expected=2.0)
    # O = [[6, 0], [2, 4]], row totals 6, 6, column totals 8, 4, n = 12 -> E = [[4, 2], [4, 2]]
    expect = {("segmentation", "fine_tuning"): (6, 4.0, 1.0, SQ6, "over"),
              ("segmentation", "prompting"): (0, 2.0, -math.sqrt(2), -SQ6, "gap"),
              ("vqa", "fine_tuning"): (2, 4.0, -1.0, -SQ6, "gap"),
              ("vqa", "prompting"): (4, 2.0, math.sqrt(2), SQ6, "over")}
    for (a, b), (o, e, res, adj, flag) in expect.items():
        r = cell(g, a, b)
        assert r["observed"] == o
        assert r["expected"] == pytest.approx(e)
        assert r["residual"] == pytest.approx(res)
        assert r["adjusted_residual"] == pytest.approx(adj)
        assert r["flag"] == flag
        assert r["n"] == 12
    assert cell(g, "vqa", "fine_tuning")["paper_ids"] == "v4;v5"
    assert list(g.columns) == ["dim_a", "label_a", "dim_b", "label_b", "observed", "expected", "residual",
                               "adjusted_residual", "row_total", "col_total", "n", "flag", "paper_ids"]


def test_default_rule_needs_expected_three(gap_labels):
    g = compute_gaps(gap_labels, "task", "strategy")
    assert cell(g, "segmentation", "prompting")["flag"] == "empty"  # E = 2 < 3: too few to judge
    assert cell(g, "vqa", "fine_tuning")["flag"] == "gap"  # E = 4, adjusted residual -2.449


def test_chi_square_equals_scipy_and_hand(gap_labels):
    cells = compute_gaps(gap_labels, "task", "strategy")
    t = compute_independence_test(cells).iloc[0]
    # chi2 = sum of squared Pearson residuals = 1 + 2 + 1 + 2
    assert t["chi2"] == pytest.approx(6.0)
    assert (cells["residual"] ** 2).sum() == pytest.approx(6.0)
    ref = chi2_contingency(np.array([[6, 0], [2, 4]]), correction=False)
    assert t["chi2"] == pytest.approx(ref[0])
    assert t["p_value"] == pytest.approx(chi2_dist.sf(6.0, 1)) == pytest.approx(ref[1])
    assert t["dof"] == 1 and t["n"] == 12
    assert t["cramers_v"] == pytest.approx(math.sqrt(0.5))
    assert t["min_expected"] == pytest.approx(2.0)
    assert t["share_expected_lt5"] == pytest.approx(1.0)


def test_multi_label_paper_counts_in_each_cell():
    lab = labels_frame([("a", "task", "vqa"), ("a", "strategy", "prompting"), ("a", "strategy", "knowledge")])
    g = compute_gaps(lab, "task", "strategy")
    assert sorted(g["observed"]) == [1, 1] and g["n"].iloc[0] == 2


def test_levels_list_unused_labels(gap_labels):
    g = compute_gaps(gap_labels, "task", "strategy", levels={"strategy": ["fine_tuning", "prompting", "agentic"]})
    r = cell(g, "vqa", "agentic")
    assert r["flag"] == "unused" and r["observed"] == 0 and r["expected"] == 0 and math.isnan(r["residual"])
    assert compute_independence_test(g).iloc[0]["chi2"] == pytest.approx(6.0)  # unused labels left out


def test_low_scores_are_ignored(gap_labels):
    extra = labels_frame([("s0", "strategy", "prompting")], score=0.2)
    g = compute_gaps(pd.concat([gap_labels, extra]), "task", "strategy")
    assert cell(g, "segmentation", "prompting")["observed"] == 0


def test_empty_and_bad_inputs():
    lab = labels_frame([("a", "task", "vqa")])
    g = compute_gaps(lab, "task", "strategy")
    assert g.empty and "no paper carries both a task and a strategy label" in g.attrs["skipped"]
    t = compute_independence_test(g)
    assert t.empty and t.attrs["skipped"]
    with pytest.raises(DataError):
        compute_gaps(lab, "task", "task")
    with pytest.raises(DataError):
        compute_gaps(lab, "task", "colour")
    cells, tests = compute_all_gaps(lab)
    assert cells.empty and "task and a strategy" in cells.attrs["skipped"]


def test_one_row_table_has_no_test():
    lab = labels_frame([("a", "task", "vqa"), ("a", "strategy", "prompting"),
                        ("b", "task", "vqa"), ("b", "strategy", "knowledge")])
    t = compute_independence_test(compute_gaps(lab, "task", "strategy"))
    assert t.empty and "2 x 2" in t.attrs["skipped"]


def _trend_data():
    rows, years = [], {}
    spec = [("segmentation", "fine_tuning", 2020, 3), ("vqa", "prompting", 2021, 1),
            ("segmentation", "knowledge", 2021, 2), ("detection", "fine_tuning", 2020, 1),
            ("segmentation", "fine_tuning", 2022, 1), ("vqa", "prompting", 2023, 3),
            ("vqa", "fine_tuning", 2023, 2), ("detection", "fine_tuning", 2022, 1)]
    k = 0
    for task, strat, year, n in spec:
        for _ in range(n):
            pid = f"q{k}"
            k += 1
            rows += [(pid, "task", task), (pid, "strategy", strat)]
            years[pid] = year
    papers = pd.DataFrame({"paper_id": list(years), "year": list(years.values())})
    return papers, labels_frame(rows)


def test_gap_trends_status_by_hand():
    papers, lab = _trend_data()
    t = compute_gap_trends(papers, lab, "task", "strategy", recent=2)
    # early 2020-2021: 7 pairs; recent 2022-2023: 7 pairs
    st = {(r.label_a, r.label_b): r for r in t.itertuples()}
    assert st[("segmentation", "fine_tuning")].status == "declining"  # 3/7 -> 1/7
    assert st[("segmentation", "fine_tuning")].ratio == pytest.approx(1 / 3)
    assert st[("vqa", "prompting")].status == "rising"  # 1/7 -> 3/7
    assert st[("vqa", "prompting")].recent_share == pytest.approx(3 / 7)
    assert st[("vqa", "fine_tuning")].status == "new"
    assert st[("segmentation", "knowledge")].status == "stalled"
    assert st[("detection", "fine_tuning")].status == "sparse"  # 1 and 1
    assert st[("segmentation", "prompting")].status == "absent"
    assert set(t["early_years"]) == {"2020-2021"} and set(t["recent_years"]) == {"2022-2023"}


def test_gap_trends_one_year_is_skipped():
    papers, lab = _trend_data()
    papers["year"] = 2024
    t = compute_gap_trends(papers, lab, "task", "strategy")
    assert t.empty and "years before the recent window" in t.attrs["skipped"]
    t = compute_gap_trends(papers.assign(year=None), lab, "task", "strategy")
    assert t.empty and "with a year" in t.attrs["skipped"]


def test_model_task_gaps_by_hand():
    lab = labels_frame([("a", "model", "clip"), ("a", "task", "segmentation"), ("b", "model", "clip"),
                        ("b", "task", "segmentation"), ("c", "model", "clip"), ("c", "task", "vqa"),
                        ("d", "model", "sam"), ("d", "task", "segmentation"), ("e", "model", "sam"),
                        ("e", "task", "segmentation")])
    g = compute_model_task_gaps(lab)
    assert g[["model", "task", "n_papers", "status"]].values.tolist() == [
        ["clip", "segmentation", 2, "used"], ["clip", "vqa", 1, "used"],
        ["sam", "vqa", 0, "absent"], ["sam", "segmentation", 2, "used"]]
    sam_vqa = g.iloc[2]
    assert sam_vqa["expected"] == pytest.approx(2 * 1 / 5)  # 2 sam papers x 1 vqa paper / 5 papers
    assert g.iloc[0]["expected"] == pytest.approx(3 * 4 / 5)
    assert list(g["n_tasks_used"]) == [2, 2, 1, 1]
    assert g.iloc[0]["paper_ids"] == "a;b"
    assert list(compute_model_task_gaps(lab, min_papers=3)["model"].unique()) == ["clip"]
    none = compute_model_task_gaps(labels_frame([("a", "task", "vqa")]))
    assert none.empty and none.attrs["skipped"]


def _missed_data():
    papers = pd.DataFrame({"paper_id": ["S1", "S2", "X", "Y", "Z", "R"],
                           "title": ["Seed one", "Seed two", "Candidate X", "Y", "Z", "R"],
                           "year": [2022, 2023, 2021, 2024, 2024, 2019],
                           "is_seed": [True, True, False, False, False, False]})
    cites = pd.DataFrame([("Z", "S1"), ("Z", "S2"), ("Z", "X"), ("Y", "S1"), ("Y", "X"), ("X", "R"),
                          ("S1", "R"), ("S2", "R")], columns=["citing_id", "cited_id"])
    return papers, cites


def test_missed_papers_counts_by_hand():
    papers, cites = _missed_data()
    m = compute_missed_papers(papers, cites).set_index("paper_id")
    assert set(m.index) == {"X", "Y", "Z", "R"}
    cols = ["cocited_with_seeds", "coupled_with_seeds", "cites_seeds", "cited_by_seeds"]
    # distinct seeds: X is cited with S1 and S2 (by Z) and with S1 (by Y): 2; it shares R with S1 and S2: 2
    assert m.loc["X", cols].tolist() == [2, 2, 0, 0]
    assert m.loc["Z", cols].tolist() == [0, 0, 2, 0]
    assert m.loc["R", cols].tolist() == [0, 0, 0, 2]
    assert m.loc["Y", cols].tolist() == [0, 0, 1, 0]
    assert m.loc["X", "title"] == "Candidate X" and m.loc["X", "year"] == 2021
    # score = cites + cited_by + 0.5 co-cited + 0.25 coupled; newer first among equals (Z 2024, R 2019)
    assert m["score"].to_dict() == {"Z": 2.0, "R": 2.0, "X": 1.5, "Y": 1.0}
    assert m.sort_values("rank").index.tolist() == ["Z", "R", "X", "Y"]
    assert m.loc["X", "ties"] == "co-cited with 2; coupled with 2"
    assert m.loc["X", "tied_seeds"] == "S1;S2"


def test_missed_papers_only_field_papers_and_task_seeds():
    papers, cites = _missed_data()
    papers["in_field"] = [True, True, True, False, True, True]  # Y is outside the field
    seeds = pd.DataFrame({"paper_id": ["S1", "S2"], "task": ["vqa", None], "origin": [None, "natural"]})
    m = compute_missed_papers(papers, cites, seeds).set_index("paper_id")
    # only S1 is a task seed (S2 is a general model, a reference point); Y is out of the field,
    # so its co-citation of X with S1 does not count either
    assert sorted(m.index) == ["R", "X", "Z"]
    assert m.loc["X", ["cocited_with_seeds", "coupled_with_seeds"]].tolist() == [1, 1]
    assert m.loc["Z", "cites_seeds"] == 1 and m.loc["R", "cited_by_seeds"] == 1
    labels = pd.DataFrame({"paper_id": ["X", "X", "X"], "dimension": ["task", "task", "modality"],
                           "label": ["vqa", "segmentation", "ct"], "source": ["rules", "model", "rules"],
                           "score": [1.0, 0.4, 0.6]})
    m = compute_missed_papers(papers, cites, seeds, labels=labels).set_index("paper_id")
    assert m.loc["X", ["task", "task_score", "modality", "strategy"]].tolist() == ["vqa", 1.0, "ct", ""]


def test_pagerank_matches_networkx():
    import networkx as nx
    from scipy import sparse

    _, cites = _missed_data()
    G = nx.DiGraph(list(zip(cites["citing_id"], cites["cited_id"])))
    nodes = sorted(G)
    A = sparse.csr_array(nx.to_scipy_sparse_array(G, nodelist=nodes))
    ours = pagerank(A, alpha=0.85, max_iter=200, tol=1e-10 / len(nodes))  # as compute_missed_papers calls it
    ref = nx.pagerank(G, alpha=0.85, tol=1e-12)
    assert np.allclose(ours, [ref[v] for v in nodes], atol=1e-8)


def test_missed_papers_without_citations():
    papers, _ = _missed_data()
    m = compute_missed_papers(papers, pd.DataFrame(columns=["citing_id", "cited_id"]))
    assert m.empty and "needs S2 data" in m.attrs["skipped"]
    assert list(m.columns)[:3] == ["rank", "paper_id", "title"]
