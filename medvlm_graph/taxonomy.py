"""The label taxonomy: dimensions, label ids, display names and matching rules.

The default taxonomy ships as ``medvlm_graph/data/taxonomy.yaml``; any other
file with the same layout can replace it (``--taxonomy FILE``)::

    version: 1
    dimensions:
      strategy:                      # one of: task, strategy, modality, model
        description: ...
        labels:
          - id: prompting            # [a-z][a-z0-9_]*, unique within the dimension
            name: Prompting
            description: ...
            rules:
              terms: [prompt learning]      # phrases, case-insensitive, word-bounded
              aliases: [in-context learning]
              case_sensitive: [ICL]         # exact-case spellings
              patterns: ['\\bprompt\\w*']   # regular expressions (case-insensitive)
              exclusions: []                # regexes; a hit inside one is ignored
            paper:                   # model dimension only: the model's own paper
              arxiv: "2103.00020"
              doi: null
              title: ...
            origin: natural          # model dimension only: natural | medical

The file is validated on load: unknown keys, duplicate keys or ids, wrong
types and patterns that do not compile raise :class:`~medvlm_graph.errors.TaxonomyError`
naming the file and the line (line numbers come from composing the YAML node
tree, so they point at the offending entry).

Examples
--------
>>> tax = load_taxonomy()
>>> tax.label_ids("strategy")[:3]
('pretraining', 'fine_tuning', 'prompting')
>>> tax.get("model", "clip").name
'CLIP'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import TaxonomyError
from .paths import package_data

DIMENSIONS = ("task", "strategy", "modality", "model")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

_TOP_KEYS = {"version", "name", "description", "dimensions", "field"}
#: Parts of the optional ``field`` section: the field's domain and method vocabulary (relevance).
FIELD_PARTS = ("domain", "method", "data")
_FIELD_KEYS = {"description", *FIELD_PARTS, *(f"{p}_name" for p in FIELD_PARTS)}
_DIM_KEYS = {"description", "labels"}
_LABEL_KEYS = {"id", "name", "description", "rules", "paper", "origin"}
_RULE_KEYS = {"terms", "aliases", "case_sensitive", "patterns", "exclusions"}
_PAPER_KEYS = {"arxiv", "doi", "title"}


@dataclass(frozen=True)
class Rules:
    """Matching rules of one label (all tuples of strings)."""

    terms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PaperRef:
    """The paper that introduced a foundation model (any field may be None)."""

    arxiv: str | None = None
    doi: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Label:
    """One label of one dimension."""

    id: str
    name: str
    dimension: str
    description: str = ""
    rules: Rules = field(default_factory=Rules)
    paper: PaperRef | None = None
    origin: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Dimension:
    """A dimension (task, strategy, modality or model) and its labels."""

    id: str
    labels: tuple[Label, ...]
    description: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy. Use :func:`load_taxonomy` to build one."""

    path: Path
    dimensions: dict[str, Dimension]
    name: str = ""
    #: The optional ``field`` section: labels ``domain``, ``method``, ``data`` (dimension ``"field"``)
    #: whose rules name the field's vocabulary, read by :mod:`medvlm_graph.relevance`.
    field_vocabulary: Dimension | None = None

    def labels(self, dimension: str) -> tuple[Label, ...]:
        """Labels of ``dimension`` (empty when the file does not define it); ``"field"`` gives the
        vocabulary of the ``field`` section."""
        dim = self.field_vocabulary if dimension == "field" else self.dimensions.get(dimension)
        return dim.labels if dim else ()

    def label_ids(self, dimension: str) -> tuple[str, ...]:
        return tuple(lab.id for lab in self.labels(dimension))

    def get(self, dimension: str, label_id: str) -> Label:
        for lab in self.labels(dimension):
            if lab.id == label_id:
                return lab
        raise TaxonomyError(f"{self.path}: no label {label_id!r} in dimension {dimension!r}")

    def __repr__(self) -> str:
        counts = ", ".join(f"{d}={len(v.labels)}" for d, v in self.dimensions.items())
        return f"Taxonomy({self.path.name}: {counts})"


def default_taxonomy_path() -> Path:
    """The shipped ``taxonomy.yaml``."""
    return package_data("taxonomy.yaml")


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Load and validate a taxonomy file (``None``: the shipped default).

    Raises
    ------
    TaxonomyError
        Unreadable file, YAML syntax error, unknown or duplicate key, duplicate
        id, wrong type or a pattern that does not compile; the message names
        the file and line.
    """
    p = Path(path) if path is not None else default_taxonomy_path()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaxonomyError(f"taxonomy file not found: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"cannot read taxonomy file {p}: {exc}") from None
    try:
        # The C loader (when built) is ~20x faster and keeps the node marks.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise TaxonomyError(f"{p}, line {line}: invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{p}: invalid YAML: {exc}") from None
    return _Parser(p).taxonomy(root)


class _Parser:
    """Walks the composed YAML node tree so every error can name its line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> TaxonomyError:
        line = node.start_mark.line + 1 if node is not None else 1
        return TaxonomyError(f"{self.path}, line {line}: {message}")

    def mapping(self, node: yaml.Node, allowed: set[str], what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                raise self.fail(key_node, f"{what}: keys must be plain names")
            if key not in allowed:
                raise self.fail(key_node, f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})")
            if key in out:
                raise self.fail(key_node, f"duplicate key {key!r} in {what}")
            out[key] = (key_node, value_node)
        return out

    def string(self, node: yaml.Node, what: str, *, optional: bool = False) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:null":
                if optional:
                    return None
                raise self.fail(node, f"{what} must not be empty")
            return str(node.value)
        raise self.fail(node, f"{what} must be a string")

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list of strings")
        out = []
        for item in node.value:
            value = self.string(item, f"an entry of {what}")
            if not value.strip():
                raise self.fail(item, f"empty entry in {what}")
            out.append(value)
        return tuple(out)

    def regex(self, node: yaml.Node, pattern: str, what: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise self.fail(node, f"bad regular expression in {what}: {pattern!r} ({exc})") from None

    def taxonomy(self, root: yaml.Node | None) -> Taxonomy:
        if root is None:
            raise TaxonomyError(f"{self.path}, line 1: the taxonomy file is empty")
        top = self.mapping(root, _TOP_KEYS, "the taxonomy")
        if "dimensions" not in top:
            raise self.fail(root, "missing key 'dimensions'")
        name = self.string(top["name"][1], "name", optional=True) if "name" in top else ""
        dims_node = top["dimensions"][1]
        dims = self.mapping(dims_node, set(DIMENSIONS), "dimensions")
        if not dims:
            raise self.fail(dims_node, "no dimensions defined")
        dimensions = {d: self.dimension(d, value) for d, (_, value) in dims.items()}
        field_dim = self.field_section(top["field"][1]) if "field" in top else None
        return Taxonomy(path=self.path, dimensions=dimensions, name=name or "", field_vocabulary=field_dim)

    def field_section(self, node: yaml.Node) -> Dimension:
        """The ``field`` section: ``domain``, ``method`` and ``data`` rule sets (each optional)."""
        fields = self.mapping(node, _FIELD_KEYS, "the field section")
        names = {part: self.string(fields[f"{part}_name"][1], f"{part}_name") if f"{part}_name" in fields
                 else part for part in FIELD_PARTS}
        labels = tuple(
            Label(id=part, name=names[part], dimension="field",
                  rules=self.rules(fields[part][1], f"field {part}"), line=fields[part][1].start_mark.line + 1)
            for part in FIELD_PARTS if part in fields)
        desc = self.string(fields["description"][1], "description", optional=True) if "description" in fields else ""
        return Dimension(id="field", labels=labels, description=desc or "")

    def dimension(self, dim: str, node: yaml.Node) -> Dimension:
        fields = self.mapping(node, _DIM_KEYS, f"dimension {dim!r}")
        if "labels" not in fields:
            raise self.fail(node, f"dimension {dim!r} has no 'labels'")
        labels_node = fields["labels"][1]
        if not isinstance(labels_node, yaml.SequenceNode) or not labels_node.value:
            raise self.fail(labels_node, f"labels of dimension {dim!r} must be a non-empty list")
        labels: list[Label] = []
        seen: dict[str, int] = {}
        for item in labels_node.value:
            lab = self.label(dim, item)
            if lab.id in seen:
                raise self.fail(item, f"duplicate label id {lab.id!r} in dimension {dim!r} "
                                      f"(first defined on line {seen[lab.id]})")
            seen[lab.id] = lab.line
            labels.append(lab)
        desc = self.string(fields["description"][1], "description", optional=True) if "description" in fields else ""
        return Dimension(id=dim, labels=tuple(labels), description=desc or "")

    def label(self, dim: str, node: yaml.Node) -> Label:
        fields = self.mapping(node, _LABEL_KEYS, f"a label of {dim!r}")
        if "id" not in fields:
            raise self.fail(node, f"a label of {dim!r} has no 'id'")
        id_node = fields["id"][1]
        label_id = self.string(id_node, "id")
        if not _ID_RE.match(label_id):
            raise self.fail(id_node, f"label id {label_id!r} must match [a-z][a-z0-9_]*")
        name = self.string(fields["name"][1], "name") if "name" in fields else label_id
        desc = self.string(fields["description"][1], "description", optional=True) if "description" in fields else ""
        rules = self.rules(fields["rules"][1], label_id) if "rules" in fields else Rules()
        paper = origin = None
        if "paper" in fields or "origin" in fields:
            if dim != "model":
                key_node = (fields.get("paper") or fields["origin"])[0]
                raise self.fail(key_node, "'paper' and 'origin' are only allowed in the model dimension")
            if "paper" in fields:
                paper = self.paper(fields["paper"][1], label_id)
            if "origin" in fields:
                origin = self.string(fields["origin"][1], "origin", optional=True)
        return Label(id=label_id, name=name, dimension=dim, description=desc or "", rules=rules,
                     paper=paper, origin=origin, line=node.start_mark.line + 1)

    def rules(self, node: yaml.Node, label_id: str) -> Rules:
        fields = self.mapping(node, _RULE_KEYS, f"rules of {label_id!r}")
        values = {k: self.strings(v, f"{k} of {label_id!r}") for k, (_, v) in fields.items()}
        for key in ("patterns", "exclusions"):
            if key in fields:
                for item, pattern in zip(fields[key][1].value, values[key]):
                    self.regex(item, pattern, f"{key} of {label_id!r}")
        return Rules(**values)

    def paper(self, node: yaml.Node, label_id: str) -> PaperRef:
        fields = self.mapping(node, _PAPER_KEYS, f"paper of {label_id!r}")
        values = {k: self.string(v, f"paper {k} of {label_id!r}", optional=True) for k, (_, v) in fields.items()}
        return PaperRef(**values)
