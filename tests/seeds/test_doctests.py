"""The examples in the seeds modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["ids", "titles", "tags", "tasks", "rows", "inline", "links", "entries", "outline", "pipetables", "markdown",
           "report", "merge", "groups", "bibtex", "ris", "csvlist", "sources", "summary"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"medvlm_graph.seeds.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 or name == "sources"
    assert result.failed == 0
