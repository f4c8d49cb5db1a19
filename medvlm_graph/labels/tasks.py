"""Task labels of papers the list gives no task: the taxonomy's task terms first, the classifier second.

For each paper to label (field papers outside the list's task sections):

1. **Terms in the title** (source ``rules``, score 1.0): a title saying "report generation" or
   "VQA" is not a guess. Every task whose terms hit the title is kept.
2. **Terms in the abstract or TLDR** (source ``rules``, score 0.6 for one hit, 0.8 for more),
   when the title names no task: only the task(s) with the strongest score.
3. **The classifier** (source ``model``, TF-IDF + logistic regression trained on the list's task
   seeds, see :mod:`medvlm_graph.labels.classifier`), when no term names a task: its top task, kept
   only when its probability is at least ``min_confidence``.
4. Otherwise **no task label**: abstaining beats a wrong label, and the report counts the
   unlabelled papers.

Examples
--------
>>> import pandas as pd
>>> from medvlm_graph.taxonomy import load_taxonomy
>>> papers = pd.DataFrame({"paper_id": ["a", "b", "c"],
...                        "title": ["Radiology report generation with LLMs", "A study", "Another study"],
...                        "abstract": [None, "We answer visual questions (VQA) about CT.", None]})
>>> out = predict_tasks(papers, load_taxonomy())
>>> out[["paper_id", "label", "source", "score"]].values.tolist()
[['a', 'report_generation', 'rules', 1.0], ['b', 'vqa', 'rules', 0.6]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..taxonomy import Taxonomy
from .classifier import paper_text, predict_task_labels
from .rules import TITLE_SCORE, match_papers

#: The classifier's top probability below which a paper gets no task label.
MIN_CONFIDENCE = 0.5
LABEL_COLUMNS = ["paper_id", "dimension", "label", "source", "score"]


def task_term_labels(papers: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Task labels from the taxonomy's task terms: all title hits, else the strongest body hits."""
    if papers.empty or not taxonomy.labels("task"):
        return pd.DataFrame(columns=LABEL_COLUMNS)
    return strongest_terms(match_papers(papers, taxonomy, ["task"]))


def strongest_terms(hits: pd.DataFrame) -> pd.DataFrame:
    """The task term labels of :func:`task_term_labels` from the papers' task ``match_papers`` rows:
    per paper, the labels of the highest score (all title hits, else the strongest body hits)."""
    if hits.empty:
        return pd.DataFrame(columns=LABEL_COLUMNS)
    best = hits.groupby("paper_id")["score"].transform("max")
    return hits[hits["score"] == best].reset_index(drop=True)[LABEL_COLUMNS]


def predict_tasks(papers: pd.DataFrame, taxonomy: Taxonomy, model=None, *,
                  min_confidence: float = MIN_CONFIDENCE) -> pd.DataFrame:
    """Task labels of ``papers``: terms first, then ``model`` (a fitted task classifier), else none.

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, title`` (``abstract``, ``tldr`` used when present).
    taxonomy : Taxonomy
    model : fitted pipeline, optional
        From :func:`~medvlm_graph.labels.classifier.train_task_classifier`; without it, papers
        whose text names no task stay unlabelled.
    min_confidence : float
        The classifier's top probability needed for a label.

    Returns
    -------
    DataFrame
        ``paper_id, dimension ("task"), label, source ("rules" | "model"), score``.
    """
    return predict_with_terms(papers, task_term_labels(papers, taxonomy), model, min_confidence=min_confidence)


def predict_with_terms(papers: pd.DataFrame, terms: pd.DataFrame, model=None, *,
                       min_confidence: float = MIN_CONFIDENCE) -> pd.DataFrame:
    """:func:`predict_tasks` given the papers' :func:`task_term_labels` ``terms``."""
    frames = [terms]
    named = set(terms["paper_id"].tolist())
    # (isin would turn each named id into an Arrow scalar)
    rest = papers[np.array([p not in named for p in papers["paper_id"].tolist()], dtype=bool)]
    if model is not None and len(rest):
        abstracts = rest["abstract"] if "abstract" in rest.columns else pd.Series([None] * len(rest), index=rest.index)
        texts = [paper_text(t, a) for t, a in zip(rest["title"], abstracts)]
        keep = np.array([bool(t) for t in texts], dtype=bool)
        if keep.any():
            pred = predict_task_labels(model, rest["paper_id"][keep], [t for t, k in zip(texts, keep) if k],
                                       threshold=1.1)  # the top class only
            frames.append(pred[pred["score"] >= min_confidence])
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=LABEL_COLUMNS)
    return pd.concat(frames, ignore_index=True)[LABEL_COLUMNS]


__all__ = ["MIN_CONFIDENCE", "TITLE_SCORE", "predict_tasks", "predict_with_terms", "strongest_terms",
           "task_term_labels"]
