"""SYNTHETIC corpus shaped like a real refresh of a medical-VLM seed list (written for the tests).

Titles are written to read like the literature (some are titles of well-known papers, used as
plain strings); ids, years, abstracts and every citation are invented. Nothing here is a fact
about any real paper's citations.

The shape is the one a real ``refresh`` returns around a review's seeds:

* a seed list: 14 task seeds (sections with tasks) and a model table of 4 general models
  (CLIP, SAM, LLaVA, BLIP-2: origin natural) and 2 medical models (MedCLIP, LLaVA-Med);
* 40 field papers outside the list (medical VLM work naming tasks, modalities and methods),
  tied to the task seeds the way field papers are (citing 1-4 of them, plus the models);
* 70 natural-image VLM papers citing CLIP / LLaVA / BLIP-2 (a few also cite one task seed; a few
  mention a medical word in their abstract);
* 12 classics cited by nearly everyone (ResNet, Transformer, BERT, ViT, U-Net, ...);
* 28 vision-only medical imaging papers (segmentation, registration, self-supervised
  pre-training on images), cited by the seeds, citing the classics and each other.

Off-field papers are the majority, as in a real refresh. ``TRUTH`` gives, for every non-seed
paper, whether it belongs to the field and (for field papers) the task its title or abstract
states.
"""

from __future__ import annotations

import random

import pandas as pd

# (key, title, year, task) of the list's task seeds
TASK_SEEDS = [
    ("ts_rg1", "R2GenGPT: Radiology Report Generation with Frozen LLMs", 2023, "report_generation"),
    ("ts_rg2", "Knowledge-enhanced chest X-ray report generation with contrastive vision-language pre-training",
     2022, "report_generation"),
    ("ts_rg3", "PromptMRG: Diagnosis-Driven Prompts for Medical Report Generation", 2024, "report_generation"),
    ("ts_vqa1", "PMC-VQA: Visual Instruction Tuning for Medical Visual Question Answering", 2023, "vqa"),
    ("ts_vqa2", "Medical visual question answering via conditional reasoning", 2020, "vqa"),
    ("ts_seg1", "Segment anything in medical images", 2024, "segmentation"),
    ("ts_seg2", "LViT: Language meets Vision Transformer in Medical Image Segmentation", 2023, "segmentation"),
    ("ts_seg3", "CLIP-Driven Universal Model for Organ Segmentation and Tumor Detection", 2023, "segmentation"),
    ("ts_cls1", "Zero-shot chest X-ray classification with expert-level accuracy from text supervision", 2022,
     "classification"),
    ("ts_cls2", "CheXzero-style prompt ensembles for medical image classification", 2023, "classification"),
    ("ts_ad1", "Adapting visual-language models for generalizable anomaly detection in medical images", 2024,
     "anomaly_detection"),
    ("ts_syn1", "RoentGen: vision-language foundation model for chest X-ray generation", 2023, "synthesis"),
    ("ts_ret1", "Cross-modal medical image-text retrieval with radiology reports", 2023, "retrieval"),
    ("ts_mt1", "Towards generalist biomedical AI with a multimodal large language model", 2024, "multi_task"),
]

MODEL_SEEDS = [  # (key, title, year, origin, name)
    ("m_clip", "Learning Transferable Visual Models From Natural Language Supervision", 2021, "natural", "CLIP"),
    ("m_sam", "Segment Anything", 2023, "natural", "SAM"),
    ("m_llava", "Visual Instruction Tuning", 2023, "natural", "LLaVA"),
    ("m_blip2", "BLIP-2: Bootstrapping Language-Image Pre-training with Frozen Image Encoders and Large "
                "Language Models", 2023, "natural", "BLIP-2"),
    ("m_medclip", "MedCLIP: Contrastive Learning from Unpaired Medical Images and Text", 2022, "medical", "MedCLIP"),
    ("m_llavamed", "LLaVA-Med: Training a Large Language-and-Vision Assistant for Biomedicine in One Day", 2023,
     "medical", "LLaVA-Med"),
]

# Field papers outside the list: (key, title, year, task stated in title/abstract or None, abstract or None)
FIELD = [
    ("f01", "Multimodal LLM for chest X-ray report generation with anatomical grounding", 2024, "report_generation", None),
    ("f02", "Retrieval-augmented radiology report generation with large language models", 2025, "report_generation", None),
    ("f03", "Hallucination-aware medical report generation from CT volumes", 2025, "report_generation", None),
    ("f04", "A vision-language benchmark for brain MRI report generation", 2024, "report_generation", None),
    ("f05", "Fine-grained image-text alignment for radiology report generation", 2024, "report_generation", None),
    ("f06", "Med-VQA with knowledge graphs and language priors", 2023, "vqa", None),
    ("f07", "Visual question answering on pathology slides with multimodal LLMs", 2024, "vqa", None),
    ("f08", "A benchmark of GPT-4V on medical visual question answering", 2024, "vqa", None),
    ("f09", "Chain-of-thought prompting for ophthalmology VQA", 2025, "vqa", None),
    ("f10", "Text-guided tumor segmentation in CT with vision-language pre-training", 2024, "segmentation", None),
    ("f11", "MedSAM adapters with text prompts for polyp segmentation in endoscopy", 2024, "segmentation", None),
    ("f12", "Language-guided segmentation of skin lesions in dermoscopy images", 2023, "segmentation", None),
    ("f13", "Referring expression segmentation for ultrasound with CLIP", 2025, "segmentation", None),
    ("f14", "Zero-shot classification of histopathology images with a pathology language model", 2024,
     "classification", None),
    ("f15", "Prompt learning for few-shot diagnosis of diabetic retinopathy from fundus photographs", 2024,
     "classification", None),
    ("f16", "Concept bottleneck vision-language models for explainable skin cancer classification", 2023,
     "classification", None),
    ("f17", "Zero-shot anomaly detection in brain MRI with CLIP and text prompts", 2024, "anomaly_detection", None),
    ("f18", "Few-shot medical anomaly detection with vision-language adapters", 2025, "anomaly_detection", None),
    ("f19", "Text-to-image diffusion for synthetic chest radiographs", 2024, "synthesis", None),
    ("f20", "Report-conditioned generation of mammograms with latent diffusion", 2025, "synthesis", None),
    ("f21", "Image-text retrieval for dermatology with contrastive learning", 2024, "retrieval", None),
    ("f22", "A generalist vision-language model for radiology: segmentation, report generation and VQA", 2025,
     "multi_task", None),
    ("f23", "Text-guided super-resolution of cardiac MRI", 2024, "super_resolution", None),
    ("f24", "Language-guided deformable registration of abdominal CT scans", 2025, "registration", None),
    ("f25", "Open-vocabulary lesion detection in chest X-rays with grounding language models", 2024, "detection",
     None),
    # title names the task; the domain only in the abstract
    ("f26", "Aligning images and reports for zero-shot classification", 2024, "classification",
     "We pre-train on paired chest radiographs and radiology reports from a hospital archive and evaluate "
     "zero-shot disease classification for patients with pneumonia and lung nodules."),
    ("f27", "Instruction-tuned multimodal assistants for question answering", 2025, "vqa",
     "A multimodal assistant answers clinical questions about CT and MRI scans of patients; we build a "
     "medical instruction dataset with radiologist feedback."),
    # the task only in the abstract
    ("f28", "Large language models meet medical imaging: a structured study", 2025, "report_generation",
     "We study report generation for chest X-ray images with LLM decoders and clinical efficacy metrics."),
    ("f29", "Knowledge-enhanced vision-language pre-training for pathology", 2023, "classification",
     "The pre-trained model improves zero-shot classification of whole-slide images of tumors."),
    ("f30", "Grounded medical vision-language models for radiologists", 2024, "detection",
     "Our model performs lesion detection and phrase grounding on chest radiographs from free-text reports."),
    # no task stated: field papers the task labels may abstain on
    ("f31", "Towards trustworthy medical vision-language models", 2025, None, None),
    ("f32", "A survey of large language models in radiology", 2024, None, None),
    ("f33", "Bias in medical vision-language foundation models across patient groups", 2025, None, None),
    ("f34", "Efficient LoRA tuning of LLaVA for biomedical images", 2024, None, None),
    ("f35", "MedCLIP-style contrastive pre-training on 3D CT with radiology reports", 2025, None, None),
    # weak text, strong ties: method words only (no domain word in the title)
    ("f36", "Prompting GPT-4V: lessons for clinical deployment", 2025, None, None),
    ("f37", "Vision-language adapters for echocardiography", 2025, None, None),
    ("f38", "Multimodal LLM agents for surgical video question answering", 2025, "vqa", None),
    ("f39", "Dental panoramic radiograph report generation with VLMs", 2025, "report_generation", None),
    ("f40", "Evaluating VLMs for medical image classification under distribution shift", 2025, "classification", None),
]

NATURAL_TOPICS = [
    "Visual instruction tuning for remote sensing imagery", "A benchmark for hallucination in multimodal LLMs",
    "Open-vocabulary object detection with CLIP", "Efficient vision-language pre-training with masked tokens",
    "Video question answering with large language models", "Zero-shot semantic segmentation with CLIP features",
    "Text-to-image diffusion with layout control", "Image captioning with frozen language models",
    "Prompt learning for vision-language models", "Scaling laws for contrastive language-image learning",
    "Multimodal chain-of-thought reasoning in science questions", "Referring expression comprehension at scale",
    "Visual grounding with large multimodal models", "Compositional reasoning in vision-language models",
    "Document understanding with OCR-free multimodal LLMs", "Robot manipulation from language instructions",
]

CLASSICS = [
    ("c_resnet", "Deep Residual Learning for Image Recognition", 2016),
    ("c_transformer", "Attention Is All You Need", 2017),
    ("c_bert", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", 2019),
    ("c_vit", "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", 2021),
    ("c_unet", "U-Net: Convolutional Networks for Biomedical Image Segmentation", 2015),
    ("c_ddpm", "Denoising Diffusion Probabilistic Models", 2020),
    ("c_adam", "Adam: A Method for Stochastic Optimization", 2015),
    ("c_imagenet", "ImageNet: A large-scale hierarchical image database", 2009),
    ("c_gpt3", "Language Models are Few-Shot Learners", 2020),
    ("c_fasterrcnn", "Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks", 2015),
    ("c_swin", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", 2021),
    ("c_ldm", "High-Resolution Image Synthesis with Latent Diffusion Models", 2022),
]

VISION_MEDICAL = [
    "nnU-Net: a self-configuring method for deep learning-based biomedical image segmentation",
    "TransUNet: Transformers make strong encoders for medical image segmentation",
    "Swin UNETR: Swin transformers for semantic segmentation of brain tumors in MRI images",
    "Models Genesis: generic autodidactic models for 3D medical image analysis",
    "VoxelMorph: a learning framework for deformable medical image registration",
    "CheXNet: radiologist-level pneumonia detection on chest X-rays with deep learning",
    "Self-supervised pre-training of chest radiograph encoders without labels",
    "Attention U-Net: learning where to look for the pancreas",
    "A convolutional network for polyp detection in colonoscopy video",
    "Deep learning for diabetic retinopathy grading in fundus images",
    "Masked autoencoders for 3D CT representation learning",
    "UNETR: transformers for 3D medical image segmentation",
    "Contrastive self-supervised learning for histopathology tiles",
    "Multiple instance learning for whole slide image classification",
    "Deep learning for skin lesion classification in dermoscopy",
    "Automated cardiac MRI segmentation with fully convolutional networks",
    "Liver tumor segmentation in CT with cascaded networks",
    "Lung nodule detection in low-dose CT with 3D CNNs",
    "Ultrasound image segmentation of the thyroid with deep networks",
    "Fracture detection in wrist radiographs with deep learning",
    "Domain adaptation for cross-scanner MRI segmentation",
    "Semi-supervised medical image segmentation with uncertainty",
    "Generative adversarial networks for MRI-to-CT synthesis",
    "Deep learning mammography screening for breast cancer",
    "Brain tumor classification from MRI with transfer learning",
    "Prostate segmentation in MRI with 3D networks",
    "A large chest X-ray dataset with uncertainty labels",
    "Registration of histology slides with deep features",
]

# Medical NLP: domain and method words, no image (another field)
MEDICAL_TEXT = [
    "Large language models encode clinical knowledge",
    "ChatDoctor: a medical chat model fine-tuned on patient dialogues",
    "Clinical BERT embeddings for hospital readmission prediction from notes",
    "Benchmarking large language models on medical licensing exam questions",
    "Summarizing clinical notes with instruction-tuned LLMs",
    "Medical question answering with retrieval-augmented language models",
    "De-identification of electronic health records with transformers",
    "Evaluating GPT-4 on clinical decision support from patient histories",
]

RNG_SEED = 7
#: The date of the synthetic list's snapshot (candidates are papers published after it).
LIST_DATE = "2025-06-01"


def build() -> dict[str, object]:
    """Papers, citations and seeds tables of the synthetic world, and the ground truth.

    Returns a dict with ``papers``, ``citations``, ``seeds`` (DataFrames) and ``truth``
    (DataFrame: paper_id, in_field, task for non-seed papers).
    """
    rng = random.Random(RNG_SEED)
    papers, truth, edges = [], [], set()

    def add(pid, title, year, abstract=None, **extra):
        papers.append({"paper_id": pid, "title": title, "year": year, "abstract": abstract,
                       "citation_count": 0, "reference_count": 0, **extra})

    seeds = []
    numbering: dict[str, int] = {}
    for k, t, y, task in TASK_SEEDS:
        add(k, t, y)
        section = task.replace("_", " ").title()
        numbering[section] = numbering.get(section, 0) + 1
        seeds.append({"seed_id": f"sid_{k}", "section": section, "task": task, "title": t,
                      "paper_id": k, "match": "id", "origin": None, "model_name": None,
                      "list_index": str(numbering[section])})
    for i, (k, t, y, origin, name) in enumerate(MODEL_SEEDS):
        add(k, t, y)
        seeds.append({"seed_id": f"sid_{k}", "section": "models", "task": None, "title": t, "paper_id": k,
                      "match": "id", "origin": origin, "model_name": name, "list_index": str(i + 1)})
    classics = [k for k, _, _ in CLASSICS]
    for k, t, y in CLASSICS:
        add(k, t, y)
        truth.append((k, False, None))
    vis = [f"v{i:02d}" for i in range(len(VISION_MEDICAL))]
    for k, t in zip(vis, VISION_MEDICAL):
        add(k, t, rng.choice([2017, 2018, 2019, 2020, 2021, 2022]))
        truth.append((k, False, None))
    nat = [f"n{i:02d}" for i in range(70)]
    nat_abstract_medical = set(nat[::9])  # a few mention a medical application in passing
    nat_abstract_two = set(nat[4::9])  # and a few name two medical words
    for i, k in enumerate(nat):
        t = f"{NATURAL_TOPICS[i % len(NATURAL_TOPICS)]} ({['v', 'II', 'at scale', 'revisited', 'plus'][i % 5]})"
        abstract = None
        if k in nat_abstract_medical:
            abstract = ("We evaluate the vision-language model on natural images, charts and documents; "
                        "applications such as medical imaging are left for future work.")
        elif k in nat_abstract_two:
            abstract = ("Our multimodal LLM generalises across domains, from autonomous driving to healthcare "
                        "and medical imaging, without task-specific tuning.")
        add(k, t, rng.choice([2022, 2023, 2024, 2025]), abstract)
        truth.append((k, False, None))
    med_text = [f"t{i:02d}" for i in range(len(MEDICAL_TEXT))]
    for k, t in zip(med_text, MEDICAL_TEXT):
        add(k, t, rng.choice([2023, 2024, 2025]))
        truth.append((k, False, None))
    field = [k for k, *_ in FIELD]
    for i, (k, t, y, task, abstract) in enumerate(FIELD):
        # identifiers and dates as S2 gives them: an arXiv id for most, a DOI for some; papers of the
        # last year spread over it (the list's snapshot is dated LIST_DATE)
        extra = {"arxiv_id": f"{y % 100:02d}{(i % 12) + 1:02d}.{10000 + i}" if i % 4 else None,
                 "doi": f"10.9999/field.{i}" if i % 4 == 0 else None,
                 "publication_date": f"{y}-{(i % 12) + 1:02d}-15"}
        add(k, t, y, abstract, **extra)
        truth.append((k, True, task))

    task_seed_ids = [k for k, *_ in TASK_SEEDS]
    natural_models = ["m_clip", "m_sam", "m_llava", "m_blip2"]
    medical_models = ["m_medclip", "m_llavamed"]
    year = {p["paper_id"]: p["year"] for p in papers}

    def cite(a, b):
        if a != b and year[a] >= year[b]:
            edges.add((a, b))

    # every paper of the era cites the classics (the hubs)
    for p in task_seed_ids + field + nat + vis + natural_models + medical_models:
        for c in rng.sample(classics, 4):
            cite(p, c)
    # seeds cite vision-only medical work and older field papers
    for s in task_seed_ids:
        for v in rng.sample(vis, 3):
            cite(s, v)
        for m in rng.sample(natural_models, 2) + medical_models[:1]:
            cite(s, m)
    # field papers cite task seeds (1-4), models, and each other
    for f in field:
        if f in ("f36", "f37"):
            n_task = 4  # weak text, strong ties
        else:
            n_task = rng.choice([1, 1, 2, 2, 3, 4])
        for s in rng.sample(task_seed_ids, n_task):
            cite(f, s)
        for m in rng.sample(natural_models, 2) + rng.sample(medical_models, 1):
            cite(f, m)
        for v in rng.sample(vis, 2):
            cite(f, v)
        for g in rng.sample(field, 2):
            cite(f, g)
    # natural-image VLM papers cite the general models and each other; a few cite one task seed
    for i, n in enumerate(nat):
        for m in rng.sample(natural_models, 3):
            cite(n, m)
        for o in rng.sample(nat, 3):
            cite(n, o)
        if i % 7 == 0:
            cite(n, rng.choice(task_seed_ids))
    # medical NLP papers cite the language classics, the medical chat model and, sometimes, the
    # generalist biomedical seed
    for i, t in enumerate(med_text):
        for c in ("c_transformer", "c_bert", "c_gpt3"):
            cite(t, c)
        cite(t, "m_llavamed")
        if i % 2 == 0:
            cite(t, "ts_mt1")
    # vision-only medical papers cite each other and, rarely, one task seed
    for i, v in enumerate(vis):
        for o in rng.sample(vis, 3):
            cite(v, o)
        if i % 9 == 0:
            cite(v, rng.choice(task_seed_ids))
    citations = pd.DataFrame(sorted(edges), columns=["citing_id", "cited_id"])
    return {
        "papers": pd.DataFrame(papers),
        "citations": citations,
        "seeds": pd.DataFrame(seeds),
        "truth": pd.DataFrame(truth, columns=["paper_id", "in_field", "task"]),
    }


def write_fetched(paths, world: dict | None = None) -> dict:
    """Write the world as a fetched layer (as ``refresh`` would) under ``paths``; return the world."""
    from medvlm_graph.io import atomic_write_json, write_parquet

    world = world or build()
    papers = world["papers"].assign(source="s2", is_seed=lambda d: d["paper_id"].isin(world["seeds"]["paper_id"]))
    for name, df in (("papers", papers), ("citations", world["citations"].assign(source="references")),
                     ("seeds", world["seeds"])):
        write_parquet(df, paths.fetched_table(name))
    atomic_write_json(paths.fetched / "provenance.json",
                      {"source": "refresh", "finished_at": "2026-01-01T00:00:00+00:00", "complete": True,
                       "synthetic": True})
    return world
