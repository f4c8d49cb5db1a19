"""Research gaps: under-explored label combinations, stalled ones, unused models, missed papers.

Gap rule (``compute_gaps``): papers are cross-tabulated by the labels of two dimensions (a paper
with several labels counts once in each of its cells). Under independence of the two dimensions a
cell expects ``E = row_total * col_total / n`` (``n`` = sum of the table). A cell is flagged

- ``gap``: ``E >= min_expected`` (default 3) and adjusted residual ``<= -z`` (default 1.96): clearly
  fewer papers than the margins predict (two-sided 5 % level for a single cell);
- ``empty``: no paper, but not a ``gap`` (too few expected to judge);
- ``over``: ``E >= min_expected`` and adjusted residual ``>= z``;
- ``""`` otherwise.

Residuals: Pearson (standardized) ``(O - E) / sqrt(E)``; adjusted (Haberman)
``(O - E) / sqrt(E (1 - row_total/n) (1 - col_total/n))``, approximately standard normal under
independence. ``compute_independence_test`` applies Pearson's chi-square test
(``scipy.stats.chi2_contingency`` without continuity correction) to the same table. Because a
multi-labelled paper contributes to several cells, cells are not fully independent: read p-values
as descriptive.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

from ..errors import DataError
from ._frames import DIMENSIONS, paper_years, require, select_labels, skipped

GAP_COLUMNS = ["dim_a", "label_a", "dim_b", "label_b", "observed", "expected", "residual", "adjusted_residual",
               "row_total", "col_total", "n", "flag", "paper_ids"]
TEST_COLUMNS = ["dim_a", "dim_b", "n", "n_rows", "n_cols", "chi2", "dof", "p_value", "cramers_v",
                "min_expected", "share_expected_lt5"]
GAP_TREND_COLUMNS = ["dim_a", "label_a", "dim_b", "label_b", "early_years", "recent_years", "early_count",
                     "recent_count", "early_share", "recent_share", "ratio", "status"]
MODEL_GAP_COLUMNS = ["model", "task", "n_papers", "model_papers", "task_papers", "n_tasks_used", "expected",
                     "status", "paper_ids"]

#: The three cross-tabulations of the gap report.
DEFAULT_PAIRS = (("task", "strategy"), ("task", "modality"), ("strategy", "modality"))


def _check_dim(*dims: str) -> None:
    for d in dims:
        if d not in DIMENSIONS:
            raise DataError(f"unknown dimension {d!r}; known: {', '.join(DIMENSIONS)}")


def _pairs(labels: pd.DataFrame, dim_a: str, dim_b: str, min_score: float) -> pd.DataFrame:
    lab = select_labels(labels, None, min_score=min_score)
    a = lab[lab["dimension"] == dim_a][["paper_id", "label"]].rename(columns={"label": "label_a"})
    b = lab[lab["dimension"] == dim_b][["paper_id", "label"]].rename(columns={"label": "label_b"})
    return a.merge(b, on="paper_id")


def _joined_ids(pairs: pd.DataFrame, a: str, b: str) -> dict[tuple[str, str], str]:
    """``(pairs[a], pairs[b]) -> ";"``-joined paper ids of the rows holding them, ids in sorted order.

    What ``pairs.sort_values("paper_id").groupby([a, b])["paper_id"].agg(";".join)`` gives, in one pass
    over plain strings (that aggregation builds a Series per group).

    Examples
    --------
    >>> pairs = pd.DataFrame({"paper_id": ["p2", "p1", "p3"], "x": ["u", "u", "v"], "y": ["w", "w", "w"]})
    >>> _joined_ids(pairs, "x", "y")
    {('u', 'w'): 'p1;p2', ('v', 'w'): 'p3'}
    """
    pairs = pairs.sort_values("paper_id")
    out: dict[tuple[str, str], list[str]] = {}
    for pid, x, y in zip(pairs["paper_id"].tolist(), pairs[a].tolist(), pairs[b].tolist()):
        out.setdefault((x, y), []).append(pid)
    return {key: ";".join(v) for key, v in out.items()}


def compute_gaps(labels: pd.DataFrame, dim_a: str = "task", dim_b: str = "strategy", *, min_score: float = 0.5,
                 min_expected: float = 3.0, z: float = 1.96,
                 levels: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Observed vs expected papers per label combination of two dimensions, with gap flags.

    Parameters
    ----------
    labels : DataFrame
        ``labels`` table.
    dim_a, dim_b : str
        Two different dimensions (rows, columns); default task x strategy.
    min_score : float
        Labels scored below are ignored (missing score = 1).
    min_expected, z : float
        The gap rule of the module docstring.
    levels : mapping, optional
        ``dimension -> label ids`` (the taxonomy) so that labels no paper carries still appear, with
        ``observed = expected = 0``, NaN residuals and flag ``unused``.

    Returns
    -------
    DataFrame
        ``dim_a, label_a, dim_b, label_b, observed, expected, residual, adjusted_residual, row_total,
        col_total, n, flag, paper_ids`` (";"-joined ids of the papers in the cell, so every count can be
        checked), sorted by ``adjusted_residual`` ascending. Empty with ``attrs["skipped"]`` when no
        paper carries labels of both dimensions.

    References
    ----------
    .. [1] Haberman, S. J. (1973). The analysis of residuals in cross-classified tables. *Biometrics*,
       29(1), 205-220.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [("p1", "task", "vqa"), ("p1", "strategy", "prompting"),
    ...         ("p2", "task", "segmentation"), ("p2", "strategy", "fine_tuning")]
    >>> l = pd.DataFrame(rows, columns=["paper_id", "dimension", "label"])
    >>> g = compute_gaps(l, "task", "strategy")
    >>> g[["label_a", "label_b", "observed", "expected"]].values.tolist()[:2]
    [['segmentation', 'prompting', 0, 0.5], ['vqa', 'fine_tuning', 0, 0.5]]
    """
    _check_dim(dim_a, dim_b)
    if dim_a == dim_b:
        raise DataError("compute_gaps needs two different dimensions")
    pairs = _pairs(labels, dim_a, dim_b, min_score)
    if pairs.empty:
        return skipped(GAP_COLUMNS, f"no paper carries both a {dim_a} and a {dim_b} label")
    rows_l = sorted(set(pairs["label_a"]) | set((levels or {}).get(dim_a, ())))
    cols_l = sorted(set(pairs["label_b"]) | set((levels or {}).get(dim_b, ())))
    Ob = (pd.crosstab(pairs["label_a"], pairs["label_b"])
          .reindex(index=rows_l, columns=cols_l, fill_value=0).to_numpy(dtype=float))  # observed
    R, C = Ob.sum(axis=1), Ob.sum(axis=0)
    n = Ob.sum()
    E = np.outer(R, C) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        res = (Ob - E) / np.sqrt(E)
        adj = (Ob - E) / np.sqrt(E * np.outer(1 - R / n, 1 - C / n))
    ids = _joined_ids(pairs, "label_a", "label_b")
    out = []
    for i, ra in enumerate(rows_l):
        for j, cb in enumerate(cols_l):
            e, r, a = float(E[i, j]), float(res[i, j]), float(adj[i, j])
            if R[i] == 0 or C[j] == 0:
                r = a = math.nan
                flag = "unused"
            elif e >= min_expected and a <= -z:
                flag = "gap"
            elif Ob[i, j] == 0:
                flag = "empty"
            elif e >= min_expected and a >= z:
                flag = "over"
            else:
                flag = ""
            out.append((dim_a, ra, dim_b, cb, int(Ob[i, j]), e, r, a, int(R[i]), int(C[j]), int(n), flag,
                        ids.get((ra, cb), "")))
    df = pd.DataFrame(out, columns=GAP_COLUMNS)
    df = df.sort_values(["adjusted_residual", "label_a", "label_b"], na_position="last", kind="stable")
    return df.reset_index(drop=True)


def compute_independence_test(cells: pd.DataFrame) -> pd.DataFrame:
    """Pearson's chi-square test of independence for each table in ``cells``.

    Parameters
    ----------
    cells : DataFrame
        Output of :func:`compute_gaps` (one or several dimension pairs concatenated). Labels with
        zero totals are left out of the test.

    Returns
    -------
    DataFrame
        ``dim_a, dim_b, n, n_rows, n_cols, chi2, dof, p_value, cramers_v`` (``sqrt(chi2 / (n (min(r, c) - 1)))``),
        ``min_expected``, ``share_expected_lt5`` (Cochran: the chi-square approximation is doubtful when
        more than 20 % of cells expect fewer than 5). Tables smaller than 2 x 2 are left out;
        empty with ``attrs["skipped"]`` when none is left.

    References
    ----------
    .. [1] Pearson, K. (1900). On the criterion that a given system of deviations from the probable in
       the case of a correlated system of variables is such that it can be reasonably supposed to have
       arisen from random sampling. *Philosophical Magazine*, 50(302), 157-175.
    .. [2] Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press (V).
    .. [3] Cochran, W. G. (1954). Some methods for strengthening the common chi-square tests.
       *Biometrics*, 10(4), 417-451.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [("p1", "vqa", "prompting"), ("p2", "vqa", "prompting"), ("p3", "segmentation", "fine_tuning")]
    >>> labels = pd.DataFrame([(p, d, x) for p, t, s in rows for d, x in (("task", t), ("strategy", s))],
    ...                       columns=["paper_id", "dimension", "label"])
    >>> cells = compute_gaps(labels, "task", "strategy")
    >>> compute_independence_test(cells)[["dim_a", "dim_b", "n", "chi2", "dof"]].round(6).values.tolist()
    [['task', 'strategy', 3, 3.0, 1]]
    """
    require(cells, ["dim_a", "label_a", "dim_b", "label_b", "observed"], "gap cells")
    rows = []
    for (da, db), g in cells.groupby(["dim_a", "dim_b"], sort=False):
        t = g.pivot_table(index="label_a", columns="label_b", values="observed", aggfunc="sum", fill_value=0)
        t = t.loc[t.sum(axis=1) > 0, t.sum(axis=0) > 0]
        if t.shape[0] < 2 or t.shape[1] < 2:
            continue
        chi2, p, dof, exp = chi2_contingency(t.to_numpy(), correction=False)
        n = float(t.to_numpy().sum())
        v = math.sqrt(chi2 / (n * (min(t.shape) - 1)))
        rows.append((da, db, int(n), t.shape[0], t.shape[1], float(chi2), int(dof), float(p), v,
                     float(exp.min()), float((exp < 5).mean())))
    if not rows:
        return skipped(TEST_COLUMNS, "chi-square test needs a table of at least 2 x 2 labels")
    return pd.DataFrame(rows, columns=TEST_COLUMNS)


def compute_all_gaps(labels: pd.DataFrame, pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS,
                     **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`compute_gaps` for every pair, concatenated, and their chi-square tests.

    Returns
    -------
    cells, tests : DataFrame
        ``cells.attrs["skipped"]`` lists the pairs that could not be tabulated (``"; "``-joined).

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.DataFrame([("a", "task", "vqa"), ("a", "modality", "ct"), ("b", "task", "vqa"),
    ...                        ("b", "modality", "xray"), ("c", "task", "segmentation"), ("c", "modality", "ct")],
    ...                       columns=["paper_id", "dimension", "label"])
    >>> cells, tests = compute_all_gaps(labels, [("task", "modality"), ("task", "strategy")])
    >>> len(cells), tests["chi2"].round(6).tolist(), cells.attrs["skipped"]
    (4, [0.75], 'no paper carries both a task and a strategy label')
    """
    parts, why = [], []
    for a, b in pairs:
        g = compute_gaps(labels, a, b, **kw)
        if g.empty:
            why.append(g.attrs.get("skipped", f"{a} x {b}: no rows"))
        else:
            parts.append(g)
    if not parts:
        cells = skipped(GAP_COLUMNS, "; ".join(why) or "no pairs")
        return cells, skipped(TEST_COLUMNS, cells.attrs["skipped"])
    cells = pd.concat(parts, ignore_index=True)
    if why:
        cells.attrs["skipped"] = "; ".join(why)
    return cells, compute_independence_test(cells)


def compute_gap_trends(papers: pd.DataFrame, labels: pd.DataFrame, dim_a: str, dim_b: str, *,
                       recent: int = 2, min_score: float = 0.5, rise: float = 1.5,
                       min_count: int = 2) -> pd.DataFrame:
    """Rising, stalled and new label combinations: the last ``recent`` years against the years before.

    The windows are set on the years of papers carrying both dimensions: ``recent`` = the last
    ``recent`` of them (calendar years), ``early`` = every earlier year. A combination's share is its
    count divided by all combinations counted in the window, so a partial last year does not bias it.

    Status, first match wins (``ratio = recent_share / early_share``):

    - ``absent``: no paper in either window;
    - ``sparse``: fewer than ``min_count`` papers in both windows (too few to judge);
    - ``new``: none early, at least ``min_count`` recent;
    - ``stalled``: at least ``min_count`` early, none recent;
    - ``rising``: ``ratio >= rise`` and at least ``min_count`` recent;
    - ``declining``: ``ratio <= 1 / rise`` and at least ``min_count`` early;
    - ``steady`` otherwise.

    Returns
    -------
    DataFrame
        ``dim_a, label_a, dim_b, label_b, early_years`` ("2019-2023"), ``recent_years``,
        ``early_count, recent_count, early_share, recent_share, ratio, status``. Empty with
        ``attrs["skipped"]`` when all papers fall in the recent window (one year of data, say).

    Examples
    --------
    Prompting for VQA in 2020, fine-tuning in 2023-2024 (the recent window of 2 years):

    >>> import pandas as pd
    >>> rows = [("p1", 2020, "prompting"), ("p2", 2020, "prompting"), ("p3", 2023, "fine_tuning"),
    ...         ("p4", 2024, "fine_tuning")]
    >>> papers = pd.DataFrame([(p, y) for p, y, _ in rows], columns=["paper_id", "year"])
    >>> labels = pd.DataFrame([(p, d, x) for p, _, s in rows for d, x in (("task", "vqa"), ("strategy", s))],
    ...                       columns=["paper_id", "dimension", "label"])
    >>> t = compute_gap_trends(papers, labels, "task", "strategy")
    >>> t[["label_b", "early_count", "recent_count", "status"]].values.tolist()
    [['fine_tuning', 0, 2, 'new'], ['prompting', 2, 0, 'stalled']]
    """
    _check_dim(dim_a, dim_b)
    if recent < 1:
        raise DataError("recent must be at least 1 year")
    years = paper_years(papers)
    pairs = _pairs(labels, dim_a, dim_b, min_score)
    pairs = pairs.assign(year=pairs["paper_id"].map(years)).dropna(subset=["year"])
    if pairs.empty:
        return skipped(GAP_TREND_COLUMNS, f"no paper with a year carries both a {dim_a} and a {dim_b} label")
    pairs["year"] = pairs["year"].astype(int)
    last = int(pairs["year"].max())
    cut = last - recent + 1
    first = int(pairs["year"].min())
    if first >= cut:
        return skipped(GAP_TREND_COLUMNS, f"{dim_a} x {dim_b}: all papers fall in {first}-{last}; "
                                          "rising/stalled needs years before the recent window")
    pairs["window"] = np.where(pairs["year"] >= cut, "recent", "early")
    cnt = pairs.groupby(["label_a", "label_b", "window"]).size().unstack(fill_value=0)
    cnt = cnt.reindex(columns=["early", "recent"], fill_value=0)
    grid = pd.MultiIndex.from_product([sorted(pairs["label_a"].unique()), sorted(pairs["label_b"].unique())],
                                      names=["label_a", "label_b"])
    cnt = cnt.reindex(grid, fill_value=0).reset_index()
    tot = pairs.groupby("window").size()
    cnt["early_share"] = cnt["early"] / tot.get("early", 0)
    cnt["recent_share"] = cnt["recent"] / tot.get("recent", 0) if tot.get("recent", 0) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        cnt["ratio"] = np.where(cnt["early_share"] > 0, cnt["recent_share"] / cnt["early_share"], np.nan)
    e, r, ratio = cnt["early"], cnt["recent"], cnt["ratio"]
    cnt["status"] = np.select(
        [(e == 0) & (r == 0), (e < min_count) & (r < min_count), e == 0, r == 0,
         (ratio >= rise) & (r >= min_count), (ratio <= 1 / rise) & (e >= min_count)],
        ["absent", "sparse", "new", "stalled", "rising", "declining"], "steady")
    cnt = cnt.rename(columns={"early": "early_count", "recent": "recent_count"})
    cnt.insert(0, "dim_a", dim_a)
    cnt.insert(2, "dim_b", dim_b)
    cnt["early_years"] = f"{first}-{cut - 1}" if cut - 1 > first else str(first)
    cnt["recent_years"] = f"{cut}-{last}" if last > cut else str(last)
    return cnt[GAP_TREND_COLUMNS]


def compute_model_task_gaps(labels: pd.DataFrame, *, min_score: float = 0.5, min_papers: int = 2) -> pd.DataFrame:
    """Foundation models used in some tasks and absent from others.

    Counts papers carrying both a ``model`` and a ``task`` label. For models used by at least
    ``min_papers`` such papers, every task is listed: ``used`` or ``absent``, with the count expected
    if model choice did not depend on the task (``model_papers * task_papers / n``, ``n`` = papers with
    any model and any task label), so an absence in a large task stands out.

    Returns
    -------
    DataFrame
        ``model, task, n_papers, model_papers, task_papers, n_tasks_used, expected, status, paper_ids``,
        sorted by model, status (absent first), expected descending. Empty with ``attrs["skipped"]``
        when no paper carries both.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.DataFrame([("p1", "model", "clip"), ("p1", "task", "vqa"), ("p2", "model", "clip"),
    ...                        ("p2", "task", "vqa"), ("p3", "model", "sam"), ("p3", "task", "segmentation")],
    ...                       columns=["paper_id", "dimension", "label"])
    >>> g = compute_model_task_gaps(labels)  # sam is used by one paper only: below min_papers
    >>> g[["model", "task", "n_papers", "status"]].values.tolist()
    [['clip', 'segmentation', 0, 'absent'], ['clip', 'vqa', 2, 'used']]
    >>> round(float(g["expected"].iloc[0]), 2)  # 2 clip papers x 1 segmentation paper / 3 papers
    0.67
    """
    lab = select_labels(labels, None, min_score=min_score)
    m = lab[lab["dimension"] == "model"][["paper_id", "label"]].rename(columns={"label": "model"})
    t = lab[lab["dimension"] == "task"][["paper_id", "label"]].rename(columns={"label": "task"})
    both = m.merge(t, on="paper_id")
    if both.empty:
        return skipped(MODEL_GAP_COLUMNS, "no paper carries both a model and a task label")
    n = both["paper_id"].nunique()
    model_papers = both.groupby("model")["paper_id"].nunique()
    task_papers = both.groupby("task")["paper_id"].nunique()
    ids = _joined_ids(both, "model", "task")
    used = both.groupby("model")["task"].nunique()
    rows = []
    for model in sorted(model_papers.index):
        if model_papers[model] < min_papers:
            continue
        for task in sorted(task_papers.index):
            k = len(ids[(model, task)].split(";")) if (model, task) in ids else 0
            exp = model_papers[model] * task_papers[task] / n
            rows.append((model, task, k, int(model_papers[model]), int(task_papers[task]), int(used[model]),
                         float(exp), "used" if k else "absent", ids.get((model, task), "")))
    if not rows:
        return skipped(MODEL_GAP_COLUMNS, f"no model is used by {min_papers} or more task papers")
    df = pd.DataFrame(rows, columns=MODEL_GAP_COLUMNS)
    df["_s"] = df["status"].eq("used")
    df = df.sort_values(["model", "_s", "expected", "task"], ascending=[True, True, False, True])
    return df.drop(columns="_s").reset_index(drop=True)
