"""The report's HTML shell: one page, plotly.js embedded once, small inline CSS and JS.

Nothing here loads anything from the network: no CDN, no web fonts, no mathjax.
Figures are written with ``include_plotlyjs=False`` and ``full_html=False``;
the library itself is inlined once in the page head (:func:`page`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from ..markup import esc, safe_url

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}

CSS = """
:root { --fg:#1d1d1f; --muted:#5f6368; --line:#e3e3e3; --accent:#0072B2; --note:#fff7e6; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color:var(--fg);
       background:#fafafa; }
header.top { background:#14324a; color:#fff; padding:22px 32px 18px; }
header.top h1 { margin:0 0 6px; font-size:24px; font-weight:600; }
header.top p { margin:2px 0; color:#d7e3ee; font-size:14px; }
header.top code { color:#fff; }
main { max-width:1180px; margin:0 auto; padding:8px 24px 40px; }
nav.toc { background:#fff; border:1px solid var(--line); border-radius:6px; padding:10px 18px; margin:18px 0; }
nav.toc ol { margin:4px 0; padding-left:20px; columns:2; }
nav.toc a { color:var(--accent); text-decoration:none; }
section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:6px 22px 16px; margin:18px 0; }
section h2 { font-size:20px; border-bottom:1px solid var(--line); padding-bottom:6px; }
.figure { margin:14px 0 22px; }
.guide { color:var(--muted); margin:2px 0 6px; max-width:900px; }
.note { background:var(--note); border-left:4px solid #E69F00; padding:8px 12px; margin:10px 0; }
.stats { display:flex; flex-wrap:wrap; gap:10px; margin:10px 0; }
.stat { border:1px solid var(--line); border-radius:6px; padding:8px 14px; min-width:120px; background:#fcfcfc; }
.stat b { display:block; font-size:20px; }
table { border-collapse:collapse; width:100%; font-size:13px; margin:8px 0; }
th, td { border-bottom:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
th { background:#f3f5f7; position:sticky; top:0; }
table.sortable th { cursor:pointer; user-select:none; }
table.sortable th.asc::after { content:" \\25B2"; font-size:10px; }
table.sortable th.desc::after { content:" \\25BC"; font-size:10px; }
.tablewrap { max-height:520px; overflow:auto; border:1px solid var(--line); }
input.filter { padding:4px 8px; width:320px; margin:6px 0; border:1px solid #ccc; border-radius:4px; }
code, pre { font-family: Menlo, Consolas, monospace; font-size:12.5px; }
pre { white-space:pre-wrap; background:#f6f8fa; padding:10px; }
.gaps { font-size:14px; } .gaps h3 { margin-top:22px; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:16px; }
"""

# Sortable tables (click a header), a text filter per table, and click-to-open for figure points that
# carry a paper link in customdata. Vanilla JS, no library.
JS = """
(function () {
  function cellValue(td) {
    var v = td.getAttribute('data-sort');
    if (v === null) { v = td.textContent.trim(); }
    var n = parseFloat(v);
    return (v !== '' && !isNaN(n) && /^-?[0-9.eE+-]+$/.test(v)) ? n : v.toLowerCase();
  }
  function sortTable(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = !th.classList.contains('asc');
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.classList.remove('asc', 'desc'); });
    th.classList.add(asc ? 'asc' : 'desc');
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[col]), y = cellValue(b.cells[col]);
      if (x === y) { return 0; }
      if (x === '') { return 1; }
      if (y === '') { return -1; }
      if (typeof x === typeof y) { return (x < y ? -1 : 1) * (asc ? 1 : -1); }
      return (typeof x === 'number' ? -1 : 1) * (asc ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    if (!table.tHead) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener('click', function () { sortTable(table, i, th); });
    });
  });
  document.querySelectorAll('input.filter').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-table'));
    input.addEventListener('input', function () {
      var q = input.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.style.display = r.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
      });
    });
  });
  window.addEventListener('load', function () {
    document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
      if (!gd.on) { return; }
      gd.on('plotly_click', function (ev) {
        var p = ev && ev.points && ev.points[0];
        var url = p && p.customdata;
        if (typeof url === 'string' && /^https?:\\/\\//.test(url)) { window.open(url, '_blank', 'noopener'); }
      });
    });
  });
})();
"""


@dataclass
class Section:
    """One report section: an anchor id, a heading and its HTML body."""

    id: str
    title: str
    body: list[str] = field(default_factory=list)

    def add(self, html: str) -> "Section":
        self.body.append(html)
        return self


def figure_html(fig: go.Figure, div_id: str, guidance: str) -> str:
    """A figure without the library (``include_plotlyjs=False``), preceded by its reading guidance."""
    div = fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False, config=PLOTLY_CONFIG,
                      div_id=div_id, default_width="100%", default_height=f"{int(fig.layout.height or 450)}px")
    return f'<div class="figure"><p class="guide">{esc(guidance)}</p>\n{div}\n</div>'


def note_html(text: str) -> str:
    """A highlighted note (plain text, escaped)."""
    return f'<p class="note">{esc(text)}</p>'


def stats_html(items: list[tuple[str, object]]) -> str:
    cells = "".join(f'<div class="stat"><b>{esc(v)}</b>{esc(k)}</div>' for k, v in items)
    return f'<div class="stats">{cells}</div>'


def table_html(df: pd.DataFrame, table_id: str, *, link_col: str | None = None, title_col: str = "title",
               caption: str | None = None) -> str:
    """A sortable, filterable table; every cell escaped, the title linked when ``link_col`` holds an http(s) URL."""
    cols = [c for c in df.columns if c != link_col]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    rows = []
    for rec in df.to_dict("records"):
        tds = []
        for c in cols:
            v = rec.get(c)
            text = esc(v)
            if c == title_col and link_col and safe_url(rec.get(link_col)):
                text = f'<a href="{safe_url(rec.get(link_col))}" rel="noopener noreferrer" target="_blank">{text}</a>'
            sort = f' data-sort="{esc(v)}"' if isinstance(v, (int, float)) and not pd.isna(v) else ""
            tds.append(f"<td{sort}>{text}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    cap = f'<p class="guide">{esc(caption)}</p>' if caption else ""
    return (f'{cap}<input class="filter" type="search" placeholder="filter rows…" data-table="{esc(table_id)}">'
            f'<div class="tablewrap"><table class="sortable" id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")


def page(title: str, header_html: str, sections: list[Section], *, plotly_js: str, footer: str = "") -> str:
    """The whole document: head with CSS and plotly.js (once), header, TOC, sections, inline JS."""
    toc = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>' for s in sections)
    body = "\n".join(
        f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>\n' + "\n".join(s.body) + "\n</section>" for s in sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'">
<title>{esc(title)}</title>
<style>{CSS}</style>
<script type="text/javascript">{plotly_js}</script>
</head>
<body>
{header_html}
<main>
<nav class="toc" id="contents"><b>Contents</b><ol>{toc}</ol></nav>
{body}
</main>
<footer>{footer}</footer>
<script type="text/javascript">{JS}</script>
</body>
</html>
"""
