"""Organisation names found by their endings (有限公司, 科技局, 大学 …).

An ending from ``lexicons/org_suffixes.tsv`` fixes the right edge and the type;
the left edge is found by walking back over words until one that cannot be
part of a name: a word of ``lexicons/org_left_stops.txt``, a function word by
jieba's part-of-speech tag, punctuation.  A conjunction (和) is crossed only
when a place or a city-relative marker (市/县/区/省) lies beyond it, as in
潍坊市人事考试和劳动能力鉴定中心.  Names with a weak ending must hold a proper
element, so 技术中心 alone is not an organisation.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from . import lexicon
from .clean import is_cjk
from .doc import Doc, Mention
from .gazetteer import gazetteer
from .segment import WordIndex

RELATIVE_MARKERS = {"市", "县", "区", "省", "镇", "乡", "该", "本", "该市", "该县", "该区", "该省", "我市", "我省", "我县", "我区"}
BRIDGES = {"和", "与", "及"}
# part-of-speech tags (jieba) of words that never sit inside a name
STOP_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "d", "ad", "y", "e", "o", "t", "q", "zg",
             "i"}  # i: idioms (贯彻落实) never sit inside a name
MAX_NAME = 32
COMPANY_FORMS = ("有限公司", "股份有限公司", "有限责任公司", "公司", "分公司")


@dataclass(frozen=True)
class Suffix:
    text: str
    type: str
    strong: bool
    unit: bool = False  # a division (街道, 社区, 村): its name leaves out the places above it
    zone: bool = False  # a zone (度假区, 高新区): named after the place it lies in, which must be there


@lru_cache(maxsize=None)
def suffixes(table_name: str = "org_suffixes.tsv") -> tuple[ahocorasick.Automaton, dict[str, Suffix]]:
    table = {row[0]: Suffix(row[0], row[1], row[2] == "strong", row[2] == "unit", row[2] == "zone")
             for row in lexicon.table(table_name)}
    auto = ahocorasick.Automaton()
    for s in table:
        auto.add_word(s, s)
    auto.make_automaton()
    return auto, table


@lru_cache(maxsize=1)
def _title_set() -> frozenset[str]:
    return frozenset(row[0] for row in lexicon.table("titles.tsv"))


@lru_cache(maxsize=1)
def _title_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(t) for t in _title_set()}, reverse=True))


def longest_ending(name: str, table: dict[str, Suffix]) -> str:
    """The longest ending of the table that name ends with ("" if none): one lookup per ending length."""
    return next((name[i:] for i in range(len(name)) if name[i:] in table), "")


def _word_blocks_suffix(text: str, index: "WordIndex", start: int, end: int,
                       place_ends: frozenset[int] = frozenset()) -> bool:
    """An ending that is really part of an ordinary word (格局, 举办, 大厅, 科创, 局长).

    ``place_ends``: where the page's place names end.
    """
    title = next((text[start:start + n] for n in _title_lengths()
                  if start + n > end and text[start:start + n] in _title_set()), "")
    if title:
        # the ending begins a title (局长; a bureau's 党组书记), except a place's own committee
        # before a title of its own: 端庄社区党委|书记
        return not (start in place_ends and title[end - start:] in _title_set())
    if any(text[end:end + n] in _title_set() for n in _title_lengths()):
        return False  # 科技局局长: the ending is followed by a title, fine
    if any(text.startswith(f, end) for f in COMPANY_FORMS):
        return True  # 潍柴控股集团 | 有限公司: the name goes on
    k = index.covering(end - 1)
    if k is not None and index.words[k][1] > end and index.words[k][0] >= start:
        return True  # the ending starts a longer word (北斗科创)
    if end - start != 1:
        return False
    jd = lexicon.jieba_dictionary()
    org_words = suffixes()[1]
    for w in (text[start - 1 : end] if start > 0 else "", text[start : end + 1]):
        if len(w) == 2 and w in jd and w not in org_words and jd[w][0] >= 20:
            return True
    return False


def _name_like(word: str) -> bool:
    return bool(word) and all(is_cjk(c) or c.isalnum() or c in "（）()·" for c in word)


def _is_stop(word: str) -> bool:
    if word in lexicon.words("org_left_stops.txt"):
        return True
    if not _name_like(word):
        return True
    if word.isdigit() or (len(word) > 1 and word.endswith("的")):
        return True  # a number; an attributive phrase (小小的|梁沟村)
    if len(word) == 1:
        return False  # single characters are what unknown names are made of (青/腾)
    info = lexicon.jieba_dictionary().get(word)
    if info and info[1] in STOP_TAGS and word not in RELATIVE_MARKERS:
        return True
    if info and info[1] == "m" and not word.startswith("第"):
        return True
    return False


def _is_sentence_verb(word: str, strict: bool = False) -> bool:
    """A verb that acts on a name (建设|望岳湖森林公园) rather than sits inside one (行政审批服务局).

    ``strict``: place names hold no verbs at all.
    """
    info = lexicon.jieba_dictionary().get(word)
    if len(word) < 2 or info is None or info[1] not in ("v", "vn"):
        return False
    return strict or (info[1] == "v" and word not in lexicon.words("name_verbs.txt"))


def _name_continues_left(text: str, index: WordIndex, k: int) -> bool:
    """Is the word before word ``k`` a place or an organisation ending (中国重机协会|停车设备…)?"""
    if k == 0:
        return False
    s, e = index.words[k - 1]
    prev = text[s:e]
    return gazetteer().is_place(prev) or len(longest_ending(prev, suffixes()[1])) > 1


def _is_anchor(word: str) -> bool:
    return word in RELATIVE_MARKERS or gazetteer().is_place(word)


def left_edge(text: str, index: WordIndex, start: int, floor: int, place: bool = False,
              verbs_end_names: bool = True) -> int:
    """Where a name that ends with the ending at ``start`` begins."""
    k = index.covering(start)
    if k is None:
        return start
    edge = index.words[k][0]  # an ending inside a word takes the whole word (鉴定中心)
    k -= 1
    while k >= 0:
        s, e = index.words[k]
        if s < floor or edge - s > MAX_NAME:
            break
        w = text[s:e]
        if w in ("”", "’") and edge == e and e - s == 1:
            opened = _quote_start(text, s, floor)
            if opened is not None:
                edge = opened  # “政务轻骑兵”分队: the quoted name is part of it
            break
        if w in ("）", ")"):
            opened = _parenthesised_place(text, index, k, floor)
            if opened is None:
                break
            edge, k = index.words[opened][0], opened - 1
            continue
        if w in BRIDGES:
            before = text[index.words[k - 1][0] : index.words[k - 1][1]] if k > 0 else ""
            if w != "和" or longest_ending(before, suffixes()[1]):
                break  # 甲公司与乙公司: two names, not one
            beyond = _anchor_beyond(text, index, k - 1, floor)
            if beyond is None:
                break
            edge = beyond
            break
        if w.startswith("该") and len(w) <= 3 and edge == e:
            edge = s  # 该局规划科, 该市纪委: kept, resolved later to what it points at
            break
        if _is_stop(w) or (len(w) == 1 and k > 0 and text[index.words[k - 1][1] - 1].isdigit()):
            break  # (a character after a number is its unit: 1953年|中国科学院)
        if verbs_end_names and _is_sentence_verb(w, strict=place and edge < start) \
                and not _name_continues_left(text, index, k):
            break
        edge = s
        if w in RELATIVE_MARKERS and len(w) == 1:
            # 市人社局: a lone 市 opens the name unless a place name stands before it
            prev = text[index.words[k - 1][0] : index.words[k - 1][1]] if k > 0 else ""
            if not gazetteer().is_place(prev):
                break
        k -= 1
    return edge


def _quote_start(text: str, close: int, floor: int, reach: int = 12) -> int | None:
    """Offset of the opening quote that ``close`` closes, when the quote is short and on one line."""
    opener = "“" if text[close] == "”" else "‘"
    for i in range(close - 1, max(floor, close - reach) - 1, -1):
        if text[i] == opener:
            return i if close - i > 2 else None
        if text[i] in "。，；！？\n“”":
            return None
    return None


def _parenthesised_place(text: str, index: WordIndex, k: int, floor: int) -> int | None:
    """For a ')' word at k: the index of its '(' word when the bracket holds a place, 潍坊（寿光）."""
    close = index.words[k][0]
    for j in range(k - 1, max(k - 6, -1), -1):
        s, e = index.words[j]
        if s < floor:
            return None
        if text[s:e] in ("（", "("):
            inside = text[e:close]
            return j if gazetteer().is_place(inside) or inside.endswith("区") else None
    return None


def _anchor_beyond(text: str, index: WordIndex, k: int, floor: int, reach: int = 8) -> int | None:
    """Across a conjunction: the left edge if a place or marker is met before a stop."""
    edge = None
    for _ in range(reach):
        if k < 0:
            return None
        s, e = index.words[k]
        if s < floor:
            return None
        w = text[s:e]
        if _is_stop(w) or w in BRIDGES:
            return None
        if _is_anchor(w):
            edge = s
            # keep going while the name continues to the left of the anchor
            j = k - 1
            while j >= 0:
                ps, pe = index.words[j]
                pw = text[ps:pe]
                if ps < floor or _is_stop(pw) or not gazetteer().is_place(pw):
                    break
                edge = ps
                j -= 1
            return edge
        k -= 1
    return None


def _body_words(text: str, index: WordIndex, edge: int, start: int) -> list[str]:
    """The words between a name's left edge and its ending; a word the ending cuts counts by its head."""
    out = []
    for i in index.overlapping(edge, start):
        a, b = index.words[i]
        out.append(text[max(a, edge):min(b, start)])
    return [w for w in out if w]


RELATIVE_HEADS = {"市", "县", "区", "省", "市委", "县委", "区委", "省委", "市政府", "县政府", "区政府", "省政府"}
NUMERALS = set("一二两三四五六七八九十百千万零〇几多")
ZONE_WORDS = ("度假区", "高新区", "开发区", "经济区", "经开区", "新区", "园区")


def has_proper_element(body: str, words: list[str], places: set[str] = frozenset()) -> bool:
    """Does the part before the ending name something (not just 技术 or 综合服务)?

    ``places`` are place names the page mentions (端庄社区 in 端庄社区党委).
    """
    if not body:
        return False
    if (words and (words[0] in RELATIVE_HEADS or words[0].startswith("该"))) or body.startswith(ZONE_WORDS):
        return True  # city-relative (市人社局, 度假区生态环境分局) or pointing back (该局): named by context
    if any(body.startswith(p) for p in places):
        return True
    jd = lexicon.jieba_dictionary()
    singles = 0
    for w in words:
        if gazetteer().is_place(w):
            return True
        if len(w) >= 3 and w[0] in "省市县区" and longest_ending(w, suffixes()[1]):
            return True  # 省农科院育种实验室: a unit of a named body
        if len(w) == 1 and is_cjk(w) and w not in NUMERALS:
            singles += 1
            if singles >= 2:
                return True  # a run of characters the dictionary does not know: a proper name
            continue
        singles = 0
        info = jd.get(w)
        if info is None or (info[1] in ("nr", "nz", "ns", "nt", "nrt") and info[0] < 2000):
            return True
    return False


def _made_of_places(text: str, start: int, end: int, place_spans: list[tuple[int, int]]) -> bool:
    """Is text[start:end] place names only, one perhaps in brackets (潍坊（寿光）)?"""
    ends = {}
    for ps, pe in place_spans:
        ends[ps] = max(ends.get(ps, ps), pe)
    pos = start
    while pos < end:
        if pos in ends and ends[pos] <= end:
            pos = ends[pos]
        elif text[pos] in "（）()" and pos > start:
            pos += 1
        else:
            return False
    return pos == end > start


def find_by_suffix(doc: Doc, table_name: str) -> list[Mention]:
    """Names that end with an ending of the given table (organisations, unlisted places)."""
    text = doc.text
    auto, table = suffixes(table_name)
    rule = "org-suffix" if table_name == "org_suffixes.tsv" else "place-suffix"
    index = doc.word_index
    places = {m.text for m in doc.mentions if m.type == "Place"}
    place_spans = sorted(doc.clean.to_clean(m.start, m.end) for m in doc.mentions if m.type == "Place")
    out: list[Mention] = []
    # one ending per end position (the longest), and none that a longer ending from the same start covers
    best: dict[int, str] = {}
    longest_from: dict[int, int] = {}
    place_ends = frozenset(e for _, e in place_spans)
    for end_idx, s in auto.iter(text):
        e = end_idx + 1
        if _word_blocks_suffix(text, index, e - len(s), e, place_ends):
            continue
        if len(s) > len(best.get(e, "")):
            best[e] = s
        longest_from[e - len(s)] = max(longest_from.get(e - len(s), 0), e)
    best = {e: s for e, s in best.items() if longest_from[e - len(s)] == e}
    for e, s in sorted(best.items()):
        suffix = table[s]
        start = e - len(s)
        if suffix.type == "Place" and any(text.startswith(x, e) for x in table):
            continue  # 古城|街道: the place name goes on
        sent = doc.sentence_at(start)
        floor = sent.start if sent else 0
        quote = doc.quote_around(start, e)
        if quote:
            if e != quote[1] and quote[1] - quote[0] <= 20:
                continue  # a quoted name is whole: 北斗科 is not a name inside “北斗科创·界别同心汇”
            floor = max(floor, quote[0])
        edge = left_edge(text, index, start, floor, place=suffix.type == "Place")
        name = text[edge:e]
        if len(name) <= len(s) and not suffix.strong:
            continue
        body_words = _body_words(text, index, edge, start)
        whole_quote = quote is not None and quote == (edge, e)
        if not suffix.strong and not whole_quote and not has_proper_element(text[edge:start], body_words, places):
            continue
        if gazetteer().is_place(name):
            continue  # 莫斯科 ends like a department (科) but is a city
        if len(s) == 1 and body_words and len(body_words[-1]) == 1 and not _is_anchor(body_words[0]):
            continue  # 基里延科, 莫斯科: a one-character ending follows a department word (规划科), not a name
        if start - edge > 10 and not _is_anchor(body_words[0]) and not any(
            w in table for w in body_words
        ):
            continue  # a long run of words with no place or parent organisation in front
        # a name never starts inside another place's name (固河|镇李庙村)
        for ps, pe in place_spans:
            if ps < edge < pe <= start:
                edge = pe
        if suffix.unit:
            # 寿光市圣城街道: a street or village is named without the places above it
            stripped = True
            while stripped:
                stripped = False
                for ps, pe in place_spans:
                    if ps == edge and pe < start - 1:
                        edge, stripped = pe, True
                while text.startswith(ZONE_WORDS, edge):
                    edge += next(len(z) for z in ZONE_WORDS if text.startswith(z, edge))
                    stripped = True
        if suffix.zone and not _made_of_places(text, edge, start, place_spans) \
                and not any(text.startswith(p, edge) and edge + len(p) == start for p in places):
            continue  # 变身|度假区: a zone is named after a place (聊城|度假区, 潍坊（寿光）|高新区)
        name = text[edge:e]
        if name.startswith("该") and suffix.type == "Place":
            continue  # 该街道 points back; it is not a name
        o_start, o_end = doc.clean.to_original(edge, e)
        out.append(
            Mention(text=name, type=suffix.type, start=o_start, end=o_end, rule=f"{rule}:{s}")
        )
    return out


def tag_organisations(doc: Doc) -> Doc:
    doc.mentions.extend(find_by_suffix(doc, "org_suffixes.tsv"))
    return doc


def tag_unlisted_places(doc: Doc) -> Doc:
    doc.mentions.extend(find_by_suffix(doc, "place_suffixes.tsv"))
    return doc
