"""Places from the division gazetteer and from place-name endings."""
from zhitu.extract.gazetteer import canonical_place, find_places


def places(doc):
    return {m.name for m in doc.mentions if m.type == "Place"}


def test_short_forms_take_full_names_near_home():
    assert canonical_place("潍坊") == "潍坊市"
    assert canonical_place("寿光", "潍坊市") == "寿光市"
    assert canonical_place("黑龙江") == "黑龙江省"


def test_short_form_is_not_found_inside_a_longer_word():
    found = {s for _, _, s in find_places("这种高密度材料销往高密。")}
    assert found == {"高密"}


def test_province_and_city_pair(doc_from_text):
    doc = doc_from_text("本报潍坊讯 近日，远在河南省濮阳市的王先生一家迎来了专家团队。\n")
    assert {"河南省", "濮阳市", "潍坊市"} <= places(doc)


def test_a_street_is_named_without_its_city(doc_from_text):
    doc = doc_from_text("位于寿光市圣城街道的山东环球软件股份有限公司与企业签署协议。\n")
    assert {"寿光市", "圣城街道"} <= places(doc)
    assert "寿光市圣城街道" not in places(doc)


def test_village_after_its_town(doc_from_text):
    doc = doc_from_text("本报聊城讯 已成功创建固河镇李庙村栝蒌等省级生态种植示范基地。\n")
    assert {"固河镇", "李庙村"} <= places(doc)


def test_zone_needs_the_place_it_is_named_after(doc_from_text):
    doc = doc_from_text("本报聊城讯 这是聊城度假区“生态立区”战略带来的新变化。望岳湖已变身度假区的“生态会客厅”。\n")
    found = places(doc)
    assert "聊城度假区" in found
    assert not any(p.startswith("变身") for p in found)


def test_park_after_a_verb(doc_from_text):
    doc = doc_from_text("本报聊城讯 望岳湖周边建设望岳湖森林公园，打造亲水空间。\n")
    assert "望岳湖森林公园" in places(doc)
    assert not any(p.startswith("建设") for p in places(doc))


def test_enumerated_places_and_regions(doc_from_text):
    doc = doc_from_text("本报潍坊讯 产品远销巴西、中东、东亚等国家和地区。在辖区万达、泰华等7处重点商圈楼宇设立站点。\n")
    assert {"巴西", "中东", "东亚", "万达", "泰华"} <= places(doc)
    assert not any("远销" in p or "辖区" in p for p in places(doc))


def test_ambiguous_short_form_far_from_home_is_dropped(doc_from_text):
    # 合作 is the short form of 合作市 (Gansu) but here an ordinary word
    doc = doc_from_text("本报潍坊讯 两家企业在智能化生产线改造方面达成合作协议。\n")
    assert "合作市" not in places(doc)


def test_street_listed_with_its_city_is_two_places(doc_from_text):
    doc = doc_from_text("本报潍坊讯 高密市朝阳街道坚持“强网赋能、多元共治”。\n")
    assert {"高密市", "朝阳街道"} <= places(doc)
    assert ("朝阳街道", "高密市") in {(r.subject[0], r.object[0]) for r in doc.relations if r.predicate == "partOf"}


def test_far_county_short_form_is_a_word_here(doc_from_text):
    # 兴城 is a county-level city in Liaoning; in a 聊城 page this is 兴 + 城
    doc = doc_from_text("本报聊城讯 集成水产养殖一件事，创新赋能促产业兴城。\n")
    assert "兴城市" not in places(doc)


def test_a_zone_named_after_a_place_and_its_county_in_brackets(doc_from_text):
    doc = doc_from_text("本报潍坊讯 近年来，潍坊（寿光）高新区、古城街道等全力招引项目。\n")
    places = {m.name for m in doc.mentions if m.type == "Place"}
    assert "潍坊（寿光）高新区" in places
    assert not any(n.startswith("寿光）") for n in places)  # never half of the bracket
