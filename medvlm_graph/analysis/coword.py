"""Co-word map: terms of titles and abstracts, their co-occurrence, clusters and a layout.

Unlike the taxonomy labels, the terms come from the text itself, so the map shows topics the
taxonomy does not name yet (``taxonomy_label`` says which terms a taxonomy rule already matches).

Terms. Each title and abstract is lower-cased and cut into chunks at punctuation and at stop words
(scikit-learn's English list, :data:`GENERIC_WORDS` -- words of any abstract such as "propose" or
"results" -- and :data:`VENUE_WORDS` -- publishers, venue acronyms, "proceedings"); the terms are the
word n-grams (1 to ``max_words`` words) inside a chunk, so none starts or ends with a stop word (a
light stand-in for noun phrases). Hyphens count as spaces ("vision-language" = "vision language";
"x-ray" and prefixed words such as "pre-training" stay one word),
plurals are folded (:func:`term_key`), and a term spelled like a venue of the corpus ("medical image
analysis", "MICCAI") is dropped. A term is shown in its most frequent spelling.

Selection. Terms found in at least ``min_papers`` papers (and, from 50 papers on, in at most
``max_share`` of them); a term always seen inside one longer term (same papers count) is dropped in
favour of it; the ``n_terms`` most frequent are kept (ties: alphabetical).

Map. Two terms are linked by the number of papers using both (``count``) and its association
strength ``N * c_ij / (s_i * s_j)`` (observed / expected co-occurrences, 1 = chance;
:mod:`medvlm_graph.graphs.matrix`, van Eck & Waltman 2009); clusters are seeded Louvain
communities on the association strength (:func:`.clusters.compute_graph_clusters`), labelled by
their three most frequent terms; positions ``x, y`` are a seeded spring layout on the counts.

References
----------
Callon, M., Courtial, J.-P., Turner, W. A., & Bauin, S. (1983). From translations to problematic
networks: an introduction to co-word analysis. *Social Science Information*, 22(2), 191-235.
van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of some
well-known similarity measures. *JASIST*, 60(8), 1635-1651.
"""

from __future__ import annotations

import re
from itertools import chain

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..graphs.matrix import pair_table
from ..graphs._common import positions
from ._citing import scope_ids
from ._frames import require, skipped
from .clusters import compute_graph_clusters
from .scope import DEFAULT_SCOPE, check_scope

TERM_COLUMNS = ["term", "papers", "cluster", "cluster_label", "taxonomy_label", "links", "total_link_strength",
                "x", "y"]
LINK_COLUMNS = ["term_a", "term_b", "count", "association"]

#: Words of any abstract, whatever its topic (folded to the singular, as terms are).
GENERIC_WORDS = frozenset("""
paper propose proposed present presented introduce introduced method approach result show shown demonstrate
demonstrated study work based using use used novel new existing extensive experiment experimental achieve
achieved outperform performance state art sota various different effective effectively significant
significantly improve improved improvement furthermore moreover additionally recent recently code available
github com http https www publicly respectively including superior comprehensive remarkable promising
potential key challenge challenging framework address enable leverage leveraging utilize utilizing
specifically particular particularly like via et al e.g i.e does doe ha wa
""".split())
#: Publishers, venue kinds and acronyms of the usual venues: never a topic.
VENUE_WORDS = frozenset("""
proceedings proceeding conference journal transactions transaction ieee acm springer elsevier arxiv preprint
workshop symposium annual letters lecture notes volume vol pp miccai cvpr iccv eccv neurips nips icml iclr
aaai ijcai isbi midl wacv bmvc emnlp acl naacl
""".split())
_STOP = frozenset(ENGLISH_STOP_WORDS) | GENERIC_WORDS | VENUE_WORDS
#: Prefixes kept glued to the word after their hyphen ("pre-training" is one word, never "pre").
PREFIXES = frozenset("pre post multi self semi cross non co re sub inter intra bi un de anti".split())
_SPLIT = re.compile(r"[.,;:!?()\[\]{}\"'/|<>=+*&%$#@~`^\\]+")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A token, or a run of punctuation (a chunk break): tokens hold no punctuation, so reading the whole
#: text with it finds the tokens of each :data:`_SPLIT` segment, and the breaks between segments.
_ITEM = re.compile(f"{_TOKEN.pattern}|{_SPLIT.pattern}")
_ITEM_OR_NUL = re.compile(f"{_ITEM.pattern}|\x00")


def term_key(word: str) -> str:
    """The key of one lower-case word: plural folded, hyphens as spaces.

    Examples
    --------
    >>> [term_key(w) for w in ["images", "modalities", "x-rays", "losses", "patches", "analysis", "ct"]]
    ['image', 'modality', 'x ray', 'loss', 'patch', 'analysis', 'ct']
    """
    w = word
    if len(w) > 4 and w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith(("ches", "shes", "xes")):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "as")):
        w = w[:-1]
    return w.replace("-", " ")


def _words(tok: str) -> list[tuple[str, str, bool]]:
    """``(word, key, stop)`` of each word of one token: ``stop`` when it breaks a chunk (a stop word,
    a number, one letter).

    A hyphenated token gives one word per part, except that a one-letter part or a :data:`PREFIXES`
    part stays glued to the next ("x-ray", "pre-training").
    """
    parts: list[str] = []
    for part in tok.split("-"):
        last = parts[-1].rsplit("-", 1)[-1] if parts else ""
        glue = len(last) == 1 or last in PREFIXES
        parts.append(parts.pop() + "-" + part if glue else part)
    keys = [term_key(part) for part in parts]
    return [(part, key, part in _STOP or key in _STOP or part.isdigit() or len(part) < 2)
            for part, key in zip(parts, keys)]


def _chunks(text: str) -> list[list[tuple[str, str]]]:
    """Runs of ``(word, joiner)`` between punctuation and stop words.

    The words of a hyphenated token (:func:`_words`) after the first have ``joiner`` ``"-"``
    (``" "`` otherwise), so "vision-language" and "vision language" give the same terms.
    """
    out: list[list[tuple[str, str]]] = []
    for segment in _SPLIT.split(text.lower()):
        run: list[tuple[str, str]] = []
        for tok in _TOKEN.findall(segment):
            for k, (part, _, stop) in enumerate(_words(tok)):
                if stop:
                    if run:
                        out.append(run)
                    run = []
                else:
                    run.append((part, "-" if k and run else " "))
        if run:
            out.append(run)
    return out


def extract_terms(text: str, *, max_words: int = 3) -> dict[str, str]:
    """``{key: spelling}`` of the terms of ``text`` (module docstring).

    Examples
    --------
    >>> sorted(extract_terms("We propose a vision-language model for chest X-rays."))
    ['chest', 'chest x ray', 'language', 'language model', 'model', 'vision', 'vision language', \
'vision language model', 'x ray']
    """
    terms: dict[str, str] = {}
    for run in _chunks(text):
        keys = [term_key(w) for w, _ in run]
        for n in range(1, max_words + 1):
            for i in range(len(run) - n + 1):
                spelling = run[i][0] + "".join(j + w for w, j in run[i + 1:i + n])
                terms.setdefault(" ".join(keys[i:i + n]), spelling)
    return terms


def _items(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The :data:`_ITEM` matches of the lower-cased texts, in order, and the position of the text of each.

    One regular-expression pass over the texts joined by NUL (neither token nor punctuation: a match
    never spans two texts, and lower-casing is the same character by character), unless a text holds
    one; the NULs between texts are items too (breaking ones, of the next text).
    """
    if any("\x00" in t for t in texts):
        items = [_ITEM.findall(t.lower()) for t in texts]
        return list(chain.from_iterable(items)), np.repeat(np.arange(len(items)), [len(x) for x in items])
    found = _ITEM_OR_NUL.findall("\x00".join(texts).lower())
    return found, np.cumsum(np.fromiter(map("\x00".__eq__, found), dtype=bool, count=len(found)))


def _term_table(texts: list[str], *, max_words: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray, list, list]:
    """:func:`extract_terms` of every text at once: ``(doc, term, spelling, terms, spellings)``.

    One row per distinct term of each text, in :func:`extract_terms` order: ``doc`` (position of the
    text), ``term`` and ``spelling`` (codes into the lists ``terms`` of keys and ``spellings``).

    Each distinct token is cut into words once (:func:`_words`); the n-grams of the chunks are then
    array operations over all texts, and only their distinct word sequences are spelled as strings.
    """
    empty = np.zeros(0, dtype=np.int64)
    flat_items, doc_of = _items(texts)
    if not flat_items:
        return empty, empty, empty, [], []
    codes, uniq = pd.factorize(pd.Series(flat_items, dtype=object))
    # the words of each distinct item, flattened: punctuation, a number or a NUL is one breaking element
    per = [_words(u) if u[0].isalnum() and not u.isdigit() else [("", "", True)] for u in uniq]  # a token?
    n_per = np.array([len(w) for w in per], dtype=np.int64)
    first = np.r_[0, np.cumsum(n_per)[:-1]]
    flat = list(chain.from_iterable(per))
    word_code, word_str = pd.factorize(pd.Series([w for w, _, _ in flat], dtype=object))
    key_code, key_str = pd.factorize(pd.Series([key for _, key, _ in flat], dtype=object))
    word_str, key_str = word_str.to_numpy(dtype=object), key_str.to_numpy(dtype=object)
    stop = np.array([b for _, _, b in flat], dtype=bool)
    k = np.arange(len(flat)) - np.repeat(first, n_per)  # place of the word in its token
    # every element of every text, in order
    count = n_per[codes]
    start = np.r_[0, np.cumsum(count)[:-1]]
    elem = np.repeat(first[codes] - start, count) + np.arange(int(count.sum()))
    doc = np.repeat(doc_of, count)
    breaks = stop[elem] | np.r_[True, doc[1:] != doc[:-1]]
    run = np.cumsum(breaks)
    keep = ~stop[elem]
    elem, doc, run = elem[keep], doc[keep], run[keep]
    word, key = word_code[elem].astype(np.int64), key_code[elem].astype(np.int64)
    hyphen = k[elem] > 0  # joined by "-" to the word before it (the same token)
    n_words, n_keys = len(word_str), len(key_str)
    # n-grams by start position: ids of their key sequence and of their spelling (word and joiner
    # sequence), each n from the (n - 1)-gram at the same start and one more word
    rows = []
    at = np.arange(len(word))
    k_id, s_id = pd.factorize(key)[0], pd.factorize(word)[0]
    for n in range(1, max(int(max_words), 0) + 1):
        if n > 1:
            ok = at[at + n - 1 < len(word)]
            ok = ok[run[ok + n - 1] == run[ok]]  # the n-gram lies inside one chunk
            prev, nxt = np.searchsorted(at, ok), ok + n - 1
            k_id = pd.factorize(k_id[prev] * (n_keys + 1) + key[nxt])[0]
            s_id = pd.factorize(s_id[prev] * (2 * n_words + 2) + 2 * word[nxt] + hyphen[nxt])[0]
            at = ok
        rows.append((at, n, k_id.astype(np.int64), s_id.astype(np.int64)))
    # spell each distinct n-gram once, from one of its occurrences
    terms: dict[str, int] = {}
    spellings: dict[str, int] = {}
    t_code, s_code = [], []
    for at, n, k_id, s_id in rows:
        _, one = np.unique(k_id, return_index=True)
        names = [" ".join(key_str[key[i:i + n]]) for i in at[one].tolist()]
        t_of = np.empty(len(one), dtype=np.int64)
        t_of[k_id[one]] = [terms.setdefault(x, len(terms)) for x in names]
        _, one = np.unique(s_id, return_index=True)
        names = [word_str[word[i]] + "".join(("-" if hyphen[j] else " ") + word_str[word[j]]
                                             for j in range(i + 1, i + n)) for i in at[one].tolist()]
        s_of = np.empty(len(one), dtype=np.int64)
        s_of[s_id[one]] = [spellings.setdefault(x, len(spellings)) for x in names]
        t_code.append(t_of[k_id])
        s_code.append(s_of[s_id])
    starts = np.concatenate([at for at, *_ in rows]) if rows else np.zeros(0, dtype=np.int64)
    size = np.concatenate([np.full(len(at), n) for at, n, *_ in rows]) if rows else np.zeros(0, dtype=np.int64)
    term = np.concatenate(t_code) if rows else np.zeros(0, dtype=np.int64)
    spell = np.concatenate(s_code) if rows else np.zeros(0, dtype=np.int64)
    # extract_terms order: by chunk, then n, then position; the first spelling of a term in a text wins
    order = np.lexsort((starts, size, run[starts] if len(starts) else starts))
    d = doc[starts][order]
    pairs = pd.DataFrame({"doc": d, "term": term[order]})
    first_seen = ~pairs.duplicated().to_numpy()
    return d[first_seen], term[order][first_seen], spell[order][first_seen], list(terms), list(spellings)


def _subterms(key: str) -> list[str]:
    words = key.split(" ")
    return [" ".join(words[i:i + n]) for n in range(1, len(words)) for i in range(len(words) - n + 1)]


def _taxonomy_labels(terms: list[str], taxonomy) -> list[str]:
    if taxonomy is None:
        return [""] * len(terms)
    from ..labels.rules import build_matchers

    matchers = [(f"{dim}:{lab}", m) for dim in ("task", "strategy", "modality", "model")
                for lab, m in build_matchers(taxonomy, dim).items()]
    return [next((name for name, m in matchers if m.find(t)), "") for t in terms]


def compute_coword_map(papers: pd.DataFrame, *, scope: str = DEFAULT_SCOPE, n_terms: int = 100,
                       min_papers: int = 2, max_share: float = 0.5, max_words: int = 3, taxonomy=None,
                       resolution: float = 1.0, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Terms of the titles and abstracts of the papers in ``scope``, linked by co-occurrence.

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, title`` (``abstract``, ``venue``, ``in_field``, ``is_seed`` when present).
    scope : {"field", "seeds", "all"}
    n_terms : int
        Terms kept (the most frequent).
    min_papers : int
        A term must occur in at least this many papers.
    max_share : float
        From 50 papers on, a term must occur in at most this share of them.
    max_words : int
        Longest n-gram.
    taxonomy : Taxonomy, optional
        Fills ``taxonomy_label`` with the first label (``dimension:label``) whose rules match the term.
    resolution, seed : float, int
        Louvain resolution and seed (also the layout's seed).

    Returns
    -------
    terms : DataFrame
        ``term, papers, cluster`` (Int64, 0 = largest; missing for a term without links),
        ``cluster_label, taxonomy_label`` ("" when none or no taxonomy), ``links``, ``total_link_strength``
        (sum of co-occurrence counts), ``x, y``; by papers descending, then term.
    links : DataFrame
        ``term_a, term_b`` (``term_a < term_b``), ``count`` (papers with both), ``association``.
        Both empty with ``attrs["skipped"]`` when fewer than two terms pass.

    References
    ----------
    Callon et al. (1983), *Social Science Information* 22(2); van Eck & Waltman (2009), *JASIST* 60(8).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": list("abcd"), "title": [
    ...     "Prompting SAM for polyp segmentation", "SAM adapters for polyp segmentation",
    ...     "Report generation with knowledge graphs", "Knowledge graphs improve report generation"]})
    >>> terms, links = compute_coword_map(p, scope="all")
    >>> terms[["term", "papers", "cluster"]].values.tolist()
    [['knowledge graphs', 2, 0], ['polyp segmentation', 2, 1], ['report generation', 2, 0], ['sam', 2, 1]]
    >>> links.values.tolist()
    [['knowledge graphs', 'report generation', 2, 2.0], ['polyp segmentation', 'sam', 2, 2.0]]
    """
    require(papers, ["paper_id", "title"], "papers")
    check_scope(scope)
    p = papers[positions(papers["paper_id"], scope_ids(papers, scope)) >= 0]
    p = p.drop_duplicates("paper_id")
    text = p["title"].fillna("").astype(str)
    if "abstract" in p.columns:
        text = text + ". " + p["abstract"].fillna("").astype(str)
    venues = set()
    if "venue" in papers.columns:
        venues = {" ".join(term_key(t) for t in _TOKEN.findall(v.lower()))
                  for v in papers["venue"].dropna().astype(str).unique()}
    doc, term, spell, keys, spellings = _term_table(text.tolist(), max_words=max_words)
    keys = np.asarray(keys, dtype=object)
    found = ~pd.Index(keys, dtype=object).isin(venues)[term]  # a term spelled like a venue goes
    doc, term, spell = doc[found], term[found], spell[found]
    n_docs = int(np.count_nonzero(np.bincount(doc, minlength=len(text))))
    counts = np.bincount(term, minlength=len(keys))
    df = pd.Series(counts[counts > 0], index=keys[counts > 0], dtype=np.int64)  # papers per term
    df = df[df >= max(int(min_papers), 1)]
    if n_docs >= 50:
        df = df[df <= max_share * n_docs]
    cand = df.to_dict()
    redundant = {s for k, n in cand.items() for s in _subterms(k) if cand.get(s) == n}
    df = df[~df.index.isin(redundant)]
    df = df.sort_index().sort_values(ascending=False, kind="stable").head(max(int(n_terms), 0))
    if len(df) < 2:
        why = f"fewer than two terms occur in {min_papers} or more papers in scope"
        return skipped(TERM_COLUMNS, why), skipped(LINK_COLUMNS, why)
    chosen = pd.Index(df.index, dtype="string")
    rank = np.full(len(keys), -1, dtype=np.int64)  # place of each chosen term in ``chosen``
    rank[pd.Index(keys, dtype=object).get_indexer(chosen.astype(object))] = np.arange(len(chosen))
    rows = rank[term] >= 0
    # the spelling of a term: its most frequent spelling (the first in each paper; ties: alphabetical)
    spelled = pd.DataFrame({"term": term[rows], "spell": spell[rows]}).value_counts().rename("n").reset_index()
    spelled["spelling"] = np.asarray(spellings, dtype=object)[spelled["spell"].to_numpy()]
    spelled = spelled.sort_values(["n", "spelling"], ascending=[False, True]).drop_duplicates("term")
    best = dict(zip(keys[spelled["term"].to_numpy()], spelled["spelling"]))
    # terms x papers (binary: a term once per paper); the papers' order does not matter to the pairs
    X = sp.csr_matrix((np.ones(int(rows.sum()), dtype=np.int32), (rank[term[rows]], doc[rows])),
                      shape=(len(chosen), len(text)))
    t = pair_table(X, norm="association")
    names = [best[k] for k in chosen]
    links = pd.DataFrame({"term_a": [names[i] for i in t.i], "term_b": [names[j] for j in t.j],
                          "count": t.count.astype(np.int64), "association": t.weight.astype(float)})
    swap = links["term_a"] > links["term_b"]
    links.loc[swap, ["term_a", "term_b"]] = links.loc[swap, ["term_b", "term_a"]].to_numpy()
    links = links.sort_values(["term_a", "term_b"]).reset_index(drop=True)
    G = nx.Graph()
    G.add_nodes_from(sorted(names))
    G.add_edges_from((a, b, {"weight": w, "count": c})
                     for a, b, c, w in links[["term_a", "term_b", "count", "association"]].itertuples(index=False))
    terms = pd.DataFrame({"term": names, "papers": t.occurrences.astype(np.int64)})
    assign, _ = compute_graph_clusters(G, resolution=resolution, seed=seed)
    cluster = dict(zip(assign["paper_id"], assign["cluster"]))  # "paper_id" holds the node (term)
    terms["cluster"] = pd.array([cluster.get(x) for x in terms["term"]], dtype="Int64")
    terms = terms.sort_values(["papers", "term"], ascending=[False, True]).reset_index(drop=True)
    label = {c: " / ".join(g["term"].head(3)) for c, g in terms.dropna(subset=["cluster"]).groupby("cluster")}
    terms["cluster_label"] = [label.get(c, "") if not pd.isna(c) else "" for c in terms["cluster"]]
    terms["taxonomy_label"] = _taxonomy_labels(terms["term"].tolist(), taxonomy)
    terms["links"] = [G.degree(x) for x in terms["term"]]
    terms["total_link_strength"] = [int(G.degree(x, weight="count")) for x in terms["term"]]
    pos = nx.spring_layout(G, weight="count", seed=seed)
    terms["x"] = [float(pos[x][0]) for x in terms["term"]]
    terms["y"] = [float(pos[x][1]) for x in terms["term"]]
    return terms[TERM_COLUMNS], links[LINK_COLUMNS]


def build_coword_graph(terms: pd.DataFrame, links: pd.DataFrame) -> nx.Graph:
    """The co-word map as a graph for export (VOSviewer, Gephi): what :func:`compute_coword_map` returned.

    Nodes: terms with ``n_papers`` (int), ``cluster`` (int, -1 without links), ``taxonomy_label`` (str).
    Edges: ``weight`` (association strength) and ``count``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"term": ["a", "b"], "papers": [2, 3], "cluster": [0, 0], "taxonomy_label": ""})
    >>> l = pd.DataFrame({"term_a": ["a"], "term_b": ["b"], "count": [2], "association": [1.5]})
    >>> G = build_coword_graph(t, l)
    >>> G.nodes["a"], G.edges["a", "b"]
    ({'n_papers': 2, 'cluster': 0, 'taxonomy_label': ''}, {'weight': 1.5, 'count': 2})
    """
    require(terms, ["term", "papers", "cluster"], "terms")
    require(links, ["term_a", "term_b", "count", "association"], "links")
    G = nx.Graph(kind="coword")
    tax = terms["taxonomy_label"] if "taxonomy_label" in terms.columns else pd.Series("", index=terms.index)
    for term, n, c, lab in zip(terms["term"], terms["papers"], terms["cluster"], tax):
        G.add_node(str(term), n_papers=int(n), cluster=-1 if pd.isna(c) else int(c),
                   taxonomy_label="" if pd.isna(lab) else str(lab))
    for a, b, c, w in links[["term_a", "term_b", "count", "association"]].itertuples(index=False):
        G.add_edge(str(a), str(b), weight=float(w), count=int(c))
    return G
