"""`zhitu explain`: names, merged mentions with their rules, look-alikes kept apart."""
import pytest

from zhitu.extract.read import InputError
from zhitu.graph.explain import explain
from zhitu.graph.export.turtle import write_turtle


@pytest.fixture(scope="module")
def seed_ttl(seed_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "graph.ttl"
    write_turtle(seed_graph, str(path))
    return str(path)


def test_a_relative_name_in_three_cities_is_three_bodies(seed_ttl):
    found = {e.name: e for e in explain(seed_ttl, "市人社局")}
    assert {"潍坊市人社局", "聊城市人社局"} <= set(found)
    weifang = found["潍坊市人社局"]
    assert all(m.naming == "city-relative" for m in weifang.mentions)
    assert {m.document for m in weifang.mentions} == {"001_6768c37357a6df17.txt"}
    assert "聊城市人社局" in {name for _, name, _, _ in weifang.kept_apart}


def test_every_entity_of_the_seed_build_can_be_explained(seed_ttl, seed_graph):
    from zhitu.graph.build import LABEL
    from zhitu.graph.query import load_store

    store = load_store(seed_ttl)
    labels = sorted({d[LABEL] for _, d in seed_graph.nodes(data=True)})
    for name in labels:
        for e in explain(store, name):
            assert e.identified_by, name
            assert e.mentions or e.relations, name
            assert all(m.end > m.start for m in e.mentions)
            assert all(m.sentence for m in e.mentions if m.naming), name  # a naming decision has its evidence


def test_unknown_name_suggests_close_ones(seed_ttl):
    with pytest.raises(InputError, match="close names: .*人社局"):
        explain(seed_ttl, "人社")
