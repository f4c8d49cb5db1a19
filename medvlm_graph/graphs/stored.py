"""Pair tables written on Spark (``ingest --pairs``), read back without Spark.

:func:`read_pair_table` turns ``<kind>.parquet`` + ``<kind>.occurrences.parquet``
+ ``<kind>.json`` (:func:`medvlm_graph.spark.pairs.write_pairs`) into the
:class:`~medvlm_graph.graphs.matrix.PairTable` that
:func:`medvlm_graph.graphs.matrix.pair_table` would have computed, so a graph
builder can use it instead of counting the pairs itself
(``graphs._pairs.pair_graph(table, index, ...)``). pyspark is not needed.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .. import io
from .matrix import PairTable, check_norm


def read_pair_table(
    pairs_dir: str | os.PathLike[str],
    kind: str,
    citations: pd.DataFrame,
    index: pd.Index,
    *,
    norm: str = "raw",
    top_k: int | None = None,
    min_count: int = 1,
) -> PairTable | None:
    """The stored pairs of ``kind`` aligned to ``index``, or ``None`` when they cannot stand in.

    Parameters
    ----------
    pairs_dir : path
        ``raw/fetched/pairs`` of a data directory.
    kind : {"cocitation", "coupling"}
    citations : DataFrame
        The citations the caller would count pairs of (``citing_id``, ``cited_id``).
    index : Index
        Sorted paper ids of the items (the graph's nodes).
    norm, top_k, min_count
        What the caller asks for; the stored table must have been made with the same.

    Returns
    -------
    PairTable or None
        ``None`` when no complete table of ``kind`` is there, when it was made
        with other settings, when its item-context links are not as many as in
        ``citations``, or when it names a paper outside ``index`` (it describes
        another corpus): the caller then counts the pairs itself.

    Examples
    --------
    Without a table written by ``ingest --engine spark --pairs`` there is nothing to stand in:

    >>> import tempfile
    >>> c = pd.DataFrame({"citing_id": ["a"], "cited_id": ["b"]})
    >>> read_pair_table(tempfile.mkdtemp(), "coupling", c, pd.Index(["a", "b"])) is None
    True
    """
    base = Path(pairs_dir) / kind
    meta_path = base.with_suffix(".json")
    if not meta_path.exists():
        return None
    meta = io.read_json(meta_path)
    if (meta.get("norm"), meta.get("top_k"), meta.get("min_count")) != (check_norm(norm), top_k, int(min_count)):
        return None
    c = citations[["citing_id", "cited_id"]].dropna()
    c = c[c["citing_id"] != c["cited_id"]].drop_duplicates()
    item = "cited_id" if kind == "cocitation" else "citing_id"
    if int(c[item].isin(index).sum()) != meta.get("edges"):
        return None
    pairs = pd.read_parquet(Path(f"{base}.parquet"))
    occ = pd.read_parquet(Path(f"{base}.occurrences.parquet"))
    i = index.get_indexer(pairs["paper_a"].astype("string"))
    j = index.get_indexer(pairs["paper_b"].astype("string"))
    if (i < 0).any() or (j < 0).any():
        return None
    s = occ.set_index(occ["paper_id"].astype("string"))["occurrences"].reindex(index).fillna(0)
    return PairTable(i.astype(np.int64), j.astype(np.int64), pairs["count"].to_numpy(np.int64),
                     pairs["weight"].to_numpy(np.float64), s.to_numpy(np.int64), int(meta["n_contexts"]))


__all__ = ["read_pair_table"]
