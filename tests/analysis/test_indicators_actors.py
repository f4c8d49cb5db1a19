"""Who and where: authors, venues and Bradford zones, Lotka's law, co-author clusters.
Every table here is SYNTHETIC (invented authors, venues and papers)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from medvlm_graph.analysis.actors import (
    AUTHOR_COLUMNS,
    COAUTHOR_CLUSTER_COLUMNS,
    LOTKA_COLUMNS,
    VENUE_COLUMNS,
    compute_authors,
    compute_coauthor_clusters,
    compute_lotka,
    compute_venues,
    h_index,
)


def small_field():
    """Six field papers and one outside paper, three authors (one with two spellings), four venues."""
    papers = pd.DataFrame({
        "paper_id": ["a", "b", "c", "d", "e", "f", "out"],
        "year": [2019, 2020, 2021, 2022, 2023, 2023, 2022],
        "venue": ["Journal A", "journal  a", "Conf B", "Conf B", "Journal A", "Workshop C", "Journal A"],
        "in_field": [True] * 6 + [False],
    })
    authorships = pd.DataFrame({
        "paper_id": ["a", "a", "b", "c", "c", "d", "e", "f", "out", "f"],
        "author_id": ["1", "2", "1", "1", "3", "2", "1", "3", "1", None],
        "author_name": ["Ann Lee", "Bo Chan", "A. Lee", "Ann Lee", "Cy Diaz", "Bo Chan", "Ann Lee", "Cy Diaz",
                        "Ann Lee", "Anonymous"],
    })
    # local citations: a <- b, c, d, out (out is outside the field: not counted); b <- c, e; c <- e
    citations = pd.DataFrame({"citing_id": ["b", "c", "d", "out", "c", "e", "e"],
                              "cited_id": ["a", "a", "a", "a", "b", "b", "c"]})
    return papers, authorships, citations


def test_authors_hand_counts():
    papers, authorships, citations = small_field()
    a = compute_authors(papers, authorships, citations)
    assert list(a.columns) == AUTHOR_COLUMNS
    # Ann: papers a, b, c, e (out is outside the field); local citations 3 + 2 + 1 + 0; h = 2
    # fractional: a has 2 authors, b 1, c 2, e 1 -> 0.5 + 1 + 0.5 + 1
    assert a.values.tolist() == [
        ["1", "Ann Lee", 4, 3.0, 6, 2, 2019, 2023],
        ["2", "Bo Chan", 2, 1.5, 3, 1, 2019, 2022],
        # f has two authorship rows (one without an id): Cy gets 1/2 of it
        ["3", "Cy Diaz", 2, 1.0, 1, 1, 2021, 2023],
    ]
    assert compute_authors(papers, authorships, citations, top=1)["name"].tolist() == ["Ann Lee"]
    nocite = compute_authors(papers, authorships)
    assert nocite["citations"].isna().all() and nocite["papers"].tolist() == [4, 2, 2]
    assert "no authorships" in compute_authors(papers, authorships.iloc[:0]).attrs["skipped"]


def test_h_index():
    assert [h_index(x) for x in ([], [0], [1], [3, 3, 3], [10, 1], [5, 5, 5, 5, 5, 0])] == [0, 0, 1, 3, 1, 5]


def test_venues_and_bradford_zones():
    papers, _, citations = small_field()
    v = compute_venues(papers, citations)
    assert list(v.columns) == VENUE_COLUMNS
    # "Journal A" and "journal  a" are one venue (a, b, e); the outside paper does not count
    assert v[["venue", "papers", "citations", "h_index", "first_year", "last_year"]].values.tolist() == [
        ["Journal A", 3, 5, 2, 2019, 2023], ["Conf B", 2, 1, 1, 2021, 2022], ["Workshop C", 1, 0, 0, 2023, 2023]]
    # 6 papers: Journal A starts at 0 (zone 1), Conf B after 3 papers (3*3/6 = 1.5 -> zone 2),
    # Workshop C after 5 (2.5 -> zone 3)
    assert v[["rank", "cumulative_papers", "zone"]].values.tolist() == [[1, 3, 1], [2, 5, 2], [3, 6, 3]]


def test_bradford_zones_on_a_classic_distribution():
    """1 venue with 10 papers, 3 with 3, 10 with 1: thirds of 29 papers. The first tail venue starts at
    paper 20, 3 * 19 / 29 = 1.97 -> still zone 2."""
    venues = ["Core"] * 10 + [f"Mid{i}" for i in range(3) for _ in range(3)] + [f"Tail{i}" for i in range(10)]
    papers = pd.DataFrame({"paper_id": [f"p{i}" for i in range(len(venues))], "year": 2020, "venue": venues})
    v = compute_venues(papers, scope="all")
    assert v.groupby("zone")["papers"].agg(["size", "sum"]).values.tolist() == [[1, 10], [4, 10], [9, 9]]


def test_lotka_fit():
    """Authors with 1, 2, 3 papers: 9, 3, 1 -> a fit by hand on the log-log points."""
    rows = [(f"s{i}", f"a{i}") for i in range(9)]
    rows += [(f"d{i}{k}", f"b{i}") for i in range(3) for k in range(2)]
    rows += [(f"t{k}", "c0") for k in range(3)]
    au = pd.DataFrame(rows, columns=["paper_id", "author_id"])
    papers = pd.DataFrame({"paper_id": au["paper_id"].unique(), "year": 2021})
    t = compute_lotka(papers, au, scope="all")
    assert list(t.columns) == LOTKA_COLUMNS
    assert t[["papers", "authors"]].values.tolist() == [[1, 9], [2, 3], [3, 1]]
    assert t["share"].tolist() == pytest.approx([9 / 13, 3 / 13, 1 / 13])
    x = [math.log10(n) for n in (1, 2, 3)]
    y = [math.log10(s) for s in (9 / 13, 3 / 13, 1 / 13)]
    mx, my = sum(x) / 3, sum(y) / 3
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x)
    assert t["alpha"].iloc[0] == pytest.approx(-slope)
    assert t["c"].iloc[0] == pytest.approx(10 ** (my - slope * mx))
    assert t["fitted_share"].tolist() == pytest.approx([10 ** (my - slope * mx) * n ** slope for n in (1, 2, 3)])
    assert t["lotka_share"].tolist() == pytest.approx([6 / math.pi ** 2 / n ** 2 for n in (1, 2, 3)])
    assert 0.9 < t["r2"].iloc[0] <= 1.0


def test_lotka_single_productivity_level():
    papers, authorships, _ = small_field()
    t = compute_lotka(papers[papers["paper_id"].isin(["a", "d"])], authorships)
    assert t[["papers", "authors"]].values.tolist() == [[1, 1], [2, 1]]  # Ann 1 (a), Bo 2 (a, d)
    one = compute_lotka(papers[papers["paper_id"] == "a"], authorships)
    assert one["alpha"].isna().all() and "same number of papers" in one.attrs["note"]


def test_coauthor_clusters():
    """Two groups of co-authors joined by nobody, and one single-author paper."""
    au = pd.DataFrame({"paper_id": ["p", "p", "q", "q", "r", "r", "s", "s", "t"],
                       "author_id": ["1", "2", "1", "3", "4", "5", "4", "5", "6"],
                       "author_name": ["Ann", "Bo", "Ann", "Cy", "Di", "Ed", "Di", "Ed", "Flo"]})
    papers = pd.DataFrame({"paper_id": list("pqrst"), "year": 2020})
    members, clusters = compute_coauthor_clusters(papers, au, scope="all")
    assert list(clusters.columns) == COAUTHOR_CLUSTER_COLUMNS
    assert clusters.values.tolist() == [[0, 3, 2, "Ann, Bo, Cy", "Ann / Bo / Cy"],
                                        [1, 2, 2, "Di, Ed", "Di / Ed"]]
    assert members[["author_id", "papers", "cluster"]].values.tolist() == [
        ["1", 2, 0], ["2", 1, 0], ["3", 1, 0], ["4", 2, 1], ["5", 2, 1]]  # Flo wrote alone: no cluster
    lonely = pd.DataFrame({"paper_id": ["p"], "author_id": ["1"], "author_name": ["Ann"]})
    m, c = compute_coauthor_clusters(papers, lonely, scope="all")
    assert m.empty and "no two authors" in c.attrs["skipped"]
