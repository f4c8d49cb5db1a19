"""The faster relevance functions equal the algorithms they replaced (kept here): text_evidence
(hits of many texts at once) on SYNTHETIC titles and abstracts built from the vocabulary's own
spellings; relevance_summary and assign_relevance on random tables."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from medvlm_graph import tables
from medvlm_graph.relevance import (
    BODY_SCORES,
    PAPER_COLUMNS,
    TITLE_SCORE,
    _main_reason,
    assign_relevance,
    relevance_summary,
    text_evidence,
    vocabulary_matchers,
)
from medvlm_graph.taxonomy import load_taxonomy

TAX = load_taxonomy()
VOCAB = vocabulary_matchers(TAX)


def reference(titles, bodies, matchers):
    """The previous text_evidence: Matcher.find on every text, distinct normalised terms per body."""
    n = len(titles)
    title_hit = np.array([any(m.find(t) for m in matchers) for t in titles], dtype=bool)
    terms = [set() for _ in range(n)]
    for m in matchers:
        for i, text in enumerate(bodies):
            terms[i].update(" ".join(text[a:b].lower().replace("-", " ").split()) for a, b in m.find(text))
    counts = np.array([len(t) for t in terms], dtype=int)
    body = np.asarray(BODY_SCORES)[np.minimum(counts, len(BODY_SCORES) - 1)]
    return np.where(title_hit, TITLE_SCORE, body), np.where(title_hit, 2, np.where(counts > 0, 1, 0)).astype(np.int8)


def _words():
    out = []
    for lab in (*TAX.labels("field"), *TAX.labels("modality"), *TAX.labels("model")):
        out += [*lab.rules.terms, *lab.rules.aliases, *lab.rules.case_sensitive]
    return out + ["Chest X-Rays", "X RAY", "Ultra\u017fonography", "\u212anee MRI", "Über", "MediCLIP", "BLIP-2",
                  "ECLIPSE", "vision-language", "Vision Language", "the", "of", "-", "\n", "clinical", "CLINICAL"]


@pytest.mark.parametrize("seed", range(3))
def test_text_evidence_equals_the_text_by_text_algorithm(seed):
    r = random.Random(seed)
    words = _words()

    def text(k):
        t = " ".join(r.choice(words) for _ in range(r.randint(0, k)))
        return t.upper() if r.random() < 0.1 else t

    titles = [text(6) if r.random() < 0.8 else "" for _ in range(200)]
    bodies = [text(25) if r.random() < 0.6 else "" for _ in range(200)]
    seen = set()
    for part, matchers in VOCAB.items():
        got = text_evidence(titles, bodies, matchers)
        want = reference(titles, bodies, matchers)
        np.testing.assert_array_equal(got[0], want[0], err_msg=part)
        np.testing.assert_array_equal(got[1], want[1], err_msg=part)
        seen |= set(want[0].tolist())
    assert seen >= set(BODY_SCORES) | {TITLE_SCORE}  # every score occurs


def test_text_evidence_of_nothing():
    score, where = text_evidence([], [], VOCAB["domain"])
    assert score.tolist() == [] and where.tolist() == []
    score, where = text_evidence(["", "A model"], ["", ""], VOCAB["method"])
    assert score.tolist() == [0.0, 0.0] and where.tolist() == [0, 0]


def summary_reference(papers, top_reasons=3):
    """The previous relevance_summary: _main_reason of every paper's reason."""
    if papers["in_field"].isna().all():
        return {"assessed": False, "papers": len(papers), "in_field": len(papers), "set_aside": 0,
                "in_field_reasons": [], "set_aside_reasons": []}
    inside = papers["in_field"].fillna(True).astype(bool)

    def common(mask, inside_):
        reasons = papers.loc[mask, "field_reason"].fillna("").astype(str) if "field_reason" in papers else []
        parts = pd.Series([_main_reason(r, inside_) for r in reasons if r], dtype="string")
        parts = parts.str.replace(r"\d+%", "N%", regex=True)
        vc = sorted(parts.value_counts().items(), key=lambda kv: (-kv[1], kv[0]))
        return [(str(k), int(v)) for k, v in vc[:top_reasons]]

    return {"assessed": True, "papers": len(papers), "in_field": int(inside.sum()),
            "set_aside": int((~inside).sum()), "in_field_reasons": common(inside, True),
            "set_aside_reasons": common(~inside, False)}


REASONS = ["seed (review: VQA)", "seed (review: Report)", "medical + vision-language terms in title",
           "generic: cited by 40% of the corpus", "generic: cited by 7% of the corpus", "no medical terms",
           "no medical terms; cites only general model papers among the seeds", "weak",
           "medical terms in abstract; cites 2 task seeds", "manual override: in the field (was: x)",
           "general model paper: review model table", "", None, "vision-language terms in title; no medical terms"]


@pytest.mark.parametrize("seed", range(4))
def test_relevance_summary_equals_the_paper_by_paper_count(seed):
    r = random.Random(seed)
    n = [0, 1, 5, 300][seed]
    papers = pd.DataFrame({"paper_id": [f"p{i}" for i in range(n)],
                           "in_field": pd.array([r.choice([True, False, None]) for _ in range(n)], dtype="boolean"),
                           "field_reason": [r.choice(REASONS) for _ in range(n)]})
    for top in (1, 3, 20):
        assert relevance_summary(papers, top_reasons=top) == summary_reference(papers, top), top
    assert relevance_summary(papers.drop(columns="field_reason"))["in_field_reasons"] == []


def assign_reference(papers, relevance):
    """The previous assign_relevance: Series.map column by column."""
    rel = relevance.drop_duplicates("paper_id").set_index("paper_id")
    out = papers.copy()
    for col in PAPER_COLUMNS:
        out[col] = out["paper_id"].map(rel[col]) if col in rel.columns else pd.NA
    return tables.conform(out, "papers")


@pytest.mark.parametrize("seed", range(3))
def test_assign_relevance_equals_mapping_each_column(seed):
    r = random.Random(seed)
    n = 60
    papers = tables.conform(pd.DataFrame({"paper_id": [r.choice([f"p{i}" for i in range(80)] + [None])
                                                       for _ in range(n)], "title": ["t"] * n}), "papers")
    ids = [f"p{i}" for i in range(0, 80, 2)] + ["p0", "p2"]  # some papers missing, some ids twice
    rel = pd.DataFrame({
        "paper_id": ids, "in_field": [r.random() < 0.5 for _ in ids], "field_score": [r.random() for _ in ids],
        "field_reason": [r.choice(REASONS) for _ in ids], "field_source": [r.choice(["seed", "evidence"]) for _ in ids],
        "field_domain": [r.random() for _ in ids], "field_method": [r.choice([0.0, 0.3, 1.0]) for _ in ids],
        "field_graph": [float("nan") if r.random() < 0.1 else r.random() for _ in ids]})
    pd.testing.assert_frame_equal(assign_relevance(papers, rel), assign_reference(papers, rel))
    short = rel.drop(columns=["field_graph", "field_reason"])  # columns absent from the relevance table
    pd.testing.assert_frame_equal(assign_relevance(papers, short), assign_reference(papers, short))
