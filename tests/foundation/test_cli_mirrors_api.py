"""The command line mirrors the Python API: every option of a command is a keyword of its function,
of the same name, with the same default (issue 15: a flag is a keyword of the same name)."""

from __future__ import annotations

import inspect

import pytest
from typer.main import get_command

from medvlm_graph.analysis import run_clusters, run_gaps, run_trends
from medvlm_graph.analysis.indicators import run_indicators
from medvlm_graph.build import build
from medvlm_graph.cli import app
from medvlm_graph.ingest import ingest
from medvlm_graph.living import write_candidates
from medvlm_graph.report import write_report
from medvlm_graph.s2 import refresh

GLOBAL = {"data_dir", "quiet", "verbose", "version", "help"}
#: command -> the function it calls, and the options that only steer the terminal (not keywords)
MIRRORS = {
    "trends": (run_trends, set()),
    "clusters": (run_clusters, set()),
    "gaps": (run_gaps, set()),
    "indicators": (run_indicators, set()),
    "build": (build, set()),
    "candidates": (write_candidates, set()),
    "refresh": (refresh, set()),
    "ingest": (ingest, set()),
    "report": (write_report, set()),
}


def _mismatches(name: str) -> list[str]:
    fn, terminal_only = MIRRORS[name]
    params = inspect.signature(fn).parameters
    out = []
    for p in get_command(app).commands[name].params:
        if p.name in GLOBAL | terminal_only:
            continue
        if p.name not in params:
            out.append(f"{name}: option {p.opts[0]} ({p.name}) is not a keyword of {fn.__name__}")
            continue
        default = params[p.name].default
        if default is not inspect.Parameter.empty and not p.multiple and p.default != default:
            out.append(f"{name}: {p.name} defaults to {p.default!r} on the command line, {default!r} in the API")
        if p.opts[0] != "--" + p.name.replace("_", "-"):
            out.append(f"{name}: the first spelling of {p.name} is {p.opts[0]}, not --{p.name.replace('_', '-')}")
    return out


@pytest.mark.parametrize("name", sorted(MIRRORS))
def test_every_option_is_a_keyword_of_the_same_name_and_default(name):
    assert _mismatches(name) == []


def test_the_check_catches_a_renamed_option(monkeypatch):
    def run_trends_renamed(papers, labels, *, dims=()):  # a function whose keyword differs
        return None

    monkeypatch.setitem(MIRRORS, "trends", (run_trends_renamed, set()))
    assert any("--dimensions" in m for m in _mismatches("trends"))
