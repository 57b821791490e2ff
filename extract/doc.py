"""The plain data types that travel through extraction.

Every ``start``/``end`` on a Mention or Relation is a character offset into the
ORIGINAL decoded file (``Page.text``), end exclusive, so a user can always find
the words a fact came from.  Stages work on the cleaned text (``Doc.clean``)
and convert with ``CleanText.to_original``.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

ENTITY_TYPES = (
    "Company",
    "GovernmentBody",
    "Organization",
    "Person",
    "Place",
    "Programme",
    "Event",
)
ORGANISATION_TYPES = ("Company", "GovernmentBody", "Organization")

PREDICATES = (
    "holdsPosition",
    "memberOf",
    "locatedIn",
    "partOf",
    "subOrganizationOf",
    "cooperatesWith",
    "runs",
    "participatesIn",
)


@dataclass(frozen=True)
class Page:
    """One input file, decoded."""

    path: str
    name: str
    text: str
    encoding: str
    sha1: str
    date: str = ""  # publication date given from outside (option, file name), ISO 8601

    @classmethod
    def of_text(cls, text: str, name: str, path: str = "", encoding: str = "utf-8") -> Page:
        """The page of a text, its sha1 taken over the text (the cache's key); ``path`` defaults to name."""
        return cls(path=path or name, name=name, text=text, encoding=encoding,
                   sha1=hashlib.sha1(text.encode("utf-8")).hexdigest())


@dataclass(frozen=True)
class CleanText:
    """Normalised text plus, for every character, where it came from.

    ``origin[i]`` is the offset in the original text of clean character ``i``;
    a trailing sentinel ``origin[len(text)]`` equals the original length.
    Offsets grow strictly, so the map can be inverted with a binary search.
    """

    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span [start, end) to the original span it covers."""
        if end <= start:
            o = self.origin[start]
            return o, o
        return self.origin[start], self.origin[end - 1] + 1

    def to_clean(self, orig_start: int, orig_end: int) -> tuple[int, int]:
        """Map an original span to the smallest clean span inside it."""
        return bisect_left(self.origin, orig_start), bisect_left(self.origin, orig_end)


@dataclass(frozen=True)
class Sentence:
    start: int  # clean offsets
    end: int
    article: int


@dataclass(frozen=True)
class Article:
    start: int  # clean offsets
    end: int
    headline: str


@dataclass(frozen=True)
class Byline:
    """A name in a byline, with the role it gives (记者, 通讯员) and the paper, if named."""

    start: int  # the name, original offsets
    end: int
    name: str
    role: str
    newspaper: str = ""


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in a document.

    ``text`` is the surface form (line-break and spacing noise removed);
    ``name`` is the document-level canonical name it resolves to (e.g. 市人社局
    in a 济宁 page -> 济宁市人社局) and ``naming`` the rule that chose that
    name ("" when name == text).
    """

    text: str
    type: str
    start: int
    end: int
    rule: str
    name: str = ""
    naming: str = ""
    aliases: tuple[str, ...] = ()  # other forms this occurrence gives (the bare “quoted” name)
    date: str = ""  # for events: the date the text gives for this one, ISO 8601 (or YYYY-MM)

    @property
    def key(self) -> tuple[str, str]:
        return (self.name or self.text, self.type)


@dataclass(frozen=True)
class DateMention:
    """A date written in the text, resolved against the publication date."""

    start: int  # original offsets
    end: int
    text: str
    iso: str  # YYYY-MM-DD, or YYYY-MM when the text names only a month


@dataclass(frozen=True)
class Relation:
    """A stated fact between two entities of one document, with its evidence."""

    subject: tuple[str, str]  # (canonical name, type) within the document
    predicate: str
    object: tuple[str, str]
    start: int  # evidence span (original offsets)
    end: int
    evidence: str  # the sentence, as cleaned text
    rule: str
    role: str = ""


@dataclass
class Doc:
    """A page on its way through the pipeline."""

    page: Page
    clean: CleanText | None = None
    sentences: list[Sentence] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    words: list[tuple[int, int]] = field(default_factory=list)  # word spans (clean offsets)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # inside of “…” and 《…》 (clean)
    places: list[tuple[int, int, str]] | None = None  # gazetteer matches (clean; find_places), once looked up
    city: str = ""  # the paper's home city, e.g. 潍坊市 ("" if unknown)
    date: str = ""  # publication date, ISO 8601 ("" if unknown)
    bylines: list[Byline] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.clean.text if self.clean else ""

    def quote_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The quoted stretch that contains [start, end), if any."""
        for qs, qe in self.quotes:
            if qs <= start and end <= qe:
                return qs, qe
            if qs > start:
                break
        return None

    def sentence_at(self, clean_offset: int) -> Sentence | None:
        i = bisect_left(self._sentence_starts, clean_offset + 1) - 1
        if i >= 0 and self.sentences[i].start <= clean_offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def sentence_index(self, sentence: Sentence) -> int:
        return bisect_left(self._sentence_starts, sentence.start)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def word_index(self):
        """The words of the clean text, indexed by position (set by the segment stage)."""
        from .segment import WordIndex

        return WordIndex(self.words)
