"""Labels with provenance: task, strategy, modality and foundation model of every paper.

:func:`label_papers` returns the ``labels`` table (paper_id, dimension, label,
source, score):

=========  ===================================================  ================================
dimension  source                                               score
=========  ===================================================  ================================
task       ``review``: seeds of the review's task sections      1.0
task       ``rules``: the taxonomy's task terms (field papers   1.0 title; 0.6 / 0.8 abstract or
           outside the list's task sections)                    TLDR (see labels.tasks)
task       ``model``: TF-IDF + logistic regression, when no     class probability (top label, kept
           task term names a task                               when >= 0.5; else no task label)
strategy   ``rules`` over title, abstract, TLDR (no              1.0 title; 0.6 / 0.8 for one / more
           ``off_the_shelf`` for a model table paper)
modality                                                        hits in abstract or TLDR only
model      ``rules``: name/alias mention (as above), or         mention as above; citing 0.5
           citing the model's own paper
model      ``review``: the paper of a row of the model table    1.0
any        ``manual``: overrides CSV (applied last, wins)       1.0
=========  ===================================================  ================================

Examples
--------
>>> import pandas as pd
>>> papers = pd.DataFrame({"paper_id": ["p1"], "title": ["MedSAM adapters for CT segmentation"]})
>>> seeds = pd.DataFrame({"paper_id": ["p1"], "task": ["segmentation"], "title": ["MedSAM ..."]})
>>> out = label_papers(papers, seeds)
>>> sorted(zip(out["dimension"], out["label"], out["source"]))  # doctest: +NORMALIZE_WHITESPACE
[('modality', 'ct', 'rules'), ('model', 'sam', 'rules'), ('strategy', 'fine_tuning', 'rules'),
 ('task', 'segmentation', 'review')]
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from .. import tables
from ..log import logger, progress
from ..taxonomy import DIMENSIONS, Taxonomy, load_taxonomy
from .classifier import (
    SECONDARY_THRESHOLD,
    TaskEvaluation,
    evaluate_task_classifier,
    review_task_labels,
    task_training_set,
    train_task_classifier,
)
from .manual import apply_overrides, read_overrides
from .models import model_labels_from
from .rules import rule_hits
from .tasks import MIN_CONFIDENCE, predict_tasks, predict_with_terms, strongest_terms

__all__ = [
    "label_papers", "label_papers_with_report", "labels_wide", "evaluate_task_classifier", "TaskEvaluation",
    "read_overrides", "apply_overrides", "SECONDARY_THRESHOLD", "MIN_CONFIDENCE", "predict_tasks",
]

_SORT = ["paper_id", "dimension", "label", "source"]


def _taxonomy(taxonomy: Taxonomy | str | os.PathLike[str] | None) -> Taxonomy:
    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def label_papers(papers: pd.DataFrame, seeds: pd.DataFrame, *, citations: pd.DataFrame | None = None,
                 taxonomy: Taxonomy | str | os.PathLike[str] | None = None,
                 overrides: pd.DataFrame | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The ``labels`` table of ``papers`` (see the module docstring for sources and scores).

    Parameters
    ----------
    papers : DataFrame
        Papers table (``paper_id``, ``title``; ``abstract``, ``tldr``, ``arxiv_id``, ``doi`` used when present).
    seeds : DataFrame
        Seeds table with ``paper_id`` filled (the paper each seed row points to) and ``task``.
    citations : DataFrame, optional
        Citations table; enables model labels by citation of the model's paper.
    taxonomy : Taxonomy or path, optional
        Default: the shipped taxonomy.
    overrides : DataFrame or path to CSV, optional
        Manual overrides (``paper_id, dimension, label, action``).
    """
    return label_papers_with_report(papers, seeds, citations=citations, taxonomy=taxonomy,
                                    overrides=overrides)[0]


def label_papers_with_report(papers, seeds, *, citations=None, taxonomy=None, overrides=None,
                             fallback_seeds: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """:func:`label_papers` plus a report dict (counts, classifier training size, skipped overrides).

    ``fallback_seeds`` trains the task classifier when ``seeds`` name fewer than two tasks (a list
    without task sections); ``build`` passes the shipped review list.
    """
    tax = _taxonomy(taxonomy)
    papers = tables.conform(papers, "papers", require=("paper_id",))
    seeds = tables.conform(seeds, "seeds")
    report: dict[str, Any] = {"skipped": []}
    frames: list[pd.DataFrame] = []
    with progress("labelling papers", 4) as advance:
        # task: the review's own labels, then the classifier for everything else
        review, unknown = review_task_labels(seeds, tax)
        if unknown:
            report["skipped"].append(f"seed task values matching no task id: {', '.join(unknown)}")
        known = set(papers["paper_id"].tolist())
        # (isin would turn each of the 10^4 known ids into an Arrow scalar)
        review = review[np.array([p in known for p in review["paper_id"].tolist()], dtype=bool)]
        frames.append(review)
        train = task_training_set(seeds, papers, tax)
        report["classifier_training_rows"] = len(train)
        # Field papers outside the list's task sections get a task from their text (terms first,
        # the classifier second, none when neither is confident). Seeds of the model table are the
        # foundation models themselves, which the list gives no task; papers outside the field get
        # no task at all (they are not counted in any task analysis).
        model_rows = _model_table_papers(seeds)
        in_field = papers["in_field"].fillna(True).astype(bool) if "in_field" in papers.columns else True
        todo_mask = (in_field & ~papers["paper_id"].isin(set(review["paper_id"]) | model_rows)).to_numpy(dtype=bool)
        todo = papers[todo_mask]
        # Every rule label of every paper in one pass over the texts; each part below takes its rows.
        mentions, at = rule_hits(papers, tax, [d for d in ("task", "strategy", "modality", "model")
                                               if d in tax.dimensions])
        dimension = mentions["dimension"].to_numpy(dtype=object)
        model = None
        if train["label"].nunique() < 2 and len(todo):
            # A list without task sections (a Zotero export, a CSV of titles): learn the tasks from
            # the fallback list (the shipped review list) instead, as long as its tasks are this taxonomy's.
            train = task_training_set(fallback_seeds, None, tax) if fallback_seeds is not None else train
            if train["label"].nunique() >= 2:
                report["classifier_trained_on"] = "the shipped review list (the seed list has no task sections)"
                report["classifier_training_rows"] = len(train)
        if train["label"].nunique() >= 2 and len(todo):
            model = train_task_classifier(train["text"], train["label"])
        elif len(todo):
            report["skipped"].append("task classifier not trained: seeds of fewer than two tasks "
                                     "(task labels come from task terms only)")
        # = predict_tasks(todo, tax, model): the task term rows of the papers to label
        task_terms = mentions[(dimension == "task") & todo_mask[at]]
        predicted = predict_with_terms(todo, strongest_terms(task_terms), model, min_confidence=MIN_CONFIDENCE)
        frames.append(predicted)
        report["task_labelled_papers"] = {src: int(n) for src, n in
                                          predicted.groupby("source")["paper_id"].nunique().items()}
        report["task_unlabelled_papers"] = int(len(todo) - predicted["paper_id"].nunique())
        advance()
        rules = mentions[(dimension == "strategy") | (dimension == "modality")]
        # A foundation model's own paper names the model but is no off-the-shelf use of it.
        frames.append(rules[~((rules["label"] == "off_the_shelf") & rules["paper_id"].isin(model_rows))])
        advance()
        if "model" in tax.dimensions:
            frames.append(model_labels_from(mentions[dimension == "model"], papers, seeds, citations, tax))
        advance()
        frames = [f for f in frames if len(f)]
        labels = pd.concat(frames, ignore_index=True) if frames else tables.empty("labels")
        labels = tables.conform(labels, "labels")
        if overrides is not None:
            ov = overrides if isinstance(overrides, pd.DataFrame) else read_overrides(overrides, tax)
            if "line" not in ov.columns:
                ov = ov.assign(line=range(2, len(ov) + 2))
            ov = ov[ov["dimension"].astype(str).str.lower() != "field"]  # relevance reads those
            labels, skipped = apply_overrides(labels, ov, paper_ids=known)
            report["overrides_applied"] = len(ov) - len(skipped)
            report["skipped"].extend(skipped)
            for msg in skipped:
                logger.warning(msg)
        advance()
    labels = tables.conform(labels, "labels").sort_values(_SORT, kind="stable").reset_index(drop=True)
    report["labels"] = {d: int(n) for d, n in labels.groupby("dimension").size().items()}
    return labels, report


def _model_table_papers(seeds: pd.DataFrame) -> set[str]:
    if not {"section", "paper_id"} <= set(seeds.columns):
        return set()
    return set(seeds.loc[seeds["section"] == "models", "paper_id"].dropna())


def labels_wide(labels: pd.DataFrame, papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per paper and a ``;``-joined column of label ids per dimension.

    Labels are ordered by descending score, then id. With ``papers`` every paper
    gets a row (empty strings where it has no label) and title and year come along.

    Examples
    --------
    >>> import pandas as pd
    >>> lab = pd.DataFrame({"paper_id": ["a", "a", "b"], "dimension": ["modality"] * 3,
    ...                     "label": ["ct", "mri", "xray"], "source": ["rules"] * 3, "score": [0.6, 1.0, 1.0]})
    >>> labels_wide(lab)[["paper_id", "modality"]].values.tolist()
    [['a', 'mri;ct'], ['b', 'xray']]
    """
    lab = labels.sort_values(["paper_id", "dimension", "score", "label"], ascending=[True, True, False, True],
                             kind="stable").drop_duplicates(["paper_id", "dimension", "label"])
    wide = (lab.groupby(["paper_id", "dimension"], sort=True)["label"].agg(";".join)
            .unstack("dimension").reindex(columns=list(DIMENSIONS)))
    wide.columns.name = None
    wide = wide.reset_index()
    if papers is not None:
        base = papers[[c for c in ("paper_id", "title", "year", "is_seed") if c in papers.columns]]
        wide = base.merge(wide, on="paper_id", how="left")
    for d in DIMENSIONS:
        wide[d] = wide[d].astype("string").fillna("")
    return wide
