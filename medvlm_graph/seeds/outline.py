"""The sections of a markdown list and the entries in them.

:class:`Outline` walks the block tree that markdown-it builds and keeps a
stack of the headings the current block sits under:

* ATX and setext headings (H1 and H2 included), HTML ``<h1>``-``<h6>``;
* ``<details><summary>...</summary>`` blocks at the top level (their summary
  is a heading one level below the enclosing one; ``<details>`` inside an
  entry, such as a collapsed abstract, is part of that entry);
* pseudo-headings: a paragraph that is only a short bold text or a year
  (``**2023**``), and a bullet with no link whose sub-bullets are entries.

Headings are cleaned (badges, emoji, HTML, emphasis and ``1.2`` numbering
removed). A heading that is only a date (``### 2024``, ``**2023**``,
``<summary>Survey: 2024</summary>`` under ``## Survey``) does not open a
section: its entries stay in the section above, and so does a summary that
repeats the title of the entry it folds. A section's task is its heading's
task (:class:`.tasks.TaskMap`), else the task of the nearest heading above it
that has one. Sections named like a contribution guide, table of contents,
citation, news, license or star history hold no papers.

Fenced and indented code blocks, HTML blocks, tables of contents (lists of
links to anchors) and images are not entries; pipe tables are read by
:mod:`.pipetables`, which asks :meth:`Outline.section_at` for their section.

Examples
--------
>>> text = '''# Awesome list
... ## Medical VQA ![](https://img.shields.io/badge/VQA-red)
... ### 2023
... - [**MICCAI 2023**] Localized Questions in Medical VQA [[pdf]](https://arxiv.org/pdf/2307.01067)
... ## Contributing
... - [**Venue 2024**] Paper Title [[pdf]](link)
... '''
>>> o = Outline(text)
>>> [(p.section.name, p.section.task, p.entry.title) for p in o.entries]
[('Medical VQA', 'vqa', 'Localized Questions in Medical VQA')]
>>> [(s.line, s.section, s.reason) for s in o.skipped]
[(6, 'Contributing', 'not a paper list')]
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from .entries import IMAGES_ONLY, TOC, Entry, read_entries, words
from .inline import BOLD, ITALIC, HtmlLinks, Inline, flatten, flatten_markdown, markdown_parser, plain
from .links import Link, is_anchor, link_kind
from .tags import has_date, is_date, undated_words
from .tasks import TaskMap, TaskMatch, task_map
from .titles import normalize_title, split_title, strip_decorations

UNSECTIONED = "unsectioned"
NOT_PAPERS = "not a paper list"
CODE_BLOCK = "code block"
HTML_BLOCK = "HTML block"
_NOT_PAPER_SECTION = re.compile(
    r"^(?:table of contents?|contents?|toc|contribut\w*|how to contribute|contribution guide\w*|citations?|cite"
    r"|how to cite|cite us|citing|bibtex|acknowledge?ments?|thanks|licen[cs]e|news|latest news|updates?"
    r"|latest updates?|changelog|change log|star history|stargazers|stars|contact|contact us|contributors"
    r"|to-?do|related (?:awesome )?(?:lists?|repos?|repositories|projects|resources)|other awesome lists?"
    r"|sponsors?|faq|disclaimer|footnotes?)$", re.I)
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVXivx]+\.|[A-Za-z]\.)\s+(?=\S)")
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_MARKER = re.compile(r"^<!--medvlm-graph:(\d+)-->$")
_DETAILS_TAG = re.compile(r"<\s*(/?)\s*(details|summary)\b[^>]*>", re.I)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def clean_heading(text: str) -> str:
    """Heading text without badges, emoji, HTML, emphasis marks and leading ``1.2`` numbering.

    Examples
    --------
    >>> clean_heading("🔥 2. Medical VQA :fire:")
    'Medical VQA'
    """
    text = " ".join(strip_decorations(plain(text)).split())
    return _NUMBERING.sub("", text).strip()


def _inline_text(node: SyntaxTreeNode) -> str:
    """Cleaned text of a heading node."""
    inl = [c for c in node.children if c.type == "inline"]
    return clean_heading(flatten(inl).text.replace("\n", " ")) if inl else ""


@dataclass
class Frame:
    """One heading on the stack."""

    kind: str  # heading | details | pseudo | group
    level: int = 0
    title: str | None = None
    line: int = 0
    transparent: bool = False
    match: TaskMatch = field(default_factory=lambda: TaskMatch(None, ""))


@dataclass(frozen=True)
class Section:
    """Where an entry sits: section name, its task and how the task was found."""

    name: str
    task: str | None
    how: str
    not_papers: bool = False


@dataclass
class Placed:
    """An entry with its section, 1-based line and list number."""

    entry: Entry
    section: Section
    line: int
    index: str | None = None


@dataclass
class Skipped:
    """A block that holds no paper entry, and why."""

    line: int
    section: str
    reason: str
    text: str = ""


def _details_events(lines: list[str]) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """Top-level ``<details>``/``<summary>`` lines -> marker comments, and the events of each marker.

    A marker (an HTML comment on its own line) ends a paragraph or a list the
    way a heading would, so the markdown around it parses as on GitHub when the
    tags are surrounded by blank lines. ``<details>`` opened on a bullet line or
    an indented line folds part of an entry (an abstract, a BibTeX): it stays,
    and its closing tag is matched to it.
    """
    out = list(lines)
    events: list[list[tuple[str, str]]] = []
    fence: str | None = None
    inner = 0  # <details> open inside entries
    pending: list[str] | None = None  # text of a <summary> that continues on the next lines
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m and pending is None:
            fence = m.group(1)
            continue
        if pending is not None:
            end = re.search(r"<\s*/\s*summary\s*>", line, re.I)
            pending.append(line[:end.start()] if end else line)
            out[i] = ""
            if end:
                events[-1].append(("summary", " ".join(pending)))
                pending = None
            continue
        tags = list(_DETAILS_TAG.finditer(line))
        if not tags:
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        in_entry = indent > 3 or re.match(r"\s*(?:[-*+]|\d+[.)])\s", line) is not None
        evs: list[tuple[str, str]] = []
        skip_to = 0
        for t in tags:
            if t.start() < skip_to:
                continue
            closing, name = bool(t.group(1)), t.group(2).casefold()
            if name == "details" and not closing:
                if in_entry or inner:
                    inner += 1
                else:
                    evs.append(("open", ""))
            elif name == "details":
                if inner:
                    inner -= 1
                else:
                    evs.append(("close", ""))
            elif not closing and not inner and not in_entry:  # <summary>
                end = re.search(r"<\s*/\s*summary\s*>", line[t.end():], re.I)
                if end:
                    evs.append(("summary", line[t.end(): t.end() + end.start()]))
                    skip_to = t.end() + end.end()
                else:
                    pending = [line[t.end():]]
                    skip_to = len(line)
        if evs or pending is not None:
            events.append(evs)
            out[i] = f"<!--medvlm-graph:{len(events) - 1}-->"
    return out, events


class Outline:
    """Sections and entries of a markdown list (see the module docstring).

    Parameters
    ----------
    text : str
        The markdown.
    tasks : TaskMap or Taxonomy, optional
        Maps headings to task ids (default: the shipped taxonomy).
    table_lines : set of int
        1-based lines of pipe tables (their rows are read elsewhere).

    Attributes
    ----------
    entries : list of Placed
    skipped : list of Skipped
    """

    def __init__(self, text: str, tasks=None, table_lines: set[int] | None = None) -> None:
        self.tasks: TaskMap = task_map(tasks)
        self.table_lines = table_lines or set()
        self.entries: list[Placed] = []
        self.skipped: list[Skipped] = []
        self.stack: list[Frame] = []
        self._timeline: list[tuple[int, tuple[Frame, ...]]] = [(0, ())]
        lines, self._events = _details_events(text.split("\n"))
        tree = SyntaxTreeNode(markdown_parser().parse("\n".join(lines)))
        self._blocks(tree.children)

    # --- the stack ---------------------------------------------------------------------------------

    def _snapshot(self, line: int) -> None:
        self._timeline.append((line, tuple(self.stack)))

    def _titled(self, frame: Frame, title: str | None) -> Frame:
        """Give ``frame`` its title, task match and transparency (a date, or a date + its parent's words)."""
        frame.title = title or None
        if frame.title:
            parent = next((f for f in reversed(self.stack) if f.title and not f.transparent and f is not frame), None)
            rest = set(undated_words(frame.title))
            frame.transparent = is_date(frame.title) or bool(
                has_date(frame.title) and parent and rest <= set(undated_words(parent.title)))
            frame.match = TaskMatch(None, "a date") if frame.transparent else self.tasks.match(frame.title)
        return frame

    def _heading(self, level: int, title: str, line: int) -> None:
        while self.stack and self.stack[-1].kind != "details" and (
                self.stack[-1].kind in {"pseudo", "group"} or self.stack[-1].level >= level):
            self.stack.pop()
        self.stack.append(self._titled(Frame("heading", level, line=line), title))
        self._snapshot(line)

    def _pseudo(self, title: str, line: int) -> None:
        while self.stack and self.stack[-1].kind == "pseudo":
            self.stack.pop()
        self.stack.append(self._titled(Frame("pseudo", line=line), title))
        self._snapshot(line)

    def _apply(self, events: list[tuple[str, str]], line: int) -> None:
        for kind, body in events:
            if kind == "open":
                self.stack.append(Frame("details", line=line))
            elif kind == "summary":
                title = clean_heading(html.unescape(strip_decorations(body)))
                title = clean_heading(flatten_inline(title)) if title else title
                if not self.stack or self.stack[-1].kind != "details" or self.stack[-1].title:
                    # a summary outside details, or a second one: a heading of its own
                    while self.stack and self.stack[-1].kind in {"pseudo", "group"}:
                        self.stack.pop()
                    self.stack.append(Frame("details", line=line))
                self._titled(self.stack[-1], title)
            elif kind == "close":
                while self.stack:
                    if self.stack.pop().kind == "details":
                        break
        self._snapshot(line)

    # --- sections ----------------------------------------------------------------------------------

    def _resolve(self, frames: tuple[Frame, ...] | list[Frame], title_norm: str | None = None) -> Section:
        titled = [f for f in frames if f.title]
        chosen_at = None
        for k in range(len(titled) - 1, -1, -1):
            f = titled[k]
            if f.transparent:
                continue
            if title_norm and f.kind != "heading" and _repeats(f.title, title_norm):
                continue
            chosen_at = k
            break
        if chosen_at is None:
            name = UNSECTIONED if not titled else next(
                (f.title for f in reversed(titled) if not (title_norm and _repeats(f.title, title_norm))), UNSECTIONED)
            return Section(name, None, "no heading above it" if name == UNSECTIONED else "a date heading")
        chosen = titled[chosen_at]
        outer = titled[:chosen_at + 1]
        not_papers = any(_NOT_PAPER_SECTION.match(f.title.strip(" :.-")) for f in outer if not f.transparent)
        task, how = chosen.match.task, chosen.match.how
        if task is None and not how.startswith("several"):
            for f in reversed(titled[:chosen_at]):
                if f.match.task and not f.transparent:
                    task, how = f.match.task, f'from "{f.title}": {f.match.how}'
                    break
        return Section(chosen.title, task, how, not_papers)

    def section_at(self, line: int) -> Section:
        """The section of a block that starts on ``line`` (1-based)."""
        k = bisect.bisect_right([t for t, _ in self._timeline], line - 1) - 1
        return self._resolve(self._timeline[max(k, 0)][1])

    # --- blocks ------------------------------------------------------------------------------------

    def _skip(self, line: int, reason: str, text: str = "") -> None:
        section = self._resolve(self.stack)
        if section.not_papers and reason != CODE_BLOCK:
            reason = NOT_PAPERS
        self.skipped.append(Skipped(line, section.name, reason, " ".join(text.split())[:80]))

    def _place(self, entries: list[Entry], line: int, index: str | None) -> None:
        for e in entries:
            section = self._resolve(self.stack, normalize_title(e.title))
            if section.not_papers:
                self.skipped.append(Skipped(line + e.offset, section.name, NOT_PAPERS, e.title or ""))
                continue
            self.entries.append(Placed(e, section, line + e.offset, index if len(entries) == 1 else None))

    def _in_table(self, node: SyntaxTreeNode) -> bool:
        a, b = node.map
        return any(n in self.table_lines for n in range(a + 1, b + 1))

    def _blocks(self, nodes: list[SyntaxTreeNode]) -> None:
        for node in nodes:
            t = node.type
            line = node.map[0] + 1 if node.map else 0
            if t == "heading":
                self._heading(int(node.tag[1]), _inline_text(node), line)
            elif t == "html_block":
                self._html(node.content, line)
            elif t in {"fence", "code_block"}:
                self._skip(line, CODE_BLOCK, node.content)
            elif t in {"bullet_list", "ordered_list"}:
                self._list(node)
            elif t == "paragraph":
                if not self._in_table(node):
                    self._paragraph(node, line)
            elif t == "blockquote":
                self._blocks(node.children)

    def _html(self, content: str, line: int) -> None:
        m = _MARKER.match(content.strip())
        if m:
            self._apply(self._events[int(m.group(1))], line)
            return
        for h in _HTML_HEADING.finditer(content):
            self._heading(int(h.group(1)), clean_heading(html.unescape(strip_decorations(h.group(2)))), line)
        if re.search(r"<a\s[^>]*href", content, re.I) and not content.lstrip().startswith("<!--"):
            fl = flatten_html(content)
            if any(link_kind(Link(s.href, "")) == "id" for s in fl.links):
                self._skip(line, HTML_BLOCK, plain(fl.text))

    def _paragraph(self, node: SyntaxTreeNode, line: int) -> None:
        inline = flatten([c for c in node.children if c.type == "inline"])
        label = _label(inline)
        if label is not None:
            self._pseudo(label, line)
            return
        found = read_entries(inline)
        if isinstance(found, str):
            if found != IMAGES_ONLY or words(plain(inline.text)):
                self._skip(line, found, plain(inline.text))
            else:
                self._skip(line, found)
            return
        self._place(found, line, None)

    def _list(self, node: SyntaxTreeNode) -> None:
        hrefs = [n.attrs.get("href", "") for n in node.walk() if n.type == "link"]
        if hrefs and all(is_anchor(str(h)) for h in hrefs):
            self._skip(node.map[0] + 1, TOC, f"{len(hrefs)} links to sections")
            return
        for item in node.children:
            self._item(item, node.type == "ordered_list")

    def _item(self, item: SyntaxTreeNode, ordered: bool) -> None:
        line = item.map[0] + 1
        own = [c for c in item.children if c.type == "paragraph"]
        sublists = [c for c in item.children if c.type in {"bullet_list", "ordered_list"}]
        for c in item.children:
            if c.type == "heading":
                self._heading(int(c.tag[1]), _inline_text(c), c.map[0] + 1)
        inline = flatten([p.children[0] for p in own if p.children])
        index = item.info if ordered and item.info else None
        paper_children: list[tuple[SyntaxTreeNode, bool]] = []
        if sublists:
            own_paper = _has_paper_link(inline)
            children_are_entries = any(_item_is_entry(ci) for sl in sublists for ci in sl.children
                                       if ci.type == "list_item")
            if not own_paper and children_are_entries:
                label = _label(inline, bullet=True)
                if label is not None:
                    self.stack.append(self._titled(Frame("group", line=line), label))
                    self._snapshot(line)
                elif words(plain(inline.text)):
                    self._skip(line, "a group of entries", plain(inline.text))
                for sl in sublists:
                    self._list(sl)
                if label is not None:
                    while self.stack and self.stack[-1].kind != "group":
                        self.stack.pop()
                    if self.stack:
                        self.stack.pop()
                    self._snapshot(item.map[1])
                return
            if not own_paper:  # links in sub-bullets of a title bullet belong to it
                inline = _item_inline(item)
            elif children_are_entries:  # an entry with papers of their own below it (a follow-up, an extension)
                paper_children = [(ci, sl.type == "ordered_list") for sl in sublists for ci in sl.children
                                  if ci.type == "list_item" and _item_is_entry(ci)]
        if not own and not sublists:
            return
        found = read_entries(inline)
        if isinstance(found, str):
            self._skip(line, found, plain(inline.text))
        else:
            self._place(found, line, index)
        for child, child_ordered in paper_children:
            self._item(child, child_ordered)


def _repeats(heading: str | None, title_norm: str) -> bool:
    """Whether a summary/pseudo heading repeats the entry's own title (``Title (2022)``)."""
    if not heading or not title_norm:
        return False
    head = normalize_title(split_title(heading)[0] or heading)
    return head == title_norm or (len(title_norm) >= 12 and (head.startswith(title_norm) or title_norm.startswith(head)
                                                              and len(head) >= 12))


def _has_paper_link(inline: Inline) -> bool:
    return any(link_kind(Link(s.href, plain(inline.text[s.start:s.end]))) in {"id", "paper", "named"}
               for s in inline.links)


def _item_inline(item: SyntaxTreeNode) -> Inline:
    """A bullet's own text, followed by its sub-bullets' when it has no paper link of its own."""
    own = [c.children[0] for c in item.children if c.type == "paragraph" and c.children]
    inline = flatten(own)
    if _has_paper_link(inline):
        return inline
    nested = [n for c in item.children if c.type in {"bullet_list", "ordered_list"} for n in c.walk()
              if n.type == "inline"]
    return flatten(own + nested) if nested else inline


def _item_is_entry(item: SyntaxTreeNode) -> bool:
    """Whether a bullet is a paper entry with a paper link (its own, or in its sub-bullets)."""
    if not any(c.type == "paragraph" for c in item.children):
        return False
    found = read_entries(_item_inline(item))
    return not isinstance(found, str) and any(e.url for e in found)


def _label(inline: Inline, *, bullet: bool = False) -> str | None:
    """The text of a pseudo-heading (``**2023**``, ``<b>Segmentation</b>``, ``2024``), else ``None``.

    A bullet label (``- CLIP-based``) needs no emphasis.
    """
    text = inline.text.strip()
    flat = " ".join(plain(text).split())
    if not flat or any(not is_anchor(s.href) for s in inline.links) or len(words(flat)) > 8:
        return None
    wrapped = text[:1] in (BOLD[0], ITALIC[0]) and text[-1:] in (BOLD[1], ITALIC[1])
    if not (wrapped or bullet or is_date(flat)):
        return None
    if flat.endswith(".") and not is_date(flat):
        return None
    return clean_heading(flat.strip(" :")) or None


def flatten_inline(text: str) -> str:
    """Plain text of a one-line markdown snippet (a summary may hold ``**bold**``)."""
    return plain(flatten_markdown(text).text).replace("\n", " ")


def flatten_html(content: str) -> Inline:
    """Links and text of an HTML block."""
    b = HtmlLinks()
    b.html(content)
    stripped = re.sub(r"<[^>]{1,500}>", " ", content)
    return Inline(text=html.unescape(stripped), links=b.links, images=b.images)
