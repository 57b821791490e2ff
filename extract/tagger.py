"""A trained named-entity recogniser: a character-level linear-chain CRF.

``Tagger("news").spans(text)`` gives ``[(start, end, label), ...]`` (offsets
into ``text``, end exclusive) with labels PER, LOC, ORG; ``Tagger("cluener")``
gives CLUENER2020's ten classes (name, company, government, organization,
address, scene, position, book, movie, game).  The models are files in
``models/`` built by ``zhitu train`` (extract/training.py); each has a
``.json`` beside it naming the corpora, settings and held-out scores.

Every character is described by a fixed list of feature strings (the
template below, ``TEMPLATE_VERSION``): characters and character bigrams in a
window, character classes, the jieba word the character is in (its position,
length, part of speech and frequency band) and lexicon matches (gazetteer
places, family names, titles, organisation and place endings).  Features are
built column by column with list comprehensions and zipped, not as a dict per
character: building the strings, and CRFsuite looking them up, take about
equal parts of the time.

A tagger is loaded on first use, one CRFsuite tagger per thread (a CRFsuite
tagger holds per-call state); forked processes get their own copy.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from . import lexicon
from .gazetteer import gazetteer
from .segment import tokenizer

# Bump when a change to ``features`` changes the strings it produces: models
# trained with another version describe characters differently.
TEMPLATE_VERSION = "zhitu-crf-features-1"
MODELS = ("cluener", "news")

_PAD_LEFT, _PAD_RIGHT = "\x02\x02", "\x03\x03"  # beyond the text on either side
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")
_POSITIONS = {1: ("S",), 2: ("B", "E")}  # B M… E for longer spans
# full-width ASCII -> ASCII, Latin lower case: one character for one, so offsets stay
_NORMALISE = str.maketrans(
    {**{chr(c): chr(c - 0xFEE0).lower() for c in range(0xFF01, 0xFF5F)}, "\u3000": " ",
     **{chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)}}
)


def _positions(length: int) -> tuple[str, ...]:
    return _POSITIONS.get(length) or ("B",) + ("M",) * (length - 2) + ("E",)


class _CharClass(dict):
    """char -> one letter: H(an), N(umeral, Chinese), D(igit), L(atin), S(pace), P(unct), O(ther), X(beyond the text)."""

    def __missing__(self, c: str) -> str:
        if c in _NUMERALS:
            kind = "N"
        elif "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf":
            kind = "H"
        elif c.isdigit():
            kind = "D"
        elif c.isascii() and c.isalpha():
            kind = "L"
        elif c.isspace():
            kind = "S"
        elif c in "\x02\x03":
            kind = "X"
        elif not c.isalnum():
            kind = "P"
        else:
            kind = "O"
        self[c] = kind
        return kind


class _Prefixed(dict):
    """char -> prefix + char, made once per character."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def __missing__(self, c: str) -> str:
        feature = self[c] = self.prefix + c
        return feature


_UNIGRAMS = tuple(_Prefixed(f"c{k}=") for k in range(-2, 3))


class _WordFeatures(dict):
    """word -> its characters' features as four columns: the word, position+length, POS+position, frequency band."""

    def __missing__(self, word: str) -> tuple[tuple[str, ...], ...]:
        freq, pos = lexicon.jieba_dictionary().get(word, (0, "-"))
        band = min(int(math.log10(freq + 1)), 5)
        length = min(len(word), 6)
        places = _positions(len(word))
        columns = (
            (f"w={word}",) * len(word),
            tuple(f"wp={p}{length}" for p in places),
            tuple(f"wt={pos}{p}" for p in places),
            tuple(f"wf={band}{p}" for p in places),
        )
        self[word] = columns
        return columns


@dataclass(frozen=True)
class _LexiconEntry:
    inside: tuple[str, ...] | None  # features of the characters of an organisation/place ending
    before: str  # feature of the character before the match
    title: bool
    double_surname: bool


@lru_cache(maxsize=1)
def _lexicon_automaton() -> ahocorasick.Automaton:
    """Titles, organisation and place endings and two-character family names in one automaton.

    Value: (length, _LexiconEntry).  An ending's kind is o/p + type initial +
    strength initial, e.g. oCs (organisation, Company, strong).
    """
    kinds: dict[str, list[str]] = {}
    for row in lexicon.table("titles.tsv"):
        kinds.setdefault(row[0], []).append("t")
    for table, prefix in (("org_suffixes.tsv", "o"), ("place_suffixes.tsv", "p")):
        for row in lexicon.table(table):
            kinds.setdefault(row[0], []).append(f"{prefix}{row[1][0]}{row[2][0]}")
    for name in lexicon.ordered_words("surnames.txt"):
        if len(name) == 2:
            kinds.setdefault(name, []).append("s")
    auto = ahocorasick.Automaton()
    for surface, ks in kinds.items():
        ending = next((k for k in ks if k[0] in "op"), None)
        inside = tuple(f"l={ending}{p}" for p in _positions(len(surface))) if ending else None
        entry = _LexiconEntry(inside, f"n={ks[0]}", "t" in ks, "s" in ks)
        auto.add_word(surface, (len(surface), entry))
    auto.make_automaton()
    return auto


@lru_cache(maxsize=1)
def _single_surnames() -> dict[str, str]:
    return {n: "s=1" for n in lexicon.ordered_words("surnames.txt") if len(n) == 1}


class _PlaceKind(dict):
    """gazetteer surface -> (a full name, not only a short form?, its characters' features)."""

    def __missing__(self, surface: str) -> tuple[bool, tuple[str, ...]]:
        full = any(d.name == surface for d in gazetteer().by_surface[surface])
        kind = full, tuple(f"g={'f' if full else 's'}{p}" for p in _positions(len(surface)))
        self[surface] = kind
        return kind


_char_class = _CharClass()
_word_features = _WordFeatures()
_place_marks = _PlaceKind()
_load_lock = threading.Lock()  # the caches above fill lazily; a dict insert is atomic, loading is not


def _load_resources() -> None:
    with _load_lock:
        _lexicon_automaton()
        _single_surnames()
        gazetteer()
        lexicon.jieba_dictionary()


def _words(text: str, words: list[tuple[int, int]] | None) -> list[tuple[str, int, int]]:
    """(word, start, end) covering text; a character no given word covers is a word of its own."""
    if words is None:
        return tokenizer().tokenize(text)
    out, pos, n = [], 0, len(text)
    for s, e in words:
        if s < pos or e <= s or e > n:
            continue
        if s > pos:
            out += [(text[i], i, i + 1) for i in range(pos, s)]
        out.append((text[s:e], s, e))
        pos = e
    if pos < n:
        out += [(text[i], i, i + 1) for i in range(pos, n)]
    return out


def features(text: str, words: list[tuple[int, int]] | None = None) -> list[tuple[str, ...]]:
    """One tuple of feature strings per character of text (template ``TEMPLATE_VERSION``).

    ``words`` are jieba word spans of ``text`` (offsets into text) when the
    caller already has them; otherwise text is segmented here.
    """
    n = len(text)
    if n == 0:
        return []
    _load_resources()
    text = text.translate(_NORMALISE)
    padded = _PAD_LEFT + text + _PAD_RIGHT
    c_2, c_1, c0, c1, c2 = (padded[k : k + n] for k in range(5))
    cls = "".join([_char_class[c] for c in padded])
    columns = [list(map(prefixed.__getitem__, chars)) for prefixed, chars in zip(_UNIGRAMS, (c_2, c_1, c0, c1, c2))]
    columns += [
        [f"b-2={a}{b}" for a, b in zip(c_2, c_1)],
        [f"b-1={a}{b}" for a, b in zip(c_1, c0)],
        [f"b0={a}{b}" for a, b in zip(c0, c1)],
        [f"b1={a}{b}" for a, b in zip(c1, c2)],
        [f"t3={a}{b}{c}" for a, b, c in zip(c_1, c0, c1)],
        [f"k={a}{b}{c}{d}{e}" for a, b, c, d, e in zip(cls, cls[1:], cls[2:], cls[3:], cls[4:])],
    ]

    # lexicon matches, shortest first so that the longest match covering a character wins
    surname = [_single_surnames().get(c, "s=0") for c in text]
    inside = ["l=-"] * n  # inside an organisation/place ending: its kind and the position in it
    before = ["n=-"] * n  # an ending, a title or a family name starts at the next character
    after_title = ["a=0"] * n  # a title ends just before this character
    for end, (length, entry) in sorted(_lexicon_automaton().iter(text), key=lambda m: m[1][0]):
        start = end + 1 - length
        if entry.inside:
            inside[start : end + 1] = entry.inside
        if start:
            before[start - 1] = entry.before
        if entry.title and end + 1 < n:
            after_title[end + 1] = "a=1"
        if entry.double_surname:
            surname[start : end + 1] = ("s=2B", "s=2E")
    columns += [surname, inside, before, after_title]

    # the word each character is in
    word, position, pos_tag, band = [], [], [], []
    bounds = {n}
    for w, s, _ in _words(text, words):
        bounds.add(s)
        cw, cp, ct, cb = _word_features[w]
        word += cw
        position += cp
        pos_tag += ct
        band += cb
    columns += [word, position, pos_tag, band]

    # gazetteer places that start on a word boundary; a short form must also end on one (as find_places)
    place = ["g=-"] * n
    found = []
    for end, surface in gazetteer().automaton.iter(text):
        start = end + 1 - len(surface)
        if start in bounds:
            full, marks = _place_marks[surface]
            if full or end + 1 in bounds:
                found.append((start, end + 1, marks))
    for s, e, marks in sorted(found, key=lambda m: m[1] - m[0]):
        place[s:e] = marks
    columns.append(place)
    return list(zip(*columns))


# --- tags <-> spans (BIOES) ----------------------------------------------------------------------


def tags_from_spans(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """BIOES tags for ``length`` characters; spans must not overlap."""
    tags = ["O"] * length
    for s, e, label in spans:
        if e - s == 1:
            tags[s] = f"S-{label}"
        else:
            tags[s] = f"B-{label}"
            tags[s + 1 : e - 1] = [f"I-{label}"] * (e - s - 2)
            tags[e - 1] = f"E-{label}"
    return tags


def spans_from_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """Spans from BIOES (or BIO) tags; a span ends at E/S, at O, or where the label changes."""
    spans = []
    start, label = None, None
    for i, tag in enumerate(tags):
        prefix, _, lab = tag.partition("-")
        if start is not None and (prefix in ("O", "B", "S") or lab != label):
            spans.append((start, i, label))
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and start is None):
            start, label = i, lab
        if prefix in ("E", "S"):
            spans.append((start, i + 1, label))
            start = None
    if start is not None:
        spans.append((start, len(tags), label))
    return spans


# --- the tagger -----------------------------------------------------------------------------------


def model_bytes(name: str) -> bytes:
    """The shipped model file ``models/<name>.crfsuite``."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; the shipped ones are {', '.join(MODELS)}")
    return resources.files(__package__).joinpath("models", f"{name}.crfsuite").read_bytes()


class Tagger:
    """A CRF recogniser: a shipped model by name ("news", "cluener") or a ``.crfsuite`` file by path.

    The model file is read on first use.  A CRFsuite tagger keeps per-call
    state, so each thread gets its own, opened from the same bytes.
    """

    def __init__(self, model: str = "news") -> None:
        self.model = model
        self._bytes: bytes | None = None
        self._lock = threading.Lock()
        self._local = threading.local()

    def _crf(self):
        crf = getattr(self._local, "crf", None)
        if crf is None:
            import pycrfsuite

            with self._lock:
                if self._bytes is None:
                    if self.model.endswith(".crfsuite"):
                        with open(self.model, "rb") as f:
                            self._bytes = f.read()
                    else:
                        self._bytes = model_bytes(self.model)
            crf = pycrfsuite.Tagger()
            crf.open_inmemory(self._bytes)
            self._local.crf = crf
        return crf

    def labels(self) -> list[str]:
        """The entity labels the model knows (PER, LOC, ORG for "news")."""
        return sorted({t.partition("-")[2] for t in self._crf().labels()} - {""})

    def tag(self, text: str, words: list[tuple[int, int]] | None = None,
            described: list[tuple[str, ...]] | None = None) -> list[str]:
        """One BIOES tag per character.  ``described``: ``features(text, words)`` when the caller has them
        (both shipped models read the same features, so two models can share one description)."""
        if not text:
            return []
        return self._crf().tag(described if described is not None else features(text, words))

    def spans(self, text: str, words: list[tuple[int, int]] | None = None,
              described: list[tuple[str, ...]] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, label) for each entity in text; offsets into text, end exclusive.

        ``words``: jieba word spans of text (e.g. ``Doc.words`` when text is
        ``Doc.text``), to save segmenting it again.
        """
        return spans_from_tags(self.tag(text, words, described))


    def scored_spans(self, text: str, words: list[tuple[int, int]] | None = None,
                     described: list[tuple[str, ...]] | None = None) -> list[tuple[int, int, str, float]]:
        """Like ``spans``, each with the model's confidence: the least marginal probability of its tags."""
        if not text:
            return []
        crf = self._crf()
        tags = crf.tag(described if described is not None else features(text, words))
        return [(s, e, label, min(crf.marginal(tags[i], i) for i in range(s, e)))
                for s, e, label in spans_from_tags(tags)]


@lru_cache(maxsize=None)
def shared_tagger(name: str) -> Tagger:
    """One Tagger per shipped model for the whole process."""
    return Tagger(name)
