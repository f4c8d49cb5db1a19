"""What changed in the field between two builds (``medvlm-graph diff OLD NEW`` or ``--since-last``).

Each build keeps the previous build's tables in ``data/processed/history/<built at>/``
(:func:`medvlm_graph.history.keep_history`), so a second refresh a week later can be compared with the first.
:func:`compute_changes` compares two table sets and returns one table per kind of change:

=======================  ==========================================================================
``field_entered``        papers in the field now that were not before (new papers, or re-assessed)
``field_left``           papers that were in the field and are not any more (or are gone)
``new_by_label``         new field papers per task and strategy label
``seed_citations``       new citations of each seed (citation edges absent from the old build)
``candidate_ranks``      rank changes of the papers the review missed (new, dropped, up, down)
``pagerank_ranks``       rank changes of the most central papers (PageRank on the citation graph)
``bursts``               label bursts that started (new) or ended (gone) between the builds
``new_combinations``     gap-table combinations with papers now and none before
=======================  ==========================================================================

Examples
--------
>>> import pandas as pd
>>> old = {"papers": pd.DataFrame({"paper_id": ["a", "b"], "in_field": [True, True], "is_seed": [True, False]}),
...        "citations": pd.DataFrame({"citing_id": ["b"], "cited_id": ["a"]}), "labels": None, "seeds": None}
>>> new = {"papers": pd.DataFrame({"paper_id": ["a", "b", "c"], "in_field": [True, False, True],
...                                "is_seed": [True, False, False]}),
...        "citations": pd.DataFrame({"citing_id": ["b", "c"], "cited_id": ["a", "a"]}), "labels": None, "seeds": None}
>>> ch = compute_changes(old, new)
>>> ch["field_entered"]["paper_id"].tolist(), ch["field_left"]["paper_id"].tolist()
(['c'], ['b'])
>>> ch["seed_citations"][["paper_id", "new_citations"]].values.tolist()
[['a', 1]]
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ..analysis._frames import paper_titles
from ..analysis._sparse import pagerank
from ..graphs.citation import citation_adjacency
from ..analysis.bursts import compute_bursts
from ..analysis.gaps import DEFAULT_PAIRS, compute_all_gaps
from ..analysis.missed import compute_missed_papers
from ..analysis.scope import apply_scope
from ..analysis.trends import compute_trends
from .. import tables
from ..errors import InputError
from ..io import atomic_write_text, read_json, read_parquet, write_csv
from ..markup import md_escape

TABLES = ("papers", "citations", "labels", "seeds", "authorships")


def load_build(where: str | os.PathLike[str]) -> dict:
    """The tables of a build: a data directory (``processed/*.parquet``) or a history folder."""
    where = Path(where)
    folder = where / "processed" if (where / "processed" / "papers.parquet").exists() else where
    if not (folder / "papers.parquet").exists():
        raise InputError(f"{where} holds no built tables (a data directory after `medvlm-graph build`, or a "
                         f"folder of data/processed/history)")
    out = {n: read_parquet(folder / f"{n}.parquet") if (folder / f"{n}.parquet").exists() else None for n in TABLES}
    out["info"] = read_json(folder / "build.json") if (folder / "build.json").exists() else {}
    return out


def _field(papers: pd.DataFrame) -> set[str]:
    return set(apply_scope(papers, scope="field")["paper_id"].astype(str))


def _ranks(values: pd.Series) -> pd.Series:
    return values.rank(ascending=False, method="first").astype(int)


def _rank_changes(old: pd.Series, new: pd.Series, top: int) -> pd.DataFrame:
    """``old``/``new``: score by paper id. Rows for the ``top`` papers of either side."""
    ro, rn = _ranks(old), _ranks(new)
    ids = sorted(set(ro[ro <= top].index) | set(rn[rn <= top].index))
    df = pd.DataFrame({"paper_id": ids})
    df["old_rank"] = df["paper_id"].map(ro).astype("Int64")
    df["new_rank"] = df["paper_id"].map(rn).astype("Int64")
    df["change"] = (df["old_rank"] - df["new_rank"]).astype("Int64")
    conds = [df["old_rank"].isna(), df["new_rank"].isna(), df["change"].fillna(0) > 0, df["change"].fillna(0) < 0]
    df["status"] = np.select([c.to_numpy(dtype=bool) for c in conds], ["new", "dropped", "up", "down"], "same")
    return df.sort_values(["new_rank", "old_rank"], na_position="last").reset_index(drop=True)


def _pagerank(papers: pd.DataFrame, citations: pd.DataFrame | None) -> pd.Series:
    if citations is None or citations.empty:
        return pd.Series(dtype=float)
    M, ids = citation_adjacency(papers, citations)
    return pd.Series(pagerank(sparse.csr_array(M, dtype=float), alpha=0.85, max_iter=200, tol=1e-10), index=ids)


def _missed_scores(t: dict) -> pd.Series:
    if t["citations"] is None or t["citations"].empty:
        return pd.Series(dtype=float)
    m = compute_missed_papers(t["papers"], t["citations"], t["seeds"], labels=t["labels"], top=None)
    return m.set_index("paper_id")["score"] if len(m) else pd.Series(dtype=float)


def _bursts(t: dict) -> pd.DataFrame:
    if t["labels"] is None or t["labels"].empty:
        return pd.DataFrame(columns=["dimension", "label", "start_year", "end_year"])
    p, lab = apply_scope(t["papers"], t["labels"], scope="field")
    parts = [compute_trends(p, lab, d) for d in ("task", "strategy", "modality")]
    parts = [x for x in parts if len(x)]
    if not parts:
        return pd.DataFrame(columns=["dimension", "label", "start_year", "end_year"])
    b = compute_bursts(pd.concat(parts, ignore_index=True))
    return b[["dimension", "label", "start_year", "end_year"]]


def _cells(t: dict) -> pd.DataFrame:
    if t["labels"] is None or t["labels"].empty:
        return pd.DataFrame(columns=["dim_a", "label_a", "dim_b", "label_b", "observed"])
    _, lab = apply_scope(t["papers"], t["labels"], scope="field")
    cells, _ = compute_all_gaps(lab, DEFAULT_PAIRS)
    return cells[["dim_a", "label_a", "dim_b", "label_b", "observed"]] if len(cells) else \
        pd.DataFrame(columns=["dim_a", "label_a", "dim_b", "label_b", "observed"])


def _conformed(t: dict) -> dict:
    return {**t, **{n: tables.conform(t[n], n) for n in ("papers", "citations", "labels", "seeds")
                    if t.get(n) is not None}}


def compute_changes(old: dict, new: dict, *, top: int = 50) -> dict[str, pd.DataFrame]:
    """Tables of what changed from the ``old`` build to the ``new`` one (see the module docstring).

    ``old`` and ``new`` map ``papers``, ``citations``, ``labels``, ``seeds`` to tables (as
    :func:`load_build` returns them; ``labels``/``seeds`` may be ``None``).
    """
    old, new = _conformed(old), _conformed(new)
    po, pn = old["papers"], new["papers"]
    titles = paper_titles(pn)
    titles_old = paper_titles(po)
    fo, fn = _field(po), _field(pn)
    reason = pn.drop_duplicates("paper_id").set_index("paper_id")["field_reason"] if "field_reason" in pn else {}
    known_old = set(po["paper_id"].astype(str))
    entered = pd.DataFrame({"paper_id": sorted(fn - fo)})
    entered["title"] = entered["paper_id"].map(titles)
    entered["status"] = ["new paper" if p not in known_old else "re-assessed" for p in entered["paper_id"]]
    entered["field_reason"] = entered["paper_id"].map(reason) if len(entered) else []
    left = pd.DataFrame({"paper_id": sorted(fo - fn)})
    left["title"] = left["paper_id"].map(lambda p: titles.get(p, titles_old.get(p)))
    left["status"] = ["gone" if p not in set(pn["paper_id"].astype(str)) else "set aside" for p in left["paper_id"]]

    new_field = set(entered.loc[entered["status"] == "new paper", "paper_id"])
    rows = []
    if new["labels"] is not None and len(new["labels"]):
        lab = new["labels"][new["labels"]["paper_id"].isin(new_field) & (new["labels"]["score"] >= 0.5)]
        for (dim, label), g in lab[lab["dimension"].isin(["task", "strategy"])].groupby(["dimension", "label"]):
            rows.append((dim, label, g["paper_id"].nunique()))
    by_label = pd.DataFrame(rows, columns=["dimension", "label", "new_papers"]).sort_values(
        ["dimension", "new_papers", "label"], ascending=[True, False, True]).reset_index(drop=True)

    seeds_new = set(pn.loc[pn["is_seed"].fillna(False).astype(bool), "paper_id"].astype(str)) if "is_seed" in pn else set()
    co = old["citations"] if old["citations"] is not None else pd.DataFrame(columns=["citing_id", "cited_id"])
    cn = new["citations"] if new["citations"] is not None else pd.DataFrame(columns=["citing_id", "cited_id"])
    old_edges = set(zip(co["citing_id"].astype(str), co["cited_id"].astype(str)))
    fresh = [(a, b) for a, b in zip(cn["citing_id"].astype(str), cn["cited_id"].astype(str))
             if (a, b) not in old_edges and b in seeds_new]
    sc = pd.DataFrame(fresh, columns=["citing_id", "paper_id"]).groupby("paper_id").size().rename("new_citations")
    seed_cit = sc.reset_index().sort_values(["new_citations", "paper_id"], ascending=[False, True]).reset_index(drop=True)
    seed_cit["title"] = seed_cit["paper_id"].map(titles)

    cand = _rank_changes(_missed_scores(old), _missed_scores(new), top)
    cand["title"] = cand["paper_id"].map(lambda p: titles.get(p, titles_old.get(p)))
    pr = _rank_changes(_pagerank(po, old["citations"]), _pagerank(pn, new["citations"]), top)
    pr["title"] = pr["paper_id"].map(lambda p: titles.get(p, titles_old.get(p)))

    key = ["dimension", "label", "start_year", "end_year"]
    bo, bn = _bursts(old), _bursts(new)
    both = bo.merge(bn, on=key, how="outer", indicator=True)
    bursts = both[both["_merge"] != "both"].assign(
        status=lambda d: d["_merge"].map({"right_only": "started", "left_only": "ended or changed"}).astype(str))
    bursts = bursts[key + ["status"]].sort_values(key).reset_index(drop=True)

    ko = _cells(old)
    kn = _cells(new)
    ck = ["dim_a", "label_a", "dim_b", "label_b"]
    merged = kn.merge(ko, on=ck, how="left", suffixes=("", "_old"))
    merged["observed_old"] = merged["observed_old"].fillna(0).astype(int)
    combos = merged[(merged["observed"] > 0) & (merged["observed_old"] == 0)].rename(
        columns={"observed": "papers_now"})[ck + ["papers_now"]].reset_index(drop=True)
    return {"field_entered": entered, "field_left": left, "new_by_label": by_label, "seed_citations": seed_cit,
            "candidate_ranks": cand, "pagerank_ranks": pr, "bursts": bursts, "new_combinations": combos}


def _when(t: dict) -> str:
    return str((t.get("info") or {}).get("built_at") or "unknown time")


def render_changes_markdown(changes: dict[str, pd.DataFrame], *, old_label: str = "old", new_label: str = "new",
                            limit: int = 15) -> str:
    """``changes.md``: a short summary, then a few rows of each table (all rows in the CSVs)."""
    c = changes
    out = ["# What changed in the field", "", f"From the build of {old_label} to the build of {new_label}.", ""]
    out += [f"- {len(c['field_entered'])} paper(s) entered the field "
            f"({int((c['field_entered']['status'] == 'new paper').sum())} new), {len(c['field_left'])} left it.",
            f"- {int(c['seed_citations']['new_citations'].sum()) if len(c['seed_citations']) else 0} new citations "
            f"of {len(c['seed_citations'])} seed(s).",
            f"- {int((c['candidate_ranks']['status'] == 'new').sum())} new candidate(s) among the papers the review "
            f"missed; {int((c['pagerank_ranks']['status'] == 'new').sum())} new paper(s) among the most central.",
            f"- {int((c['bursts']['status'] == 'started').sum())} burst(s) started, "
            f"{int((c['bursts']['status'] != 'started').sum())} ended or changed; "
            f"{len(c['new_combinations'])} new combination(s) in the gap tables.", ""]
    for name, title in (("field_entered", "Entered the field"), ("field_left", "Left the field"),
                        ("new_by_label", "New field papers per task and strategy"),
                        ("seed_citations", "New citations of the seeds"),
                        ("candidate_ranks", "Papers the review missed: rank changes"),
                        ("pagerank_ranks", "Most central papers (PageRank): rank changes"),
                        ("bursts", "Bursts that started or ended"),
                        ("new_combinations", "New combinations in the gap tables")):
        df = c[name]
        if name in ("candidate_ranks", "pagerank_ranks"):
            df = df[df["status"] != "same"]
        out += [f"## {title}", ""]
        if df.empty:
            out += ["None.", ""]
            continue
        cols = list(df.columns)
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        for r in df.head(limit).itertuples(index=False):
            out.append("| " + " | ".join(_md_cell(v) for v in r) + " |")
        if len(df) > limit:
            out.append(f"\n... and {len(df) - limit} more in `{name}.csv`.")
        out.append("")
    return "\n".join(out)


def _md_cell(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    return md_escape(str(v))


def write_changes(old: str | os.PathLike[str], new: str | os.PathLike[str], out: str | os.PathLike[str], *,
                  top: int = 50) -> tuple[dict[str, pd.DataFrame], list[Path]]:
    """Compare two builds (data directories or history folders) and write the CSVs and ``changes.md``."""
    to, tn = load_build(old), load_build(new)
    changes = compute_changes(to, tn, top=top)
    out = Path(out)
    written = [write_csv(df, out / f"{name}.csv") for name, df in changes.items()]
    written.append(atomic_write_text(out / "changes.md", render_changes_markdown(
        changes, old_label=_when(to), new_label=_when(tn))))
    return changes, written
