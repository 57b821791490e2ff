"""Give every mention the name of the entity it stands for, within its page.

* places take their full official name (潍坊 -> 潍坊市), nearest the paper's
  home region when a short form is ambiguous;
* city-relative names take the place the article is about: 市人社局 in a 济宁
  page -> 济宁市人社局, 区科技局 in an article on 坊子区 -> 坊子区科技局,
  省发改委 -> 山东省发改委;
* pointers take what they point back to: 该公司, 该局规划科, 该市纪委监委;
* "以下简称" defines a short form, and every later use of it is the same entity;
* a company's short form (华星医疗 for 潍坊市华星医疗器械有限公司) and a
  department's standard abbreviation (人社局 / 人力资源和社会保障局) are folded
  into the full name.

``Mention.naming`` records which of these rules chose the name.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from . import lexicon
from .clean import is_cjk
from .doc import ORGANISATION_TYPES, Article, Doc, Mention
from .gazetteer import canonical_place, gazetteer
from .segment import tokenizer

_DATELINE = re.compile(r"本报([\u4e00-\u9fff]{2,4}?)讯")
_PAPER = re.compile(r"([\u4e00-\u9fff]{2,3})日报")
_DEFINED = re.compile(r"[（(]\s*(?:以下简称|以下称|下称|简称)\s*[“\"]?([^”\"）)]{1,16})[”\"]?\s*[)）]")
ZONES = ("度假区", "高新区", "开发区", "经济区", "经开区", "新区", "园区", "示范区")
COMPANY_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "集团", "公司")


def _level(name: str) -> str:
    for d in gazetteer().candidates(name):
        if d.name == name:
            return d.level
    return ""


def _prefecture_of(name: str) -> str:
    """The prefecture-level city a division belongs to (itself for a prefecture)."""
    for d in gazetteer().candidates(name):
        if d.name != name:
            continue
        if d.level == "prefecture":
            return d.name
        if d.level in ("county", "town"):
            for p in d.parents:
                if _level(p) == "prefecture":
                    return p
    return ""


def home_city(doc: Doc) -> str:
    """The paper's own city: its dateline, its name, or the city its places belong to."""
    text = doc.text
    for pattern in (_DATELINE, _PAPER):
        for m in pattern.finditer(text):
            city = canonical_place(m.group(1))
            if _level(city) == "prefecture":
                return city
    votes: Counter[str] = Counter()
    for m in doc.mentions:
        if m.type == "Place" and m.rule == "gazetteer":
            pref = _prefecture_of(canonical_place(m.text))
            if pref:
                votes[pref] += 1
    return votes.most_common(1)[0][0] if votes else ""


def _province_of(city: str) -> str:
    for d in gazetteer().candidates(city):
        if d.name == city:
            for p in d.parents:
                if _level(p) == "province":
                    return p
    return ""


class ArticleContext:
    """What an article is about: its most-mentioned city, county, district and zone."""

    def __init__(self, doc: Doc, article: Article, home: str):
        self.home = home
        counts: dict[str, Counter[str]] = {"市": Counter(), "县": Counter(), "区": Counter()}
        self.order: list[tuple[int, str]] = []  # this article's places, in order
        self.page_places: list[tuple[int, str]] = []  # the whole page's
        for m in doc.mentions:
            if m.type != "Place":
                continue
            name = m.name or canonical_place(m.text, home)
            self.page_places.append((m.start, name))
            cs, _ = doc.clean.to_clean(m.start, m.end)
            if not (article.start <= cs < article.end):
                continue
            self.order.append((m.start, name))
            for suffix in counts:
                if name.endswith(suffix) and _level(name) in ("prefecture", "county"):
                    counts[suffix][name] += 1
        self.counts = counts

    def focus(self, marker: str) -> str:
        c = self.counts.get(marker, Counter())
        if marker == "市":
            home_hits = c.get(self.home, 0)
            best = c.most_common(1)
            if best and best[0][0] != self.home and best[0][1] > home_hits and best[0][1] >= 2:
                return best[0][0]
            return self.home
        if marker == "省":
            return _province_of(self.home)
        best = c.most_common(1)
        return best[0][0] if best else ""

    def only_place_ending_with(self, ending: str) -> str:
        """The one place of the page named with this ending (聊城度假区 for 度假区), if exactly one."""
        found = {name for _, name in self.page_places if name.endswith(ending) and name != ending}
        return found.pop() if len(found) == 1 else ""

    def nearest(self, before: int, suffixes: tuple[str, ...]) -> str:
        """The closest place before an original offset whose name ends with one of ``suffixes``."""
        hit = ""
        for start, name in self.order:
            if start >= before:
                break
            if name.endswith(suffixes):
                hit = name
        return hit


def _expand_relative(m: Mention, ctx: ArticleContext, prior: list[Mention]) -> tuple[str, str]:
    text = m.text
    if text.startswith("该"):
        return _resolve_pointer(m, ctx, prior)
    for zone in ZONES:
        if text.startswith(zone):
            place = ctx.nearest(m.start, (zone,)) or ctx.only_place_ending_with(zone)
            if place:
                return place + text[len(zone):], "zone-relative"
    marker = text[0]
    if marker in "市县区省" and len(text) > 1:
        place = ctx.focus(marker)
        if place:
            return place + text[1:], "city-relative"
    return text, ""


def _relative(text: str) -> bool:
    """Does a name only make sense relative to its page (市人社局, 区科技局, 该公司, 度假区…局)?"""
    return text.startswith("该") or (len(text) > 1 and text[0] in "市县区省") or text.startswith(ZONES)


def _resolve_pointer(m: Mention, ctx: ArticleContext, prior: list[Mention]) -> tuple[str, str]:
    """该公司 / 该局规划科 / 该市纪委监委: the nearest earlier name of that kind in the article."""
    rest = m.text[1:]
    for marker in ("市", "县", "区"):
        if rest.startswith(marker):
            place = ctx.nearest(m.start, (marker,))
            if place:
                return place + rest[1:], "pointer"
            return m.text, ""
    for cut in range(len(rest), 0, -1):
        head, tail = rest[:cut], rest[cut:]
        for p in reversed(prior):
            if p.type in ORGANISATION_TYPES and p.name.endswith(head) and not p.text.startswith("该"):
                return p.name + tail, "pointer"
    return m.text, ""


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[str, str]]:
    """(full form, short form), longest full form first."""
    pairs = []
    for row in lexicon.table("gov_abbreviations.tsv"):
        for full in row[1].split("|"):
            if full != row[0]:
                pairs.append((full, row[0]))
    return sorted(pairs, key=lambda p: -len(p[0]))


def abbreviation_key(name: str) -> str:
    """A department name with its standard long forms shortened, for matching 人社局 with 人力资源和社会保障局."""
    for full, short in _abbreviations():
        if full in name:
            return name.replace(full, short)
    return name


def _strip_places(name: str) -> str:
    """A name without the place names it starts with (山东恒发… -> 恒发…)."""
    gaz = gazetteer()
    changed = True
    while changed:
        changed = False
        for k in range(min(len(name) - 2, 8), 1, -1):
            if gaz.is_place(name[:k]):
                name = name[k:]
                changed = True
                break
    return name


def _in_region(surface: str, home: str) -> bool:
    """Is the division a short form most likely names inside the home province?"""
    province = _province_of(home)
    return bool(province) and province in gazetteer().parents_of(canonical_place(surface, home))


def _small_far_short_form(m: Mention, home: str) -> bool:
    """A county or district short form from another province (兴城, 湖滨): more often a word than a place."""
    if m.type != "Place" or not m.rule.startswith("gazetteer") or m.name == m.text:
        return False
    levels = {d.level for d in gazetteer().candidates(m.text)}
    return levels <= {"county", "town"} and not _in_region(m.text, home)


def name_mentions(doc: Doc) -> Doc:
    home = doc.city or home_city(doc)
    doc.city = home
    # an ambiguous short form stays when near home, or when a name starts with it (大连|工业大学)
    name_starts = {m.start for m in doc.mentions if m.type in ORGANISATION_TYPES + ("Event",)}
    # without a home city there is no region to judge by: the short form stays
    doc.mentions = [m for m in doc.mentions
                    if m.rule != "gazetteer:unsure-short-form" or not home or _in_region(m.text, home)
                    or m.start in name_starts]
    doc.mentions = [m for m in _name_places(doc.mentions, home)
                    if m.start in name_starts or not _small_far_short_form(m, home)]
    contexts = [ArticleContext(doc, a, home) for a in doc.articles]
    named: list[Mention] = []
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if m.type in ORGANISATION_TYPES or (m.type == "Place" and m.rule.startswith("place-suffix")):
            cs, _ = doc.clean.to_clean(m.start, m.end)
            ctx = next((c for c, a in zip(contexts, doc.articles) if a.start <= cs < a.end), contexts[0])
            name, rule = _expand_relative(m, ctx, named)
            if not rule and m.text.startswith("该"):
                continue  # 该公司 with nothing before it to point at: not a name
            if not rule and _relative(m.text):
                rule = "unresolved-relative"  # 市政府 on a page that never says which city: this page's only
            m = replace(m, name=name, naming=rule)
        elif not m.name:
            m = replace(m, name=m.text)
        named.append(m)
    doc.mentions = _retype_units(named)
    _fold_short_forms(doc)
    return doc


def _name_places(mentions: list[Mention], home: str) -> list[Mention]:
    """Places take their full names first: city-relative names need them."""
    out = []
    for m in mentions:
        if m.type == "Place":
            full = canonical_place(m.text, home)
            m = replace(m, name=full, naming="gazetteer" if full != m.text else "")
        out.append(m)
    return out


def _retype_units(mentions: list[Mention]) -> list[Mention]:
    """A unit named after its parent takes the parent's type (中国重机协会|停车设备工作委员会)."""
    parents = {m.name: m.type for m in mentions if m.type in ORGANISATION_TYPES}
    units = lexicon.ordered_words("unit_suffixes.txt")
    out = []
    for m in mentions:
        if m.type in ORGANISATION_TYPES and m.name.endswith(units):
            parent = max((p for p in parents if m.name.startswith(p) and p != m.name), key=len, default="")
            if parent and parents[parent] != m.type:
                m = replace(m, type=parents[parent])
        out.append(m)
    return out


def _fold_short_forms(doc: Doc) -> None:
    """One name per entity in the page: full forms absorb short forms and abbreviations."""
    rename: dict[tuple[str, str], str] = {}
    by_core: dict[tuple[str, str], str] = {}
    orgs = [m for m in doc.mentions if m.type in ORGANISATION_TYPES]
    for m in sorted(orgs, key=lambda m: -len(m.name)):
        # 恒发卫生用品有限公司 is 山东恒发卫生用品有限公司; 市人社局 and 市人力资源社会保障局 are one;
        # 坊子区政协 is 潍坊市坊子区政协
        for core in _cores(m):
            if len(core) < 4 or core in _org_endings():
                continue
            key = (m.type, core)
            if key in by_core and by_core[key] != m.name:
                rename[(m.name, m.type)] = by_core[key]
                break
            by_core.setdefault(key, m.name)
    # a unit known by its own name: 新华新阅分馆 is 潍坊市奎文区图书馆新华新阅分馆
    org_names = {(m.name, m.type) for m in orgs}
    # an abbreviation made of characters of the full name (北科大 is 北京科技大学, 中科院 中国科学院)
    # takes its name and its type: the full name's ending types it better than a guess
    abbreviations: dict[tuple[str, str], tuple[str, str]] = {}
    for name, type_ in org_names:
        fulls = {(full, t) for full, t in org_names if is_initial_abbreviation(name, full)}
        if len(fulls) == 1 and (name, type_) not in rename:  # 山大 beside 山东大学 and 山西大学 stays
            abbreviations[(name, type_)] = fulls.pop()
    for name, type_ in org_names:
        for parent, _ in org_names:
            full = parent + name
            if (full, type_) in org_names and (name, type_) not in rename:
                rename[(name, type_)] = full
    # “科技红娘” and “科技红娘”靶向服务; 高质量发展研讨会 inside 2025年全省…研讨会
    schemes = [m for m in doc.mentions if m.type in ("Programme", "Event")]
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in schemes:
        groups.setdefault((m.type, _scheme_core(m)), []).append(m)
    for (type_, _), ms in groups.items():
        names = Counter(m.name for m in ms)
        best = max(names, key=lambda n: (names[n], len(n)))
        for n in names:
            if n != best:
                rename[(n, type_)] = best
    for m in sorted(schemes, key=lambda m: len(m.name)):
        longer = [o.name for o in schemes if o.type == m.type and len(o.name) > len(m.name)
                  and o.name.endswith(m.name) and len(m.name) >= 5]
        if longer and (m.name, m.type) not in rename:
            rename[(m.name, m.type)] = min(longer, key=len)
    for key, (full, type_) in abbreviations.items():
        abbreviations[key] = _final(rename, (full, type_)), type_
    doc.mentions = [
        replace(m, name=_final(rename, (m.name, m.type)), naming=m.naming or "short-form")
        if (m.name, m.type) in rename else
        replace(m, name=abbreviations[m.name, m.type][0], type=abbreviations[m.name, m.type][1],
                naming=m.naming or "abbreviation")
        if (m.name, m.type) in abbreviations else m
        for m in doc.mentions
    ]


def is_initial_abbreviation(short: str, full: str) -> bool:
    """Is ``short`` the usual abbreviation of the organisation ``full``: a character of each word
    of its name, in order, then characters of its ending (北科大: 北京|科技|大学, 中科院:
    中国|科学院, 农科院: (山东省)农业|科学院; not 北大 for 北京科技大学, which leaves 科技 out:
    that is 北京大学).  A place the name starts with may be left out."""
    if not 2 <= len(short) <= 4 or len(short) >= len(full) or not all(is_cjk(c) for c in short):
        return False
    if _abbreviates(short, full):
        return True
    # (every pair of a page's names is asked: strip places only when the short form could start after them)
    return short[0] in full[1:] and _abbreviates(short, _strip_places(full))


def _abbreviates(short: str, full: str) -> bool:
    if len(short) >= len(full) or short[0] != full[0]:
        return False
    endings = _org_endings()
    ending = next((full[i:] for i in range(1, len(full)) if full[i:] in endings), "")  # the longest
    if not ending:
        return False
    position = 0
    for word, _, _ in tokenizer().tokenize(full[: -len(ending)]):
        found = next((i for i in range(position, len(short) - 1) if short[i] in word), None)
        if found is None:
            return False
        position = found + 1
    rest, at = short[position:], 0  # the rest, at least the last character, comes from the ending in order
    for c in rest:
        at = ending.find(c, at) + 1
        if not at:
            return False
    return bool(rest)


def _cores(m: Mention) -> list[str]:
    """Forms of an organisation name that identify it within one page."""
    key = abbreviation_key(m.name)
    if m.type == "Company":
        return [key, _strip_places(key)]
    # a body keeps the narrowest place it is named after: drop only the places above that one
    chain = _leading_place_chain(key)
    return [key] + ([key[len(chain[0]):]] if len(chain) >= 2 else [])


def _leading_place_chain(name: str) -> list[str]:
    out, rest, gaz = [], name, gazetteer()
    while True:
        head = next((rest[:k] for k in range(min(len(rest) - 1, 8), 1, -1) if gaz.is_place(rest[:k])), "")
        if not head:
            return out
        out.append(head)
        rest = rest[len(head):]


def _final(rename: dict[tuple[str, str], str], key: tuple[str, str]) -> str:
    seen = set()
    while key in rename and key not in seen:
        seen.add(key)
        key = (rename[key], key[1])
    return key[0]


def _scheme_core(m: Mention) -> str:
    """The quoted part of a scheme name if it has one (“科技红娘”靶向服务 -> 科技红娘)."""
    for a in m.aliases:
        if f"“{a}”" in m.text or f"‘{a}’" in m.text or f"《{a}》" in m.text:
            return a
    return m.name


@lru_cache(maxsize=1)
def _org_endings() -> frozenset[str]:
    return frozenset(row[0] for row in lexicon.table("org_suffixes.tsv"))


def _occurrences(doc: Doc, needle: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Original spans where ``needle`` occurs in the clean text outside the ``taken`` spans."""
    out, text, pos = [], doc.text, 0
    while (i := text.find(needle, pos)) >= 0:
        pos = i + 1
        o = doc.clean.to_original(i, i + len(needle))
        if not any(s <= o[0] and o[1] <= e for s, e in taken):
            out.append(o)
    return out


def _zone_aliases(doc: Doc, taken: list[tuple[int, int]]) -> list[Mention]:
    """度假区 alone, in a page that names 聊城度假区, is 聊城度假区."""
    out = []
    for zone in ZONES:
        full = {m.name for m in doc.mentions if m.type == "Place" and m.name.endswith(zone) and m.name != zone}
        if len(full) != 1:
            continue
        name = full.pop()
        for a, b in _occurrences(doc, zone, taken):
            out.append(Mention(text=zone, type="Place", start=a, end=b, rule="zone-alias", name=name,
                               naming="zone-relative"))
    return out


def add_defined_aliases(doc: Doc) -> Doc:
    """"X（以下简称“Y”）" and company short forms: every use of Y is X."""
    text = doc.text
    taken = [(m.start, m.end) for m in doc.mentions]
    ends = {doc.clean.to_clean(m.start, m.end)[1]: m for m in doc.mentions if m.type != "Place"}
    new: list[Mention] = []
    for match in _DEFINED.finditer(text):
        full = ends.get(match.start()) or ends.get(match.start() - 1)
        short = match.group(1).strip("“”\"' ")
        if not full or len(short) < 2:
            continue
        for o in _occurrences(doc, short, taken):
            new.append(Mention(text=short, type=full.type, start=o[0], end=o[1], rule="defined-alias",
                               name=full.name, naming="defined-alias"))
    for m in doc.mentions:
        if m.type != "Company" or m.naming:
            continue
        core = _strip_places(m.name)
        for form in COMPANY_FORMS:
            if core.endswith(form):
                core = core[: -len(form)]
                break
        # 华星医疗 for 潍坊市华星医疗器械有限公司: a prefix of the core that starts with an unknown word
        for k in range(len(core) - 1, 3, -1):
            short = core[:k]
            if short[:2] in lexicon.jieba_dictionary() and lexicon.jieba_dictionary()[short[:2]][0] > 100:
                break
            hits = _occurrences(doc, short, taken + [(n.start, n.end) for n in new])
            if hits:
                new.extend(Mention(text=short, type="Company", start=a, end=b, rule="short-form",
                                   name=m.name, naming="short-form") for a, b in hits)
                break
    new.extend(_zone_aliases(doc, taken + [(n.start, n.end) for n in new]))
    doc.mentions.extend(new)
    return doc
