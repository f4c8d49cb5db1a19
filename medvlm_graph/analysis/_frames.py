"""Small helpers shared by the analysis modules.

Convention of the whole ``analysis`` package: a ``compute_*`` function never
raises because its input is empty or too small to analyse. It returns an empty
frame with its documented columns and puts the reason in
``df.attrs["skipped"]`` (a one-line string), see :func:`skipped`. It raises
:class:`~medvlm_graph.errors.DataError` only for malformed input (a missing
column, an unknown dimension).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import DataError

DIMENSIONS = ("task", "strategy", "modality", "model")


def frame(columns: Sequence[str], rows: Iterable | None = None, *, dtypes: dict | None = None) -> pd.DataFrame:
    """A frame with exactly ``columns`` (empty when ``rows`` is None)."""
    df = pd.DataFrame(list(rows) if rows is not None else [], columns=list(columns))
    for col, dtype in (dtypes or {}).items():
        df[col] = df[col].astype(dtype)
    return df


def skipped(columns: Sequence[str], reason: str, *, dtypes: dict | None = None) -> pd.DataFrame:
    """An empty frame with ``columns`` and ``attrs["skipped"] = reason``.

    Examples
    --------
    >>> df = skipped(["a", "b"], "no data")
    >>> list(df.columns), len(df), df.attrs["skipped"]
    (['a', 'b'], 0, 'no data')
    """
    df = frame(columns, dtypes=dtypes)
    df.attrs["skipped"] = reason
    return df


def reason(df: pd.DataFrame) -> str | None:
    """The skip reason attached to a result frame, or ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> reason(skipped(["a"], "needs S2 data")), reason(pd.DataFrame({"a": [1]}))
    ('needs S2 data', None)
    """
    return df.attrs.get("skipped") if isinstance(df, pd.DataFrame) else None


def require(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    """Raise :class:`DataError` when ``df`` lacks one of ``cols``."""
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"{what} must be a DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(f"{what} lacks column(s): {', '.join(missing)}")


def select_labels(labels: pd.DataFrame, dimension: str | None = None, *, min_score: float = 0.5) -> pd.DataFrame:
    """Distinct ``(paper_id, dimension, label)`` rows with ``score >= min_score``.

    A missing score counts as 1 (a review or manual label). ``dimension=None``
    keeps every dimension.
    """
    require(labels, ["paper_id", "dimension", "label"], "labels")
    df = labels
    if "score" in df.columns:
        score = pd.to_numeric(df["score"], errors="coerce").fillna(1.0)
        df = df[score >= min_score]
    if dimension is not None:
        df = df[df["dimension"] == dimension]
    df = df.dropna(subset=["paper_id", "dimension", "label"])
    out = df[["paper_id", "dimension", "label"]].astype(str).drop_duplicates()
    return out.sort_values(["dimension", "label", "paper_id"]).reset_index(drop=True)


def paper_years(papers: pd.DataFrame) -> pd.Series:
    """``paper_id -> year`` (int) for papers with a known year."""
    require(papers, ["paper_id", "year"], "papers")
    years = pd.to_numeric(papers["year"], errors="coerce")
    ok = years.notna() & papers["paper_id"].notna()
    s = pd.Series(years[ok].astype(int).to_numpy(), index=papers.loc[ok, "paper_id"].astype(str).to_numpy())
    return s[~s.index.duplicated()]


def paper_titles(papers: pd.DataFrame | None) -> dict[str, str]:
    """``paper_id -> title`` (empty dict when unknown)."""
    if papers is None or "title" not in papers.columns:
        return {}
    df = papers.dropna(subset=["paper_id", "title"])
    return dict(zip(df["paper_id"].astype(str), df["title"].astype(str)))
