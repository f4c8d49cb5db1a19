"""Matcher.find_many (many texts at once, through a TextBatch) gives exactly Matcher.find text by text,
on SYNTHETIC texts: the taxonomy's own spellings, camel-case names, exclusions, user patterns of
every kind, non-ASCII look-alikes and the joining character itself."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from medvlm_graph.labels.rules import Matcher, TextBatch, build_matchers, required_words
from medvlm_graph.relevance import vocabulary_matchers
from medvlm_graph.taxonomy import Label, Rules, load_taxonomy

TAX = load_taxonomy()
LABEL_MATCHERS = [m for d in TAX.dimensions for m in build_matchers(TAX, d).values()]
VOCABULARY = [m for ms in vocabulary_matchers(TAX).values() for m in ms]


def spellings() -> list[str]:
    return [p for d in TAX.dimensions for lab in TAX.labels(d)
            for p in (*lab.rules.terms, *lab.rules.aliases, *lab.rules.case_sensitive)]


# Non-ASCII look-alikes that case-insensitive regexes treat as ASCII letters (Kelvin sign, long s,
# dotted capital I), camel-case joins and their counter-examples, exclusions, pattern spellings.
EXTRA = ["\u212aNOWLEDGE-guided", "Medi\u017fAM", "\u0130mage", "MediCLIP", "CLIPSeg", "VCLIPSeg", "eclipse",
         "ECLIPSE", "clipping", "X-rays", "xray", "GPT-4V", "GPT 4 with vision", "gpt4o", "LLaMA-3.1", "retinal",
         "histopathological", "MR images", "dermatoscopic", "o1-preview", "DALL·E 3", "retrieval-augmented",
         "comparison", "ſegment anything", "BLIP-2", "BLIP", "InstructBLIP", "PubMedCLIP", "T2-FLAIR", "FLAIR",
         "video clips", "Gemini 1.5", "knowledge distillation", "SAM2", "LLaVA-Med", "Über", "naïve", "\x00",
         "\n", "(", "Seg", "s", "-", "a", "the", "CT", "ct", "3D"]


def random_texts(seed: int, n: int = 250) -> list[str]:
    r = random.Random(seed)
    words = spellings() + EXTRA
    out = []
    for _ in range(n):
        t = " ".join(r.choice(words) for _ in range(r.randint(0, 12)))
        if r.random() < 0.2:
            t = t.replace(" ", "")  # glued words and camel-case joins
        if r.random() < 0.15:
            t = t.upper()
        elif r.random() < 0.15:
            t = t.lower()
        out.append(t)
    return out + ["", " ", "\x00"]


def per_text(m: Matcher, batch: TextBatch | list[str], n: int) -> list[list[tuple[int, int]]]:
    got: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i, a, b in zip(*(x.tolist() for x in m.find_many(batch))):
        got[i].append((a, b))
    return got


@pytest.mark.parametrize("seed", range(4))
def test_find_many_equals_find_for_every_matcher_of_the_taxonomy(seed):
    texts = random_texts(seed)
    batch = TextBatch(texts)  # shared by every matcher, as the label and vocabulary matchers share it
    hits = 0
    for m in LABEL_MATCHERS + VOCABULARY:
        got = per_text(m, batch, len(texts))
        assert got == [m.find(t) for t in texts], m.label
        hits += sum(map(len, got))
    assert hits > 2000
    # a batch of its own gives the same
    clip = build_matchers(TAX, "model")["clip"]
    assert per_text(clip, texts, len(texts)) == [clip.find(t) for t in texts]


def test_find_many_by_hand():
    models = build_matchers(TAX, "model")
    texts = ["MediCLIP and ECLIPSE", "BLIP-2 and BLIP", "InstructBLIP", "Über CLIP", "eclipse", "",
             "video clips of CLIP"]
    k, a, b = models["clip"].find_many(texts)
    assert list(zip(k.tolist(), a.tolist(), b.tolist())) == [(0, 4, 8), (3, 5, 9), (6, 15, 19)]
    k, a, b = models["blip"].find_many(texts)
    assert list(zip(k.tolist(), a.tolist(), b.tolist())) == [(1, 11, 15)]
    # overlapping phrases of one label give distinct spans, sorted
    ct = build_matchers(TAX, "modality")["xray"]
    text = "Chest X-ray and chest x-rays, CXR"
    assert per_text(ct, [text], 1) == [ct.find(text)]
    assert len(ct.find(text)) >= 3
    empty = models["clip"].find_many([])
    assert [x.tolist() for x in empty] == [[], [], []]
    assert models["clip"].count_hits(texts).tolist() == [len(models["clip"].find(t)) for t in texts]


def _matcher(words=(), names=(), patterns=(), exclusions=(), flags=re.IGNORECASE) -> Matcher:
    return Matcher(label="x", dimension="strategy", words=[re.compile(p, flags) for p in words],
                   names=[re.compile(p, flags) for p in names], patterns=[re.compile(p, flags) for p in patterns],
                   exclusions=[re.compile(p, flags) for p in exclusions])


# Regexes built by hand (no phrase behind them): anchors, lookarounds, classes and dots that see or
# match the joining character, back-references, empty matches, inline flags.
HAND = [
    _matcher(patterns=[r"^ab", r"cd$", r"\Aq", r"z\Z"]),
    _matcher(patterns=[r"(?<=\W)ab", r"(?<!x)cd", r"ab(?=\W)", r"ef(?!g)"]),
    _matcher(patterns=[r"a.b", r"[^a-z]x", r"\Wy", r"\S+", r"\D\d"]),
    _matcher(patterns=[r"(ab)\1", r"(?P<q>q)(?P=q)", r"(a)?(?(1)b|c)"]),
    _matcher(patterns=[r"x*", r"\b", r"(?=a)"], exclusions=[r"\B", r"b*"]),
    _matcher(patterns=[r"(?i)Kelvin", r"(?x) s a m  # comment", r"(?s)a.c"], flags=0),
    _matcher(words=[r"(?<![A-Za-z0-9])ab(?![A-Za-z0-9])", r".+"], names=[r"ab", r"a\s*b", r"AB"]),
    _matcher(patterns=[r"abc|abd", r"ab|cd", r"[ab]c", r"a{2,}", r"(?:ab)+c"], exclusions=[r"^a", r"c$"]),
    _matcher(patterns=[r"k", r"s", r"i"], exclusions=[r"\u212a"]),
]
HAND_WORDS = ["ab", "cd", "q", "z", "x", "y", "ef", "efg", "ab ab", "qq", "abc", "ac", "abd", "aab", "Kelvin",
              "\u212aelvin", "\u017fam", "sam", "SAM", "a\x00b", "\x00", "\n", "a\nc", "İ", "ı", "1", "_", "-", " ",
              "É", "é"]


@pytest.mark.parametrize("seed", range(4))
def test_find_many_equals_find_for_hand_built_regexes(seed):
    r = random.Random(seed)
    texts = ["".join(r.choice(HAND_WORDS) for _ in range(r.randint(0, 6))) for _ in range(300)] + ["", "\x00"]
    batch = TextBatch(texts)
    for j, m in enumerate(HAND):
        assert per_text(m, batch, len(texts)) == [m.find(t) for t in texts], j


def test_required_words():
    def need(pattern, flags=re.I):
        return required_words(re.compile(pattern, flags))

    assert need(r"\bprompt(?:s|ing|ed|able)?\b") == "prompt"  # an optional group adds nothing
    assert need(r"(?<![A-Za-z0-9])chest[\s\-]*x[\s\-]*ray(?:e?s)?(?![A-Za-z0-9])") == ("and", ("chest", "x", "ray"))
    # the parser moves the alternatives' common prefix out: "imag", then "e" or "ing"
    assert need(r"\bMR (?:images?|imaging)\b") == ("and", ("mr", "imag", ("or", ("e", "ing"))))
    assert need(r"\b(?:video|surgical)[- ]clips?\b") == ("and", (("or", ("video", "surgical")), "clip"))
    assert need(r"BLIP[- ]?[23]\b") == "blip"
    assert need(r"DALL·E") == ("and", ("dall", "e"))  # ASCII runs only
    assert need("\u212aelvin", 0) == "elvin"
    assert need(r"(abc)") == "abc" and need(r"(?:ab)+c") == ("and", ("ab", "c")) and need(r"(?>abc)d") == ("and", ("abc", "d"))
    assert need(r"(?-i:Abc)d") == ("and", ("abc", "d")) and need(r"(?=abc)d") == "d"  # a lookahead adds nothing
    assert need(r"ab|cd") == ("or", ("ab", "cd"))
    for nothing in (r"a|b", r"x*", r"[ab][cd]", r"\d+", r"·", r"ab|c?", r"(?:ab)?"):
        assert need(nothing) is None, nothing


def test_text_batch_holding_is_the_substring_test():
    r = random.Random(7)
    texts = random_texts(3, 150)
    batch = TextBatch(texts)
    lower = [t.lower() for t in texts]
    for word in ["clip", "ct", "x", "ray", "med", "3d", "zzz", "s", "blip2", "a"]:
        want = [i for i, t in enumerate(texts) if not t.isascii() or word in lower[i]]
        assert batch.holding(word).tolist() == want, word
    assert batch.holding(None).tolist() == list(range(len(texts)))

    def has(word, i):
        return not texts[i].isascii() or word in lower[i]

    need = ("and", ("clip", ("or", ("med", "seg")), "s"))
    want = [i for i in range(len(texts)) if has("clip", i) and (has("med", i) or has("seg", i)) and has("s", i)]
    assert batch.holding(need).tolist() == want and len(want) > 5
    assert r  # the texts come from random_texts
    empty = TextBatch([])
    assert empty.holding("ct").tolist() == [] and len(empty) == 0
    assert TextBatch([None, float("nan"), "CT"]).texts == ["", "", "CT"]


def test_non_ascii_texts_are_always_candidates():
    # Python's case-insensitive regexes match the Kelvin sign as k and the long s as s: such texts
    # never hold the ASCII word, yet hit.
    m = build_matchers(TAX, "modality")["ultrasound"]
    texts = ["Ultra\u017fonography", "ultrasonography", "Ultrasonography of the \u212aidney"]
    assert per_text(m, texts, 3) == [m.find(t) for t in texts]
    assert all(m.find(t) for t in texts)
    assert np.array_equal(m.count_hits(texts), [1, 1, 1])


def test_phrase_words_are_what_the_parser_reads():
    # from_label takes each phrase regex's required words from the phrase itself, without parsing
    # the regex: the same words (spellings of the taxonomy plus odd ones)
    rules = Rules(terms=("C++ code", "u.s. data", "DALL·E", "\u212aey-word", "3-D"), case_sensitive=("X-Ray CT",))
    odd = [Matcher.from_label(Label(id="odd", name="odd", dimension=d, rules=rules)) for d in ("strategy", "model")]
    for m in [*LABEL_MATCHERS, *VOCABULARY, *odd]:
        for rx, scan in zip((*m.words, *m.names), m._scans):
            assert scan is not None and scan.need == required_words(rx), (m.label, rx.pattern)
    texts = ["C++ code and c++code", "U.S. data, u.s.data", "DALL·E and dall·e 3", "\u212aey word, key-word, KEYWORDS",
             "3D, 3-D, 3 d", "X-Ray CT, x-ray ct, X-Ray  CT", "MediC++ code", ""]
    for m in odd:
        assert per_text(m, texts, len(texts)) == [m.find(t) for t in texts]
    assert sum(len(odd[0].find(t)) for t in texts) > 8


def test_without_the_regex_parser_every_regex_tries_every_text_with_the_same_hits(monkeypatch):
    from medvlm_graph.labels import rules

    monkeypatch.setattr(rules, "_sre_parser", None)
    rules._needs.cache_clear()
    try:
        assert required_words(re.compile(r"chest x-?ray", re.I)) is None
        texts = random_texts(7, n=60)
        for m in LABEL_MATCHERS[:25]:
            fresh = Matcher.from_label(next(lab for d in TAX.dimensions for lab in TAX.labels(d)
                                            if lab.id == m.label and lab.dimension == m.dimension))
            assert per_text(fresh, texts, len(texts)) == [fresh.find(t) for t in texts]
    finally:
        rules._needs.cache_clear()
