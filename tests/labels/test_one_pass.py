"""label_papers matches every rule label in one pass over the texts and takes each part's rows from it:
the same rows as matching each part on its own papers, on SYNTHETIC papers (repeated ids included)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from medvlm_graph.labels.models import model_labels, model_labels_from
from medvlm_graph.labels.rules import match_papers, rule_hits
from medvlm_graph.labels.tasks import predict_tasks, predict_with_terms, strongest_terms
from medvlm_graph.taxonomy import load_taxonomy

TAX = load_taxonomy()
DIMS = ["task", "strategy", "modality", "model"]


def _papers(seed: int, n: int = 120) -> pd.DataFrame:
    r = random.Random(seed)
    words = [p for d in DIMS for lab in TAX.labels(d) for p in (*lab.rules.terms, *lab.rules.aliases)]
    words += ["a study", "of", "the", "MediCLIP", "BLIP-2", "\u212anee", "Über"]

    def text(k):
        return " ".join(r.choice(words) for _ in range(r.randint(0, k)))

    return pd.DataFrame({
        "paper_id": [f"p{r.randint(0, n // 2)}" for _ in range(n)],  # repeated ids
        "title": [text(5) if r.random() < 0.9 else None for _ in range(n)],
        "abstract": [text(15) if r.random() < 0.5 else None for _ in range(n)],
        "tldr": [text(5) if r.random() < 0.2 else None for _ in range(n)],
    })


@pytest.mark.parametrize("seed", range(3))
def test_rows_of_a_subset_are_the_rows_at_its_positions(seed):
    papers = _papers(seed)
    rows, at = rule_hits(papers, TAX, DIMS)
    pd.testing.assert_frame_equal(rows, match_papers(papers, TAX, DIMS))
    assert len(rows) > 100 and np.all(np.diff(at) >= 0)
    r = random.Random(seed)
    keep = np.array([r.random() < 0.5 for _ in range(len(papers))])
    for dims in (["task"], ["strategy", "modality"], ["model"]):
        want = match_papers(papers[keep], TAX, dims)
        got = rows[np.isin(rows["dimension"], dims) & keep[at]].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("seed", range(3))
def test_task_and_model_labels_from_the_one_pass(seed):
    papers = _papers(seed)
    rows, at = rule_hits(papers, TAX, DIMS)
    dim = rows["dimension"].to_numpy(dtype=object)
    keep = np.array([i % 3 != 0 for i in range(len(papers))])
    todo = papers[keep]
    got = predict_with_terms(todo, strongest_terms(rows[(dim == "task") & keep[at]]))
    pd.testing.assert_frame_equal(got, predict_tasks(todo, TAX))
    assert len(got) > 10
    seeds = pd.DataFrame({"paper_id": ["p1"], "model_name": ["CLIP"]})
    cites = pd.DataFrame({"citing_id": ["p2", "p3"], "cited_id": ["p1", "p2"]})
    got = model_labels_from(rows[dim == "model"], papers, seeds, cites, TAX)
    pd.testing.assert_frame_equal(got, model_labels(papers, seeds, cites, TAX))


def test_batches_shared_between_relevance_and_labels_change_nothing():
    from medvlm_graph.labels import label_papers
    from medvlm_graph.labels.rules import TextBatch, sharing_batches
    from medvlm_graph.relevance import compute_relevance

    papers = _papers(5).drop_duplicates("paper_id").reset_index(drop=True)
    seeds = pd.DataFrame({"paper_id": ["p1", "p2"], "task": ["vqa", "segmentation"], "title": ["Visual question answering on chest X-rays", "Lesion segmentation with SAM"]})
    want = compute_relevance(papers, seeds), label_papers(papers, seeds, taxonomy=TAX)
    with sharing_batches():
        got = compute_relevance(papers, seeds), label_papers(papers, seeds, taxonomy=TAX)
        titles = papers["title"].tolist()
        assert TextBatch.of(titles) is TextBatch.of(titles)  # the titles' batch, met again
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])
    assert TextBatch.of(titles) is not TextBatch.of(titles)  # nothing kept after the block
