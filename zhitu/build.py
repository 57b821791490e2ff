"""``zhitu build``: pages in, every output format out.

The steps are the data flow of the project: find and read pages -> extract
each page (a pure function of the page) -> resolve entities across pages ->
build the NetworkX graph -> write each format.  All formats are written into
a staging folder first and moved into place only when every one succeeded,
so a failed build leaves the previous outputs untouched.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from zhitu.extract.doc import Doc
from zhitu.extract.pipeline import extract_page
from zhitu.extract.read import InputError, find_pages, read_page
from zhitu.graph.build import PREDICATE, TYPE, build_graph
from zhitu.graph.export import EXPORTS
from zhitu.graph.resolve import resolve


@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[str] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"documents: {self.documents}" + (f" ({len(self.skipped)} skipped)" if self.skipped else "")]
        out.append(f"entities: {sum(self.entities.values())}")
        out += [f"  {t:<16}{n:>7}" for t, n in sorted(self.entities.items())]
        out.append(f"relations: {sum(self.relations.values())}")
        out += [f"  {p:<18}{n:>5}" for p, n in sorted(self.relations.items())]
        out.append(f"time: {self.seconds:.1f} s")
        out += [f"wrote {p}" for p in self.outputs]
        return out


class Progress:
    """One line on stderr, redrawn at most a few times a second; silent for short runs."""

    def __init__(self, total: int, label: str, stream=None, min_total: int = 20):
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.enabled = total >= min_total
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.last = 0.0
        self.start = time.monotonic()

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = done == self.total
        if not final and now - self.last < (0.25 if self.tty else 5.0):
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        msg = f"{self.label}: {done}/{self.total} pages ({rate:.1f}/s)"
        if self.tty:
            self.stream.write("\r" + msg + ("\n" if final else ""))
        else:
            self.stream.write(msg + "\n")
        self.stream.flush()


def extract_all(paths: list[str], warn: Callable[[str], None]) -> list[Doc]:
    docs = []
    progress = Progress(len(paths), "extracting")
    for i, path in enumerate(paths, 1):
        page = read_page(path)
        if page is None:
            warn(f"{path}: empty file, skipped")
        else:
            docs.append(extract_page(page))
        progress.update(i)
    return docs


def write_outputs(G: nx.MultiDiGraph, out_dir: str) -> list[str]:
    """Write every format into a staging folder, then move all of them into ``out_dir``."""
    os.makedirs(out_dir, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".staging-", dir=out_dir)
    try:
        for name, write in EXPORTS.items():
            write(G, os.path.join(staging, name))
        written = []
        for name in EXPORTS:
            src, dst = os.path.join(staging, name), os.path.join(out_dir, name)
            if os.path.isdir(src):
                old = None
                if os.path.exists(dst):
                    old = dst + ".old"
                    shutil.rmtree(old, ignore_errors=True)
                    os.replace(dst, old)
                os.replace(src, dst)
                if old:
                    shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(src, dst)
            written.append(dst)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def run_build(inputs: list[str], out_dir: str, warn: Callable[[str], None]) -> BuildReport:
    t0 = time.monotonic()
    report = BuildReport()
    paths = find_pages(inputs)

    def skip(msg: str) -> None:
        report.skipped.append(msg)
        warn(msg)

    docs = extract_all(paths, skip)
    if not docs:
        raise InputError("no pages with text to build from")
    G = build_graph(resolve(docs))
    report.outputs = write_outputs(G, out_dir)
    report.documents = len(docs)
    report.entities = Counter(d[TYPE] for _, d in G.nodes(data=True))
    report.relations = Counter(d[PREDICATE] for _, _, d in G.edges(data=True))
    report.seconds = time.monotonic() - t0
    return report
