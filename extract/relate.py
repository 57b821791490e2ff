"""Relations the text states, each with its sentence as evidence.

Rule families (words in ``rules/relations.json`` and ``lexicons/titles.tsv``):

* ``title-frame``: 临清市科技局局长高世奎 -> holdsPosition(高世奎, 临清市科技局, 局长);
  chains like 党组书记、局长 join their roles; 工作人员 gives memberOf;
* ``byline``: 潍坊日报社全媒体记者 于菲 -> holdsPosition(于菲, 潍坊日报社, 全媒体记者);
* ``name-place``: an organisation or event whose name starts with places is
  locatedIn the narrowest of them (潍坊市坊子区政协 -> 坊子区), a branch in the
  place after its parent's name (潍坊银行坊子管辖行 -> 坊子区);
* ``located-phrase``: 位于寿光市的…公司, …落户坊子区, 在潍坊举办;
* ``adjacent-places``: 河南省濮阳市 -> partOf(濮阳市, 河南省);
* ``name-parent``: 寿光市科技局规划科 -> subOrganizationOf(…, 寿光市科技局);
* ``named-after``: …李文波劳模创新工作室 -> memberOf(李文波, …);
* ``cooperation``: 甲与乙…签署/合作/共建, 甲联合乙、丙…;
* ``run-verb`` and ``body-quote``: 甲开展/推出/印发 … 方案, 寿光市科技局“科技红娘”;
* ``participation-verb``: 甲荣获/参与/纳入 … 大赛/体系.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .clean import is_cjk
from .doc import ORGANISATION_TYPES, Doc, Mention, Relation
from .gazetteer import canonical_place, gazetteer
from .people import titles

SCHEME_TYPES = ("Programme", "Event")


@dataclass(frozen=True)
class Span:
    """A mention placed in the clean text."""

    start: int
    end: int
    m: Mention

    @property
    def key(self) -> tuple[str, str]:
        return self.m.key


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, ...]]:
    data = lexicon.rules("relations.json")
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in data.items() if not k.startswith("_")}


class Sentences:
    """Mentions of one document indexed by position, and sentence lookup."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        spans = []
        for m in doc.mentions:
            s, e = doc.clean.to_clean(m.start, m.end)
            spans.append(Span(s, e, m))
        self.spans = sorted(spans, key=lambda x: (x.start, -x.end))
        self.starts = [x.start for x in self.spans]
        self.by_end: dict[int, list[Span]] = {}
        self.by_start: dict[int, list[Span]] = {}
        for x in self.spans:
            self.by_end.setdefault(x.end, []).append(x)
            self.by_start.setdefault(x.start, []).append(x)
        for d in (self.by_end, self.by_start):
            for v in d.values():
                v.sort(key=lambda x: -(x.end - x.start))

    def within(self, start: int, end: int) -> list[Span]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.spans) and self.spans[i].start < end:
            if self.spans[i].end <= end:
                out.append(self.spans[i])
            i += 1
        return out

    def ending_at(self, pos: int, types: tuple[str, ...]) -> Span | None:
        for x in self.by_end.get(pos, []):
            if x.m.type in types:
                return x
        return None

    def starting_at(self, pos: int, types: tuple[str, ...]) -> Span | None:
        for x in self.by_start.get(pos, []):
            if x.m.type in types:
                return x
        return None


def _relation(doc: Doc, subj: tuple[str, str], pred: str, obj: tuple[str, str], sent, rule: str,
              role: str = "") -> Relation:
    o_start, o_end = doc.clean.to_original(sent.start, sent.end)
    return Relation(subject=subj, predicate=pred, object=obj, start=o_start, end=o_end,
                    evidence=doc.text[sent.start:sent.end].strip(), rule=rule, role=role)


def _titles_ending_at(text: str, pos: int) -> list[str]:
    """The titles that end at ``pos``, longest first (党委书记, 书记)."""
    return [t for t in _titles_by_length() if pos - len(t) >= 0 and text[pos - len(t):pos] == t]


@lru_cache(maxsize=1)
def _titles_by_length() -> tuple[str, ...]:
    return tuple(sorted(titles(), key=len, reverse=True))


_COMPANY_POINTERS = ("该公司", "该企业", "公司", "企业")


@lru_cache(maxsize=1)
def _org_endings() -> tuple[str, ...]:
    """Bare organisation endings (分局, 公司) that stand for the nearest body with that ending."""
    return tuple(sorted({row[0] for row in lexicon.table("org_suffixes.tsv") if len(row[0]) >= 2},
                        key=len, reverse=True))


def _org_before(idx: Sentences, pos: int, floor: int, prior_orgs: list[Span],
                types: tuple[str, ...] = ORGANISATION_TYPES) -> tuple[Span | None, int, int]:
    """The body right before a title, allowing a unit in between (该公司|技术中心|总工程师).

    Returns (body, where its words start, where they end); a pointer (该公司, 分局)
    stands for the nearest earlier body of the article with that ending.
    """
    text = idx.text
    for gap in range(0, 7):
        at = pos - gap
        if at < floor:
            break
        if gap and not (is_cjk(text[at]) and text[at] not in "的和与及、在是为"):
            break
        org = idx.ending_at(at, types)
        if org:
            return org, org.start, at
        for w in _COMPANY_POINTERS + tuple("该" + e for e in _org_endings()) + _org_endings():
            if at - len(w) >= floor and text[at - len(w):at] == w:
                ending = w.lstrip("该")
                for p in reversed(prior_orgs):
                    if p.end <= at - len(w) and (p.m.type == "Company" if w in _COMPANY_POINTERS
                                                 else p.m.name.endswith(ending)):
                        return p, at - len(w), at
                return None, pos, pos
    return None, pos, pos


def _description_start(text: str, end: int, floor: int, reach: int = 10) -> int:
    """Where a description ending at ``end`` starts: at the list mark or comma before it, at most
    ``reach`` characters back, a quoted name counting as one (“北斗科创·界别同心汇”牵头委员)."""
    back, left = end, reach
    while back > floor and left > 0 and text[back - 1] not in "、，。；：":
        if text[back - 1] == "”":
            opened = text.rfind("“", floor, back - 1)
            if opened >= 0 and "”" not in text[opened:back - 1]:
                back = opened
                left -= 1
                continue
        back -= 1
        left -= 1
    return back


def _title_and_body(idx: Sentences, pos: int, floor: int,
                    orgs_before: list[Span]) -> tuple[str, Span | None, int, int]:
    """The title ending at ``pos`` and the body right before it (as ``_org_before``): the longest
    title, unless a shorter one leaves its head to a body's name (端庄社区党委|书记, where 党委书记
    is a title too).  ("", None, pos, pos) when no title ends there."""
    candidates = _titles_ending_at(idx.text, pos)
    for title in candidates:
        tstart = pos - len(title)
        body, words_start, words_end = _org_before(idx, tstart, floor, [o for o in orgs_before if o.end <= tstart],
                                                   ORGANISATION_TYPES + SCHEME_TYPES)
        if body is not None:
            return title, body, words_start, words_end
    if not candidates:
        return "", None, pos, pos
    return candidates[0], None, pos - len(candidates[0]), pos - len(candidates[0])


def title_frames(doc: Doc, idx: Sentences) -> list[Relation]:
    """Chains of [body] title before a name: 坊子区政协常委、区科技局局长、“…”牵头委员张海霞."""
    out = []
    kinds = titles()
    for sent in doc.sentences:
        spans = idx.within(sent.start, sent.end)
        article_start = doc.articles[sent.article].start
        orgs_before = [x for x in idx.spans if x.m.type in ORGANISATION_TYPES and article_start <= x.start
                       and x.end <= sent.end]
        for p in spans:
            if p.m.type != "Person":
                continue
            pos, groups, pending = p.start, [], []
            while pos > sent.start:
                title, body, words_start, words_end = _title_and_body(idx, pos, sent.start, orgs_before)
                if not title:
                    break
                tstart = pos - len(title)
                if body is not None and body.m.key != p.m.key:
                    groups.append((body, [idx.text[words_end:pos]] + pending, kinds[title]))
                    pending = []
                    pos = words_start
                elif idx.text[tstart - 1:tstart] in ("、", "，") or tstart == sent.start:
                    pending.insert(0, title)  # 党组书记、局长: a bare title shares the body on its left
                    pos = tstart
                else:
                    # 山东省劳动模范、富民兴鲁奖章获得者: a description, skipped to the list mark before it
                    back = _description_start(idx.text, tstart, sent.start)
                    if idx.text[back - 1:back] != "、":
                        break
                    pos = back
                if pos > sent.start and idx.text[pos - 1] in "、，":
                    pos -= 1
                    continue
                break
            for body, roles, kind in groups:
                lead = next((t for t in _titles_by_length() if roles[0].startswith(t)), "")
                if kinds.get(lead) == "member":
                    kind, roles = "member", []  # 服务队成员焊接专家: a member, described as an expert
                if body.m.type in SCHEME_TYPES:
                    out.append(_relation(doc, p.key, "participatesIn", body.key, sent, "title-frame"))
                elif kind == "position" or any(kinds.get(r) == "position" for r in roles):
                    out.append(_relation(doc, p.key, "holdsPosition", body.key, sent, "title-frame",
                                         role="、".join(roles)))
                elif kind == "member":
                    out.append(_relation(doc, p.key, "memberOf", body.key, sent, "title-frame"))
    return out


def bylines(doc: Doc, idx: Sentences) -> list[Relation]:
    out = []
    for b in doc.bylines:
        if not b.newspaper:
            continue
        cs, _ = doc.clean.to_clean(b.start, b.end)
        org = next((x for x in idx.spans if x.m.text == b.newspaper and x.end <= cs and cs - x.end < 12), None)
        sent = doc.sentence_at(cs)
        if org and sent:
            out.append(_relation(doc, (b.name, "Person"), "holdsPosition", org.key, sent, "byline", role=b.role))
    return out


def _leading_places(name: str, doc_places: set[str], gazetteer_too: bool = True) -> list[str]:
    """The places a name starts with, in order (潍坊市坊子区政协 -> 潍坊市, 坊子区)."""
    out = []
    rest = name
    gaz = gazetteer()
    while rest:
        hit = ""
        for k in range(min(len(rest) - 1, 12), 1, -1):
            head = rest[:k]
            if head in doc_places or (gazetteer_too and gaz.is_place(head)):
                hit = head
                break
        if not hit:
            break
        out.append(hit)
        rest = rest[len(hit):]
    return out


def name_places(doc: Doc, idx: Sentences) -> list[Relation]:
    out = []
    home = doc.city
    doc_places = {x.m.name for x in idx.spans if x.m.type == "Place"} | {x.m.text for x in idx.spans if x.m.type == "Place"}
    org_names = sorted({x.m.name for x in idx.spans if x.m.type in ORGANISATION_TYPES}, key=len, reverse=True)
    seen = set()
    for x in idx.spans:
        if x.m.type not in ORGANISATION_TYPES + ("Event", "Place") or x.key in seen:
            continue
        name = x.m.name
        predicate = "partOf" if x.m.type == "Place" else "locatedIn"
        if x.m.type == "Event":
            inner = _bracketed_place(name)
            if inner:
                place = canonical_place(inner, home)
                seen.add(x.key)
                sent = doc.sentence_at(x.start)
                out.append(_relation(doc, x.key, "locatedIn", (place, "Place"), sent, "name-place"))
                continue
            name = name.lstrip("0123456789年度第届期首一二三四五六七八九十")
        # a place is part of a place its name starts with only when the page names that place too
        # (朝阳街道 is not in 朝阳市; 凤凰苑 is not in 凤凰县)
        chain = _leading_places(name, doc_places, gazetteer_too=x.m.type != "Place")
        if not chain or len("".join(chain)) >= len(name):
            chain = []
        # a branch is where the place after its parent's name says (潍坊银行|坊子|管辖行, 中国银行|寿光|支行)
        parent = _parent_name(name, org_names)
        branch = _leading_places(name[len(parent):], doc_places) if parent and x.m.type != "Place" else []
        if branch and len("".join(branch)) < len(name) - len(parent):
            chain = branch
        if not chain:
            continue
        seen.add(x.key)
        narrow = chain[-1]
        place = narrow if narrow in doc_places and not gazetteer().is_place(narrow) else canonical_place(narrow, home)
        if place == name:
            continue
        sent = doc.sentence_at(x.start)
        out.append(_relation(doc, x.key, predicate, (place, "Place"), sent, "name-place"))
    return out


def _bracketed_place(name: str) -> str:
    if "（" in name and "）" in name:
        inner = name[name.index("（") + 1 : name.index("）")]
        if gazetteer().is_place(inner):
            return inner
    return ""


def located_phrases(doc: Doc, idx: Sentences) -> list[Relation]:
    """位于X的Y, Y落户X, Y在X举办 / 在X举办Y."""
    out = []
    text = idx.text
    words = _words()
    for sent in doc.sentences:
        spans = idx.within(sent.start, sent.end)
        places = [x for x in spans if x.m.type == "Place"]
        for pl in places:
            # the chain of places this one ends (寿光市圣城街道): take the last
            chain_end = pl
            while True:
                nxt = idx.starting_at(chain_end.end, ("Place",))
                if not nxt:
                    break
                chain_end = nxt
            if chain_end is not pl:
                continue
            before = text[sent.start:_chain_start(idx, pl)]
            after = text[pl.end:sent.end]
            # 位于X(的)Y
            if before.endswith(("位于", "地处", "坐落于")):
                tgt = _first_org_after(idx, pl.end, sent.end, allow="的 ")
                if tgt:
                    out.append(_relation(doc, tgt.key, "locatedIn", pl.key, sent, "located-phrase"))
            # Y落户X / Y位于X
            for verb in ("落户", "位于", "落地", "地处"):
                if before.endswith(verb):
                    src = idx.ending_at(_chain_start(idx, pl) - len(verb), ORGANISATION_TYPES + SCHEME_TYPES)
                    if src:
                        out.append(_relation(doc, src.key, "locatedIn", pl.key, sent, "located-phrase"))
            # 在X举办(了)…Y / Y在X举办
            if before.endswith("在"):
                held = next((v for v in words["held_in_verbs"] if after.startswith(v) or after.startswith(v[:1] + "行")), "")
                if held or after[:3].startswith(tuple(words["held_in_verbs"])):
                    ev = idx.ending_at(_chain_start(idx, pl) - 1, ("Event",))
                    if not ev:
                        ev = next((x for x in spans if x.m.type == "Event" and x.start >= pl.end), None)
                    if ev:
                        out.append(_relation(doc, ev.key, "locatedIn", pl.key, sent, "located-phrase"))
    return out


def _chain_start(idx: Sentences, pl: Span) -> int:
    start = pl.start
    while True:
        prev = idx.ending_at(start, ("Place",))
        if not prev:
            return start
        start = prev.start


def _first_org_after(idx: Sentences, pos: int, limit: int, allow: str) -> Span | None:
    while pos < limit and idx.text[pos] in allow:
        pos += 1
    return idx.starting_at(pos, ORGANISATION_TYPES)


def adjacent_places(doc: Doc, idx: Sentences) -> list[Relation]:
    out = []
    gaz = gazetteer()
    for x in idx.spans:
        if x.m.type != "Place":
            continue
        nxt = idx.starting_at(x.end, ("Place",))
        if not nxt or nxt.m.name == x.m.name:
            continue
        if x.m.name in gaz.parents_of(nxt.m.name) or not gaz.parents_of(nxt.m.name) or _level_rank(nxt.m.name) > _level_rank(x.m.name):
            if nxt.m.name in _ancestors(x.m.name):
                continue
            sent = doc.sentence_at(x.start)
            out.append(_relation(doc, nxt.key, "partOf", x.key, sent, "adjacent-places"))
    return out


def _ancestors(name: str) -> set[str]:
    return gazetteer().parents_of(name)


def _level_rank(name: str) -> int:
    order = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "town": 4}
    for d in gazetteer().candidates(name):
        if d.name == name:
            return order.get(d.level, 5)
    return 5


def _parent_name(name: str, names: list[str]) -> str:
    """The longest of ``names`` (sorted longest first) that ``name`` starts with and goes beyond:
    寿光市科技局 for 寿光市科技局规划科; "" if none."""
    return next((p for p in names if len(p) < len(name) and name.startswith(p)), "")


def name_parents(doc: Doc, idx: Sentences) -> list[Relation]:
    out = []
    orgs = {}
    for x in idx.spans:
        if x.m.type in ORGANISATION_TYPES:
            orgs.setdefault(x.m.name, x)
    names = sorted(orgs, key=len, reverse=True)
    for name, x in orgs.items():
        parent = _parent_name(name, names)
        if parent:
            sent = doc.sentence_at(x.start)
            out.append(_relation(doc, x.key, "subOrganizationOf", orgs[parent].key, sent, "name-parent"))
    return out


def named_after(doc: Doc, idx: Sentences) -> list[Relation]:
    """A studio named after a person of the page has them as a member (大洋泊车股份有限公司李文波劳模创新工作室)."""
    people = {x.m.name: x for x in idx.spans if x.m.type == "Person" and len(x.m.name) >= 2}
    out, seen = [], set()
    for x in idx.spans:
        if x.m.type not in ORGANISATION_TYPES or x.key in seen or not x.m.name.endswith(_words()["named_after_member_endings"]):
            continue
        for name, person in people.items():
            if name in x.m.name:
                seen.add(x.key)
                out.append(_relation(doc, person.key, "memberOf", x.key, doc.sentence_at(x.start), "named-after"))
    return out


def cooperation(doc: Doc, idx: Sentences) -> list[Relation]:
    out = []
    text = idx.text
    words = _words()
    for sent in doc.sentences:
        s_text = text[sent.start:sent.end]
        if not any(w in s_text for w in words["cooperation_words"]):
            continue
        spans = [x for x in idx.within(sent.start, sent.end) if x.m.type in ORGANISATION_TYPES]
        if not spans:
            continue
        for link in words["cooperation_links"]:
            pos = sent.start
            while (i := text.find(link, pos, sent.end)) >= 0:
                pos = i + len(link)
                right = _org_list(idx, i + len(link), sent.end)
                if not right:
                    continue
                left = idx.ending_at(i, ORGANISATION_TYPES)
                if left is None and link in ("联合", "携手", "会同"):
                    left = next((x for x in spans if x.end <= i), None)
                if left is None:
                    # 甲与乙…达成合作协议，与丙…建立合作关系: the sentence's subject cooperates with 丙
                    opening = _outermost(idx.within(sent.start, i))
                    if opening and opening[0].m.type in ORGANISATION_TYPES:
                        left = opening[0]
                if left is None:
                    # “北斗科创·界别同心汇”…深化与中国科学院、山东大学…合作: partners of a scheme take part in it
                    topic = _topic(idx, doc, doc.sentence_index(sent), SCHEME_TYPES)
                    if topic and any(w in text[i:sent.end] for w in words["cooperation_words"]):
                        out.extend(_relation(doc, r.key, "participatesIn", topic[0].key, sent, f"scheme-partner:{link}")
                                   for r in right)
                    continue
                if left is None or not any(w in text[i:sent.end] for w in words["cooperation_words"]):
                    continue
                for r in right:
                    if r.key != left.key:
                        out.append(_relation(doc, left.key, "cooperatesWith", r.key, sent, f"cooperation:{link}"))
    return out


def _org_list(idx: Sentences, pos: int, limit: int) -> list[Span]:
    """Organisations listed from ``pos``: 市委组织部、市人社局、市科技局."""
    out = []
    while pos < limit:
        x = idx.starting_at(pos, ORGANISATION_TYPES)
        if not x:
            break
        out.append(x)
        pos = x.end
        if pos < limit and idx.text[pos] in "、和及":
            pos += 1
        else:
            break
    return out


def _clause_start(text: str, floor: int, pos: int) -> int:
    return max(floor, max(text.rfind(c, floor, pos) for c in "，；：。") + 1)


def _outermost(found: list[Span]) -> list[Span]:
    return [x for x in found if not any(o is not x and o.start <= x.start and x.end <= o.end for o in found)]


def _clause_subjects(idx: Sentences, spans: list[Span], floor: int, pos: int,
                     types: tuple[str, ...]) -> list[Span]:
    """Who acts at ``pos``: the nearest body before it in its clause, with the bodies listed with it.

    甲“望海山”小米、乙“沂山谷道”小米荣获… gives both; a body after 与/和 is a partner, not the actor.
    """
    start = _clause_start(idx.text, floor, pos)
    found = _outermost([x for x in spans if start <= x.start and x.end <= pos and x.m.type in types])
    found = [x for x in found if idx.text[x.start - 1:x.start] not in ("与", "同", "跟")]
    if not found:
        return []
    group = [found[-1]]
    for x in reversed(found[:-1]):
        between = idx.text[x.end:group[-1].start]
        # listed together: only list marks, or a quoted brand and its product word between (“望海山”小米、)
        if set(between) <= set("、和及") or between in ("联合", "会同", "携手") or (
                between.endswith("、") and len(between) <= 10
                                           and not any(v in between for v in _words()["run_verbs"])):
            group.append(x)
        else:
            break
    return group


def _topic(idx: Sentences, doc: Doc, sent_index: int, types: tuple[str, ...]) -> list[Span]:
    """The name a sentence (or the one before it, in the same article) opens with, if of ``types``."""
    for i in (sent_index, sent_index - 1):
        if i < 0 or doc.sentences[i].article != doc.sentences[sent_index].article:
            continue
        sent = doc.sentences[i]
        opening = _outermost(idx.within(sent.start, sent.end))
        if opening:
            return opening[:1] if opening[0].m.type in types else []
    return []


def schemes(doc: Doc, idx: Sentences) -> list[Relation]:
    """runs and participatesIn: who launches, hosts or takes part in a programme or event."""
    out = []
    text = idx.text
    words = _words()
    for si, sent in enumerate(doc.sentences):
        spans = idx.within(sent.start, sent.end)
        for sc in spans:
            if sc.m.type not in SCHEME_TYPES:
                continue
            # 寿光市科技局“科技红娘”: a body right before a quoted scheme runs it
            body = idx.ending_at(sc.start, ("GovernmentBody", "Organization"))
            if body:
                out.append(_relation(doc, body.key, "runs", sc.key, sent, "body-quote"))
                continue
            left = text[sent.start:sc.start]
            hits = [(left.rfind(v), v, pred) for pred, key in (("runs", "run_verbs"),
                                                                ("participatesIn", "participation_verbs"))
                    for v in words[key]]
            pos, verb, pred = max(hits, key=lambda t: (t[0], len(t[1])))
            if pos < 0:
                continue
            vpos = sent.start + pos
            types = ORGANISATION_TYPES if pred == "runs" else ORGANISATION_TYPES + ("Person",)
            subjects = _clause_subjects(idx, spans, sent.start, vpos, types)
            if not subjects:
                # the actor named earlier in the sentence, or the one the previous sentence opened with
                earlier = [x for x in _outermost([x for x in spans if x.end <= vpos and x.m.type in types])
                           if text[x.start - 1:x.start] not in ("与", "同", "跟")]
                subjects = earlier[-1:] or (_topic(idx, doc, si, ORGANISATION_TYPES) if pred == "runs" else [])
            for subj in subjects:
                if subj.key != sc.key and not (subj.start <= sc.start and sc.end <= subj.end):
                    out.append(_relation(doc, subj.key, pred, sc.key, sent, f"{pred}-verb:{verb}"))
    return out


def founded_units(doc: Doc, idx: Sentences) -> list[Relation]:
    """甲成立/组建/设立…乙 (乙 a team, office or alliance) and 在甲的领导下: 乙 is a unit of 甲."""
    out = []
    text = idx.text
    verbs = _words()["founding_verbs"]
    for si, sent in enumerate(doc.sentences):
        spans = idx.within(sent.start, sent.end)
        orgs = _outermost([x for x in spans if x.m.type in ORGANISATION_TYPES])
        for unit in orgs:
            left = text[sent.start:unit.start]
            pos, verb = max((left.rfind(v), v) for v in verbs)
            if pos < 0:
                continue
            vpos = sent.start + pos
            if any(c in "，。；：、" for c in text[vpos + len(verb):unit.start]):
                continue  # 联盟的成立，…: the verb is not founding this body
            if any(x.m.type in ORGANISATION_TYPES and vpos < x.start < unit.start for x in orgs):
                continue  # another body stands between the verb and this one
            parents = _clause_subjects(idx, spans, sent.start, vpos, ORGANISATION_TYPES) or \
                _topic(idx, doc, si, ORGANISATION_TYPES)
            for parent in parents[:1]:
                if parent.key != unit.key:
                    out.append(_relation(doc, unit.key, "subOrganizationOf", parent.key, sent, "founding-verb"))
        for x in orgs:
            if text.startswith("的领导下", x.end) and text[x.start - 1:x.start] == "在":
                for subj in _topic(idx, doc, si, ORGANISATION_TYPES):
                    if subj.key != x.key:
                        out.append(_relation(doc, subj.key, "subOrganizationOf", x.key, sent, "led-by"))
    return out


def shared_venue(doc: Doc, rels: list[Relation]) -> list[Relation]:
    """Events joined by 暨 are held in the same place (研讨会暨…大赛在潍坊举办)."""
    text = doc.text
    events = sorted((doc.clean.to_clean(m.start, m.end), m) for m in doc.mentions if m.type == "Event")
    venue = {r.subject: r for r in rels if r.predicate == "locatedIn" and r.subject[1] == "Event"}
    out = []
    for (a, ma), (b, mb) in zip(events, events[1:]):
        if a[1] < len(text) and text[a[1]] == "暨" and b[0] == a[1] + 1:
            for src, dst in ((mb.key, ma.key), (ma.key, mb.key)):
                if src in venue and dst not in venue:
                    r = venue[src]
                    out.append(Relation(subject=dst, predicate="locatedIn", object=r.object, start=r.start,
                                        end=r.end, evidence=r.evidence, rule="shared-venue"))
    return out


def _latest_event(idx: Sentences, doc: Doc, sent, ending: str = "", window: int = 2) -> Span | None:
    """The last event named in this sentence or the ``window`` before it, in the same article."""
    i = doc.sentence_index(sent)
    first = next(doc.sentences[j] for j in range(max(0, i - window), i + 1)
                 if doc.sentences[j].article == sent.article)
    found = [x for x in idx.within(first.start, sent.end) if x.m.type == "Event" and x.m.name.endswith(ending)]
    return found[-1] if found else None


def event_participants(doc: Doc, idx: Sentences) -> list[Relation]:
    """Who takes part in an event the sentence refers back to.

    * 本次研讨会上／会上，甲、乙专家作了专题报告: 甲 and 乙;
    * 甲“…”等7个品牌的小米荣获优质奖 (the awards of the event just reported): 甲;
    * 潍坊市奎文区图书馆新华新阅分馆开馆暨…主题活动: the body the event is named after.
    """
    out = []
    text = idx.text
    words = _words()
    for sent in doc.sentences:
        spans = idx.within(sent.start, sent.end)
        s_text = text[sent.start:sent.end]
        event = None
        rule = ""
        for p in words["event_pointers"]:
            i = s_text.find(p)
            if i >= 0:
                ending = next((w for w in _event_endings() if s_text.startswith(w, i + len(p))), "")
                if ending:
                    event, rule = _latest_event(idx, doc, sent, ending), "event-pointer"
                    break
        if event is None and s_text.startswith(tuple(words["event_sittings"])):
            event, rule = _latest_event(idx, doc, sent), "event-sitting"
        if event is None and any(a in s_text for a in words["awards"]) and \
                not any(x.m.type in SCHEME_TYPES for x in spans):
            event, rule = _latest_event(idx, doc, sent), "event-award"
        if event is not None:
            for x in _outermost([x for x in spans if x.m.type in ORGANISATION_TYPES]):
                out.append(_relation(doc, x.key, "participatesIn", event.key, sent, rule))
        for x in spans:
            if x.m.type == "Event":
                for o in idx.within(x.start, x.end):
                    if o.m.type in ORGANISATION_TYPES and o.start == x.start:
                        out.append(_relation(doc, o.key, "participatesIn", x.key, sent, "event-name"))
    return out


@lru_cache(maxsize=1)
def _event_endings() -> tuple[str, ...]:
    return tuple(sorted((row[0] for row in lexicon.table("scheme_suffixes.tsv") if row[1] == "Event"),
                        key=len, reverse=True))


RULE_FAMILIES = (title_frames, bylines, name_places, located_phrases, adjacent_places, name_parents,
                 named_after, founded_units, cooperation, schemes, event_participants)


def _without_cycles(rels: list[Relation]) -> list[Relation]:
    """A body cannot be a unit of its own unit: of two opposite subOrganizationOf, the first stays."""
    kept, seen = [], set()
    for r in rels:
        if r.predicate == "subOrganizationOf":
            if (r.object, r.subject) in seen:
                continue
            seen.add((r.subject, r.object))
        kept.append(r)
    return kept


def relate(doc: Doc) -> Doc:
    idx = Sentences(doc)
    seen = set()
    rels = []
    for family in RULE_FAMILIES:
        for r in family(doc, idx):
            key = (r.subject, r.predicate, r.object)
            if r.predicate == "cooperatesWith":
                key = (min(r.subject, r.object), r.predicate, max(r.subject, r.object))
            if key in seen or r.subject == r.object:
                continue
            seen.add(key)
            rels.append(r)
    rels = _without_cycles(rels)
    for r in shared_venue(doc, rels):
        key = (r.subject, r.predicate, r.object)
        if key not in seen:
            seen.add(key)
            rels.append(r)
    doc.relations = rels
    return doc
