"""The three analysis runs behind ``medvlm-graph trends | clusters | gaps`` (and the report).

Each ``run_*`` takes the contract tables, calls the ``compute_*`` functions, and returns an
:class:`AnalysisRun`: the result tables by file stem, the parts skipped with the reason, and (for
gaps) the ``gaps.md`` text. :func:`write_run` writes it under ``data/processed/analysis/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import io
from ..graphs.citation import citation_adjacency
from ..graphs.cooccurrence import coupling_adjacency
from ._frames import DIMENSIONS, reason, skipped
from .bursts import CITATION_BURST_COLUMNS, compute_bursts, compute_citation_bursts
from .centrality import CENTRALITY_COLUMNS, compute_centrality
from .clusters import (
    AGREEMENT_COLUMNS,
    GRAPH_ASSIGN_COLUMNS,
    SUMMARY_COLUMNS,
    compute_cluster_agreement,
    compute_graph_clusters,
    compute_text_clusters,
    compute_thematic_map,
    text_similarity_graph,
)
from .gapreport import render_gaps_markdown
from .gaps import (
    DEFAULT_PAIRS,
    compute_all_gaps,
    compute_gap_trends,
    compute_model_task_gaps,
)
from .missed import MISSED_COLUMNS, compute_missed_papers, select_missed
from .scope import DEFAULT_SCOPE, apply_scope
from .mainpath import PATH_COLUMNS, SPC_COLUMNS, compute_spc_and_main_path
from .trends import compute_growth, compute_model_adoption, compute_trends, models_from_taxonomy

#: Above this many papers the coupling graph keeps each paper's COUPLING_TOP_K strongest links.
COUPLING_TOP_K_ABOVE = 1000
COUPLING_TOP_K = 15


@dataclass
class AnalysisRun:
    """Result of one ``run_*``.

    Attributes
    ----------
    name : str
        ``trends``, ``clusters`` or ``gaps``.
    tables : dict of str to DataFrame
        File stem -> table (written as ``<stem>.csv`` and ``<stem>.parquet``).
    skipped : dict of str to str
        Part -> why it was skipped.
    notes : list of str
        Facts worth printing (chosen k, sampled betweenness, dropped cycle edges, ...).
    markdown : str or None
        ``gaps.md`` for the gaps run.
    shared : dict of str to DataFrame
        Results computed on the way that other outputs reuse, not written: ``missed_ranking`` (gaps
        run) is the complete missed-paper ranking, of which ``missed_papers`` is the top, and from
        which the report draws its candidates (:func:`~medvlm_graph.living.compute_candidates`).
    """

    name: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    markdown: str | None = None
    shared: dict[str, pd.DataFrame] = field(default_factory=dict)

    def add(self, stem: str, df: pd.DataFrame, part: str | None = None) -> pd.DataFrame:
        self.tables[stem] = df
        why = reason(df)
        if why and df.empty:
            self.skipped[part or stem] = why
        for key in ("note",):
            if df.attrs.get(key):
                self.notes.append(f"{part or stem}: {df.attrs[key]}")
        return df


def _scope(papers: pd.DataFrame, labels: pd.DataFrame, scope: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return apply_scope(papers, labels, scope=scope)


def _has_citations(citations: pd.DataFrame | None) -> bool:
    return citations is not None and len(citations) > 0


NO_CITATIONS = "no citations in the corpus (they come from `medvlm-graph refresh` or `ingest`)"


def run_trends(papers: pd.DataFrame, labels: pd.DataFrame, *, citations: pd.DataFrame | None = None,
               seeds: pd.DataFrame | None = None, taxonomy=None, dimensions: Sequence[str] = DIMENSIONS,
               min_score: float = 0.5, scope: str = DEFAULT_SCOPE, s: float = 2.0, gamma: float = 1.0,
               n_states: int = 2, window: tuple[int, int] | None = None, last: int | None = 3,
               as_of=None, include_partial: bool = False) -> AnalysisRun:
    """Trends, growth, label bursts, model adoption and citation bursts.

    Tables: ``trends`` (:func:`compute_trends`, all ``dimensions``), ``growth`` (over ``window``, else
    the ``last`` 3 complete years of each dimension's range; ``last=None`` = the full range; the year
    of ``as_of`` is partial and left out unless ``include_partial``, see :func:`compute_growth`),
    ``bursts``, ``model_adoption``, ``citation_bursts``.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["p1", "p2", "p3", "p4"], "year": [2020, 2021, 2022, 2023],
    ...                        "title": ["Chest X-ray report generation", "Radiology report generation",
    ...                                  "Polyp segmentation with SAM", "Endoscopy polyp segmentation"]})
    >>> labels = pd.DataFrame({"paper_id": papers["paper_id"], "dimension": "task",
    ...                        "label": ["report_generation"] * 2 + ["segmentation"] * 2})
    >>> run = run_trends(papers, labels, dimensions=["task"])
    >>> sorted(run.tables), run.skipped["citation bursts"]
    (['bursts', 'citation_bursts', 'growth', 'model_adoption', 'trends'], 'no citations in the corpus (they come from `medvlm-graph refresh` or `ingest`)')
    """
    run = AnalysisRun("trends")
    p, lab = _scope(papers, labels, scope)
    parts = [compute_trends(p, lab, d, min_score=min_score) for d in dimensions]
    for d, t in zip(dimensions, parts):
        if t.empty:
            run.skipped[f"trends by {d}"] = reason(t) or "no rows"
    full = [t for t in parts if len(t)]
    trends = pd.concat(full, ignore_index=True) if full else parts[0]
    run.add("trends", trends, "trends")
    run.add("growth", compute_growth(trends, window=window, last=last, as_of=as_of,
                                     include_partial=include_partial), "growth")
    run.add("bursts", compute_bursts(trends, s=s, gamma=gamma, n_states=n_states), "label bursts")
    models = models_from_taxonomy(taxonomy) if taxonomy is not None else None
    adoption = compute_model_adoption(p, lab, seeds, min_score=min_score, models=models)
    run.add("model_adoption", adoption, "model adoption")
    if _has_citations(citations):
        # citations among the papers in scope: the field's own attention, not the hubs' popularity
        cb = compute_citation_bursts(p, citations, s=s, gamma=gamma, n_states=n_states)
    else:
        cb = skipped(CITATION_BURST_COLUMNS, NO_CITATIONS)
    run.add("citation_bursts", cb, "citation bursts")
    return run


def run_clusters(papers: pd.DataFrame, labels: pd.DataFrame, *, citations: pd.DataFrame | None = None,
                 k: int | None = None, random_state: int = 0, resolution: float = 1.0, scope: str = DEFAULT_SCOPE,
                 min_score: float = 0.5, betweenness_k: int | None = None, main_path: str = "global",
                 s: float = 2.0, gamma: float = 1.0, pairs_dir: str | Path | None = None) -> AnalysisRun:
    """Text and graph clusters, agreement with the review's tasks, thematic map, centrality, main path.

    Tables: ``text_clusters``, ``text_cluster_summary``, ``graph_clusters`` and
    ``graph_cluster_summary`` (Louvain on bibliographic coupling, cosine-normalised; above 1000 papers
    each paper keeps its 15 strongest links),
    ``cluster_agreement`` (one row per clustering, column ``clustering``), ``thematic_map`` (on the
    graph clusters and the coupling graph when it has edges, else on the text clusters and a TF-IDF
    nearest-neighbour graph, column ``graph`` says which), ``centrality``, ``spc``, ``main_path``.
    ``pairs_dir`` (``raw/fetched/pairs``): coupling pairs counted on Spark stand in for counting when
    they were made with the same settings on the same papers (:func:`medvlm_graph.graphs.stored.read_pair_table`).
    ``scope="seeds"`` clusters the review's own papers; ``"all"`` every paper.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["d1", "d2", "e1", "e2"], "title": [
    ...     "Dermoscopy melanoma zero-shot", "Melanoma dermoscopy prompts", "Endoscopy polyp detection",
    ...     "Polyp endoscopy video"]})
    >>> labels = pd.DataFrame({"paper_id": papers["paper_id"], "dimension": "modality",
    ...                        "label": ["dermatology"] * 2 + ["endoscopy"] * 2})
    >>> run = run_clusters(papers, labels, k=2)  # no citations: the graph parts say why they are empty
    >>> run.tables["text_clusters"]["cluster"].tolist(), sorted(run.skipped)[:2]
    ([0, 0, 1, 1], ['centrality', 'cluster agreement'])
    """
    run = AnalysisRun("clusters")
    p, lab = _scope(papers, labels, scope)
    assign, summary = compute_text_clusters(p, k=k, random_state=random_state)
    run.add("text_clusters", assign, "text clusters")
    run.add("text_cluster_summary", summary, "text clusters")
    if len(summary):
        run.notes.append(f"text clusters: k = {summary.attrs['k']} (best mean cosine silhouette "
                         f"{summary.attrs['silhouette']:.3f} over k in {summary.attrs['k_tried']})")
    agreements = []
    if len(assign):
        agreements.append(compute_cluster_agreement(assign, lab, min_score=min_score).assign(clustering="text"))
    coupling = None
    if _has_citations(citations):
        # Large corpora: keep each paper's strongest links only (Louvain on a dense graph is slow).
        top_k = COUPLING_TOP_K if len(p) > COUPLING_TOP_K_ABOVE else None
        # the matrix form: no networkx graph of every pair (same clusters and thematic map)
        coupling = coupling_adjacency(citations, papers=p, norm="cosine", top_k=top_k, pairs_dir=pairs_dir)
        ga, gs = compute_graph_clusters(coupling, resolution=resolution, seed=random_state, papers=p)
    else:
        ga, gs = skipped(GRAPH_ASSIGN_COLUMNS, NO_CITATIONS), skipped(SUMMARY_COLUMNS, NO_CITATIONS)
    run.add("graph_clusters", ga, "graph clusters")
    run.add("graph_cluster_summary", gs, "graph clusters")
    if len(gs):
        run.notes.append(f"graph clusters: {len(gs)} Louvain communities, modularity {gs.attrs['modularity']:.3f}")
        agreements.append(compute_cluster_agreement(ga, lab, min_score=min_score).assign(clustering="graph"))
    agreements = [a for a in agreements if len(a)]
    if agreements:
        agree = pd.concat(agreements, ignore_index=True)
        agree = agree[["clustering"] + [c for c in agree.columns if c != "clustering"]]
    else:
        agree = skipped(["clustering", *AGREEMENT_COLUMNS], "no clustering with labelled papers")
    run.add("cluster_agreement", agree, "cluster agreement")
    if len(ga) and coupling is not None:
        tm = compute_thematic_map(ga, coupling).assign(graph="coupling")
    else:
        tm = compute_thematic_map(assign, text_similarity_graph(p)).assign(graph="text similarity")
    if tm.empty:
        tm.attrs["skipped"] = tm.attrs.get("skipped") or "no clusters"
    run.add("thematic_map", tm, "thematic map")
    if _has_citations(citations):
        # the matrix form: the nodes and edges of build_citation_graph, without a networkx object
        cites = citation_adjacency(papers, citations)
        cb = compute_citation_bursts(papers, citations, s=s, gamma=gamma)
        run.add("centrality", compute_centrality(cites, betweenness_k=betweenness_k, seed=random_state, bursts=cb),
                "centrality")
        spc, path = compute_spc_and_main_path(cites, method=main_path, papers=papers)  # one flow DAG for both
        run.add("spc", spc, "search path count")
        run.add("main_path", path, "main path")
    else:
        run.add("centrality", skipped(CENTRALITY_COLUMNS, NO_CITATIONS), "centrality")
        run.add("spc", skipped(SPC_COLUMNS, NO_CITATIONS), "search path count")
        run.add("main_path", skipped(PATH_COLUMNS, NO_CITATIONS), "main path")
    return run


def run_gaps(papers: pd.DataFrame, labels: pd.DataFrame, *, citations: pd.DataFrame | None = None,
             seeds: pd.DataFrame | None = None, taxonomy=None,
             pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS, min_score: float = 0.5,
             min_expected: float = 3.0, z: float = 1.96, recent: int = 2, scope: str = DEFAULT_SCOPE,
             source: str | None = None, top: int = 50) -> AnalysisRun:
    """Gap tables, chi-square tests, rising/stalled combinations, model-task gaps, missed papers, gaps.md.

    Tables: ``gaps``, ``gap_tests``, ``gap_trends``, ``model_task_gaps``, ``missed_papers``;
    ``run.markdown`` is ``gaps.md``. With a ``taxonomy``, labels nobody uses are listed too.
    ``run.shared["missed_ranking"]``: every missed paper (``missed_papers`` holds the ``top``).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [("g1", 2022, "vqa", "prompting"), ("g2", 2023, "vqa", "knowledge"),
    ...         ("g3", 2024, "synthesis", "fine_tuning")]
    >>> papers = pd.DataFrame([r[:2] for r in rows], columns=["paper_id", "year"])
    >>> labels = pd.DataFrame([(p, "task", t) for p, _, t, _ in rows] + [(p, "strategy", s) for p, _, _, s in rows],
    ...                       columns=["paper_id", "dimension", "label"])
    >>> run = run_gaps(papers, labels, pairs=[("task", "strategy")])
    >>> sorted(run.tables), int(run.tables["gaps"]["observed"].sum()), run.markdown.splitlines()[0]
    (['gap_tests', 'gap_trends', 'gaps', 'missed_papers', 'model_task_gaps'], 3, '# Research gaps')
    """
    pairs = list(pairs)
    run = AnalysisRun("gaps")
    p, lab = _scope(papers, labels, scope)
    levels = None
    if taxonomy is not None:
        levels = {d: list(taxonomy.label_ids(d)) for d in DIMENSIONS if taxonomy.label_ids(d)}
    cells, tests = compute_all_gaps(lab, pairs, min_score=min_score, min_expected=min_expected, z=z, levels=levels)
    run.add("gaps", cells, "gap tables")
    if len(cells) and cells.attrs.get("skipped"):
        run.skipped["gap tables (some pairs)"] = cells.attrs["skipped"]
    run.add("gap_tests", tests, "chi-square tests")
    trends = [compute_gap_trends(p, lab, a, b, recent=recent, min_score=min_score) for a, b in pairs]
    for (a, b), t in zip(pairs, trends):
        if t.empty:
            run.skipped[f"rising/stalled {a} x {b}"] = reason(t) or "no rows"
    full = [t for t in trends if len(t)]
    gt = pd.concat(full, ignore_index=True) if full else trends[0]
    run.tables["gap_trends"] = gt
    run.add("model_task_gaps", compute_model_task_gaps(lab, min_score=min_score), "model-task gaps")
    if _has_citations(citations):
        # the complete ranking once: the table is its top, the report's candidates come from all of it
        ranking = compute_missed_papers(papers, citations, seeds, labels=labels, top=None, min_score=min_score)
        run.shared["missed_ranking"] = ranking
        missed = select_missed(ranking, top=top)
    else:
        missed = skipped(MISSED_COLUMNS, "needs S2 data: " + NO_CITATIONS)
    run.add("missed_papers", missed, "papers the review may have missed")
    run.markdown = render_gaps_markdown(cells, tests=tests, gap_trends=gt if len(gt) else None,
                                        model_gaps=run.tables["model_task_gaps"], missed=missed, papers=papers,
                                        labels=lab, min_score=min_score, scope=scope,
                                        skipped=run.skipped, source=source, min_expected=min_expected, z=z)
    return run


def write_run(run: AnalysisRun, directory: str | Path) -> list[Path]:
    """Write every table as CSV and parquet (atomically) and ``gaps.md`` when present.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> run = AnalysisRun("demo")
    >>> _ = run.add("counts", pd.DataFrame({"label": ["vqa"], "n": [3]}))
    >>> [p.name for p in write_run(run, tempfile.mkdtemp())]
    ['counts.csv', 'counts.parquet']
    """
    directory = Path(directory)
    written = []
    for stem, df in run.tables.items():
        df = df.copy()
        df.attrs = {}
        written.append(io.write_csv(df, directory / f"{stem}.csv"))
        written.append(io.write_parquet(df, directory / f"{stem}.parquet"))
    if run.markdown is not None:
        written.append(io.atomic_write_text(directory / "gaps.md", run.markdown))
    return written
