"""Which of an entry's links points to the paper.

Entries of literature lists carry several links: ``[[pdf]](...) [[code]](...)
[[project]](...)``. The paper link is, in order of preference:

1. the first link that carries a paper identifier (:func:`.ids.extract_ids`:
   arXiv, DOI, PII, PMC, ACL, IEEE);
2. the first link to a paper host (publishers, proceedings, preprint servers,
   OpenReview, ...) or to a proceedings site that gives a venue hint;
3. the first link whose text names a paper (``pdf``, ``paper``, ``arXiv``...,
   or a bracketed ``[link]``) and that does not point to a code, data or media host;
4. the first link whose text is the title itself, unless it points to such a host.

Code, project, demo, data and media links are never the paper link.

Examples
--------
>>> paper_link([Link("https://github.com/a/b", "code"), Link("https://arxiv.org/abs/2301.00001", "pdf")]).href
'https://arxiv.org/abs/2301.00001'
>>> paper_link([Link("https://github.com/a/b", "code"), Link("https://a.github.io/p", "project")]) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from .ids import extract_ids

ID_FIELDS = ("arxiv_id", "doi", "pii", "pmcid", "acl_id", "ieee_id")

# Hosts of papers whose URLs do not always carry an identifier.
PAPER_HOSTS = (
    "arxiv.org", "doi.org", "openreview.net", "researchgate.net", "semanticscholar.org", "dl.acm.org", "acm.org",
    "ieeexplore.ieee.org", "springer.com", "sciencedirect.com", "elsevier.com", "nature.com", "wiley.com",
    "mdpi.com", "frontiersin.org", "ncbi.nlm.nih.gov", "europepmc.org", "biorxiv.org", "medrxiv.org",
    "aclanthology.org", "aclweb.org", "thecvf.com", "ecva.net", "mlr.press", "neurips.cc", "nips.cc",
    "aaai.org", "ijcai.org", "jmlr.org", "ceur-ws.org", "miccai.org", "thelancet.com", "nejm.org",
    "jamanetwork.com", "bmj.com", "rsna.org", "oup.com", "tandfonline.com", "iop.org", "sagepub.com",
    "cell.com", "science.org", "pnas.org", "plos.org", "cambridge.org", "spiedigitallibrary.org", "ssrn.com",
    "techrxiv.org", "preprints.org", "jmir.org", "liebertpub.com", "karger.com", "thieme-connect.com",
    "hindawi.com", "scitepress.org", "iclr.cc", "isca-archive.org", "aclanthology.info", "openaccess.thecvf.com",
    "papers.miccai.org", "proceedings.mlr.press", "dblp.org", "scholar.google.com", "pubmed.ncbi.nlm.nih.gov",
)
# Hosts of code, data, models, media and social posts: never the paper.
OTHER_HOSTS = (
    "github.com", "gitlab.com", "bitbucket.org", "github.io", "gitee.com", "huggingface.co", "hf.co",
    "colab.research.google.com", "kaggle.com", "youtube.com", "youtu.be", "bilibili.com", "vimeo.com",
    "twitter.com", "x.com", "linkedin.com", "medium.com", "zhihu.com", "weixin.qq.com", "reddit.com",
    "drive.google.com", "docs.google.com", "dropbox.com", "zenodo.org", "figshare.com", "physionet.org",
    "grand-challenge.org", "img.shields.io", "shields.io", "star-history.com", "api.star-history.com",
    "paperswithcode.com", "modelscope.cn", "wandb.ai", "discord.gg", "slack.com", "mailto",
)
PAPER_WORDS = frozenset("""pdf paper papers arxiv doi article publication abs abstract preprint journal proceedings
openreview ieee acm springer sciencedirect nature pubmed pmc biorxiv medrxiv fulltext manuscript""".split())
# Words that name the paper only as a bracketed label ("[link]", "[[html]]"), not in running text ("a link").
LABEL_WORDS = frozenset("link links url html here download read full text official published conference".split())
OTHER_WORDS = frozenset("""code codes github gitlab project projects page homepage website web site demo demos dataset
datasets data model models weights checkpoint checkpoints huggingface hf video videos youtube slides slide poster blog
bib bibtex citation cite colab notebook leaderboard benchmark stars star twitter tweet talk supp supplementary
supplement appendix api app docker reproduction implementation unofficial pytorch tensorflow jax space spaces
coming soon""".split())


@dataclass(frozen=True)
class Link:
    """A link of an entry: target and text as written."""

    href: str
    text: str = ""


def host_of(href: str) -> str:
    """The lower-case host of a URL (``""`` when it has none)."""
    try:
        return (urlsplit(href.strip()).hostname or "").lower()
    except ValueError:
        return ""


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def link_words(text: str) -> set[str]:
    """Lower-case words of a link text (brackets, emphasis and punctuation removed)."""
    return {w for w in re.split(r"[^\w+]+", text.casefold()) if w}


def is_anchor(href: str) -> bool:
    """A link within the document (``#section``) or to a section of a repository page."""
    h = href.strip()
    if h.startswith("#"):
        return True
    parts = urlsplit(h) if "://" in h else None
    return bool(parts and parts.fragment and _on((parts.hostname or "").lower(), ("github.com", "gitlab.com"))
                and not re.search(r"/(?:issues|pull|discussions)/", parts.path))


def has_id(href: str) -> bool:
    """Whether the URL carries a paper identifier (arXiv, DOI, PII, PMC, ACL, IEEE)."""
    ids = extract_ids(href)
    return any(ids[k] for k in ID_FIELDS)


@lru_cache(maxsize=8192)  # entries ask about the same link several times
def link_kind(link: Link) -> str:
    """``"id"``, ``"paper"`` (paper host or venue hint), ``"named"`` (text says paper), ``"other"`` or ``"none"``.

    Examples
    --------
    >>> [link_kind(Link(u, t)) for u, t in [("https://arxiv.org/abs/2301.00001", "code"),
    ...     ("https://openreview.net/forum?id=x", "pdf"), ("https://example.org/p.pdf", "[pdf]"),
    ...     ("https://github.com/x/y", "pdf"), ("https://example.org", "Some Title"), ("url", "pdf")]]
    ['id', 'paper', 'named', 'other', 'none', 'none']
    """
    href = link.href.strip()
    host = host_of(href)
    if not href or is_anchor(href) or "." not in host or not href.lower().startswith(("http://", "https://", "ftp://")):
        return "none"  # anchors, mailto:, relative paths, placeholders such as (url) or (link)
    if _on(host, OTHER_HOSTS) and not (host.endswith("huggingface.co") and "/papers/" in href):
        return "other"
    if has_id(href):
        return "id"
    if _on(host, PAPER_HOSTS) or extract_ids(href)["venue_hint"]:
        return "paper"
    words = link_words(link.text)
    bracketed = link.text.strip().startswith(("[", "【"))
    if (words & PAPER_WORDS or (bracketed and words & LABEL_WORDS)) and not words & OTHER_WORDS:
        return "named"
    if words & OTHER_WORDS:
        return "other"
    return "none"


def paper_link(links: list[Link], title: str | None = None) -> Link | None:
    """The link of ``links`` that points to the paper (see the module docstring), or ``None``.

    ``title``: the entry's title; a link whose text is the title is the paper link
    when nothing better is there.
    """
    kinds = [link_kind(link) for link in links]
    for wanted in ("id", "paper", "named"):
        for link, kind in zip(links, kinds):
            if kind == wanted:
                return link
    if title:
        key = _key(title)
        for link, kind in zip(links, kinds):
            if kind == "none" and host_of(link.href) and not is_anchor(link.href) and _key(link.text) == key:
                return link
    return None


def _key(text: str) -> str:
    return " ".join(w for w in re.split(r"[^\w+]+", text.casefold()) if w)
