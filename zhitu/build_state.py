"""What the last build into an output folder merged and wrote, kept beside its outputs.

A build that finds it can add the pages that came since instead of merging
every page again: the state holds the merged corpus (counts and evidence, not
each page's mentions) and where each unit of each output file is
(graph/export/units.py), so only the units the new pages touch are written.

It is used only when the new build would give the same result from it:

* the same merge: a fingerprint of the extractor (zhitu.cache), of the code
  that merges and writes (the ``zhitu.graph`` and ``zhitu.ontology`` packages,
  the versions of the libraries that format the outputs) and of the curation;
* the same pages first: the last build's pages, unchanged and in the same
  order, begin the new list (a corpus grows at its end; anything else, a page
  changed or removed or sorted in between, merges from scratch, from the cache);
* the same outputs: every file is the one the last build wrote (size and time).

One pickle, written atomically after the outputs are in place; any doubt (a
missing, unreadable or foreign file) means a full merge, never a wrong graph.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from zhitu.cache import extractor_fingerprint, write_pickle_atomically
from zhitu.extract.doc import Page
from zhitu.graph.curation import Curation
from zhitu.graph.export.units import FileIndex
from zhitu.graph.resolve import Corpus

STATE_FILE = ".zhitu-build-state.pickle"
# libraries whose formatting is part of the outputs
OUTPUT_LIBRARIES = ("rdflib", "networkx", "pyvis")
STATE_VERSION = 1


@dataclass
class BuildState:
    fingerprint: str
    pages: list[tuple[str, str, str]]  # (file name, content hash, date) of each page, in page order
    corpus: Corpus  # merged, without the pages' own mentions
    types: dict[str, str]  # entity id -> the type the outputs gave it
    index: dict[str, FileIndex]  # output file (path inside the folder) -> where its units are
    curation_used: set[str] = field(default_factory=set)  # curation entries that matched a page

    def outputs_unchanged(self, folder: str) -> bool:
        return all(index.unchanged(os.path.join(folder, name)) for name, index in self.index.items())

    def pages_added(self, pages: list[Page]) -> list[Page] | None:
        """The pages after the last build's, if the last build's begin ``pages`` unchanged; else None."""
        if len(pages) < len(self.pages) or any(page_key(p) != k for p, k in zip(pages, self.pages)):
            return None
        return pages[len(self.pages):]


def page_key(page: Page) -> tuple[str, str, str]:
    return page.name, page.sha1, page.date


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    import zhitu.graph
    import zhitu.ontology

    h = hashlib.sha256(f"{STATE_VERSION}\0{extractor_fingerprint()}\0".encode())
    for name in OUTPUT_LIBRARIES:
        h.update(f"{name} {metadata.version(name)}\0".encode())
    for package in (zhitu.graph, zhitu.ontology):
        root = Path(package.__path__[0])
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def merge_fingerprint(curation: Curation) -> str:
    """What the merged graph depends on besides the pages."""
    entries = sorted((e.file, e.line, e.fields) for e in curation.entries())
    return hashlib.sha256(f"{_code_fingerprint()}\0{entries!r}".encode()).hexdigest()[:20]


def load_state(folder: str, fingerprint: str) -> BuildState | None:
    """The state of the last build into ``folder``, if it was made by the same merge and its outputs are intact."""
    try:
        with open(os.path.join(folder, STATE_FILE), "rb") as f:
            state = pickle.load(f)
    except Exception:  # missing, truncated, from another version: merge from scratch
        return None
    if not isinstance(state, BuildState) or state.fingerprint != fingerprint or not state.outputs_unchanged(folder):
        return None
    return state


def save_state(folder: str, state: BuildState) -> None:
    write_pickle_atomically(os.path.join(folder, STATE_FILE), state)


def forget_state(folder: str) -> None:
    try:
        os.unlink(os.path.join(folder, STATE_FILE))
    except FileNotFoundError:
        pass
