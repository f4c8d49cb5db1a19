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
