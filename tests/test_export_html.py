"""graph.html: an offline, deterministic vis-network page with search, filters and evidence."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import networkx as nx
import pytest
import pyvis

from zhitu.graph.export.html import TYPE_COLOURS, write_html
from zhitu.ontology.vocab import ENTITY_CLASSES

VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"


@pytest.fixture(scope="module")
def seed_page(seed_graph, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("html") / "graph.html"
    write_html(seed_graph, str(path))
    return path.read_text(encoding="utf-8")


def page_data(page: str, name: str):
    """The nodes or edges pyvis handed to vis.DataSet, parsed back."""
    return json.loads(re.search(rf"{name} = new vis\.DataSet\((.*)\);\n", page).group(1))


def page_options(page: str) -> dict:
    return json.loads(re.search(r"var options = (\{.*\});\n", page).group(1))


def render(G, tmp_path, name="graph.html", **kwargs) -> str:
    path = tmp_path / name
    write_html(G, str(path), **kwargs)
    return path.read_text(encoding="utf-8")


def synthetic_graph(labels: list[str], edges: list[tuple[int, int, str, str]], type_="Organization"):
    """A graph shaped like build_graph's: node i is labels[i]; edges are (u, v, predicate, sentence)."""
    G = nx.MultiDiGraph()
    G.graph["documents"] = [{"id": "doc-1", "file_name": "page.txt"}]
    for i, label in enumerate(labels):
        G.add_node(f"n{i:05d}", type=type_, label=label, aliases=[], mention_count=0, documents=["doc-1"])
    for u, v, predicate, sentence in edges:
        evidence = {"document": "doc-1", "start": 0, "end": len(sentence), "sentence": sentence,
                    "rule": "test", "role": ""}
        G.add_edge(f"n{u:05d}", f"n{v:05d}", key=predicate, predicate=predicate, evidence=[evidence], role="")
    return G


def test_page_loads_nothing_from_the_network(seed_page):
    tags = re.findall(r"<(?:script|link)\b[^>]*>", seed_page, re.I)
    assert tags
    external = [t for t in tags if re.search(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", t, re.I)]
    assert external == []
    assert "bootstrap" not in seed_page


def test_vis_network_is_inlined(seed_page):
    assert VIS_JS.read_text(encoding="utf-8") in seed_page
    assert "new vis.Network(" in seed_page


def test_every_node_of_the_graph_is_in_the_page(seed_graph, seed_page):
    nodes = page_data(seed_page, "nodes")
    assert {n["id"] for n in nodes} == set(seed_graph.nodes)
    assert sorted(n["label"] for n in nodes) == sorted(d["label"] for _, d in seed_graph.nodes(data=True))
    # Chinese stays readable in the source, not \u-escaped
    label = next(d["label"] for _, d in seed_graph.nodes(data=True))
    assert label in seed_page


def test_nodes_coloured_by_type_sized_by_degree_with_tooltip(seed_graph, seed_page):
    nodes = {n["id"]: n for n in page_data(seed_page, "nodes")}
    for n, data in seed_graph.nodes(data=True):
        node = nodes[n]
        assert node["color"] == TYPE_COLOURS[data["type"]]
        assert "group" not in node
        assert node["degree"] == seed_graph.degree(n)
        assert node["title"].startswith(data["label"] + "\n")
        assert f"Type: {data['type']}" in node["title"]
        assert all(a in node["title"] for a in data["aliases"])
    by_degree = sorted(nodes.values(), key=lambda n: n["degree"])
    assert by_degree[0]["size"] < by_degree[-1]["size"]
    assert [n["size"] for n in by_degree] == sorted(n["size"] for n in by_degree)


def test_legend_lists_the_seven_types_as_filters(seed_page):
    assert set(TYPE_COLOURS) == set(ENTITY_CLASSES)
    filters = re.search(r'<fieldset id="zt-filters">(.*?)</fieldset>', seed_page, re.S).group(1)
    assert re.findall(r'<input type="checkbox" data-type="(\w+)" checked>', filters) == list(ENTITY_CLASSES)
    for type_, colour in TYPE_COLOURS.items():
        assert f'background:{colour}"></span>{type_}<' in filters


def test_controls_have_stable_ids(seed_page):
    for element_id in ("zt-panel", "zt-search", "zt-names", "zt-search-status", "zt-filters", "zt-evidence"):
        assert len(re.findall(rf'\bid="{element_id}"', seed_page)) == 1, element_id
    assert 'list="zt-names"' in seed_page
    for element_id in ("zt-evidence", "zt-search-status", "zt-search", "zt-names"):
        assert f'getElementById("{element_id}")' in seed_page
    assert "window.zt = {" in seed_page


def test_edges_carry_predicate_role_and_evidence(seed_graph, seed_page):
    edges = page_data(seed_page, "edges")
    assert len(edges) == seed_graph.number_of_edges()
    assert len({e["id"] for e in edges}) == len(edges)
    found = {(e["from"], e["to"], e["predicate"]): e for e in edges}
    for u, v, key, data in seed_graph.edges(keys=True, data=True):
        edge = found[u, v, key]
        assert edge["label"] == data["predicate"]
        assert data["predicate"] in edge["title"]
        assert [ev["sentence"] for ev in edge["evidence"]] == [ev["sentence"] for ev in data["evidence"]]
        assert edge["role"] == data["role"]
        if data["role"]:
            assert data["role"] in edge["title"]
    assert any(e["predicate"] == "holdsPosition" and e["role"] for e in edges)
    sentence = next(iter(seed_graph.edges(data=True)))[2]["evidence"][0]["sentence"]
    assert sentence in seed_page
    file_names = {d["file_name"] for d in seed_graph.graph["documents"]}
    assert all(ev["document"] in file_names for e in edges for ev in e["evidence"])


def test_physics_is_seeded_bounded_and_then_stops(seed_page):
    options = page_options(seed_page)
    assert isinstance(options["layout"]["randomSeed"], int)
    stabilization = options["physics"]["stabilization"]
    assert stabilization["enabled"] and 0 < stabilization["iterations"] <= 1000
    assert 'network.once("stabilizationIterationsDone"' in seed_page
    assert "network.setOptions({physics: {enabled: false}})" in seed_page


def test_same_graph_gives_the_same_bytes(seed_graph, tmp_path):
    first = tmp_path / "a.html"
    second = tmp_path / "b.html"
    write_html(seed_graph, str(first))
    write_html(seed_graph, str(second))
    assert first.read_bytes() == second.read_bytes()
    # node and edge insertion order do not matter either
    shuffled = nx.MultiDiGraph()
    shuffled.graph.update(seed_graph.graph)
    shuffled.add_nodes_from(reversed(list(seed_graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(seed_graph.edges(keys=True, data=True))))
    third = tmp_path / "c.html"
    write_html(shuffled, str(third))
    assert third.read_bytes() == first.read_bytes()


def test_quotes_and_script_tags_in_text_are_escaped(tmp_path):
    nasty = '他说"你好"</script><script>alert(1)</script>'
    linky = "<img src=x onerror=alert(2)> <a href='x'>链接</a> & 公司"
    sentence = "证据句里有</script>和\"引号\"以及'单引号'。"
    G = synthetic_graph([nasty, linky], [(0, 1, "cooperatesWith", sentence)])
    G.nodes["n00000"]["aliases"] = ["别名'单引号'"]
    page = render(G, tmp_path)
    assert "</script><script>alert(1)" not in page
    assert "<img src=x" not in page
    plain = render(synthetic_graph(["甲", "乙"], [(0, 1, "cooperatesWith", "句。")]), tmp_path, "plain.html")
    assert page.count("</script>") == plain.count("</script>")
    nodes = {n["id"]: n for n in page_data(page, "nodes")}
    assert nodes["n00000"]["label"] == nasty
    assert nodes["n00000"]["aliases"] == ["别名'单引号'"]
    assert nodes["n00001"]["label"] == linky
    assert page_data(page, "edges")[0]["evidence"][0]["sentence"] == sentence
    # a title mentioning "href" must not switch pyvis to HTML tooltips
    assert "popup.innerHTML" not in page


def test_parallel_edges_curve_apart(tmp_path):
    G = synthetic_graph(["甲", "乙", "丙"], [(0, 1, "partOf", "一。"), (0, 1, "memberOf", "二。"),
                                          (1, 0, "runs", "三。"), (1, 2, "locatedIn", "四。")])
    edges = {(e["from"], e["to"], e["predicate"]): e for e in page_data(render(G, tmp_path), "edges")}
    same_direction = [edges["n00000", "n00001", p]["smooth"]["roundness"] for p in ("memberOf", "partOf")]
    assert len(set(same_direction)) == 2
    assert edges["n00001", "n00000", "runs"]["smooth"]["type"] == "curvedCW"
    assert "smooth" not in edges["n00001", "n00002", "locatedIn"]


def test_small_graph_is_not_truncated(seed_page):
    assert 'id="zt-truncated"' not in seed_page


def test_large_graph_keeps_best_connected_nodes_and_says_so(tmp_path):
    n = 3000
    # node i links to i // 2 (a binary tree) and to i // 7: degrees vary widely
    links = [(i, i // 2, "partOf", f"第{i}句。") for i in range(1, n)]
    links += [(i, i // 7, "locatedIn", f"第{i}条。") for i in range(7, n)]
    G = synthetic_graph([f"机构{i}" for i in range(n)], links)
    started = time.perf_counter()
    page = render(G, tmp_path)
    assert time.perf_counter() - started < 30
    note = re.search(r'<p id="zt-truncated" data-shown="(\d+)" data-total="(\d+)">([^<]*)</p>', page)
    assert note and note.group(1, 2) == ("2000", "3000")
    assert "2,000" in note.group(3) and "3,000" in note.group(3)
    kept = {node["id"] for node in page_data(page, "nodes")}
    assert len(kept) == 2000
    degree = dict(G.degree())
    assert min(degree[k] for k in kept) >= max(degree[d] for d in set(G.nodes) - kept)
    assert all(e["from"] in kept and e["to"] in kept for e in page_data(page, "edges"))
    assert page_options(page)["layout"]["improvedLayout"] is False

    small = render(G, tmp_path, "small.html", max_nodes=50)
    assert 'data-shown="50" data-total="3000"' in small
    assert len(page_data(small, "nodes")) == 50


def test_part_of_a_graph_given_its_degrees_draws_as_in_the_whole(tmp_path):
    links = [(i, i // 2, "partOf", f"第{i}句。") for i in range(1, 300)]
    links += [(i, i // 7, "locatedIn", f"第{i}条。") for i in range(7, 300)]
    G = synthetic_graph([f"机构{i}" for i in range(300)], links)
    whole = render(G, tmp_path, max_nodes=40)
    kept = [node["id"] for node in page_data(whole, "nodes")]
    part = render(G.subgraph(kept).copy(), tmp_path, "part.html", max_nodes=40, degree=dict(G.degree()),
                  total_entities=len(G))
    assert page_data(part, "nodes") == page_data(whole, "nodes")
    assert page_data(part, "edges") == page_data(whole, "edges")
    assert part == whole
    # by default a part counts its own relations
    assert page_data(render(G.subgraph(kept).copy(), tmp_path, "own.html"), "nodes") != page_data(whole, "nodes")


def test_write_replaces_the_file_and_leaves_no_temporary(seed_graph, tmp_path):
    path = tmp_path / "graph.html"
    path.write_text("old", encoding="utf-8")
    write_html(seed_graph, str(path))
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_max_nodes_must_be_positive(seed_graph, tmp_path):
    with pytest.raises(ValueError):
        write_html(seed_graph, str(tmp_path / "graph.html"), max_nodes=0)
    assert not (tmp_path / "graph.html").exists()
