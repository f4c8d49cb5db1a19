"""Pipe tables of awesome-list markdown (the review's own list is made of them).

The reader is tolerant on purpose (lists are hand-edited): missing or extra
cells, blank lines inside a table, tables without a delimiter row, ``-``
placeholders. Columns are recognised by their header names, never by order or
row counts:

* the model table has a model-name column and a Natural/Medical column; its
  rows get section ``models``, ``model_name`` and ``origin``;
* a table with a Tasks column takes each row's task from that column;
* any other table takes its section and task from the heading it sits under
  (:mod:`.outline`); an unknown heading keeps its rows with ``task`` null and
  logs a warning;
* a table without a paper title column (a table of datasets, of tools) is
  skipped with a warning.

Examples
--------
>>> from .tasks import default_task_map
>>> table, = find_tables('''## Medical VQA
... | Index | Paper Names | PDF Link |
... |:--:|:--|:--|
... | 1 | PitVQA: Image-Grounded Text Embedding LLM | [PDF](https://arxiv.org/pdf/2405.13949) |
... ''')
>>> rows = table_rows(table, "Medical VQA", default_task_map().match("Medical VQA"), default_task_map())
>>> rows[0]["task"], rows[0]["title"], rows[0]["url"]
('vqa', 'PitVQA: Image-Grounded Text Embedding LLM', 'https://arxiv.org/pdf/2405.13949')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..log import logger
from .entries import is_link_word_text
from .rows import MODELS_SECTION, clean_cell
from .tasks import TaskMap, TaskMatch

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_DELIM_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_URL = re.compile(r"https?://[^\s<>\"')\]]+(?:\([^\s()]*\)[^\s<>\"')\]]*)*", re.I)
_ORIGIN = re.compile(r"^\s*(natural|medical)\s*$", re.I)
# "[Moon et al.](url)" in a Paper column names the paper by its authors: the link is kept, not as a title.
_CITATION = re.compile(r"^\s*[A-Z][\w'’\-]+(?: et al\.?| and [A-Z][\w'’\-]+| & [A-Z][\w'’\-]+)(?:,?\s*\(?\d{4}\)?)?\s*$")


@dataclass
class _Table:
    heading: str | None
    line: int
    rows: list[list[str]] = field(default_factory=list)
    has_delimiter: bool = False
    lines: list[int] = field(default_factory=list)  # 1-based lines of the table (rows and delimiter)
    row_lines: list[int] = field(default_factory=list)  # 1-based line of each row


def split_cells(line: str) -> list[str]:
    r"""Cells of a pipe-table row (``\|`` is a literal pipe).

    Examples
    --------
    >>> split_cells("| 1 | A \\| B | [PDF](http://x) |")
    ['1', 'A | B', '[PDF](http://x)']
    """
    text = line.strip()
    cells = [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", text)]
    if text.startswith("|"):
        cells = cells[1:]
    if text.endswith("|") and not text.endswith("\\|") and cells:
        cells = cells[:-1]
    return cells


def _is_delimiter(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_DELIM_CELL.match(c) for c in filled)


def _heading_text(raw: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)  # [text](link) -> text
    text = re.sub(r"<[^>]+>|[*_`]", "", text)
    return " ".join(text.split())


def find_tables(text: str) -> list[_Table]:
    """Pipe tables of ``text`` with the heading above each."""
    lines = text.splitlines()
    tables: list[_Table] = []
    heading: str | None = None
    current: _Table | None = None
    in_fence = False
    prev_text: str | None = None
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            current = None
            continue
        if in_fence:
            continue
        stripped = line.strip()
        m = _HEADING.match(line)
        if m:
            heading, current, prev_text = _heading_text(m.group(2)), None, None
            continue
        if not stripped:
            prev_text = None
            continue  # a blank line does not end a table: the next pipe row may continue it
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        starts_table = "|" in stripped and _is_delimiter(split_cells(nxt)) and "|" in nxt
        is_row = stripped.startswith("|") or (current is not None and "|" in stripped) or starts_table
        if is_row:
            cells = split_cells(stripped)
            if _is_delimiter(cells):
                if current is not None and len(current.rows) == 1:
                    current.has_delimiter = True
                if current is not None:
                    current.lines.append(i + 1)
                continue
            if current is None or (starts_table and current.rows):
                current = _Table(heading=heading, line=i + 1)
                tables.append(current)
            current.rows.append(cells)
            current.lines.append(i + 1)
            current.row_lines.append(i + 1)
            prev_text = None
            continue
        if _SETEXT.match(line) and prev_text:
            heading, current = _heading_text(prev_text), None
            prev_text = None
            continue
        current, prev_text = None, stripped
    return tables


def _role(header: str) -> str:
    h = " ".join(header.casefold().replace("\\", "/").split())
    if "natural" in h or h in {"origin", "domain", "natural/medical"}:
        return "origin"
    if "link" in h or "url" in h or h in {"pdf", "paper pdf", "download"}:
        return "link"
    if "code" in h or "github" in h or "project" in h:
        return "code"
    if "model" in h:
        return "model"
    if "task" in h:
        return "task"
    if h in {"index", "#", "no", "no.", "id", "num", "number", "idx", "sn", "s/n"}:
        return "index"
    if "year" in h or h == "date":
        return "year"
    if "venue" in h or "conference" in h or "journal" in h or "publication" in h:
        return "venue"
    if "paper" in h or "title" in h or "name" in h:
        return "title"
    return "other"


def _first_url(cell: str | None) -> str | None:
    if not cell:
        return None
    m = re.search(r"\]\(\s*<?", cell)  # markdown link: take its target, balancing parentheses
    if m:
        start, depth = m.end(), 1
        for j in range(start, len(cell)):
            if cell[j] == "(":
                depth += 1
            elif cell[j] == ")":
                depth -= 1
                if depth == 0:
                    target = cell[start:j].strip().rstrip(">").split(' "')[0].strip()
                    return target or None
        return cell[start:].strip() or None
    m = re.search(r'href=["\']([^"\']+)', cell)
    if m:
        return m.group(1)
    m = _URL.search(cell)
    return m.group(0) if m else None


def _plain(cell: str | None) -> str | None:
    """Cell text without markdown emphasis; a linked title gives its text."""
    if cell is None:
        return None
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return clean_cell(text)


def _map_row(roles: list[str], cells: list[str]) -> dict[str, str | None]:
    """Assign cells to header roles, tolerating missing and extra cells."""
    cells = list(cells)
    while len(cells) > len(roles) and "" in cells:
        del cells[len(cells) - 1 - cells[::-1].index("")]  # drop stray empty cells, rightmost first
    if len(cells) == len(roles):
        out: dict[str, str | None] = {}
        for role, cell in zip(roles, cells):
            out.setdefault(role, cell)
        return out
    # Content-based assignment for rows that still do not fit.
    out = {}
    rest = list(cells)
    if "index" in roles and rest and re.fullmatch(r"\s*\d*\s*", rest[0]) and roles[0] == "index":
        out["index"] = rest.pop(0)
    if "link" in roles:
        for j in range(len(rest) - 1, -1, -1):
            if _first_url(rest[j]) or (j == len(rest) - 1 and clean_cell(rest[j]) is None and len(rest) > 1):
                out["link"] = rest.pop(j)
                break
    if "origin" in roles:
        for j, cell in enumerate(rest):
            if _ORIGIN.match(cell):
                out["origin"] = rest.pop(j)
                break
    text_roles = [r for r in roles if r not in out and r not in {"index", "link", "origin"}]
    if "title" in text_roles and len(rest) > len(text_roles):
        k = text_roles.index("title")
        after = len(text_roles) - k - 1
        merged = rest[k: len(rest) - after]
        rest = rest[:k] + [" | ".join(merged)] + rest[len(rest) - after:]
    for role, cell in zip(text_roles, rest):
        out.setdefault(role, cell)
    return out


def _link_column(roles: list[str], body: list[list[str]]) -> list[str]:
    """Of two title-like columns ("Title | ... | Paper"), the one holding only links is the link column."""
    out = list(roles)
    for j, role in enumerate(roles):
        cells = [r[j] for r in body if j < len(r) and r[j].strip() and r[j].strip() != "-"]
        texts = [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", c) for c in cells]
        if role == "title" and cells and all(_first_url(c) for c in cells) and all(is_link_word_text(t) for t in texts):
            out[j] = "link"
            break
    return out


def table_rows(table: _Table, section: str | None, heading: TaskMatch, tasks: TaskMap, *,
               source: str = "markdown") -> list[dict]:
    """Reader rows (see :func:`.rows.build_seeds`) of one table.

    ``section`` and ``heading`` are the section the table sits in and its
    task match (:class:`.outline.Outline` resolves them); ``tasks`` maps the
    cells of a Tasks column. Each row also carries ``line`` (1-based).
    """
    header = table.rows[0]
    looks_like_header = table.has_delimiter or not any(_first_url(c) for c in header)
    roles = [_role(h) for h in header] if looks_like_header else []
    body = table.rows[1:] if looks_like_header else table.rows
    body_lines = table.row_lines[1:] if looks_like_header else table.row_lines
    if not roles:  # headerless table: [index |] title [| link]
        width = max((len(r) for r in body), default=0)
        if not width:
            return []  # a lone "|": no cells at all
        roles = (["index"] if width > 2 else []) + ["title"] + (["link"] if width > 1 else [])
    elif roles.count("title") > 1 and "link" not in roles:
        roles = _link_column(roles, body)
    if "title" not in roles and "model" not in roles:
        logger.warning(f"{source}: table at line {table.line} (under {table.heading!r}) has no paper title "
                       f"column; skipped")
        return []
    is_models = "model" in roles and "origin" in roles
    if not is_models and heading.task is None and "task" not in roles:
        logger.warning(f"{source}: section {section!r} (line {table.line}) matches no task; rows kept with no task")
    rows: list[dict] = []
    for k, cells in enumerate(body):
        if not any(c.strip() for c in cells):
            continue
        cell = _map_row(roles, cells)
        link = cell.get("link")
        title_cell = cell.get("title")
        url = _first_url(link) or (_first_url(title_cell) if not is_models else None)
        if _plain(title_cell) is None and _plain(cell.get("model")) is None and url is None:
            continue  # a row with nothing but an index or placeholders
        if is_models:
            row_section, task = MODELS_SECTION, None
        else:
            row_section = section or "unsectioned"
            cell_task = tasks(_plain(cell.get("task")))
            task = cell_task or heading.task
            if cell.get("task") and not cell_task:
                logger.warning(f"{source}: task {cell.get('task')!r} (line {table.line}) matches no task id")
        rows.append({
            "section": row_section,
            "task": task,
            "list_index": _plain(cell.get("index")),
            "title": None if _CITATION.match(_plain(title_cell) or "") else _plain(title_cell),
            "url": url,
            "model_name": _plain(cell.get("model")) if is_models else None,
            "origin": _plain(cell.get("origin")) if is_models else None,
            "year_hint": _plain(cell.get("year")),
            "venue_hint": _plain(cell.get("venue")),
            "line": body_lines[k],
            "task_column": "task" in roles,
        })
    return rows
