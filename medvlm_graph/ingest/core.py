"""``ingest``: Semantic Scholar Datasets bulk files -> the fetched layer.

The result is the same set of files ``refresh`` writes
(``<data>/raw/fetched/{papers,citations,authorships,seeds}.parquet`` and
``provenance.json``), so ``build`` and every analysis run unchanged.

Paper ids: a paper's ``paper_id`` is its S2 paperId (the 40-hex sha) when the
record carries one (a ``paperid`` or ``sha`` key, or the ``url``
``https://www.semanticscholar.org/paper/<sha>`` that the S2 papers dataset
has), else ``CorpusId:<n>``. The citations table uses the same ids (citation
records only name corpus ids; they are mapped through the papers).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .. import io, tables
from ..errors import InputError, UsageError
from ..graphs.matrix import check_norm
from ..lock import data_lock
from ..log import logger, progress
from ..paths import DataPaths
from ..seeds import current_seeds
from ..spark.session import missing_pyspark
from . import duck, identity
from . import files as _files
from .summary import ROLES, IngestSummary, peak_rss_mb

PathsArg = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]

#: ``engine=``: DuckDB on one machine (default) or Spark (optional extra ``medvlm-graph[spark]``).
ENGINES = ("duckdb", "spark")
#: ``pairs=``: the pair tables a Spark ingest can count.
PAIR_KINDS = ("cocitation", "coupling")


def _seed_frame(seeds: Any, paths: DataPaths) -> pd.DataFrame:
    if seeds is None:
        seeds = current_seeds(paths)  # the chosen list, else the shipped snapshot
    elif isinstance(seeds, (str, os.PathLike)):
        seeds = io.read_parquet(seeds)
    if not isinstance(seeds, pd.DataFrame):
        raise InputError("seeds must be a seeds table (DataFrame) or a parquet file")
    return tables.conform(seeds, "seeds", require=("seed_id",))


def ingest(
    papers: PathsArg,
    citations: PathsArg,
    *,
    abstracts: PathsArg | None = None,
    tldrs: PathsArg | None = None,
    data_dir: str | os.PathLike[str] = "data",
    hops: int | None = None,
    seeds_only: bool = False,
    seeds: pd.DataFrame | str | os.PathLike[str] | None = None,
    engine: str = "duckdb",
    master: str | None = None,
    pairs: Iterable[str] | None = None,
    pair_norm: str = "raw",
    pair_top_k: int | None = None,
    memory_limit: str = "4GB",
    threads: int | None = None,
) -> IngestSummary:
    """Load S2 Datasets bulk JSONL(.gz) shards into the fetched layer (DuckDB or Spark).

    Parameters
    ----------
    papers, citations : path, glob, or list of them
        Shards of the S2 ``papers`` and ``citations`` datasets (JSON lines, gzip
        or not). Papers records: ``corpusid``, ``externalids``, ``title``,
        ``year``, ``authors``, ``venue``, ``citationcount``, ...; citations
        records: ``citingcorpusid``, ``citedcorpusid``, ``isinfluential``,
        ``intents``.
    abstracts, tldrs : path, glob, list of them, or None
        Shards of the S2 ``abstracts`` (``corpusid``, ``openaccessinfo``,
        ``abstract``) and ``tldrs`` (``corpusid``, ``model``, ``text``, which
        may be null) datasets: they fill ``abstract`` and ``tldr`` of the kept
        papers (an abstract from the shards wins over one in the paper record;
        of repeated records of one paper, the longest text).
    data_dir : path
        Data directory; writes ``raw/fetched/*.parquet`` and ``provenance.json``.
    hops : int or None
        ``None`` keeps every paper in the files; ``0`` only the matched seeds;
        ``N`` the seeds and every paper within N citation links of them (both
        directions). Citations are kept when both ends are kept.
    seeds_only : bool
        The same as ``hops=0`` (only the matched seeds); ``True`` with another ``hops`` is an error.
    seeds : DataFrame, parquet path or None
        The seed list (seeds table); ``None`` = ``seeds.current_seeds``. Seeds
        are matched by the identity rules of :mod:`medvlm_graph.ingest.identity`
        (arXiv id, DOI, normalised title); matched papers get ``is_seed``.
    engine : {"duckdb", "spark"}
        DuckDB on this machine (default), or a PySpark job (``pip install
        "medvlm-graph[spark]"`` and Java 17+). Same tables either way. Spark also
        reads cluster URLs (``s3a://``, ``hdfs://``).
    master : str or None
        Spark master URL (``local[4]``, ``spark://host:7077``, ``yarn``); default
        ``$MASTER`` or ``local[*]``. Spark only.
    pairs : iterable of {"cocitation", "coupling"}, or None
        Spark only: also count these pairs of the kept citations on Spark and
        write per-paper top-k pair tables to ``raw/fetched/pairs/<kind>.parquet``
        (:func:`medvlm_graph.spark.pairs.write_pairs`), for corpora whose pairs
        do not fit one machine's memory. A new ingest replaces or removes them.
    pair_norm : str
        Normalisation of the pair weights (:data:`medvlm_graph.graphs.matrix.NORMS`).
    pair_top_k : int or None
        Pairs kept per paper (union over both ends); ``None`` keeps every pair.
    memory_limit : str
        DuckDB ``memory_limit`` (it spills to a temporary directory beyond it).
    threads : int or None
        DuckDB worker threads (default: all cores).

    Returns
    -------
    IngestSummary

    Raises
    ------
    InputError
        A missing file, a file without one valid record, (with ``hops``) no
        seed matched, or for Spark a missing pyspark or Java.
    UsageError
        A negative ``hops``, an unknown engine, ``master`` or ``pairs`` without
        Spark, an unknown pair kind or norm.

    Examples
    --------
    >>> import gzip, json, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())  # synthetic two-paper corpus
    >>> with gzip.open(d / "p.jsonl.gz", "wt") as fh:
    ...     for i in (1, 2):
    ...         print(json.dumps({"corpusid": i, "title": f"Paper {i}", "year": 2020}), file=fh)
    >>> _ = (d / "c.jsonl").write_text(json.dumps({"citingcorpusid": 2, "citedcorpusid": 1}) + "\\n")
    >>> _ = (d / "t.jsonl").write_text(json.dumps({"corpusid": 2, "model": "tldr@v2.0.0", "text": "Short."}) + "\\n")
    >>> s = ingest(d / "p.jsonl.gz", d / "c.jsonl", tldrs=d / "t.jsonl", data_dir=d / "data",
    ...            seeds=tables.empty("seeds"))
    >>> s.papers, s.citations, s.tldrs
    (2, 1, 1)
    """
    start = time.perf_counter()
    if seeds_only:
        if hops not in (None, 0):
            raise UsageError("--seeds-only and --hops N exclude each other")
        hops = 0
    if hops is not None and (not isinstance(hops, int) or hops < 0):
        raise UsageError(f"hops must be a non-negative integer, got {hops!r}")
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if master is not None and engine != "spark":
        raise UsageError("--master is for --engine spark")
    pairs = tuple(dict.fromkeys(pairs or ()))
    if pairs and engine != "spark":
        raise UsageError("--pairs is for --engine spark (on one machine, build counts the pairs itself)")
    if pairs:
        _check_pairs(pairs, pair_norm, pair_top_k)
    given = {"papers": papers, "citations": citations, "abstracts": abstracts, "tldrs": tldrs}
    inputs = {role: _files.expand(given[role], role, urls=engine == "spark") if given[role] is not None else []
              for role in ROLES}
    paths = DataPaths(data_dir)
    seeds_df = _seed_frame(seeds, paths)
    keys = identity.seed_keys(seeds_df)
    summary = IngestSummary(hops=hops, engine=engine, seeds_total=len(seeds_df), out_dir=str(paths.fetched))

    paths.raw.mkdir(parents=True, exist_ok=True)
    with data_lock(paths, what="ingest"):
        if engine == "duckdb":
            frames, hits = duck.run(inputs, keys, hops, summary, work_dir=paths.raw,
                                    memory_limit=memory_limit, threads=threads)
            _write(paths, frames, seeds_df, hits, summary, start)
        else:
            staged = Path(tempfile.mkdtemp(prefix=".pairs-", dir=paths.raw)) if pairs else None
            try:
                frames, hits = _spark_engine().run(
                    inputs, keys, hops, summary, work_dir=paths.raw, master=master,
                    pairs=dict(kinds=pairs, norm=pair_norm, top_k=pair_top_k, out_dir=staged) if pairs else None)
                _write(paths, frames, seeds_df, hits, summary, start)
                if staged is not None:
                    staged.rename(paths.pairs)
            finally:
                if staged is not None:
                    shutil.rmtree(staged, ignore_errors=True)
    for line in summary.lines():
        logger.debug(line)
    return summary


def _check_pairs(kinds: tuple[str, ...], norm: str, top_k: int | None) -> None:
    unknown = [k for k in kinds if k not in PAIR_KINDS]
    if unknown:
        raise UsageError(f"unknown pair kind {unknown[0]!r}; choose from {', '.join(PAIR_KINDS)}")
    check_norm(norm)
    if top_k is not None and top_k < 1:
        raise UsageError(f"pair_top_k must be at least 1 (got {top_k})")


def _write(paths, frames, seeds_df, hits, summary, start) -> None:
    """The fetched layer (any old pair tables removed first: they describe the old corpus)."""
    shutil.rmtree(paths.pairs, ignore_errors=True)
    frames["seeds"] = _resolved_seeds(seeds_df, hits)
    summary.papers = len(frames["papers"])
    summary.citations = len(frames["citations"])
    summary.authorships = len(frames["authorships"])
    with progress("ingest: write fetched layer", 1) as advance:
        summary.seconds = round(time.perf_counter() - start, 2)
        summary.peak_rss_mb = round(peak_rss_mb(), 1)
        # provenance.json last: tables without it are an interrupted write.
        io.write_table_set({paths.fetched_table(n): frames[n]
                            for n in ("papers", "citations", "authorships", "seeds")},
                           paths.fetched / "provenance.json", _provenance(summary))
        advance()


def _spark_engine():
    """The Spark engine module; pyspark is an optional extra, so a missing one is a one-line error."""
    try:
        from . import spark
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in {"pyspark", "py4j"}:
            raise
        raise missing_pyspark() from None
    return spark


def _resolved_seeds(seeds_df: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    out = seeds_df.copy()
    hit = hits.set_index("seed_id").reindex(out["seed_id"].astype(object))
    out["paper_id"] = hit["paper_id"].to_numpy()
    out["match"] = hit["match"].fillna("none").to_numpy()
    out["match_score"] = hit["match"].notna().astype(float).to_numpy()
    out["match_reason"] = hit["reason"].map(lambda r: f"ingest: {r}", na_action="ignore").to_numpy()
    return tables.conform(out, "seeds")


def _provenance(summary: IngestSummary) -> dict[str, Any]:
    counts = {k: v for k, v in summary.as_dict().items()
              if k not in {"files", "hops", "hop_sizes", "out_dir", "seconds", "peak_rss_mb", "engine", "pairs"}}
    return {
        "source": "ingest",
        "engine": summary.engine,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "complete": True,
        "files": summary.files,
        "hops": summary.hops,
        "hop_sizes": summary.hop_sizes,
        "pairs": summary.pairs,
        "paper_id": "S2 paperId (sha) when the record has one, else CorpusId:<n>",
        "counts": counts,
        "seconds": summary.seconds,
        "peak_rss_mb": summary.peak_rss_mb,
    }


__all__ = ["ENGINES", "PAIR_KINDS", "IngestSummary", "ingest", "peak_rss_mb"]
