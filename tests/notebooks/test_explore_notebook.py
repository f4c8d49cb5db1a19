"""notebooks/explore.ipynb runs top to bottom on the shipped snapshot (so it cannot rot)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "explore.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 10
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
def test_notebook_runs(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    data = tmp_path / "data"
    monkeypatch.setenv("MEDVLM_GRAPH_DATA_DIR", str(data))  # the kernel inherits the environment
    monkeypatch.chdir(tmp_path)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")
    assert "221 rows from github.com/haonenglin/Awesome-VLM-for-MIA at commit 4d3b7c71409b" in text
    assert f"report: {data / 'processed' / 'report' / 'index.html'}" in text
    assert (data / "processed" / "papers.parquet").exists()
    # the figure cells produced Plotly outputs
    plotly_outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                      if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(plotly_outputs) >= 4
