"""Fixtures of the analysis tests. Every table here is SYNTHETIC (hand-made), not real data."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph import tables


def labels_frame(rows, score=1.0) -> pd.DataFrame:
    """``(paper_id, dimension, label)`` rows -> a labels table (source manual, fixed score)."""
    df = pd.DataFrame(rows, columns=["paper_id", "dimension", "label"])
    df["source"] = "manual"
    df["score"] = score
    return tables.conform(df, "labels")


@pytest.fixture
def gap_labels() -> pd.DataFrame:
    """Task x strategy table O = [[6, 0], [2, 4]] (rows segmentation, vqa; cols fine_tuning, prompting)."""
    rows = []
    for i in range(6):
        rows += [(f"s{i}", "task", "segmentation"), (f"s{i}", "strategy", "fine_tuning")]
    for i in range(4):
        rows += [(f"v{i}", "task", "vqa"), (f"v{i}", "strategy", "prompting")]
    for i in range(4, 6):
        rows += [(f"v{i}", "task", "vqa"), (f"v{i}", "strategy", "fine_tuning")]
    return labels_frame(rows)


@pytest.fixture
def synthetic_corpus() -> dict[str, pd.DataFrame]:
    """A tiny synthetic corpus: 8 seed papers in two topics over 2020-2023, plus 2 non-seed papers
    and citations among them. Returned as conformed contract tables."""
    seg = ["Lung CT nodule segmentation with SAM adapters", "CT liver tumor segmentation with SAM prompts",
           "SAM adapters for CT organ segmentation", "Prompted SAM for CT lesion segmentation"]
    rep = ["Chest X-ray report generation with large language models",
           "Radiology report generation from chest X-ray with knowledge graphs",
           "Knowledge-enhanced chest X-ray report generation", "Large language models write chest X-ray reports"]
    ids = [f"p{i}" for i in range(8)]
    papers = pd.DataFrame({"paper_id": ids + ["x1", "x2"], "title": seg + rep + ["Other A", "Other B"],
                           "year": [2020, 2021, 2022, 2023, 2020, 2021, 2022, 2023, 2021, 2022],
                           "is_seed": [True] * 8 + [False, False], "seed_id": ids + [None, None]})
    rows = []
    for i in range(4):
        rows += [(ids[i], "task", "segmentation"), (ids[i], "modality", "ct"), (ids[i], "model", "sam"),
                 (ids[i], "strategy", "fine_tuning" if i < 2 else "prompting")]
    for i in range(4, 8):
        rows += [(ids[i], "task", "report_generation"), (ids[i], "modality", "xray"),
                 (ids[i], "strategy", "knowledge" if i < 6 else "off_the_shelf")]
    labels = labels_frame(rows)
    cites = [("p1", "p0"), ("p2", "p1"), ("p3", "p2"), ("p3", "p0"), ("p5", "p4"), ("p6", "p5"), ("p7", "p6"),
             ("p7", "p4"), ("x2", "p0"), ("x2", "x1"), ("p2", "x1"), ("p6", "x1")]
    citations = pd.DataFrame(cites, columns=["citing_id", "cited_id"])
    seeds = pd.DataFrame({"seed_id": ids, "section": ["Segmentation"] * 4 + ["Medical Report Generation"] * 4,
                          "task": ["segmentation"] * 4 + ["report_generation"] * 4, "title": seg + rep,
                          "paper_id": ids, "match": "id"})
    return {"papers": tables.conform(papers, "papers"), "labels": labels,
            "citations": tables.conform(citations, "citations"), "seeds": tables.conform(seeds, "seeds"),
            "authorships": tables.empty("authorships")}
