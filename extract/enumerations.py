"""Items of an enumeration typed by its head: 福马轴承、益矿钻采等8家企业.

Short brand-like company names (华涛食品, 圣川牛蒡) and small places (万达,
泰华) carry no suffix to recognise them by; the enumeration around them does.
The head words and their types are in ``rules/enumerations.json``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import lexicon
from .doc import Doc, Mention
from .gazetteer import gazetteer
from .organisations import left_edge
from .people import looks_like_name


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, str]]:
    data = lexicon.rules("enumerations.json")
    heads = data["heads"]
    item = r"[\u4e00-\u9fff]{2,%d}" % data["max_item"]
    head = "|".join(sorted(map(re.escape, heads), key=len, reverse=True))
    pattern = re.compile(
        rf"(?P<items>(?:{item}、)+{item})等(?P<gap>[^，。；：、！？\n]{{0,{data['max_gap']}}}?)(?P<head>{head})(?![\u4e00-\u9fff]*[的])"
    )
    return pattern, heads


_JOINERS = ("和", "及", "与")
_PART_ENDINGS = ("部", "游", "侧", "东", "西", "南", "北")


def _compound(item: str) -> bool:
    """An item that joins places or names a part of one (玛多县和称多县; 中下游, 西部)."""
    return any(j in item for j in _JOINERS) or item.endswith(_PART_ENDINGS)


def find_enumerated(doc: Doc) -> list[Mention]:
    pattern, heads = _pattern()
    text = doc.text
    known = {(m.start, m.end) for m in doc.mentions}
    index = doc.word_index
    out = []
    word_starts = {s for s, _ in doc.words}
    for m in pattern.finditer(text):
        if m.start("head") not in word_starts:
            continue  # 基地 does not end in the head 地
        type_ = heads[m.group("head")]
        pos = m.start("items")
        for n, item in enumerate(m.group("items").split("、")):
            start, end = pos, pos + len(item)
            pos = end + 1
            if n == 0:
                # the regex cannot see where the first item begins (涌现出|华涛食品)
                sent = doc.sentence_at(start)
                start = max(start, left_edge(text, index, end, sent.start if sent else 0))
                item = text[start:end]
                if len(item) < 2:
                    continue
            span = doc.clean.to_original(start, end)
            if span in known or looks_like_name(item) and type_ != "Place":
                continue
            if type_ == "Place" and (_compound(item) or gazetteer().is_place(item[:2])):
                continue  # 玛多县和称多县, 长江中下游, 青海省曲麻莱县: not one small place; the gazetteer knows the rest
            out.append(Mention(text=item, type=type_, start=span[0], end=span[1],
                               rule=f"enumeration:{m.group('head')}"))
    return out


def tag_enumerated(doc: Doc) -> Doc:
    doc.mentions.extend(find_enumerated(doc))
    return doc
