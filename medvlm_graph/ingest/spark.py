"""The Spark engine of :func:`medvlm_graph.ingest.ingest`: the DuckDB selection as a PySpark job.

Step for step what :mod:`.duck` runs with the statements of :mod:`.sql`, so
both engines write equal tables:

1. every non-blank line of every shard is one row (``spark.read.text``),
   parsed with ``from_json`` against the columns declared in :mod:`.sql`
   (nested values kept as JSON text); a line whose key is null is malformed
   and counted per file;
2. papers: one record per corpus id (the most cited, then the smallest
   title); citations: distinct (citing, cited) pairs between known papers, no
   self-citations, influential if any copy is, intents united;
3. seeds: the engine keeps the candidates of :mod:`.identity`'s cheap test,
   the driver matches them with the seeds package's rules (no third copy of
   the identity rules);
4. hops: a frontier expansion, each step checkpointed;
5. abstracts and TLDRs of the kept papers;
6. the kept tables are collected through Arrow and written by the same code
   as the DuckDB engine's (the output is a field-sized fetched layer, not the
   whole dump: pass ``hops`` when reading a full release on a cluster).

Inputs are local files (read through links whose extension tells their
sniffed compression; on a cluster they must sit on a filesystem every
executor sees) or URLs Spark reads (``s3a://``, ``hdfs://``; their extension
must tell their compression). Known differences from DuckDB, on input no S2
release contains: DuckDB casts a fractional or quoted number into an integer
column (``"year": "2020"``), Spark reads it as null; two JSON objects on one
line are malformed for DuckDB, Spark reads the first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from py4j.protocol import Py4JJavaError
from pyspark.errors import PySparkException
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .. import tables
from ..errors import InputError
from ..log import progress
from ..spark.pairs import write_pairs
from ..spark.session import spark_session
from . import files as _files
from . import identity, sql
from .frames import from_arrow
from .summary import TEXT_ROLES, IngestSummary, record_files, require_matched

# The columns declared for DuckDB (sql.py), as Spark types; JSON values are read as their JSON text.
_TYPES = {"BIGINT": T.LongType(), "VARCHAR": T.StringType(), "JSON": T.StringType(), "BOOLEAN": T.BooleanType()}


def _schema(columns: dict[str, str]) -> T.StructType:
    return T.StructType([T.StructField(k, _TYPES[v]) for k, v in columns.items()])


def run(inputs: dict[str, list], keys: identity.SeedKeys, hops: int | None, summary: IngestSummary,
        *, work_dir: Path, master: str | None = None, pairs: dict | None = None
        ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Select and shape the fetched tables on Spark; returns ``(frames, seed hits)`` like :func:`.duck.run`.

    ``pairs``: keywords of :func:`medvlm_graph.spark.pairs.write_pairs` (``kinds``,
    ``norm``, ``top_k``, ``out_dir``) to count pairs of the kept citations too.
    """
    spark = spark_session(master)
    stage = Path(tempfile.mkdtemp(prefix=".ingest-spark-", dir=work_dir))
    try:
        return _run(spark, inputs, keys, hops, summary, stage, pairs)
    except (PySparkException, Py4JJavaError) as exc:
        raise InputError(f"cannot read the bulk files on Spark: {_first_line(exc)}") from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _Lines:
    """The non-blank lines of one role's files, with a file name that maps back to the input."""

    def __init__(self, spark: SparkSession, role: str, files: list, stage: Path) -> None:
        self.role, self.files = role, files
        self.names: dict[str, str] = {}  # link name -> input path
        paths = []
        for i, p in enumerate(files):
            if isinstance(p, str):  # a URL (or a URL glob): Spark reads and expands it
                paths.append(p)
                continue
            link = stage / f"{role}-{i:05d}.jsonl{_files.EXTENSIONS[_files.compression(p)]}"
            os.symlink(Path(p).resolve(), link)
            self.names[link.name] = str(p)
            paths.append(str(link))
        self.df = (spark.read.text(paths)
                   .select(F.input_file_name().alias("file"), "value")
                   .where(~F.col("value").rlike(r"^\s*$")))  # a blank line is not a line (as DuckDB)

    def parsed(self, columns: dict[str, str]) -> DataFrame:
        return self.df.select("file", F.from_json("value", _schema(columns)).alias("r")).select("file", "r.*")

    def record(self, df: DataFrame, bad: Column, summary: IngestSummary, **extra: Column) -> dict[str, int]:
        """Per-file lines and malformed lines into the summary (as the DuckDB engine does).

        ``extra`` names more counts to take in the same pass (summed over files).
        """
        rows = df.groupBy("file").agg(F.count(F.lit(1)).alias("n"), F.count(F.when(bad, 1)).alias("bad"),
                                      *[F.count(F.when(c, 1)).alias(k) for k, c in extra.items()]).collect()
        counts: dict[str, tuple[int, int]] = {}
        for r in rows:
            name = self.names.get(r["file"].rsplit("/", 1)[-1], r["file"])
            counts[name] = (int(r["n"]), int(r["bad"]))
        urls = sorted(k for k in counts if k not in self.names.values())
        record_files(summary, self.role, [str(p) for p in self.files if not isinstance(p, str)] + urls, counts)
        return {k: sum(int(r[k]) for r in rows) for k in extra}


def _papers(lines: _Lines) -> DataFrame:
    r = lines.parsed(sql.PAPER_COLUMNS)
    return r.select(
        "file",
        F.col("corpusid").alias("corpus_id"),
        F.expr("coalesce(nullif(paperid, ''), nullif(sha, ''), "
               "nullif(regexp_extract(url, '/paper/([0-9a-fA-F]{40})', 1), ''))").alias("sha"),
        F.expr("nullif(title, '')").alias("title"),
        "year",
        F.expr("nullif(venue, '')").alias("venue"),
        "abstract",
        F.col("citationcount").alias("citation_count"),
        F.col("referencecount").alias("reference_count"),
        F.col("influentialcitationcount").alias("influential_citation_count"),
        F.expr(r"regexp_replace(get_json_object(externalids, '$.ArXiv'), 'v[0-9]+$', '')").alias("arxiv_id"),
        F.expr("lower(get_json_object(externalids, '$.DOI'))").alias("doi"),
        F.col("publicationdate").alias("publication_date"),
        "url",
        F.expr("array_join(array_sort(array_distinct(transform("
               "from_json(s2fieldsofstudy, 'array<struct<category:string>>'), x -> x.category))), ';')"
               ).alias("fields_of_study"),
        F.expr("array_join(from_json(publicationtypes, 'array<string>'), ';')").alias("publication_types"),
        "authors",
    )


def _citations(lines: _Lines) -> DataFrame:
    r = lines.parsed(sql.CITATION_COLUMNS)
    return r.select(
        "file", F.col("citingcorpusid").alias("citing"), F.col("citedcorpusid").alias("cited"),
        F.col("isinfluential").alias("infl"),
        # intents is a list, a list of lists (one per context) or null: every quoted string is an intent
        F.expr("""regexp_extract_all(intents, '"([^"]+)"', 1)""").alias("intents"),
    )


def _dedupe(raw: DataFrame) -> DataFrame:
    w = Window.partitionBy("corpus_id").orderBy(F.col("citation_count").desc_nulls_last(),
                                                F.col("title").asc_nulls_last())
    return (raw.where(F.col("corpus_id").isNotNull()).drop("file")
            .withColumn("_rank", F.row_number().over(w)).where("_rank = 1").drop("_rank")
            .withColumn("paper_id", F.coalesce("sha", F.concat(F.lit("CorpusId:"), F.col("corpus_id").cast("string")))))


def _collapse(raw: DataFrame, papers: DataFrame, summary: IngestSummary) -> DataFrame:
    """Distinct edges between known papers (counts of what was dropped or collapsed into the summary)."""
    valid = raw.where("citing IS NOT NULL AND cited IS NOT NULL")
    ids = papers.select("corpus_id", F.lit(True).alias("_known"))
    edges_all = (valid.where("citing <> cited").groupBy("citing", "cited")
                 .agg(F.expr("bool_or(infl)").alias("infl"),
                      F.expr("CASE WHEN count(intents) > 0 THEN "
                             "array_sort(array_distinct(flatten(collect_list(intents)))) END").alias("intents"))
                 .join(ids.withColumnRenamed("corpus_id", "citing").withColumnRenamed("_known", "_a"), "citing", "left")
                 .join(ids.withColumnRenamed("corpus_id", "cited").withColumnRenamed("_known", "_b"), "cited", "left")
                 .withColumn("_known", F.coalesce(F.col("_a") & F.col("_b"), F.lit(False)))
                 .drop("_a", "_b")
                 .localCheckpoint())
    distinct, known = edges_all.agg(F.count(F.lit(1)), F.count(F.when(F.col("_known"), 1))).first()
    summary.duplicate_citations = summary.citations_read - summary.self_citations - int(distinct)
    summary.unknown_citations = int(distinct - known)
    return edges_all.where("_known").drop("_known")


def _contains_any(col: str, words: list[str]) -> Column:
    return F.exists(F.array(*[F.lit(w) for w in words]), lambda w: F.lower(F.col(col)).contains(w))


def _candidates(papers: DataFrame, keys: identity.SeedKeys) -> pd.DataFrame:
    """The candidate test of :mod:`.identity`, as Spark column expressions."""
    tests = []
    if keys.arxiv:
        tests.append(_contains_any("arxiv_id", keys.arxiv))
    if keys.doi:
        tests.append(_contains_any("doi", keys.doi) | F.col("doi").contains("%"))
    if keys.titles:
        title = F.col("title").rlike(keys.unsafe_pattern)
        if keys.probes:
            words = F.split(F.lower(F.col("title")), identity.WORD_SPLIT)
            title = title | F.arrays_overlap(words, F.array(*[F.lit(p) for p in keys.probes]))
        tests.append(title)
    cols = [c.strip() for c in identity.CANDIDATE_COLUMNS.split(",")]
    if not tests:
        return pd.DataFrame(columns=cols)
    keep = F.lit(False)
    for t in tests:
        keep = keep | F.coalesce(t, F.lit(False))
    return papers.where(keep).select(*cols).toArrow().to_pandas()


def _expand(spark: SparkSession, edges: DataFrame, seeds: DataFrame, hops: int) -> tuple[DataFrame, list[int]]:
    """The seeds plus every paper within ``hops`` links (both directions); papers added per hop."""
    kept = seeds.select(F.col("corpus_id").alias("id")).distinct().localCheckpoint()
    frontier, added = kept, []
    for _ in range(hops):
        out = (edges.join(frontier.withColumnRenamed("id", "citing"), "citing", "left_semi")
               .select(F.col("cited").alias("id")))
        back = (edges.join(frontier.withColumnRenamed("id", "cited"), "cited", "left_semi")
                .select(F.col("citing").alias("id")))
        nxt = out.union(back).distinct().join(kept, "id", "left_anti").localCheckpoint()
        added.append(nxt.count())
        kept = kept.union(nxt).localCheckpoint()
        frontier = nxt
    return kept, added


def _texts(spark, role: str, files: list, stage: Path, papers: DataFrame, summary: IngestSummary) -> DataFrame:
    """One text per kept paper from ``abstracts`` / ``tldrs`` shards (the longest, then the smallest)."""
    text, columns = sql.TEXT_COLUMNS[role]
    lines = _Lines(spark, role, files, stage)
    raw = lines.parsed(columns).select("file", F.col("corpusid").alias("corpus_id"),
                                       F.expr(f"nullif({text}, '')").alias("text"))
    lines.record(raw, F.col("corpus_id").isNull(), summary)
    w = Window.partitionBy("corpus_id").orderBy(F.length("text").desc(), F.col("text").asc())
    out = (raw.where("text IS NOT NULL").join(papers.select("corpus_id"), "corpus_id", "left_semi")
           .withColumn("_rank", F.row_number().over(w)).where("_rank = 1").select("corpus_id", "text")
           .localCheckpoint())
    setattr(summary, role, out.count())
    return out


def _run(spark, inputs, keys, hops, summary, stage, pairs):
    texts = tuple(r for r in TEXT_ROLES if inputs.get(r))
    steps = 6 + (hops is not None) + len(texts) + bool(pairs)
    with progress("ingest: Spark", steps) as advance:
        plines = _Lines(spark, "papers", inputs["papers"], stage)
        praw = _papers(plines).persist()
        plines.record(praw, F.col("corpus_id").isNull(), summary)
        advance()
        clines = _Lines(spark, "citations", inputs["citations"], stage)
        craw = _citations(clines).persist()
        both = F.col("citing").isNotNull() & F.col("cited").isNotNull()
        n = clines.record(craw, ~both, summary, valid=both, loops=both & (F.col("citing") == F.col("cited")))
        summary.citations_read, summary.self_citations = n["valid"], n["loops"]
        advance()

        papers = _dedupe(praw).localCheckpoint()
        praw.unpersist()
        summary.duplicate_papers = summary.papers_read - papers.count()
        advance()
        edges = _collapse(craw, papers, summary)
        craw.unpersist()
        advance()

        hits = identity.match_candidates(_candidates(papers, keys), keys)
        summary.seeds_matched = len(hits)
        seeds = spark.createDataFrame(
            list(zip(hits["corpus_id"].astype("int64").tolist(), hits["seed_id"].tolist(), hits["ord"].tolist())),
            "corpus_id BIGINT, seed_id STRING, ord BIGINT")
        advance()
        if hops is not None:
            require_matched(hits, summary.seeds_total)
            kept, summary.hop_sizes = _expand(spark, edges, seeds, hops)
            papers = papers.join(kept.withColumnRenamed("id", "corpus_id"), "corpus_id", "left_semi").localCheckpoint()
            before = edges.count()
            ids = papers.select("corpus_id")
            edges = (edges.join(ids.withColumnRenamed("corpus_id", "citing"), "citing", "left_semi")
                     .join(ids.withColumnRenamed("corpus_id", "cited"), "cited", "left_semi").localCheckpoint())
            summary.outside_hops = before - edges.count()
            advance()

        text = {}
        for role in texts:
            text[role] = _texts(spark, role, inputs[role], stage, papers, summary)
            advance()

        citations = _citations_out(edges, papers).localCheckpoint()
        frames = {
            "papers": _sorted(_papers_out(papers, seeds, text), "papers", ["corpus_id"]),
            "citations": _sorted(citations, "citations", ["citing", "cited"]),
            "authorships": _sorted(_authorships_out(papers), "authorships", ["corpus_id", "position"]),
        }
        advance()
        if pairs:
            # Every kept edge joins two kept papers, so the citations alone define the pairs.
            summary.pairs = write_pairs(citations, pairs["out_dir"], kinds=pairs["kinds"], norm=pairs["norm"],
                        top_k=pairs["top_k"], spark=spark)
            advance()
    return frames, hits


def _sorted(df: DataFrame, name: str, keys: list[str]) -> pd.DataFrame:
    """Collect ``df`` (small: the kept papers) and sort it on the driver, as the DuckDB engine orders it.

    ``keys`` not in table ``name`` are dropped after sorting.
    """
    out = df.toArrow().sort_by([(k, "ascending") for k in keys])
    drop = [k for k in keys if k not in tables.columns(name)]
    return from_arrow(out.drop_columns(drop), name)


def _papers_out(papers: DataFrame, seeds: DataFrame, text: dict[str, DataFrame]) -> DataFrame:
    """``sql.papers_out``: seeds by list order, text from the shards (an abstract there wins)."""
    first_seed = seeds.groupBy("corpus_id").agg(F.expr("min_by(seed_id, ord)").alias("seed_id"))
    p = papers.join(first_seed, "corpus_id", "left")
    abstract = F.col("abstract")
    if "abstracts" in text:
        p = p.join(text["abstracts"].withColumnRenamed("text", "_abstract"), "corpus_id", "left")
        abstract = F.coalesce("_abstract", "abstract")
    tldr = F.lit(None).cast("string")
    if "tldrs" in text:
        p = p.join(text["tldrs"].withColumnRenamed("text", "_tldr"), "corpus_id", "left")
        tldr = F.col("_tldr")
    return p.select(
        "paper_id", "title", "year", "venue", abstract.alias("abstract"), "citation_count", "reference_count",
        "arxiv_id", "doi", F.col("seed_id").isNotNull().alias("is_seed"), "seed_id", "corpus_id",
        "publication_date", "url", tldr.alias("tldr"), "fields_of_study", "publication_types",
        "influential_citation_count", F.lit("ingest").alias("source"),
    )


def _citations_out(edges: DataFrame, papers: DataFrame) -> DataFrame:
    ids = papers.select("corpus_id", "paper_id")
    citing = ids.withColumnRenamed("corpus_id", "citing").withColumnRenamed("paper_id", "citing_id")
    return (edges.join(citing, "citing")
            .join(ids.withColumnRenamed("corpus_id", "cited").withColumnRenamed("paper_id", "cited_id"), "cited")
            .select("citing_id", "cited_id", F.col("infl").alias("is_influential"),
                    F.array_join("intents", ";").alias("intents"), F.lit("ingest").alias("source"), "citing", "cited"))


def _authorships_out(papers: DataFrame) -> DataFrame:
    """Authors in record order, positions from 1 (``sql.AUTHORSHIPS_OUT``)."""
    people = F.from_json("authors", "array<struct<authorId:string,name:string>>")
    return (papers.where(F.col("authors").isNotNull())
            .select("corpus_id", "paper_id", F.posexplode(people).alias("pos", "a"))
            .select("paper_id", F.col("a.authorId").alias("author_id"), F.col("a.name").alias("author_name"),
                    (F.col("pos") + 1).alias("position"), "corpus_id"))


__all__ = ["run"]
