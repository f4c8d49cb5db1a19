"""Literature lists in the shapes public awesome lists use: one SYNTHETIC fixture per shape (tests/seeds/fixtures/shapes).

Each fixture imitates how real awesome lists on medical VLMs are written (titles and identifiers
are of real papers, the lists themselves are made up); each test states the exact rows (section,
task, title, identifiers) and what the report says about sections and skipped blocks.
"""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.seeds import read_list, read_seeds

COLS = ("section", "task", "title", "arxiv_id", "doi", "pii", "acl_id", "ieee_id")


def table(df: pd.DataFrame, cols=COLS) -> list[tuple]:
    """Rows as tuples, ``None`` for missing values."""
    out = df[list(cols)].astype(object).where(df[list(cols)].notna(), None)
    return [tuple(r) for r in out.itertuples(index=False)]


@pytest.fixture(scope="module")
def shapes(request):
    from pathlib import Path

    folder = Path(__file__).parent / "fixtures" / "shapes"
    return {p.stem: read_list(p) for p in sorted(folder.glob("*.md"))}


def test_bullets_with_venue_tags(shapes):
    read = shapes["bullets_venue_tags"]
    mrg, vqa, vlm = "Medical Report Generation", "Medical Visual Question Answering", "Medical Vision-Language Model"
    r2gen = "Generating Radiology Reports via Memory-driven Transformer"
    assert table(read.table) == [
        ("Survey", None, "Medical Vision Language Pretraining: A survey", "2312.06224", None, None, None, None),
        ("Survey", None, "CLIP in Medical Imaging: A Comprehensive Survey", "2312.07353", None, None, None, None),
        (mrg, "report_generation", "Automatic Generation of Medical Imaging Diagnostic Report with Hierarchical "
         "Recurrent Neural Network", None, None, None, None, "8970668"),  # IEEE link with an URL-encoded query
        (mrg, "report_generation", r2gen, "2010.16056", None, None, None, None),
        (mrg, "report_generation", "XrayGPT: Chest Radiographs Summarization using Medical Vision-Language Models",
         "2306.07971", None, None, None, None),
        (mrg, "report_generation", "ORGAN: Observation-Guided Radiology Report Generation via Tree-Reasoning",
         None, None, None, "2023.acl-long.451", None),
        (mrg, "report_generation", "SGT: Scene Graph-Guided Transformer for Surgical Report Generation",
         None, "10.1007/978-3-031-43996-4_48", None, None, None),  # title wrapped before its links
        (mrg, "report_generation", "From Observation to Concept: A Flexible Multi-view Paradigm for Medical "
         "Report Generation", None, None, None, None, "10356722"),
        (mrg, "report_generation", "Knowledge matters: Chest radiology report generation with general and "
         "specific knowledge", None, None, "S1361841522001578", None, None),
        (vqa, "vqa", "Open-Ended Medical Visual Question Answering Through Prefix Tuning of Language Models",
         "2303.05977", None, None, None, None),
        (vqa, "vqa", "EHRXQA: A Multi-Modal Question Answering Dataset for Electronic Health Records with Chest "
         "X-ray Images", "2310.18652", None, None, None, None),
        (vqa, "vqa", "BESTMVQA: A Benchmark Evaluation System for Medical Visual Question Answering", "2312.07867",
         None, None, None, None),
        (vqa, "vqa", "Medical visual question answering with code links only", None, None, None, None, None),
        (vlm, None, "Medical Image Understanding with Pretrained Vision Language Models: A Comprehensive Study",
         None, None, None, None, None),
        (vlm, None, "MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training", "2301.02228", None, None,
         None, None),
        (vlm, None, r2gen, "2010.16056", None, None, None, None),  # listed in two sections: a row in each
    ]
    df = read.table
    assert df["venue_hint"].tolist()[:3] == ["arXiv", "arXiv", "ICDM"]
    assert df["year_hint"].tolist()[2:4] == [2019, 2020]
    assert df.loc[10, "venue_hint"] == "NeurIPS D&B"
    assert df.loc[7, "title_original"] == ("[TMM 2024] From Observation to Concept: A Flexible Multi-view Paradigm "
                                           "for Medical Report Generation (Early Access)")
    assert df.loc[12, "url"] is pd.NA or pd.isna(df.loc[12, "url"])  # code and demo links are not the paper
    assert df.loc[13, "url"] == "https://openreview.net/pdf?id=txlWziuCE5W"  # a paper host without an id
    assert df.loc[11, "url"] == "https://arxiv.org/pdf/2312.07867"
    assert df["seed_id"].is_unique


def test_bullets_report(shapes):
    assert shapes["bullets_venue_tags"].lines() == [
        "bullets_venue_tags.md (markdown): 16 rows in 4 sections",
        "  unsectioned: 0 rows; skipped: 1 images or badges only (line 1)",
        "  Awesome Multimodal Learning in Medical Imaging: 0 rows; skipped: 1 no paper link (line 6)",
        "  Contributing: 0 rows; skipped: 1 not a paper list (line 11); 1 code block (line 13)",
        "  Overview: 0 rows; skipped: 1 table of contents (line 19)",
        "  Survey: 2 rows, no task (no task name in it)",
        '  Medical Report Generation: 7 rows, task report_generation (name "Medical Report Generation")',
        '    duplicate: "Generating Radiology Reports via Memory-driven Transformer" (line 39) repeats line 33; '
        "kept once",
        '  Medical Visual Question Answering: 4 rows, task vqa (name "Medical Visual Question Answering")',
        "  Medical Vision-Language Model: 3 rows, no task (no task name in it)",
        "  News: 0 rows; skipped: 1 not a paper list (line 63)",
        "  Star History: 0 rows; skipped: 1 not a paper list (line 67)",
        "  headings with no task: Survey, Medical Vision-Language Model",
    ]


def test_paragraph_entries(shapes):
    read = shapes["paragraph_entries"]
    rg = "Clinical-Report-Generation"
    assert table(read.table, ("section", "task", "title", "arxiv_id", "doi", "venue_hint", "year_hint")) == [
        ("Survey", None, "Beyond Medical Imaging: A Review of Multimodal Deep Learning in Radiology", None, None,
         None, 2022),
        ("Classification", "classification", "CLIP-Lung: Textual Knowledge-Guided Lung Nodule Malignancy Prediction",
         "2304.08013", None, "MICCAI", 2023),
        # two entries in one paragraph, separated by a backslash line; the first title wraps over two lines
        ("Retrieval", "retrieval", "Vision-Language Models for Medical Report Generation and Visual Question "
         "Answering: A Review", None, "10.3389/frai.2024.1430984", "Frontiers in Artificial Intelligence", 2024),
        ("Retrieval", "retrieval", "Medical Vision Language Pretraining: A survey", "2312.06224", None, "arXiv", 2023),
        (rg, "report_generation", "Improving Factual Completeness and Consistency of Image-to-Text Radiology Report "
         "Generation", "2010.10042", None, "NAACL", 2021),  # the venue's year, not the preprint date
        (rg, "report_generation", "Generating Radiology Reports via Memory-driven Transformer", "2010.16056", None,
         "EMNLP", 2020),
        (rg, "report_generation", "Hierarchical X-Ray Report Generation via Pathology tags and Multi Head Attention",
         None, None, "ACCV", 2020),
        ("Medical Object Localization", None, "Weakly supervised one-stage vision and language disease detection "
         "using large scale pneumonia and pneumothorax studies", "2007.15778", None, "MICCAI", 2020),
    ]
    skipped = {(s.name, k.reason) for s in read.reports[0].sections for k in s.skipped}
    assert ("Overview", "table of contents") in skipped and ("Citation", "code block") in skipped
    assert not read.table["title"].str.contains("HTML Comment").any()


def test_details_sections(shapes):
    read = shapes["details_sections"]
    assert table(read.table, ("section", "task", "title", "arxiv_id", "doi")) == [
        # <summary>Survey: 2024</summary> under "## Survey" is a year: the entries stay in "Survey"
        ("Survey", None, "Vision-Language Models for Medical Report Generation and Visual Question Answering: A Review",
         "2403.02469", None),
        ("Survey", None, "Medical Vision Language Pretraining: A Survey", "2312.06224", None),
        # one <details> per paper, its title as summary: the section is the heading above
        ("CLIP and Variants", None, "MedCLIP: Contrastive Learning from Unpaired Medical Images and Text",
         "2210.10163", None),
        ("CLIP and Variants", None, "PMC-CLIP: Contrastive Language-Image Pre-training using Biomedical Documents",
         None, "10.1007/978-3-031-43993-3_51"),
        ("Medical VQA", "vqa", "PMC-VQA: Visual Instruction Tuning for Medical Visual Question Answering",
         "2305.10415", None),
        ("Medical VQA", "vqa", "PathVQA: 30000+ Questions for Medical Visual Question Answering", "2003.10286", None),
        # a pipe table inside <details><summary><h3>...</h3></summary>
        ("Report Generation", "report_generation", "Generating Radiology Reports via Memory-driven Transformer",
         "2010.16056", None),
        ("Report Generation", "report_generation", "When Radiology Report Generation Meets Knowledge Graph",
         "2002.08277", None),
        ("Segmentation", "segmentation", "LViT: Language meets Vision Transformer in Medical Image Segmentation",
         "2206.14718", None),
    ]
    assert not read.table["url"].str.contains("example.org", na=False).any()  # links in folded digests
    assert read.reports[0].lines()[2] == "  Table of Contents: 0 rows; skipped: 1 not a paper list (line 8)"


def test_plain_bullets_bold_years_and_a_dataset_table(shapes):
    read = shapes["plain_bullets"]
    pre = "How to Pre-train a Vision-Language Model"
    assert table(read.table, ("section", "task", "list_index", "title", "arxiv_id", "doi", "ieee_id")) == [
        (pre, None, None, "Learning to Exploit Temporal Structure for Biomedical Vision–Language Processing",
         "2301.04558", None, None),
        (pre, None, None, "MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training", "2301.02228", None, None),
        (pre, None, None, "Multi-Granularity Cross-modal Alignment for Generalized Medical Visual Representation "
         "Learning", "2210.06044", None, None),
        (pre, None, None, "Multi-Modal Understanding and Generation for Medical Images and Text via Vision-Language "
         "Pre-Training", None, None, "9894658"),
        (pre, None, None, "Joint learning of localized representations from medical images and reports", None,
         "10.1007/978-3-031-19809-0_39", None),
        (pre, None, None, "Unsupervised Multimodal Representation Learning across Medical Images and Reports",
         "1811.08615", None, None),  # arxiv.org/ftp/arxiv/papers/...
        ("Segmentation", "segmentation", "1", "LViT: Language meets Vision Transformer in Medical Image Segmentation",
         None, "10.1109/TMI.2023.3291719", None),  # doi.org link with %2F
        ("Segmentation", "segmentation", "2", "Ariadne's Thread: Using Text Prompts to Improve Segmentation of "
         "Infected Areas from Chest X-ray Images", None, None, None),
        ("Segmentation", "segmentation", "3", "MedSAM: Segment anything in medical images", None,
         "10.1038/s41467-024-44824-z", None),
        ("Prompt", None, None, "Medical Image Understanding with Pretrained Vision Language Models: A Comprehensive "
         "Study", None, None, None),
        ("Generation", None, None, "RoentGen: Vision-Language Foundation Model for Chest X-ray Generation",
         "2211.12737", None, None),  # a Hugging Face paper page names the arXiv id
        ("Generation", None, None, "Adapting Pretrained Vision-Language Foundational Models to Medical Imaging Domains",
         None, None, None),  # no link, but a venue and year
    ]
    df = read.table
    assert df["venue_hint"].tolist()[:2] == ["CVPR", "arxiv"] and df["year_hint"].tolist()[:2] == [2023, 2023]
    assert df.loc[7, ["venue_hint", "year_hint"]].tolist() == ["MICCAI", 2023]
    lines = read.reports[0].lines()
    assert "  Datasets: 0 rows; skipped: 1 table without a paper title column (line 13)" in lines
    assert "  Contents: 0 rows; skipped: 1 not a paper list (line 8)" in lines


def test_quoted_titles_emoji_headings_and_odd_links(shapes):
    read = shapes["quoted_titles"]
    mrg = "Medical Report Generation"
    assert table(read.table, ("section", "task", "title", "arxiv_id", "doi", "url")) == [
        (mrg, "report_generation", "R2GenGPT: Radiology Report Generation with Frozen LLMs", "2309.09812", None,
         "https://arxiv.org/abs/2309.09812"),
        (mrg, "report_generation", "MAIRA-1: A specialised large multimodal model for radiology report generation",
         "2311.13668", None, "https://arxiv.org/abs/2311.13668"),
        (mrg, "report_generation", "C2M-DoT: Cross-modal consistent multi-view medical report generation with domain "
         "transfer network", "2310.05355", None, "https://arxiv.org/pdf/2310.05355"),  # \[[code](...)] is not it
        # the arXiv link carries an id: it wins over the NeurIPS page listed first; [[code]]() is empty
        ("Medical VQA", "vqa", "LLaVA-Med: Training a Large Language-and-Vision Assistant for Biomedicine in One Day",
         "2306.00890", None, "https://arxiv.org/abs/2306.00890"),
        ("Medical VQA", "vqa", "Med-Flamingo: a Multimodal Medical Few-shot Learner", None, None,
         "https://proceedings.mlr.press/v225/moor23a.html"),  # [[link]] without a target is nothing
        ("Medical VQA", "vqa", "Quilt-LLaVA: Visual Instruction Tuning by Extracting Localized Narratives from "
         "Open-Source Histopathology Videos", None, None,
         "https://openaccess.thecvf.com/content/CVPR2024/papers/Seyfioglu_Quilt-LLaVA_CVPR_2024_paper.pdf"),
        ("Segmentation and Detection", None, "Segment anything in medical images", None, "10.1038/s41467-024-44824-z",
         "https://www.nature.com/articles/s41467-024-44824-z"),
        ("Image Denoising", None, "A Made-up Title About Text-guided Denoising of Low-dose CT", None, None,
         "https://papers.miccai.org/miccai-2024/paper/0000_paper.pdf"),
    ]
    df = read.table
    assert df["venue_hint"].tolist() == ["Meta-Radiology", "arXiv", "MedIA", "NeurIPS", "ML4H", "CVPR",
                                         "Nature Communications", "MICCAI"]
    assert df.loc[2, "title_original"].startswith("C$^2$M-DoT: ")
    lines = read.reports[0].lines()
    assert "  Segmentation and Detection: 1 row, no task (several tasks: segmentation, detection)" in lines
    assert "  Image Denoising: 1 row, no task (no task name in it)" in lines
    assert "  headings with no task: Segmentation and Detection, Image Denoising" in lines


def test_nested_groups_setext_and_backslash_paragraph(shapes):
    read = shapes["nested_groups"]
    vqa, mrg = "Medical Visual Question Answering", "Medical Report Generation"
    assert table(read.table, ("section", "task", "title", "arxiv_id", "acl_id", "pii", "venue_hint")) == [
        (vqa, "vqa", "PMC-VQA: Visual Instruction Tuning for Medical Visual Question Answering", "2305.10415", None,
         None, None),
        (vqa, "vqa", "Q2ATransformer: Improving Medical VQA via an Answer Querying Decoder", "2304.01611", None, None,
         None),
        # a title bullet whose paper link sits in a sub-bullet; its group label is a period ("2022 and before")
        (vqa, "vqa", "Consistency-preserving Visual Question Answering in Medical Imaging", "2206.13296", None, None,
         "MICCAI"),
        ("Surgical VQA", "vqa", "Surgical-VQA: Visual Question Answering in Surgical Scenes using Transformer",
         "2206.11053", None, None, None),
        (mrg, "report_generation", "Generating Radiology Reports via Memory-driven Transformer", None,
         "2020.emnlp-main.112", None, "EMNLP"),
        (mrg, "report_generation", "Cross-modal Memory Networks for Radiology Report Generation", None,
         "2021.acl-long.459", None, "ACL"),
        (mrg, "report_generation", "Knowledge Matters: Chest Radiology Report Generation with General and Specific "
         "Knowledge", None, None, "S1361841522001578", "MedIA"),
    ]
    assert '  Surgical VQA: 1 row, task vqa (words "VQA")' in read.reports[0].lines()


def test_mixed_shapes_in_one_file(shapes):
    read = shapes["mixed"]
    seg, cls = "Medical Image Segmentation", "Medical Image Classification"
    vqa, fm = "Medical Visual Question Answering", "Foundation Models"
    llava = "LLaVA-Med: Training a Large Language-and-Vision Assistant for Biomedicine in One Day"
    assert table(read.table, ("section", "task", "title", "arxiv_id", "doi", "pii")) == [
        # a pipe table under "### 2023": the task heading stays the section; its "Paper" column holds the links
        (seg, "segmentation", "LViT: Language meets Vision Transformer in Medical Image Segmentation", "2206.14718",
         None, None),
        (seg, "segmentation", "Ariadne's Thread: Using Text Prompts to Improve Segmentation of Infected Areas from "
         "Chest X-ray Images", "2307.03942", None, None),
        (seg, "segmentation", "Segment anything in medical images", None, "10.1038/s41467-024-44824-z", None),
        (seg, "segmentation", "One Model to Rule them All: Towards Universal Segmentation for Medical Images with Text "
         "Prompts", "2312.17183", None, None),  # listed twice in the section: kept once
        # a <details> section written without blank lines; its task comes from the heading above
        ("Zero-shot", "classification", "MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training for X-ray "
         "Diagnosis", "2301.02228", None, None),
        ("Zero-shot", "classification", "Knowledge-enhanced visual-language pre-training on chest radiology images",
         None, "10.1038/s41467-023-40260-7", None),
        (vqa, "vqa", llava, "2306.00890", None, None),
        (vqa, "vqa", "PMC-VQA: Visual Instruction Tuning for Medical Visual Question Answering", "2305.10415", None,
         None),
        (fm, None, llava, "2306.00890", None, None),
        (fm, None, "A Foundation Language-Image Model of the Retina (FLAIR): Encoding Expert Knowledge in Text "
         "Supervision", None, None, "S1361841524002822"),
    ]
    lines = read.reports[0].lines()
    assert '  Zero-shot: 2 rows, task classification (from "Medical Image Classification": name "Medical Image ' \
           'Classification")' in lines
    assert f"  {cls}: 0 rows; skipped: 1 HTML block (line 29)" in lines  # BiomedCLIP in an HTML table: said, not read
    assert any(line.startswith('    duplicate: "One Model to Rule Them All') and line.endswith("kept once")
               for line in lines)


def test_same_title_cleaned_the_same_in_every_shape(tmp_path):
    """One title written six ways gives one cleaned title and one matching key."""
    title = "MedKLIP: Medical Knowledge Enhanced Language-Image Pre-Training"
    url = "https://arxiv.org/abs/2301.02228"
    text = f"""## Classification
| Paper | Link |
|---|---|
| **{title}** | [PDF]({url}) |

- [**ICCV 2023**] {title} [[pdf]]({url})

**{title}.** [ICCV, 2023].<br>
*A. Author*<br>
[[PDF]({url})]

- **MedKLIP:** A. Author<br> "{title}" **ICCV (2023).** [[paper]]({url})

* {title}. ICCV 2023. [paper]({url})

- {title} :fire: (under review) [[pdf]]({url})
"""
    path = tmp_path / "same.md"
    path.write_text(text, encoding="utf-8")
    read = read_list(path)
    df = read.table
    assert df["title"].tolist() == [title]  # one row: the five entries repeat the table row in its section
    assert df["title_norm"].tolist() == [title.casefold()]
    dups = read.reports[0].sections[0].duplicates
    assert [(d.line, d.kept) for d in dups] == [(6, False), (8, False), (12, False), (14, False), (16, False)]


def test_read_seeds_gives_the_same_table(shapes):
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "shapes" / "mixed.md"
    pd.testing.assert_frame_equal(read_seeds(path), shapes["mixed"].table)
