"""Where a seed list comes from: a file, a URL, or the shipped snapshot.

The format is chosen by extension (``.md``, ``.bib``, ``.ris``, ``.csv``,
``.tsv``), else sniffed from the content. Every failure is one
:class:`~medvlm_graph.errors.InputError` line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pandas as pd

from ..errors import InputError
from ..io import read_parquet
from ..paths import DataPaths
from .bibtex import parse_bibtex
from .csvlist import parse_csv
from .markdown import parse_markdown
from .ris import parse_ris
from .rows import conform_seeds
from .store import load_snapshot

DOWNLOAD_TIMEOUT = 30  # seconds
# A reference list of 50 MB holds ~200k rows; anything larger is not a list (and parsing it would
# take minutes), so it is refused up front.
MAX_LIST_BYTES = 50 * 1024 * 1024
_EXT = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".bib": "bibtex", ".bibtex": "bibtex",
    ".ris": "ris",
    ".csv": "csv", ".tsv": "csv",
}
# Said whenever a file cannot be read as a list (a spreadsheet, a PDF, a file of unknown kind).
ACCEPTED = "accepted: awesome-list markdown .md, BibTeX .bib, RIS .ris, CSV .csv or .tsv; save a spreadsheet as CSV"
_PARSERS = {"markdown": parse_markdown, "bibtex": parse_bibtex, "ris": parse_ris, "csv": parse_csv}


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


def parse_text(text: str, *, source: str = "list.md", fmt: str | None = None) -> pd.DataFrame:
    """Parse a reference list held in a string (format by ``fmt``, else by name, else sniffed)."""
    fmt = fmt or _format_for(source, text)
    if fmt not in _PARSERS:
        raise InputError(f"unknown list format {fmt!r}; known: {', '.join(_PARSERS)}")
    df = _PARSERS[fmt](text, source=source)
    if df.empty:
        # Never hand later stages (or a saved list) an empty seed list.
        raise InputError(f"{source} holds no references ({fmt}: no rows with a title)")
    return df


def read_seeds(source: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read a reference list into the ``seeds`` table.

    Parameters
    ----------
    source : str, path or None
        A file (awesome-list markdown, BibTeX, RIS, CSV), an ``http(s)`` URL
        of one, or ``None`` for the shipped snapshot of the review's list.

    Raises
    ------
    InputError
        Missing, empty, binary or oversized (> 50 MB) file; markdown without
        tables; a list with no rows; CSV without a title column; unreachable URL.

    Examples
    --------
    >>> df = read_seeds()
    >>> len(df), int((df["section"] == "models").sum())
    (221, 68)
    """
    if source is None:
        return load_snapshot()
    text_src = os.fspath(source)
    if re.match(r"^https?://", text_src, re.I):
        name = PurePosixPath(urlsplit(text_src).path).name or "list.md"
        text = _decode(_download(text_src), text_src)
        if re.match(r"\s*(<!doctype html|<html)", text, re.I):
            raise InputError(f"{text_src} is an HTML page, not a reference list",
                             hint="use the raw file URL, e.g. https://raw.githubusercontent.com/OWNER/REPO/main/README.md")
        return parse_text(text, source=name, fmt=_format_for(name, text))
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
    try:
        return parse_text(text, source=path.name, fmt=_format_for(path.name, text))
    except InputError as exc:
        if path.suffix.casefold() in _EXT:
            raise
        raise InputError(str(exc), hint=ACCEPTED) from None  # the name did not say the format


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
