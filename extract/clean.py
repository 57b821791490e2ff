"""OCR page text -> clean running text, keeping a map back to the original.

What a printed, column-set page does to its text and how it is undone:

* columns break lines mid-word: a line that does not end a sentence is joined
  to the next one unless the next one starts a paragraph (indented), or one of
  them is a byline, heading or page furniture (rules/lines.json);
* a blank line can be a column break too: it is bridged only when the line
  before it is a full-width column line;
* headlines and captions are sometimes printed with every glyph doubled
  ("匠匠心心技技艺艺"): runs of three or more doubled glyphs are undone;
* full-width letters, digits and spaces become ASCII; ASCII punctuation
  between Chinese characters becomes the full-width form.

Every clean character records its original offset (``CleanText.origin``).
"""
from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .doc import CleanText, Doc

SENTENCE_END = set("。！？!?…")
CLOSERS = set("”’」』）)】》")
_HALF_TO_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=1)
def line_rules() -> dict[str, re.Pattern]:
    """One pattern per kind of line, the alternatives of rules/lines.json joined."""
    data = json.loads(resources.files(__package__).joinpath("rules/lines.json").read_text("utf-8"))
    return {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in data.items() if not k.startswith("_")}


def line_kind(stripped: str) -> str:
    """'byline', 'furniture', 'heading' or 'text' for one stripped line."""
    for kind in ("byline", "furniture", "heading"):
        if line_rules()[kind].search(stripped):
            return kind
    return "text"


# full-width digits and letters -> ASCII; ideographic and no-break spaces, tabs -> space (one to one)
_NORMALISE = str.maketrans(
    {**{chr(c): chr(c - 0xFEE0) for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
        for c in range(r[0], r[1] + 1)},
     "\u3000": " ", "\xa0": " ", "\t": " "})


def normalise_char(ch: str) -> str:
    return ch.translate(_NORMALISE)


@dataclass
class _Line:
    text: str  # stripped and undoubled
    origin: list[int]  # original offset of each character of ``text``
    indented: bool
    kind: str


_DOUBLED = re.compile(r"(\S)\1(\S)\2(\S)\3")


def undouble(text: str, origin: list[int], min_pairs: int = 3) -> tuple[str, list[int]]:
    """Undo runs of doubled glyphs ("匠匠心心" -> "匠心"), keeping the first of each pair."""
    if not _DOUBLED.search(text):
        return text, origin  # the common case, decided in C
    chars: list[str] = []
    kept: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i
        while j + 1 < n and text[j] == text[j + 1] and not text[j].isspace():
            j += 2
        pairs = (j - i) // 2
        if pairs >= min_pairs and len(set(text[i:j:2])) > 1:
            chars.append(text[i:j:2])
            kept.extend(origin[i:j:2])
            i = j
        else:
            chars.append(text[i])
            kept.append(origin[i])
            i += 1
    return "".join(chars), kept


def _split_lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    for raw in text.split("\n"):
        norm = raw.translate(_NORMALISE).rstrip("\r")
        body = norm.strip(" ")
        lead = len(norm) - len(norm.lstrip(" "))
        raw_lead = raw[: len(raw) - len(raw.lstrip())]
        indented = "\u3000" in raw_lead or lead >= 2
        origin = list(range(pos + lead, pos + lead + len(body)))
        if "\r" in body:  # a stray carriage return inside the line is not text
            keep = [k for k, c in enumerate(body) if c != "\r"]
            body, origin = "".join(body[k] for k in keep), [origin[k] for k in keep]
        body, origin = undouble(body, origin)
        lines.append(_Line(text=body, origin=origin, indented=indented, kind=line_kind(body) if body else "blank"))
        pos += len(raw) + 1
    return lines


def _ends_sentence(line: _Line) -> bool:
    t = line.text.rstrip("".join(CLOSERS))
    return bool(t) and (t[-1] in SENTENCE_END or t[-1] in "：:")


def _should_join(a: _Line, b: _Line, blanks: int, width: float) -> bool:
    if a.kind != "text" or b.kind != "text":
        return False
    if b.indented or _ends_sentence(a):
        return False
    if blanks == 0:
        return True
    # across a blank line only when `a` filled its column (a column break, not a headline)
    return len(a.text) >= 0.8 * width


_HALF_PUNCT = re.compile("[" + re.escape("".join(_HALF_TO_FULL_PUNCT)) + "]")


def _fix_punctuation(text: str) -> str:
    """ASCII punctuation next to Chinese (or a Chinese quote) becomes full-width; 1,200 stays."""
    chars = None
    for m in _HALF_PUNCT.finditer(text):
        i = m.start()
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if (prev and is_cjk(prev)) or (nxt and is_cjk(nxt)) or (prev and prev in "”“") or (nxt and nxt in "“”"):
            chars = chars or list(text)
            chars[i] = _HALF_TO_FULL_PUNCT[m.group()]
    return "".join(chars) if chars else text


def clean_text(text: str) -> CleanText:
    lines = _split_lines(text)
    lengths = [len(ln.text) for ln in lines if ln.text and ln.kind == "text"]
    width = statistics.median(lengths) if lengths else 0.0
    pieces: list[str] = []
    origin: list[int] = []
    prev: _Line | None = None
    blanks = 0
    for ln in lines:
        if not ln.text:
            blanks += 1
            continue
        if prev is not None:
            if _should_join(prev, ln, blanks, width):
                # keep a word gap that the line break hid ("记者\n 王玉芳")
                gap = [k for k in range(prev.origin[-1] + 1, ln.origin[0]) if text[k] in " \t\u3000"]
                if gap:
                    pieces.append(" ")
                    origin.append(gap[0])
            else:
                # a paragraph break, placed on the newline that ended `prev`
                pieces.append("\n")
                origin.append(prev.origin[-1] + 1)
        pieces.append(ln.text)
        origin.extend(ln.origin)
        prev, blanks = ln, 0
    clean = _fix_punctuation("".join(pieces))
    return CleanText(text=clean, origin=tuple(origin) + (len(text),))


def clean(doc: Doc) -> Doc:
    doc.clean = clean_text(doc.page.text)
    return doc
