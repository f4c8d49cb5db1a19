"""extract_ids on a table of links (most copied from the review's list) with exact expected dicts."""

from __future__ import annotations

import pytest

from medvlm_graph.seeds import clean_url, extract_ids
from medvlm_graph.seeds.ids import ID_KEYS, normalize_arxiv_id, normalize_doi

CASES = [
    ("https://arxiv.org/pdf/2410.21276?", {"arxiv_id": "2410.21276", "year_hint": 2024}),
    ("https://arxiv.org/pdf/2407.04106?", {"arxiv_id": "2407.04106", "year_hint": 2024}),
    ("https://arxiv.org/abs/2503.09808", {"arxiv_id": "2503.09808", "year_hint": 2025}),
    ("https://arxiv.org/pdf/2303.00915v2.pdf", {"arxiv_id": "2303.00915", "year_hint": 2023}),
    ("http://arxiv.org/abs/1908.08530v4#x", {"arxiv_id": "1908.08530", "year_hint": 2019}),
    ("https://arxiv.org/abs/hep-th/9901001v2", {"arxiv_id": "hep-th/9901001", "year_hint": 1999}),
    ("https://link.springer.com/content/pdf/10.1007/978-3-031-73471-7_8.pdf?pdf=inline%20link",
     {"doi": "10.1007/978-3-031-73471-7_8"}),
    ("https://link.springer.com/chapter/10.1007/978-3-032-05472-2_27", {"doi": "10.1007/978-3-032-05472-2_27"}),
    ("https://link.springer.com/content/pdf/10.1186/s42492-024-00171-w.pdf", {"doi": "10.1186/s42492-024-00171-w"}),
    ("https://link.springer.com/content/pdf/10.1007/s11604-024-01633-0.pdf", {"doi": "10.1007/s11604-024-01633-0"}),
    ("https://www.nature.com/articles/s41467-023-40260-7.pdf",
     {"doi": "10.1038/s41467-023-40260-7", "year_hint": 2023}),
    ("https://www.nature.com/articles/s41551-024-01246-y", {"doi": "10.1038/s41551-024-01246-y", "year_hint": 2024}),
    ("https://onlinelibrary.wiley.com/doi/pdf/10.1155/2024/6680546", {"doi": "10.1155/2024/6680546"}),
    ("https://www.frontiersin.org/journals/medicine/articles/10.3389/fmed.2023.1231436/pdf",
     {"doi": "10.3389/fmed.2023.1231436"}),
    ("https://pubs.rsna.org/doi/pdf/10.1148/radiol.240273", {"doi": "10.1148/radiol.240273"}),
    ("https://pubs.rsna.org/doi/full/10.1148/ryai.220281?role=tab", {"doi": "10.1148/ryai.220281"}),
    ("https://www.liebertpub.com/doi/pdf/10.1089/tmj.2023.0715", {"doi": "10.1089/tmj.2023.0715"}),
    ("https://example.org/doi/abs/10.1234/abc.5", {"doi": "10.1234/abc.5"}),
    ("https://medinform.jmir.org/2024/1/e59273", {"doi": "10.2196/59273", "year_hint": 2024}),
    ("https://ui.adsabs.harvard.edu/abs/2021zndo...5143773I/abstract",
     {"doi": "10.5281/zenodo.5143773", "year_hint": 2021}),
    ("https://pdf.sciencedirectassets.com/271647/1-s2.0-S0306457324X00035/1-s2.0-S030645732400164X/main.pdf"
     "?X-Amz-Security-Token=x&pii=S030645732400164X", {"pii": "S030645732400164X"}),
    ("https://pdf.sciencedirectassets.com/272154/1-s2.0-S1361841524X00079/1-s2.0-S1361841524002822/main.pdf",
     {"pii": "S1361841524002822"}),
    ("https://www.sciencedirect.com/science/article/pii/S1361841524002822", {"pii": "S1361841524002822"}),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC11504022/pdf/bioengineering-11-00993.pdf", {"pmcid": "PMC11504022"}),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10120542/", {"pmcid": "PMC10120542"}),
    ("https://aclanthology.org/2023.findings-eacl.88.pdf",
     {"acl_id": "2023.findings-eacl.88", "venue_hint": "Findings of EACL", "year_hint": 2023}),
    ("https://aclanthology.org/2025.coling-main.571/",
     {"acl_id": "2025.coling-main.571", "venue_hint": "COLING", "year_hint": 2025}),
    ("https://aclanthology.org/P19-1001.pdf", {"acl_id": "P19-1001", "year_hint": 2019}),
    ("https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=10288259", {"ieee_id": "10288259"}),
    ("https://ieeexplore.ieee.org/abstract/document/10963672/", {"ieee_id": "10963672"}),
    ("https://ieeexplore.ieee.org/document/9509365", {"ieee_id": "9509365"}),
    ("https://openaccess.thecvf.com/content/CVPR2022/papers/Li_Grounded_CVPR_2022_paper.pdf",
     {"venue_hint": "CVPR", "year_hint": 2022}),
    ("http://openaccess.thecvf.com/content/ICCV2023/html/Zhai_Sigmoid_ICCV_2023_paper.html",
     {"venue_hint": "ICCV", "year_hint": 2023}),
    ("http://openaccess.thecvf.com/content/CVPR2025/html/Nath_VILA-M3_CVPR_2025_paper.html",
     {"venue_hint": "CVPR", "year_hint": 2025}),
    ("https://papers.miccai.org/miccai-2024/paper/3064_paper.pdf", {"venue_hint": "MICCAI", "year_hint": 2024}),
    ("https://proceedings.mlr.press/v139/radford21a/radford21a.pdf", {"venue_hint": "ICML", "year_hint": 2021}),
    ("https://proceedings.mlr.press/v162/li22n/li22n.pdf", {"venue_hint": "ICML", "year_hint": 2022}),
    ("https://proceedings.mlr.press/v202/li23q/li23q.pdf", {"venue_hint": "ICML", "year_hint": 2023}),
    ("https://proceedings.mlr.press/v227/jeong24a/jeong24a.pdf", {"venue_hint": "MIDL", "year_hint": 2023}),
    ("https://proceedings.mlr.press/v222/li24e/li24e.pdf", {"venue_hint": "ACML", "year_hint": 2023}),
    ("https://proceedings.mlr.press/v225/moor23a", {"venue_hint": "PMLR v225"}),
    ("https://proceedings.neurips.cc/paper_files/paper/2023/hash/6dcf-Abstract-Conference.html",
     {"venue_hint": "NeurIPS", "year_hint": 2023}),
    ("https://ojs.aaai.org/index.php/AAAI/article/view/20204/19963", {"venue_hint": "AAAI"}),
    ("https://cdn.openai.com/papers/dall-e-3.pdf", {}),
    ("https://journals.lww.com/retinajournal/fulltext/2024/10000/applications.9.aspx", {}),
    ("https://watermark.silverchair.com/ocad252.pdf?token=AQECAHi208BE", {}),
    ("-", {}),
    ("", {}),
    (None, {}),
    ("not a url at all ::: [", {}),
]


@pytest.mark.parametrize(("url", "expected"), CASES, ids=[str(c[0])[:60] for c in CASES])
def test_extract_ids(url, expected):
    assert extract_ids(url) == {**dict.fromkeys(ID_KEYS), **expected}


def test_clean_url_drops_signed_queries_only():
    sd = ("https://pdf.sciencedirectassets.com/272154/1-s2.0-S1361841524X00079/1-s2.0-S1361841524002822/main.pdf"
          "?X-Amz-Security-Token=abc&X-Amz-Date=20250409T081221Z&pii=S1361841524002822")
    assert clean_url(sd) == sd.split("?")[0]
    assert clean_url("https://watermark.silverchair.com/ocad252.pdf?token=AQ") == "https://watermark.silverchair.com/ocad252.pdf"
    assert clean_url("https://arxiv.org/pdf/2410.21276?") == "https://arxiv.org/pdf/2410.21276?"
    assert clean_url("https://link.springer.com/x.pdf?pdf=inline%20link") == "https://link.springer.com/x.pdf?pdf=inline%20link"
    assert clean_url("  ") is None and clean_url(None) is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("arXiv:2306.00890v2", "2306.00890"), ("2306.00890", "2306.00890"), ("1501.0001", "1501.0001"),
    ("math.GT/0309136", "math.GT/0309136"), ("https://arxiv.org/abs/2306.00890", "2306.00890"), ("xyz", None),
])
def test_normalize_arxiv_id(raw, expected):
    assert normalize_arxiv_id(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://doi.org/10.1038/s41467-023-40260-7", "10.1038/s41467-023-40260-7"),
    ("doi:10.1148/radiol.240273.", "10.1148/radiol.240273"), ("10.1/x", None), ("none", None),
])
def test_normalize_doi(raw, expected):
    assert normalize_doi(raw) == expected
