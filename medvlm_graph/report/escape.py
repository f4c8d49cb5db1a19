"""Escaping for the report: every string from data goes through :func:`esc` or :func:`safe_url`.

:func:`markdown_to_html` renders the small markdown subset the gap report uses
(headings, paragraphs, bullet lists, pipe tables, ``code`` and **bold**). It
escapes the whole text first and only then adds tags, so no markup from data
can ever reach the page.
"""

from __future__ import annotations

import html
import re

import pandas as pd


def esc(value: object) -> str:
    """HTML-escape any value for text or attribute context (None/NaN -> "").

    Examples
    --------
    >>> esc('"><img src=x onerror=alert(1)>')
    '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
    >>> esc(None), esc(2021)
    ('', '2021')
    """
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def safe_url(url: object) -> str:
    """``url`` escaped for an ``href`` when it is http(s), else "" (no ``javascript:`` links).

    Examples
    --------
    >>> safe_url("https://arxiv.org/abs/2303.00915?a=1&b=2")
    'https://arxiv.org/abs/2303.00915?a=1&amp;b=2'
    >>> safe_url("javascript:alert(1)")
    ''
    """
    if not isinstance(url, str):
        return ""
    url = url.strip()
    if not re.match(r"^https?://", url, flags=re.IGNORECASE):
        return ""
    return html.escape(url, quote=True)


def script_json(text: str) -> str:
    """Make a JSON/JS string safe inside a ``<script>`` element (no ``</script>`` or ``<!--``)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
]


# A markdown backslash escape (CommonMark: any ASCII punctuation) keeps the character literal.
_BACKSLASH = re.compile(r"\\([!-/:-@\[-`{-~])")
_STASH = re.compile("\x00(\\d+)\x00")


def _inline(text: str) -> str:
    stash: list[str] = []

    def keep(m: re.Match) -> str:
        stash.append(m.group(1))
        return f"\x00{len(stash) - 1}\x00"

    out = html.escape(_BACKSLASH.sub(keep, text.replace("\x00", "")), quote=True)
    for pattern, repl in _INLINE:
        out = pattern.sub(repl, out)
    # Escaped characters come back as literal (HTML-escaped) text, after the inline rules ran.
    return _STASH.sub(lambda m: html.escape(stash[int(m.group(1))], quote=True), out)


def _is_table_sep(line: str) -> bool:
    return bool(re.match(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$", line))


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]  # an escaped \| stays in its cell


def markdown_to_html(md: str, *, heading_offset: int = 2) -> str:
    """Render a markdown subset safely: escape first, then add a few tags.

    Headings ``#``..``####`` become ``<h{n+offset}>`` (capped at h6); ``- `` / ``* ``
    lines become a list (indented bullets and indented continuation lines stay in it, with
    classes ``l1``.. for their level and ``cont`` for continuations); pipe tables (header, ``---`` separator, rows) become a
    table with class ``sortable``; other lines become paragraphs.

    Examples
    --------
    >>> markdown_to_html("# Gaps\\n- **vqa** x <b>ct</b>")
    '<h3>Gaps</h3>\\n<ul>\\n<li><strong>vqa</strong> x &lt;b&gt;ct&lt;/b&gt;</li>\\n</ul>'
    """
    lines = (md or "").splitlines()
    out: list[str] = []
    para: list[str] = []
    i = 0

    def flush() -> None:
        if para:
            out.append("<p>" + " ".join(_inline(p) for p in para) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        m = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if not stripped:
            flush()
            i += 1
        elif m:
            flush()
            level = min(len(m.group(1)) + heading_offset, 6)
            out.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
            i += 1
        elif re.match(r"^[-*]\s+", stripped):
            flush()
            items = []
            # a list runs on over bullets and indented continuation lines; indentation gives the level
            while i < len(lines) and (re.match(r"^\s*[-*]\s+", lines[i]) or
                                      (items and lines[i].startswith(" ") and lines[i].strip())):
                raw = lines[i]
                level = min((len(raw) - len(raw.lstrip(" "))) // 2, 4)
                bullet = re.match(r"^\s*[-*]\s+", raw)
                text = _inline(raw[bullet.end():] if bullet else raw.strip())
                cls = f"l{level}" + ("" if bullet else " cont")
                items.append(f'<li class="{cls}">{text}</li>' if (level or not bullet) else f"<li>{text}</li>")
                i += 1
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
        elif stripped.startswith("|") and i + 1 < len(lines) and _is_table_sep(lines[i + 1]):
            flush()
            head = _cells(lines[i])
            i += 2
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            th = "".join(f"<th>{_inline(c)}</th>" for c in head)
            body = "\n".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in rows)
            out.append(f'<table class="sortable"><thead><tr>{th}</tr></thead><tbody>\n{body}\n</tbody></table>')
        else:
            para.append(stripped)
            i += 1
    flush()
    return "\n".join(out)
