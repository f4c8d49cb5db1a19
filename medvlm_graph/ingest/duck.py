"""The DuckDB engine of :func:`medvlm_graph.ingest.ingest` (one machine, out of core).

The statements are in :mod:`.sql`; this module runs them in order, fills the
summary and hands the kept tables back as frames.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import InputError
from ..log import progress
from . import files as _files
from . import identity, sql
from .frames import from_arrow
from .summary import TEXT_ROLES, IngestSummary, record_files, require_matched


def _pandas(con: duckdb.DuckDBPyConnection, query: str, name: str) -> pd.DataFrame:
    """Run ``query`` into an Arrow table, then a frame conformed to table ``name``."""
    return from_arrow(con.sql(query).to_arrow_table(), name)


def run(inputs: dict[str, list[Path]], keys: identity.SeedKeys, hops: int | None, summary: IngestSummary,
        *, work_dir: Path, memory_limit: str = "4GB", threads: int | None = None
        ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Select and shape the fetched tables; returns ``(frames, seed hits)``.

    ``frames`` holds papers, citations and authorships; the hits are
    :func:`.identity.match_candidates`'s table.
    """
    work = Path(tempfile.mkdtemp(prefix=".ingest-", dir=work_dir))
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
            return _run(con, inputs, keys, hops, summary)
        except duckdb.Error as exc:
            raise InputError(f"cannot read the bulk files: {str(exc).splitlines()[0]}") from exc
        finally:
            con.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(con, inputs, keys, hops, summary):
    texts = tuple(r for r in TEXT_ROLES if inputs.get(r))
    steps = 6 + (hops is not None) + len(texts)
    with progress("ingest: DuckDB", steps) as advance:
        sql.load_papers(con, _files.by_compression(inputs["papers"]))
        record_files(summary, "papers", inputs["papers"], sql.file_counts(con, "papers_raw", "corpus_id IS NULL"))
        advance()
        sql.load_citations(con, _files.by_compression(inputs["citations"]))
        record_files(summary, "citations", inputs["citations"],
                     sql.file_counts(con, "citations_raw", "citing IS NULL OR cited IS NULL"))
        advance()

        sql.dedupe_papers(con)
        distinct = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
        summary.duplicate_papers = summary.papers_read - int(distinct)
        advance()
        for key, value in sql.collapse_edges(con).items():
            setattr(summary, key, value)
        advance()

        hits = identity.match_candidates(sql.seed_candidates(con, keys), keys)
        con.register("seed_hits", hits)
        summary.seeds_matched = len(hits)
        advance()
        if hops is not None:
            require_matched(hits, summary.seeds_total)
            summary.hop_sizes = sql.expand_hops(con, hops)
            summary.outside_hops = sql.restrict_to_kept(con)
            advance()

        # Text of the kept papers only: read after the selection.
        for role in texts:
            sql.load_texts(con, role, _files.by_compression(inputs[role]))
            record_files(summary, role, inputs[role], sql.file_counts(con, f"{role}_raw", "corpus_id IS NULL"))
            sql.collapse_texts(con, role)
            setattr(summary, role, int(con.execute(f"SELECT count(*) FROM {role}").fetchall()[0][0]))
            advance()

        frames = {
            "papers": _pandas(con, sql.papers_out(texts), "papers"),
            "citations": _pandas(con, sql.CITATIONS_OUT, "citations"),
            "authorships": _pandas(con, sql.AUTHORSHIPS_OUT, "authorships"),
        }
        con.unregister("seed_hits")
        advance()
    return frames, hits


__all__ = ["run"]
