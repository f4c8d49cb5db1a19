"""CLI: trends, clusters, gaps on a temp data dir with hand-written (synthetic) processed tables,
and `medvlm-graph gaps` on the shipped snapshot in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.paths import DataPaths

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path, synthetic_corpus):
    paths = DataPaths(tmp_path / "data")
    paths.processed.mkdir(parents=True)
    for name, df in synthetic_corpus.items():
        df.to_parquet(paths.table(name), index=False)
    return paths


def run(paths, *args):
    return runner.invoke(app, ["--data-dir", str(paths.root), *args])


def test_trends_command(data_dir):
    res = run(data_dir, "trends", "--last", "2")
    assert res.exit_code == 0, res.output
    assert "Most frequent labels per dimension" in res.output
    t = pd.read_parquet(data_dir.analysis / "trends.parquet")
    seg = t[(t["dimension"] == "task") & (t["label"] == "segmentation")]
    assert seg[["year", "count"]].values.tolist() == [[2020, 1], [2021, 1], [2022, 1], [2023, 1]]
    assert (data_dir.analysis / "trends.csv").exists()
    g = pd.read_csv(data_dir.analysis / "growth.csv")
    assert set(g["start_year"]) == {2022} and set(g["end_year"]) == {2023}
    a = pd.read_csv(data_dir.analysis / "model_adoption.csv")
    assert a[["model", "task", "first_year", "n_papers"]].values.tolist() == [["sam", "segmentation", 2020, 4]]
    for name in ("bursts", "citation_bursts"):
        assert (data_dir.analysis / f"{name}.parquet").exists()


def test_trends_bad_dimension(data_dir):
    res = run(data_dir, "trends", "--dimension", "colour")
    assert res.exit_code == 2 and "unknown dimension 'colour'" in res.output


def test_clusters_command(data_dir):
    res = run(data_dir, "clusters", "--scope", "seeds")
    assert res.exit_code == 0, res.output
    assert "Agreement with the review's task sections" in res.output
    a = pd.read_csv(data_dir.analysis / "text_clusters.csv")
    groups = sorted(a.groupby("cluster")["paper_id"].apply(sorted).tolist())
    assert groups == [["p0", "p1", "p2", "p3"], ["p4", "p5", "p6", "p7"]]
    agree = pd.read_csv(data_dir.analysis / "cluster_agreement.csv")
    assert agree.set_index("clustering").loc["text", "adjusted_rand"] == 1.0
    c = pd.read_csv(data_dir.analysis / "centrality.csv").set_index("paper_id")
    assert c.loc["p0", "local_citations"] == 3 and c.loc["x1", "local_citations"] == 3
    path = pd.read_csv(data_dir.analysis / "main_path.csv")
    assert len(path) >= 2 and path["year"].is_monotonic_increasing
    assert (data_dir.analysis / "thematic_map.csv").exists()
    assert (data_dir.analysis / "graph_clusters.csv").exists()


def test_gaps_command(data_dir):
    res = run(data_dir, "gaps", "--pair", "task:strategy", "--pair", "task:modality")
    assert res.exit_code == 0, res.output
    assert "task x strategy" in res.output and "wrote" in res.output
    g = pd.read_parquet(data_dir.analysis / "gaps.parquet")
    assert set(zip(g["dim_a"], g["dim_b"])) == {("task", "strategy"), ("task", "modality")}
    cell = g[(g["label_a"] == "segmentation") & (g["label_b"] == "knowledge")].iloc[0]
    assert (cell["observed"], cell["expected"]) == (0, 1.0)  # 4 x 2 / 8
    md = (data_dir.analysis / "gaps.md").read_text()
    assert md.startswith("# Research gaps") and "Data: 10 papers (8 from the seed list), 28 labels, 12 citations." in md
    missed = pd.read_csv(data_dir.analysis / "missed_papers.csv")
    assert set(missed["paper_id"]) == {"x1", "x2"}
    x1 = missed.set_index("paper_id").loc["x1"]
    # x1 is cited by x2 (with seed p0), p2 (with p1) and p6 (with p5); it is cited by seeds p2 and p6
    assert (x1["cocited_with_seeds"], x1["cited_by_seeds"]) == (3, 2)


def test_gaps_bad_pair(data_dir):
    res = run(data_dir, "gaps", "--pair", "task")
    assert res.exit_code == 2 and "--pair 'task'" in res.output
    res = run(data_dir, "clusters", "--scope", "everything")
    assert res.exit_code == 2 and "unknown scope 'everything'; use one of: field, seeds, all" in res.output


def test_gaps_without_citations_says_what_is_skipped(data_dir, synthetic_corpus):
    synthetic_corpus["citations"].iloc[0:0].to_parquet(data_dir.table("citations"), index=False)
    res = run(data_dir, "gaps")
    assert res.exit_code == 0, res.output
    assert "skipped: papers the review may have missed: needs S2 data" in res.output
    md = (data_dir.analysis / "gaps.md").read_text()
    assert "no Semantic Scholar data yet" in md and "needs S2 data" in md


@pytest.mark.slow
def test_gaps_on_shipped_snapshot_subprocess(tmp_path):
    """Done means: on the snapshot alone, gaps.md names concrete empty combinations, each traceable."""
    env = {**os.environ, "MEDVLM_GRAPH_DATA_DIR": str(tmp_path / "data")}
    exe = [sys.executable, "-m", "medvlm_graph"]
    proc = subprocess.run([*exe, "gaps"], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "skipped: papers the review may have missed" in proc.stdout
    out = DataPaths(tmp_path / "data").analysis
    cells = pd.read_csv(out / "gaps.csv", keep_default_na=False)
    labels = pd.read_parquet(DataPaths(tmp_path / "data").table("labels"))
    labels = labels[labels["score"].fillna(1.0) >= 0.5]
    have = set(zip(labels["paper_id"], labels["dimension"], labels["label"]))
    used = cells[cells["flag"] != "unused"]
    assert len(used) > 0 and (used["observed"] == 0).any()
    for r in used.itertuples():
        ids = [p for p in str(r.paper_ids).split(";") if p]
        assert len(ids) == r.observed
        assert all((p, r.dim_a, r.label_a) in have and (p, r.dim_b, r.label_b) in have for p in ids)
    md = (out / "gaps.md").read_text()
    assert "### Combinations with no paper" in md and "## What could not be computed" in md
    empty = used[(used["dim_a"] == "task") & (used["dim_b"] == "strategy") & (used["observed"] == 0)]
    top = empty.sort_values(["expected", "label_a", "label_b"], ascending=[False, True, True]).iloc[0]
    assert f"{top.label_a} x {top.label_b} (0 observed, {top.expected:.1f} expected)" in md


def test_trends_on_the_snapshot_leave_its_partial_year_out(tmp_path):
    """The snapshot was taken on 2025-10-16: 2025 is partial, and growth says it stops at 2024."""
    paths = DataPaths(tmp_path / "data")
    res = run(paths, "trends")
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())  # rich wraps the title
    # the field (default scope): the general models of the model table (VL-BERT 2019, CLIP 2021) are out
    assert "Most frequent labels per dimension, 2022-2025; growth leaves out 2025, partial (data of 2025-10-16)" in text
    assert "cagr 2022-2024" in text
    assert ("note: growth: leaves out 2025, the year the data was collected (partial); include_partial "
            "(--include-partial) keeps it") in res.stdout
    g = pd.read_csv(paths.analysis / "growth.csv")
    assert set(g["end_year"]) == {2024}
    res = run(paths, "trends", "--include-partial")
    assert "growth counts 2025, partial (data of 2025-10-16)" in " ".join(res.stdout.split())
    assert set(pd.read_csv(paths.analysis / "growth.csv")["end_year"]) == {2025}
