"""``gaps.md``: the research-gap report as readable markdown.

Every number printed comes from a row of the tables it is rendered from (``gaps.csv``,
``gap_tests.csv``, ``gap_trends.csv``, ``model_task_gaps.csv``, ``missed_papers.csv``), and the
report names the row so a reader can check it; papers are given with their ``paper_id``.
"""

from __future__ import annotations


from collections.abc import Mapping

import pandas as pd

from ..relevance import borderline, relevance_summary
from ..markup import md_escape
from ._frames import paper_titles, paper_years, select_labels

_RULE = ("A cell is a **gap** when the count expected under independence of the two dimensions is at "
         "least {min_expected:g} and its adjusted residual is at most -{z:g} (clearly fewer papers than "
         "the row and column totals predict). An **empty** cell has no paper but too few expected to call "
         "it a gap. A paper with several labels counts in each of its cells.")


def _fmt(x, nd: int = 2) -> str:
    if x is None or (isinstance(x, float) and pd.isna(x)):
        return "n/a"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def _name(label: str) -> str:
    return f"`{label}`"


class _Papers:
    def __init__(self, papers: pd.DataFrame | None):
        self.titles = paper_titles(papers)
        self.years = paper_years(papers).to_dict() if papers is not None and len(papers) else {}

    def ordered(self, ids) -> list[str]:
        ids = sorted(set(i for i in ids if i))
        return sorted(ids, key=lambda p: (-(self.years.get(p) or 0), p))

    def line(self, pid: str) -> str:
        y = self.years.get(pid)
        t = self.titles.get(pid, "(title unknown)")
        return f"{md_escape(t)} ({y if y else 'year unknown'}; `{str(pid).replace('`', '')}`)"

    def listing(self, ids, limit: int) -> list[str]:
        ids = self.ordered(ids)
        out = [f"  - {self.line(p)}" for p in ids[:limit]]
        if len(ids) > limit:
            out.append(f"  - ... and {len(ids) - limit} more (ids in `gaps.csv`, column `paper_ids`)")
        return out


def _ids(series: pd.Series) -> list[str]:
    return [p for v in series.fillna("") for p in str(v).split(";") if p]


def _pair_section(cells: pd.DataFrame, tests: pd.DataFrame | None, papers: _Papers, *, max_gaps: int,
                  max_titles: int, coverage: dict[str, int] | None = None) -> list[str]:
    da, db = cells["dim_a"].iloc[0], cells["dim_b"].iloc[0]
    used = cells[cells["flag"] != "unused"]
    n = int(used["n"].iloc[0]) if len(used) else 0
    out = [f"## {da} x {db}", ""]
    out.append(f"{n} {da}-{db} label pairs from {len(set(_ids(used['paper_ids'])))} papers "
               f"({used['label_a'].nunique()} {da} labels x {used['label_b'].nunique()} {db} labels; "
               f"rows of `gaps.csv` with dim_a={da}, dim_b={db}).")
    if coverage:
        n_in = len(set(_ids(used["paper_ids"])))
        out.append(f"Of {coverage.get(da, 0)} papers with a {da} label and {coverage.get(db, 0)} with a {db} "
                   f"label, only the {n_in} carrying both enter this table.")
    if tests is not None and len(tests):
        t = tests[(tests["dim_a"] == da) & (tests["dim_b"] == db)]
        if len(t):
            r = t.iloc[0]
            out.append(f"Chi-square test of independence: chi2 = {r['chi2']:.2f}, dof = {int(r['dof'])}, "
                       f"p = {r['p_value']:.3g}, Cramer's V = {r['cramers_v']:.2f}; "
                       f"{r['share_expected_lt5']:.0%} of cells expect fewer than 5 papers"
                       + (" (above Cochran's 20 %: read the p-value as descriptive)"
                          if r["share_expected_lt5"] > 0.2 else "") + " (`gap_tests.csv`).")
    out.append("")
    gaps = cells[cells["flag"] == "gap"].sort_values(["adjusted_residual", "label_a", "label_b"])
    if gaps.empty:
        out.append("No cell meets the gap rule. The combinations furthest below expectation "
                   "(lowest adjusted residual) are:")
        out.append("")
        gaps_show = used.dropna(subset=["adjusted_residual"]).sort_values(
            ["adjusted_residual", "label_a", "label_b"]).head(min(5, max_gaps))
    else:
        out.append(f"### Gaps ({len(gaps)})")
        out.append("")
        gaps_show = gaps.head(max_gaps)
    for _, g in gaps_show.iterrows():
        a, b = g["label_a"], g["label_b"]
        out.append(f"- **{_name(a)} x {_name(b)}**: {g['observed']} paper(s) observed, {g['expected']:.2f} "
                   f"expected ({g['row_total']} {a} x {g['col_total']} {b} / {g['n']}); Pearson residual "
                   f"{_fmt(g['residual'])}, adjusted residual {_fmt(g['adjusted_residual'])}.")
        row = used[(used["label_a"] == a) & (used["label_b"] != b)]
        col = used[(used["label_b"] == b) & (used["label_a"] != a)]
        row_ids, col_ids = _ids(row["paper_ids"]), _ids(col["paper_ids"])
        if g["observed"]:
            out.append("  - Papers in the cell:")
            out += ["  " + x for x in papers.listing(_ids(pd.Series([g["paper_ids"]])), max_titles)]
        near_b = row[row["observed"] > 0].sort_values(["observed", "label_b"], ascending=[False, True])
        near_a = col[col["observed"] > 0].sort_values(["observed", "label_a"], ascending=[False, True])
        out.append(f"  - Its edges: {a} papers with other {db} labels ("
                   + ", ".join(f"{r.label_b} {r.observed}" for r in near_b.itertuples()) + "):")
        out += ["  " + x for x in papers.listing(row_ids, max_titles)]
        out.append(f"  - {b} papers in other {da} labels ("
                   + ", ".join(f"{r.label_a} {r.observed}" for r in near_a.itertuples()) + "):")
        out += ["  " + x for x in papers.listing(col_ids, max_titles)]
    if len(gaps) > max_gaps:
        out.append(f"- ... {len(gaps) - max_gaps} more gaps in `gaps.csv` (flag = gap).")
    out.append("")
    empty = used[used["observed"] == 0]
    out.append(f"### Combinations with no paper ({len(empty)} of {len(used)} cells)")
    out.append("")
    if empty.empty:
        out.append("Every combination has at least one paper.")
    else:
        out.append(f"| {da} | {db} labels with no paper (expected count) |")
        out.append("|---|---|")
        for a, g in empty.sort_values(["label_a", "expected"], ascending=[True, False]).groupby("label_a", sort=True):
            cellstr = ", ".join(f"{r.label_b} ({r.expected:.1f}{', gap' if r.flag == 'gap' else ''})"
                                for r in g.itertuples())
            out.append(f"| {a} (total {int(g['row_total'].iloc[0])}) | {md_escape(cellstr)} |")
    unused = cells[cells["flag"] == "unused"]
    if len(unused):
        ua = sorted(set(unused.loc[unused["row_total"] == 0, "label_a"]))
        ub = sorted(set(unused.loc[unused["col_total"] == 0, "label_b"]))
        bits = ([f"{da}: " + ", ".join(ua)] if ua else []) + ([f"{db}: " + ", ".join(ub)] if ub else [])
        out.append("")
        out.append(f"Taxonomy labels no paper of this table carries ({'; '.join(bits)}).")
    out.append("")
    return out


def _summary(cells, gap_trends, model_gaps, missed) -> list[str]:
    out = ["## Summary", ""]
    if cells is None or cells.empty:
        return out + ["No gap table could be computed (see the last section).", ""]
    for (da, db), g in cells.groupby(["dim_a", "dim_b"], sort=False):
        used = g[g["flag"] != "unused"]
        gaps = used[used["flag"] == "gap"]
        empty = used[used["observed"] == 0].sort_values(["expected", "label_a", "label_b"],
                                                        ascending=[False, True, True])
        line = (f"- {da} x {db}: {len(gaps)} gap(s) by the rule; {len(empty)} of {len(used)} combinations "
                f"have no paper")
        if len(empty):
            line += "; the empty ones with most papers expected: " + ", ".join(
                f"{r.label_a} x {r.label_b} (0 observed, {r.expected:.1f} expected)" for r in empty.head(3).itertuples())
        out.append(line + ".")
        if len(gaps):
            out.append("  Gaps: " + ", ".join(f"{r.label_a} x {r.label_b} ({r.observed} observed, "
                                              f"{r.expected:.1f} expected)" for r in gaps.head(5).itertuples()) + ".")
    bits = []
    for (da, db), g in cells[cells["flag"] == "unused"].groupby(["dim_a", "dim_b"], sort=False):
        names = sorted(set(g.loc[g["row_total"] == 0, "label_a"])) + sorted(set(g.loc[g["col_total"] == 0, "label_b"]))
        bits.append(f"{da} x {db}: {', '.join(names)}")
    if bits:
        out.append("- Taxonomy labels with a whole empty row or column (no paper carries them together with "
                   "any label of the other dimension): " + "; ".join(bits) + ".")
    if gap_trends is not None and len(gap_trends):
        counts = gap_trends["status"].value_counts()
        out.append("- Combinations over time: " + ", ".join(
            f"{counts.get(k, 0)} {k}" for k in ("rising", "new", "stalled", "declining")) + ".")
    if model_gaps is not None and len(model_gaps):
        one = model_gaps.groupby("model")["n_tasks_used"].first()
        out.append(f"- Foundation models used by 2 or more task papers: {len(one)}; used in a single task: "
                   + (", ".join(f"{m}" for m in one[one == 1].index) or "none") + ".")
    if missed is not None and len(missed):
        out.append(f"- {len(missed)} candidate papers the review may have missed (strongest first in the last table).")
    out.append("")
    return out


def _trend_section(trends: pd.DataFrame, limit: int) -> list[str]:
    out = ["## Rising, new and stalled combinations", ""]
    t = trends[trends["status"].isin(["rising", "new", "stalled"])]
    if t.empty:
        return out + ["No combination is rising, new or stalled under the rule of `gap_trends.csv`.", ""]
    win = trends.groupby(["dim_a", "dim_b"]).first()
    for (da, db), w in win.iterrows():
        out.append(f"- {da} x {db}: early window {w['early_years']}, recent window {w['recent_years']}.")
    out.append("")
    out.append("Status rule (`gap_trends.csv`): new = no paper early, at least 2 recent; stalled = at least 2 "
               "early, none recent; rising = share of the window's label pairs grew at least 1.5-fold with at "
               "least 2 recent papers. Shares, not counts, are compared, so a partial last year does not bias "
               "them.")
    out.append("")
    out.append("| combination | status | early papers (share) | recent papers (share) |")
    out.append("|---|---|---|---|")
    order = {"stalled": 0, "rising": 1, "new": 2}
    t = t.assign(_o=t["status"].map(order)).sort_values(["_o", "recent_count", "early_count", "label_a", "label_b"],
                                                       ascending=[True, False, False, True, True])
    for r in t.head(limit).itertuples():
        out.append(f"| {r.label_a} x {r.label_b} ({r.dim_a} x {r.dim_b}) | {r.status} | "
                   f"{r.early_count} ({r.early_share:.1%}) | {r.recent_count} ({r.recent_share:.1%}) |")
    if len(t) > limit:
        out.append(f"| ... {len(t) - limit} more in `gap_trends.csv` | | | |")
    out.append("")
    return out


def _model_section(model_gaps: pd.DataFrame, limit: int) -> list[str]:
    out = ["## Foundation models used in some tasks and absent from others", ""]
    out.append("Per model (papers carrying both a model and a task label; `model_task_gaps.csv`): the tasks "
               "using it, then the tasks without it, with the count expected if the choice of model did "
               "not depend on the task.")
    out.append("")
    order = model_gaps.groupby("model")["model_papers"].first().sort_values(ascending=False)
    for model in list(order.index)[:limit]:
        g = model_gaps[model_gaps["model"] == model]
        used = g[g["status"] == "used"].sort_values(["n_papers", "task"], ascending=[False, True])
        absent = g[g["status"] == "absent"].sort_values(["expected", "task"], ascending=[False, True])
        out.append(f"- **{_name(model)}** ({int(g['model_papers'].iloc[0])} papers): used in "
                   + ", ".join(f"{r.task} ({r.n_papers})" for r in used.itertuples())
                   + ("; absent from " + ", ".join(f"{r.task} (expected {r.expected:.1f})"
                                                  for r in absent.itertuples()) if len(absent) else
                      "; used in every task with model-labelled papers") + ".")
    if len(order) > limit:
        out.append(f"- ... {len(order) - limit} more models in `model_task_gaps.csv`.")
    out.append("")
    return out


def _missed_section(missed: pd.DataFrame, limit: int) -> list[str]:
    out = ["## Papers the review may have missed", ""]
    out.append("Field papers outside the list, ranked by their ties to its task seeds (direct citations, "
               "co-citation by field papers, coupling through references that are not generic hubs; "
               "never by popularity; `missed_papers.csv`).")
    out.append("")
    out.append("| rank | paper | year | ties to task seeds | predicted task | strategy | modality | score |")
    out.append("|---|---|---|---|---|---|---|---|")
    for r in missed.head(limit).itertuples():
        title = md_escape(r.title) if isinstance(r.title, str) else "(title unknown)"
        task = md_escape(r.task) if isinstance(r.task, str) and r.task else "(none)"
        out.append(f"| {r.rank} | {title} (`{r.paper_id}`) | {r.year if pd.notna(r.year) else ''} | "
                   f"{md_escape(r.ties)} | {task} | {md_escape(r.strategy or '')} | {md_escape(r.modality or '')} | "
                   f"{r.score:.2f} |")
    out.append("")
    return out


def _field_section(papers: pd.DataFrame | None, scope: str | None, labels: pd.DataFrame | None,
                   limit: int = 15) -> list[str]:
    """How many papers are in the field, how many were set aside and why, and the borderline ones."""
    if papers is None or papers.empty or scope is None:
        return []
    s = relevance_summary(papers)
    out = ["## The field", ""]
    if not s["assessed"]:
        return out + ["Field relevance was not assessed for these tables (built before it existed): every "
                      "paper counts as in the field.", ""]
    out.append(f"{s['in_field']} of {s['papers']} papers are in the field; {s['set_aside']} were set aside "
               f"(scope of this report: `{scope}`).")
    if s["set_aside_reasons"]:
        out.append("Main reasons for setting papers aside: "
                   + "; ".join(f"{md_escape(r)} ({n})" for r, n in s["set_aside_reasons"]) + ".")
    if labels is not None and len(labels) and "in_field" in papers.columns:
        field_ids = set(papers.loc[papers["in_field"].fillna(True).astype(bool), "paper_id"])
        tasked = set(labels.loc[labels["dimension"] == "task", "paper_id"])
        n_un = len(field_ids - tasked)
        out.append(f"{n_un} field paper(s) have no task label (neither a task term nor a confident classifier).")
    out.append("")
    near = borderline(papers, limit=limit)
    if len(near):
        out += ["Borderline decisions (scores near the threshold); put a row `paper_id,field,in,add` or "
                "`paper_id,field,out,add` in `overrides.csv` to decide them:", ""]
        out += ["| paper | score | in the field | why |", "|---|---|---|---|"]
        for r in near.itertuples(index=False):
            title = md_escape(r.title) if isinstance(r.title, str) else "(title unknown)"
            out.append(f"| {title} (`{r.paper_id}`) | {r.field_score:.2f} | {'yes' if r.in_field else 'no'} | "
                       f"{md_escape(r.field_reason or '')} |")
        out.append("")
    return out


def render_gaps_markdown(cells: pd.DataFrame, *, tests: pd.DataFrame | None = None,
                         gap_trends: pd.DataFrame | None = None, model_gaps: pd.DataFrame | None = None,
                         missed: pd.DataFrame | None = None, papers: pd.DataFrame | None = None,
                         labels: pd.DataFrame | None = None, min_score: float = 0.5,
                         skipped: Mapping[str, str] | None = None, source: str | None = None,
                         min_expected: float = 3.0, z: float = 1.96, max_gaps: int = 15,
                         max_titles: int = 3, scope: str | None = None) -> str:
    """Render the research-gap report.

    Parameters
    ----------
    cells : DataFrame
        :func:`~medvlm_graph.analysis.compute_all_gaps` cells (one or more dimension pairs).
    tests : DataFrame, optional
        :func:`~medvlm_graph.analysis.compute_independence_test` output.
    gap_trends : DataFrame, optional
        :func:`~medvlm_graph.analysis.compute_gap_trends` outputs, concatenated.
    model_gaps : DataFrame, optional
        :func:`~medvlm_graph.analysis.compute_model_task_gaps` output.
    missed : DataFrame, optional
        :func:`~medvlm_graph.analysis.compute_missed_papers` output.
    papers : DataFrame, optional
        Papers table, for titles and years of the papers named.
    labels : DataFrame, optional
        Labels table: with it each table says how many labelled papers it leaves out (labels scored
        below ``min_score`` ignored, as in the cells).
    skipped : mapping, optional
        ``part -> reason`` for every part that could not be computed; listed in the report. Empty
        frames among the inputs add their ``attrs["skipped"]`` automatically.
    source : str, optional
        One line on the data the report is built from (e.g. "shipped snapshot, no S2 data").
    scope : str, optional
        The scope of the analysis (``field``, ``seeds``, ``all``); with it and ``papers`` (all
        papers, not only the scope) the report opens with how many papers are in the field, the
        main reasons for setting the others aside and the borderline decisions.
    min_expected, z : float
        The gap rule used (printed in the report).
    max_gaps, max_titles : int
        Gaps listed per table, titles listed per side of a gap.

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> import pandas as pd
    >>> from medvlm_graph.analysis import compute_all_gaps
    >>> rows = [("p1", "vqa", "prompting"), ("p2", "vqa", "prompting"), ("p3", "segmentation", "fine_tuning")]
    >>> labels = pd.DataFrame([(p, d, x) for p, t, s in rows for d, x in (("task", t), ("strategy", s))],
    ...                       columns=["paper_id", "dimension", "label"])
    >>> cells, tests = compute_all_gaps(labels, [("task", "strategy")])
    >>> md = render_gaps_markdown(cells, tests=tests, source="a synthetic example")
    >>> md.splitlines()[:3], [line for line in md.splitlines() if line.startswith("## ")]
    (['# Research gaps', '', 'Data: a synthetic example.'], ['## Summary', '## task x strategy', '## What could not be computed'])
    """
    papers_ = _Papers(papers)
    skip = dict(skipped or {})
    for name, df in (("gap tables", cells), ("rising/stalled combinations", gap_trends),
                     ("model-task gaps", model_gaps), ("papers the review may have missed", missed)):
        if df is not None and df.attrs.get("skipped"):
            skip.setdefault(name, df.attrs["skipped"])
        elif df is None and name not in skip:
            skip[name] = "not computed"
    out = ["# Research gaps", ""]
    if source:
        out += [f"Data: {source}.", ""]
    out += [_RULE.format(min_expected=min_expected, z=z), ""]
    out += ["Every count below is a row of a table written next to this file; papers are named with their "
            "`paper_id` so each cell can be checked.", ""]
    out += _summary(cells, gap_trends, model_gaps, missed)
    out += _field_section(papers, scope, labels)
    coverage = None
    if labels is not None and len(labels):
        lab = select_labels(labels, None, min_score=min_score)
        coverage = lab.groupby("dimension")["paper_id"].nunique().to_dict()
    if cells is not None and len(cells):
        for _, g in cells.groupby(["dim_a", "dim_b"], sort=False):
            out += _pair_section(g, tests, papers_, max_gaps=max_gaps, max_titles=max_titles, coverage=coverage)
    if gap_trends is not None and len(gap_trends):
        out += _trend_section(gap_trends, limit=20)
    if model_gaps is not None and len(model_gaps):
        out += _model_section(model_gaps, limit=15)
    if missed is not None and len(missed):
        out += _missed_section(missed, limit=25)
    out += ["## What could not be computed", ""]
    if skip:
        out += [f"- {name}: {why}" for name, why in skip.items()]
    else:
        out.append("Everything was computed.")
    out.append("")
    return "\n".join(out)
