"""Co-citation and bibliographic coupling pairs on Spark, for corpora past one machine's memory.

The same pairs, counts and weights as :func:`medvlm_graph.graphs.matrix.pair_table`
on the incidence matrix of :mod:`medvlm_graph.graphs.cooccurrence`, computed
as joins instead of a sparse product:

* edges: distinct (citing, cited) pairs, no self-citation, no missing id;
* items and contexts: co-citation links cited papers (items) by their citing
  papers (contexts), coupling links citing papers by their references; with
  ``papers``, only corpus papers are items, contexts are every paper on the
  other side;
* ``count`` = shared contexts, ``s`` = contexts of an item (``occurrences``),
  ``N`` = distinct contexts; ``weight`` = :func:`~medvlm_graph.graphs.matrix.normalize`
  of them (raw, cosine, jaccard, association, inclusion), in float64 with the
  same operations, so equal to the last bit;
* ``min_count`` first, then ``top_k``: each item keeps its ``top_k`` strongest
  pairs (weight, then count, descending, then the smaller neighbour id), a
  pair is kept when either end keeps it.

The result has one row per kept pair, ``paper_a < paper_b``: ``paper_a,
paper_b, count, weight, occurrences_a, occurrences_b``.

Examples
--------
>>> from medvlm_graph.spark.pairs import spark_pair_table  # doctest: +SKIP
>>> spark_pair_table(citations_df, kind="cocitation", norm="association", top_k=20)  # doctest: +SKIP
"""

from __future__ import annotations

import os

import pandas as pd
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from .. import io
from ..errors import UsageError
from ..graphs.matrix import check_norm
from .session import spark_session

KINDS = ("cocitation", "coupling")
PAIR_COLUMNS = ["paper_a", "paper_b", "count", "weight", "occurrences_a", "occurrences_b"]


def _weight(norm: str):
    c, si, sj, n = (F.col("count").cast("double"), F.col("s_i").cast("double"), F.col("s_j").cast("double"),
                    F.col("n").cast("double"))
    return {
        "raw": c,
        "cosine": c / F.sqrt(si * sj),
        "jaccard": c / (si + sj - c),
        "inclusion": c / F.least(si, sj),
        "association": (c * n) / (si * sj),
    }[norm]


def spark_pair_table(
    citations: DataFrame | pd.DataFrame | str | os.PathLike[str],
    *,
    kind: str = "cocitation",
    norm: str = "raw",
    top_k: int | None = None,
    min_count: int = 1,
    papers: DataFrame | pd.DataFrame | None = None,
    spark: SparkSession | None = None,
) -> tuple[DataFrame, int, DataFrame]:
    """Pairs of ``kind`` as a Spark DataFrame, ``N`` (the number of contexts), and the items' occurrences.

    The third value has ``paper_id, occurrences`` for every item with a context.

    Parameters
    ----------
    citations : Spark or pandas DataFrame with ``citing_id``, ``cited_id``, or a parquet path
        (a fetched or processed ``citations`` table; a URL Spark reads).
    kind : {"cocitation", "coupling"}
    norm : one of :data:`medvlm_graph.graphs.matrix.NORMS` (``salton`` = cosine)
    top_k : int, optional
        Per-item top-k (union over both ends); ``None`` keeps every pair.
    min_count : int
        Keep pairs sharing at least this many contexts.
    papers : DataFrame with ``paper_id``, optional
        Only these papers are items.
    spark : SparkSession, optional
        Default: :func:`~medvlm_graph.spark.spark_session`.
    """
    norm = check_norm(norm)
    if kind not in KINDS:
        raise UsageError(f"unknown pair kind {kind!r}; choose one of {', '.join(KINDS)}")
    if top_k is not None and top_k < 1:
        raise UsageError(f"top_k must be at least 1 (got {top_k})")
    spark = spark or spark_session()
    if isinstance(citations, (str, os.PathLike)):
        citations = spark.read.parquet(os.fspath(citations))
    elif isinstance(citations, pd.DataFrame):
        citations = spark.createDataFrame(
            list(zip(citations["citing_id"].astype(object), citations["cited_id"].astype(object))),
            "citing_id STRING, cited_id STRING")
    item, ctx = ("cited_id", "citing_id") if kind == "cocitation" else ("citing_id", "cited_id")
    e = (citations.select(F.col(item).alias("item"), F.col(ctx).alias("ctx"))
         .where("item IS NOT NULL AND ctx IS NOT NULL AND item <> ctx").distinct())
    if papers is not None:
        if isinstance(papers, pd.DataFrame):
            papers = spark.createDataFrame([(p,) for p in papers["paper_id"].dropna().astype(object)],
                                           "paper_id STRING")
        e = e.join(papers.select(F.col("paper_id").alias("item")).distinct(), "item", "left_semi")
    e = e.localCheckpoint()
    n = e.select("ctx").distinct().count()
    occ = e.groupBy("item").agg(F.count(F.lit(1)).alias("s"))
    pairs = (e.alias("a").join(e.alias("b"), "ctx")
             .where(F.col("a.item") < F.col("b.item"))
             .groupBy(F.col("a.item").alias("i"), F.col("b.item").alias("j"))
             .agg(F.count(F.lit(1)).alias("count"))
             .where(F.col("count") >= int(min_count))
             .join(occ.select(F.col("item").alias("i"), F.col("s").alias("s_i")), "i")
             .join(occ.select(F.col("item").alias("j"), F.col("s").alias("s_j")), "j")
             .withColumn("n", F.lit(n)))
    pairs = pairs.withColumn("weight", _weight(norm))
    if top_k is not None:
        both = pairs.select(F.col("i").alias("item"), F.col("j").alias("nbr"), "i", "j", "count", "weight").union(
            pairs.select(F.col("j").alias("item"), F.col("i").alias("nbr"), "i", "j", "count", "weight"))
        w = Window.partitionBy("item").orderBy(F.col("weight").desc(), F.col("count").desc(), F.col("nbr").asc())
        kept = (both.withColumn("_rank", F.row_number().over(w)).where(F.col("_rank") <= int(top_k))
                .select("i", "j").distinct())
        pairs = pairs.join(kept, ["i", "j"], "left_semi")
    out = pairs.select(F.col("i").alias("paper_a"), F.col("j").alias("paper_b"), "count", "weight",
                       F.col("s_i").alias("occurrences_a"), F.col("s_j").alias("occurrences_b"))
    return out, int(n), occ.select(F.col("item").alias("paper_id"), F.col("s").alias("occurrences"))


def write_pairs(
    citations: DataFrame | pd.DataFrame | str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    kinds: tuple[str, ...] = KINDS,
    norm: str = "raw",
    top_k: int | None = None,
    min_count: int = 1,
    papers: DataFrame | pd.DataFrame | None = None,
    spark: SparkSession | None = None,
) -> dict[str, int]:
    """Write ``<kind>.parquet`` (Spark's part files, sorted by pair), ``<kind>.occurrences.parquet``
    and ``<kind>.json`` per kind.

    The JSON holds what the pairs were made with (``kind``, ``norm``,
    ``top_k``, ``min_count``, ``n_contexts``, ``edges``: distinct item-context
    links, ``pairs``); it is written last, so a pair table without it is an
    interrupted write. :func:`medvlm_graph.graphs.stored.read_pair_table` reads
    them back. Returns ``{kind: pairs}``.
    """
    counts = {}
    for kind in kinds:
        df, n, occ = spark_pair_table(citations, kind=kind, norm=norm, top_k=top_k, min_count=min_count,
                                      papers=papers, spark=spark)
        base = os.path.join(os.fspath(out_dir), kind)
        df = df.orderBy("paper_a", "paper_b").localCheckpoint()
        df.write.mode("overwrite").parquet(f"{base}.parquet")
        occ = occ.orderBy("paper_id").localCheckpoint()
        occ.write.mode("overwrite").parquet(f"{base}.occurrences.parquet")
        counts[kind] = df.count()
        io.atomic_write_json(f"{base}.json", {
            "kind": kind, "norm": check_norm(norm), "top_k": top_k, "min_count": int(min_count),
            "n_contexts": n, "edges": int(occ.agg(F.sum("occurrences")).first()[0] or 0),
            "pairs": counts[kind], "columns": PAIR_COLUMNS})
    return counts


__all__ = ["KINDS", "PAIR_COLUMNS", "spark_pair_table", "write_pairs"]
