import re
import subprocess
import sys

import click.testing
import typer
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.cli.app import _Group
from medvlm_graph.errors import InputError, NetworkError


# The commands of DESIGN.md's command-line contract that exist now. The contract also names
# `candidates` and `diff`: add them here when they are built.
CONTRACT_COMMANDS = ("seeds", "refresh", "ingest", "build", "trends", "clusters", "gaps", "report", "export")


def _listed_commands(help_text: str) -> list[str]:
    """Command names in the "Commands" panel of rich's --help (first word of each entry line)."""
    panel = help_text.split("Commands", 1)[1].split("╰", 1)[0]
    return re.findall(r"^│ (\S+)\s{2,}", panel, flags=re.M)


def test_help_lists_contract_commands():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    listed = _listed_commands(result.output)
    assert [c for c in CONTRACT_COMMANDS if c not in listed] == []


def test_help_check_fails_when_a_command_is_missing():
    group = typer.main.get_command(app)
    group.commands = {k: v for k, v in group.commands.items() if k != "gaps"}
    result = click.testing.CliRunner().invoke(group, ["--help"], env={"COLUMNS": "120"})
    listed = _listed_commands(result.output)
    assert "gaps" not in listed and "gaps" in result.output  # named in another command's help, not listed
    assert [c for c in CONTRACT_COMMANDS if c not in listed] == ["gaps"]


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
