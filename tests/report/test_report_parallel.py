"""The report drawn on two processes (the analysis pass's clusters run forked while the other
sections are drawn) is the report drawn on one: same HTML apart from its time line, same files, on
SYNTHETIC built data (tests/report/synthetic.py), including hostile strings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from medvlm_graph.analysis import pipeline
from medvlm_graph.analysis._fork import can_fork
from medvlm_graph.report import builder

pytestmark = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork (the report runs in one process)")


def _report(data: Path, workers: int, monkeypatch) -> tuple[str, dict[str, bytes]]:
    monkeypatch.setattr(pipeline, "choose_workers", lambda n, w=None: workers)
    written = builder.write_report_files(data)
    html = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "TIME", written[0].read_text())
    analysis = data / "processed" / "analysis"
    files = {p.name: p.read_bytes() for p in sorted(analysis.iterdir()) if p.suffix in (".csv", ".md")}
    return html, files


@pytest.mark.parametrize("hostile", [False, True])
def test_two_processes_draw_the_report_of_one(synth, tmp_path, monkeypatch, hostile):
    one = synth.write_data_dir(tmp_path / "one", hostile=hostile)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    html1, files1 = _report(one, 1, monkeypatch)
    html2, files2 = _report(two, 2, monkeypatch)
    assert html1.replace(str(one), "DIR") == html2.replace(str(two), "DIR")
    assert files1 == files2
    # the sections drawn by the worker are there, between those drawn here, in the page's order
    order = [html2.index(f'id="{fig}"') for fig in ("fig-trends-task", "fig-network", "fig-cluster-map",
                                                     "fig-thematic", "fig-disruption", "fig-tree")]
    assert order == sorted(order)


def test_a_section_that_fails_fails_the_report_and_stops_the_worker(synth, tmp_path, monkeypatch):
    data = synth.write_data_dir(tmp_path / "data")
    jobs = []
    real = pipeline.Forked
    monkeypatch.setattr(pipeline, "Forked", lambda *a, **k: jobs.append(real(*a, **k)) or jobs[-1])

    def broken(*args, **kwargs):
        raise RuntimeError("figure bug")

    monkeypatch.setattr(builder, "section_labels", broken)  # drawn while the worker computes the clusters run
    with pytest.raises(RuntimeError, match="figure bug"):
        _report(data, 2, monkeypatch)
    assert len(jobs) == 1 and not jobs[0]._proc.is_alive()


def test_a_failing_clusters_run_fails_the_report(synth, tmp_path, monkeypatch):
    data = synth.write_data_dir(tmp_path / "data")

    def broken(*args, **kwargs):
        raise RuntimeError("clusters bug")

    monkeypatch.setattr(pipeline, "run_clusters", broken)
    with pytest.raises(RuntimeError, match="clusters bug") as info:
        _report(data, 2, monkeypatch)
    assert "in the clusters run process" in "".join(info.value.__notes__)


def test_the_command_takes_workers(synth, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from medvlm_graph.cli import app

    data = synth.write_data_dir(tmp_path / "data")
    seen = []
    real = builder.write_report_files
    monkeypatch.setattr(builder, "write_report_files", lambda *a, **k: seen.append(k["workers"]) or real(*a, **k))
    res = CliRunner().invoke(app, ["--data-dir", str(data), "report", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert seen == [1]
    res = CliRunner().invoke(app, ["--data-dir", str(data), "report", "--workers", "3"])
    assert res.exit_code == 2 and "--workers" in res.output
