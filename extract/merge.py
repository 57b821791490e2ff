"""Settle the mentions that several rules proposed for one stretch of text.

Nesting is kept where it means something (寿光市 inside 寿光市科技局, a company
inside its 创新工作室); a truncated copy of a longer name of the same type is
folded into it as an alias; of two mentions that cross, the one from the
surer rule stays.
"""
from __future__ import annotations

from dataclasses import replace

from .doc import Doc, Mention

# lower is surer; the rule family is the part before ':'
RULE_RANK = {
    "byline": 0,
    "title+name": 1,
    "defined-alias": 1,
    "org-suffix": 2,
    "name-repeat": 3,
    "titled-document": 3,
    "quoted+suffix": 3,
    "edition+suffix": 3,
    "gazetteer": 4,
    "place-suffix": 4,
    "enumeration": 4,
    "quoted-after-verb": 5,
    "quoted-name": 3,
    "quoted-actor": 5,
    "name+suffix": 5,
    "short-form": 5,
    "model": 6,
}


def rank(m: Mention) -> int:
    return RULE_RANK.get(m.rule.split(":", 1)[0], 6)


def _better(a: Mention, b: Mention) -> Mention:
    """Of two mentions for one span, the surer; ties go to the longer rule name's owner order."""
    return a if (rank(a), -len(a.aliases)) <= (rank(b), -len(b.aliases)) else b


def _contains(a: Mention, b: Mention) -> bool:
    return a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end)


def _crosses(a: Mention, b: Mention) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


def merge_mentions(doc: Doc) -> Doc:
    # one mention per span: the surer rule decides the type; aliases are pooled
    by_span: dict[tuple[int, int], Mention] = {}
    for m in doc.mentions:
        key = (m.start, m.end)
        if key in by_span:
            keep = _better(by_span[key], m)
            other = m if keep is by_span[key] else by_span[key]
            aliases = tuple(dict.fromkeys(keep.aliases + other.aliases))
            by_span[key] = replace(keep, aliases=aliases)
        else:
            by_span[key] = m
    ms = sorted(by_span.values(), key=lambda m: (m.start, -(m.end - m.start)))
    dropped: set[int] = set()
    extra_aliases: dict[int, list[str]] = {}
    for i, a in enumerate(ms):
        if i in dropped:
            continue
        for j in range(i + 1, len(ms)):
            b = ms[j]
            if b.start >= a.end:
                break
            if j in dropped:
                continue
            if _contains(a, b):
                if _fold_into(a, b):
                    dropped.add(j)
                    extra_aliases.setdefault(i, []).append(b.text)
                elif _nested_noise(a, b):
                    dropped.add(j)
            elif _crosses(a, b):
                loser = j if (rank(a), -(a.end - a.start)) <= (rank(b), -(b.end - b.start)) else i
                dropped.add(loser)
                if loser == i:
                    break
    out = []
    for i, m in enumerate(ms):
        if i in dropped:
            continue
        if i in extra_aliases:
            m = replace(m, aliases=tuple(dict.fromkeys(m.aliases + tuple(extra_aliases[i]))))
        out.append(m)
    doc.mentions = out
    return doc


def _fold_into(outer: Mention, inner: Mention) -> bool:
    """A shorter copy of the same programme or event name (“山东农技杯”小米大赛 in 2025年“山东农技杯”小米大赛)."""
    return outer.type == inner.type and outer.type in ("Programme", "Event") and outer.end == inner.end


def _nested_noise(outer: Mention, inner: Mention) -> bool:
    if inner.type == "Place" and outer.type == "Place" and (inner.start == outer.start or inner.end == outer.end):
        return True  # 潍坊 inside 潍坊市, 郝庄镇 inside 金郝庄镇
    if inner.type == "Place" and outer.type == "Person":
        return True
    if inner.type == "Person" and outer.type == "Place":
        return True
    if inner.type in ("Programme", "Event") and outer.type in ("Company", "GovernmentBody", "Organization"):
        return True  # 曲阜市孔子文化节 inside 曲阜市孔子文化节事务中心 is part of a body's name
    return False
