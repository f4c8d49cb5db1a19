"""Fixtures of the graph tests: a hand-made 5-paper world (synthetic, not real papers).

Citations (citing -> cited), with one duplicate row that must collapse:

    P1 -> P3, P4, P5
    P2 -> P3, P4   (P2 -> P3 given twice)
    P3 -> P5
    P4 -> P5
"""

from __future__ import annotations

import pandas as pd
import pytest

PAPERS = ["P1", "P2", "P3", "P4", "P5"]
EDGES = [
    ("P1", "P3"), ("P1", "P4"), ("P1", "P5"),
    ("P2", "P3"), ("P2", "P4"), ("P2", "P3"),
    ("P3", "P5"),
    ("P4", "P5"),
]


def citations_frame(edges, **extra) -> pd.DataFrame:
    return pd.DataFrame({"citing_id": [a for a, _ in edges], "cited_id": [b for _, b in edges], **extra})


@pytest.fixture
def make_citations():
    """``make_citations(edges, **extra_columns)`` -> citations frame."""
    return citations_frame


@pytest.fixture
def papers() -> pd.DataFrame:
    return pd.DataFrame({
        "paper_id": PAPERS,
        "title": ["Paper one", "Paper two", "Paper three", "Paper four", None],
        "year": [2021, 2022, 2020, 2020, None],
        "venue": ["MICCAI", None, "CVPR", "", "arXiv"],
        "is_seed": [True, True, False, None, False],
        "citation_count": [0, 0, 2, 2, 3],
    })


@pytest.fixture
def citations() -> pd.DataFrame:
    return citations_frame(EDGES)


@pytest.fixture
def labels() -> pd.DataFrame:
    # synthetic labels of the 5-paper world
    rows = [
        ("P1", "task", "vqa", "review", 1.0),
        ("P1", "modality", "xray", "rules", 0.9),
        ("P1", "model", "clip", "rules", 0.8),
        ("P2", "task", "vqa", "review", 1.0),
        ("P2", "modality", "xray", "rules", 0.6),
        ("P2", "modality", "ct", "rules", 0.7),
        ("P2", "model", "clip", "rules", 0.5),
        ("P2", "model", "clip", "manual", None),
        ("P3", "task", "segmentation", "model", 0.4),
        ("P3", "modality", "ct", "rules", 0.9),
        ("P3", "model", "sam", "rules", 0.9),
        ("P9", "model", "sam", "rules", 0.9),  # not in papers
    ]
    return pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"])
