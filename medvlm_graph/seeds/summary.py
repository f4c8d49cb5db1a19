"""A short text summary of a seeds table (used by ``medvlm-graph seeds``).

Examples
--------
>>> from medvlm_graph.seeds import load_snapshot
>>> lines = summary_lines(load_snapshot())
>>> lines[0]
'221 seeds: 68 in the model table (34 natural, 34 medical), 153 in 11 tasks'
"""

from __future__ import annotations

import pandas as pd

from .rows import MODELS_SECTION
from .tasks import default_task_map

ID_KINDS = (("arxiv_id", "arXiv"), ("doi", "DOI"), ("pii", "PII"), ("pmcid", "PMC"), ("acl_id", "ACL"),
            ("ieee_id", "IEEE"))


def summary_lines(df: pd.DataFrame) -> list[str]:
    """Rows per section/task, ids found by kind, rows with no link."""
    models = df[df["section"] == MODELS_SECTION]
    tasks = df[df["section"] != MODELS_SECTION]
    origins = models["origin"].fillna("unknown").value_counts()
    origin_text = ", ".join(f"{int(n)} {o}" for o, n in origins.items())
    # A merged list's task cell may name several tasks (;-joined): each counts.
    task_cells = tasks["task"].dropna().astype(str).str.split(";").explode().str.strip()
    n_tasks = int(task_cells.nunique())
    lines = [f"{len(df)} seeds: {len(models)} in the model table ({origin_text}), "
             f"{len(tasks)} in {n_tasks} task{'s' if n_tasks != 1 else ''}"]
    counts = tasks["task"].fillna("(no task)").astype(str).str.split(";").explode().str.strip().value_counts()
    known = default_task_map().ids
    order = [t for t in known if t in counts.index] + sorted(t for t in counts.index if t not in known)
    if order:
        lines.append("tasks: " + ", ".join(f"{t} {int(counts[t])}" for t in order))
    untasked = tasks[tasks["task"].isna()]["section"].dropna().unique().tolist()
    if untasked:
        lines.append("sections with no task: " + ", ".join(untasked))
    lines.append("ids: " + ", ".join(f"{label} {int(df[col].notna().sum())}" for col, label in ID_KINDS)
                 + f"; venue hints {int(df['venue_hint'].notna().sum())}, year hints {int(df['year_hint'].notna().sum())}")
    any_id = df[[c for c, _ in ID_KINDS]].notna().any(axis=1)
    no_id = df["url"].notna() & ~any_id
    lines.append(f"rows with no link: {int(df['url'].isna().sum())}; rows with a link but no paper id: "
                 f"{int(no_id.sum())} ({int((no_id & df['venue_hint'].notna()).sum())} with a venue hint)")
    dups = duplicate_rows(df)
    if dups:
        lines.append(f"duplicates: {dups} row{'s' if dups != 1 else ''} repeat a paper listed earlier "
                     "(same arXiv id, DOI or normalised title); build makes them one paper")
    return lines


def duplicate_rows(df: pd.DataFrame) -> int:
    """Rows that name a paper an earlier row already names (same arXiv id, DOI or title).

    Examples
    --------
    >>> import pandas as pd
    >>> duplicate_rows(pd.DataFrame({"arxiv_id": ["1", "1", None], "doi": [None, None, None],
    ...                              "title_norm": ["a", "b", "a"]}))
    2
    """
    # Union-find over shared keys would be exact; a row is a duplicate when any key was seen before.
    seen: set[tuple[str, str]] = set()
    count = 0
    for row in df[["arxiv_id", "doi", "title_norm"]].itertuples(index=False):
        keys = {(k, str(v)) for k, v in zip(("arxiv", "doi", "title"), row) if isinstance(v, str) and v}
        if keys & seen:
            count += 1
        seen |= keys
    return count
