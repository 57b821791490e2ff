"""Every example query gives the same answer in Virtuoso as in `zhitu query`.

Virtuoso (Debian's virtuoso-opensource 7.2) runs from a temporary folder,
bound to 127.0.0.1 on free ports, with the seed graph loaded into a named
graph; queries go to its /sparql endpoint with that graph as the default
graph, so its own system triples stay out of the answers.  Skipped where
Virtuoso is not installed.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from zhitu.graph.export.turtle import write_turtle
from zhitu.graph.query import load_store, run_query, write_json

pytestmark = pytest.mark.skipif(not (shutil.which("virtuoso-t") and shutil.which("isql-vt")),
                                reason="Virtuoso (virtuoso-t, isql-vt) is not installed")

QUERIES = sorted((Path(__file__).resolve().parent.parent / "queries").glob("*.rq"))
GRAPH_IRI = "urn:zhitu:seeds"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + t for t in ("integer", "int", "long", "short", "decimal", "double", "float",
                             "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong")}
INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sparql(endpoint: str, query: str, accept: str) -> str:
    data = urlencode({"query": query, "default-graph-uri": GRAPH_IRI}).encode()
    req = urllib.request.Request(endpoint, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=60) as response:
        return response.read().decode("utf-8")


def wait_until_up(process: subprocess.Popen, endpoint: str, folder: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"virtuoso-t exited with {process.returncode}:\n{(folder / 'virtuoso.log').read_text()[-2000:]}")
        try:
            sparql(endpoint, "ASK {}", "application/sparql-results+json")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"Virtuoso did not answer at {endpoint} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def virtuoso(seed_graph, tmp_path_factory):
    """The /sparql endpoint of a Virtuoso holding the seed graph in GRAPH_IRI."""
    folder = tmp_path_factory.mktemp("virtuoso")
    write_turtle(seed_graph, str(folder / "graph.ttl"))  # in the server's folder: DirsAllowed = .
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(sql_port=sql_port, http_port=http_port))
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(process, endpoint, folder)
        load = subprocess.run(
            ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba",
             f"exec=DB.DBA.TTLP(file_to_string_output('graph.ttl'), '', '{GRAPH_IRI}');"],
            capture_output=True, text=True, timeout=120)
        # isql-vt exits 0 even when the statement fails
        assert "*** Error" not in load.stderr + load.stdout, load.stderr
        yield endpoint, folder / "graph.ttl"
    finally:
        process.terminate()  # SIGTERM: Virtuoso checkpoints and stops
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def comparable(term: dict) -> tuple:
    """A JSON results term, with the differences between engines that do not change its meaning removed."""
    if term["type"] not in ("literal", "typed-literal"):  # Virtuoso still says typed-literal
        return (term["type"], term["value"])
    datatype = term.get("datatype", XSD + "string")
    if datatype in NUMBERS:  # COUNT is xsd:integer in one engine, xsd:int in another
        return ("number", Decimal(term["value"]))
    return ("literal", term["value"], term.get("xml:lang", "").lower(), datatype)


def answer_set(results: dict) -> Counter | bool:
    """The rows of a JSON results document as a multiset (row order is not part of the answer)."""
    if "boolean" in results:
        return results["boolean"]
    if results["head"]["vars"] == ["__ASK_RETVAL"]:
        # Virtuoso 7.2 answers ASK in JSON as a table: one row "1" for true, none for false
        # (openlink/virtuoso-opensource#464, #1016)
        return any(row["__ASK_RETVAL"]["value"] == "1" for row in results["results"]["bindings"])
    return Counter(frozenset((var, comparable(term)) for var, term in row.items())
                   for row in results["results"]["bindings"])


@pytest.mark.parametrize("query_file", QUERIES, ids=[q.stem for q in QUERIES])
def test_virtuoso_gives_zhitus_answer(virtuoso, query_file):
    endpoint, graph_file = virtuoso
    query = query_file.read_text(encoding="utf-8")
    ours = run_query(load_store(graph_file), query)
    if isinstance(ours, list):  # CONSTRUCT: compare the triples
        theirs = ox.parse(sparql(endpoint, query, "application/n-triples").encode("utf-8"),
                          format=ox.RdfFormat.N_TRIPLES)
        assert {q.triple for q in theirs} == set(ours)
        return
    expected = answer_set(json.loads(write_json(ours)))
    assert expected, "an example query with no answer proves nothing"
    assert answer_set(json.loads(sparql(endpoint, query, "application/sparql-results+json"))) == expected
