"""The trained recogniser's spans as mentions: the model proposes, lexicons type.

The ``news`` CRF (extract/tagger.py) finds people, places and organisations
the rules have no frame for (a name without a title, a firm without a suffix).
Its spans become mentions with the rule ``model:crf``; the rules' mentions
outrank them where both claim the same words (merge.py).  An organisation is
typed by its ending (org_suffixes.tsv), or else by the ``cluener`` model,
which tells companies, government bodies and other organisations apart.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from . import lexicon
from .clean import is_cjk
from .doc import Doc, Mention
from .organisations import has_proper_element, longest_ending, suffixes
from .people import looks_like_name, looks_transliterated
from .tagger import Description, describe, shared_tagger

CLUENER_TYPES = {"company": "Company", "government": "GovernmentBody", "organization": "Organization"}
NEWS_TYPES = {"PER": "Person", "LOC": "Place"}


MODELS = ("news", "cluener")  # the shipped models this stage reads: names; organisations' types


def load_models() -> None:
    """Read every model this stage uses (each is read on first use otherwise: the CLUENER one on the first
    page with an organisation that its name's ending does not type)."""
    for name in MODELS:
        shared_tagger(name).load()


TYPING_CONTEXT = 12  # characters on either side of a name that the CLUENER model reads to type it


def _organisation_type(doc: Doc, start: int, end: int, described: Description,
                       tagged: dict[tuple[int, int], list[tuple[int, int, str]]]) -> str:
    """By the name's ending; else by the CLUENER model (the slower one: forty labels), run on the
    name and TYPING_CONTEXT characters on either side within its sentence.  ``tagged``: the CLUENER
    spans of the stretches tagged so far."""
    name = doc.text[start:end]
    table = suffixes()[1]
    ending = longest_ending(name, table)
    if ending:
        return table[ending].type
    sent = doc.sentence_at(start)
    lo, hi = (sent.start, sent.end) if sent else (start, end)
    lo, hi = max(lo, start - TYPING_CONTEXT), min(hi, end + TYPING_CONTEXT)  # (long sentences cost no more)
    if (lo, hi) not in tagged:
        tagged[lo, hi] = shared_tagger("cluener").spans(doc.text[lo:hi], described=described[lo:hi])
    found = tagged[lo, hi]
    votes = Counter()
    for s, e, label in found:
        if label in CLUENER_TYPES:
            votes[CLUENER_TYPES[label]] += max(0, min(end, lo + e) - max(start, lo + s))
    # the type whose spans cover most of the name; a tie goes to the first of CLUENER_TYPES, so every run agrees
    best = max(CLUENER_TYPES.values(), key=lambda t: votes[t])
    return best if votes[best] else "Organization"


# A span the model is this sure of needs no lexicon to confirm it (by label).  Chosen so that
# the model adds little noise on local news pages (development gold) while keeping its recall on
# general news; see `zhitu bench ner` and `zhitu eval`.
SURE = {"PER": 0.6, "LOC": 0.7, "ORG": 0.7}
VERY_SURE = 0.97  # sure enough to take a generic-looking name (外交部) as a name


def _accepted(doc: Doc, start: int, end: int, sure: bool, table_name: str, very_sure: bool = False) -> bool:
    """A span with a known ending is judged by it, as the rules would (社区服务中心 names nothing);
    one without needs a sure model (新华社, 欧盟)."""
    name = doc.text[start:end]
    table = suffixes(table_name)[1]
    ending = longest_ending(name, table)
    if not ending:
        return sure
    if not is_cjk(name[0]) or len(ending) >= len(name):
        return False
    unit_kind = any(name[: -len(ending)] in suffixes(t)[1] for t in ("org_suffixes.tsv", "place_suffixes.tsv"))
    if very_sure and not unit_kind:
        return True  # 外交部, 世界银行: named by common words, but not by a kind of unit (社区|服务中心)
    body = [doc.text[max(a, start):min(b, end - len(ending))]
            for a, b in (doc.words[i] for i in doc.word_index.overlapping(start, end - len(ending)))]
    return has_proper_element(name[: -len(ending)], [w for w in body if w])


# jieba's tags for names, of any kind (its tags are loose: a club 曼联 is ns, a regulator 银监会 nr,
# an abbreviation 欧盟 j); nz, other proper nouns (中华, brands), counts for organisations only
NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "j"})
PROPER_TAGS = {"PER": NAME_TAGS, "LOC": NAME_TAGS, "ORG": NAME_TAGS | {"nz"}}
# a dictionary word used this often, and not as a name, is an ordinary word (特区, 博物馆, 平安)
ORDINARY_FREQUENCY = 200


def _plain(name: str) -> bool:
    """Chinese text with no stray punctuation."""
    return is_cjk(name[0]) and all(c.isalnum() or c in "·（）" for c in name)


def _clean_span(name: str, label: str) -> bool:
    """Plain, and not an ordinary dictionary word (特区, 平安)."""
    info = lexicon.jieba_dictionary().get(name)
    ordinary = info is not None and info[1] not in PROPER_TAGS[label] and info[0] >= ORDINARY_FREQUENCY
    return _plain(name) and not ordinary


def _person_shaped(name: str) -> bool:
    """Chinese characters, a transliteration's · allowed (鲍里斯·贝克尔); jieba's tags are no guide to names."""
    return all(is_cjk(c) or c == "·" for c in name) and is_cjk(name[0]) and is_cjk(name[-1])


def _plausible_person(name: str, confidence: float) -> bool:
    """A Chinese or transliterated name that is not a dictionary word (jieba calls 高昂 a name)."""
    info = lexicon.jieba_dictionary().get(name)
    if info is not None and info[1] not in ("nr", "nrfg", "nrt"):
        return False
    if looks_like_name(name):
        # jieba lists famous people (董炯) and some words (高昂) as names: a listed one needs a surer model
        return confidence >= (0.8 if info else SURE["PER"])
    return looks_transliterated(name) and confidence >= SURE["PER"]


_FUNCTION_CHARS = set("以的和在与及为对从把被将是了、")  # (、 lists names: 中、小学)
_DETERMINERS = set("各该本这那每全诸")
_CLAUSE_MARKS = set("，。；：！？,;:!?")


def _balanced(name: str) -> bool:
    depth = 0
    for c in name:
        depth += (c in "（(") - (c in "）)")
        if depth < 0:
            return False
    return depth == 0


def _well_formed(doc: Doc, start: int, end: int) -> bool:
    """A span that could be a name: no function word or space inside (端庄社区以党群服务中心), not opened by a
    word that stands before names (各乡镇), not a piece of a quoted name (‘鲁科贷’)."""
    name = doc.text[start:end]
    if any(c in _FUNCTION_CHARS or c.isspace() for c in name[1:]):
        return False  # (a space: 聊城讯 聊城度假区 runs from a dateline into the story)
    if not _balanced(name):
        return False  # 寿光）高新区: half of 潍坊（寿光）高新区
    first = next((doc.text[a:b] for a, b in (doc.words[i] for i in doc.word_index.overlapping(start, end))), "")
    if first in lexicon.words("org_left_stops.txt"):
        return False
    if name[0] in _DETERMINERS and lexicon.jieba_dictionary().get(first, (0, ""))[1] != "nt":
        return False  # 各乡镇, 全市; but the dictionary's organisations are names (全国人大常委会)
    quote = doc.quote_around(start, end)
    if quote is None:
        return True
    # a quoted clause (“北大老，师大穷，清华、燕京可通融”) holds names; a quoted name, or each term of a
    # quoted list (“容缺受理+承诺制、多证联发”), is taken whole
    quoted = doc.text[quote[0]:quote[1]]
    if any(c in _CLAUSE_MARKS for c in quoted):
        return True
    return (start == quote[0] or doc.text[start - 1] == "、") and (end == quote[1] or doc.text[end] == "、")


def _ends_in_person(doc: Doc, mention: Mention, people: list[tuple[int, int]]) -> bool:
    """Is mention a name found by a one-character ending (科, 处) that a confident model person name
    takes in (基里延科, 沃尔科特, 专家马基延科)?  The ending is weak evidence; the name is not."""
    rule, _, ending = mention.rule.partition(":")
    if rule != "org-suffix" or len(ending) != 1 or suffixes()[1][ending].strong:
        return False
    last = doc.clean.to_clean(mention.start, mention.end)[1] - 1
    return any(s <= last < e for s, e in people)


def tag_model(doc: Doc) -> Doc:
    text = doc.text
    described = describe(text, doc.words, doc.places)  # one description of the text for both models
    proposed = shared_tagger("news").scored_spans(text, described=described)
    if not proposed:
        return doc
    people = [(s, e) for s, e, label, confidence in proposed
              if label == "PER" and confidence >= SURE["PER"] and _person_shaped(text[s:e])]
    if people:
        doc.mentions = [m for m in doc.mentions if not _ends_in_person(doc, m, people)]
    taken = sorted((*doc.clean.to_clean(m.start, m.end), m.type) for m in doc.mentions)
    taken_starts = [s for s, _, _ in taken]
    longest_taken = max((e - s for s, e, _ in taken), default=0)
    starts = {s for s, _ in doc.words}
    found = []
    cluener_tagged: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for start, end, label, confidence in proposed:
        name = text[start:end]
        if name != name.strip() or (start not in starts and len(name) > 1):
            continue  # (中美: the abbreviation 美 starts no word of its own)
        if len(name) < 2 and not (label == "LOC" and name in lexicon.words("place_abbreviations.txt")):
            continue  # one character is a name only as a country's or province's abbreviation (中美关系)
        nearby = taken[bisect_left(taken_starts, start - longest_taken):bisect_left(taken_starts, end)]
        if any(start < e and not (start <= s and e <= end and t in ("Place", "Person")) for s, e, t in nearby):
            continue  # the rules already said something about these words (a place inside is fine: 中国|队)
        if not _well_formed(doc, start, end):
            continue
        sure = confidence >= SURE[label] and _clean_span(name, label)
        # a name with a known ending may be a dictionary word all the same (公安部, 文化部)
        very_sure = confidence >= VERY_SURE and _plain(name)
        if label == "PER":
            type_ = "Person"
            if not (_plausible_person(name, confidence) or (confidence >= 0.9 and _person_shaped(name))):
                continue
        elif label == "LOC":
            type_ = "Place"
            abbreviation = len(name) == 1 and confidence >= SURE["LOC"]
            if not (abbreviation or _accepted(doc, start, end, sure, "place_suffixes.tsv", very_sure)):
                continue
        else:
            if not _accepted(doc, start, end, sure, "org_suffixes.tsv", very_sure):
                continue
            type_ = _organisation_type(doc, start, end, described, cluener_tagged)
        o_start, o_end = doc.clean.to_original(start, end)
        found.append(Mention(text=name, type=type_, start=o_start, end=o_end, rule=f"model:crf-{label}"))
    doc.mentions.extend(found)
    return doc
