"""The ``build`` stage: seeds + fetched layer -> the contract tables and their labels.

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
from .io import interrupted, read_json, read_parquet, write_table_set
from .log import logger, progress
from .paths import DataPaths
from .seeds.groups import seed_groups
from .taxonomy import Taxonomy, default_taxonomy_path, load_taxonomy

BUILD_INFO = "build.json"
OVERRIDES_NAME = "overrides.csv"
EMPTY_CITATIONS = ("the citation layer is empty until `medvlm-graph refresh` or `medvlm-graph ingest` "
                   "fills data/raw/fetched")
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
        from .seeds import normalize_title

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
    from .seeds import current_seeds

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
    from .corpus import Corpus
    from .labels import label_papers_with_report
    from .lock import data_lock

    paths = data_dir if isinstance(data_dir, DataPaths) else DataPaths(data_dir)
    started = time.monotonic()
    skipped: list[str] = []
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    if overrides is None and (paths.root / OVERRIDES_NAME).exists():
        overrides = paths.root / OVERRIDES_NAME
    with data_lock(paths, what="build"), progress("build", 4) as advance:
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

        seeds, seed_papers, seed_stats = resolve_seeds(seeds, set(papers["paper_id"]))
        if seed_stats["dangling_resolutions"]:
            skipped.append(f"{seed_stats['dangling_resolutions']} seed row(s) resolved to a paper missing from "
                           "the fetched papers; kept as seed: papers")
        papers = _mark_seeds(papers, seeds)
        papers = pd.concat([p for p in (papers, seed_papers) if len(p)], ignore_index=True) \
            if len(papers) or len(seed_papers) else tables.empty("papers")
        papers = tables.conform(papers, "papers")
        advance()

        labels, label_report = label_papers_with_report(papers, seeds, citations=citations, taxonomy=tax,
                                                        overrides=overrides)
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
            "counts": {name: len(df) for name, df in out.items()},
            "seeds": seed_stats,
            "labels": label_report,
            "label_sources": {f"{d}/{s}": int(n) for (d, s), n in labels.groupby(["dimension", "source"]).size().items()},
            "citation_layer": EMPTY_CITATIONS if citations.empty else f"{len(citations)} citation edges",
            "skipped": skipped,
        }
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
    known = set(papers["paper_id"])

    citations = tables.empty("citations")
    if fetched["citations"] is not None:
        citations = tables.conform(fetched["citations"], "citations", require=("citing_id", "cited_id"))
        n = len(citations)
        citations = citations.dropna(subset=["citing_id", "cited_id"]).drop_duplicates(["citing_id", "cited_id"])
        if len(citations) < n:
            skipped.append(f"{n - len(citations)} citation row(s) without ids or duplicated")
        dangling = ~(citations["citing_id"].isin(known) & citations["cited_id"].isin(known))
        if dangling.any():
            skipped.append(f"{int(dangling.sum())} citation edge(s) whose paper is not in the fetched papers")
        citations = citations[~dangling].reset_index(drop=True)

    authorships = tables.empty("authorships")
    if fetched["authorships"] is not None:
        authorships = tables.conform(fetched["authorships"], "authorships", require=("paper_id",))
        n = len(authorships)
        authorships = authorships[authorships["paper_id"].isin(known)]
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
