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
import resource
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .. import io, tables
from ..errors import InputError, UsageError
from ..lock import data_lock
from ..log import logger, progress
from ..paths import DataPaths
from . import files as _files
from . import sql

PathsArg = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


@dataclass
class IngestSummary:
    """What an ingest read, dropped and wrote.

    Attributes
    ----------
    papers, citations, authorships : int
        Rows written to the fetched layer.
    seeds_total, seeds_matched : int
        Rows of the seed list, and how many were matched to a paper.
    hops : int or None
        ``None`` = every paper kept; ``0`` = seeds only; ``N`` = seeds + N hops.
    abstracts, tldrs : int
        Kept papers given an abstract / a TLDR by the ``abstracts`` / ``tldrs``
        shards (0 when none were given).
    papers_read, citations_read, abstracts_read, tldrs_read : int
        Valid records read (a key present and of the right type).
    malformed_papers, malformed_citations, malformed_abstracts, malformed_tldrs : int
        Lines that were not a JSON object with the key(s) (kept out, reported).
    duplicate_papers, duplicate_citations : int
        Repeated corpus ids / (citing, cited) pairs collapsed into one.
    self_citations : int
        Records citing themselves (dropped).
    unknown_citations : int
        Distinct edges with an endpoint absent from the paper files (dropped).
    outside_hops : int
        Edges between known papers dropped because an end is outside the hops.
    hop_sizes : list of int
        Papers added at each hop.
    files : list of dict
        ``{"role", "path", "lines", "malformed"}`` per input file.
    seconds, peak_rss_mb : float
        Wall time and the process's peak resident memory (MiB) at the end.
    out_dir : str
        The fetched-layer directory written.
    """

    papers: int = 0
    citations: int = 0
    authorships: int = 0
    abstracts: int = 0
    tldrs: int = 0
    seeds_total: int = 0
    seeds_matched: int = 0
    hops: int | None = None
    papers_read: int = 0
    citations_read: int = 0
    malformed_papers: int = 0
    malformed_citations: int = 0
    abstracts_read: int = 0
    tldrs_read: int = 0
    malformed_abstracts: int = 0
    malformed_tldrs: int = 0
    duplicate_papers: int = 0
    duplicate_citations: int = 0
    self_citations: int = 0
    unknown_citations: int = 0
    outside_hops: int = 0
    hop_sizes: list[int] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    out_dir: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """Short human summary (printed by the CLI)."""
        scope = "all papers" if self.hops is None else (
            "seeds only" if self.hops == 0 else f"seeds + {self.hops} hop(s)")
        return [
            f"Read {self.papers_read:,} papers ({self.malformed_papers:,} malformed lines, "
            f"{self.duplicate_papers:,} duplicates) and {self.citations_read:,} citations "
            f"({self.malformed_citations:,} malformed lines, {self.duplicate_citations:,} duplicates, "
            f"{self.self_citations:,} self-citations, {self.unknown_citations:,} to unknown papers) "
            f"from {len(self.files)} file(s).",
            f"Seeds matched: {self.seeds_matched}/{self.seeds_total}; kept {scope}: "
            f"{self.papers:,} papers, {self.citations:,} citations, {self.authorships:,} authorships"
            + (f" ({self.outside_hops:,} edges outside the hops dropped)." if self.hops is not None else "."),
            *([f"Text: {self.abstracts_read:,} abstracts ({self.malformed_abstracts:,} malformed lines) and "
               f"{self.tldrs_read:,} TLDRs ({self.malformed_tldrs:,} malformed lines) read; "
               f"{self.abstracts:,} kept papers got an abstract, {self.tldrs:,} a TLDR."]
              if any(f["role"] in TEXT_ROLES for f in self.files) else []),
            f"Wrote {self.out_dir} in {self.seconds:.1f} s (peak memory {self.peak_rss_mb:,.0f} MiB).",
        ]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux ``ru_maxrss`` is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _seed_frame(seeds: Any, paths: DataPaths) -> pd.DataFrame:
    if seeds is None:
        from ..seeds import current_seeds  # the chosen list, else the shipped snapshot

        seeds = current_seeds(paths)
    elif isinstance(seeds, (str, os.PathLike)):
        seeds = io.read_parquet(seeds)
    if not isinstance(seeds, pd.DataFrame):
        raise InputError("seeds must be a seeds table (DataFrame) or a parquet file")
    return tables.conform(seeds, "seeds", require=("seed_id",))


def _pandas(con: duckdb.DuckDBPyConnection, query: str, name: str) -> pd.DataFrame:
    """Run ``query`` into an Arrow table, then a frame conformed to table ``name``."""
    mapping = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(),
               pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    arrow = con.sql(query).to_arrow_table()
    df = arrow.to_pandas(types_mapper=mapping.get)
    del arrow
    return tables.conform(df, name)


def ingest(
    papers: PathsArg,
    citations: PathsArg,
    *,
    data_dir: str | os.PathLike[str] = "data",
    hops: int | None = None,
    seeds: pd.DataFrame | str | os.PathLike[str] | None = None,
    memory_limit: str = "4GB",
    threads: int | None = None,
) -> IngestSummary:
    """Load S2 Datasets bulk JSONL(.gz) shards into the fetched layer through DuckDB.

    Parameters
    ----------
    papers, citations : path, glob, or list of them
        Shards of the S2 ``papers`` and ``citations`` datasets (JSON lines, gzip
        or not). Papers records: ``corpusid``, ``externalids``, ``title``,
        ``year``, ``authors``, ``venue``, ``citationcount``, ...; citations
        records: ``citingcorpusid``, ``citedcorpusid``, ``isinfluential``,
        ``intents``.
    data_dir : path
        Data directory; writes ``raw/fetched/*.parquet`` and ``provenance.json``.
    hops : int or None
        ``None`` keeps every paper in the files; ``0`` only the matched seeds;
        ``N`` the seeds and every paper within N citation links of them (both
        directions). Citations are kept when both ends are kept.
    seeds : DataFrame, parquet path or None
        The seed list (seeds table); ``None`` = ``seeds.current_seeds``. Seeds
        are matched by arXiv id (versions stripped), DOI (case-insensitive),
        then normalised title; matched papers get ``is_seed``.
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
        A missing file, a file without one valid record, or (with ``hops``) no
        seed matched.
    UsageError
        A negative ``hops``.

    Examples
    --------
    >>> import gzip, json, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())  # synthetic two-paper corpus
    >>> with gzip.open(d / "p.jsonl.gz", "wt") as fh:
    ...     for i in (1, 2):
    ...         print(json.dumps({"corpusid": i, "title": f"Paper {i}", "year": 2020}), file=fh)
    >>> _ = (d / "c.jsonl").write_text(json.dumps({"citingcorpusid": 2, "citedcorpusid": 1}) + "\\n")
    >>> s = ingest(d / "p.jsonl.gz", d / "c.jsonl", data_dir=d / "data", seeds=tables.empty("seeds"))
    >>> s.papers, s.citations
    (2, 1)
    """
    start = time.perf_counter()
    if hops is not None and (not isinstance(hops, int) or hops < 0):
        raise UsageError(f"hops must be a non-negative integer, got {hops!r}")
    paper_files = _files.expand(papers, "papers")
    citation_files = _files.expand(citations, "citations")
    paths = DataPaths(data_dir)
    seeds_df = _seed_frame(seeds, paths)
    summary = IngestSummary(hops=hops, seeds_total=len(seeds_df), out_dir=str(paths.fetched))

    paths.raw.mkdir(parents=True, exist_ok=True)
    with data_lock(paths, what="ingest"):
        return _locked(paper_files, citation_files, paths, seeds_df, hops, summary, start,
                       memory_limit, threads)


def _locked(paper_files, citation_files, paths, seeds_df, hops, summary, start, memory_limit, threads):
    work = Path(tempfile.mkdtemp(prefix=".ingest-", dir=paths.raw))
    try:
        # In-memory database with a spill directory: beyond memory_limit DuckDB
        # evicts table blocks and operator state to disk instead of failing
        # (out of core). An on-disk database file was ~2x slower here.
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET memory_limit = '{memory_limit}'")
            con.execute(f"SET temp_directory = '{work / 'spill'}'")
            con.execute("SET preserve_insertion_order = false")
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            con.execute(sql.MACROS)
            frames = _run(con, paper_files, citation_files, seeds_df, hops, summary)
        except duckdb.Error as exc:
            raise InputError(f"cannot read the bulk files: {str(exc).splitlines()[0]}") from exc
        finally:
            con.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    with progress("ingest: write fetched layer", 1) as advance:
        summary.seconds = round(time.perf_counter() - start, 2)
        summary.peak_rss_mb = round(peak_rss_mb(), 1)
        # provenance.json last: tables without it are an interrupted write.
        io.write_table_set({paths.fetched_table(n): frames[n] for n in ("papers", "citations", "authorships", "seeds")},
                           paths.fetched / "provenance.json", _provenance(summary))
        advance()
    for line in summary.lines():
        logger.debug(line)
    return summary


def _run(con, paper_files, citation_files, seeds_df, hops, summary) -> dict[str, pd.DataFrame]:
    steps = 6 if hops is None else 7
    with progress("ingest: DuckDB", steps) as advance:
        sql.load_papers(con, _files.by_compression(paper_files))
        _check_files(con, "papers_raw", "corpus_id IS NULL", "papers", paper_files, summary)
        advance()
        sql.load_citations(con, _files.by_compression(citation_files))
        _check_files(con, "citations_raw", "citing IS NULL OR cited IS NULL", "citations",
                     citation_files, summary)
        advance()

        sql.dedupe_papers(con)
        distinct = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
        summary.duplicate_papers = summary.papers_read - int(distinct)
        advance()
        counts = sql.collapse_edges(con)
        for key, value in counts.items():
            setattr(summary, key, value)
        advance()

        seed_cols = seeds_df[["seed_id", "arxiv_id", "doi", "title"]].astype(object).copy()
        seed_cols["ord"] = range(len(seed_cols))
        con.register("seeds_in", seed_cols)
        sql.match_seeds(con)
        hits = con.execute(
            "SELECT seed_id, paper_id, match, reason FROM seed_hits").fetchdf().set_index("seed_id")
        summary.seeds_matched = len(hits)
        advance()
        if hops is not None:
            if not len(hits):
                raise InputError(
                    f"no seed matched a paper in the files ({len(seeds_df)} seeds)",
                    hint="check the seed list, or ingest every paper without --hops/--seeds-only")
            summary.hop_sizes = sql.expand_hops(con, hops)
            summary.outside_hops = sql.restrict_to_kept(con)
            advance()

        frames = {
            "papers": _pandas(con, sql.PAPERS_OUT, "papers"),
            "citations": _pandas(con, sql.CITATIONS_OUT, "citations"),
            "authorships": _pandas(con, sql.AUTHORSHIPS_OUT, "authorships"),
            "seeds": _resolved_seeds(seeds_df, hits),
        }
        advance()
    summary.papers = len(frames["papers"])
    summary.citations = len(frames["citations"])
    summary.authorships = len(frames["authorships"])
    return frames


def _check_files(con, table, bad, role, paths, summary) -> None:
    """Record lines/malformed per file; a file without one valid record is an input error."""
    counts = sql.file_counts(con, table, bad)
    for p in paths:
        lines, malformed = counts.get(str(p), (0, 0))
        if lines - malformed <= 0:
            raise InputError(f"{role} file {p} has no valid record ({lines} line(s), {malformed} malformed)")
        summary.files.append({"role": role, "path": str(p), "lines": lines, "malformed": malformed})
        if role == "papers":
            summary.malformed_papers += malformed
            summary.papers_read += lines - malformed
        else:
            summary.malformed_citations += malformed
        if malformed:
            logger.warning(f"{p}: {malformed:,} malformed line(s) of {lines:,} skipped")


def _resolved_seeds(seeds_df: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    out = seeds_df.copy()
    hit = hits.reindex(out["seed_id"].astype(object))
    out["paper_id"] = hit["paper_id"].to_numpy()
    out["match"] = hit["match"].fillna("none").to_numpy()
    out["match_score"] = hit["match"].notna().astype(float).to_numpy()
    out["match_reason"] = hit["reason"].map(lambda r: f"ingest: {r}", na_action="ignore").to_numpy()
    return tables.conform(out, "seeds")


def _provenance(summary: IngestSummary) -> dict[str, Any]:
    counts = {k: v for k, v in summary.as_dict().items()
              if k not in {"files", "hops", "hop_sizes", "out_dir", "seconds", "peak_rss_mb"}}
    return {
        "source": "ingest",
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "complete": True,
        "files": summary.files,
        "hops": summary.hops,
        "hop_sizes": summary.hop_sizes,
        "paper_id": "S2 paperId (sha) when the record has one, else CorpusId:<n>",
        "counts": counts,
        "seconds": summary.seconds,
        "peak_rss_mb": summary.peak_rss_mb,
    }


__all__ = ["IngestSummary", "ingest", "peak_rss_mb"]
