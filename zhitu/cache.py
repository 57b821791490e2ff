"""The extraction cache: what extraction found on each page, kept on disk between builds.

Extraction is a pure function of a page and of the extractor (``extract/``:
its code, rules and lexicons, and the package data it reads), so an entry is
keyed by both:

* ``extractor_fingerprint()``: a hash of ``EXTRACTOR_VERSION``, every file of
  the ``zhitu.extract`` package (sources, ``rules/``, ``lexicons/``,
  ``models/``), the versions of jieba and jionlp (their dictionary and
  gazetteer feed extraction) and Python's version (its Unicode tables).  A
  rule edit changes the fingerprint by itself: nobody has to remember to bump
  the version;
* the page: its file name, the hash of its text (``Page.sha1``) and the date given for it.

Layout: ``DIR/extract-<fingerprint>/<k[:2]>/<k>.pickle``, one file a page, written
atomically, so builds may share a cache and a killed build keeps what it
extracted.  Entries of other fingerprints can never be hit again; all but the
few most recently used fingerprint folders are removed.

``load_or_build`` keeps what loading the extractor derives from its data files
(the gazetteer's tables, jieba's dictionary, the CRF models' arrays), so that a new process reads it in
a few milliseconds instead of building it again (most of ``load_extractor``'s
time); it lives in ``default_cache_dir()/loaded-<fingerprint>/``.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from zhitu.collector import cyclic_gc_paused
from zhitu.extract.doc import Doc, Page

# packages whose data files extraction reads
EXTRACTOR_DATA_PACKAGES = ("jieba", "jionlp")
KEEP_FINGERPRINTS = 3
FOLDER_PREFIX = "extract-"
_OUR_FOLDER = re.compile(re.escape(FOLDER_PREFIX) + "[0-9a-f]{20}")
LOADED_PREFIX = "loaded-"
_LOADED_FOLDER = re.compile(re.escape(LOADED_PREFIX) + "[0-9a-f]{20}")
Built = TypeVar("Built")


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "zhitu")


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    import zhitu.extract
    from zhitu.extract import EXTRACTOR_VERSION

    h = hashlib.sha256(f"{EXTRACTOR_VERSION}\0python {sys.version_info[0]}.{sys.version_info[1]}\0".encode())
    for name in EXTRACTOR_DATA_PACKAGES:
        h.update(f"{name} {metadata.version(name)}\0".encode())
    hash_files(h, Path(zhitu.extract.__path__[0]))
    return h.hexdigest()[:20]


# what an install builds from the sources (kernels.pyx -> kernels.c -> a shared library): hashing the source
# covers it, and the built files differ from machine to machine (a cluster's workers check fingerprints)
BUILT_SUFFIXES = (".c", ".so", ".pyd")


def hash_files(h, root: Path, pattern: str = "**/*") -> None:
    """Add each file of ``root`` matching ``pattern`` (its path inside ``root`` and its content) to ``h``,
    in path order: the sources, rules and data a fingerprint covers."""
    files = sorted(p for p in root.glob(pattern)
                   if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
                   and not p.name.endswith(BUILT_SUFFIXES))
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def load_or_build(name: str, kind: type[Built], build: Callable[[], Built]) -> Built:
    """What ``build()`` returns, read from the user's cache folder when this extractor stored it there.

    ``build`` must depend only on the extractor (``extractor_fingerprint()``).
    A missing, corrupt or unreadable entry is built and stored anew; a cache
    folder that cannot be written (a read-only home) only costs the building.
    """
    folder = os.path.join(default_cache_dir(), LOADED_PREFIX + extractor_fingerprint())
    path = os.path.join(folder, name + ".pickle")
    try:
        with cyclic_gc_paused(), open(path, "rb") as f:  # (unpickling makes ~100,000 objects)
            found = pickle.load(f)
        if isinstance(found, kind):
            return found
    except Exception:  # missing, truncated or from an incompatible library: built anew
        pass
    built = build()
    try:
        os.makedirs(folder, exist_ok=True)
        write_pickle_atomically(path, built)
        _prune_folders(os.path.dirname(folder), _LOADED_FOLDER, keep_too=folder)
    except OSError:  # a read-only or full cache folder: the next process builds it again
        pass
    return built


def write_pickle_atomically(path: str, value) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _prune_folders(parent: str, ours: re.Pattern, keep_too: str, keep: int = KEEP_FINGERPRINTS) -> None:
    """Remove all but the ``keep`` most recently changed folders of ``parent`` named by ``ours`` (and
    never ``keep_too``)."""
    folders = [e for e in os.scandir(parent) if e.is_dir() and ours.fullmatch(e.name)]
    folders.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    for entry in folders[keep:]:
        if entry.path != keep_too:
            shutil.rmtree(entry.path, ignore_errors=True)


class PageCache:
    """Docs by page, for one extractor fingerprint.

    ``variant`` names anything else the stored Docs depend on (the build
    stores Docs slimmed to the fields the merge reads, and names those fields).
    """

    def __init__(self, folder: str, variant: str = ""):
        self.fingerprint = hashlib.sha256(f"{extractor_fingerprint()}\0{variant}".encode()).hexdigest()[:20]
        self.folder = os.path.join(folder, FOLDER_PREFIX + self.fingerprint)
        os.makedirs(self.folder, exist_ok=True)
        os.utime(self.folder)  # most recently used, for prune()

    def _path(self, page: Page) -> str:
        key = hashlib.sha256(f"{page.name}\0{page.sha1}\0{page.date}".encode("utf-8")).hexdigest()
        return os.path.join(self.folder, key[:2], key + ".pickle")

    def has(self, page: Page) -> bool:
        """Is there an entry for the page (``get`` may still find it unreadable)?"""
        return os.path.exists(self._path(page))

    def get(self, page: Page) -> Doc | None:
        try:
            with open(self._path(page), "rb") as f:
                found = pickle.load(f)
        except Exception:  # missing, truncated or unreadable: a miss, and the entry is written anew
            return None
        return Doc(page=page, **found)

    def put(self, doc: Doc) -> None:
        """Store what extraction added to the page (the page itself is read again on every build)."""
        found = {f.name: getattr(doc, f.name) for f in fields(doc) if f.name != "page"}
        path = self._path(doc.page)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_pickle_atomically(path, found)

    def prune(self, keep: int = KEEP_FINGERPRINTS) -> None:
        """Remove the folders of all but the ``keep`` most recently used fingerprints (and nothing else)."""
        _prune_folders(os.path.dirname(self.folder), _OUR_FOLDER, keep_too=self.folder, keep=keep)
