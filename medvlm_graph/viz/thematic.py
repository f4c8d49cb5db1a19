"""Thematic map (Callon centrality x density), as in bibliometrix: four quadrants of themes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._common import base_layout, empty_figure, esc
from .palette import cluster_color

QUADRANTS = {  # (high centrality, high density) -> name
    (True, True): "Motor themes",
    (False, True): "Niche themes",
    (False, False): "Emerging or declining themes",
    (True, False): "Basic themes",
}
#: An axis turns logarithmic (or to ranks, when a value is 0) when its largest value is this many
#: times its smallest positive one: one dominant theme would otherwise squash the others into a corner.
SPREAD = 10.0


def axis_scale(values) -> str:
    """``"linear"``, ``"log"`` or ``"rank"``: how to lay out one axis of the map.

    Log when every value is positive and the largest is at least :data:`SPREAD` times the smallest;
    rank (position by order, ties shared) when such a spread meets values of 0, which a log axis
    cannot show; else linear.

    Examples
    --------
    >>> axis_scale([1.0, 2.0, 3.0]), axis_scale([0.5, 1.0, 40.0]), axis_scale([0.0, 1.0, 40.0])
    ('linear', 'log', 'rank')
    """
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), dtype=float)
    positive = v[v > 0]
    if len(v) < 3 or len(positive) == 0 or positive.max() < SPREAD * positive.min():
        return "linear"
    return "log" if len(positive) == len(v) else "rank"


def _placed(values: pd.Series, scale: str) -> pd.Series:
    """Where each value goes on an axis of ``scale`` (ranks are 1..n, ties averaged)."""
    return values.rank(method="average") if scale == "rank" else values


def plot_thematic_map(themes: pd.DataFrame, *, title: str = "Thematic map") -> go.Figure:
    """Clusters placed by centrality (x: links to other themes) and density (y: internal cohesion).

    Parameters
    ----------
    themes : DataFrame
        ``cluster, centrality, density``; optional ``size`` (papers; ``papers``/``n`` accepted) and
        ``cluster_label`` (``label``/``terms`` accepted), as
        :func:`medvlm_graph.analysis.compute_thematic_map` returns.

    Returns
    -------
    go.Figure with one bubble trace per cluster: the bubble shows the cluster id (labels of
    several words would overlap), the legend beside lists each id with its label, the hover
    text has the numbers. Dashed lines at the medians split the four quadrants, named in the
    corners. An axis where one theme dominates (:func:`axis_scale`) is logarithmic, or by rank
    when a value is 0; its title says so.
    """
    if themes is None or len(themes) == 0 or not {"centrality", "density"} <= set(themes.columns):
        return empty_figure(title, "No clusters to place on a thematic map yet.")
    t = themes.dropna(subset=["centrality", "density"]).copy()
    t["_cluster"] = t["cluster"].astype(str) if "cluster" in t.columns else [str(i) for i in range(len(t))]
    lab_col = next((c for c in ("cluster_label", "label", "terms", "name") if c in t.columns), None)
    t["_name"] = t[lab_col].astype(str) if lab_col else "cluster " + t["_cluster"]
    size_col = next((c for c in ("size", "papers", "n") if c in t.columns), None)
    t["_size"] = t[size_col].astype(float) if size_col else 1.0
    smax = float(t["_size"].max()) or 1.0
    scales = {c: axis_scale(t[c]) for c in ("centrality", "density")}
    t["_x"] = _placed(t["centrality"].astype(float), scales["centrality"])
    t["_y"] = _placed(t["density"].astype(float), scales["density"])
    fig = go.Figure()
    order = sorted(t.index, key=lambda i: (len(t.at[i, "_cluster"]), t.at[i, "_cluster"]))
    for i in order:
        r = t.loc[i]
        fig.add_scatter(
            x=[r["_x"]], y=[r["_y"]], mode="markers+text", text=[esc(r["_cluster"])], textposition="middle center",
            textfont=dict(size=11, color="#111"), name=esc(f"{r['_cluster']}: {r['_name']}", 60),
            marker=dict(size=[16 + 34 * (r["_size"] / smax) ** 0.5], color=cluster_color(r["_cluster"]),
                        opacity=0.8, line=dict(width=1, color="white")),
            hovertext=[f"<b>{esc(r['_name'], 80)}</b><br>cluster {esc(r['_cluster'])}<br>centrality "
                       f"{r['centrality']:.3g}, density {r['density']:.3g}"
                       + (f"<br>{int(r['_size'])} papers" if size_col else "")],
            hoverinfo="text",
        )
    xm = float(_placed(t["centrality"].astype(float), scales["centrality"]).median())
    ym = float(_placed(t["density"].astype(float), scales["density"]).median())
    fig.add_vline(x=xm, line=dict(dash="dash", color="#888", width=1))
    fig.add_hline(y=ym, line=dict(dash="dash", color="#888", width=1))
    for (hi_x, hi_y), name in QUADRANTS.items():
        fig.add_annotation(text=f"<i>{name}</i>", xref="paper", yref="paper", x=1.0 if hi_x else 0.0,
                           y=1.06 if hi_y else -0.1, xanchor="right" if hi_x else "left",
                           yanchor="bottom" if hi_y else "top", showarrow=False,
                           font=dict(size=12, color="#555"), bgcolor="rgba(255,255,255,0.85)")
    base_layout(fig, title, height=560, legend_title="Cluster: distinctive terms")
    fig.update_layout(margin=dict(t=90, b=90))
    for axis, col in ((fig.update_xaxes, "centrality"), (fig.update_yaxes, "density")):
        pos = t["_x"] if col == "centrality" else t["_y"]
        lo, hi = float(pos.min()), float(pos.max())
        if scales[col] == "log":  # plotly takes a log axis's range in log10 units
            lo, hi = math.log10(lo), math.log10(hi)
            pad = (hi - lo) * 0.12 or 0.2
            axis(type="log", range=[lo - pad, hi + pad], dtick="D2")  # ticks at 1, 2, 5 x 10^n only
        else:
            pad = (hi - lo) * 0.12 or 0.5
            axis(range=[lo - pad, hi + pad])
        if scales[col] == "rank":
            axis(tickvals=list(pos), ticktext=[f"{v:.3g}" for v in t[col]])
    what = {"log": " (log scale)", "rank": " (by rank: one theme dominates)", "linear": ""}
    fig.update_layout(xaxis_title=f"centrality (relevance to the field){what[scales['centrality']]}",
                      yaxis_title=f"density (development of the theme){what[scales['density']]}")
    return fig
