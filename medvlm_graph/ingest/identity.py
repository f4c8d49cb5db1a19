"""Seed matching for the bulk engines: the seeds package's identity rules, at scale.

The rules are the ones every other path uses (one module owns them):

* arXiv id: :func:`medvlm_graph.seeds.ids.normalize_arxiv_id` (prefix and
  version stripped), compared lower-case;
* DOI: :func:`medvlm_graph.seeds.ids.normalize_doi`, compared lower-case;
* title: :func:`medvlm_graph.seeds.titles.title_key`, only for seed keys of
  at least :data:`MIN_TITLE_KEY` characters (so "Introduction" matches nothing);
* preference arXiv id, then DOI, then title; among equals the most cited
  paper, then the smallest corpus id.

Those functions cost about 30 microseconds a title in Python: fine for the
candidates, far too slow for each of 200 M records. So an engine (DuckDB or
Spark) first keeps *candidate* papers with a cheap test that provably keeps
every paper whose exact key equals a seed key, and :func:`match_candidates`
computes the exact keys on the candidates only:

* arXiv id, DOI: the exact key is a substring of the lower-cased value (a DOI
  holding a ``%`` escape is always a candidate, since unquoting changes it);
  the test is "the lower-cased value contains a seed key".
* title: a title whose characters are all *safe* keeps its ASCII words in its
  key, so it is a candidate when one of its lower-cased ``[a-z0-9]+`` words is
  a *probe* (the longest ASCII word of a seed key); a title with any other
  character is always a candidate (and, when some seed key has no ASCII word,
  so is every title with a character beyond ASCII). A character is safe when the title key
  function itself, applied around it, shows that it is either a separator or
  a letter that stands for its own lower case (:func:`safe_title_chars`, computed
  from :func:`~medvlm_graph.seeds.titles.title_key`, so the test follows the
  rules if they change). ``&`` (HTML entities) and combining marks (they
  compose with their neighbour) are never safe.

Asking the title key function about every character costs about a second, so
the answer ships as package data (``medvlm_graph/data/safe_title_chars.json``,
with the Unicode version of :mod:`unicodedata` it was computed under) and is
computed afresh only under another Unicode version. After a change to the
title rules, regenerate it with :func:`write_safe_title_chars`::

    python -c "from medvlm_graph.ingest.identity import write_safe_title_chars as w; print(w())"

(a test recomputes the table and fails while the shipped one differs).

Examples
--------
>>> import pandas as pd
>>> seeds = pd.DataFrame({"seed_id": ["s1", "s2"], "title": ["Segment Anything in Medical Images.", None],
...                       "arxiv_id": [None, "2101.00001v2"], "doi": [None, None]})
>>> keys = seed_keys(seeds)
>>> keys.probes, keys.arxiv
(['anything'], ['2101.00001'])
>>> cand = pd.DataFrame({"corpus_id": [3, 1], "paper_id": ["p3", "p1"], "citation_count": [9, 5],
...                      "title": ["Segment anything in medical images", "Other"],
...                      "arxiv_id": [None, "2101.00001"], "doi": [None, None]})
>>> match_candidates(cand, keys)[["seed_id", "corpus_id", "match", "reason"]].values.tolist()
[['s1', 3, 'title', 'normalised title'], ['s2', 1, 'id', 'arxiv id']]
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..identity import normalize_arxiv_id, normalize_doi
from ..identity import title_key
from ..paths import package_data

#: Shortest seed title key matched (shorter ones are generic: "Introduction").
MIN_TITLE_KEY = 8

#: ASCII words of a lower-cased title, as the engines split it (``split`` / ``string_split_regex``).
WORD_SPLIT = "[^a-z0-9]+"

#: Columns of the papers an engine hands to :func:`match_candidates` (as a SELECT list).
CANDIDATE_COLUMNS = "corpus_id, paper_id, citation_count, title, arxiv_id, doi"

HITS_COLUMNS = ["seed_id", "ord", "corpus_id", "paper_id", "match", "reason"]

#: The shipped table of :func:`safe_title_chars`, in ``medvlm_graph/data``.
SAFE_TITLE_CHARS_FILE = "safe_title_chars.json"


def _arxiv(value: object) -> str | None:
    key = normalize_arxiv_id(value) if isinstance(value, str) else None
    return key.lower() if key else None


def _doi(value: object) -> str | None:
    key = normalize_doi(value) if isinstance(value, str) else None
    return key.lower() if key else None


def _title(value: object) -> str | None:
    key = title_key(value)
    return key or None


@functools.cache
def safe_title_chars() -> tuple[tuple[int, int], ...]:
    """Code point ranges of the characters that are safe in a title (module docstring).

    The shipped table (:data:`SAFE_TITLE_CHARS_FILE`) when it was computed
    under the running Python's ``unicodedata.unidata_version``, else
    :func:`compute_safe_title_chars` (about a second); once per process.

    Examples
    --------
    >>> r = safe_title_chars()
    >>> any(a <= ord("é") <= b for a, b in r), any(a <= ord("&") <= b for a, b in r)
    (True, False)
    """
    shipped = json.loads(package_data(SAFE_TITLE_CHARS_FILE).read_text(encoding="utf-8"))
    if shipped["unidata_version"] != unicodedata.unidata_version:
        return compute_safe_title_chars()
    return tuple((a, b) for a, b in shipped["ranges"])


def compute_safe_title_chars() -> tuple[tuple[int, int], ...]:
    """:func:`safe_title_chars` computed from the title rules, without the shipped table.

    Asks :func:`title_key` what it does with each character of the Basic
    Multilingual Plane between two letters; characters beyond it are never safe.
    """
    safe = []
    for cp in range(0x10000):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or c == "&" or unicodedata.category(c).startswith("M"):
            continue
        key = title_key(f"a{c}b")
        if key == "a b":  # a separator: it must stay one, also before an entity-like tail
            ok = title_key(f"a{c}amp;b") == "a amp b"
        else:  # a letter standing for its own (single) lower case, ASCII only if it is ASCII
            low = c.lower()
            ok = key == f"a{low}b" and len(low) == 1 and low.isascii() == c.isascii()
        if ok:
            safe.append(cp)
    ranges: list[list[int]] = []
    for cp in safe:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return tuple((a, b) for a, b in ranges)


def write_safe_title_chars(path: str | Path | None = None) -> Path:
    """Write :func:`compute_safe_title_chars` as the shipped table; returns the file written.

    ``path`` defaults to :data:`SAFE_TITLE_CHARS_FILE` in the package's data
    directory (in a source checkout: ``medvlm_graph/data``). Run it after a
    change to the title rules and commit the file.
    """
    out = Path(path) if path is not None else package_data(SAFE_TITLE_CHARS_FILE)
    ranges = ",\n".join(f"  [{a}, {b}]" for a, b in compute_safe_title_chars())
    out.write_text(f'{{"unidata_version": {json.dumps(unicodedata.unidata_version)},\n'
                   f' "ranges": [\n{ranges}\n ]}}\n', encoding="utf-8")
    return out


def unsafe_title_pattern(ascii_only: bool = False) -> str:
    """A regular expression (RE2 and Java syntax alike) finding an unsafe character.

    ``ascii_only``: every character beyond ASCII counts as unsafe (needed when
    a seed title key has no ASCII word to probe for).
    """
    ranges = [(a, min(b, 0x7F)) for a, b in safe_title_chars() if a <= 0x7F] if ascii_only else safe_title_chars()
    parts = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
    return f"[^{parts}]"


def literal_pattern(words: list[str]) -> str:
    """An alternation matching any of ``words`` literally (RE2 and Java syntax alike).

    Examples
    --------
    >>> literal_pattern(["10.1/a.b"])
    '10\\\\x{2e}1\\\\x{2f}a\\\\x{2e}b'
    """
    return "|".join("".join(ch if ch.isascii() and ch.isalnum() else f"\\x{{{ord(ch):x}}}" for ch in w)
                    for w in words)


@dataclass
class SeedKeys:
    """The seeds' exact keys and what an engine needs for its candidate test.

    Attributes
    ----------
    keys : DataFrame
        ``seed_id, ord, arxiv_k, doi_k, title_k`` (``ord`` = row order).
    arxiv, doi : list of str
        Distinct lower-case arXiv / DOI keys of the seeds.
    probes : list of str
        Distinct probes: the longest ASCII word of each seed title key.
    unprobed : bool
        Some seed title key has no ASCII word (a title in another script): then
        every title with a character beyond ASCII is a candidate.
    """

    keys: pd.DataFrame
    arxiv: list[str]
    doi: list[str]
    probes: list[str]
    unprobed: bool = False

    @property
    def titles(self) -> bool:
        """Whether any seed has a title key to match."""
        return bool(self.keys["title_k"].notna().any())

    @property
    def unsafe_pattern(self) -> str:
        """:func:`unsafe_title_pattern` for these seeds."""
        return unsafe_title_pattern(ascii_only=self.unprobed)

    @property
    def empty(self) -> bool:
        return not (self.arxiv or self.doi or self.titles)


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _probe(key: str) -> str | None:
    """The longest word of ``key`` made of ASCII letters and digits only (the key is lower-case)."""
    words = [w for w in key.split(" ") if _ASCII_WORD.fullmatch(w)]
    return max(words, key=len) if words else None


def seed_keys(seeds: pd.DataFrame) -> SeedKeys:
    """Exact keys of every seed row (``seed_id``, ``arxiv_id``, ``doi``, ``title``)."""
    s = seeds.reset_index(drop=True)
    keys = pd.DataFrame({
        "seed_id": s["seed_id"].astype(object),
        "ord": range(len(s)),
        "arxiv_k": s["arxiv_id"].astype(object).map(_arxiv),
        "doi_k": s["doi"].astype(object).map(_doi),
        "title_k": s["title"].astype(object).map(_title),
    })
    keys.loc[keys["title_k"].str.len().fillna(0) < MIN_TITLE_KEY, "title_k"] = None
    probes = keys["title_k"].dropna().map(_probe)
    return SeedKeys(keys=keys, arxiv=sorted(set(keys["arxiv_k"].dropna())),
                    doi=sorted(set(keys["doi_k"].dropna())), probes=sorted(set(probes.dropna())),
                    unprobed=bool(probes.isna().any()))


def match_candidates(candidates: pd.DataFrame, keys: SeedKeys) -> pd.DataFrame:
    """The best candidate paper of each seed, by the rules of the module docstring.

    Parameters
    ----------
    candidates : DataFrame
        ``corpus_id, paper_id, citation_count, title, arxiv_id, doi`` of the
        papers the engine's candidate test kept (one row per corpus id).
    keys : SeedKeys

    Returns
    -------
    DataFrame
        ``seed_id, ord, corpus_id, paper_id, match (id | title), reason``, one
        row per matched seed, in seed order.
    """
    c = candidates.reset_index(drop=True)
    paper = pd.DataFrame({
        "corpus_id": c["corpus_id"].astype("int64"),
        "paper_id": c["paper_id"].astype(object),
        "cites": pd.to_numeric(c["citation_count"], errors="coerce").astype("float64"),
        "arxiv_k": c["arxiv_id"].astype(object).map(_arxiv),
        "doi_k": c["doi"].astype(object).map(_doi),
        "title_k": c["title"].astype(object).map(_title),
    })
    found = []
    for pri, col, reason in ((0, "arxiv_k", "arxiv id"), (1, "doi_k", "doi"), (2, "title_k", "normalised title")):
        s = keys.keys[["seed_id", "ord", col]].dropna()
        p = paper[["corpus_id", "paper_id", "cites", col]].dropna(subset=[col])
        hit = s.merge(p, on=col)
        found.append(hit.assign(pri=pri, reason=reason).drop(columns=col))
    hits = pd.concat(found, ignore_index=True)
    if hits.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            HITS_COLUMNS, ["object", "int64", "int64", "object", "object", "object"])})
    hits = hits.sort_values(["ord", "pri", "cites", "corpus_id"], ascending=[True, True, False, True],
                            na_position="last", kind="stable")
    hits = hits.drop_duplicates("seed_id").reset_index(drop=True)
    hits["match"] = hits["pri"].map(lambda p: "id" if p < 2 else "title")
    return hits[HITS_COLUMNS]


__all__ = ["CANDIDATE_COLUMNS", "HITS_COLUMNS", "MIN_TITLE_KEY", "SAFE_TITLE_CHARS_FILE", "SeedKeys", "WORD_SPLIT",
           "compute_safe_title_chars", "literal_pattern", "match_candidates",
           "safe_title_chars", "seed_keys", "unsafe_title_pattern", "write_safe_title_chars"]
