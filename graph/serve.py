"""A SPARQL 1.1 Protocol endpoint for the graph, on the standard library's threading HTTP server.

Queries arrive as GET ``?query=``, as an urlencoded form POST or as a
``application/sparql-query`` POST; the answer's format comes from the
``format`` parameter or else the Accept header.  Every response allows any
origin, so browser clients such as YASGUI can use the endpoint.  Read-only:
updates are not queries, so they are bad requests.
"""
from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .query import FORMATS, Answer, Format, QueryError, format_for, run_query

ENDPOINT = "/sparql"
# Clients get the SPARQL result formats and RDF; the aligned table is for terminals.
SERVED_FORMATS = tuple(f for f in FORMATS if f.name != "table")


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality values."""
    ranges = []
    for part in accept.split(","):
        media_range, *params = part.split(";")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media_range.strip().lower(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The quality of ``media_type`` under the most specific range that matches it (RFC 9110 12.5.1)."""
    patterns = {media_type: 2, media_type.split("/")[0] + "/*": 1, "*/*": 0}
    matches = [(patterns[r], q) for r, q in ranges if r in patterns]
    return max(matches)[1] if matches else 0.0


def negotiate(answer: Answer, accept: str | None) -> Format | None:
    """The served format for ``answer`` the Accept header prefers, None if it accepts none of them."""
    fitting = [f for f in SERVED_FORMATS if f.fits(answer)]
    if not accept:
        return fitting[0]
    ranges = _media_ranges(accept)

    def quality(f: Format) -> float:
        return max(_quality(m, ranges) for m in f.media_types)

    best = max(fitting, key=quality)  # the first of equals: ties go to the order of FORMATS
    return best if quality(best) > 0 else None


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "zhitu"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != ENDPOINT:
            return self._fail(404, f"not found: the SPARQL endpoint is {ENDPOINT}")
        self._answer(parse_qs(url.query))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != ENDPOINT:
            return self._fail(404, f"not found: the SPARQL endpoint is {ENDPOINT}")
        params = parse_qs(url.query)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        content_type = self.headers.get_content_type()
        if content_type == "application/x-www-form-urlencoded":
            for name, values in parse_qs(body).items():
                params.setdefault(name, []).extend(values)
        elif content_type == "application/sparql-query":
            params.setdefault("query", []).append(body)
        else:
            return self._fail(415, "send the query as application/x-www-form-urlencoded or application/sparql-query")
        self._answer(params)

    def do_OPTIONS(self) -> None:
        """CORS preflight: browsers ask before a POST of application/sparql-query."""
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "86400")
        # Chromium asks before a public page may reach a server on this machine.
        if self.headers.get("Access-Control-Request-Private-Network") == "true":
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.end_headers()

    def _answer(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._fail(400, "give exactly one query parameter")
        try:
            answer = run_query(self.server.store, queries[0])
            if "format" in params:
                chosen = format_for(answer, params["format"][0], SERVED_FORMATS)
            else:
                chosen = negotiate(answer, self.headers.get("Accept"))
        except QueryError as e:
            return self._fail(400, str(e))
        if chosen is None:
            offered = ", ".join(m for f in SERVED_FORMATS if f.fits(answer) for m in f.media_types)
            return self._fail(406, f"this answer is available as {offered}")
        self._send(200, chosen.write(answer), chosen.media_types[0])

    def _fail(self, status: int, message: str) -> None:
        self._send(status, message + "\n", "text/plain")

    def _send(self, status: int, text: str, media_type: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{media_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)


class SparqlServer(ThreadingHTTPServer):
    """Answers SPARQL queries on ``store`` at http://HOST:PORT/sparql (port 0: any free port)."""
    daemon_threads = True

    def __init__(self, store: ox.Store, host: str = "127.0.0.1", port: int = 7878):
        super().__init__((host, port), SparqlHandler)
        self.store = store

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{ENDPOINT}"
