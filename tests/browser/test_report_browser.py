"""The report in a real browser: every figure drawn, no console error, no request off the machine, no XSS.

Each report is written once and opened once (module fixtures); the tests then read the open page.
"""

from __future__ import annotations

import pytest

from medvlm_graph.report import write_report

pytestmark = pytest.mark.browser


def _load(driver, tools, path, n_figures):
    driver.get_log("browser")  # drain what earlier pages left
    driver.get_log("performance")
    driver.get(path.resolve().as_uri())
    figures = tools.wait_for_figures(driver, n_figures)
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return {"figures": figures, "severe": severe, "urls": tools.requested_urls(driver), "path": path}


def test_snapshot_report_renders_offline(driver, tools, tmp_path):
    """`report` on the shipped snapshot alone, in a temp data dir: every figure has data and is drawn."""
    path = write_report(tmp_path / "data")
    n_divs = path.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    assert n_divs >= 8  # three day-one figures, label figures, trends, clusters
    page = _load(driver, tools, path, n_divs)
    assert len(page["figures"]) == n_divs
    assert [f["id"] for f in page["figures"] if f["traces"] < 1 or not f["drawn"]] == []
    assert page["severe"] == []
    urls = page["urls"]
    assert urls and all(tools.is_local(u) for u in urls), [u for u in urls if not tools.is_local(u)]


@pytest.fixture
def hostile_page(driver, tools, tmp_path_factory):
    # loaded once per browser session: the page stays open for the tests that follow
    key = "_medvlm_hostile_page"
    if not hasattr(driver, key):
        data = tools.synthetic.write_data_dir(tmp_path_factory.mktemp("hostile") / "data", hostile=True)
        setattr(driver, key, _load(driver, tools, write_report(data), 21))
    return getattr(driver, key)


def test_hostile_data_stays_inert(driver, tools, hostile_page):
    """Titles, venues and authors with markup: shown as text, no script runs, every figure drawn."""
    html = hostile_page["path"].read_text(encoding="utf-8")
    assert tools.synthetic.XSS_SCRIPT not in html and "<img src=x" not in html
    ids = [f["id"] for f in hostile_page["figures"]]
    assert len(ids) == 21 and "fig-network" in ids
    assert [f["id"] for f in hostile_page["figures"] if f["traces"] < 1 or not f["drawn"]] == []
    assert driver.execute_script("return window.__xss === undefined") is True
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    cells = driver.execute_script(
        "return Array.from(document.querySelectorAll('#table-papers td')).map(function (td) {"
        " return td.textContent; });")
    assert any("<script>window.__xss = 1</script>" in c for c in cells)  # visible as text
    assert "Ada Synthetic <script>window.__xss = 1</script>" in cells  # an author name, as text
    assert hostile_page["severe"] == []
    assert all(tools.is_local(u) for u in hostile_page["urls"])


def test_tables_sort_on_header_click(driver, hostile_page):
    col = ("return Array.from(document.querySelectorAll('#table-papers tbody tr td:nth-child(5)'))"
           ".map(function (td) { return td.textContent; });")
    assert driver.execute_script(col) == ["100", "10", "8", "5", "3", "2", "1", "0"]  # most cited first
    driver.execute_script("document.querySelectorAll('#table-papers th')[4].click();")
    assert driver.execute_script(col) == ["0", "1", "2", "3", "5", "8", "10", "100"]
    driver.execute_script("document.querySelectorAll('#table-papers th')[4].click();")
    assert driver.execute_script(col)[0] == "100"
