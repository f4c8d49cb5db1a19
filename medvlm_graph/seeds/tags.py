"""Venue and date tags written next to titles in literature lists.

Lists put the venue and year of a paper in short tags around its title:
``[**MICCAI 2023**]``, ``**NeurIPS (2023).**``, ``[April, 2022]``,
``[25th Oct., 2021] [BIBM, 2020]``, ``arXiv 2023.``, and notes such as
``(under review)`` or ``(Early Access)``. This module recognises them, so the
title cleaner can drop them and the entry reader can keep their venue and year
as hints.

Examples
--------
>>> parse_tag("MICCAI 2023"), parse_tag("NeurIPS (2023).")
(Tag(venue='MICCAI', year=2023), Tag(venue='NeurIPS', year=2023))
>>> parse_tag("25th Oct., 2021"), parse_tag("Segment Anything in Medical Images") is None
(Tag(venue=None, year=2021), True)
>>> is_note("under review"), is_note("FLAIR")
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

YEAR = re.compile(r"(?<![\d.])(19[5-9]\d|20\d\d)(?![\d.]*\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "january", "february", "march", "april", "june", "july", "august", "september", "october",
           "november", "december")
_DATE_WORD = re.compile(r"^(?:\d{1,2}(?:st|nd|rd|th)?|%s)\.?$" % "|".join(_MONTHS), re.I)
# Words of notes that follow titles in lists: states of publication, awards, presentation types.
NOTE_WORDS = frozenset("""review reviewing access early oral spotlight highlight poster award best press preprint
accepted accept submitted submission appear appearing workshop coming soon new updated update extension extended
version journal conference honorable mention finalist nominee nomination candidate official unofficial hot
""".split())
_FILLERS = frozenset({"year", "years", "before", "after", "earlier", "older", "and", "or", "to", "since", "until",
                      "prior", "previous", "recent", "latest", "in", "the", "papers", "paper", "published", "s", "ago"})
_PERIOD_WORDS = frozenset({"earlier", "older", "before", "previous"})
# Tags longer than this are text, not tags.
MAX_TAG_WORDS = 7


@dataclass(frozen=True)
class Tag:
    """What a venue/date tag states (either may be ``None``)."""

    venue: str | None
    year: int | None


def _words(text: str) -> list[str]:
    return re.sub(r"[*_`\[\](){}【】,;:|/]+", " ", text).replace("\u00a0", " ").split()


def parse_tag(text: object) -> Tag | None:
    """The venue and year a short tag states, or ``None`` when ``text`` is not such a tag.

    A tag has a year (1950-2099) and at most :data:`MAX_TAG_WORDS` words; what is
    left without the year, months, day numbers and punctuation is the venue
    (``None`` for a pure date such as ``April, 2022`` or ``2024-06``).
    """
    if not isinstance(text, str):
        return None
    words = _words(text)
    if not words or len(words) > MAX_TAG_WORDS:
        return None
    m = YEAR.search(text)
    if not m:
        return None
    year = int(m.group(1))
    rest = []
    for w in _words(YEAR.sub(" ", text, count=1)):
        w = w.strip(".-'’")
        if not w or _DATE_WORD.match(w) or re.fullmatch(r"[\d.\-]+", w):
            continue
        rest.append(w)
    if len(rest) > MAX_TAG_WORDS - 2:
        return None
    if all(w.casefold() in _FILLERS for w in rest):  # "2019 and before", "Year 2023": a date
        rest = []
    return Tag(" ".join(rest) or None, year)


def is_note(text: object) -> bool:
    """Whether ``text`` (a parenthesised remark after a title) is a note such as "under review"."""
    if not isinstance(text, str):
        return False
    words = [w.strip(".!-").casefold() for w in _words(text)]
    return 0 < len(words) <= MAX_TAG_WORDS - 1 and any(w in NOTE_WORDS for w in words)




def undated_words(text: object) -> list[str]:
    """Lower-case words of ``text`` without years, months, day numbers and period words.

    Examples
    --------
    >>> undated_words("Survey: 2024"), undated_words("Papers before 2020")
    (['survey'], [])
    """
    if not isinstance(text, str):
        return []
    out = []
    for w in _words(YEAR.sub(" ", text)):
        w = w.strip(".-'’").casefold()
        if w and re.search(r"\w", w) and not _DATE_WORD.match(w) and w not in _FILLERS \
                and not re.fullmatch(r"[\d\-–]+", w):
            out.append(w)
    return out


def has_date(text: object) -> bool:
    """Whether ``text`` names a year or a period word (``earlier``, ``older``, ``before``)."""
    if not isinstance(text, str):
        return False
    return bool(YEAR.search(text)) or any(w.strip(".-").casefold() in _PERIOD_WORDS for w in _words(text))


def is_date(text: object) -> bool:
    """Whether ``text`` is only a date or period: ``2024``, ``April 2023``, ``2019 and before``, ``Older``.

    Examples
    --------
    >>> [is_date(t) for t in ["2024", "Year 2023", "📅 2022", "2019 and earlier", "Before 2020", "Older", "VQA 2023"]]
    [True, True, True, True, True, True, False]
    """
    if not isinstance(text, str):
        return False
    return has_date(text) and not undated_words(text)
