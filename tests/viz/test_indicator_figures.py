"""plot_* of the indicators draw the tables they are given (SYNTHETIC tables, computed by the compute_*
functions on invented papers); empty tables give a figure that says why; data strings are escaped."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from medvlm_graph.analysis import _frames
from medvlm_graph.analysis.actors import compute_authors, compute_coauthor_clusters, compute_lotka, compute_venues
from medvlm_graph.analysis.coword import compute_coword_map
from medvlm_graph.analysis.disruption import compute_disruption
from medvlm_graph.analysis.rpys import compute_rpys
from medvlm_graph.analysis.sleeping import compute_sleeping_beauties
from medvlm_graph.analysis.treeofscience import compute_tree_of_science
from medvlm_graph.viz import indicators as viz

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def corpus():
    years = {"r": 2000, "s": 2001, "a": 2010, "b": 2011, "c": 2018, "d": 2019, "e": 2020, "f": 2021}
    cites = [("a", "r"), ("a", "s"), ("b", "r"), ("b", "s"), ("c", "a"), ("c", "b"), ("d", "a"), ("d", "r"),
             ("e", "a"), ("e", "b"), ("f", "c"), ("f", "a")]
    papers = pd.DataFrame({"paper_id": list(years), "year": list(years.values()),
                           "title": [f"{EVIL} paper {k}" for k in years], "venue": ["V1", "V1", "V2"] + ["V1"] * 5})
    au = pd.DataFrame({"paper_id": ["a", "a", "b", "c", "c", "d"], "author_id": ["1", "2", "1", "1", "3", "2"],
                       "author_name": [EVIL, "Bo", EVIL, EVIL, "Cy", "Bo"]})
    return papers, pd.DataFrame(cites, columns=["citing_id", "cited_id"]), au


def _html(fig: go.Figure) -> str:
    return fig.to_html(include_plotlyjs=False)


def test_disruption_points_are_the_rows(corpus):
    papers, citations, _ = corpus
    cd = compute_disruption(papers, citations, scope="all")
    fig = viz.plot_disruption(cd)
    xs = sorted(x for t in fig.data for x in t.x)
    assert xs == sorted((cd["n_i"] + cd["n_j"]).tolist())
    assert sorted(y for t in fig.data for y in t.y) == sorted(cd["cd"].tolist())
    assert EVIL not in _html(fig) and "&lt;script&gt;" in _html(fig)


def test_sleeping_beauties_curves(corpus):
    papers, citations, _ = corpus
    sb, curves = compute_sleeping_beauties(papers, citations, scope="all", curves=2)
    fig = viz.plot_sleeping_beauties(curves, sb)
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert len(lines) == curves["paper_id"].nunique() == 2
    first = curves[curves["paper_id"] == curves["paper_id"].iloc[0]]
    assert list(lines[0].x) == first["year"].tolist() and list(lines[0].y) == first["citations"].tolist()


def test_rpys_bars_line_and_peaks(corpus):
    papers, citations, _ = corpus
    spectrum, peaks = compute_rpys(papers, citations, scope="all")
    fig = viz.plot_rpys(spectrum, peaks)
    assert list(fig.data[0].y) == spectrum["references"].tolist()
    assert list(fig.data[1].y) == spectrum["deviation"].tolist()
    assert len(fig.data) == 2 + (spectrum["peak_rank"].notna().any())


def test_tree_parts(corpus):
    papers, citations, _ = corpus
    tree = compute_tree_of_science(papers, citations, scope="all", min_leaf_connections=1)
    fig = viz.plot_tree_of_science(tree)
    assert [t.name for t in fig.data] == [f"{p} ({(tree['part'] == p).sum()})" for p in ("root", "trunk", "leaf")
                                          if (tree["part"] == p).any()]
    assert sum(len(t.x) for t in fig.data) == len(tree)


def test_authors_venues_lotka_coauthors(corpus):
    papers, citations, au = corpus
    authors = compute_authors(papers, au, citations, scope="all")
    fig = viz.plot_authors(authors)
    assert list(fig.data[0].x) == authors["papers"].tolist()[::-1]
    assert EVIL not in _html(fig)
    venues = compute_venues(papers, citations, scope="all")
    fig = viz.plot_bradford(venues)
    assert sum(len(t.x) for t in fig.data) == len(venues)
    lotka = compute_lotka(papers, au, scope="all")
    fig = viz.plot_lotka(lotka)
    assert list(fig.data[0].y) == lotka["share"].tolist() and len(fig.data) == 3
    _, clusters = compute_coauthor_clusters(papers, au, scope="all")
    fig = viz.plot_coauthor_clusters(clusters)
    assert list(fig.data[0].x) == clusters["authors"].tolist()[::-1]


def test_coword_map(corpus):
    papers, _, _ = corpus
    papers = papers.assign(title=["graph alpha; beta", "alpha; beta", "beta; gamma", "gamma; delta", "delta",
                                  "alpha; delta", "gamma", "beta"])
    terms, links = compute_coword_map(papers, scope="all")
    fig = viz.plot_coword_map(terms, links)
    nodes = [t for t in fig.data if t.mode == "markers+text"]
    assert sorted(x for t in nodes for x in t.text) == sorted(terms["term"])
    edges = fig.data[0]
    assert sum(v is None for v in edges.x) == len(links)


@pytest.mark.parametrize("plot", [viz.plot_disruption, viz.plot_rpys, viz.plot_tree_of_science, viz.plot_authors,
                                  viz.plot_bradford, viz.plot_lotka, viz.plot_coauthor_clusters,
                                  viz.plot_coword_map, viz.plot_sleeping_beauties])
def test_empty_tables_say_why(plot):
    fig = plot(_frames.skipped(["x"], "no citations (run refresh)"))
    assert len(fig.data) == 0
    assert "Nothing to show: no citations (run refresh)" in fig.layout.annotations[0].text
