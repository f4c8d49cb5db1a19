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


def _public_functions(package: str) -> list:
    """Functions a user of ``package`` can call: exported by it, or public in its public modules."""
    import inspect

    pkg = importlib.import_module(package)
    found = {}
    for info in pkgutil.iter_modules(pkg.__path__, package + "."):
        if info.name.rsplit(".", 1)[1].startswith("_"):
            continue
        for name, obj in vars(importlib.import_module(info.name)).items():
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    for name in getattr(pkg, "__all__", []):
        obj = getattr(pkg, name)
        if inspect.isfunction(obj):
            found.setdefault(f"{obj.__module__}.{obj.__name__}", obj)
    return sorted(found.items())


@pytest.mark.parametrize("package", ["medvlm_graph.analysis", "medvlm_graph.graphs"])
def test_public_functions_have_examples(package):
    finder = doctest.DocTestFinder()
    missing = [name for name, fn in _public_functions(package)
               if "\n    Examples\n    --------\n" not in (fn.__doc__ or "")
               or not any(t.examples for t in finder.find(fn, name))]
    assert missing == []


# Methods taken from the literature cite their source (numpydoc References).
CITED = {
    "medvlm_graph.analysis.bursts.compute_bursts": "Kleinberg",
    "medvlm_graph.analysis.bursts.compute_citation_bursts": "Kleinberg",
    "medvlm_graph.analysis.bursts.kleinberg_states": "Kleinberg",
    "medvlm_graph.analysis.mainpath.compute_spc": "Batagelj",
    "medvlm_graph.analysis.mainpath.compute_main_path": "Hummon",
    "medvlm_graph.analysis.centrality.compute_centrality": "Chen, C. (2006)",
    "medvlm_graph.analysis.clusters.compute_graph_clusters": "Blondel",
    "medvlm_graph.analysis.clusters.compute_thematic_map": "Callon",
    "medvlm_graph.graphs.matrix.normalize": "van Eck",
    "medvlm_graph.graphs.cooccurrence.build_cocitation_graph": "van Eck",
}


@pytest.mark.parametrize("name", sorted(CITED))
def test_literature_methods_cite_their_source(name):
    module, func = name.rsplit(".", 1)
    doc = getattr(importlib.import_module(module), func).__doc__
    references = doc.split("\n    References\n    ----------\n", 1)
    assert len(references) == 2 and CITED[name] in references[1]
