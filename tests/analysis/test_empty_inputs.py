"""Every compute_* on empty tables: an empty frame with its columns and a reason, never a crash."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from medvlm_graph import analysis as A
from medvlm_graph import tables


@pytest.fixture
def empty():
    return {n: tables.empty(n) for n in tables.TABLES}


CASES = {
    "trends": lambda e: A.compute_trends(e["papers"], e["labels"], "task"),
    "growth": lambda e: A.compute_growth(A.compute_trends(e["papers"], e["labels"], "task")),
    "bursts": lambda e: A.compute_bursts(A.compute_trends(e["papers"], e["labels"], "task")),
    "citation_bursts": lambda e: A.compute_citation_bursts(e["papers"], e["citations"]),
    "adoption": lambda e: A.compute_model_adoption(e["papers"], e["labels"], e["seeds"]),
    "text_clusters": lambda e: A.compute_text_clusters(e["papers"])[0],
    "graph_clusters": lambda e: A.compute_graph_clusters(nx.Graph())[0],
    "agreement": lambda e: A.compute_cluster_agreement(pd.DataFrame(columns=["paper_id", "cluster"]), e["labels"]),
    "thematic": lambda e: A.compute_thematic_map(pd.DataFrame(columns=["paper_id", "cluster"]), nx.Graph()),
    "centrality": lambda e: A.compute_centrality(nx.DiGraph()),
    "spc": lambda e: A.compute_spc(nx.DiGraph()),
    "main_path": lambda e: A.compute_main_path(nx.DiGraph()),
    "gaps": lambda e: A.compute_gaps(e["labels"], "task", "modality"),
    "all_gaps": lambda e: A.compute_all_gaps(e["labels"])[1],
    "gap_trends": lambda e: A.compute_gap_trends(e["papers"], e["labels"], "task", "strategy"),
    "model_gaps": lambda e: A.compute_model_task_gaps(e["labels"]),
    "missed": lambda e: A.compute_missed_papers(e["papers"], e["citations"], e["seeds"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_empty_input_gives_reason(name, empty):
    df = CASES[name](empty)
    assert isinstance(df, pd.DataFrame) and df.empty and len(df.columns) >= 3
    assert isinstance(A.skip_reason(df), str) and A.skip_reason(df)


def test_render_with_nothing(empty):
    cells, tests = A.compute_all_gaps(empty["labels"])
    md = A.render_gaps_markdown(cells, tests=tests)
    assert "No gap table could be computed" in md and "## What could not be computed" in md
    assert "gap tables: no paper carries both a task and a strategy label" in md


def test_one_year_inputs():
    papers = pd.DataFrame({"paper_id": ["a", "b"], "year": [2024, 2024], "title": ["x", "y"]})
    lab = pd.DataFrame({"paper_id": ["a", "b", "a", "b"], "dimension": ["task"] * 2 + ["strategy"] * 2,
                        "label": ["vqa", "segmentation", "prompting", "knowledge"], "score": 1.0})
    t = A.compute_trends(papers, lab, "task")
    assert t["year"].unique().tolist() == [2024]
    assert A.compute_bursts(t).attrs["skipped"] == "bursts need at least two years of data"
    assert A.compute_growth(t).attrs["skipped"] == "growth needs at least two years"
    assert "recent window" in A.compute_gap_trends(papers, lab, "task", "strategy").attrs["skipped"]
