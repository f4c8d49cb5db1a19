"""Bulk ingest of Semantic Scholar Datasets files (papers, citations, abstracts, TLDRs JSONL).

DuckDB on one machine (default) or Spark (``engine="spark"``, optional extra).

See :func:`ingest`. The output is the fetched layer that ``refresh`` also
writes, so ``build`` and the analyses run unchanged on an ingested corpus.
"""

from __future__ import annotations

from .core import ENGINES, ingest
from .summary import IngestSummary, peak_rss_mb

__all__ = ["ENGINES", "IngestSummary", "ingest", "peak_rss_mb"]
