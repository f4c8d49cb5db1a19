"""Title normalisation for matching (the original title is kept for display).

Examples
--------
>>> normalize_title("  Ariadne’s Thread:  Using Text Prompts ")
"ariadne's thread: using text prompts"
>>> normalize_title("Clip-lung: Textual knowledge, in: International Conference on MICCAI")
'clip-lung: textual knowledge'
"""

from __future__ import annotations

import re
import unicodedata

from ..identity import CONTROL, normalize_title  # noqa: F401  (re-exported: identity owns title keys)
from .tags import is_note, parse_tag

# --- cleaning a title as a list writes it (display form; case and wording kept) -----------------------

_EMOJI = re.compile("[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
                    "\u3030\u303d\u3297\u3299\ufe0e\ufe0f\u200d\u20e3\U0001f000-\U0001faff\U000e0020-\U000e007f]")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]{2,30}:")  # GitHub emoji shortcodes such as :fire:
_TAG_HTML = re.compile(r"<[^>]{1,200}>")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<![\w])_(?!\s)(.+?)(?<!\s)_(?![\w])")
_MATH = re.compile(r"\$([^$]{1,80})\$")
_MATH_WRAP = re.compile(r"\\(?:mathrm|mathbf|mathit|mathsf|mathcal|mathbb|text|textbf|textit|textrm|operatorname"
                        r"|boldsymbol|bm|emph)\s*\{([^{}]*)\}")
_MATH_CMD = re.compile(r"\\([A-Za-z]+)")
_LEAD_GROUP = re.compile(r"^\s*(?:\[([^\[\]]{1,80})\]|【([^【】]{1,80})】)\s*[:\-–—|]?\s*")
_TRAIL_GROUP = re.compile(r"\s*[\-–—:,]?\s*(?:\[([^\[\]]{1,80})\]|\(([^()]{1,80})\)|【([^【】]{1,80})】)\s*\.?\s*$")
_QUOTED = re.compile(r'^\s*["“”](.+)["“”]\s*$')
_ABBREV_END = re.compile(r"(?:\b(?:et al|etc|vs|e\.g|i\.e)|\b[A-Z](?:\.[A-Z])+)\.$")


def _math_text(body: str) -> str:
    """Plain text of a short LaTeX formula: ``\\text{M}^3`` -> ``M3``, ``\\alpha`` -> ``α``."""
    for _ in range(3):
        body = _MATH_WRAP.sub(r"\1", body)

    def greek(m: re.Match) -> str:
        name = m.group(1)
        for case in ("SMALL", "CAPITAL"):
            try:
                letter = unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
            except KeyError:
                continue
            if (case == "CAPITAL") == name[:1].isupper():
                return letter
        return "" if name in {"left", "right", ",", "quad"} else name

    body = _MATH_CMD.sub(greek, body)
    return re.sub(r"[\^_{}\\]", "", body)


def strip_decorations(text: str) -> str:
    """``text`` without control characters, HTML tags, emoji and ``:shortcodes:`` (each becomes a space).

    Examples
    --------
    >>> strip_decorations("🔥 <b>Medical VQA</b> :fire:").split()
    ['Medical', 'VQA']
    """
    text = _TAG_HTML.sub(" ", CONTROL.sub(" ", text))
    return _SHORTCODE.sub(" ", _EMOJI.sub(" ", text))


def split_title(text: object) -> tuple[str | None, list[str]]:
    """A title cleaned as :func:`clean_title` does, and the bracketed tags and notes it dropped.

    Examples
    --------
    >>> split_title("[**MICCAI 2023**] Ariadne's Thread (Early Access)")
    ("Ariadne's Thread", ['MICCAI 2023', 'Early Access'])
    """
    if not isinstance(text, str):
        return None, []
    s = strip_decorations(text)
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        s = _EMPHASIS.sub(lambda m: next(g for g in m.groups()[1:] if g is not None), s)
    s = s.replace("`", "")
    s = _MATH.sub(lambda m: _math_text(m.group(1)), s)
    if s != text:  # markup went away: close the gaps it leaves (a plain title keeps its spacing)
        s = " ".join(s.split())
    tags: list[str] = []
    while m := _LEAD_GROUP.match(s):  # leading [VENUE 2023] tags: never title words
        inner = next(g for g in m.groups() if g is not None).strip(" *_")
        alone = not s[m.end():].strip()
        if len(inner.split()) > 6 or (alone and not (parse_tag(inner) or is_note(inner))):
            break
        tags.append(inner)
        s = s[m.end():]
    while (m := _TRAIL_GROUP.search(s)) and m.start() > 0:
        inner = next(g for g in m.groups() if g is not None).strip(" *_")
        square = m.group(1) is not None or m.group(3) is not None
        if not (parse_tag(inner) or is_note(inner) or (square and len(inner.split()) <= 6)):
            break
        tags.insert(len(tags), inner)
        s = s[:m.start()]
    s = s.strip()
    q = _QUOTED.match(s)
    if q and not re.search(r'["“”]', q.group(1)):
        s = q.group(1).strip()
    s = re.sub(r"^[\s\-–—:|,;]+|[\s\-–—:|,;]+$", "", s)
    if s.endswith(".") and not s.endswith("..") and not _ABBREV_END.search(s):
        s = s[:-1].rstrip()
    return (s or None), tags


def clean_title(text: object) -> str | None:
    """A title as a list writes it, made plain the same way for every list shape.

    Drops markdown emphasis and code marks, HTML tags, emoji and ``:shortcodes:``,
    leading ``[VENUE YEAR]`` tags, trailing venue/date tags and notes
    (``(under review)``, ``(Early Access)``, ``[CVPR 2024]``), surrounding quotes
    and a closing full stop; LaTeX ``$...$`` becomes its text. Case and wording
    are kept (and the spacing of a title without markup): this is the display title (:func:`normalize_title`
    makes the matching key). ``None`` when nothing is left.

    Examples
    --------
    >>> clean_title("**Vision-Language Models for Medical Report Generation: A Review.**")
    'Vision-Language Models for Medical Report Generation: A Review'
    >>> clean_title("C$^2$M-DoT: Cross-modal consistent multi-view report generation (under review)")
    'C2M-DoT: Cross-modal consistent multi-view report generation'
    >>> clean_title("A Foundation Language-Image Model of the Retina (FLAIR): Encoding Expert Knowledge")
    'A Foundation Language-Image Model of the Retina (FLAIR): Encoding Expert Knowledge'
    """
    return split_title(text)[0]
