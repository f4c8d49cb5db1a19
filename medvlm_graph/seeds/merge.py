"""Several literature lists as one seed list: one row per paper.

Rows of all lists that name the same paper (same arXiv id, DOI or normalised
title: :func:`.groups.seed_groups`) become one row. It keeps the first row's
``seed_id``, section and values, takes identifiers the first row lacks from the
others, and records where the paper came from: ``lists`` and ``sections``
(``;``-joined, in order of appearance) and ``task`` (the ``;``-joined task ids
of all its sections, as the labels stage reads that column).

Examples
--------
>>> import pandas as pd
>>> from .rows import build_seeds
>>> a = build_seeds([{"section": "Medical VQA", "task": "vqa", "title": "PitVQA", "url": "https://arxiv.org/abs/2405.13949"}])
>>> b = build_seeds([{"section": "Surgery", "title": "PitVQA.", "url": "https://doi.org/10.1007/x1"},
...                  {"section": "Surgery", "title": "Another Paper"}])
>>> m = merge_lists([("a.md", a), ("b.md", b)])
>>> m[["title", "task", "lists", "sections", "arxiv_id", "doi"]].values.tolist()
[['PitVQA', 'vqa', 'a.md;b.md', 'Medical VQA;Surgery', '2405.13949', '10.1007/x1'], ['Another Paper', <NA>, 'b.md', 'Surgery', <NA>, <NA>]]
"""

from __future__ import annotations

import pandas as pd

from .. import tables
from .groups import seed_groups
from .rows import conform_seeds


def _present(value) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and value != value) and (
        not isinstance(value, str) or bool(value.strip()))


def _joined(values) -> str | None:
    out: list[str] = []
    for v in values:
        if _present(v):
            for part in str(v).split(";"):
                if part.strip() and part.strip() not in out:
                    out.append(part.strip())
    return ";".join(out) or None


def merge_lists(parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """One ``seeds`` row per paper of several seed tables ``[(list name, table), ...]``."""
    frames = []
    for name, df in parts:
        df = df.copy()
        df["lists"] = df["lists"].where(df["lists"].notna(), name) if "lists" in df.columns else name
        df["sections"] = df["sections"].where(df["sections"].notna(), df["section"]) if "sections" in df.columns \
            else df["section"]
        frames.append(df)
    if not frames:
        return tables.empty("seeds")
    every = pd.concat(frames, ignore_index=True)
    groups = seed_groups(every)
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    columns = list(every.columns)
    records, seen_ids = [], set()
    for idx in members.values():
        sub = every.iloc[idx]
        rec = {c: next((v for v in sub[c] if _present(v)), None) for c in columns}
        for c in ("seed_id", "section", "title", "title_norm", "url", "list_index"):
            rec[c] = sub[c].iloc[0]  # the first listing's own values
        rec["task"] = _joined(sub["task"])
        rec["lists"] = _joined(sub["lists"])
        rec["sections"] = _joined(sub["sections"])
        sid, k = rec["seed_id"], 2
        while sid in seen_ids:  # same section key and title in two lists: keep seed ids unique
            sid, k = f"{rec['seed_id']}-{k}", k + 1
        rec["seed_id"] = sid
        seen_ids.add(sid)
        records.append(rec)
    return conform_seeds(pd.DataFrame.from_records(records, columns=columns))
