"""Output files made of units, so a rebuild rewrites only the units that changed.

Every export lays its files out the same way (``FileLayout``): fixed text
(headers, footers) and sections, each a run of *units* in key order.  A unit
is what one entity or one document contributes to the file (an entity's
Turtle block, its GraphML node, its rows of one CSV …), and it depends on
nothing but that entity or document.  ``write_layouts`` writes the files and
returns where each unit landed (``FileIndex``); given the folder and index of
the last build and the keys that changed since (``Previous``), it copies every
other unit's bytes from the old file instead of rendering it again (or raises
``MissingUnit`` if one is not there: a full write must make it).  A
build that changed ten pages of a thousand writes the same files, byte for
byte, in a fraction of the time.

``Outline`` is what the layouts need to know of the whole graph (every key,
type, predicate and degree) when ``G`` holds only the changed part of it.
"""
from __future__ import annotations

import mmap
import os
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from .. import build as B


@dataclass(frozen=True)
class Outline:
    types: dict[str, str]  # entity id -> type, every entity, in id order
    predicates: dict[str, tuple[str, ...]]  # entity id -> the predicates of its out-edges, sorted (if any)
    degree: dict[str, int]  # entity id -> edges in and out
    documents: list[str]  # document ids, in page order
    edges: int

    @classmethod
    def of(cls, nodes: dict[str, str], edges: Sequence[tuple[str, str, str]], documents: list[str]) -> Outline:
        """From every entity's type (any order) and every (subject, object, predicate)."""
        predicates: dict[str, set] = {}
        degree = Counter({n: 0 for n in nodes})
        for s, o, p in edges:
            predicates.setdefault(s, set()).add(p)
            degree[s] += 1
            degree[o] += 1
        return cls(types=dict(sorted(nodes.items())), predicates={s: tuple(sorted(ps)) for s, ps in predicates.items()},
                   degree=dict(degree), documents=documents, edges=len(edges))

    @classmethod
    def of_graph(cls, G: nx.MultiDiGraph) -> Outline:
        return cls.of({n: d[B.TYPE] for n, d in G.nodes(data=True)}, [(u, v, k) for u, v, k in G.edges(keys=True)],
                      [d["id"] for d in G.graph.get("documents", [])])

    def entities_of_type(self, type_: str) -> list[str]:
        """The entities of the type, in id order."""
        return self._grouped[0].get(type_, [])

    def subjects_of(self, predicate: str | None = None) -> list[str]:
        """Entities with out-edges (of ``predicate``), in id order."""
        return self._grouped[1].get(predicate, [])

    @cached_property
    def _grouped(self) -> tuple[dict[str, list[str]], dict[str | None, list[str]]]:
        """Entities by type, and subjects by predicate (None: of any), in one pass over the entities."""
        by_type: dict[str, list[str]] = {}
        by_predicate: dict[str | None, list[str]] = {}
        for n, t in self.types.items():
            by_type.setdefault(t, []).append(n)
            for p in self.predicates.get(n, ()):
                by_predicate.setdefault(p, []).append(n)
            if n in self.predicates:
                by_predicate.setdefault(None, []).append(n)
        return by_type, by_predicate


@dataclass
class Section:
    name: str  # what the units are, unique in the file: a rebuild finds the section's old units by it
    keys: Sequence[str]  # unit keys in file order
    render: Callable[[str], str]  # a unit's text


@dataclass
class FileLayout:
    name: str  # path of the file inside the output folder
    parts: list[str | Section | Callable[[], str]]  # text; units; text made when the file is written


@dataclass
class FileIndex:
    """Where each unit of one written file is: per section, its keys and their byte offsets (one more
    than keys: where the section ends)."""
    sections: dict[str, tuple[list[str], array]] = field(default_factory=dict)
    size: int = 0
    mtime_ns: int = 0

    @cached_property
    def spans(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Section -> unit key -> its bytes [start, end) in the file."""
        return {name: {key: (offsets[i], offsets[i + 1]) for i, key in enumerate(keys)}
                for name, (keys, offsets) in self.sections.items()}

    def unchanged(self, path: str) -> bool:
        """Is the file still the one this index describes (nobody edited or replaced it)?"""
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (self.size, self.mtime_ns)


@dataclass
class Previous:
    """The outputs of the last build, and what changed since."""
    folder: str
    index: dict[str, FileIndex]  # file name -> index
    changed: set[str]  # keys whose units must be rendered anew


class MissingUnit(Exception):
    """A unit that did not change is not in the last build's file: only a full write can make it."""


def write_layouts(layouts: list[FileLayout], folder: str, previous: Previous | None = None) -> dict[str, FileIndex]:
    """Write each file into ``folder``; with ``previous``, unchanged units are copied from its files."""
    return {layout.name: _write_file(layout, folder, previous) for layout in layouts}


def _write_file(layout: FileLayout, folder: str, previous: Previous | None) -> FileIndex:
    path = os.path.join(folder, layout.name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = _old_units(layout, previous)
    index = FileIndex()
    with open(path, "wb") as f, _mapped(old.path if old else None) as old_bytes:
        position = 0
        pending = [0, 0]  # a run of old bytes to copy, [start, end)

        def flush() -> None:
            nonlocal position
            if pending[1] > pending[0]:
                position += f.write(old_bytes[pending[0]:pending[1]])
            pending[0] = pending[1] = 0

        for part in layout.parts:
            if not isinstance(part, Section):
                flush()
                position += f.write((part if isinstance(part, str) else part()).encode("utf-8"))
                continue
            spans = old.sections.get(part.name, {}) if old else {}
            offsets = array("q")
            for key in part.keys:
                offsets.append(position + pending[1] - pending[0])
                if previous is None or key in previous.changed:
                    flush()
                    position += f.write(part.render(key).encode("utf-8"))
                    continue
                span = spans.get(key)
                if span is None:
                    raise MissingUnit(f"{layout.name}: {part.name} {key}")
                if span[0] != pending[1]:
                    flush()
                    pending[0] = span[0]
                pending[1] = span[1]
            flush()
            offsets.append(position)
            index.sections[part.name] = (list(part.keys), offsets)
    st = os.stat(path)
    index.size, index.mtime_ns = st.st_size, st.st_mtime_ns
    return index


@dataclass
class _OldUnits:
    path: str
    sections: dict[str, dict[str, tuple[int, int]]]  # section -> key -> [start, end) in the old file


def _old_units(layout: FileLayout, previous: Previous | None) -> _OldUnits | None:
    """The units of the file as the last build wrote it, if it is still there, unchanged."""
    if previous is None or layout.name not in previous.index:
        return None
    old = previous.index[layout.name]
    path = os.path.join(previous.folder, layout.name)
    if not old.unchanged(path):
        return None
    return _OldUnits(path, old.spans)


class _mapped:
    """The old file's bytes, mapped (no copy is read into memory), or nothing."""

    def __init__(self, path: str | None):
        self.path, self.file, self.map, self.view = path, None, None, None

    def __enter__(self):
        if self.path is None:
            return b""
        self.file = open(self.path, "rb")
        if os.fstat(self.file.fileno()).st_size == 0:
            return b""
        self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        self.view = memoryview(self.map)
        return self.view

    def __exit__(self, *exc) -> None:
        if self.view is not None:
            self.view.release()
        if self.map is not None:
            self.map.close()
        if self.file is not None:
            self.file.close()
