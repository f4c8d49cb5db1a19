"""A local stand-in for the Semantic Scholar Graph API over a SYNTHETIC world (tests only).

It speaks the API as the project's contract notes describe it: ``POST
/paper/batch`` (at most 500 ids, ``null`` for ids not found, 400 ``No valid
paper ids given`` when none is valid), ``GET /paper/{id}/references`` and
``/citations`` (``limit`` <= 1000, ``next`` absent on the last page, offset +
limit below 10,000), ``GET /paper/search/match`` (404 ``Title match not found``
on a miss), ``GET /paper/{id}``, 400 on unknown fields, 403 ``Forbidden`` on a
wrong key, and the Recommendations API on the same host (``POST
/recommendations/v1/papers/`` with body ``{"positivePaperIds": [...],
"negativePaperIds": [...] | null}``, query ``fields`` and ``limit`` <= 500,
answer ``{"recommendedPapers": [...]}``, 400 ``No positive paper examples
given`` without positives; as in the API recordings of the ``semanticscholar``
client's tests). Every paper, id and title in a :class:`World` is made up.
Synthetic choices where the API is undocumented: recommendations are the
:attr:`World.recommendations` of each positive paper in turn (positives and
negatives left out), unknown positive ids are ignored, and the messages of a
too-large ``limit`` or a body without ids are made up.

:class:`NotTheApi` is a server answering 404 with an HTML page to everything
(a wrong ``--api-url``).

Faults can be injected (:class:`Fault`, :meth:`FakeS2.random_faults`): 429
with or without ``Retry-After``, 500/502/503/504, slow answers, connections
closed mid-body, malformed JSON, an empty 200 body, and a batch answer of the
wrong length. Every request is logged (method, path, query, body, key header,
status, fault) so tests can count requests and check the key.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

PAPER_FIELDS = {
    "paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "publicationVenue", "year",
    "referenceCount", "citationCount", "influentialCitationCount", "isOpenAccess", "openAccessPdf",
    "fieldsOfStudy", "s2FieldsOfStudy", "publicationTypes", "publicationDate", "journal", "authors", "tldr",
    "citationStyles",
}
EDGE_ONLY_FIELDS = {"contexts", "intents", "contextsWithIntent", "isInfluential"}
# Synthetic server: like the real one, tldr is not offered on nested papers of references/citations.
EDGE_FIELDS = (PAPER_FIELDS - {"tldr"}) | EDGE_ONLY_FIELDS
OFFSET_CAP = 10_000
RECOMMEND_MAX = 500
_ID_PREFIXES = ("CORPUSID:", "DOI:", "ARXIV:", "MAG:", "ACL:", "PMID:", "PMCID:", "URL:")


def synthetic_id(*parts: object) -> str:
    """A made-up 40-hex paperId."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()


def _norm(title: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def make_paper(pid: str, title: str, *, year: int | None = 2023, ext: dict | None = None,
               n: int = 0, abstract: bool = True, tldr: bool = True, null_author: bool = False) -> dict:
    """A synthetic paper object with every field the contract lists (nulls where the API has them)."""
    ext = dict(ext or {})
    corpus = int(pid[:7], 16)
    ext_ids = {**ext, "CorpusId": corpus}
    authors = [{"authorId": None if null_author and i == 0 else str(1000 + (corpus + i) % 9000),
                "name": f"Synthetic Author {(corpus + i) % 97}"} for i in range(2 + n % 2)]
    return {
        "paperId": pid, "corpusId": corpus, "externalIds": ext_ids,
        "url": f"https://www.semanticscholar.org/paper/{pid}", "title": title,
        "abstract": f"Synthetic abstract of {title}." if abstract else None,
        "venue": "" if n % 3 == 0 else "Synthetic Venue", "publicationVenue": None, "year": year,
        "referenceCount": 0, "citationCount": 0, "influentialCitationCount": 0, "isOpenAccess": False,
        "openAccessPdf": None, "fieldsOfStudy": None if n % 4 == 0 else ["Computer Science", "Medicine"],
        "s2FieldsOfStudy": [{"category": "Computer Science", "source": "s2-fos-model"}],
        "publicationTypes": None if n % 2 else ["JournalArticle"],
        "publicationDate": None if year is None else f"{year}-0{1 + n % 9}-15",
        "journal": None, "authors": authors,
        "tldr": {"model": "tldr@v2.0.0", "text": f"Synthetic TLDR of {title}."} if tldr else None,
        "citationStyles": {"bibtex": "@Article{synthetic}"},
    }


@dataclass
class World:
    """A SYNTHETIC paper universe the fake server answers from."""

    papers: dict[str, dict] = field(default_factory=dict)
    refs: dict[str, list[dict]] = field(default_factory=dict)  # pid -> [{"paperId"|None, "title", ...}]
    generated_citers: dict[str, int] = field(default_factory=dict)  # pid -> n made-up citing papers
    recommendations: dict[str, list[str]] = field(default_factory=dict)  # pid -> papers related to it, in order
    aliases: dict[str, str] = field(default_factory=dict)  # "ARXIV:x" / "DOI:x" (lower) / ... -> pid

    def add(self, paper: dict, refs: list[dict] | None = None) -> str:
        pid = paper["paperId"]
        self.papers[pid] = paper
        self.refs[pid] = refs or []
        ext = paper.get("externalIds") or {}
        for key, prefix in (("ArXiv", "ARXIV:"), ("DOI", "DOI:"), ("PubMedCentral", "PMCID:"), ("ACL", "ACL:"),
                            ("CorpusId", "CORPUSID:")):
            if key in ext:
                self.aliases[prefix + str(ext[key]).upper()] = pid
        return pid

    def finish(self) -> World:
        """Fill referenceCount / citationCount from the edges (call after the last add)."""
        cited: dict[str, int] = {}
        for pid, refs in self.refs.items():
            for r in refs:
                if r.get("paperId"):
                    cited[r["paperId"]] = cited.get(r["paperId"], 0) + 1
        for pid, p in self.papers.items():
            p["referenceCount"] = len(self.refs.get(pid, []))
            p["citationCount"] = cited.get(pid, 0) + self.generated_citers.get(pid, 0)
        return self

    def title_index(self) -> dict[str, str]:
        """Normalised title -> paperId (built once; the world does not change during a test)."""
        if not hasattr(self, "_titles"):
            self._titles = {_norm(p["title"]): pid for pid, p in self.papers.items()}
        return self._titles

    def lookup(self, api_id: str) -> str | None | bool:
        """paperId for an API id; None if valid but unknown; False if not a valid id."""
        if re.fullmatch(r"[0-9a-f]{40}", api_id):
            return api_id if api_id in self.papers else None
        up = api_id.upper()
        if up.startswith(_ID_PREFIXES):
            return self.aliases.get(up)
        if up.startswith("10."):  # a bare DOI
            return self.aliases.get("DOI:" + up)
        return False

    def citations(self, pid: str, offset: int = 0, limit: int | None = None) -> tuple[list[dict], int]:
        """A page of citing entries and the total: world papers whose references name ``pid``,
        then made-up citers (generated only for the page asked)."""
        real = [{"paper": self.papers[c], "isInfluential": r.get("isInfluential", False),
                 "intents": r.get("intents", [])}
                for c in sorted(self.refs) for r in self.refs[c] if r.get("paperId") == pid]
        total = len(real) + self.generated_citers.get(pid, 0)
        stop = total if limit is None else min(total, offset + limit)
        out = real[offset:stop]
        for i in range(max(offset, len(real)) - len(real), stop - len(real)):
            cid = synthetic_id(pid, "citer", i)
            out.append({"paper": make_paper(cid, f"Synthetic citing paper {i} of {pid[:8]}", year=2024, n=i),
                        "isInfluential": i % 7 == 0, "intents": ["background"] if i % 2 else []})
        return out, total

    def references(self, pid: str) -> list[dict]:
        out = []
        for r in self.refs.get(pid, []):
            paper = self.papers[r["paperId"]] if r.get("paperId") else {"paperId": None, "title": r["title"]}
            out.append({"paper": paper, "isInfluential": r.get("isInfluential", False),
                        "intents": r.get("intents", ["methodology"])})
        return out


@dataclass
class Fault:
    """Inject ``kind`` into requests for which ``when(req)`` is true, ``times`` times (None: always).

    kinds: 429, 500, 502, 503, 504, slow, drop, badjson, empty, wronglen.
    """

    kind: str
    when: Callable[[dict], bool] | None = None
    times: int | None = 1
    retry_after: str | None = None


FAULT_KINDS = ("429", "500", "502", "503", "504", "slow", "drop", "badjson", "empty", "wronglen")


class FakeS2:
    """The server: ``start()`` in a thread on 127.0.0.1:<free port>; ``base_url`` ends in /graph/v1."""

    def __init__(self, world: World, *, valid_keys: set[str] | None = None) -> None:
        self.world = world
        self.valid_keys = valid_keys
        self.faults: list[Fault] = []
        self.log: list[dict] = []
        self.delay = 0.0
        self.slow_seconds = 1.0
        self._random: tuple[float, random.Random, tuple[str, ...], int | None] | None = None
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # -- control ----------------------------------------------------------------------------
    def start(self) -> FakeS2:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/graph/v1"

    def random_faults(self, p: float, *, seed: int = 0, kinds: tuple[str, ...] = FAULT_KINDS,
                      budget: int | None = None) -> None:
        """Each request fails with probability ``p``, up to ``budget`` times; kinds taken in turn from ``kinds``."""
        self._random = (p, random.Random(seed), kinds, budget)
        self._turn = 0

    def clear_faults(self) -> None:
        self.faults = []
        self._random = None

    def requests(self, **match: Any) -> list[dict]:
        with self._lock:
            return [r for r in self.log if all(r.get(k) == v for k, v in match.items())]

    def _pick_fault(self, req: dict) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if (f.times is None or f.times > 0) and (f.when is None or f.when(req)):
                    if f.times is not None:
                        f.times -= 1
                    return f
            if self._random:
                p, rng, kinds, budget = self._random
                if (budget is None or budget > 0) and rng.random() < p:
                    if budget is not None:
                        self._random = (p, rng, kinds, budget - 1)
                    kind = kinds[self._turn % len(kinds)]
                    self._turn += 1
                    return Fault(kind, retry_after="0" if kind == "429" and rng.random() < 0.5 else None)
        return None

    # -- API --------------------------------------------------------------------------------
    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        w = self.world
        if method == "POST" and path == "/recommendations/v1/papers/":
            return self._recommend(query, body)
        if not path.startswith("/graph/v1/"):
            return 404, {"message": "Not Found"}
        route = path[len("/graph/v1"):]
        fields = [f for f in query.get("fields", "").split(",") if f]
        if method == "POST" and route == "/paper/batch":
            bad = [f for f in fields if f not in PAPER_FIELDS]
            if bad:
                return 400, {"error": f"Unrecognized or unsupported fields: [{', '.join(bad)}]"}
            ids = (body or {}).get("ids")
            if not isinstance(ids, list):
                return 400, {"error": "Body must hold ids"}  # synthetic message
            if len(ids) > 500:
                return 400, {"error": "Cannot process more than 500 ids"}  # synthetic message
            found = [w.lookup(str(i)) for i in ids]
            if all(f is False for f in found):
                return 400, {"error": "No valid paper ids given"}
            return 200, [self._project(w.papers[f], fields) if f else None for f in found]
        if method != "GET":
            return 405, {"message": "Method Not Allowed"}
        if route == "/paper/search/match":
            bad = [f for f in fields if f not in PAPER_FIELDS]
            if bad:
                return 400, {"error": f"Unrecognized or unsupported fields: [{', '.join(bad)}]"}
            q = _norm(query.get("query", ""))
            index = w.title_index()
            close = [q] if q in index else difflib.get_close_matches(q, list(index), n=1, cutoff=0.6)
            if not close:
                return 404, {"error": "Title match not found"}
            best = w.papers[index[close[0]]]
            score = difflib.SequenceMatcher(None, q, close[0]).ratio()
            return 200, {"data": [{**self._project(best, fields), "matchScore": round(100 * score + 9, 5)}]}
        m = re.fullmatch(r"/paper/(.+)/(references|citations)", route)
        if m:
            bad = [f for f in fields if f not in EDGE_FIELDS]
            if bad:
                return 400, {"error": f"Unrecognized or unsupported fields: [{', '.join(bad)}]"}
            pid = w.lookup(unquote(m.group(1)))
            if not pid:
                return 404, {"error": f"Paper with id {m.group(1)} not found"}
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
            if limit > 1000:
                return 400, {"error": "Limit must be <= 1000"}  # synthetic message
            if offset + limit >= OFFSET_CAP:
                return 400, {"error": "offset + limit must be < 10000"}  # synthetic message
            if m.group(2) == "references":
                items = w.references(pid)
                total, items = len(items), items[offset:offset + limit]
            else:
                items, total = w.citations(pid, offset, limit)
            key = "citedPaper" if m.group(2) == "references" else "citingPaper"
            page = []
            for it in items:
                entry = {key: self._project(it["paper"], [f for f in fields if f in PAPER_FIELDS])}
                for f in fields:
                    if f in ("isInfluential", "intents"):
                        entry[f] = it[f]
                    elif f in ("contexts", "contextsWithIntent"):
                        entry[f] = []
                page.append(entry)
            out: dict[str, Any] = {"offset": offset}
            if offset + limit < total:
                out["next"] = offset + limit
            out["data"] = page
            return 200, out
        m = re.fullmatch(r"/paper/([^/]+(?:/[^/]+)*)", route)
        if m:
            bad = [f for f in fields if f not in PAPER_FIELDS]
            if bad:
                return 400, {"error": f"Unrecognized or unsupported fields: [{', '.join(bad)}]"}
            pid = w.lookup(unquote(m.group(1)))
            if not pid:
                return 404, {"error": f"Paper with id {m.group(1)} not found"}
            return 200, self._project(w.papers[pid], fields or ["title"])
        return 404, {"message": "Not Found"}

    def _recommend(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        w = self.world
        fields = [f for f in query.get("fields", "").split(",") if f]
        bad = [f for f in fields if f not in PAPER_FIELDS]
        if bad:
            return 400, {"error": f"Unrecognized or unsupported fields: [{', '.join(bad)}]"}
        limit = int(query.get("limit", 100))
        if limit > RECOMMEND_MAX:
            return 400, {"error": f"Limit must be <= {RECOMMEND_MAX}"}  # synthetic message
        if not isinstance(body, dict):
            return 400, {"error": "Body must hold positivePaperIds"}  # synthetic message
        positives = body.get("positivePaperIds") or []
        if not positives:
            return 400, {"error": "No positive paper examples given"}
        pos = [p for p in (w.lookup(str(i)) for i in positives) if p]
        neg = [p for p in (w.lookup(str(i)) for i in body.get("negativePaperIds") or []) if p]
        out: list[str] = []
        for p in pos:
            for r in w.recommendations.get(p, []):
                if r not in pos and r not in neg and r not in out:
                    out.append(r)
        return 200, {"recommendedPapers": [self._project(w.papers[r], fields) for r in out[:limit]]}

    @staticmethod
    def _project(paper: dict, fields: list[str]) -> dict:
        out = {"paperId": paper.get("paperId")}
        for f in fields or ["title"]:
            if f in paper:
                out[f] = paper[f]
        if paper.get("paperId") is None:  # unresolved reference: only the title is known
            out = {"paperId": None, "title": paper.get("title")}
        return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeS2

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK cost 40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        key = self.headers.get("x-api-key")
        req = {"method": method, "path": parts.path, "query": query, "body": body, "key": key,
               "status": None, "fault": None}
        if fake.delay:
            time.sleep(fake.delay)
        if key is not None and fake.valid_keys is not None and key not in fake.valid_keys:
            status, data = 403, {"message": "Forbidden"}
        else:
            status, data = fake.answer(method, parts.path, query, body)
        fault = fake._pick_fault(req) if status == 200 or status == 404 else None
        if fault and fault.kind == "wronglen" and not (isinstance(data, list) and data):
            fault = None
        req["fault"] = fault.kind if fault else None
        req["status"] = status
        with fake._lock:  # logged now: a slow answer may be abandoned by the client before it is sent
            fake.log.append(req)
        payload = json.dumps(data).encode()
        headers: dict[str, str] = {}
        if fault:
            k = fault.kind
            if k in ("429", "500", "502", "503", "504"):
                status = int(k)
                payload = json.dumps({
                    "429": {"message": "Too Many Requests. Please wait and try again or apply for a key "
                                       "for higher rate limits.", "code": "429"},
                    "504": {"message": "Endpoint request timed out"},
                }.get(k, {"message": "Internal Server Error"})).encode()
                if k == "429" and fault.retry_after is not None:
                    headers["Retry-After"] = fault.retry_after
            elif k == "slow":
                time.sleep(fake.slow_seconds)
            elif k == "badjson":
                payload = payload[: max(1, len(payload) // 2)]
            elif k == "empty":
                payload = b""
            elif k == "wronglen":
                payload = json.dumps(data[:-1]).encode()
        req["status"] = status
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for h, v in headers.items():
                self.send_header(h, v)
            if fault and fault.kind == "drop":
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class NotTheApi:
    """A server on 127.0.0.1 that answers every request with one HTML page (a wrong ``--api-url``).

    By default a web server's 404 page; ``status=200, title="Sign in"`` is a login portal.
    """

    def __init__(self, status: int = 404, title: str = "404 Not Found") -> None:
        self.log: list[tuple[str, str]] = []
        self.status = status
        self.page = (f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n<body><h1>{title}</h1>"
                     "<p>Synthetic page of a server that is not the API.</p>\n<hr><address>Synthetic/1.0</address>"
                     "</body></html>\n").encode()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                outer.log.append((self.command, self.path))
                self.send_response(outer.status)
                self.send_header("Content-Type", "text/html; charset=iso-8859-1")
                self.send_header("Content-Length", str(len(outer.page)))
                self.end_headers()
                self.wfile.write(outer.page)

            do_GET = do_POST = _answer

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True

    def start(self) -> NotTheApi:
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        """The server's root URL (no path)."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
