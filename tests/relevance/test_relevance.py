"""Field relevance: hand-built cases with exact scores, and the refresh-shaped SYNTHETIC world."""

from __future__ import annotations

import pandas as pd
import pytest

import field_world
from medvlm_graph.relevance import (
    apply_field_overrides,
    borderline,
    compute_relevance,
    relevance_summary,
    seed_roles,
)
from medvlm_graph.taxonomy import load_taxonomy

TAX = load_taxonomy()


def _papers(titles, abstracts=None, seeds=()):
    ids = [f"p{i}" for i in range(len(titles))]
    return pd.DataFrame({"paper_id": ids, "title": titles, "abstract": abstracts or [None] * len(titles),
                         "is_seed": [i in seeds for i in ids]})


# --------------------------------------------------------------------------- evidence, by hand


def test_text_evidence_title_abstract_and_the_data_cue():
    papers = _papers(
        ["Chest X-ray report generation with LLMs",           # both kinds in the title
         "Large language models encode clinical knowledge",   # medical + language, but no image: another field
         "A study of adapters",                               # abstract: 3 medical terms, 2 VL terms, imaging
         "Visual instruction tuning for remote sensing"],     # method only
        ["", "", "Clinical radiology images of patients, paired with text reports and a language model.", ""])
    rel = compute_relevance(papers, None, None, taxonomy=TAX).set_index("paper_id")
    assert rel.loc["p0", ["field_domain", "field_method", "field_score", "in_field"]].tolist() == [1.0, 1.0, 1.0, True]
    # capped at 0.45 without any imaging word
    assert rel.loc["p1", ["field_domain", "field_method", "in_field"]].tolist() == [0.45, 0.45, False]
    assert rel.loc["p1", "field_reason"].endswith("no imaging terms (another field's use of these words)")
    # clinical, radiology, patient -> 3 distinct domain terms (0.6); text, language model, language -> 0.6
    assert rel.loc["p2", ["field_domain", "field_method", "field_score", "in_field"]].tolist() == [0.6, 0.6, 0.6, True]
    assert rel.loc["p3", ["field_domain", "field_method", "field_score", "in_field"]].tolist() == [0.0, 1.0, 0.0, False]
    assert rel.loc["p3", "field_reason"] == ("vision-language terms in title; no medical terms; "
                                             "no citation ties to field seeds")


def test_graph_evidence_weights_task_seeds_far_above_models_and_hubs():
    titles = ["Seed A", "Seed B", "Seed C", "CLIP", "Medical model", "CT segmentation with prompts",
              "A segmentation network for CT", "A general VQA model"]
    papers = _papers(titles, seeds=("p0", "p1", "p2", "p3", "p4"))
    seeds = pd.DataFrame({"paper_id": ["p0", "p1", "p2", "p3", "p4"], "section": ["S", "S", "S", "models", "models"],
                          "task": ["vqa", "vqa", "segmentation", None, None],
                          "origin": [None, None, None, "natural", "medical"]})
    cites = pd.DataFrame([("p5", "p0"), ("p5", "p1"), ("p5", "p4"),   # 2 task seeds + 1 field seed
                          ("p0", "p6"), ("p1", "p6"), ("p2", "p6"),   # p6 is cited by 3 task seeds
                          ("p7", "p3"), ("p7", "p2")],                # p7: CLIP + 1 task seed
                         columns=["citing_id", "cited_id"])
    rel = compute_relevance(papers, seeds, cites, taxonomy=TAX).set_index("paper_id")
    assert rel.loc["p5", "field_graph"] == pytest.approx((2 + 0.5) / 3)
    assert rel.loc["p5", ["cites_task_seeds", "cites_field_seeds"]].tolist() == [2, 1]
    # cited by seeds counts 0.1 each: seeds also cite vision-only work
    assert rel.loc["p6", "field_graph"] == pytest.approx(0.3)
    assert rel.loc["p6", "in_field"] == False  # noqa: E712  medical words, no VL word, weak ties
    assert rel.loc["p7", "field_graph"] == pytest.approx(1 / 3)
    assert rel.loc["p7", "cites_reference_seeds"] == 1
    # seeds: by definition, except general models (reference points)
    assert rel.loc["p0", ["in_field", "field_score", "field_reason"]].tolist() == [True, 1.0, "seed (review: S)"]
    assert rel.loc["p3", ["in_field", "field_score", "field_reason"]].tolist() == [
        False, 0.0, "general model paper: review model table"]
    assert rel.loc["p4", "field_reason"] == "seed (review model table: field model)"


def test_generic_hubs_get_nothing_for_being_cited():
    n = 12
    papers = _papers(["Seed"] + [f"Paper {i}" for i in range(n)] + ["U-Net for biomedical image segmentation"],
                     seeds=("p0",))
    seeds = pd.DataFrame({"paper_id": ["p0"], "task": ["segmentation"]})
    hub = f"p{n + 1}"
    cites = pd.DataFrame([(f"p{i}", hub) for i in range(n + 1)], columns=["citing_id", "cited_id"])
    rel = compute_relevance(papers, seeds, cites, taxonomy=TAX).set_index("paper_id")
    assert rel.loc[hub, "field_graph"] == 0.0 and rel.loc[hub, "cited_share"] == 1.0
    assert "generic: cited by 100% of the corpus" in rel.loc[hub, "field_reason"]


def test_seed_roles_without_task_sections_make_every_field_seed_a_task_seed():
    seeds = pd.DataFrame({"paper_id": ["a", "b", "c"], "task": [None, None, None],
                          "origin": [None, "natural", None]})
    assert seed_roles(seeds) == {"a": "task", "b": "reference", "c": "task"}


def test_field_overrides_win_and_say_so():
    rel = compute_relevance(_papers(["Chest CT report generation", "Remote sensing VQA"]), None, None, taxonomy=TAX)
    ov = pd.DataFrame({"paper_id": ["p0", "p1"], "dimension": ["field", "field"], "label": ["out", "in"],
                       "action": ["add", "add"]})
    out = apply_field_overrides(rel, ov).set_index("paper_id")
    assert out["in_field"].tolist() == [False, True]
    assert out.loc["p0", "field_reason"] == "manual override: out of the field (was: medical + vision-language terms in title)"
    assert out["field_source"].tolist() == ["manual", "manual"]


def test_borderline_and_summary():
    papers = pd.DataFrame({"paper_id": list("abcd"), "title": list("ABCD"), "is_seed": [False, False, False, True],
                           "in_field": [True, False, True, True], "field_score": [0.6, 0.45, 0.9, 1.0],
                           "field_reason": ["x", "no medical terms", "y", "seed (review: S)"]})
    assert borderline(papers)["paper_id"].tolist() == ["b", "a"]
    s = relevance_summary(papers)
    assert (s["in_field"], s["set_aside"], s["set_aside_reasons"]) == (3, 1, [("no medical terms", 1)])


# --------------------------------------------------------------------------- the refresh-shaped world


@pytest.fixture(scope="module")
def world():
    return field_world.build()


@pytest.fixture(scope="module")
def relevance(world):
    papers = world["papers"].assign(is_seed=lambda d: d["paper_id"].isin(world["seeds"]["paper_id"]))
    return compute_relevance(papers, world["seeds"], world["citations"], taxonomy=TAX)


def test_world_is_shaped_like_a_refresh(world):
    truth = world["truth"]
    assert len(truth) == 158 and int(truth["in_field"].sum()) == 40  # off-field papers are the majority
    assert len(world["citations"]) > 1000


def test_relevance_precision_and_recall_on_the_world(world, relevance):
    t = world["truth"].merge(relevance, on="paper_id", suffixes=("_true", ""))
    tp = int((t["in_field_true"] & t["in_field"]).sum())
    fp = int((~t["in_field_true"] & t["in_field"]).sum())
    fn = int((t["in_field_true"] & ~t["in_field"]).sum())
    # measured: every field paper found, no off-field paper taken (target: precision and recall >= 0.9)
    assert (tp, fp, fn) == (40, 0, 0)


def test_world_reasons_read_as_expected(relevance):
    r = relevance.set_index("paper_id")["field_reason"]
    assert r["m_clip"] == "general model paper: review model table"
    assert r["c_resnet"].startswith("no medical terms; no vision-language terms")
    assert "generic: cited by" in r["c_resnet"]
    assert r["t00"].endswith("no imaging terms (another field's use of these words)")
    assert r["f01"].startswith("medical + vision-language terms in title; cites")
