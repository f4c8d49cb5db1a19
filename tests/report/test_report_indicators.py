"""The indicator sections of the report: a figure with reading guidance each, or the reason it is missing."""

from __future__ import annotations

import re

import pandas as pd

from medvlm_graph.analysis.indicators import run_indicators
from medvlm_graph.report.indicators import indicator_sections

IDS = ["disruption", "sleeping-beauties", "rpys", "tree-of-science", "authors-venues", "coauthors", "coword"]


def _section(html: str, sid: str) -> str:
    return re.search(rf'<section id="{sid}">(.*?)</section>', html, re.S).group(1)


def test_sections_from_a_run(synth):
    t = synth.frames()
    run = run_indicators(t["papers"], citations=t["citations"], authorships=t["authorships"])
    sections = indicator_sections(run)
    assert [s.id for s in sections] == IDS
    body = {s.id: "\n".join(s.body) for s in sections}
    for sid, fid in [("disruption", "fig-disruption"), ("rpys", "fig-rpys"), ("tree-of-science", "fig-tree"),
                     ("coword", "fig-coword")]:
        assert f'<div id="{fid}"' in body[sid]
        # two sentences of reading guidance before the figure
        guide = re.search(r'<p class="guide">(.*?)</p>', body[sid]).group(1)
        assert guide.count(". ") >= 1 and guide.endswith(".")
    assert 'id="table-tree"' in body["tree-of-science"]
    # two authors who never wrote together: the reason, not an empty figure
    assert "plotly-graph-div" not in body["coauthors"]
    assert "no two authors of the papers in scope wrote a paper together" in body["coauthors"]


def test_skipped_parts_say_why():
    papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "title": ["alpha; beta", "alpha; beta", "gamma"],
                           "year": [2020, 2021, 2022]})
    sections = indicator_sections(run_indicators(papers))
    body = {s.id: "\n".join(s.body) for s in sections}
    for sid in ("disruption", "sleeping-beauties", "rpys", "tree-of-science"):
        assert "nothing to show: no citations in the corpus (they come from `medvlm-graph refresh` or `ingest`)" in body[sid]
        assert "plotly-graph-div" not in body[sid]
    assert body["authors-venues"].count('class="note"') == 3
    assert '<div id="fig-coword"' in body["coword"]


def test_a_failed_run_is_one_note():
    (s,) = indicator_sections(None)
    assert s.id == "indicators" and "could not be computed" in s.body[0]


def test_snapshot_report_shows_the_reasons(snapshot_report):
    html = snapshot_report.read_text(encoding="utf-8")
    toc = re.search(r'<nav class="toc" id="contents">(.*?)</nav>', html, re.S).group(1)
    assert all(f'href="#{sid}"' in toc for sid in IDS)
    assert "no citations in the corpus (they come from `medvlm-graph refresh` or `ingest`)" in _section(html, "disruption")
    assert '<div id="fig-coword" class="plotly-graph-div"' in _section(html, "coword")
