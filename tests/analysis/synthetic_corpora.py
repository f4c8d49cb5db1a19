"""SYNTHETIC citation corpora shared by the analysis tests (not real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def random_corpus(seed: int, n: int = 300, *, titles: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A clean random corpus (years only, references older than their citer): many ties in time;
    half the papers in the field. ``titles`` adds ``"Paper i"`` titles (drawn from no randomness)."""
    rng = np.random.default_rng(seed)
    years = rng.integers(2000, 2020, n)
    ids = [f"p{i:03d}" for i in range(n)]
    rows = set()
    for i in range(n):
        older = np.flatnonzero(years < years[i])
        k = int(rng.integers(0, 8))
        if len(older) and k:
            for j in rng.choice(older, size=min(k, len(older)), replace=False):
                rows.add((ids[i], ids[j]))
    papers = pd.DataFrame({"paper_id": ids, "year": years, "in_field": rng.random(n) < 0.5})
    if titles:
        papers["title"] = [f"Paper {i}" for i in range(n)]
    return papers, pd.DataFrame(sorted(rows), columns=["citing_id", "cited_id"])
