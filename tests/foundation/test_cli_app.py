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
CONTRACT_COMMANDS = ("seeds", "refresh", "ingest", "build", "trends", "clusters", "gaps", "report", "export",
                     "candidates", "diff")


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


# --- global options, help, version, the data directory (issue 16, points 6 and 8) -------------------------------

COMMANDS = ("seeds", "refresh", "ingest", "build", "labels", "trends", "clusters", "gaps", "export", "report", "plot")


def test_global_options_are_accepted_after_the_command(tmp_path):
    data = tmp_path / "d"
    r = CliRunner().invoke(app, ["build", "--quiet", "--data-dir", str(data)])
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and (data / "processed" / "papers.parquet").exists()
    r = CliRunner().invoke(app, ["labels", "-q", "--data-dir", str(data)])
    assert r.exit_code == 0 and r.stdout == ""
    r = CliRunner().invoke(app, ["labels", "--data-dir", str(data), "--verbose"])
    assert r.exit_code == 0 and r.stdout.startswith("480 labels on 219 of 219 papers")


def test_a_data_dir_after_the_command_wins_over_one_before(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    src = tmp_path / "list.csv"
    src.write_text("title,section\nA synthetic paper on chest X-ray VQA,VQA\n")
    r = CliRunner().invoke(app, ["--data-dir", str(before), "seeds", "--source", str(src), "--data-dir", str(after)])
    assert r.exit_code == 0, r.output
    assert (after / "raw" / "seeds.parquet").exists() and not (before / "raw").exists()


def test_global_options_after_the_command_in_a_subprocess(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "medvlm_graph", "seeds", "--quiet", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""


def test_flags_show_as_flags_in_help():
    for args in ([], *([c] for c in COMMANDS)):
        r = CliRunner().invoke(app, [*args, "--help"], terminal_width=200)
        assert r.exit_code == 0, (args, r.output)
        assert "<bool>" not in r.output, args
    r = CliRunner().invoke(app, ["labels", "--help"], terminal_width=200)
    rows = [line.strip("│ ").split() for line in r.output.splitlines()]
    lines = {row[0]: row for row in rows if row and row[0].startswith("--")}
    assert lines["--evaluate"][1:3] == ["Report", "the"]  # the help text follows the flag directly
    for name in ("--data-dir", "--quiet", "--verbose"):  # the global options are listed with every command
        assert name in lines


def test_version():
    from medvlm_graph import __version__

    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout == f"medvlm-graph {__version__}\n"


def test_a_missing_data_dir_is_created_with_a_note(tmp_path):
    data = tmp_path / "new" / "data"
    r = CliRunner().invoke(app, ["seeds", "--data-dir", str(data)])  # reads only: nothing to create
    assert r.exit_code == 0 and r.stderr == "" and not data.exists()
    src = tmp_path / "list.csv"
    src.write_text("title,section\nA synthetic paper on chest X-ray VQA,VQA\n")
    r = CliRunner().invoke(app, ["seeds", "--source", str(src), "--data-dir", str(data)])
    assert r.exit_code == 0, r.output
    assert r.stderr == f"note: created the data directory {data}\n" and data.is_dir()
    r = CliRunner().invoke(app, ["seeds", "--source", str(src), "--data-dir", str(data)])
    assert r.stderr == ""  # once
    r = CliRunner().invoke(app, ["-q", "seeds", "-s", str(src), "--data-dir", str(tmp_path / "quiet")])
    assert r.stderr == "" and (tmp_path / "quiet").is_dir()


def test_a_file_as_data_dir_is_not_a_directory(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("mine")
    for args in (["--data-dir", str(f), "report"], ["build", "--data-dir", str(f)]):
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 1
        assert r.stderr == f"Error: data directory {f} is not a directory\n"
    assert f.read_text() == "mine"


def test_the_data_dir_is_shown_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.csv").write_text("title\nA synthetic paper\n")
    r = CliRunner().invoke(app, ["seeds", "--source", "list.csv", "--data-dir", "./mine/"])
    assert r.exit_code == 0, r.output
    assert "Wrote mine/raw/seeds.parquet" in r.stdout.splitlines()


def test_ctrl_c_speaks_of_fetching_only_for_fetching_commands():
    import typer

    probe = typer.Typer(cls=_Group)

    @probe.command()
    def report():
        raise KeyboardInterrupt

    @probe.command()
    def refresh():
        raise KeyboardInterrupt

    r = CliRunner().invoke(probe, ["report"])
    assert r.exit_code == 130 and r.output == "Error: interrupted (report)\n"
    r = CliRunner().invoke(probe, ["refresh"])
    assert r.exit_code == 130
    assert r.output == "Error: interrupted; everything fetched so far is kept (run it again to resume)\n"


def test_an_unreadable_source_lists_the_accepted_formats(tmp_path):
    accepted = ("accepted: awesome-list markdown .md, BibTeX .bib, RIS .ris, CSV .csv or .tsv; "
                "save a spreadsheet as CSV")
    xlsx = tmp_path / "refs.xlsx"
    xlsx.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200))  # a spreadsheet (zip): binary
    notes = tmp_path / "refs.txt"
    notes.write_text("some notes\nwith no table\n")
    for path, what in ((xlsx, "is a binary file, not a reference list"), (notes, "no tables found in refs.txt, and no paper entries (bullets or paragraphs with a title and a paper link)")):
        r = CliRunner().invoke(app, ["seeds", "--source", str(path), "--data-dir", str(tmp_path / "d")])
        assert r.exit_code == 1
        start = f"Error: {path} {what}" if path == xlsx else f"Error: {what}"
        assert r.stderr == f"{start} ({accepted})\n"
    assert not (tmp_path / "d" / "raw").exists()
