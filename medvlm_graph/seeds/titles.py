"""Title normalisation for matching (the original title is kept for display).

Examples
--------
>>> normalize_title("  Ariadne’s Thread:  Using Text Prompts ")
"ariadne's thread: using text prompts"
>>> normalize_title("Clip-lung: Textual knowledge, in: International Conference on MICCAI")
'clip-lung: textual knowledge'
"""

from __future__ import annotations

import html
import re
import unicodedata

# Typographic quotes, dashes and spaces -> ASCII (NFKC leaves these alone).
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
    "{": None, "}": None,
})
# Stray venue text pasted after a title: ", in: International Conference on ...".
_VENUE_TAIL = re.compile(r"\s*[,.;]\s*in\s*:\s.*$")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]])")
_TRAILING = re.compile(r"[\s.,;:]+$")
_LEADING = re.compile(r"^[\s.,;:]+")
# C0/C1 control characters (and DEL) are never part of a title: they become spaces.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _once(text: str) -> str:
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = CONTROL.sub(" ", text.translate(_TRANSLATE))
    text = " ".join(text.split())
    text = _VENUE_TAIL.sub("", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _TRAILING.sub("", text)
    return _LEADING.sub("", text)


def normalize_title(title: object) -> str:
    """A title normalised for matching.

    NFKC, casefold, typographic quotes and dashes to ASCII, whitespace
    collapsed, stray venue text (``", in: International Conference ..."``) and
    leading/trailing punctuation and control characters removed. Idempotent; never raises (non-strings
    give ``""``).

    Examples
    --------
    >>> normalize_title("CmEAA : Cross-modal Enhancement.")
    'cmeaa: cross-modal enhancement'
    >>> normalize_title(None)
    ''
    """
    if not isinstance(title, str):
        return ""
    text = title
    for _ in range(10):  # reach a fixed point so the function is idempotent
        new = _once(text)
        if new == text:
            break
        text = new
    return text


_NON_WORD = re.compile(r"[\W_]+")


def title_key(title: object) -> str:
    """The matching key of a title: :func:`normalize_title`, then every run of
    non-alphanumeric characters as one space (so punctuation never decides a match).

    Used by title similarity (``s2.resolve``) and by the bulk ingest's seed
    matching alike.

    Examples
    --------
    >>> title_key("CLIP-Lung: Textual Knowledge.")
    'clip lung textual knowledge'
    >>> title_key(None)
    ''
    """
    return " ".join(_NON_WORD.sub(" ", normalize_title(title)).split())
