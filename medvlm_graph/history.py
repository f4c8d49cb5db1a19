"""The builds before the current one, kept for ``medvlm-graph diff --since-last``.

``build`` calls :func:`keep_history` before it writes new tables: the current build's tables and
``build.json`` are copied to ``data/processed/history/<built at>/`` (the last
:data:`KEEP_BUILDS` are kept). A folder appears whole or not at all (written under a temporary
name, then renamed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .io import read_json
from .paths import DataPaths

TABLES = ("papers", "citations", "labels", "seeds", "authorships")
HISTORY = "history"
#: Builds kept in the history folder (the oldest are removed).
KEEP_BUILDS = 10


def keep_history(paths: DataPaths, *, keep: int = KEEP_BUILDS) -> Path | None:
    """Copy the current build's tables to ``processed/history/<built at>/`` (before a new build).

    Does nothing when there is no complete build. Returns the folder written, or ``None``.
    """
    info_path = paths.processed / "build.json"
    if not info_path.exists() or not all(paths.table(n).exists() for n in TABLES):
        return None
    try:
        info = read_json(info_path)
    except (OSError, ValueError):
        return None
    stamp = str(info.get("built_at") or "unknown").replace(":", "").replace("+0000", "Z")
    target = paths.processed / HISTORY / stamp
    if target.exists():
        return target
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in TABLES:
        shutil.copy2(paths.table(name), tmp / f"{name}.parquet")
    shutil.copy2(info_path, tmp / "build.json")
    tmp.rename(target)  # a folder appears whole or not at all
    for old in sorted(p for p in (paths.processed / HISTORY).iterdir() if p.is_dir() and not p.name.endswith(".tmp"))[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return target


def previous_build(paths: DataPaths) -> Path | None:
    """The most recent build kept in the history, or ``None``."""
    root = paths.processed / HISTORY
    if not root.exists():
        return None
    builds = sorted(p for p in root.iterdir() if p.is_dir() and (p / "build.json").exists())
    return builds[-1] if builds else None
