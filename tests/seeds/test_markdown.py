"""Markdown (awesome-list) reader on irregular tables, an April-like list and reordered lists."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from medvlm_graph.errors import InputError
from medvlm_graph.seeds import parse_markdown, read_seeds
from medvlm_graph.seeds.markdown import find_tables, split_cells
from medvlm_graph.seeds.tasks import task_of


@pytest.fixture(scope="module")
def tricky(request) -> pd.DataFrame:
    from pathlib import Path

    return read_seeds(Path(__file__).parent / "fixtures" / "tricky.md")


def by_title(df: pd.DataFrame, start: str) -> pd.Series:
    hits = df[df["title"].str.startswith(start, na=False)]
    assert len(hits) == 1, start
    return hits.iloc[0]


def test_tricky_counts(tricky):
    assert len(tricky) == 34
    assert tricky["section"].fillna("").value_counts().to_dict() == {
        "models": 8, "Medical VQA": 6, "Medical Report Generation": 2, "Medical Image Synthesis": 2,
        "Anomaly Detection": 1, "Segmentation": 2, "Medical Image Classification": 3,
        "Medical Multi-task Learning": 5, "Surgical Video Understanding": 1, "Other Image Analysis Tasks": 4,
    }
    assert tricky["task"].fillna("none").value_counts().to_dict() == {
        "none": 10, "vqa": 6, "multi_task": 5, "classification": 3, "report_generation": 2, "synthesis": 2,
        "segmentation": 2, "anomaly_detection": 1, "super_resolution": 1, "registration": 1, "detection": 1,
    }
    assert not tricky["title"].fillna("").str.contains("code fence").any()


def test_tricky_model_rows(tricky):
    models = tricky[tricky["section"] == "models"]
    assert models["model_name"].tolist() == ["GPT 4o", "GPT 4V", "SAT", "LLaVA-Med", "KAD", "Claude 3 Opus",
                                             "FLAIR", "PubMedCLIP"]
    assert models["origin"].tolist() == ["natural"] * 3 + ["medical"] * 2 + ["natural"] + ["medical"] * 2
    dash = models[models["model_name"].isin(["GPT 4V", "Claude 3 Opus"])]
    assert dash["title"].isna().all() and dash["url"].isna().all() and dash["title_norm"].isna().all()
    assert dash["seed_id"].nunique() == 2  # "-" titles hash the model name, so they differ


def test_tricky_irregular_rows(tricky):
    no_link = by_title(tricky, "Harnessing the potential")  # empty link cell
    assert pd.isna(no_link["url"]) and no_link["list_index"] == "3"
    missing = by_title(tricky, "PitVQA")  # row without its link cell and closing pipe
    assert pd.isna(missing["url"]) and missing["task"] == "vqa"
    piped = by_title(tricky, "Open-Ended Medical")  # an extra pipe inside the title
    assert piped["title"] == "Open-Ended Medical Visual Question Answering | Through Prefix Tuning of Language Models"
    assert piped["arxiv_id"] == "2303.05977"
    shifted = by_title(tricky, "SurgicalGPT")  # an extra empty cell
    assert (shifted["list_index"], shifted["arxiv_id"]) == ("6", "2304.09974")
    after_blank = by_title(tricky, "Harnessing")  # the row after a blank line stays in its table
    assert after_blank["section"] == "Medical VQA"
    synth = tricky[tricky["task"] == "synthesis"]  # setext heading, table without outer pipes
    assert synth["doi"].tolist() == ["10.3389/fmed.2023.1231436", "10.1007/978-3-032-05472-2_27"]
    assert synth["section"].unique().tolist() == ["Medical Image Synthesis"]


def test_tricky_ids_and_titles(tricky):
    flair = tricky[tricky["model_name"] == "FLAIR"].iloc[0]
    assert flair["pii"] == "S1361841524002822" and "?" not in flair["url"]
    assert tricky[tricky["model_name"] == "GPT 4o"].iloc[0]["arxiv_id"] == "2410.21276"
    lung = by_title(tricky, "Clip-lung")
    assert lung["title"].endswith("Computer-Assisted Intervention")
    assert lung["title_norm"] == "clip-lung: textual knowledge-guided lung nodule malignancy prediction"
    assert by_title(tricky, "LGA:")["title_norm"].startswith("lga: a language guide adapter for advancing the sam model's")
    llava = tricky[tricky["title_norm"].str.startswith("llava-med", na=False)]
    assert sorted(llava["section"]) == ["Medical VQA", "models"]
    assert llava["title_norm"].nunique() == 1 and llava["seed_id"].nunique() == 2


def test_repeated_indices_and_exact_duplicates(tricky):
    multi = tricky[tricky["task"] == "multi_task"]
    assert multi["list_index"].tolist() == ["6", "6", "9", "9", "9"]
    radgpt = multi[multi["title"].str.startswith("RadGPT")]["seed_id"].tolist()
    assert len(radgpt) == 2 and radgpt[1] == radgpt[0] + "-2"


def test_unknown_section_and_unknown_task_are_kept_with_warnings(fixtures, warnings_seen):
    df = read_seeds(fixtures / "tricky.md")
    row = df[df["section"] == "Surgical Video Understanding"].iloc[0]
    assert pd.isna(row["task"]) and row["arxiv_id"] == "2501.00002"
    other = df[df["section"] == "Other Image Analysis Tasks"]
    assert other["task"].tolist()[:3] == ["super_resolution", "registration", "detection"]
    assert pd.isna(other["task"].tolist()[3])
    msgs = warnings_seen()
    assert any("Surgical Video Understanding" in m for m in msgs)
    assert any("Medical Image Denoising" in m for m in msgs)


def test_seed_ids_match_across_list_versions(fixtures):
    """The same paper in the same task gets the same seed_id in the shipped list, the tricky and the April-like list."""
    snap = read_seeds()
    april = read_seeds(fixtures / "april_like.md")
    tricky = read_seeds(fixtures / "tricky.md")
    snap_ids = set(zip(snap["seed_id"], snap["title_norm"].fillna("")))
    for df in (april, tricky):
        shared = df[df["title_norm"].isin(snap["title_norm"]) | df["title_norm"].isna()]
        matched = [sid for sid, t in zip(shared["seed_id"], shared["title_norm"].fillna("")) if (sid, t) in snap_ids]
        assert len(matched) >= 10
    llava_vqa = april[(april["task"] == "vqa") & april["title"].str.startswith("LLaVA-Med")]["seed_id"].item()
    assert llava_vqa == snap[(snap["task"] == "vqa") & snap["title"].str.startswith("LLaVA-Med", na=False)]["seed_id"].item()
    openclip = april[april["model_name"] == "OpenCLIP"]["seed_id"].item()
    assert openclip == snap[snap["model_name"] == "OpenCLIP"]["seed_id"].item()


def test_april_like_list(fixtures):
    df = read_seeds(fixtures / "april_like.md")
    assert len(df) == 16
    assert df[df["section"] != "models"]["task"].value_counts().to_dict() == {
        "segmentation": 3, "vqa": 2, "report_generation": 2, "synthesis": 1, "classification": 1,
        "anomaly_detection": 1, "retrieval": 1, "multi_task": 1, "detection": 1,
    }
    models = df[df["section"] == "models"]
    assert models["model_name"].tolist() == ["CLIP", "LLaVA-Med", "OpenCLIP"]
    assert models["origin"].tolist() == ["natural", "medical", "natural"]
    assert df[df["task"] == "segmentation"]["list_index"].tolist() == ["1", "2", "2"]


def test_row_and_section_order_do_not_change_seed_ids(fixtures):
    text = (fixtures / "april_like.md").read_text(encoding="utf-8")
    head, *sections = text.split("\n## ")
    rng = random.Random(7)
    shuffled_sections = []
    for sec in sections:
        lines = sec.rstrip("\n").split("\n")
        body = lines[3:]
        rng.shuffle(body)
        body = [f"| {i + 100} |" + "|".join(line.split("|")[2:]) for i, line in enumerate(body)]  # renumber
        shuffled_sections.append("\n".join(lines[:3] + body))
    rng.shuffle(shuffled_sections)
    other = parse_markdown(head + "\n## " + "\n\n## ".join(shuffled_sections) + "\n")
    base = read_seeds(fixtures / "april_like.md")
    key = ["seed_id", "section", "task", "title", "url", "model_name", "origin"]
    pd.testing.assert_frame_equal(base[key].sort_values("seed_id").reset_index(drop=True),
                                  other[key].sort_values("seed_id").reset_index(drop=True))
    assert sorted(other["list_index"].astype(int)) != sorted(base["list_index"].astype(int))


def test_no_tables_is_an_input_error():
    with pytest.raises(InputError, match="no tables found in notes.md"):
        parse_markdown("# Title\n\nJust prose, a | pipe, no table.\n", source="notes.md")


def test_split_cells_and_find_tables():
    assert split_cells("| 1 | A \\| B | [PDF](http://x) |") == ["1", "A | B", "[PDF](http://x)"]
    assert split_cells("1 | A | ") == ["1", "A"]
    tables = find_tables("## H\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n\n## G\n| c |\n|---|\n| 5 |\n")
    assert [(t.heading, t.rows) for t in tables] == [("H", [["a", "b"], ["1", "2"], ["3", "4"]]), ("G", [["c"], ["5"]])]


def test_a_linked_title_gives_text_and_url():
    df = parse_markdown("## Segmentation\n| Paper | Code |\n|---|---|\n"
                        "| **[MedSAM](https://arxiv.org/abs/2304.12306)** | [code](https://github.com/x/y) |\n")
    assert df.loc[0, ["title", "url", "arxiv_id", "task"]].tolist() == [
        "MedSAM", "https://arxiv.org/abs/2304.12306", "2304.12306", "segmentation"]


@pytest.mark.parametrize(("heading", "task"), [
    ("Medical Report Generation", "report_generation"), ("Medical VQA", "vqa"),
    ("Visual Question Answering", "vqa"), ("Segmentation", "segmentation"),
    ("Anomaly Detection", "anomaly_detection"), ("Medical Image Classification", "classification"),
    ("Medical Image Synthesis", "synthesis"), ("Medical Image Generation", "synthesis"),
    ("Medical Image-Text Retrieval", "retrieval"), ("Medical Multi-task Learning", "multi_task"),
    ("Medical Image Super-resolution", "super_resolution"), ("Medical Image Registration", "registration"),
    ("Object Detection", "detection"), ("Other Image Analysis Tasks", None), ("super_resolution", "super_resolution"),
])
def test_task_of(heading, task):
    assert task_of(heading) == task


def test_tables_without_title_column_are_skipped_and_empty_rows_dropped(warnings_seen):
    text = ("## Datasets\n| Dataset | Modality | Link |\n|---|---|---|\n| MIMIC-CXR | X-ray | [web](https://x.org) |\n\n"
            "## Segmentation\n| Index | Paper Names | PDF Link |\n|---|---|---|\n| 1 | | - |\n"
            "| 2 | LViT: Language Meets Vision Transformer | [PDF](https://ieeexplore.ieee.org/document/10172039) |\n")
    df = parse_markdown(text, source="other.md")
    assert df[["section", "task", "list_index", "ieee_id"]].values.tolist() == [
        ["Segmentation", "segmentation", "2", "10172039"]]
    assert any("has no paper title column; skipped" in m and "Datasets" in m for m in warnings_seen())


def test_headerless_table():
    df = parse_markdown("## Medical VQA\n| 1 | PitVQA | [PDF](https://arxiv.org/pdf/2405.13949) |\n"
                        "| 2 | SurgicalGPT | [PDF](https://arxiv.org/pdf/2304.09974) |\n")
    assert df[["list_index", "title", "arxiv_id"]].values.tolist() == [
        ["1", "PitVQA", "2405.13949"], ["2", "SurgicalGPT", "2304.09974"]]
