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

Speed: :meth:`Matcher.find_many` finds the hits of many texts at once (a :class:`TextBatch`), with
exactly the spans :meth:`Matcher.find` gives text by text. Each match of a regex holds words (runs
of ASCII letters and digits) that the regex names (:func:`required_words`: the words of a phrase,
"prompt" in ``\\bprompt(?:s|ing)?\\b``, "clip" and one of "video", "surgical", ... in
``\\b(?:video|surgical|...)[- ]clips?\\b``), so a regex runs only on the texts whose lower-cased form
holds them (found in the batch's index of words) and on the texts that are not ASCII. Phrase and name
regexes run once over those texts joined, on the lower-cased texts where the text is ASCII;
``patterns`` and ``exclusions`` run text by text.

Examples
--------
>>> from medvlm_graph.taxonomy import load_taxonomy
>>> clip = build_matchers(load_taxonomy(), "model")["clip"]
>>> [bool(clip.find(t)) for t in ["MediCLIP", "CLIP-AD", "CausalCLIPSeg", "eclipse", "clipping"]]
[True, True, True, False, False]
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..taxonomy import Label, Taxonomy
try:  # the standard library's regex parser (private): see required_words
    from re import _constants as _sre_constants, _parser as _sre_parser
except ImportError:  # a Python without it: no required words known, every regex tries every text
    _sre_constants = _sre_parser = None

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


_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
#: ``re.compile``, remembered: re's own cache keeps 512 regexes, fewer than a taxonomy's matchers and
#: their scan forms (a merged vocabulary compiles its labels' regexes again).
_compile = functools.lru_cache(maxsize=8192)(re.compile)
#: Lookarounds of a whole-word phrase: no ASCII letter or digit on either side.
_EDGE_L, _EDGE_R = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"


#: What every match of a regex holds: None (nothing known), a word (lower-case ASCII letters and
#: digits, held up to case), or ("and" | "or", parts).
Need = None | str | tuple


def _all(parts: list) -> Need:
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else ("and", tuple(parts))


def _sequence_needs(items) -> Need:
    """What every match of a sequence of parsed regex items holds (see :func:`required_words`)."""
    parts: list = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op == _sre_constants.LITERAL and av < 128:
            run.append(chr(av))
            continue
        parts += [w.lower() for w in _ALNUM_RUN.findall("".join(run))]
        run = []
        if op == _sre_constants.SUBPATTERN:
            parts.append(_sequence_needs(av[-1]))
        elif op == _sre_constants.ATOMIC_GROUP:
            parts.append(_sequence_needs(av))
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT, _sre_constants.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                parts.append(_sequence_needs(av[2]))
        elif op == _sre_constants.BRANCH:
            alternatives = [_sequence_needs(alt) for alt in av[1]]
            if all(a is not None for a in alternatives):
                parts.append(("or", tuple(alternatives)))
    return _all(parts)


@functools.lru_cache(maxsize=4096)
def _needs(pattern: str, flags: int) -> Need:
    if _sre_parser is None:
        return None
    try:
        return _sequence_needs(_sre_parser.parse(pattern, flags))
    except Exception:  # a parser whose private form changed: nothing known (slower, never wrong)
        return None


def required_words(rx: re.Pattern) -> Need:
    """The words (runs of ASCII letters and digits, lower-cased) that every match of ``rx`` holds up
    to case: a word, ``("and", parts)``, ``("or", parts)``, or None when nothing is known.

    Read from the parsed regex (the standard library's own parser, the one ``re.compile`` runs): a
    match goes through a sequence item by item, so each run of literal characters of a sequence is
    in it as written (up to case when the regex ignores case), and so is what a group or a repeat of
    at least one holds; an alternation holds what one of its alternatives holds. Classes, optional
    parts and lookarounds add nothing. In an ASCII text a case-insensitive ASCII letter matches only
    its two cases, so the lower-cased text holds the lower-cased words.

    Examples
    --------
    >>> required_words(re.compile(r"\\bretrieval[- ](?:augment|enhanc)\\w*", re.I))
    ('and', ('retrieval', ('or', ('augment', 'enhanc'))))
    >>> required_words(re.compile(r"(?<![A-Za-z0-9])chest[\\s\\-]*x[\\s\\-]*rays?", re.I))
    ('and', ('chest', 'x', 'ray'))
    >>> required_words(re.compile(r"a?|b")) is None
    True
    """
    return _needs(rx.pattern, rx.flags)


class _PhraseScan(NamedTuple):
    """How a batch finds the matches of one phrase regex (same spans, faster).

    ``lower``: the regex (no flags) for ASCII texts, run on their lower-cased form (None: the phrase
    does not ignore case, or is not ASCII); ``text`` (with ``flags``): the regex for the other
    texts, run as they are. A word regex's left boundary sits after its first character
    (``c(?<![A-Za-z0-9]c)`` instead of ``(?<![A-Za-z0-9])c``: the same test), so that the engine
    jumps from one ``c`` to the next instead of trying the whole regex at every position. Kept as
    strings, compiled when a batch has texts for them.
    """

    need: Need
    lower: str | None
    text: str
    flags: int


def _lifted(body: str) -> str:
    """``_EDGE_L + body`` with the boundary test moved after the body's first (escaped) character."""
    head = body[:2] if body.startswith("\\") else body[:1]
    return f"{head}(?<![A-Za-z0-9]{head}){body[len(head):]}"


@functools.lru_cache(maxsize=4096)
def _phrase_scan(phrase: str, *, bounded: bool, flexible: bool, ignore_case: bool) -> _PhraseScan | None:
    """The :class:`_PhraseScan` of the regex :meth:`Matcher.from_label` builds for ``phrase``
    (``bounded``: a whole-word phrase, else a name); None when the phrase has no body."""
    body = _phrase_regex(phrase, flexible=flexible)
    if not body:
        return None

    def scan_form(p: str) -> str:
        b = _phrase_regex(p, flexible=flexible)
        return _lifted(b) + _EDGE_R if bounded else b

    # what required_words reads from the phrase's regex (its characters are literals, escaped; its
    # separators and plural ending add nothing), without parsing it
    need = _all([w.lower() for w in _ALNUM_RUN.findall(phrase)])
    lower = scan_form(phrase.lower()) if ignore_case and phrase.isascii() else None
    return _PhraseScan(need, lower, scan_form(phrase), re.IGNORECASE if ignore_case else 0)


class TextBatch:
    """Many texts to match at once, with what every :meth:`Matcher.find_many` over them shares.

    Holds whether each text is ASCII and an index of the words (runs of ASCII letters and digits,
    lower-cased) of the ASCII texts, which tells the texts that may contain a given word; it keeps
    the texts each word selects and the matches of each regex it ran, so that matchers sharing rules
    (a merged vocabulary and its labels) run them once.

    Parameters
    ----------
    texts : iterable of str
        Anything else (None, NaN) counts as an empty text.

    Examples
    --------
    >>> batch = TextBatch(["CT scans", "no", "Über CT"])
    >>> batch.holding("ct").tolist(), batch.holding(None).tolist()
    ([0, 2], [0, 1, 2])
    """

    def __init__(self, texts: Iterable) -> None:
        self.texts: list[str] = [t if isinstance(t, str) else "" for t in texts]
        arr = pa.array(self.texts, type=pa.large_string())
        self.ascii: np.ndarray = pc.string_is_ascii(arr).to_numpy(zero_copy_only=False).astype(bool, copy=False)
        asc = np.flatnonzero(self.ascii).astype(np.int32)
        words = pc.split_pattern_regex(pc.ascii_lower(arr.filter(pa.array(self.ascii))), "[^a-z0-9]+")
        enc = pc.dictionary_encode(pc.list_flatten(words))
        codes = enc.indices.to_numpy(zero_copy_only=False)
        order = np.argsort(codes, kind="stable")
        self._vocab = enc.dictionary
        self._signature = _signatures(self._vocab)
        # the texts of each vocabulary word (with repeats), word after word
        self._posting = asc[pc.list_parent_indices(words).to_numpy(zero_copy_only=False)[order]]
        self._first = np.searchsorted(codes[order], np.arange(len(self._vocab) + 1))
        del codes, order
        self._holding: dict[str, np.ndarray] = {}  # boolean masks: n bytes per word
        self._hits: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.texts)

    @classmethod
    def of(cls, texts: Iterable) -> TextBatch:
        """A batch of ``texts``; inside :func:`sharing_batches`, the one made for equal texts before,
        with what it learnt (``build`` matches the papers' titles for relevance, then for labels)."""
        shared = _SHARED.get()
        if shared is None:
            return cls(texts)
        texts = [t if isinstance(t, str) else "" for t in texts]
        for batch in shared:
            if batch.texts == texts:
                return batch
        batch = cls(texts)
        shared.append(batch)
        return batch

    def holding(self, need: Need) -> np.ndarray:
        """Indices (ascending) of the texts that may hold ``need`` (see :func:`required_words`; a
        word: lower-case ASCII letters and digits) up to case: the ASCII texts that do, and every text
        that is not ASCII (case-insensitive matching beyond ASCII is left to the regexes); all texts
        when ``need`` is None."""
        if need is None:
            return np.arange(len(self.texts))
        return np.flatnonzero(self._mask(need))

    def _mask(self, need: Need) -> np.ndarray:
        if isinstance(need, str):
            return self._word_mask(need)
        masks = [self._mask(part) for part in need[1]]
        return np.logical_and.reduce(masks) if need[0] == "and" else np.logical_or.reduce(masks)

    def _word_mask(self, word: str) -> np.ndarray:
        if word not in self._holding:
            # only the vocabulary words holding every character of ``word`` can hold ``word``
            want = _signature(word)
            some = np.flatnonzero(self._signature & want == want)
            hit = some[pc.match_substring(self._vocab.take(some), word).to_numpy(zero_copy_only=False)]
            mask = ~self.ascii
            mask[self._posting[_ranges(self._first[hit], self._first[hit + 1])]] = True
            self._holding[word] = mask
        return self._holding[word]

    def _scan(self, pattern: str, flags: int, idx: np.ndarray, lower: bool, camel: bool):
        """Matches of a phrase regex over the texts ``idx`` joined by ``"\\x00"`` (lower-cased when
        ``lower``: ASCII texts only). A phrase regex cannot match that character, and its boundary
        tests (and :func:`camel_bounded`) see it as they see a text's edge. Text, start and end arrays."""
        if not len(idx):
            return _no_hits()
        texts = [self.texts[i] for i in idx.tolist()]
        joined = "\x00".join(texts)
        spans = [m.span() for m in _compile(pattern, flags).finditer(joined.lower() if lower else joined)]
        if camel:
            spans = [(a, b) for a, b in spans if camel_bounded(joined, a, b)]
        if not spans:
            return _no_hits()
        starts = np.zeros(len(texts), dtype=np.int64)  # where each text starts in the joined string
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))[:-1] + 1, out=starts[1:])
        se = np.asarray(spans, dtype=np.int64)
        at = np.searchsorted(starts, se[:, 0], side="right") - 1
        return idx[at], se[:, 0] - starts[at], se[:, 1] - starts[at]

    def phrase_hits(self, scan: _PhraseScan, *, camel: bool):
        """Spans of one phrase regex (camel-case bounded for names) in every text: text, start, end."""
        key = ("phrase", scan, camel)
        if key not in self._hits:
            idx = self.holding(scan.need)
            if scan.lower is None:
                parts = [self._scan(scan.text, scan.flags, idx, False, camel)]
            else:
                asc = self.ascii[idx]
                parts = [self._scan(scan.lower, 0, idx[asc], True, camel),
                         self._scan(scan.text, scan.flags, idx[~asc], False, camel)]
            self._hits[key] = tuple(np.concatenate(x) for x in zip(*parts))
        return self._hits[key]

    def regex_hits(self, rx: re.Pattern, *, nonempty: bool = True, camel: bool = False):
        """Spans of any regex, text by text (on the texts that may hold its :func:`required_words`):
        text, start, end; only non-empty matches when ``nonempty``, camel-case bounded ones when ``camel``."""
        key = ("regex", rx, nonempty, camel)
        if key not in self._hits:
            k: list[int] = []
            se: list[tuple[int, int]] = []
            texts = self.texts
            for i in self.holding(required_words(rx)).tolist():
                t = texts[i]
                for m in rx.finditer(t):
                    a, b = m.span()
                    if (b > a or not nonempty) and (not camel or camel_bounded(t, a, b)):
                        k.append(i)
                        se.append((a, b))
            arr = np.asarray(se, dtype=np.int64).reshape(-1, 2)
            self._hits[key] = (np.asarray(k, dtype=np.int64), arr[:, 0], arr[:, 1])
        return self._hits[key]


def _any_of(regexes: list[re.Pattern]) -> re.Pattern | None:
    """One case-insensitive regex that finds something in a text when any of ``regexes`` does;
    None when there are none or they cannot be joined: a user pattern with global inline flags, or
    one that refers to a group (``\\1``, ``(?(1)...)``: joined, the numbers shift; by name too, to
    be safe)."""
    if not regexes or any(re.search(r"\\[1-9]|\(\?\(|\(\?P=", rx.pattern) for rx in regexes):
        return None
    try:
        return _compile("|".join(f"(?:{rx.pattern})" for rx in regexes), re.IGNORECASE)
    except re.error:
        return None


#: Bit of each ASCII letter and digit (lower case) in a word's character signature; other bytes: none.
_CHAR_BIT = np.zeros(256, dtype=np.uint64)
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789"):
    _CHAR_BIT[ord(_c)] = np.uint64(1) << np.uint64(_i)


def _signature(word: str) -> np.uint64:
    """The characters (a-z, 0-9) that ``word`` holds, as bits."""
    return np.bitwise_or.reduce(_CHAR_BIT[np.frombuffer(word.encode(), dtype=np.uint8)], initial=np.uint64(0))


def _signatures(words: pa.Array) -> np.ndarray:
    """:func:`_signature` of every string of an Arrow string array, from its buffers."""
    words = pc.cast(words, pa.large_string())
    offsets = np.frombuffer(words.buffers()[1], dtype=np.int64)[words.offset:words.offset + len(words) + 1]
    data = words.buffers()[2]
    chars = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    bits = np.append(_CHAR_BIT[chars[:offsets[-1]]], np.uint64(0))  # a 0 after the end: reduceat needs it
    out = np.bitwise_or.reduceat(bits, offsets[:-1]) if len(words) else np.zeros(0, dtype=np.uint64)
    out[offsets[1:] == offsets[:-1]] = 0  # an empty string: reduceat gave the next string's first character
    return out


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``lo[0]..hi[0]-1``, then ``lo[1]..hi[1]-1``, ... as one array."""
    n = hi - lo
    return np.repeat(lo - np.r_[0, np.cumsum(n)[:-1]], n) + np.arange(int(n.sum()))


_SHARED: contextvars.ContextVar[list[TextBatch] | None] = contextvars.ContextVar("shared_text_batches", default=None)


@contextlib.contextmanager
def sharing_batches() -> Iterator[None]:
    """Within the block, :meth:`TextBatch.of` gives one batch per distinct list of texts; the
    batches (and the memory they hold) go when the block ends.

    Examples
    --------
    >>> with sharing_batches():
    ...     TextBatch.of(["CT", "MRI"]) is TextBatch.of(["CT", "MRI"])
    True
    >>> TextBatch.of(["CT"]) is TextBatch.of(["CT"])
    False
    """
    token = _SHARED.set([] if _SHARED.get() is None else _SHARED.get())
    try:
        yield
    finally:
        _SHARED.reset(token)


def _no_hits() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    empty = np.zeros(0, dtype=np.int64)
    return empty, empty, empty


@dataclass
class Matcher:
    """Compiled rules of one label."""

    label: str
    dimension: str
    words: list[re.Pattern]  # whole-word phrases (boundaries inside the regex)
    names: list[re.Pattern]  # model names: boundaries checked by camel_bounded
    patterns: list[re.Pattern]
    exclusions: list[re.Pattern]
    prefilter: re.Pattern | None = None  # any rule, case-insensitive: a cheap first test (set by the first find)
    #: How a :class:`TextBatch` runs each regex of ``words`` + ``names`` (None: as any regex), set by
    #: :meth:`from_label`, which knows the phrase behind each.
    _scans: list[_PhraseScan | None] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # compiled by the first find: a batch (find_many) does not need it, and a merged vocabulary's
        # alternation of a hundred regexes takes long to compile
        self.prefilter = None
        self._prefilter_due = True

    @classmethod
    def from_label(cls, label: Label) -> Matcher:
        r = label.rules
        words: list[re.Pattern] = []
        names: list[re.Pattern] = []
        # (phrase, whole word, flexible, ignore case) of each regex of words + names, in that order
        specs: list[tuple[str, bool, bool, bool]] = []
        if label.dimension == "model":
            specs += [(p, False, False, True) for p in (*r.terms, *r.aliases)]
            specs += [(p, False, False, False) for p in r.case_sensitive]
            for phrase, _, _, ignore_case in specs:
                names.append(_compile(_phrase_regex(phrase, flexible=False), re.IGNORECASE if ignore_case else 0))
        else:
            specs += [(p, True, True, True) for p in (*r.terms, *r.aliases)]
            specs += [(p, True, False, False) for p in r.case_sensitive]
            for phrase, _, flexible, ignore_case in specs:
                words.append(_compile(_EDGE_L + _phrase_regex(phrase, flexible=flexible) + _EDGE_R,
                                        re.IGNORECASE if ignore_case else 0))
        m = cls(
            label=label.id,
            dimension=label.dimension,
            words=words,
            names=names,
            patterns=[_compile(p, re.IGNORECASE) for p in r.patterns],
            exclusions=[_compile(p, re.IGNORECASE) for p in r.exclusions],
        )
        m._scans = [_phrase_scan(p, bounded=b, flexible=f, ignore_case=i) for p, b, f, i in specs]
        return m

    def find(self, text: str | None) -> list[tuple[int, int]]:
        """Spans of all hits in ``text`` (after boundaries and exclusions)."""
        if not isinstance(text, str) or not text:
            return []
        if self._prefilter_due:
            self.prefilter = _any_of([*self.words, *self.names, *self.patterns])
            self._prefilter_due = False
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

    def find_many(self, texts: TextBatch | Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The hits of many texts at once: :meth:`find` of every text, as arrays.

        Parameters
        ----------
        texts : TextBatch or sequence of str
            A :class:`TextBatch` shares its word index and the matches of every regex it ran with the
            other matchers run over it.

        Returns
        -------
        text, start, end : ndarray of int64
            One row per distinct span, sorted by text, start and end: row ``j`` is the hit
            ``(start[j], end[j])`` of ``find(texts[text[j]])``.

        Examples
        --------
        >>> from medvlm_graph.taxonomy import load_taxonomy
        >>> blip = build_matchers(load_taxonomy(), "model")["blip"]
        >>> [a.tolist() for a in blip.find_many(["BLIP-2 and BLIP", "no", "InstructBLIP"])]
        [[0], [11], [15]]
        """
        batch = texts if isinstance(texts, TextBatch) else TextBatch(texts)
        parts = []
        for j, rx in enumerate((*self.words, *self.names)):
            name = j >= len(self.words)
            scan = self._scans[j] if j < len(self._scans) else None
            parts.append(batch.phrase_hits(scan, camel=name) if scan is not None
                         else batch.regex_hits(rx, nonempty=not name, camel=name))
        parts += [batch.regex_hits(rx) for rx in self.patterns]
        if not parts:
            return _no_hits()
        k, a, b = (np.concatenate(x) for x in zip(*parts))
        order = np.lexsort((b, a, k))
        k, a, b = k[order], a[order], b[order]
        new = np.ones(len(k), dtype=bool)  # two rules may find the same span
        new[1:] = (np.diff(k) != 0) | (np.diff(a) != 0) | (np.diff(b) != 0)
        k, a, b = k[new], a[new], b[new]
        if self.exclusions and len(k):
            # A match [lo, hi) of an exclusion in a text voids every span of that text overlapping it:
            # pair each void with the spans of its text (spans are sorted by text).
            vk, lo, hi = (np.concatenate(x) for x in zip(*(batch.regex_hits(rx, nonempty=False)
                                                            for rx in self.exclusions)))
            first, last = np.searchsorted(k, vk), np.searchsorted(k, vk, side="right")
            void = np.repeat(np.arange(len(vk)), last - first)
            span = _ranges(first, last)
            voided = (a[span] < hi[void]) & (lo[void] < b[span])
            keep = np.ones(len(k), dtype=bool)
            keep[span[voided]] = False
            k, a, b = k[keep], a[keep], b[keep]
        return k, a, b

    def count_hits(self, texts: Sequence[str]) -> np.ndarray:
        """``len(self.find(t))`` for every text of ``texts`` (see :meth:`find_many`)."""
        return np.bincount(self.find_many(texts)[0], minlength=len(texts)).astype(np.int64)


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
    return rule_hits(papers, taxonomy, dimensions)[0]


def rule_hits(papers: pd.DataFrame, taxonomy: Taxonomy, dimensions: Iterable[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`match_papers`, and the position in ``papers`` of each row's paper.

    Each paper's labels depend on its own texts only, so the rows of a subset of the papers are the
    rows at those positions: one pass over the texts serves several subsets (``labels`` does this).
    """
    # plain lists: iterating Arrow-backed columns value by value is slow
    cols = {c: papers[c].tolist() if c in papers.columns else [None] * len(papers)
            for c in ("title", "abstract", "tldr")}
    matchers = {d: build_matchers(taxonomy, d) for d in dimensions}
    titles = TextBatch.of(cols["title"])
    bodies = [" \n ".join((_text(a), _text(t))) for a, t in zip(cols["abstract"], cols["tldr"])]
    # a body of blanks counts as none (no hit in it), whatever a user pattern would find there
    bodies = TextBatch(b if b.strip() else "" for b in bodies)
    n = len(papers)
    pos: list[np.ndarray] = []
    order: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    names: list[tuple[str, str]] = []
    for dim, by_label in matchers.items():
        for label_id, m in by_label.items():
            in_title = np.bincount(m.find_many(titles)[0], minlength=n) > 0
            hits = np.bincount(m.find_many(bodies)[0], minlength=n)
            idx = np.flatnonzero(in_title | (hits > 0))
            pos.append(idx)
            order.append(np.full(len(idx), len(names), dtype=np.int64))
            # rule_score, for every paper at once
            scores.append(np.where(in_title[idx], TITLE_SCORE,
                                   np.where(hits[idx] >= 2, TEXT_SCORE_MANY, TEXT_SCORE_ONE)).astype(np.float64))
            names.append((dim, label_id))
    if not names:
        return pd.DataFrame(columns=["paper_id", "dimension", "label", "source", "score"]), np.zeros(0, dtype=np.int64)
    p, o, sc = np.concatenate(pos), np.concatenate(order), np.concatenate(scores)
    s = np.lexsort((o, p))  # by paper, then taxonomy order
    p, o, sc = p[s], o[s], sc[s]
    ids = papers["paper_id"].to_numpy(dtype=object)
    dims = np.array([d for d, _ in names], dtype=object)
    labs = np.array([lab for _, lab in names], dtype=object)
    rows = list(zip(ids[p].tolist(), dims[o].tolist(), labs[o].tolist(), ["rules"] * len(p), sc.tolist()))
    return pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"]), p
