"""Escaping helpers and the safe markdown subset."""

from __future__ import annotations

from medvlm_graph.report.escape import esc, markdown_to_html, safe_url, script_json


def test_esc_and_safe_url():
    assert esc('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert esc(float("nan")) == "" and esc(None) == ""
    assert safe_url("JavaScript:alert(1)") == "" and safe_url("data:text/html,x") == ""
    assert safe_url(' https://x.org/a?b="c" ') == "https://x.org/a?b=&quot;c&quot;"
    assert script_json('{"a": "</script>"}') == '{"a": "\\u003c/script\\u003e"}'


def test_markdown_subset():
    md = "# Gaps\n\nSome **bold** and `code` <b>raw</b>.\n\n- one\n  continued\n    - nested\n\n| a | b |\n|---|---|\n| 1 | <i>2</i> |\n"
    assert markdown_to_html(md) == (
        "<h3>Gaps</h3>\n"
        "<p>Some <strong>bold</strong> and <code>code</code> &lt;b&gt;raw&lt;/b&gt;.</p>\n"
        '<ul>\n<li>one</li>\n<li class="l1 cont">continued</li>\n<li class="l2">nested</li>\n</ul>\n'
        '<table class="sortable"><thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n'
        "<tr><td>1</td><td>&lt;i&gt;2&lt;/i&gt;</td></tr>\n</tbody></table>")


def test_markdown_cannot_inject():
    out = markdown_to_html("**<script>alert(1)</script>** `<img src=x onerror=alert(1)>`")
    assert "<script" not in out and "<img" not in out
