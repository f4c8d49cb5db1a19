"""CSV (or TSV) reference lists.

A title column is required, found case-insensitively among ``title``,
``paper``, ``paper name(s)``, ``paper title``. Optional columns: ``url`` (or
``link``), ``doi``, ``arxiv`` (or ``arxiv_id``), ``section``, ``task``,
``year``, ``venue``, ``model_name``, ``origin``, ``index``. Without a section
column the section is the file stem. The shipped snapshot CSV is itself a
valid input and reads back to the same table.

Examples
--------
>>> text = "Title,URL\\nPitVQA,https://arxiv.org/abs/2405.13949v2\\n"
>>> parse_csv(text, source="vqa.csv").loc[0, ["section", "task", "arxiv_id"]].tolist()
['vqa', 'vqa', '2405.13949']
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePath

import pandas as pd

from ..errors import InputError
from .rows import build_seeds, clean_cell
from .tasks import task_map

_ALIASES = {
    "title": ("title", "paper", "paper name", "paper names", "paper title", "paper_title", "name"),
    "url": ("url", "link", "paper link", "pdf link", "pdf", "href"),
    "doi": ("doi",),
    "arxiv_id": ("arxiv", "arxiv_id", "arxiv id", "eprint"),
    "section": ("section", "category", "keywords", "manual tags", "tags"),  # Zotero: "Manual Tags"
    "task": ("task", "tasks"),
    "year_hint": ("year", "year_hint", "publication year"),
    "venue_hint": ("venue", "venue_hint", "journal", "conference", "publication title"),
    "model_name": ("model_name", "model name", "model names", "model"),
    "origin": ("origin", "natural/medical", "natural\\medical"),
    "list_index": ("list_index", "index", "#", "no", "no."),
}


def _columns(header: list[str]) -> dict[str, str]:
    lowered = {" ".join(str(h).casefold().split()): h for h in header}
    found = {}
    for key, names in _ALIASES.items():
        for name in names:
            if name in lowered:
                found[key] = lowered[name]
                break
    return found


def parse_csv(text: str, *, source: str = "references.csv", taxonomy=None) -> pd.DataFrame:
    """The ``seeds`` table of a CSV/TSV text.

    Raises
    ------
    InputError
        When there is no title column or the text is not a table.
    """
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    sep = "\t" if str(source).casefold().endswith(".tsv") or first.count("\t") > first.count(",") else ","
    try:
        df = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), sep=sep, dtype=str, keep_default_na=False,
                         quoting=csv.QUOTE_MINIMAL, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(f"cannot read CSV file {source}: {' '.join(str(exc).split())}") from exc
    cols = _columns(list(df.columns))
    if "title" not in cols:
        raise InputError(f"{source} has no title column (expected one of: title, paper, paper names)",
                         hint=f"columns found: {', '.join(map(str, df.columns))}")
    stem = PurePath(str(source)).stem
    tasks = task_map(taxonomy)
    rows = []
    for rec in df.to_dict("records"):
        row = {key: rec.get(col) for key, col in cols.items()}
        if clean_cell(row.get("title")) is None and clean_cell(row.get("model_name")) is None:
            continue
        section = clean_cell(row.get("section")) or stem
        if ";" in section:  # several tags (Zotero's "Manual Tags"): the first that names a task, else the first
            tags = [t.strip() for t in section.split(";") if t.strip()]
            section = next((t for t in tags if tasks(t)), tags[0] if tags else stem)
        task_cell = clean_cell(row.get("task"))
        row["section"] = section
        row["task"] = tasks(task_cell) if task_cell else (None if section == "models" else tasks(section))
        rows.append(row)
    return build_seeds(rows)
