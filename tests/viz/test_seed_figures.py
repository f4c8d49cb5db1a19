"""Day-one seed figures on a hand-made seeds frame (SYNTHETIC rows) and on the shipped snapshot."""

from __future__ import annotations

import pandas as pd

from medvlm_graph import viz
from medvlm_graph.viz.palette import color_for


def _seeds() -> pd.DataFrame:
    return pd.DataFrame({
        "seed_id": list("abcdef"),
        "task": ["vqa", "vqa", "segmentation", None, None, None],
        "model_name": [None, None, None, "CLIP", "MedCLIP", "SAM"],
        "origin": [None, None, None, "natural", "medical", "natural"],
        "title": ['<b onmouseover="x">T</b>', "b", "c", "d", "e", "f"],
        "arxiv_id": ["2303.00915", None, None, "2103.00020", None, "2304.02643"],
        "doi": [None, "10.1/x", None, None, "10.2/y", None],
        "pii": [None, None, "S1361841524002822", None, None, None],
        "venue_hint": [None, None, None, None, "EMNLP", None],
        "year_hint": [None, None, None, None, 2022, None],
    })


def test_seed_tasks():
    fig = viz.plot_seed_tasks(_seeds())
    assert [t.name for t in fig.data] == ["task sections", "model table: medical", "model table: natural"]
    bars = fig.data[0]
    assert dict(zip(bars.y, bars.x)) == {"VQA": 2, "Segmentation": 1}
    assert list(bars.marker.color) == [color_for("segmentation"), color_for("vqa")]
    assert fig.data[2].x == (2,)


def test_seed_identifiers():
    fig = viz.plot_seed_identifiers(_seeds())
    tasks, models = fig.data
    assert (tasks.name, models.name) == ("task sections", "model table")
    assert list(tasks.x) == ["arXiv", "DOI", "ScienceDirect PII", "PMC", "ACL Anthology", "IEEE",
                             "venue/year hint only", "none"]
    assert list(tasks.y) == [1, 1, 1, 0, 0, 0, 0, 0]
    assert list(models.y) == [2, 1, 0, 0, 0, 0, 0, 0]  # DOI wins over the venue hint for MedCLIP


def test_seed_years():
    years = viz.seed_years(_seeds())
    assert years.values.tolist() == [["a", 2023, "arXiv id"], ["d", 2021, "arXiv id"],
                                     ["e", 2022, "venue or publisher link"], ["f", 2023, "arXiv id"]]
    fig = viz.plot_seed_years(_seeds())
    assert [t.name for t in fig.data] == ["from arXiv id", "from venue or publisher link"]
    assert list(fig.data[0].x) == [2021, 2022, 2023] and list(fig.data[0].y) == [1, 0, 2]


def test_seed_figures_on_the_shipped_snapshot():
    from medvlm_graph.seeds import load_snapshot

    seeds = load_snapshot()
    tasks = viz.plot_seed_tasks(seeds)
    assert sum(tasks.data[0].x) == 153
    assert sum(sum(t.x) for t in tasks.data[1:]) == 68
    ids = viz.plot_seed_identifiers(seeds)
    arxiv = sum(t.y[0] for t in ids.data)
    assert arxiv == int(seeds["arxiv_id"].notna().sum()) == 96
    assert sum(sum(t.y) for t in ids.data) == 221
