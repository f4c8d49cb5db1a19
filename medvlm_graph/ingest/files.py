"""Input files of a bulk ingest: expand globs, check they exist, sniff compression.

DuckDB picks the decompressor from the file extension only, so a gzip shard
without ``.gz`` would be read as garbage; the compression is therefore sniffed
from the magic bytes and passed explicitly.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def expand(patterns: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], role: str) -> list[Path]:
    """Expand file names and glob patterns into an ordered list of existing files.

    Parameters
    ----------
    patterns : path, glob or list of them
        ``"papers-*.jsonl.gz"``, ``Path("papers.jsonl")``, or a list mixing both.
    role : str
        ``"papers"`` or ``"citations"``, used in error messages.

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
    out: list[Path] = []
    for pattern in patterns:
        text = os.fspath(pattern)
        if glob.has_magic(text):
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
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
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
