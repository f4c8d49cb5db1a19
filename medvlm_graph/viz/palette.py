"""Colour-blind-safe palettes and one stable colour per label.

Every figure asks :func:`color_for` for the colour of a label, so "segmentation"
is the same colour in the network, the trends, the Sankey and the heatmaps.
Known taxonomy ids get a fixed slot in :data:`QUALITATIVE` (in taxonomy order);
any other label gets a slot chosen by a stable hash of its name, so a user's
own taxonomy is coloured consistently too (across runs and processes).

The qualitative palette joins Okabe & Ito's eight colours (2008) with Paul
Tol's "muted" scheme; both are designed to stay distinguishable under the
common colour-vision deficiencies. Sequential scales are single-hue blues,
diverging scales Tol's blue-red.

Examples
--------
>>> color_for("segmentation") == color_for("segmentation", "task")
True
>>> color_for("segmentation") != color_for("vqa")
True
"""

from __future__ import annotations

import zlib

# Okabe-Ito (without black) followed by Tol muted: 7 + 9 = 16 colours.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
             "#AA4499"]
QUALITATIVE: list[str] = OKABE_ITO + TOL_MUTED
GREY = "#BBBBBB"  # unlabelled / other

# Single-hue blues: zero is white (empty cells stand out), readable under every colour-vision deficiency.
SEQUENTIAL = "Blues"
# Tol's "BuRd" diverging scale: blue = fewer than expected, red = more.
DIVERGING = [[0.0, "#2166AC"], [0.25, "#92C5DE"], [0.5, "#F7F7F7"], [0.75, "#F4A582"], [1.0, "#B2182B"]]

# Default taxonomy ids (DESIGN.md) in a fixed order: their colours never move.
TASKS = ["report_generation", "vqa", "segmentation", "anomaly_detection", "classification", "synthesis",
         "retrieval", "multi_task", "super_resolution", "registration", "detection"]
STRATEGIES = ["pretraining", "fine_tuning", "prompting", "knowledge", "off_the_shelf", "reinforcement",
              "agentic"]
MODALITIES = ["xray", "ct", "mri", "ultrasound", "pathology", "dermatology", "ophthalmology", "endoscopy",
              "surgery", "dental", "multi_modality"]
ORIGINS = ["natural", "medical"]

_FIXED: dict[str, dict[str, str]] = {
    "task": {k: QUALITATIVE[i] for i, k in enumerate(TASKS)},
    # strategies and origins start elsewhere in the palette so that in a strategy -> task Sankey the two
    # sides do not share their first colours.
    "strategy": {k: QUALITATIVE[(i + 11) % len(QUALITATIVE)] for i, k in enumerate(STRATEGIES)},
    "modality": {k: QUALITATIVE[i] for i, k in enumerate(MODALITIES)},
    # origins appear next to the task colours (seed figure): two greys of clearly different lightness
    "origin": {"natural": "#8C8C8C", "medical": "#3B3B3B"},
}
_ANY = {k: v for dim in ("task", "strategy", "origin") for k, v in _FIXED[dim].items()}


def color_for(label: object, dimension: str | None = None) -> str:
    """The colour of ``label`` (a hex string), the same in every figure.

    Parameters
    ----------
    label : str
        A taxonomy id (``"segmentation"``), a cluster name or any other label.
        Missing values (None, NaN, "") are grey.
    dimension : str, optional
        ``task``, ``strategy``, ``modality``, ``origin`` or ``model``. Only
        needed where one id could mean two things; task and strategy ids
        are found without it.
    """
    if label is None or label != label or str(label) == "" or str(label) in {"none", "other", "<NA>"}:
        return GREY
    key = str(label)
    if dimension in _FIXED and key in _FIXED[dimension]:
        return _FIXED[dimension][key]
    if dimension is None or dimension not in _FIXED:
        if key in _ANY:
            return _ANY[key]
        if dimension is None and key in _FIXED["modality"]:
            return _FIXED["modality"][key]
    # crc32 is stable across processes (unlike hash()).
    return QUALITATIVE[zlib.crc32(key.encode("utf-8")) % len(QUALITATIVE)]


def cluster_color(cluster: object) -> str:
    """Colour of a cluster id: integer ids take consecutive palette slots (0, 1, 2 ... never collide
    below 16 clusters); other ids a stable hash.

    Examples
    --------
    >>> cluster_color(0) == QUALITATIVE[0], cluster_color("3") == QUALITATIVE[3]
    (True, True)
    """
    try:
        return QUALITATIVE[int(str(cluster)) % len(QUALITATIVE)]
    except ValueError:
        return color_for(f"cluster:{cluster}")


def color_map(labels, dimension: str | None = None) -> dict[str, str]:
    """``{label: colour}`` for an iterable of labels (order kept, duplicates dropped)."""
    return {str(x): color_for(x, dimension) for x in dict.fromkeys(labels)}


def pretty(label: object) -> str:
    """A readable name for a taxonomy id: ``"report_generation"`` -> ``"Report generation"``.

    Examples
    --------
    >>> pretty("vqa"), pretty("off_the_shelf"), pretty("xray")
    ('VQA', 'Off the shelf', 'X-ray')
    """
    key = str(label)
    special = {"vqa": "VQA", "xray": "X-ray", "ct": "CT", "mri": "MRI", "gpt4v": "GPT-4V",
               "multi_task": "Multi-task", "multi_modality": "Multi-modality"}
    if key in special:
        return special[key]
    text = key.replace("_", " ")
    return text[:1].upper() + text[1:]
