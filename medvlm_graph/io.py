"""Atomic file writes and table (parquet) reading/writing.

Nothing is ever written in place: data goes to a temporary file in the same
directory, is flushed and fsync'ed, then renamed over the target. A reader
therefore sees either the old complete file or the new complete file, never a
partial one, even if the process is killed mid-write.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError, InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + fsync + rename).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt"
    >>> _ = atomic_write_bytes(p, b"hi")
    >>> p.read_bytes()
    b'hi'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write to {path.parent}: {exc.strerror or exc}") from exc
    try:
        # mkstemp creates 0600 files; give the result the permissions of a normal new file.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """Write ``obj`` as pretty JSON atomically."""
    return atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file, raising :class:`DataError` (one line) when it is corrupt."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(f"missing file {path}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"corrupt JSON file {path}: {exc}") from exc


# Cells a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with a single quote.

    Examples
    --------
    >>> inert("=HYPERLINK(1)"), inert("-1"), inert("CLIP"), inert(-1)
    ("'=HYPERLINK(1)", "'-1", 'CLIP', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv_text(df: pd.DataFrame, **kwargs: Any) -> str:
    """CSV text of ``df`` with every text cell made :func:`inert` (numbers stay numbers)."""
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(inert, na_action="ignore")
    kwargs.setdefault("index", False)
    return out.to_csv(**kwargs)


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Write ``df`` as CSV atomically, safe to open in a spreadsheet (see :func:`to_csv_text`)."""
    return atomic_write_text(path, to_csv_text(df, **kwargs))


def write_parquet(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a DataFrame to parquet atomically."""
    buf = BytesIO()
    df.to_parquet(buf, index=False)
    return atomic_write_bytes(path, buf.getvalue())


def _partial(marker: Path) -> Path:
    return marker.with_name(marker.name + ".partial")


def write_table_set(tables: Mapping[str | os.PathLike[str], pd.DataFrame],
                    marker: str | os.PathLike[str], info: Any) -> list[Path]:
    """Write several tables that belong together, then ``marker`` (JSON) describing them.

    Each file is atomic, but a set of files is not: a process killed between
    two tables leaves old and new ones side by side. So ``<marker>.partial``
    is created before the first table and removed after the marker is written;
    :func:`interrupted` tells readers that a set was cut short (tables a user
    wrote by hand carry no such file and are used as they are).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_table_set({d / "a.parquet": pd.DataFrame({"x": [1]})}, d / "done.json", {})]
    ['a.parquet', 'done.json']
    >>> interrupted(d / "done.json")
    False
    """
    marker = Path(marker)
    atomic_write_text(_partial(marker), "a write of this table set started and has not finished\n")
    written = [write_parquet(df, path) for path, df in tables.items()]
    written.append(atomic_write_json(marker, info))
    _partial(marker).unlink()
    return written


def interrupted(marker: str | os.PathLike[str]) -> bool:
    """Whether the last :func:`write_table_set` with this ``marker`` was cut short."""
    return _partial(Path(marker)).exists()


def read_parquet(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a parquet file, raising :class:`DataError` when missing or corrupt."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"missing table {path}", hint="run `medvlm-graph build` first")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        raise DataError(f"corrupt parquet file {path}: {type(exc).__name__}",
                        hint="delete it and rebuild") from exc
