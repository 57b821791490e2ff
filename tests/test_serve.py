"""``zhitu serve``: the SPARQL 1.1 Protocol over real HTTP."""
from __future__ import annotations

import csv
import io
import json
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from zhitu.cli import main
from zhitu.graph.serve import SparqlServer, negotiate

GRAPH = """
@prefix zt: <https://w3id.org/zhitu/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/zhitu/id/person/gao> a zt:Person ; rdfs:label "高世奎"@zh ;
    zt:holdsPosition <https://w3id.org/zhitu/id/governmentbody/kjj> .
<https://w3id.org/zhitu/id/governmentbody/kjj> a zt:GovernmentBody ; rdfs:label "临清市科技局"@zh .
"""
PEOPLE = 'SELECT ?person ?body WHERE { ?p rdfs:label ?person ; zt:holdsPosition ?b . ?b rdfs:label ?body }'
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def endpoint():
    store = ox.Store()
    store.load(GRAPH, format=ox.RdfFormat.TURTLE)
    server = SparqlServer(store, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def request(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body text) of an HTTP request; error statuses are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def get(url: str, accept: str | None = None, **params):
    return request(f"{url}?{urlencode(params)}", headers={"Accept": accept} if accept else {})


def people(body: str) -> list[tuple[str, str]]:
    return [(b["person"]["value"], b["body"]["value"]) for b in json.loads(body)["results"]["bindings"]]


def test_post_form_answers_json(endpoint):
    status, headers, body = request(endpoint, data=urlencode({"query": PEOPLE}).encode(),
                                    headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
    assert status == 200
    assert headers.get_content_type() == JSON
    assert people(body) == [("高世奎", "临清市科技局")]


def test_post_sparql_query_answers_json(endpoint):
    status, _, body = request(endpoint, data=PEOPLE.encode("utf-8"),
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and people(body) == [("高世奎", "临清市科技局")]


def test_get_with_accept_csv(endpoint):
    status, headers, body = get(endpoint, "text/csv", query=PEOPLE)
    assert status == 200 and headers.get_content_type() == "text/csv"
    assert list(csv.reader(io.StringIO(body))) == [["person", "body"], ["高世奎", "临清市科技局"]]


def test_format_parameter_wins_over_accept(endpoint):
    status, headers, body = get(endpoint, "text/csv", query=PEOPLE, format="tsv")
    assert status == 200 and headers.get_content_type() == "text/tab-separated-values"
    assert body.splitlines() == ["?person\t?body", '"高世奎"@zh\t"临清市科技局"@zh']


def test_ask_and_construct(endpoint):
    _, _, body = get(endpoint, query='ASK { ?p rdfs:label "高世奎"@zh }')
    assert json.loads(body) == {"head": {}, "boolean": True}
    status, headers, body = get(endpoint, "text/turtle,*/*;q=0.9", query="CONSTRUCT WHERE { ?p a zt:Person }")
    assert status == 200 and headers.get_content_type() == "text/turtle"
    [quad] = ox.parse(body.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert quad.subject.value == "https://w3id.org/zhitu/id/person/gao"


def test_bad_query_is_400_with_the_parser_message(endpoint):
    status, headers, body = get(endpoint, query="SELECT ?x WHERE { ?x }")
    assert status == 400
    assert body.startswith("bad SPARQL: error at 1:")
    assert headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("params, message", [
    ({}, "give exactly one query parameter"),
    ({"query": 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }'}, "bad SPARQL"),
    ({"query": PEOPLE, "format": "turtle"}, "which turtle cannot hold"),
])
def test_other_bad_requests_are_400(endpoint, params, message):
    status, _, body = get(endpoint, **params)
    assert status == 400 and message in body


def test_unacceptable_and_unknown(endpoint):
    assert get(endpoint, "text/html", query=PEOPLE)[0] == 406
    assert get(endpoint.replace("/sparql", "/other"), query=PEOPLE)[0] == 404
    status, _, _ = request(endpoint, data=b"query=x", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_cors_for_browsers(endpoint):
    _, headers, _ = get(endpoint, query=PEOPLE)
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = request(endpoint, method="OPTIONS", headers={
        "Origin": "https://yasgui.triply.cc", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type", "Access-Control-Request-Private-Network": "true"})
    assert status == 204
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]
    assert headers["Access-Control-Allow-Private-Network"] == "true"


@pytest.mark.parametrize("accept, expected", [
    (None, "json"),
    ("*/*", "json"),
    ("application/sparql-results+json,*/*;q=0.9", "json"),  # YASGUI
    ("text/csv;q=0.5, text/tab-separated-values", "tsv"),
    ("text/*", "csv"),
    ("text/*;q=0.9, text/csv;q=0", "tsv"),  # the most specific range decides
    ("application/json", "json"),
    ("text/html", None),
])
def test_negotiation(accept, expected):
    chosen = negotiate(True, accept)
    assert (chosen.name if chosen else None) == expected


def _as_from_a_terminal() -> None:
    """In the child: Ctrl-C at its default, unblocked, whatever the test process did with it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])  # Ctrl-C; a service manager
def test_serve_command(tmp_path, stop):
    (tmp_path / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "zhitu", "serve", "--graph", str(tmp_path / "graph.ttl"),
                               "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=_as_from_a_terminal)
    try:
        banner = server.stdout.readline()
        assert "(5 triples)" in banner
        url = banner.split(" at ")[1].split(";")[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/sparql")
        assert people(get(url, query=PEOPLE)[2]) == [("高世奎", "临清市科技局")]
        server.send_signal(stop)
        _, err = server.communicate(timeout=10)
        assert server.returncode == 0, err
        assert "stopped" in err
    finally:
        server.kill()
        server.communicate()


@pytest.mark.parametrize("args, message", [
    (["--graph", "nowhere/graph.ttl"], "no such graph file; run `zhitu build` first"),
    (["--port", "{busy}"], "cannot listen on 127.0.0.1:"),
])
def test_serve_errors_are_one_line(tmp_path, capsys, args, message):
    (tmp_path / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        args = [a.format(busy=busy.getsockname()[1]) for a in args]
        if "--graph" not in args:
            args += ["--graph", str(tmp_path / "graph.ttl")]
        assert main(["serve", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("zhitu: error: ") and message in err
    assert len(err.strip().splitlines()) == 1
