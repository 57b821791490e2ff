"""Joining pages into one graph: same entity merged, different ones kept apart."""
from zhitu.extract.doc import Page
from zhitu.extract.pipeline import extract_page
from zhitu.graph.resolve import resolve


def _doc(text, name):
    return extract_page(Page.of_text(text, name))


def _entities(corpus, type_):
    return {e.name: e for e in corpus.entities.values() if e.type == type_}


def test_same_organisation_on_two_pages_is_one_entity():
    a = _doc("本报潍坊讯 寿光市科技局“科技红娘”主动上门服务。\n", "a.txt")
    b = _doc("本报潍坊讯 寿光市科技局合作科负责人王燕说。\n", "b.txt")
    corpus = resolve([a, b])
    gov = _entities(corpus, "GovernmentBody")
    assert len({e.id for n, e in gov.items() if n == "寿光市科技局"}) == 1
    assert len(corpus.mentioned) == 2
    e = gov["寿光市科技局"]
    assert e.documents == set(corpus.mentioned) and e.mention_count == 2


def test_city_relative_names_from_two_cities_stay_apart():
    a = _doc("本报潍坊讯 市人社局开展培训。\n", "a.txt")
    b = _doc("本报济宁讯 市人社局开展培训。\n", "b.txt")
    gov = _entities(resolve([a, b]), "GovernmentBody")
    assert {"潍坊市人社局", "济宁市人社局"} <= set(gov)


def test_abbreviated_and_full_department_names_are_one_entity():
    a = _doc("本报济宁讯 市人社局开展培训。\n", "a.txt")
    b = _doc("本报济宁讯 市人力资源和社会保障局开展培训。\n", "b.txt")
    gov = [e for e in resolve([a, b]).entities.values() if e.type == "GovernmentBody"]
    assert len(gov) == 1
    assert {"济宁市人社局", "济宁市人力资源和社会保障局"} <= set(gov[0].names)


def test_same_name_people_without_shared_context_stay_apart():
    a = _doc("工程师张明瑞正专注地调试新设备。\n", "a.txt")
    b = _doc("工程师张明瑞正在车间工作。\n", "b.txt")
    people = [e for e in resolve([a, b]).entities.values() if e.type == "Person"]
    assert len(people) == 2


def test_same_name_people_in_the_same_body_are_one_person():
    a = _doc("临清市科技局局长高世奎说。\n", "a.txt")
    b = _doc("临清市科技局局长高世奎表示。\n", "b.txt")
    people = [e for e in resolve([a, b]).entities.values() if e.type == "Person"]
    assert len(people) == 1


def test_ids_are_stable_across_runs():
    a = _doc("本报潍坊讯 寿光市科技局“科技红娘”主动上门服务。\n", "a.txt")
    assert set(resolve([a]).entities) == set(resolve([a]).entities)


def test_seed_graph_has_every_page_and_evidence(seed_graph):
    assert len(seed_graph.graph["documents"]) == 5
    for _, _, data in seed_graph.edges(data=True):
        assert data["evidence"] and all(ev["sentence"] for ev in data["evidence"])


def test_curation_split_keeps_a_name_apart_on_listed_pages(tmp_path):
    from zhitu.graph.curation import load_curation

    (tmp_path / "splits.tsv").write_text("临清市科技局\tb.txt\n", encoding="utf-8")
    a = _doc("临清市科技局局长高世奎说。\n", "a.txt")
    b = _doc("临清市科技局开展培训。\n", "b.txt")
    bodies = [e for e in resolve([a, b], load_curation(str(tmp_path))).entities.values()
              if e.name == "临清市科技局"]
    assert len(bodies) == 2
    assert any("splits.tsv:1" in e.identified_by for e in bodies)
    assert len([e for e in resolve([a, b]).entities.values() if e.name == "临清市科技局"]) == 1


def test_identity_is_explained_in_words():
    a = _doc("临清市科技局局长高世奎说。\n", "a.txt")
    people = {e.name: e for e in resolve([a]).entities.values()}
    assert people["高世奎"].identified_by == "a person named 高世奎 tied to 临清市科技局"
    assert "organisation named 临清市科技局" in people["临清市科技局"].identified_by


def test_a_second_copy_of_a_page_adds_no_evidence_twice():
    """Two files of one name and text are one document: what they state is stated once."""
    text = "临清市科技局局长高世奎说。寿光市科技局与山东大学签约。\n"
    once = resolve([_doc(text, "a.txt")])
    twice = resolve([_doc(text, "a.txt"), _doc(text, "a.txt")])
    assert once.edges and {k: e.evidence for k, e in twice.edges.items()} == {k: e.evidence for k, e in once.edges.items()}
    other = resolve([_doc(text, "a.txt"), _doc(text, "b.txt")])  # another page saying the same: more evidence
    assert all(len(other.edges[k].evidence) == 2 * len(e.evidence) for k, e in once.edges.items())
