"""What the last build into an output folder merged and wrote, kept beside its outputs.

A build that finds it can add the pages that came since instead of merging
every page again: the state holds the merged corpus (counts and evidence, not
each page's mentions) and where each unit of each output file is
(graph/export/units.py), so only the units the new pages touch are written.

It is used only when the new build would give the same result from it:

* the same merge: a fingerprint of the extractor (zhitu.cache), of the code
  that merges and writes (the ``zhitu.graph`` and ``zhitu.ontology`` packages,
  the build's own modules, the versions of the libraries that format the
  outputs) and of the curation;
* the same pages first: the last build's pages, unchanged and in the same
  order, begin the new list (a corpus grows at its end; anything else, a page
  changed or removed or sorted in between, merges from scratch, from the cache);
* the same outputs: every file is the one the last build wrote (size and time).

Three files in ``STATE_FOLDER``: the corpus as a build merged it from scratch
(``base``), the pages each later build added (``added``: their extraction,
appended, so such a build writes a few pages instead of the whole corpus and
the next one merges them in again, ~1 ms a page), and the outputs' index
(``outputs``: rewritten by every build, naming how much of ``added`` holds).
Once the added pages outnumber a twentieth of the base, a build writes a new
base.  Any doubt (a missing, unreadable or foreign file) means a full merge,
never a wrong graph.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from zhitu.cache import extractor_fingerprint, hash_files, write_pickle_atomically
from zhitu.extract.doc import Doc, Page
from zhitu.graph.curation import Curation
from zhitu.graph.export.units import FileIndex
from zhitu.graph.resolve import Corpus
from zhitu.prestart import STATE_FOLDER

# libraries whose formatting is part of the outputs
OUTPUT_LIBRARIES = ("rdflib", "networkx", "pyvis")
STATE_VERSION = 2
COMPACT_SHARE = 20  # a new base once the added pages outnumber 1/COMPACT_SHARE of its pages


@dataclass
class _Base:
    fingerprint: str
    pages: list[tuple[str, str, str, str]]
    corpus: Corpus  # merged, without the pages' own mentions
    curation_used: set[str]


@dataclass
class _Outputs:
    fingerprint: str
    pages: list[tuple[str, str, str, str]]  # every page, base and added
    added_bytes: int  # how much of the added file belongs to this state
    added_pages: int
    types: dict[str, str]  # entity id -> the type the outputs gave it
    index: dict[str, FileIndex]  # output file (path inside the folder) -> where its units are


@dataclass
class BuildState:
    """The last build's merge and outputs, as a new build starts from them."""
    fingerprint: str
    pages: list[tuple[str, str, str, str]]  # (path, file name, content hash, date) of each page, in page order
    corpus: Corpus  # merged, without the pages' own mentions
    types: dict[str, str]  # entity id -> the type the outputs gave it
    index: dict[str, FileIndex]  # output file (path inside the folder) -> where its units are
    curation_used: set[str] = field(default_factory=set)  # curation entries that matched a page
    added_bytes: int = 0
    added_pages: int = 0

    def pages_added(self, pages: list[Page]) -> list[Page] | None:
        """The pages after the last build's, if the last build's begin ``pages`` unchanged; else None."""
        if len(pages) < len(self.pages) or any(page_key(p) != k for p, k in zip(pages, self.pages)):
            return None
        return pages[len(self.pages):]


def page_key(page: Page) -> tuple[str, str, str, str]:
    """What the merge takes from a page besides its text (the Neo4j export names its path)."""
    return page.path, page.name, page.sha1, page.date


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    import zhitu
    import zhitu.graph
    import zhitu.ontology

    h = hashlib.sha256(f"{STATE_VERSION}\0{extractor_fingerprint()}\0".encode())
    for name in OUTPUT_LIBRARIES:
        h.update(f"{name} {metadata.version(name)}\0".encode())
    # the merge and the writers, their vocabulary, and the build that drives them (zhitu/*.py)
    for package, pattern in ((zhitu.graph, "**/*"), (zhitu.ontology, "**/*"), (zhitu, "*.py")):
        h.update(package.__name__.encode() + b"\0")
        hash_files(h, Path(package.__path__[0]), pattern)
    return h.hexdigest()


def merge_fingerprint(curation: Curation) -> str:
    """What the merged graph depends on besides the pages."""
    entries = sorted((e.file, e.line, e.fields) for e in curation.entries())
    return hashlib.sha256(f"{_code_fingerprint()}\0{entries!r}".encode()).hexdigest()[:20]


def load_state(folder: str, fingerprint: str, curation: Curation) -> BuildState | None:
    """The state of the last build into ``folder``, if it was made by the same merge and its outputs are intact.

    The pages added since the base are merged in again (with ``curation``, whose use they record).
    """
    state_folder = os.path.join(folder, STATE_FOLDER)
    try:
        with open(os.path.join(state_folder, "outputs.pickle"), "rb") as f:
            outputs = pickle.load(f)
        if not isinstance(outputs, _Outputs) or outputs.fingerprint != fingerprint or not all(
                index.unchanged(os.path.join(folder, name)) for name, index in outputs.index.items()):
            return None
        with open(os.path.join(state_folder, "base.pickle"), "rb") as f:
            base = pickle.load(f)
        pages, corpus = base.pages, base.corpus
        if not isinstance(base, _Base) or base.fingerprint != fingerprint:
            return None
        curation.used |= base.curation_used
        with open(os.path.join(state_folder, "added.pickle"), "rb") as f:
            while f.tell() < outputs.added_bytes:
                keys, docs = pickle.load(f)
                corpus.add(docs, curation)
                pages = pages + keys
        corpus.page_mentions = {}  # their part of the outputs is written
    except Exception:  # missing, truncated, from another version: merge from scratch
        return None
    if pages != outputs.pages:
        return None
    return BuildState(fingerprint, pages, corpus, outputs.types, outputs.index, set(curation.used),
                      outputs.added_bytes, outputs.added_pages)


def save_state(folder: str, state: BuildState, added: list[Doc] | None = None) -> None:
    """Keep ``state``; with ``added``, the pages this build merged onto the last one (else it merged all).

    ``state.corpus`` must not hold the pages' own mentions any more.
    """
    state_folder = os.path.join(folder, STATE_FOLDER)
    os.makedirs(state_folder, exist_ok=True)
    added_path = os.path.join(state_folder, "added.pickle")
    if added is not None and (state.added_pages + len(added)) * COMPACT_SHARE <= len(state.pages):
        with open(added_path, "r+b" if os.path.exists(added_path) else "wb") as f:
            f.truncate(state.added_bytes)  # (anything after it is from a build that did not finish)
            f.seek(state.added_bytes)
            pickle.dump(([page_key(d.page) for d in added], added), f, protocol=pickle.HIGHEST_PROTOCOL)
            added_bytes, added_pages = f.tell(), state.added_pages + len(added)
    else:
        write_pickle_atomically(os.path.join(state_folder, "base.pickle"),
                                _Base(state.fingerprint, state.pages, state.corpus, state.curation_used))
        with open(added_path, "wb"):
            added_bytes, added_pages = 0, 0
    write_pickle_atomically(os.path.join(state_folder, "outputs.pickle"),
                            _Outputs(state.fingerprint, state.pages, added_bytes, added_pages, state.types, state.index))


def forget_state(folder: str) -> None:
    shutil.rmtree(os.path.join(folder, STATE_FOLDER), ignore_errors=True)
