"""write_report on temp data dirs: one plotly.js, the TOC, provenance, escaping, gaps.md."""

from __future__ import annotations

import re

from medvlm_graph.report import NOT_FETCHED, PLOTLY_SIGNATURE, write_report
from medvlm_graph.report.builder import MAX_TABLE_PAPERS

SECTIONS = ["overview", "field", "review-list", "labels", "trends", "adoption", "network", "clusters", "gaps",
            "candidates", "disruption", "sleeping-beauties", "rpys", "tree-of-science", "authors-venues", "coauthors",
            "coword", "papers"]


def _figure_ids(html: str) -> list[str]:
    return re.findall(r'<div id="(fig-[a-z-]+)" class="plotly-graph-div"', html)


def test_report_on_built_data(built_dir):
    path = write_report(built_dir)
    assert path == built_dir / "processed" / "report" / "index.html"
    html = path.read_text(encoding="utf-8")
    assert html.count(PLOTLY_SIGNATURE) == 1  # the library once, in the head
    assert html.index(PLOTLY_SIGNATURE) < html.index("</head>")
    toc = re.search(r'<nav class="toc" id="contents">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="#([a-z-]+)"', toc) == SECTIONS
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in html
    assert "Semantic Scholar data: fetched 2026-01-02T03:04:05+00:00 by <code>refresh</code>" in html
    assert "Review list: github.com/haonenglin/Awesome-VLM-for-MIA commit 4d3b7c71409b (2025-10-16)" in html
    assert _figure_ids(html) == [
        "fig-seed-tasks", "fig-seed-ids", "fig-seed-years", "fig-task-strategy", "fig-task-modality", "fig-sankey",
        "fig-label-network", "fig-trends-task", "fig-trends-strategy", "fig-adoption", "fig-network",
        "fig-cluster-map", "fig-thematic", "fig-disruption", "fig-sleeping-beauties", "fig-rpys", "fig-tree",
        "fig-authors", "fig-bradford", "fig-lotka", "fig-coword"]
    # every figure is drawn by exactly one newPlot call, and each has guidance text before it
    assert html.count("Plotly.newPlot(") == 21
    assert html.count('<p class="guide">') >= 21
    # offline: nothing is fetched from elsewhere
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="https?:', html)
    assert "mathjax" not in html.lower().split("</head>")[1]
    # the synthetic papers table lists the 8 papers, most cited first
    table = re.search(r'<table class="sortable" id="table-papers">(.*?)</table>', html, re.S).group(1)
    assert table.count("<tr>") == 9 and MAX_TABLE_PAPERS > 8
    assert table.index("Synthetic paper 5") < table.index("Synthetic paper 1")


def test_report_not_fetched_says_so(snapshot_report):
    html = snapshot_report.read_text(encoding="utf-8")
    assert html.count(PLOTLY_SIGNATURE) == 1
    assert ("Semantic Scholar data: not fetched — run <code>medvlm-graph refresh</code> or <code>ingest</code> "
            "to add citations, abstracts") in html
    assert NOT_FETCHED.startswith("Semantic Scholar data: not fetched")
    network = re.search(r'<section id="network">(.*?)</section>', html, re.S).group(1)
    assert "plotly-graph-div" not in network and "needs references and citations" in network
    # day-one figures are there from the list alone
    ids = _figure_ids(html)
    assert ids[:3] == ["fig-seed-tasks", "fig-seed-ids", "fig-seed-years"]
    seeds_table = re.search(r'<table class="sortable" id="table-seeds">(.*?)</table>', html, re.S).group(1)
    assert seeds_table.count("<tr>") == 222  # header + the 221 rows of the shipped list
    gaps = snapshot_report.parent / "gaps.md"
    assert gaps.read_text(encoding="utf-8").startswith("# Research gaps")
    assert (snapshot_report.parent / "gaps.csv").exists()


def test_hostile_strings_are_escaped(hostile_dir, synth):
    html = write_report(hostile_dir).read_text(encoding="utf-8")
    assert synth.XSS_SCRIPT not in html
    assert "<img src=x" not in html and 'onerror="window.__xss' not in html
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html  # in the tables, as text
    assert "<td>Ada Synthetic &lt;script&gt;window.__xss = 1&lt;/script&gt;</td>" in html  # first author
    # the javascript: link of the synthetic seed is not turned into a link
    assert 'href="javascript:' not in html


def test_report_out_option(built_dir, tmp_path):
    out = write_report(built_dir, out=tmp_path / "elsewhere" / "r.html")
    assert out.exists() and (out.parent / "gaps.md").exists()


def test_provenance_lines_cases(tmp_path):
    from medvlm_graph.paths import DataPaths
    from medvlm_graph.report.builder import ReportData, provenance_lines
    from medvlm_graph.tables import empty

    def data(list_prov, fetch_prov):
        return ReportData(paths=DataPaths(tmp_path), seeds=empty("seeds"), papers=empty("papers"),
                          citations=empty("citations"), labels=empty("labels"), list_provenance=list_prov,
                          fetch_provenance=fetch_prov)

    lines = provenance_lines(data({"upstream": "github.com/o/r", "commit": "abcdef0123456789", "date": "2025-01-02",
                                   "rows": 3}, {"source": "ingest", "finished_at": "2026-02-03T04:05:06+00:00",
                                                "complete": False}))
    assert lines == ["Review list: github.com/o/r commit abcdef012345 (2025-01-02), 3 rows in the snapshot",
                     "Semantic Scholar data: fetched 2026-02-03T04:05:06+00:00 by `ingest` (incomplete: run it "
                     "again to finish)"]
    assert provenance_lines(data({}, None)) == ["Review list: provenance not recorded", NOT_FETCHED]


def test_a_refresh_that_resolved_nothing_is_never_called_fetched():
    from types import SimpleNamespace

    from medvlm_graph.report.builder import provenance_lines

    data = SimpleNamespace(list_provenance={}, seeds=[], fetch_provenance={"source": "refresh", "complete": True,
                                                                 "finished_at": "2026-01-01", "resolved": 0})
    line = provenance_lines(data)[1]
    assert "fetched" not in line and "resolved none of the seeds" in line
    data.fetch_provenance["resolved"] = 3
    assert provenance_lines(data)[1] == "Semantic Scholar data: fetched 2026-01-01 by `refresh`"
def test_try_notes_project_errors_and_lets_bugs_fail(tmp_path):
    """An analysis that refuses its data (MedvlmError) becomes a note; any other exception is a bug and propagates."""
    import pytest

    from medvlm_graph.errors import DataError
    from medvlm_graph.paths import DataPaths
    from medvlm_graph.report.builder import ReportData, _try
    from medvlm_graph.tables import empty

    data = ReportData(paths=DataPaths(tmp_path), seeds=empty("seeds"), papers=empty("papers"),
                      citations=empty("citations"), labels=empty("labels"))

    def refuses():
        raise DataError("no years to count")

    def buggy():
        return None + 1

    assert _try(data, "trends", refuses) is None
    assert data.notes == ["trends failed: DataError: no years to count"]
    with pytest.raises(TypeError):
        _try(data, "bursts", buggy)
    assert _try(data, "sum", sum, [1, 2]) == 3
