"""GraphML and GEXF exports: read back with networkx (and igraph when installed)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from zhitu.graph.export.gexf import write_gexf
from zhitu.graph.export.graphml import write_graphml

ENTITY_TYPES = {"Company", "GovernmentBody", "Organization", "Person", "Place", "Programme",
                "Event"}
PREDICATES = {"holdsPosition", "memberOf", "locatedIn", "partOf", "subOrganizationOf",
              "cooperatesWith", "runs", "participatesIn"}
KNOWN_LABEL = "潍坊市"  # the home city of two seed pages


@pytest.fixture(scope="module")
def weifang(seed_graph) -> str:
    [node] = [n for n, d in seed_graph.nodes(data=True) if d["label"] == KNOWN_LABEL]
    return node


@pytest.fixture(scope="module")
def graphml_path(seed_graph, tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("graphml") / "graph.graphml")
    write_graphml(seed_graph, path)
    return path


@pytest.fixture(scope="module")
def gexf_path(seed_graph, tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("gexf") / "graph.gexf")
    write_gexf(seed_graph, path)
    return path


@pytest.fixture(scope="module", params=["graphml", "gexf"])
def read_back(request, graphml_path, gexf_path) -> nx.MultiDiGraph:
    if request.param == "graphml":
        return nx.read_graphml(graphml_path, force_multigraph=True)
    return nx.MultiDiGraph(nx.read_gexf(gexf_path))


def test_same_nodes_and_edges(seed_graph, read_back):
    assert set(read_back) == set(seed_graph)
    assert read_back.number_of_edges() == seed_graph.number_of_edges()
    assert set(read_back.edges()) == set(seed_graph.edges())


def test_nodes_carry_type_and_label(seed_graph, read_back):
    for node, data in read_back.nodes(data=True):
        assert data["type"] in ENTITY_TYPES
        assert data["type"] == seed_graph.nodes[node]["type"]
        assert data["label"] == seed_graph.nodes[node]["label"]


def test_edges_carry_predicate_label_and_evidence(seed_graph, read_back):
    expected = {(u, v, k) for u, v, k in seed_graph.edges(keys=True)}
    found = set()
    for u, v, data in read_back.edges(data=True):
        assert data["predicate"] in PREDICATES
        assert data["label"] == data["predicate"]
        original = seed_graph.edges[u, v, data["predicate"]]
        assert data["evidence"] == original["evidence"][0]["sentence"]
        assert data["evidence_count"] == len(original["evidence"])
        assert data.get("role", "") == original["role"]
        found.add((u, v, data["predicate"]))
    assert found == expected


def test_list_attributes_are_flattened(seed_graph, read_back, weifang):
    data, original = read_back.nodes[weifang], seed_graph.nodes[weifang]
    assert data["mentions"] == original["mention_count"] > 0
    assert data["aliases"].split("|") == original["aliases"]
    assert data["documents"].split("|") == original["documents"]


def test_chinese_label_round_trips(read_back, weifang):
    assert read_back.nodes[weifang]["label"] == KNOWN_LABEL


@pytest.mark.parametrize("path_fixture", ["graphml_path", "gexf_path"])
def test_file_is_utf8_with_chinese_as_text(request, path_fixture):
    with open(request.getfixturevalue(path_fixture), "rb") as f:
        raw = f.read()
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert KNOWN_LABEL.encode("utf-8") in raw


def test_graphml_edge_ids_are_unique(graphml_path, seed_graph):
    # Gephi drops every edge whose id it has already seen
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = [e.get("id") for e in ET.parse(graphml_path).getroot().iterfind(".//g:edge", ns)]
    assert len(ids) == len(set(ids)) == seed_graph.number_of_edges()


def test_gexf_node_label_is_the_name(gexf_path, weifang):
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(gexf_path).getroot()
    labels = {n.get("id"): n.get("label") for n in root.iterfind(".//g:node", ns)}
    assert labels[weifang] == KNOWN_LABEL
    # no date stamp: the same graph gives the same file on any day
    assert root.find("g:meta", ns).get("lastmodifieddate") is None


@pytest.mark.parametrize("write", [write_graphml, write_gexf])
def test_output_is_deterministic(seed_graph, tmp_path, write):
    first, second = tmp_path / "a", tmp_path / "b"
    write(seed_graph, str(first))
    write(seed_graph, str(second))
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("write", [write_graphml, write_gexf])
def test_replaces_existing_file_without_leftovers(seed_graph, tmp_path, write):
    target = tmp_path / "graph.out"
    target.write_text("stale")
    write(seed_graph, str(target))
    assert target.read_bytes().startswith(b"<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.out"]


def test_igraph_reads_the_graphml(graphml_path, seed_graph, weifang):
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(graphml_path)
    assert g.is_directed()
    assert g.vcount() == seed_graph.number_of_nodes()
    assert g.ecount() == seed_graph.number_of_edges()
    assert set(g.vs["type"]) <= ENTITY_TYPES
    assert set(g.es["predicate"]) <= PREDICATES
    assert g.vs.find(id=weifang)["label"] == KNOWN_LABEL


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_markup_quotes_and_control_characters_survive(seed_graph, weifang, tmp_path, fmt):
    """Names and sentences are OCR text: XML's special characters are escaped, the characters XML
    cannot hold at all (a stray form feed) are dropped, and the file still parses."""
    G = seed_graph.copy()
    G.nodes[weifang]["label"] = '潍坊<市> & "新区"\x0c'
    u, v, key = next(iter(G.edges(keys=True)))
    G.edges[u, v, key]["evidence"] = [{**G.edges[u, v, key]["evidence"][0], "sentence": "甲说：\t“<乙>”\n丙"}]
    path = str(tmp_path / f"graph.{fmt}")
    if fmt == "graphml":
        write_graphml(G, path)
        back = nx.read_graphml(path, force_multigraph=True)
    else:
        write_gexf(G, path)
        back = nx.MultiDiGraph(nx.read_gexf(path))
    assert back.nodes[weifang]["label"] == '潍坊<市> & "新区"'
    [evidence] = [d["evidence"] for a, b, d in back.edges(data=True) if (a, b, d["predicate"]) == (u, v, key)]
    assert evidence == "甲说：\t“<乙>”\n丙"
