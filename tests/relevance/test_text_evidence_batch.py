"""text_evidence (hits of many texts at once) equals the text-by-text algorithm it replaced, on
SYNTHETIC titles and abstracts built from the vocabulary's own spellings."""

from __future__ import annotations

import random

import numpy as np
import pytest

from medvlm_graph.relevance import BODY_SCORES, TITLE_SCORE, text_evidence, vocabulary_matchers
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
