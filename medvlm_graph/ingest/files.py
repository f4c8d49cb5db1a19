"""Input files of a bulk ingest: expand globs, check they exist, sniff compression.

DuckDB and Spark pick the decompressor from the file extension only, so a gzip
shard without ``.gz`` would be read as garbage; the compression of a local file
is therefore sniffed from the magic bytes (and passed explicitly to DuckDB;
Spark reads it under a link with the right extension). Cluster URLs
(``s3a://``, ``hdfs://``, ...; Spark only) are passed on as they are: their
extension must tell their compression.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError

_GZIP_MAGIC = b"\x1f\x8b"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
#: The extension each engine needs to decompress a file.
EXTENSIONS = {"gzip": ".gz", "zstd": ".zst", "none": ""}
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def is_url(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a URL (``s3a://bucket/x``, ``hdfs://...``, ``file:///...``)."""
    return bool(_URL.match(os.fspath(path)))


def expand(patterns: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], role: str,
           *, urls: bool = False) -> list[Path | str]:
    """Expand file names and glob patterns into an ordered list of existing files.

    Parameters
    ----------
    patterns : path, glob or list of them
        ``"papers-*.jsonl.gz"``, ``Path("papers.jsonl")``, or a list mixing both.
    role : str
        ``"papers"``, ``"citations"``, ``"abstracts"`` or ``"tldrs"``, used in
        error messages.
    urls : bool
        Accept URLs (kept as strings, globs included, for Spark to expand);
        otherwise a URL is an input error.

    Raises
    ------
    InputError
        When nothing is given, or a name or pattern matches no file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for n in ("b.jsonl", "a.jsonl"): _ = (d / n).write_text("{}")
    >>> [p.name for p in expand(str(d / "*.jsonl"), "papers")]
    ['a.jsonl', 'b.jsonl']
    """
    if isinstance(patterns, (str, os.PathLike)):
        patterns = [patterns]
    out: list[Path | str] = []
    for pattern in patterns:
        text = os.fspath(pattern)
        if is_url(text):
            if not urls:
                raise InputError(f"{role} file {text} is a URL; the DuckDB engine reads local files",
                                 hint="use --engine spark for cluster URLs")
            out.append(text)
        elif glob.has_magic(text):
            hits = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
            if not hits:
                raise InputError(f"no {role} file matches {text}")
            out.extend(hits)
        else:
            path = Path(text)
            if not path.is_file():
                raise InputError(f"{role} file not found: {text}")
            out.append(path)
    if not out:
        raise InputError(f"no {role} files given")
    # The same shard named twice (a glob and its file) is read once.
    seen: set[Path | str] = set()
    unique = []
    for p in out:
        key = p if isinstance(p, str) else p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def compression(path: Path) -> str:
    """``"gzip"``, ``"zstd"`` or ``"none"``, from the file's first bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if head.startswith(_GZIP_MAGIC):
        return "gzip"
    if head.startswith(_ZSTD_MAGIC):
        return "zstd"
    return "none"


def by_compression(paths: list[Path]) -> dict[str, list[Path]]:
    """Group files by sniffed compression (keeps the given order inside a group)."""
    groups: dict[str, list[Path]] = {}
    for p in paths:
        groups.setdefault(compression(p), []).append(p)
    return groups
