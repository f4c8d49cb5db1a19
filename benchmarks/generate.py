"""Generate a SYNTHETIC corpus shaped like the Semantic Scholar Datasets bulk files.

Writes ``papers-NNN.jsonl.gz`` and ``citations-NNN.jsonl.gz`` shards whose
records use the S2 Datasets keys (lower case): papers ``corpusid``,
``externalids`` {DOI, ArXiv, CorpusId, ...}, ``url``, ``title``, ``authors``
[{authorId, name}], ``venue``, ``year``, ``referencecount``, ``citationcount``,
``influentialcitationcount``, ``publicationdate``, ``s2fieldsofstudy``,
``publicationtypes``; citations ``citationid``, ``citingcorpusid``,
``citedcorpusid``, ``isinfluential``, ``intents``.

Nothing here is real data except the seed titles and arXiv ids, which are
copied at run time from the package's review-list snapshot onto a few random
synthetic papers so that seed matching and hop expansion have something to
find. Shape:

* years 1995-2025, skewed to recent years (exponential);
* papers in time order; each citation goes from a paper to an older one, the
  cited paper drawn with probability proportional to a Pareto "fitness", so
  citation counts follow a power law; 80 % of references stay inside one of
  ``n_papers / 500`` topics (communities for the clustering);
* titles combine task, modality and method words of the field, so the label
  rules and the gap analysis have signal;
* a few malformed lines per shard (appended as an extra gzip member), counted
  by ``ingest``.

Usage::

    python benchmarks/generate.py --papers 10000 --citations 300000 --out benchmarks/out/s2-10k
"""

from __future__ import annotations

import argparse
import gzip
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

TASKS = ["report generation", "visual question answering", "segmentation", "anomaly detection",
         "classification", "image synthesis", "retrieval", "detection", "registration", "super-resolution"]
MODALITIES = ["chest X-ray", "CT", "MRI", "ultrasound", "pathology", "dermatology", "fundus",
              "endoscopy", "surgical video", "dental radiographs"]
METHODS = ["Contrastive pretraining", "Prompt learning", "LoRA fine-tuning", "Instruction tuning",
           "Retrieval-augmented generation", "Knowledge-enhanced", "Zero-shot evaluation of GPT-4V",
           "Adapter tuning", "Vision-language pretraining", "Segment Anything adaptation"]
MODELS = ["CLIP", "SAM", "LLaVA", "BLIP-2", "GPT-4V", "MedCLIP", "Flamingo", "BiomedCLIP"]
VENUES = ["MICCAI", "Medical Image Analysis", "IEEE TMI", "CVPR", "NeurIPS", "arXiv.org", "Radiology",
          "Nature Medicine", "MIDL", "ISBI", ""]
INTENTS = [None, ["background"], ["methodology"], ["result"], ["background", "methodology"]]


def _seed_rows(limit: int) -> list[tuple[str, str | None]]:
    """(title, arxiv id) of the review-list snapshot, if the package is importable."""
    try:
        from medvlm_graph.seeds import load_snapshot

        snap = load_snapshot()
    except Exception:  # the generator also works without the package
        return []
    rows = [(t, a if isinstance(a, str) else None)
            for t, a in zip(snap["title"], snap["arxiv_id"]) if isinstance(t, str) and t]
    return rows[:limit]


LOCAL = 0.8  # share of references inside the citing paper's topic


def _one_chunk(a):
    """pyarrow splits very large inputs into a ChunkedArray; struct and list builders need one Array."""
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def generate(n_papers: int, n_citations: int, out: Path, *, shards: int = 2, seed: int = 7,
             n_seeds: int | None = None, malformed: int = 5, n_topics: int | None = None) -> dict:
    """Write the shards into ``out``; returns a small description (counts, files, seconds)."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    n = n_papers
    n_topics = n_topics or max(10, n // 500)

    # Time order: index 0 is the oldest paper.
    years = np.sort(np.clip(2025 - np.floor(rng.exponential(5.0, n)), 1995, 2025).astype(np.int32))
    months = rng.integers(1, 13, n)
    days = rng.integers(1, 29, n)
    corpus_ids = rng.choice(np.arange(1_000, 1_000 + 20 * n), size=n, replace=False).astype(np.int64)

    # Citations: citing i -> cited j < i (older), j drawn with probability
    # proportional to a Pareto fitness (power-law in-degrees). Papers belong to
    # topics; LOCAL of the references stay inside the citing paper's topic, the
    # rest go anywhere, so the coupling graph has communities rather than
    # being nearly complete.
    fitness = rng.pareto(2.0, n) + 1.0
    topic = rng.integers(0, n_topics, n)
    order = np.lexsort((np.arange(n), topic))  # papers grouped by topic, time order inside
    start = np.searchsorted(topic[order], np.arange(n_topics))
    pos_in_topic = np.empty(n, dtype=np.int64)
    pos_in_topic[order] = np.arange(n) - start[topic[order]]
    cum_topic = np.cumsum(fitness[order])  # one cumsum; a topic's slice is offset by its start
    cum = np.cumsum(fitness)

    def draw(k):
        citing = rng.integers(1, n, k)
        cited = np.minimum(np.searchsorted(cum, rng.random(k) * cum[citing - 1], side="right"), citing - 1)
        local = (rng.random(k) < LOCAL) & (pos_in_topic[citing] > 0)
        c, t = citing[local], topic[citing[local]]
        base = np.where(start[t] > 0, cum_topic[start[t] - 1], 0.0)
        hi = cum_topic[start[t] + pos_in_topic[c] - 1]
        j = np.searchsorted(cum_topic, base + rng.random(c.size) * (hi - base), side="right")
        cited[local] = order[np.minimum(j, start[t] + pos_in_topic[c] - 1)]
        return citing, cited

    # S2 has one record per (citing, cited) pair: draw extra, keep distinct pairs.
    keys = np.empty(0, dtype=np.int64)
    while keys.size < n_citations:
        citing, cited = draw(int((n_citations - keys.size) * 1.3) + 1000)
        keys = np.unique(np.concatenate([keys, citing.astype(np.int64) * n + cited]))
    keys = rng.permutation(keys)[:n_citations]
    citing, cited = keys // n, keys % n
    indeg = np.bincount(cited, minlength=n)
    outdeg = np.bincount(citing, minlength=n)

    # Titles and ids.
    t_method = rng.integers(0, len(METHODS), n)
    t_model = rng.integers(0, len(MODELS), n)
    t_task = rng.integers(0, len(TASKS), n)
    t_mod = rng.integers(0, len(MODALITIES), n)
    titles = [f"{METHODS[a]} with {MODELS[b]} for {TASKS[c]} in {MODALITIES[d]} ({k})"
              for k, (a, b, c, d) in enumerate(zip(t_method, t_model, t_task, t_mod))]
    has_arxiv = rng.random(n) < 0.35
    arxiv = [f"{(y % 100):02d}{m:02d}.{k % 100000:05d}" if h else None
             for k, (y, m, h) in enumerate(zip(years, months, has_arxiv))]
    has_doi = rng.random(n) < 0.6
    doi = [f"10.5555/SYNTH.{c}" if h else None for c, h in zip(corpus_ids, has_doi)]
    seeds = _seed_rows(n_seeds if n_seeds is not None else max(1, min(200, n // 50)))
    seed_at = rng.choice(np.arange(n // 2, n), size=len(seeds), replace=False) if seeds else []
    for (title, ax), i in zip(seeds, seed_at):
        titles[i] = title
        arxiv[i] = f"{ax}v2" if ax else arxiv[i]
    shas = [rng.bytes(20).hex() for _ in range(n)]

    # Authors: 1-6 per paper from a pool of n/3 ids.
    n_auth = rng.integers(1, 7, n)
    offsets = np.concatenate([[0], np.cumsum(n_auth)]).astype(np.int32)
    author_ids = rng.integers(1, max(2, n // 3), int(offsets[-1]))
    authors = pa.ListArray.from_arrays(pa.array(offsets), pa.StructArray.from_arrays(
        [_one_chunk(pa.array(author_ids.astype(str))), _one_chunk(pa.array([f"Author {a}" for a in author_ids]))],
        names=["authorId", "name"]))
    fos = pa.array([[{"category": "Medicine", "source": "s2-fos-model"},
                     {"category": "Computer Science", "source": "external"}]] * n)
    papers = pa.table({
        "corpusid": corpus_ids,
        "externalids": pa.StructArray.from_arrays(
            [_one_chunk(pa.array(x)) for x in (doi, arxiv, corpus_ids.astype(str))] + [pa.nulls(n, pa.string())],
            names=["DOI", "ArXiv", "CorpusId", "PubMed"]),
        "url": pa.array([f"https://www.semanticscholar.org/paper/{s}" for s in shas]),
        "title": pa.array(titles),
        "authors": authors,
        "venue": pa.array(np.array(VENUES)[rng.integers(0, len(VENUES), n)]),
        "year": years,
        "referencecount": outdeg,
        "citationcount": indeg,
        "influentialcitationcount": (indeg * 0.1).astype(np.int64),
        "publicationdate": pa.array([f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(years, months, days)]),
        "s2fieldsofstudy": fos,
        "publicationtypes": pa.array([["JournalArticle"] if v else ["Conference"] for v in rng.random(n) < .5]),
        "shard": rng.integers(0, shards, n),
    })
    intents_idx = rng.integers(0, len(INTENTS), n_citations)
    intents_arr = pa.array([INTENTS[i] for i in intents_idx], pa.list_(pa.string()))
    citations = pa.table({
        "citationid": np.arange(n_citations, dtype=np.int64) + 1,
        "citingcorpusid": corpus_ids[citing],
        "citedcorpusid": corpus_ids[cited],
        "isinfluential": rng.random(n_citations) < 0.1,
        "intents": intents_arr,
        "shard": rng.integers(0, shards, n_citations),
    })

    con = duckdb.connect()
    con.register("papers_t", papers)
    con.register("citations_t", citations)
    files = []
    for name in ("papers", "citations"):
        for k in range(shards):
            path = out / f"{name}-{k:03d}.jsonl.gz"
            con.execute(f"COPY (SELECT * EXCLUDE (shard) FROM {name}_t WHERE shard = {k}) "
                        f"TO '{path}' (FORMAT json, COMPRESSION gzip)")
            if malformed:
                # A second gzip member (legal gzip): truncated and non-JSON lines.
                with gzip.open(path, "ab") as fh:
                    for j in range(malformed):
                        fh.write(b'{"corpusid": 12, "title": "trunc\n' if j % 2 else b"<html>oops</html>\n")
            files.append(str(path))
    con.close()
    return {"papers": n, "citations": n_citations, "seed_titles": len(seeds), "files": files,
            "malformed_lines": malformed * shards * 2, "seconds": round(time.perf_counter() - t0, 1)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--citations", type=int, default=300_000)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--malformed", type=int, default=5, help="malformed lines appended per shard")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    info = generate(args.papers, args.citations, args.out, shards=args.shards, seed=args.seed,
                    malformed=args.malformed)
    print(f"wrote {info['papers']:,} papers / {info['citations']:,} citations "
          f"({info['seed_titles']} seed titles, {info['malformed_lines']} malformed lines) "
          f"to {args.out} in {info['seconds']} s")


if __name__ == "__main__":
    main()
