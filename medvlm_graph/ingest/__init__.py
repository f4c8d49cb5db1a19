"""Bulk ingest of Semantic Scholar Datasets files (papers + citations JSONL) through DuckDB.

See :func:`ingest`. The output is the fetched layer that ``refresh`` also
writes, so ``build`` and the analyses run unchanged on an ingested corpus.
"""

from __future__ import annotations

from .core import IngestSummary, ingest, peak_rss_mb

__all__ = ["IngestSummary", "ingest", "peak_rss_mb"]
