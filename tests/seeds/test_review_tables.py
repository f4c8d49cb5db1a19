"""The review's own list, written back as its markdown tables, reads back to the exact 221 rows of the snapshot.

The upstream README is not part of the repository; this test rebuilds its layout (one model table with
Index | Model Names | Paper Names | Natural\\Medical | Paper Link, one table per task section with
Index | Paper Names | PDF Link, the last one with a Tasks column) from the shipped snapshot, and checks
that the reader, tables and every other shape together, gives back every fact of every row.
"""

from __future__ import annotations

import pandas as pd

from medvlm_graph.seeds import load_snapshot, parse_markdown
from medvlm_graph.seeds.rows import FACT_COLUMNS


def cell(value) -> str:
    return "-" if value is None or pd.isna(value) else str(value).replace("|", "\\|")


def link(url) -> str:
    return "-" if url is None or pd.isna(url) else f"[PDF]({url})"


def as_markdown(snap: pd.DataFrame) -> str:
    out = ["# Taming Vision-Language Models for Medical Image Analysis: A Comprehensive Review", ""]
    models = snap[snap["section"] == "models"]
    out += ["## The summary of natural and medical VLMs which are utilzed in medical image analysis tasks.",
            "| Index | Model Names  | Paper Names  | Natural\\Medical    | Paper Link       |",
            "|:----:|:----------|:----------|:-------------------------|:-----------|"]
    out += [f"| {cell(r.list_index)} | {cell(r.model_name)} | {cell(r.title)} | {str(r.origin).title()} | "
            f"{link(r.url)} |" for r in models.itertuples()]
    for section, rows in snap[snap["section"] != "models"].groupby("section", sort=False):
        with_tasks = rows["task"].nunique() > 1
        out += ["", f"## {section}"]
        if with_tasks:
            out += ["| Index | Paper Names  | Tasks  | PDF Link       |", "|:----:|:----------|:----------|:-----------|"]
            out += [f"| {cell(r.list_index)} | {cell(r.title)} | {cell(r.task)} | {link(r.url)} |"
                    for r in rows.itertuples()]
        else:
            out += ["| Index | Paper Names  | PDF Link       |", "|:----:|:----------|:-----------|"]
            out += [f"| {cell(r.list_index)} | {cell(r.title)} | {link(r.url)} |" for r in rows.itertuples()]
    return "\n".join(out) + "\n"


def test_the_review_tables_read_back_to_the_snapshot():
    snap = load_snapshot()
    again = parse_markdown(as_markdown(snap), source="README.md")
    assert len(again) == 221
    pd.testing.assert_frame_equal(again[FACT_COLUMNS], snap[FACT_COLUMNS])
    assert again["title_original"].isna().all()  # no title of the review needed cleaning
