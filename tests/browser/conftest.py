"""Headless Chromium for the browser tests (Debian's chromium + chromium-driver).

Nothing is installed here: the tests skip, with the reason, only when no browser or driver exists
(`.ci/run` installs them with `apt-get install -y chromium chromium-driver`).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

_spec = importlib.util.spec_from_file_location(
    "medvlm_browser_synthetic", Path(__file__).parents[1] / "report" / "synthetic.py")
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).exists()), None)
DRIVER = next((p for p in ("/usr/bin/chromedriver", shutil.which("chromedriver") or "")
               if p and Path(p).exists()), None)
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="module")
def driver():
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("no headless Chromium here (install Debian's chromium and chromium-driver to run this test)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="medvlm-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1000"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(DRIVER), options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def requested_urls(drv) -> list[str]:
    """Every URL the page requested, from the DevTools performance log (drains the log)."""
    urls = []
    for entry in drv.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def is_local(url: str) -> bool:
    u = urlparse(url)
    return u.scheme in LOCAL_SCHEMES or (u.scheme in {"http", "https", "ws"} and u.hostname in LOCAL_HOSTS)


FIGURE_STATE_JS = """
return Array.from(document.querySelectorAll('.js-plotly-plot')).map(function (gd) {
  return {id: gd.id, traces: (gd.data || []).length,
          drawn: gd.querySelectorAll('.main-svg').length > 0 && !!gd._fullLayout};
});
"""


def wait_for_figures(drv, expected: int, timeout: float = 30.0) -> list[dict]:
    """Wait until ``expected`` plots are drawn; return their state."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(drv, timeout).until(
        lambda d: len([f for f in d.execute_script(FIGURE_STATE_JS) if f["drawn"]]) >= expected)
    return drv.execute_script(FIGURE_STATE_JS)


@pytest.fixture
def tools():
    """The helpers above, for the test module (conftest is not importable by name under importlib mode)."""
    import types

    return types.SimpleNamespace(requested_urls=requested_urls, is_local=is_local, wait_for_figures=wait_for_figures,
                                 figure_state_js=FIGURE_STATE_JS, synthetic=synthetic)
