"""Analyses: ``compute_*`` functions from tables and graphs to DataFrames.

Every function takes contract tables (``papers``, ``labels``, ``citations``, ``seeds`` of
:mod:`medvlm_graph.tables`) or networkx graphs (:mod:`medvlm_graph.graphs`) and returns DataFrames
whose columns are documented in its docstring (and listed in the module's ``*_COLUMNS`` constants).

Empty or too-small input never raises: the function returns an empty frame with its documented
columns and the reason in ``df.attrs["skipped"]`` (:func:`skip_reason` reads it). Malformed input (a
missing column, an unknown dimension, an invalid parameter) raises
:class:`~medvlm_graph.errors.DataError`.

================================  =====================================================
trends                            :func:`compute_trends`, :func:`compute_growth`,
                                  :func:`compute_model_adoption`
bursts (Kleinberg)                :func:`compute_bursts`, :func:`compute_citation_bursts`
clusters                          :func:`compute_text_clusters`, :func:`compute_graph_clusters`,
                                  :func:`compute_cluster_agreement`, :func:`compute_thematic_map`
centrality and structure          :func:`compute_centrality`, :func:`compute_spc`,
                                  :func:`compute_main_path`
gaps                              :func:`compute_gaps`, :func:`compute_independence_test`,
                                  :func:`compute_all_gaps`, :func:`compute_gap_trends`,
                                  :func:`compute_model_task_gaps`, :func:`compute_missed_papers`
gap report                        :func:`render_gaps_markdown`
whole runs (CLI and report)       :func:`run_analyses` (the one pass the report and ``plot`` use;
                                  :func:`start_analyses` returns before the forked clusters run ends),
                                  :func:`run_trends`, :func:`run_clusters`, :func:`run_gaps`
                                  (-> :class:`AnalysisRun`), :func:`write_run`
================================  =====================================================
"""

from __future__ import annotations

from ._frames import reason as skip_reason
from .bursts import compute_bursts, compute_citation_bursts, kleinberg_bursts, kleinberg_states
from .centrality import compute_centrality
from .clusters import (
    compute_cluster_agreement,
    compute_graph_clusters,
    compute_text_clusters,
    compute_thematic_map,
    describe_clusters,
    text_similarity_graph,
)
from .gapreport import render_gaps_markdown
from .gaps import (
    DEFAULT_PAIRS,
    compute_all_gaps,
    compute_gap_trends,
    compute_gaps,
    compute_independence_test,
    compute_model_task_gaps,
)
from .missed import compute_missed_papers
from .mainpath import compute_main_path, compute_spc
from .scope import DEFAULT_SCOPE, SCOPES, apply_scope, check_scope, scope_mask
from .pipeline import run_analyses, start_analyses, write_analyses
from .runs import AnalysisRun, run_clusters, run_gaps, run_trends, write_run
from .trends import compute_growth, compute_model_adoption, compute_trends, model_years, models_from_taxonomy

__all__ = [
    "AnalysisRun",
    "DEFAULT_SCOPE",
    "SCOPES",
    "apply_scope",
    "check_scope",
    "scope_mask",
    "DEFAULT_PAIRS",
    "compute_all_gaps",
    "compute_bursts",
    "compute_centrality",
    "compute_citation_bursts",
    "compute_cluster_agreement",
    "compute_gap_trends",
    "compute_gaps",
    "compute_graph_clusters",
    "compute_growth",
    "compute_independence_test",
    "compute_main_path",
    "compute_missed_papers",
    "compute_model_adoption",
    "compute_model_task_gaps",
    "compute_spc",
    "compute_text_clusters",
    "compute_thematic_map",
    "compute_trends",
    "describe_clusters",
    "kleinberg_bursts",
    "kleinberg_states",
    "model_years",
    "models_from_taxonomy",
    "render_gaps_markdown",
    "run_analyses",
    "start_analyses",
    "run_clusters",
    "run_gaps",
    "run_trends",
    "skip_reason",
    "text_similarity_graph",
    "write_analyses",
    "write_run",
]
