"""Candidates for the list: field papers it does not hold yet, as rows in the list's own format.

:func:`compute_candidates` takes the missed-paper ranking (:mod:`medvlm_graph.analysis.missed`:
field papers outside the list ranked by their ties to its task seeds), keeps the papers published
on or after ``since`` (default: the date of the list's snapshot), groups them by the section they
would go in (the list's section of their predicted task) and orders them newest first within
strength of evidence. :func:`render_candidates_markdown` writes them in the list's own row format
(the columns of its task tables, or its bullet shape), indices continuing each section's numbering,
ready to paste into a pull request.

Examples
--------
>>> fmt = RowFormat(kind="table", columns=("Index", "Paper Names", "PDF Link"))
>>> cands = pd.DataFrame({"section": ["Medical VQA"], "title": ["A | B: VQA"], "link": ["https://arxiv.org/pdf/2501.00001"],
...                       "index": [23]})
>>> print(render_candidates_markdown(cands, fmt))
## Medical VQA
<BLANKLINE>
| Index | Paper Names | PDF Link |
|:----:|:----------|:-----------|
| 23 | A \\| B: VQA | [PDF](https://arxiv.org/pdf/2501.00001) |
<BLANKLINE>
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import pandas as pd

from ..analysis.missed import compute_missed_papers, select_missed
from ..errors import UsageError

CANDIDATE_COLUMNS = ["section", "index", "title", "link", "venue", "publication_date", "year", "task", "task_score",
                     "strategy", "modality", "tied_seeds", "ties", "evidence", "score", "field_score", "paper_id",
                     "arxiv_id", "doi"]
#: Sections candidates without a predicted task go in.
NO_SECTION = "Unassigned (no task predicted)"
#: Evidence tiers by missed-paper score (weighted ties to task seeds).
TIERS = ((3.0, "strong"), (1.5, "moderate"), (0.0, "weak"))


@dataclass(frozen=True)
class RowFormat:
    """How a list writes one paper: a pipe-table row with ``columns``, or a bullet ``template``.

    ``template`` (bullets) uses ``{title}``, ``{link}`` and ``{tag}`` (the paper's venue and year, for
    lists that open each entry with a venue tag), e.g. ``"- [**{tag}**] {title} [[pdf]]({link})"``.
    """

    kind: str = "table"
    columns: tuple[str, ...] = ("Index", "Paper Names", "PDF Link")
    template: str = "- {title} [[paper]]({link})"
    link_text: str = "PDF"

    @classmethod
    def from_dict(cls, d: dict | None) -> RowFormat:
        if not d:
            return cls()
        return cls(kind=d.get("kind", "table"), columns=tuple(d.get("columns") or cls.columns),
                   template=d.get("template") or cls.template, link_text=d.get("link_text") or cls.link_text)


def parse_since(value: str | _dt.date | None) -> _dt.date | None:
    """``YYYY-MM-DD`` (or ``YYYY``) as a date; ``None`` stays ``None``.

    >>> parse_since("2025-10-16"), parse_since("2024")
    (datetime.date(2025, 10, 16), datetime.date(2024, 1, 1))
    """
    if value is None or isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return _dt.date(int(text), 1, 1)
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        raise UsageError(f"--since must be a date YYYY-MM-DD (or a year), got {value!r}") from None


def paper_link(row) -> str:
    """The paper's link: arXiv PDF from its id, else its DOI, else its Semantic Scholar page.

    >>> paper_link({"arxiv_id": "2501.00001v2", "doi": None, "paper_id": "x"})
    'https://arxiv.org/pdf/2501.00001'
    >>> paper_link({"arxiv_id": None, "doi": "10.1/ABC", "paper_id": "x"})
    'https://doi.org/10.1/ABC'
    """
    get = row.get if isinstance(row, dict) else (lambda k: getattr(row, k, None))
    arxiv, doi, pid = get("arxiv_id"), get("doi"), get("paper_id")
    if isinstance(arxiv, str) and arxiv.strip():
        return "https://arxiv.org/pdf/" + re.sub(r"v\d+$", "", arxiv.strip().removeprefix("arXiv:"))
    if isinstance(doi, str) and doi.strip():
        return "https://doi.org/" + doi.strip()
    pid = str(pid or "")
    return f"https://www.semanticscholar.org/paper/{pid}" if pid and not pid.startswith("seed:") else ""


def section_of_tasks(seeds: pd.DataFrame) -> dict[str, str]:
    """The list's section for each task id (the section holding most seeds of that task)."""
    if seeds is None or seeds.empty or not {"section", "task"} <= set(seeds.columns):
        return {}
    s = seeds.dropna(subset=["section", "task"])
    s = s[s["section"] != "models"]
    out = {}
    for task, g in s.groupby("task"):
        for t in str(task).split(";"):
            out.setdefault(t.strip(), g["section"].value_counts().index[0])
    return out


def _next_indices(seeds: pd.DataFrame) -> dict[str, int]:
    if seeds is None or seeds.empty or "list_index" not in seeds.columns:
        return {}
    idx = pd.to_numeric(seeds["list_index"], errors="coerce")
    return {sec: int(v) + 1 for sec, v in idx.groupby(seeds["section"]).max().dropna().items()}


def compute_candidates(papers: pd.DataFrame, citations: pd.DataFrame, seeds: pd.DataFrame,
                       labels: pd.DataFrame | None = None, *, since: str | _dt.date | None = None,
                       top: int | None = None, missed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Field papers not in the list, published on or after ``since``, by section, with the evidence.

    Parameters
    ----------
    papers, citations, seeds, labels : DataFrame
        The contract tables (``papers`` with ``in_field``).
    since : str or date, optional
        Keep papers published on or after it: by ``publication_date`` when known, else by year (a
        paper with only a year is kept when its year is at least ``since``'s year).
    top : int, optional
        At most this many candidates (the strongest).
    missed : DataFrame, optional
        The complete missed-paper ranking of these tables, ``compute_missed_papers(papers, citations,
        seeds, labels=labels, top=None)``, when the caller has it already (the report's gaps run keeps
        it in ``run.shared["missed_ranking"]``): used instead of ranking again, same result.

    Returns
    -------
    DataFrame
        :data:`CANDIDATE_COLUMNS`, grouped by ``section`` (sections in the list's order) and, within a
        section, by evidence tier (strong, moderate, weak), newest first. ``index`` continues the
        section's numbering. Empty with ``attrs["skipped"]`` when there is nothing to propose.
    """
    since_d = parse_since(since)
    year = since_d.year if since_d else None
    if missed is not None:
        missed = select_missed(missed, top=None, since=year)
    else:
        missed = compute_missed_papers(papers, citations, seeds, labels=labels, top=None, since=year)
    if missed.empty:
        out = pd.DataFrame(columns=CANDIDATE_COLUMNS)
        out.attrs["skipped"] = missed.attrs.get("skipped") or "no candidates"
        return out
    p = papers.drop_duplicates("paper_id").set_index("paper_id")
    df = missed.copy()
    for col in ("publication_date", "arxiv_id", "doi", "venue"):
        df[col] = df["paper_id"].map(p[col]) if col in p.columns else None
    if since_d is not None:
        dates = pd.to_datetime(df["publication_date"], errors="coerce")
        df = df[dates.isna() | (dates >= pd.Timestamp(since_d))]
    df["evidence"] = [next(name for cut, name in TIERS if s >= cut) for s in df["score"]]
    if top:
        df = df.sort_values(["score", "paper_id"], ascending=[False, True]).head(top)
    sections = section_of_tasks(seeds)
    df["section"] = [sections.get(str(t).split(";")[0], NO_SECTION) if t else NO_SECTION for t in df["task"]]
    order = {sec: i for i, sec in enumerate(dict.fromkeys(seeds["section"].dropna()))} if len(seeds) else {}
    df["_sec"] = df["section"].map(lambda s: order.get(s, len(order)))
    df["_tier"] = df["evidence"].map({name: i for i, (_, name) in enumerate(TIERS)})
    df["_date"] = pd.to_datetime(df["publication_date"], errors="coerce").fillna(
        pd.to_datetime(df["year"].astype("string") + "-01-01", errors="coerce"))
    df = df.sort_values(["_sec", "_tier", "_date", "score", "paper_id"],
                        ascending=[True, True, False, False, True], na_position="last")
    df["link"] = [paper_link(r) for r in df.to_dict("records")]
    start = _next_indices(seeds)
    df["index"] = df.groupby("section").cumcount() + df["section"].map(lambda s: start.get(s, 1))
    out = df[CANDIDATE_COLUMNS].reset_index(drop=True)
    out["index"] = out["index"].astype(int)
    return out


def _cell(text: object) -> str:
    """A table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def render_candidates_markdown(candidates: pd.DataFrame, fmt: RowFormat | None = None) -> str:
    """Markdown of ``candidates`` grouped by section in the list's row format (see :class:`RowFormat`)."""
    fmt = fmt or RowFormat()
    out: list[str] = []
    for section, g in candidates.groupby("section", sort=False):
        out += [f"## {section}", ""]
        if fmt.kind == "table":
            cols = list(fmt.columns)
            out.append("| " + " | ".join(cols) + " |")
            out.append("|" + "|".join(":----:" if i == 0 else (":----------" if i == 1 else ":-----------")
                                      for i in range(len(cols))) + "|")
            for r in g.itertuples(index=False):
                out.append("| " + " | ".join(_table_cell(c, r, fmt) for c in cols) + " |")
        else:
            for r in g.itertuples(index=False):
                venue = getattr(r, "venue", None)
                year = getattr(r, "year", None)
                tag = " ".join(str(x) for x in ((venue if isinstance(venue, str) and venue else "arXiv"),
                                                 (None if year is None or pd.isna(year) else int(year))) if x)
                out.append(fmt.template.format(title=" ".join(str(r.title).split()), link=r.link or "",
                                               index=r.index, tag=tag))
        out.append("")
    return "\n".join(out)


def _table_cell(column: str, r, fmt: RowFormat) -> str:
    """The cell of ``column`` for candidate ``r``: index, paper name, link, task or year by the column's
    name; a column we cannot fill (code, venue...) gets ``-``."""
    name = column.strip().lower()
    if name in ("index", "#", "no", "no.", "id"):
        return str(r.index)
    if "code" in name or "github" in name:
        return "-"
    if "link" in name or "pdf" in name or name in ("url", "paper link", "download"):
        return f"[{fmt.link_text}]({r.link})" if r.link else "-"
    if "task" in name:
        return _cell(r.task or "")
    if "year" in name:
        return "" if pd.isna(r.year) else str(int(r.year))
    if any(w in name for w in ("paper", "title", "name", "publication", "article")):
        return _cell(r.title)
    return "-"


__all__ = ["CANDIDATE_COLUMNS", "NO_SECTION", "RowFormat", "compute_candidates", "paper_link", "parse_since",
           "render_candidates_markdown", "section_of_tasks"]
