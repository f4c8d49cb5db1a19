"""Candidates for the list on the refresh-shaped SYNTHETIC world (tests/relevance/field_world.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import field_world
from medvlm_graph.build import build
from medvlm_graph.cli import app
from medvlm_graph.errors import UsageError
from medvlm_graph.io import atomic_write_json
from medvlm_graph.living import RowFormat, compute_candidates, parse_since, render_candidates_markdown
from medvlm_graph.paths import DataPaths
from medvlm_graph.seeds import read_seeds


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    paths = DataPaths(tmp_path_factory.mktemp("cands") / "data")
    field_world.write_fetched(paths)
    return build(paths)


def test_candidates_since_the_list_by_section_newest_first(corpus):
    c = compute_candidates(corpus.papers, corpus.citations, corpus.seeds, corpus.labels,
                           since=field_world.LIST_DATE)
    # by hand: the field papers published on or after 2025-06-01 (f09 f18 f20 f22 f24 f31 f33 f35 f36),
    # in the section of their predicted task, indices continuing the section's numbering
    assert c[["section", "index", "paper_id", "evidence"]].values.tolist() == [
        ["Report Generation", 4, "f35", "strong"], ["Report Generation", 5, "f22", "strong"],
        ["Vqa", 3, "f09", "strong"], ["Anomaly Detection", 2, "f18", "strong"],
        ["Unassigned (no task predicted)", 1, "f36", "strong"], ["Unassigned (no task predicted)", 2, "f24", "strong"],
        ["Unassigned (no task predicted)", 3, "f33", "strong"], ["Unassigned (no task predicted)", 4, "f31", "strong"],
        ["Unassigned (no task predicted)", 5, "f20", "moderate"]]
    row = c.set_index("paper_id").loc["f09"]
    assert row["link"] == "https://doi.org/10.9999/field.8" and row["task"] == "vqa"
    assert row["ties"].startswith("cites ") and row["tied_seeds"]
    assert c.set_index("paper_id").loc["f24", "task"] == "registration"  # no registration section in this list
    # nothing that is a seed or outside the field
    assert not set(c["paper_id"]) & set(corpus.seeds["paper_id"])
    assert set(c["paper_id"]) <= set(field_world.build()["truth"].query("in_field")["paper_id"])


def test_candidates_markdown_parses_back_with_the_seed_reader(corpus, tmp_path):
    c = compute_candidates(corpus.papers, corpus.citations, corpus.seeds, corpus.labels,
                           since=field_world.LIST_DATE)
    md = tmp_path / "candidates.md"
    md.write_text(render_candidates_markdown(c, RowFormat()))
    back = read_seeds(md)
    assert back["title"].tolist() == c["title"].tolist()
    papers = corpus.papers.set_index("paper_id")
    expected_arxiv = [papers.loc[p, "arxiv_id"] if isinstance(papers.loc[p, "arxiv_id"], str) else None
                      for p in c["paper_id"]]
    assert [a if isinstance(a, str) else None for a in back["arxiv_id"]] == expected_arxiv
    expected_doi = [papers.loc[p, "doi"].lower() if isinstance(papers.loc[p, "doi"], str) else None
                    for p in c["paper_id"]]
    assert [d.lower() if isinstance(d, str) else None for d in back["doi"]] == expected_doi
    assert back["task"].tolist()[:4] == ["report_generation", "report_generation", "vqa", "anomaly_detection"]


def test_bullet_row_format():
    c = pd.DataFrame({"section": ["S"], "title": ["A  title"], "link": ["https://x/1"], "index": [7]})
    md = render_candidates_markdown(c, RowFormat(kind="bullet", template="* {title}. [paper]({link})"))
    assert md == "## S\n\n* A title. [paper](https://x/1)\n"


def test_since_must_be_a_date():
    assert str(parse_since("2025-10-16")) == "2025-10-16"
    with pytest.raises(UsageError, match="--since must be a date"):
        parse_since("last week")


def test_candidates_command_defaults_to_the_list_date(tmp_path):
    paths = DataPaths(tmp_path / "data")
    field_world.write_fetched(paths)
    # the list in use carries its date (and its row format) in its provenance
    (paths.raw).mkdir(parents=True, exist_ok=True)
    field_world.build()["seeds"].to_parquet(paths.seed_list)
    atomic_write_json(paths.seed_list.with_name("seeds.provenance.json"),
                      {"source": "synthetic.md", "date": field_world.LIST_DATE,
                       "row_format": {"kind": "table", "columns": ["#", "Title", "Link"], "link_text": "paper"}})
    res = CliRunner().invoke(app, ["--data-dir", str(paths.root), "candidates", "--top", "3"])
    assert res.exit_code == 0, res.output
    assert "3 candidate(s) published since 2025-06-01" in res.output
    md = (paths.processed / "candidates.md").read_text()
    assert "| # | Title | Link |" in md and "[paper](https://" in md
    csv = pd.read_csv(paths.processed / "candidates.csv")
    assert len(csv) == 3 and {"task_score", "strategy", "modality", "tied_seeds", "ties", "score"} <= set(csv.columns)
    res = CliRunner().invoke(app, ["--data-dir", str(paths.root), "candidates", "--since", "soon"])
    assert res.exit_code == 2 and "--since must be a date" in res.output


BULLET_LIST = """# A synthetic awesome list in bullets (written for this test)

## Medical VQA
- [**MICCAI 2024**] PMC-VQA style instruction tuning for medical VQA [[pdf]](https://arxiv.org/abs/2305.10415) [[code]](https://github.com/x/y)
- [**arXiv 2024**] A second VQA paper for radiology [[pdf]](https://arxiv.org/abs/2401.00002)
"""


def test_candidates_in_the_row_format_of_a_bullet_list(tmp_path):
    from medvlm_graph.living import list_info

    src = tmp_path / "bullets.md"
    src.write_text(BULLET_LIST)
    paths = DataPaths(tmp_path / "data")
    res = CliRunner().invoke(app, ["--data-dir", str(paths.root), "seeds", "--source", str(src)])
    assert res.exit_code == 0, res.output
    fmt = list_info(paths)["row_format"]
    assert fmt == {"kind": "bullet", "template": "- [**{tag}**] {title} [[pdf]]({link})"}
    c = pd.DataFrame({"section": ["Medical VQA"], "title": ["A new VQA paper"], "venue": ["MICCAI"], "year": [2025],
                      "link": ["https://arxiv.org/pdf/2511.00001"], "index": [3]})
    md = render_candidates_markdown(c, RowFormat.from_dict(fmt))
    assert md == "## Medical VQA\n\n- [**MICCAI 2025**] A new VQA paper [[pdf]](https://arxiv.org/pdf/2511.00001)\n"
    back = tmp_path / "back.md"
    back.write_text(md)
    rows = read_seeds(back)
    assert rows[["title", "task", "arxiv_id"]].values.tolist() == [["A new VQA paper", "vqa", "2511.00001"]]
