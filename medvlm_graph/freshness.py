"""Whether the processed tables still match the inputs they were built from.

``build`` records the identity of every input it may read (the chosen seed
list, the snapshot, the fetched layer, the overrides CSV and the taxonomy) in
``build.json`` under ``"inputs"``; :func:`changed_inputs` compares that record
with the files as they are now. Any difference counts, in either direction: a
file that appeared, one that was removed (``rm data/raw/seeds.parquet`` to go
back to the snapshot), one that was replaced by an older copy.

A file's identity is its size and modification time; small files (the seed
list, the overrides, the taxonomy) also record a SHA-256, so rewriting them
with the same bytes (a ``git checkout``, ``touch``) does not count as a change.

Examples
--------
>>> import tempfile, pathlib
>>> from medvlm_graph.paths import DataPaths
>>> paths = DataPaths(tempfile.mkdtemp())
>>> record = build_inputs(paths)
>>> record["raw/seeds.parquet"] is None   # no list chosen: the snapshot is used
True
>>> _ = paths.raw.mkdir(parents=True, exist_ok=True); _ = paths.seed_list.write_bytes(b"x")
>>> changed_inputs(paths, {"inputs": record})
['raw/seeds.parquet (added)']
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from .paths import DataPaths
from .taxonomy import default_taxonomy_path

#: Files up to this size also record their SHA-256 (cheap to hash at every load).
HASH_MAX_BYTES = 8 * 1024 * 1024
FETCHED_FILES = ("papers.parquet", "citations.parquet", "authorships.parquet", "seeds.parquet", "provenance.json")


def file_identity(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """``{"size", "mtime_ns", "sha256"}`` of a file (``sha256`` only up to 8 MiB); ``None`` when absent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> file_identity(p) is None
    True
    >>> _ = p.write_text("abc")
    >>> file_identity(p)["sha256"][:12], file_identity(p)["size"]
    ('ba7816bf8f01', 3)
    """
    p = Path(path)
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not p.is_file():
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "sha256": _sha256(p) if st.st_size <= HASH_MAX_BYTES else None}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _key(paths: DataPaths, path: Path) -> str:
    """The record key of ``path``: relative to the data directory when inside it (moving it is no change)."""
    full = Path(path).resolve()
    try:
        return full.relative_to(paths.root.resolve()).as_posix()
    except ValueError:
        return str(full)


def is_default_overrides(paths: DataPaths, overrides: str | os.PathLike[str]) -> bool:
    """Whether ``overrides`` is ``<data>/overrides.csv`` (used without being asked for)."""
    return Path(overrides).resolve() == paths.overrides.resolve()


def input_files(paths: DataPaths, *, taxonomy: str | os.PathLike[str] | None = None,
                overrides: str | os.PathLike[str] | None = None) -> list[Path]:
    """Every file a ``build`` of ``paths`` may read (present or not).

    ``taxonomy`` is the taxonomy file used (default: the shipped one); ``overrides``
    an overrides CSV given explicitly (``<data>/overrides.csv`` is always listed).
    """
    files = [paths.seed_list, paths.snapshot]
    files += [paths.fetched / name for name in FETCHED_FILES]
    files.append(paths.overrides)
    if overrides is not None and not is_default_overrides(paths, overrides):
        files.append(Path(overrides))
    files.append(Path(taxonomy) if taxonomy is not None else default_taxonomy_path())
    return files


def build_inputs(paths: DataPaths, *, taxonomy: str | os.PathLike[str] | None = None,
                 overrides: str | os.PathLike[str] | None = None) -> dict[str, dict[str, Any] | None]:
    """The record ``build`` keeps in ``build.json["inputs"]``: key -> :func:`file_identity`."""
    return {_key(paths, f): file_identity(f) for f in input_files(paths, taxonomy=taxonomy, overrides=overrides)}


def _same(old: dict[str, Any] | None, path: Path) -> bool:
    new_stat = None
    try:
        new_stat = path.stat() if path.is_file() else None
    except OSError:
        pass
    if old is None or new_stat is None:
        return old is None and new_stat is None
    if old.get("size") != new_stat.st_size:
        return False
    if old.get("mtime_ns") == new_stat.st_mtime_ns:
        return True
    # Same size, other time: the same bytes rewritten count as unchanged when a hash was kept.
    return old.get("sha256") is not None and old["sha256"] == _sha256(path)


def recorded_sources(info: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(taxonomy path, explicit overrides path)`` a build recorded in its ``build.json``."""
    taxonomy = info.get("taxonomy") or None
    overrides = info.get("overrides")
    if not isinstance(overrides, str) or overrides == "<DataFrame>":
        overrides = None
    return taxonomy, overrides


def changed_inputs(paths: DataPaths, info: dict[str, Any]) -> list[str]:
    """What changed among the inputs since the build that wrote ``info`` (``[]``: the tables are current).

    Each item names the input and how it changed: ``added``, ``removed`` or ``changed``.
    A ``build.json`` without an input record (an older version) counts as changed.
    """
    recorded = info.get("inputs")
    if not isinstance(recorded, dict):
        return ["build.json (no record of the inputs)"]
    taxonomy, overrides = recorded_sources(info)
    now = {_key(paths, f): f for f in input_files(paths, taxonomy=taxonomy, overrides=overrides)}
    out = []
    for key, path in now.items():
        if key not in recorded:
            if path.is_file():
                out.append(f"{key} (added)")
            continue
        old = recorded[key]
        if not _same(old, path):
            out.append(f"{key} ({'added' if old is None else 'removed' if not path.is_file() else 'changed'})")
    for key, old in recorded.items():
        if key not in now and old is not None:  # e.g. the data directory's snapshot copy was removed
            out.append(f"{key} (no longer used)")
    return out
