"""Markup for every output: one HTML escape, safe links, markdown made literal, markdown rendered.

Every string that comes from data and ends up in HTML (the report, figure hover text, the
notebook summary, VOSviewer descriptions) goes through :func:`esc` (or :func:`safe_url` for a
link); every string from data written into markdown (``gaps.md``) goes through
:func:`md_escape`. Markdown becomes HTML through :func:`markdown_to_html`: markdown-it-py's
CommonMark parser with GitHub tables and raw HTML turned off, so no markup from data can reach a
page.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from markdown_it import MarkdownIt


def esc(value: object, limit: int | None = None) -> str:
    """HTML-escape any value for text or attribute context, runs of white space folded to one space.

    Parameters
    ----------
    value : object
        ``None`` and missing values (NaN, ``pd.NA``) give ``""``; anything else is ``str()``-ed.
    limit : int, optional
        Shorten to at most ``limit`` characters (the last one an ellipsis) before escaping.

    Examples
    --------
    >>> esc('"><img src=x onerror=alert(1)>')
    '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
    >>> esc(None), esc(float("nan")), esc(2021), esc(" a\\n b "), esc("a" * 10, limit=5)
    ('', '', '2021', 'a b', 'aaaa…')
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        try:
            if pd.isna(value):
                return ""
        except (TypeError, ValueError):  # list-likes: pd.isna answers element-wise
            pass
    text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=True)


def safe_url(url: object) -> str:
    """``url`` escaped for an ``href`` when it is http(s), else "" (no ``javascript:`` or ``data:`` links).

    Examples
    --------
    >>> safe_url("https://arxiv.org/abs/2303.00915?a=1&b=2")
    'https://arxiv.org/abs/2303.00915?a=1&amp;b=2'
    >>> safe_url("javascript:alert(1)"), safe_url(None)
    ('', '')
    """
    if not isinstance(url, str):
        return ""
    url = url.strip()
    if not re.match(r"^https?://", url, flags=re.IGNORECASE):
        return ""
    return html.escape(url, quote=True)


# Markdown (and inline HTML) characters that data must never use: backslash-escaped (CommonMark).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!])")


def md_escape(text: object) -> str:
    r"""Data text made literal in markdown: no emphasis, links, images, code, table cells or HTML.

    White space runs (newlines too) fold to one space, so a value stays on its line or table row.

    Examples
    --------
    >>> print(md_escape("<b>x</b> [a](javascript:1) *y* | z"))
    \<b\>x\</b\> \[a\](javascript:1) \*y\* \| z
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


# CommonMark + GitHub tables; raw HTML is shown as text, links other than http(s)/mailto are refused
# by markdown-it's own validateLink; no linkify, no typographer.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_to_html(md: str, *, heading_offset: int = 2) -> str:
    """Render markdown as HTML safely (markdown-it-py, CommonMark with tables, raw HTML off).

    Parameters
    ----------
    md : str
    heading_offset : int
        Added to every heading level (capped at h6), so that ``#`` fits under the page's own headings.

    Returns
    -------
    str
        The HTML; tables carry ``class="sortable"`` (the report sorts them on a header click).

    Examples
    --------
    >>> print(markdown_to_html("# Gaps\\n- **vqa** x <b>ct</b>"))
    <h3>Gaps</h3>
    <ul>
    <li><strong>vqa</strong> x &lt;b&gt;ct&lt;/b&gt;</li>
    </ul>
    <BLANKLINE>
    """
    tokens = _MARKDOWN.parse(md or "")
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close"):
            tok.tag = f"h{min(int(tok.tag[1:]) + heading_offset, 6)}"
        elif tok.type == "table_open":
            tok.attrSet("class", "sortable")
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
