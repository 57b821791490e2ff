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
places, family names, titles, organisation and place endings).  ``describe``
builds them column by column, the character n-grams as integer keys
(``Description``): hashing ten new strings per character was most of a page's
tagging time, and a key is found in a model's sorted arrays instead.
``features`` spells the description out as strings for the trainer.

A model is loaded on first use into arrays that all threads share (crf.py
decodes with them); forked processes inherit it.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from importlib import resources

import ahocorasick
import numpy as np

from . import lexicon
from .crf import CrfModel
from .gazetteer import gazetteer, places_between
from .kernels import EMPTY_SLOT, fill_table, find_rows, keys_of
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


class _FeatureIds(dict):
    """feature string -> a small integer, the same for the whole process; ``strings[i]`` spells id i.

    The caches below hold a text's non-n-gram features as ids, so a description
    is an integer array and a model finds its rows for it with one array lookup
    (``_Rows``) instead of hashing every string again for every model.
    """

    def __init__(self) -> None:
        super().__init__()
        self.strings: list[str] = []
        self._lock = threading.Lock()

    def __missing__(self, feature: str) -> int:
        with self._lock:  # the id and its string must stay in step when threads meet here
            if feature not in self:
                self.strings.append(feature)
                dict.__setitem__(self, feature, len(self.strings) - 1)
            return dict.__getitem__(self, feature)


_feature_ids = _FeatureIds()


class _CharClass(dict):
    """code point -> one letter: H(an), N(umeral, Chinese), D(igit), L(atin), S(pace), P(unct), O(ther),
    X(beyond the text); keyed by ord() so that ``str.translate`` maps a whole text at once."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
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
        self[code] = kind
        return kind


class _WordFeatures(dict):
    """word -> its characters' features, four per character, character after character: the word,
    position+length, POS+position, frequency band."""

    def __missing__(self, word: str) -> tuple[int, ...]:
        freq, pos = lexicon.jieba_dictionary().get(word, (0, "-"))
        word_id = _feature_ids[f"w={word}"]
        features = tuple(f for shape in _word_shape(len(word), pos, min(int(math.log10(freq + 1)), 5))
                         for f in (word_id, *shape))
        self[word] = features
        return features


@lru_cache(maxsize=None)
def _word_shape(length: int, pos: str, band: int) -> tuple[tuple[int, ...], ...]:
    """The features of ``_WordFeatures`` that depend on a word's length, tag and band only (shared by
    many words): three per character."""
    return tuple((_feature_ids[f"wp={p}{min(length, 6)}"], _feature_ids[f"wt={pos}{p}"], _feature_ids[f"wf={band}{p}"])
                 for p in _positions(length))


@dataclass(frozen=True)
class _LexiconEntry:
    inside: tuple[int, ...] | None  # features (ids) of the characters of an organisation/place ending
    before: int  # feature (id) of the character before the match
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
        inside = tuple(_feature_ids[f"l={ending}{p}"] for p in _positions(len(surface))) if ending else None
        entry = _LexiconEntry(inside, _feature_ids[f"n={ks[0]}"], "t" in ks, "s" in ks)
        auto.add_word(surface, (len(surface), entry))
    auto.make_automaton()
    return auto


@lru_cache(maxsize=1)
def _single_surnames() -> dict[str, int]:
    return {n: _feature_ids["s=1"] for n in lexicon.ordered_words("surnames.txt") if len(n) == 1}


class _PlaceMarks(dict):
    """gazetteer surface -> its characters' features: a full name or a short form, and the position."""

    def __missing__(self, surface: str) -> tuple[int, ...]:
        full = any(d.name == surface for d in gazetteer().by_surface[surface])
        marks = tuple(_feature_ids[f"g={'f' if full else 's'}{p}"] for p in _positions(len(surface)))
        self[surface] = marks
        return marks


_char_class = _CharClass()
_word_features = _WordFeatures()
_place_marks = _PlaceMarks()
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


# Character n-grams, in the order of the feature tuple: (name, channel, offsets from the character
# described).  The channel is the text itself or its characters' class letters (``_CharClass``).
TEXT, CLASSES = "text", "classes"
NGRAMS = (
    ("c-2", TEXT, (-2,)), ("c-1", TEXT, (-1,)), ("c0", TEXT, (0,)), ("c1", TEXT, (1,)), ("c2", TEXT, (2,)),
    ("b-2", TEXT, (-2, -1)), ("b-1", TEXT, (-1, 0)), ("b0", TEXT, (0, 1)), ("b1", TEXT, (1, 2)),
    ("t3", TEXT, (-1, 0, 1)),
    ("k", CLASSES, (-2, -1, 0, 1, 2)),
)
# The other features, in the order of the feature tuple after the n-grams (``Description.named``)
NAMED_COLUMNS = ("surname", "inside", "before", "after_title", "word", "position", "pos_tag", "band", "place")
_KEY_BITS = {TEXT: 21, CLASSES: 7}  # bits of one character in an n-gram's integer key (Unicode; ASCII)


def ngram_key(chars: str, channel: str) -> int:
    """The integer that stands for an n-gram of a channel (as ``Description.keys`` holds it)."""
    key = 0
    for c in chars:
        key = (key << _KEY_BITS[channel]) | ord(c)
    return key


@dataclass(frozen=True)
class Description:
    """What the CRF reads about each character of a text (template ``TEMPLATE_VERSION``).

    Character n-grams are held as integer keys, one row per character, so a
    tagger looks them up in sorted arrays instead of hashing ~10 new strings
    per character; the other features (lexicon, word, gazetteer) are strings
    made once per entry and reused.  ``strings()`` spells every feature out,
    as CRFsuite's trainer wants them.  Slicing gives the description of a
    part of the text (the n-grams still see the characters around it).
    """

    channels: dict[str, str]  # TEXT and CLASSES of the whole text, padded two characters on each side
    keys: np.ndarray  # (characters, len(NGRAMS)) uint64
    named: np.ndarray  # (characters, columns) int64: the other features as ids (``_feature_ids``)
    start: int = 0  # where this description starts in the channels' text

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, part: slice) -> Description:
        lo, hi, _ = part.indices(len(self))
        return Description(self.channels, self.keys[lo:hi], self.named[lo:hi], self.start + lo)

    def strings(self) -> list[tuple[str, ...]]:
        """One tuple of feature strings per character."""
        n, first = len(self), self.start + len(_PAD_LEFT)
        columns = []
        for name, channel, offsets in NGRAMS:
            shifted = [self.channels[channel][first + o:first + o + n] for o in offsets]
            prefix = name + "="
            columns.append([prefix + c for c in shifted[0]] if len(shifted) == 1
                           else [prefix + "".join(chars) for chars in zip(*shifted)])
        spell = _feature_ids.strings
        named = [[spell[i] for i in column] for column in self.named.T.tolist()]
        return list(zip(*columns, *named))


# NGRAMS as arrays for the compiled loops: each template's channel (0 text, 1 classes), its offsets
# (padded with 0 past the count) and their count
_TEMPLATE_CHANNEL = np.array([0 if channel == TEXT else 1 for _, channel, _ in NGRAMS], dtype=np.int64)
_TEMPLATE_OFFSETS = np.array([list(o) + [0] * (5 - len(o)) for _, _, o in NGRAMS], dtype=np.int64)
_TEMPLATE_WIDTH = np.array([len(o) for _, _, o in NGRAMS], dtype=np.int64)
_CHANNEL_BITS = np.array([_KEY_BITS[TEXT], _KEY_BITS[CLASSES]], dtype=np.uint64)


def _ngram_keys(channels: dict[str, str], n: int) -> np.ndarray:
    """One row per character: the integer key of each of its NGRAMS (one compiled loop: numpy's
    per-call cost is most of a short text's time)."""
    text_codes = np.frombuffer(channels[TEXT].encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    class_codes = np.frombuffer(channels[CLASSES].encode("ascii"), dtype=np.uint8).astype(np.uint64)
    keys = np.empty((n, len(NGRAMS)), dtype=np.uint64)
    keys_of(text_codes, class_codes, len(_PAD_LEFT), _TEMPLATE_CHANNEL, _TEMPLATE_OFFSETS, _TEMPLATE_WIDTH,
            _CHANNEL_BITS, keys)
    return keys


def describe(text: str, words: list[tuple[int, int]] | None = None,
             places: list[tuple[int, int, str]] | None = None) -> Description:
    """The description of every character of text.

    ``words`` are jieba word spans of ``text`` (offsets into text) when the
    caller already has them; otherwise text is segmented here.  ``places``:
    ``find_places(text, words)``, when the caller has it.
    """
    n = len(text)
    _load_resources()
    original, text = text, text.translate(_NORMALISE)
    if places is not None and gazetteer().other_characters.intersection(original + text):
        places = None  # (the features read the normalised text: 刚果（金） matches 刚果(金) there only)
    padded = _PAD_LEFT + text + _PAD_RIGHT
    channels = {TEXT: padded, CLASSES: padded.translate(_char_class)}

    # the columns of NAMED_COLUMNS; most characters have the default of all but the word columns
    ids = _feature_ids
    named = np.empty((n, len(NAMED_COLUMNS)), dtype=np.int64)
    named[:, 0] = list(map(_single_surnames().get, text, repeat(ids["s=0"])))  # surname
    named[:, 1:4] = (ids["l=-"], ids["n=-"], ids["a=0"])  # inside an ending; one starts next; a title ended
    # lexicon matches, shortest first so that the longest match covering a character wins
    for end, (length, entry) in sorted(_lexicon_automaton().iter(text), key=lambda m: m[1][0]):
        start = end + 1 - length
        if entry.inside:
            named[start:end + 1, 1] = entry.inside
        if start:
            named[start - 1, 2] = entry.before
        if entry.title and end + 1 < n:
            named[end + 1, 3] = ids["a=1"]
        if entry.double_surname:
            named[start:end + 1, 0] = (ids["s=2B"], ids["s=2E"])

    # the word each character is in
    spans = _words(text, words)
    bounds = {s for _, s, _ in spans}
    bounds.add(n)
    word = list(chain.from_iterable(map(_word_features.__getitem__, [w for w, _, _ in spans])))
    named[:, 4:8] = np.array(word, dtype=np.int64).reshape(n, 4)

    # gazetteer places on word boundaries, the longest winning where they overlap
    named[:, 8] = ids["g=-"]
    for s, e, surface in sorted(places_between(text, bounds) if places is None else places, key=lambda m: m[1] - m[0]):
        named[s:e, 8] = _place_marks[surface]
    return Description(channels, _ngram_keys(channels, n), named)


def features(text: str, words: list[tuple[int, int]] | None = None) -> list[tuple[str, ...]]:
    """One tuple of feature strings per character of text: what the trainer reads."""
    return describe(text, words).strings() if text else []


class _Rows:
    """A model's row of weights for each feature of a description: n-gram keys through a hash table
    (open addressing over arrays, so compiled code probes it: a binary search missed the cache at
    every step), the other features' ids through an array of rows by id, filled from the model's
    attributes as new ids appear; a feature the model does not know gets the zero row."""

    def __init__(self, attribute_rows: dict[str, int], table: np.ndarray) -> None:
        self.unknown = len(attribute_rows)
        self.attribute_rows = attribute_rows
        # feature id -> row: the first _known entries of _row_of_id are filled (room to grow, so new
        # words cost their own lookups, not a copy of every id so far)
        self._row_of_id, self._known = np.zeros(1024, dtype=np.int64), 0
        self._lock = threading.Lock()
        self.table = table  # ``_ngram_table(attribute_rows)``

    def __call__(self, described: Description) -> np.ndarray:
        n = len(described)
        rows = np.empty((n, len(NGRAMS) + described.named.shape[1]), dtype=np.int64)
        find_rows(described.keys, self.table, self.unknown, rows)
        rows[:, len(NGRAMS):] = self._rows_of_ids()[described.named]
        return rows

    def _rows_of_ids(self) -> np.ndarray:
        """The row of every feature id made so far (new words add ids: the new ones are looked up)."""
        if self._known < len(_feature_ids.strings):
            with self._lock:
                known, spell = self._known, _feature_ids.strings
                wanted = len(spell)
                if known < wanted:
                    table = self._row_of_id
                    if wanted > len(table):
                        table = np.zeros(max(wanted, 2 * len(table)), dtype=np.int64)
                        table[:known] = self._row_of_id[:known]
                    get = self.attribute_rows.get
                    table[known:wanted] = [get(f, self.unknown) for f in spell[known:wanted]]
                    self._row_of_id, self._known = table, wanted
        return self._row_of_id


def _ngram_table(attribute_rows: dict[str, int]) -> np.ndarray:
    """The hash table of a model's n-gram attributes (``_Rows``): slot -> (key, template << 32 | row),
    side by side so that a probe reads one cache line; an empty slot holds EMPTY_SLOT."""
    template_of = {name: j for j, (name, _, _) in enumerate(NGRAMS)}
    keys, templates, rows = [], [], []
    for attribute, row in attribute_rows.items():
        name, _, chars = attribute.partition("=")
        j = template_of.get(name)
        if j is not None and len(chars) == len(NGRAMS[j][2]):
            keys.append(ngram_key(chars, NGRAMS[j][1]))
            templates.append(j)
            rows.append(row)
    size = 1 << max(4, (2 * len(keys)).bit_length())  # at most half full
    table = np.full((size, 2), EMPTY_SLOT, dtype=np.uint64)
    fill_table(np.array(keys, dtype=np.uint64), np.array(templates, dtype=np.int64),
               np.array(rows, dtype=np.int64), table)
    return table


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
    return spans_from_labelled(((i, tag) for i, tag in enumerate(tags) if tag != "O"))


def spans_from_labelled(labelled: Iterable[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """``spans_from_tags`` given only the characters not tagged O, as (position, tag) in order: a gap
    between two positions is an O."""
    spans = []
    start, label, last = None, None, -2
    for i, tag in labelled:
        prefix, _, lab = tag.partition("-")
        if start is not None and (i != last + 1 or prefix in ("B", "S") or lab != label):
            spans.append((start, last + 1, label))
            start = None
        if start is None or prefix in ("B", "S"):
            start, label = i, lab
        if prefix in ("E", "S"):
            spans.append((start, i + 1, label))
            start = None
        last = i
    if start is not None:
        spans.append((start, last + 1, label))
    return spans


# --- the tagger -----------------------------------------------------------------------------------


def _shipped(name: str) -> str:
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; the shipped ones are {', '.join(MODELS)}")
    return name


def model_bytes(name: str) -> bytes:
    """The shipped model file ``models/<name>.crfsuite``."""
    return resources.files(__package__).joinpath("models", f"{_shipped(name)}.crfsuite").read_bytes()


def _read_model(data: bytes) -> tuple[CrfModel, np.ndarray]:
    """A CRFsuite model file's weights, and the hash table of its n-gram attributes (``_ngram_table``)."""
    crf = CrfModel.from_crfsuite(data)
    return crf, _ngram_table(crf.attribute_rows)


class Tagger:
    """A CRF recogniser: a shipped model by name ("news", "cluener") or a ``.crfsuite`` file by path.

    The model file is read on first use, into arrays that every thread shares
    (crf.py decodes with them; CRFsuite itself only trains).
    """

    def __init__(self, model: str = "news") -> None:
        self.model = model
        self._loaded: tuple[CrfModel, _Rows] | None = None
        self._lock = threading.Lock()

    def _crf(self) -> tuple[CrfModel, _Rows]:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    if self.model.endswith(".crfsuite"):
                        with open(self.model, "rb") as f:
                            crf, table = _read_model(f.read())
                    else:
                        from zhitu.cache import load_or_build

                        # (a shipped model's arrays are kept on disk: reading the file takes a tenth of a second)
                        crf, table = load_or_build(f"crf-{_shipped(self.model)}", tuple,
                                                   lambda: _read_model(model_bytes(self.model)))
                    self._loaded = crf, _Rows(crf.attribute_rows, table)
        return self._loaded

    def load(self) -> None:
        """Read the model now rather than on first use."""
        self._crf()

    def labels(self) -> list[str]:
        """The entity labels the model knows (PER, LOC, ORG for "news")."""
        return sorted({t.partition("-")[2] for t in self._crf()[0].labels} - {""})

    def _decoded(self, text: str, words: list[tuple[int, int]] | None, described: Description | None,
                 scored: bool = False) -> tuple[CrfModel, np.ndarray, np.ndarray]:
        crf, rows = self._crf()
        return crf, *crf.decode(rows(described if described is not None else describe(text, words)), scored)

    def tag(self, text: str, words: list[tuple[int, int]] | None = None,
            described: Description | None = None) -> list[str]:
        """One BIOES tag per character.  ``described``: ``describe(text, words)`` when the caller has it
        (both shipped models read the same features, so two models can share one description)."""
        if not text:
            return []
        crf, path, _ = self._decoded(text, words, described)
        return [crf.labels[i] for i in path]

    def spans(self, text: str, words: list[tuple[int, int]] | None = None,
              described: Description | None = None) -> list[tuple[int, int, str]]:
        """(start, end, label) for each entity in text; offsets into text, end exclusive.

        ``words``: jieba word spans of text (e.g. ``Doc.words`` when text is
        ``Doc.text``), to save segmenting it again.
        """
        if not text:
            return []
        crf, path, _ = self._decoded(text, words, described)
        return _spans(crf, path)

    def scored_spans(self, text: str, words: list[tuple[int, int]] | None = None,
                     described: Description | None = None) -> list[tuple[int, int, str, float]]:
        """Like ``spans``, each with the model's confidence: the least marginal probability of its tags."""
        if not text:
            return []
        crf, path, chosen = self._decoded(text, words, described, scored=True)
        return [(s, e, label, float(chosen[s:e].min())) for s, e, label in _spans(crf, path)]


def _spans(crf: CrfModel, path: np.ndarray) -> list[tuple[int, int, str]]:
    """The spans of a path of label indices; most characters are O, so only the others are read."""
    named = np.flatnonzero(path != crf.labels.index("O"))
    return spans_from_labelled(zip(named.tolist(), [crf.labels[i] for i in path[named]]))


@lru_cache(maxsize=None)
def shared_tagger(name: str) -> Tagger:
    """One Tagger per shipped model for the whole process."""
    return Tagger(name)
