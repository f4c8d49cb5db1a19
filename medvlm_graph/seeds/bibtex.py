"""BibTeX reference lists (bibtexparser v2).

Entries that cannot be parsed are skipped and counted in one warning. The
section comes from a ``section`` field, else the first ``keywords`` entry
that names a task, else the file stem.

Examples
--------
>>> text = '@article{k, title={{LLaVA-Med}: Training a Large Assistant}, eprint={2306.00890}, keywords={vqa}}'
>>> df = parse_bibtex(text, source="refs.bib")
>>> df.loc[0, ["title", "task", "arxiv_id"]].tolist()
['LLaVA-Med: Training a Large Assistant', 'vqa', '2306.00890']
"""

from __future__ import annotations

import logging
import re
from pathlib import PurePath

import pandas as pd

from ..errors import InputError
from ..log import logger
from .rows import build_seeds, clean_cell
from .tasks import TaskMap, task_map


def _section(fields: dict[str, str], stem: str, tasks: TaskMap) -> tuple[str, str | None]:
    """(section, task) of an entry: ``section`` field, else a task keyword, else the file stem."""
    explicit = clean_cell(fields.get("section"))
    if explicit:
        return explicit, tasks(explicit)
    for kw in re.split(r"[;,]", fields.get("keywords") or ""):
        if tasks(kw):
            return kw.strip(), tasks(kw)
    return stem, tasks(stem)


def _untex(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\\(?:textit|textbf|emph|mathrm|text)\s*", "", text)
    return clean_cell(" ".join(text.replace("{", "").replace("}", "").split()))


def rows_from_fields(entries: list[dict[str, str]], stem: str, tasks: TaskMap | None = None) -> list[dict]:
    """Reader rows from field dicts (lower-case keys); shared with the RIS reader."""
    tasks = task_map(tasks)
    rows = []
    for fields in entries:
        section, task = _section(fields, stem, tasks)
        eprint = fields.get("eprint") if "arxiv" in (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").casefold() else None
        url = clean_cell(fields.get("url"))
        if url is None and fields.get("arxiv_url"):
            url = fields["arxiv_url"]
        rows.append({
            "section": section,
            "task": task,
            "title": _untex(fields.get("title")),
            "url": url,
            "doi": fields.get("doi"),
            "arxiv_id": eprint or fields.get("arxiv"),
            "year_hint": fields.get("year"),
            "venue_hint": _untex(fields.get("journal") or fields.get("booktitle")),
        })
    return rows


def parse_bibtex(text: str, *, source: str = "references.bib", taxonomy=None) -> pd.DataFrame:
    """The ``seeds`` table of a BibTeX text; bad entries are skipped with a warning.

    Raises
    ------
    InputError
        When no entry can be read.
    """
    import bibtexparser
    from bibtexparser import middlewares as mw

    # bibtexparser logs each failed block itself; we report them once, counted.
    bib_logger = logging.getLogger("bibtexparser")
    level = bib_logger.level
    bib_logger.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text, append_middleware=[mw.LatexDecodingMiddleware()])
    finally:
        bib_logger.setLevel(level)
    entries = [{k.casefold(): str(f.value) for k, f in e.fields_dict.items()} for e in library.entries]
    failed = len(library.failed_blocks)
    entries_with_title = [e for e in entries if clean_cell(e.get("title"))]
    skipped = failed + (len(entries) - len(entries_with_title))
    if skipped:
        logger.warning(f"{source}: {skipped} BibTeX entr{'y' if skipped == 1 else 'ies'} skipped (unparsable or without title)")
    if not entries_with_title:
        raise InputError(f"no BibTeX entries with a title found in {source}")
    return build_seeds(rows_from_fields(entries_with_title, PurePath(source).stem, task_map(taxonomy)))
