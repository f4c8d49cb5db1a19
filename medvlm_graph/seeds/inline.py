"""Inline markdown of one block as plain text with marks, line breaks and link spans.

markdown-it resolves the syntax (escapes, nested brackets, emphasis rules,
entities, inline HTML); :func:`flatten` turns its inline tree into a string in
which bold and italic spans keep invisible marks (:data:`BOLD`, :data:`ITALIC`),
line breaks (soft, hard, ``<br>``) are ``\\n``, images are dropped (and
counted) and every link is a :class:`Span` over its text. Entry reading
(:mod:`.entries`) works on that string.

Examples
--------
>>> fl = flatten_markdown("[**MICCAI 2023**] Title [[pdf]](https://arxiv.org/abs/2301.00001)<br>*A. Author*")
>>> plain(fl.text), [(fl.text[s.start:s.end], s.href) for s in fl.links]
('[MICCAI 2023] Title [pdf]\\nA. Author', [('[pdf]', 'https://arxiv.org/abs/2301.00001')])
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

# Private-use characters: never in list text, invisible to the word regexes used on it.
BOLD = ("\ue000", "\ue001")
ITALIC = ("\ue002", "\ue003")
MARKS = re.compile("[\ue000-\ue003]")
_BARE_URL = re.compile(r"(?<![\w/(\[\"'=])(?:https?://|www\.)[^\s<>\"'\]\[)]+(?:\([^\s()]*\)[^\s<>\"'\]\[)]*)*", re.I)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>", re.S)
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.I)


@dataclass(frozen=True)
class Span:
    """A link: its text is ``Inline.text[start:end]``."""

    start: int
    end: int
    href: str


@dataclass
class Inline:
    """Flattened inline content (see the module docstring)."""

    text: str = ""
    links: list[Span] = field(default_factory=list)
    images: int = 0


def plain(text: str) -> str:
    """``text`` without the bold/italic marks."""
    return MARKS.sub("", text)


def markdown_parser() -> MarkdownIt:
    """The parser used for lists: CommonMark (raw HTML allowed) with GitHub's pipe tables."""
    return MarkdownIt("commonmark").enable("table")


class HtmlLinks:
    """Builds flattened text; also reads the links of raw HTML (:meth:`html`)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.links: list[Span] = []
        self.images = 0
        self.open_html_links: list[tuple[int, str]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def html(self, raw: str) -> None:
        for m in _TAG.finditer(raw):
            closing, name = m.group(1) == "/", m.group(2).casefold()
            if name == "br":
                self.add("\n")
            elif name in {"b", "strong"}:
                self.add(BOLD[closing])
            elif name in {"i", "em"}:
                self.add(ITALIC[closing])
            elif name == "img":
                self.images += 1
            elif name == "a" and not closing:
                href = _HREF.search(m.group(3))
                self.open_html_links.append((self.size, html.unescape(href.group(1)) if href else ""))
            elif name == "a" and closing and self.open_html_links:
                start, href = self.open_html_links.pop()
                self.links.append(Span(start, self.size, href))
            elif name in {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"} and closing:
                self.add("\n")

    def node(self, node: SyntaxTreeNode) -> None:
        t = node.type
        if t == "text":
            self.add(node.content)
        elif t == "code_inline":
            self.add(node.content)
        elif t in {"softbreak", "hardbreak"}:
            self.add("\n")
        elif t == "strong":
            self.add(BOLD[0])
            self.children(node)
            self.add(BOLD[1])
        elif t == "em":
            self.add(ITALIC[0])
            self.children(node)
            self.add(ITALIC[1])
        elif t == "link":
            start = self.size
            self.children(node)
            self.links.append(Span(start, self.size, str(node.attrs.get("href") or "")))
        elif t == "image":
            self.images += 1
        elif t == "html_inline":
            self.html(node.content)
        else:  # s (strikethrough) and anything else: its text
            self.children(node)

    def children(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self.node(child)


def flatten(inline_nodes: list[SyntaxTreeNode]) -> Inline:
    """Flatten the ``inline`` nodes of one block (several paragraphs are joined by a line break)."""
    b = HtmlLinks()
    for k, node in enumerate(inline_nodes):
        if k:
            b.add("\n")
        b.children(node)
    text = "".join(b.parts)
    links = sorted(b.links, key=lambda s: s.start)
    # Bare URLs (GitHub links them): links too, unless inside a link already.
    for m in _BARE_URL.finditer(text):
        if not any(s.start <= m.start() < s.end for s in links):
            url = m.group(0).rstrip(".,;:")
            links.append(Span(m.start(), m.start() + len(url), url if "://" in url else "https://" + url))
    links.sort(key=lambda s: s.start)
    return Inline(text=text, links=links, images=b.images)


def flatten_markdown(text: str) -> Inline:
    """Flatten the inline content of a markdown snippet (all its paragraphs and headings)."""
    tree = SyntaxTreeNode(markdown_parser().parse(text))
    inlines = [n for n in tree.walk() if n.type == "inline"]
    return flatten(inlines)


def lines(inline: Inline) -> list[tuple[int, int]]:
    """``(start, end)`` of each line; a break inside a bold or italic span (a wrapped title) does not end one."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(inline.text):
        if ch in (BOLD[0], ITALIC[0]):
            depth += 1
        elif ch in (BOLD[1], ITALIC[1]):
            depth = max(0, depth - 1)
        elif ch == "\n" and depth == 0:
            out.append((start, i))
            start = i + 1
    out.append((start, len(inline.text)))
    return out
