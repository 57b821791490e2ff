"""The graph as a Neo4j import folder: CSVs for ``neo4j-admin`` and a Cypher script.

``write_neo4j(G, folder)`` writes::

    nodes_<Type>.csv       one per entity type present, e.g. nodes_Company.csv:
                           id:ID,name,aliases:string[],:LABEL   (label "Company;Entity")
    nodes_Document.csv     id:ID,file_name,path,sha1,city,date,characters:int,:LABEL
    rels_<predicate>.csv   one per predicate present, e.g. rels_locatedIn.csv:
                           :START_ID,:END_ID,:TYPE,role,evidence:string[],document:string[],
                           start:int[],end:int[],extractor:string[]
    rels_mentions.csv      :START_ID,:END_ID,:TYPE   (document -> entity, type MENTIONS)
    import.cypher          the same graph as Cypher statements, for a running server
    README.txt             the neo4j-admin and cypher-shell commands

Relationship types are the predicates in UPPER_SNAKE_CASE (locatedIn ->
LOCATED_IN, holdsPosition -> HOLDS_POSITION), plus MENTIONS; the CSVs and
import.cypher use the same names.

One relationship per graph edge.  An edge can rest on several pieces of
evidence, so its evidence properties are parallel arrays: ``evidence[i]`` is a
sentence of document ``document[i]``, at characters ``start[i]``..``end[i]``,
found by extractor rule ``extractor[i]``.

Entities and documents share one ID space (entity ids are hashes, document ids
start with "doc-").  Empty values are left out: an empty CSV field, no property
in Cypher.  neo4j-admin has no escape for the array delimiter ";", so inside
array elements of the CSVs an ASCII ";" is written as the full-width "；".
import.cypher is plain ASCII (every other character is a \\uXXXX escape), so it
reads the same whatever the default charset of cypher-shell's JVM.

The folder is built beside the target and swapped in whole, so readers never
see a half-written folder and a failed export leaves the previous one intact.
"""
from __future__ import annotations

import csv
import io
import os
import re
import secrets
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import networkx as nx

from .. import build as B
from .units import FileLayout, Outline, Section, write_layouts

ARRAY_DELIMITER = ";"
ARRAY_DELIMITER_STANDIN = "；"  # full-width semicolon, looks the same in Chinese text
ENTITY_LABEL = "Entity"
DOCUMENT_LABEL = "Document"
MENTIONS_TYPE = "MENTIONS"

# property -> neo4j-admin type ("string" is the default and not written in headers)
ENTITY_PROPERTIES = {"name": "string", "aliases": "string[]"}
DOCUMENT_PROPERTIES = {"file_name": "string", "path": "string", "sha1": "string", "city": "string",
                       "date": "string", "characters": "int"}
RELATION_PROPERTIES = {"role": "string", "evidence": "string[]", "document": "string[]",
                       "start": "int[]", "end": "int[]", "extractor": "string[]"}
MENTIONS_PROPERTIES: dict[str, str] = {}


def relationship_type(predicate: str) -> str:
    """``holdsPosition`` -> ``HOLDS_POSITION``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", predicate).upper()


@dataclass(frozen=True)
class NodeRow:
    id: str
    key_label: str  # the label whose ``id`` is unique: Entity or Document
    labels: tuple[str, ...]  # further labels, e.g. the entity type
    properties: dict


@dataclass(frozen=True)
class RelationshipRow:
    start: str
    end: str
    type: str
    properties: dict


def _csv_value(value) -> str:
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(
            str(v).replace(ARRAY_DELIMITER, ARRAY_DELIMITER_STANDIN) for v in value)
    return str(value)


@dataclass
class Table(ABC):
    """One CSV file: its properties (name -> neo4j-admin type) and its rows, unit by unit.

    A unit is one entity's or one document's rows (``rows(key)``), made anew
    for each file that shows them: the CSV and import.cypher each take one
    pass, and no table is ever held in memory.
    """
    file_name: str
    properties: dict[str, str]
    keys: list[str]  # the units, in file order
    rows: Callable[[str], Iterable]

    @abstractmethod
    def header(self) -> list[str]:
        """The property columns with the id and label (or type) columns around them."""

    @abstractmethod
    def csv_row(self, row) -> list[str]:
        """One row's values in header order."""

    def property_header(self) -> list[str]:
        # "string" is neo4j-admin's default type and is left out
        return [p if t == "string" else f"{p}:{t}" for p, t in self.properties.items()]

    def property_values(self, row: NodeRow | RelationshipRow) -> list[str]:
        return [_csv_value(row.properties[p]) for p in self.properties]

    def csv_layout(self, folder: str) -> FileLayout:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")

        def lines(rows: Iterable) -> str:
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(rows)
            return buffer.getvalue()

        return FileLayout(os.path.join(folder, self.file_name),
                          [lines([self.header()]),
                           Section("rows", self.keys, lambda key: lines(self.csv_row(row) for row in self.rows(key)))])


class NodeTable(Table):
    def header(self) -> list[str]:
        return ["id:ID", *self.property_header(), ":LABEL"]

    def csv_row(self, row: NodeRow) -> list[str]:
        labels = ARRAY_DELIMITER.join((*row.labels, row.key_label))
        return [row.id, *self.property_values(row), labels]


class RelationshipTable(Table):
    def header(self) -> list[str]:
        return [":START_ID", ":END_ID", ":TYPE", *self.property_header()]

    def csv_row(self, row: RelationshipRow) -> list[str]:
        return [row.start, row.end, row.type, *self.property_values(row)]


def node_tables(G: nx.MultiDiGraph, outline: Outline) -> list[NodeTable]:
    def entity(n: str) -> list[NodeRow]:
        data = G.nodes[n]
        return [NodeRow(n, ENTITY_LABEL, (data[B.TYPE],), {"name": data[B.LABEL], "aliases": data[B.ALIASES]})]

    records = {d["id"]: d for d in G.graph.get("documents", [])}

    def document(doc_id: str) -> list[NodeRow]:
        return [NodeRow(doc_id, DOCUMENT_LABEL, (), {p: records[doc_id][p] for p in DOCUMENT_PROPERTIES})]

    tables = [NodeTable(f"nodes_{t}.csv", ENTITY_PROPERTIES, outline.entities_of_type(t), entity)
              for t in sorted(set(outline.types.values()))]
    if outline.documents:
        tables.append(NodeTable(f"nodes_{DOCUMENT_LABEL}.csv", DOCUMENT_PROPERTIES, sorted(outline.documents),
                                document))
    return tables


def relationship_tables(G: nx.MultiDiGraph, outline: Outline) -> list[RelationshipTable]:
    def relations(predicate: str) -> Callable[[str], Iterator[RelationshipRow]]:
        def rows(u: str) -> Iterator[RelationshipRow]:
            for _, v, key in sorted(G.out_edges(u, keys=True)):
                data = G.edges[u, v, key]
                if data[B.PREDICATE] != predicate:
                    continue
                evidence = data[B.EVIDENCE]
                yield RelationshipRow(u, v, relationship_type(predicate), {
                    "role": data[B.ROLE],
                    "evidence": [ev["sentence"] for ev in evidence],
                    "document": [ev["document"] for ev in evidence],
                    "start": [ev["start"] for ev in evidence],
                    "end": [ev["end"] for ev in evidence],
                    "extractor": [ev["rule"] for ev in evidence],
                })
        return rows

    def mentions(doc_id: str) -> Iterator[RelationshipRow]:
        for n in G.graph["mentioned"].get(doc_id, ()):
            yield RelationshipRow(doc_id, n, MENTIONS_TYPE, {})

    predicates = sorted({p for ps in outline.predicates.values() for p in ps})
    tables = [RelationshipTable(f"rels_{p}.csv", RELATION_PROPERTIES, outline.subjects_of(p), relations(p))
              for p in predicates]
    if outline.documents and outline.types:
        tables.append(RelationshipTable("rels_mentions.csv", MENTIONS_PROPERTIES, sorted(outline.documents),
                                        mentions))
    return tables


# ---- Cypher -------------------------------------------------------------------------------------

_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
                   "\f": "\\f"}


class _CypherEscapes(dict):
    """Code point -> its spelling inside a Cypher string literal, worked out once per character.

    ``str.translate`` looks every character up here in C: the graph's text is
    written ~15x faster than by a Python loop over its characters.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _CYPHER_ESCAPES:
            text = _CYPHER_ESCAPES[char]
        elif " " <= char <= "~":
            text = char
        else:
            # one \uXXXX per UTF-16 unit: beyond the BMP that is a surrogate pair, as Java wants
            units = char.encode("utf-16-be")
            text = "".join(f"\\u{units[i]:02X}{units[i + 1]:02X}" for i in range(0, len(units), 2))
        self[code] = text
        return text


_ESCAPED = _CypherEscapes()


def cypher_string(text: str) -> str:
    """``text`` as a single-quoted Cypher string literal in plain ASCII."""
    return "'" + text.translate(_ESCAPED) + "'"


def _cypher_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_cypher_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return cypher_string(value)


def _non_empty(properties: dict) -> dict:
    """Empty values are left out, as an empty CSV field is no property for neo4j-admin."""
    return {k: v for k, v in properties.items() if v is not None and v != "" and v != []}


def _cypher_map(properties: dict) -> str:
    # keys in backticks: ``end`` is a Cypher keyword
    return "{" + ", ".join(f"`{k}`: {_cypher_value(v)}" for k, v in properties.items()) + "}"


def _node_statement(row: NodeRow) -> str:
    properties = _non_empty(row.properties)
    updates = [f"n:{label}" for label in row.labels]
    if properties:
        updates.append(f"n += {_cypher_map(properties)}")
    set_clause = f" SET {', '.join(updates)}" if updates else ""
    return f"MERGE (n:{row.key_label} {{id: {cypher_string(row.id)}}}){set_clause};"


def _relationship_statement(row: RelationshipRow, key_label: Callable[[str], str]) -> str:
    properties = _non_empty(row.properties)
    set_clause = f" SET r += {_cypher_map(properties)}" if properties else ""
    return (f"MATCH (a:{key_label(row.start)} {{id: {cypher_string(row.start)}}}), "
            f"(b:{key_label(row.end)} {{id: {cypher_string(row.end)}}}) "
            f"MERGE (a)-[r:{row.type}]->(b){set_clause};")


def cypher_layout(outline: Outline, nodes: list[NodeTable], relationships: list[RelationshipTable],
                  folder: str) -> FileLayout:
    """Constraints, then nodes merged by id, then relationships; one statement a line."""
    def key_label(node_id: str) -> str:
        return ENTITY_LABEL if node_id in outline.types else DOCUMENT_LABEL

    present = {DOCUMENT_LABEL: bool(outline.documents), ENTITY_LABEL: bool(outline.types)}
    constraints = "".join(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;\n"
                          for label in sorted(label for label, any_nodes in present.items() if any_nodes))

    def node_statements(table: NodeTable) -> Section:
        return Section(table.file_name, table.keys,
                       lambda key: "".join(_node_statement(row) + "\n" for row in table.rows(key)))

    def relationship_statements(table: RelationshipTable) -> Section:
        return Section(table.file_name, table.keys, lambda key: "".join(_relationship_statement(row, key_label) + "\n"
                                                                        for row in table.rows(key)))

    return FileLayout(os.path.join(folder, "import.cypher"),
                      [constraints, *map(node_statements, nodes), *map(relationship_statements, relationships)])


# ---- README -------------------------------------------------------------------------------------

def readme_text(nodes: list[NodeTable], relationships: list[RelationshipTable]) -> str:
    options = [f'--array-delimiter="{ARRAY_DELIMITER}"', "--multiline-fields=true"]
    options += [f"--nodes={t.file_name}" for t in nodes]
    options += [f"--relationships={t.file_name}" for t in relationships]
    command = " \\\n    ".join(["neo4j-admin database import full neo4j", *options])
    return f"""\
The zhitu knowledge graph for Neo4j.

Either bulk-import the CSV files into a new, empty database: stop the server,
run this in this folder (add --overwrite-destination to replace an existing
database "neo4j"), then start the server:

{command}

or load import.cypher into a running server (MERGE by id, so it can be re-run):

cypher-shell -u neo4j -f import.cypher
"""


# ---- folder -------------------------------------------------------------------------------------

@contextmanager
def _atomic_folder(folder: str) -> Iterator[str]:
    """Yield a new empty folder beside ``folder``; on success it replaces ``folder``."""
    target = os.path.abspath(folder)
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    staging = os.path.join(parent, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    os.mkdir(staging)  # not mkdtemp, which would make the final folder owner-only
    try:
        yield staging
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # still there only if something failed


def _swap_in(staging: str, target: str) -> None:
    if not os.path.lexists(target):
        os.replace(staging, target)
        return
    # os.replace cannot replace a non-empty folder: move the old one aside first
    old = staging + ".old"
    os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(old, target)
        raise
    if os.path.isdir(old) and not os.path.islink(old):
        shutil.rmtree(old)
    else:
        os.unlink(old)


def neo4j_layouts(G: nx.MultiDiGraph, outline: Outline, folder: str = "neo4j") -> list[FileLayout]:
    """Every file of the import folder, as laid out inside ``folder``."""
    nodes, relationships = node_tables(G, outline), relationship_tables(G, outline)
    return [*(table.csv_layout(folder) for table in nodes + relationships),
            cypher_layout(outline, nodes, relationships, folder),
            FileLayout(os.path.join(folder, "README.txt"), [readme_text(nodes, relationships)])]


def write_neo4j(G: nx.MultiDiGraph, folder: str) -> None:
    with _atomic_folder(folder) as staging:
        write_layouts(neo4j_layouts(G, Outline.of_graph(G), ""), staging)
