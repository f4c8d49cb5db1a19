"""run_indicators and `medvlm-graph indicators`: flags mirror the keywords, tables and exports are written,
the snapshot alone skips what needs citations. Tables here are SYNTHETIC (tests/analysis/conftest.py)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from medvlm_graph import tables
from medvlm_graph.analysis.indicators import run_indicators
from medvlm_graph.cli import app
from medvlm_graph.cli.indicators import indicators as indicators_command
from medvlm_graph.paths import DataPaths

runner = CliRunner()
TABLES = ["disruption", "sleeping_beauties", "sleeping_beauty_curves", "rpys", "rpys_peaks", "tree_of_science",
          "authors", "venues", "lotka", "coauthor_members", "coauthor_clusters", "coword_terms", "coword_links"]


@pytest.fixture
def corpus(synthetic_corpus):
    c = dict(synthetic_corpus)
    c["authorships"] = tables.conform(pd.DataFrame({
        "paper_id": ["p0", "p0", "p1", "p2", "p4", "p5", "p5"],
        "author_id": ["1", "2", "1", "1", "3", "3", "4"],
        "author_name": ["Ann", "Bo", "Ann", "Ann", "Cy", "Cy", "Di"]}), "authorships")
    c["papers"] = c["papers"].assign(venue=["Venue A"] * 5 + ["Venue B"] * 3 + [None, None],
                                     in_field=[True] * 8 + [False, False])
    return c


@pytest.fixture
def data_dir(tmp_path, corpus):
    paths = DataPaths(tmp_path / "data")
    paths.processed.mkdir(parents=True)
    for name, df in corpus.items():
        df.to_parquet(paths.table(name), index=False)
    return paths


def test_flags_mirror_the_keywords():
    """Every flag is a keyword of run_indicators of the same name (with dashes), and vice versa."""
    flags = {p.name for p in inspect.signature(indicators_command).parameters.values() if p.name != "ctx"}
    keywords = {p.name for p in inspect.signature(run_indicators).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY} - {"citations", "authorships", "taxonomy"}
    assert flags == keywords
    for name in flags:  # same defaults
        assert inspect.signature(indicators_command).parameters[name].default == \
            inspect.signature(run_indicators).parameters[name].default
    cmd = next(c for c in app.registered_commands if c.name == "indicators" or c.callback is indicators_command)
    assert cmd.callback is indicators_command


def test_run_indicators_on_the_synthetic_corpus(corpus):
    run = run_indicators(corpus["papers"], citations=corpus["citations"], authorships=corpus["authorships"])
    assert run.name == "indicators" and list(run.tables) == TABLES
    cd = run.tables["disruption"].set_index("paper_id")
    # focal papers: the field only (x1, x2 are outside); citers: the whole corpus. p1 (2021) cites p0;
    # p2 (2022) cites p1 -> n_i; p3 (2023) and x2 (2022, outside the field) cite p0 only -> n_k = 2
    assert cd.loc["p1", ["n_i", "n_j", "n_k"]].tolist() == [1, 0, 2]
    assert set(cd.index) <= {f"p{i}" for i in range(8)}
    rpys = run.tables["rpys"]
    assert rpys["year"].tolist() == [2020, 2021, 2022] and rpys["references"].tolist() == [4, 4, 2]
    authors = run.tables["authors"]
    assert authors[["name", "papers"]].values.tolist() == [["Ann", 3], ["Cy", 2], ["Bo", 1], ["Di", 1]]
    assert run.tables["venues"]["zone"].tolist() == [1, 2]
    assert run.tables["coauthor_clusters"]["authors"].tolist() == [2, 2]
    assert len(run.tables["coword_terms"]) > 2 and run.skipped == {}


def test_indicators_command(data_dir):
    res = runner.invoke(app, ["--data-dir", str(data_dir.root), "indicators", "--window", "3", "--top", "2",
                              "--n-terms", "10", "--seed", "1"])
    assert res.exit_code == 0, res.output
    assert "Most disruptive and most consolidating papers (CD3)" in res.output
    assert "Most productive authors" in res.output and "wrote 28 files" in res.output
    out = data_dir.analysis
    for stem in TABLES:
        assert (out / f"{stem}.csv").exists() and (out / f"{stem}.parquet").exists()
    assert set(pd.read_parquet(out / "disruption.parquet")["window"]) == {3}
    assert len(pd.read_csv(out / "authors.csv")) == 2
    terms = pd.read_parquet(out / "coword_terms.parquet")
    assert len(terms) <= 10
    vos = json.loads((out / "coword_map.json").read_text())
    assert sorted(i["label"] for i in vos["network"]["items"]) == sorted(terms["term"])
    G = nx.read_graphml(out / "coword_map.graphml")
    assert G.number_of_edges() == len(pd.read_parquet(out / "coword_links.parquet"))


def test_indicators_scope_and_usage_errors(data_dir):
    res = runner.invoke(app, ["--data-dir", str(data_dir.root), "indicators", "--scope", "nowhere"])
    assert res.exit_code == 2 and "unknown scope 'nowhere'" in res.output
    res = runner.invoke(app, ["--data-dir", str(data_dir.root), "indicators", "--window", "0"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["--data-dir", str(data_dir.root), "-q", "indicators", "--scope", "all"])
    assert res.exit_code == 0 and res.output == ""
    cd = pd.read_parquet(data_dir.analysis / "disruption.parquet")
    # scope all: x2 (outside the field) gets a CD; x1 cites nothing, so it has none
    assert "x2" in set(cd["paper_id"]) and "x1" not in set(cd["paper_id"])


@pytest.mark.slow
def test_indicators_on_the_snapshot_alone(tmp_path):
    """The shipped list alone: citation indicators skipped with the reason, the co-word map computed."""
    env = {**os.environ, "MEDVLM_GRAPH_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "medvlm_graph", "indicators"], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for part in ("disruption (CD index)", "sleeping beauties", "RPYS", "tree of science"):
        assert f"skipped: {part}: no citations in the corpus (they come from `medvlm-graph refresh` or `ingest`)" in proc.stdout
    assert "skipped: authors: no authorships" in proc.stdout
    assert "Co-word clusters" in proc.stdout
    out = tmp_path / "data" / "processed" / "analysis"
    assert len(pd.read_parquet(out / "coword_terms.parquet")) == 100
    assert pd.read_parquet(out / "disruption.parquet").empty
