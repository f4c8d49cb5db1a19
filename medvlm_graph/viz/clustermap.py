"""Cluster map: papers in a 2-D embedding, coloured by cluster and labelled by cluster terms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._common import as_int_year, base_layout, empty_figure, esc, paper_url, texts
from .palette import cluster_color


def plot_cluster_map(points: pd.DataFrame, *, papers: pd.DataFrame | None = None,
                     terms: pd.DataFrame | dict | None = None,
                     title: str = "Topic clusters of the papers", max_points: int = 4000) -> go.Figure:
    """Scatter of papers at ``x, y`` coloured by ``cluster``; each cluster's id at its centre, its terms beside.

    Parameters
    ----------
    points : DataFrame
        ``paper_id, x, y, cluster``; optional ``title, year, cluster_label`` (``terms`` accepted), as the
        assignments of :func:`medvlm_graph.analysis.compute_text_clusters`.
    papers : DataFrame, optional
        Fills ``title``/``year``/``venue`` for the hover text.
    terms : DataFrame or dict, optional
        Cluster labels: ``{cluster: "term, term"}`` or a frame ``cluster, cluster_label`` (the summary
        of ``compute_text_clusters``; ``terms``/``label`` accepted); else a ``cluster_label`` column of
        ``points``; else "cluster <id>".

    max_points : int
        Above this many papers a fixed random sample is drawn (the title says so).

    Returns
    -------
    go.Figure with one marker trace per cluster (its legend entry: id and terms) and one annotation
    per cluster: its id at the cluster's median point (names of several words would overlap there).
    """
    if points is None or len(points) == 0 or not {"x", "y", "cluster"} <= set(points.columns):
        return empty_figure(title, "No 2-D embedding of the papers yet.")
    p = points.copy()
    if len(p) > max_points:  # keep the page light: a fixed random sample, the title says so
        title = f"{title} (a sample of {max_points} of {len(p)} papers)"
        p = p.sample(n=max_points, random_state=0)
    p["cluster"] = p["cluster"].astype(str)
    if papers is not None and len(papers):
        cols = [c for c in ("title", "year", "venue", "arxiv_id", "doi", "url") if c in papers and c not in p]
        p = p.merge(papers[["paper_id", *cols]].assign(paper_id=papers["paper_id"].astype(str)),
                    how="left", left_on=p["paper_id"].astype(str), right_on="paper_id",
                    suffixes=("", "_p")).drop(columns=["key_0", "paper_id_p"], errors="ignore")
    names: dict[str, str] = {}
    if isinstance(terms, dict):
        names = {str(k): str(v) for k, v in terms.items()}
    elif isinstance(terms, pd.DataFrame) and len(terms):
        tcol = next((c for c in ("cluster_label", "terms", "label", "top_terms") if c in terms.columns), None)
        if tcol:
            names = dict(zip(terms["cluster"].astype(str), terms[tcol].astype(str)))
    else:
        tcol = next((c for c in ("cluster_label", "terms") if c in p.columns), None)
        if tcol:
            names = p.dropna(subset=[tcol]).drop_duplicates("cluster").set_index("cluster")[tcol].astype(str).to_dict()
    fig = go.Figure()
    clusters = sorted(p["cluster"].unique(), key=lambda c: (len(c), c))
    # the columns hover texts and links read, as records once (not per cluster)
    recs = p[[c for c in ("paper_id", "title", "year", "venue", "arxiv_id", "doi", "url") if c in p]].to_dict("records")
    of_cluster = p["cluster"].to_numpy()
    for c in clusters:
        rows = np.flatnonzero(of_cluster == c)
        sub = p.iloc[rows]
        name = names.get(c) or f"cluster {c}"
        hover = []
        for rec in (recs[i] for i in rows):
            year = as_int_year(rec.get("year"))
            hover.append("<br>".join(x for x in (f"<b>{esc(rec.get('title') or rec['paper_id'], 120)}</b>",
                                                 f"{year or 'year unknown'} · {esc(rec.get('venue')) or ''}",
                                                 f"cluster {esc(c)}: {esc(name, 80)}") if x))
        colour = cluster_color(c)
        fig.add_scatter(x=sub["x"], y=sub["y"], mode="markers", name=esc(f"{c}: {name}", 50),
                        marker=dict(size=8, color=colour, opacity=0.85, line=dict(width=0.5, color="white")),
                        hovertext=texts(hover), hoverinfo="text",
                        customdata=texts([paper_url(recs[i]["paper_id"], recs[i]) for i in rows]))
        # the id at the centre (several-word names there overlap); the legend beside gives the names
        fig.add_annotation(x=float(sub["x"].median()), y=float(sub["y"].median()), text=f"<b>{esc(c)}</b>",
                           showarrow=False, font=dict(size=12, color="#111"), bgcolor="rgba(255,255,255,0.8)",
                           bordercolor=colour, borderwidth=2, borderpad=2, hovertext=esc(name, 80))
    base_layout(fig, title, height=560, legend_title="Cluster: top terms")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
