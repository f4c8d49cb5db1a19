"""Section headings and task names -> task ids of the taxonomy.

The tasks, their names and aliases all come from the taxonomy (the shipped
``taxonomy.yaml`` or the user's file); nothing here lists tasks. A text maps to
a task in two ways, tried in order:

1. it *is* a task: its id, name or one of its aliases, compared as
   :func:`medvlm_graph.labels.classifier.task_lookup` compares them (the same
   mapping the labels stage uses for the ``task`` column);
2. it *contains* a task's name, alias or term as whole words (space and hyphen
   interchangeable, plural allowed: the taxonomy's own matching rules,
   :func:`medvlm_graph.labels.rules.build_matchers`). A hit inside a longer hit
   of another task does not count ("Detection" inside "Anomaly Detection");
   when two tasks remain ("Segmentation and VQA") the text maps to none and the
   match says why.

Examples
--------
>>> task_of("Medical Report Generation"), task_of("Anomaly Detection"), task_of("Object Detection")
('report_generation', 'anomaly_detection', 'detection')
>>> task_of("Other Image Analysis Tasks") is None
True
>>> default_task_map().match("Zero-shot Anomaly Detection")
TaskMatch(task='anomaly_detection', how='words "Anomaly Detection"')
>>> default_task_map().match("Segmentation and VQA").how
'several tasks: vqa, segmentation'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..labels.classifier import task_ids, task_lookup
from ..labels.rules import build_matchers
from ..taxonomy import Taxonomy, load_taxonomy

NO_TASK = "no task name in it"


@dataclass(frozen=True)
class TaskMatch:
    """The task a text maps to (``None``: none or several) and how it was found."""

    task: str | None
    how: str


class TaskMap:
    """Maps headings and task names to the task ids of one taxonomy.

    Parameters
    ----------
    taxonomy : Taxonomy, optional
        Default: the shipped taxonomy.
    """

    def __init__(self, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self.ids: tuple[str, ...] = self.taxonomy.label_ids("task")
        self._lookup = task_lookup(self.taxonomy)
        self._matchers = build_matchers(self.taxonomy, "task")

    def match(self, text: object) -> TaskMatch:
        """The :class:`TaskMatch` of a heading or task name."""
        if not isinstance(text, str) or not text.strip():
            return TaskMatch(None, NO_TASK)
        # task_ids splits ;-joined values; a heading is one value.
        exact = task_ids(text.replace(";", ","), self._lookup)
        if exact:
            return TaskMatch(exact[0], f'name "{text.strip()}"')
        hits = [(label, span) for label, m in self._matchers.items() for span in m.find(text)]
        kept = [(label, (a, b)) for label, (a, b) in hits
                if not any(o != label and c <= a and b <= d and d - c > b - a for o, (c, d) in hits)]
        labels = list(dict.fromkeys(label for label, _ in kept))
        if len(labels) == 1:
            a, b = max((span for _, span in kept), key=lambda s: s[1] - s[0])
            return TaskMatch(labels[0], f'words "{text[a:b]}"')
        if labels:
            return TaskMatch(None, "several tasks: " + ", ".join(sorted(labels, key=self.ids.index)))
        return TaskMatch(None, NO_TASK)

    def __call__(self, text: object) -> str | None:
        return self.match(text).task


@lru_cache(maxsize=1)
def default_task_map() -> TaskMap:
    """The :class:`TaskMap` of the shipped taxonomy (built once)."""
    return TaskMap()


def task_map(taxonomy: Taxonomy | TaskMap | None = None) -> TaskMap:
    """A :class:`TaskMap` for ``taxonomy`` (``None``: the shipped one; a TaskMap is returned as is)."""
    if isinstance(taxonomy, TaskMap):
        return taxonomy
    return default_task_map() if taxonomy is None else TaskMap(taxonomy)


def task_of(text: object, taxonomy: Taxonomy | TaskMap | None = None) -> str | None:
    """The task id a heading or task name refers to, or ``None``.

    A task id itself (``"super_resolution"``) maps to itself.
    """
    return task_map(taxonomy)(text)
