"""`medvlm-graph report` and `medvlm-graph plot` through Typer's runner and one subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

import plotly.graph_objects as go
import pytest
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.report import PLOTLY_SIGNATURE

runner = CliRunner()


def test_report_command(built_dir):
    res = runner.invoke(app, ["--data-dir", str(built_dir), "report"])
    assert res.exit_code == 0, res.output
    folder = built_dir / "processed" / "report"
    index = folder / "index.html"
    lines = res.stdout.splitlines()
    written = sorted(p.name for p in folder.iterdir())
    assert lines[0] == f"Wrote {len(written)} files:" and len(written) >= 3  # every file, the CSVs gaps.md cites too
    assert lines[1].startswith(f"  {index} (the report, ") and lines[1].endswith(" MB, works offline)")
    assert lines[2] == f"  {folder / 'gaps.md'} (the gap report)"
    assert sorted(line.strip().split(" ")[0].rsplit("/", 1)[1] for line in lines[1:]) == written
    assert index.read_text(encoding="utf-8").count(PLOTLY_SIGNATURE) == 1


def test_plot_html(built_dir, tmp_path):
    out = tmp_path / "figs" / "sankey.html"
    res = runner.invoke(app, ["--data-dir", str(built_dir), "plot", "sankey", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == f"Figure sankey written to {out}"
    html = out.read_text(encoding="utf-8")
    assert html.count(PLOTLY_SIGNATURE) == 1 and '"type":"sankey"' in html
    assert "cdn.plot.ly" not in html.split("* plotly.js v")[0]  # library inlined, not fetched


def test_plot_list_and_usage_errors(built_dir, tmp_path):
    res = runner.invoke(app, ["plot", "--list"])
    assert res.exit_code == 0 and res.output.splitlines()[0].startswith("seed-tasks")
    res = runner.invoke(app, ["--data-dir", str(built_dir), "plot", "nope", "--out", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "Error: unknown figure 'nope'; choose one of: seed-tasks" in res.output
    res = runner.invoke(app, ["--data-dir", str(built_dir), "plot", "sankey", "--out", str(tmp_path / "x.gif")])
    assert res.exit_code == 2 and "Error: unsupported output 'x.gif': use .html, .png or .svg" in res.output


def test_plot_png_without_static_exporter(built_dir, tmp_path, monkeypatch):
    def broken(self, *a, **k):
        raise RuntimeError("no chrome")

    monkeypatch.setattr(go.Figure, "write_image", broken)
    res = runner.invoke(app, ["--data-dir", str(built_dir), "plot", "seed-tasks", "--out", str(tmp_path / "x.png")])
    assert res.exit_code == 1
    assert res.output.strip() == ("Error: static image export failed (RuntimeError): kaleido needs Chrome or "
                                  "Chromium (apt-get install chromium, or run plotly_get_chrome), or export .html")
    assert not (tmp_path / "x.png").exists()


def test_plot_png_without_kaleido_names_the_extra(built_dir, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kaleido", None)  # import kaleido raises ImportError: the default install
    res = runner.invoke(app, ["--data-dir", str(built_dir), "plot", "seed-tasks", "--out", str(tmp_path / "x.png")])
    assert res.exit_code == 1
    assert res.output.strip() == ('Error: PNG and SVG need the static exporter: pip install ".[static]" (kaleido), '
                                  "or export .html")


def test_plot_without_out_writes_under_the_data_directory(built_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["plot", "sankey", "--data-dir", str(built_dir)])
    assert res.exit_code == 0, res.output
    out = built_dir / "processed" / "figures" / "sankey.html"
    assert res.output.strip() == f"Figure sankey written to {out}"
    assert out.exists() and not (tmp_path / "sankey.html").exists()


def test_plot_citation_network_needs_citations(tmp_path, synth):
    data = synth.write_data_dir(tmp_path / "data", fetched=False)
    for name in ("citations",):
        from medvlm_graph.io import write_parquet
        from medvlm_graph.tables import empty

        write_parquet(empty(name), data / "processed" / f"{name}.parquet")
    res = runner.invoke(app, ["--data-dir", str(data), "plot", "citation-network", "--out", str(tmp_path / "n.html")])
    assert res.exit_code == 1
    assert "Error: no citation data: run `medvlm-graph refresh` or `ingest` first" in res.output


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="no Chromium for kaleido here")
def test_plot_svg_with_kaleido(built_dir, tmp_path):
    pytest.importorskip("kaleido", reason="kaleido (the static exporter) is not installed")
    out = tmp_path / "tasks.svg"
    res = runner.invoke(app, ["--data-dir", str(built_dir), "plot", "seed-tasks", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_subprocess_plot(built_dir, tmp_path):
    out = tmp_path / "ids.html"
    proc = subprocess.run([sys.executable, "-m", "medvlm_graph", "--data-dir", str(built_dir), "-q", "plot",
                           "seed-identifiers", "--out", str(out)], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert out.exists() and proc.stdout == ""  # --quiet: no summary line
    proc = subprocess.run([sys.executable, "-m", "medvlm_graph", "--data-dir", str(built_dir), "plot", "bogus"], capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 2 and proc.stderr.startswith("Error: unknown figure 'bogus'")
    assert "Traceback" not in proc.stderr


def test_every_named_figure_draws_on_built_data(built_dir):
    from medvlm_graph.report.builder import analysis_runs, load_report_data
    from medvlm_graph.report.figures import FIGURES

    data = load_report_data(built_dir)
    runs = analysis_runs(data)  # the one analysis pass every figure draws from
    traces = {name: len(make(data, runs).data) for name, (make, _) in FIGURES.items()}
    assert [n for n, k in traces.items() if k == 0] == []
    assert traces["sankey"] == 1
    assert traces["thematic-map"] == len(runs["clusters"].tables["thematic_map"])  # a bubble trace per cluster
    assert traces["task-strategy"] >= 2  # heatmap + marked cells


def test_report_header_names_the_chosen_list(tmp_path):
    """After `seeds --source mylist.csv` the header names that list and its rows, not the shipped snapshot."""
    data = tmp_path / "data"
    mylist = tmp_path / "mylist.csv"
    mylist.write_text("title,url\n"
                      "A synthetic paper on chest X-ray report generation,https://arxiv.org/abs/2301.00001\n"
                      "Another synthetic paper on CT segmentation,https://arxiv.org/abs/2302.00002\n"
                      "A third synthetic paper on pathology VQA,\n", encoding="utf-8")
    res = runner.invoke(app, ["--data-dir", str(data), "seeds", "--source", str(mylist)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--data-dir", str(data), "report"])
    assert res.exit_code == 0, res.output
    html = (data / "processed" / "report" / "index.html").read_text(encoding="utf-8")
    header = html.split('<header class="top">', 1)[1].split("</header>", 1)[0]
    assert f"Seed list: {mylist.resolve()}, 3 rows" in header
    assert "4d3b7c7" not in header and "221" not in header
