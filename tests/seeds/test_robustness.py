"""Readers and id extraction never crash on arbitrary input (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvlm_graph.errors import InputError
from medvlm_graph.seeds import extract_ids, parse_markdown
from medvlm_graph.seeds.ids import ID_KEYS

URLISH = st.one_of(
    st.text(),
    st.builds(lambda host, path: f"https://{host}/{path}",
              st.sampled_from(["arxiv.org", "link.springer.com", "www.nature.com", "ieeexplore.ieee.org",
                               "pdf.sciencedirectassets.com", "aclanthology.org", "proceedings.mlr.press",
                               "papers.miccai.org", "openaccess.thecvf.com", "pmc.ncbi.nlm.nih.gov", "[::1"]),
              st.text()),
)


@settings(max_examples=200, deadline=None)
@given(URLISH)
def test_extract_ids_never_raises(url):
    out = extract_ids(url)
    assert set(out) == set(ID_KEYS)
    assert out["year_hint"] is None or 1900 <= out["year_hint"] <= 2100


ROW = st.lists(st.sampled_from(["1", "-", "", " ", "Title", "[PDF](https://arxiv.org/pdf/2401.00001)",
                                "Natural", "x|y", "Model", "**b**"]), max_size=7)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.builds(lambda cells: "| " + " | ".join(cells) + " |", ROW),
                          st.sampled_from(["## Segmentation", "## Unknown", "|---|---|---|", "", "text",
                                           "| Index | Model Names | Paper Names | Natural\\Medical | Paper Link |",
                                           "| Index | Paper Names | Tasks | PDF Link |", "```"])),
                max_size=25))
def test_markdown_reader_only_raises_input_error(lines):
    try:
        df = parse_markdown("\n".join(lines))
    except InputError:
        return
    assert df["seed_id"].is_unique


PIECES = st.sampled_from([
    "## Medical VQA", "### 2023", "# Title :fire:", "<details>", "<details open>", "</details>", "<summary>2024</summary>",
    "<summary>", "</summary>", "<summary><b>Segmentation</b></summary>", "```", "~~~", "<!--", "-->", "", "\\", "**2022**",
    "- [**MICCAI 2023**] A Title Of A Paper [[pdf]](https://arxiv.org/abs/2301.00001) [[code]](https://github.com/a/b)",
    "- A Title Of A Paper. arXiv 2023. [[paper](https://doi.org/10.1000%2Fx)]", "  - sub item [link](#x)",
    "**A Bold Title.**\\", "*A. Author*<br>", "[[PDF](https://arxiv.org/ftp/arxiv/papers/2301/2301.00002.pdf)]",
    '- **Acr:** A. B<br> "A Quoted Title Of Paper" **NeurIPS (2023).** [[paper]]()', "1. Numbered Title [paper](url)",
    "  - <details><summary>Digest</summary>", "    text [a](https://arxiv.org/abs/2301.00003)", "  </details>",
    "[![x](https://img.shields.io/a)](https://star-history.com/#a)", "| a | b |", "|---|---|", "\\[[code](x)] [[link]]",
    "<h2>Report Generation</h2>", "Setext", "---", "===", "> - [**X 2020**] Quoted Entry [[pdf]](https://arxiv.org/abs/2001.1)",
    "$\\alpha$ **[b** c] ` (under review) 【CVPR 2024】 \u2028 \x00 \r",
])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=30))
def test_markdown_entries_reader_only_raises_input_error(lines):
    try:
        df = parse_markdown("\n".join(lines))
    except InputError:
        return
    assert df["seed_id"].is_unique
    assert (df["title"].notna() | df["url"].notna() | df["model_name"].notna()).all()
    titles = df["title"].dropna()
    assert not titles.str.contains(r"\]\(|\*\*|[\ue000-\ue003]", regex=True).any()
    assert df["section"].notna().all()
