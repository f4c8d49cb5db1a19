"""Sleeping beauties (Ke et al. 2015) and RPYS (Marx et al. 2014) on hand-made SYNTHETIC corpora."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.analysis.rpys import PEAK_COLUMNS, RPYS_COLUMNS, compute_rpys
from medvlm_graph.analysis.sleeping import CURVE_COLUMNS, SB_COLUMNS, beauty_coefficient, compute_sleeping_beauties


# ------------------------------------------------------------------------------------------ beauties


@pytest.mark.parametrize("curve, B, ta", [
    ([0, 0, 0, 0, 10], 15.0, 3),          # asleep four years: sum of the line 2.5 t over t = 1..3
    ([1, 2, 3, 4], 0.0, 0),               # linear growth: on the line, no sleep (t_a: first maximum of d = 0)
    # line 5 + 4t/3: (19/3 - 1) + (23/3 - 1) = 12; d_t ~ |4t - 3c_t + 15| = 0, 16, 20, 0
    ([5, 1, 1, 9], 12.0, 2),
    ([7, 3, 1], 0.0, None),               # cited most in its first year: B = 0, no awakening
])
def test_beauty_coefficient_known_curves(curve, B, ta):
    b, a = beauty_coefficient(curve)
    assert b == pytest.approx(B) and a == ta


def sleeping_corpus():
    """sb (2005) sleeps until 2012; hit (2010) is cited at once; out (2005) is outside the field."""
    cites = [("c2012a", "sb"), ("c2012b", "sb"), ("c2012c", "sb"), ("c2013a", "sb"), ("c2013b", "sb"),
             ("c2013c", "sb"), ("c2013d", "sb"), ("c2008", "sb"),
             ("c2010a", "hit"), ("c2010b", "hit"), ("c2011a", "hit"), ("c2004", "hit"),
             ("c2012a", "out")]
    ids = sorted({x for pair in cites for x in pair})
    year = {"sb": 2005, "hit": 2010, "out": 2005}
    years = [year[i] if i in year else int(i[1:5]) for i in ids]
    papers = pd.DataFrame({"paper_id": ids, "year": years, "title": [f"Synthetic {i}" for i in ids],
                           "in_field": [i in ("sb", "hit") for i in ids]})
    return papers, pd.DataFrame(cites, columns=["citing_id", "cited_id"])


def test_sleeping_beauty_from_tables():
    papers, citations = sleeping_corpus()
    sb, curves = compute_sleeping_beauties(papers, citations, curves=1)
    assert list(sb.columns) == SB_COLUMNS and list(curves.columns) == CURVE_COLUMNS
    assert sb["paper_id"].tolist() == ["sb", "hit"]  # the field only, largest B first
    row = sb.set_index("paper_id").loc["sb"]
    # c = [0, 0, 0, 1, 0, 0, 0, 3, 4] over 2005..2013; t_m = 8 (2013), line 0.5 t
    c = [0, 0, 0, 1, 0, 0, 0, 3, 4]
    expected = sum((0.5 * t - c[t]) / max(1, c[t]) for t in range(9))
    assert row["beauty"] == pytest.approx(expected)
    assert (row["citations"], row["peak_year"], row["peak_citations"]) == (8, 2013, 4)
    # d_t = |4 t - 8 c_t| / sqrt(80): largest at t = 6 (24 - 0) -> awakening in 2011
    assert row["awakening_year"] == 2011
    hit = sb.set_index("paper_id").loc["hit"]
    # the 2004 citation (before publication) counts in 2010: c = [3, 1, 0, 0] (2010-2013): no sleep
    assert (hit["citations"], hit["peak_year"], hit["beauty"]) == (4, 2010, 0.0)
    assert pd.isna(hit["awakening_year"])
    assert curves["paper_id"].unique().tolist() == ["sb"]
    assert curves["year"].tolist() == list(range(2005, 2014)) and curves["citations"].tolist() == c


def test_sleeping_beauties_filters_and_skips():
    papers, citations = sleeping_corpus()
    sb, _ = compute_sleeping_beauties(papers, citations, min_citations=5)
    assert sb["paper_id"].tolist() == ["sb"]
    sb, _ = compute_sleeping_beauties(papers, citations, scope="all", min_citations=1)
    assert "out" in set(sb["paper_id"])
    a, b = compute_sleeping_beauties(papers, citations.iloc[:0])
    assert a.empty and b.empty and "no citations" in a.attrs["skipped"]


# ------------------------------------------------------------------------------------------ RPYS


def rpys_corpus():
    """Field papers cite one reference per year 1990-1999, and 1995 five more times (a planted peak).
    Three out-of-field papers cite a 1992 paper: they must not count."""
    refs = {f"r{y}": y for y in range(1990, 2000)}
    refs.update({"classic": 1995, "classic2": 1995, "noyear": None})
    field = {f"f{i}": 2020 + i % 3 for i in range(6)}
    cites = [(f"f{(y - 1990) % 6}", f"r{y}") for y in range(1990, 2000)]
    cites += [(f"f{i}", "classic") for i in range(4)] + [("f4", "classic2"), ("f0", "noyear")]
    cites += [(f"o{i}", "r1992") for i in range(3)] + [("o0", "classic")]
    ids = {**refs, **field, "o0": 2021, "o1": 2021, "o2": 2022}
    papers = pd.DataFrame({"paper_id": list(ids), "year": pd.array(list(ids.values()), dtype="Int64"),
                           "title": [f"Synthetic {k}" for k in ids], "in_field": [k in field for k in ids]})
    return papers, pd.DataFrame(cites, columns=["citing_id", "cited_id"])


def test_rpys_spectrum_with_a_planted_peak():
    papers, citations = rpys_corpus()
    spectrum, peaks = compute_rpys(papers, citations, peaks=3, per_peak=2)
    assert list(spectrum.columns) == RPYS_COLUMNS and list(peaks.columns) == PEAK_COLUMNS
    assert spectrum["year"].tolist() == list(range(1990, 2000))
    ncr = [1, 1, 1, 1, 1, 6, 1, 1, 1, 1]
    assert spectrum["references"].tolist() == ncr
    assert spectrum["distinct_references"].tolist() == [1, 1, 1, 1, 1, 3, 1, 1, 1, 1]
    # medians of five years, years outside the spectrum counted as 0
    assert spectrum["median_5"].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert spectrum["deviation"].tolist() == [0.0] * 5 + [5.0] + [0.0] * 4
    assert spectrum["peak_rank"].dropna().tolist() == [1]
    assert spectrum.loc[spectrum["peak_rank"] == 1, "year"].tolist() == [1995]
    assert spectrum.attrs["note"] == "1 cited reference(s) without a year left out"
    assert peaks[["peak_rank", "year", "paper_id", "citations"]].values.tolist() == [
        [1, 1995, "classic", 4], [1, 1995, "classic2", 1]]
    assert peaks["share"].tolist() == pytest.approx([4 / 6, 1 / 6])


def test_rpys_edges_of_the_spectrum_and_scope():
    papers, citations = rpys_corpus()
    spectrum, _ = compute_rpys(papers, citations, scope="all")
    row = spectrum.set_index("year")
    assert row.loc[1992, "references"] == 4 and row.loc[1995, "references"] == 7
    # 1990: median of (0, 0, 1, 1, 4) = 1; 1992: median of (1, 1, 4, 1, 1) = 1
    assert row.loc[1990, "median_5"] == 1.0 and row.loc[1992, "deviation"] == 3.0
    assert row["peak_rank"].dropna().astype(int).to_dict() == {1995: 1, 1992: 2}
    empty, nopeak = compute_rpys(papers, None)
    assert empty.empty and nopeak.empty and "no citations" in empty.attrs["skipped"]


def test_rpys_flat_spectrum_has_no_peak():
    papers = pd.DataFrame({"paper_id": [f"r{y}" for y in range(2000, 2007)] + ["f"],
                           "year": list(range(2000, 2007)) + [2020]})
    citations = pd.DataFrame({"citing_id": "f", "cited_id": [f"r{y}" for y in range(2000, 2007)]})
    spectrum, peaks = compute_rpys(papers, citations, scope="all")
    assert spectrum["deviation"].tolist() == [0.0] * 7 and spectrum["peak_rank"].isna().all()
    assert peaks.empty and "no peak" in peaks.attrs["skipped"]
