"""``zhitu build``: pages in, every output format out.

The steps are the data flow of the project: find and read pages -> extract
each page (a pure function of the page) -> resolve entities across pages ->
build the NetworkX graph -> write each format.  All formats are written into
a staging folder first and moved into place only when every one succeeded,
so a failed build leaves the previous outputs untouched.

Extraction is the only per-page step, so it is the one spread over processes
(``workers``) or a Dask cluster (``engine="dask"``, zhitu.engines), in
batches, with results taken back in page order; the merge runs once, here,
on every page's result.  Pages whose extraction is in the cache
(zhitu.cache) are not extracted again.  Only what the merge reads travels
back from a worker, is cached and is held for every page (zhitu.worker).

A rebuild into the same folder after pages were added merges only those onto
the last build's corpus and rewrites only the parts of each output file they
change (zhitu.build_state, graph/export/units.py): the same files as a build
from scratch, byte for byte.
"""
from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from zhitu.build_state import BuildState, forget_state, load_state, merge_fingerprint, page_key, save_state
from zhitu.cache import PageCache, extractor_fingerprint
from zhitu.collector import cyclic_gc_paused
from zhitu.engines import FORK, StartedWorkers, run_map
from zhitu.engines import check as check_engine
from zhitu.extract.doc import Doc, Page
from zhitu.extract.read import InputError, find_pages, read_pages
from zhitu.graph.build import build_graph
from zhitu.graph.curation import Curation, load_curation
from zhitu.graph.export import LAYOUTS
from zhitu.graph.export.html import pyvis_templates, shown_entities
from zhitu.graph.export.units import FileIndex, FileLayout, MissingUnit, Outline, Previous, Section, write_layouts
from zhitu.graph.resolve import Corpus
from zhitu.prestart import EARLY_WORKER_PAGES, start_workers_early
from zhitu.worker import MERGE_FIELDS, extract_batch, load_extractor

# pages a worker takes at a time: few enough to spread the work evenly, enough
# to keep the cost of shipping each batch small
MAX_BATCH = 16
# entities from which writing the outputs takes long enough (~10 s) to say so
LARGE_GRAPH = 20_000
WRITER_COPY_LIMIT = 1 << 30  # bytes: above this, the formats are written by this process alone


@dataclass(frozen=True)
class BuildOptions:
    workers: int = 1  # processes that extract pages (or Dask workers) and write the formats
    cache_dir: str | None = None  # None: extract every page
    engine: str = "local"  # one of zhitu.engines.ENGINES
    scheduler: str | None = None  # a Dask scheduler's address; None starts a local cluster
    curation_dir: str = "curation"  # hand corrections (graph/curation.py); a missing folder is none
    date: str = ""  # publication date of every page, YYYY-MM-DD, instead of the masthead's
    date_pattern: str = ""  # a regular expression with groups y, m, d that finds the date in a file name

    def __post_init__(self) -> None:
        check_engine(self.engine, self.workers, self.scheduler)
        if self.date:
            try:
                dt.date.fromisoformat(self.date)
            except ValueError:
                raise InputError(f"--date {self.date}: expected a date as YYYY-MM-DD") from None
        if self.date_pattern:
            try:
                groups = re.compile(self.date_pattern).groupindex
            except re.error as e:
                raise InputError(f"--date-pattern: not a regular expression: {e}") from None
            if not {"y", "m", "d"} <= set(groups):
                raise InputError("--date-pattern: needs the named groups (?P<y>…), (?P<m>…) and (?P<d>…)")

    def date_of(self, page: Page) -> str:
        """The publication date given from outside for a page ("" if none)."""
        if self.date:
            return self.date
        m = re.search(self.date_pattern, page.name) if self.date_pattern else None
        if m:
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
            except ValueError:
                return ""
        return ""



@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[str] = field(default_factory=list)
    cached: int = 0  # pages whose extraction came from the cache
    merged_before: int = 0  # pages the last build into the same folder had merged (none merged again)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)  # pages with no publication date
    stale_curation: list[str] = field(default_factory=list)  # curation entries that matched nothing

    def lines(self) -> list[str]:
        out = [f"documents: {self.documents}" + (f" ({len(self.skipped)} skipped)" if self.skipped else "")
               + (f" ({self.cached} from the cache)" if self.cached else "")
               + (f" ({self.merged_before} merged by the last build, {self.documents - self.merged_before} added)"
                  if self.merged_before else "")]
        out.append(f"entities: {sum(self.entities.values())}")
        out += [f"  {t:<16}{n:>7}" for t, n in sorted(self.entities.items())]
        out.append(f"relations: {sum(self.relations.values())}")
        out += [f"  {p:<18}{n:>5}" for p, n in sorted(self.relations.items())]
        stages = ", ".join(f"{name} {s:.1f}" for name, s in self.stage_seconds.items())
        if self.undated:
            out.append(f"pages with no date ({len(self.undated)}): " + ", ".join(self.undated[:10])
                       + (" …" if len(self.undated) > 10 else ""))
        if self.stale_curation:
            out.append("curation entries that matched nothing: " + ", ".join(self.stale_curation))
        out.append(f"time: {self.seconds:.1f} s ({stages})")
        out += [f"wrote {p}" for p in self.outputs]
        return out


class Progress:
    """One line on stderr, redrawn at most a few times a second; silent for short runs."""

    def __init__(self, total: int, label: str, stream=None, min_total: int = 20):
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.enabled = total >= min_total
        self.tty = getattr(self.stream, "isatty", lambda: False)()
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


def batches_of(pages: list[Page], workers: int) -> list[list[Page]]:
    size = max(1, min(MAX_BATCH, len(pages) // (workers * 4)))
    return [pages[i:i + size] for i in range(0, len(pages), size)]


def batch_key(batch: list[Page]) -> tuple:
    return tuple((page.path, page.sha1, page.date) for page in batch)


def extract_early(pages: list[Page], options: BuildOptions, started: StartedWorkers) -> None:
    """Hand the pages the cache lacks to the started workers now, if they are few: a build extracts them
    whether it merges onto the last build or from scratch, and finding out which takes reading the last
    build's state first (~0.2 s at 1,000 pages)."""
    cache = PageCache(options.cache_dir, variant=",".join(MERGE_FIELDS))
    missing = [page for page in pages if not cache.has(page)]
    if 0 < len(missing) <= EARLY_WORKER_PAGES:
        started.submit_early(extract_batch, batches_of(missing, options.workers), batch_key)


def extract_for_merge(pages: list[Page], options: BuildOptions, cache: PageCache | None = None,
                      started: StartedWorkers | None = None,
                      while_extracting: Callable[[], Any] | None = None) -> Iterator[Doc]:
    """Every page's Doc for the merge, in page order, as the workers give them back; each is stored in
    ``cache`` as it arrives.

    ``while_extracting`` runs here once the pages are handed to ``started`` workers.
    """
    if not pages:
        return  # (all cached: nothing to load the extractor for)
    if len(pages) > EARLY_WORKER_PAGES:
        started = None
    progress = Progress(len(pages), "extracting")
    done = 0
    results = run_map(extract_batch, batches_of(pages, options.workers), options.engine, options.workers,
                      options.scheduler, warm_up=load_extractor, started=started, key=batch_key)
    if while_extracting is not None:
        while_extracting()
    for fingerprint, batch in results:
        if fingerprint != extractor_fingerprint():
            raise InputError("a worker runs another version of the extractor: "
                             "install the same zhitu on every machine of the cluster")
        for doc in batch:
            if cache:
                cache.put(doc)
            yield doc
        done += len(batch)
        progress.update(done)
    if started is not None:
        started.release()  # (a worker's exit takes ~0.05 s: the merge need not wait for it)


def docs_for_merge(pages: list[Page], options: BuildOptions, report: BuildReport,
                   started: StartedWorkers | None = None,
                   while_extracting: Callable[[], Any] | None = None) -> Iterator[Doc]:
    """Every page's Doc for the merge, in page order: from the cache where it has them, else extracted
    (given as the workers give them back, so that merging need not wait for the last page)."""
    cache = PageCache(options.cache_dir, variant=",".join(MERGE_FIELDS)) if options.cache_dir else None
    with cyclic_gc_paused():
        found = [cache.get(page) if cache else None for page in pages]
    todo = [page for page, doc in zip(pages, found) if doc is None]
    report.cached = len(pages) - len(todo)
    fresh = extract_for_merge(todo, options, cache, started, while_extracting)
    for doc in found:
        yield doc if doc is not None else next(fresh)
    for _ in fresh:  # (none left: this runs the extraction to its end, which shuts its workers down)
        pass
    if cache:
        cache.prune()


# What the forked writer reads: every file to write, the folder, the last build's outputs and the shared
# count of files claimed so far (inherited through fork: a pickle would copy the graph), and where it sends
# the indexes of what it wrote
_to_write: tuple[list[FileLayout], str, Previous | None, Any, Any] | None = None


def _write_claimed() -> dict[str, FileIndex]:
    """Claim the next unwritten file and write it, until none is left; the indexes of what was written."""
    files, folder, previous, claimed, _ = _to_write
    written: dict[str, FileIndex] = {}
    while True:
        with claimed.get_lock():
            i = claimed.value
            claimed.value += 1
        if i >= len(files):
            return written
        written.update(write_layouts([files[i]], folder, previous))


def _write_claimed_and_send() -> None:
    _to_write[4].send(_write_claimed())


def _worth_a_copy() -> bool:
    """Is a second copy of this process (what a forked writer becomes) small and affordable?

    Small: under ``WRITER_COPY_LIMIT``; beyond that, the copy costs more memory
    than the writing time it saves is worth (at 10,000 pages: +1.5 GB to save
    about 20 s).  Affordable: the machine has memory available for two.
    """
    try:
        with open("/proc/meminfo") as f:
            available = next(int(line.split()[1]) for line in f if line.startswith("MemAvailable:"))
        with open("/proc/self/status") as f:
            resident = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return False
    return resident * 1024 <= WRITER_COPY_LIMIT and available > 2 * resident


def write_formats(G: nx.MultiDiGraph, outline: Outline, folder: str, previous: Previous | None = None,
                  workers: int = 1) -> dict[str, FileIndex]:
    """Every format into ``folder`` (units ``previous`` has unchanged copied from its files); where the units went.

    With more than one worker, the files are shared by this process and one
    forked one, each taking the next file left.  One forked writer, not more,
    and only for a graph of modest size (``_worth_a_copy``): it ends up with
    its own copy of the graph (it touches every object).  Graph.ttl takes ~40%
    of the writing, so more writers would gain little anyway.  A write that
    copies unchanged units is shared too: copying 170 MB and drawing
    graph.html take longer than a fork.
    """
    global _to_write
    files = [file for name, layout in LAYOUTS.items() for file in layout(G, outline, name)]
    if workers == 1 or not FORK or not _worth_a_copy():
        return write_layouts(files, folder, previous)
    if previous is not None:
        # first the files drawn whole (each byte rendered, none copied: graph.html takes longer than graph.ttl),
        # then the biggest, so that the two writers finish together
        files.sort(key=lambda file: (any(isinstance(part, Section) for part in file.parts),
                                     -previous.index[file.name].size if file.name in previous.index else 0))
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _to_write = (files, folder, previous, context.Value("i", 0), sending)
    writer = context.Process(target=_write_claimed_and_send, name="zhitu-writer")
    writer.start()
    sending.close()  # the writer's end: if the writer dies, reading meets the end of the pipe, not a wait
    try:
        written = _write_claimed()
        try:
            written.update(receiving.recv())
        except EOFError:
            pass  # the writer failed: its exit code says so below
    except BaseException:
        writer.terminate()
        raise
    finally:
        writer.join()
        receiving.close()
        _to_write = None
    if writer.exitcode != 0:
        raise RuntimeError(f"writing the outputs failed in the writer process (exit code {writer.exitcode})")
    return written


def write_outputs(G: nx.MultiDiGraph, outline: Outline, out_dir: str, previous: Previous | None = None,
                  workers: int = 1) -> tuple[list[str], dict[str, FileIndex]]:
    """Write every format into a staging folder, then move all of them into ``out_dir``."""
    if previous is None and len(outline.types) >= LARGE_GRAPH:
        print(f"writing {len(LAYOUTS)} formats of {len(outline.types):,} entities", file=sys.stderr, flush=True)
    os.makedirs(out_dir, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".staging-", dir=out_dir)
    try:
        index = write_formats(G, outline, staging, previous, workers)
        written = []
        replaced = os.path.join(staging, ".replaced")  # (deleted with the staging folder)
        os.mkdir(replaced)
        for name in LAYOUTS:
            src, dst, aside = os.path.join(staging, name), os.path.join(out_dir, name), os.path.join(replaced, name)
            # the last output is moved aside, not renamed over: ext4 writes a file out at once when it is
            # renamed over another (0.07 s for graph.ttl). Should the machine crash before it is written,
            # the build state finds the output damaged, and the next build writes it anew.
            had = os.path.lexists(dst)
            if had:
                os.replace(dst, aside)
            try:
                os.replace(src, dst)
            except BaseException:
                if had:
                    os.replace(aside, dst)
                raise
            written.append(dst)
        return written, index
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass
class Merged:
    """The corpus after this build's pages are merged, and what that changed."""
    corpus: Corpus
    before: BuildState | None = None  # the last build's state, if this build merged onto it
    touched: set[str] = field(default_factory=set)  # if so, the entities the added pages changed
    added: list[Doc] = field(default_factory=list)  # and the pages it added


def prepare_to_write(state: BuildState) -> None:
    """What writing onto the last build's outputs needs and the pages being extracted do not change:
    where its units are, graph.html's template."""
    for index in state.index.values():
        index.spans
    pyvis_templates()


def merge_pages(pages: list[Page], curation: Curation, fingerprint: str, out_dir: str, options: BuildOptions,
                report: BuildReport, timed: Callable[..., None], onto_last_build: bool = True,
                started: StartedWorkers | None = None) -> Merged:
    """Merge the pages onto the last build's corpus if that gives the same graph, else from scratch."""
    if started is not None and options.cache_dir:
        extract_early(pages, options, started)
    with cyclic_gc_paused():
        state = load_state(out_dir, fingerprint, curation) if options.cache_dir and onto_last_build else None
    added = state.pages_added(pages) if state else None
    if state is not None and added is not None:
        timed("resolve")
        docs = list(docs_for_merge(added, options, report, started, lambda: prepare_to_write(state)))
        timed("extract")
        corpus = state.corpus
        with cyclic_gc_paused():
            touched = corpus.add(docs, curation)
        timed("resolve")
        # an entity whose type changed changes its IRI on every page that names it: merge from scratch
        if all(corpus.entities[n].type == state.types[n] for n in touched if n in state.types):
            report.merged_before = len(state.pages)
            return Merged(corpus, state, touched, docs)
        del state, corpus
    curation.used.clear()  # (what merging onto the last build recorded)
    corpus = Corpus()
    merging = 0.0  # of the time the pages come in, what merging them took
    # the collector stays paused while pages come in from workers (its full collections would walk the
    # growing corpus again and again); extraction in this process makes garbage it must collect
    extracted_here = options.engine == "local" and options.workers == 1
    with nullcontext() if extracted_here else cyclic_gc_paused():
        for doc in docs_for_merge(pages, options, report, started):
            began = time.monotonic()
            with cyclic_gc_paused():
                corpus.add([doc], curation)
            merging += time.monotonic() - began
    timed("extract", leave=merging)
    timed("resolve")
    return Merged(corpus)


def merge_and_write(pages: list[Page], curation: Curation, fingerprint: str, out_dir: str, options: BuildOptions,
                    report: BuildReport, timed: Callable[..., None], onto_last_build: bool = True,
                    started: StartedWorkers | None = None) -> tuple[Corpus, dict[str, str]]:
    """Merge, build the graph, write every format and keep the state; the corpus and every entity's type."""
    merged = merge_pages(pages, curation, fingerprint, out_dir, options, report, timed, onto_last_build, started)
    corpus = merged.corpus
    with cyclic_gc_paused():
        report.stale_curation = [e.where for e in curation.stale()]
        types = {n: e.type for n, e in corpus.entities.items()}
        outline = Outline.of(types, list(corpus.edges), [d.id for d in corpus.documents])
        if merged.before is None:
            G, previous = build_graph(corpus), None
        else:  # the changed entities, and those graph.html shows
            G = build_graph(corpus, merged.touched | set(shown_entities(outline)))
            previous = Previous(out_dir, merged.before.index, merged.touched | set(corpus.page_mentions))
        timed("graph")
    gc.freeze()  # the graph lives to the end: the writers' garbage collection need not walk it
    try:
        report.outputs, index = write_outputs(G, outline, out_dir, previous, options.workers)
    finally:
        gc.unfreeze()
    timed("write")
    if options.cache_dir:
        corpus.page_mentions = {}  # each page's part is written; the state keeps what merging more pages needs
        before = merged.before
        with cyclic_gc_paused():
            save_state(out_dir, BuildState(fingerprint, [page_key(p) for p in pages], corpus, types, index,
                                           set(curation.used), before.added_bytes if before else 0,
                                           before.added_pages if before else 0),
                       merged.added if before else None)
    else:
        forget_state(out_dir)  # its outputs are gone
    return corpus, types


def run_build(inputs: list[str], out_dir: str, warn: Callable[[str], None],
              options: BuildOptions = BuildOptions(), started: StartedWorkers | None = None) -> BuildReport:
    """Build the graph of the pages into ``out_dir``; ``started``: extraction workers the caller started
    early (zhitu.prestart) and closes, else the build starts them when they may help."""
    report = BuildReport()
    t0 = clock = time.monotonic()

    def timed(stage: str, leave: float = 0.0) -> None:
        """The time since the last call goes to ``stage``, but for ``leave`` seconds left to the next one."""
        nonlocal clock
        now = time.monotonic() - leave
        report.stage_seconds[stage] = report.stage_seconds.get(stage, 0.0) + now - clock
        clock = now

    def skip(msg: str) -> None:
        report.skipped.append(msg)
        warn(msg)

    curation = load_curation(options.curation_dir)  # first: a bad line stops the build before any work
    fingerprint = merge_fingerprint(curation)
    paths = find_pages(inputs)
    own_workers = started is None
    if own_workers:
        started = start_workers_early(out_dir, options.engine, options.workers, options.cache_dir)
    try:
        pages = [replace(p, date=options.date_of(p)) for p in read_pages(paths, skip)]
        if not pages:
            raise InputError("no pages with text to build from")
        timed("read")
        try:
            corpus, types = merge_and_write(pages, curation, fingerprint, out_dir, options, report, timed,
                                            started=started)
        except MissingUnit:  # the last build's files lack a unit no added page changed: make every unit anew
            report.merged_before = 0
            curation.used.clear()
            corpus, types = merge_and_write(pages, curation, fingerprint, out_dir, options, report, timed,
                                            onto_last_build=False)  # (the started workers may be gone)
    finally:
        if own_workers and started is not None:
            started.close()
    timed("save")
    report.documents = len(corpus.documents)
    report.undated = [d.file_name for d in corpus.documents if not d.date]
    report.entities = Counter(types.values())
    report.relations = Counter(p for _, _, p in corpus.edges)
    report.seconds = time.monotonic() - t0
    return report
