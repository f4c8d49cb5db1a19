"""Trends, growth and model adoption on hand-made tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from medvlm_graph.analysis import compute_growth, compute_model_adoption, compute_trends, model_years
from medvlm_graph.errors import DataError

from .conftest import labels_frame


@pytest.fixture
def small():
    papers = pd.DataFrame({"paper_id": ["a", "b", "c", "d", "e"], "year": [2020, 2021, 2021, 2022, None],
                           "title": list("ABCDE")})
    lab = labels_frame([("a", "task", "vqa"), ("b", "task", "vqa"), ("c", "task", "segmentation"),
                        ("d", "task", "vqa"), ("d", "task", "segmentation"), ("e", "task", "vqa"),
                        ("a", "strategy", "prompting")])
    return papers, lab


def test_counts_and_shares(small):
    papers, lab = small
    t = compute_trends(papers, lab, "task")
    assert t[["label", "year", "count", "n_year"]].values.tolist() == [
        ["segmentation", 2020, 0, 1], ["segmentation", 2021, 1, 2], ["segmentation", 2022, 1, 1],
        ["vqa", 2020, 1, 1], ["vqa", 2021, 1, 2], ["vqa", 2022, 1, 1]]
    assert t["share"].tolist() == [0.0, 0.5, 1.0, 1.0, 0.5, 1.0]  # d carries both tasks: shares sum to 2
    every = compute_trends(papers, lab)
    assert set(every["dimension"]) == {"task", "strategy"}
    assert every[every["dimension"] == "strategy"][["year", "count"]].values.tolist() == [[2020, 1]]


def test_trends_empty_and_bad(small):
    papers, lab = small
    t = compute_trends(papers, lab, "modality")
    assert t.empty and "no labelled papers with a year" in t.attrs["skipped"]
    assert list(t.columns) == ["dimension", "label", "year", "count", "n_year", "share"]
    with pytest.raises(DataError):
        compute_trends(papers, lab, "colour")
    with pytest.raises(DataError):
        compute_trends(papers.drop(columns="year"), lab, "task")


def _series(counts, start=2018):
    return pd.DataFrame({"dimension": "task", "label": "vqa", "year": range(start, start + len(counts)),
                         "count": counts, "n_year": 100, "share": 0.0})


def test_growth_by_hand():
    t = _series([2, 4, 8, 16, 54])  # 2018..2022
    g = compute_growth(t).iloc[0]
    assert (g["start_year"], g["end_year"], g["start_count"], g["end_count"]) == (2018, 2022, 2, 54)
    assert g["cagr"] == pytest.approx((54 / 2) ** (1 / 4) - 1)  # 27 ** 0.25 - 1
    assert g["total"] == 84
    g = compute_growth(t, window=(2019, 2021)).iloc[0]
    assert g["cagr"] == pytest.approx(1.0) and g["total"] == 28
    g = compute_growth(t, last=2).iloc[0]
    assert (g["start_year"], g["end_year"]) == (2021, 2022) and g["cagr"] == pytest.approx(54 / 16 - 1)


def test_growth_zero_start_and_one_year():
    g = compute_growth(_series([0, 3, 6])).iloc[0]
    assert math.isnan(g["cagr"]) and g["note"] == "no paper in 2018"
    one = compute_growth(_series([5]))
    assert math.isnan(one["cagr"].iloc[0]) and one["note"].iloc[0] == "window of one year"
    assert one.attrs["skipped"] == "growth needs at least two years"
    empty = compute_growth(_series([]).iloc[0:0])
    assert empty.empty and empty.attrs["skipped"]
    with pytest.raises(DataError):
        compute_growth(_series([1, 2]), window=(2018, 2019), last=2)


def test_growth_leaves_the_partial_year_out():
    t = _series([2, 4, 8, 16, 3])  # 2018..2022; the data was collected in March 2022
    g = compute_growth(t, last=3, as_of="2022-03-01")
    row = g.iloc[0]
    assert (row["start_year"], row["end_year"], row["start_count"], row["end_count"], row["total"]) == \
        (2019, 2021, 4, 16, 28)
    assert row["cagr"] == pytest.approx(1.0)
    assert g.attrs["note"] == ("leaves out 2022, the year the data was collected (partial); "
                               "include_partial (--include-partial) keeps it")
    g = compute_growth(t, last=3, as_of="2022-03-01", include_partial=True)
    assert (g.loc[0, "start_year"], g.loc[0, "end_year"]) == (2020, 2022)
    assert g.loc[0, "cagr"] == pytest.approx((3 / 8) ** 0.5 - 1) and "note" not in g.attrs
    full = compute_growth(t, as_of=2022).iloc[0]  # the full range ends at the last complete year too
    assert (full["start_year"], full["end_year"]) == (2018, 2021)
    explicit = compute_growth(t, window=(2018, 2022), as_of="2022-03-01")  # a stated window is kept
    assert explicit.loc[0, "end_year"] == 2022 and "note" not in explicit.attrs
    later = compute_growth(t, last=3, as_of="2024-06-30")  # data older than its collection year: nothing to drop
    assert later.loc[0, "end_year"] == 2022 and "note" not in later.attrs
    with pytest.raises(DataError, match="as_of 'soon' is not a date"):
        compute_growth(t, as_of="soon")


def _adoption_tables():
    papers = pd.DataFrame({
        "paper_id": ["clipP", "u1", "u2", "u3", "u4", "u5"],
        "title": ["Learning transferable visual models", "U1", "U2", "U3", "U4", "U5"],
        "year": [2021, 2022, 2023, 2023, 2024, 2024],
        "arxiv_id": ["2103.00020", None, None, None, None, None]})
    lab = labels_frame([
        ("clipP", "model", "clip"), ("clipP", "task", "classification"),  # the model's own paper: not a use
        ("u1", "model", "clip"), ("u1", "task", "segmentation"),
        ("u2", "model", "clip"), ("u2", "task", "segmentation"),
        ("u3", "model", "clip"), ("u3", "task", "vqa"),
        ("u4", "model", "sam"), ("u4", "task", "segmentation"),
        ("u5", "model", "mystery"), ("u5", "task", "vqa")])
    seeds = pd.DataFrame({"seed_id": ["m1", "m2"], "model_name": ["CLIP", "SAM"], "paper_id": ["clipP", None],
                          "year_hint": [None, 2023]})
    return papers, lab, seeds


def test_model_adoption_lag_by_hand():
    papers, lab, seeds = _adoption_tables()
    a = compute_model_adoption(papers, lab, seeds)
    rows = a[["model", "task", "first_year", "first_paper_id", "n_papers", "model_year", "model_year_source",
              "lag_years"]].astype(object).where(a.notna(), None).values.tolist()
    assert rows == [
        ["clip", "segmentation", 2022, "u1", 2, 2021, "papers", 1],
        ["clip", "vqa", 2023, "u3", 1, 2021, "papers", 2],
        ["mystery", "vqa", 2024, "u5", 1, None, "unknown", None],
        ["sam", "segmentation", 2024, "u4", 1, 2023, "seed year_hint", 1]]
    assert a.attrs["note"] == "model year unknown for: mystery"
    assert a.loc[0, "first_title"] == "U1"
    given = compute_model_adoption(papers, lab, seeds, years_given={"mystery": 2020})
    assert given.loc[given["model"] == "mystery", "lag_years"].tolist() == [4]


def test_model_years_from_taxonomy_references():
    papers, lab, _ = _adoption_tables()
    models = pd.DataFrame({"model": ["clip", "gpt4v"], "name": ["CLIP", "GPT-4V"], "aliases": ["", "GPT-4 Vision"],
                           "arxiv": ["2103.00020", "2309.17421"], "doi": [None, None], "title": [None, None]})
    y = model_years(papers, None, models)
    assert y[["model", "model_year", "model_year_source"]].values.tolist() == [
        ["clip", 2021, "papers"], ["gpt4v", 2023, "arxiv id"]]
    assert y["model_paper_id"].iloc[0] == "clipP" and pd.isna(y["model_paper_id"].iloc[1])
    seeds = pd.DataFrame({"model_name": ["GPT-4 Vision"], "paper_id": [None], "year_hint": [2022]})
    y = model_years(papers, seeds, models)
    assert y.set_index("model").loc["gpt4v", ["model_year", "model_year_source"]].tolist() == [2022, "seed year_hint"]


def test_model_adoption_empty():
    papers, lab, _ = _adoption_tables()
    a = compute_model_adoption(papers, lab[lab["dimension"] == "task"])
    assert a.empty and "both a model and a task label" in a.attrs["skipped"]
