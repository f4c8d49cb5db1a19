"""The shipped snapshot of the review list: exact counts, ids and tricky rows.

The expected numbers were counted once from the upstream README at commit
4d3b7c7 (2025-10-16) by grep over link hosts: 96 arxiv.org links; DOIs from
17 springer + 7 nature + 2 frontiers + 2 rsna + 1 liebert + 1 wiley + 1 jmir +
1 ADS/Zenodo = 32; 13 sciencedirectassets PIIs; 4 PMC; 2 ACL; 23 IEEE; three
rows whose link is "-"; venues: 10 CVPR + 4 ICCV paths, 15 MICCAI, 6 PMLR, 5 NeurIPS, 4 AAAI.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from medvlm_graph import tables
from medvlm_graph.paths import PROVENANCE_NAME, SNAPSHOT_NAME, package_data
from medvlm_graph.seeds import current_seeds, load_snapshot, read_seeds, snapshot_provenance
from medvlm_graph.seeds.rows import FACT_COLUMNS

REPO = package_data(SNAPSHOT_NAME).parents[2]


@pytest.fixture(scope="module")
def snap() -> pd.DataFrame:
    return load_snapshot()


def row(df: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col] == val
    hits = df[mask.fillna(False)]
    assert len(hits) == 1, f"{where}: {len(hits)} rows"
    return hits.iloc[0]


def test_row_counts_per_section_and_task(snap):
    assert len(snap) == 221
    assert int((snap["section"] == "models").sum()) == 68
    tasks = snap[snap["section"] != "models"]["task"].value_counts().to_dict()
    assert tasks == {
        "report_generation": 22, "vqa": 22, "segmentation": 25, "anomaly_detection": 13,
        "classification": 32, "synthesis": 11, "retrieval": 7, "multi_task": 16,
        "super_resolution": 1, "registration": 1, "detection": 3,
    }
    assert snap[snap["section"] == "models"]["task"].isna().all()
    assert snap[snap["section"] == "models"]["origin"].value_counts().to_dict() == {"natural": 34, "medical": 34}
    assert snap[snap["section"] != "models"]["origin"].isna().all()
    assert snap["section"].value_counts()["Other Image Analysis Tasks"] == 5


def test_identifier_counts(snap):
    counts = {c: int(snap[c].notna().sum()) for c in
              ("arxiv_id", "doi", "pii", "pmcid", "acl_id", "ieee_id", "venue_hint", "year_hint")}
    assert counts == {"arxiv_id": 96, "doi": 32, "pii": 13, "pmcid": 4, "acl_id": 2, "ieee_id": 23,
                      "venue_hint": 46, "year_hint": 146}
    assert int(snap["url"].isna().sum()) == 3
    assert sorted(snap[snap["url"].isna()]["model_name"]) == ["Claude 3 Opus", "Dreamlike Photoreal", "GPT 4V"]
    assert snap["venue_hint"].value_counts().to_dict() == {
        "MICCAI": 15, "CVPR": 10, "ICCV": 4, "NeurIPS": 5, "AAAI": 4, "ICML": 3, "ACML": 1, "MIDL": 1,
        "PMLR v225": 1, "Findings of EACL": 1, "COLING": 1,
    }


def test_specific_rows(snap):
    gpt4o = row(snap, model_name="GPT 4o")
    assert gpt4o["arxiv_id"] == "2410.21276" and gpt4o["url"] == "https://arxiv.org/pdf/2410.21276?"
    assert gpt4o["year_hint"] == 2024
    flair = row(snap, model_name="FLAIR")
    assert flair["pii"] == "S1361841524002822"
    assert flair["url"] == ("https://pdf.sciencedirectassets.com/272154/1-s2.0-S1361841524X00079/"
                            "1-s2.0-S1361841524002822/main.pdf")
    kad = row(snap, model_name="KAD")
    assert (kad["doi"], kad["year_hint"]) == ("10.1038/s41467-023-40260-7", 2023)
    pubmedclip = row(snap, model_name="PubMedCLIP")
    assert (pubmedclip["acl_id"], pubmedclip["venue_hint"], pubmedclip["year_hint"]) == (
        "2023.findings-eacl.88", "Findings of EACL", 2023)
    sat = row(snap, model_name="SAT")
    assert (sat["origin"], sat["arxiv_id"]) == ("natural", "2312.17183")  # as the list says
    assert row(snap, model_name="Chexagent")["origin"] == "natural"
    clip = row(snap, model_name="CLIP")
    assert (clip["venue_hint"], clip["year_hint"]) == ("ICML", 2021)
    medflamingo = row(snap, model_name="Med-Flamingo")
    assert medflamingo["venue_hint"] == "PMLR v225" and pd.isna(medflamingo["year_hint"])
    openclip = row(snap, model_name="OpenCLIP")
    assert pd.isna(openclip["title"]) and openclip["doi"] == "10.5281/zenodo.5143773"
    assert row(snap, model_name="MPMA")["ieee_id"] == "10288259"
    assert row(snap, model_name="MedCLIP")["pmcid"] == "PMC11323634"
    lung = row(snap, list_index="11", task="classification")
    assert lung["title"].endswith("in: International Conference on Medical Image Computing and "
                                  "Computer-Assisted Intervention")
    assert lung["title_norm"] == "clip-lung: textual knowledge-guided lung nodule malignancy prediction"
    ariadne = row(snap, list_index="3", task="segmentation")
    assert ariadne["title"].startswith("Ariadne\u2019s Thread") and ariadne["title_norm"].startswith("ariadne's thread")
    assert row(snap, list_index="7", task="report_generation")["title"] == (
        "CXPMRG-Bench: Pre-training and Benchmarking for X-ray Medical Report  Generation on CheXpert Plus Dataset")
    silver = snap[snap["url"].str.contains("silverchair", na=False)]["url"].tolist()
    assert silver == ["https://watermark.silverchair.com/ocad252.pdf"]
    assert not snap["url"].str.contains("X-Amz|token=", na=False).any()


def test_repeated_indices_kept_and_duplicate_titles_across_sections(snap):
    multi = snap[snap["task"] == "multi_task"]
    assert multi["list_index"].value_counts()[["6", "9"]].tolist() == [2, 3]
    assert multi["seed_id"].is_unique
    llava = snap[snap["title_norm"] == "llava-med: training a large language-and-vision assistant for biomedicine in one day"]
    assert sorted(llava["section"]) == ["Medical VQA", "models"]
    assert llava["seed_id"].nunique() == 2
    vila = snap[snap["title_norm"] == "vila-m3: enhancing vision-language models with medical expert knowledge"]
    assert sorted(vila["section"]) == ["Medical Multi-task Learning", "models"]


def test_seed_ids_unique_and_schema(snap):
    assert snap["seed_id"].is_unique
    assert snap["seed_id"].str.fullmatch(r"[0-9a-f]{10}(-\d+)?").all()
    assert list(snap.columns[: len(tables.columns("seeds"))]) == tables.columns("seeds")
    assert snap["paper_id"].isna().all() and snap["match"].isna().all()
    assert str(snap["year_hint"].dtype) == "Int64"


def test_packaged_and_data_copies_are_identical():
    for name in (SNAPSHOT_NAME, PROVENANCE_NAME):
        assert (REPO / "data" / "raw" / name).read_bytes() == package_data(name).read_bytes()


def test_csv_holds_facts_only():
    header = package_data(SNAPSHOT_NAME).read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == FACT_COLUMNS


def test_provenance():
    prov = snapshot_provenance()
    assert prov["upstream"] == "github.com/haonenglin/Awesome-VLM-for-MIA"
    assert prov["file"] == "README.md"
    assert prov["commit"] == "4d3b7c71409b617292a73df2f0ade466d4da0e29"
    assert prov["date"] == "2025-10-16"
    assert prov["raw_url"].startswith("https://raw.githubusercontent.com/haonenglin/Awesome-VLM-for-MIA/4d3b7c7")
    assert prov["rows"] == 221
    assert prov["rows_per_group"]["models"] == 68 and prov["rows_per_group"]["detection"] == 3
    assert "PII" in prov["note"] and "ScienceDirect" in prov["note"]
    assert prov["parser_version"]


def test_snapshot_reads_back_as_a_csv_list_to_the_same_table(snap):
    again = read_seeds(package_data(SNAPSHOT_NAME))
    pd.testing.assert_frame_equal(again, snap)


def test_read_seeds_none_and_current_seeds(tmp_path, snap):
    pd.testing.assert_frame_equal(read_seeds(None), snap)
    pd.testing.assert_frame_equal(current_seeds(tmp_path), snap)
    chosen = snap.head(3)
    (tmp_path / "raw").mkdir()
    chosen.to_parquet(tmp_path / "raw" / "seeds.parquet", index=False)
    assert current_seeds(tmp_path)["seed_id"].tolist() == chosen["seed_id"].tolist()


def test_load_snapshot_from_another_directory(tmp_path):
    code = "from medvlm_graph.seeds import load_snapshot; print(len(load_snapshot()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env={"PATH": "", "MEDVLM_GRAPH_DATA_DIR": str(tmp_path / "nodata")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "221"


def test_snapshot_command_reproduces_the_shipped_files(tmp_path, fixtures):
    """The module command on a list writes CSV + provenance to both folders (here: temp folders)."""
    from medvlm_graph.seeds.snapshot import write_snapshot

    pkg, raw = tmp_path / "pkg", tmp_path / "raw"
    write_snapshot(fixtures / "tricky.md", commit="0" * 40, date="2020-01-01", package_dir=pkg, data_dir=raw)
    assert (pkg / SNAPSHOT_NAME).read_bytes() == (raw / SNAPSHOT_NAME).read_bytes()
    prov = json.loads((raw / PROVENANCE_NAME).read_text())
    assert prov["commit"] == "0" * 40 and prov["rows"] == 34 and prov["rows_without_link"] == 4
    assert len(load_snapshot(pkg / SNAPSHOT_NAME)) == 34
