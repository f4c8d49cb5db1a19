"""S2_API_KEY: sent on every request, written nowhere, printed nowhere, at any verbosity, on any path.

The key is a distinctive made-up value (rel_support.KEY). After refresh (real
subprocess, --verbose, with retries), build, report, export, trends and gaps
(--verbose), and after error paths (403, exit 3 after retries, nothing
listening), every byte of every file under the data dir and every line of
stdout/stderr is searched for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from rel_support import KEY, FakeS2, Fault, cli_env, fast_refresh_args, mini_world, run_cli
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.paths import DataPaths

FORMS = {KEY.encode(), quote(KEY, safe="").encode(), KEY.encode("utf-16-le"), KEY[::-1].encode()}


def assert_nowhere(root: Path, *texts: str) -> int:
    """No file under ``root`` and none of ``texts`` holds the key; returns the number of files searched."""
    n = 0
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            n += 1
            for form in FORMS:
                assert form not in data, f"the API key is in {p}"
    for t in texts:
        assert KEY not in t and KEY[:12] not in t, f"the API key was printed: {t[:2000]}"
    return n


@pytest.fixture
def keyed(monkeypatch):
    monkeypatch.setenv("S2_API_KEY", KEY)
    return cli_env(S2_API_KEY=KEY)


def test_key_is_sent_on_every_request_and_stored_or_printed_nowhere(tmp_path, data_dir, keyed):
    server = FakeS2(mini_world(), valid_keys={KEY}).start()
    server.faults = [Fault("429", times=2, retry_after="0"), Fault("drop", times=1)]
    try:
        proc = run_cli(["--verbose", "--data-dir", str(data_dir), *fast_refresh_args(server.base_url)], env=keyed,
                       timeout=120)
        log = list(server.log)
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr
    assert len(log) >= 15 and [r["key"] for r in log] == [KEY] * len(log)  # retries carry it too
    printed = [proc.stdout, proc.stderr]
    for args in (["build"], ["report"], ["export", "--format", "csv"], ["export", "--format", "graphml"],
                 ["trends"], ["gaps"]):
        result = CliRunner().invoke(app, ["--verbose", "--data-dir", str(data_dir), *args], env={"S2_API_KEY": KEY})
        assert result.exit_code == 0, result.output
        printed.append(result.output)
    paths = DataPaths(data_dir)
    assert paths.manifest.exists() and (paths.report_dir / "index.html").exists()
    assert assert_nowhere(tmp_path, *printed) >= 40


@pytest.mark.parametrize("case", ["refused-403", "exit-3", "nothing-listening"])
def test_error_paths_never_show_the_key(tmp_path, data_dir, keyed, case):
    server = FakeS2(mini_world(), valid_keys={"some-other-key"} if case == "refused-403" else {KEY}).start()
    if case == "exit-3":
        server.faults = [Fault("503", times=None)]
    url = server.base_url
    if case == "nothing-listening":
        server.stop()
    try:
        proc = run_cli(["--verbose", "--data-dir", str(data_dir), *fast_refresh_args(url, "--retries", "1")],
                       env=keyed, timeout=120)
    finally:
        if case != "nothing-listening":
            server.stop()
    assert proc.returncode == 3, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr
    if case == "refused-403":
        assert "S2_API_KEY" in errors[0] and "403" in errors[0]  # names the variable, never its value
        assert [r["key"] for r in server.log] == [KEY]
    assert_nowhere(tmp_path, proc.stdout, proc.stderr)


def test_redaction_covers_messages_that_would_quote_the_key(monkeypatch):
    """Belt and braces: even an error message built from the key is printed redacted."""
    from medvlm_graph.errors import NetworkError

    monkeypatch.setenv("S2_API_KEY", KEY)

    @app.command("rel-raise-with-key", hidden=True)
    def _boom() -> None:  # a command that (wrongly) puts the key in its error
        raise NetworkError(f"request with x-api-key={KEY} failed")

    try:
        result = CliRunner().invoke(app, ["rel-raise-with-key"])
    finally:
        app.registered_commands[:] = [c for c in app.registered_commands if c.name != "rel-raise-with-key"]
    assert result.exit_code == 3
    assert KEY not in result.output and re.search(r"x-api-key=\*\*\*", result.output)
