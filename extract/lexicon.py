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
    per first character: a dict of every word took longer to build (0.1-0.3 s)
    than all the rest of loading the extractor, and a page looks up only a few
    hundred.  A word is first found by searching its block's text; a block
    looked up ``PARSE_AFTER`` times is parsed into a dict.  Parsing every block
    met (up to 30 KB) cost a fresh process's first pages more than extracting
    them (0.1 s of a page's 0.2 s); searching every time cost a long build more.
    """

    PARSE_AFTER = 32

    def __init__(self, lines_by_initial: dict[str, str]) -> None:
        self._lines_by_initial = lines_by_initial  # each block starts with "\n"
        self._parsed: dict[str, dict[str, tuple[int, str]]] = {}
        self._lookups: dict[str, int] = {}

    def _words_starting(self, initial: str) -> dict[str, tuple[int, str]]:
        words = self._parsed.get(initial)
        if words is None:
            block = self._lines_by_initial.get(initial)
            words = {}
            for line in block[1:].split("\n") if block else ():
                word, freq, tag = line.split(" ")
                words[word] = (int(freq), tag)
            self._parsed[initial] = words  # (threads that meet here parse the same block: either result is right)
        return words

    def get(self, word: str, default=None):
        initial = word[:1]
        words = self._parsed.get(initial)
        if words is not None:
            return words.get(word, default)
        lookups = self._lookups[initial] = self._lookups.get(initial, 0) + 1
        if lookups >= self.PARSE_AFTER:
            return self._words_starting(initial).get(word, default)
        block = self._lines_by_initial.get(initial)
        at = block.find(f"\n{word} ") if block and " " not in word and "\n" not in word else -1
        if at < 0:
            return default
        end = block.find("\n", at + 1)
        _, freq, tag = block[at + 1:end if end >= 0 else len(block)].split(" ")
        return int(freq), tag

    def __getitem__(self, word: str) -> tuple[int, str]:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def items(self) -> Iterator[tuple[str, tuple[int, str]]]:
        for initial in self._lines_by_initial:
            yield from self._words_starting(initial).items()


def _jieba_dictionary_lines() -> dict[str, str]:
    """jieba's dict.txt as "word frequency tag" lines by the word's first character, each block
    starting with a line break (a word listed twice keeps its last line, as a dict of the file would)."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    lines: dict[str, dict[str, str]] = {}  # initial -> word -> its line
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                lines.setdefault(parts[0][0], {})[parts[0]] = f"{parts[0]} {int(parts[1])} {parts[2]}"
    return {initial: "\n" + "\n".join(block.values()) for initial, block in lines.items()}


@lru_cache(maxsize=1)
def jieba_dictionary() -> JiebaDictionary:
    """word -> (frequency, part-of-speech tag) from jieba's shipped dictionary."""
    from zhitu.cache import load_or_build

    return JiebaDictionary(load_or_build("jieba-dictionary", dict, _jieba_dictionary_lines))
