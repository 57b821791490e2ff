"""Load zhitu's Neo4j import folder into ladybug (the maintained Kùzu fork), as neo4j-admin would.

ladybug is schema-first, so the tables are declared before any data, from the
ontology (ontology/zhitu.ttl): a node table per entity class plus Document,
keyed by ``id``; a relationship table per predicate, named as in Neo4j
(LOCATED_IN), with one FROM/TO pair per class of the predicate's
``rdfs:domain`` and ``rdfs:range``.  The property columns are the exporter's.

The files loaded are those that README.txt's ``neo4j-admin`` command lists,
each read the way neo4j-admin reads it: a column's type comes from its header
(``aliases:string[]``), arrays are split on the array delimiter, an empty field
is no value, ``:LABEL`` says which node table a row belongs to and ``:TYPE``
which relationship table.  ladybug's COPY fills one FROM/TO pair at a time, so
a relationship file is copied once per pair, taking the rows whose two ends are
in that pair's tables.  A row that fits no pair of the ontology is not loaded:
comparing counts with the graph finds it.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import ladybug
from rdflib import OWL, RDFS, Graph, URIRef

from zhitu.graph.export.neo4j import (ARRAY_DELIMITER, DOCUMENT_LABEL, DOCUMENT_PROPERTIES,
                                      ENTITY_PROPERTIES, MENTIONS_PROPERTIES, RELATION_PROPERTIES,
                                      relationship_type)
from zhitu.ontology.vocab import ENTITY_CLASSES, NS, ZT
from zhitu.ontology.vocab import RELATION_PROPERTIES as PREDICATES

# neo4j-admin header type -> ladybug column type
LADYBUG_TYPES = {"string": "STRING", "int": "INT64", "string[]": "STRING[]", "int[]": "INT64[]"}
# header fields that are not properties (neo4j-admin writes them as "name:FIELD" or ":FIELD")
ID, LABEL, START_ID, END_ID, TYPE = "ID", "LABEL", "START_ID", "END_ID", "TYPE"


@dataclass(frozen=True)
class RelationshipTable:
    name: str
    pairs: list[tuple[str, str]]  # (FROM node table, TO node table)
    properties: dict[str, str]  # name -> neo4j-admin type


def node_tables() -> dict[str, dict[str, str]]:
    """Node table -> its properties (name -> neo4j-admin type), besides the ``id`` key."""
    return {**{t: ENTITY_PROPERTIES for t in ENTITY_CLASSES}, DOCUMENT_LABEL: DOCUMENT_PROPERTIES}


def relationship_tables() -> dict[str, RelationshipTable]:
    """Relationship type -> its table, the FROM/TO pairs read from the ontology."""
    onto = Graph().parse(data=files("zhitu.ontology").joinpath("zhitu.ttl").read_text("utf-8"),
                         format="turtle")

    def tables(cls: URIRef) -> list[str]:
        union = onto.value(cls, OWL.unionOf)
        classes = list(onto.items(union)) if union is not None else [cls]
        # zt:Entity has no table of its own: ladybug has no label hierarchy
        return [name for c in classes
                for name in (ENTITY_CLASSES if c == ZT.Entity else [str(c).removeprefix(NS)])]

    found = {}
    for predicate in (*PREDICATES, "mentions"):
        name = relationship_type(predicate)
        domain, range_ = (onto.value(ZT[predicate], p) for p in (RDFS.domain, RDFS.range))
        found[name] = RelationshipTable(
            name, [(a, b) for a in tables(domain) for b in tables(range_)],
            MENTIONS_PROPERTIES if predicate == "mentions" else RELATION_PROPERTIES)
    return found


def load_neo4j_folder(folder: Path, database: Path) -> ladybug.Connection:
    """A connection to a new ladybug database at ``database`` holding the export in ``folder``."""
    connection = ladybug.Connection(ladybug.Database(str(database)))
    nodes, relationships = node_tables(), relationship_tables()
    for table, properties in nodes.items():
        columns = ["id STRING PRIMARY KEY", *_column_definitions(properties)]
        connection.execute(f"CREATE NODE TABLE {table}({', '.join(columns)})")
    for table in relationships.values():
        pairs = [f"FROM {a} TO {b}" for a, b in table.pairs]
        connection.execute(f"CREATE REL TABLE {table.name}"
                           f"({', '.join(pairs + _column_definitions(table.properties))})")
    node_files, relationship_files = listed_files(folder)
    for path in node_files:
        _copy_nodes(connection, CsvFile(path), nodes)
    ids = {table: [row[0] for row in query(connection, f"MATCH (n:{table}) RETURN n.id")]
           for table in nodes}
    for path in relationship_files:
        _copy_relationships(connection, CsvFile(path), relationships, ids)
    return connection


def listed_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The node and relationship files of README.txt's neo4j-admin command."""
    command = (folder / "README.txt").read_text(encoding="utf-8")
    return ([folder / name for name in re.findall(r"--nodes=(\S+)", command)],
            [folder / name for name in re.findall(r"--relationships=(\S+)", command)])


def query(connection: ladybug.Connection, cypher: str, parameters: dict | None = None) -> list[list]:
    result = connection.execute(cypher, parameters or {})
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


class CsvFile:
    """A neo4j-admin CSV file and its header: ``aliases:string[]`` is property
    ``aliases`` of type ``string[]``, ``:LABEL`` (or ``id:ID``) the field LABEL (ID)."""

    def __init__(self, path: Path):
        self.path = path
        with open(path, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        self.fields: dict[str, int] = {}  # ID, LABEL ... -> column
        self.properties: dict[str, tuple[int, str]] = {}  # property -> (column, neo4j-admin type)
        for i, column in enumerate(header):
            name, _, type_ = column.rpartition(":") if ":" in column else (column, "", "string")
            if type_.isupper():
                self.fields[type_] = i
            else:
                self.properties[name] = (i, type_)

    def load(self, where: str, returned: list[str]) -> str:
        """ladybug's LOAD of this file: every column read as text, then filtered and converted."""
        columns = ", ".join(f"c{i} STRING" for i in range(len(self.fields) + len(self.properties)))
        path = str(self.path).replace("\\", "\\\\").replace("'", "\\'")
        # parallel=false: with --multiline-fields=true a quoted field may span lines
        return (f"LOAD WITH HEADERS ({columns}) FROM '{path}' (header=true, parallel=false) "
                f"WHERE {where} RETURN {', '.join(returned)}")

    def field(self, name: str) -> str:
        return f"c{self.fields[name]}"

    def values(self, properties: dict[str, str]) -> list[str]:
        """The expressions that give ``properties``, in order, as neo4j-admin would read them."""
        out = []
        for name in properties:
            i, type_ = self.properties[name]
            value = f"c{i}"
            if type_.endswith("[]"):
                value = f"string_split({value}, '{ARRAY_DELIMITER}')"
            if type_ not in ("string", "string[]"):
                value = f"CAST({value} AS {LADYBUG_TYPES[type_]})"
            out.append(value)
        return out


def _column_definitions(properties: dict[str, str]) -> list[str]:
    # backticks: ``start`` and ``end`` are keywords
    return [f"`{name}` {LADYBUG_TYPES[type_]}" for name, type_ in properties.items()]


def _copy_nodes(connection, file: CsvFile, tables: dict[str, dict[str, str]]) -> None:
    labels = file.field(LABEL)
    for [row_labels] in query(connection, file.load("true", [f"DISTINCT {labels}"])):
        [table] = [label for label in row_labels.split(ARRAY_DELIMITER) if label in tables]
        returned = [file.field(ID), *file.values(tables[table])]
        connection.execute(f"COPY {table} FROM ({file.load(f'{labels} = $labels', returned)})",
                           {"labels": row_labels})


def _copy_relationships(connection, file: CsvFile, tables: dict[str, RelationshipTable],
                        ids: dict[str, list[str]]) -> None:
    start, end, type_ = file.field(START_ID), file.field(END_ID), file.field(TYPE)
    for [row_type] in query(connection, file.load("true", [f"DISTINCT {type_}"])):
        table = tables[row_type]
        returned = [start, end, *file.values(table.properties)]
        rows = file.load(f"{type_} = $type AND {start} IN $from_ids AND {end} IN $to_ids", returned)
        for a, b in table.pairs:
            connection.execute(f"COPY {table.name} FROM ({rows}) (from='{a}', to='{b}')",
                               {"type": row_type, "from_ids": ids[a], "to_ids": ids[b]})
