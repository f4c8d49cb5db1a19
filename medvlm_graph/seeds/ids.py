"""Identifiers, venue and year hints found in a paper link.

:func:`extract_ids` reads what a URL says about the paper it points to, and
nothing more: an arXiv id, a DOI embedded in a publisher URL, a ScienceDirect
PII, a PMC id, an ACL Anthology id, an IEEE arnumber, and a venue/year hint
from proceedings sites (CVF, MICCAI, PMLR, NeurIPS, AAAI). A year is given only
when the URL states it unambiguously (a proceedings path, an arXiv YYMM, a
Nature article id).

Examples
--------
>>> extract_ids("https://arxiv.org/pdf/2410.21276?")["arxiv_id"]
'2410.21276'
>>> d = extract_ids("https://www.nature.com/articles/s41467-023-40260-7.pdf")
>>> d["doi"], d["year_hint"]
('10.1038/s41467-023-40260-7', 2023)
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from ..identity import _DOI, normalize_arxiv_id, normalize_doi

ID_KEYS = ("arxiv_id", "doi", "pii", "pmcid", "acl_id", "ieee_id", "venue_hint", "year_hint")

# PMLR volumes -> (venue, year); only volumes checked against the volume's own
# PMLR configuration. Others are reported as "PMLR v<N>" without a year.
PMLR_VOLUMES: dict[int, tuple[str, int]] = {
    139: ("ICML", 2021),
    162: ("ICML", 2022),
    202: ("ICML", 2023),
    222: ("ACML", 2023),
    227: ("MIDL", 2023),
}

# Hosts whose links carry expiring signed query strings (useless once expired).
_SIGNED_HOSTS = ("sciencedirectassets.com", "silverchair.com")

_PII = re.compile(r"\b(S\d{4}-?\d{3}[\dX](?:\(\d{2}\))?\d{5}[\dX])\b", re.I)
_PMC = re.compile(r"\b(PMC\d+)\b", re.I)
_ACL = re.compile(r"\b(\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+|[A-Z]\d{2}-\d{4})\b")
_CVF = re.compile(r"/(CVPR|ICCV|WACV|ECCV|ACCV)(\d{4})(?:W)?/", re.I)
_NATURE = re.compile(r"/articles/(s\d{5}-(\d{3})-\d{5}-[\da-z])(?![\w-])", re.I)  # check character: digit or letter


def _empty() -> dict:
    return dict.fromkeys(ID_KEYS)


def clean_url(url: str | None) -> str | None:
    """The URL without expired signed query strings (ScienceDirect, Silverchair).

    The path, which carries the PII or the article id, is kept.

    Examples
    --------
    >>> clean_url("https://pdf.sciencedirectassets.com/1/1-s2.0-S0000000000000000/main.pdf?X-Amz-Date=1&pii=S1")
    'https://pdf.sciencedirectassets.com/1/1-s2.0-S0000000000000000/main.pdf'
    """
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    if parts.query and any(host == h or host.endswith("." + h) for h in _SIGNED_HOSTS):
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return url


def _year(text: str) -> int | None:
    y = int(text)
    return y if 1900 <= y <= 2100 else None


def arxiv_year(arxiv_id: str) -> int | None:
    """The year of an arXiv id's YYMM (``2410.21276`` -> 2024; ``hep-th/9901001`` -> 1999)."""
    m = re.match(r"(\d{2})(\d{2})\.", arxiv_id) or re.search(r"/(\d{2})(\d{2})\d{3}$", arxiv_id)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    yy = int(m.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy


def _acl_venue(acl_id: str) -> tuple[str | None, int | None]:
    m = re.match(r"(\d{4})\.([a-z0-9-]+)\.\d+$", acl_id)
    if m:
        parts = m.group(2).split("-")
        venue = parts[0].upper()
        if venue == "FINDINGS" and len(parts) > 1:
            venue = f"Findings of {parts[1].upper()}"
        return venue, _year(m.group(1))
    m = re.match(r"[A-Z](\d{2})-", acl_id)  # old ids: P19-1001 -> 2019
    if m:
        yy = int(m.group(1))
        return None, 1900 + yy if yy >= 60 else 2000 + yy
    return None, None


def extract_ids(url: str | None) -> dict:
    """Identifiers and hints that ``url`` states about its paper.

    Parameters
    ----------
    url : str or None
        A paper link as written in a list (markdown link target, bare URL).

    Returns
    -------
    dict
        Keys ``arxiv_id, doi, pii, pmcid, acl_id, ieee_id, venue_hint,
        year_hint``; a value is ``None`` when the link does not state it.

    Examples
    --------
    >>> extract_ids("https://aclanthology.org/2023.findings-eacl.88.pdf")["acl_id"]
    '2023.findings-eacl.88'
    >>> extract_ids("https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=10288259")["ieee_id"]
    '10288259'
    >>> extract_ids(None)["doi"] is None
    True
    """
    out = _empty()
    if not url or not isinstance(url, str):
        return out
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return out
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "")
    query = parse_qs(parts.query)
    if "?" in path:  # a query written URL-encoded into the path: stamp.jsp%3Farnumber%3D1 -> ?arnumber=1
        path, encoded_query = path.split("?", 1)
        for key, values in parse_qs(encoded_query).items():
            query.setdefault(key, values)

    def on(*domains: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in domains)

    if on("arxiv.org", "export.arxiv.org") or (on("huggingface.co") and path.startswith("/papers/")):
        # /abs/, /pdf/, /html/, /format/ and the old /ftp/arxiv/papers/YYMM/<id>.pdf; Hugging Face paper
        # pages are named by the arXiv id.
        m = re.match(r"/(?:abs|pdf|html|format|papers|ftp/arxiv/papers/\d{4})/(.+)$", path)
        if m:
            out["arxiv_id"] = normalize_arxiv_id(m.group(1))
            out["year_hint"] = arxiv_year(out["arxiv_id"]) if out["arxiv_id"] else None
    elif on("doi.org", "dx.doi.org"):
        out["doi"] = normalize_doi(path)  # a resolver link is the DOI itself
    elif on("biorxiv.org", "medrxiv.org"):
        # /content/10.1101/2023.01.01.522222v2.full.pdf: the DOI without version and format suffixes.
        m = re.search(r"/(10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,8})", path)
        out["doi"] = m.group(1) if m else None
    elif on("aclanthology.org", "aclweb.org"):
        m = _ACL.search(path)
        if m:
            out["acl_id"] = m.group(1)
            out["venue_hint"], out["year_hint"] = _acl_venue(m.group(1))
        m = _DOI.search(path)
        if m:
            out["doi"] = normalize_doi(path)
    elif on("ieeexplore.ieee.org"):
        num = (query.get("arnumber") or [None])[0]
        if not num:
            m = re.search(r"/document/(\d+)", path)
            num = m.group(1) if m else None
        if num and num.isdigit():
            out["ieee_id"] = num
    elif on("sciencedirect.com", "sciencedirectassets.com", "elsevier.com"):
        pii = (query.get("pii") or [None])[0]
        if not pii:
            # The article PII is the last 1-s2.0-S... in the path (the first may be the issue's).
            found = re.findall(r"1-s2\.0-(S[\dX]{16})", path, re.I)
            pii = found[-1] if found else None
        if not pii:
            m = re.search(r"/pii/(S?[\dX()-]{16,})", path, re.I)
            pii = m.group(1) if m else None
        if pii:
            out["pii"] = re.sub(r"[()-]", "", pii).upper()
    elif on("ncbi.nlm.nih.gov", "europepmc.org"):
        m = _PMC.search(path)
        if m:
            out["pmcid"] = m.group(1).upper()
    elif on("nature.com"):
        m = _NATURE.search(path)
        if m:
            out["doi"] = f"10.1038/{m.group(1).lower()}"
            out["year_hint"] = 2000 + int(m.group(2)) if int(m.group(2)) < 100 else None
    elif on("openaccess.thecvf.com"):
        m = _CVF.search(path)
        if m:
            out["venue_hint"], out["year_hint"] = m.group(1).upper(), _year(m.group(2))
    elif on("papers.miccai.org"):
        m = re.search(r"/miccai-(\d{4})/", path, re.I)
        out["venue_hint"] = "MICCAI"
        out["year_hint"] = _year(m.group(1)) if m else None
    elif on("proceedings.mlr.press"):
        m = re.match(r"/v(\d+)/", path + "/")
        if m:
            vol = int(m.group(1))
            venue, year = PMLR_VOLUMES.get(vol, (None, None))
            out["venue_hint"] = venue or f"PMLR v{vol}"
            out["year_hint"] = year
    elif on("proceedings.neurips.cc", "papers.nips.cc"):
        m = re.search(r"/paper(?:_files/paper)?/(\d{4})/", path)
        out["venue_hint"] = "NeurIPS"
        out["year_hint"] = _year(m.group(1)) if m else None
    elif on("ojs.aaai.org", "aaai.org"):
        out["venue_hint"] = "AAAI"
    elif on("medinform.jmir.org", "jmir.org") and (m := re.match(r"/(\d{4})/\d+/e(\d+)", path)):
        # JMIR journals register DOIs as 10.2196/<article number>.
        out["doi"] = f"10.2196/{m.group(2)}"
        out["year_hint"] = _year(m.group(1))
    elif on("ui.adsabs.harvard.edu") and (m := re.search(r"/abs/(\d{4})zndo\.+(\d+)", path)):
        # ADS bibcodes of Zenodo records: 2021zndo...5143773I -> Zenodo DOI.
        out["doi"] = f"10.5281/zenodo.{m.group(2)}"
        out["year_hint"] = _year(m.group(1))
    if out["doi"] is None and re.search(r"/10\.\d{4,9}/", path):
        # Publisher URLs that embed the DOI: springer content/pdf and chapter,
        # wiley/rsna/liebert /doi/(pdf|abs|full)/, frontiers .../articles/10.3389/...
        if on("link.springer.com", "springer.com", "frontiersin.org") or re.search(
            r"/doi/(?:pdf|abs|full|epdf|pdfdirect|book)?/?10\.", path
        ):
            out["doi"] = normalize_doi(path)
    return out
