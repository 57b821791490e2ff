"""Dates: the page's publication date, dates in its text, and the dates of its events.

* The publication date comes from the masthead (``2025年9月11日 星期四``: a
  full date with its weekday, which a date in a story does not carry), unless
  the page was given one (``Page.date``, from a build option or a file-name
  pattern).
* Dates in the text (``2025年6月8日``, ``6月8日``, ``今年6月``, ``去年12月``) are
  resolved against the publication date; without one, only dates that name
  their year are kept.
* An event takes the date written in its sentence (``9月6日，…开馆暨…主题活动举行``).

Every resolved date keeps its offsets in the original file.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .doc import DateMention, Doc

_D = r"\s*"
_FULL = re.compile(rf"(?<!\d)((?:19|20)\d\d){_D}年{_D}(\d{{1,2}}){_D}月{_D}(\d{{1,2}}){_D}[日号]")
# the weekday marks a masthead; a page number may stick to its year in OCR ("92025年9月11日 星期四")
_MASTHEAD = re.compile(_FULL.pattern.replace("(?<!\\d)", "") + r"\s*(?:星期|周)[一二三四五六日天]")
_MONTH_DAY = re.compile(rf"(?<![\d年])(\d{{1,2}}){_D}月{_D}(\d{{1,2}}){_D}[日号]")
_YEAR_MONTH = re.compile(rf"(?<!\d)((?:19|20)\d\d){_D}年{_D}(\d{{1,2}}){_D}月(?!{_D}\d)")
_RELATIVE = re.compile(rf"(今年|去年|前年|明年)(?:{_D}(\d{{1,2}}){_D}月(?:{_D}(\d{{1,2}}){_D}[日号])?)?")
_OFFSET = {"今年": 0, "去年": -1, "前年": -2, "明年": 1}


def _iso(year: int, month: int, day: int | None = None) -> str:
    try:
        if day is None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def publication_date(text: str) -> str:
    """The date on the page's masthead, or "" when it prints none."""
    m = _MASTHEAD.search(text)
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else ""


def find_dates(text: str, published: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO date or year-month) of every date expression in the clean text."""
    year = int(published[:4]) if published else None
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, iso: str) -> None:
        if iso and not any(s < m.end() and m.start() < e for s, e in taken):
            found.append((m.start(), m.end(), iso))
            taken.append((m.start(), m.end()))

    for m in _FULL.finditer(text):
        add(m, _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _YEAR_MONTH.finditer(text):
        add(m, _iso(int(m.group(1)), int(m.group(2))))
    if year is not None:
        for m in _RELATIVE.finditer(text):
            if m.group(2):
                y = year + _OFFSET[m.group(1)]
                add(m, _iso(y, int(m.group(2)), int(m.group(3)) if m.group(3) else None))
        for m in _MONTH_DAY.finditer(text):
            add(m, _iso(year, int(m.group(1)), int(m.group(2))))
    return sorted(found)


def tag_dates(doc: Doc) -> Doc:
    doc.date = doc.page.date or publication_date(doc.text)
    doc.dates = [
        DateMention(*doc.clean.to_original(s, e), text=doc.text[s:e], iso=iso)
        for s, e, iso in find_dates(doc.text, doc.date)
    ]
    # an event takes the date its sentence gives, the closest one before it first
    spans = [(doc.clean.to_clean(d.start, d.end)[0], d) for d in doc.dates]
    dated = []
    for m in doc.mentions:
        if m.type == "Event":
            cs, _ = doc.clean.to_clean(m.start, m.end)
            sent = doc.sentence_at(cs)
            if sent:
                inside = [(abs(cs - p), p > cs, d) for p, d in spans if sent.start <= p < sent.end
                          and not (m.start <= d.start < m.end)]
                if inside:
                    m = replace(m, date=min(inside, key=lambda t: (t[1], t[0]))[2].iso)
        dated.append(m)
    doc.mentions = dated
    return doc
