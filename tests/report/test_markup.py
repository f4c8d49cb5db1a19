"""The one HTML escape, safe links, and markdown rendered by markdown-it-py with raw HTML off."""

from __future__ import annotations

from medvlm_graph.markup import esc, markdown_to_html, md_escape, safe_url


def test_esc_and_safe_url():
    assert esc('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert esc(float("nan")) == "" and esc(None) == "" and esc([1, 2]) == "[1, 2]"
    assert esc("a\n\tb") == "a b" and esc("abcdef", limit=4) == "abc…"
    assert safe_url("JavaScript:alert(1)") == "" and safe_url("data:text/html,x") == ""
    assert safe_url(' https://x.org/a?b="c" ') == "https://x.org/a?b=&quot;c&quot;"


def test_markdown_rendering():
    md = ("# Gaps\n\nSome **bold** and `code` <b>raw</b>.\n\n- one\n  - nested\n\n"
          "| a | b |\n|---|---|\n| 1 | <i>2</i> \\| 3 |\n")
    assert markdown_to_html(md) == (
        "<h3>Gaps</h3>\n"
        "<p>Some <strong>bold</strong> and <code>code</code> &lt;b&gt;raw&lt;/b&gt;.</p>\n"
        "<ul>\n<li>one\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n"
        '<table class="sortable">\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n'
        "<tbody>\n<tr>\n<td>1</td>\n<td>&lt;i&gt;2&lt;/i&gt; | 3</td>\n</tr>\n</tbody>\n</table>\n")
    assert markdown_to_html("###### deep", heading_offset=2) == "<h6>deep</h6>\n"


def test_markdown_cannot_inject():
    out = markdown_to_html("**<script>alert(1)</script>** `<img src=x onerror=alert(1)>`\n\n<div onclick=x>y</div>\n\n"
                           "[click](javascript:alert(1)) ![i](data:text/html,x)")
    assert "<script" not in out and "<img" not in out and "<div" not in out
    assert "<a " not in out and "[click](javascript:alert(1))" in out  # a javascript: link stays text


def test_md_escape_keeps_data_literal():
    text = "<b>x</b> [a](javascript:1) *y* `z` | w\nnext"
    assert markdown_to_html(md_escape(text)) == (
        "<p>&lt;b&gt;x&lt;/b&gt; [a](javascript:1) *y* `z` | w next</p>\n")
