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
candidates get the exact test, :meth:`Matcher.count_hits`: each regex once over the candidates'
texts joined (``find``'s spans, without a Python call per paper). Every phrase hit contains that
word, so the labels and scores are the same as running ``find`` on every paper.

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
        # One regex that finds a text when any pattern does (None: test them one by one). Not when a
        # pattern refers to a group by number or name: joined, the numbers would shift.
        self._any_pattern: re.Pattern | None = None
        if len(self.patterns) == 1:
            self._any_pattern = self.patterns[0]
        elif self.patterns and not any(re.search(r"\\[1-9]|\(\?P=", rx.pattern) for rx in self.patterns):
            try:
                self._any_pattern = re.compile("|".join(f"(?:{rx.pattern})" for rx in self.patterns), re.IGNORECASE)
            except re.error:
                self._any_pattern = None

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
        if self.patterns:  # regexes text by text, only where the substring test left the text out
            rest = np.flatnonzero(~mask)
            search = self._any_pattern.search if self._any_pattern is not None else (
                lambda t: any(rx.search(t) for rx in self.patterns))
            mask[rest] = np.fromiter((bool(t) and bool(search(t)) for t in map(texts.__getitem__, rest.tolist())),
                                     dtype=bool, count=len(rest))
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

    def count_hits(self, texts: list[str]) -> np.ndarray:
        """``len(self.find(t))`` for every text of ``texts``, several texts per regex call.

        The phrase and name regexes run once over the texts joined by ``"\\x00"``: they cannot match
        that character, and a boundary test sees it as it sees the edge of a text (not alphanumeric),
        so each hit lies inside one text with the spans :meth:`find` gives. ``patterns`` (user
        regexes, which might match across it) and ``exclusions`` still run text by text.
        """
        n = len(texts)
        counts = np.zeros(n, dtype=np.int64)
        if n == 0:
            return counts
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        offsets = np.r_[0, np.cumsum(lengths + 1)[:-1]]  # where each text starts in the joined string
        joined = "\x00".join(texts)
        starts: list[int] = []
        ends: list[int] = []
        for rx in self.words:
            for m in rx.finditer(joined):
                if m.end() > m.start():
                    starts.append(m.start())
                    ends.append(m.end())
        for rx in self.names:
            for m in rx.finditer(joined):
                if camel_bounded(joined, m.start(), m.end()):
                    starts.append(m.start())
                    ends.append(m.end())
        if self.patterns:
            for i, t in enumerate(texts):
                for rx in self.patterns:
                    for m in rx.finditer(t):
                        if m.end() > m.start():
                            starts.append(m.start() + int(offsets[i]))
                            ends.append(m.end() + int(offsets[i]))
        st = np.asarray(starts, dtype=np.int64)
        en = np.asarray(ends, dtype=np.int64)
        if not len(st):
            return counts
        # distinct spans per text (two rules may find the same span)
        key = np.unique(np.column_stack([st, en]), axis=0)
        st, en = key[:, 0], key[:, 1]
        which = np.searchsorted(offsets, st, side="right") - 1
        if self.exclusions:
            keep = np.ones(len(st), dtype=bool)
            present, first = np.unique(which, return_index=True)  # spans are sorted, so by text
            for i, lo, hi in zip(present.tolist(), first.tolist(), np.r_[first[1:], len(which)].tolist()):
                voids = [m.span() for rx in self.exclusions for m in rx.finditer(texts[i])]
                if voids:
                    o = int(offsets[i])
                    keep[lo:hi] = [not any(a - o < v[1] and v[0] < b - o for v in voids)
                                   for a, b in zip(st[lo:hi].tolist(), en[lo:hi].tolist())]
            which = which[keep]
        return np.bincount(which, minlength=n).astype(np.int64)


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
    # Per label, the candidate papers, then the exact hits of the label on its candidates at once.
    pos: list[np.ndarray] = []
    order: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    names: list[tuple[str, str]] = []
    for dim, by_label in matchers.items():
        for label_id, m in by_label.items():
            mask = m.candidates(*views[0])
            if has_body.any():
                mask |= m.candidates(*views[1]) & has_body
            idx = np.flatnonzero(mask)
            in_title = m.count_hits([titles[i] for i in idx.tolist()]) > 0
            hits = np.zeros(len(idx), dtype=np.int64)
            with_body = np.flatnonzero(has_body[idx])
            hits[with_body] = m.count_hits([bodies[i] for i in idx[with_body].tolist()])
            hit = in_title | (hits > 0)
            pos.append(idx[hit])
            order.append(np.full(int(hit.sum()), len(names), dtype=np.int64))
            scores.append(np.array([rule_score(t, h) for t, h in zip(in_title[hit].tolist(), hits[hit].tolist())],
                                   dtype=np.float64))
            names.append((dim, label_id))
    if not names:
        return pd.DataFrame(columns=["paper_id", "dimension", "label", "source", "score"])
    p, o, sc = np.concatenate(pos), np.concatenate(order), np.concatenate(scores)
    s = np.lexsort((o, p))  # by paper, then taxonomy order
    p, o, sc = p[s], o[s], sc[s]
    ids = papers["paper_id"].to_numpy(dtype=object)
    dims = np.array([d for d, _ in names], dtype=object)
    labs = np.array([lab for _, lab in names], dtype=object)
    rows = list(zip(ids[p].tolist(), dims[o].tolist(), labs[o].tolist(), ["rules"] * len(p), sc.tolist()))
    return pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"])
