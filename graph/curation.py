"""Corrections a person makes by hand, kept in plain files that survive every rebuild.

A curation folder (default ``curation/``) may hold these files, each one entry
a line, ``#`` starting a comment, fields separated by a TAB (or two or more spaces):

``aliases.tsv``    SURFACE  CANONICAL          this form always means that entity
``merges.tsv``     NAME  OTHER-NAME            two names of one entity (the first is kept)
``splits.tsv``     NAME  FILE [FILE ...]       NAME in these pages is an entity of its own
``types.tsv``      NAME  TYPE                  the entity's type (Company, GovernmentBody, …)
``blocklist.txt``  NAME                        never an entity

Curation is applied to extracted pages before they are joined, so the page
cache stays valid and an incremental rebuild applies it the same way.  A bad
line is an error naming its file and line; an entry that matched nothing is
reported as stale.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace

from zhitu.extract.doc import ENTITY_TYPES, Doc
from zhitu.extract.read import InputError

FILES = ("aliases.tsv", "merges.tsv", "splits.tsv", "types.tsv", "blocklist.txt")
_FIELDS = re.compile(r"\t+| {2,}")


@dataclass(frozen=True)
class Entry:
    file: str
    line: int
    fields: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Curation:
    aliases: dict[str, Entry] = field(default_factory=dict)  # surface -> entry (canonical in fields[1])
    merges: dict[str, Entry] = field(default_factory=dict)  # other name -> entry (kept name in fields[0])
    splits: dict[str, Entry] = field(default_factory=dict)  # name -> entry (files in fields[1:])
    types: dict[str, Entry] = field(default_factory=dict)  # name -> entry (type in fields[1])
    blocked: dict[str, Entry] = field(default_factory=dict)  # name -> entry
    used: set[str] = field(default_factory=set)  # Entry.where of entries that matched something

    def entries(self) -> list[Entry]:
        return [e for d in (self.aliases, self.merges, self.splits, self.types, self.blocked) for e in d.values()]

    def stale(self) -> list[Entry]:
        """Entries that matched nothing in the last ``apply`` (worth a look: a typo, or the pages changed)."""
        return sorted({e for e in self.entries() if e.where not in self.used}, key=lambda e: (e.file, e.line))

    def __bool__(self) -> bool:
        return any((self.aliases, self.merges, self.splits, self.types, self.blocked))

    def split_scope(self, name: str, file_name: str) -> str:
        """The scope that keeps NAME on this page apart from NAME elsewhere ("" when not split)."""
        entry = self.splits.get(name)
        if entry and file_name in entry.fields[1:]:
            self.used.add(entry.where)
            return f"split:{entry.where}"
        return ""


def _entries(path: str, min_fields: int, max_fields: int | None) -> list[Entry]:
    name = os.path.basename(path)
    out = []
    with open(path, encoding="utf-8-sig") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            fields = tuple(x.strip() for x in _FIELDS.split(line) if x.strip())
            if len(fields) < min_fields or (max_fields and len(fields) > max_fields):
                want = f"{min_fields}" if min_fields == max_fields else f"at least {min_fields}"
                raise InputError(f"{path}:{n}: expected {want} field(s) separated by a TAB, found {len(fields)}")
            out.append(Entry(name, n, fields))
    return out


def load_curation(folder: str) -> Curation:
    """Read a curation folder; a missing folder is an empty curation."""
    c = Curation()
    if not os.path.isdir(folder):
        return c
    spec = {"aliases.tsv": (2, 2, c.aliases), "merges.tsv": (2, 2, c.merges), "splits.tsv": (2, None, c.splits),
            "types.tsv": (2, 2, c.types), "blocklist.txt": (1, 1, c.blocked)}
    for file, (lo, hi, target) in spec.items():
        path = os.path.join(folder, file)
        if not os.path.exists(path):
            continue
        for e in _entries(path, lo, hi):
            if file == "types.tsv" and e.fields[1] not in ENTITY_TYPES:
                raise InputError(f"{path}:{e.line}: unknown type {e.fields[1]!r} (one of {', '.join(ENTITY_TYPES)})")
            key = e.fields[1] if file == "merges.tsv" else e.fields[0]
            if key in target:
                raise InputError(f"{path}:{e.line}: {key!r} is already given at line {target[key].line}")
            target[key] = e
    return c


def apply_curation(doc: Doc, c: Curation) -> Doc:
    """A copy of an extracted page with the curation applied to its mentions and relations."""
    if not c:
        return doc

    def rename(name: str, surface: str = "") -> str:
        for form in (surface, name):
            if form and form in c.aliases:
                c.used.add(c.aliases[form].where)
                name = c.aliases[form].fields[1]
                break
        if name in c.merges:
            c.used.add(c.merges[name].where)
            name = c.merges[name].fields[0]
        return name

    def blocked(*forms: str) -> bool:
        for form in forms:
            if form in c.blocked:
                c.used.add(c.blocked[form].where)
                return True
        return False

    def retype(name: str, type_: str) -> str:
        if name in c.types:
            c.used.add(c.types[name].where)
            return c.types[name].fields[1]
        return type_

    mentions = []
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for m in doc.mentions:
        old_key = m.key
        if blocked(m.text, m.name or m.text):
            keys[old_key] = None
            continue
        name = rename(m.name or m.text, m.text)
        type_ = retype(name, m.type)
        naming = m.naming if name == (m.name or m.text) else "curation"
        mentions.append(replace(m, name=name, type=type_, naming=naming))
        keys[old_key] = (name, type_)

    def new_key(key: tuple[str, str]) -> tuple[str, str] | None:
        if key in keys:
            return keys[key]
        if blocked(key[0]):
            return None
        name = rename(key[0])
        return name, retype(name, key[1])

    relations = []
    for r in doc.relations:
        s, o = new_key(r.subject), new_key(r.object)
        if s and o and s != o:
            relations.append(replace(r, subject=s, object=o))
    out = replace(doc, mentions=mentions, relations=relations)
    return out
