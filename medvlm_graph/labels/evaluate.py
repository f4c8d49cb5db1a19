"""How right the task labels are, measured against any list with task sections (``labels --evaluate --against``).

The task labels of papers outside the list come from text (:mod:`medvlm_graph.labels.tasks`: the
taxonomy's task terms first, the classifier second, no label when neither is confident). To
measure them against another list (another awesome list, a CSV with a ``section``/``task``
column), :func:`evaluate_task_labels` labels every row of that list that has a task the way the
build labels a field paper (its title, plus the abstract of the corpus paper it matches), with the
classifier retrained in ``n_splits`` folds on the current seeds minus the papers of the held-out
fold, so no paper is labelled by a model that saw it. It reports:

* **coverage**: the share of rows that get a task label (the rest abstain);
* **accuracy**: among labelled rows, the share whose top label is one of the list's tasks for it;
* per task: **precision** and **recall** of the top label.

Examples
--------
>>> import pandas as pd
>>> from medvlm_graph.taxonomy import load_taxonomy
>>> seeds = pd.DataFrame({"paper_id": ["s1", "s2", "s3", "s4"], "task": ["vqa", "vqa", "segmentation", "segmentation"],
...                       "title": ["Medical VQA with LLMs", "VQA for radiology", "Organ segmentation", "Tumor segmentation"]})
>>> other = pd.DataFrame({"title": ["Visual question answering on CT", "A study of images"], "task": ["vqa", "segmentation"]})
>>> ev = evaluate_task_labels(other, seeds, taxonomy=load_taxonomy(), n_splits=2)
>>> ev.n_rows, ev.n_labelled, ev.accuracy  # the second row is a guess of a two-task classifier: wrong
(2, 2, 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..identity import PaperIndex, normalize_title
from ..taxonomy import Taxonomy, load_taxonomy
from .classifier import task_ids, task_lookup, task_training_set, train_task_classifier
from .tasks import MIN_CONFIDENCE, predict_tasks


@dataclass
class TaskLabelEvaluation:
    """Task labels against a list: coverage, accuracy and per-task precision/recall."""

    n_rows: int
    n_labelled: int
    accuracy: float
    coverage: float
    per_task: pd.DataFrame
    rows: pd.DataFrame
    n_matched: int = 0
    n_with_abstract: int = 0

    def summary(self) -> str:
        return (f"task labels against the list: accuracy {self.accuracy:.3f} on {self.n_labelled} labelled rows, "
                f"coverage {self.coverage:.3f} ({self.n_labelled} of {self.n_rows} rows with a task got a label; "
                f"{self.n_matched} matched a corpus paper, {self.n_with_abstract} with an abstract, which was used)")


def evaluate_task_labels(against: pd.DataFrame, seeds: pd.DataFrame, papers: pd.DataFrame | None = None, *,
                         taxonomy: Taxonomy | None = None, n_splits: int = 5, random_state: int = 0,
                         min_confidence: float = MIN_CONFIDENCE) -> TaskLabelEvaluation:
    """Label the rows of ``against`` that have a task as field papers are labelled; compare.

    Parameters
    ----------
    against : DataFrame
        A seeds table read from the list to measure against (``title``, ``task``; ``arxiv_id``,
        ``doi`` used to find the corpus paper).
    seeds : DataFrame
        The current seeds (the classifier's training data, minus the held-out fold's papers).
    papers : DataFrame, optional
        The corpus papers (abstracts of the matched rows).
    taxonomy : Taxonomy, optional
    n_splits : int
        Folds: each fold is labelled by a classifier trained without its papers.

    Raises
    ------
    InputError
        The list has no row with a task of this taxonomy.
    """
    tax = taxonomy or load_taxonomy()
    lookup = task_lookup(tax)
    a = against.reset_index(drop=True)
    truth = [task_ids(t, lookup) for t in a.get("task", pd.Series([None] * len(a)))]
    keep = [bool(t) and isinstance(title, str) and bool(title.strip()) for t, title in zip(truth, a["title"])]
    a = a[keep].reset_index(drop=True)
    truth = [t for t, k in zip(truth, keep) if k]
    if a.empty:
        raise InputError("the list has no row with a task of this taxonomy: nothing to measure against "
                         "(its sections must map to task ids)")
    # the text of each row: the corpus paper's title and abstract when the row matches one
    abstracts = [None] * len(a)
    matched = with_abstract = 0
    if papers is not None and len(papers):
        index = PaperIndex(papers)
        by_id = papers.drop_duplicates("paper_id").set_index("paper_id")
        for i, r in enumerate(a.itertuples(index=False)):
            pid, _ = index.match(arxiv=getattr(r, "arxiv_id", None), doi=getattr(r, "doi", None), title=r.title)
            if pid is not None:
                matched += 1
                ab = by_id.at[pid, "abstract"] if "abstract" in by_id.columns else None
                abstracts[i] = ab if isinstance(ab, str) else None
                with_abstract += abstracts[i] is not None
    rows = pd.DataFrame({"paper_id": [f"row:{i}" for i in range(len(a))], "title": a["title"].tolist(),
                         "abstract": abstracts})
    keys = [normalize_title(t) for t in a["title"]]
    fold = np.arange(len(a)) % max(1, n_splits)
    np.random.default_rng(random_state).shuffle(fold)
    seed_keys = seeds["title"].map(normalize_title) if "title" in seeds.columns else pd.Series([""] * len(seeds))
    preds = []
    for k in range(max(1, n_splits)):
        part = rows[fold == k]
        if part.empty:
            continue
        held = {keys[i] for i in np.flatnonzero(fold == k)}
        train = task_training_set(seeds[~seed_keys.isin(held).to_numpy()], papers, tax)
        model = train_task_classifier(train["text"], train["label"], random_state=random_state) \
            if train["label"].nunique() >= 2 else None
        preds.append(predict_tasks(part, tax, model, min_confidence=min_confidence))
    pred = pd.concat([p for p in preds if len(p)], ignore_index=True) if any(len(p) for p in preds) else \
        pd.DataFrame(columns=["paper_id", "label", "score"])
    top = (pred.sort_values(["paper_id", "score", "label"], ascending=[True, False, True])
           .drop_duplicates("paper_id").set_index("paper_id")["label"])
    rows["truth"] = [";".join(t) for t in truth]
    rows["predicted"] = rows["paper_id"].map(top)
    rows["right"] = [isinstance(p, str) and p in t for p, t in zip(rows["predicted"], truth)]
    labelled = rows["predicted"].notna()
    tasks = sorted({t for ts in truth for t in ts} | set(top))
    per = []
    for t in tasks:
        predicted_t = rows["predicted"] == t
        has_t = np.array([t in ts for ts in truth])
        tp = int((predicted_t & has_t).sum())
        per.append((t, int(has_t.sum()), int(predicted_t.sum()), tp / predicted_t.sum() if predicted_t.any() else np.nan,
                    tp / has_t.sum() if has_t.any() else np.nan))
    per_task = pd.DataFrame(per, columns=["task", "support", "predicted", "precision", "recall"])
    n_lab = int(labelled.sum())
    return TaskLabelEvaluation(
        n_rows=len(rows), n_labelled=n_lab, accuracy=float(rows.loc[labelled, "right"].mean()) if n_lab else 0.0,
        coverage=n_lab / len(rows), per_task=per_task, rows=rows.drop(columns="paper_id"), n_matched=matched,
        n_with_abstract=with_abstract)
