"""Programmes and events (sentences from the seed pages)."""


def by_type(doc, type_):
    return {m.name for m in doc.mentions if m.type == type_}


def aliases(doc):
    return {a for m in doc.mentions for a in m.aliases}


def test_quoted_name_with_its_ending(doc_from_text):
    doc = doc_from_text("同时，“暖心助鉴”品牌常态化运行。深化“专家共享”机制。开展“制度防腐”专项行动。\n")
    progs = by_type(doc, "Programme")
    assert {"“暖心助鉴”品牌", "“专家共享”机制", "“制度防腐”专项行动"} <= progs
    assert {"暖心助鉴", "专家共享", "制度防腐"} <= aliases(doc)


def test_quoted_name_after_a_launch_verb(doc_from_text):
    doc = doc_from_text("奎文区创新实施“云踏勘”，便民利企。开设“无证明直通车”。\n")
    assert {"“云踏勘”", "“无证明直通车”"} <= by_type(doc, "Programme")


def test_quoted_slogan_is_not_a_programme(doc_from_text):
    doc = doc_from_text("立即启动“绿色通道”。要践行“两个创新”。\n")
    assert by_type(doc, "Programme") == set()


def test_brand_after_a_company_is_not_a_programme(doc_from_text):
    doc = doc_from_text("安丘市百泉春谷种植专业合作社“望海山”小米荣获金奖。\n")
    assert by_type(doc, "Programme") == set()


def test_titled_policy_document(doc_from_text):
    doc = doc_from_text("市总工会联合市委组织部等9部门印发《关于实施“改善即创新”职工创新创效建设工程的意见》。\n")
    progs = by_type(doc, "Programme")
    assert "《关于实施“改善即创新”职工创新创效建设工程的意见》" in progs
    assert "“改善即创新”职工创新创效建设工程" in progs


def test_events_with_an_edition(doc_from_text):
    doc = doc_from_text("全市接连承办了第十三届两岸汉字艺术节、第29届全国摄影艺术展览巡展等多场活动。"
                        "2025年全省谷子产业高质量发展研讨会暨“山东农技杯”小米大赛在潍坊举办。\n")
    events = by_type(doc, "Event")
    assert {"第十三届两岸汉字艺术节", "第29届全国摄影艺术展览巡展", "2025年全省谷子产业高质量发展研讨会"} <= events
    assert any("山东农技杯" in e for e in events)


def test_a_quoted_activity_with_an_edition_is_an_event(doc_from_text):
    doc = doc_from_text("潍坊市寒亭区（经济区）第一期“企业家下午茶”活动举行。\n")
    assert "第一期“企业家下午茶”活动" in by_type(doc, "Event")


def test_held_activity_is_an_event(doc_from_text):
    doc = doc_from_text("潍坊市奎文区图书馆新华新阅分馆开馆暨“非遗传承 阅享成长”主题活动举行。\n")
    assert "“非遗传承 阅享成长”主题活动" in by_type(doc, "Event")


def test_quoted_name_with_its_own_ending_and_a_quoted_actor(doc_from_text):
    doc = doc_from_text("高密市还精心推出43项特色服务，“健康夜市”将医疗服务送到社区广场，“村BA联赛”促进了情感融合。"
                        "“惠企解难直通车”二维码累计收集需求600余条。\n")
    assert {"“健康夜市”", "“惠企解难直通车”"} <= by_type(doc, "Programme")
    assert "“村BA联赛”" in by_type(doc, "Event")


def test_generic_quoted_phrase_is_not_a_name(doc_from_text):
    doc = doc_from_text("推动服务从“人找服务”向“服务找人”转变，提供“上门服务”。\n")
    assert by_type(doc, "Programme") == set()


def test_a_list_inside_quotes_is_one_name(doc_from_text):
    doc = doc_from_text("开展劳模工匠服务、助力“暖企、扶企、强企”行动。我市建立“部门联动、市县协同、专业指导”工作体系。\n")
    assert {"“暖企、扶企、强企”行动", "“部门联动、市县协同、专业指导”工作体系"} <= by_type(doc, "Programme")
