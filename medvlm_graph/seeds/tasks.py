"""Section headings and task names -> the review's eleven task ids.

Matching is by keywords, never by position. More specific phrases come first:
"Report Generation" must not fall into synthesis ("generation") and
"Anomaly Detection" must not fall into detection.

Examples
--------
>>> task_of("Medical Report Generation"), task_of("Anomaly Detection"), task_of("Object Detection")
('report_generation', 'anomaly_detection', 'detection')
>>> task_of("Other Image Analysis Tasks") is None
True
"""

from __future__ import annotations

import re

TASKS = (
    "report_generation", "vqa", "segmentation", "anomaly_detection", "classification", "synthesis",
    "retrieval", "multi_task", "super_resolution", "registration", "detection",
)

# Ordered: first match wins.
_RULES: tuple[tuple[str, str], ...] = (
    (r"report[\s_-]*generation|radiology[\s_-]*report|report[\s_-]*writing", "report_generation"),
    (r"\bvqa\b|question[\s_-]*answering", "vqa"),
    (r"multi[\s_-]*task", "multi_task"),
    (r"super[\s_-]*resolution", "super_resolution"),
    (r"anomal(y|ies)|abnormality[\s_-]*detection", "anomaly_detection"),
    (r"segment", "segmentation"),
    (r"classif", "classification"),
    (r"synthes|image[\s_-]*generation|text[\s_-]*to[\s_-]*image", "synthesis"),
    (r"retriev", "retrieval"),
    (r"registration", "registration"),
    (r"detection|grounding|locali[sz]ation", "detection"),
)


def task_of(text: object) -> str | None:
    """The task id a heading or task name refers to, or ``None``.

    A task id itself (``"super_resolution"``) maps to itself.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    low = text.strip().casefold()
    if low in TASKS:
        return low
    for pattern, task in _RULES:
        if re.search(pattern, low):
            return task
    return None
