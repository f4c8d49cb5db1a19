"""Refresh of the shipped review-list snapshot against a SYNTHETIC world built from its titles and ids.

The world holds one made-up paper per distinct seed (the seed's real title and
identifiers, everything else invented), and each paper cites the one before it.
"""

from __future__ import annotations

import re

import pandas as pd
from s2_fakeapi import FakeS2, World, make_paper, synthetic_id

from medvlm_graph import seeds as seedlib
from medvlm_graph.s2 import refresh


def _usable_ids(row) -> bool:
    return any(pd.notna(row[c]) and str(row[c]).strip() for c in ("arxiv_id", "doi", "pmcid", "acl_id"))


def snapshot_world(snapshot: pd.DataFrame) -> tuple[World, dict[str, str]]:
    world, by_key, order = World(), {}, []
    for row in snapshot.itertuples(index=False):
        ext = {}
        if pd.notna(row.arxiv_id):
            ext["ArXiv"] = re.sub(r"v\d+$", "", row.arxiv_id)
        if pd.notna(row.doi):
            ext["DOI"] = row.doi.upper()  # the API may upper-case DOIs
        if pd.notna(row.pmcid):
            ext["PubMedCentral"] = row.pmcid.removeprefix("PMC")
        if pd.notna(row.acl_id):
            ext["ACL"] = row.acl_id
        if not ext and pd.isna(row.title):
            continue
        key = next(iter(sorted(ext.items())), None) or ("title", row.title)
        if key in by_key:
            continue
        pid = synthetic_id("snapshot", *key)
        by_key[key] = pid
        title = row.title if pd.notna(row.title) else f"Synthetic title for {key[1]}"
        world.add(make_paper(pid, title, ext=ext, n=len(order)),
                  [{"paperId": order[-1], "intents": ["background"]}] if order else [])
        order.append(pid)
    return world.finish(), {"papers": len(order)}


def test_snapshot_seeds_resolve_as_expected(tmp_path):
    snap = seedlib.load_snapshot()
    world, info = snapshot_world(snap)
    with_ids = snap.apply(_usable_ids, axis=1)
    by_id = int(with_ids.sum())
    by_title = int((~with_ids & snap["title"].notna()).sum())
    unresolved = len(snap) - by_id - by_title
    assert len(snap) == 221 and by_id + by_title > 200  # the snapshot is mostly resolvable

    fake = FakeS2(world).start()
    try:
        s = refresh(snap, data_dir=tmp_path, api_url=fake.base_url, rate=0, backoff=0.001)
        assert (s.resolved_by_id, s.resolved_by_title, s.unresolved) == (by_id, by_title, unresolved)
        assert s.papers == info["papers"] and s.edges == info["papers"] - 1
        batches = fake.requests(path="/graph/v1/paper/batch")
        titles = snap.loc[~with_ids & snap["title"].notna(), "title"].nunique()  # a repeated title is asked once
        assert len(batches) == 2 and len(fake.requests(path="/graph/v1/paper/search/match")) == titles
        out = pd.read_parquet(tmp_path / "raw" / "fetched" / "seeds.parquet")
        assert out["seed_id"].tolist() == snap["seed_id"].tolist()
        arxiv = out[out["arxiv_id"].notna()]
        want = [world.aliases["ARXIV:" + re.sub(r"v\d+$", "", a).upper()] for a in arxiv["arxiv_id"]]
        assert arxiv["paper_id"].tolist() == want and set(arxiv["match"]) == {"id"}
        titled = out[out["match"] == "title"]
        assert (titled["match_score"] == 1.0).all()
        again = refresh(snap, data_dir=tmp_path, api_url=fake.base_url, rate=0)
        assert again.requests == 0
    finally:
        fake.stop()
