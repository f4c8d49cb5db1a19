"""Two builds of a changing SYNTHETIC world (tests/relevance/field_world.py): exact differences."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

import field_world
from medvlm_graph.build import build
from medvlm_graph.cli import app
from medvlm_graph.living import compute_changes, previous_build
from medvlm_graph.living.diff import load_build
from medvlm_graph.paths import DataPaths

NEW = ("f35", "f36")  # published between the two refreshes


def _first_week(world: dict) -> dict:
    c = world["citations"]
    return {"papers": world["papers"][~world["papers"]["paper_id"].isin(NEW)],
            "citations": c[~c["citing_id"].isin(NEW) & ~c["cited_id"].isin(NEW)],
            "seeds": world["seeds"], "truth": world["truth"]}


def test_two_refreshes_a_week_apart(tmp_path):
    paths = DataPaths(tmp_path / "data")
    world = field_world.build()
    field_world.write_fetched(paths, _first_week(world))
    build(paths)
    assert previous_build(paths) is None
    field_world.write_fetched(paths, world)
    (paths.root / "overrides.csv").write_text("paper_id,dimension,label,action\nf01,field,out,add\n")
    build(paths)
    assert previous_build(paths) is not None

    res = CliRunner().invoke(app, ["--data-dir", str(paths.root), "diff", "--since-last"])
    assert res.exit_code == 0, res.output
    out = paths.processed / "changes"
    entered = pd.read_csv(out / "field_entered.csv")
    assert entered[["paper_id", "status"]].values.tolist() == [["f35", "new paper"], ["f36", "new paper"]]
    left = pd.read_csv(out / "field_left.csv")
    assert left[["paper_id", "status"]].values.tolist() == [["f01", "set aside"]]
    # new citations of the seeds: exactly the edges from the two new papers to seeds
    c = world["citations"]
    seeds = set(world["seeds"]["paper_id"])
    expected = c[c["citing_id"].isin(NEW) & c["cited_id"].isin(seeds)].groupby("cited_id").size()
    got = pd.read_csv(out / "seed_citations.csv").set_index("paper_id")["new_citations"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    ranks = pd.read_csv(out / "candidate_ranks.csv").set_index("paper_id")
    assert set(ranks.index[ranks["status"] == "new"]) == set(NEW)
    assert ranks.loc["f01", "status"] == "dropped"
    by_label = pd.read_csv(out / "new_by_label.csv")
    assert by_label[by_label["dimension"] == "task"][["label", "new_papers"]].values.tolist() == [
        ["report_generation", 1]]  # f35 names report generation; f36 no task
    md = (out / "changes.md").read_text()
    assert "- 2 paper(s) entered the field (2 new), 1 left it." in md
    assert "2 paper(s) entered the field (2 new), 1 left it" in res.output


def test_diff_between_two_data_directories_and_errors(tmp_path):
    world = field_world.build()
    a, b = DataPaths(tmp_path / "a"), DataPaths(tmp_path / "b")
    field_world.write_fetched(a, _first_week(world))
    field_world.write_fetched(b, world)
    build(a)
    build(b)
    ch = compute_changes(load_build(a.root), load_build(b.root))
    assert ch["field_entered"]["paper_id"].tolist() == list(NEW) and ch["field_left"].empty
    runner = CliRunner()
    res = runner.invoke(app, ["--data-dir", str(b.root), "diff", str(a.root)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--data-dir", str(b.root), "diff", str(tmp_path / "nothing")])
    assert res.exit_code == 1 and "holds no built tables" in res.output
    res = runner.invoke(app, ["--data-dir", str(a.root), "diff", "--since-last"])
    assert res.exit_code == 2 and "no previous build" in res.output
