"""A living review: candidates for the list, and what changed between two builds.

==========================  ==================================================================
candidates                  :func:`compute_candidates`, :func:`render_candidates_markdown`,
                            :func:`write_candidates` (``medvlm-graph candidates``)
changes between builds      :func:`compute_changes`, :func:`render_changes_markdown`,
                            :func:`write_changes`, :func:`keep_history` (``medvlm-graph diff``)
==========================  ==================================================================
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import pandas as pd

from ..errors import MedvlmError
from ..io import atomic_write_text, write_csv
from ..paths import DataPaths
from ..seeds.store import current_provenance
from .candidates import (
    CANDIDATE_COLUMNS,
    NO_SECTION,
    RowFormat,
    compute_candidates,
    paper_link,
    parse_since,
    render_candidates_markdown,
    section_of_tasks,
)
from ..history import keep_history, previous_build
from .diff import compute_changes, render_changes_markdown, write_changes


def list_info(data_dir: str | os.PathLike[str] | DataPaths = "data") -> dict:
    """The seed list in use (:func:`medvlm_graph.seeds.current_provenance`), with its ``date`` (a chosen
    list without one: the day it was read) and ``row_format``; ``{}`` when the record is unreadable."""
    try:
        info = current_provenance(data_dir if isinstance(data_dir, DataPaths) else DataPaths(data_dir))
    except (OSError, ValueError, MedvlmError):
        return {}
    if not info.get("date") and info.get("read_at"):
        info["date"] = str(info["read_at"])[:10]
    return info


def write_candidates(corpus, *, since: str | _dt.date | None = None, top: int | None = None,
                     out: str | os.PathLike[str] | None = None) -> tuple[pd.DataFrame, list[Path]]:
    """Candidates of ``corpus`` as markdown rows (``out``, default ``<data>/processed/candidates.md``)
    plus a CSV with every column next to it; ``since`` defaults to the date of the list in use.

    Returns the candidates table and the files written.
    """
    paths = DataPaths(corpus.data_dir) if corpus.data_dir is not None else DataPaths()
    info = list_info(paths)
    if since is None:
        since = info.get("date")
    cands = compute_candidates(corpus.papers, corpus.citations, corpus.seeds, corpus.labels, since=since, top=top)
    cands.attrs["since"] = str(parse_since(since)) if since else None
    md_path = Path(out) if out is not None else paths.processed / "candidates.md"
    fmt = RowFormat.from_dict(info.get("row_format"))
    header = (f"<!-- candidates for the list: field papers published since {cands.attrs['since'] or 'any date'}, "
              f"not in the list, by the section they would go in; evidence in {md_path.with_suffix('.csv').name} -->\n\n")
    written = [atomic_write_text(md_path, header + render_candidates_markdown(cands, fmt)),
               write_csv(cands, md_path.with_suffix(".csv"))]
    return cands, written


__all__ = [
    "CANDIDATE_COLUMNS", "NO_SECTION", "RowFormat", "compute_candidates", "compute_changes", "keep_history",
    "list_info", "paper_link", "parse_since", "previous_build", "render_candidates_markdown",
    "render_changes_markdown", "section_of_tasks", "write_candidates", "write_changes",
]
