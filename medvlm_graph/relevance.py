"""Field relevance: which papers of the corpus belong to the field, how strongly, and why.

A refresh or ``ingest --hops 1`` brings the neighbourhood of the seeds, and most of it lies outside
the field: citers of the general models of the list (CLIP, SAM, LLaVA) from general computer
vision, classic references cited by everyone (ResNet, Transformer), vision-only medical work. This
module gives every paper ``in_field``, ``field_score`` (0..1) and ``field_reason``:

* **Seeds** are in the field by definition, except *reference points*: seeds whose ``origin`` is
  ``natural`` (the general models of the review's model table), which are out
  ("general model paper: review model table").
* **Every other paper** combines three kinds of evidence, each a number in [0, 1]:

  - ``field_domain``: the field's domain vocabulary (the taxonomy's ``field.domain`` rules plus
    every modality label's rules; for the default taxonomy, medical imaging words): 1.0 in the
    title, else by the number of distinct terms in the abstract/TLDR (1: 0.3, 2: 0.45, 3: 0.6,
    4 or more: 0.8);
  - ``field_method``: the field's method vocabulary (``field.method`` plus every model label's
    names; vision-language words and model names), scored the same way;
  - ``field_graph``: citation ties to the seeds, weighted by kind: citing a *task seed* (a seed
    of a section with a task; every field seed when the list has no task) counts 1, citing
    another field seed (a medical model) 0.5, divided by 3 and capped at 1; being cited by
    seeds adds 0.1 per task seed (0.05 per other field seed), at most 0.3, because seeds also
    cite the classics and vision-only work; papers cited by at least ``generic_share`` of the
    corpus's citing papers (and by at least 10) are *generic* and get nothing for being cited. Ties to reference
    points (the general models) count nothing.

  ``field_score`` is the median of the three: the paper is in the field when at least two kinds
  of evidence reach the threshold (``field_score >= threshold``, 0.5), so no single kind decides
  alone (a vision-only medical paper cited by seeds, a natural-image VLM paper, or a paper
  citing seeds with no word of the field all stay out).

* **Manual overrides** win: rows of the overrides CSV with ``dimension=field``, label ``in`` or
  ``out`` and action ``add`` (``in`` with ``remove`` means out), see
  :mod:`medvlm_graph.labels.manual`.

Examples
--------
>>> import pandas as pd
>>> papers = pd.DataFrame({
...     "paper_id": ["s1", "clip", "p1", "p2", "p3"],
...     "title": ["Chest X-ray report generation", "CLIP", "Radiology report generation with LLMs",
...               "A natural-image VQA benchmark for LLMs", "Deep residual learning"],
...     "is_seed": [True, True, False, False, False]})
>>> seeds = pd.DataFrame({"paper_id": ["s1", "clip"], "section": ["Report", "models"],
...                       "task": ["report_generation", None], "origin": [None, "natural"]})
>>> rel = compute_relevance(papers, seeds)
>>> rel[["paper_id", "in_field", "field_score"]].values.tolist()
[['s1', True, 1.0], ['clip', False, 0.0], ['p1', True, 1.0], ['p2', False, 0.0], ['p3', False, 0.0]]
>>> rel.loc[2, "field_reason"]
'medical + vision-language terms in title'
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import pandas as pd

from scipy import sparse

from . import tables
from .graphs._common import positions
from .graphs.citation import citation_adjacency
from .labels.rules import Matcher, TextBatch
from .taxonomy import Label, Rules, Taxonomy, load_taxonomy

#: ``field_score`` at or above which a paper is in the field.
THRESHOLD = 0.5
#: Papers cited by at least this share of the corpus's citing papers (and by at least
#: GENERIC_MIN_CITERS papers) are generic hubs.
GENERIC_SHARE = 0.2
GENERIC_MIN_CITERS = 10
#: Scores within this distance of the threshold are borderline (listed for review).
BORDERLINE = 0.15
#: Text evidence by number of distinct terms in the abstract/TLDR (index = count, capped).
BODY_SCORES = (0.0, 0.3, 0.45, 0.6, 0.8)
TITLE_SCORE = 1.0
#: Text evidence of a paper that names none of the field's data vocabulary is capped here.
NO_DATA_CAP = 0.45

RELEVANCE_COLUMNS = ["paper_id", "in_field", "field_score", "field_reason", "field_domain", "field_method",
                     "field_graph", "cites_task_seeds", "cites_field_seeds", "cited_by_field_seeds",
                     "cites_reference_seeds", "cited_share", "field_source"]
#: The relevance columns kept in the ``papers`` table.
PAPER_COLUMNS = ["in_field", "field_score", "field_reason", "field_source", "field_domain", "field_method",
                 "field_graph"]


def _merged(labels, dimension: str, name: str) -> Label | None:
    """One label whose rules are the union of ``labels``' rules (None when there are none)."""
    labels = list(labels)
    if not labels:
        return None
    keys = ("terms", "aliases", "case_sensitive", "patterns", "exclusions")
    rules = Rules(**{k: tuple(x for lab in labels for x in getattr(lab.rules, k)) for k in keys})
    if not any(getattr(rules, k) for k in keys[:4]):
        return None
    return Label(id=name, name=name, dimension=dimension, rules=rules)


def vocabulary_matchers(taxonomy: Taxonomy) -> dict[str, list[Matcher]]:
    """Matchers of the field's ``domain`` and ``method`` vocabulary.

    ``domain`` = the taxonomy's ``field.domain`` rules + every modality label;
    ``method`` = ``field.method`` + every model label's names (matched as names, so CLIP counts in
    MediCLIP); ``data`` = ``field.data`` + every modality label (empty when the taxonomy names no
    data vocabulary: then no data cue is required; model names are no data cue, GPT-4 reads text).
    """
    field = {lab.id: lab for lab in taxonomy.labels("field")}
    names = _merged(taxonomy.labels("model"), "model", "model_names")
    domain = [_merged([lab for lab in (field.get("domain"), *taxonomy.labels("modality")) if lab],
                      "field", "domain")]
    method = [_merged([field["method"]] if "method" in field else [], "field", "method"), names]
    data = [_merged([lab for lab in (field.get("data"), *taxonomy.labels("modality")) if lab], "field", "data")] \
        if "data" in field else []
    return {part: [Matcher.from_label(lab) for lab in labs if lab]
            for part, labs in (("domain", domain), ("method", method), ("data", data))}


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def text_evidence(titles: list[str], bodies: list[str], matchers: list[Matcher]) -> tuple[np.ndarray, np.ndarray]:
    """Per text: the evidence score and where it came from (2 = title, 1 = abstract/TLDR, 0 = none).

    Examples
    --------
    >>> from medvlm_graph.taxonomy import load_taxonomy
    >>> m = vocabulary_matchers(load_taxonomy())["domain"]
    >>> score, where = text_evidence(["CT report", "A model"], ["", "clinical and radiology data"], m)
    >>> score.tolist(), where.tolist()
    ([1.0, 0.45], [2, 1])
    """
    return _text_evidence(TextBatch(titles), TextBatch(bodies), matchers)


def _text_evidence(titles: TextBatch, bodies: TextBatch, matchers: list[Matcher]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`text_evidence` over batches (shared by the vocabularies, whose matchers share rules)."""
    n = len(titles)
    title_hit = np.zeros(n, dtype=bool)
    body_terms: dict[tuple[int, str], None] = {}  # (text, distinct term), in order
    norm: dict[str, str] = {}
    for m in matchers:
        title_hit[m.find_many(titles)[0]] = True
        for i, a, b in zip(*(x.tolist() for x in m.find_many(bodies))):
            raw = bodies.texts[i][a:b]
            if raw not in norm:
                norm[raw] = " ".join(raw.lower().replace("-", " ").split())
            body_terms[(i, norm[raw])] = None
    counts = np.bincount(np.fromiter((i for i, _ in body_terms), dtype=np.int64, count=len(body_terms)),
                         minlength=n)
    body = np.asarray(BODY_SCORES)[np.minimum(counts, len(BODY_SCORES) - 1)]
    score = np.where(title_hit, TITLE_SCORE, body)
    where = np.where(title_hit, 2, np.where(counts > 0, 1, 0)).astype(np.int8)
    return score, where


def seed_roles(seeds: pd.DataFrame | None) -> dict[str, str]:
    """Role of every seed paper: ``task`` (a seed of a task section; every field seed when no
    seed has a task), ``field`` (another seed in the field, e.g. a medical model) or ``reference``
    (origin ``natural``: a general model, a reference point outside the field).

    A paper listed both as a task seed and elsewhere takes the strongest role (task > field >
    reference).
    """
    if seeds is None or seeds.empty or "paper_id" not in seeds.columns:
        return {}
    s = seeds[seeds["paper_id"].notna()]
    task = s["task"].fillna("").astype(str).str.strip().ne("") if "task" in s.columns else \
        pd.Series(False, index=s.index)
    natural = s["origin"].fillna("").astype(str).str.lower().eq("natural") if "origin" in s.columns else \
        pd.Series(False, index=s.index)
    any_task = bool(task.any())
    rank = {"reference": 0, "field": 1, "task": 2}
    roles: dict[str, str] = {}
    for pid, t, nat in zip(s["paper_id"].astype(str), task, natural):
        role = "task" if (t or (not any_task and not nat)) else ("reference" if nat else "field")
        if pid not in roles or rank[role] > rank[roles[pid]]:
            roles[pid] = role
    return roles


def _seed_sections(seeds: pd.DataFrame | None) -> dict[str, str]:
    if seeds is None or seeds.empty or "section" not in seeds.columns:
        return {}
    s = seeds[seeds["paper_id"].notna()]
    out: dict[str, list[str]] = {}
    for pid, sec in zip(s["paper_id"].astype(str), s["section"]):
        if isinstance(sec, str) and sec.strip():
            out.setdefault(pid, [])
            if sec not in out[pid]:
                out[pid].append(sec)
    return {pid: "; ".join(v) for pid, v in out.items()}


def _graph_evidence(ids: pd.Index, citations: pd.DataFrame | None, roles: dict[str, str],
                    generic_share: float) -> dict[str, np.ndarray]:
    # ``ids`` are distinct (the papers table): citation_adjacency keeps their order
    n = len(ids)
    zero = {k: np.zeros(n) for k in ("cites_task", "cites_field", "cites_ref", "cited_task", "cited_field",
                                     "share", "citers")}
    if citations is None or citations.empty or n == 0:
        return zero
    A, index = citation_adjacency(pd.DataFrame({"paper_id": ids}), citations)
    A = sparse.csr_array(A, dtype=float)
    m = len(index)
    role = np.array([roles.get(p, "") for p in index.tolist()])
    vec = {r: (role == r).astype(float) for r in ("task", "field", "reference")}
    citing_papers = max(int((A.sum(axis=1) > 0).sum()), 1)
    citers = A.T @ np.ones(m)
    out = {
        "cites_task": A @ vec["task"], "cites_field": A @ vec["field"], "cites_ref": A @ vec["reference"],
        "cited_task": A.T @ vec["task"], "cited_field": A.T @ vec["field"],
        "share": citers / citing_papers, "citers": citers,
    }
    pos = index.get_indexer(ids)  # back to the rows of the papers table (a repeated id: its first row)
    return {k: np.asarray(v)[pos] for k, v in out.items()}


def _reason(dom: float, dom_where: int, met: float, met_where: int, g: dict[str, float], generic: bool,
            names: tuple[str, str], in_field: bool) -> str:
    parts = []
    dname, mname = names
    if dom_where == 2 and met_where == 2:
        parts.append(f"{dname} + {mname} terms in title")
    else:
        for name, where in ((dname, dom_where), (mname, met_where)):
            if where:
                parts.append(f"{name} terms in {'title' if where == 2 else 'abstract'}")
        if not dom_where:
            parts.append(f"no {dname} terms")
        if not met_where:
            parts.append(f"no {mname} terms")
    ties = []
    if g["cites_task"]:
        ties.append(f"cites {int(g['cites_task'])} task seed{'s' if g['cites_task'] != 1 else ''}")
    if g["cites_field"]:
        ties.append(f"cites {int(g['cites_field'])} other field seed{'s' if g['cites_field'] != 1 else ''}")
    cited = int(g["cited_task"] + g["cited_field"])
    if cited and not generic:
        ties.append(f"cited by {cited} field seed{'s' if cited != 1 else ''}")
    if g["cites_ref"] and not (g["cites_task"] or g["cites_field"]):
        ties.append("cites only general model papers among the seeds")
    if generic:
        ties.append(f"generic: cited by {g['share']:.0%} of the corpus")
    if not ties and not in_field:
        ties.append("no citation ties to field seeds")
    return "; ".join(parts + ties)


def compute_relevance(papers: pd.DataFrame, seeds: pd.DataFrame | None = None,
                      citations: pd.DataFrame | None = None, *,
                      taxonomy: Taxonomy | str | os.PathLike[str] | None = None,
                      overrides: pd.DataFrame | None = None, threshold: float = THRESHOLD,
                      generic_share: float = GENERIC_SHARE,
                      progress: Callable[[], None] | None = None) -> pd.DataFrame:
    """Field relevance of every paper (see the module docstring for the evidence and its weights).

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, title`` (``abstract``, ``tldr``, ``is_seed`` used when present).
    seeds : DataFrame, optional
        Seeds table with ``paper_id`` filled, ``task``, ``section`` and ``origin``.
    citations : DataFrame, optional
        ``citing_id, cited_id``; without it the graph evidence is 0 for every paper.
    taxonomy : Taxonomy or path, optional
        Its ``field`` section, modality labels and model labels give the vocabulary.
    overrides : DataFrame, optional
        ``paper_id, dimension, label, action`` rows (only ``dimension == "field"`` is read), in order.
    threshold : float
        ``field_score`` at or above which a paper is in the field.
    generic_share : float
        Share of the corpus's citing papers above which a cited paper counts as a generic hub.
    progress : callable, optional
        Called once per stage (text, graph, decision), for a progress bar owned by the caller.

    Returns
    -------
    DataFrame
        One row per paper, in the order of ``papers``: :data:`RELEVANCE_COLUMNS`
        (``field_source``: ``seed``, ``evidence`` or ``manual``).
    """
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    tick = progress or (lambda: None)
    papers = tables.conform(papers, "papers", require=("paper_id",))
    ids = pd.Index(papers["paper_id"].astype(str))
    titles = [_text(t) for t in papers["title"].tolist()]  # lists: Arrow columns iterate slowly
    bodies = [" \n ".join(x for x in (_text(a), _text(t)) if x)
              for a, t in zip(papers["abstract"].tolist(), papers["tldr"].tolist())]
    matchers = vocabulary_matchers(tax)
    titles, bodies = TextBatch.of(titles), TextBatch(bodies)
    dom, dom_where = _text_evidence(titles, bodies, matchers["domain"])
    met, met_where = _text_evidence(titles, bodies, matchers["method"])
    tick()
    roles = seed_roles(seeds)
    sections = _seed_sections(seeds)
    g = _graph_evidence(ids, citations, roles, generic_share)
    seed_ties = g["cites_task"] + 0.5 * g["cites_field"]
    if matchers["data"]:
        # Without a word of the field's data (images), domain and method words describe another
        # field (clinical-text LLMs): their evidence stays below the threshold, unless the paper
        # cites at least two task seeds (then its data is the field's, whatever the title says).
        _, data_where = _text_evidence(titles, bodies, matchers["data"])
        cap = np.where((data_where > 0) | (seed_ties >= 2), 1.0, NO_DATA_CAP)
        dom, met = np.minimum(dom, cap), np.minimum(met, cap)
    else:
        data_where = np.ones(len(titles), dtype=np.int8)
    generic = (g["share"] >= generic_share) & (g["citers"] >= GENERIC_MIN_CITERS)
    cited = np.where(generic, 0.0, np.minimum(0.3, 0.1 * g["cited_task"] + 0.05 * g["cited_field"]))
    graph = np.minimum(1.0, seed_ties / 3.0 + cited)
    tick()
    score = np.median(np.vstack([dom, met, graph]), axis=0)
    in_field = score >= threshold
    vocab = {lab.id: lab.name for lab in tax.labels("field")}
    names = (vocab.get("domain", "domain"), vocab.get("method", "method"))
    data_name = vocab.get("data", "data")
    reasons, source = [], []
    is_seed = papers["is_seed"].fillna(False).astype(bool).to_numpy()
    # Python lists for the loop (numpy scalars one by one are slow); in_field and score are only
    # changed for seeds, whose rows read none of these
    gl = {k: v.tolist() for k, v in g.items()}
    dom_l, dom_w, met_l, met_w = dom.tolist(), dom_where.tolist(), met.tolist(), met_where.tolist()
    generic_l, in_field_l, data_w, ties = generic.tolist(), in_field.tolist(), data_where.tolist(), seed_ties.tolist()
    for i, pid in enumerate(ids.tolist()):
        role = roles.get(pid)
        if role is None and is_seed[i]:
            role = "field"  # a seed row the seeds table no longer names: the list put it in the field
        if role == "reference":
            in_field[i], score[i] = False, 0.0
            reasons.append("general model paper: review model table")
            source.append("seed")
        elif role is not None:
            in_field[i], score[i] = True, 1.0
            sec = sections.get(pid)
            if role != "task" and sec == "models":
                reasons.append("seed (review model table: field model)")
            else:
                reasons.append(f"seed (review: {sec})" if sec else "seed (review)")
            source.append("seed")
        else:
            gi = {k: float(v[i]) for k, v in gl.items()}
            reason = _reason(dom_l[i], dom_w[i], met_l[i], met_w[i], gi, generic_l[i], names, in_field_l[i])
            if not data_w[i] and (dom_w[i] or met_w[i]) and ties[i] < 2:
                reason += f"; no {data_name} terms (another field's use of these words)"
            reasons.append(reason)
            source.append("evidence")
    out = pd.DataFrame({
        "paper_id": ids.to_numpy(), "in_field": in_field, "field_score": np.round(score, 6),
        "field_reason": reasons, "field_domain": dom, "field_method": met, "field_graph": np.round(graph, 6),
        "cites_task_seeds": g["cites_task"].astype(int), "cites_field_seeds": g["cites_field"].astype(int),
        "cited_by_field_seeds": (g["cited_task"] + g["cited_field"]).astype(int),
        "cites_reference_seeds": g["cites_ref"].astype(int), "cited_share": np.round(g["share"], 6),
        "field_source": source,
    })
    if overrides is not None and len(overrides):
        out = apply_field_overrides(out, overrides)
    tick()
    return out


def apply_field_overrides(relevance: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """Apply the ``dimension == "field"`` rows of an overrides table, in order (manual wins).

    Examples
    --------
    >>> rel = pd.DataFrame({"paper_id": ["a", "b"], "in_field": [False, True], "field_score": [0.2, 0.9],
    ...                     "field_reason": ["x", "y"], "field_source": ["evidence"] * 2})
    >>> ov = pd.DataFrame({"paper_id": ["a", "b"], "dimension": ["field"] * 2, "label": ["in", "in"],
    ...                    "action": ["add", "remove"]})
    >>> apply_field_overrides(rel, ov)[["in_field", "field_reason"]].values.tolist()
    [[True, 'manual override: in the field (was: x)'], [False, 'manual override: out of the field (was: y)']]
    """
    out = relevance.copy()
    pos = {p: i for i, p in enumerate(out["paper_id"])}
    rows = overrides[overrides["dimension"].astype(str).str.lower() == "field"]
    for ov in rows.itertuples(index=False):
        i = pos.get(ov.paper_id)
        if i is None:
            continue
        inside = (str(ov.label).lower() == "in") == (str(ov.action).lower() == "add")
        was = out.at[i, "field_reason"]
        if str(out.at[i, "field_source"]) == "manual":
            was = str(was).split("(was: ", 1)[-1].rstrip(")") if "(was: " in str(was) else was
        out.at[i, "in_field"] = inside
        out.at[i, "field_reason"] = f"manual override: {'in' if inside else 'out of'} the field (was: {was})"
        out.at[i, "field_source"] = "manual"
    return out


def assign_relevance(papers: pd.DataFrame, relevance: pd.DataFrame) -> pd.DataFrame:
    """``papers`` with the relevance columns filled from ``relevance`` (matched on ``paper_id``)."""
    rel = relevance.drop_duplicates("paper_id").set_index("paper_id")
    out = papers.copy()
    pos = positions(out["paper_id"], rel.index)  # -1: not in relevance, missing as with Series.map
    for col in PAPER_COLUMNS:
        out[col] = pd.Series(rel[col].array.take(pos, allow_fill=True), index=out.index) if col in rel.columns \
            else pd.NA
    return tables.conform(out, "papers")


def borderline(papers: pd.DataFrame, *, threshold: float = THRESHOLD, width: float = BORDERLINE,
               limit: int | None = None) -> pd.DataFrame:
    """Non-seed papers whose ``field_score`` lies within ``width`` of the threshold, closest first.

    These are the decisions worth a look; fix any of them with a ``field`` row in the overrides CSV.
    """
    if "field_score" not in papers.columns or papers.empty:
        return papers.head(0)
    seed = papers["is_seed"].fillna(False).astype(bool) if "is_seed" in papers.columns else False
    p = papers[~seed & papers["field_score"].notna()]
    if "field_source" in p.columns:
        p = p[p["field_source"].fillna("") != "manual"]
    dist = (p["field_score"] - threshold).abs()
    p = p[dist <= width].assign(_d=dist[dist <= width]).sort_values(["_d", "paper_id"]).drop(columns="_d")
    return p.head(limit) if limit else p


def relevance_summary(papers: pd.DataFrame, *, top_reasons: int = 3) -> dict:
    """Counts for reports: papers in the field, set aside, and the most common reasons for each.

    Examples
    --------
    >>> p = pd.DataFrame({"paper_id": list("abc"), "in_field": [True, False, False],
    ...                   "field_reason": ["seed (review: X)", "generic: cited by 40% of the corpus",
    ...                                    "no medical imaging terms; cites only general model papers among the seeds"]})
    >>> s = relevance_summary(p)
    >>> s["in_field"], s["set_aside"], s["set_aside_reasons"]
    (1, 2, [('generic: cited by N% of the corpus', 1), ('no medical imaging terms', 1)])
    """
    if "in_field" not in papers.columns or papers["in_field"].isna().all():
        return {"assessed": False, "papers": len(papers), "in_field": len(papers), "set_aside": 0,
                "in_field_reasons": [], "set_aside_reasons": []}
    inside = papers["in_field"].fillna(True).astype(bool)

    def common(mask, inside_: bool) -> list[tuple[str, int]]:
        if "field_reason" not in papers:
            return []
        reasons = papers.loc[mask, "field_reason"].fillna("").astype(str)
        # each distinct reason once (most papers share a few), then the counts added up by main reason
        counts = reasons[reasons != ""].value_counts(sort=False)
        parts = pd.Series([_main_reason(r, inside_) for r in counts.index.tolist()], dtype="string")
        parts = parts.str.replace(r"\d+%", "N%", regex=True)
        totals: dict[str, int] = {}
        for key, n in zip(parts.tolist(), counts.tolist()):
            totals[key] = totals.get(key, 0) + int(n)
        vc = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(str(k), int(v)) for k, v in vc[:top_reasons]]

    return {"assessed": True, "papers": len(papers), "in_field": int(inside.sum()),
            "set_aside": int((~inside).sum()), "in_field_reasons": common(inside, True),
            "set_aside_reasons": common(~inside, False)}


def _main_reason(reason: str, inside: bool) -> str:
    """The part of a ``field_reason`` that decided: the first part for papers in the field; for the
    others the missing or disqualifying evidence (a general model, a generic hub, no domain, method
    or data terms), else "weak evidence"."""
    parts = [p.strip() for p in reason.split(";") if p.strip()]
    if inside or not parts:
        return parts[0].split(" (")[0] if parts else ""
    for key in ("manual override", "general model paper", "generic:", "no "):
        for p in parts:
            if p.startswith(key):
                return p.split(" (")[0] if key != "no " else p
    return "weak evidence"
