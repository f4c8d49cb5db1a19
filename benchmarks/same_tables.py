"""Whether two data directories hold the same tables: a speed change must not change a result.

Compares every parquet table under ``processed/`` (the build's tables and the analysis pass's), and
the report's CSV and Markdown files byte for byte, of two data directories, e.g. one written by the code before a change and one after, on the same
corpus: same files, same columns, same rows in the same order, equal values (floats within
``--rtol``/``--atol``). Prints one line per difference and exits 1 when there is any.

Usage::

    python benchmarks/same_tables.py BEFORE_DATA_DIR AFTER_DATA_DIR [--rtol 1e-9]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

# Written with the time of the run or its duration: never equal between two runs.
VOLATILE = {"build.json"}


def _tables(root: Path) -> dict[str, Path]:
    base = root / "processed"
    return {str(p.relative_to(base)): p for p in sorted(base.rglob("*.parquet"))
            if "history" not in p.relative_to(base).parts}


def _column_diff(name: str, col: str, a: pd.Series, b: pd.Series, rtol: float, atol: float) -> str | None:
    na, nb = a.isna().to_numpy(), b.isna().to_numpy()
    if not np.array_equal(na, nb):
        return f"{name}: column {col}: missing values differ in {int((na != nb).sum())} rows"
    keep = ~na
    x, y = a[keep], b[keep]
    if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
        xv, yv = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
        bad = ~np.isclose(xv, yv, rtol=rtol, atol=atol, equal_nan=True)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            return (f"{name}: column {col}: {int(bad.sum())} values differ beyond tolerance "
                    f"(first: row {int(np.flatnonzero(keep)[i])}: {xv[i]!r} vs {yv[i]!r})")
        return None
    xs, ys = x.astype(str).to_numpy(), y.astype(str).to_numpy()
    bad = xs != ys
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        return (f"{name}: column {col}: {int(bad.sum())} values differ "
                f"(first: row {int(np.flatnonzero(keep)[i])}: {xs[i]!r} vs {ys[i]!r})")
    return None


def compare(before: Path, after: Path, *, rtol: float = 1e-9, atol: float = 1e-12) -> list[str]:
    """Differences between the tables of two data directories (empty: the same)."""
    a, b = _tables(before), _tables(after)
    out = [f"only in {before}: {n}" for n in sorted(set(a) - set(b))]
    out += [f"only in {after}: {n}" for n in sorted(set(b) - set(a))]
    for name in sorted(set(a) & set(b)):
        x, y = pd.read_parquet(a[name]), pd.read_parquet(b[name])
        if list(x.columns) != list(y.columns):
            out.append(f"{name}: columns differ: {list(x.columns)} vs {list(y.columns)}")
            continue
        if len(x) != len(y):
            out.append(f"{name}: {len(x)} rows vs {len(y)}")
            continue
        for col in x.columns:
            diff = _column_diff(name, col, x[col].reset_index(drop=True), y[col].reset_index(drop=True), rtol, atol)
            if diff:
                out.append(diff)
    # The report's own files (CSV, Markdown), byte for byte; its HTML carries the time of the run.
    for sub in ("processed/report",):
        fa = {p.name: p for p in (before / sub).glob("*") if p.suffix in (".csv", ".md")}
        fb = {p.name: p for p in (after / sub).glob("*") if p.suffix in (".csv", ".md")}
        out += [f"only in {before}: {sub}/{n}" for n in sorted(set(fa) - set(fb))]
        out += [f"only in {after}: {sub}/{n}" for n in sorted(set(fb) - set(fa))]
        out += [f"{sub}/{n}: differs" for n in sorted(set(fa) & set(fb)) if fa[n].read_bytes() != fb[n].read_bytes()]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("--atol", type=float, default=1e-12)
    args = ap.parse_args()
    diffs = compare(args.before, args.after, rtol=args.rtol, atol=args.atol)
    for line in diffs:
        print(line)
    n = len(_tables(args.before))
    print(f"{n} tables compared: {'the same' if not diffs else f'{len(diffs)} differences'}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
