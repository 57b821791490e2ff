"""Person names from bylines and title frames (sentences from the seed pages)."""


def people(doc):
    return {m.text for m in doc.mentions if m.type == "Person"}


def test_spaced_out_byline_names_are_joined(doc_from_text):
    doc = doc_from_text("  □记者 张 蓓\n   通讯员 王文东 报道\n  本报潍坊讯 劳动能力鉴定工作。\n")
    assert {"张蓓", "王文东"} <= people(doc)
    roles = {b.name: b.role for b in doc.bylines}
    assert roles == {"张蓓": "记者", "王文东": "通讯员"}


def test_two_names_in_one_byline_and_roles_follow_their_keyword(doc_from_text):
    doc = doc_from_text("□记者 张 鹏 通讯员 黄 坤 报道\n本报通讯员 高亮 王福林\n寿光市科技局开展工作。\n")
    roles = {b.name: b.role for b in doc.bylines}
    assert roles == {"张鹏": "记者", "黄坤": "通讯员", "高亮": "通讯员", "王福林": "通讯员"}


def test_inline_byline_with_newspaper(doc_from_text):
    doc = doc_from_text("  本报讯 （潍坊日报社全\n媒体记者 孙希明）“这几年，我先后研发培育了100多个蔬菜品种。”\n")
    assert "孙希明" in people(doc)
    assert doc.bylines[0].newspaper == "潍坊日报社"
    assert doc.bylines[0].role == "全媒体记者"


def test_name_between_title_and_speech_verb(doc_from_text):
    doc = doc_from_text("“这是我们的职责。”临清市科技局局长高世奎说。工程师张明瑞正专注地调试新设备。\n")
    assert {"高世奎", "张明瑞"} <= people(doc)


def test_a_common_word_after_a_title_is_not_a_name(doc_from_text):
    doc = doc_from_text("组织开展2023年诸城市职工劳动和技能竞赛，总工程师、专家参加。\n")
    assert people(doc) == set()


def test_signed_commentary_and_editor(doc_from_text):
    doc = doc_from_text("小切口里见真章\n  □ 王佳声\n  劳动能力鉴定虽是专业环节。\n92025年9月11日 星期四 责任编辑 傅欣迎 第582期\n")
    assert {"王佳声", "傅欣迎"} <= people(doc)


def test_a_name_found_once_is_found_again(doc_from_text):
    doc = doc_from_text("9月5日，工程师张明瑞正专注地调试新设备。张明瑞的肺腑之言，道出了心声。\n")
    assert sum(1 for m in doc.mentions if m.text == "张明瑞") == 2
