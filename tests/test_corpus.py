"""The benchmark corpus: reproducible, newspaper-sized pages that differ from each other."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from zhitu.benchmarks.corpus import PAGE_CHARS, corpus_digest, load_sources, write_corpus
from zhitu.cli import main

SEEDS = str(Path(__file__).resolve().parent.parent / "seeds")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
SOURCES = [None] + ([str(SHARED)] if SHARED.is_dir() else [])


def texts(paths: list[str]) -> list[str]:
    return [Path(p).read_text(encoding="utf-8") for p in paths]


@pytest.mark.parametrize("sources", SOURCES, ids=lambda s: "public corpora" if s else "seeds only")
def test_pages_are_reproducible_page_sized_and_different(tmp_path, sources):
    first = write_corpus(str(tmp_path / "a"), 6, seeds_dir=SEEDS, sources_dir=sources)
    again = write_corpus(str(tmp_path / "b"), 6, seeds_dir=SEEDS, sources_dir=sources)
    assert texts(first) == texts(again)
    assert corpus_digest(first) == corpus_digest(again)
    assert len(set(texts(first))) == 6
    assert all(PAGE_CHARS[0] <= len(t) <= PAGE_CHARS[1] + 1 for t in texts(first))
    other_seed = write_corpus(str(tmp_path / "c"), 6, seed=7, seeds_dir=SEEDS, sources_dir=sources)
    assert texts(other_seed) != texts(first)


def test_a_bigger_corpus_starts_with_the_smaller_one(tmp_path):
    small = write_corpus(str(tmp_path / "small"), 3, seeds_dir=SEEDS, sources_dir=None)
    big = write_corpus(str(tmp_path / "big"), 5, seeds_dir=SEEDS, sources_dir=None)
    assert texts(big[:3]) == texts(small)


def test_seed_people_and_places_are_swapped(tmp_path):
    sources = load_sources(SEEDS, None)
    assert all(seed.people and seed.places for seed in sources.seeds)
    pages = "".join(texts(write_corpus(str(tmp_path / "p"), 10, seeds_dir=SEEDS, sources_dir=None)))
    seed_people = {name for seed in sources.seeds for name in seed.people}
    seed_cities = {full for seed in sources.seeds for level, full, _ in seed.places if level == "prefecture"}
    # renamed throughout: no seed page's person or city is left on any page
    assert not [name for name in seed_people if name in pages]
    assert not [city for city in seed_cities if city in pages]


def test_the_command_writes_the_pages(tmp_path, capsys):
    out = tmp_path / "corpus"
    assert main(["bench", "corpus", str(out), "--pages", "3", "--sources", str(tmp_path / "none"),
                 "--seeds", SEEDS]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["bench", "corpus", str(out), "--pages", "3", "--seeds", SEEDS]) == 0
    assert sorted(os.listdir(out)) == ["page_00000.txt", "page_00001.txt", "page_00002.txt"]
    assert "wrote 3 pages" in capsys.readouterr().out
