"""Fixtures of the build tests. Every seed list and fetched layer here is SYNTHETIC (made up for the tests)."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.io import atomic_write_json, write_parquet
from medvlm_graph.paths import DataPaths

# Synthetic seed list: 8 rows that are 5 papers.
#   s1/s2 share an arXiv id (s2 with a version), s3/s4 share a DOI (case differs),
#   s5/s6 share a normalised title (s6 is a model-table row), s7 and s8 are alone.
SEEDS = pd.DataFrame({
    "seed_id": ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
    "section": ["Segmentation", "Medical VQA", "Medical Report Generation", "Medical Multi-task Learning",
                "Medical Image-Text Retrieval", "models", "Medical VQA", "models"],
    "task": ["segmentation", "vqa", "report_generation", "multi_task", "retrieval", None, "vqa", None],
    "title": ["Alpha segmentation with SAM", "Alpha: segmentation with SAM (extended)",
              "Beta report generation for chest X-ray", "Beta multi-task learning",
              "Gamma Retrieval of CT.", "Gamma retrieval of CT", "Delta visual question answering on X-ray",
              "Segment Anything"],
    "url": [None] * 8,
    "arxiv_id": ["2401.00001", "2401.00001v2", None, None, None, None, None, None],
    "doi": [None, None, "10.1/ABC", "10.1/abc", None, None, None, None],
    "model_name": [None, None, None, None, None, "CLIP", None, "SAM"],
    "origin": [None, None, None, None, None, "natural", None, "natural"],
    "year_hint": [None, 2024, 2023, None, 2022, None, 2021, 2023],
})


@pytest.fixture
def seeds_dir(tmp_path):
    """A data dir whose chosen seed list is the synthetic SEEDS (no fetched layer)."""
    paths = DataPaths(tmp_path / "data")
    write_parquet(SEEDS, paths.seed_list)
    return paths


@pytest.fixture
def fetched_dir(seeds_dir):
    """SEEDS plus a synthetic fetched layer (papers, citations, authorships, resolved seeds, provenance)."""
    paths = seeds_dir
    papers = pd.DataFrame({
        "paper_id": ["P1", "P2", "R1", "R2", "C1", "R1", None],
        "title": ["Alpha segmentation with SAM", "Beta report generation for chest X-ray",
                  "CLIP-based ultrasound classification",
                  "Learning Transferable Visual Models From Natural Language Supervision",
                  "A citing paper on pathology", "CLIP-based ultrasound classification (dup)", "no id"],
        "year": [2024, 2023, 2022, 2021, 2025, 2022, 2020],
        "abstract": ["We fine-tune SAM.", None, None, None, None, None, None],
        "arxiv_id": ["2401.00001", None, None, None, None, None, None],
        "is_seed": [True, True, False, False, False, False, False],
        "source": ["s2"] * 7,
    })
    citations = pd.DataFrame({
        "citing_id": ["C1", "C1", "P1", "P1", "P2", "P2", "C1", None],
        "cited_id": ["P1", "R2", "R1", "R2", "R1", "R1", "MISSING", "R1"],
        "is_influential": [True, False, False, True, False, False, False, False],
        "intents": ["methodology", "", "background", "methodology", "", "", "", ""],
        "source": ["citations", "references", "references", "references", "references", "references",
                   "citations", "citations"],
    })
    authorships = pd.DataFrame({
        "paper_id": ["P1", "P1", "C1", "GONE"],
        "author_id": ["a1", "a2", "a1", "a9"],
        "author_name": ["Ann", "Bob", "Ann", "Zed"],
        "position": [0, 1, 0, 0],
    })
    seeds = SEEDS.copy()
    seeds["paper_id"] = ["P1", None, "P2", "GHOST", None, None, None, None]
    seeds["match"] = ["id", "none", "title", "id", "none", "none", "none", "none"]
    for name, df in (("papers", papers), ("citations", citations), ("authorships", authorships), ("seeds", seeds)):
        write_parquet(df, paths.fetched_table(name))
    atomic_write_json(paths.fetched / "provenance.json",
                      {"source": "refresh", "finished_at": "2026-01-01T00:00:00+00:00", "complete": True})
    return paths
