"""``build`` end to end: on a synthetic seed list, on a synthetic fetched layer, and on the shipped snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph import tables
from medvlm_graph.build import EMPTY_CITATIONS, build, read_build_info, seed_groups
from medvlm_graph.io import read_json, read_parquet
from medvlm_graph.paths import DataPaths


def _rows(df, *cols):
    """Sorted row tuples with missing values as None."""
    return sorted(zip(*(df[c].astype(object).where(df[c].notna(), None).tolist() for c in cols)))


def test_seed_groups_union_over_ids_and_titles():
    s = pd.DataFrame({"arxiv_id": ["1", None, "1v3", None, None], "doi": [None, "10.1/X", None, "10.1/x", None],
                      "title_norm": ["a", "b", "c", "c", "-"]})
    # row 2 joins row 0 by arXiv id and row 3 by title; row 3 joins row 1 by DOI: all one group.
    assert seed_groups(s) == [0, 0, 0, 0, 1]


def test_build_without_fetched_data(seeds_dir):
    corpus = build(seeds_dir)
    paths = seeds_dir
    for name in ("papers", "citations", "authorships", "seeds", "labels"):
        assert paths.table(name).exists()
        on_disk = read_parquet(paths.table(name))
        assert list(on_disk.columns)[: len(tables.columns(name))] == tables.columns(name)
    papers = read_parquet(paths.table("papers"))
    assert _rows(papers, "paper_id", "title", "year", "arxiv_id", "doi", "is_seed", "source") == [
        ("seed:s1", "Alpha segmentation with SAM", 2024, "2401.00001", None, True, "seed"),
        ("seed:s3", "Beta report generation for chest X-ray", 2023, None, "10.1/ABC", True, "seed"),
        ("seed:s5", "Gamma Retrieval of CT.", 2022, None, None, True, "seed"),
        ("seed:s7", "Delta visual question answering on X-ray", 2021, None, None, True, "seed"),
        ("seed:s8", "Segment Anything", 2023, None, None, True, "seed"),
    ]
    seeds = read_parquet(paths.table("seeds"))
    assert seeds["paper_id"].tolist() == ["seed:s1", "seed:s1", "seed:s3", "seed:s3", "seed:s5", "seed:s5",
                                          "seed:s7", "seed:s8"]
    assert set(seeds["match"]) == {"none"}
    assert len(read_parquet(paths.table("citations"))) == 0
    assert len(read_parquet(paths.table("authorships"))) == 0

    labels = corpus.labels
    review = labels[labels["source"] == "review"]
    assert _rows(review, "paper_id", "dimension", "label") == [
        ("seed:s1", "task", "segmentation"), ("seed:s1", "task", "vqa"),
        ("seed:s3", "task", "multi_task"), ("seed:s3", "task", "report_generation"),
        ("seed:s5", "model", "clip"), ("seed:s5", "task", "retrieval"),
        ("seed:s7", "task", "vqa"), ("seed:s8", "model", "sam")]
    # the classifier labels only non-seed papers: s8 (a model-table row) gets no task
    model_tasks = labels[(labels["dimension"] == "task") & (labels["source"] == "model")]
    assert set(model_tasks["paper_id"]) == set()
    assert _rows(labels[labels["source"] == "rules"], "paper_id", "dimension", "label", "score") == [
        ("seed:s1", "model", "sam", 1.0),
        ("seed:s3", "modality", "xray", 1.0),
        ("seed:s5", "modality", "ct", 1.0),
        ("seed:s7", "modality", "xray", 1.0),
        ("seed:s8", "model", "sam", 1.0),
    ]

    info = read_json(paths.processed / "build.json")
    assert info == read_build_info(paths)
    assert info["mode"] == "snapshot" and info["seed_source"] == "raw/seeds.parquet"
    assert info["counts"] == {"papers": 5, "citations": 0, "authorships": 0, "seeds": 8, "labels": len(labels)}
    assert info["seeds"] == {"seed_rows": 8, "resolved_rows": 0, "dangling_resolutions": 0, "seed_papers": 5,
                             "collapsed_rows": 3}
    assert info["citation_layer"] == EMPTY_CITATIONS
    assert info["taxonomy_is_default"] is True and info["skipped"] == []


def test_build_with_fetched_layer(fetched_dir):
    corpus = build(fetched_dir)
    papers = corpus.papers
    assert _rows(papers, "paper_id", "is_seed", "seed_id", "source") == [
        ("C1", False, None, "s2"), ("P1", True, "s1", "s2"), ("P2", True, "s3", "s2"),
        ("R1", False, None, "s2"), ("R2", False, None, "s2"),
        ("seed:s5", True, "s5", "seed"), ("seed:s7", True, "s7", "seed"), ("seed:s8", True, "s8", "seed")]
    assert corpus.seeds["paper_id"].tolist() == ["P1", "P1", "P2", "P2", "seed:s5", "seed:s5", "seed:s7", "seed:s8"]
    assert _rows(corpus.citations, "citing_id", "cited_id", "is_influential") == [
        ("C1", "P1", True), ("C1", "R2", False), ("P1", "R1", False), ("P1", "R2", True), ("P2", "R1", False)]
    assert _rows(corpus.authorships, "paper_id", "author_id") == [("C1", "a1"), ("P1", "a1"), ("P1", "a2")]

    lab = corpus.labels
    model = lab[lab["dimension"] == "model"]
    assert _rows(model, "paper_id", "label", "source", "score") == [
        ("C1", "clip", "rules", 0.5),  # cites the CLIP paper (resolved by title)
        ("P1", "clip", "rules", 0.5),
        ("P1", "sam", "rules", 1.0),
        ("R1", "clip", "rules", 1.0),  # "CLIP-based" in the title
        ("seed:s5", "clip", "review", 1.0),
        ("seed:s8", "sam", "review", 1.0),
        ("seed:s8", "sam", "rules", 1.0),
    ]
    task_review = lab[(lab["dimension"] == "task") & (lab["source"] == "review")]
    assert _rows(task_review, "paper_id", "label") == [
        ("P1", "segmentation"), ("P1", "vqa"), ("P2", "multi_task"), ("P2", "report_generation"),
        ("seed:s5", "retrieval"), ("seed:s7", "vqa")]
    # Field relevance: R1 (ultrasound + CLIP in the title) is in the field; C1 (pathology, one
    # citation of a task seed) and R2 (the general CLIP paper) are not; seeds are in by definition,
    # except general models of the model table (reference points).
    assert _rows(papers, "paper_id", "in_field") == [
        ("C1", False), ("P1", True), ("P2", True), ("R1", True), ("R2", False),
        ("seed:s5", True), ("seed:s7", True), ("seed:s8", False)]  # s8: SAM, origin natural
    assert papers.set_index("paper_id").loc["R1", "field_reason"] == (
        "medical + vision-language terms in title; cited by 2 field seeds")
    # Task labels outside the review: only field papers, here from a task term in the title
    # (not seed:s8, a model-table seed; not C1 or R2, outside the field).
    task_other = lab[(lab["dimension"] == "task") & (lab["source"] != "review")]
    assert _rows(task_other, "paper_id", "label", "source", "score") == [("R1", "classification", "rules", 1.0)]
    assert _rows(lab[lab["dimension"] == "strategy"], "paper_id", "label", "score") == [("P1", "fine_tuning", 0.6)]

    info = corpus.info
    assert info["mode"] == "fetched" and info["seed_source"] == "raw/fetched/seeds.parquet"
    assert info["counts"]["papers"] == 8 and info["counts"]["citations"] == 5
    assert info["counts"]["authorships"] == 3 and info["counts"]["seeds"] == 8
    assert info["seeds"]["resolved_rows"] == 2 and info["seeds"]["dangling_resolutions"] == 1
    assert info["fetched"]["source"] == "refresh"
    assert info["citation_layer"] == "5 citation edges"
    assert info["skipped"] == [
        "2 fetched paper row(s) without id or duplicated",
        "2 citation row(s) without ids or duplicated",
        "1 citation edge(s) whose paper is not in the fetched papers",
        "1 authorship row(s) duplicated or of unknown papers",
        "1 seed row(s) resolved to a paper missing from the fetched papers; kept as seed: papers",
    ]


def test_build_applies_overrides_and_custom_taxonomy(seeds_dir, tmp_path):
    (seeds_dir.root / "overrides.csv").write_text(
        "paper_id,dimension,label,action\nseed:s7,modality,xray,remove\nseed:s7,modality,ct,add\n", encoding="utf-8")
    corpus = build(seeds_dir)
    s7 = corpus.labels[(corpus.labels["paper_id"] == "seed:s7") & (corpus.labels["dimension"] == "modality")]
    assert _rows(s7, "label", "source", "score") == [("ct", "manual", 1.0)]
    assert corpus.info["overrides"].endswith("overrides.csv")

    tax = tmp_path / "tax.yaml"  # synthetic one-dimension taxonomy
    tax.write_text("dimensions:\n  modality:\n    labels:\n      - id: xray\n        rules: {terms: [x-ray]}\n",
                   encoding="utf-8")
    (seeds_dir.root / "overrides.csv").unlink()
    corpus = build(seeds_dir, taxonomy=tax)
    assert set(corpus.labels["dimension"]) == {"modality"}
    assert _rows(corpus.labels, "paper_id", "label") == [("seed:s3", "xray"), ("seed:s7", "xray")]
    assert corpus.info["taxonomy"] == str(tax.resolve()) and corpus.info["taxonomy_is_default"] is False


@pytest.fixture(scope="module")
def snapshot_corpus(tmp_path_factory):
    return build(DataPaths(tmp_path_factory.mktemp("snap") / "data"))


def test_build_on_the_shipped_snapshot_alone(snapshot_corpus):
    c = snapshot_corpus
    # 221 rows of the review's list; LLaVA-Med and VILA-M3 are listed twice (model table + a task section)
    assert len(c.seeds) == 221 and len(c.papers) == 219
    assert c.citations.empty and c.authorships.empty
    assert c.info["seed_source"].startswith("snapshot ")
    assert c.info["seeds"]["collapsed_rows"] == 2
    llava_med = c.seeds[c.seeds["title"].str.startswith("LLaVA-Med", na=False)]
    assert len(llava_med) == 2 and llava_med["paper_id"].nunique() == 1
    pid = llava_med["paper_id"].iloc[0]
    got = c.labels[(c.labels["paper_id"] == pid) & (c.labels["source"] == "review")]
    assert _rows(got, "dimension", "label") == [("model", "llava_med"), ("task", "vqa")]
    # exactly the papers of the review's task sections carry a task (the review's own); the
    # model table's papers (the foundation models themselves) get none
    in_tasks = set(c.seeds.loc[c.seeds["task"].notna(), "paper_id"])
    task_papers = set(c.labels.loc[c.labels["dimension"] == "task", "paper_id"])
    assert task_papers == in_tasks and len(in_tasks) == 153  # one paper per task-section row
    assert set(c.labels.loc[c.labels["dimension"] == "task", "source"]) == {"review"}
    assert (c.labels["source"] == "review").sum() == 153 + 68
