"""Loading the data files under lexicons/ and rules/ (one entry a line, # comments)."""
from __future__ import annotations

import json
import os
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


@lru_cache(maxsize=1)
def jieba_dictionary() -> dict[str, tuple[int, str]]:
    """word -> (frequency, part-of-speech tag) from jieba's shipped dictionary."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    out: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out
