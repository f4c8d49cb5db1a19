"""Thematic map (Callon centrality x density), as in bibliometrix: four quadrants of themes."""

from __future__ import annotations

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


def plot_thematic_map(themes: pd.DataFrame, *, title: str = "Thematic map") -> go.Figure:
    """Clusters placed by centrality (x: links to other themes) and density (y: internal cohesion).

    Parameters
    ----------
    themes : DataFrame
        ``cluster, centrality, density``; optional ``size`` (papers; ``papers``/``n`` accepted) and
        ``cluster_label`` (``label``/``terms`` accepted) for the text, as
        :func:`medvlm_graph.analysis.compute_thematic_map` returns.

    Returns
    -------
    go.Figure with one marker+text trace; dashed lines at the medians split the four quadrants,
    which are named in the corners.
    """
    if themes is None or len(themes) == 0 or not {"centrality", "density"} <= set(themes.columns):
        return empty_figure(title, "No clusters to place on a thematic map yet.")
    t = themes.dropna(subset=["centrality", "density"]).copy()
    cl = t["cluster"].astype(str) if "cluster" in t.columns else pd.Series(map(str, range(len(t))), index=t.index)
    lab_col = next((c for c in ("cluster_label", "label", "terms", "name") if c in t.columns), None)
    names = t[lab_col].astype(str) if lab_col else "cluster " + cl
    size_col = next((c for c in ("size", "papers", "n") if c in t.columns), None)
    sizes = t[size_col].astype(float) if size_col else pd.Series(1.0, index=t.index)
    smax = float(sizes.max()) or 1.0
    xm, ym = float(t["centrality"].median()), float(t["density"].median())
    fig = go.Figure(go.Scatter(
        x=t["centrality"], y=t["density"], mode="markers+text",
        text=[esc(" / ".join(str(n).split(" / ")[:2]), 28) for n in names], textposition="top center",
        marker=dict(size=[14 + 36 * (s / smax) ** 0.5 for s in sizes],
                    color=[cluster_color(c) for c in cl], opacity=0.8, line=dict(width=1, color="white")),
        hovertext=[f"<b>{esc(n, 80)}</b><br>cluster {esc(c)}<br>centrality {x:.3g}, density {y:.3g}"
                   + (f"<br>{int(s)} papers" if size_col else "")
                   for n, c, x, y, s in zip(names, cl, t["centrality"], t["density"], sizes)],
        hoverinfo="text", name="themes", showlegend=False,
    ))
    fig.add_vline(x=xm, line=dict(dash="dash", color="#888", width=1))
    fig.add_hline(y=ym, line=dict(dash="dash", color="#888", width=1))
    for (hi_x, hi_y), name in QUADRANTS.items():
        fig.add_annotation(text=f"<i>{name}</i>", xref="paper", yref="paper", x=1.0 if hi_x else 0.0,
                           y=1.06 if hi_y else -0.02, xanchor="right" if hi_x else "left",
                           yanchor="bottom" if hi_y else "top", showarrow=False,
                           font=dict(size=12, color="#555"), bgcolor="rgba(255,255,255,0.85)")
    base_layout(fig, title, height=560)
    fig.update_layout(margin=dict(t=90, b=80))
    # room around the bubbles so their labels are not clipped
    for axis, col in ((fig.update_xaxes, "centrality"), (fig.update_yaxes, "density")):
        lo, hi = float(t[col].min()), float(t[col].max())
        pad = (hi - lo) * 0.15 or 0.5
        axis(range=[lo - pad, hi + pad])
    fig.update_layout(xaxis_title="centrality (relevance to the field)",
                      yaxis_title="density (development of the theme)")
    return fig
