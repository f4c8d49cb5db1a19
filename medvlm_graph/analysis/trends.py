"""Label usage over time: counts, shares, growth and foundation-model adoption.

All functions take contract tables (``papers``, ``labels``, ``seeds``) and
return DataFrames. Empty or too-small input gives an empty frame with the
documented columns and ``attrs["skipped"]`` saying why (see ``_frames``).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError
from ..identity import PaperIndex, normalize_arxiv_id
from ._frames import DIMENSIONS, paper_titles, paper_years, require, select_labels, skipped

TREND_COLUMNS = ["dimension", "label", "year", "count", "n_year", "share"]
GROWTH_COLUMNS = ["dimension", "label", "start_year", "end_year", "start_count", "end_count",
                  "total", "cagr", "note"]
ADOPTION_COLUMNS = ["model", "task", "first_year", "first_paper_id", "first_title", "n_papers",
                    "model_year", "model_year_source", "lag_years"]


def compute_trends(papers: pd.DataFrame, labels: pd.DataFrame, dimension: str | None = None, *,
                   min_score: float = 0.5) -> pd.DataFrame:
    """Papers per year carrying each label, with shares.

    Parameters
    ----------
    papers : DataFrame
        ``papers`` table (``paper_id``, ``year``); papers without a year are left out.
    labels : DataFrame
        ``labels`` table; rows with ``score < min_score`` are ignored (a missing score counts as 1).
    dimension : str, optional
        ``task``, ``strategy``, ``modality`` or ``model``; ``None`` = every dimension present.
    min_score : float

    Returns
    -------
    DataFrame
        One row per dimension, label and year of the dimension's year range (zero counts included,
        so every series is complete), sorted by dimension, label, year:

        - ``count``: distinct papers of that year with the label;
        - ``n_year``: distinct papers of that year with any label of the dimension;
        - ``share``: ``count / n_year`` (0 when ``n_year`` is 0). A paper may carry several labels
          of a dimension (strategies), so shares of a year can sum above 1.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["a", "b", "c"], "year": [2020, 2021, 2021]})
    >>> l = pd.DataFrame({"paper_id": ["a", "b", "c"], "dimension": "task",
    ...                   "label": ["vqa", "vqa", "segmentation"], "score": 1.0})
    >>> compute_trends(p, l, "task")[["label", "year", "count", "share"]].values.tolist()
    [['segmentation', 2020, 0, 0.0], ['segmentation', 2021, 1, 0.5], ['vqa', 2020, 1, 1.0], ['vqa', 2021, 1, 0.5]]
    """
    if dimension is not None and dimension not in DIMENSIONS:
        raise DataError(f"unknown dimension {dimension!r}; known: {', '.join(DIMENSIONS)}")
    years = paper_years(papers)
    lab = select_labels(labels, dimension, min_score=min_score)
    lab = lab.assign(year=lab["paper_id"].map(years)).dropna(subset=["year"])
    if lab.empty:
        what = f"dimension {dimension!r}" if dimension else "any dimension"
        return skipped(TREND_COLUMNS, f"no labelled papers with a year for {what}")
    lab["year"] = lab["year"].astype(int)
    parts = []
    for dim, d in lab.groupby("dimension", sort=True):
        span = np.arange(d["year"].min(), d["year"].max() + 1)
        counts = d.groupby(["label", "year"])["paper_id"].nunique()
        n_year = d.groupby("year")["paper_id"].nunique().reindex(span, fill_value=0)
        grid = pd.MultiIndex.from_product([sorted(d["label"].unique()), span], names=["label", "year"])
        counts = counts.reindex(grid, fill_value=0).rename("count").reset_index()
        counts["n_year"] = counts["year"].map(n_year).astype(int)
        counts.insert(0, "dimension", dim)
        parts.append(counts)
    out = pd.concat(parts, ignore_index=True)
    out["count"] = out["count"].astype(int)
    out["share"] = np.where(out["n_year"] > 0, out["count"] / out["n_year"].where(out["n_year"] > 0, 1), 0.0)
    return out[TREND_COLUMNS].sort_values(["dimension", "label", "year"]).reset_index(drop=True)


def partial_year(as_of: str | _dt.date | _dt.datetime | int | None = None) -> int:
    """The year that ``as_of`` (when the data was collected; default today) leaves partial.

    Examples
    --------
    >>> partial_year("2025-10-16"), partial_year("2026-01-01T00:00:00+00:00"), partial_year(2024)
    (2025, 2026, 2024)
    """
    if as_of is None:
        return _dt.date.today().year
    if isinstance(as_of, (int, np.integer)):
        return int(as_of)
    if isinstance(as_of, (_dt.date, _dt.datetime)):
        return as_of.year
    try:
        return _dt.date.fromisoformat(str(as_of)[:10]).year
    except ValueError:
        raise DataError(f"as_of {as_of!r} is not a date (YYYY-MM-DD) or a year") from None


def compute_growth(trends: pd.DataFrame, *, window: tuple[int, int] | None = None,
                   last: int | None = None, as_of: str | _dt.date | int | None = None,
                   include_partial: bool = False) -> pd.DataFrame:
    """Compound annual growth rate (CAGR) of each label's yearly count over a stated window.

    ``cagr = (end_count / start_count) ** (1 / (end_year - start_year)) - 1``.

    The year in which the data was collected is partial (a list taken in October holds ten months
    of that year), and comparing it with full years reads as a collapse ("-100%"). So unless
    ``include_partial`` is true, a window taken from the data (``last`` or the full range) ends
    the year before; ``attrs["note"]`` says so. An explicit ``window`` is used as given.

    Parameters
    ----------
    trends : DataFrame
        Output of :func:`compute_trends`.
    window : (int, int), optional
        ``(start_year, end_year)``, inclusive.
    last : int, optional
        Use the last ``last`` complete years of each dimension's range instead (``last=3`` over
        2019-2025 with data of 2025 gives 2022-2024). Without ``window`` or ``last`` the window is
        the dimension's full range (up to its last complete year).
    as_of : date, ISO date string or year, optional
        When the data was collected (:attr:`medvlm_graph.corpus.Corpus.as_of`); its year and any
        later one are partial. Default: today.
    include_partial : bool
        Keep the partial year in windows taken from the data.

    Returns
    -------
    DataFrame
        ``dimension, label, start_year, end_year, start_count, end_count, total`` (papers in the
        window), ``cagr`` (NaN when ``start_count`` is 0 or the window is one year) and ``note``
        saying why ``cagr`` is NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"dimension": "task", "label": "vqa", "year": [2020, 2021, 2022, 2023],
    ...                   "count": [2, 4, 8, 1], "n_year": 8, "share": 0.0})
    >>> g = compute_growth(t, as_of="2023-05-01")
    >>> g.loc[0, "start_year"], g.loc[0, "end_year"], g.loc[0, "cagr"]
    (np.int64(2020), np.int64(2022), np.float64(1.0))
    >>> g.attrs["note"]
    'leaves out 2023, the year the data was collected (partial); include_partial (--include-partial) keeps it'
    >>> compute_growth(t, as_of="2023-05-01", include_partial=True).loc[0, "end_year"]
    np.int64(2023)
    """
    require(trends, ["dimension", "label", "year", "count"], "trends")
    if trends.empty:
        return skipped(GROWTH_COLUMNS, trends.attrs.get("skipped") or "no trend rows")
    if window is not None and last is not None:
        raise DataError("give either window or last, not both")
    if last is not None and last < 2:
        raise DataError("last must be at least 2 years")
    partial = partial_year(as_of)
    left_out: set[int] = set()
    rows = []
    for dim, d in trends.groupby("dimension", sort=True):
        lo, hi = int(d["year"].min()), int(d["year"].max())
        if window is None and not include_partial and hi >= partial and lo < partial:
            left_out.update(range(partial, hi + 1))
            hi = partial - 1
        if window is not None:
            start, end = int(window[0]), int(window[1])
        elif last is not None:
            start, end = max(lo, hi - last + 1), hi
        else:
            start, end = lo, hi
        for label, g in d.groupby("label", sort=True):
            by_year = g.set_index("year")["count"]
            s = int(by_year.get(start, 0))
            e = int(by_year.get(end, 0))
            total = int(by_year[(by_year.index >= start) & (by_year.index <= end)].sum())
            note, cagr = "", math.nan
            if end <= start:
                note = "window of one year"
            elif s == 0:
                note = f"no paper in {start}"
            else:
                cagr = (e / s) ** (1.0 / (end - start)) - 1.0
            rows.append((dim, label, start, end, s, e, total, cagr, note))
    out = pd.DataFrame(rows, columns=GROWTH_COLUMNS)
    if out["end_year"].le(out["start_year"]).all():
        out.attrs["skipped"] = "growth needs at least two years"
    if left_out:
        years = ", ".join(str(y) for y in sorted(left_out))
        out.attrs["note"] = (f"leaves out {years}, the year the data was collected (partial); "
                             "include_partial (--include-partial) keeps it")
    return out


MODEL_COLUMNS = ["model", "model_paper_id", "model_year", "model_year_source"]


def _norm_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(name).lower())


def _split(value) -> list[str]:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [v for v in str(value).split(";") if v.strip()]


def models_from_taxonomy(taxonomy) -> pd.DataFrame:
    """The model dimension of a :class:`~medvlm_graph.taxonomy.Taxonomy` as a frame.

    Returns
    -------
    DataFrame
        ``model, name, aliases`` (";"-joined), ``arxiv, doi, title`` (the model's own paper, if given).

    Examples
    --------
    >>> from medvlm_graph.taxonomy import load_taxonomy
    >>> models = models_from_taxonomy(load_taxonomy())
    >>> models.loc[models["model"] == "clip", ["model", "name"]].values.tolist()
    [['clip', 'CLIP']]
    """
    rows = []
    for lab in taxonomy.labels("model"):
        ref = lab.paper
        rows.append((lab.id, lab.name, ";".join(lab.rules.aliases), ref.arxiv if ref else None,
                     ref.doi if ref else None, ref.title if ref else None))
    return pd.DataFrame(rows, columns=["model", "name", "aliases", "arxiv", "doi", "title"])


def _records(df: pd.DataFrame | None, columns) -> list[dict]:
    """The distinct rows of ``df`` as dicts of the ``columns`` it has, in order of first appearance (an
    absent key reads as None with ``get``).

    A repeated row names the same things again, so only its first occurrence matters; one dict per
    row without building a Series per row (``iterrows``); the values are the column's own (a ``str``
    stays a ``str``, a missing value stays NaN or None).
    """
    if df is None or not len(df):
        return []
    df = df[[c for c in columns if c in df.columns]]
    try:
        df = df.drop_duplicates()
    except TypeError:  # unhashable cells (aliases given as lists): every row then
        pass
    return df.to_dict("records")


def model_years(papers: pd.DataFrame, seeds: pd.DataFrame | None = None,
                models: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year and paper of each foundation model, from the best source available.

    In order: (1) the model's own paper (``models`` columns ``arxiv``, ``doi``, ``title``) found in
    ``papers`` by arXiv id, DOI (case-insensitive) or normalised title -> ``papers``; (2) a model-table
    row of ``seeds`` whose ``model_name`` normalised to lower-case letters and digits equals the model
    id, name or an alias -> its resolved paper's year (``papers``) or its ``year_hint``
    (``seed year_hint``); (3) the model paper's arXiv id (``YYMM.NNNNN`` -> ``20YY``) -> ``arxiv id``.

    Parameters
    ----------
    papers : DataFrame
    seeds : DataFrame, optional
    models : DataFrame, optional
        ``model`` plus any of ``name, aliases, arxiv, doi, title`` (see :func:`models_from_taxonomy`).
        Without it, every model-table seed gives a model id equal to its normalised name.

    Returns
    -------
    DataFrame
        ``model, model_paper_id, model_year`` (Int64), ``model_year_source``; one row per model found.

    Examples
    --------
    CLIP's own paper is in the corpus; SAM's year comes from its arXiv id alone:

    >>> import pandas as pd
    >>> models = pd.DataFrame({"model": ["clip", "sam"], "arxiv": ["2103.00020", "2304.02643"]})
    >>> papers = pd.DataFrame({"paper_id": ["P1"], "arxiv_id": ["2103.00020"], "year": [2021]})
    >>> model_years(papers, models=models)[["model", "model_year", "model_year_source"]].values.tolist()
    [['clip', 2021, 'papers'], ['sam', 2023, 'arxiv id']]
    """
    years = paper_years(papers) if papers is not None and len(papers) else pd.Series(dtype=int)
    found: dict[str, tuple] = {}

    def put(model, pid, year, src):
        if model not in found and year is not None:
            found[model] = (model, pid, int(year), src)

    names: dict[str, str] = {}
    rows = _records(models, ("model", "name", "aliases", "arxiv", "doi", "title"))
    if models is not None and len(models):
        require(models, ["model"], "models")
        index = None  # built on the first row that names its own paper (a row of names only needs none)
        for m in rows:
            model = str(m["model"])
            for n in [model, m.get("name"), *_split(m.get("aliases"))]:
                if n is not None and not pd.isna(n):
                    names.setdefault(_norm_name(n), model)
            ref = {k: (m.get(k) if isinstance(m.get(k), str) else None) for k in ("arxiv", "doi", "title")}
            if not any(ref.values()):
                continue
            if index is None:
                known = papers[papers["paper_id"].astype(str).isin(years.index)] \
                    if papers is not None and len(papers) else pd.DataFrame({"paper_id": []})
                index = PaperIndex(known.assign(paper_id=known["paper_id"].astype(str)))
            pid, _ = index.match(**ref)
            if pid:
                put(model, pid, years[pid], "papers")
    if seeds is not None and len(seeds) and "model_name" in seeds.columns:
        for r in _records(seeds[seeds["model_name"].notna()], ("model_name", "paper_id", "year_hint")):
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
        for m in rows:
            a = m.get("arxiv")
            a = normalize_arxiv_id(a) if isinstance(a, str) else None
            if a and re.match(r"\d{4}\.", a):  # new-style ids start with YYMM
                put(str(m["model"]), None, 2000 + int(a[:2]), "arxiv id")
    if not found:
        return skipped(MODEL_COLUMNS, "no model year found in papers, seeds or model references")
    out = pd.DataFrame(sorted(found.values()), columns=MODEL_COLUMNS)
    out["model_year"] = out["model_year"].astype("Int64")
    return out


def compute_model_adoption(papers: pd.DataFrame, labels: pd.DataFrame, seeds: pd.DataFrame | None = None, *,
                           min_score: float = 0.5, models: pd.DataFrame | None = None,
                           years_given: Mapping[str, int] | None = None) -> pd.DataFrame:
    """First use of each foundation model in each task, and the lag after the model's own year.

    A paper "uses" model ``m`` in task ``t`` when it carries both labels (``dimension`` ``model``
    and ``task``). The model's own paper is never counted as a use.

    Parameters
    ----------
    papers, labels : DataFrame
        Contract tables.
    seeds : DataFrame, optional
        Seeds table (its model-table rows).
    models : DataFrame, optional
        The model dimension of the taxonomy (:func:`models_from_taxonomy`): names, aliases, own paper.
        With ``seeds`` it gives each model's year, see :func:`model_years`.
    years_given : mapping, optional
        ``model id -> year``, overriding everything else (source ``given``).

    Returns
    -------
    DataFrame
        ``model, task, first_year`` (earliest year of a using paper), ``first_paper_id``,
        ``first_title`` (ties broken by paper id), ``n_papers`` (papers using the model in the task),
        ``model_year``, ``model_year_source`` (``given``, ``papers``, ``seed year_hint``, ``arxiv id``
        or ``unknown``), ``lag_years = first_year - model_year`` (NA when the model year is unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["m", "a", "b"], "year": [2021, 2022, 2023], "title": ["M", "A", "B"]})
    >>> l = pd.DataFrame({"paper_id": ["a", "a", "b", "b"], "dimension": ["model", "task"] * 2,
    ...                   "label": ["clip", "vqa", "clip", "vqa"], "score": 1.0})
    >>> compute_model_adoption(p, l, years_given={"clip": 2021})[["first_year", "n_papers", "lag_years"]].values.tolist()
    [[2022, 2, 1]]
    """
    require(papers, ["paper_id", "year"], "papers")
    years = paper_years(papers)
    titles = paper_titles(papers)
    lab = select_labels(labels, None, min_score=min_score)
    models = lab[lab["dimension"] == "model"][["paper_id", "label"]].rename(columns={"label": "model"})
    tasks = lab[lab["dimension"] == "task"][["paper_id", "label"]].rename(columns={"label": "task"})
    known = model_years(papers, seeds, models) if (seeds is not None or models is not None) else None
    own_papers = set()
    myear: dict[str, tuple[int, str]] = {}
    if known is not None and not known.empty:
        own_papers = set(known["model_paper_id"].dropna())
        for _, r in known.dropna(subset=["model_year"]).iterrows():
            myear[r["model"]] = (int(r["model_year"]), r["model_year_source"])
    for m, y in (years_given or {}).items():
        myear[m] = (int(y), "given")
    use = models.merge(tasks, on="paper_id")
    use = use[~use["paper_id"].isin(own_papers)]
    use = use.assign(year=use["paper_id"].map(years)).dropna(subset=["year"])
    if use.empty:
        return skipped(ADOPTION_COLUMNS, "no paper carries both a model and a task label with a year")
    use["year"] = use["year"].astype(int)
    use = use.sort_values(["model", "task", "year", "paper_id"])
    first = use.groupby(["model", "task"], sort=True).first().reset_index()
    n = use.groupby(["model", "task"], sort=True)["paper_id"].nunique().reset_index(name="n_papers")
    out = first.merge(n, on=["model", "task"])
    out = out.rename(columns={"year": "first_year", "paper_id": "first_paper_id"})
    out["first_title"] = out["first_paper_id"].map(titles)
    out["model_year"] = pd.array([myear.get(m, (None, None))[0] for m in out["model"]], dtype="Int64")
    out["model_year_source"] = [myear.get(m, (None, "unknown"))[1] for m in out["model"]]
    out["lag_years"] = (out["first_year"].astype("Int64") - out["model_year"]).astype("Int64")
    out["first_year"] = out["first_year"].astype(int)
    unknown = sorted(set(out.loc[out["model_year"].isna(), "model"]))
    if unknown:
        out.attrs["note"] = f"model year unknown for: {', '.join(unknown)}"
    return out[ADOPTION_COLUMNS].reset_index(drop=True)
