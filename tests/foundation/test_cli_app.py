import subprocess
import sys

from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.cli.app import _Group
from medvlm_graph.errors import InputError, NetworkError


def test_help_lists_contract_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("seeds", "refresh", "ingest", "build", "trends", "clusters", "gaps", "report", "export"):
        assert name in result.output


def test_error_handler_prints_one_line_and_uses_exit_code(monkeypatch):
    import typer

    probe = typer.Typer(cls=_Group)

    @probe.command()
    def bad(kind: str = "input"):
        raise InputError("the list has no tables") if kind == "input" else NetworkError("API down")

    @probe.command()
    def other():
        pass

    r = CliRunner().invoke(probe, ["bad"])
    assert r.exit_code == 1
    assert r.output.strip() == "Error: the list has no tables"
    r = CliRunner().invoke(probe, ["bad", "--kind", "net"])
    assert r.exit_code == 3 and "Error: API down" in r.output


def test_error_handler_redacts_the_api_key(monkeypatch):
    import typer

    monkeypatch.setenv("S2_API_KEY", "k3y-secret")
    probe = typer.Typer(cls=_Group)

    @probe.command()
    def leak():
        raise InputError("bad key k3y-secret")

    @probe.command()
    def other():
        pass

    r = CliRunner().invoke(probe, ["leak"])
    assert "k3y-secret" not in r.output and "***" in r.output


def test_unknown_command_is_usage_error_exit_2():
    proc = subprocess.run([sys.executable, "-m", "medvlm_graph", "no-such-command"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
