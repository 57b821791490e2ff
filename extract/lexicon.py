"""Loading the data files under lexicons/ and rules/ (one entry a line, # comments)."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources


def _read(folder: str, name: str) -> str:
    return resources.files(__package__).joinpath(folder, name).read_text("utf-8")


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """A one-column lexicon as a set."""
    return frozenset(row[0] for row in table(name))


@lru_cache(maxsize=None)
def ordered_words(name: str) -> tuple[str, ...]:
    return tuple(row[0] for row in table(name))


@lru_cache(maxsize=None)
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated lexicon: one tuple of fields a line, comments dropped."""
    rows = []
    for line in _read("lexicons", name).splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            rows.append(tuple(f.strip() for f in line.split("\t")))
    return tuple(rows)


@lru_cache(maxsize=None)
def rules(name: str):
    """A JSON rule file under rules/."""
    return json.loads(_read("rules", name))


class JiebaDictionary:
    """jieba's shipped dictionary: word -> (frequency, part-of-speech tag), read like a dict.

    Its 349,000 words are kept as text, a block of "word frequency tag" lines
    per first character, and a block is parsed on the first lookup of a word
    it holds: a dict of every word took longer to build (0.1-0.3 s) than all
    the rest of loading the extractor, and a page looks up only a few hundred.
    """

    def __init__(self, lines_by_initial: dict[str, str]) -> None:
        self._lines_by_initial = lines_by_initial
        self._parsed: dict[str, dict[str, tuple[int, str]]] = {}

    def _words_starting(self, initial: str) -> dict[str, tuple[int, str]]:
        words = self._parsed.get(initial)
        if words is None:
            block = self._lines_by_initial.get(initial)
            words = {}
            for line in block.split("\n") if block else ():
                word, freq, tag = line.split(" ")
                words[word] = (int(freq), tag)
            self._parsed[initial] = words  # (threads that meet here parse the same block: either result is right)
        return words

    def get(self, word: str, default=None):
        return self._words_starting(word[:1]).get(word, default)

    def __getitem__(self, word: str) -> tuple[int, str]:
        return self._words_starting(word[:1])[word]

    def __contains__(self, word: str) -> bool:
        return word in self._words_starting(word[:1])

    def items(self) -> Iterator[tuple[str, tuple[int, str]]]:
        for initial in self._lines_by_initial:
            yield from self._words_starting(initial).items()


def _jieba_dictionary_lines() -> dict[str, str]:
    """jieba's dict.txt as "word frequency tag" lines by the word's first character (a word listed
    twice keeps its last line, as a dict of the file would)."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    lines: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                lines.setdefault(parts[0][0], []).append(f"{parts[0]} {int(parts[1])} {parts[2]}")
    return {initial: "\n".join(block) for initial, block in lines.items()}


@lru_cache(maxsize=1)
def jieba_dictionary() -> JiebaDictionary:
    """word -> (frequency, part-of-speech tag) from jieba's shipped dictionary."""
    from zhitu.cache import load_or_build

    return JiebaDictionary(load_or_build("jieba-dictionary", dict, _jieba_dictionary_lines))
