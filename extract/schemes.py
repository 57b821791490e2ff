"""Programmes and events: named schemes, campaigns, platforms, meetings, contests.

No library tags these; news marks them instead.  A name is usually quoted
(“暖心助鉴”品牌, “制度防腐”专项行动) or titled (《…工作方案》), put after a verb
that launches something (开展, 推出, 实施 …), or, for events, opened by an
edition (2025年…研讨会, 第十三届…艺术节).  The words that end a name are in
``lexicons/scheme_suffixes.tsv``, the verbs in ``lexicons/launch_verbs.txt``,
the edition and document patterns in ``rules/schemes.json``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from . import lexicon
from .clean import is_cjk
from .doc import Doc, Mention
from .organisations import has_proper_element, left_edge

CLAUSE_BREAK = set("，。；：！？、\n")


@lru_cache(maxsize=1)
def _suffix_types() -> dict[str, str]:
    return {row[0]: row[1] for row in lexicon.table("scheme_suffixes.tsv")}


@lru_cache(maxsize=1)
def _suffix_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for s in _suffix_types():
        auto.add_word(s, s)
    auto.make_automaton()
    return auto


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    data = lexicon.rules("schemes.json")
    return {
        "edition_before": re.compile("(" + data["edition"] + r")\Z"),
        "edition": re.compile(data["edition"]),
        "document": re.compile(data["document_markers"]),
        "newspaper": re.compile("(" + data["newspaper_endings"] + ")$"),
    }


def _launch_before(text: str, pos: int, reach: int = 6) -> bool:
    before = text[max(0, pos - reach) : pos]
    return any(before.endswith(v) for v in lexicon.words("launch_verbs.txt"))


def _tail(text: str, start: int, limit: int = 12) -> tuple[int, str] | None:
    """The longest run of name words after a quote that ends with a scheme word."""
    best = None
    stop = start
    while stop < len(text) and stop - start < limit and is_cjk(text[stop]) and text[stop] not in "的和与及等在为将把被":
        stop += 1
    for end_idx, word in _suffix_automaton().iter(text, start, stop):
        end = end_idx + 1
        if not best or end > best[0] or (end == best[0] and len(word) > len(best[1])):
            best = (end, word)
    return best


def _mention(doc: Doc, start: int, end: int, type_: str, rule: str, alias: str = "") -> Mention:
    o_start, o_end = doc.clean.to_original(start, end)
    text = doc.text[start:end]
    return Mention(text=text, type=type_, start=o_start, end=o_end, rule=rule,
                   aliases=(alias,) if alias and alias != text else ())


def find_quoted(doc: Doc) -> list[Mention]:
    text = doc.text
    pats = _patterns()
    out = []
    for qs, qe in doc.quotes:
        inner = text[qs:qe]
        opener = text[qs - 1]
        # a list inside quotes (“暖企、扶企、强企”行动) is still one name; a clause is not
        if len(inner) < 2 or "…" in inner or any(c in CLAUSE_BREAK and c != "、" for c in inner):
            continue  # a clause or a quoted remark, not a name
        if opener == "《":
            if pats["newspaper"].search(inner):
                continue
            after = text[qe + 1 : qe + 5]
            if (pats["document"].search(inner) or after.startswith(("栏目", "节目", "专栏", "广播"))
                    or _launch_before(text, qs - 1) or _preceded_by_name(doc, qs - 1)):
                out.append(_mention(doc, qs - 1, qe + 1, "Programme", "titled-document", alias=inner))
            continue
        if opener not in "“‘「『":
            continue
        edition = pats["edition_before"].search(text[max(0, qs - 12) : qs - 1])
        start = qs - 1 - len(edition.group(1)) if edition else qs - 1
        tail = _tail(text, qe + 1)
        if tail and (_starts_with_adverb(doc, qe + 1) or _has_verb(doc, qe + 1, tail[0] - len(tail[1]))):
            tail = None  # “科技红娘”主动上门服务, “…学院”达成战略: the name is only the quoted part
        if not tail and "、" in inner:
            continue
        own_ending = _ends_with_scheme_word(inner)
        if tail:
            end, word = tail
            type_ = _suffix_types()[word]
            if word.endswith("活动") and edition:
                type_ = "Event"  # an activity with an edition is an event (第一期“企业家下午茶”活动)
            out.append(_mention(doc, start, end, type_, f"quoted+suffix:{word}", alias=inner))
        elif own_ending:
            # “惠企解难直通车”, “村BA联赛”: the quoted name carries its own ending
            out.append(_mention(doc, start, qe + 1, _suffix_types()[own_ending], f"quoted-name:{own_ending}",
                                alias=inner))
        elif _slogan(inner):
            continue
        elif edition or _launch_before(text, qs - 1) or _preceded_by_name(doc, qs - 1):
            out.append(_mention(doc, start, qe + 1, "Programme", "quoted-after-verb", alias=inner))
        elif _opens_clause(text, qs - 1) and _acts_after(doc, qe + 1) and len(inner) <= 8:
            # “健康夜市”将医疗服务送到社区广场: a named thing that does something
            out.append(_mention(doc, start, qe + 1, "Programme", "quoted-actor", alias=inner))
    return out


_ACTION_STARTS = ("将", "为", "让", "使", "把", "促进", "帮助", "带动", "推动", "成为", "提供", "覆盖", "吸引", "服务", "惠及")


def _opens_clause(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] in "，。；！？\n、"


def _acts_after(doc: Doc, pos: int) -> bool:
    return doc.text.startswith(_ACTION_STARTS, pos)


def _ends_with_scheme_word(inner: str) -> str:
    """The scheme ending a quoted name ends with (“…直通车” -> 直通车), if any; generic short words excluded."""
    for word in sorted(_suffix_types(), key=len, reverse=True):
        if inner.endswith(word) and len(inner) > len(word) + 1 and len(word) >= 2:
            return "" if word in _generic_endings() else word
    return ""


@lru_cache(maxsize=1)
def _generic_endings() -> frozenset[str]:
    return frozenset(row[0] for row in lexicon.table("scheme_suffixes.tsv") if len(row) > 2 and row[2] == "generic")


def _preceded_by_name(doc: Doc, pos: int) -> bool:
    """Is a public body named right before clean offset ``pos``? (寿光市科技局“科技红娘”)

    Not a company: what follows a company in quotes is a brand or product (…合作社“望海山”小米).
    """
    o = doc.clean.origin[pos]
    return any(m.end == o and m.type in ("GovernmentBody", "Organization") for m in doc.mentions)


_COUNTED = re.compile(r"^[一二两三四五六七八九十\d]+[个项条种大]")


def _slogan(inner: str) -> bool:
    """A quoted ordinary word or counted slogan (“绿色通道”, “两个创新”) names no scheme."""
    return bool(_COUNTED.match(inner)) or inner in lexicon.jieba_dictionary()


def _has_verb(doc: Doc, start: int, end: int) -> bool:
    """Does [start, end) hold a verb that acts rather than names (达成, 提供)?"""
    jd = lexicon.jieba_dictionary()
    allowed = lexicon.words("name_verbs.txt")
    for s, e in doc.words:
        if s >= end:
            break
        if s >= start:
            w = doc.text[s:e]
            if len(w) >= 2 and jd.get(w, (0, ""))[1] == "v" and w not in allowed:
                return True
    return False


def _starts_with_adverb(doc: Doc, pos: int) -> bool:
    for s, e in doc.words:
        if s == pos:
            word = doc.text[s:e]
            info = lexicon.jieba_dictionary().get(word)
            if info and info[1] in ("v", "vd") and word not in lexicon.words("name_verbs.txt"):
                return True  # “组合拳”持续规范…: a verb starts the clause, not a name's tail
            return bool(info) and info[1] in ("d", "ad", "b", "m", "p", "c")
        if s > pos:
            break
    return False


def find_editions(doc: Doc) -> list[Mention]:
    """Events opened by an edition: 2025年全省谷子产业高质量发展研讨会, 第十三届两岸汉字艺术节."""
    text = doc.text
    out = []
    types = _suffix_types()
    for m in _patterns()["edition"].finditer(text):
        start = m.start()
        limit = min(len(text), m.end() + 40)
        found = None
        pos = m.end()
        while pos < limit and text[pos] not in CLAUSE_BREAK:
            pos += 1
        for end_idx, word in sorted(_suffix_automaton().iter(text, m.end(), pos)):
            if types[word] != "Event":
                continue
            end = end_idx + 1
            if found is None or (end - len(word) <= found[0] < end):
                found = (end, word)  # 展览 | 巡展: a name goes on into an ending that touches it
            elif end - len(word) > found[0]:
                break
        if found and found[0] - m.end() >= 2:
            out.append(_mention(doc, start, found[0], "Event", f"edition+suffix:{found[1]}"))
    return out


_UNQUOTED = {"试点", "工程", "三年行动", "专项行动", "行动计划", "大会", "论坛", "博览会", "研讨会",
             "洽谈会", "艺术节", "文化节", "大赛", "竞赛", "联赛", "峰会", "发布会"}


def find_unquoted(doc: Doc) -> list[Mention]:
    """Unquoted names ending with a strong scheme word, edged like organisation names."""
    text = doc.text
    index = doc.word_index
    out = []
    for end_idx, word in _suffix_automaton().iter(text):
        if word not in _UNQUOTED:
            continue
        end = end_idx + 1
        start = end - len(word)
        if end < len(text) and is_cjk(text[end]) and (text[start:end + 1] in lexicon.jieba_dictionary()):
            continue
        sent = doc.sentence_at(start)
        # programme names are full of verbs (提质增效改造工程): only stop words end them
        edge = left_edge(text, index, start, sent.start if sent else 0, verbs_end_names=False)
        if start - edge < 2 or doc.quote_around(edge, end):
            continue
        body = [text[a:b] for a, b in index.words if a >= edge and b <= start]
        verb_before = _launch_before(text, edge)
        verb_after = text[end:end + 2] in ("启动", "实施", "落地", "开幕", "举行", "举办", "召开")
        if has_proper_element(text[edge:start], body) or verb_before or verb_after:
            out.append(_mention(doc, edge, end, _suffix_types()[word], f"name+suffix:{word}"))
    return out


HELD = ("举行", "举办", "开幕", "召开", "开营", "开赛", "落幕", "闭幕")


def _held_is_event(doc: Doc, m: Mention) -> Mention:
    """A programme-looking name that is held (…主题活动举行) is an event."""
    _, end = doc.clean.to_clean(m.start, m.end)
    if m.type == "Programme" and doc.text.startswith(HELD, end):
        return Mention(**{**m.__dict__, "type": "Event"})
    return m


def tag_schemes(doc: Doc) -> Doc:
    known = {doc.clean.to_clean(m.start, m.end) for m in doc.mentions}
    found = find_quoted(doc) + find_editions(doc) + find_unquoted(doc)
    # “潍坊市劳模工匠学院”: a quoted organisation is not a programme
    found = [m for m in found if (lambda s, e: (s + 1, e - 1) not in known)(*doc.clean.to_clean(m.start, m.end))]
    doc.mentions.extend(_held_is_event(doc, m) for m in found)
    return doc
