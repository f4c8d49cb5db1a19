"""Bad input is refused with one ``Error:`` line naming the problem, exit 1, no traceback, nothing overwritten.

Each case runs the CLI on a copy of a built data dir (mini world, SYNTHETIC)
and checks that every file under it is byte-identical afterwards. Usage errors
(an unknown ``--format``) exit 2, as the design's exit codes say.
"""

from __future__ import annotations

import shutil
import time
import unicodedata

import pandas as pd
import pytest
from rel_support import (FakeS2, assert_same_tables, fast_refresh_args, file_digests, mini_seeds, mini_world,
                         read_tables, run_cli, write_seeds)
from typer.testing import CliRunner

from medvlm_graph.build import build
from medvlm_graph.cli import app
from medvlm_graph.io import write_parquet
from medvlm_graph.paths import DataPaths
from medvlm_graph.s2 import refresh

#: The size above which a seed list should be refused before it is read (a 221-row list is ~100 kB).
HUGE_MB = 60


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A data dir after seeds + refresh + build of the mini world."""
    d = tmp_path_factory.mktemp("template") / "data"
    write_seeds(d)
    server = FakeS2(mini_world()).start()
    try:
        assert refresh(data_dir=d, api_url=server.base_url, rate=0).complete
    finally:
        server.stop()
    build(d)
    return d


@pytest.fixture
def dd(template, tmp_path):
    d = tmp_path / "data"
    shutil.copytree(template, d)
    return d


def invoke(data_dir, *args):
    return CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])


def assert_refused(result, *words, code=1):
    """Exit ``code``, exactly one ``Error:`` line naming ``words``, no traceback."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), f"unhandled {result.exception!r}"
    errors = [ln for ln in result.stderr.splitlines() if "Error" in ln]
    assert len(errors) == 1 and errors[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for w in words:
        assert w.lower() in errors[0].lower(), f"{w!r} not named in: {errors[0]}"
    return errors[0]


def refused_unchanged(dd, args, *words, code=1):
    before = file_digests(dd)
    line = assert_refused(invoke(dd, *args), *words, code=code)
    assert file_digests(dd) == before, "a refused command changed files under the data dir"
    return line


# --------------------------------------------------------------------------- seed lists
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"


@pytest.mark.parametrize(("name", "content", "words"), [
    ("empty.md", b"", ["empty.md", "empty"]),
    ("blank.csv", b"  \n\n\t\n", ["blank.csv", "empty"]),
    ("image.md", BINARY, ["image.md", "binary"]),
    ("prose.md", b"# A reading list\n\nJust prose, no table at all.\n", ["prose.md", "no tables"]),
    ("notitle.csv", b"name_of_thing,url\nX,https://arxiv.org/abs/2301.00001\n", ["notitle.csv", "title column"]),
    ("allbad.bib", b"@article{b, title={Broken, year=2023\n", ["allbad.bib", "bibtex"]),
    ("garbage.ris", b"TY  - JOUR\nthis is not RIS\n", ["garbage.ris"]),
])
def test_unusable_seed_lists_are_refused(dd, tmp_path, name, content, words):
    src = tmp_path / name
    src.write_bytes(content)
    refused_unchanged(dd, ["seeds", "--source", str(src)], *words)


def test_missing_and_directory_sources_are_refused(dd, tmp_path):
    refused_unchanged(dd, ["seeds", "--source", str(tmp_path / "nope.md")], "no such file", "nope.md")
    refused_unchanged(dd, ["seeds", "--source", str(tmp_path)], "directory")


def test_markdown_table_without_rows_is_refused_not_written_as_an_empty_list(dd, tmp_path):
    """A table with a header and no rows used to replace the chosen list with 0 seeds."""
    src = tmp_path / "headeronly.md"
    src.write_text("## Medical VQA\n| Paper | Link |\n|---|---|\n")
    refused_unchanged(dd, ["seeds", "--source", str(src)], "headeronly.md")


def test_broken_markdown_tables_keep_the_readable_rows(dd, tmp_path):
    """Ragged rows, a missing delimiter row and stray pipes: tolerated, the real rows are read."""
    src = tmp_path / "ragged.md"
    src.write_text("## Medical VQA\n| Paper | Link |\n| Synthetic Ragged Row Title | https://arxiv.org/abs/2301.00011 "
                   "| extra | cells |\n| Second Synthetic Row |\n|||\n\n## Segmentation\n| Paper |\n"
                   "| A Synthetic Segmentation Title |\n")
    result = invoke(dd, "seeds", "--source", str(src))
    assert result.exit_code == 0, result.output
    df = pd.read_parquet(DataPaths(dd).seed_list)
    titles = sorted(df["title"])
    assert len(df) == 3 and titles[:2] == ["A Synthetic Segmentation Title", "Second Synthetic Row"]
    assert titles[2].startswith("Synthetic Ragged Row Title")  # extra cells may be kept with the title
    assert df.loc[df["title"] == titles[2], "arxiv_id"].tolist() == ["2301.00011"]


def test_bibtex_bad_entries_are_skipped_and_reported(dd, tmp_path):
    src = tmp_path / "mixed.bib"
    src.write_text("@article{a, title={Synthetic Good Entry One}, year={2023}}\n"
                   "@article{b, title={Broken entry, year=2023\n\n"
                   "@article{c, year={2021}}\n"
                   "@article{d, title={Synthetic Good Entry Two}, eprint={2301.00001}}\n")
    result = invoke(dd, "seeds", "--source", str(src))
    assert result.exit_code == 0, result.output
    assert "2 BibTeX entries skipped" in result.output  # reported, counted
    df = pd.read_parquet(DataPaths(dd).seed_list)
    assert sorted(df["title"]) == ["Synthetic Good Entry One", "Synthetic Good Entry Two"]


def test_duplicate_seeds_are_reported_and_collapse_into_one_paper(dd, tmp_path):
    src = tmp_path / "dups.csv"
    src.write_text("title,url\nA Synthetic Duplicated Paper,https://arxiv.org/abs/2301.00021\n"
                   "A Synthetic Duplicated Paper,https://arxiv.org/abs/2301.00021\n"
                   "a synthetic duplicated paper.,https://example.org/x\n"
                   "Another Synthetic Paper,https://arxiv.org/abs/2301.00022\n")
    result = invoke(dd, "seeds", "--source", str(src))
    assert result.exit_code == 0, result.output
    df = pd.read_parquet(DataPaths(dd).seed_list)
    assert len(df) == 4 and df["seed_id"].is_unique
    shutil.rmtree(DataPaths(dd).fetched)
    corpus = build(dd)
    assert len(corpus.papers) == 2  # the three rows are one paper
    said = result.output.replace(str(tmp_path), "<tmp>").lower()  # the tmp path names the test
    assert "duplicate" in said, "duplicates are not reported by `seeds`:\n" + result.output


def test_duplicate_seed_ids_in_a_chosen_list_are_refused_by_refresh(dd):
    seeds = mini_seeds()
    seeds.loc[1, "seed_id"] = seeds.loc[0, "seed_id"]
    write_parquet(seeds, DataPaths(dd).seed_list)
    shutil.rmtree(DataPaths(dd).fetched)
    refused_unchanged(dd, ["refresh", "--api-url", "http://127.0.0.1:9/graph/v1"], "seed_id")


def test_control_characters_and_10000_character_titles_are_made_inert(dd, tmp_path):
    src = tmp_path / "ctrl.csv"
    nasty = "Synthetic Bell\x07 ESC\x1b[31mRED\x1b[0m DEL\x7f C1\x85\x9b Tab\there"
    src.write_text("title,url\n" + f'"{nasty}",https://arxiv.org/abs/2301.00031\n'
                   + f'"{"Long synthetic title " * 500}",https://arxiv.org/abs/2301.00032\n', encoding="utf-8")
    result = invoke(dd, "seeds", "--source", str(src))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and all(len(ln) < 500 for ln in result.output.splitlines())
    df = pd.read_parquet(DataPaths(dd).seed_list)
    assert len(df) == 2 and len(df["title"].str.len().max() * "x") >= 10_000  # kept, not cut silently
    for col in ("title", "title_norm"):
        for value in df[col]:
            bad = sorted({f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) == "Cc"})
            assert not bad, f"{col} keeps control characters {bad}: {value[:80]!r}"


def test_huge_seed_list_is_refused_quickly(dd, tmp_path):
    """A 60 MB list is refused (by size, before parsing) within seconds, through the real command."""
    src = tmp_path / "huge.md"
    row = "| Synthetic huge-list row about chest X-ray report generation | https://arxiv.org/abs/2301.00001 |\n"
    block = ("## Report generation\n| Paper | Link |\n|---|---|\n" + row * 10_000).encode()
    with src.open("wb") as fh:
        while fh.tell() < HUGE_MB * 1024 * 1024:
            fh.write(block)
    before = file_digests(dd)
    t0 = time.monotonic()
    try:
        proc = run_cli(["--data-dir", str(dd), "seeds", "--source", str(src)], timeout=25)
    except Exception as exc:  # subprocess.TimeoutExpired
        pytest.fail(f"a {HUGE_MB} MB seed list was still being read after 25 s (no size limit): {exc!r}")
    assert proc.returncode == 1, proc.stdout[-500:] + proc.stderr[-500:]
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1 and "huge.md" in errors[0] and "MB" in errors[0], proc.stderr[-500:]
    assert "Traceback" not in proc.stderr and time.monotonic() - t0 < 25
    assert file_digests(dd) == before


# --------------------------------------------------------------------------- taxonomy, options
@pytest.mark.parametrize(("text", "words"), [
    ("just a string\n", ["bad.yaml", "line 1", "mapping"]),
    ("version: 1\ndimensions:\n  task:\n    labels:\n      - id: vqa\n        name: [unclosed\n",
     ["bad.yaml", "line", "invalid yaml"]),
    ("version: 1\ndimensions:\n  task:\n    labels:\n      - id: vqa\n        name: VQA\n        colour: red\n",
     ["bad.yaml", "line 7", "colour"]),
    ("version: 1\ndimensions:\n  task:\n    labels:\n      - id: vqa\n        name: A\n      - id: vqa\n"
     "        name: B\n", ["bad.yaml", "vqa"]),
    ("version: 1\ndimensions:\n  task:\n    labels:\n      - id: vqa\n        name: A\n        rules:\n"
     "          patterns: ['([unclosed']\n", ["bad.yaml", "line"]),
])
def test_bad_taxonomy_yaml_is_refused_with_its_line(dd, tmp_path, text, words):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    refused_unchanged(dd, ["build", "--taxonomy", str(bad)], *words)


def test_missing_taxonomy_file_is_refused(dd, tmp_path):
    refused_unchanged(dd, ["build", "--taxonomy", str(tmp_path / "nope.yaml")], "nope.yaml")


def test_unknown_export_format_is_a_usage_error(dd):
    refused_unchanged(dd, ["export", "--format", "xlsx"], "xlsx", "graphml", code=2)
    refused_unchanged(dd, ["export", "--graph", "nonsense"], "nonsense", code=2)


# --------------------------------------------------------------------------- data dir
@pytest.mark.parametrize("args", [
    ["build"], ["report"], ["export", "--format", "csv"], ["gaps"], ["trends"],
    ["refresh", "--api-url", "http://127.0.0.1:9/graph/v1", "--rate", "0"],
])
def test_data_dir_that_cannot_be_written_is_refused(tmp_path, args):
    blocker = tmp_path / "a-regular-file"
    blocker.write_text("not a directory\n")
    assert_refused(invoke(blocker / "data", *args), "a-regular-file")
    assert blocker.read_text() == "not a directory\n"


def test_seeds_into_an_unwritable_data_dir_is_refused(tmp_path):
    blocker = tmp_path / "a-regular-file"
    blocker.write_text("x")
    src = tmp_path / "ok.csv"
    src.write_text("title,url\nA Synthetic Title,https://arxiv.org/abs/2301.00041\n")
    assert_refused(invoke(blocker / "data", "seeds", "--source", str(src)), "a-regular-file")


# --------------------------------------------------------------------------- corrupt stored data
GARBAGE = b"PAR1 this is not a parquet file \x00\x01\x02 PAR1"


@pytest.mark.parametrize(("table", "args"), [
    ("processed/papers.parquet", ["export", "--format", "csv"]),
    ("processed/labels.parquet", ["gaps"]),
    ("processed/citations.parquet", ["trends"]),
    ("processed/papers.parquet", ["report"]),
    ("raw/seeds.parquet", ["build"]),
    ("raw/fetched/papers.parquet", ["build"]),
    ("raw/fetched/citations.parquet", ["build"]),
    ("raw/seeds.parquet", ["refresh", "--api-url", "http://127.0.0.1:9/graph/v1"]),
])
def test_corrupt_parquet_is_named_not_overwritten(dd, table, args):
    if table == "raw/seeds.parquet" and args == ["build"]:
        shutil.rmtree(DataPaths(dd).fetched)  # else build reads the seeds of the fetched layer
    (dd / table).write_bytes(GARBAGE)
    refused_unchanged(dd, args, table.rsplit("/", 1)[-1], "corrupt")
    assert (dd / table).read_bytes() == GARBAGE


@pytest.mark.parametrize("name", ["raw/fetched/provenance.json", "processed/build.json"])
def test_corrupt_json_is_named(dd, name):
    (dd / name).write_text('{"source": "refresh", "complete": tr')
    args = ["build"] if name.startswith("raw") else ["export", "--format", "csv"]
    refused_unchanged(dd, args, name.rsplit("/", 1)[-1], "corrupt")


def test_corrupt_cache_file_is_reported_and_fetched_again(dd, template):
    cache = sorted(DataPaths(dd).s2_cache.rglob("*.json"))
    assert len(cache) == 12
    cache[0].write_text('{"format": 1, "key": "trunc')
    cache[1].write_bytes(b"\xff\xfe\x00garbage")
    server = FakeS2(mini_world()).start()
    try:
        result = invoke(dd, *fast_refresh_args(server.base_url))
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert "2 corrupt cache files refetched" in result.stdout and len(server.log) == 2
    assert_same_tables(read_tables(DataPaths(dd).fetched), read_tables(DataPaths(template).fetched))
