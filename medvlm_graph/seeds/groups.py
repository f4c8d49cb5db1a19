"""Which seed rows name the same paper: one grouping for duplicates, merged lists and ``build``.

Two rows are the same paper when they share an arXiv id (versions ignored), a
DOI (case-insensitive) or a normalised title; sharing is transitive.
"""

from __future__ import annotations

import re

import pandas as pd

from ..identity import arxiv_key, doi_key


def _present(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def seed_groups(seeds: pd.DataFrame) -> list[int]:
    """Group number of each seed row; rows sharing an arXiv id, DOI or ``title_norm`` share a group.

    Groups are numbered by their first row, so the result is stable.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"arxiv_id": ["1", None, None, "2"], "doi": [None, "10.1/X", "10.1/x", None],
    ...                   "title_norm": ["a", "b", "c", "a"]})
    >>> seed_groups(s)
    [0, 1, 1, 0]
    """
    parent = list(range(len(seeds)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    cols = {c: seeds[c].tolist() if c in seeds.columns else [None] * len(seeds)
            for c in ("arxiv_id", "doi", "title_norm")}
    for i in range(len(seeds)):
        keys = []
        if arxiv_key(cols["arxiv_id"][i]):
            keys.append(("arxiv", arxiv_key(cols["arxiv_id"][i])))
        if doi_key(cols["doi"][i]):
            keys.append(("doi", doi_key(cols["doi"][i])))
        if _present(cols["title_norm"][i]) and re.search(r"[^\W_]", cols["title_norm"][i]):
            keys.append(("title", cols["title_norm"][i].strip()))
        for key in keys:
            if key in first:
                a, b = find(first[key]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first[key] = i
    roots = [find(i) for i in range(len(seeds))]
    numbering: dict[int, int] = {}
    return [numbering.setdefault(r, len(numbering)) for r in roots]
