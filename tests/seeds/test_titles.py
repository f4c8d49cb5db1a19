"""normalize_title: examples, and properties over arbitrary strings (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvlm_graph.seeds import normalize_title


@pytest.mark.parametrize(("title", "expected"), [
    ("  LLaVA-Med:  Training a Large\tAssistant ", "llava-med: training a large assistant"),
    ("Ariadne\u2019s Thread", "ariadne's thread"),
    ("A visual\u2013language foundation model", "a visual-language foundation model"),
    ("\u201cQuoted\u201d title", '"quoted" title'),
    ("Clip-lung: Textual knowledge-guided lung nodule malignancy prediction, in: International Conference on "
     "Medical Image Computing and Computer-Assisted Intervention", "clip-lung: textual knowledge-guided lung nodule malignancy prediction"),
    ("CmEAA : Cross-modal Enhancement and Alignment Adapter.", "cmeaa: cross-modal enhancement and alignment adapter"),
    ("3D-MIR: A BENCHMARK & EMPIRICAL STUDY", "3d-mir: a benchmark & empirical study"),
    ("Fish &amp; Chips", "fish & chips"),
    ("\uff21\uff22\uff23 full-width", "abc full-width"),  # NFKC
    ("{LLaVA}-Med", "llava-med"),
    ("Exploring Zero-Shot Anomaly Detection with CLIP in Medical Imaging: Are We There Yet?",
     "exploring zero-shot anomaly detection with clip in medical imaging: are we there yet?"),
    ("Segment anything in medical images", "segment anything in medical images"),
    ("-", "-"), ("", ""), (None, ""), (42, ""),
])
def test_examples(title, expected):
    assert normalize_title(title) == expected


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_idempotent_and_never_raises(text):
    once = normalize_title(text)
    assert isinstance(once, str)
    assert normalize_title(once) == once
    assert once == once.strip()
    assert "  " not in once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_case_and_space_insensitive(text):
    assert normalize_title(text.upper()) == normalize_title(text.upper() + "  ")


# Characters the steps of a pass act on: entities, venue tails, punctuation around spaces, braces,
# backticks, typographic quotes and dashes, controls, capitals.
PIECES = list("ainIN :;,.!?)](&amp#39x{}`") + ["\u2019", "\u201c", "\u2013", "\u00ad", "\x01", "\t", "\u00a0",
                                              "\ufb01", "\u0130", "&amp;", ", in: ", " . ", "&#x27;"]
HOSTILE = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def _reference(title: str) -> str:
    """The loop without its ASCII shortcut: passes until one changes nothing (as before the shortcut)."""
    from medvlm_graph.identity import _once

    text = title
    for _ in range(10):
        new = _once(text)
        if new == text:
            break
        text = new
    return text


@settings(max_examples=3000, deadline=None)
@given(st.one_of(HOSTILE, st.text(max_size=30)))
def test_the_ascii_shortcut_reaches_the_loops_fixed_point(text):
    from medvlm_graph.identity import _once

    first = _once(text)
    if first.isascii() and "&" not in first:
        assert _once(first) == first  # the claim the shortcut rests on
    assert normalize_title(text) == _reference(text)


@pytest.mark.parametrize("title", ["A &amp;amp; B", "&amp;lt;b&amp;gt;", "Over\u00adview , in: X", "Stop.  ;",
                                   ". in: venue", "X\u2019s {Y} `z` , IN : Proc.", "\ufb01ne-tuning &#38;amp;"])
def test_the_shortcut_on_titles_that_need_two_passes(title):
    assert normalize_title(title) == _reference(title)
