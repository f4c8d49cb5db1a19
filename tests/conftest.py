"""Suite-wide guards: no test reaches the internet, none writes into ./data, and a subprocess runs the
code under test."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

import medvlm_graph

# Tests start the CLI as `sys.executable -m medvlm_graph`: put the package this session imports first on
# the subprocesses' path, so they run this code even when another copy is installed (or none is).
_SOURCE_ROOT = str(Path(medvlm_graph.__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join([_SOURCE_ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])

# Any HTTP request a subprocess (the CLI run as `python -m medvlm_graph`) makes without a local test server
# goes to a dead loopback port, never to the real API (and the socket guard below refuses it anyway).
DEAD_LOOPBACK = "http://127.0.0.1:9"
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ[_var] = DEAD_LOOPBACK
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1"
os.environ["S2_API_URL"] = DEAD_LOOPBACK + "/graph/v1"

# The socket guard, installed now for this process (collection, doctests, session and module fixtures
# included) and, as sitecustomize, for every Python subprocess a test starts.
_GUARD_DIR = str(Path(__file__).resolve().parent / "netguard")
os.environ["PYTHONPATH"] = os.pathsep.join([_GUARD_DIR, os.environ["PYTHONPATH"]])
_spec = importlib.util.spec_from_file_location("medvlm_test_netguard", Path(_GUARD_DIR) / "sitecustomize.py")
netguard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(netguard)  # installs the guard


@pytest.fixture(autouse=True)
def _no_internet_and_isolated_data(monkeypatch, tmp_path_factory):
    """Refuse non-loopback connections and every DNS lookup of a name that is not the machine's own;
    point the default data dir at a temp dir; drop any real key; the default API URL is a dead loopback
    port (a test that forgets its local server fails here, it never reaches the real API)."""
    netguard.install()  # again, in case a test or library put the real functions back
    monkeypatch.setenv("MEDVLM_GRAPH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("S2_API_KEY", raising=False)
    monkeypatch.setenv("S2_API_URL", DEAD_LOOPBACK + "/graph/v1")
    yield

