"""A reproducible corpus of newspaper-like pages for the scale benchmark: ``zhitu bench corpus``.

Each page is 3,000–5,000 characters, made of

* stretches of a seed page (``seeds/``) with its people and places swapped
  for others: surnames from ``extract/lexicons/surnames.txt``, prefectures
  and counties from the place gazetteer (``extract/gazetteer.py``), so every
  page names different bodies (济宁市科技局 becomes 邯郸市科技局) and the
  paper's home city changes with it;
* short articles (headline, byline, paragraphs) of sentences from the public
  corpora in ``../shared/benchmarks`` (CLUENER2020 train texts, People's Daily
  example.dev sentences), when that folder is there.

Half of the articles are broken into narrow columns like an OCR'd page.
Page ``i`` depends only on the seed, ``i`` and the source files, so the
1,000-page corpus starts with the 100-page one and pages 1000–1009 are the
"ten new pages" of an incremental build.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
from dataclasses import dataclass
from functools import lru_cache

from zhitu.commands.common import DEFAULT_INPUT
from zhitu.extract.read import InputError, find_pages, read_page

DEFAULT_SEED = 2025
DEFAULT_SOURCES = os.path.join("..", "shared", "benchmarks")
PAGE_CHARS = (3000, 5000)
CLUENER_TEXTS = os.path.join("cluener2020", "train.json")
PEOPLES_DAILY_SENTENCES = os.path.join("peoples_daily_ner", "example.dev")
# common characters of given names; a name is a surname and one or two of these
GIVEN_NAME_CHARS = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志宏海波"
                    "鹏辉斌宇浩凯健俊峰帅飞龙林晨雪琳颖婷慧新立春振东文博卫亮成庆德晓燕")
# words that stand right before a person's name in these papers (titles, byline roles)
NAME_CUES = ("记者", "通讯员", "局长", "书记", "主任", "县长", "市长", "镇长", "区长", "经理",
             "董事长", "负责人", "院长", "校长", "站长", "所长", "科长", "队长", "主席", "工作人员",
             "工程师", "村民", "职工", "专家")
SENTENCE_END = "。！？；…”"


@dataclass(frozen=True)
class SeedPage:
    blocks: tuple[str, ...]  # stretches between blank lines, line breaks kept
    people: tuple[str, ...]  # names to swap
    places: tuple[tuple[str, str, str], ...]  # (level, full name, short form) of each division named


@dataclass(frozen=True)
class Sources:
    seeds: tuple[SeedPage, ...]
    sentences: tuple[str, ...]  # public-corpus sentences, may be empty
    surnames: tuple[str, ...]  # most common first
    divisions: dict[str, tuple[tuple[str, str], ...]]  # level -> (full name, short form)


def write_corpus(folder: str, pages: int, seed: int = DEFAULT_SEED, seeds_dir: str = DEFAULT_INPUT,
                 sources_dir: str | None = DEFAULT_SOURCES, progress=None) -> list[str]:
    """Write pages ``page_00000.txt`` … into ``folder``; return their paths.

    ``sources_dir`` None (or the default folder missing) makes pages from the seeds alone.
    """
    if pages < 1:
        raise InputError(f"--pages must be at least 1, not {pages}")
    sources = load_sources(seeds_dir, sources_dir)
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i in range(pages):
        path = os.path.join(folder, f"page_{i:05d}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(make_page(sources, seed, i))
        paths.append(path)
        if progress:
            progress.update(i + 1)
    return paths


def corpus_digest(paths: list[str]) -> str:
    """One hash of the pages' names and bytes: two corpora with the same digest are the same input."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(os.path.basename(p).encode("utf-8") + b"\0")
        with open(p, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()[:16]


def make_page(sources: Sources, seed: int, index: int) -> str:
    rng = random.Random(f"{seed}/{index}")
    target = rng.randint(*PAGE_CHARS)
    page = rng.choice(sources.seeds)
    swap = _swapper(page, sources, rng)
    parts: list[str] = []
    length = 0
    while length < target:
        if sources.sentences and rng.random() < 0.5:
            part = _public_article(sources, rng)
        else:
            part = swap(_seed_stretch(page, rng))
        parts.append(part)
        length += len(part) + 2
    text = "\n\n".join(parts)
    # the last article runs on past the page: cut it at a sentence end, as the page's edge would
    cut = max(text.rfind(c, 0, PAGE_CHARS[1]) for c in "。！？")
    return (text[:cut + 1] if len(text) > PAGE_CHARS[1] and cut > PAGE_CHARS[0] else text[:PAGE_CHARS[1]]) + "\n"


def _seed_stretch(page: SeedPage, rng: random.Random) -> str:
    want = rng.randint(600, 1500)
    i = rng.randrange(len(page.blocks))
    out: list[str] = []
    while i < len(page.blocks) and sum(map(len, out)) < want:
        out.append(page.blocks[i])
        i += 1
    return "\n\n".join(out)


def _swapper(page: SeedPage, sources: Sources, rng: random.Random):
    """A function that renames this page's people and places, the same way throughout the page."""
    mapping = {name: _person_name(sources, rng) for name in page.people}
    for level, full, short in page.places:
        other_full, other_short = rng.choice(sources.divisions[level])
        mapping[full] = other_full
        if short:
            mapping[short] = other_short or other_full
    if not mapping:
        return lambda text: text
    pattern = re.compile("|".join(map(re.escape, sorted(mapping, key=len, reverse=True))))
    return lambda text: pattern.sub(lambda m: mapping[m.group()], text)


def _person_name(sources: Sources, rng: random.Random) -> str:
    # common surnames (the lexicon lists them first) far more often than rare ones;
    # compound ones (欧阳, 司马) now and then
    single = [s for s in sources.surnames if len(s) == 1]
    compound = [s for s in sources.surnames if len(s) > 1]
    if rng.random() < 0.02:
        surname = rng.choice(compound)
    else:
        surname = single[min(int(rng.expovariate(1 / 40)), len(single) - 1)]
    return surname + "".join(rng.choice(GIVEN_NAME_CHARS) for _ in range(rng.choice((1, 2, 2))))


def _public_article(sources: Sources, rng: random.Random) -> str:
    headline = rng.choice(sources.sentences).rstrip(SENTENCE_END + "，,")[:24]
    byline = f"本报讯（记者 {_person_name(sources, rng)}）"
    paragraphs = ["".join(rng.choice(sources.sentences) for _ in range(rng.randint(2, 5)))
                  for _ in range(rng.randint(2, 5))]
    paragraphs[0] = byline + paragraphs[0]
    if rng.random() < 0.5:  # printed in narrow columns, as OCR gives it
        width = rng.randint(14, 20)
        paragraphs = ["\n".join(p[i:i + width] for i in range(0, len(p), width)) for p in paragraphs]
        return headline + "\n" + "\n".join("　　" + p for p in paragraphs)
    return "\n\n".join([headline] + paragraphs)


@lru_cache(maxsize=4)
def load_sources(seeds_dir: str, sources_dir: str | None) -> Sources:
    from zhitu.extract import lexicon
    from zhitu.extract.gazetteer import gazetteer, short_form_is_safe

    by_surface = gazetteer().by_surface
    divisions: dict[str, dict[str, str]] = {"prefecture": {}, "county": {}}  # level -> full name -> short
    for candidates in by_surface.values():
        for d in candidates:
            if d.level in divisions:
                # short forms of cities only, and only those that are nothing but a place:
                # county short forms are words too often (合作, 湖滨)
                safe = (d.level == "prefecture" and d.short in by_surface and d.short != d.name
                        and short_form_is_safe(d.short))
                divisions[d.level][d.name] = d.short if safe else ""
    surnames = lexicon.ordered_words("surnames.txt")
    surname = "|".join(map(re.escape, sorted(surnames, key=len, reverse=True)))
    people = re.compile(rf"(?:{'|'.join(NAME_CUES)})[ 　]*((?:{surname})[\u4e00-\u9fff]{{1,2}})"
                        rf"(?=[ 　\n说介绍表示，。、）)])")
    seeds = []
    for path in find_pages([seeds_dir]):
        page = read_page(path)
        if page:
            seeds.append(_seed_page(page.text, people, divisions))
    return Sources(seeds=tuple(seeds), sentences=tuple(_public_sentences(sources_dir)), surnames=surnames,
                   divisions={level: tuple(sorted(found.items())) for level, found in divisions.items()})


def _seed_page(text: str, people: re.Pattern, divisions: dict[str, dict[str, str]]) -> SeedPage:
    places = tuple((level, full, short if short and short in text else "")
                   for level, found in divisions.items() for full, short in sorted(found.items())
                   if full in text or (short and short in text))
    blocks = tuple(b.strip("\n") for b in re.split(r"\n[ \t　]*\n", text) if b.strip())
    return SeedPage(blocks=blocks, people=tuple(sorted(set(people.findall(text)))), places=places)


def _public_sentences(sources_dir: str | None) -> list[str]:
    if sources_dir is None or (sources_dir == DEFAULT_SOURCES and not os.path.isdir(sources_dir)):
        return []
    if not os.path.isdir(sources_dir):
        raise InputError(f"{sources_dir}: no such folder (expected the public corpora, see --sources)")
    sentences = []
    cluener = os.path.join(sources_dir, CLUENER_TEXTS)
    if os.path.isfile(cluener):
        with open(cluener, encoding="utf-8") as f:
            sentences += [_as_sentence(json.loads(line)["text"]) for line in f if line.strip()]
    peoples_daily = os.path.join(sources_dir, PEOPLES_DAILY_SENTENCES)
    if os.path.isfile(peoples_daily):
        with open(peoples_daily, encoding="utf-8") as f:
            # one "character tag" a line, a blank line after each sentence
            for block in f.read().split("\n\n"):
                chars = "".join(line.split(" ", 1)[0] for line in block.splitlines() if line.strip())
                if chars:
                    sentences.append(_as_sentence(chars))
    if not sentences:
        raise InputError(f"{sources_dir}: neither {CLUENER_TEXTS} nor {PEOPLES_DAILY_SENTENCES} is there")
    return sentences


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(tuple(SENTENCE_END)) else text.rstrip("，,、") + "。"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "corpus",
        help="write a reproducible corpus of newspaper-like pages (the input of `zhitu bench scale`)",
        description="Write N pages of 3,000-5,000 characters made of the seed pages, with their people and "
        "places swapped for others, and of sentences of the public corpora (CLUENER2020, People's Daily). "
        "The same seed gives the same pages; a bigger corpus starts with the pages of a smaller one.",
    )
    p.add_argument("out", metavar="DIR", help="folder to write page_00000.txt … into")
    p.add_argument("--pages", type=int, default=100, metavar="N", help="how many pages (default: 100)")
    add_corpus_options(p)
    p.set_defaults(func=run)


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    """The options that decide what a generated corpus is made of (shared with `zhitu bench scale`)."""
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"corpus random seed (default: {DEFAULT_SEED})")
    p.add_argument("--seeds", default=DEFAULT_INPUT, metavar="DIR",
                   help=f"the seed pages the corpus varies (default: {DEFAULT_INPUT}/)")
    p.add_argument("--sources", default=DEFAULT_SOURCES, metavar="DIR",
                   help=f"folder of the public corpora (default: {DEFAULT_SOURCES}; seeds only if it is missing)")


def run(args: argparse.Namespace) -> int:
    from zhitu.build import Progress

    paths = write_corpus(args.out, args.pages, args.seed, args.seeds, args.sources,
                         progress=Progress(args.pages, "writing"))
    chars = sum(len(read_page(p).text) for p in paths)
    sentences = len(load_sources(args.seeds, args.sources).sentences)
    print(f"wrote {len(paths)} pages, {chars:,} characters, into {args.out}/ "
          f"(seed {args.seed}, {sentences:,} public sentences, digest {corpus_digest(paths)})")
    return 0
