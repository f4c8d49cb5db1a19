"""Table preparation and node attributes shared by the graph builders.

Missing values never reach a graph: strings become ``""``, integers ``-1``,
floats ``-1.0`` and booleans ``False`` (see :data:`MISSING`), so GraphML, GEXF,
CSV and VOSviewer exports carry no ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import tables

MISSING = {"str": "", "int": -1, "float": -1.0, "bool": False}
LABEL_DIMENSIONS = ("task", "strategy", "modality", "model")

# Node attributes taken from the papers table, with their kind.
PAPER_ATTRS: dict[str, str] = {
    "title": "str",
    "year": "int",
    "venue": "str",
    "is_seed": "bool",
    "citation_count": "int",
}


def conform(df: pd.DataFrame | None, name: str, require: tuple[str, ...]) -> pd.DataFrame:
    """``tables.conform`` of ``df`` (an empty table when ``None``)."""
    if df is None:
        return tables.empty(name)
    return tables.conform(df, name, require=require)


def positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each of ``values`` in ``index`` (unique ids), -1 when absent or missing.

    What ``index.get_indexer(values)`` gives, by Arrow's hash lookup on the strings themselves
    (several times faster on millions of ids: no Python string objects).

    Examples
    --------
    >>> import pandas as pd
    >>> positions(pd.Series(["b", None, "zz", "a"]), pd.Index(["a", "b"])).tolist()
    [1, -1, -1, 0]
    """
    def arrow(x) -> pa.Array:
        return pa.array(pd.Series(x, dtype="string").array).cast(pa.large_string())

    found = pc.index_in(arrow(values), value_set=arrow(index))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def column(df: pd.DataFrame, name: str, kind: str) -> list:
    """Column ``name`` as a list of Python values, missing values filled per :data:`MISSING`."""
    s = df[name]
    if kind == "str":
        return s.astype("string").fillna("").astype(object).tolist()
    if kind == "int":
        return pd.to_numeric(s).astype("Int64").fillna(-1).astype("int64").tolist()
    if kind == "float":
        return pd.to_numeric(s).astype("Float64").fillna(-1.0).astype("float64").tolist()
    if kind == "bool":
        return s.astype("boolean").fillna(False).astype(bool).tolist()
    raise ValueError(kind)


def paper_node_attrs(papers: pd.DataFrame) -> dict[str, dict]:
    """``{paper_id: {title, year, venue, is_seed, citation_count}}`` (first row per id)."""
    p = papers.dropna(subset=["paper_id"]).drop_duplicates("paper_id")
    ids = column(p, "paper_id", "str")
    cols = {a: column(p, a, k) for a, k in PAPER_ATTRS.items()}
    return {pid: {a: cols[a][n] for a in PAPER_ATTRS} for n, pid in enumerate(ids)}


def clean_labels(
    labels: pd.DataFrame | None,
    dimensions: Sequence[str] | None = None,
    min_score: float = 0.0,
) -> pd.DataFrame:
    """Labels conformed, without missing ids, one row per (paper, dimension, label).

    A missing score counts as 1.0 (a label stated without a score, e.g. a
    manual one, is taken as certain). When a label appears from several
    sources, the highest score is kept and ``source`` lists them (";"-joined).
    """
    df = conform(labels, "labels", ("paper_id", "dimension", "label"))
    df = df.dropna(subset=["paper_id", "dimension", "label"])
    df = df.assign(score=df["score"].fillna(1.0), source=df["source"].fillna(""))
    if dimensions is not None:
        df = df[df["dimension"].isin(list(dimensions))]
    df = df[df["score"] >= min_score]
    keys = ["paper_id", "dimension", "label"]
    if df.duplicated(keys).any():
        df = df.groupby(keys, sort=False, as_index=False).agg(
            score=("score", "max"),
            source=("source", lambda s: ";".join(sorted({x for v in s for x in str(v).split(";") if x}))),
        )
    return df[keys + ["source", "score"]].reset_index(drop=True)


def label_attrs(labels: pd.DataFrame, dimensions: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{paper_id: {dimension: "l1;l2"}}``, labels ordered by score (desc) then id."""
    if labels.empty:
        return {}
    df = labels.sort_values(["paper_id", "dimension", "score", "label"], ascending=[True, True, False, True])
    joined = df.groupby(["paper_id", "dimension"], sort=False)["label"].agg(";".join)
    out: dict[str, dict[str, str]] = {}
    for (pid, dim), value in joined.items():
        out.setdefault(str(pid), {})[str(dim)] = str(value)
    dims = list(dimensions)
    return {pid: {d: v.get(d, "") for d in dims} for pid, v in out.items()}


def label_dimensions(labels: pd.DataFrame) -> list[str]:
    """The four standard dimensions, then any other dimension present (sorted)."""
    present = set(labels["dimension"].astype(str)) if not labels.empty else set()
    return list(LABEL_DIMENSIONS) + sorted(present - set(LABEL_DIMENSIONS))


def add_nodes(G: nx.Graph, ids: Iterable[str], attrs: dict[str, dict] | None = None,
              defaults: dict | None = None) -> None:
    """Add nodes with their attributes; nodes absent from ``attrs`` get ``defaults``."""
    attrs = attrs or {}
    defaults = defaults or {}
    G.add_nodes_from((i, {**defaults, **attrs.get(i, {})}) for i in ids)


def paper_defaults() -> dict:
    return {a: MISSING[k] for a, k in PAPER_ATTRS.items()}


def as_py(values: np.ndarray) -> list:
    """Numpy array to a list of Python scalars (ints stay ints, floats floats)."""
    return np.asarray(values).tolist()
