"""Where a seed list comes from: files, URLs, or the shipped snapshot.

The format is chosen by extension (``.md``, ``.bib``, ``.ris``, ``.csv``,
``.tsv``), else sniffed from the content. Several sources are merged into one
row per paper (:mod:`.merge`). Every failure is one
:class:`~medvlm_graph.errors.InputError` line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pandas as pd

from ..errors import InputError
from ..io import read_parquet
from ..paths import DataPaths
from ..taxonomy import Taxonomy, load_taxonomy
from .bibtex import parse_bibtex
from .csvlist import parse_csv
from .markdown import read_markdown
from .merge import merge_lists
from .report import ListReport, sections_from_table
from .ris import parse_ris
from .rows import conform_seeds
from .store import load_snapshot
from .tasks import TaskMap, task_map

DOWNLOAD_TIMEOUT = 30  # seconds
# A reference list of 50 MB holds ~200k rows; anything larger is not a list (and parsing it would
# take minutes), so it is refused up front.
MAX_LIST_BYTES = 50 * 1024 * 1024
# Said whenever a file cannot be read as a list (a spreadsheet, a PDF, a file of unknown kind).
ACCEPTED = "accepted: awesome-list markdown .md, BibTeX .bib, RIS .ris, CSV .csv or .tsv; save a spreadsheet as CSV"
_EXT = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".bib": "bibtex", ".bibtex": "bibtex",
    ".ris": "ris",
    ".csv": "csv", ".tsv": "csv",
}
_PARSERS = {"bibtex": parse_bibtex, "ris": parse_ris, "csv": parse_csv}
FORMATS = ("markdown", *_PARSERS)
Source = str | os.PathLike[str]


@dataclass
class SeedList:
    """A seed list read from one or more sources, with the report of what was read where.

    Attributes
    ----------
    table : DataFrame
        The ``seeds`` table.
    reports : list of ListReport
        One per source, in order.
    notes : list of str
        What merging several sources did.
    """

    table: pd.DataFrame
    reports: list[ListReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: How the (first) list writes a paper of its first task section: see :func:`row_format_of`.
    row_format: dict | None = None

    def lines(self) -> list[str]:
        """The reports' lines, then the notes."""
        return [line for r in self.reports for line in r.lines()] + self.notes


def sniff_format(text: str) -> str:
    """Guess the list format of ``text``.

    Examples
    --------
    >>> sniff_format("@article{k, title={A}}"), sniff_format("TY  - JOUR\\nTI  - A\\nER  -")
    ('bibtex', 'ris')
    >>> sniff_format("| a | b |\\n|---|---|\\n"), sniff_format("title,url\\nA,http://x\\n")
    ('markdown', 'csv')
    """
    head = text.lstrip("\ufeff")[:20000]
    if re.search(r"^\s*@[A-Za-z]+\s*[{(]", head, re.M):
        return "bibtex"
    if re.search(r"^TY  - ", head, re.M):
        return "ris"
    if re.search(r"^\s*\|?.*\|.*\n\s*\|?\s*:?-+:?\s*\|", head, re.M) or re.search(r"^#{1,6}\s", head, re.M):
        return "markdown"
    first = head.split("\n", 1)[0]
    if "," in first or "\t" in first:
        return "csv"
    return "markdown"


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name} is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} is a binary file, not a reference list", hint=ACCEPTED)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(f"{name} is not a text file (cannot decode it as UTF-8)", hint=ACCEPTED) from None


def _download(url: str) -> bytes:
    import requests

    try:
        with requests.get(url, timeout=DOWNLOAD_TIMEOUT, headers={"User-Agent": "medvlm-graph"},
                          stream=True) as resp:
            if resp.status_code != 200:
                raise InputError(f"cannot download {url}: HTTP {resp.status_code}")
            chunks, size = [], 0
            for chunk in resp.iter_content(1 << 16):
                size += len(chunk)
                if size > MAX_LIST_BYTES:
                    raise InputError(f"{url} is larger than {MAX_LIST_BYTES // 2**20} MB: not a reference list")
                chunks.append(chunk)
    except requests.RequestException as exc:
        reason = type(exc).__name__
        raise InputError(f"cannot download {url}: {reason}", hint="check the URL and your connection") from None
    return b"".join(chunks)


def _format_for(name: str, text: str) -> str:
    fmt = _EXT.get(PurePosixPath(name).suffix.casefold())
    return fmt or sniff_format(text)


def _tasks(taxonomy: Taxonomy | TaskMap | str | os.PathLike[str] | None) -> TaskMap:
    if isinstance(taxonomy, (str, os.PathLike)):
        taxonomy = load_taxonomy(taxonomy)
    return task_map(taxonomy)


def _read_text(text: str, source: str, fmt: str | None, tasks: TaskMap) -> tuple[pd.DataFrame, ListReport]:
    fmt = fmt or _format_for(source, text)
    if fmt not in FORMATS:
        raise InputError(f"unknown list format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "markdown":
        read = read_markdown(text, source=source, taxonomy=tasks)
        df, report = read.table, read.report
    else:
        df = _PARSERS[fmt](text, source=source, taxonomy=tasks)
        report = sections_from_table(ListReport(source, fmt), df)
    if df.empty:
        # Never hand later stages (or a saved list) an empty seed list.
        raise InputError(f"{source} holds no references ({fmt}: no rows with a title)")
    return df, report


_MD_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]*)\)")  # [text](url), [[text]](url)


def row_format_of(text: str, table: pd.DataFrame) -> dict | None:
    r"""How a list writes one paper of its first task section, so candidates can be written alike.

    The line of the first task row's link is found in ``text``: in a pipe table, the format is the
    table's header (``{"kind": "table", "columns": [...], "link_text": ...}``); in a bullet or a
    paragraph line that also holds the title, it is that line with the title and the link replaced
    by ``{title}`` and ``{link}`` and its other links removed (``{"kind": "bullet", "template":
    ...}``). ``None`` when no such line is found (BibTeX, RIS, CSV lists).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"section": ["VQA"], "task": ["vqa"], "title": ["A VQA model"],
    ...                   "url": ["https://arxiv.org/abs/2501.00001"]})
    >>> row_format_of("## VQA\n- [**MICCAI 2024**] A VQA model [[pdf]](https://arxiv.org/abs/2501.00001) "
    ...               "[[code]](https://github.com/x/y)\n", t)
    {'kind': 'bullet', 'template': '- [**{tag}**] {title} [[pdf]]({link})'}
    >>> row_format_of("| # | Paper | Link |\n|--|--|--|\n| 1 | A VQA model | [PDF](https://arxiv.org/abs/2501.00001) |", t)
    {'kind': 'table', 'columns': ['#', 'Paper', 'Link'], 'link_text': 'PDF'}
    """
    if table.empty or not {"task", "url", "title"} <= set(table.columns):
        return None
    lines = text.splitlines()
    rows = table[table["task"].notna() & table["url"].notna() & (table["section"] != "models")]
    for r in rows.head(20).itertuples(index=False):
        hit = next((k for k, line in enumerate(lines) if r.url in line), None)
        if hit is None:
            continue
        line = lines[hit]
        link_text = next((m.group(1).strip("[]") for m in _MD_LINK.finditer(line) if m.group(2) == r.url), "PDF")
        if line.lstrip().startswith("|"):
            top = hit
            while top > 0 and lines[top - 1].lstrip().startswith("|"):
                top -= 1
            from .markdown import split_cells

            return {"kind": "table", "columns": split_cells(lines[top]), "link_text": link_text or "PDF"}
        title = getattr(r, "title_original", None) if isinstance(getattr(r, "title_original", None), str) else r.title
        if not isinstance(title, str) or title not in line:
            continue
        template = line.replace("{", "{{").replace("}", "}}").replace(title, "{title}").replace(r.url, "{link}")
        template = _MD_LINK.sub(lambda m: m.group(0) if m.group(2) == "{link}" else "", template)
        template = re.sub(r"\[\]|\s+(?=\s)", "", template).rstrip()
        # a leading venue tag ("[**MICCAI 2023**]") names each entry's own venue: a placeholder
        template = re.sub(r"^(\s*(?:[-*+]|\d+[.)])\s+\[\**)([^\]*]*\d{4}[^\]*]*)(\**\])", r"\1{tag}\3", template)
        return {"kind": "bullet", "template": template}
    return None


def parse_text(text: str, *, source: str = "list.md", fmt: str | None = None,
               taxonomy: Taxonomy | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Parse a reference list held in a string (format by ``fmt``, else by name, else sniffed)."""
    return _read_text(text, source, fmt, _tasks(taxonomy))[0]


def _load(source: Source) -> tuple[str, str, str]:
    """(text, display name, format) of one source file or URL."""
    text_src = os.fspath(source)
    if re.match(r"^https?://", text_src, re.I):
        name = PurePosixPath(urlsplit(text_src).path).name or "list.md"
        text = _decode(_download(text_src), text_src)
        if re.match(r"\s*(<!doctype html|<html)", text, re.I):
            raise InputError(f"{text_src} is an HTML page, not a reference list",
                             hint="use the raw file URL, e.g. https://raw.githubusercontent.com/OWNER/REPO/main/README.md")
        return text, name, _format_for(name, text)
    path = Path(text_src).expanduser()
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a reference list")
    if path.stat().st_size > MAX_LIST_BYTES:
        raise InputError(f"{path} is larger than {MAX_LIST_BYTES // 2**20} MB: not a reference list")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = _decode(data, str(path))
    return text, path.name, _format_for(path.name, text)


def _sources(source: Source | Sequence[Source]) -> list[Source]:
    if isinstance(source, (str, os.PathLike)):
        return [source]
    items = list(source)
    if not items:
        raise InputError("no source given")
    return items


def read_list(source: Source | Sequence[Source], *,
              taxonomy: Taxonomy | str | os.PathLike[str] | None = None) -> SeedList:
    """Read one or several reference lists, with the report of their sections.

    Parameters
    ----------
    source : str, path, or a sequence of them
        Files (awesome-list markdown in any of its shapes, BibTeX, RIS, CSV)
        or ``http(s)`` URLs. Several sources are merged: one row per paper,
        with ``lists`` and ``sections`` naming where it came from.
    taxonomy : Taxonomy or path, optional
        Where the task ids, names and aliases that sections map to come from
        (default: the shipped taxonomy).

    Raises
    ------
    InputError
        See :func:`read_seeds`.
    """
    tasks = _tasks(taxonomy)
    items = _sources(source)
    loaded = [_load(s) for s in items]
    names = [name for _, name, _ in loaded]
    parts, reports = [], []
    for src, (text, name, fmt) in zip(items, loaded):
        label = name if names.count(name) == 1 else os.fspath(src)
        try:
            df, report = _read_text(text, label, fmt, tasks)
        except InputError as exc:
            if PurePosixPath(name).suffix.casefold() in _EXT:
                raise
            raise InputError(str(exc), hint=ACCEPTED) from None  # the name did not say the format
        parts.append((label, df))
        reports.append(report)
    if len(parts) == 1:
        return SeedList(parts[0][1], reports, row_format=row_format_of(loaded[0][0], parts[0][1]))
    merged = merge_lists(parts)
    several = int(merged["lists"].fillna("").str.contains(";", regex=False).sum())
    counts = ", ".join(f"{name} {len(df)}" for name, df in parts)
    notes = [f"merged {len(parts)} lists ({counts} rows): {len(merged)} rows, one per paper; "
             f"{several} paper{'s' if several != 1 else ''} in more than one list"]
    return SeedList(merged, reports, notes, row_format=row_format_of(loaded[0][0], parts[0][1]))


def read_seeds(source: Source | Sequence[Source] | None = None, *,
               taxonomy: Taxonomy | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read a reference list into the ``seeds`` table.

    Parameters
    ----------
    source : str, path, sequence of them, or None
        A file (awesome-list markdown, BibTeX, RIS, CSV), an ``http(s)`` URL
        of one, several of them (merged: one row per paper), or ``None`` for
        the shipped snapshot of the review's list.
    taxonomy : Taxonomy or path, optional
        Task ids, names and aliases for section headings (default: shipped).

    Raises
    ------
    InputError
        Missing, empty, binary or oversized (> 50 MB) file; markdown without
        tables or paper entries; a list with no rows; CSV without a title
        column; unreachable URL.

    Examples
    --------
    >>> df = read_seeds()
    >>> len(df), int((df["section"] == "models").sum())
    (221, 68)
    """
    if source is None:
        return load_snapshot()
    return read_list(source, taxonomy=taxonomy).table


def current_seeds(paths: DataPaths | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The seed list later stages use.

    ``<data>/raw/seeds.parquet`` when the user chose a list with
    ``medvlm-graph seeds --source ...``, else the shipped snapshot.
    """
    if not isinstance(paths, DataPaths):
        paths = DataPaths(paths)
    if paths.seed_list.exists():
        return conform_seeds(read_parquet(paths.seed_list))
    return load_snapshot(paths.snapshot)
