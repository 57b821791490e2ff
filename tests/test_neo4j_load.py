"""The Neo4j export in a real Cypher database, and import.cypher through the openCypher grammar.

No Neo4j server is to be had here, so the CSV files go into ladybug (the
maintained Kùzu fork, an embedded Cypher database) the way ``neo4j-admin``
reads them (tests/ladybug_load.py), and the counts are checked against the
Turtle written from the same graph.
"""
from __future__ import annotations

import re
from pathlib import Path

import antlr4_cypher
import pytest
from antlr4 import CommonTokenStream, InputStream  # the runtime antlr4-cypher's parser runs on
from antlr4.atn.PredictionMode import PredictionMode
from antlr4.error.ErrorListener import ErrorListener
from antlr4.error.ErrorStrategy import BailErrorStrategy
from antlr4.error.Errors import ParseCancellationException
from ladybug_load import load_neo4j_folder, query
from rdflib import RDF, Graph

from zhitu.graph.export.neo4j import (ARRAY_DELIMITER, ARRAY_DELIMITER_STANDIN, relationship_type,
                                      write_neo4j)
from zhitu.graph.export.turtle import write_turtle
from zhitu.ontology.vocab import ENTITY_CLASSES, RELATION_PROPERTIES, ZT


@pytest.fixture(scope="module")
def exported(seed_graph, tmp_path_factory) -> Path:
    """graph.ttl and neo4j/ written from the seed graph, as ``zhitu build`` writes them."""
    out = tmp_path_factory.mktemp("exported")
    write_turtle(seed_graph, str(out / "graph.ttl"))
    write_neo4j(seed_graph, str(out / "neo4j"))
    return out


@pytest.fixture(scope="module")
def turtle(exported) -> Graph:
    return Graph().parse(exported / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def db(exported, tmp_path_factory):
    return load_neo4j_folder(exported / "neo4j", tmp_path_factory.mktemp("ladybug") / "db")


def count(db, cypher: str) -> int:
    [[n]] = query(db, cypher)
    return n


@pytest.mark.parametrize("table", [*ENTITY_CLASSES, "Document"])
def test_nodes_per_type_equal_the_turtle(db, turtle, table):
    in_turtle = len(set(turtle.subjects(RDF.type, ZT[table])))
    assert in_turtle > 0
    assert count(db, f"MATCH (n:{table}) RETURN count(n)") == in_turtle


@pytest.mark.parametrize("predicate", [*RELATION_PROPERTIES, "mentions"])
def test_relationships_per_predicate_equal_the_turtle(db, turtle, predicate):
    in_turtle = len(set(turtle.subject_objects(ZT[predicate])))
    assert in_turtle > 0
    cypher = f"MATCH ()-[r:{relationship_type(predicate)}]->() RETURN count(r)"
    assert count(db, cypher) == in_turtle


def test_two_hop_path_person_body_place(db):
    rows = query(db, """
        MATCH (p:Person {name: $name})-[h:HOLDS_POSITION]->(b:GovernmentBody)-[:LOCATED_IN]->(c:Place)
        RETURN b.name, h.role, c.name, h.evidence""", {"name": "高世奎"})
    [(_, role, place, evidence)] = [row for row in rows if row[0] == "临清市科技局"]
    assert (role, place) == ("局长", "临清市")
    assert any("临清市科技局局长高世奎" in sentence for sentence in evidence)


def test_names_and_aliases_round_trip(db, seed_graph):
    loaded = {}
    for table in ENTITY_CLASSES:
        for id_, name, aliases in query(db, f"MATCH (n:{table}) RETURN n.id, n.name, n.aliases"):
            loaded[id_] = (table, name, aliases or [])  # an empty field is no value
    assert loaded == {n: (d["type"], d["label"], d["aliases"]) for n, d in seed_graph.nodes(data=True)}


def test_evidence_arrays_round_trip(db, seed_graph):
    def stored(sentence: str) -> str:
        return sentence.replace(ARRAY_DELIMITER, ARRAY_DELIMITER_STANDIN)

    loaded = {}
    for predicate in RELATION_PROPERTIES:
        rows = query(db, f"MATCH (a)-[r:{relationship_type(predicate)}]->(b) "
                         "RETURN a.id, b.id, r.evidence, r.document, r.`start`, r.`end`, r.extractor")
        loaded |= {(a, b, predicate): tuple(values) for a, b, *values in rows}
    expected = {
        (u, v, key): ([stored(ev["sentence"]) for ev in data["evidence"]],
                      *([ev[field] for ev in data["evidence"]]
                        for field in ("document", "start", "end", "rule")))
        for u, v, key, data in seed_graph.edges(keys=True, data=True)}
    assert loaded == expected


# ---- import.cypher through the openCypher grammar -----------------------------------------------

class _RaiseSyntaxError(ErrorListener):
    def syntaxError(self, recognizer, offending_symbol, line, column, msg, e):
        raise SyntaxError(f"column {column}: {msg}")


def parse_cypher(statement: str) -> None:
    """Raise SyntaxError unless ``statement`` is one openCypher query."""
    def parser(fast: bool):
        lexer = antlr4_cypher.CypherLexer(InputStream(statement))
        lexer.removeErrorListeners()
        lexer.addErrorListener(_RaiseSyntaxError())
        p = antlr4_cypher.CypherParser(CommonTokenStream(lexer))
        p.removeErrorListeners()
        p.addErrorListener(_RaiseSyntaxError())
        if fast:
            p._interp.predictionMode = PredictionMode.SLL
            p._errHandler = BailErrorStrategy()
        return p

    # ANTLR's two-stage parse: SLL is several times faster and decides almost
    # every input; only what it rejects is parsed again with full LL
    try:
        parser(fast=True).script()
    except ParseCancellationException:
        parser(fast=False).script()


# Schema commands are Neo4j's, not openCypher's: the grammar has none, so they
# are held to the Neo4j 5 form instead.
NEO4J_UNIQUE_CONSTRAINT = (r"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(\w+:\w+\) "
                           r"REQUIRE \w+\.\w+ IS UNIQUE;")


@pytest.fixture(scope="module")
def statements(exported) -> list[str]:
    return (exported / "neo4j" / "import.cypher").read_text(encoding="ascii").splitlines()


def test_every_statement_of_import_cypher_parses(statements):
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert constraints and all(re.fullmatch(NEO4J_UNIQUE_CONSTRAINT, s) for s in constraints)
    data = [s for s in statements if not s.startswith("CREATE CONSTRAINT")]
    assert len(data) > 100
    for statement in data:
        parse_cypher(statement)


def first(statements: list[str], part: str) -> str:
    return next(s for s in statements if part in s)


# what a slip in the exporter would write
BROKEN = {
    "unclosed map": lambda st: first(st, "MERGE (n:").replace("}", "", 1),
    "unescaped quote": lambda st: first(st, "MERGE (n:").replace("{id: '", "{id: 'it's ", 1),
    "hyphen in a type": lambda st: first(st, "[r:LOCATED_IN]").replace("[r:LOCATED_IN]", "[r:LOCATED-IN]"),
    "two statements on a line": lambda st: first(st, "MERGE (n:") + " " + first(st, "MATCH (a:"),
}


@pytest.mark.parametrize("slip", BROKEN)
def test_a_broken_statement_does_not_parse(statements, slip):
    broken = BROKEN[slip](statements)
    assert broken not in statements
    with pytest.raises(SyntaxError):
        parse_cypher(broken)
