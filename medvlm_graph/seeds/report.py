"""What reading a list did, section by section (printed by ``medvlm-graph seeds``).

For every section: the rows read, the task it maps to and how (a task name or
alias of the taxonomy, words of one, inherited from the heading above, or none
and why), the blocks skipped with the reason, and the duplicates.

Examples
--------
>>> rep = ListReport("list.md", "markdown")
>>> sec = rep.section("Medical VQA", "vqa", 'name "Medical VQA"').seen(3)
>>> sec.rows = 2
>>> rep.section("Contributing", None, "no task name in it").skip(12, "not a paper list", "Example entry")
>>> print("\\n".join(rep.lines()))
list.md (markdown): 2 rows in 1 section
  Medical VQA: 2 rows, task vqa (name "Medical VQA")
  Contributing: 0 rows; skipped: 1 not a paper list (line 12)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_LINES_SHOWN = 5


@dataclass
class Skip:
    """A block that was not read as an entry."""

    line: int | None
    reason: str
    text: str = ""


@dataclass
class Duplicate:
    """A row naming the same paper as an earlier row of its section."""

    line: int | None
    first_line: int | None
    title: str
    kept: bool  # True: both rows kept (table rows, or different titles); False: kept once


@dataclass
class SectionReport:
    """One section of a list."""

    name: str
    task: str | None
    how: str = ""
    rows: int = 0
    models: bool = False
    skipped: list[Skip] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    line: int | None = None  # first line of the list that belongs to this section
    task_counts: Counter = field(default_factory=Counter)  # rows per task, when a Tasks column gives them

    def seen(self, line: int | None) -> SectionReport:
        """Note that ``line`` belongs to this section (sections are shown in order of their first line)."""
        if line is not None and (self.line is None or line < self.line):
            self.line = line
        return self

    def skip(self, line: int | None, reason: str, text: str = "") -> None:
        self.skipped.append(Skip(line, reason, text))
        self.seen(line)

    def lines(self) -> list[str]:
        """The report lines of this section (indented)."""
        if self.models:
            head = f"  {self.name}: {self.rows} row{_s(self.rows)} (model table)"
        elif self.task_counts:
            counts = ", ".join(f"{t or 'no task'} {n}" for t, n in self.task_counts.items())
            head = f"  {self.name}: {self.rows} row{_s(self.rows)}, tasks from its Tasks column: {counts}"
        elif self.task:
            head = f"  {self.name}: {self.rows} row{_s(self.rows)}, task {self.task}" + (f" ({self.how})" if self.how else "")
        elif self.rows:
            head = f"  {self.name}: {self.rows} row{_s(self.rows)}, no task" + (f" ({self.how})" if self.how else "")
        else:
            head = f"  {self.name}: 0 rows"
        out = []
        if self.skipped:
            by_reason: dict[str, list[int | None]] = {}
            for s in self.skipped:
                by_reason.setdefault(s.reason, []).append(s.line)
            parts = [f"{len(ls)} {reason} ({_where(ls)})" for reason, ls in by_reason.items()]
            if self.rows or self.task:
                out.append("    skipped: " + "; ".join(parts))
            else:
                head += "; skipped: " + "; ".join(parts)
        for d in self.duplicates:
            what = "both kept (table rows are kept as written)" if d.kept else "kept once"
            out.append(f'    duplicate: "{_short(d.title)}" (line {d.line}) repeats line {d.first_line}; {what}')
        return [head, *out]


@dataclass
class ListReport:
    """The sections of one list, in the order they appear."""

    source: str
    fmt: str
    sections: list[SectionReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def section(self, name: str, task: str | None, how: str = "", *, models: bool = False) -> SectionReport:
        """The report of section ``(name, task)``, created on first use (a Tasks-column section: by name)."""
        for sec in self.sections:
            if sec.name == name and (sec.task == task or sec.task_counts):
                return sec
        sec = SectionReport(name, task, how, models=models)
        self.sections.append(sec)
        return sec

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sections)

    def lines(self) -> list[str]:
        """Report lines: a head line, then one or more lines per section (in list order)."""
        n_sec = sum(1 for s in self.sections if s.rows)
        out = [f"{self.source} ({self.fmt}): {self.rows} row{_s(self.rows)} in {n_sec} section{_s(n_sec)}"]
        out += self.notes
        order = sorted(range(len(self.sections)), key=lambda k: (self.sections[k].line is None,
                                                                 self.sections[k].line or 0, k))
        for k in order:
            out += self.sections[k].lines()
        unmapped = [s.name for s in self.sections if s.rows and not s.task and not s.models and not s.task_counts]
        if unmapped:
            out.append("  headings with no task: " + ", ".join(dict.fromkeys(unmapped)))
        return out


def sections_from_table(report: ListReport, df, *, how: str = "") -> ListReport:
    """Fill ``report`` with the sections of a seeds table (readers that report nothing themselves)."""
    from .rows import MODELS_SECTION

    counts = Counter(zip(df["section"].fillna("unsectioned"), df["task"].astype(object).where(df["task"].notna(), None)))
    for (name, task), n in counts.items():
        sec = report.section(name, task, how if task else "", models=name == MODELS_SECTION)
        sec.rows += int(n)
    return report


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _where(lines: list[int | None]) -> str:
    known = [n for n in lines if n is not None]
    if not known:
        return "no line"
    shown = ", ".join(str(n) for n in known[:MAX_LINES_SHOWN])
    more = f", +{len(known) - MAX_LINES_SHOWN} more" if len(known) > MAX_LINES_SHOWN else ""
    return f"line{_s(len(known))} {shown}{more}"
