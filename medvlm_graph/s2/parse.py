"""Semantic Scholar JSON -> rows of the ``papers``, ``citations`` and ``authorships`` tables.

Field names and nulls follow real API answers: ``externalIds`` may be null,
``venue`` may be ``""`` (read as missing), ``abstract``, ``year``,
``publicationDate``, ``fieldsOfStudy``, ``publicationTypes`` and ``tldr`` may
be null, an author's ``authorId`` may be null, and an unresolved reference
has ``paperId`` null (it is counted, never made a node). DOIs are stored in
lower case (they are case-insensitive and the API sometimes upper-cases them).
List fields are ``;``-joined; an empty list gives ``""``, a null gives a
missing value. Author positions start at 1.

Examples
--------
>>> row = paper_row({"paperId": "p1", "title": "T", "venue": "", "externalIds": {"DOI": "10.1/AB"}})
>>> row["paper_id"], row["venue"], row["doi"]
('p1', None, '10.1/ab')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .. import tables
from ..errors import InputError

#: Paper fields asked for seeds (``/paper/batch``); ``tldr`` is added on request.
PAPER_FIELDS = (
    "paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "year",
    "publicationDate", "referenceCount", "citationCount", "influentialCitationCount",
    "fieldsOfStudy", "publicationTypes", "authors",
)
#: Fields asked on ``/references`` and ``/citations`` pages: the edge and its other paper.
EDGE_FIELDS = ("isInfluential", "intents") + PAPER_FIELDS


def _joined(value: Any) -> str | None:
    if value is None:
        return None
    return ";".join(str(v) for v in value)


def paper_row(p: dict[str, Any], *, is_seed: bool = False, seed_id: str | None = None) -> dict[str, Any]:
    """One ``papers`` row from an API paper object (any subset of fields)."""
    ext = p.get("externalIds") or {}
    doi = ext.get("DOI")
    tldr = p.get("tldr") or {}
    return {
        "paper_id": p.get("paperId"),
        "title": p.get("title"),
        "year": p.get("year"),
        "venue": p.get("venue") or None,
        "abstract": p.get("abstract"),
        "citation_count": p.get("citationCount"),
        "reference_count": p.get("referenceCount"),
        "arxiv_id": ext.get("ArXiv"),
        "doi": doi.lower() if isinstance(doi, str) else None,
        "is_seed": is_seed,
        "seed_id": seed_id,
        "corpus_id": p.get("corpusId", ext.get("CorpusId")),
        "publication_date": p.get("publicationDate"),
        "url": p.get("url"),
        "tldr": tldr.get("text") if isinstance(tldr, dict) else None,
        "fields_of_study": _joined(p.get("fieldsOfStudy")),
        "publication_types": _joined(p.get("publicationTypes")),
        "influential_citation_count": p.get("influentialCitationCount"),
        "source": "s2",
    }


def authorship_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    """``authorships`` rows of a paper object (positions from 1; ``authorId`` may be null)."""
    pid = p.get("paperId")
    if not pid:
        return []
    return [
        {"paper_id": pid, "author_id": a.get("authorId"), "author_name": a.get("name"), "position": i}
        for i, a in enumerate(p.get("authors") or [], start=1)
    ]


def edge_row(item: dict[str, Any], seed_paper_id: str, kind: str) -> dict[str, Any] | None:
    """A ``citations`` row from one ``data`` item of a references/citations page.

    ``kind`` is ``"references"`` (the seed cites ``citedPaper``) or
    ``"citations"`` (``citingPaper`` cites the seed). ``None`` for unresolved
    entries (``paperId`` null).
    """
    other = item.get("citedPaper" if kind == "references" else "citingPaper") or {}
    pid = other.get("paperId")
    if not pid:
        return None
    citing, cited = (seed_paper_id, pid) if kind == "references" else (pid, seed_paper_id)
    return {
        "citing_id": citing,
        "cited_id": cited,
        "is_influential": item.get("isInfluential"),
        "intents": _joined(item.get("intents")),
        "source": kind,
    }


def parse_page(page: dict[str, Any], seed_paper_id: str, kind: str) -> tuple[list, list, list, int]:
    """Rows of one references/citations page.

    Returns
    -------
    (paper rows, edge rows, authorship rows, number of unresolved entries)
    """
    papers, edges, authors = [], [], []
    unresolved = 0
    key = "citedPaper" if kind == "references" else "citingPaper"
    for item in page.get("data") or []:
        edge = edge_row(item, seed_paper_id, kind)
        if edge is None:
            unresolved += 1
            continue
        edges.append(edge)
        other = item[key]
        papers.append(paper_row(other))
        authors.extend(authorship_rows(other))
    return papers, edges, authors, unresolved


def papers_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """A conformed ``papers`` table; one row per ``paper_id``, seed rows first, then the fullest row.

    Examples
    --------
    >>> df = papers_frame([paper_row({"paperId": "a", "title": "x"}),
    ...                    paper_row({"paperId": "a", "title": "x", "year": 2020}, is_seed=True)])
    >>> len(df), bool(df.loc[0, "is_seed"]), int(df.loc[0, "year"])
    (1, True, 2020)
    """
    df = pd.DataFrame(list(rows))
    if df.empty:
        return tables.empty("papers")
    df = tables.conform(df, "papers")
    df["_filled"] = df.notna().sum(axis=1)
    df = df.sort_values(["is_seed", "_filled"], ascending=[False, False], kind="stable")
    df = df.drop_duplicates("paper_id").drop(columns="_filled").sort_values("paper_id", kind="stable")
    return df.reset_index(drop=True)


def _keyed_frame(rows: Iterable[dict[str, Any]], name: str, key: list[str]) -> pd.DataFrame:
    """Table ``name`` from ``rows``: one row per ``key`` (the first seen kept), sorted by it."""
    df = pd.DataFrame(list(rows))
    if df.empty:
        return tables.empty(name)
    df = tables.conform(df, name).drop_duplicates(key)
    return df.sort_values(key, kind="stable").reset_index(drop=True)


def citations_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """A conformed ``citations`` table; one row per (citing, cited), the first seen kept."""
    return _keyed_frame(rows, "citations", ["citing_id", "cited_id"])


def authorships_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """A conformed ``authorships`` table; one row per (paper, position)."""
    return _keyed_frame(rows, "authorships", ["paper_id", "position"])


def papers_from_semanticscholar(objs: Iterable[Any]) -> pd.DataFrame:
    """A ``papers`` table from ``semanticscholar`` ``Paper`` objects (or plain dicts).

    For notebook users of the ``semanticscholar`` package: its objects keep the
    API JSON in ``raw_data``, which is parsed exactly like this package's own
    answers. (References, citations and title matching never go through that
    package: v0.12 drops the key there and corrupts titles holding ``&``.)

    Examples
    --------
    >>> class P:  # stands in for semanticscholar.Paper.Paper
    ...     raw_data = {"paperId": "abc", "title": "A & B", "year": 2024}
    >>> papers_from_semanticscholar([P()])[["paper_id", "title"]].values.tolist()
    [['abc', 'A & B']]
    """
    rows = []
    for obj in objs:
        raw = obj if isinstance(obj, dict) else getattr(obj, "raw_data", None)
        if not isinstance(raw, dict):
            raise InputError(f"not a semanticscholar Paper (no raw_data): {type(obj).__name__}")
        rows.append(paper_row(raw))
    return papers_frame(rows)
