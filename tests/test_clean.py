"""OCR cleaning: joined lines, doubled glyphs, bylines kept apart, offsets into the original."""
import subprocess
import sys

from zhitu.extract.clean import clean_text, line_kind, undouble


def test_column_break_mid_word_is_joined():
    raw = "  本报潍坊讯 劳动能力鉴定，一头连\n着劳动者权益保障，一头系着社保基金安\n全，是社保制度关键环节。\n"
    c = clean_text(raw)
    assert "一头连着劳动者权益保障" in c.text
    assert "社保基金安全" in c.text


def test_blank_line_inside_a_column_is_bridged_but_not_after_a_headline():
    raw = ("潍坊市靠加强队伍建设打牢服务底子，具\n\n体做法包括定期开展业务培训以跟进政策\n\n"
           "上门鉴、跨省办、AI辅助……\n\n潍坊劳动能力鉴定直抵群众心间\n\n  □ 王佳声\n")
    text = clean_text(raw).text
    assert "服务底子，具体做法" in text
    assert "潍坊劳动能力鉴定直抵群众心间\n" in text


def test_indented_line_starts_a_paragraph():
    raw = "今年7月亲属申请劳动能力鉴定。\n  这样的暖心服务，在潍坊已延续十余\n年。\n"
    assert clean_text(raw).text == "今年7月亲属申请劳动能力鉴定。\n这样的暖心服务，在潍坊已延续十余年。"


def test_doubled_headline_characters_are_undone():
    raw = "匠匠心心技技艺艺创创新新传传承承\n"
    assert clean_text(raw).text == "匠心技艺创新传承"


def test_doubled_run_inside_a_line_with_year():
    c = clean_text("    22002233年年诸诸城城市市职职工工\n")
    assert c.text == "2023年诸城市职工"


def test_ordinary_repeats_are_not_undone():
    # two doubled pairs (实实在在) are ordinary Chinese, not a printing artefact
    assert clean_text("高密实实在在的好政策\n").text == "高密实实在在的好政策"
    assert undouble("谢谢谢谢", [0, 1, 2, 3]) == ("谢谢谢谢", [0, 1, 2, 3])
    assert undouble("匠匠心心技技艺艺", list(range(8))) == ("匠心技艺", [0, 2, 4, 6])


def test_offsets_point_into_the_original_file():
    raw = "  □记者 张 蓓\n   通讯员 王文东 报道\n  本报潍坊讯 劳动能力鉴定，一头连\n着劳动者\n"
    c = clean_text(raw)
    i = c.text.index("一头连着")
    s, e = c.to_original(i, i + 4)
    # the span crosses the line break in the original
    assert raw[s:e] == "一头连\n着"
    assert c.to_clean(s, e) == (i, i + 4)


def test_bylines_are_not_joined_to_running_text():
    raw = "■ 本报记者 吕晓磊\n本报通讯员 程源\n7月27日,位于临清市金郝庄镇的山东恒发卫生用品有限公司内\n"
    lines = clean_text(raw).text.split("\n")
    assert lines[0] == "■ 本报记者 吕晓磊"
    assert lines[1] == "本报通讯员 程源"


def test_half_width_punctuation_between_chinese_becomes_full_width():
    c = clean_text("7月27日,位于临清市(武汉)，面积1,200亩。\n")
    assert "7月27日，位于临清市（武汉）" in c.text
    assert "1,200" in c.text  # a digit group separator stays


def test_full_width_letters_and_digits_become_ascii():
    assert clean_text("ＡＩ辅助，２０２５年\n").text == "AI辅助，2025年"


def test_line_kinds():
    assert line_kind("□记者 张 鹏 通讯员 黄 坤 报道") == "byline"
    assert line_kind("■ 本 报 记 者 王军豪") == "byline"
    assert line_kind("□潍坊日报社全媒体记者 于菲") == "byline"
    assert line_kind("92025年9月11日 星期四 责任编辑 傅欣迎 第582期") == "furniture"
    assert line_kind("热线电话：(0536)8789199 Email：dzrbwfxw@126 .com") == "furniture"
    assert line_kind("# 我市强化政策性资金争取") == "heading"
    # running text that merely starts with 记者 is text
    assert line_kind("记者了解到，仅潍城区就创建各级") == "text"


def test_segmenter_agrees_with_jieba():
    """rjieba (jieba-rs) stands in for jieba for speed: same dictionary, same words."""
    import logging

    import jieba

    from zhitu.extract.segment import tokenizer

    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    text = "高密市政府办公室营商环境建设科科长叶佩佩介绍，潍坊市人事考试和劳动能力鉴定中心。"
    assert tokenizer().tokenize(text) == list(reference.tokenize(text, HMM=False))


def test_rjieba_imported_after_the_segmenter_loads_works():
    """The segmenter imports rjieba's compiled module without its package (segment._rjieba_module)."""
    script = (
        "from zhitu.extract.segment import tokenizer\n"
        "words = tokenizer().tokenize('济南市科技局')\n"
        "import rjieba\n"
        "assert rjieba.tokenize('济南市科技局', hmm=False) == words == [('济南市', 0, 3), ('科技局', 3, 6)]\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
