"""Figures of the bibliometric indicators (:mod:`medvlm_graph.analysis.indicators`).

Each ``plot_*`` draws a table a ``compute_*`` function returned, as it is: rows are neither counted,
ranked nor pruned here. An empty table gives a figure that says why (its ``attrs["skipped"]``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._common import base_layout, empty_figure, esc, paper_url, texts
from .palette import GREY, OKABE_ITO, cluster_color

PART_ROWS = {"root": 0, "trunk": 1, "leaf": 2}
PART_COLORS = {"root": "#8C510A", "trunk": "#BF812D", "leaf": "#35978F"}
ZONE_COLORS = {1: OKABE_ITO[4], 2: OKABE_ITO[0], 3: GREY}


def _empty(df: pd.DataFrame | None, title: str, default: str) -> go.Figure | None:
    if df is None or len(df) == 0:
        why = df.attrs.get("skipped") if isinstance(df, pd.DataFrame) else None
        return empty_figure(title, f"Nothing to show: {why}" if why else default)
    return None


def _hover_title(row, limit: int = 90) -> str:
    year = row.get("year")
    year = "" if year is None or pd.isna(year) else f" ({int(year)})"
    return f"<b>{esc(row.get('title') or row.get('paper_id'), limit)}</b>{year}"


def plot_disruption(disruption: pd.DataFrame, *, title: str = "Disruption (CD index)") -> go.Figure:
    """CD of each paper against the papers citing it in the window (``compute_disruption``'s table).

    Points above 0 are disruptive (their citers ignore their references), below 0 consolidating;
    grey points have a window the corpus does not cover yet. Click a point to open the paper.
    """
    fig = _empty(disruption, title, "No paper with citers in the window yet.")
    if fig is not None:
        return fig
    d = disruption
    fig = go.Figure()
    for complete, name, color in ((True, "window covered", OKABE_ITO[4]), (False, "window not yet covered", GREY)):
        sub = d[d["window_complete"].astype(bool) == complete]
        if sub.empty:
            continue
        used = ("paper_id", "title", "year", "window", "cd", "n_i", "n_j", "n_k", "arxiv_id", "doi", "url")
        rows = sub[[c for c in used if c in sub.columns]].to_dict("records")  # what hover texts and links read
        fig.add_trace(go.Scatter(
            x=sub["n_i"] + sub["n_j"], y=sub["cd"], mode="markers", name=name,
            marker=dict(color=color, size=8, opacity=0.75, line=dict(width=0.5, color="white")),
            customdata=texts([paper_url(r["paper_id"], r) for r in rows]),
            hovertext=texts([f"{_hover_title(r)}<br>CD{int(r['window'])} = {r['cd']:.3f}<br>cite it alone n_i = "
                             f"{r['n_i']}, with its references n_j = {r['n_j']}<br>cite only its references "
                             f"n_k = {r['n_k']}" for r in rows]),
            hoverinfo="text"))
    fig.add_hline(y=0, line=dict(color="#888", width=1, dash="dash"))
    base_layout(fig, title, height=480, legend_title="")
    fig.update_xaxes(type="log", title="papers citing it in the window (n_i + n_j)")
    fig.update_yaxes(title="CD (−1 consolidating … +1 disruptive)", range=[-1.05, 1.05])
    return fig


def plot_sleeping_beauties(curves: pd.DataFrame, beauties: pd.DataFrame | None = None, *,
                           title: str = "Sleeping beauties: citations per year") -> go.Figure:
    """The yearly citation curves of the top sleeping beauties, awakening years marked.

    Parameters
    ----------
    curves : DataFrame
        ``paper_id, year, citations`` (``compute_sleeping_beauties``' second table).
    beauties : DataFrame, optional
        Its first table, for titles, ``beauty`` and ``awakening_year``.
    """
    fig = _empty(curves, title, "No sleeping beauty to show yet.")
    if fig is not None:
        return fig
    info = {}
    if beauties is not None:  # the rows of the papers drawn (the table has every paper)
        drawn = beauties[beauties["paper_id"].astype(str).isin(set(curves["paper_id"].astype(str)))]
        info = {str(r["paper_id"]): r for r in drawn.to_dict("records")}
    fig = go.Figure()
    for k, (pid, g) in enumerate(curves.groupby("paper_id", sort=False)):
        r = info.get(str(pid), {"paper_id": pid})
        color = OKABE_ITO[k % len(OKABE_ITO)]
        b = r.get("beauty")
        name = esc(r.get("title") or pid, 40) + (f" (B = {b:.1f})" if b is not None and pd.notna(b) else "")
        fig.add_trace(go.Scatter(x=g["year"], y=g["citations"], mode="lines+markers", name=name,
                                 line=dict(color=color, width=2), marker=dict(size=5),
                                 hovertext=[f"{_hover_title(r)}<br>{int(y)}: {int(c)} citations"
                                            for y, c in zip(g["year"], g["citations"])], hoverinfo="text"))
        wake = r.get("awakening_year")
        if wake is not None and pd.notna(wake) and (g["year"] == wake).any():
            c = g.loc[g["year"] == wake, "citations"].iloc[0]
            fig.add_trace(go.Scatter(x=[wake], y=[c], mode="markers", showlegend=False, hoverinfo="text",
                                     hovertext=[f"{_hover_title(r)}<br>awakening: {int(wake)}"],
                                     marker=dict(symbol="star", size=14, color=color,
                                                 line=dict(width=1, color="white"))))
    base_layout(fig, title, height=460, legend_title="paper (beauty coefficient)")
    fig.update_xaxes(title="year", dtick=1)
    fig.update_yaxes(title="citations in the corpus", rangemode="tozero")
    return fig


def plot_rpys(spectrum: pd.DataFrame, peaks: pd.DataFrame | None = None, *,
              title: str = "Reference publication year spectroscopy (RPYS)") -> go.Figure:
    """Cited references per publication year (bars) and their deviation from the 5-year median (line).

    Peak years (``peak_rank``) are marked; their most cited references (``peaks``) are in the hover.
    """
    fig = _empty(spectrum, title, "No cited reference with a year yet.")
    if fig is not None:
        return fig
    s = spectrum
    refs: dict[int, list[str]] = {}
    if peaks is not None and len(peaks):
        for r in peaks.to_dict("records"):
            refs.setdefault(int(r["year"]), []).append(f"{esc(r.get('title') or r['paper_id'], 70)} ({r['citations']})")
    fig = go.Figure()
    fig.add_trace(go.Bar(x=s["year"], y=s["references"], name="cited references (NCR)",
                         marker_color=OKABE_ITO[1], hovertemplate="%{x}: %{y} cited references<extra></extra>"))
    fig.add_trace(go.Scatter(x=s["year"], y=s["deviation"], mode="lines", name="deviation from the 5-year median",
                             line=dict(color=OKABE_ITO[5], width=2),
                             hovertemplate="%{x}: deviation %{y}<extra></extra>"))
    pk = s[s["peak_rank"].notna()]
    if len(pk):
        fig.add_trace(go.Scatter(
            x=pk["year"], y=pk["deviation"], mode="markers+text", name="peak years",
            text=[f"#{int(r)} {int(y)}" for r, y in zip(pk["peak_rank"], pk["year"])], textposition="top center",
            marker=dict(color=OKABE_ITO[5], size=10, symbol="diamond"), hoverinfo="text",
            hovertext=[f"<b>peak {int(y)}</b> (deviation {d:g})<br>" + "<br>".join(refs.get(int(y), []))
                       for y, d in zip(pk["year"], pk["deviation"])]))
    base_layout(fig, title, height=460, legend_title="")
    fig.update_xaxes(title="publication year of the cited reference")
    fig.update_yaxes(title="cited references")
    return fig


def plot_tree_of_science(tree: pd.DataFrame, *, title: str = "Tree of science") -> go.Figure:
    """Roots (bottom), trunk (middle) and leaves (top) by publication year; size: the part's score."""
    fig = _empty(tree, title, "No tree of science yet.")
    if fig is not None:
        return fig
    fig = go.Figure()
    score_col = {"root": "times_cited", "trunk": "sap", "leaf": "root_paths"}
    for part in ("root", "trunk", "leaf"):
        sub = tree[tree["part"] == part]
        if sub.empty:
            continue
        score = sub[score_col[part]].astype(float)
        size = 8 + 22 * np.sqrt(score / score.max()) if score.max() > 0 else np.full(len(sub), 8.0)
        n = max(len(sub), 1)
        y = PART_ROWS[part] + (sub["rank"].astype(float) - 1) / n * 0.7  # spread a part's papers upwards
        rows = sub.to_dict("records")
        fig.add_trace(go.Scatter(
            x=sub["year"].astype(float), y=y, mode="markers", name=f"{part} ({len(sub)})",
            marker=dict(size=size, color=PART_COLORS[part], opacity=0.8, line=dict(width=0.5, color="white")),
            customdata=[paper_url(r["paper_id"], r) for r in rows],
            hovertext=[f"{_hover_title(r)}<br>{part} #{r['rank']}: cited {r['times_cited']} times in the tree, "
                       f"SAP {r['sap']:.3g}" for r in rows], hoverinfo="text"))
    base_layout(fig, title, height=520, legend_title="part")
    fig.update_xaxes(title="publication year")
    fig.update_yaxes(tickvals=[0.35, 1.35, 2.35], ticktext=["roots", "trunk", "leaves"], range=[-0.3, 3.0],
                     showgrid=False)
    return fig


def plot_authors(authors: pd.DataFrame, *, title: str = "Most productive authors in the field") -> go.Figure:
    """Papers per author (bars, in the table's order), local citations and h-index in the hover."""
    fig = _empty(authors, title, "No authors yet.")
    if fig is not None:
        return fig
    a = authors.iloc[::-1]  # first row on top
    fig = go.Figure(go.Bar(
        x=a["papers"], y=[f"{esc(n or i, 40)}" for n, i in zip(a["name"], a["author_id"])], orientation="h",
        marker_color=OKABE_ITO[4],
        hovertext=[f"<b>{esc(n or i)}</b><br>{p} papers ({fp:.2f} fractional)<br>local citations {c}, h-index {h}"
                   f"<br>{fy}–{ly}" for n, i, p, fp, c, h, fy, ly in
                   zip(a["name"], a["author_id"], a["papers"], a["fractional_papers"], a["citations"], a["h_index"],
                       a["first_year"], a["last_year"])], hoverinfo="text"))
    base_layout(fig, title, height=max(300, 24 * len(a) + 120))
    fig.update_xaxes(title="papers in the field")
    return fig


def plot_bradford(venues: pd.DataFrame, *, title: str = "Venues: Bradford zones") -> go.Figure:
    """Cumulative papers against venue rank (log), coloured by Bradford zone."""
    fig = _empty(venues, title, "No venues yet.")
    if fig is not None:
        return fig
    fig = go.Figure()
    for zone in (1, 2, 3):
        sub = venues[venues["zone"] == zone]
        if sub.empty:
            continue
        fig.add_trace(go.Scatter(
            x=sub["rank"], y=sub["cumulative_papers"], mode="markers+lines", name=f"zone {zone} ({len(sub)} venues)",
            marker=dict(color=ZONE_COLORS[zone], size=8), line=dict(color=ZONE_COLORS[zone], width=1),
            hovertext=[f"<b>{esc(v, 80)}</b><br>rank {r}: {p} papers, {cp} cumulative<br>zone {zone}"
                       for v, r, p, cp in zip(sub["venue"], sub["rank"], sub["papers"], sub["cumulative_papers"])],
            hoverinfo="text"))
    base_layout(fig, title, height=440, legend_title="Bradford zone")
    fig.update_xaxes(type="log", title="venue rank (by papers)")
    fig.update_yaxes(title="cumulative papers", rangemode="tozero")
    return fig


def plot_lotka(lotka: pd.DataFrame, *, title: str = "Author productivity: Lotka's law") -> go.Figure:
    """Share of authors with n papers (log-log), the fitted power law and the classic inverse square."""
    fig = _empty(lotka, title, "No authors yet.")
    if fig is not None:
        return fig
    t = lotka
    fig = go.Figure(go.Scatter(x=t["papers"], y=t["share"], mode="markers", name="observed",
                               marker=dict(size=10, color=OKABE_ITO[4]),
                               hovertext=[f"{a} authors with {n} papers ({s:.1%})"
                                          for a, n, s in zip(t["authors"], t["papers"], t["share"])],
                               hoverinfo="text"))
    if t["fitted_share"].notna().any():
        alpha, r2 = float(t["alpha"].iloc[0]), float(t["r2"].iloc[0])
        fig.add_trace(go.Scatter(x=t["papers"], y=t["fitted_share"], mode="lines",
                                 name=f"fitted: alpha = {alpha:.2f} (R² = {r2:.2f})",
                                 line=dict(color=OKABE_ITO[5], width=2)))
    fig.add_trace(go.Scatter(x=t["papers"], y=t["lotka_share"], mode="lines", name="Lotka: alpha = 2",
                             line=dict(color=GREY, width=2, dash="dash")))
    base_layout(fig, title, height=420, legend_title="")
    fig.update_xaxes(type="log", title="papers per author (n)")
    fig.update_yaxes(type="log", title="share of authors")
    return fig


def plot_coauthor_clusters(clusters: pd.DataFrame, *, title: str = "Co-author clusters") -> go.Figure:
    """Authors per co-author cluster (bars, largest on top), named by their most productive members."""
    fig = _empty(clusters, title, "No co-author clusters yet.")
    if fig is not None:
        return fig
    c = clusters.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=c["authors"], y=[f"{int(k)}: {esc(lab, 50)}" for k, lab in zip(c["cluster"], c["cluster_label"])],
        orientation="h", marker_color=[cluster_color(k) for k in c["cluster"]],
        hovertext=[f"<b>cluster {int(k)}</b>: {a} authors, {p} papers<br>{esc(top, 200)}"
                   for k, a, p, top in zip(c["cluster"], c["authors"], c["papers"], c["top_authors"])],
        hoverinfo="text"))
    base_layout(fig, title, height=max(300, 24 * len(c) + 120))
    fig.update_xaxes(title="authors")
    return fig


def plot_coword_map(terms: pd.DataFrame, links: pd.DataFrame | None = None, *,
                    title: str = "Co-word map of titles and abstracts") -> go.Figure:
    """Terms at their layout positions (size: papers; colour: cluster), linked by co-occurrence.

    Terms a taxonomy rule already matches are drawn with a ring; the others are topics the
    taxonomy does not name.
    """
    fig = _empty(terms, title, "No terms yet.")
    if fig is not None:
        return fig
    pos = {t: (x, y) for t, x, y in zip(terms["term"], terms["x"], terms["y"])}
    fig = go.Figure()
    if links is not None and len(links):
        xs, ys = [], []
        for a, b in zip(links["term_a"], links["term_b"]):
            if a in pos and b in pos:
                xs += [pos[a][0], pos[b][0], None]
                ys += [pos[a][1], pos[b][1], None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="rgba(150,150,150,0.25)", width=0.7),
                                 hoverinfo="skip", showlegend=False))
    smax = float(terms["papers"].max()) or 1.0
    for k, g in terms.groupby(terms["cluster"].fillna(-1).astype(int), sort=True):
        tax = g["taxonomy_label"].fillna("").astype(str) if "taxonomy_label" in g else pd.Series("", index=g.index)
        label = g["cluster_label"].iloc[0] if k >= 0 else "no links"
        fig.add_trace(go.Scatter(
            x=g["x"], y=g["y"], mode="markers+text", name=f"{k}: {esc(label, 40)}" if k >= 0 else "no links",
            text=[esc(t, 30) for t in g["term"]], textposition="top center", textfont=dict(size=10),
            marker=dict(size=[8 + 30 * (p / smax) ** 0.5 for p in g["papers"]],
                        color=cluster_color(k) if k >= 0 else GREY, opacity=0.8,
                        line=dict(width=[2.5 if x else 0.5 for x in tax], color="#222")),
            hovertext=[f"<b>{esc(t)}</b><br>{p} papers, {n} links<br>"
                       + (f"taxonomy: {esc(x)}" if x else "not named by the taxonomy")
                       for t, p, n, x in zip(g["term"], g["papers"], g["links"], tax)],
            hoverinfo="text"))
    base_layout(fig, title, height=640, legend_title="cluster")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
