"""``zhitu view``: graph.ttl read back, and a page of one entity's neighbourhood or of the best-connected."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from test_export_html import page_data  # the nodes a page hands to vis-network
from zhitu.cli import main
from zhitu.graph.export.turtle import write_turtle
from zhitu.graph.view import names, read_graph, select

FOCUS = "潍坊市"


@pytest.fixture(scope="module")
def built(seed_graph, tmp_path_factory) -> Path:
    """A folder with graph.ttl, as ``zhitu build`` leaves it."""
    folder = tmp_path_factory.mktemp("built")
    write_turtle(seed_graph, str(folder / "graph.ttl"))
    return folder


@pytest.fixture(scope="module")
def read_back(built) -> nx.MultiDiGraph:
    return read_graph(built)


def node_named(G: nx.MultiDiGraph, label: str):
    [node] = [n for n, d in G.nodes(data=True) if d["label"] == label]
    return node


def view_page(built: Path, tmp_path: Path, *options: str) -> set[str]:
    """Run ``zhitu view`` on the built folder; the ids of the nodes in the page it wrote."""
    out = tmp_path / "view.html"
    assert main(["view", "--graph", str(built), *options, "--out", str(out)]) == 0
    return {node["id"] for node in page_data(out.read_text(encoding="utf-8"), "nodes")}


def test_turtle_reads_back_as_the_graph_it_was_written_from(seed_graph, read_back):
    def nodes(G):
        return {n: (d["type"], d["label"], sorted(d["aliases"]), d["documents"], d["mention_count"])
                for n, d in G.nodes(data=True)}

    def mentions(G):
        return {(doc, m["entity"], m["start"], m["end"], m["text"], m["rule"], m["naming"], m["sentence"])
                for doc, found in G.graph["mentions"].items() for m in found}

    def edges(G):
        return {(u, v, k): (d["predicate"], set(filter(None, d["role"].split("、"))),
                            sorted(tuple(sorted(ev.items())) for ev in d["evidence"]))
                for u, v, k, d in G.edges(keys=True, data=True)}

    assert nodes(read_back) == nodes(seed_graph)
    assert edges(read_back) == edges(seed_graph)
    assert mentions(read_back) == mentions(seed_graph)
    assert ({d["id"]: d["file_name"] for d in read_back.graph["documents"]}
            == {d["id"]: d["file_name"] for d in seed_graph.graph["documents"]})
    assert read_back.graph["mentioned"] == {d: sorted(ids) for d, ids in seed_graph.graph["mentioned"].items()}


def test_focus_keeps_the_neighbours_and_nothing_further(seed_graph, built, tmp_path):
    centre = node_named(seed_graph, FOCUS)
    neighbours = set(seed_graph.successors(centre)) | set(seed_graph.predecessors(centre))
    two_away = set(nx.single_source_shortest_path_length(seed_graph.to_undirected(), centre, cutoff=2))
    further = two_away - neighbours - {centre}
    assert neighbours and further

    assert view_page(built, tmp_path, "--focus", FOCUS) == neighbours | {centre}
    assert view_page(built, tmp_path, "--focus", FOCUS, "--depth", "2") == two_away


def uniquely_aliased(G: nx.MultiDiGraph) -> tuple[str, str]:
    """(alias, node): an alias that names one entity only and is no entity's name."""
    named = Counter(name for n in G for name in names(G, n))
    return next((alias, n) for n in sorted(G) for alias in G.nodes[n]["aliases"] if named[alias] == 1)


def test_focus_by_alias(read_back):
    alias, node = uniquely_aliased(read_back)
    view = select(read_back, alias, depth=0)
    assert set(view.graph) == {node}


def test_unknown_name_is_a_one_line_error_naming_close_names(built, tmp_path, capsys):
    assert main(["view", "--graph", str(built), "--focus", FOCUS + "某某", "--out", str(tmp_path / "v.html")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("zhitu: error: no entity is named")
    assert FOCUS in error.split("close names:")[1]
    assert not (tmp_path / "v.html").exists()


def test_top_keeps_the_n_best_connected(seed_graph, built, tmp_path):
    kept = view_page(built, tmp_path, "--top", "7")
    assert len(kept) == 7
    degree = dict(seed_graph.degree())
    assert min(degree[n] for n in kept) >= max(degree[n] for n in set(seed_graph) - kept)


def test_top_within_a_focus_keeps_the_focus(seed_graph, built, tmp_path):
    centre = node_named(seed_graph, FOCUS)
    kept = view_page(built, tmp_path, "--focus", FOCUS, "--depth", "2", "--top", "5")
    assert len(kept) == 5 and centre in kept


@pytest.mark.parametrize("options, message", [
    (["--depth", "2"], "--depth needs --focus"),
    (["--focus", FOCUS, "--depth", "-1"], "depth must be 0 or more"),
    (["--top", "0"], "top must be 1 or more"),
])
def test_bad_options_are_one_line_errors(built, capsys, options, message):
    assert main(["view", "--graph", str(built), *options]) == 2
    assert message in capsys.readouterr().err


def test_missing_or_broken_graph_is_a_one_line_error(tmp_path, capsys):
    assert main(["view", "--graph", str(tmp_path)]) == 2
    assert "graph.ttl: no such graph file" in capsys.readouterr().err
    (tmp_path / "graph.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["view", "--graph", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "graph.ttl: not valid Turtle" in error and error.count("\n") == 1
