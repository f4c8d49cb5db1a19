"""Where everything lives under the data directory.

Layout (``--data-dir``, env ``MEDVLM_GRAPH_DATA_DIR``, default ``./data``)::

    data/raw/review_list.csv            shipped snapshot of the review list (facts)
    data/raw/review_list.provenance.json
    data/raw/seeds.parquet              the seed list chosen with `seeds --source` (else the snapshot)
    data/raw/s2/cache/ab/<sha256>.json  one file per API response (not committed)
    data/raw/s2/manifest.json           what the last refresh asked, found, failed
    data/raw/fetched/*.parquet          papers/citations/authorships/seeds from refresh or ingest
    data/processed/*.parquet            the contract tables written by ``build``
    data/processed/analysis/*.csv       analysis tables (trends, clusters, gaps, ...)
    data/processed/exports/             graph exports (GraphML, GEXF, CSV, VOSviewer JSON)
    data/processed/report/index.html    the report (and gaps.md)

When the data directory holds no snapshot (a user running the installed tool
from any directory), the copy shipped inside the package is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

ENV_DATA_DIR = "MEDVLM_GRAPH_DATA_DIR"
SNAPSHOT_NAME = "review_list.csv"
PROVENANCE_NAME = "review_list.provenance.json"


def default_data_dir() -> Path:
    """``$MEDVLM_GRAPH_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get(ENV_DATA_DIR) or "data")


def package_data(name: str) -> Path:
    """Path of a file shipped in ``medvlm_graph/data``."""
    return Path(str(resources.files("medvlm_graph") / "data" / name))


@dataclass(frozen=True)
class DataPaths:
    """Resolved locations under one data directory.

    Examples
    --------
    >>> p = DataPaths("/tmp/d")
    >>> p.processed.as_posix(), p.table("papers").name
    ('/tmp/d/processed', 'papers.parquet')
    """

    root: Path

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        object.__setattr__(self, "root", Path(root) if root is not None else default_data_dir())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def seed_list(self) -> Path:
        """The seed list chosen with ``medvlm-graph seeds --source`` (else the snapshot is used)."""
        return self.raw / "seeds.parquet"

    @property
    def analysis(self) -> Path:
        """Analysis tables written by ``trends``, ``clusters``, ``gaps`` and ``report``."""
        return self.processed / "analysis"

    @property
    def exports(self) -> Path:
        return self.processed / "exports"

    @property
    def s2(self) -> Path:
        return self.raw / "s2"

    @property
    def s2_cache(self) -> Path:
        return self.s2 / "cache"

    @property
    def manifest(self) -> Path:
        return self.s2 / "manifest.json"

    @property
    def fetched(self) -> Path:
        """Tables produced by ``refresh`` or ``ingest`` (input of ``build``)."""
        return self.raw / "fetched"

    def fetched_table(self, name: str) -> Path:
        return self.fetched / f"{name}.parquet"

    def table(self, name: str) -> Path:
        """A contract table written by ``build``."""
        return self.processed / f"{name}.parquet"

    @property
    def report_dir(self) -> Path:
        return self.processed / "report"

    @property
    def snapshot(self) -> Path:
        """The review-list snapshot: the data dir's copy if present, else the packaged one."""
        local = self.raw / SNAPSHOT_NAME
        return local if local.exists() else package_data(SNAPSHOT_NAME)

    @property
    def provenance(self) -> Path:
        local = self.raw / PROVENANCE_NAME
        return local if local.exists() else package_data(PROVENANCE_NAME)

    @property
    def lock(self) -> Path:
        return self.root / ".medvlm-graph.lock"
