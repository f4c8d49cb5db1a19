"""`labels --evaluate --against LIST`: task labels measured against another list (SYNTHETIC list)."""

from __future__ import annotations

from typer.testing import CliRunner

from medvlm_graph.cli import app

LIST = """# A synthetic awesome list (written for this test)

## Medical VQA
- Visual question answering on chest X-rays with LLMs [[paper]](https://arxiv.org/abs/2501.00001)
- A benchmark for medical VQA [[paper]](https://arxiv.org/abs/2501.00002)
- Towards trustworthy assistants [[paper]](https://arxiv.org/abs/2501.00005)

## Segmentation
- Text-guided tumor segmentation in CT [[paper]](https://arxiv.org/abs/2501.00003)

## Report Generation
- Radiology report generation with vision-language models [[paper]](https://arxiv.org/abs/2501.00004)
"""


def test_evaluate_against_a_list_with_task_sections(tmp_path):
    path = tmp_path / "other.md"
    path.write_text(LIST)
    res = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), "labels", "--evaluate", "--against",
                                   str(path)])
    assert res.exit_code == 0, res.output
    # four titles name their task (right); the fifth names none and the classifier is not confident
    assert ("task labels against the list: accuracy 1.000 on 4 labelled rows, coverage 0.800 "
            "(4 of 5 rows with a task got a label; 0 matched a corpus paper, 0 with an abstract, which was used)"
            ) in res.output
    assert "  vqa                support   3  predicted   2  precision 1.00  recall 0.67" in res.output


def test_against_needs_evaluate(tmp_path):
    res = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), "labels", "--against", "x.md"])
    assert res.exit_code == 2 and "--against goes with --evaluate" in res.output
