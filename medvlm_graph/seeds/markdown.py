"""Awesome-list markdown in the shapes people write: tables, bullets, paragraphs, collapsed sections.

One reader for every shape, in two parts: pipe tables (:mod:`.pipetables`,
the review's own list) and everything else (:mod:`.outline` finds sections
and blocks, :mod:`.entries` reads entries in them). Both take their section
and task from the same outline, so a table inside ``<details>`` or under a
``### 2024`` sub-heading belongs to the task heading above it, like a bullet
does. The result is one row per paper entry, in document order:

* bullets: ``- [**MICCAI 2023**] Title [[pdf]](url) [[code]](url)``,
  ``* Title. [paper](url)``, ``- **Acronym:** Authors<br> "Title" **Venue (Year).** [[paper]](url)``;
* paragraphs: ``**Title.**``, a venue/date line, ``*authors*``, links; several
  per paragraph when separated by backslash line breaks; titles wrapped over lines;
* sections: headings (with badges, emoji, numbering), ``<details><summary>``
  blocks, bold or year pseudo-headings; year sub-headings stay in the task section.

An entry repeated within its section is kept once and reported; a table row is
kept as written (as it always was: ``seed_id`` gets ``-2``). A paper listed in
two sections gives one row per section (each with its task).

Examples
--------
>>> text = '''## Medical Report Generation ![](https://img.shields.io/badge/MRG-blue)
... ### 2023
... - [**MICCAI 2023**] A Medical Report Generator [[pdf]](https://arxiv.org/abs/2301.00001) [[code]](https://github.com/x/y)
...
... **Another Paper on Report Generation.**\\\\
... *A. Author, B. Author*\\\\
... [[paper]](https://doi.org/10.1000/xyz123)
... '''
>>> df = parse_markdown(text)
>>> df[["section", "task", "title", "arxiv_id", "doi"]].values.tolist()
[['Medical Report Generation', 'report_generation', 'A Medical Report Generator', '2301.00001', <NA>], ['Medical Report Generation', 'report_generation', 'Another Paper on Report Generation', <NA>, '10.1000/xyz123']]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..errors import InputError
from ..log import logger
from .groups import seed_groups
from .outline import UNSECTIONED, Outline
from .pipetables import find_tables, split_cells, table_rows
from .report import Duplicate, ListReport
from .rows import MODELS_SECTION, build_seeds
from .tasks import TaskMap, TaskMatch, task_map

__all__ = ["MarkdownList", "find_tables", "parse_markdown", "parse_markdown_rows", "read_markdown", "split_cells"]

# Line separators other than \n that str.splitlines would honour: kept as spaces so line numbers agree.
_ODD_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass
class MarkdownList:
    """A markdown list read: the seeds table and what was read where."""

    table: pd.DataFrame
    report: ListReport


def _entry_row(placed) -> dict:
    e = placed.entry
    return {
        "section": placed.section.name, "task": placed.section.task, "list_index": placed.index,
        "title": e.title, "title_original": e.title_original, "url": e.url, "year_hint": e.year,
        "venue_hint": e.venue, **e.ids, "line": placed.line, "shape": "entry",
    }


def parse_markdown_rows(text: str, *, source: str = "markdown", taxonomy=None) -> list[dict]:
    """Reader rows (see :func:`.rows.build_seeds`) of every table and entry of ``text``, in document order.

    Each row also has ``line`` (1-based) and ``shape`` (``table`` or ``entry``).
    The mapping of sections is recorded in ``report`` when one is given.
    """
    return _rows(text, source, task_map(taxonomy), None)


def _rows(text: str, source: str, tasks: TaskMap, report: ListReport | None) -> list[dict]:
    text = _ODD_BREAKS.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    tables = find_tables(text)
    table_lines = {n for t in tables for n in t.lines}
    outline = Outline(text, tasks, table_lines)
    rows: list[dict] = []
    for table in tables:
        section = outline.section_at(table.line)
        name = None if section.name == UNSECTIONED else section.name
        found = table_rows(table, name, TaskMatch(section.task, section.how), tasks, source=source)
        rows += [{**r, "shape": "table"} for r in found]
        if report is not None:
            if not found:
                report.section(section.name, section.task, section.how).skip(
                    table.line, "table without a paper title column")
            for r in found:
                if r["task_column"]:
                    sec = report.section(r["section"], None, "its Tasks column")
                    sec.task_counts[r["task"]] += 1
                else:
                    sec = report.section(r["section"], r["task"], section.how, models=r["section"] == MODELS_SECTION)
                sec.seen(r["line"]).rows += 1
    for placed in outline.entries:
        rows.append(_entry_row(placed))
    if not rows and not tables:
        raise InputError(f"no tables found in {source}, and no paper entries (bullets or paragraphs with a title "
                         "and a paper link)")
    unknown = {(p.section.name, p.section.how) for p in outline.entries if p.section.task is None}
    for name, how in sorted(unknown):
        logger.warning(f"{source}: section {name!r} matches no task ({how}); rows kept with no task")
    if report is not None:
        for p in outline.entries:
            report.section(p.section.name, p.section.task, p.section.how).seen(p.line).rows += 1
        for s in outline.skipped:
            sec = next((x for x in report.sections if x.name == s.section), None) or report.section(s.section, None, "")
            sec.skip(s.line, s.reason, s.text)
    rows.sort(key=lambda r: r["line"])
    return rows


def _dedupe(df: pd.DataFrame, rows: list[dict], report: ListReport | None) -> pd.DataFrame:
    """Drop entries that repeat an earlier row of their section (same normalised title); report every repeat."""
    groups = seed_groups(df)
    first: dict[tuple, int] = {}
    drop = []
    for i, (g, section, task) in enumerate(zip(groups, df["section"], df["task"].astype(object))):
        key = (section, task if isinstance(task, str) else None, g)
        if key not in first:
            first[key] = i
            continue
        j = first[key]
        ti, tj = df["title_norm"].iloc[i], df["title_norm"].iloc[j]
        same_title = isinstance(ti, str) and isinstance(tj, str) and ti == tj
        is_entry = rows[i]["shape"] == "entry"
        dropped = bool(same_title and is_entry)
        if dropped:
            drop.append(i)
        if report is not None:
            sec = report.section(section, key[1])
            sec.duplicates.append(Duplicate(rows[i]["line"], rows[j]["line"], str(df["title"].iloc[i]),
                                            kept=not dropped))
            if dropped:
                sec.rows -= 1
    return df.drop(index=df.index[drop]).reset_index(drop=True) if drop else df


def read_markdown(text: str, *, source: str = "markdown", taxonomy=None) -> MarkdownList:
    """Read a markdown list: the seeds table and the report of its sections.

    Parameters
    ----------
    text : str
    source : str
        Name used in messages.
    taxonomy : Taxonomy or TaskMap, optional
        Where task ids, names and aliases come from (default: the shipped taxonomy).

    Raises
    ------
    InputError
        When the text holds neither a pipe table nor a paper entry.
    """
    report = ListReport(source, "markdown")
    rows = _rows(text, source, task_map(taxonomy), report)
    df = build_seeds(rows)
    df = _dedupe(df, rows, report)
    report.sections = [s for s in report.sections if s.rows or s.skipped or s.duplicates]
    return MarkdownList(df, report)


def parse_markdown(text: str, *, source: str = "markdown", taxonomy=None) -> pd.DataFrame:
    """The ``seeds`` table of an awesome-list markdown text (see :func:`read_markdown`)."""
    return read_markdown(text, source=source, taxonomy=taxonomy).table
