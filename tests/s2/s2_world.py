"""The SYNTHETIC world of the end-to-end refresh tests and its exact expected counts.

Every id, title and number here is made up. Seeds (12 rows):

====  ===========================================  ==========================
seed  states                                       expected
====  ===========================================  ==========================
s01   arXiv id with a version (2303.00915v2)       by id (A)
s02   DOI in mixed case                            by id (B)
s03   the same DOI upper-cased (asked once)        by id (B)
s04   PMCID                                        by id (C)
s05   ACL id                                       by id (D)
s06   title with ``&`` and ``#``, no id            by title (E)
s07   unknown arXiv id + typographic title         by title (F)
s08   title close to G but different              none (similarity < 0.90)
s09   title nobody has                             none (404)
s10   unknown DOI, no title                        none
s11   arXiv id of H (2,600 made-up citers)         by id (H)
s12   DOI of I (1,010 references + 20 unresolved)  by id (I)
====  ===========================================  ==========================

Edges: references A->{B, E, 10 refs, 3 unresolved}, B->4, D->{A, 2, 1 unresolved},
E->1, F->{A, C}, H->5, I->{1010, 20 unresolved}: 1037 resolved, 24 unresolved.
Citations: A has 5 made-up citers (+ D and F, already seen as references),
H has 2,600 (capped at 1,000): 1005 new edges. Total 2042 edges.
Papers: 8 seeds + 1032 references + 1005 citers = 2045.
Requests of a clean run: 1 batch + 4 title matches + 1 metadata batch + 9 reference
pages (I has two) + 8 citation pages = 23.

Tasks (for ``refresh --recommend``): report_generation s01 (A); vqa s02, s03, s07
(B, F); segmentation s06, s11 (E, H); classification s08 (unresolved: no request).
Recommendations (what the Recommendations API relates to each paper, in order):
A -> R1, R2, B; B -> R2, R3; F -> R3, A, R5; E -> the first reference of A;
H -> R4, R1. So the three requests return [R1, R2, B], [R2, R3, A, R5] and
[ref A0, R4, R1]: 10 papers, of which R1..R5 (5) are not otherwise in the corpus.
"""

from __future__ import annotations

import pandas as pd

from medvlm_graph import tables
from s2_fakeapi import World, make_paper, synthetic_id

A, B, C, D, E, F, G, H, I = (synthetic_id("seed-paper", x) for x in "ABCDEFGHI")
R = {i: synthetic_id("recent-paper", i) for i in range(1, 6)}  # recent papers only recommendations see
REF_A0 = synthetic_id(A, "ref", 0)
TITLES = {
    A: "Synthetic CLIP Adapter for Chest X-ray Report Generation",
    B: "A Synthetic Benchmark of Medical Visual Question Answering",
    C: "Synthetic Prompt Tuning for Pathology Slide Retrieval",
    D: "Synthetic Language Grounding for Radiology Findings",
    E: "Segment Anything in Medical Images & Videos: A #Synthetic Benchmark",
    F: "Knowledge-Enhanced Visual Question Answering for Radiology",
    G: "Prompt Learning for Ophthalmology Image Segmentation",
    H: "A Synthetic Foundation Model with Many Citations",
    I: "A Synthetic Survey with a Very Long Reference List",
}

EXPECTED = {
    "seeds": 12, "by_id": 7, "by_title": 2, "unresolved": 3,
    "reference_edges": 1037, "citation_edges": 1005, "edges": 2042,
    "unresolved_references": 24, "papers": 2045, "requests": 23,
}


def _refs(owner: str, n: int, world: World, *, unresolved: int = 0) -> list[dict]:
    out = []
    for i in range(n):
        pid = synthetic_id(owner, "ref", i)
        world.add(make_paper(pid, f"Synthetic reference {i} of {owner[:8]}", year=2015 + i % 8, n=i,
                             abstract=i % 5 != 0, null_author=i % 11 == 0))
        out.append({"paperId": pid, "isInfluential": i % 3 == 0,
                    "intents": ["methodology"] if i % 2 else ["background", "result"]})
    out += [{"paperId": None, "title": f"Unresolved citation string {j} of {owner[:8]}"}
            for j in range(unresolved)]
    return out


def build_world() -> World:
    w = World()
    w.add(make_paper(B, TITLES[B], ext={"DOI": "10.5555/SYN.0002"}, n=1))
    w.add(make_paper(E, TITLES[E], n=2, tldr=False), _refs(E, 1, w))
    w.add(make_paper(A, TITLES[A], ext={"ArXiv": "2303.00915", "DOI": "10.5555/SYN.0001"}, n=3),
          [{"paperId": B, "isInfluential": True, "intents": ["methodology"]},
           {"paperId": E, "isInfluential": False, "intents": []}] + _refs(A, 10, w, unresolved=3))
    w.refs[B] = _refs(B, 4, w)
    w.add(make_paper(C, TITLES[C], ext={"PubMedCentral": "7000003"}, n=4))
    w.add(make_paper(D, TITLES[D], ext={"ACL": "2023.synth-1.4"}, year=None, n=5),
          [{"paperId": A, "isInfluential": True, "intents": ["background"]}] + _refs(D, 2, w, unresolved=1))
    w.add(make_paper(F, TITLES[F], n=6),
          [{"paperId": A, "intents": ["result"]}, {"paperId": C, "intents": ["background"]}])
    w.add(make_paper(G, TITLES[G], n=7))
    w.add(make_paper(H, TITLES[H], ext={"ArXiv": "2310.00011"}, n=8), _refs(H, 5, w))
    w.add(make_paper(I, TITLES[I], ext={"DOI": "10.5555/syn.0009"}, n=9), _refs(I, 1010, w, unresolved=20))
    w.generated_citers = {A: 5, H: 2600}
    for i, r in R.items():
        w.add(make_paper(r, f"A Recent Synthetic Vision-Language Study {i}", year=2025, n=i,
                         ext={"ArXiv": f"2507.0000{i}"}))
    w.recommendations = {A: [R[1], R[2], B], B: [R[2], R[3]], F: [R[3], A, R[5]], E: [REF_A0], H: [R[4], R[1]]}
    return w.finish()


def build_seeds() -> pd.DataFrame:
    rows = [
        {"seed_id": "s01", "title": TITLES[A], "arxiv_id": "2303.00915v2", "task": "report_generation"},
        {"seed_id": "s02", "title": TITLES[B], "doi": "10.5555/Syn.0002", "task": "vqa"},
        {"seed_id": "s03", "title": "B again", "doi": "10.5555/SYN.0002", "task": "vqa"},
        {"seed_id": "s04", "title": TITLES[C], "pmcid": "PMC7000003"},
        {"seed_id": "s05", "title": TITLES[D], "acl_id": "2023.synth-1.4"},
        {"seed_id": "s06", "title": TITLES[E], "task": "segmentation"},
        {"seed_id": "s07", "title": "Knowledge\u2013Enhanced Visual Question Answering for Radiology.",
         "arxiv_id": "2401.99999", "task": "vqa"},
        {"seed_id": "s08", "title": "Prompt Learning for Dermatology Image Classification", "task": "classification"},
        {"seed_id": "s09", "title": "Migration Routes of Zebras Observed by Drones"},
        {"seed_id": "s10", "doi": "10.5555/missing.10"},
        {"seed_id": "s11", "title": TITLES[H], "arxiv_id": "2310.00011", "task": "segmentation"},
        {"seed_id": "s12", "title": TITLES[I], "doi": "10.5555/SYN.0009"},
    ]
    return tables.conform(pd.DataFrame(rows), "seeds")
