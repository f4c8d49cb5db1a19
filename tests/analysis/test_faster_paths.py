"""The faster code paths of the analysis runs give exactly the tables of the code they replaced.

Each rewritten function is compared with the previous implementation, kept here as the reference
(``_old_*``), or with the straightforward computation it stands for, on SYNTHETIC random and
hand-made inputs: empty parts, ties, missing values, non-ASCII ids, repeated rows, path counts past
2**53.
"""

from __future__ import annotations

import random
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn import config_context
from sklearn.metrics import silhouette_score

from medvlm_graph.analysis import (
    compute_centrality,
    compute_citation_bursts,
    compute_main_path,
    compute_missed_papers,
    compute_spc,
    compute_text_clusters,
    model_years,
)
from medvlm_graph.analysis import _sparse
from medvlm_graph.analysis import clusters as CL
from medvlm_graph.analysis import mainpath as MP
from medvlm_graph.analysis._frames import frame, paper_titles, paper_years, require, skipped
from medvlm_graph.analysis.bursts import CITATION_BURST_COLUMNS, _many_bursts
from medvlm_graph.analysis.mainpath import compute_spc_and_main_path
from medvlm_graph.analysis.missed import GENERIC_MIN_CITERS, GENERIC_SHARE, MISSED_COLUMNS, WEIGHTS, select_missed
from medvlm_graph.analysis.trends import MODEL_COLUMNS, _norm_name, _split
from medvlm_graph.graphs import build_citation_graph, citation_adjacency
from medvlm_graph.identity import PaperIndex, normalize_arxiv_id
from medvlm_graph.living import compute_candidates
from medvlm_graph.relevance import seed_roles

# Ids with non-ASCII letters and a shared prefix, so that string order and insertion order differ.
IDS = [f"{p}{i:02d}" for i, p in enumerate(["Zeta", "alpha", "Émile", "beta", "été", "ω", "Alpha", "zz"] * 5)]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs


# --- model years: the previous loop over DataFrame.iterrows --------------------------------------------

def _old_model_years(papers, seeds=None, models=None):
    years = paper_years(papers) if papers is not None and len(papers) else pd.Series(dtype=int)
    found = {}

    def put(model, pid, year, src):
        if model not in found and year is not None:
            found[model] = (model, pid, int(year), src)

    names = {}
    if models is not None and len(models):
        require(models, ["model"], "models")
        known = papers[papers["paper_id"].astype(str).isin(years.index)] if papers is not None and len(papers) \
            else pd.DataFrame({"paper_id": []})
        index = PaperIndex(known.assign(paper_id=known["paper_id"].astype(str)))
        for _, m in models.iterrows():
            model = str(m["model"])
            for n in [model, m.get("name"), *_split(m.get("aliases"))]:
                if n is not None and not pd.isna(n):
                    names.setdefault(_norm_name(n), model)
            ref = {k: (v if isinstance(v, str) else None) for k, v in
                   (("arxiv", m.get("arxiv")), ("doi", m.get("doi")), ("title", m.get("title")))}
            pid, _ = index.match(**ref)
            if pid:
                put(model, pid, years[pid], "papers")
    if seeds is not None and len(seeds) and "model_name" in seeds.columns:
        for _, r in seeds[seeds["model_name"].notna()].iterrows():
            key = _norm_name(r["model_name"])
            model = names.get(key) if names else key
            if model is None:
                continue
            pid = r.get("paper_id")
            pid = None if pid is None or pd.isna(pid) else str(pid)
            if pid is not None and pid in years.index:
                put(model, pid, years[pid], "papers")
            elif "year_hint" in seeds.columns and pd.notna(r.get("year_hint")):
                put(model, pid, r["year_hint"], "seed year_hint")
    if models is not None and len(models) and "arxiv" in models.columns:
        for _, m in models.iterrows():
            a = m.get("arxiv")
            a = normalize_arxiv_id(a) if isinstance(a, str) else None
            if a and re.match(r"\d{4}\.", a):
                put(str(m["model"]), None, 2000 + int(a[:2]), "arxiv id")
    if not found:
        return skipped(MODEL_COLUMNS, "no model year found in papers, seeds or model references")
    out = pd.DataFrame(sorted(found.values()), columns=MODEL_COLUMNS)
    out["model_year"] = out["model_year"].astype("Int64")
    return out


def _model_world(seed: int):
    r = random.Random(seed)
    n = 30
    papers = pd.DataFrame({
        "paper_id": [f"P{i}" for i in range(n)],
        "arxiv_id": [f"2{r.randint(0, 4)}0{r.randint(1, 9)}.0{i:04d}" if r.random() < 0.5 else None for i in range(n)],
        "doi": [f"10.1/X{i}" if r.random() < 0.4 else None for i in range(n)],
        "title": [f"Model {i} — vision" if r.random() < 0.7 else None for i in range(n)],
        "year": pd.array([r.choice([2019, 2021, 2023, None]) for _ in range(n)], dtype="Int64"),
    })
    names = ["clip", "sam", "llava", "gpt4", "medclip", "blip"]
    rows = []
    for _ in range(14):  # repeated models, references that do or do not match, aliases as text or lists
        m = r.choice(names)
        i = r.randrange(n)
        rows.append({"model": m, "name": r.choice([m.upper(), None, float("nan")]),
                     "aliases": r.choice(["", f"{m}-x;{m} 2", None]),
                     "arxiv": r.choice([papers["arxiv_id"][i], "2304.02643", None, float("nan"), ""]),
                     "doi": r.choice([papers["doi"][i], "10.1/x0".upper(), None]),
                     "title": r.choice([papers["title"][i], "Unknown title", None])})
    models = pd.DataFrame(rows)
    seeds = pd.DataFrame({"model_name": [r.choice(["CLIP", "Sam", "LLaVA-1.5", None, "other"]) for _ in range(8)],
                          "paper_id": [r.choice([f"P{r.randrange(n)}", None, "seed:x"]) for _ in range(8)],
                          "year_hint": pd.array([r.choice([2020, None]) for _ in range(8)], dtype="Int64")})
    # the frame compute_model_adoption hands over: label rows, many per model
    label_rows = pd.DataFrame({"paper_id": [f"P{r.randrange(n)}" for _ in range(40)],
                               "model": [r.choice(names) for _ in range(40)]})
    return papers, seeds, models, label_rows


@pytest.mark.parametrize("seed", range(8))
def test_model_years_equal_the_previous_loop(seed):
    papers, seeds, models, label_rows = _model_world(seed)
    for s in (None, seeds):
        for m in (None, models, label_rows, models.iloc[:0]):
            _same(model_years(papers, s, m), _old_model_years(papers, s, m))


def test_model_years_with_aliases_as_lists():
    papers, seeds, models, _ = _model_world(0)
    models = pd.concat([models, models], ignore_index=True)
    models["aliases"] = [["clip b", "CLIP-b"] if i % 2 else None for i in range(len(models))]  # unhashable
    _same(model_years(papers, seeds, models), _old_model_years(papers, seeds, models))


# --- missed papers: the previous implementation ------------------------------------------------------

def _old_labels_of(labels, dimension, min_score):
    if labels is None or labels.empty:
        return pd.Series(dtype="string"), pd.Series(dtype=float)
    lab = labels[(labels["dimension"] == dimension) & (labels["score"] >= min_score)]
    lab = lab.sort_values(["paper_id", "score", "label"], ascending=[True, False, True])
    lab = lab.drop_duplicates(["paper_id", "label"])
    return lab.groupby("paper_id")["label"].agg(";".join), lab.groupby("paper_id")["score"].max()


def _old_ties(r):
    parts = [f"{what} {n}" for n, what in ((r.cites_seeds, "cites"), (r.cited_by_seeds, "cited by"),
                                           (r.cocited_with_seeds, "co-cited with"),
                                           (r.coupled_with_seeds, "coupled with")) if n]
    return "; ".join(parts) or "no direct tie to a task seed"


def _old_missed(papers, citations, seeds=None, *, labels=None, top=50, min_score=0.5, since=None):
    c = citations[["citing_id", "cited_id"]].dropna().astype(str)
    c = c[c["citing_id"] != c["cited_id"]].drop_duplicates()
    if c.empty:
        return skipped(MISSED_COLUMNS, "needs S2 data: no citations (run refresh or ingest)")
    ids = pd.Index(papers["paper_id"].astype(str)).drop_duplicates()
    roles = seed_roles(seeds)
    is_seed = papers.set_index(papers["paper_id"].astype(str))["is_seed"].reindex(ids).fillna(False).astype(bool) \
        if "is_seed" in papers.columns else pd.Series(False, index=ids)
    if not roles:
        roles = {p: "task" for p in ids[is_seed.to_numpy()]}
    w = np.array([WEIGHTS.get(roles.get(p, ""), 0.0) for p in ids])
    if not (w > 0).any():
        return skipped(MISSED_COLUMNS, "no task seed among the papers")
    in_field = papers.set_index(papers["paper_id"].astype(str))["in_field"].reindex(ids).fillna(True).astype(bool) \
        if "in_field" in papers.columns else pd.Series(True, index=ids)
    M, _ = citation_adjacency(pd.DataFrame({"paper_id": ids}), c)
    A = sp.csr_array(M, dtype=float)
    anchors = np.flatnonzero(w > 0)
    wa = w[anchors]
    cites = (A[:, anchors] > 0).astype(float)
    cited_by = (A[anchors, :].T > 0).astype(float)
    Af = sp.diags_array(in_field.to_numpy().astype(float)) @ A
    cocited = ((Af.T @ Af[:, anchors]) > 0).astype(float)
    citers = np.asarray(A.sum(axis=0)).ravel()
    citing_papers = max(int((np.asarray(A.sum(axis=1)).ravel() > 0).sum()), 1)
    generic = (citers / citing_papers >= GENERIC_SHARE) & (citers >= GENERIC_MIN_CITERS)
    An = A @ sp.diags_array((~generic).astype(float))
    coupled = ((An @ An[anchors, :].T) > 0).astype(float)
    mats = (("cites", cites), ("cited_by", cited_by), ("cocited", cocited), ("coupled", coupled))
    is_task = (wa == WEIGHTS["task"]).astype(float)
    counts = {name: np.asarray(m @ is_task).ravel() for name, m in mats}
    other = (1.0 - is_task) * (wa > 0)
    others = {name: np.asarray(m @ other).ravel() for name, m in mats}
    weighted = {name: np.asarray(m @ wa).ravel() for name, m in mats}
    score = weighted["cites"] + weighted["cited_by"] + 0.5 * weighted["cocited"] + 0.25 * weighted["coupled"]
    cand = np.flatnonzero(in_field.to_numpy() & ~is_seed.to_numpy() & (score > 0) & (w == 0))
    years = paper_years(papers)
    if since is not None:
        y = years.reindex(ids[cand])
        cand = cand[(y.fillna(-1).to_numpy() >= since)]
    if len(cand) == 0:
        return skipped(MISSED_COLUMNS, "no field paper outside the list is tied to its task seeds")
    df = pd.DataFrame({"paper_id": ids[cand], "score": np.round(score[cand], 6),
                       "cites_seeds": counts["cites"][cand].astype(int),
                       "cited_by_seeds": counts["cited_by"][cand].astype(int),
                       "cocited_with_seeds": counts["cocited"][cand].astype(int),
                       "coupled_with_seeds": counts["coupled"][cand].astype(int),
                       "other_ties": [", ".join(f"{what} {int(others[k][i])}" for k, what in
                                            (("cites", "cites"), ("cited_by", "cited by"),
                                             ("cocited", "co-cited with"), ("coupled", "coupled with"))
                                            if others[k][i]) for i in cand]})
    df["year"] = df["paper_id"].map(years).astype("Int64")
    df = df.sort_values(["score", "year", "paper_id"], ascending=[False, False, True], na_position="last")
    if top:
        df = df.head(top)
    rows = ids.get_indexer(df["paper_id"])
    strength = (2 * cites[rows] + 2 * cited_by[rows] + cocited[rows] + 0.5 * coupled[rows]).toarray() * wa
    order = np.argsort(-strength, axis=1, kind="stable")
    df["tied_seeds"] = [";".join(ids[anchors[j]] for j in order[i] if strength[i, j] > 0) for i in range(len(df))]
    df["ties"] = [_old_ties(r) + (f" (other field seeds: {r.other_ties})" if r.other_ties else "")
                  for r in df.itertuples(index=False)]
    task, task_score = _old_labels_of(labels, "task", min_score)
    df["task"] = df["paper_id"].map(task).astype("string").fillna("")
    df["task_score"] = df["paper_id"].map(task_score)
    for dim in ("strategy", "modality"):
        df[dim] = df["paper_id"].map(_old_labels_of(labels, dim, min_score)[0]).astype("string").fillna("")
    fs = papers.drop_duplicates("paper_id").set_index("paper_id")["field_score"] if "field_score" in papers.columns \
        else pd.Series(dtype=float)
    df["field_score"] = df["paper_id"].map(fs)
    df["title"] = df["paper_id"].map(paper_titles(papers))
    df["rank"] = np.arange(1, len(df) + 1)
    return df[MISSED_COLUMNS].reset_index(drop=True)


def _missed_world(seed: int, n: int = 40):
    """A random corpus: seeds of every role, field and non-field papers, repeated and self citations,
    citations leaving the corpus, labels with ties, repeats and low scores."""
    r = random.Random(seed)
    ids = IDS[:n]
    papers = pd.DataFrame({
        "paper_id": ids,
        "title": [f"Título {i}" if r.random() < 0.9 else None for i in range(n)],
        "year": pd.array([r.choice([2019, 2020, 2021, 2022, 2023, 2024, None]) for _ in range(n)], dtype="Int64"),
        "is_seed": [i < 8 for i in range(n)],
        "in_field": [r.random() < 0.8 for _ in range(n)],
        "field_score": [round(r.random(), 3) for _ in range(n)],
        "publication_date": [r.choice([None, "2024-03-01", "2025-07-15", "2023-01-20"]) for _ in range(n)],
        "arxiv_id": [r.choice([None, f"2401.{i:05d}"]) for i in range(n)], "doi": None, "venue": None,
    })
    seeds = pd.DataFrame({"paper_id": ids[:8], "task": ["vqa", "segmentation", "vqa", None, "registration",
                                                        None, "vqa", "segmentation"],
                          "origin": [None, None, None, "natural", None, "medical", None, None],
                          "section": ["VQA", "Segmentation", "VQA", "models", "Registration", "models", "VQA",
                                      "Segmentation"],
                          "list_index": [1, 1, 2, 1, 1, 2, 3, 2]})
    cites = [(r.choice(ids), r.choice(ids)) for _ in range(6 * n)]
    cites += cites[:10] + [(ids[3], ids[3]), (ids[4], "outside"), ("outside", ids[5]), (None, ids[6])]
    citations = pd.DataFrame(cites, columns=["citing_id", "cited_id"])
    labs = []
    for p in ids:
        for dim, choices in (("task", ["vqa", "segmentation", "registration"]), ("strategy", ["prompting", "lora"]),
                             ("modality", ["ct", "mri", "xray"])):
            for _ in range(r.randint(0, 3)):
                labs.append((p, dim, r.choice(choices), r.choice(["rules", "model"]), r.choice([1.0, 0.7, 0.4, 0.7])))
    labels = pd.DataFrame(labs, columns=["paper_id", "dimension", "label", "source", "score"])
    return papers, citations, seeds, labels


@pytest.mark.parametrize("seed", range(6))
def test_missed_papers_equal_the_previous_implementation(seed):
    papers, citations, seeds, labels = _missed_world(seed)
    for s, lab, top, since in ((seeds, labels, 50, None), (seeds, labels, None, None), (seeds, labels, 5, 2022),
                               (seeds, labels, None, 2030), (None, labels, None, None), (seeds, None, 3, None),
                               (seeds, labels.iloc[:0], None, 2021)):
        new = compute_missed_papers(papers, citations, s, labels=lab, top=top, since=since)
        _same(new, _old_missed(papers, citations, s, labels=lab, top=top, since=since))


@pytest.mark.parametrize("seed", range(10))
def test_one_complete_ranking_serves_every_top_and_since(seed):
    papers, citations, seeds, labels = _missed_world(seed)
    ranking = compute_missed_papers(papers, citations, seeds, labels=labels, top=None)
    for top, since in ((50, None), (None, None), (1, None), (None, 2022), (4, 2021), (None, 2030), (None, -5)):
        _same(select_missed(ranking, top=top, since=since),
              compute_missed_papers(papers, citations, seeds, labels=labels, top=top, since=since))
    # the candidates drawn from that ranking are those computed from the tables
    for since in (None, "2022-06-01", "2024", "2031-01-01"):
        _same(compute_candidates(papers, citations, seeds, labels, since=since, missed=ranking),
              compute_candidates(papers, citations, seeds, labels, since=since))


def test_select_missed_keeps_a_skipped_ranking():
    papers, citations, seeds, labels = _missed_world(0)
    empty = compute_missed_papers(papers, citations.iloc[:0], seeds, top=None)
    assert select_missed(empty, top=5).attrs == empty.attrs and select_missed(empty).empty


# --- citation bursts: the previous string pipeline -----------------------------------------------------

def _old_citation_bursts(papers, citations, *, s=2.0, gamma=1.0, n_states=2, min_citations=3):
    years = paper_years(papers)
    c = citations[["citing_id", "cited_id"]].dropna().astype(str).drop_duplicates()
    c = c.assign(year=c["citing_id"].map(years)).dropna(subset=["year"])
    if c.empty:
        return skipped(CITATION_BURST_COLUMNS, "no citations between papers with a year (needs S2 data)")
    c["year"] = c["year"].astype(int)
    span = np.arange(c["year"].min(), c["year"].max() + 1)
    if len(span) < 2:
        return skipped(CITATION_BURST_COLUMNS, "citation bursts need citing papers from at least two years")
    d = c.groupby("year").size().reindex(span, fill_value=0).to_numpy()
    counts = c.groupby(["cited_id", "year"]).size().unstack(fill_value=0).reindex(columns=span, fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_citations].sort_index()
    rows = _many_bursts(list(span), counts.to_numpy(), d[None, :], [(pid,) for pid in counts.index], s, gamma,
                        n_states)
    return frame(CITATION_BURST_COLUMNS, rows)


@pytest.mark.parametrize("seed", range(10))
def test_citation_bursts_equal_the_previous_pipeline(seed):
    r = random.Random(seed)
    ids = IDS[:30]
    papers = pd.DataFrame({"paper_id": ids, "year": pd.array([r.choice([2015, 2017, 2018, 2019, 2020, 2021, None])
                                                              for _ in ids], dtype="Int64")})
    hot = r.sample(ids, 3)
    rows = [(r.choice(ids), r.choice(hot) if r.random() < 0.5 else r.choice(ids + ["gone", "Ωmega"]))
            for _ in range(400)]
    citations = pd.DataFrame(rows + rows[:50] + [(None, ids[0]), (ids[1], None)], columns=["citing_id", "cited_id"])
    for kw in ({}, {"min_citations": 1}, {"s": 3.0, "gamma": 0.5, "n_states": 3}):
        _same(compute_citation_bursts(papers, citations, **kw), _old_citation_bursts(papers, citations, **kw))
    # integer ids read as their text, as before; one year of citing papers: skipped alike
    ints = pd.DataFrame({"paper_id": [1, 2, 3, 4], "year": [2020, 2020, 2021, 2022]})
    icit = pd.DataFrame({"citing_id": [2, 3, 4, 4, 3], "cited_id": [1, 1, 1, 2, 2]})
    _same(compute_citation_bursts(ints, icit, min_citations=1), _old_citation_bursts(ints, icit, min_citations=1))
    one = papers.assign(year=2020)
    _same(compute_citation_bursts(one, citations), _old_citation_bursts(one, citations))
    _same(compute_citation_bursts(papers, citations.iloc[:0]), _old_citation_bursts(papers, citations.iloc[:0]))


# --- betweenness: the previous full products --------------------------------------------------------

def _old_betweenness(A, sources, *, batch=64):
    n = A.shape[0]
    bc = np.zeros(n)
    src = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    At = A.T.tocsr()
    for lo in range(0, len(src), batch):
        s = src[lo:lo + batch]
        b = len(s)
        cols = np.arange(b)
        sigma = np.zeros((n, b))
        level = np.full((n, b), -1, dtype=np.int32)
        sigma[s, cols] = 1.0
        level[s, cols] = 0
        frontier = sigma.copy()
        depth = 0
        while True:
            nxt = At @ frontier
            new = (level < 0) & (nxt > 0)
            if not new.any():
                break
            depth += 1
            level[new] = depth
            sigma[new] = nxt[new]
            frontier = np.where(new, nxt, 0.0)
        delta = np.zeros((n, b))
        for d in range(depth, 0, -1):
            at_d = level == d
            coeff = np.where(at_d, (1.0 + delta) / np.where(sigma > 0, sigma, 1.0), 0.0)
            up = A @ coeff
            prev = level == d - 1
            delta[prev] += sigma[prev] * up[prev]
        delta[s, cols] = 0.0
        bc += delta.sum(axis=1)
    N = n - 1
    if N < 2:
        return bc
    if sources is None:
        return bc * (1.0 / (N * (N - 1)))
    k = len(src)
    scale = np.full(n, 1.0 / (k * (N - 1)))
    scale[src] = 1.0 / ((k - 1) * (N - 1)) if k > 1 else np.nan
    return bc * scale


def _undirected(seed: int, n: int, p: float):
    G = nx.gnp_random_graph(n, p, seed=seed)
    G.add_nodes_from(range(n, n + 3))  # isolated nodes
    nodes, s, d = _sparse.edge_arrays(G)
    keep = s != d
    return nodes, _sparse.adjacency(len(nodes), s[keep], d[keep], symmetric=True)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [None, 1, 5, 30])
def test_betweenness_bit_for_bit_as_the_full_products(seed, k):
    nodes, U = _undirected(seed, 60, [0.03, 0.08, 0.3][seed % 3])
    sample = _sparse.sample_sources(nodes, k, seed)
    pos = {v: i for i, v in enumerate(nodes)}
    src = None if sample is None else [pos[v] for v in sample]
    for batch in (4, 64):
        new, old = _sparse.betweenness(U, src, batch=batch), _old_betweenness(U, src, batch=batch)
        assert np.array_equal(new, old, equal_nan=True)


@pytest.mark.parametrize("seed", range(10))
def test_rows_product_equals_the_full_product(seed):
    rng = np.random.default_rng(seed)
    n = 50
    A = sp.random_array((n, n), density=0.2, random_state=seed, format="csr")
    A = sp.csr_array(A + A.T)
    X = rng.random((n, 7)) * (rng.random((n, 1)) < 0.3)  # few nonzero rows, values of every size
    X[rng.random((n, 7)) < 0.5] = 0.0
    rows = rng.random(n) < [0.1, 0.5, 0.95][seed % 3]
    full = A @ X
    got = _sparse._rows_product(A, rows, (X != 0).any(axis=1), X)
    assert np.array_equal(got[rows], full[rows])


# --- text clusters: the silhouette search ------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:Could not adhere to working_memory")
@pytest.mark.parametrize("n, sample", [(40, 40), (60, 25), (30, 2000)])
def test_sampled_silhouette_bit_for_bit_as_silhouette_score(n, sample):
    rng = np.random.default_rng(n)
    X = rng.random((n, 6))
    score = CL._SampledSilhouette(X, min(n, sample), 3)
    for k in (2, 3, 5):
        labels = rng.integers(0, k, n)
        labels[:k] = np.arange(k)
        assert score(labels) == silhouette_score(X, labels, metric="cosine", sample_size=min(n, sample),
                                                 random_state=3)
    with config_context(working_memory=0):  # scikit-learn then computes the distances row block by row block
        blocked = CL._SampledSilhouette(X, min(n, sample), 3)
        assert blocked(labels) == silhouette_score(X, labels, metric="cosine", sample_size=min(n, sample),
                                                   random_state=3)


@pytest.mark.parametrize("seed", range(6))
def test_distinct_rows_counts_as_the_set_of_rows(seed):
    rng = np.random.default_rng(seed)
    base = sp.random_array((6, 9), density=0.4, random_state=seed, format="csr")
    X = sp.csr_matrix(sp.vstack([base[[i]] for i in rng.integers(0, 6, 25)]))
    X.data = np.round(X.data, 3) + 1e-13 * rng.integers(0, 2, X.nnz)  # equal to 12 decimals, not in bytes
    n_distinct = len({tuple(r.indices) + tuple(np.round(r.data, 12)) for r in X})
    for cap in (1, 2, 5, 10, 30):
        assert CL._distinct_rows(X, cap) == min(cap, n_distinct)


def test_text_clusters_choose_as_silhouette_score(monkeypatch):
    """The k search gives the tables of one silhouette_score call per k (the previous code)."""
    r = random.Random(0)
    words = [["lung", "nodule", "ct"], ["retinal", "fundus", "report"], ["polyp", "endoscopy", "video"],
             ["skin", "lesion", "dermoscopy"]]
    titles = [" ".join(r.choice(w) for _ in range(5)) + f" study {r.randint(0, 40)}"
              for w in words for _ in range(160)]  # 640 papers: the LSA path
    papers = pd.DataFrame({"paper_id": [f"p{i:03d}" for i in range(len(titles))], "title": titles})

    class Direct:
        def __init__(self, X, sample, seed):
            self.X, self.sample, self.seed = X, sample, seed

        def __call__(self, labels):
            return silhouette_score(self.X, labels, metric="cosine", sample_size=self.sample, random_state=self.seed)

    for data in (papers, papers.iloc[:90]):  # with and without LSA
        new = compute_text_clusters(data)
        monkeypatch.setattr(CL, "_SampledSilhouette", Direct)
        old = compute_text_clusters(data)
        monkeypatch.undo()
        _same(new[0], old[0])
        _same(new[1], old[1])


# --- centrality, SPC, main path: the matrix form and the networkx graph ---------------------------------

def _citation_world(seed: int, n: int = 35):
    r = random.Random(seed)
    ids = IDS[:n]
    papers = pd.DataFrame({"paper_id": ids + ids[:2],  # repeated rows: the first counts
                           "title": [f"T{i}" if r.random() < 0.8 else None for i in range(n + 2)],
                           "year": pd.array([r.choice([2018, 2020, 2021, 2022, None]) for _ in range(n + 2)],
                                            dtype="Int64")})
    cites = [(r.choice(ids), r.choice(ids)) for _ in range(r.randint(20, 120))]  # cycles and self-citations
    cites += cites[:5] + [(ids[0], "outside")]
    return papers, pd.DataFrame(cites, columns=["citing_id", "cited_id"])


@pytest.mark.parametrize("seed", range(12))
def test_matrix_form_gives_the_tables_of_the_networkx_graph(seed):
    papers, citations = _citation_world(seed)
    G = build_citation_graph(papers, citations)
    M = citation_adjacency(papers, citations)
    bursts = pd.DataFrame({"paper_id": papers["paper_id"][:4], "weight": [1.0, 2.5, 0.5, 3.0]})
    for kw in ({}, {"betweenness_k": 7, "seed": 2, "bursts": bursts}):
        _same(compute_centrality(M, **kw), compute_centrality(G, **kw))
    for p in (papers, None):
        _same(compute_spc(M, papers=papers), compute_spc(G, papers=papers))
        for method in ("global", "key-route"):
            path = compute_main_path(M, method=method, papers=p)
            if p is None:  # the matrix carries no titles nor years: those of the graph's nodes are missing
                G0 = build_citation_graph(papers[["paper_id"]], citations)
                nx.set_node_attributes(G0, "", "title")
                _same(path, compute_main_path(G0, method=method))
            else:
                _same(path, compute_main_path(G, method=method, papers=p))
            spc, both = compute_spc_and_main_path(M, method=method, papers=p)
            _same(spc, compute_spc(M, papers=p))
            _same(both, path)


def test_matrix_form_without_edges_and_wrong_input():
    papers = pd.DataFrame({"paper_id": ["a", "b"]})
    M = citation_adjacency(papers, pd.DataFrame({"citing_id": ["a"], "cited_id": ["a"]}))
    for df in (compute_centrality(M), compute_spc(M), compute_main_path(M), *compute_spc_and_main_path(M)):
        assert df.empty and "needs S2 data" in df.attrs["skipped"]
    from medvlm_graph.errors import DataError

    with pytest.raises(DataError):
        compute_centrality((sp.csr_matrix((3, 3)), ["a", "b"]))
    with pytest.raises(DataError):
        compute_spc(nx.Graph([("a", "b")]))


def _stages(k: int) -> nx.DiGraph:
    """k stages of two parallel papers between hubs: 2**k source-to-sink paths."""
    flow = []
    for i in range(k):
        for x in "ab":
            flow += [(f"n{i:02d}", f"{x}{i:02d}"), (f"{x}{i:02d}", f"n{i + 1:02d}")]
    return nx.DiGraph([(v, u) for u, v in flow])  # citing -> cited


@pytest.mark.parametrize("graph", ["random", 50, 52, 53, 54, 60])
def test_float_counts_equal_python_int_counts(graph, monkeypatch):
    """Counts in float64 while below 2**53 give the tables of counting in Python ints throughout."""
    if graph == "random":
        papers, citations = _citation_world(3, n=40)
        G = build_citation_graph(papers, citations)
    else:
        G, papers = _stages(graph), None
    fast = compute_spc_and_main_path(G, papers=papers), compute_main_path(G, method="key-route", papers=papers)
    monkeypatch.setattr(MP, "_EXACT", 0.0)  # no float count passes: Python ints everywhere
    slow = compute_spc_and_main_path(G, papers=papers), compute_main_path(G, method="key-route", papers=papers)
    for a, b in zip((*fast[0], fast[1]), (*slow[0], slow[1])):
        _same(a, b)
    if graph != "random":
        spc = fast[0][0]
        assert set(spc["spc"]) == {float(2 ** (graph - 1))} and set(spc["spc_norm"]) == {0.5}


@pytest.mark.parametrize("seed", range(6))
def test_spc_rows_in_the_order_pandas_sorts_them(seed):
    papers, citations = _citation_world(seed)
    spc = compute_spc(citation_adjacency(papers, citations), papers=papers)
    shuffled = spc.sample(frac=1.0, random_state=seed)
    resorted = shuffled.sort_values(["spc", "cited_id", "citing_id"], ascending=[False, True, True])
    _same(spc, resorted.reset_index(drop=True))


# --- gap tables: the ids of each cell ------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_joined_ids_equal_the_groupby_join(seed):
    from medvlm_graph.analysis.gaps import _joined_ids

    r = random.Random(seed)
    pairs = pd.DataFrame({"paper_id": [r.choice(IDS) for _ in range(200)],
                          "label_a": [r.choice(["vqa", "ségmentation", "report"]) for _ in range(200)],
                          "label_b": [r.choice(["ct", "mri", "χray"]) for _ in range(200)]}).drop_duplicates()
    old = pairs.sort_values("paper_id").groupby(["label_a", "label_b"])["paper_id"].agg(";".join)
    assert _joined_ids(pairs, "label_a", "label_b") == old.to_dict()
    assert _joined_ids(pairs.iloc[:0], "label_a", "label_b") == {}
