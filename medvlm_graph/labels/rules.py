"""Rule-based labels: strategy, modality and foundation-model mentions.

Each taxonomy label becomes a :class:`Matcher` built from its rules:

* ``terms``, ``aliases`` and ``case_sensitive`` spellings must stand as whole
  words. Outside the model dimension a space and a hyphen are interchangeable
  and a plural ``s``/``es`` is allowed ("x-ray" finds "X-rays", "xray").
* In the model dimension a name may also sit inside a compound name at a
  camel-case join: CLIP counts in "MediCLIP", "CausalCLIPSeg", "VCLIPSeg" and
  "CLIP-AD", but not in "eclipse", "ECLIPSE" or "clipping" (see
  :func:`camel_bounded`).
* ``patterns`` are regular expressions (case-insensitive), ``exclusions``
  regular expressions whose matches void any hit that overlaps them (BLIP
  inside "BLIP-2").

Scores (rule strength) for strategy, modality and model mentions:

* 1.0 when a rule hits the title;
* otherwise hits in the abstract or TLDR only: 0.6 for one hit, 0.8 for two or
  more hits (of any rules of that label).

Speed: :func:`match_papers` first keeps, per label, the candidate papers whose lower-cased ASCII
text contains the longest word of one of the label's phrases (a plain substring test over all
papers at once, in Arrow), or that a ``patterns`` regex finds, or whose text is not ASCII; only
candidates go through :meth:`Matcher.find`. Every phrase hit contains that word, so the labels
and scores are the same as running ``find`` on every paper.

Examples
--------
>>> from medvlm_graph.taxonomy import load_taxonomy
>>> clip = build_matchers(load_taxonomy(), "model")["clip"]
>>> [bool(clip.find(t)) for t in ["MediCLIP", "CLIP-AD", "CausalCLIPSeg", "eclipse", "clipping"]]
[True, True, True, False, False]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..taxonomy import Label, Taxonomy

TITLE_SCORE = 1.0
TEXT_SCORE_ONE = 0.6
TEXT_SCORE_MANY = 0.8


def _phrase_regex(phrase: str, *, flexible: bool) -> str:
    """Regex body for a phrase: escaped, with flexible separators and plural when asked."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", phrase.strip()) if p]
    if not flexible:
        return r"\s+".join(re.escape(p) for p in phrase.strip().split())
    body = r"[\s\-]*".join(parts)
    # Optional plural only when the phrase ends in a letter.
    return body + (r"(?:e?s)?" if phrase.strip()[-1:].isalpha() else "")


def camel_bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands as a name at both ends.

    A side is a boundary when it is the string edge or a non-alphanumeric
    character, a change between digit and letter, or a camel-case join:
    lower -> Upper at the start ("Medi|CLIP"), Upper -> Upper+lower at the end
    ("CLIP|Seg"), lower -> Upper at the end ("LLaVA|Med"). An all-caps name may
    also follow a single capital that opens its word ("V|CLIPSeg").

    Examples
    --------
    >>> [camel_bounded(t, t.find("CLIP"), t.find("CLIP") + 4) for t in ["MediCLIP", "CLIPSeg", "ECLIPSE"]]
    [True, True, False]
    """
    n = len(text)
    # start side
    if start > 0 and text[start - 1].isalnum():
        prev, first = text[start - 1], text[start]
        ok = (
            (prev.islower() and first.isupper())
            or prev.isdigit() != first.isdigit()
            or (prev.isupper() and first.isupper() and text[start:end].isupper()
                and (start - 1 == 0 or not text[start - 2].isalnum()))
        )
        if not ok:
            return False
    # end side
    if end < n and text[end].isalnum():
        last, nxt = text[end - 1], text[end]
        ok = (
            (last.islower() and nxt.isupper())
            or last.isdigit() != nxt.isdigit()
            or (last.isupper() and nxt.isupper() and end + 1 < n and text[end + 1].islower())
        )
        if not ok:
            return False
    return True


@dataclass
class Matcher:
    """Compiled rules of one label."""

    label: str
    dimension: str
    words: list[re.Pattern]  # whole-word phrases (boundaries inside the regex)
    names: list[re.Pattern]  # model names: boundaries checked by camel_bounded
    patterns: list[re.Pattern]
    exclusions: list[re.Pattern]
    prefilter: re.Pattern | None = None  # any rule, case-insensitive: a cheap first test
    #: Lower-case words one of which every phrase hit contains (None: no such guarantee).
    literals: list[str] | None = None

    def __post_init__(self) -> None:
        parts = [rx.pattern for rx in (*self.words, *self.names, *self.patterns)]
        try:
            self.prefilter = re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None
        except re.error:  # e.g. a user pattern with global inline flags cannot be combined
            self.prefilter = None

    @classmethod
    def from_label(cls, label: Label) -> Matcher:
        r = label.rules
        words: list[re.Pattern] = []
        names: list[re.Pattern] = []
        if label.dimension == "model":
            for phrase in (*r.terms, *r.aliases):
                names.append(re.compile(_phrase_regex(phrase, flexible=False), re.IGNORECASE))
            for phrase in r.case_sensitive:
                names.append(re.compile(_phrase_regex(phrase, flexible=False)))
        else:
            edge_l, edge_r = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
            for phrase in (*r.terms, *r.aliases):
                words.append(re.compile(edge_l + _phrase_regex(phrase, flexible=True) + edge_r, re.IGNORECASE))
            for phrase in r.case_sensitive:
                words.append(re.compile(edge_l + _phrase_regex(phrase, flexible=False) + edge_r))
        phrases = (*r.terms, *r.aliases, *r.case_sensitive)
        # The longest word of each phrase: every regex above matches it literally (up to case).
        longest = [max(re.split(r"[\s\-]+", p.strip()), key=len).lower() for p in phrases]
        literals = longest if all(w and w.isascii() for w in longest) else None
        return cls(
            label=label.id,
            dimension=label.dimension,
            words=words,
            names=names,
            patterns=[re.compile(p, re.IGNORECASE) for p in r.patterns],
            exclusions=[re.compile(p, re.IGNORECASE) for p in r.exclusions],
            literals=literals,
        )

    def candidates(self, texts: list[str], lower: pd.Series, ascii_: np.ndarray,
                   cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """Mask of the ``texts`` where :meth:`find` may hit (a superset of its hits).

        ``lower`` holds the texts lower-cased (Arrow strings), ``ascii_`` whether each is ASCII;
        ``cache`` keeps the mask of each word across labels.
        """
        if self.literals is None:
            return np.ones(len(texts), dtype=bool)
        cache = {} if cache is None else cache
        mask = ~ascii_  # case-insensitive matching beyond ASCII: leave it to find
        for word in dict.fromkeys(self.literals):
            if word not in cache:
                cache[word] = lower.str.contains(word, regex=False).to_numpy(dtype=bool, na_value=False)
            mask |= cache[word]
        if self.patterns:
            mask |= np.fromiter((bool(t) and any(rx.search(t) for rx in self.patterns) for t in texts),
                                dtype=bool, count=len(texts))
        return mask

    def find(self, text: str | None) -> list[tuple[int, int]]:
        """Spans of all hits in ``text`` (after boundaries and exclusions)."""
        if not isinstance(text, str) or not text:
            return []
        if self.prefilter is not None and not self.prefilter.search(text):
            return []
        spans: set[tuple[int, int]] = set()
        for rx in (*self.words, *self.patterns):
            spans.update(m.span() for m in rx.finditer(text) if m.end() > m.start())
        for rx in self.names:
            spans.update(m.span() for m in rx.finditer(text) if camel_bounded(text, *m.span()))
        if spans and self.exclusions:
            voids = [m.span() for rx in self.exclusions for m in rx.finditer(text)]
            spans = {s for s in spans if not any(s[0] < v[1] and v[0] < s[1] for v in voids)}
        return sorted(spans)


def build_matchers(taxonomy: Taxonomy, dimension: str) -> dict[str, Matcher]:
    """One :class:`Matcher` per label of ``dimension``, in taxonomy order."""
    return {lab.id: Matcher.from_label(lab) for lab in taxonomy.labels(dimension)}


def rule_score(in_title: bool, text_hits: int) -> float:
    """Score of a rule label from where it hit (see the module docstring).

    Examples
    --------
    >>> rule_score(True, 0), rule_score(False, 1), rule_score(False, 3)
    (1.0, 0.6, 0.8)
    """
    if in_title:
        return TITLE_SCORE
    return TEXT_SCORE_MANY if text_hits >= 2 else TEXT_SCORE_ONE


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def match_papers(papers: pd.DataFrame, taxonomy: Taxonomy, dimensions: Iterable[str]) -> pd.DataFrame:
    """Rule labels of ``papers`` over title, abstract and tldr.

    Returns rows (paper_id, dimension, label, source="rules", score), several
    labels per paper allowed.
    """
    rows: list[tuple[str, str, str, str, float]] = []
    cols = {c: papers[c] if c in papers.columns else pd.Series([None] * len(papers), index=papers.index)
            for c in ("title", "abstract", "tldr")}
    matchers = {d: build_matchers(taxonomy, d) for d in dimensions}
    titles = [_text(t) for t in cols["title"]]
    bodies = [" \n ".join((_text(a), _text(t))) for a, t in zip(cols["abstract"], cols["tldr"])]
    has_body = np.fromiter((bool(b.strip()) for b in bodies), dtype=bool, count=len(bodies))
    views = []
    for texts in (titles, [b if ok else "" for b, ok in zip(bodies, has_body)]):
        views.append((texts, pd.Series(texts, dtype="str").str.lower(),
                      np.fromiter((t.isascii() for t in texts), dtype=bool, count=len(texts)), {}))
    # Per paper, the (dimension, label) pairs worth an exact test, in taxonomy order.
    todo: list[list[tuple[str, str, Matcher]]] = [[] for _ in titles]
    for dim, by_label in matchers.items():
        for label_id, m in by_label.items():
            mask = m.candidates(*views[0])
            if has_body.any():
                mask |= m.candidates(*views[1]) & has_body
            for i in np.flatnonzero(mask):
                todo[i].append((dim, label_id, m))
    for pid, title, body, body_ok, pairs in zip(papers["paper_id"], titles, bodies, has_body, todo):
        for dim, label_id, m in pairs:
            in_title = bool(m.find(title))
            hits = len(m.find(body)) if body_ok else 0
            if in_title or hits:
                rows.append((pid, dim, label_id, "rules", rule_score(in_title, hits)))
    return pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"])
