"""An exclusive lock on a data directory, so two refreshes never write the same files.

The lock is ``fcntl.flock`` on ``<data>/.medvlm-graph.lock`` (see
:attr:`medvlm_graph.paths.DataPaths.lock`). The kernel releases it when the
holder exits, even when killed, so a stale lock file never blocks a later run;
the file itself is left in place (deleting lock files races with other
processes). A second holder fails at once with :class:`LockError`.

Examples
--------
>>> import tempfile
>>> from medvlm_graph.errors import LockError
>>> d = tempfile.mkdtemp()
>>> with data_lock(d):
...     try:
...         with data_lock(d):
...             pass
...     except LockError:
...         print("busy")
busy
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError, LockError
from .paths import DataPaths


@contextmanager
def data_lock(data_dir: str | os.PathLike[str] | DataPaths, *, what: str = "refresh") -> Iterator[Path]:
    """Hold the exclusive lock of ``data_dir`` for the duration of the block.

    Parameters
    ----------
    data_dir : path or DataPaths
        The data directory (created when missing).
    what : str
        What the holder is doing, written into the lock file for the message a
        second process sees.

    Raises
    ------
    LockError
        When another process (or another open of the same file) holds it.
    """
    paths = data_dir if isinstance(data_dir, DataPaths) else DataPaths(data_dir)
    path = paths.lock
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"cannot create lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            raise LockError(
                f"data directory {paths.root} is in use by another medvlm-graph process{holder}",
                hint=f"wait for it to finish; lock file {path}",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {what}\n".encode(), 0)
        remove_stale_temp_files(paths)
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_stale_temp_files(paths: DataPaths) -> int:
    """Delete temp files that killed writers left behind where only lock holders write.

    :func:`medvlm_graph.io.atomic_write_bytes` writes ``.<name>.<random>.tmp``
    next to its target and renames it; a process killed before the rename
    leaves it behind. Under the lock no other writer can own one in the
    fetched layer, the S2 cache or the processed tables, so they are removed.
    Returns how many were removed.
    """
    removed = 0
    places = [(paths.fetched, False), (paths.s2, True), (paths.processed, False)]
    for folder, recursive in places:
        if not folder.is_dir():
            continue
        for tmp in (folder.rglob(".*.tmp") if recursive else folder.glob(".*.tmp")):
            try:
                tmp.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    if not text:
        return ""
    pid, _, what = text.partition(" ")
    return f" (pid {pid}{', ' + what if what else ''})"
