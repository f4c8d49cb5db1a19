"""Task labels: the review's own (``review``) and a text classifier for the rest (``model``).

Seeds listed in a task section of the review carry that task as ground truth
(source ``review``, score 1.0; a paper listed in two sections gets both).
Every other paper (references and citations from Semantic Scholar, and seeds
of the model table) gets a ``model`` label from a TF-IDF + logistic-regression
classifier trained on the review's seeds (title + abstract when present).
Its top label is kept with its probability as score, plus any other label
whose probability is at least :data:`SECONDARY_THRESHOLD`.

The hyper-parameters are fixed a priori (no tuning on the evaluation folds):
word 1-2-grams with sublinear TF, ``C=5``, balanced class weights,
``random_state=0``.

Examples
--------
>>> clf = train_task_classifier(["lesion segmentation masks", "report generation text"],
...                             ["segmentation", "report_generation"])
>>> str(clf.predict(["segmentation of lesions"])[0])
'segmentation'
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError
from ..taxonomy import Taxonomy, load_taxonomy

SECONDARY_THRESHOLD = 0.3
RANDOM_STATE = 0


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def task_lookup(taxonomy: Taxonomy) -> dict[str, str]:
    """Map normalised ids, names and aliases of task labels to task ids.

    Examples
    --------
    >>> from medvlm_graph.taxonomy import load_taxonomy
    >>> lk = task_lookup(load_taxonomy())
    >>> lk[_norm("Medical VQA")], lk[_norm("Object Detection")], lk[_norm("report_generation")]
    ('vqa', 'detection', 'report_generation')
    """
    out: dict[str, str] = {}
    for lab in taxonomy.labels("task"):
        for key in (lab.id, lab.name, *lab.rules.aliases):
            out.setdefault(_norm(key), lab.id)
    return out


def task_ids(value, lookup: dict[str, str]) -> list[str]:
    """Task ids named by a seeds-table ``task`` cell (``;``-joined values allowed)."""
    if not isinstance(value, str) or not value.strip():
        return []
    out = []
    for part in value.split(";"):
        tid = lookup.get(_norm(part))
        if tid and tid not in out:
            out.append(tid)
    return out


def review_task_labels(seeds: pd.DataFrame, taxonomy: Taxonomy) -> tuple[pd.DataFrame, list[str]]:
    """``review`` task labels of resolved seeds, and the task values that matched no id.

    Returns rows (paper_id, dimension="task", label, source="review", score=1.0)
    and the sorted list of unknown task values.
    """
    lookup = task_lookup(taxonomy)
    rows, unknown = [], set()
    for pid, task in zip(seeds["paper_id"], seeds["task"]):
        ids = task_ids(task, lookup)
        if isinstance(task, str) and task.strip() and not ids:
            unknown.add(task.strip())
        if isinstance(pid, str):
            rows.extend((pid, "task", t, "review", 1.0) for t in ids)
    df = pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"])
    return df.drop_duplicates(["paper_id", "label"]).reset_index(drop=True), sorted(unknown)


def paper_text(title, abstract) -> str:
    """Classifier input: title and abstract (when present)."""
    parts = [t for t in (title, abstract) if isinstance(t, str) and t.strip()]
    return " . ".join(parts)


def task_training_set(seeds: pd.DataFrame, papers: pd.DataFrame | None, taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per (paper, review task): columns ``text``, ``label``, ``group``.

    ``group`` identifies the paper so that cross-validation keeps both rows of
    a paper listed in two sections in the same fold. Abstracts come from
    ``papers`` through ``seeds.paper_id`` when available.
    """
    lookup = task_lookup(taxonomy)
    abstracts: dict[str, str] = {}
    if papers is not None and len(papers) and "abstract" in papers.columns:
        abstracts = {p: a for p, a in zip(papers["paper_id"].tolist(), papers["abstract"].tolist()) if isinstance(a, str)}
    rows = []
    for s in seeds.itertuples(index=False):
        ids = task_ids(getattr(s, "task", None), lookup)
        title = getattr(s, "title", None)
        if not ids or not isinstance(title, str) or not title.strip():
            continue
        pid = getattr(s, "paper_id", None)
        group = pid if isinstance(pid, str) else f"row:{_norm(title)}"
        text = paper_text(title, abstracts.get(pid) if isinstance(pid, str) else None)
        rows.extend((text, t, group) for t in ids)
    df = pd.DataFrame(rows, columns=["text", "label", "group"])
    return df.drop_duplicates(["group", "label"]).reset_index(drop=True)


def train_task_classifier(texts, labels, *, random_state: int = RANDOM_STATE):
    """Fit the TF-IDF + logistic-regression pipeline (deterministic)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    if len(set(labels)) < 2:
        raise DataError("the task classifier needs seeds of at least two tasks")
    pipe = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode"),
        LogisticRegression(C=5.0, class_weight="balanced", max_iter=2000, random_state=random_state),
    )
    with _one_thread():
        return pipe.fit(list(texts), list(labels))


def _one_thread():
    """Limit BLAS to one thread: on small problems the thread pool costs 10-20x the work itself."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def predict_task_labels(model, paper_ids, texts, *, threshold: float = SECONDARY_THRESHOLD) -> pd.DataFrame:
    """``model`` task labels: the top class, plus others with probability >= ``threshold``."""
    paper_ids, texts = list(paper_ids), list(texts)
    cols = ["paper_id", "dimension", "label", "source", "score"]
    if not paper_ids:
        return pd.DataFrame(columns=cols)
    with _one_thread():
        proba = model.predict_proba(texts)
    classes = model.classes_
    rows = []
    for pid, p in zip(paper_ids, proba):
        top = int(np.argmax(p))
        for k in np.argsort(-p, kind="stable"):
            if k == top or p[k] >= threshold:
                rows.append((pid, "task", str(classes[k]), "model", float(round(p[k], 6))))
    return pd.DataFrame(rows, columns=cols)


@dataclass
class TaskEvaluation:
    """Cross-validated quality of the task classifier against the review's labels."""

    macro_f1: float
    accuracy: float
    n_samples: int
    n_papers: int
    n_classes: int
    n_splits: int
    per_class: pd.DataFrame

    def summary(self) -> str:
        return (f"task classifier: macro-F1 {self.macro_f1:.3f}, accuracy {self.accuracy:.3f} "
                f"({self.n_splits}-fold stratified group CV over {self.n_samples} review labels "
                f"of {self.n_papers} papers, {self.n_classes} tasks)")


def evaluate_task_classifier(seeds: pd.DataFrame, papers: pd.DataFrame | None = None, *,
                             taxonomy: Taxonomy | None = None, n_splits: int = 5,
                             random_state: int = RANDOM_STATE) -> TaskEvaluation:
    """Stratified, paper-grouped k-fold macro-F1 of the classifier on the review's task seeds.

    Each fold trains on the other folds only (fixed hyper-parameters); the
    prediction is the top label. Tasks with fewer papers than folds are kept
    (they are simply hard to predict), so the number is honest, not flattering.
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
    from sklearn.model_selection import StratifiedGroupKFold

    if taxonomy is None:
        taxonomy = load_taxonomy()
    data = task_training_set(seeds, papers, taxonomy)
    if data["label"].nunique() < 2:
        raise DataError("evaluation needs seeds of at least two tasks")
    n_groups = data["group"].nunique()
    k = max(2, min(n_splits, n_groups))
    cv = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=random_state)
    y = data["label"].to_numpy()
    pred = np.empty(len(data), dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # classes with fewer members than folds
        for train, test in cv.split(data["text"], y, groups=data["group"]):
            if len(set(y[train])) < 2:
                pred[test] = y[train][0]
                continue
            model = train_task_classifier(data["text"].iloc[train], y[train], random_state=random_state)
            with _one_thread():
                pred[test] = model.predict(data["text"].iloc[test].tolist())
    labels = sorted(set(y))
    p, r, f, s = precision_recall_fscore_support(y, pred.astype(str), labels=labels, zero_division=0)
    per_class = pd.DataFrame({"label": labels, "support": s, "precision": p, "recall": r, "f1": f})
    return TaskEvaluation(
        macro_f1=float(f1_score(y, pred.astype(str), labels=labels, average="macro", zero_division=0)),
        accuracy=float(accuracy_score(y, pred.astype(str))),
        n_samples=len(data), n_papers=n_groups, n_classes=len(labels), n_splits=k, per_class=per_class,
    )
