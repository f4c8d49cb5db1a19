"""``write_report``: everything (build, analyses, figures) into one self-contained HTML page.

The page works offline: plotly.js is inlined once in the head, figures are
plain ``<div>`` + ``Plotly.newPlot`` calls, tables are sorted by a few lines of
inline JavaScript. Sections that need Semantic Scholar data say so instead of
showing empty plots; an analysis this version cannot run is reported as
"not available" rather than faked.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from plotly.offline import get_plotlyjs

from .. import analysis, graphs, viz
from ..corpus import Corpus
from ..errors import MedvlmError
from ..io import atomic_write_text, write_csv
from ..log import logger
from ..markup import esc, markdown_to_html
from ..paths import DataPaths
from ..analysis import start_analyses
from ..seeds import current_provenance
from .indicators import indicator_sections
from .page import Section, figure_html, note_html, page, stats_html, table_html

NOT_FETCHED = ("Semantic Scholar data: not fetched — run `medvlm-graph refresh` or `ingest` to add citations, "
               "abstracts, venues and years, the citation network, clusters and the papers the review missed.")
PLOTLY_SIGNATURE = "* plotly.js v"  # appears once in the library's banner; tests count it
MAX_TABLE_PAPERS = 500
#: Papers drawn in the citation network figure (the top of centrality.csv).
NETWORK_NODES = 250


@dataclass
class ReportData:
    """What the report is made from (the contract tables plus provenance)."""

    paths: DataPaths
    seeds: pd.DataFrame
    papers: pd.DataFrame
    citations: pd.DataFrame
    labels: pd.DataFrame
    corpus: object | None = None
    authorships: pd.DataFrame | None = None
    list_provenance: dict = field(default_factory=dict)
    fetch_provenance: dict | None = None
    notes: list[str] = field(default_factory=list)  # problems met while loading (shown in the report)
    #: Papers analysed by the field-level sections (trends, gaps, clusters, adoption): see analysis.scope.
    scope: str = "field"

    @property
    def has_s2(self) -> bool:
        return self.fetch_provenance is not None or len(self.citations) > 0

    @property
    def field_papers(self) -> pd.DataFrame:
        """The papers in :attr:`scope` (the field by default)."""
        return analysis.apply_scope(self.papers, scope=self.scope)

    @property
    def field_labels(self) -> pd.DataFrame:
        """The labels of :attr:`field_papers`."""
        return self.labels[self.labels["paper_id"].isin(set(self.field_papers["paper_id"]))]


def _fetch_provenance(paths: DataPaths) -> dict | None:
    p = paths.fetched / "provenance.json"
    if not p.exists():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"source": "unknown", "note": "provenance.json is unreadable"}


def load_report_data(data_dir: str | Path = "data") -> ReportData:
    """Load (building when missing) the tables the report shows, with the provenance of the seed list used.

    Uses :meth:`medvlm_graph.corpus.Corpus.load` and :func:`medvlm_graph.seeds.current_provenance`.
    """
    paths = DataPaths(data_dir)
    corpus = Corpus.load(paths.root)
    return ReportData(paths=paths, seeds=corpus.seeds, papers=corpus.papers, citations=corpus.citations,
                      labels=corpus.labels, corpus=corpus, authorships=corpus.authorships,
                      list_provenance=current_provenance(paths), fetch_provenance=_fetch_provenance(paths))


# ----------------------------------------------------------------------------------------------- header


def provenance_lines(data: ReportData) -> list[str]:
    """Plain-text provenance lines (the seed list used, S2 fetch), as shown in the header.

    ``data.list_provenance`` is :func:`~medvlm_graph.seeds.current_provenance`: a list chosen with
    ``seeds --source`` (``kind`` ``chosen``) is named by its source, the shipped snapshot by its
    upstream commit. The row count is the seeds table's when it has rows, else the recorded one.
    """
    p = data.list_provenance
    rows = len(data.seeds) or p.get("rows")
    if p.get("kind") == "chosen":
        line = f"Seed list: {p.get('source') or 'chosen with `seeds --source`'}"
        line += f", {rows} rows" if rows else ""
        line += f" (read {p['read_at']})" if p.get("read_at") else ""
        return [line, *_fetch_lines(data)]
    commit = p.get("commit")
    if commit:
        line = f"Review list: {p.get('upstream') + ' ' if p.get('upstream') else ''}commit {str(commit)[:12]}"
        line += f" ({p['date']})" if p.get("date") else ""
    else:
        line = "Review list: provenance not recorded"
    if rows:
        line += f", {rows} rows in the snapshot"
    return [line, *_fetch_lines(data)]


def _fetch_lines(data: ReportData) -> list[str]:
    lines = []
    f = data.fetch_provenance
    if f is None:
        lines.append(NOT_FETCHED)
    else:
        when = f.get("finished_at") or f.get("fetched_at") or "date unknown"
        src = f.get("source") or "refresh"
        if f.get("resolved") == 0:
            # a run that matched no seed fetched nothing about the list: never call it "fetched"
            lines.append(f"Semantic Scholar data: the `{src}` of {when} resolved none of the seeds, so there is "
                         f"no citation data; check the API URL and the list, then run it again")
        else:
            status = "" if f.get("complete", True) else " (incomplete: run it again to finish)"
            lines.append(f"Semantic Scholar data: fetched {when} by `{src}`{status}")
    return lines


def _header(data: ReportData, generated: str) -> str:
    lines = provenance_lines(data)
    body = "".join(f"<p>{_code(esc(x))}</p>" for x in lines)
    return (f'<header class="top"><h1>Vision-language models in medical image analysis: the field from its '
            f'citation graph</h1>{body}<p>Report generated {esc(generated)} by medvlm-graph.</p></header>')


def _code(escaped: str) -> str:
    """Turn `x` spans of an already escaped line into <code> (the backticks come from our own text)."""
    parts = escaped.split("`")
    return "".join(f"<code>{s}</code>" if i % 2 else s for i, s in enumerate(parts))


# ----------------------------------------------------------------------------------------------- sections


def _try(data: ReportData, what: str, fn, *args, **kwargs):
    """Run one analysis; when it refuses the data (a :class:`~medvlm_graph.errors.MedvlmError`), return
    None and leave an honest note (the report goes on). Any other exception is a bug and propagates."""
    try:
        return fn(*args, **kwargs)
    except MedvlmError as exc:
        logger.warning("report: %s failed: %s: %s", what, type(exc).__name__, exc)
        data.notes.append(f"{what} failed: {type(exc).__name__}: {exc}")
        return None


def _skipped_note(df: pd.DataFrame | None, what: str) -> str | None:
    if df is None:
        return note_html(f"{what}: could not be computed (see the notes at the end).")
    if len(df) == 0:
        reason = df.attrs.get("skipped") if hasattr(df, "attrs") else None
        return note_html(f"{what}: nothing to show{': ' + reason if reason else ''}.")
    return None


def section_overview(data: ReportData) -> Section:
    s = Section("overview", "Data at a glance")
    seeds = data.seeds
    model_rows = int(viz.seeds.is_model_row(seeds).sum()) if len(seeds) else 0
    resolved = 0
    if len(seeds) and "match" in seeds.columns:
        resolved = int(seeds["match"].isin(["id", "title"]).sum())
    s.add(stats_html([
        ("rows in the review's list", len(seeds)),
        ("of them in the model table", model_rows),
        ("seeds matched on Semantic Scholar", resolved),
        ("papers in the corpus", len(data.papers)),
        ("of them in the field", len(data.field_papers) if data.scope == "field" else "not assessed"),
        ("citation links", len(data.citations)),
        ("labels (task, strategy, modality, model)", len(data.labels)),
    ]))
    if not data.has_s2:
        s.add(note_html("This report is built from the review's list alone. A Semantic Scholar refresh adds: "
                        "publication years, venues and abstracts for every paper (years here come from arXiv ids "
                        "and venue links only); the references and citations of the seeds "
                        "(the citation network, co-citation and coupling clusters, main path, centrality); "
                        "labels from abstracts; trends over time; foundation-model adoption timelines; and the "
                        "papers the graph says belong to the field but the review missed."))
    return s


def section_field(data: ReportData, missed: pd.DataFrame | None) -> Section:
    """Which papers are in the field, why others were set aside, the borderline ones, and the missed ones."""
    from ..relevance import borderline, relevance_summary

    s = Section("field", "The field and the papers the review missed")
    summary = relevance_summary(data.papers)
    if not summary["assessed"]:
        return s.add(note_html("Field relevance was not assessed for these tables: every paper counts as in the "
                               "field. Run `medvlm-graph build` to assess it."))
    s.add(stats_html([
        ("papers in the field", summary["in_field"]),
        ("set aside (outside the field)", summary["set_aside"]),
    ]))
    reasons = "; ".join(f"{r} ({n})" for r, n in summary["set_aside_reasons"]) or "none"
    s.add(f'<p class="guide">Field-level sections (tasks, trends, adoption, clusters, gaps) count only the '
          f'{summary["in_field"]} papers in the field: the seeds of the review (but not the general models of its '
          f'model table) and the papers whose text and citation ties say they belong to it. Main reasons for '
          f'setting papers aside: {esc(reasons)}.</p>')
    near = borderline(data.papers, limit=MAX_TABLE_PAPERS)
    if len(near):
        rows = pd.DataFrame({"title": near["title"], "year": pd.to_numeric(near["year"], errors="coerce").astype("Int64"),
                             "field score": near["field_score"].round(2),
                             "in the field": near["in_field"].map({True: "yes", False: "no"}),
                             "why": near["field_reason"], "paper_id": near["paper_id"]})
        s.add(table_html(rows, "table-borderline",
                         caption="Borderline decisions (field score near the 0.5 threshold). Decide one with a row "
                                 "paper_id,field,in,add (or out) in overrides.csv."))
    if missed is None:
        s.add(note_html("Papers the review missed: could not be computed (see the notes at the end)."))
    elif len(missed) == 0:
        s.add(note_html(f"Papers the review missed: {missed.attrs.get('skipped') or 'none'}."))
    else:
        rows = missed[["rank", "title", "year", "ties", "task", "strategy", "modality", "score", "paper_id"]].copy()
        rows["url"] = [viz._common.paper_url(pid, {}) for pid in rows["paper_id"]]
        s.add(table_html(rows, "table-missed", link_col="url",
                         caption="Field papers outside the list, ranked by their ties to its task seeds (never by "
                                 "popularity), with the task section they would go in. Click a header to sort."))
    return s


def section_candidates(data: ReportData, missed_ranking: pd.DataFrame | None = None) -> Section:
    """Candidates for the list (the rows of ``medvlm-graph candidates``) and what changed since the last build.

    ``missed_ranking``: the gaps run's complete missed-paper ranking, which the candidates reuse."""
    from ..living import compute_candidates, list_info, previous_build, write_changes

    s = Section("candidates", "Candidates for the list")
    if data.corpus is None or len(data.citations) == 0:
        return s.add(note_html("Candidates need the citation layer (Semantic Scholar data): run `medvlm-graph "
                               "refresh` or `ingest`."))
    since = list_info(data.paths).get("date")
    cands = _try(data, "candidates", compute_candidates, data.papers, data.citations, data.seeds, data.labels,
                 since=since, missed=missed_ranking)
    if cands is None:
        return s.add(note_html("Candidates could not be computed (see the notes at the end)."))
    if cands.empty:
        s.add(note_html(f"No candidates published since {since or 'the list'}: {cands.attrs.get('skipped', '')}."))
    else:
        rows = cands[["section", "index", "title", "publication_date", "task", "strategy", "modality", "evidence",
                      "ties", "link"]]
        s.add(table_html(rows, "table-candidates", link_col="link",
                         caption=f"Field papers published since {since or 'any date'} that the list does not "
                                 "hold, by the section they would go in, newest first within strength of evidence "
                                 "(`medvlm-graph candidates` writes them as rows to paste). Click a header to sort."))
    prev = previous_build(data.paths)
    if prev is not None:
        changes, _ = _try(data, "changes since the last build", write_changes, prev, data.paths.root,
                          data.paths.processed / "changes") or ({}, None)
        if changes:
            e, l_ = changes["field_entered"], changes["field_left"]
            sc = changes["seed_citations"]
            s.add(f'<p class="guide">Since the previous build: {len(e)} paper(s) entered the field, {len(l_)} left '
                  f'it; {int(sc["new_citations"].sum()) if len(sc) else 0} new citation(s) of the seeds; '
                  f'{int((changes["candidate_ranks"]["status"] == "new").sum())} new candidate(s). The full '
                  f'comparison is in processed/changes/changes.md (`medvlm-graph diff --since-last`).</p>')
    return s


def section_seeds(data: ReportData) -> Section:
    s = Section("review-list", "The review's list")
    if len(data.seeds) == 0:
        return s.add(note_html("No seed list could be loaded."))
    s.add(figure_html(viz.plot_seed_tasks(data.seeds), "fig-seed-tasks",
                      "Each bar counts the papers the review lists under one task; the last bar splits its model "
                      "table into natural-image and medical models. Long bars are the tasks the review covers "
                      "most densely, not necessarily the largest fields."))
    s.add(figure_html(viz.plot_seed_identifiers(data.seeds), "fig-seed-ids",
                      "Each row is counted once, under the best identifier its link carries (arXiv first, then "
                      "DOI, ScienceDirect PII, PMC, ACL, IEEE). Rows with only a venue hint or no identifier are "
                      "matched on Semantic Scholar by title, with a similarity score."))
    s.add(figure_html(viz.plot_seed_years(data.seeds), "fig-seed-years",
                      "Years known before any fetch: from the YYMM prefix of arXiv ids and from dated venue links "
                      "(CVF, MICCAI, PMLR, NeurIPS, AAAI). A refresh gives the publication year of every paper."))
    return s


def section_labels(data: ReportData, gaps: dict) -> Section:
    s = Section("labels", "Tasks, strategies and modalities")
    lab = data.field_labels
    dims = set(lab["dimension"].astype(str)) if len(lab) else set()
    if not dims:
        return s.add(note_html("No labels yet: labels come from `medvlm-graph build` (the review's sections give "
                               "the task; titles and abstracts give strategy, modality and foundation model)."))
    for other, fid, guide in (
        ("strategy", "fig-task-strategy",
         "Each cell counts the papers labelled with both the task (row) and the adaptation strategy (column); a "
         "paper with two strategies counts in both columns. × marks a gap (far fewer papers than the row and "
         "column totals predict); an open circle marks a combination with no paper yet."),
        ("modality", "fig-task-modality",
         "The same for imaging modality: which tasks have been tried on which kind of images. Marked cells are "
         "candidate research gaps; an empty cell may also mean the combination makes little clinical sense."),
    ):
        if other in dims and "task" in dims:
            s.add(figure_html(viz.plot_label_heatmap(lab, "task", other, gaps=gaps.get(other)), fid, guide))
        else:
            s.add(note_html(f"Task × {other}: no {other} labels yet."))
    if "strategy" in dims and "task" in dims:
        s.add(figure_html(viz.plot_strategy_task_sankey(lab), "fig-sankey",
                          "Bands run from an adaptation strategy (left) to a task (right); their width is the "
                          "number of papers with both labels. Follow a task's inflow to see how it is mostly "
                          "approached."))
    s.add(figure_html(viz.plot_label_network(lab), "fig-label-network",
                      "Labels are nodes (size: papers) linked when papers carry both (thicker: more papers). "
                      "Labels drawn close together tend to occur in the same papers; isolated ones are rarely "
                      "combined."))
    return s


def section_trends(data: ReportData, runs: dict) -> Section:
    s = Section("trends", "Trends over time")
    run = runs.get("trends")
    if run is None:
        return s.add(note_html("Trends could not be computed (see the notes at the end)."))
    trends, bursts = run.tables["trends"], run.tables["bursts"]
    if trends.empty:
        return s.add(note_html("Trends need publication years, which come from Semantic Scholar: run "
                               "`medvlm-graph refresh` or `ingest`." if not data.has_s2 else
                               f"Trends: nothing to show: {analysis.skip_reason(trends) or 'no labelled papers'}."))
    for dim, fid in (("task", "fig-trends-task"), ("strategy", "fig-trends-strategy")):
        t = trends[trends["dimension"] == dim]
        if t.empty:
            s.add(note_html(f"Trends by {dim}: {run.skipped.get(f'trends by {dim}', 'no labelled papers')}."))
            continue
        b = bursts[bursts["dimension"] == dim] if len(bursts) else bursts
        s.add(figure_html(viz.plot_trends(t, dimension=dim, bursts=b), fid,
                          f"Stacked bars count the papers in the field per year for each {dim} (a paper with two "
                          f"labels counts twice; `trends.csv`). Shaded spans are Kleinberg bursts (`bursts.csv`): "
                          f"years in which a label's share rose sharply above its usual rate."))
    return s


def section_adoption(data: ReportData, runs: dict) -> Section:
    s = Section("adoption", "Foundation-model adoption")
    run = runs.get("trends")
    if len(data.labels) == 0 or "model" not in set(data.labels["dimension"].astype(str)):
        return s.add(note_html("No foundation-model labels yet (they come from `build`)."))
    adoption = run.tables["model_adoption"] if run is not None else None
    note = _skipped_note(adoption, "Model adoption")
    if note:
        return s.add(note + ("" if data.has_s2 else note_html("Years of use come from Semantic Scholar: run "
                                                              "`medvlm-graph refresh`.")))
    s.add(figure_html(viz.plot_model_adoption(adoption), "fig-adoption",
                      "Each marker is the first year a foundation model was used for a task (`model_adoption.csv`); "
                      "grey lines start at the model's own paper, so their length is the adoption lag. Models "
                      "that reach many tasks quickly are the field's workhorses."))
    return s


def section_network(data: ReportData, runs: dict) -> Section:
    s = Section("network", "Citation network")
    if len(data.citations) == 0 or data.corpus is None:
        return s.add(note_html("The citation network needs references and citations from Semantic Scholar: run "
                               "`medvlm-graph refresh` or `ingest`."))
    run = runs.get("clusters")
    centrality = run.tables.get("centrality") if run is not None else None
    if centrality is None or centrality.empty:
        return s.add(note_html(f"The citation network: nothing to show "
                               f"({analysis.skip_reason(centrality) if centrality is not None else 'no centrality'})."))
    s.add(figure_html(network_figure(data, centrality),
                      "fig-network",
                      f"The most central papers of the corpus: the top {NETWORK_NODES} of `centrality.csv` (PageRank), "
                      "drawn as the largest group of them that cite one another, coloured by their main task; bigger "
                      "means more central. Hover for details and click a node to open the paper."))
    return s


def network_figure(data: ReportData, centrality: pd.DataFrame):
    """The citation network figure: the top of ``centrality.csv`` (PageRank), drawn from the tables."""
    top = centrality.sort_values(["pagerank", "paper_id"], ascending=[False, True]).head(NETWORK_NODES)
    G = graphs.build_citation_graph(data.papers[data.papers["paper_id"].isin(set(top["paper_id"]))],
                                    data.citations)
    return viz.plot_citation_network(G, papers=data.papers, labels=data.labels, top_k=NETWORK_NODES,
                                     measure=dict(zip(top["paper_id"], top["pagerank"])))


def section_clusters(data: ReportData, runs: dict) -> Section:
    s = Section("clusters", "Topic clusters")
    if not data.has_s2:
        s.add(note_html("Without Semantic Scholar data these clusters come from the titles of the review's list "
                        "alone; `medvlm-graph refresh` adds abstracts and the citing papers, and clusters of the "
                        "citation graph (coupling, co-citation)."))
    run = runs.get("clusters")
    if run is None:
        return s.add(note_html("Topic clusters could not be computed (see the notes at the end)."))
    points, summary = run.tables["text_clusters"], run.tables["text_cluster_summary"]
    note = _skipped_note(points, "Topic clusters")
    if note:
        return s.add(note)
    s.add(figure_html(viz.plot_cluster_map(points, papers=data.papers, terms=summary), "fig-cluster-map",
                      "Papers of the field placed by the similarity of their words (a 2-D projection of TF-IDF "
                      "vectors), coloured by k-means topic cluster and labelled with each cluster's most "
                      "distinctive terms (`text_clusters.csv`). Clusters far apart share little vocabulary."))
    themes = run.tables["thematic_map"]
    note = _skipped_note(themes, "Thematic map")
    if note:
        return s.add(note)
    graph = str(themes["graph"].iloc[0]) if "graph" in themes.columns and len(themes) else "coupling"
    s.add(figure_html(viz.plot_thematic_map(themes), "fig-thematic",
                      f"Each cluster (on the {graph} graph; `thematic_map.csv`) is placed by centrality (strength of "
                      "its links to other clusters) and density (strength of its internal links). Top right: motor "
                      "themes; top left: niche; bottom left: emerging or declining; bottom right: basic, "
                      "transversal themes."))
    return s


def gap_tables(data: ReportData, runs: dict) -> tuple[dict, str | None, dict]:
    """``({"strategy": cells, "modality": cells}, markdown, {csv name: frame})`` of the gaps run.

    The same run as ``medvlm-graph gaps`` (:func:`medvlm_graph.analysis.run_gaps`, in
    :func:`~medvlm_graph.analysis.pipeline.run_analyses`); its tables are written next to ``gaps.md``
    under the names the markdown cites.
    """
    run = runs.get("gaps")
    if run is None:
        return {}, None, {}
    cells = run.tables["gaps"]
    by_dim = {"strategy": cells, "modality": cells} if len(cells) else {}
    return by_dim, run.markdown, {f"{stem}.csv": df for stem, df in run.tables.items()}


def section_gaps(md: str | None) -> Section:
    s = Section("gaps", "Research gaps")
    if md is None:
        return s.add(note_html("The gap report could not be computed (see the notes at the end)."))
    s.add('<p class="guide">Observed against expected counts per combination of labels; the full report is also '
          'written next to this page as gaps.md.</p>')
    md = re.sub(r"\A\s*# Research gaps\s*\n", "", md)  # the section has this heading already
    return s.add(f'<div class="gaps">{markdown_to_html(md)}</div>')


def _labels_by(data: ReportData, dimension: str) -> dict[str, str]:
    """``{paper_id: "a, b"}``: each paper's distinct labels in ``dimension``, sorted."""
    lab = data.labels
    if len(lab) == 0:
        return {}
    sub = lab[lab["dimension"].astype(str) == dimension]
    label = sub["label"].map(str) if sub["label"].hasnans else sub["label"].astype(str)  # str() of a missing one
    pairs = pd.DataFrame({"paper_id": sub["paper_id"].astype(str), "label": label}).dropna(subset=["paper_id"])
    pairs = pairs.drop_duplicates().sort_values(["paper_id", "label"])
    return viz._common.join_by_key(pairs["paper_id"], pairs["label"], ", ")


def section_tables(data: ReportData) -> Section:
    s = Section("papers", "Papers")
    seeds = data.seeds
    if len(seeds):
        strat = _labels_by(data, "strategy")
        year_of = {}
        if len(data.papers):
            year_of = dict(zip(data.papers["paper_id"].astype(str), pd.to_numeric(data.papers["year"], errors="coerce")))
        pids = seeds.get("paper_id", pd.Series(index=seeds.index))
        rows = pd.DataFrame({
            "title": seeds["title"].fillna("(no title in the list)"),
            "year": pd.array([year_of.get(str(p)) if p is not None and not pd.isna(p) else None for p in pids],
                             dtype="Int64"),
            "task / model table": [t if isinstance(t, str) else (f"model: {m}" if isinstance(m, str) else "")
                                   for t, m in zip(seeds.get("task", pd.Series(index=seeds.index)),
                                                   seeds.get("model_name", pd.Series(index=seeds.index)))],
            "identifier": viz.seeds.identifier_kind(seeds).values,
            "matched": seeds["match"] if "match" in seeds.columns else "",
            "strategy": [strat.get(str(p), "") for p in seeds.get("paper_id", pd.Series(index=seeds.index))],
            "url": seeds.get("url"),
        })
        s.add(table_html(rows, "table-seeds", link_col="url",
                         caption="Every row of the review's list. Click a column header to sort, type to filter."))
    papers = data.papers
    if data.has_s2 and len(papers):
        p = papers.copy()
        p["citation_count"] = pd.to_numeric(p.get("citation_count"), errors="coerce")
        p = p.sort_values("citation_count", ascending=False, na_position="last").head(MAX_TABLE_PAPERS)
        tasks = _labels_by(data, "task")
        first_author: dict[str, str] = {}
        au = data.authorships
        if au is not None and len(au):
            au = au.assign(_pos=pd.to_numeric(au["position"], errors="coerce").fillna(1e9)).sort_values("_pos")
            first_author = dict(zip(au.drop_duplicates("paper_id")["paper_id"].astype(str),
                                    au.drop_duplicates("paper_id")["author_name"]))
        rows = pd.DataFrame({
            "title": p["title"],
            "first author": [first_author.get(str(x)) for x in p["paper_id"]],
            "year": pd.to_numeric(p["year"], errors="coerce").astype("Int64"),
            "venue": p["venue"],
            "citations": p["citation_count"].astype("Int64"),
            "seed": p["is_seed"].map({True: "yes", False: ""}) if "is_seed" in p else "",
            "task": [tasks.get(str(x), "") for x in p["paper_id"]],
            "url": [viz._common.paper_url(pid, r) for pid, r in zip(p["paper_id"], p.to_dict("records"))],
        })
        s.add(table_html(rows, "table-papers", link_col="url",
                         caption=f"The {len(rows)} most cited papers of the corpus (of {len(papers)})."))
    return s


def section_notes(data: ReportData) -> Section | None:
    if not data.notes:
        return None
    s = Section("notes", "Notes")
    return s.add("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in data.notes) + "</ul>")


# ----------------------------------------------------------------------------------------------- main


def write_report(data_dir: str | Path = "data", *, out: str | Path | None = None,
                 workers: int | None = None) -> Path:
    """Build everything and write the one-file report (and ``gaps.md`` with its CSV tables next to it).

    Parameters
    ----------
    data_dir : path
        The data directory (tables are built there when missing).
    out : path, optional
        Where to write the HTML (default ``<data>/processed/report/index.html``).
    workers : {1, 2}, optional
        Processes to use (default: 2 on a machine with two cores that can fork, for 2,000 papers or
        more; see :func:`~medvlm_graph.analysis.pipeline.run_analyses`): with 2, the clusters run is
        computed in a second process while this one computes the other runs and draws the sections
        that do not need it. 1 holds one process's memory only.

    Returns
    -------
    Path of the HTML file (:func:`write_report_files` returns every file written).
    """
    return write_report_files(data_dir, out=out, workers=workers)[0]


def analysis_runs(data: ReportData, *, indicators: bool = True, workers: int | None = None) -> dict:
    """The one analysis pass the report draws from (the commands' runs and defaults), written under
    ``data/processed/analysis/`` like the commands write them, so ``plot`` and the CSVs agree with the page."""
    with start_report_analyses(data, indicators=indicators, workers=workers) as analyses:
        return analyses.result()


def start_report_analyses(data: ReportData, *, indicators: bool = True, workers: int | None = None):
    """:func:`analysis_runs` started: an :class:`~medvlm_graph.analysis.pipeline.AnalysisPass` whose
    ``ready`` runs can be drawn while the clusters run is computed (see :func:`start_analyses`)."""
    source = ("review list and Semantic Scholar data" if data.has_s2
              else "shipped snapshot of the review list, no Semantic Scholar data")
    corpus = data.corpus
    return start_analyses(data.papers, data.labels, citations=data.citations, seeds=data.seeds,
                          authorships=data.authorships, taxonomy=corpus.taxonomy if corpus is not None else None,
                          scope=data.scope, as_of=corpus.as_of if corpus is not None else None, source=source,
                          pairs_dir=data.paths.stored_pairs, indicators=indicators, directory=data.paths.analysis,
                          workers=workers)


def write_report_files(data_dir: str | Path = "data", *, out: str | Path | None = None,
                       workers: int | None = None) -> list[Path]:
    """:func:`write_report`, returning every file it wrote: the HTML, ``gaps.md``, the CSVs it cites."""
    data = load_report_data(data_dir)
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    # On two cores the clusters run is computed in a worker process while this one computes the
    # other runs and draws every section that does not need it (same runs, same HTML as on one).
    with start_report_analyses(data, workers=workers) as analyses:
        ready = analyses.ready
        gaps_by_dim, gaps_md, gap_frames = gap_tables(data, ready)
        first = [
            section_overview(data),
            section_field(data, gap_frames.get("missed_papers.csv")),
            section_seeds(data),
            section_labels(data, gaps_by_dim),
            section_trends(data, ready),
            section_adoption(data, ready),
        ]
        later = [section_gaps(gaps_md), section_candidates(data, ready["gaps"].shared.get("missed_ranking")),
                 *indicator_sections(ready.get("indicators"))]
        tables = section_tables(data)
        runs = analyses.result()
        network, clusters = section_network(data, runs), section_clusters(data, runs)
        # the worker may still be writing the clusters tables meanwhile; leaving the block waits for it
        sections = [*first, network, clusters, *later, tables]
        notes = section_notes(data)
        if notes is not None:
            sections.append(notes)
        html = page("medvlm-graph report", _header(data, generated), sections, plotly_js=get_plotlyjs(),
                    footer="Made with medvlm-graph. Figures by Plotly; data from the review's list"
                           + (" and Semantic Scholar." if data.has_s2 else "."))
        target = Path(out) if out is not None else data.paths.report_dir / "index.html"
        written = [atomic_write_text(target, html)]
        gaps_path = target.parent / "gaps.md"
        written.append(atomic_write_text(gaps_path, gaps_md if gaps_md is not None else
                       "# Research gaps\n\nThe gap analysis could not be run; see the notes of the report.\n"))
        for name, frame in gap_frames.items():  # the tables gaps.md cites, next to it
            written.append(write_csv(frame, target.parent / name))
    return written


__all__ = ["write_report", "write_report_files", "load_report_data", "provenance_lines", "ReportData", "NOT_FETCHED", "PLOTLY_SIGNATURE"]
