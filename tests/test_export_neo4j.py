"""Neo4j export: neo4j-admin CSV headers, id integrity, counts, and import.cypher."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from zhitu.graph.export import neo4j
from zhitu.graph.export.neo4j import cypher_string, relationship_type, write_neo4j

ENTITY_HEADER = ["id:ID", "name", "aliases:string[]", ":LABEL"]
DOCUMENT_HEADER = ["id:ID", "file_name", "path", "sha1", "city", "date", "characters:int", ":LABEL"]
RELATION_HEADER = [":START_ID", ":END_ID", ":TYPE", "role", "evidence:string[]",
                   "document:string[]", "start:int[]", "end:int[]", "extractor:string[]"]
MENTIONS_HEADER = [":START_ID", ":END_ID", ":TYPE"]


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, row, strict=True)) for row in body]


def node_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("nodes_*.csv"))


def relationship_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("rels_*.csv"))


def decode_cypher_string(literal: str) -> str:
    """The value of a single-quoted, ASCII Cypher literal as written by the exporter."""
    assert literal[0] == literal[-1] == "'"
    # Python's unicode_escape knows the same escapes; surrogate pairs come out as two halves
    halves = literal[1:-1].encode("ascii").decode("unicode_escape")
    return halves.encode("utf-16", "surrogatepass").decode("utf-16")


@pytest.fixture(scope="module")
def folder(seed_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "neo4j"
    write_neo4j(seed_graph, str(out))
    return out


@pytest.fixture(scope="module")
def cypher_lines(folder) -> list[str]:
    return (folder / "import.cypher").read_text(encoding="ascii").splitlines()


def test_folder_layout(folder, seed_graph):
    types = {d["type"] for _, d in seed_graph.nodes(data=True)}
    predicates = {k for _, _, k in seed_graph.edges(keys=True)}
    expected = ({f"nodes_{t}.csv" for t in types} | {f"rels_{p}.csv" for p in predicates}
                | {"nodes_Document.csv", "rels_mentions.csv", "import.cypher", "README.txt"})
    assert {p.name for p in folder.iterdir()} == expected


def test_csv_headers_are_neo4j_admin_format(folder):
    for path in node_files(folder):
        header, _ = read_csv(path)
        assert header == (DOCUMENT_HEADER if path.name == "nodes_Document.csv" else ENTITY_HEADER)
    for path in relationship_files(folder):
        header, _ = read_csv(path)
        assert header == (MENTIONS_HEADER if path.name == "rels_mentions.csv" else RELATION_HEADER)


def test_node_ids_unique_and_counts_match(folder, seed_graph):
    ids, per_type = [], Counter()
    for path in node_files(folder):
        _, rows = read_csv(path)
        ids += [r["id:ID"] for r in rows]
        for r in rows:
            *types, key_label = r[":LABEL"].split(";")
            if key_label == "Entity":
                [type_] = types
                assert path.name == f"nodes_{type_}.csv"
                assert r["name"] == seed_graph.nodes[r["id:ID"]]["label"]
                per_type[type_] += 1
            else:
                assert (path.name, r[":LABEL"]) == ("nodes_Document.csv", "Document")
    assert len(ids) == len(set(ids))
    assert per_type == Counter(d["type"] for _, d in seed_graph.nodes(data=True))
    assert set(ids) == set(seed_graph) | {d["id"] for d in seed_graph.graph["documents"]}


def test_relationships_connect_existing_nodes_and_counts_match(folder, seed_graph):
    node_ids = {r["id:ID"] for path in node_files(folder) for r in read_csv(path)[1]}
    per_type = Counter()
    for path in relationship_files(folder):
        for r in read_csv(path)[1]:
            assert r[":START_ID"] in node_ids and r[":END_ID"] in node_ids
            per_type[r[":TYPE"]] += 1
    expected = Counter(relationship_type(k) for _, _, k in seed_graph.edges(keys=True))
    expected["MENTIONS"] = sum(len(ids) for ids in seed_graph.graph["mentioned"].values())
    assert per_type == expected


def test_relationship_types_are_upper_snake():
    assert relationship_type("holdsPosition") == "HOLDS_POSITION"
    assert relationship_type("subOrganizationOf") == "SUB_ORGANIZATION_OF"
    assert relationship_type("runs") == "RUNS"


def test_evidence_arrays_are_parallel(folder, seed_graph):
    for path in relationship_files(folder):
        if path.name == "rels_mentions.csv":
            continue
        predicate = path.name[len("rels_"):-len(".csv")]
        for r in read_csv(path)[1]:
            evidence = seed_graph.edges[r[":START_ID"], r[":END_ID"], predicate]["evidence"]
            assert r["document:string[]"].split(";") == [ev["document"] for ev in evidence]
            assert r["start:int[]"].split(";") == [str(ev["start"]) for ev in evidence]
            assert r["end:int[]"].split(";") == [str(ev["end"]) for ev in evidence]
            assert r["extractor:string[]"].split(";") == [ev["rule"] for ev in evidence]
            assert len(r["evidence:string[]"].split(";")) == len(evidence)


def test_cypher_one_statement_per_line(cypher_lines):
    assert cypher_lines
    assert all(line.endswith(";") for line in cypher_lines)


def test_cypher_constraints_come_first(cypher_lines):
    assert cypher_lines[:2] == [
        "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;",
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
    ]
    kinds = [line.split(" ", 1)[0] for line in cypher_lines]
    assert kinds == sorted(kinds, key=["CREATE", "MERGE", "MATCH"].index)


def test_cypher_creates_as_many_nodes_and_relationships_as_the_csvs(folder, cypher_lines):
    csv_nodes = sum(len(read_csv(p)[1]) for p in node_files(folder))
    csv_relationships = sum(len(read_csv(p)[1]) for p in relationship_files(folder))
    node_merges = [line for line in cypher_lines if line.startswith("MERGE (n:")]
    merge_relationship = re.compile(r"^MATCH .* MERGE \(a\)-\[r:\w+\]->\(b\)")
    relationship_merges = [line for line in cypher_lines if merge_relationship.match(line)]
    assert len(node_merges) == csv_nodes
    assert len(relationship_merges) == csv_relationships
    assert len(node_merges) + len(relationship_merges) + 2 == len(cypher_lines)


def test_cypher_has_the_chinese_names(cypher_lines, seed_graph):
    [weifang] = [n for n, d in seed_graph.nodes(data=True) if d["label"] == "潍坊市"]
    merge_weifang = f"MERGE (n:Entity {{id: '{weifang}'}})"
    [line] = [line for line in cypher_lines if line.startswith(merge_weifang)]
    name = re.search(r"`name`: ('(?:[^'\\]|\\.)*')", line).group(1)
    assert name == r"'\u6F4D\u574A\u5E02'"
    assert decode_cypher_string(name) == "潍坊市"


def test_readme_has_the_commands(folder):
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "neo4j-admin database import full neo4j" in readme
    assert "cypher-shell -u neo4j -f import.cypher" in readme
    for path in node_files(folder):
        assert f"--nodes={path.name}" in readme
    for path in relationship_files(folder):
        assert f"--relationships={path.name}" in readme


# ---- escaping, on a tiny graph ------------------------------------------------------------------

# quote, backslash, double quote, and a character beyond the BMP
TRICKY_NAME = "O'Brien \\ 张\"三\" 𠀀"
TRICKY_ALIAS = "甲;乙"  # the array delimiter inside an array element


@pytest.fixture
def tiny_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("p1", type="Person", label=TRICKY_NAME, aliases=[TRICKY_ALIAS, "张三"],
               mention_count=1, documents=["doc-1"])
    G.add_node("o1", type="Organization", label="市\\总工会", aliases=[], mention_count=1,
               documents=["doc-1"])
    evidence = {"document": "doc-1", "start": 0, "end": 12, "rule": "title-frame", "role": "主席",
                "sentence": "他说：'好'\n然后走了。"}
    G.add_edge("p1", "o1", key="holdsPosition", predicate="holdsPosition", evidence=[evidence],
               role="主席")
    G.graph["documents"] = [{"id": "doc-1", "file_name": "a.txt", "path": "in/a.txt",
                             "sha1": "0" * 40, "city": "潍坊市", "date": "", "characters": 12}]
    G.graph["mentioned"] = {"doc-1": ["o1", "p1"]}
    return G


def test_cypher_string_escapes():
    assert cypher_string("a'b") == r"'a\'b'"
    assert cypher_string("a\\b") == r"'a\\b'"
    assert cypher_string('a"b') == "'a\"b'"
    assert cypher_string("行\n") == r"'\u884C\n'"
    assert cypher_string("𠀀") == r"'\uD840\uDC00'"
    assert decode_cypher_string(cypher_string(TRICKY_NAME)) == TRICKY_NAME


def test_tiny_graph_cypher_escaping(tiny_graph, tmp_path):
    write_neo4j(tiny_graph, str(tmp_path / "neo4j"))
    lines = (tmp_path / "neo4j" / "import.cypher").read_text(encoding="ascii").splitlines()
    assert all(line.endswith(";") for line in lines)
    [person] = [line for line in lines if line.startswith("MERGE (n:Entity {id: 'p1'})")]
    assert person == (r"""MERGE (n:Entity {id: 'p1'}) SET n:Person, n += {`name`: """
                      r"""'O\'Brien \\ \u5F20"\u4E09" \uD840\uDC00', """
                      r"""`aliases`: ['\u7532;\u4E59', '\u5F20\u4E09']};""")
    [organisation] = [line for line in lines if line.startswith("MERGE (n:Entity {id: 'o1'})")]
    assert r"`name`: '\u5E02\\\u603B\u5DE5\u4F1A'" in organisation
    assert "`aliases`" not in organisation  # empty values are left out
    [relation] = [line for line in lines if ":HOLDS_POSITION]" in line]
    sentence = re.search(r"`evidence`: \[('(?:[^'\\]|\\.)*')\]", relation).group(1)
    assert decode_cypher_string(sentence) == "他说：'好'\n然后走了。"
    assert "`start`: [0], `end`: [12]" in relation


def test_tiny_graph_csv_values(tiny_graph, tmp_path):
    write_neo4j(tiny_graph, str(tmp_path / "neo4j"))
    _, [person] = read_csv(tmp_path / "neo4j" / "nodes_Person.csv")
    assert person["name"] == TRICKY_NAME
    # neo4j-admin cannot escape the array delimiter: a ";" inside an element becomes "；"
    assert person["aliases:string[]"] == "甲；乙;张三"
    assert person[":LABEL"] == "Person;Entity"
    _, [relation] = read_csv(tmp_path / "neo4j" / "rels_holdsPosition.csv")
    assert relation["evidence:string[]"] == "他说：'好'\n然后走了。"
    assert relation["role"] == "主席"
    _, [document] = read_csv(tmp_path / "neo4j" / "nodes_Document.csv")
    assert document["date"] == "" and document["characters:int"] == "12"


# ---- writing the folder -------------------------------------------------------------------------

def test_replaces_an_existing_folder(tiny_graph, tmp_path):
    target = tmp_path / "neo4j"
    target.mkdir()
    (target / "stale.csv").write_text("old")
    write_neo4j(tiny_graph, str(target) + "/")
    assert not (target / "stale.csv").exists()
    assert (target / "import.cypher").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["neo4j"]


def test_failure_leaves_the_previous_folder(tiny_graph, tmp_path, monkeypatch):
    target = tmp_path / "neo4j"
    write_neo4j(tiny_graph, str(target))
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def fail_half_way(*args):
        raise OSError("disk full")  # while writing import.cypher, after the CSVs

    monkeypatch.setattr(neo4j, "_relationship_statement", fail_half_way)
    tiny_graph.nodes["p1"]["label"] = "changed"
    with pytest.raises(OSError, match="disk full"):
        write_neo4j(tiny_graph, str(target))
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["neo4j"]


def test_output_is_deterministic(seed_graph, tmp_path):
    write_neo4j(seed_graph, str(tmp_path / "a"))
    write_neo4j(seed_graph, str(tmp_path / "b"))
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
