"""Paper identity: one place for the keys that say two records are the same paper.

Every path that matches papers (the seed reader, ``build``, ``refresh``, ``ingest``, labels of a
model's own paper, adoption years, evaluation against another list) uses these functions, so the
same seed is matched the same way everywhere:

* :func:`normalize_arxiv_id`: an arXiv id without prefix, version or junk (``2303.00915``);
* :func:`normalize_doi`: a bare DOI, compared case-insensitively; :func:`arxiv_key` and
  :func:`doi_key` are the matching keys every grouping and lookup uses;
* :func:`normalize_title`: a title for matching (NFKC, casefold, typographic quotes, stray venue
  text); :func:`title_key` keeps only its words (for similarity);
* :class:`PaperIndex`: find the papers of a table that are a given reference (arXiv id, then DOI,
  then normalised title).

Examples
--------
>>> normalize_arxiv_id("arXiv:2303.00915v2"), normalize_doi("https://doi.org/10.1148/RADIOL.240273")
('2303.00915', '10.1148/RADIOL.240273')
>>> normalize_title("  Ariadne’s Thread:  Using Text Prompts ")
"ariadne's thread: using text prompts"
>>> import pandas as pd
>>> idx = PaperIndex(pd.DataFrame({"paper_id": ["a", "b"], "arxiv_id": ["2103.00020v1", None],
...                                "doi": [None, "10.1/X"], "title": ["CLIP", "Segment Anything."]}))
>>> idx.find(arxiv="2103.00020"), idx.find(doi="10.1/x"), idx.find(title="segment anything")
(['a'], ['b'], ['b'])
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from urllib.parse import unquote

_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
_ARXIV_OLD = re.compile(r"\b([a-z][a-z.-]*/\d{7})(?:v\d+)?\b", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s?#]+)", re.I)
_DOI_TAIL = re.compile(r"(\.pdf|/pdf|/full|/abstract|/epdf|/html)+$", re.I)

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


@functools.lru_cache(maxsize=1 << 18)
def _normalized(title: str) -> str:
    text = title
    for _ in range(10):  # reach a fixed point so the function is idempotent
        new = _once(text)
        if new == text or (new.isascii() and "&" not in new):
            # The second test is a shortcut, not a new rule: _once leaves ASCII text without "&" as
            # it is (nothing to unescape, NFKC-normalise, fold, translate or collapse, and the
            # patterns removed nothing they would find again), so the loop would stop next round.
            return new
        text = new
    return text


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
    # memoised: build and the report look the same titles up several times (labels, model years)
    return _normalized(title) if isinstance(title, str) else ""


def normalize_arxiv_id(value: str | None) -> str | None:
    """An arXiv id without prefix, version, ``.pdf`` or trailing junk.

    Examples
    --------
    >>> normalize_arxiv_id("arXiv:2303.00915v2")
    '2303.00915'
    >>> normalize_arxiv_id("hep-th/9901001v1")
    'hep-th/9901001'
    >>> normalize_arxiv_id("not an id") is None
    True
    """
    if not value:
        return None
    text = str(value).strip()
    text = re.sub(r"^(arxiv:|https?://arxiv\.org/(abs|pdf)/)", "", text, flags=re.I)
    m = _ARXIV_NEW.search(text)
    if m:
        return m.group(1)
    m = _ARXIV_OLD.search(text)
    if m:
        return m.group(1)
    return None


def normalize_doi(value: str | None) -> str | None:
    """A bare DOI (no resolver prefix, ``.pdf``, query or trailing punctuation).

    Examples
    --------
    >>> normalize_doi("https://doi.org/10.1148/radiol.240273")
    '10.1148/radiol.240273'
    >>> normalize_doi("10.1007/978-3-031-43904-9_28.pdf")
    '10.1007/978-3-031-43904-9_28'
    """
    if not value:
        return None
    m = _DOI.search(unquote(str(value)))
    if not m:
        return None
    doi = m.group(1)
    doi = _DOI_TAIL.sub("", doi)
    doi = doi.rstrip(".,;:)]}/'\"")
    return doi if re.fullmatch(r"10\.\d{4,9}/\S+", doi) else None


def doi_key(value: str | None) -> str | None:
    """A DOI as a matching key: normalised and lower case (a value of another shape: stripped and
    lower case, so it still equals itself); ``None`` when empty.

    >>> doi_key("https://doi.org/10.1234/AbC"), doi_key("10.1/X")
    ('10.1234/abc', '10.1/x')
    """
    if not isinstance(value, str) or not value.strip():
        return None
    doi = normalize_doi(value)
    return (doi or value.strip()).lower()


def arxiv_key(value: str | None) -> str | None:
    """An arXiv id as a matching key: :func:`normalize_arxiv_id` (an id of another shape: lower case,
    without ``arxiv:`` and version, so it still equals itself); ``None`` when empty.

    >>> arxiv_key("arXiv:2303.00915v2"), arxiv_key("X1v3")
    ('2303.00915', 'x1')
    """
    if not isinstance(value, str) or not value.strip():
        return None
    return normalize_arxiv_id(value) or re.sub(r"v\d+$", "", value.strip().lower().removeprefix("arxiv:"))


def title_key(title: object) -> str:
    """The words of a normalised title, for similarity (punctuation and underscores dropped).

    >>> title_key("MedCLIP: Contrastive Learning -- from Unpaired Images!")
    'medclip contrastive learning from unpaired images'
    """
    return " ".join(re.sub(r"[\W_]+", " ", normalize_title(title)).split())


class PaperIndex:
    """The papers of a table by arXiv id, DOI and normalised title (built once, looked up often).

    Parameters
    ----------
    papers : DataFrame
        ``paper_id`` and any of ``arxiv_id``, ``doi``, ``title``.
    """

    def __init__(self, papers) -> None:
        self.by: dict[str, dict[str, list[str]]] = {"arxiv": {}, "doi": {}, "title": {}}
        n = len(papers)
        cols = {c: list(papers[c]) if c in papers.columns else [None] * n for c in ("arxiv_id", "doi", "title")}
        for pid, ax, doi, title in zip(papers["paper_id"], cols["arxiv_id"], cols["doi"], cols["title"]):
            for kind, key in (("arxiv", arxiv_key(ax)), ("doi", doi_key(doi)),
                              ("title", normalize_title(title) or None)):
                if key:
                    bucket = self.by[kind].setdefault(key, [])
                    if pid not in bucket:
                        bucket.append(pid)

    def find(self, *, arxiv: str | None = None, doi: str | None = None, title: str | None = None) -> list[str]:
        """Paper ids matching the reference: by arXiv id, else DOI, else normalised title (all hits
        of the first kind that finds any)."""
        for kind, key in (("arxiv", arxiv_key(arxiv)), ("doi", doi_key(doi)),
                          ("title", normalize_title(title) or None if title else None)):
            if key and key in self.by[kind]:
                return list(self.by[kind][key])
        return []

    def match(self, *, arxiv: str | None = None, doi: str | None = None,
              title: str | None = None) -> tuple[str | None, str]:
        """The first matching paper id and how it matched (``"arxiv id"``, ``"doi"``, ``"title"``,
        ``"none"``)."""
        for kind, how, key in (("arxiv", "arxiv id", arxiv_key(arxiv)), ("doi", "doi", doi_key(doi)),
                               ("title", "title", normalize_title(title) or None if title else None)):
            if key and key in self.by[kind]:
                return self.by[kind][key][0], how
        return None, "none"
