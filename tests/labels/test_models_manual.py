"""Model labels by citation and by the review's table; manual overrides; label_papers end to end.

All tables are synthetic except the model papers' titles/ids, which come from the taxonomy.
"""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.errors import InputError
from medvlm_graph.labels import label_papers, labels_wide
from medvlm_graph.labels.manual import apply_overrides, read_overrides
from medvlm_graph.labels.models import (
    CITES_SCORE,
    citation_model_labels,
    model_labels,
    resolve_model_papers,
    review_model_labels,
)
from medvlm_graph.taxonomy import load_taxonomy

TAX = load_taxonomy()

PAPERS = pd.DataFrame({
    "paper_id": ["clip_paper", "bmc_paper", "kad_paper", "user1", "user2"],
    "title": ["Learning transferable visual models from natural language supervision.",  # title match
              "Some other title", "Another", "A study of chest radiographs", "Nothing relevant"],
    "arxiv_id": [None, "2303.00915v2", None, None, None],  # BiomedCLIP by arXiv id (version ignored)
    "doi": [None, None, "10.1038/S41467-023-40260-7", None, None],  # KAD by DOI, case-insensitive
})
CITATIONS = pd.DataFrame({
    "citing_id": ["user1", "user1", "user2", "clip_paper"],
    "cited_id": ["clip_paper", "kad_paper", "bmc_paper", "clip_paper"],
})


def test_model_papers_resolve_by_arxiv_doi_and_title():
    assert resolve_model_papers(PAPERS, TAX) == {
        "clip": ["clip_paper"], "biomedclip": ["bmc_paper"], "kad": ["kad_paper"]}


def test_citing_a_model_paper_gives_the_label():
    out = citation_model_labels(PAPERS, CITATIONS, TAX)
    assert sorted(zip(out["paper_id"], out["label"], out["source"], out["score"])) == [
        ("user1", "clip", "rules", CITES_SCORE), ("user1", "kad", "rules", CITES_SCORE),
        ("user2", "biomedclip", "rules", CITES_SCORE)]


def test_mention_beats_citation_score_and_review_table_rows():
    papers = pd.concat([PAPERS, pd.DataFrame({"paper_id": ["user3"], "title": ["KAD for chest X-ray"]})],
                       ignore_index=True)
    cites = pd.concat([CITATIONS, pd.DataFrame({"citing_id": ["user3"], "cited_id": ["kad_paper"]})])
    seeds = pd.DataFrame({"paper_id": ["clip_paper", "kad_paper", "x"], "model_name": ["CLIP", "KAD", "Unknown"]})
    out = model_labels(papers, seeds, cites, TAX)
    got = sorted(zip(out["paper_id"], out["label"], out["source"], out["score"]))
    assert got == [
        ("clip_paper", "clip", "review", 1.0),
        ("kad_paper", "kad", "review", 1.0),
        ("user1", "clip", "rules", 0.5), ("user1", "kad", "rules", 0.5),
        ("user2", "biomedclip", "rules", 0.5),
        ("user3", "kad", "rules", 1.0),  # title mention (1.0) wins over citing (0.5)
    ]


def test_review_model_names_match_aliases():
    seeds = pd.DataFrame({"paper_id": ["a", "b", "c", "d"], "model_name": ["GPT 4V", "Maco", "DALL·E 3", "M-flag"]})
    out = review_model_labels(seeds, TAX)
    assert out["label"].tolist() == ["gpt4v", "maco", "dalle3", "m_flag"]


def _csv(tmp_path, text):
    p = tmp_path / "overrides.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_read_overrides_validates_with_line_numbers(tmp_path):
    good = _csv(tmp_path, "paper_id,dimension,label,action\nuser1,modality,ct,add\n\nuser2,task,vqa,REMOVE\n")
    ov = read_overrides(good, TAX)
    assert ov.values.tolist() == [["user1", "modality", "ct", "add", 2], ["user2", "task", "vqa", "remove", 4]]
    with pytest.raises(InputError, match=r"line 2: unknown modality label 'cat'"):
        read_overrides(_csv(tmp_path, "paper_id,dimension,label,action\nu,modality,cat,add\n"), TAX)
    with pytest.raises(InputError, match=r"line 3: action must be add or remove, not 'keep'"):
        read_overrides(_csv(tmp_path, "paper_id,dimension,label,action\nu,task,vqa,add\nu,task,vqa,keep\n"), TAX)
    with pytest.raises(InputError, match=r"line 2: unknown dimension 'colour'"):
        read_overrides(_csv(tmp_path, "paper_id,dimension,label,action\nu,colour,red,add\n"), TAX)
    with pytest.raises(InputError, match=r"line 1: overrides CSV lacks column\(s\): action"):
        read_overrides(_csv(tmp_path, "paper_id,dimension,label\n"), TAX)
    with pytest.raises(InputError, match="overrides file not found"):
        read_overrides(tmp_path / "nope.csv", TAX)


def test_apply_overrides_add_replaces_remove_drops_unknown_skipped():
    labels = pd.DataFrame({"paper_id": ["a", "a", "b"], "dimension": ["task", "modality", "task"],
                           "label": ["vqa", "ct", "vqa"], "source": ["model", "rules", "review"],
                           "score": [0.4, 0.6, 1.0]})
    ov = pd.DataFrame({"paper_id": ["a", "b", "zz"], "dimension": ["task", "task", "task"],
                       "label": ["vqa", "vqa", "vqa"], "action": ["add", "remove", "add"], "line": [2, 3, 4]})
    out, skipped = apply_overrides(labels, ov, paper_ids={"a", "b"})
    assert sorted(zip(out["paper_id"], out["label"], out["source"], out["score"])) == [
        ("a", "ct", "rules", 0.6), ("a", "vqa", "manual", 1.0)]
    assert skipped == ["override line 4: unknown paper_id zz"]


def test_label_papers_end_to_end_with_overrides(tmp_path):
    papers = pd.DataFrame({
        "paper_id": ["s1", "s2", "s3", "s4", "r1"],
        "title": ["MedSAM lesion segmentation in CT", "Radiology report generation with LLaVA",
                  "Visual question answering benchmark of GPT-4V", "Prompt learning for segmentation of polyps",
                  "Zero-shot CLIP segmentation of MRI tumours"],
    })
    seeds = pd.DataFrame({"paper_id": ["s1", "s2", "s3", "s4"], "title": papers["title"][:4],
                          "task": ["segmentation", "report_generation", "vqa", "segmentation"]})
    ov = _csv(tmp_path, "paper_id,dimension,label,action\nr1,modality,mri,remove\nr1,strategy,off_the_shelf,add\n")
    out = label_papers(papers, seeds, taxonomy=TAX, overrides=ov)
    assert list(out.columns) == ["paper_id", "dimension", "label", "source", "score"]
    r1 = out[out["paper_id"] == "r1"]
    assert sorted(zip(r1["dimension"], r1["label"], r1["source"])) == [
        ("model", "clip", "rules"), ("strategy", "off_the_shelf", "manual"),
        ("task", "segmentation", "rules")]  # the title names the task: a task term, not a guess
    review = out[out["source"] == "review"]
    assert sorted(zip(review["paper_id"], review["label"])) == [
        ("s1", "segmentation"), ("s2", "report_generation"), ("s3", "vqa"), ("s4", "segmentation")]
    wide = labels_wide(out, papers)
    assert wide.set_index("paper_id").loc["s1", ["task", "modality", "model"]].tolist() == ["segmentation", "ct", "sam"]
    assert wide.set_index("paper_id").loc["s4", "modality"] == "endoscopy"


def test_list_without_task_sections_gets_task_labels_from_text():
    """A Zotero export or a CSV of titles: no section, no task. Terms first, then the classifier trained
    on the shipped review list; a paper neither names confidently gets no task."""
    from medvlm_graph.labels import label_papers_with_report

    papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "is_seed": [True] * 3,
                           "title": ["Radiology report generation with LLMs",
                                     "MedCLIP-based zero-shot chest X-ray diagnosis",
                                     "A vision-language study of CT images"]})
    seeds = pd.DataFrame({"paper_id": ["a", "b", "c"], "title": papers["title"], "task": [None] * 3})
    from medvlm_graph.seeds import load_snapshot

    labels, report = label_papers_with_report(papers, seeds, taxonomy=TAX, fallback_seeds=load_snapshot())
    task = labels[labels["dimension"] == "task"]
    assert task[["paper_id", "label", "source", "score"]].values.tolist() == [
        ["a", "report_generation", "rules", 1.0], ["b", "classification", "rules", 1.0]]
    assert report["classifier_trained_on"].startswith("the shipped review list")
    assert report["classifier_training_rows"] == 153 and report["task_unlabelled_papers"] == 1
