"""Paper entries in the text of a list item or a paragraph.

One block may hold one entry or several (lines separated by backslash line
breaks); an entry may span lines (title, venue/date line, italic authors,
links). The title is found, in order of preference, as

1. a quoted title: ``- **LLaVA-Med:** Authors<br> "LLaVA-Med: Training ..." **NeurIPS (2023).**``;
2. a bold span that is not a venue tag or a ``**Label:**``: ``**Title.**``;
3. a link whose text is a title: ``[MedSAM: Segment anything in medical images](url)``;
4. the plain text of the first lines, without venue tags, link words such as
   ``[pdf]`` and ``[[code]]``, author lines in italics and a trailing
   ``. Venue 2023.`` sentence;

(a candidate of three words or more wins over a shorter one of a better kind) and
then cleaned with :func:`.titles.clean_title`. The paper link is chosen by
:func:`.links.paper_link`. A block is an entry when it has a title and a paper
link, a venue/date tag or a bold or quoted title; otherwise :func:`read_entries`
says why it is not.

Examples
--------
>>> from .inline import flatten_markdown
>>> e, = read_entries(flatten_markdown("[**MICCAI 2023**] Localized Questions in Medical VQA [[pdf]](https://arxiv.org/pdf/2307.01067) [[code]](https://github.com/x/y)"))
>>> e.title, e.url, e.venue, e.year
('Localized Questions in Medical VQA', 'https://arxiv.org/pdf/2307.01067', 'MICCAI', 2023)
>>> read_entries(flatten_markdown("Please send a [pull request](https://github.com/x/y/pulls)."))
'no paper link'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .inline import BOLD, ITALIC, Inline, Span, lines, plain
from .links import ID_FIELDS, LABEL_WORDS, OTHER_WORDS, PAPER_WORDS, Link, is_anchor, link_kind, paper_link
from .ids import extract_ids
from .tags import is_date, parse_tag
from .titles import split_title

_BOLD_SPAN = re.compile(f"{BOLD[0]}(.*?){BOLD[1]}", re.S)
_ITALIC_SPAN = re.compile(f"{ITALIC[0]}(.*?){ITALIC[1]}", re.S)
_QUOTE = re.compile(r'["“]([^"“”]{8,300})["”]')
_BRACKET = re.compile(r"[\[【]([^\[\]【】]{0,80})[\]】]")
_CHUNKS = re.compile(r"[\n|;]|\.\s|\.$|[\[\]【】()]")  # pieces of an entry that may be venue/date tags
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
LINK_WORDS = PAPER_WORDS | LABEL_WORDS | OTHER_WORDS
# Skip reasons (also shown by ``medvlm-graph seeds``).
NO_TITLE = "no paper title"
NO_LINK = "no paper link"
IMAGES_ONLY = "images or badges only"
TOC = "table of contents"


@dataclass
class Entry:
    """One paper entry as the list gives it."""

    title: str | None
    title_original: str | None = None  # the title text as written, when cleaning changed it
    url: str | None = None
    ids: dict[str, str] = field(default_factory=dict)  # ids of other paper links (arxiv_id, doi, ...)
    venue: str | None = None
    year: int | None = None
    offset: int = 0  # line offset of the entry inside its block


def words(text: str) -> list[str]:
    """The words of ``text`` (marks and punctuation ignored)."""
    return _WORD.findall(plain(text))


def is_link_word_text(text: str) -> bool:
    """Whether a link text is a link label (``[pdf]``, ``code``, ``Project Page``) rather than a title."""
    ws = [w.casefold() for w in words(text)]
    return not ws or (len(ws) <= 3 and all(w in LINK_WORDS or w.isdigit() for w in ws))


def _venueish(text: str) -> bool:
    """A bold span such as ``MICCAI 2023`` or ``NeurIPS (2023).`` (a tag, not a title)."""
    return parse_tag(plain(text)) is not None or is_date(plain(text))


class _Block:
    """One block's inline text with helpers over character ranges."""

    def __init__(self, inline: Inline) -> None:
        self.inline = inline
        self.text = inline.text

    def links_in(self, a: int, b: int) -> list[Span]:
        return [s for s in self.inline.links if a <= s.start < b]

    def link_text(self, s: Span) -> str:
        return plain(self.text[s.start:s.end]).replace("\n", " ").strip()

    def title_text(self, a: int, b: int) -> str:
        """Text of ``[a, b)`` with link labels, bracketed link words and author italics removed."""
        chars = list(self.text[a:b])
        for s in self.links_in(a, b):
            if is_link_word_text(self.link_text(s)) or link_kind(Link(s.href, self.link_text(s))) == "other":
                for i in range(s.start, min(s.end, b)):
                    chars[i - a] = " "
        text = "".join(chars)
        without_italics = _ITALIC_SPAN.sub(" ", text)
        if len(words(without_italics)) >= 2:
            text = without_italics
        text = _BRACKET.sub(lambda m: " " if not m.group(1).strip() or is_link_word_text(m.group(1)) else m.group(0),
                            plain(text))
        text = re.sub(r"[\[\]]\s*[\[\]]", " ", text)  # leftovers of [[...]] around removed links
        return " ".join(text.replace("\n", " ").split())


def _split_venue_sentence(text: str) -> tuple[str, str | None]:
    """``"Title. arXiv 2023."`` -> ``("Title.", "arXiv 2023")`` when the tail is a venue/date tag."""
    m = re.match(r"^(.*?[.?!])\s+([^.?!]{2,60}?)\s*[.,]?\s*$", text)
    if m and parse_tag(m.group(2)) and len(words(m.group(1))) >= 2:
        return m.group(1), m.group(2)
    m = re.match(r"^(.*?)\s*(?:,|\s[-–—]\s)\s*([^,]{2,60}?)\s*\.?\s*$", text)
    if m and (tag := parse_tag(m.group(2))) and tag.venue and len(words(m.group(1))) >= 3:
        return m.group(1), m.group(2)
    return text, None


def _candidates(block: _Block, a: int, b: int) -> list[tuple[int, str]]:
    """(priority, raw title) candidates of an entry; lower priority numbers are better kinds."""
    text = block.text[a:b]
    out: list[tuple[int, str]] = []
    flat = plain(text).replace("\n", " ")
    for m in _QUOTE.finditer(flat):
        after = flat[m.end():m.end() + 3]
        if not re.match(r"[:\w]|\s*:", after) and len(words(m.group(1))) >= 3:  # not '"Nothing Abnormal": ...'
            out.append((0, m.group(1)))
    for m in _BOLD_SPAN.finditer(text):
        inner = m.group(1)
        start = a + m.start()
        before = plain(block.text[max(a, start - 2):start])
        if before.endswith("[") or _venueish(inner) or plain(inner).strip().endswith(":"):
            continue
        if any(s.start <= start < s.end or start <= s.start < a + m.end() for s in block.inline.links
               if is_link_word_text(block.link_text(s))):
            continue  # **[pdf](...)**
        if len(words(inner)) >= 2:
            out.append((1, inner))
    for s in block.links_in(a, b):
        t = block.link_text(s)
        if len(words(t)) >= 2 and not is_link_word_text(t) and not is_anchor(s.href):
            out.append((2, t))
    return out


def _plain_title(block: _Block, spans: list[tuple[int, int]]) -> tuple[str | None, list[str]]:
    """The title from the plain text of the first lines, and the venue tags found around it."""
    tags: list[str] = []
    parts: list[str] = []
    for a, b in spans:
        raw = block.text[a:b]
        text = block.title_text(a, b)
        if not words(text):
            if parts:
                break
            continue
        starts_aside = re.match(f"\\s*[{ITALIC[0]}\\[(]", raw) or bool(re.match(r"\s*$", plain(raw)))
        if parts and (starts_aside or parse_tag(text) or is_date(text)):
            break
        if not parts and (parse_tag(text) or is_date(text)) and len(words(text)) <= 4:
            tags.append(text)
            continue
        parts.append(text)
        if text.rstrip().endswith((".", "?", "!")) or block.links_in(a, b):
            break
    if not parts:
        return None, tags
    title, tail = _split_venue_sentence(" ".join(parts))
    if tail:
        tags.append(tail)
    return title, tags


def _entry(block: _Block, spans: list[tuple[int, int]]) -> Entry | str:
    a, b = spans[0][0], spans[-1][1]
    candidates = _candidates(block, a, b)
    long = [c for c in candidates if len(words(c[1])) >= 3]
    tags: list[str] = []
    if long:
        kind, raw = min(long, key=lambda c: c[0])
        if kind > 0:  # "**Segment Anything Model** for Medical Images: A Survey": the emphasis is part of the title
            alt, alt_tags = _plain_title(block, spans)
            head = [w.casefold() for w in words(raw)]
            if alt and [w.casefold() for w in words(alt)][:len(head)] == head and len(words(alt)) >= len(head) + 3:
                raw, tags = alt, alt_tags
    else:
        raw, tags = _plain_title(block, spans)
        if (raw is None or len(words(raw)) < 2) and candidates:
            raw = max(candidates, key=lambda c: len(words(c[1])))[1]
    raw_plain = " ".join(plain(raw).split()) if raw else None
    title, dropped = split_title(raw_plain)
    if title and len(words(title)) >= 2 and not raw_plain.strip().startswith(("[", "【")):
        # A title ending "... Title. MICCAI 2023" after cleaning: the venue sentence goes too.
        title2, tail = _split_venue_sentence(title)
        if tail:
            title, dropped = split_title(title2)[0], dropped + [tail]
    tags = tags + dropped
    # Venue/date tags elsewhere in the entry: bold tags, bracketed tags, whole-line tags.
    for m in _BOLD_SPAN.finditer(block.text[a:b]):
        if _venueish(m.group(1)):
            tags.append(plain(m.group(1)))
    for m in _ITALIC_SPAN.finditer(block.text[a:b]):
        if _venueish(m.group(1)):
            tags.append(plain(m.group(1)))
    for m in re.finditer(r"[\[【(]([^\[\]【】()]{0,80})[\]】)]", plain(block.text[a:b])):
        if parse_tag(m.group(1)):
            tags.append(m.group(1))
    # What is left around the title and the links: "NEJM AI 2024.", "[April, 2022]", a venue line.
    rest = list(block.text[a:b])
    for s_ in block.links_in(a, b):
        for i in range(s_.start, min(s_.end, b)):
            rest[i - a] = " "
    for chunk in _CHUNKS.split(plain("".join(rest))):
        chunk = " ".join(chunk.split()).strip(" .,")
        if chunk and not (raw_plain and chunk in raw_plain) and parse_tag(chunk):
            tags.append(chunk)
    parsed = [tag for tag in map(parse_tag, tags) if tag]
    # The year of a venue tag ([NAACL, 2021]) is the publication year; a bare date may be the preprint's.
    venue = next((t.venue for t in parsed if t.venue), None)
    year = next((t.year for t in parsed if t.venue and t.year), None) or next((t.year for t in parsed), None)
    links = [Link(s.href.strip(), block.link_text(s)) for s in block.links_in(a, b)]
    best = paper_link(links, title)
    ids: dict[str, str] = {}
    for link in links:
        if link is not best and link_kind(link) == "id":
            found = extract_ids(link.href)
            for k in ID_FIELDS:
                if found[k]:
                    ids.setdefault(k, found[k])
    if not title or not words(title):
        if block.inline.images and not words(plain(block.text[a:b]).replace("\n", " ")):
            return IMAGES_ONLY
        if links and all(is_anchor(link.href) for link in links):
            return TOC
        return NO_TITLE
    # A bold title opening the entry marks it as one even without a link or date (**Title.** + authors).
    structured = _bold_lead(block, *spans[0]) and len(spans) > 1
    if best is None and not (venue or year) and not structured:
        if links and all(is_anchor(link.href) for link in links):
            return TOC
        return NO_LINK
    if best is None and not words(title)[1:] and not (venue and year):
        return NO_TITLE  # one word and no paper link: a label, not a title
    original = raw_plain if raw_plain and raw_plain.rstrip(". ") != title.rstrip(". ") else None
    return Entry(title=title, title_original=original, url=best.href if best else None, ids=ids, venue=venue,
                 year=year, offset=block.text[:a].count("\n"))


def _bold_lead(block: _Block, a: int, b: int) -> bool:
    """Whether line ``[a, b)`` starts (after an optional ``[tag]``) with a bold title."""
    lead = re.match(f"\\s*(?:\\[[^\\]]*\\]\\s*|{BOLD[0]}\\[[^\\]]*\\]{BOLD[1]}\\s*)?{BOLD[0]}(.*?){BOLD[1]}",
                    block.text[a:b], re.S)
    return bool(lead) and len(words(lead.group(1))) >= 2 and not _venueish(lead.group(1))


def _paper_links_in(block: _Block, a: int, b: int) -> bool:
    return any(link_kind(Link(s.href, block.link_text(s))) in {"id", "paper", "named"} for s in block.links_in(a, b))


def _starts_entry(block: _Block, a: int, b: int, current_has_link: bool, current_has_bold: bool) -> bool:
    """Whether line ``[a, b)`` opens a new entry rather than continuing the current one.

    A title line (bold title, quoted title, or three words of own text with a paper link) opens an
    entry once the current entry has its paper link; a bold title line also opens one after another
    bold title line (entries without links).
    """
    stripped = plain(block.text[a:b]).strip()
    if not stripped:
        return False
    bold = _bold_lead(block, a, b)
    if bold and current_has_bold:
        return True
    if not current_has_link:
        return False
    if bold or (stripped[:1] in '"“' and _QUOTE.match(stripped)):
        return True
    own = block.title_text(a, b)
    return _paper_links_in(block, a, b) and len(words(own)) >= 3 and not parse_tag(own)


def read_entries(inline: Inline) -> list[Entry] | str:
    """The entries of one block, or the reason it holds none.

    Reasons: :data:`NO_TITLE`, :data:`NO_LINK`, :data:`IMAGES_ONLY`, :data:`TOC`.
    """
    block = _Block(inline)
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    has_link = has_bold = False
    for a, b in lines(inline):
        if not plain(block.text[a:b]).strip():
            if current and has_link:
                groups.append(current)  # an empty line (a lone backslash) ends an entry
                current, has_link, has_bold = [], False, False
            continue
        if current and _starts_entry(block, a, b, has_link, has_bold):
            groups.append(current)
            current, has_link, has_bold = [], False, False
        current.append((a, b))
        has_link = has_link or _paper_links_in(block, a, b)
        has_bold = has_bold or _bold_lead(block, a, b)
    if current:
        groups.append(current)
    if not groups:
        return IMAGES_ONLY if inline.images else NO_TITLE
    results = [_entry(block, g) for g in groups]
    entries = [r for r in results if isinstance(r, Entry)]
    if entries:
        return entries
    return results[0]
