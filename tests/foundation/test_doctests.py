"""Every docstring example in the package runs and gives what it shows (each module once, here)."""

import doctest
import importlib
import pkgutil

import pytest

import medvlm_graph

# __main__ runs the CLI on import; the screenshot tool drives a browser.
SKIP = {"medvlm_graph.__main__", "medvlm_graph.report.screenshot"}
MODULES = sorted(m.name for m in pkgutil.walk_packages(medvlm_graph.__path__, "medvlm_graph.")
                 if m.name not in SKIP)
# Modules whose examples are their documentation: a module here with no example fails.
MUST_HAVE_EXAMPLES = {f"medvlm_graph.seeds.{n}" for n in
                      ("ids", "titles", "tasks", "rows", "markdown", "bibtex", "ris", "csvlist", "summary")}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0 or name not in MUST_HAVE_EXAMPLES


def test_must_have_examples_names_real_modules():
    assert MUST_HAVE_EXAMPLES <= set(MODULES)
