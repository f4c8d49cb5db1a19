"""gaps.md: numbers traceable to rows, papers at the edges, what was not computed."""

from __future__ import annotations

import re

import pandas as pd

from medvlm_graph.analysis import (
    compute_all_gaps,
    compute_gap_trends,
    compute_missed_papers,
    compute_model_task_gaps,
    render_gaps_markdown,
)


def _papers(labels):
    ids = sorted(set(labels["paper_id"]))
    return pd.DataFrame({"paper_id": ids, "title": [f"Title of {i}" for i in ids],
                         "year": [2020 + (k % 4) for k in range(len(ids))]})


def test_gap_named_with_numbers_and_edges(gap_labels):
    cells, tests = compute_all_gaps(gap_labels, [("task", "strategy")])
    papers = _papers(gap_labels)
    missed = compute_missed_papers(papers, pd.DataFrame(columns=["citing_id", "cited_id"]))
    md = render_gaps_markdown(cells, tests=tests, papers=papers, missed=missed, model_gaps=None,
                              source="synthetic test data")
    assert "Data: synthetic test data." in md
    assert ("**`vqa` x `fine_tuning`**: 2 paper(s) observed, 4.00 expected (6 vqa x 8 fine_tuning / 12); "
            "Pearson residual -1.00, adjusted residual -2.45.") in md
    assert "chi2 = 6.00, dof = 1, p = 0.0143" in md
    # the cell's papers and the papers at its edges, with their ids
    assert "Title of v4 (2022; `v4`)" in md and "Title of v5 (2023; `v5`)" in md
    assert "vqa papers with other strategy labels (prompting 4)" in md
    assert "fine_tuning papers in other task labels (segmentation 6)" in md
    # most recent first, three per side, the rest counted
    assert "Title of s3 (2023; `s3`)" in md and "... and 3 more" in md
    # empty combinations are listed with their expected counts
    assert "| segmentation (total 6) | prompting (2.0) |" in md
    assert "## What could not be computed" in md
    assert "papers the review may have missed: needs S2 data" in md
    assert "model-task gaps: not computed" in md


def test_gap_lists_nest_as_commonmark(gap_labels):
    """Each side of a gap is a sub-list holding its papers (CommonMark, as GitHub and the report render it)."""
    from medvlm_graph.markup import markdown_to_html

    cells, tests = compute_all_gaps(gap_labels, [("task", "strategy")])
    html = markdown_to_html(render_gaps_markdown(cells, tests=tests, papers=_papers(gap_labels)))
    side = re.search(r"<li>fine_tuning papers in other task labels \(segmentation 6\):\n<ul>\n(.*?)</ul>", html, re.S)
    assert side is not None, html
    assert side.group(1).startswith("<li>Title of s") and side.group(1).count("<li>") == 4  # 3 titles + "more"
    assert "<li>Its edges: vqa papers with other strategy labels (prompting 4):\n<ul>" in html
    assert "<li>Papers in the cell:\n<ul>\n<li>Title of v" in html


def test_report_without_any_gap_lists_weakest_cells():
    from .conftest import labels_frame

    lab = labels_frame([("a", "task", "vqa"), ("a", "strategy", "prompting"), ("b", "task", "vqa"),
                        ("b", "strategy", "knowledge"), ("c", "task", "segmentation"), ("c", "strategy", "prompting")])
    cells, tests = compute_all_gaps(lab, [("task", "strategy")])
    md = render_gaps_markdown(cells, tests=tests)
    assert "No cell meets the gap rule" in md
    assert "**`segmentation` x `knowledge`**: 0 paper(s) observed, 0.33 expected" in md
    assert "(title unknown)" in md  # no papers table: ids still given


def test_every_number_in_report_matches_a_row(synthetic_corpus):
    c = synthetic_corpus
    cells, tests = compute_all_gaps(c["labels"], min_expected=1.0, z=1.0)
    trends = pd.concat([compute_gap_trends(c["papers"], c["labels"], "task", "strategy")])
    model_gaps = compute_model_task_gaps(c["labels"])
    missed = compute_missed_papers(c["papers"], c["citations"])
    md = render_gaps_markdown(cells, tests=tests, gap_trends=trends, model_gaps=model_gaps, missed=missed,
                              papers=c["papers"], min_expected=1.0, z=1.0)
    pat = re.compile(r"\*\*`(\w+)` x `(\w+)`\*\*: (\d+) paper\(s\) observed, ([\d.]+) expected \((\d+) \w+ x (\d+) \w+ / (\d+)\)")
    found = pat.findall(md)
    assert found
    for a, b, o, e, rt, ct, n in found:
        row = cells[(cells["label_a"] == a) & (cells["label_b"] == b)].iloc[0]
        assert (int(o), int(rt), int(ct), int(n)) == (row["observed"], row["row_total"], row["col_total"], row["n"])
        assert float(e) == round(row["expected"], 2)
    assert "## Papers the review may have missed" in md and "`x1`" in md
    assert "## Foundation models used in some tasks and absent from others" in md
    assert "**`sam`** (4 papers): used in segmentation (4)" in md
