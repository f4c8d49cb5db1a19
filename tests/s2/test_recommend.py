"""``refresh --recommend``: the Recommendations API on the local fake, over the SYNTHETIC world of s2_world.py."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import s2_samples as S
from conftest import KEY
from s2_fakeapi import Fault
from s2_world import A, B, E, F, H, R, REF_A0, build_seeds
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.errors import ApiError, InputError
from medvlm_graph.paths import DataPaths
from medvlm_graph.s2 import S2Client, positive_groups, recommend_papers, refresh
from medvlm_graph.s2.parse import PAPER_FIELDS

PATH = "/recommendations/v1/papers/"
GROUPS = [("report_generation", [A]), ("vqa", [B, F]), ("segmentation", [E, H])]


def run(fake, data_dir, fast, **kw):
    return refresh(build_seeds(), data_dir=data_dir, api_url=fake.base_url, recommend=True, **{**fast, **kw})


def papers(data_dir) -> pd.DataFrame:
    return pd.read_parquet(DataPaths(data_dir).fetched_table("papers")).set_index("paper_id")


def test_one_request_per_task_with_its_seeds_as_positives(fake, fast, tmp_path, monkeypatch):
    monkeypatch.setenv("S2_API_KEY", KEY)
    s = run(fake, tmp_path, fast)
    asked = fake.requests(path=PATH)
    assert [r["method"] for r in asked] == ["POST"] * 3
    assert [r["body"] for r in asked] == [{"positivePaperIds": pids, "negativePaperIds": None} for _, pids in GROUPS]
    assert [r["query"] for r in asked] == [{"fields": ",".join(PAPER_FIELDS), "limit": "100"}] * 3
    assert all(r["key"] == KEY for r in fake.log)  # the same session and key as every other request
    assert s.complete and s.requests == 23 + 3
    assert s.recommendations == [{"task": "report_generation", "positives": 1, "returned": 3},
                                 {"task": "vqa", "positives": 2, "returned": 4},
                                 {"task": "segmentation", "positives": 2, "returned": 3}]
    assert s.recommended == 5 and s.papers == 2045 + 5

    p = papers(tmp_path)
    assert sorted(p.index[p["source"] == "recommendations"]) == sorted(R.values())
    assert p.loc[R[1], "title"] == "A Recent Synthetic Vision-Language Study 1" and p.loc[R[1], "year"] == 2025
    assert not p.loc[R[1], "is_seed"]
    # papers the graph already holds keep what they are
    assert (bool(p.loc[A, "is_seed"]), p.loc[A, "source"]) == (True, "s2")
    assert (bool(p.loc[B, "is_seed"]), p.loc[REF_A0, "source"]) == (True, "s2")
    authors = pd.read_parquet(DataPaths(tmp_path).fetched_table("authorships"))
    assert set(R.values()) <= set(authors["paper_id"])

    prov = json.loads((DataPaths(tmp_path).fetched / "provenance.json").read_text())
    assert (prov["recommended"], prov["resolved"]) == (5, 9)
    man = json.loads(DataPaths(tmp_path).manifest.read_text())
    assert man["asked"]["recommend"] is True and man["asked"]["recommend_limit"] == 100
    assert man["recommendations"][1] == {"task": "vqa", "positives": 2, "returned": 4,
                                         "paper_ids": [R[2], R[3], A, R[5]]}


def test_recommendations_are_cached(fake, fast, tmp_path):
    run(fake, tmp_path, fast)
    first = papers(tmp_path)
    fake.log.clear()
    again = run(fake, tmp_path, fast)
    assert (again.requests, again.from_cache, again.recommended) == (0, 26, 5) and fake.log == []
    pd.testing.assert_frame_equal(first, papers(tmp_path))


def test_recommendations_are_retried(fake, fast, tmp_path):
    fake.faults = [Fault("429", when=lambda r: r["path"] == PATH, times=2, retry_after="0"),
                   Fault("badjson", when=lambda r: r["path"] == PATH, times=1),
                   Fault("503", when=lambda r: r["path"] == PATH, times=1)]
    s = run(fake, tmp_path, fast)
    assert s.complete and s.retries == 4 and s.requests == 26 + 4 and s.recommended == 5
    assert [r["fault"] for r in fake.requests(path=PATH)].count(None) == 3


def test_limit_is_sent_and_checked(fake, fast, tmp_path):
    s = run(fake, tmp_path, fast, recommend_limit=2)
    assert [r["query"]["limit"] for r in fake.requests(path=PATH)] == ["2"] * 3
    assert [g["returned"] for g in s.recommendations] == [2, 2, 2]
    assert sorted(papers(tmp_path).query("source == 'recommendations'").index) == sorted([R[1], R[2], R[3], R[4]])
    for bad in (0, 501):
        with pytest.raises(InputError, match=f"recommend_limit must be between 1 and 500, not {bad}"):
            run(fake, tmp_path, fast, recommend_limit=bad)


def test_cli_recommend(fake, tmp_path):
    from medvlm_graph.io import write_parquet

    write_parquet(build_seeds(), DataPaths(tmp_path).seed_list)
    args = ["--data-dir", str(tmp_path), "refresh", "--api-url", fake.base_url, "--rate", "0", "--recommend"]
    result = CliRunner().invoke(app, [*args, "--recommend-limit", "3"])
    assert result.exit_code == 0, result.output
    assert "Recommendations: 9 for 3 task(s); 4 paper(s) not otherwise in the corpus" in result.output
    assert [r["query"]["limit"] for r in fake.requests(path=PATH)] == ["3"] * 3
    too_many = CliRunner().invoke(app, [*args, "--recommend-limit", "501"])
    assert too_many.exit_code == 2 and "Usage:" in too_many.output and len(fake.requests(path=PATH)) == 3
    plain = CliRunner().invoke(app, args[:-1])  # without --recommend: no such request, no such papers
    assert plain.exit_code == 0 and len(fake.requests(path=PATH)) == 3
    assert "Recommendations:" not in plain.output


def test_request_is_the_recorded_one_and_the_recorded_answer_parses(fake):
    path, query, body = S.recommendations_request()
    fake.answer = lambda method, p, q, b: (200, S.recommendations_answer())
    c = S2Client(fake.base_url, api_key=None, rate=0)
    got = recommend_papers(c, body["positivePaperIds"], fields="title")
    assert got == S.recommendations_answer()["recommendedPapers"]
    r = fake.log[-1]
    assert (r["method"], r["path"], r["query"], r["body"]) == ("POST", path, query, body)


def test_fake_refuses_what_the_api_refuses(fake):
    c = S2Client(fake.base_url, api_key=None, rate=0)
    with pytest.raises(ApiError) as info:
        c.post(PATH, {"fields": "title"}, {"positivePaperIds": [], "negativePaperIds": [A]})
    assert info.value.status == 400 and S.no_positive_examples()["error"] in str(info.value)
    with pytest.raises(InputError, match="at least one positive paper id"):
        recommend_papers(c, [], fields="title")  # never sent
    assert len(fake.log) == 1


def test_positive_groups():
    seeds = pd.DataFrame({"seed_id": ["a", "b", "c", "d", "e"], "task": ["vqa", " vqa ", "segmentation", None, "vqa"]})
    resolved = {"a": "P1", "b": "P1", "c": "P3", "d": "P4"}
    assert positive_groups(seeds, resolved) == {"vqa": ["P1"], "segmentation": ["P3"]}
    no_tasks = seeds.assign(task=None)
    assert positive_groups(no_tasks, resolved) == {None: ["P1", "P3", "P4"]}  # a list without sections
    assert positive_groups(seeds.drop(columns="task"), resolved) == {None: ["P1", "P3", "P4"]}
    assert positive_groups(seeds, {}) == {}
