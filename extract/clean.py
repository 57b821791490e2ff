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
def line_rules() -> dict[str, list[re.Pattern]]:
    data = json.loads(resources.files(__package__).joinpath("rules/lines.json").read_text("utf-8"))
    return {k: [re.compile(p) for p in v] for k, v in data.items() if not k.startswith("_")}


def line_kind(stripped: str) -> str:
    """'byline', 'furniture', 'heading' or 'text' for one stripped line."""
    for kind in ("byline", "furniture", "heading"):
        if any(p.search(stripped) for p in line_rules()[kind]):
            return kind
    return "text"


def normalise_char(ch: str) -> str:
    o = ord(ch)
    if ch == "\u3000" or ch == "\xa0" or ch == "\t":
        return " "
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    return ch


@dataclass
class _Line:
    start: int  # offset of first kept char in the original text
    chars: list[tuple[str, int]]  # (char, original offset), stripped and undoubled
    indented: bool
    kind: str

    @property
    def text(self) -> str:
        return "".join(c for c, _ in self.chars)


def undouble(chars: list[tuple[str, int]], min_pairs: int = 3) -> list[tuple[str, int]]:
    """Undo runs of doubled glyphs ("匠匠心心" -> "匠心"), keeping the first of each pair."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(chars)
    while i < n:
        j = i
        while j + 1 < n and chars[j][0] == chars[j + 1][0] and not chars[j][0].isspace():
            j += 2
        pairs = (j - i) // 2
        distinct = {chars[k][0] for k in range(i, j, 2)}
        if pairs >= min_pairs and len(distinct) > 1:
            out.extend(chars[k] for k in range(i, j, 2))
            i = j
        else:
            out.append(chars[i])
            i += 1
    return out


def _split_lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    for raw in text.split("\n"):
        chars = [(normalise_char(c), pos + k) for k, c in enumerate(raw) if c != "\r"]
        lead = 0
        while lead < len(chars) and chars[lead][0] == " ":
            lead += 1
        body = chars[lead:]
        while body and body[-1][0] == " ":
            body.pop()
        raw_lead = raw[: len(raw) - len(raw.lstrip())]
        indented = "\u3000" in raw_lead or lead >= 2
        body = undouble(body)
        text_ = "".join(c for c, _ in body)
        lines.append(
            _Line(start=pos + lead, chars=body, indented=indented, kind=line_kind(text_) if body else "blank")
        )
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
    return len(a.chars) >= 0.8 * width


def _fix_punctuation(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out = list(chars)
    for i, (c, o) in enumerate(out):
        if c in _HALF_TO_FULL_PUNCT:
            prev = out[i - 1][0] if i else ""
            nxt = out[i + 1][0] if i + 1 < len(out) else ""
            if (prev and is_cjk(prev)) or (nxt and is_cjk(nxt)) or prev in "”“" or nxt in "“”":
                out[i] = (_HALF_TO_FULL_PUNCT[c], o)
    return out


def clean_text(text: str) -> CleanText:
    lines = _split_lines(text)
    content = [ln for ln in lines if ln.chars]
    lengths = [len(ln.chars) for ln in content if ln.kind == "text"]
    width = statistics.median(lengths) if lengths else 0.0
    out: list[tuple[str, int]] = []
    prev: _Line | None = None
    blanks = 0
    for ln in lines:
        if not ln.chars:
            blanks += 1
            continue
        if prev is not None:
            if _should_join(prev, ln, blanks, width):
                # keep a word gap that the line break hid ("记者\n 王玉芳")
                gap_start = prev.chars[-1][1] + 1
                gap = [k for k in range(gap_start, ln.chars[0][1]) if text[k] in " \t\u3000"]
                if gap:
                    out.append((" ", gap[0]))
            else:
                # a paragraph break, placed on the newline that ended `prev`
                out.append(("\n", prev.chars[-1][1] + 1))
        out.extend(ln.chars)
        prev, blanks = ln, 0
    out = _fix_punctuation(out)
    clean = "".join(c for c, _ in out)
    origin = tuple(o for _, o in out) + (len(text),)
    return CleanText(text=clean, origin=origin)


def clean(doc: Doc) -> Doc:
    doc.clean = clean_text(doc.page.text)
    return doc
