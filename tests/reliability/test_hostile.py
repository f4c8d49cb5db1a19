"""Hostile strings in titles, venues, author names and paper ids stay inert in every output.

The data dir is hand-written (hostile_data.py, SYNTHETIC): build, report,
export (all formats) and the analyses run on it through the CLI, then each
output is checked where its consumer would interpret markup: the HTML page
(parsed), the plotly figures' hover texts, CSV cells (spreadsheet formulas),
GraphML/GEXF (well-formed XML that round-trips), VOSviewer JSON and gaps.md.
Paper ids served by the fake API never become file or URL paths.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import hostile_data as H
import networkx as nx
import pytest
from rel_support import FakeS2, P, mini_seeds, mini_world, write_seeds, fast_refresh_args
from typer.testing import CliRunner

from medvlm_graph import tables
from medvlm_graph.cli import app
from medvlm_graph.errors import MedvlmError
from medvlm_graph.paths import DataPaths

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def invoke(data_dir, *args):
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    d = root / "data"
    H.write(d)
    invoke(d, "build")
    invoke(d, "report")
    for fmt in ("csv", "graphml", "gexf", "vosviewer"):
        invoke(d, "export", "--format", fmt)
    invoke(d, "gaps")
    invoke(d, "trends")
    return d


def outputs(d: Path, suffix: str) -> list[Path]:
    return sorted(p for p in (d / "processed").rglob(f"*{suffix}") if p.is_file())


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): (v or "") for k, v in attrs}))


def test_report_page_carries_the_data_but_no_injected_markup(hostile):
    page = (DataPaths(hostile).report_dir / "index.html").read_text(encoding="utf-8")
    assert page.count("alert(1)") >= 5, "the hostile titles never reached the report: the test proves nothing"
    assert H.XSS not in page and "<img src=x" not in page.lower()
    parser = _Tags()
    parser.feed(page)
    assert not [t for t, _ in parser.tags if t == "img"]
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            assert not (name.startswith("on") and "alert" in value), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith(("javascript:", "data:text/html")), (tag, name, value)


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)
    elif hasattr(obj, "tolist"):
        yield from _strings(obj.tolist())


def test_hover_texts_and_labels_of_every_figure_are_escaped(hostile):
    from medvlm_graph.report.figures import FIGURES, make_figure

    seen_escaped, checked, crashed = False, 0, []
    for name in FIGURES:
        try:
            fig = make_figure(name, hostile)
        except MedvlmError:
            continue  # a figure this data cannot make (reported by the report itself)
        except Exception as exc:  # noqa: BLE001 - a crash is a finding of its own, reported below
            crashed.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        checked += 1
        for s in _strings(fig.to_plotly_json()):
            low = s.lower()
            assert "<script" not in low and "<img" not in low and "<iframe" not in low, (name, s[:200])
            assert not re.search(r"<a\s[^>]*href\s*=\s*['\"]?\s*javascript:", low), (name, s[:200])
            seen_escaped |= "&lt;script&gt;" in s
    assert checked >= 8 and seen_escaped, "no figure showed a hostile title: the test proves nothing"
    assert not crashed, f"figures that crash on this data: {crashed}"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def test_csv_files_have_no_spreadsheet_formulas(hostile):
    files = outputs(hostile, ".csv")
    assert len(files) >= 10
    offenders, quoted = [], 0
    for f in files:
        with f.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell.startswith(FORMULA_START) and not _is_number(cell):
                        offenders.append(f"{f.relative_to(hostile)}: {cell[:60]!r}")
                    quoted += cell.startswith("'=HYPERLINK")
    assert quoted >= 2, "the formula titles never reached a CSV export: the test proves nothing"
    assert not offenders, f"{len(offenders)} cells would run as formulas, e.g. " + "; ".join(offenders[:6])


def test_graphml_and_gexf_are_well_formed_and_round_trip_the_strings(hostile):
    files = outputs(hostile, ".graphml") + outputs(hostile, ".gexf")
    assert len(files) == 15  # 7 graphs x 2 formats, and the co-word map the report writes with its analyses
    for f in files:
        ET.parse(f)  # well-formed
        assert "<script>" not in f.read_text(encoding="utf-8")
    G = nx.read_graphml(DataPaths(hostile).exports / "citation.graphml")
    assert {d["title"] for _, d in G.nodes(data=True)} == set(H.TITLES)  # escaped on write, exact on read
    assert set(G.nodes) == set(H.paper_ids())
    A = nx.read_graphml(DataPaths(hostile).exports / "coauthor.graphml")
    names = {d.get("name") or d.get("label") for _, d in A.nodes(data=True)}
    assert set(H.AUTHORS) <= names


def test_vosviewer_descriptions_are_escaped(hostile):
    for f in outputs(hostile, ".json"):
        if f.parent.name != "exports":
            continue
        for item in json.loads(f.read_text(encoding="utf-8"))["network"]["items"]:
            desc = item.get("description", "")
            assert "<script" not in desc.lower() and "<img" not in desc.lower(), (f.name, desc)


def test_gaps_markdown_cannot_inject_html_or_links(hostile):
    for f in outputs(hostile, "gaps.md"):
        text = f.read_text(encoding="utf-8")
        assert "alert(1)" in text, f"{f} lists no hostile title: the test proves nothing"
        bad = [ln.strip()[:120] for ln in text.splitlines()
               if re.search(r"(?<!\\)<\s*(script|img|iframe)|(?<!\\)\]\(\s*javascript:", ln, re.I)]
        assert not bad, f"{f.relative_to(hostile)} renders markup from data: {bad[:3]}"


def test_seeds_out_csv_has_no_spreadsheet_formulas(tmp_path):
    src = tmp_path / "hostile.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "url", "venue"])
        for t, v in zip(H.TITLES, H.VENUES):
            w.writerow([t, "https://arxiv.org/abs/2301.00001", v])
    out = tmp_path / "seeds_out.csv"
    invoke(tmp_path / "data", "seeds", "--source", str(src), "--out", str(out))
    with out.open(newline="", encoding="utf-8") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert any(c.startswith("'=HYPERLINK") or "HYPERLINK" in c for c in cells)
    bad = [c[:60] for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert not bad, f"seeds --out CSV cells that would run as formulas: {bad}"


# --------------------------------------------------------------------------- ids from the API
def _hostile_world():
    """The mini world plus papers whose paperIds are path pieces (SYNTHETIC)."""
    from rel_support import make_paper

    w = mini_world()
    for i, pid in enumerate(H.WEIRD_IDS):
        paper = make_paper(f"{i + 1:040x}", f"Synthetic paper with a hostile id {i}", n=i)
        paper["paperId"] = pid
        w.papers[pid] = paper
        w.refs[pid] = []
        w.refs[P["A"]].append({"paperId": pid, "isInfluential": False, "intents": []})
    w.aliases["DOI:10.5555/EVIL.0001"] = "../../etc/passwd"  # a seed that resolves to a hostile id
    return w.finish()


def test_paper_ids_from_the_api_never_become_paths(tmp_path, monkeypatch):
    work = tmp_path / "work"
    d = work / "data"
    seeds = mini_seeds()
    extra = tables.conform(seeds.iloc[[0]].assign(seed_id="r99", title="Synthetic evil seed", arxiv_id=None,
                                                  doi="10.5555/evil.0001"), "seeds")
    write_seeds(d, tables.conform(__import__("pandas").concat([seeds, extra], ignore_index=True), "seeds"))
    monkeypatch.chdir(work)
    server = FakeS2(_hostile_world()).start()
    try:
        result = CliRunner().invoke(app, ["--data-dir", str(d), *fast_refresh_args(server.base_url)])
        paths = [r["path"] for r in server.log]
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    fetched = __import__("pandas").read_parquet(DataPaths(d).fetched_table("papers"))
    assert set(H.WEIRD_IDS) <= set(fetched["paper_id"])  # kept as data
    invoke(d, "build")
    invoke(d, "export", "--format", "csv")
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and d not in p.parents]
    assert not outside, f"files written outside the data dir: {outside}"
    cache = [p for p in DataPaths(d).s2_cache.rglob("*") if p.is_file()]
    assert cache and all(re.fullmatch(r"[0-9a-f]{64}\.json", p.name) for p in cache)
    assert all(p.parent.parent == DataPaths(d).s2_cache for p in cache)
    escaped = [p for p in paths if not p.startswith("/graph/v1/paper/")]
    assert not escaped, f"a paper id from the API changed the request path: {escaped}"
