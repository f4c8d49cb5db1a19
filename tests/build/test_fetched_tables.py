"""build's reading of the fetched layer (_fetched_tables) equals the string-by-string version it
replaced (kept here), on random SYNTHETIC tables: missing ids, repeated papers, repeated and
dangling citations, authorships of unknown papers."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from medvlm_graph import tables
from medvlm_graph.build import _fetched_tables


def reference(fetched):
    skipped = []
    papers = tables.conform(fetched["papers"], "papers", require=("paper_id",))
    n = len(papers)
    papers = papers[papers["paper_id"].notna()].drop_duplicates("paper_id").reset_index(drop=True)
    if len(papers) < n:
        skipped.append(f"{n - len(papers)} fetched paper row(s) without id or duplicated")
    if papers["source"].isna().any():
        papers["source"] = papers["source"].fillna("s2")
    known = set(papers["paper_id"])
    citations = tables.conform(fetched["citations"], "citations", require=("citing_id", "cited_id"))
    n = len(citations)
    citations = citations.dropna(subset=["citing_id", "cited_id"]).drop_duplicates(["citing_id", "cited_id"])
    if len(citations) < n:
        skipped.append(f"{n - len(citations)} citation row(s) without ids or duplicated")
    dangling = ~(citations["citing_id"].isin(known) & citations["cited_id"].isin(known))
    if dangling.any():
        skipped.append(f"{int(dangling.sum())} citation edge(s) whose paper is not in the fetched papers")
    citations = citations[~dangling].reset_index(drop=True)
    authorships = tables.conform(fetched["authorships"], "authorships", require=("paper_id",))
    n = len(authorships)
    authorships = authorships[authorships["paper_id"].isin(known)]
    authorships = authorships.drop_duplicates(["paper_id", "author_id", "author_name", "position"])
    if len(authorships) < n:
        skipped.append(f"{n - len(authorships)} authorship row(s) duplicated or of unknown papers")
    return papers, citations, authorships.reset_index(drop=True), skipped


@pytest.mark.parametrize("seed", range(5))
def test_fetched_tables_equal_the_string_version(seed):
    r = random.Random(seed)
    ids = [f"P{i}" for i in range(40)]
    other = [f"X{i}" for i in range(5)]  # papers not fetched
    n_cites = [0, 1, 50, 300, 300][seed]

    def some(pool, p_none=0.03):
        return None if r.random() < p_none else r.choice(pool)

    fetched = {
        "papers": pd.DataFrame({"paper_id": [some(ids) for _ in range(45)], "title": [f"t{i}" for i in range(45)],
                                "source": [r.choice(["s2", None]) for _ in range(45)]}),
        "citations": pd.DataFrame({"citing_id": [some(ids + other) for _ in range(n_cites)],
                                   "cited_id": [some(ids + other) for _ in range(n_cites)],
                                   "is_influential": [r.random() < 0.2 for _ in range(n_cites)]}),
        "authorships": pd.DataFrame({"paper_id": [some(ids + other) for _ in range(60)],
                                     "author_id": [r.choice(["a1", "a2", None]) for _ in range(60)],
                                     "author_name": [r.choice(["A", "B"]) for _ in range(60)],
                                     "position": [r.randint(0, 2) for _ in range(60)]}),
    }
    skipped: list[str] = []
    got = _fetched_tables(fetched, skipped)
    want = reference(fetched)
    for g, w in zip(got, want[:3]):
        pd.testing.assert_frame_equal(g, w)
    assert skipped == want[3]
    if n_cites >= 300:
        assert any("without ids or duplicated" in s for s in skipped) and any("not in the fetched" in s for s in skipped)
