"""The command line starts without the heavy libraries; the packages that defer them still export every name."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

HEAVY = ("networkx", "scipy", "pandas", "numpy", "requests", "duckdb", "pyarrow", "sklearn", "plotly")


def test_loading_the_command_line_imports_no_heavy_library():
    # A fresh interpreter: this test process has imported everything already.
    code = ("import sys, medvlm_graph.cli; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == []


@pytest.mark.parametrize("package", ["medvlm_graph.graphs", "medvlm_graph.s2"])
def test_every_public_name_of_a_lazy_package_resolves_to_its_submodule(package):
    pkg = importlib.import_module(package)
    for name in pkg.__all__:
        obj = getattr(pkg, name)
        if callable(obj) and hasattr(obj, "__module__"):
            assert obj.__module__.startswith(package + "."), name
        assert name in dir(pkg)
    with pytest.raises(AttributeError, match="no_such_name"):
        pkg.no_such_name  # noqa: B018


def test_from_imports_of_lazy_names_work():
    from medvlm_graph.graphs import NORMS, build_graph, export_graph
    from medvlm_graph.graphs import matrix
    from medvlm_graph.s2 import DEFAULT_API_URL, refresh
    from medvlm_graph.s2 import client, fetch

    assert NORMS is matrix.NORMS and export_graph.__name__ == "export_graph" and callable(build_graph)
    assert DEFAULT_API_URL == client.DEFAULT_API_URL and refresh is fetch.refresh
