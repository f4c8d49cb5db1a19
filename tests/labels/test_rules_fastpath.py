"""match_papers' candidate preselection gives exactly the labels of running every matcher on every
paper (the previous implementation), on SYNTHETIC texts built from the taxonomy's own spellings."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from medvlm_graph.labels.rules import build_matchers, match_papers, rule_score
from medvlm_graph.taxonomy import load_taxonomy

TAX = load_taxonomy()
DIMS = ["strategy", "modality", "model"]


def reference(papers: pd.DataFrame) -> pd.DataFrame:
    """Every matcher on every paper, in paper then taxonomy order."""
    rows = []
    matchers = {d: build_matchers(TAX, d) for d in DIMS}
    for pid, title, abstract, tldr in zip(papers["paper_id"], papers["title"], papers["abstract"], papers["tldr"]):
        title = title if isinstance(title, str) else ""
        body = " \n ".join(x if isinstance(x, str) else "" for x in (abstract, tldr))
        for dim, by_label in matchers.items():
            for label_id, m in by_label.items():
                in_title = bool(m.find(title))
                hits = len(m.find(body)) if body.strip() else 0
                if in_title or hits:
                    rows.append((pid, dim, label_id, "rules", rule_score(in_title, hits)))
    return pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"])


def _spellings() -> list[str]:
    out = []
    for d in DIMS:
        for lab in TAX.labels(d):
            out += [*lab.rules.terms, *lab.rules.aliases, *lab.rules.case_sensitive]
    return out


# Non-ASCII look-alikes that case-insensitive regexes treat as ASCII letters (Kelvin sign, long s,
# dotted capital I), camel-case joins, hyphens and pattern-only spellings.
EXTRA = ["\u212aNOWLEDGE-guided", "Medi\u017fAM", "\u0130mage", "MediCLIP", "CLIPSeg", "eclipse", "X-rays", "xray",
         "GPT-4V", "GPT 4 with vision", "gpt4o", "LLaMA-3.1", "retinal", "histopathological", "MR images",
         "dermatoscopic", "o1-preview", "DALL·E 3", "retrieval-augmented", "comparison", "ſegment anything"]


@pytest.mark.parametrize("seed", range(6))
def test_match_papers_equals_every_matcher_on_every_paper(seed):
    r = random.Random(seed)
    words = _spellings() + EXTRA + ["medical", "image", "model", "a", "for", "the", "-", "s"]
    def text():
        parts = [r.choice(words) for _ in range(r.randint(0, 8))]
        t = " ".join(parts)
        if r.random() < 0.3:
            t = t.upper() if r.random() < 0.5 else t.lower()
        if r.random() < 0.2:
            t = t.replace(" ", "")  # joins: camel-case and glued words
        return t
    n = 150
    papers = pd.DataFrame({
        "paper_id": [f"p{i:03d}" for i in range(n)],
        "title": [text() if r.random() < 0.9 else None for _ in range(n)],
        "abstract": [text() if r.random() < 0.5 else None for _ in range(n)],
        "tldr": [text() if r.random() < 0.3 else None for _ in range(n)],
    })
    got = match_papers(papers, TAX, DIMS)
    want = reference(papers)
    assert len(want) > 50  # the texts do hit many labels
    pd.testing.assert_frame_equal(got, want)


def test_non_ascii_lookalikes_keep_their_labels():
    # Python's case-insensitive regexes match the long s and the Kelvin sign as s and k.
    papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "title": ["Ultra\u017fonography of the liver", "DeepSee\u212a",
                                                                "plain title"],
                           "abstract": [None, None, "Endo\u017fcopy images"], "tldr": [None, None, None]})
    got = match_papers(papers, TAX, DIMS)
    assert got[["paper_id", "label", "score"]].values.tolist() == [["a", "ultrasound", 1.0], ["b", "deepseek", 1.0],
                                                                   ["c", "endoscopy", 0.6]]
    pd.testing.assert_frame_equal(got, reference(papers))


@pytest.mark.parametrize("seed", range(3))
def test_count_hits_equals_find_text_by_text(seed):
    # Every matcher of the taxonomy (phrases, camel-case names, patterns, exclusions) on SYNTHETIC texts,
    # some empty, some holding the joining character itself.
    r = random.Random(seed)
    words = _spellings() + EXTRA + ["a", "the", "-", "\x00", "BLIP-2", "(", "Seg", "s"]
    texts = []
    for _ in range(120):
        t = " ".join(r.choice(words) for _ in range(r.randint(0, 10)))
        texts.append(t.replace(" ", "") if r.random() < 0.2 else t)
    n_hits = 0
    for d in DIMS:
        for m in build_matchers(TAX, d).values():
            got = m.count_hits(texts).tolist()
            assert got == [len(m.find(t)) for t in texts], m.label
            n_hits += sum(got)
    assert n_hits > 500
    assert build_matchers(TAX, "model")["clip"].count_hits([]).tolist() == []
