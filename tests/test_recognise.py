"""The trained model's spans as mentions: proposed by the CRF, confirmed and typed by the lexicons."""


def by_rule(doc, prefix="model:"):
    return {(m.text, m.type) for m in doc.mentions if m.rule.startswith(prefix)}


def test_a_name_without_any_frame_comes_from_the_model(doc_from_text):
    doc = doc_from_text("来自黑龙江的刘美华夫妇满意地说，这里住得很舒服。\n")
    assert ("刘美华", "Person") in by_rule(doc)


def test_the_rules_outrank_the_model(doc_from_text):
    doc = doc_from_text("临清市科技局局长高世奎说，要加强校企合作。\n")
    rules = {m.rule.split(":")[0] for m in doc.mentions if m.text in ("高世奎", "临清市科技局")}
    assert rules <= {"title+name", "org-suffix"}


def test_a_generic_name_the_model_proposes_is_not_taken(doc_from_text):
    doc = doc_from_text("本报聊城讯 在社区服务中心工作人员的帮助下，仅用十几分钟就拿到了营业执照。\n")
    assert not any(t == "社区服务中心" for t, _ in by_rule(doc))


def test_country_abbreviations_in_general_news(doc_from_text):
    doc = doc_from_text("李肇星指出，亚太地区形势的最新发展表明了中美加强合作的重要性。\n")
    places = {m.text for m in doc.mentions if m.type == "Place"}
    assert {"中", "美"} <= places
    assert ("李肇星", "Person") in {(m.text, m.type) for m in doc.mentions}


def test_organisations_without_an_ending_are_typed_by_the_model(doc_from_text):
    doc = doc_from_text("新华社北京6月29日电 中国国家发展计划委员会和美国能源部的代表今天签署了合作协定。\n")
    names = {m.text: m.type for m in doc.mentions}
    assert names.get("中国国家发展计划委员会") == "GovernmentBody"
    assert names.get("美国能源部") == "GovernmentBody"
    assert "新华社" in names


def test_a_model_span_never_runs_across_a_space(doc_from_text):
    # the dateline and the story's first words: 聊城讯 聊城度假区 is no place
    doc = doc_from_text("本报聊城讯 聊城度假区召开会议，部署重点工作。\n")
    assert {m.name for m in doc.mentions if m.type == "Place"} == {"聊城市", "聊城度假区"}


def test_a_person_name_is_not_a_department_for_its_last_character(doc_from_text):
    # 科 ends department names (综合科) and transliterated names (舍甫琴科): a confident model name wins
    doc = doc_from_text("另外沃尔科特和萨尼亚也将缺席。俄罗斯军事分析专家马基延科指出，演习规模很大。\n")
    names = {(m.text, m.type) for m in doc.mentions}
    assert {("沃尔科特", "Person"), ("马基延科", "Person")} <= names
    assert not any(m.text.endswith("科") and m.type == "GovernmentBody" for m in doc.mentions)


def test_a_department_with_a_one_character_ending_is_still_found(doc_from_text):
    doc = doc_from_text("潍坊市统计局综合科科长王强说，数据已经上报。\n")
    assert ("潍坊市统计局综合科", "GovernmentBody") in {(m.text, m.type) for m in doc.mentions}


def test_names_inside_a_quoted_clause_are_found(doc_from_text):
    doc = doc_from_text("三十年代初，在北平就有了“北大老，师大穷，清华、燕京可通融”的说法。\n")
    assert "清华" in {m.text for m in doc.mentions if m.rule.startswith("model:")}


def test_a_quoted_list_of_terms_gives_no_pieces_of_its_terms(doc_from_text):
    doc = doc_from_text("奎文区积极推行工程建设项目“前期辅导、容缺受理+承诺制、多证联发、联合审查勘验”等新模式。\n")
    assert not {"承诺制", "联发"} & {m.text for m in doc.mentions}


def test_an_abbreviated_organisation_the_dictionary_knows_is_taken(doc_from_text):
    # jieba tags abbreviations j (欧盟, 农行); an ordinary abbreviation (民企) is still no name
    doc = doc_from_text("丹麦二十八日就欧盟《阿姆斯特丹条约》举行全民公决。日前，农行调整了利率。民企在当地经济中占有重要地位。\n")
    names = {m.text for m in doc.mentions}
    assert {"欧盟", "农行"} <= names and "民企" not in names


def test_a_model_span_holding_a_list_mark_is_no_name(doc_from_text):
    from zhitu.extract.recognise import _well_formed

    doc = doc_from_text("他们作为青年志愿者，从事农村中、小学教育和文化、科技、卫生工作。\n")
    start = doc.text.index("中、小学")
    assert not _well_formed(doc, start, start + len("中、小学"))
    assert _well_formed(doc, start + 2, start + len("中、小学"))


def test_a_body_named_by_common_words_is_taken_when_the_model_is_very_sure(doc_from_text):
    doc = doc_from_text("在金融市场方面，基金组织和世界银行等国际金融机构之间应加强协调。\n")
    assert "世界银行" in {m.text for m in doc.mentions}


def test_a_name_opened_by_a_determiner_is_taken_when_the_dictionary_lists_it(doc_from_text):
    # 全 opens 全市 (all of the city) and also 全国人大常委会 (the National People's Congress's committee)
    doc = doc_from_text("今年上半年，全国人大常委会将对三省的执法情况进行检查。\n")
    assert "全国人大常委会" in {m.text for m in doc.mentions}


def test_a_name_the_dictionary_tags_as_another_kind_of_name_is_still_a_name(doc_from_text):
    # jieba tags the club 曼联 ns and the regulator 银监会 nr: names all the same, not ordinary words
    doc = doc_from_text("维拉利尔志在拿分晋级，而曼联还需要考虑周末的德比。银监会日前印发了关于规范信贷业务的通知。\n")
    assert {("曼联", "Organization"), ("银监会", "GovernmentBody")} <= {(m.text, m.type) for m in doc.mentions}


def test_a_transliterated_name_needs_no_chinese_family_name():
    from zhitu.extract.recognise import _plausible_person

    assert _plausible_person("巴普蒂斯塔", 0.7) and _plausible_person("阿卜杜拉·哈桑", 0.7)
    assert not _plausible_person("巴普蒂斯塔", 0.4)  # the model must still be sure
    assert not _plausible_person("发展经济", 0.9) and not _plausible_person("斯·", 0.9)


def test_a_dictionary_word_with_an_organisation_ending_can_be_a_name(doc_from_text):
    doc = doc_from_text("2008年，公安部与人民银行联合开展了整治行动。\n")
    assert "公安部" in {m.text for m in doc.mentions}
