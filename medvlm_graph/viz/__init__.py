"""Interactive Plotly figures: every ``plot_*`` returns a :class:`plotly.graph_objects.Figure`.

They work inline in Jupyter (``fig.show()`` or just the figure as the cell's
value) and are assembled by :func:`medvlm_graph.report.write_report`. Every
string that comes from data is HTML-escaped in hover texts; each label has one
colour in every figure (:func:`medvlm_graph.viz.palette.color_for`).

Examples
--------
>>> import pandas as pd
>>> from medvlm_graph.viz import plot_strategy_task_sankey
>>> lab = pd.DataFrame({"paper_id": ["p", "p"], "dimension": ["strategy", "task"],
...                     "label": ["prompting", "vqa"], "source": "rules", "score": 1.0})
>>> plot_strategy_task_sankey(lab).data[0].type
'sankey'
"""

from .adoption import plot_model_adoption
from .clustermap import plot_cluster_map
from .heatmaps import cooccurrence_matrix, plot_label_heatmap, plot_task_modality_heatmap, plot_task_strategy_heatmap
from .network import plot_citation_network, plot_label_network, prune_graph
from .palette import color_for, color_map, pretty
from .sankey import plot_strategy_task_sankey, strategy_task_flows
from .seeds import plot_seed_identifiers, plot_seed_tasks, plot_seed_years, seed_years
from .thematic import plot_thematic_map
from .trends import plot_trends, trend_counts

__all__ = [
    "color_for", "color_map", "pretty",
    "plot_citation_network", "plot_label_network", "prune_graph",
    "plot_label_heatmap", "plot_task_strategy_heatmap", "plot_task_modality_heatmap", "cooccurrence_matrix",
    "plot_trends", "trend_counts",
    "plot_model_adoption",
    "plot_strategy_task_sankey", "strategy_task_flows",
    "plot_cluster_map",
    "plot_thematic_map",
    "plot_seed_tasks", "plot_seed_identifiers", "plot_seed_years", "seed_years",
]
