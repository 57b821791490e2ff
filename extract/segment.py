"""Clean text -> sentences and articles; an owned jieba tokenizer.

A newspaper page holds several articles.  Bylines ("■ 本报记者 张三") and
headings start a new one; article boundaries bound how far "该公司" or a
city-relative name ("市人社局") looks for what it refers to.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import sys
import threading
from bisect import bisect_left, bisect_right
from functools import lru_cache

from .clean import line_kind
from .doc import Article, Doc, Sentence

_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|…{2,}[”’」』]*|\n")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end]; the delimiter stays with its sentence."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        stop = m.start() if m.group() == "\n" else m.end()
        if stop > pos and text[pos:stop].strip():
            spans.append((pos, stop))
        pos = m.end()
    if pos < end and text[pos:end].strip():
        spans.append((pos, end))
    return spans


QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉", '"': '"'}


def quoted_spans(text: str, max_len: int = 40) -> list[tuple[int, int]]:
    """Spans (inner start, inner end) of short quoted or 《titled》 stretches on one line."""
    spans = []
    stack: list[tuple[str, int]] = []
    for i, c in enumerate(text):
        if c == "\n":
            stack.clear()
        elif stack and c == QUOTE_PAIRS[stack[-1][0]] and (c != '"' or i > stack[-1][1]):
            opener, pos = stack.pop()
            if 0 < i - pos - 1 <= max_len:
                spans.append((pos + 1, i))
        elif c in QUOTE_PAIRS:
            stack.append((c, i))
    return sorted(spans)


_SENTENCE_STOP = re.compile(r"[。！？!?；;\n]")


def sentence_around(text: str, start: int, end: int, reach: int = 200) -> str:
    """The sentence of the original ``text`` that holds [start, end), line breaks removed."""
    lo = max(0, start - reach)
    before = [m.end() for m in _SENTENCE_STOP.finditer(text, lo, start)]
    after = _SENTENCE_STOP.search(text, end, min(len(text), end + reach))
    s = before[-1] if before else lo
    e = after.end() if after else min(len(text), end + reach)
    return re.sub(r"\s+", "", text[s:e])


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for part in text.split("\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def segment(doc: Doc) -> Doc:
    text = doc.text
    # an article starts at the first byline or heading after running text
    starts = [0]
    headline = {0: ""}
    seen_text = False
    for s, e in _paragraphs(text):
        kind = line_kind(text[s:e])
        if kind in ("byline", "heading"):
            if seen_text:
                starts.append(s)
                headline[s] = text[s:e] if kind == "heading" else ""
                seen_text = False
            elif kind == "heading" and not headline.get(starts[-1]):
                headline[starts[-1]] = text[s:e]
        elif e > s:
            seen_text = True
    bounds = starts + [len(text)]
    doc.articles = [
        Article(start=bounds[i], end=bounds[i + 1], headline=headline.get(bounds[i], "").lstrip("#— "))
        for i in range(len(starts))
    ]
    doc.sentences = [
        Sentence(start=s, end=e, article=i)
        for i, a in enumerate(doc.articles)
        for s, e in split_sentences(text, a.start, a.end)
    ]
    doc.words = [(s, e) for _, s, e in tokenizer().tokenize(text)]
    doc.quotes = quoted_spans(text)
    return doc


class WordIndex:
    """Word spans of one text, for walking left word by word and for slicing by position."""

    def __init__(self, words: list[tuple[int, int]]):
        self.words = words
        self._starts = [s for s, _ in words]
        self._ends = [e for _, e in words]

    def covering(self, pos: int) -> int | None:
        """Index of the word that contains character ``pos``."""
        i = bisect_right(self._starts, pos) - 1
        return i if i >= 0 and self._ends[i] > pos else None

    def overlapping(self, start: int, end: int) -> range:
        """Indexes of the words that overlap [start, end)."""
        return range(bisect_right(self._ends, start), bisect_left(self._starts, end))


def _rjieba_module():
    """rjieba's compiled module, imported without the package's ``__init__``, which builds a default
    segmenter (a second copy of the dictionary, 0.08 s) that we never use.  It is registered under its
    name, so a later ``import rjieba`` takes it as it is instead of initialising it twice."""
    name = "rjieba.rjieba"
    if name not in sys.modules:
        package = importlib.util.find_spec("rjieba")
        spec = importlib.machinery.PathFinder.find_spec(name, package.submodule_search_locations)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


class Tokenizer:
    """A word segmenter of our own (never a shared default instance), loaded on first use.

    rjieba is jieba-rs: the same dictionary and the same segmentation as jieba
    (checked in the tests), ten times faster, which matters on a year of papers.
    """

    def __init__(self) -> None:
        self._tok = None
        self._lock = threading.Lock()

    def _load(self):
        if self._tok is None:
            with self._lock:
                if self._tok is None:
                    self._tok = _rjieba_module().Jieba()
        return self._tok

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """(word, start, end) for each word; dictionary words only (no HMM guesses)."""
        return self._load().tokenize(text, hmm=False)

    def word_starts(self, text: str) -> set[int]:
        starts = {0, len(text)}
        for _, s, e in self.tokenize(text):
            starts.add(s)
            starts.add(e)
        return starts


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    return Tokenizer()
