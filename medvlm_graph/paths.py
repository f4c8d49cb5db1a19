"""Where everything lives under the data directory.

Layout (``--data-dir``, env ``MEDVLM_GRAPH_DATA_DIR``, default: see :func:`default_data_dir`)::

    data/raw/review_list.csv            shipped snapshot of the review list (facts)
    data/raw/review_list.provenance.json
    data/raw/seeds.parquet              the seed list chosen with `seeds --source` (else the snapshot)
    data/raw/s2/cache/ab/<sha256>.json  one file per API response (not committed)
    data/raw/s2/manifest.json           what the last refresh asked, found, failed
    data/raw/fetched/*.parquet          papers/citations/authorships/seeds from refresh or ingest
    data/overrides.csv                  manual label overrides (optional)
    data/processed/*.parquet            the contract tables written by ``build``
    data/processed/analysis/*.csv       analysis tables (trends, clusters, gaps, ...)
    data/processed/exports/             graph exports (GraphML, GEXF, CSV, VOSviewer JSON)
    data/processed/figures/             single figures written by `plot NAME`
    data/processed/report/index.html    the report (and gaps.md)

When the data directory holds no snapshot (a user running the installed tool
from any directory), the copy shipped inside the package is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError

ENV_DATA_DIR = "MEDVLM_GRAPH_DATA_DIR"
SNAPSHOT_NAME = "review_list.csv"
PROVENANCE_NAME = "review_list.provenance.json"
OVERRIDES_NAME = "overrides.csv"
BUILD_INFO_NAME = "build.json"


# Files that only a medvlm-graph data directory holds (an ancestor's data/ is used only with one).
_MARKERS = ("raw/" + SNAPSHOT_NAME, "raw/seeds.parquet", "raw/fetched", "processed/" + BUILD_INFO_NAME,
            ".medvlm-graph.lock")


def is_data_dir(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a medvlm-graph data directory (holds a snapshot, a chosen list, a build ...)."""
    p = Path(path)
    return p.is_dir() and any((p / m).exists() for m in _MARKERS)


def default_data_dir(start: str | os.PathLike[str] | None = None) -> Path:
    """The data directory used when none is given, by the command line and notebooks alike.

    In order: ``$MEDVLM_GRAPH_DATA_DIR``; ``./data`` when it exists; the ``data/``
    directory of the nearest parent folder that is a medvlm-graph data directory
    (so a notebook in ``notebooks/`` uses the project's ``data/``), given relative to
    ``start``; else ``./data`` (created on first use).

    Parameters
    ----------
    start : path, optional
        Where to look from (default: the current directory, and the result is relative to it).

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> project = pathlib.Path(tempfile.mkdtemp())
    >>> (project / "data" / "processed").mkdir(parents=True)
    >>> _ = (project / "data" / "processed" / "build.json").write_text("{}")
    >>> (project / "notebooks").mkdir()
    >>> saved = os.environ.pop(ENV_DATA_DIR, None)
    >>> default_data_dir(project / "notebooks") == project / "notebooks" / ".." / "data"
    True
    >>> default_data_dir(project) == project / "data"
    True
    >>> if saved is not None: os.environ[ENV_DATA_DIR] = saved
    """
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    here = Path(start) if start is not None else Path(".")
    if not (here / "data").exists():
        absolute = here.resolve()
        for parent in absolute.parents:
            if is_data_dir(parent / "data"):
                return here / os.path.relpath(parent / "data", absolute)
    return here / "data"


def check_data_dir(root: str | os.PathLike[str]) -> bool:
    """Whether the data directory ``root`` exists; it is created by the first write when it does not.

    Raises
    ------
    InputError
        ``root`` exists and is not a directory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> check_data_dir(tmp), check_data_dir(tmp / "new")
    (True, False)
    >>> _ = (tmp / "file").write_text("x")
    >>> check_data_dir(tmp / "file")
    Traceback (most recent call last):
    ...
    medvlm_graph.errors.InputError: data directory ...file is not a directory
    """
    p = Path(root)
    if p.is_dir():
        return True
    if p.exists() or p.is_symlink():
        raise InputError(f"data directory {p} is not a directory")
    return False


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
    def overrides(self) -> Path:
        """Manual label overrides, used by ``build`` when present."""
        return self.root / OVERRIDES_NAME

    @property
    def analysis(self) -> Path:
        """Analysis tables written by ``trends``, ``clusters``, ``gaps`` and ``report``."""
        return self.processed / "analysis"

    @property
    def exports(self) -> Path:
        return self.processed / "exports"

    @property
    def figures(self) -> Path:
        """Single figures written by ``medvlm-graph plot NAME`` (without ``--out``)."""
        return self.processed / "figures"

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

    @property
    def pairs(self) -> Path:
        """Co-citation and coupling pair tables counted on Spark (``ingest --engine spark --pairs``)."""
        return self.fetched / "pairs"

    @property
    def stored_pairs(self) -> Path | None:
        """:attr:`pairs` when an ingest wrote pair tables there, else ``None``."""
        return self.pairs if self.pairs.is_dir() else None

    def table(self, name: str) -> Path:
        """A contract table written by ``build``."""
        return self.processed / f"{name}.parquet"

    @property
    def build_info(self) -> Path:
        """What the last ``build`` did and read (``build.json``, next to the tables)."""
        return self.processed / BUILD_INFO_NAME

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
