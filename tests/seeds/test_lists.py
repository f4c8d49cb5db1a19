"""Several lists merged, another taxonomy's tasks, lists from a URL, and ``medvlm-graph seeds`` on them."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.errors import InputError
from medvlm_graph.seeds import read_list, read_seeds
from medvlm_graph.seeds.tasks import TaskMap
from medvlm_graph.taxonomy import load_taxonomy

R2GEN = "Generating Radiology Reports via Memory-driven Transformer"
MVLP = "Medical Vision Language Pretraining: A survey"

# SYNTHETIC taxonomy of another review: two tasks, neither named like the shipped ones' sections.
OTHER_TAXONOMY = """version: 1
dimensions:
  task:
    labels:
      - id: surgical_video
        name: Surgical video understanding
        rules:
          aliases: [Surgical Video Understanding, Surgical Video]
      - id: vqa
        name: Visual question answering
        rules:
          aliases: [Medical VQA]
          terms: [question answering]
"""


@pytest.fixture
def shapes(fixtures):
    return fixtures / "shapes"


def test_two_lists_merge_into_one_row_per_paper(shapes):
    a, b = shapes / "bullets_venue_tags.md", shapes / "paragraph_entries.md"
    read = read_list([a, b])
    df = read.table
    # 16 rows (15 papers) + 8 rows, two papers in both lists: 21 papers
    assert len(df) == 21 and df["seed_id"].is_unique
    r2gen = df[df["title"] == R2GEN].iloc[0]
    assert r2gen["lists"] == "bullets_venue_tags.md;paragraph_entries.md"
    assert r2gen["sections"] == "Medical Report Generation;Medical Vision-Language Model;Clinical-Report-Generation"
    assert (r2gen["task"], r2gen["section"], r2gen["arxiv_id"]) == ("report_generation", "Medical Report Generation",
                                                                    "2010.16056")
    mvlp = df[df["title"] == MVLP].iloc[0]
    assert (mvlp["lists"], mvlp["sections"], mvlp["task"]) == (
        "bullets_venue_tags.md;paragraph_entries.md", "Survey;Retrieval", "retrieval")
    only_b = df[df["title"].str.startswith("CLIP-Lung")].iloc[0]
    assert (only_b["lists"], only_b["sections"], only_b["task"]) == ("paragraph_entries.md", "Classification",
                                                                     "classification")
    assert read.notes == ["merged 2 lists (bullets_venue_tags.md 16, paragraph_entries.md 8 rows): 21 rows, one per "
                          "paper; 2 papers in more than one list"]
    assert [r.source for r in read.reports] == ["bullets_venue_tags.md", "paragraph_entries.md"]
    # seed ids of merged rows are those of the first listing
    first = read_seeds(a)
    assert r2gen["seed_id"] == first.loc[first["title"] == R2GEN, "seed_id"].iloc[0]


def test_merging_a_table_list_keeps_the_model_table(fixtures, shapes):
    df = read_seeds([fixtures / "april_like.md", shapes / "mixed.md"])
    llava = df[df["title_norm"].str.startswith("llava-med", na=False)]
    # April-like: model table + VQA; mixed: VQA + Foundation Models -> one row
    assert len(llava) == 1
    row = llava.iloc[0]
    assert (row["section"], row["model_name"], row["origin"], row["task"]) == ("Medical Visual Question Answering",
                                                                                "LLaVA-Med", "medical", "vqa")
    assert row["sections"] == "Medical Visual Question Answering;models;Foundation Models"
    assert row["lists"] == "april_like.md;mixed.md"


def test_same_file_names_are_told_apart(tmp_path, shapes):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "README.md").write_text((shapes / "nested_groups.md").read_text(encoding="utf-8"),
                                                encoding="utf-8")
    df = read_seeds([tmp_path / "a" / "README.md", tmp_path / "b" / "README.md"])
    assert len(df) == 7
    assert set(df["lists"]) == {f"{tmp_path / 'a' / 'README.md'};{tmp_path / 'b' / 'README.md'}"}


def test_another_taxonomy_gives_its_own_tasks(tmp_path, fixtures):
    path = tmp_path / "other.yaml"
    path.write_text(OTHER_TAXONOMY, encoding="utf-8")
    df = read_seeds(fixtures / "tricky.md", taxonomy=path)
    tasks = df[df["section"] != "models"].groupby("section", sort=False)["task"].first().to_dict()
    assert tasks["Surgical Video Understanding"] == "surgical_video"
    assert tasks["Medical VQA"] == "vqa"
    assert pd.isna(tasks["Medical Report Generation"]) and pd.isna(tasks["Segmentation"])
    # the shipped taxonomy maps them the other way round
    shipped = read_seeds(fixtures / "tricky.md")
    assert shipped.loc[shipped["section"] == "Medical Report Generation", "task"].iloc[0] == "report_generation"
    assert shipped.loc[shipped["section"] == "Surgical Video Understanding", "task"].isna().all()


def test_task_map_uses_only_the_taxonomy(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(OTHER_TAXONOMY, encoding="utf-8")
    tm = TaskMap(load_taxonomy(path))
    assert tm.ids == ("surgical_video", "vqa")
    assert tm("Segmentation") is None  # not a task of this taxonomy
    assert tm.match("Medical Visual Question Answering").how == 'words "Question Answering"'
    assert tm.match("Surgical Video").how == 'name "Surgical Video"'


def test_a_bullet_list_from_a_url(served, shapes):
    df = read_seeds(f"{served}/shapes/quoted_titles.md")
    pd.testing.assert_frame_equal(df, read_seeds(shapes / "quoted_titles.md"))


def test_markdown_without_tables_or_entries_is_an_input_error(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nSome prose, a [link](https://example.org) and\n\n- a bullet without a paper\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="no tables found in notes.md, and no paper entries"):
        read_seeds(path)
    with pytest.raises(InputError, match="no source given"):
        read_list([])


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_cli_reports_each_section_and_merges(tmp_path, shapes):
    a, b = shapes / "bullets_venue_tags.md", shapes / "nested_groups.md"
    result = run("--data-dir", str(tmp_path), "seeds", "--source", str(a), "-s", str(b))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Read {a}, {b}"
    assert lines[1] == "bullets_venue_tags.md (markdown): 16 rows in 4 sections"
    assert '  Medical Visual Question Answering: 4 rows, task vqa (name "Medical Visual Question Answering")' in lines
    assert "nested_groups.md (markdown): 7 rows in 3 sections" in lines
    assert '  Surgical VQA: 1 row, task vqa (words "VQA")' in lines
    assert ("merged 2 lists (bullets_venue_tags.md 16, nested_groups.md 7 rows): 20 rows, one per paper; "
            "2 papers in more than one list") in lines
    assert "sections with no task: Survey, Medical Vision-Language Model" in lines
    chosen = pd.read_parquet(tmp_path / "raw" / "seeds.parquet")
    assert len(chosen) == 20
    both = chosen[chosen["lists"].str.contains(";", na=False)]
    # the first list's titles; the second list links them to ACL and ScienceDirect
    assert both["title"].tolist() == [R2GEN, "Knowledge matters: Chest radiology report generation with general and "
                                             "specific knowledge"]
    assert both["acl_id"].fillna("").tolist() == ["2020.emnlp-main.112", ""]
    assert both["arxiv_id"].fillna("").tolist() == ["2010.16056", ""]
    assert both["pii"].fillna("").tolist() == ["", "S1361841522001578"]
    prov = json.loads((tmp_path / "raw" / "seeds.provenance.json").read_text())
    assert prov["source"] == [str(a.resolve()), str(b.resolve())] and prov["rows"] == 20


def test_cli_taxonomy_option(tmp_path, fixtures):
    path = tmp_path / "other.yaml"
    path.write_text(OTHER_TAXONOMY, encoding="utf-8")
    out = tmp_path / "seeds.csv"
    result = run("--data-dir", str(tmp_path), "seeds", "-s", str(fixtures / "tricky.md"), "--taxonomy", str(path),
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert '  Surgical Video Understanding: 1 row, task surgical_video (name "Surgical Video Understanding")' \
        in result.stdout.splitlines()
    bad = run("--data-dir", str(tmp_path), "seeds", "-s", str(fixtures / "tricky.md"), "--taxonomy",
              str(tmp_path / "nope.yaml"))
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: taxonomy file not found")


def test_cli_report_of_a_table_list(tmp_path, fixtures):
    result = run("--data-dir", str(tmp_path), "seeds", "-s", str(fixtures / "tricky.md"), "-o", str(tmp_path / "s.csv"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("tricky.md (markdown): 34 rows in 10 sections")
    assert lines[start + 1:start + 17] == [
        "  Tricky list (project test fixture): 0 rows; skipped: 1 no paper link (line 3)",
        "  models: 8 rows (model table)",
        '  Medical VQA: 6 rows, task vqa (name "Medical VQA")',
        '  Medical Report Generation: 2 rows, task report_generation (name "Medical Report Generation")',
        '  Medical Image Synthesis: 2 rows, task synthesis (name "Medical Image Synthesis")',
        '  Anomaly Detection: 1 row, task anomaly_detection (name "Anomaly Detection")',
        '  Segmentation: 2 rows, task segmentation (name "Segmentation")',
        "    skipped: 1 code block (line 56)",  # the fenced table
        '  Medical Image Classification: 3 rows, task classification (name "Medical Image Classification")',
        '  Medical Multi-task Learning: 5 rows, task multi_task (name "Medical Multi-task Learning")',
        '    duplicate: "RadGPT: Constructing 3D Image-Text Tumor Datasets" (line 75) repeats line 74; both kept '
        "(table rows are kept as written)",
        "  Surgical Video Understanding: 1 row, no task (no task name in it)",
        "  Other Image Analysis Tasks: 4 rows, tasks from its Tasks column: super_resolution 1, registration 1, "
        "detection 1, no task 1",
        "  headings with no task: Surgical Video Understanding",
        "34 seeds: 8 in the model table (4 natural, 4 medical), 26 in 10 tasks",
        "tasks: report_generation 2, vqa 6, segmentation 2, anomaly_detection 1, classification 3, synthesis 2, "
        "multi_task 5, super_resolution 1, registration 1, detection 1, (no task) 2",
    ]
