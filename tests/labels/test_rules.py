"""Rule labels on small tables of titles with known labels (titles from the review list; abstracts synthetic)."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.labels.rules import build_matchers, camel_bounded, match_papers
from medvlm_graph.taxonomy import load_taxonomy

TAX = load_taxonomy()
MODELS = build_matchers(TAX, "model")


def models_in(text: str) -> set[str]:
    return {lab for lab, m in MODELS.items() if m.find(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MediCLIP: Adapting CLIP for Few-Shot Medical Image Anomaly Detection", {"clip"}),
        ("CLIP-AD: A Language-Guided Staged Dual-Path Model for Zero-Shot Anomaly Detection", {"clip"}),
        ("CausalCLIPSeg: Unlocking CLIP's Potential in Referring Medical Image Segmentation", {"clip"}),
        ("VCLIPSeg: Voxel-Wise CLIP-Enhanced Model", {"clip"}),
        ("AdaCLIP: Adapting CLIP with Hybrid Learnable Prompts", {"clip"}),
        ("Clip-dr: Textual knowledge-guided diabetic retinopathy grading", {"clip"}),
        # 'clip' inside unrelated words does not count
        ("Solar eclipse imaging", set()),
        ("ECLIPSE: a cohort study", set()),
        ("Gradient clipping stabilises training", set()),
        ("Video clips of endoscopy", set()),
        ("A surgical clip detector", set()),
        # SAM as a name but not inside 'same', 'sample', 'Samsung'
        ("MedCLIP-SAM: Bridging Text and Image", {"clip", "medclip", "sam"}),
        ("AdaptiveSAM: Towards Efficient Tuning of SAM for Surgical Scene Segmentation", {"sam"}),
        ("The same sample from SAMPLE on a Samsung phone", set()),
        # exclusions: BLIP inside BLIP-2, MedCLIP inside PubMedCLIP, FLAIR the MRI sequence
        ("BLIP-2: Bootstrapping Language-Image Pre-training", {"blip2"}),
        ("BLIP and BLIP-2 compared", {"blip", "blip2"}),
        ("PubMedCLIP: How Much Does CLIP Benefit VQA", {"clip", "pubmedclip"}),
        ("Lesions on T2-FLAIR images", set()),
        ("FLAIR: a foundation model of the retina", {"flair"}),
        # derivatives count the model they build on
        ("LLaVA-Med: Training a Large Language-and-Vision Assistant", {"llava", "llava_med"}),
        ("Comparing gpt-4v-based chatgpt and radiologists", {"gpt4v"}),
        ("GPT-4o versus GPT-4 on board questions", {"gpt4o", "gpt4_turbo"}),
        ("Gemini 1.5 Pro and Gemini Pro Vision", {"gemini", "gemini15_pro"}),
    ],
)
def test_model_mentions(text, expected):
    assert models_in(text) == expected


def test_camel_bounded_sides():
    assert camel_bounded("MediCLIP", 4, 8)
    assert camel_bounded("CausalCLIPSeg", 6, 10)
    assert not camel_bounded("eclipse", 1, 5)
    assert not camel_bounded("clipping", 0, 4)
    assert camel_bounded("SAM2", 0, 3)  # letter -> digit


# Titles from the review's list; the third paper's abstract is synthetic.
PAPERS = pd.DataFrame({
    "paper_id": ["p1", "p2", "p3", "p4", "p5"],
    "title": [
        "AdaptiveSAM: Towards Efficient Tuning of SAM for Surgical Scene Segmentation",
        "Position-Guided Prompt Learning for Anomaly Detection in Chest X-Rays",
        "A study of a vision-language model",
        "Finetuning of GLIDE Stable Diffusion Model for AI-Based Text-Conditional Image Synthesis of Dermoscopic Images",
        "Claude 3 opus and chatgpt with gpt-4 in dermoscopic image analysis for melanoma diagnosis",
    ],
    "abstract": [None, None, "We use CT scans. Later more CT and fundus photographs.", None, None],
    "tldr": [None, None, "A LoRA adapter.", None, None],
})

EXPECTED = {
    ("p1", "model", "sam", 1.0),
    ("p1", "modality", "surgery", 1.0),
    ("p1", "strategy", "fine_tuning", 1.0),  # "Tuning of SAM"
    ("p2", "strategy", "prompting", 1.0),
    ("p2", "modality", "xray", 1.0),
    ("p3", "modality", "ct", 0.8),  # two hits in the abstract only
    ("p3", "modality", "ophthalmology", 0.6),  # one hit in the abstract only
    ("p3", "strategy", "fine_tuning", 0.8),  # "LoRA" and "adapter" in the TLDR
    ("p4", "strategy", "fine_tuning", 1.0),
    ("p4", "modality", "dermatology", 1.0),
    ("p4", "model", "glide", 1.0),
    ("p4", "model", "stable_diffusion", 1.0),
    ("p5", "strategy", "off_the_shelf", 1.0),
    ("p5", "modality", "dermatology", 1.0),
    ("p5", "model", "claude3_opus", 1.0),
    ("p5", "model", "gpt4_turbo", 1.0),
}


def test_match_papers_exact_table():
    out = match_papers(PAPERS, TAX, ["strategy", "modality", "model"])
    assert set(out["source"]) == {"rules"}
    got = set(zip(out["paper_id"], out["dimension"], out["label"], out["score"]))
    assert got == EXPECTED
