"""Turn parsed list rows into the ``seeds`` table (ids, normalised titles, seed ids).

Every reader (markdown, BibTeX, RIS, CSV) produces plain row dicts with what
the list says (section, task, title, url, model name, origin, index, and any
explicit ids or year); :func:`build_seeds` adds what can be derived from them.

A ``seed_id`` depends only on the section's key (its task id, ``models`` for
the model table, else the normalised heading) and the normalised title (the
model name when the row has no paper title), so it survives reordering and
renumbering of the list. Exact duplicates inside one section get ``-2``,
``-3``... in list order.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import pandas as pd

from .. import tables
from .ids import ID_KEYS, arxiv_year, clean_url, extract_ids, normalize_arxiv_id, normalize_doi
from .titles import CONTROL, clean_title, normalize_title

MODELS_SECTION = "models"
_NULLS = {"", "-", "--", "—", "–", "n/a", "na", "none", "null", "nan"}

# Columns of the stored snapshot: what the list says and what the parser derived.
FACT_COLUMNS = [
    "seed_id", "section", "task", "list_index", "title", "title_norm", "model_name", "origin", "url",
    "arxiv_id", "doi", "pii", "pmcid", "acl_id", "ieee_id", "venue_hint", "year_hint",
]
# Also derived by every reader, not stored in the snapshot.
READER_COLUMNS = ["title_original"]


def clean_cell(value: object) -> str | None:
    """Whitespace-trimmed text without control characters, or ``None`` for blanks and placeholders such as ``-``."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    # Control characters (escape sequences, bells, C1 codes) would reach terminals and reports.
    text = CONTROL.sub(" ", str(value)).strip()
    return None if text.casefold() in _NULLS else text


def section_key(section: str | None, task: str | None) -> str:
    """The stable key of a section used in seed ids."""
    if task:
        return task
    if section == MODELS_SECTION:
        return MODELS_SECTION
    return normalize_title(section or "") or "unsectioned"


def _year(value: object) -> int | None:
    text = clean_cell(value)
    if not text:
        return None
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    return int(m.group(1)) if m else None


def build_seeds(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build the ``seeds`` table from reader rows.

    Titles are cleaned with :func:`.titles.clean_title` (the same way for
    every reader); ``title_original`` keeps the text as the list wrote it when
    cleaning changed it.

    Parameters
    ----------
    rows : iterable of mapping
        Keys used: ``section, task, list_index, title, url, model_name,
        origin`` and optionally ``title_original``, ``arxiv_id, doi, pii,
        pmcid, acl_id, ieee_id, year_hint, venue_hint`` (explicit values from
        the list win over values derived from the url).

    Examples
    --------
    >>> df = build_seeds([{"section": "Medical VQA", "task": "vqa", "title": " PitVQA ",
    ...                    "url": "https://arxiv.org/pdf/2405.13949"}])
    >>> df.loc[0, ["title", "arxiv_id"]].tolist(), int(df.loc[0, "year_hint"])
    (['PitVQA', '2405.13949'], 2024)
    """
    records = []
    for row in rows:
        raw_title = clean_cell(row.get("title"))
        title = clean_title(raw_title) if raw_title else None
        url = clean_url(clean_cell(row.get("url")))
        rec: dict[str, object] = {
            "section": clean_cell(row.get("section")),
            "task": clean_cell(row.get("task")),
            "list_index": clean_cell(row.get("list_index")),
            "title": title,
            "title_original": clean_cell(row.get("title_original")) or (raw_title if raw_title != title else None),
            "title_norm": normalize_title(title) or None,
            "model_name": clean_cell(row.get("model_name")),
            "origin": (clean_cell(row.get("origin")) or "").casefold() or None,
            "url": url,
        }
        found = extract_ids(url)
        explicit = {
            "arxiv_id": normalize_arxiv_id(clean_cell(row.get("arxiv_id"))),
            "doi": normalize_doi(clean_cell(row.get("doi"))),
            **{k: clean_cell(row.get(k)) for k in ("pii", "pmcid", "acl_id", "ieee_id")},
            "year_hint": _year(row.get("year_hint")),
            "venue_hint": clean_cell(row.get("venue_hint")),
        }
        for key in ID_KEYS:
            rec[key] = explicit.get(key) or found.get(key)
        if rec["year_hint"] is None and rec["arxiv_id"]:
            rec["year_hint"] = arxiv_year(rec["arxiv_id"])
        records.append(rec)

    seen: Counter[str] = Counter()
    for rec in records:
        basis = rec["title_norm"] or (
            f"model:{normalize_title(rec['model_name'])}" if rec["model_name"] else f"url:{rec['url'] or ''}"
        )
        digest = hashlib.sha1(f"{section_key(rec['section'], rec['task'])}|{basis}".encode()).hexdigest()[:10]
        seen[digest] += 1
        rec["seed_id"] = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"

    df = pd.DataFrame.from_records(records, columns=FACT_COLUMNS + READER_COLUMNS) if records else tables.empty("seeds")
    return conform_seeds(df)


def conform_seeds(df: pd.DataFrame) -> pd.DataFrame:
    """``tables.conform(df, "seeds")``."""
    return tables.conform(df, "seeds")
