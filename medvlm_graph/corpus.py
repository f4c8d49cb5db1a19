"""``Corpus``: the built tables, the taxonomy and the graphs, for notebooks.

Examples
--------
In a notebook::

    from medvlm_graph.corpus import Corpus
    corpus = Corpus.load("data")          # runs `build` first when the tables are missing
    corpus                                # summary (counts, citation layer, build time)
    corpus.papers.head()
    corpus.labels_wide()                  # one row per paper, a ;-joined column per dimension
    G = corpus.graph("cotopic")           # citation, cocitation, coupling, cotopic, labels, lineage, coauthor
    G = corpus.graph("cocitation", norm="salton", top_k=10)
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd

from . import tables
from .errors import DataError
from .io import interrupted, read_json, read_parquet
from .log import logger
from .freshness import FETCHED_FILES, changed_inputs, is_default_overrides, recorded_sources
from .paths import DataPaths
from .seeds.store import chosen_provenance_path
from .taxonomy import Taxonomy, load_taxonomy

GRAPH_NAMES = ("citation", "cocitation", "coupling", "cotopic", "labels", "lineage", "coauthor")
TABLE_NAMES = ("papers", "citations", "authorships", "seeds", "labels")


def stale_reason(paths: DataPaths) -> str | None:
    """Why the processed tables of ``paths`` must be built (again), or ``None`` when they are current.

    Tables are built when one is missing, when the last build was cut short, and when
    any input recorded in ``build.json`` differs from the file now (see
    :mod:`medvlm_graph.freshness`). Tables without ``build.json`` were written by hand
    and are used as they are, unless an input is newer than them.
    """
    from .build import read_build_info

    if not all(paths.table(n).exists() for n in TABLE_NAMES):
        return "tables missing"
    if interrupted(paths.build_info):
        return "the last build was interrupted"
    if not paths.build_info.exists():
        built = min(paths.table(n).stat().st_mtime for n in TABLE_NAMES)
        own = [paths.seed_list, paths.overrides, *(paths.fetched / n for n in FETCHED_FILES)]
        newer = [f for f in own if f.is_file() and f.stat().st_mtime > built]
        return f"inputs changed since the tables were written: {', '.join(f.name for f in newer)}" if newer else None
    changed = changed_inputs(paths, read_build_info(paths))
    return f"inputs changed since the last build: {', '.join(changed)}" if changed else None


def no_s2_data(info: dict[str, Any]) -> str:
    """Why a corpus built as ``info`` (its ``build.json``) has no Semantic Scholar data, and what to run.

    Only a build of the shipped snapshot alone is called "the shipped snapshot".

    Examples
    --------
    >>> no_s2_data({"mode": "snapshot", "seed_source": "snapshot data/raw/review_list.csv"})
    'the shipped snapshot has no Semantic Scholar data: run `medvlm-graph refresh` (or `ingest`)'
    >>> no_s2_data({"mode": "snapshot", "seed_source": "raw/seeds.parquet"})
    'nothing was fetched from Semantic Scholar for this seed list yet: run `medvlm-graph refresh` (or `ingest`)'
    >>> no_s2_data({"mode": "fetched"})
    'the fetched Semantic Scholar data holds none for these papers'
    """
    if info.get("mode") == "fetched":
        return "the fetched Semantic Scholar data holds none for these papers"
    if str(info.get("seed_source", "")).startswith("snapshot"):
        return "the shipped snapshot has no Semantic Scholar data: run `medvlm-graph refresh` (or `ingest`)"
    return "nothing was fetched from Semantic Scholar for this seed list yet: run `medvlm-graph refresh` (or `ingest`)"


class Corpus:
    """The contract tables of one data directory, as DataFrames.

    Attributes
    ----------
    papers, citations, labels, seeds, authorships : DataFrame
        Conformed to :mod:`medvlm_graph.tables`.
    taxonomy : Taxonomy
        The taxonomy the labels were built with.
    info : dict
        ``build.json`` of the build (counts, skipped items, taxonomy, time).
    data_dir : Path or None
    """

    def __init__(self, *, papers: pd.DataFrame, citations: pd.DataFrame, labels: pd.DataFrame,
                 seeds: pd.DataFrame, authorships: pd.DataFrame, taxonomy: Taxonomy | None = None,
                 info: dict[str, Any] | None = None, data_dir: str | os.PathLike[str] | None = None) -> None:
        self.papers = tables.conform(papers, "papers")
        self.citations = tables.conform(citations, "citations")
        self.labels = tables.conform(labels, "labels")
        self.seeds = tables.conform(seeds, "seeds")
        self.authorships = tables.conform(authorships, "authorships")
        self._taxonomy = taxonomy
        self.info = dict(info or {})
        self.data_dir = Path(data_dir) if data_dir is not None else None

    @classmethod
    def load(cls, data_dir: str | os.PathLike[str] | DataPaths = "data", *, rebuild: bool = False) -> Corpus:
        """Read the processed tables of ``data_dir``.

        ``build`` runs first when a table is missing, when ``rebuild`` is true,
        or when any input of the last build changed since, in either direction
        (the fetched layer, the chosen seed list appearing or removed, the snapshot,
        ``overrides.csv``, the taxonomy file; see :func:`stale_reason`). A rebuild
        keeps the taxonomy and overrides files of the previous build while they exist.
        """
        from .build import build, read_build_info

        paths = data_dir if isinstance(data_dir, DataPaths) else DataPaths(data_dir)
        why = "rebuild asked for" if rebuild else stale_reason(paths)
        if why is not None:
            if why != "tables missing":
                logger.info("%s; rebuilding", why)
            taxonomy, overrides = recorded_sources(read_build_info(paths))
            # A rebuild keeps the taxonomy and the overrides file of the previous build while they exist.
            taxonomy = taxonomy if taxonomy and Path(taxonomy).is_file() else None
            if overrides and (is_default_overrides(paths, overrides) or not Path(overrides).is_file()):
                overrides = None
            return build(paths, taxonomy=taxonomy, overrides=overrides)
        frames = {n: read_parquet(paths.table(n)) for n in TABLE_NAMES}
        return cls(**frames, info=read_build_info(paths), data_dir=paths.root)

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy of the build (the default one when its file is gone)."""
        if self._taxonomy is None:
            path = self.info.get("taxonomy")
            self._taxonomy = load_taxonomy(path if path and Path(path).exists() else None)
        return self._taxonomy

    @property
    def as_of(self) -> str | None:
        """When the data was collected (ISO date), so that its year can be treated as partial.

        The end of the Semantic Scholar fetch or ingest when there is one; else the date of the
        seed list: the snapshot's upstream commit, or when a list chosen with ``seeds --source``
        was read. ``None`` when unknown (analyses then take today).
        """
        fetched = self.info.get("fetched") or {}
        for key in ("finished_at", "started_at"):
            if fetched.get(key):
                return str(fetched[key])[:10]
        paths = DataPaths(self.data_dir) if self.data_dir is not None else None
        source = str(self.info.get("seed_source", ""))
        if paths is not None and source == "raw/seeds.parquet":
            prov, key = chosen_provenance_path(paths.seed_list), "read_at"
        elif source.startswith("snapshot"):
            prov, key = (paths or DataPaths()).provenance, "date"
        else:
            return None
        try:
            value = read_json(prov).get(key) if prov.exists() else None
        except DataError:
            return None
        return str(value)[:10] if value else None

    @property
    def has_citations(self) -> bool:
        """Whether the citation layer holds any edge (it is empty on the snapshot alone)."""
        return not self.citations.empty

    def graph(self, name: str, **kw):
        """Build graph ``name`` from the tables (see :func:`medvlm_graph.graphs.build_graph`).

        ``name`` is one of ``citation, cocitation, coupling, cotopic, labels, lineage, coauthor``;
        keyword arguments go to the builder (e.g. ``norm="salton", top_k=10``).
        """
        from .graphs import build_graph

        return build_graph(name, papers=self.papers, citations=self.citations, labels=self.labels,
                           authorships=self.authorships, **kw)

    def labels_wide(self) -> pd.DataFrame:
        """One row per paper (title, year, is_seed) and a ``;``-joined label column per dimension."""
        from .labels import labels_wide

        return labels_wide(self.labels, self.papers)

    def summary(self) -> dict[str, Any]:
        """Counts and state, as shown by ``repr``."""
        by_dim = self.labels.groupby("dimension")["paper_id"].nunique().to_dict() if len(self.labels) else {}
        return {
            "papers": len(self.papers),
            "seed papers": int(self.papers["is_seed"].fillna(False).sum()),
            "seeds": len(self.seeds),
            "citations": len(self.citations),
            "authorships": len(self.authorships),
            "labels": len(self.labels),
            "labelled papers": {d: int(n) for d, n in sorted(by_dim.items())},
            "built": self.info.get("built_at", "?"),
            "mode": self.info.get("mode", "?"),
        }

    def __repr__(self) -> str:
        s = self.summary()
        lines = [f"Corpus({self.data_dir or 'in memory'}; built {s['built']}, {s['mode']})",
                 f"  papers {s['papers']} ({s['seed papers']} seeds), seed rows {s['seeds']}",
                 f"  citations {s['citations']}, authorships {s['authorships']}",
                 f"  labels {s['labels']}: " + ", ".join(f"{d} {n} papers" for d, n in s["labelled papers"].items())]
        if not self.has_citations:
            lines.append("  citation layer empty: run `medvlm-graph refresh` or `ingest`, then `build`")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        s = self.summary()
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>"
            f"{html.escape(', '.join(f'{d}: {n}' for d, n in v.items()) if isinstance(v, dict) else str(v))}"
            "</td></tr>" for k, v in s.items())
        note = "" if self.has_citations else (
            "<p><em>Citation layer empty: run <code>medvlm-graph refresh</code> or <code>ingest</code>, "
            "then <code>build</code>.</em></p>")
        where = html.escape(str(self.data_dir or "in memory"))
        return f"<div><strong>Corpus</strong> <code>{where}</code><table>{rows}</table>{note}</div>"
