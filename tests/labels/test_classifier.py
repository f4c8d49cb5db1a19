"""Task labels: review ground truth and the classifier (synthetic training texts)."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.errors import DataError
from medvlm_graph.labels.classifier import (
    evaluate_task_classifier,
    predict_task_labels,
    review_task_labels,
    task_training_set,
    train_task_classifier,
)
from medvlm_graph.taxonomy import load_taxonomy

TAX = load_taxonomy()

# Synthetic: three tasks with disjoint vocabularies, three papers each.
TRAIN = [
    ("lesion segmentation mask", "segmentation"),
    ("organ segmentation mask boundary", "segmentation"),
    ("tumour segmentation boundary", "segmentation"),
    ("radiology report generation", "report_generation"),
    ("report generation sentences", "report_generation"),
    ("findings report sentences", "report_generation"),
    ("visual question answering", "vqa"),
    ("question answering benchmark", "vqa"),
    ("answering clinical question", "vqa"),
]


def _seeds():
    return pd.DataFrame({
        "seed_id": [f"s{i}" for i in range(len(TRAIN))],
        "paper_id": [f"p{i}" for i in range(len(TRAIN))],
        "title": [t for t, _ in TRAIN],
        "task": [k for _, k in TRAIN],
    })


def test_classifier_predicts_the_obvious_task_and_is_deterministic():
    texts, labels = zip(*TRAIN)
    m1 = train_task_classifier(texts, labels)
    m2 = train_task_classifier(texts, labels)
    queries = ["segmentation mask of the liver", "generation of a report", "answering a question"]
    assert [str(x) for x in m1.predict(queries)] == ["segmentation", "report_generation", "vqa"]
    out1 = predict_task_labels(m1, ["a", "b", "c"], queries, threshold=1.0)
    out2 = predict_task_labels(m2, ["a", "b", "c"], queries, threshold=1.0)
    pd.testing.assert_frame_equal(out1, out2)
    assert out1["label"].tolist() == ["segmentation", "report_generation", "vqa"]
    assert set(out1["source"]) == {"model"} and set(out1["dimension"]) == {"task"}
    assert (out1["score"] > 1 / 3).all() and (out1["score"] < 1).all()


def test_threshold_keeps_secondary_labels():
    texts, labels = zip(*TRAIN)
    model = train_task_classifier(texts, labels)
    # threshold 0: every class is kept, probabilities sum to one
    out = predict_task_labels(model, ["x"], ["unrelated words"], threshold=0.0)
    assert sorted(out["label"]) == ["report_generation", "segmentation", "vqa"]
    assert out["score"].sum() == pytest.approx(1.0, abs=1e-5)
    # top label first
    assert out["score"].iloc[0] == out["score"].max()


def test_one_class_cannot_train():
    with pytest.raises(DataError, match="at least two tasks"):
        train_task_classifier(["a", "b"], ["vqa", "vqa"])


def test_review_labels_paper_in_two_sections_gets_both_and_names_map_to_ids():
    seeds = pd.DataFrame({
        "paper_id": ["p1", "p1", "p2", "p3", None],
        "task": ["vqa", "Medical Multi-task Learning", "Object Detection", "Cooking", "segmentation"],
    })
    out, unknown = review_task_labels(seeds, TAX)
    assert list(zip(out["paper_id"], out["label"], out["source"], out["score"])) == [
        ("p1", "vqa", "review", 1.0), ("p1", "multi_task", "review", 1.0), ("p2", "detection", "review", 1.0)]
    assert unknown == ["Cooking"]


def test_training_set_uses_abstracts_and_groups_by_paper():
    seeds = pd.DataFrame({"paper_id": ["p1", "p1", "p2"], "title": ["T one", "T one", "T two"],
                          "task": ["vqa", "multi_task", "segmentation"]})
    papers = pd.DataFrame({"paper_id": ["p1"], "abstract": ["An abstract."]})
    ts = task_training_set(seeds, papers, TAX)
    assert ts.values.tolist() == [["T one . An abstract.", "vqa", "p1"], ["T one . An abstract.", "multi_task", "p1"],
                                  ["T two", "segmentation", "p2"]]


def test_evaluation_on_a_separable_set_is_perfect_and_reported():
    ev = evaluate_task_classifier(_seeds(), taxonomy=TAX, n_splits=3)
    assert ev.n_samples == 9 and ev.n_papers == 9 and ev.n_classes == 3 and ev.n_splits == 3
    assert ev.macro_f1 == pytest.approx(1.0) and ev.accuracy == pytest.approx(1.0)
    assert ev.per_class["support"].tolist() == [3, 3, 3]
    assert ev.summary().startswith("task classifier: macro-F1 1.000, accuracy 1.000 (3-fold")


def test_evaluation_is_honest_about_unlearnable_labels():
    # Synthetic: the labels are a coin flip of identical texts; CV cannot beat chance.
    seeds = pd.DataFrame({"paper_id": [f"p{i}" for i in range(8)], "title": ["same words"] * 8,
                          "task": ["vqa", "segmentation"] * 4})
    ev = evaluate_task_classifier(seeds, taxonomy=TAX, n_splits=4)
    assert ev.macro_f1 < 0.7
