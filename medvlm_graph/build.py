"""The ``build`` stage (seeds + fetched layer -> the contract tables and their labels) and its product, :class:`Corpus`.

Reads the seed list (:func:`medvlm_graph.seeds.current_seeds`) and, when
present, the fetched layer written by ``refresh`` or ``ingest``
(``<data>/raw/fetched/*.parquet`` + ``provenance.json``), and writes
``<data>/processed/{papers,citations,authorships,seeds,labels}.parquet`` plus
``<data>/processed/build.json`` (counts, what was skipped and why, taxonomy,
time). Every write is atomic.

Seeds that are the same paper (same arXiv id, DOI or normalised title)
collapse into one paper; every seed row points to it through
``seeds.paper_id``. Without fetched data each such group is one paper
``seed:<seed_id>`` (the first row's id) and the citation layer is empty; with
fetched data resolved seeds point to their Semantic Scholar paper and only the
unresolved groups become ``seed:`` papers.

Manual label overrides come from ``overrides=`` or, when not given, from
``<data>/overrides.csv`` if that file exists.

:class:`Corpus` lives here, next to the stage that makes it, because each needs the other:
:func:`build` returns one and :meth:`Corpus.load` runs :func:`build` when the tables are missing
or stale. Notebooks import it from :mod:`medvlm_graph.corpus`.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from . import tables
from .errors import DataError
from .freshness import FETCHED_FILES, build_inputs, changed_inputs, is_default_overrides, recorded_sources
from .graphs import build_graph
from .graphs._common import positions
from .io import interrupted, read_json, read_parquet, write_table_set
from .labels import label_papers_with_report, labels_wide, read_overrides
from .labels.rules import sharing_batches
from .lock import data_lock
from .log import logger, progress
from .history import keep_history
from .markup import esc
from .paths import BUILD_INFO_NAME, OVERRIDES_NAME, DataPaths
from .relevance import assign_relevance, compute_relevance, relevance_summary
from .seeds import current_seeds, normalize_title
from .seeds.groups import seed_groups
from .seeds.store import chosen_provenance_path, load_snapshot
from .taxonomy import Taxonomy, default_taxonomy_path, load_taxonomy

BUILD_INFO = BUILD_INFO_NAME
EMPTY_CITATIONS = ("the citation layer is empty until `medvlm-graph refresh` or `medvlm-graph ingest` "
                   "fetches citations")
OUTPUT_TABLES = ("papers", "citations", "authorships", "seeds", "labels")


def _present(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _first(values) -> Any:
    for v in values:
        if v is not None and not (isinstance(v, float) and v != v) and v is not pd.NA:
            if not isinstance(v, str) or v.strip():
                return v
    return None


def resolve_seeds(seeds: pd.DataFrame, known_papers: set[str]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Point every seed row to a paper; return (seeds, new ``seed:`` papers, stats).

    A group of seed rows that are the same paper takes the Semantic Scholar id
    of its resolved members (``paper_id`` in ``known_papers``); otherwise it
    becomes one paper ``seed:<seed_id of its first row>``.
    """
    seeds = seeds.reset_index(drop=True).copy()
    if "title_norm" in seeds.columns and seeds["title_norm"].isna().any():
        fill = seeds["title"].map(lambda t: normalize_title(t) or None if isinstance(t, str) else None)
        seeds["title_norm"] = seeds["title_norm"].fillna(fill.astype("string"))
    groups = seed_groups(seeds)
    stats = {"seed_rows": len(seeds), "resolved_rows": 0, "dangling_resolutions": 0, "seed_papers": 0,
             "collapsed_rows": 0}
    new_papers = []

    def col(name: str) -> list:
        return seeds[name].astype("object").where(seeds[name].notna(), None).tolist()

    pids = col("paper_id")
    # Plain lists: per-group .loc on pyarrow-backed frames is slow.
    values = {c: col(c) for c in ("seed_id", "title", "year_hint", "venue_hint", "arxiv_id", "doi", "url")}
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    for g, idx in members.items():
        resolved = [i for i in idx if _present(pids[i]) and pids[i] in known_papers]
        for i in idx:
            if _present(pids[i]) and pids[i] not in known_papers:
                stats["dangling_resolutions"] += 1
        stats["resolved_rows"] += len(resolved)
        stats["collapsed_rows"] += len(idx) - 1
        if resolved:
            anchor = pids[resolved[0]]
            for i in idx:
                if i not in resolved:
                    pids[i] = anchor
            continue
        rep = idx[0]
        pid = f"seed:{values['seed_id'][rep]}"
        for i in idx:
            pids[i] = pid
        first = {c: _first(values[c][i] for i in idx) for c in ("year_hint", "venue_hint", "arxiv_id", "doi", "url")}
        new_papers.append({
            "paper_id": pid,
            "title": values["title"][rep],
            "year": first["year_hint"],
            "venue": first["venue_hint"],
            "arxiv_id": first["arxiv_id"],
            "doi": first["doi"],
            "is_seed": True,
            "seed_id": values["seed_id"][rep],
            "url": first["url"],
            "source": "seed",
        })
        stats["seed_papers"] += 1
    seeds["paper_id"] = pd.array(pids, dtype="string")
    seeds["match"] = seeds["match"].fillna("none")
    papers = tables.conform(pd.DataFrame(new_papers), "papers") if new_papers else tables.empty("papers")
    return tables.conform(seeds, "seeds"), papers, stats


def _read_fetched(paths: DataPaths, skipped: list[str]) -> dict[str, Any] | None:
    """The fetched layer, or None when there is none."""
    if not paths.fetched_table("papers").exists():
        return None
    out: dict[str, Any] = {"papers": read_parquet(paths.fetched_table("papers"))}
    for name in ("citations", "authorships", "seeds"):
        p = paths.fetched_table(name)
        if p.exists():
            out[name] = read_parquet(p)
        else:
            out[name] = None
            skipped.append(f"fetched layer has no {name}.parquet")
    prov = paths.fetched / "provenance.json"
    if interrupted(prov):
        skipped.append("fetched layer was interrupted while being written (a killed refresh or ingest); "
                       "run it again")
    if prov.exists():
        out["provenance"] = read_json(prov)
        if out["provenance"].get("complete") is False:
            skipped.append("fetched layer is incomplete (the last refresh or ingest did not finish)")
    else:
        out["provenance"] = None
        skipped.append("fetched layer has no provenance.json")
    return out


def _current_seeds(paths: DataPaths) -> tuple[pd.DataFrame, str]:
    source = "raw/seeds.parquet" if paths.seed_list.exists() else f"snapshot {paths.snapshot}"
    return current_seeds(paths), source


def build(data_dir: str | os.PathLike[str] | DataPaths = "data", *,
          taxonomy: Taxonomy | str | os.PathLike[str] | None = None,
          overrides: str | os.PathLike[str] | pd.DataFrame | None = None):
    """Build the contract tables and labels under ``data_dir``; return the :class:`~medvlm_graph.corpus.Corpus`.

    Parameters
    ----------
    data_dir : path or DataPaths
    taxonomy : Taxonomy or path, optional
        Default: the shipped ``taxonomy.yaml``.
    overrides : path to a CSV or DataFrame, optional
        Manual label overrides; default ``<data>/overrides.csv`` when it exists.
    """
    paths = data_dir if isinstance(data_dir, DataPaths) else DataPaths(data_dir)
    started = time.monotonic()
    skipped: list[str] = []
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    if overrides is None and (paths.root / OVERRIDES_NAME).exists():
        overrides = paths.root / OVERRIDES_NAME
    with data_lock(paths, what="build"), progress("build", 4) as advance:
        # Taken before reading, so that an input changed during the build makes the next load rebuild.
        inputs = build_inputs(paths, taxonomy=tax.path,
                              overrides=None if isinstance(overrides, pd.DataFrame) else overrides)
        # Papers in the field (relevance) come before labels: only field papers get task labels.
        fetched = _read_fetched(paths, skipped)
        if fetched is not None and fetched["seeds"] is not None:
            seeds, seed_source = fetched["seeds"], "raw/fetched/seeds.parquet"
        else:
            seeds, seed_source = _current_seeds(paths)
        seeds = tables.conform(seeds, "seeds")
        if fetched is None:
            papers = tables.empty("papers")
            citations, authorships = tables.empty("citations"), tables.empty("authorships")
        else:
            papers, citations, authorships = _fetched_tables(fetched, skipped)
        advance()

        seeds, seed_papers, seed_stats = resolve_seeds(seeds, set(papers["paper_id"].tolist()))
        if seed_stats["dangling_resolutions"]:
            skipped.append(f"{seed_stats['dangling_resolutions']} seed row(s) resolved to a paper missing from "
                           "the fetched papers; kept as seed: papers")
        papers = _mark_seeds(papers, seeds)
        papers = pd.concat([p for p in (papers, seed_papers) if len(p)], ignore_index=True) \
            if len(papers) or len(seed_papers) else tables.empty("papers")
        papers = tables.conform(papers, "papers")
        advance()

        ov = None
        if overrides is not None:
            ov = overrides if isinstance(overrides, pd.DataFrame) else read_overrides(overrides, tax)
        with sharing_batches():  # relevance and labels match the same titles: once
            relevance = compute_relevance(papers, seeds, citations, taxonomy=tax, overrides=ov)
            papers = assign_relevance(papers, relevance)
            labels, label_report = label_papers_with_report(papers, seeds, citations=citations, taxonomy=tax,
                                                            overrides=ov, fallback_seeds=load_snapshot())
        skipped.extend(label_report.pop("skipped", []))
        advance()

        out = {"papers": papers, "citations": citations, "authorships": authorships, "seeds": seeds,
               "labels": labels}
        info = {
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(time.monotonic() - started, 2),
            "mode": "fetched" if fetched is not None else "snapshot",
            "seed_source": seed_source,
            "taxonomy": str(Path(tax.path).resolve()),
            "taxonomy_is_default": Path(tax.path).resolve() == default_taxonomy_path().resolve(),
            "overrides": (str(overrides) if not isinstance(overrides, pd.DataFrame) else "<DataFrame>")
            if overrides is not None else None,
            "fetched": fetched["provenance"] if fetched is not None else None,
            "inputs": inputs,
            "counts": {name: len(df) for name, df in out.items()},
            "seeds": seed_stats,
            "labels": label_report,
            "label_sources": {f"{d}/{s}": int(n) for (d, s), n in labels.groupby(["dimension", "source"]).size().items()},
            "relevance": relevance_summary(papers),
            "citation_layer": EMPTY_CITATIONS if citations.empty else f"{len(citations)} citation edges",
            "skipped": skipped,
        }
        # The build before this one stays readable for `medvlm-graph diff --since-last`.
        keep_history(paths)
        # A kill while the tables are written is detected by Corpus.load (io.interrupted), which rebuilds.
        write_table_set({paths.table(name): tables.conform(df, name) for name, df in out.items()},
                        paths.processed / BUILD_INFO, info)
        advance()
    if citations.empty:
        logger.info(EMPTY_CITATIONS)
    return Corpus(papers=out["papers"], citations=citations, labels=labels, seeds=seeds,
                  authorships=authorships, taxonomy=tax, info=info, data_dir=paths.root)


def _fetched_tables(fetched: dict[str, Any], skipped: list[str]):
    papers = tables.conform(fetched["papers"], "papers", require=("paper_id",))
    n = len(papers)
    papers = papers[papers["paper_id"].notna()].drop_duplicates("paper_id").reset_index(drop=True)
    if len(papers) < n:
        skipped.append(f"{n - len(papers)} fetched paper row(s) without id or duplicated")
    if papers["source"].isna().any():
        papers["source"] = papers["source"].fillna("s2")
    known = pd.Index(papers["paper_id"])  # distinct ids

    citations = tables.empty("citations")
    if fetched["citations"] is not None:
        citations = tables.conform(fetched["citations"], "citations", require=("citing_id", "cited_id"))
        n = len(citations)
        citations = citations.dropna(subset=["citing_id", "cited_id"])
        # Pairs of known papers are told apart by the papers' positions (integers, not strings); the
        # few edges with an unknown paper (dropped, but counted once each) by their ids.
        ci, cj = positions(citations["citing_id"], known), positions(citations["cited_id"], known)
        inside = (ci >= 0) & (cj >= 0)
        repeated = pd.Series(ci[inside] * len(known) + cj[inside]).duplicated().to_numpy()
        dangling = len(citations[~inside].drop_duplicates(["citing_id", "cited_id"]))
        distinct = int((~repeated).sum()) + dangling  # rows drop_duplicates would keep
        if distinct < n:
            skipped.append(f"{n - distinct} citation row(s) without ids or duplicated")
        if dangling:
            skipped.append(f"{dangling} citation edge(s) whose paper is not in the fetched papers")
        keep = inside.copy()
        keep[inside] = ~repeated
        citations = citations[keep].reset_index(drop=True)

    authorships = tables.empty("authorships")
    if fetched["authorships"] is not None:
        authorships = tables.conform(fetched["authorships"], "authorships", require=("paper_id",))
        n = len(authorships)
        authorships = authorships[positions(authorships["paper_id"], known) >= 0]
        authorships = authorships.drop_duplicates(["paper_id", "author_id", "author_name", "position"])
        if len(authorships) < n:
            skipped.append(f"{n - len(authorships)} authorship row(s) duplicated or of unknown papers")
        authorships = authorships.reset_index(drop=True)
    return papers, citations, authorships


def _mark_seeds(papers: pd.DataFrame, seeds: pd.DataFrame) -> pd.DataFrame:
    """Set ``is_seed``/``seed_id`` on fetched papers that seeds point to."""
    if papers.empty:
        return papers
    first_seed = seeds.dropna(subset=["paper_id"]).drop_duplicates("paper_id").set_index("paper_id")["seed_id"]
    hit = papers["paper_id"].isin(first_seed.index)
    papers = papers.copy()
    papers["is_seed"] = (papers["is_seed"].fillna(False) | hit).astype("boolean")
    papers["seed_id"] = papers["seed_id"].fillna(papers["paper_id"].map(first_seed).astype("string"))
    return papers


def read_build_info(data_dir: str | os.PathLike[str] | DataPaths = "data") -> dict:
    """The ``build.json`` of the last build (``{}`` when there is none)."""
    paths = data_dir if isinstance(data_dir, DataPaths) else DataPaths(data_dir)
    p = paths.processed / BUILD_INFO
    if not p.exists():
        return {}
    info = read_json(p)
    if not isinstance(info, dict):
        raise DataError(f"corrupt build info {p}")
    return info


# --------------------------------------------------------------------------------- the built corpus

GRAPH_NAMES = ("citation", "cocitation", "coupling", "cotopic", "labels", "lineage", "coauthor")
TABLE_NAMES = ("papers", "citations", "authorships", "seeds", "labels")


def stale_reason(paths: DataPaths) -> str | None:
    """Why the processed tables of ``paths`` must be built (again), or ``None`` when they are current.

    Tables are built when one is missing, when the last build was cut short, and when
    any input recorded in ``build.json`` differs from the file now (see
    :mod:`medvlm_graph.freshness`). Tables without ``build.json`` were written by hand
    and are used as they are, unless an input is newer than them.
    """
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
        if name in ("cocitation", "coupling") and self.data_dir is not None and "pairs_dir" not in kw:
            stored = DataPaths(self.data_dir).stored_pairs
            if stored is not None:  # pair tables counted on Spark (ingest --pairs), used when they fit
                kw["pairs_dir"] = stored
        return build_graph(name, papers=self.papers, citations=self.citations, labels=self.labels,
                           authorships=self.authorships, **kw)

    def labels_wide(self) -> pd.DataFrame:
        """One row per paper (title, year, is_seed) and a ``;``-joined label column per dimension."""
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
            f"<tr><th style='text-align:left'>{esc(k)}</th><td style='text-align:left'>"
            f"{esc(', '.join(f'{d}: {n}' for d, n in v.items()) if isinstance(v, dict) else str(v))}"
            "</td></tr>" for k, v in s.items())
        note = "" if self.has_citations else (
            "<p><em>Citation layer empty: run <code>medvlm-graph refresh</code> or <code>ingest</code>, "
            "then <code>build</code>.</em></p>")
        where = esc(str(self.data_dir or "in memory"))
        return f"<div><strong>Corpus</strong> <code>{where}</code><table>{rows}</table>{note}</div>"
