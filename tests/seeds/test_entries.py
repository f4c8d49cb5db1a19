"""The parts of the entry reader on small SYNTHETIC inputs: tags, title cleaning, paper links, entries, outline."""

from __future__ import annotations

import pytest

from medvlm_graph.seeds.entries import IMAGES_ONLY, NO_LINK, NO_TITLE, TOC, read_entries
from medvlm_graph.seeds.inline import flatten_markdown
from medvlm_graph.seeds.links import Link, paper_link
from medvlm_graph.seeds.outline import Outline, clean_heading
from medvlm_graph.seeds.tags import Tag, is_date, is_note, parse_tag
from medvlm_graph.seeds.titles import clean_title, normalize_title


@pytest.mark.parametrize(("text", "tag"), [
    ("MICCAI 2023", Tag("MICCAI", 2023)), ("**NeurIPS (2023).**", Tag("NeurIPS", 2023)),
    ("April, 2022", Tag(None, 2022)), ("25th Oct., 2021", Tag(None, 2021)), ("BIBM, 2020", Tag("BIBM", 2020)),
    ("2024-06", Tag(None, 2024)), ("NeurIPS 2023 D&B", Tag("NeurIPS D&B", 2023)), ("2019 and before", Tag(None, 2019)),
    ("arXiv, Dec 2023", Tag("arXiv", 2023)), ("Segment Anything", None), ("2301.12345", None),
    ("A Long Title With A Year 2023 In It And Many Words", None),
])
def test_parse_tag(text, tag):
    assert parse_tag(text) == tag


def test_dates_and_notes():
    assert [is_date(t) for t in ("2023", "Year 2022", "📅 2021", "Older", "2019 and earlier", "Survey 2024", "")] == [
        True, True, True, True, True, False, False]
    assert [is_note(t) for t in ("under review", "Early Access", "Oral", "FLAIR", "MedSAM", "NeurIPS Spotlight")] == [
        True, True, True, False, False, True]


@pytest.mark.parametrize(("raw", "clean"), [
    ("**Title of a Paper.**", "Title of a Paper"),
    ("[**MICCAI 2023**] Title of a Paper", "Title of a Paper"),
    ("【CVPR 2024】 Title of a Paper", "Title of a Paper"),
    ("Title of a Paper (under review)", "Title of a Paper"),
    ("Title of a Paper [CVPR 2024]", "Title of a Paper"),
    ("Title of a Paper (2023)", "Title of a Paper"),
    ('"Title of a Paper"', "Title of a Paper"),
    ("*Title of a Paper*", "Title of a Paper"),
    ("`MedSAM`: Title of a Paper 🔥 :fire:", "MedSAM: Title of a Paper"),
    ("C$^2$M-DoT and $\\text{M}^3$AE with $\\alpha$-blending", "C2M-DoT and M3AE with α-blending"),
    ("A Model of the Retina (FLAIR): Encoding Knowledge", "A Model of the Retina (FLAIR): Encoding Knowledge"),
    ("GPT-4V(ision) for Robotics", "GPT-4V(ision) for Robotics"),
    ("Report  Generation on CheXpert Plus", "Report  Generation on CheXpert Plus"),  # no markup: spacing kept
    ("Ensembles et al.", "Ensembles et al."),
    ("VILA_M3: snake_case stays", "VILA_M3: snake_case stays"),
    ("[MICCAI 2023]", None),
])
def test_clean_title(raw, clean):
    assert clean_title(raw) == clean


def test_clean_title_is_stable_and_keeps_the_matching_key():
    for raw in ("**Title of a Paper.**", "[**MICCAI 2023**] Title of a Paper (Early Access)", '"Title of a Paper."'):
        once = clean_title(raw)
        assert clean_title(once) == once
        assert normalize_title(once) == "title of a paper"


def test_paper_link_preference():
    code, proj = Link("https://github.com/a/b", "code"), Link("https://a.github.io/p", "project")
    page = Link("https://proceedings.neurips.cc/paper/2023/hash/x-Abstract.html", "paper")
    arxiv = Link("https://arxiv.org/abs/2306.00890", "arXiv")
    named = Link("https://example.org/paper.pdf", "[pdf]")
    assert paper_link([code, page, arxiv]) is arxiv  # an identifier wins
    assert paper_link([code, named, page]) is page  # then a paper host or venue
    assert paper_link([code, named]) is named  # then a link named like a paper
    assert paper_link([code, proj]) is None  # code and project pages never
    assert paper_link([Link("https://example.org/x", "My Title")], "My Title").href == "https://example.org/x"
    assert paper_link([Link("https://example.org/x", "a link")]) is None  # running text, not a label
    assert paper_link([Link("https://example.org/x", "[link]")]).text == "[link]"
    assert paper_link([Link("url", "[pdf]"), Link("#section", "pdf"), Link("", "pdf")]) is None


def entries(text: str):
    return read_entries(flatten_markdown(text))


def test_entry_reasons():
    assert entries("[Survey](#survey) [VQA](#vqa)") == TOC
    assert entries("[![Stars](https://img.shields.io/badge/x)](https://star-history.com/#a/b)") == IMAGES_ONLY
    assert entries("Please send a [pull request](https://github.com/a/b/pulls) or [email](mailto:x@y.z).") == NO_LINK
    assert entries("[[arXiv]](https://arxiv.org/abs/2301.00001) [[code]](https://github.com/a/b)") == NO_TITLE
    assert entries("- Iryna Hartsock, Ghulam Rasool.") == NO_LINK


def test_entries_separated_by_backslash_breaks_and_bold_titles():
    found = entries("**First Paper Title Here.**\\\n*A. Author*\\\n[[paper]](https://arxiv.org/abs/2301.00001)\\\n"
                    "**Second Paper Title Here.**\\\nMICCAI 2023\\\n[[paper]](https://arxiv.org/abs/2301.00002)")
    assert [(e.title, e.url[-5:], e.venue, e.year, e.offset) for e in found] == [
        ("First Paper Title Here", "00001", None, None, 0), ("Second Paper Title Here", "00002", "MICCAI", 2023, 3)]
    # without links, a second bold title line still opens a new entry
    found = entries("**First Paper Title Here.** MICCAI 2023\n**Second Paper Title Here.** CVPR 2022")
    assert [(e.title, e.venue) for e in found] == [("First Paper Title Here", "MICCAI"),
                                                   ("Second Paper Title Here", "CVPR")]


def test_an_entry_with_ids_in_several_links():
    e, = entries("A Paper With Two Links [[pdf]](https://arxiv.org/abs/2301.00001) "
                 "[[doi]](https://doi.org/10.1000/abc.1) [[code]](https://github.com/a/b)")
    assert e.url == "https://arxiv.org/abs/2301.00001" and e.ids == {"doi": "10.1000/abc.1"}


def test_clean_heading():
    assert clean_heading("🔥 2.1 Medical VQA :fire:") == "Medical VQA"
    assert clean_heading("<a id='x'></a>Report Generation ") == "Report Generation"


def test_outline_details_and_headings():
    text = """# List
## Report Generation
<details>
<summary>
<b>2023</b>
</summary>

- [**MICCAI 2023**] A Report Paper [[pdf]](https://arxiv.org/abs/2301.00001)
  - <details><summary>Abstract</summary>
    An abstract with [a link](https://arxiv.org/abs/2301.99999).
  </details>
- [**MICCAI 2023**] Another Report Paper [[pdf]](https://arxiv.org/abs/2301.00002)
</details>

<details><summary>Chest X-ray</summary>

- [**TMI 2022**] A Chest Paper [[pdf]](https://arxiv.org/abs/2201.00003)

</details>

```
- [**X 2020**] An Example Entry In A Fence [[pdf]](https://arxiv.org/abs/2001.00004)
```

<h2>Medical VQA</h2>

- [**CVPR 2024**] A VQA Paper [[pdf]](https://arxiv.org/abs/2401.00005)
"""
    o = Outline(text)
    assert [(p.section.name, p.section.task, p.entry.title, p.line) for p in o.entries] == [
        ("Report Generation", "report_generation", "A Report Paper", 8),  # multi-line summary: a year
        ("Report Generation", "report_generation", "Another Report Paper", 12),
        ("Chest X-ray", "report_generation", "A Chest Paper", 17),  # a summary section inherits the task
        ("Medical VQA", "vqa", "A VQA Paper", 27),  # an HTML heading
    ]
    assert o.entries[2].section.how == 'from "Report Generation": name "Report Generation"'
    assert [(s.line, s.section, s.reason) for s in o.skipped] == [(21, "Report Generation", "code block")]
    assert o.section_at(16).name == "Chest X-ray" and o.section_at(26).name == "Medical VQA"


def test_sub_bullets_are_details_unless_papers_of_their_own():
    text = """## Segmentation
- MedSAM: Segment Anything in Medical Images [[paper]](https://arxiv.org/abs/2304.12306)
  - J. Ma, B. Wang
  - Key Words: segmentation; foundation model [[code]](https://github.com/bowang-lab/MedSAM)
  - Follow-up: MedSAM2: Segment Anything in 3D Medical Images and Videos [[paper]](https://arxiv.org/abs/2504.03600)
- LViT: Language meets Vision Transformer in Medical Image Segmentation
  - [[paper]](https://arxiv.org/abs/2206.14718) [[code]](https://github.com/HUANGLIZI/LViT)
"""
    o = Outline(text)
    assert [(p.entry.title, p.entry.url, p.line) for p in o.entries] == [
        ("MedSAM: Segment Anything in Medical Images", "https://arxiv.org/abs/2304.12306", 2),
        ("Follow-up: MedSAM2: Segment Anything in 3D Medical Images and Videos", "https://arxiv.org/abs/2504.03600", 5),
        ("LViT: Language meets Vision Transformer in Medical Image Segmentation", "https://arxiv.org/abs/2206.14718", 6),
    ]
    assert o.skipped == []


def test_emphasis_inside_a_title_is_not_the_title():
    e, = entries("- **Segment Anything Model** for Medical Images: A Survey [[paper]](https://arxiv.org/abs/2305.03678)")
    assert e.title == "Segment Anything Model for Medical Images: A Survey"
    e, = entries("- [**arXiv 2023**] **XrayGPT: Chest Radiographs Summarization** [[pdf]](https://arxiv.org/pdf/2306.07971)")
    assert e.title == "XrayGPT: Chest Radiographs Summarization"
