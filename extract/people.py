"""Person names: bylines, and names framed by a title and what follows a name.

Chinese news names people in a few fixed frames, which fix both edges:

* bylines: ``■ 本报记者 张 蓓``, ``本报讯(记者 王鹏 通讯员 郭明洋 韩雪)``;
* title + name + a word that ends a name: ``局长高世奎说``, ``工程师张明瑞正``;
* the page furniture ``责任编辑 傅欣迎``.

A candidate must start with a family name (``lexicons/surnames.txt``).  Once
found, a name is also found wherever else the page repeats it.
"""
from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from . import lexicon
from .clean import is_cjk
from .doc import Byline, Doc, Mention

# A byline: optional newspaper, then one or more "role names…" groups.
_ROLE = r"(?:全媒体|融媒体|首席|见习|特约)?(?:记\s*者|通\s*讯\s*员|实\s*习\s*生|摄\s*影(?:记者)?|责任编辑|美术编辑|编\s*辑|校\s*对)"
_NAMES = r"[\u4e00-\u9fff]{1,4}(?:[ \u3000]+[\u4e00-\u9fff]{1,4})*?"
_END = r"(?=\s*(?:报道|摄影|摄|采写|整理|[)）]|\n|$|\s+第\d|\s+\d|\s+(?:本报)?" + _ROLE + r"))"
_BYLINE = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{2,10}?(?:日报社|报社|融媒体中心|广播电视台|电视台))?\s*"
    r"(?P<role>" + _ROLE + r")\s*(?P<names>" + _NAMES + r")" + _END
)


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = lexicon.ordered_words("surnames.txt")
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    return {row[0]: row[1] for row in lexicon.table("titles.tsv")}


@lru_cache(maxsize=1)
def _title_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for t in titles():
        auto.add_word(t, t)
    auto.make_automaton()
    return auto


@lru_cache(maxsize=1)
def _name_enders() -> tuple[str, ...]:
    return tuple(sorted(lexicon.words("name_followers.txt"), key=len, reverse=True))


NOT_IN_NAME = set("的了在是说和与及等为对从向把被将也都还又就说表示介绍不过此得很会、，。；：！？“”‘’（）()《》 \n")


# a character of transliterated names (斯, 尔, 克 …) when this many of jieba's transliterated names (nrt) use it
TRANSLITERATION_MIN_NAMES = 5


@lru_cache(maxsize=1)
def transliteration_characters() -> frozenset[str]:
    from zhitu.cache import load_or_build

    # (kept on disk: reading every word of jieba's dictionary takes a fifth of a second)
    return load_or_build("transliteration-characters", frozenset, _count_transliteration_characters)


def _count_transliteration_characters() -> frozenset[str]:
    counts: dict[str, int] = {}
    for word, (_, tag) in lexicon.jieba_dictionary().items():
        if tag == "nrt":
            for c in set(word):
                counts[c] = counts.get(c, 0) + 1
    return frozenset(c for c, n in counts.items() if n >= TRANSLITERATION_MIN_NAMES)


def looks_transliterated(s: str) -> bool:
    """Three or more characters of transliterated names, parts joined by · (巴普蒂斯塔, 阿卜杜拉·哈桑)."""
    parts = s.split("·")
    chars = transliteration_characters()
    return len(s) >= 3 and all(parts) and all(c in chars for part in parts for c in part)


def looks_like_name(s: str) -> bool:
    """Family name first, 2-4 Chinese characters, none of them a function character."""
    single, double = surnames()
    if not (2 <= len(s) <= 4) or not all(is_cjk(c) for c in s):
        return False
    if any(c in NOT_IN_NAME for c in s[1:]):
        return False  # 都 may start a name (都镇强), never continue one
    if s[:2] in double:
        return len(s) >= 3
    return s[0] in single and len(s) <= 3


def _split_byline_names(names: str) -> list[tuple[str, int, int]]:
    """'张 蓓' is one name spaced out; '高亮 王福林' are two.  (name, start, end) relative."""
    parts = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[\u4e00-\u9fff]+", names)]
    out, i = [], 0
    while i < len(parts):
        text, s, e = parts[i]
        # single characters spaced out belong together: 张 蓓 / 任 杰 / 王 军 豪
        while len(text) < 2 or (len(parts[i][0]) == 1 and i + 1 < len(parts) and len(parts[i + 1][0]) == 1
                                and len(text) < 3):
            if i + 1 >= len(parts):
                break
            i += 1
            text += parts[i][0]
            e = parts[i][2]
        out.append((text, s, e))
        i += 1
    return out


def find_byline_people(doc: Doc) -> list[tuple[Mention, str, str]]:
    """(person mention, role, newspaper or '') for every name in a byline."""
    text = doc.text
    out = []
    newspaper, last_end = "", -1
    for m in _BYLINE.finditer(text):
        # "记者 张鹏 通讯员 黄坤": the second group continues the first one's newspaper
        if m.group("org") or text[last_end:m.start()].strip():
            newspaper = m.group("org") or ""
        last_end = m.end()
        role = re.sub(r"\s+", "", m.group("role"))
        base = m.start("names")
        for name, s, e in _split_byline_names(m.group("names")):
            if not looks_like_name(name):
                continue
            o_start, o_end = doc.clean.to_original(base + s, base + e)
            out.append((Mention(text=name, type="Person", start=o_start, end=o_end, rule="byline"),
                        role, newspaper))
    return out


def common_word(s: str) -> bool:
    info = lexicon.jieba_dictionary().get(s)
    return bool(info) and info[1] not in ("nr", "nrt", "nrfg") and info[0] >= 50


_SIGNED = re.compile(r"(?m)^[■□]\s*([\u4e00-\u9fff]{2,4})\s*$")


def find_signed_people(doc: Doc) -> list[Mention]:
    """A commentary signed with a marker and a bare name on its own line ("□ 王佳声")."""
    out = []
    for m in _SIGNED.finditer(doc.text):
        if looks_like_name(m.group(1)) and not common_word(m.group(1)):
            o_start, o_end = doc.clean.to_original(m.start(1), m.end(1))
            out.append(Mention(text=m.group(1), type="Person", start=o_start, end=o_end, rule="byline:signed"))
    return out


def find_titled_people(doc: Doc) -> list[Mention]:
    """Names right after a title and right before a word that ends a name."""
    text = doc.text
    out = []
    enders = _name_enders()
    matches = [(end_idx + 1 - len(t), end_idx + 1, t) for end_idx, t in _title_automaton().iter(text)]
    # a title inside a longer one (总工 in 总工程师) is not a title here
    matches = [m for m in matches if not any(o[0] <= m[0] and m[1] <= o[1] and o != m for o in matches
                                             if o[1] >= m[1] and o[0] <= m[0])]
    for _, pos, title in matches:
        strong_only = titles()[title] != "position"
        for length in (3, 2, 4):
            cand = text[pos : pos + length]
            if not looks_like_name(cand) or common_word(cand):
                continue
            rest = text[pos + length : pos + length + 4]
            ok = rest == "" or rest[0] in "，。；：！？）)”\n " or rest.startswith(enders)
            if strong_only:
                ok = ok and rest[:1] not in ("和", "与", "及", "、", "的")
            if ok:
                o_start, o_end = doc.clean.to_original(pos, pos + length)
                out.append(Mention(text=cand, type="Person", start=o_start, end=o_end,
                                   rule=f"title+name:{title}"))
                break
    return out


def propagate_names(doc: Doc, names: set[str]) -> list[Mention]:
    """Every other occurrence of a name the page already gave with a frame."""
    if not names:
        return []
    auto = ahocorasick.Automaton()
    for n in names:
        auto.add_word(n, n)
    auto.make_automaton()
    text = doc.text
    out = []
    for end_idx, n in auto.iter(text):
        s, e = end_idx - len(n) + 1, end_idx + 1
        # not inside a longer name: the next character must not extend it
        if e < len(text) and is_cjk(text[e]) and looks_like_name(text[s : e + 1]) and \
                text[s : e + 1] not in names and not text[e:].startswith(_name_enders()):
            continue
        o_start, o_end = doc.clean.to_original(s, e)
        out.append(Mention(text=n, type="Person", start=o_start, end=o_end, rule="name-repeat"))
    return out


def tag_people(doc: Doc) -> Doc:
    bylines = find_byline_people(doc)
    titled = find_titled_people(doc)
    found = [m for m, _, _ in bylines] + titled + find_signed_people(doc)
    doc.mentions.extend(found)
    doc.mentions.extend(propagate_names(doc, {m.text for m in found}))
    doc.bylines = [Byline(m.start, m.end, m.text, role, org) for m, role, org in bylines]
    return doc
