"""Foundation-model labels: name mentions, citations of the model's paper, the review's table.

* Mentions: the model dimension's rules over title, abstract and TLDR (see
  :mod:`.rules`), source ``rules``, score 1.0 in the title, else 0.6/0.8.
* Citations: when the citation layer is present, a paper citing the model's own
  paper (the taxonomy's ``paper`` entry, resolved in the papers table by arXiv
  id, DOI or normalised title) gets the label, source ``rules``, score
  :data:`CITES_SCORE`. A paper both mentioning and citing keeps the higher score.
* The review's model table: a seed of that table whose ``model_name`` is a
  model label's name or alias gets it with source ``review``, score 1.0.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..identity import PaperIndex
from ..taxonomy import Taxonomy
from .rules import match_papers

CITES_SCORE = 0.5

_COLS = ["paper_id", "dimension", "label", "source", "score"]


def resolve_model_papers(papers: pd.DataFrame, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Model label id -> paper_ids in ``papers`` that are that model's own paper.

    A paper matches by arXiv id (versions ignored), DOI (case-insensitive) or
    normalised title.
    """
    # object columns: PaperIndex reads the columns value by value, which is slow on Arrow-backed ones
    index = PaperIndex(papers[[c for c in ("paper_id", "arxiv_id", "doi", "title") if c in papers.columns]]
                       .astype(object))
    out: dict[str, list[str]] = {}
    for lab in taxonomy.labels("model"):
        ref = lab.paper
        if ref is None:
            continue
        found: list[str] = []
        for key in ({"arxiv": ref.arxiv}, {"doi": ref.doi}, {"title": ref.title}):
            found.extend(p for p in index.find(**key) if p not in found)
        if found:
            out[lab.id] = found
    return out


def citation_model_labels(papers: pd.DataFrame, citations: pd.DataFrame | None,
                          taxonomy: Taxonomy) -> pd.DataFrame:
    """Rows for papers that cite a model's own paper (source ``rules``, score :data:`CITES_SCORE`)."""
    if citations is None or citations.empty:
        return pd.DataFrame(columns=_COLS)
    model_papers = resolve_model_papers(papers, taxonomy)
    if not model_papers:
        return pd.DataFrame(columns=_COLS)
    cited_to_model = pd.DataFrame(
        [(pid, lab) for lab, pids in model_papers.items() for pid in pids], columns=["cited_id", "label"])
    # only the citations of model papers (few) go into the merge; it keeps their order
    cited = citations["cited_id"].isin(cited_to_model["cited_id"].unique().tolist()).to_numpy(dtype=bool)
    hits = citations[["citing_id", "cited_id"]].iloc[np.flatnonzero(cited)].merge(cited_to_model, on="cited_id")
    hits = hits[hits["citing_id"] != hits["cited_id"]]
    # The model's own paper does not get its label from citing itself or its siblings' papers.
    own = {(p, lab) for lab, pids in model_papers.items() for p in pids}
    rows = [(c, "model", lab, "rules", CITES_SCORE) for c, lab in zip(hits["citing_id"].tolist(), hits["label"].tolist())
            if (c, lab) not in own]
    return pd.DataFrame(rows, columns=_COLS).drop_duplicates(["paper_id", "label"])


def review_model_labels(seeds: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Rows for model-table seeds: the paper of row "CLIP" is labelled ``clip`` (source ``review``)."""
    lookup: dict[str, str] = {}
    for lab in taxonomy.labels("model"):
        for name in (lab.name, lab.id, *lab.rules.aliases, *lab.rules.case_sensitive):
            lookup.setdefault(re.sub(r"[^a-z0-9]+", "", name.casefold()), lab.id)
    rows = []
    if "model_name" not in seeds.columns:
        return pd.DataFrame(columns=_COLS)
    for pid, name in zip(seeds["paper_id"], seeds["model_name"]):
        if isinstance(pid, str) and isinstance(name, str):
            lab = lookup.get(re.sub(r"[^a-z0-9]+", "", name.casefold()))
            if lab:
                rows.append((pid, "model", lab, "review", 1.0))
    return pd.DataFrame(rows, columns=_COLS).drop_duplicates(["paper_id", "label"])


def model_labels(papers: pd.DataFrame, seeds: pd.DataFrame | None, citations: pd.DataFrame | None,
                 taxonomy: Taxonomy) -> pd.DataFrame:
    """All model-dimension labels (mentions, citations, review table), one row per source and label."""
    return model_labels_from(match_papers(papers, taxonomy, ["model"]), papers, seeds, citations, taxonomy)


def model_labels_from(mentions: pd.DataFrame, papers: pd.DataFrame, seeds: pd.DataFrame | None,
                      citations: pd.DataFrame | None, taxonomy: Taxonomy) -> pd.DataFrame:
    """:func:`model_labels` given the papers' model ``match_papers`` rows ``mentions``."""
    parts = [mentions, citation_model_labels(papers, citations, taxonomy)]
    rules = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=_COLS)
    if len(rules):
        rules = (rules.sort_values("score", ascending=False, kind="stable")
                 .drop_duplicates(["paper_id", "label"]).reset_index(drop=True))
    review = review_model_labels(seeds, taxonomy) if seeds is not None else pd.DataFrame(columns=_COLS)
    frames = [f for f in (review, rules) if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_COLS)
