"""Taxonomy loading and validation (broken files are synthetic, written per test)."""

from __future__ import annotations

import textwrap

import pytest

from medvlm_graph.errors import TaxonomyError
from medvlm_graph.taxonomy import DIMENSIONS, load_taxonomy

TASKS = ("report_generation", "vqa", "segmentation", "anomaly_detection", "classification", "synthesis",
         "retrieval", "multi_task", "super_resolution", "registration", "detection")
STRATEGIES = ("pretraining", "fine_tuning", "prompting", "knowledge", "off_the_shelf", "reinforcement", "agentic")
MODALITIES = ("xray", "ct", "mri", "ultrasound", "pathology", "dermatology", "ophthalmology", "endoscopy",
              "surgery", "dental", "multi_modality")


def test_default_taxonomy_has_the_design_ids():
    tax = load_taxonomy()
    assert tuple(tax.dimensions) == DIMENSIONS
    assert tax.label_ids("task") == TASKS
    assert tax.label_ids("strategy") == STRATEGIES
    assert tax.label_ids("modality") == MODALITIES
    # one model label per row of the review's model table (68 rows)
    models = tax.label_ids("model")
    assert len(models) == 68 and len(set(models)) == 68
    assert {"clip", "sam", "llava", "blip", "blip2", "gpt4v", "llava_med", "medclip", "biomedclip"} <= set(models)


def test_default_model_papers_and_origin():
    tax = load_taxonomy()
    clip = tax.get("model", "clip")
    assert clip.name == "CLIP" and clip.origin == "natural"
    assert clip.paper.title == "Learning Transferable Visual Models From Natural Language Supervision"
    assert clip.paper.arxiv is None
    assert tax.get("model", "biomedclip").paper.arxiv == "2303.00915"
    assert tax.get("model", "kad").paper.doi == "10.1038/s41467-023-40260-7"
    assert tax.get("model", "gpt4v").paper is None
    assert sum(lab.origin == "medical" for lab in tax.labels("model")) == 34


def test_unknown_label_raises():
    with pytest.raises(TaxonomyError, match=r"no label 'nope' in dimension 'task'"):
        load_taxonomy().get("task", "nope")


GOOD = """\
version: 1
dimensions:
  modality:
    labels:
      - id: ct
        name: CT
        rules:
          terms: [computed tomography]
      - id: mri
        name: MRI
        rules:
          patterns: ['\\bMRI\\b']
"""


def _write(tmp_path, text):
    p = tmp_path / "tax.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_small_valid_file_loads(tmp_path):
    tax = load_taxonomy(_write(tmp_path, GOOD))
    assert tuple(tax.dimensions) == ("modality",)
    assert tax.label_ids("modality") == ("ct", "mri")
    assert tax.get("modality", "ct").rules.terms == ("computed tomography",)
    assert tax.get("modality", "mri").line == 9
    assert tax.labels("task") == ()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # unknown key inside rules (line 8)
        ("          terms: [computed tomography]", "          term: [computed tomography]",
         "line 8: unknown key 'term' in rules of 'ct'"),
        # duplicate id (second label at line 9)
        ("      - id: mri", "      - id: ct", "line 9: duplicate label id 'ct' in dimension 'modality' "
                                             "(first defined on line 5)"),
        # bad regular expression (the pattern entry is on line 12)
        ("          patterns: ['\\bMRI\\b']", "          patterns: ['(MRI']",
         "line 12: bad regular expression in patterns of 'mri': '(MRI'"),
        # wrong type: a string where a list is expected
        ("          terms: [computed tomography]", "          terms: computed tomography",
         "line 8: terms of 'ct' must be a list of strings"),
        # unknown dimension
        ("  modality:", "  modalities:", "line 3: unknown key 'modalities' in dimensions"),
        # unknown top-level key
        ("version: 1", "versoin: 1", "line 1: unknown key 'versoin' in the taxonomy"),
        # duplicate key in one mapping
        ("        name: MRI", "        name: MRI\n        name: MR", "line 11: duplicate key 'name'"),
        # bad id
        ("      - id: mri", "      - id: MRI-2", "line 9: label id 'MRI-2' must match [a-z][a-z0-9_]*"),
        # paper outside the model dimension
        ("        name: CT", "        name: CT\n        paper: {title: x}",
         "line 7: 'paper' and 'origin' are only allowed in the model dimension"),
        # YAML syntax error
        ("        name: MRI", "        name: [MRI", "invalid YAML"),
    ],
)
def test_broken_files_name_the_line(tmp_path, old, new, message):
    assert old in GOOD
    p = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(TaxonomyError) as exc:
        load_taxonomy(p)
    assert str(exc.value).startswith(f"{p}, line ")
    assert message in str(exc.value)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(TaxonomyError, match="taxonomy file not found"):
        load_taxonomy(tmp_path / "nope.yaml")
    with pytest.raises(TaxonomyError, match=r"line 1: the taxonomy file is empty"):
        load_taxonomy(_write(tmp_path, ""))
    with pytest.raises(TaxonomyError, match=r"line 1: missing key 'dimensions'"):
        load_taxonomy(_write(tmp_path, "version: 1\n"))
