"""Organisation names found by their endings, with left edges from real sentences."""
import pytest

from zhitu.extract.doc import Mention
from zhitu.extract.naming import _fold_short_forms, is_initial_abbreviation


def orgs(doc):
    return {(m.text, m.type) for m in doc.mentions if m.type in ("Company", "GovernmentBody", "Organization")}


def names(doc, type_=None):
    return {m.name for m in doc.mentions if type_ is None or m.type == type_}


def test_company_after_a_place_phrase(doc_from_text):
    doc = doc_from_text("7月27日，位于临清市金郝庄镇的山东恒发卫生用品有限公司内，机器轰鸣。\n")
    assert ("山东恒发卫生用品有限公司", "Company") in orgs(doc)


def test_government_department_chain(doc_from_text):
    doc = doc_from_text("高密市政府办公室营商环境建设科科长叶佩佩介绍，这一举措正催生创新实践。\n")
    found = orgs(doc)
    assert ("高密市政府办公室营商环境建设科", "GovernmentBody") in found
    assert ("高密市政府办公室", "GovernmentBody") in found
    assert ("高密市政府", "GovernmentBody") in found
    # the 科 of 科长 is not a second department
    assert not any(t.endswith("科科") for t, _ in found)


def test_conjunction_inside_a_name_is_crossed_only_towards_a_place(doc_from_text):
    doc = doc_from_text("潍坊市人事考试和劳动能力鉴定中心工作人员了解到情况。\n")
    assert ("潍坊市人事考试和劳动能力鉴定中心", "GovernmentBody") in orgs(doc)


def test_two_companies_joined_by_yu_stay_two(doc_from_text):
    doc = doc_from_text("山东精诺机械股份有限公司与山东青腾机械科技有限公司在智能化生产线改造方面达成合作协议。\n")
    assert {t for t, _ in orgs(doc)} == {"山东精诺机械股份有限公司", "山东青腾机械科技有限公司"}


def test_university_and_nested_hospital(doc_from_text):
    doc = doc_from_text("与山东第二医科大学附属医院、潍坊市第二人民医院等5家协议鉴定医疗机构开展合作。\n")
    found = {t for t, _ in orgs(doc)}
    assert {"山东第二医科大学附属医院", "山东第二医科大学", "潍坊市第二人民医院"} <= found


def test_universities_in_a_list(doc_from_text):
    doc = doc_from_text("持续深化与中国科学院、山东大学、东北大学、吉林大学等高校院所产学研合作。\n")
    assert {"中国科学院", "山东大学", "东北大学", "吉林大学"} <= {t for t, _ in orgs(doc)}


def test_word_that_merely_ends_like_a_suffix(doc_from_text):
    doc = doc_from_text("打破传统服务格局，在综合服务大厅举办培训，干部职工参加。\n")
    assert orgs(doc) == set()


def test_generic_phrase_without_a_proper_element_is_not_a_name(doc_from_text):
    doc = doc_from_text("该公司技术中心负责研发，职工赋能中心为平台。\n")
    assert not any(t in ("技术中心", "职工赋能中心") for t, _ in orgs(doc))


def test_quoted_name_is_whole(doc_from_text):
    doc = doc_from_text("打造“北斗科创·界别同心汇”聚智创新平台。\n")
    assert not any("北斗科" == t for t, _ in orgs(doc))


def test_city_relative_names_take_the_paper_city(doc_from_text):
    doc = doc_from_text("本报潍坊讯 市总工会联合市委组织部、市人社局、市科技局等9部门印发文件。\n")
    assert {"潍坊市总工会", "潍坊市委组织部", "潍坊市人社局", "潍坊市科技局"} <= names(doc)


def test_pointer_names_resolve_to_the_nearest_body(doc_from_text):
    doc = doc_from_text("寿光市科技局“科技红娘”主动上门服务。“这是我们的职责。”该局规划科负责人刘文国说。\n")
    assert "寿光市科技局规划科" in names(doc, "GovernmentBody")


def test_unit_of_an_association_takes_its_type(doc_from_text):
    doc = doc_from_text("该公司技术中心总工程师、中国重机协会停车设备工作委员会特聘专家李文波正带领成员攻关。\n")
    types = {m.name: m.type for m in doc.mentions}
    assert types["中国重机协会停车设备工作委员会"] == "Organization"


def test_defined_short_form_is_the_same_entity(doc_from_text):
    doc = doc_from_text(
        "位于寿光市的潍坊市华星医疗器械有限公司（以下简称“华星医疗”）主营医疗器械。华星医疗负责人徐晓东说。\n")
    short = [m for m in doc.mentions if m.text == "华星医疗"]
    assert short and all(m.name == "潍坊市华星医疗器械有限公司" for m in short)


def test_department_abbreviation_folds_into_the_full_name(doc_from_text):
    doc = doc_from_text("本报济宁讯 市人力资源社会保障局推进技工教育。市人社局深入推进集团化发展。\n")
    assert names(doc, "GovernmentBody") == {"济宁市人力资源社会保障局"}


def test_a_unit_known_by_its_own_name_is_one_entity(doc_from_text):
    doc = doc_from_text("本报潍坊讯 潍坊市奎文区图书馆新华新阅分馆开馆。新华新阅分馆上架数千册优质图书。\n")
    short = [m for m in doc.mentions if m.text == "新华新阅分馆"]
    assert short and {m.name for m in short} == {"潍坊市奎文区图书馆新华新阅分馆"}


def test_a_body_named_after_a_provincial_unit(doc_from_text):
    doc = doc_from_text("本报聊城讯 润林牧业参与省农科院育种实验室建设。\n")
    assert {"山东省农科院", "山东省农科院育种实验室"} <= names(doc)


@pytest.mark.parametrize("short, full, expected", [
    ("北科大", "北京科技大学", True),  # 北京|科技|大学
    ("中科院", "中国科学院", True),  # 中国|科学院
    ("农科院", "山东省农业科学院", True),  # the province left out
    ("北大", "北京大学", True),
    ("北大", "北京科技大学", False),  # leaves 科技 out: 北京大学's abbreviation
    ("清华", "清华大学", False),  # a plain short form, not made from the ending
    ("科技局", "寿光市科技局", False),  # a city-relative name, resolved by the page's city instead
])
def test_initial_abbreviations(short, full, expected):
    assert is_initial_abbreviation(short, full) is expected


def test_an_abbreviation_is_the_full_name_on_its_page(doc_from_text):
    doc = doc_from_text("7月中旬，恒发卫生用品有限公司与北京科技大学创立的研究中心正式启动。"
                        "此次与北科大的合作则瞄准品牌高端化。")
    named = {(m.text, m.name, m.type) for m in doc.mentions}
    assert ("北科大", "北京科技大学", "Organization") in named


def test_an_abbreviation_of_two_names_on_the_page_is_left_alone(doc_from_text):
    text = "山东大学与山西大学签约。山大专家介绍了情况。"
    doc = doc_from_text(text)
    start = text.index("山大专家")  # the model does not take 山大 on its own: add the mention as a rule would
    doc.mentions.append(Mention(text="山大", type="Organization", start=start, end=start + 2, rule="test", name="山大"))
    _fold_short_forms(doc)
    assert {m.name for m in doc.mentions if m.text == "山大"} == {"山大"}
    doc.mentions = [m for m in doc.mentions if m.text != "山西大学"]
    _fold_short_forms(doc)
    assert {m.name for m in doc.mentions if m.text == "山大"} == {"山东大学"}


@pytest.mark.parametrize("text, body", [
    # jieba tags 生态环境 and 退役军人 as set phrases, like the adverbials that stand before names
    ("本报聊城讯 聊城度假区召开会议。度假区生态环境分局工作人员主动上门。\n", "聊城度假区生态环境分局"),
    ("本报潍坊讯 市退役军人事务局局长李明说，服务站全覆盖。\n", "潍坊市退役军人事务局"),
])
def test_set_phrases_inside_department_names(doc_from_text, text, body):
    assert body in names(doc_from_text(text), "GovernmentBody")


def test_a_sentence_adverbial_is_not_part_of_a_name(doc_from_text):
    doc = doc_from_text("本报潍坊讯 事实上潍坊市人社局已经开展了培训。\n")
    assert names(doc, "GovernmentBody") == {"潍坊市人社局"}


def test_a_name_does_not_start_with_the_unit_of_a_number(doc_from_text):
    doc = doc_from_text("他反复强调的，则是1953年中国科学院聘请他出任研究所所长一事。\n")
    assert ("中国科学院", "Organization") in orgs(doc)
    assert not any(m.text.startswith("年") for m in doc.mentions)


def test_a_name_does_not_start_with_an_attributive_phrase(doc_from_text):
    doc = doc_from_text("小小的梁沟村对日本人怎么会有如此大的吸引力？\n")
    assert "梁沟村" in {m.text for m in doc.mentions if m.type == "Place"}
    assert not any(m.text.startswith("小小的") for m in doc.mentions)


def test_the_companies_concerned_are_no_name(doc_from_text):
    # 有关/相关 (concerned, relevant) point at bodies the text does not name: the name would start after them
    doc = doc_from_text("中美两国有关公司和机构今天下午在人民大会堂举行大型签字仪式。省里相关部门已经介入调查。\n")
    assert not any("有关" in m.text or "相关" in m.text for m in doc.mentions)
