"""BibTeX, RIS and CSV readers, format sniffing, and input errors of read_seeds."""

from __future__ import annotations

import socket

import pandas as pd
import pytest

from medvlm_graph.errors import InputError
from medvlm_graph.seeds import parse_bibtex, parse_csv, parse_ris, read_seeds, sniff_format

# Synthetic BibTeX (titles and ids of real papers; one entry deliberately broken).
BIB = r"""
@inproceedings{li2023llavamed,
  title = {{LLaVA-Med}: Training a Large Language-and-Vision Assistant for Biomedicine in One Day},
  booktitle = {Advances in Neural Information Processing Systems},
  year = {2023},
  url = {https://proceedings.neurips.cc/paper_files/paper/2023/file/5abcdf8ecdcacba028c6662789194572-Paper-Datasets_and_Benchmarks.pdf},
  keywords = {foundation models; vqa}
}
@article{broken,
  title = {An entry that never closes,
@article{zhang2023kad,
  title = {Knowledge-enhanced visual-language pre-training on chest radiology images},
  journal = {Nature Communications},
  doi = {10.1038/s41467-023-40260-7},
  year = 2023,
  section = {Medical Image Classification}
}
@misc{wu2023medklip,
  title = {MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training},
  eprint = {2301.02228v3},
  archivePrefix = {arXiv}
}
@misc{notitle, author = {Nobody}}
"""

RIS = """TY  - JOUR
TI  - Pre-trained multimodal large language model enhances dermatological diagnosis using SkinGPT-4
UR  - https://www.nature.com/articles/s41467-024-50043-3.pdf
PY  - 2024
KW  - Medical Report Generation
ER  - 
TY  - CONF
T1  - MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training
DO  - 10.1109/ICCV51070.2023.01954
ER  - 
"""


def test_bibtex(warnings_seen):
    df = parse_bibtex(BIB, source="my_review.bib")
    assert df["title"].tolist() == [
        "LLaVA-Med: Training a Large Language-and-Vision Assistant for Biomedicine in One Day",
        "Knowledge-enhanced visual-language pre-training on chest radiology images",
        "MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training",
    ]
    assert df["section"].tolist() == ["vqa", "Medical Image Classification", "my_review"]
    assert df["task"].tolist()[:2] == ["vqa", "classification"] and pd.isna(df.loc[2, "task"])
    assert df["doi"].tolist()[1] == "10.1038/s41467-023-40260-7"
    assert df.loc[2, "arxiv_id"] == "2301.02228" and df.loc[2, "year_hint"] == 2023
    assert df["year_hint"].tolist()[:2] == [2023, 2023]
    assert df.loc[0, "venue_hint"] == "Advances in Neural Information Processing Systems"
    assert df["seed_id"].is_unique
    assert any("2 BibTeX entries skipped" in m for m in warnings_seen())


def test_bibtex_without_entries_is_an_input_error():
    with pytest.raises(InputError, match="no BibTeX entries"):
        parse_bibtex("@article{x, title = {never closed", source="x.bib")


def test_ris(warnings_seen):
    df = parse_ris(RIS, source="extra.ris")
    assert df["title"].tolist()[1] == "MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training"
    assert df[["section", "task", "doi"]].values.tolist()[0] == [
        "Medical Report Generation", "report_generation", "10.1038/s41467-024-50043-3"]
    assert df.loc[0, "year_hint"] == 2024
    assert df.loc[1, "section"] == "extra" and df.loc[1, "doi"] == "10.1109/ICCV51070.2023.01954"


def test_csv_with_optional_columns():
    text = ("Paper Names,Link,DOI,arXiv,Section,Task,Year\n"
            "PitVQA,https://arxiv.org/pdf/2405.13949,,,,vqa,\n"
            "\"KAD, a title with a comma\",,10.1038/s41467-023-40260-7,,Classification,,2023\n"
            "MedKLIP,,,2301.02228v1,Whatever,,\n"
            ",,,,,,\n")
    df = parse_csv(text, source="list.csv")
    assert df["title"].tolist() == ["PitVQA", "KAD, a title with a comma", "MedKLIP"]
    assert df["section"].tolist() == ["list", "Classification", "Whatever"]
    assert df["task"].tolist()[:2] == ["vqa", "classification"] and pd.isna(df.loc[2, "task"])
    assert df["arxiv_id"].tolist()[0] == "2405.13949" and df.loc[2, "arxiv_id"] == "2301.02228"
    assert df.loc[1, "doi"] == "10.1038/s41467-023-40260-7" and df.loc[1, "year_hint"] == 2023


def test_csv_title_column_is_found_case_insensitively_and_tsv():
    assert parse_csv("PAPER\tURL\nA title\thttps://arxiv.org/abs/2501.04678\n", source="x.tsv")["arxiv_id"].tolist() == ["2501.04678"]


def test_csv_without_title_column_is_an_input_error():
    with pytest.raises(InputError, match="no title column"):
        parse_csv("foo,url\nA,http://x\n", source="bad.csv")


@pytest.mark.parametrize(("text", "fmt"), [
    ("@article{k, title={A}}", "bibtex"), ("TY  - JOUR\nTI  - A\nER  - \n", "ris"),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n", "markdown"), ("# Heading only\n", "markdown"),
    ("title,url\nA,http://x\n", "csv"), ("just words\n", "markdown"),
])
def test_sniff_format(text, fmt):
    assert sniff_format(text) == fmt


def test_format_by_content_when_extension_is_unknown(tmp_path):
    p = tmp_path / "refs.txt"
    p.write_text(BIB, encoding="utf-8")
    assert len(read_seeds(p)) == 3


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.md", None, "no such file"),
    ("empty.md", b"  \n\n", "is empty"),
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("prose.md", b"# A list\n\nNo tables here.\n", "no tables found"),
    ("notitle.csv", b"foo,url\nA,http://x\n", "no title column"),
])
def test_input_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_seeds(path)
    assert "\n" not in str(info.value)


def test_a_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_seeds(tmp_path)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_url_is_an_input_error():
    url = f"http://127.0.0.1:{closed_port()}/README.md"
    with pytest.raises(InputError, match="cannot download") as info:
        read_seeds(url)
    assert info.value.exit_code == 1


def test_read_from_url(served, fixtures):
    df = read_seeds(f"{served}/april_like.md")
    pd.testing.assert_frame_equal(df, read_seeds(fixtures / "april_like.md"))
    with pytest.raises(InputError, match="HTTP 404"):
        read_seeds(f"{served}/nope.md")


def test_an_html_page_url_is_an_input_error_with_a_hint(served):
    with pytest.raises(InputError, match="is an HTML page, not a reference list.*raw file URL"):
        read_seeds(f"{served}/")


def test_load_snapshot_of_a_missing_path_is_a_data_error(tmp_path):
    from medvlm_graph.errors import DataError
    from medvlm_graph.seeds import load_snapshot

    with pytest.raises(DataError, match="missing snapshot"):
        load_snapshot(tmp_path / "nope.csv")


def test_zotero_csv_export_sections_from_manual_tags():
    """Zotero's CSV export: Title, Url, DOI, Publication Year, Manual Tags (;-separated)."""
    from medvlm_graph.seeds import parse_csv

    text = ('"Key","Publication Year","Title","Publication Title","DOI","Url","Manual Tags"\n'
            '"K1","2024","A VQA model for CT","MICCAI","10.1234/abc","https://x.org/1","to read; Medical VQA"\n'
            '"K2","2023","Something else","","","https://x.org/2","to read"\n')
    df = parse_csv(text, source="zotero.csv")
    rows = [[None if pd.isna(v) else v for v in r] for r in df[["section", "task", "doi", "year_hint"]].values.tolist()]
    assert rows == [["Medical VQA", "vqa", "10.1234/abc", 2024], ["to read", None, None, 2023]]
