"""Place names from maintained sources -> Place mentions.

China's administrative divisions come from jionlp's division list (province,
prefecture, county and town levels, with official short forms); countries
and foreign cities from jionlp's world list; continents, regions, rivers and
other natural places from ``lexicons/places_extra.txt``.  Villages (the fifth
level, 300k names, most of them not unique) are left to the patterns, which
find "X村"/"X社区" next to a known place.

A match must start on a word boundary, and a short form ("寿光" for 寿光市)
must also end on one, so 高密 is not found inside 高密度.  So matching looks
up, at each word start, the names beginning with its two characters (every
name has at least two): a few dictionary lookups per word, where an
Aho-Corasick automaton of 41,000 names walked every character and spent most
of a sentence's time at its root, whose thousands of branches pyahocorasick
searches one by one.
"""
from __future__ import annotations

import importlib.util
import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .clean import is_cjk
from .doc import Doc, Mention
from .segment import tokenizer

LEVELS = ("province", "prefecture", "county", "town")


@dataclass(frozen=True)
class Division:
    name: str  # full official name, e.g. 寿光市
    level: str  # one of LEVELS, or "country"/"region"
    parents: tuple[str, ...]  # full names, nearest first
    short: str = ""


def _jionlp_dictionary_dir() -> str:
    # Located without importing jionlp: its import prints a banner and loads models.
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jionlp is not installed; it ships the administrative-division list")
    return os.path.join(list(spec.submodule_search_locations)[0], "dictionary")


def _china_divisions() -> list[Division]:
    path = os.path.join(_jionlp_dictionary_dir(), "china_location.zip")
    with zipfile.ZipFile(path) as z:
        raw = z.read("china_location.txt").decode("utf-8")
    out: list[Division] = []
    chain: list[str] = []
    for line in io.StringIO(raw):
        depth = len(line) - len(line.lstrip("\t"))
        if depth >= len(LEVELS):
            continue
        fields = line.strip().split("\t")
        name = fields[0]
        short = fields[2] if len(fields) > 2 else ""
        del chain[depth:]
        # municipalities repeat themselves one level down (上海市 / 上海市)
        parents = tuple(p for p in reversed(chain) if p != name)
        if depth == 3 and parents and name.startswith(parents[0]) and len(name) > len(parents[0]) + 1:
            # 高密市朝阳街道 is listed with its city: the street itself is 朝阳街道
            name = name[len(parents[0]):]
        out.append(Division(name=name, level=LEVELS[depth], parents=parents, short=short))
        chain.append(name)
    return out


def _world_places() -> list[Division]:
    path = os.path.join(_jionlp_dictionary_dir(), "world_location.txt")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3:
                continue
            short, full, capital = fields[0], fields[1], fields[2]
            out.append(Division(name=short, level="country", parents=(), short=""))
            if short == "中国":
                continue  # China's cities are in the division list, with their full names
            if full != short:
                out.append(Division(name=full, level="country", parents=(), short=""))
            for city in [capital] + (fields[3].split("/") if len(fields) > 3 else []):
                if city and city != short:
                    out.append(Division(name=city, level="foreign-city", parents=(short,)))
    return out


@dataclass
class Gazetteer:
    # surface -> candidate divisions; full names and short forms both
    by_surface: dict[str, list[Division]]
    # a surface's first two characters -> the lengths of the surfaces that begin with them
    lengths_by_prefix: dict[str, tuple[int, ...]]
    # the characters of surfaces other than Chinese ones (刚果(金), 八五０农场): where a text holds none,
    # its matches are the same before and after full-width forms are mapped to ASCII
    other_characters: frozenset[str] = frozenset()

    def candidates(self, surface: str) -> list[Division]:
        return self.by_surface.get(surface, [])

    def parents_of(self, name: str) -> set[str]:
        return {p for d in self.by_surface.get(name, []) if d.name == name for p in d.parents}

    def is_place(self, surface: str) -> bool:
        return surface in self.by_surface


def _short_form_ok(short: str, blocked: set[str], any_tag: bool = False) -> bool:
    """Not a blocked word, and not a very common word that happens to name a division (城市).

    ``any_tag``: count the word common even when jieba tags it as a place name.
    """
    info = lexicon.jieba_dictionary().get(short)
    common = info is not None and (any_tag or info[1] != "ns") and info[0] >= 1000
    return len(short) >= 2 and short not in blocked and not common


def short_form_is_safe(short: str, limit: int = 50) -> bool:
    """A short form that is rarely anything but a place (潍坊, 聊城), not a word like 合作 or 同心.

    ``limit``: how often jieba may have seen it as something else.
    """
    info = lexicon.jieba_dictionary().get(short)
    return info is None or info[1] == "ns" or info[0] < limit


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    from zhitu.cache import load_or_build

    return load_or_build("gazetteer", Gazetteer, _build_gazetteer)


def _build_gazetteer() -> Gazetteer:
    blocked = set(lexicon.words("place_short_blocklist.txt")) | {
        row[0] for table in ("org_suffixes.tsv", "place_suffixes.tsv") for row in lexicon.table(table)
    }
    by_surface: dict[str, list[Division]] = {}

    def add(surface: str, d: Division) -> None:
        by_surface.setdefault(surface, []).append(d)

    for d in _china_divisions():
        if d.level == "town" and not _short_form_ok(d.name, set(), any_tag=True):
            continue  # a town named 城市: in running text the word, not the town
        add(d.name, d)
        if d.short and d.short != d.name and _short_form_ok(d.short, blocked):
            add(d.short, d)
    for d in _world_places():
        add(d.name, d)
    for row in lexicon.table("places_extra.txt"):
        add(row[0], Division(name=row[0], level=row[1] if len(row) > 1 else "region", parents=()))
    for surface in blocked:
        by_surface.pop(surface, None)
    lengths: dict[str, set[int]] = {}
    for surface in by_surface:
        lengths.setdefault(surface[:2], set()).add(len(surface))
    assert all(len(surface) >= 2 for surface in by_surface), "a one-character place name"
    others = frozenset(c for surface in by_surface for c in surface if not is_cjk(c))
    return Gazetteer(by_surface, {prefix: tuple(sorted(ls, reverse=True)) for prefix, ls in lengths.items()}, others)


def rank(cands: list[Division], home: str, gaz: Gazetteer) -> list[Division]:
    """Order candidates for a surface: near the paper's home city first, then higher levels."""
    home_chain = {home} | gaz.parents_of(home) if home else set()
    order = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "town": 4}

    def key(d: Division):
        near = len(home_chain & ({d.name} | set(d.parents)))
        return (-near, order.get(d.level, 5), d.name)

    return sorted(cands, key=key)


def canonical_place(surface: str, home: str = "") -> str:
    """Full name for a place surface (潍坊 -> 潍坊市), preferring the home region."""
    gaz = gazetteer()
    cands = gaz.candidates(surface)
    if not cands:
        return surface
    exact = [d for d in cands if d.name == surface]
    if exact:
        return surface
    return rank(cands, home, gaz)[0].name


def find_places(text: str, words: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, surface) for every gazetteer place on word boundaries, by end (the longest first
    where several end together).

    ``words`` are the text's word spans when the caller already has them.
    """
    if words is None:
        bounds = tokenizer().word_starts(text)
    else:
        bounds = {0, len(text)} | {s for s, _ in words} | {e for _, e in words}
    return places_between(text, bounds)


def places_between(text: str, bounds: set[int]) -> list[tuple[int, int, str]]:
    """``find_places`` given the word boundaries (every word's start, and the text's end)."""
    gaz = gazetteer()
    lengths, by_surface = gaz.lengths_by_prefix, gaz.by_surface
    found = []
    for start in bounds:
        for length in lengths.get(text[start:start + 2], ()):
            end = start + length
            surface = text[start:end]
            if surface in by_surface and len(surface) == length and (
                    end in bounds or any(d.name == surface for d in by_surface[surface])):
                found.append((start, end, surface))
    return sorted(found, key=lambda m: (m[1], m[0]))


def tag_places(doc: Doc) -> Doc:
    gaz = gazetteer()
    doc.places = find_places(doc.text, doc.words)
    for start, end, surface in doc.places:
        o_start, o_end = doc.clean.to_original(start, end)
        cands = gaz.by_surface[surface]
        full = any(d.name == surface for d in cands)
        # a short form that is also an ordinary word waits for naming to check the region, unless it
        # names a province, prefecture or country (大连 is 大连 wherever the paper is)
        major = any(d.level in ("country", "province", "prefecture") for d in cands)
        safe = full or short_form_is_safe(surface) or (major and short_form_is_safe(surface, limit=1000))
        rule = "gazetteer" if safe else "gazetteer:unsure-short-form"
        doc.mentions.append(Mention(text=surface, type="Place", start=o_start, end=o_end, rule=rule))
    return doc
