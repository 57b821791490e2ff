"""Curation applied by `zhitu build`, full and incremental, and no wrong merges on the development gold."""
import json
from pathlib import Path

import pytest

from zhitu.cli import main
from zhitu.graph.evaluate import load_graph, norm
from zhitu.graph.view import read_graph

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT.parent / "shared" / "gold").glob("*.json"))
CURATION = {
    "aliases.tsv": "# surface form\tcanonical name\n华星医疗\t华星医疗器械\n",
    "merges.tsv": "寿光市科技局\t寿光市科学技术局\n",
    "splits.tsv": "潍坊市\t000_00145664f9b2f3ee.txt\n",
    "types.tsv": "孚日集团\tOrganization\n",
    "blocklist.txt": "傅欣迎   # the page's editor, not news\n",
}


def names(G):
    return {(d["label"], d["type"]) for _, d in G.nodes(data=True)}


def nodes_called(G, label):
    return [n for n, d in G.nodes(data=True) if d["label"] == label]


def build(tmp_path, out, curation=None, pages=None, capsys=None):
    args = ["build", str(pages or ROOT / "seeds"), "--out", str(tmp_path / out), "--workers", "1",
            "--cache", str(tmp_path / "cache")]
    if curation:
        args += ["--curation", str(curation)]
    assert main(args) == 0
    return read_graph(tmp_path / out / "graph.ttl")


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    return build(tmp_path_factory.mktemp("plain"), "out")


def check_curated(G, before):
    got, had = names(G), names(before)
    # aliases: every 华星医疗 is now the entity 华星医疗器械 (the defined short form was folded before)
    assert ("华星医疗器械", "Company") in got and ("华星医疗器械", "Company") not in had
    # merges: the other name is folded into the kept one (it had no mention of its own here: stale)
    assert ("寿光市科技局", "GovernmentBody") in got
    # splits: 潍坊市 on page 000 is an entity apart from 潍坊市 on the other pages
    assert len(nodes_called(before, "潍坊市")) == 1 and len(nodes_called(G, "潍坊市")) == 2
    # types and blocklist
    assert ("孚日集团", "Organization") in got and ("孚日集团", "Company") in had
    assert ("傅欣迎", "Person") in had and "傅欣迎" not in {label for label, _ in got}


def test_each_kind_of_entry_changes_the_graph_full_and_incremental(tmp_path, before, capsys):
    folder = tmp_path / "curation"
    folder.mkdir()
    for name, text in CURATION.items():
        (folder / name).write_text(text, encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    for p in sorted((ROOT / "seeds").glob("*.txt"))[:4]:
        (pages / p.name).write_bytes(p.read_bytes())
    capsys.readouterr()
    full = build(tmp_path, "full", folder, pages)
    printed = capsys.readouterr().out
    assert "curation entries that matched nothing: merges.tsv:1" in printed
    # incremental: the fifth page is new, the four others come from the cache, curation is applied again
    (pages / "004_997de938dbf79ec5.txt").write_bytes((ROOT / "seeds" / "004_997de938dbf79ec5.txt").read_bytes())
    again = build(tmp_path, "again", folder, pages)
    assert "(4 from the cache)" in capsys.readouterr().out
    for G in (full, again):
        check_curated(G, before)


def test_a_bad_curation_line_stops_the_build_with_file_and_line(tmp_path, capsys):
    folder = tmp_path / "curation"
    folder.mkdir()
    (folder / "types.tsv").write_text("孚日集团\tOrganization\n高密市\n", encoding="utf-8")
    assert main(["build", str(ROOT / "seeds" / "000_00145664f9b2f3ee.txt"), "--out", str(tmp_path / "o"),
                 "--curation", str(folder)]) == 2
    assert "types.tsv:2" in capsys.readouterr().err


@pytest.mark.skipif(not GOLD, reason="the development gold is not beside this checkout")
def test_no_node_stands_for_two_gold_entities_of_a_page(tmp_path):
    build(tmp_path, "out")
    sg = load_graph(str(tmp_path / "out" / "graph.ttl"))
    wrong = []
    for path in GOLD:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for node in sg.docs.get(gold["doc"], set()):
            hit = [e["name"] for e in gold["entities"]
                   if ({norm(e["name"])} | {norm(a) for a in e.get("aliases", [])}) & sg.names[node]]
            if len(hit) > 1:
                wrong.append((gold["doc"], hit))
    assert wrong == []
