"""SYNTHETIC test data (invented for tests; not facts about any real paper).

Small contract tables for the report and browser tests: four task seeds, two
model-table rows, eight papers, a few citations and labels. ``hostile=True``
puts markup in titles, venues and author names to prove it ends up inert.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd

from medvlm_graph.io import write_parquet
from medvlm_graph.tables import conform

XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_IMG = '"><img src=x onerror="window.__xss=2">'


TOPICS = ["lesion segmentation with prompts", "organ segmentation adapters", "chest xray question answering",
          "radiology report generation", "contrastive image text pretraining", "pathology slide retrieval",
          "question answering benchmark", "visual question reasoning agents"]


def frames(*, hostile: bool = False) -> dict[str, pd.DataFrame]:
    t = (lambda s, i: f"{s} {XSS_SCRIPT}" if i % 2 == 0 else f"{s} {XSS_IMG}") if hostile else (lambda s, i: s)
    seeds = pd.DataFrame({
        "seed_id": ["s1", "s2", "s3", "s4", "m1", "m2"],
        "section": ["Segmentation", "Segmentation", "Medical VQA", "Medical Report Generation", "models", "models"],
        "task": ["segmentation", "segmentation", "vqa", "report_generation", None, None],
        "title": [t("Synthetic segmentation paper A", 0), t("Synthetic segmentation paper B", 1),
                  t("Synthetic VQA paper", 2), t("Synthetic report paper", 3), "Synthetic model one",
                  "Synthetic model two"],
        "url": ["https://arxiv.org/abs/2303.00001", "https://doi.org/10.1000/syn.2", None,
                "https://openaccess.thecvf.com/content/CVPR2022/x.html", "https://arxiv.org/abs/2103.00001",
                "javascript:alert(1)"],
        "arxiv_id": ["2303.00001", None, None, None, "2103.00001", None],
        "doi": [None, "10.1000/syn.2", None, None, None, None],
        "model_name": [None, None, None, None, "SynCLIP", "SynSAM"],
        "origin": [None, None, None, None, "natural", "medical"],
        "paper_id": ["P1", "P2", "P3", "P4", "P5", None],
        "match": ["id", "id", "title", "id", "id", "none"],
        "venue_hint": [None, None, None, "CVPR", None, None],
        "year_hint": [None, None, None, 2022, None, None],
        "match_score": [1.0, 1.0, 0.97, 1.0, 1.0, float("nan")],
    })
    papers = pd.DataFrame({
        "paper_id": [f"P{i}" for i in range(1, 9)],
        "title": [t(f"Synthetic paper {i}: {topic}", i) for i, topic in enumerate(TOPICS, start=1)],
        "year": [2023, 2022, 2023, 2022, 2021, 2023, 2024, 2024],
        "venue": [t("Synthetic Venue", i) for i in range(1, 9)],
        "citation_count": [10, 5, 3, 8, 100, 1, 0, 2],
        "is_seed": [True] * 5 + [False] * 3,
        "seed_id": ["s1", "s2", "s3", "s4", "m1", None, None, None],
    })
    citations = pd.DataFrame({
        "citing_id": ["P1", "P2", "P3", "P4", "P6", "P7", "P8", "P7"],
        "cited_id": ["P5", "P5", "P5", "P5", "P1", "P1", "P3", "P6"],
        "is_influential": [True, False, False, True, False, False, False, False],
    })
    lab = [("P1", "task", "segmentation"), ("P2", "task", "segmentation"), ("P3", "task", "vqa"),
           ("P4", "task", "report_generation"), ("P6", "task", "segmentation"), ("P7", "task", "vqa"),
           ("P8", "task", "vqa"), ("P1", "strategy", "prompting"), ("P2", "strategy", "fine_tuning"),
           ("P3", "strategy", "prompting"), ("P4", "strategy", "pretraining"), ("P7", "strategy", "prompting"),
           ("P1", "modality", "ct"), ("P3", "modality", "xray"), ("P4", "modality", "xray"),
           ("P1", "model", "synclip"), ("P3", "model", "synclip"), ("P7", "model", "synclip")]
    labels = pd.DataFrame(lab, columns=["paper_id", "dimension", "label"]).assign(source="rules", score=1.0)
    authorships = pd.DataFrame({"paper_id": ["P1", "P2"], "author_id": ["A1", "A2"],
                                "author_name": [t("Ada Synthetic", 0), t("Bob Synthetic", 1)],
                                "position": [0, 0]})
    return {"seeds": conform(seeds, "seeds"), "papers": conform(papers, "papers"),
            "citations": conform(citations, "citations"), "labels": conform(labels, "labels"),
            "authorships": conform(authorships, "authorships")}


FETCH_PROVENANCE = {"source": "refresh", "finished_at": "2026-01-02T03:04:05+00:00",
                    "api_url": "http://127.0.0.1:8000/graph/v1", "complete": True}


def write_data_dir(root: Path, *, hostile: bool = False, fetched: bool = True) -> Path:
    """Write the synthetic tables as a built data dir (fetched layer, then processed tables).

    The processed tables are dated after the fetched layer so that ``Corpus.load`` reads them as
    they are instead of rebuilding (it rebuilds when an input is newer than the build).
    """
    fr = frames(hostile=hostile)
    if fetched:
        for name in ("papers", "citations", "authorships", "seeds"):
            write_parquet(fr[name], root / "raw" / "fetched" / f"{name}.parquet")
        (root / "raw" / "fetched" / "provenance.json").write_text(json.dumps(FETCH_PROVENANCE))
    later = time.time() + 60
    for name, df in fr.items():
        path = write_parquet(df, root / "processed" / f"{name}.parquet")
        os.utime(path, (later, later))
    return root
