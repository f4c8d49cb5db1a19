"""Atomic file writes and table (parquet) reading/writing.

Nothing is ever written in place: data goes to a temporary file in the same
directory, is flushed and fsync'ed, then renamed over the target. A reader
therefore sees either the old complete file or the new complete file, never a
partial one, even if the process is killed mid-write.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import DataError, InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` (bytes, or an iterable of chunks written one after another, so a big file need
    not be held in memory whole) to ``path`` atomically (temp file + fsync + rename).

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
            for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                fh.write(chunk)
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

    :func:`to_csv_text` does the same to whole columns at once (:func:`inert_strings`).

    Examples
    --------
    >>> inert("=HYPERLINK(1)"), inert("-1"), inert("CLIP"), inert(-1)
    ("'=HYPERLINK(1)", "'-1", 'CLIP', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _re2_literal(text: str) -> str:
    """``text`` as an RE2 pattern matching it literally (each character by its code point)."""
    return "".join(f"\\x{{{ord(ch):x}}}" for ch in text)


_FORMULA_RE2 = "^(?:" + "|".join(map(_re2_literal, FORMULA_START)) + ")"


def inert_strings(values: pa.Array) -> pa.Array:
    """:func:`inert` on every cell of an Arrow string array at once (nulls stay null).

    Examples
    --------
    >>> inert_strings(pa.array(["=1+1", "CLIP", None, "-2"])).to_pylist()
    ["'=1+1", 'CLIP', None, "'-2"]
    """
    risky = pc.match_substring_regex(values, _FORMULA_RE2)
    if not pc.any(risky).as_py():
        return values
    quote, empty = pa.scalar("'", values.type), pa.scalar("", values.type)
    return pc.if_else(risky, pc.binary_join_element_wise(quote, values, empty), values)


def _inert_column(col: pd.Series) -> pd.Series:
    """The column with its text cells made :func:`inert`; numbers and booleans as they are."""
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return col
    if isinstance(col.dtype, pd.StringDtype):
        return pd.Series(pd.array(inert_strings(_arrow(col)), dtype=col.dtype), index=col.index, name=col.name)
    return col.map(inert, na_action="ignore")  # object, categorical, ...: cell by cell


# Python's csv writer (which pandas' to_csv uses) quotes a field holding one of a few characters (the
# delimiter, the quote, line ends: which ones varies with the Python version), so they are found by
# asking it, once per line terminator.
@functools.cache
def _csv_special(lineterminator: str) -> str:
    """An RE2 class of the characters that make the csv writer quote a field."""
    found = []
    for ch in map(chr, range(128)):
        buf = StringIO()
        csv.writer(buf, lineterminator=lineterminator).writerow([f"a{ch}b", "c"])
        if buf.getvalue().startswith('"'):
            found.append(ch)
    return "[" + _re2_literal("".join(found)) + "]"


# Floats are written by pandas as numpy's ``astype(str)``: the shortest repr, positional from 1e-4 up
# to 1e16 ("0.5", "2.0"), else with an exponent of two digits at least ("1e-05", "2.5e+16"). Arrow's
# cast to string gives the same shortest digits several times faster, but in its own layout ("2",
# "1e-7", "0.00001", "1.5e+14"). Where Arrow chose the same form as numpy (an "e" or not), its text
# is used with the layout mended ("2" -> "2.0", "1e-7" -> "1e-07"); every other value is formatted
# by numpy.


def _mend(text: pa.Array, where: np.ndarray, how) -> pa.Array:
    """``text`` with the cells at ``where`` (a boolean mask) replaced by ``how`` of them."""
    if not where.any():
        return text
    return pc.replace_with_mask(text, pa.array(where), how(text.take(np.flatnonzero(where))))


def _float_cells(values: np.ndarray) -> pa.Array:
    text = pc.cast(pa.array(values), pa.string())
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        positional = ((size >= 1e-4) & (size < 1e16)) | (size == 0)
        exponent = ((size < 1e-4) & (size > 0)) | ((size >= 1e16) & (size < np.inf))
        integral = values == np.trunc(values)
    with_e = pc.match_substring(text, "e").to_numpy(zero_copy_only=False)
    as_positional, as_exponent = positional & ~with_e, exponent & with_e
    # Arrow writes an integral value without ".0", and one-digit exponents (1e-5 .. 1e-9) without a 0
    text = _mend(text, as_positional & integral, lambda t: pc.binary_join_element_wise(t, ".0", ""))
    text = _mend(text, as_exponent & (size < 1e-4) & (size >= 1e-10),
                 lambda t: pc.replace_substring_regex(t, r"e-([0-9])$", r"e-0\1"))
    rest = ~(as_positional | as_exponent)
    by_numpy = np.where(np.isnan(values[rest]), "", values[rest].astype(str))  # NaN is written as na_rep ""
    return _mend(text, rest, lambda t: pa.array(by_numpy, pa.string()))


def _arrow(col: pd.Series) -> pa.Array:
    """The column as one Arrow array (a pandas column can be backed by several chunks)."""
    arr = pa.array(col)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _csv_cells(col: pd.Series) -> tuple[pa.Array, bool] | None:
    """The text pandas' ``to_csv`` writes in each cell of ``col`` (made inert, not quoted) and whether
    it is free text (may need quotes); None when the column's type is not formatted here."""
    dtype = col.dtype
    if isinstance(dtype, pd.StringDtype):
        return inert_strings(_arrow(col)).fill_null(""), True
    if isinstance(dtype, np.dtype):
        values = col.to_numpy()
        if dtype.kind == "f" and dtype.itemsize == 8:
            return _float_cells(values), False
        if dtype.kind in "iu":
            return pc.cast(pa.array(values), pa.string()), False
        if dtype.kind == "b":
            return pa.array(np.where(values, "True", "False")), False
        return None
    if isinstance(col.array, (pd.arrays.IntegerArray, pd.arrays.BooleanArray)):  # nullable: Int64, boolean
        arr = _arrow(col)
        if pa.types.is_boolean(arr.type):
            arr = pc.if_else(arr, "True", "False")
        return pc.cast(arr, pa.string()).fill_null(""), False
    return None


def _fast_csv_bytes(df: pd.DataFrame, lineterminator: str, header: bool = True) -> bytes | None:
    """UTF-8 of ``df.to_csv(index=False, lineterminator=..., header=header)`` with text cells made
    inert, built column-wise with Arrow; None for a frame with a column type :func:`_csv_cells` does
    not format."""
    if df.shape[1] == 0 or not all(isinstance(c, str) for c in df.columns) or lineterminator not in ("\n", "\r\n"):
        return None
    head = StringIO()
    if header:
        csv.writer(head, lineterminator=lineterminator).writerow(list(df.columns))
    quote, empty, comma, end = (pa.scalar(x, pa.large_string()) for x in ('"', "", ",", lineterminator))
    cells = []
    for i in range(df.shape[1]):
        made = _csv_cells(df.iloc[:, i])
        if made is None:
            return None
        col, text = made
        col = col.cast(pa.large_string())  # one string type, so columns can be joined
        needs = pc.match_substring_regex(col, _csv_special(lineterminator)) if text else None
        if df.shape[1] == 1:  # the csv writer quotes a row that is one empty field
            blank = pc.equal(col, empty)
            needs = blank if needs is None else pc.or_(needs, blank)
        if needs is not None and pc.any(needs).as_py():
            col = pc.if_else(needs, pc.binary_join_element_wise(quote, pc.replace_substring(col, '"', '""'), quote,
                                                                empty), col)
        cells.append(col)
    if len(df) == 0:
        return head.getvalue().encode("utf-8")
    rows = pc.binary_join_element_wise(*cells, comma) if len(cells) > 1 else cells[0]
    rows = pc.binary_join_element_wise(rows, empty, end)  # each row followed by the line terminator
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:rows.offset + len(rows) + 1]
    body = memoryview(rows.buffers()[2])[offsets[0]:offsets[-1]]
    return head.getvalue().encode("utf-8") + body.tobytes()


#: Rows formatted at a time by the fast CSV path: its memory follows a block (a few times the
#: block's text), not the table (3 M rows of SPC at 100k papers would need about 1.5 GB at once).
CSV_BLOCK_ROWS = 1 << 18


def _csv_chunks(df: pd.DataFrame, **kwargs: Any) -> Iterator[bytes]:
    """The bytes of :func:`to_csv_text`, block of rows by block (the header with the first)."""
    kwargs.setdefault("index", False)
    if kwargs.keys() <= {"index", "lineterminator"} and kwargs["index"] is False:
        end = kwargs.get("lineterminator", os.linesep)
        first = _fast_csv_bytes(df.iloc[:CSV_BLOCK_ROWS], end)
        if first is not None:  # the columns' types decide, and every block has the same
            yield first
            for start in range(CSV_BLOCK_ROWS, len(df), CSV_BLOCK_ROWS):
                yield _fast_csv_bytes(df.iloc[start:start + CSV_BLOCK_ROWS], end, header=False)
            return
    out = df.copy()
    for col in out.columns:
        out[col] = _inert_column(out[col])
    yield out.to_csv(**kwargs).encode("utf-8")


def _csv_bytes(df: pd.DataFrame, **kwargs: Any) -> bytes:
    return b"".join(_csv_chunks(df, **kwargs))


def to_csv_text(df: pd.DataFrame, **kwargs: Any) -> str:
    """CSV text of ``df`` with every text cell made :func:`inert` (numbers stay numbers).

    The text is ``df.to_csv(index=False, **kwargs)`` of the inert frame, byte for byte. Frames of
    the usual column types (text, integers, floats, booleans) are formatted column-wise with Arrow
    when no option but ``lineterminator`` is given; others go through pandas.

    Examples
    --------
    >>> print(to_csv_text(pd.DataFrame({"name": ["=cmd()", "a,b"], "n": [1, -2], "x": [0.5, None]})), end="")
    name,n,x
    '=cmd(),1,0.5
    "a,b",-2,
    """
    return _csv_bytes(df, **kwargs).decode("utf-8")


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Write ``df`` as CSV atomically, safe to open in a spreadsheet (see :func:`to_csv_text`)."""
    return atomic_write_bytes(path, _csv_chunks(df, **kwargs))


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
