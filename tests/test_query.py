"""``zhitu query`` and zhitu.graph.query: answers, the result formats, one-line errors."""
from __future__ import annotations

import csv
import io
import json
import unicodedata

import pyoxigraph as ox
import pytest

from zhitu.cli import main
from zhitu.graph.query import (FORMATS, QueryError, Table, format_for, load_store, read_query,
                               run_query, write_csv, write_json, write_table, write_tsv)

ID = "https://w3id.org/zhitu/id/"
ZT = "https://w3id.org/zhitu/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# A graph small enough to know every answer, with the literals the formats must escape.
GRAPH = f"""
@prefix zt: <https://w3id.org/zhitu/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}person/gao> a zt:Person ; rdfs:label "高世奎"@zh ;
    zt:holdsPosition <{ID}governmentbody/kjj> .
<{ID}governmentbody/kjj> a zt:GovernmentBody ; rdfs:label "临清市科技局"@zh .
<{ID}document/d1> a zt:Document ; zt:fileName "a,\\"b\\".txt" .
<{ID}statement/s1> a zt:Statement ; zt:evidence "第一行\\n第二行\\t完"@zh ; zt:startOffset 12 .
_:unnamed rdfs:label "无名" .
"""
PEOPLE = "SELECT ?person ?body WHERE { ?p a zt:Person ; rdfs:label ?person ; zt:holdsPosition ?b . ?b rdfs:label ?body }"


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("graph") / "graph.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(graph_file):
    return load_store(graph_file)


def table(store, sparql: str) -> Table:
    answer = run_query(store, sparql)
    assert isinstance(answer, Table)
    return answer


# --- running queries ---------------------------------------------------------

def test_select_gives_variables_and_rows_of_terms(store):
    answer = table(store, PEOPLE)
    assert answer.variables == ["person", "body"]
    assert answer.rows == [(ox.Literal("高世奎", language="zh"), ox.Literal("临清市科技局", language="zh"))]


def test_unbound_variables_are_none(store):
    answer = table(store, "SELECT ?name ?missing WHERE { ?x a zt:Person ; rdfs:label ?name OPTIONAL { ?x zt:role ?missing } }")
    assert answer.rows == [(ox.Literal("高世奎", language="zh"), None)]


def test_a_path_is_as_good_as_a_store(graph_file):
    assert run_query(graph_file, PEOPLE).rows == run_query(str(graph_file), PEOPLE).rows != []


def test_ask_gives_a_bool(store):
    assert run_query(store, 'ASK { ?p rdfs:label "高世奎"@zh }') is True
    assert run_query(store, 'ASK { ?p rdfs:label "无此人"@zh }') is False


def test_construct_and_describe_give_triples(store):
    constructed = run_query(store, "CONSTRUCT { ?b rdfs:label ?n } WHERE { ?b a zt:GovernmentBody ; rdfs:label ?n }")
    assert constructed == [ox.Triple(ox.NamedNode(ID + "governmentbody/kjj"), ox.NamedNode(RDFS_LABEL),
                                     ox.Literal("临清市科技局", language="zh"))]
    described = run_query(store, f"DESCRIBE <{ID}person/gao>")
    assert {t.predicate.value for t in described} == {RDF_TYPE, RDFS_LABEL, ZT + "holdsPosition"}


def test_the_query_own_prefix_wins_over_the_built_in_one(store):
    assert table(store, "PREFIX zt: <http://example.org/other#> SELECT ?p WHERE { ?p a zt:Person }").rows == []


# --- formats -------------------------------------------------------------------

def round_trip(data: str, results_format: ox.QueryResultsFormat) -> list[tuple]:
    """Rows read back by pyoxigraph's parser of the format (an independent check of conformance)."""
    parsed = ox.parse_query_results(data.encode("utf-8"), format=results_format)
    return [tuple(solution) for solution in parsed]


ALL_KINDS = "SELECT ?s ?o WHERE { ?s ?p ?o }"


def test_json_is_the_sparql_results_format(store):
    answer = table(store, ALL_KINDS)
    assert round_trip(write_json(answer), ox.QueryResultsFormat.JSON) == answer.rows
    doc = json.loads(write_json(answer))
    assert doc["head"]["vars"] == ["s", "o"]
    objects = [b["o"] for b in doc["results"]["bindings"]]
    assert {"type": "literal", "value": "高世奎", "xml:lang": "zh"} in objects
    assert {"type": "literal", "value": "12", "datatype": "http://www.w3.org/2001/XMLSchema#integer"} in objects
    assert {"type": "literal", "value": "无名"} in objects  # xsd:string is implied, not written
    assert any(b["s"]["type"] == "bnode" for b in doc["results"]["bindings"])


def test_json_leaves_out_unbound_variables(store):
    doc = json.loads(write_json(table(store, "SELECT ?a ?b WHERE { BIND(1 AS ?a) }")))
    assert doc["results"]["bindings"] == [{"a": {"type": "literal", "value": "1",
                                                 "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


def test_tsv_is_the_sparql_results_format(store):
    answer = table(store, ALL_KINDS)
    text = write_tsv(answer)
    assert text.splitlines()[0] == "?s\t?o"
    assert len(text.splitlines()) == len(answer.rows) + 1  # tabs and newlines inside literals are escaped
    assert round_trip(text, ox.QueryResultsFormat.TSV) == answer.rows


def test_csv_is_the_sparql_results_format(store):
    answer = table(store, "SELECT ?file ?sentence ?start WHERE { ?d zt:fileName ?file . ?s zt:evidence ?sentence ; zt:startOffset ?start }")
    text = write_csv(answer)
    assert text.startswith("file,sentence,start\r\n") and text.endswith("\r\n")  # records end in CRLF
    assert list(csv.reader(io.StringIO(text))) == [["file", "sentence", "start"],
                                                   ['a,"b".txt', "第一行\n第二行\t完", "12"]]


def test_table_aligns_chinese_columns(store):
    text = write_table(table(store, "SELECT ?name ?type WHERE { ?x rdfs:label ?name ; a ?type }"))
    lines = text.splitlines()
    assert lines[-1] == "(2 rows)"

    def column_of(line: str, text: str) -> int:  # display columns before ``text``: CJK characters take two
        before = line[:line.index(text)]
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)

    assert column_of(lines[0], "type") == column_of(lines[2], "zt:") == column_of(lines[3], "zt:")


def test_table_shows_other_iris_in_full(store):
    text = write_table(table(store, "SELECT ?b WHERE { ?b a zt:GovernmentBody }"))
    assert f"<{ID}governmentbody/kjj>" in text


def test_boolean_in_every_results_format():
    assert json.loads(write_json(True)) == {"head": {}, "boolean": True}
    assert write_table(False) == write_csv(False) == write_tsv(False) == "false\n"


def test_triples_are_written_as_turtle_or_n_triples(store):
    triples = run_query(store, "CONSTRUCT WHERE { ?p a zt:Person ; rdfs:label ?n }")
    for name, rdf_format in [("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)]:
        written = format_for(triples, name).write(triples)
        assert {q.triple for q in ox.parse(written.encode("utf-8"), format=rdf_format)} == set(triples)


def test_default_format_per_kind_of_answer(store):
    assert format_for(table(store, PEOPLE)).name == "table"
    assert format_for(True).name == "table"
    assert format_for([]).name == "turtle"


@pytest.mark.parametrize("answer, name, message", [
    ([], "csv", "CONSTRUCT or DESCRIBE query gives triples, which csv cannot hold; choose turtle, ntriples"),
    (True, "turtle", "SELECT or ASK query gives results, which turtle cannot hold"),
    (True, "xml", "unknown format 'xml'"),
])
def test_a_format_that_cannot_hold_the_answer_is_an_error(answer, name, message):
    with pytest.raises(QueryError, match=message):
        format_for(answer, name)


def test_formats_are_found_by_media_type_too():
    assert format_for(True, "application/sparql-results+json").name == "json"
    assert {f.name for f in FORMATS} == {"table", "json", "csv", "tsv", "turtle", "ntriples"}


# --- reading queries and graphs --------------------------------------------

def test_read_query_from_text_file_or_stdin(tmp_path, monkeypatch):
    (tmp_path / "q.rq").write_text(PEOPLE, encoding="utf-8")
    assert read_query(str(tmp_path / "q.rq")) == PEOPLE
    assert read_query(PEOPLE) == PEOPLE
    long_query = "SELECT * WHERE { ?s ?p " + "<http://example.org/" + "x" * 300 + "> }"
    assert read_query(long_query) == long_query  # not mistaken for a (too long) file name
    monkeypatch.setattr("sys.stdin", io.StringIO(PEOPLE))
    assert read_query("-") == PEOPLE
    with pytest.raises(QueryError, match="missing.rq: no such query file"):
        read_query(str(tmp_path / "missing.rq"))


def test_bad_sparql_is_reported_with_the_parser_position(store):
    with pytest.raises(QueryError, match=r"bad SPARQL: error at 1:\d+"):
        run_query(store, "SELECT ?x WHERE { ?x }")


def test_updates_are_refused(store):
    with pytest.raises(QueryError, match="bad SPARQL"):
        run_query(store, 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }')
    assert run_query(store, "ASK { <http://example.org/a> ?p ?o }") is False


def test_a_file_that_is_not_turtle_is_an_error(tmp_path):
    (tmp_path / "graph.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(QueryError, match="graph.ttl: not valid Turtle"):
        load_store(tmp_path / "graph.ttl")


# --- the command -----------------------------------------------------------------

def test_command_prints_a_table(graph_file, capsys):
    assert main(["query", "--graph", str(graph_file), PEOPLE]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["person", "body"]
    assert out[2].split() == ["高世奎", "临清市科技局"]


def test_command_prints_json_from_a_query_file(graph_file, tmp_path, capsys):
    (tmp_path / "people.rq").write_text(f"# who works where\n{PEOPLE}\n", encoding="utf-8")
    assert main(["query", "--graph", str(graph_file), "--format", "json", str(tmp_path / "people.rq")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"]["bindings"][0]["body"]["value"] == "临清市科技局"


def test_command_prints_turtle_for_construct(graph_file, capsys):
    assert main(["query", "--graph", str(graph_file), "CONSTRUCT WHERE { ?p a zt:Person }"]) == 0
    triples = list(ox.parse(capsys.readouterr().out.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    assert [t.object.value for t in triples] == [ZT + "Person"]


@pytest.mark.parametrize("args, message", [
    (["--graph", "nowhere/graph.ttl", PEOPLE], "nowhere/graph.ttl: no such graph file; run `zhitu build` first"),
    ([PEOPLE.replace("WHERE {", "WHERE")], "bad SPARQL: error at 1:"),
    (["--format", "turtle", PEOPLE], "which turtle cannot hold"),
])
def test_command_errors_are_one_line_and_non_zero(graph_file, capsys, args, message):
    if "--graph" not in args:
        args = ["--graph", str(graph_file), *args]
    assert main(["query", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("zhitu: error: ") and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
