"""``zhitu bench scale``: build time, throughput, memory and output size as the corpus grows.

For each corpus size (pages made by ``zhitu bench corpus``), ``zhitu build``
runs as a subprocess; its memory is the peak, sampled from /proc, of the PSS
summed over the build process and its children (PSS shares a page between
the processes that map it, so forked workers are not counted twice), beside
``ru_maxrss``, the largest single process.  Then, on one corpus (1,000 pages
by default), a build on one worker against the parallel one, and an
incremental build after adding ten pages against a full build of the same
pages; and SPARQL latency over the largest graph, rdflib against pyoxigraph.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from zhitu import __version__
from zhitu.benchmarks.corpus import add_corpus_options, corpus_digest, write_corpus
from zhitu.cache import extractor_fingerprint
from zhitu.extract.read import InputError

DEFAULT_PAGES = "100,1000,10000"
ADDED_PAGES = 10
INCREMENTAL_RUNS = 3  # the incremental build's time is ~2 s: a busy moment of the machine moves it by a tenth
# rdflib holds ~1 KB a triple and parses ~25k triples/s: beyond this it is left out
RDFLIB_MAX_TRIPLES = 2_500_000
QUERY_RUNS = 3
PREFIXES = """PREFIX zt: <https://w3id.org/zhitu/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
# name -> query; {place} is the label of the place most things are located in
QUERIES = {
    "lookup: entities named like a place": """
SELECT ?e ?type WHERE { ?e rdfs:label "{place}"@zh ; a ?type }""",
    # the labels before the OPTIONAL: after it, pyoxigraph 0.5 joins every label with every
    # label first (7.8 s instead of 0.02 s on 100 pages, growing with the square of the graph)
    "2-hop join: post holders with evidence": """
SELECT ?person ?role ?body ?sentence WHERE {
  ?st a zt:Statement ; rdf:predicate zt:holdsPosition ;
      rdf:subject ?p ; rdf:object ?b ; zt:evidence ?sentence .
  ?p rdfs:label ?person . ?b rdfs:label ?body .
  OPTIONAL { ?st zt:role ?role }
}""",
    "property path: all located in a place": """
SELECT ?name WHERE {
  ?place rdfs:label "{place}"@zh .
  ?x zt:locatedIn/zt:partOf* ?place ; rdfs:label ?name .
}""",
    "aggregate: most-mentioned entities": """
SELECT ?name (COUNT(?doc) AS ?pages) WHERE {
  ?doc zt:mentions ?e . ?e rdfs:label ?name .
} GROUP BY ?name ORDER BY DESC(?pages) LIMIT 10""",
}
BUSIEST_PLACE = """
SELECT ?name (COUNT(?x) AS ?n) WHERE { ?x zt:locatedIn ?p . ?p a zt:Place ; rdfs:label ?name }
GROUP BY ?name ORDER BY DESC(?n) ?name LIMIT 1"""


@dataclass
class BuildRun:
    pages: int
    characters: int
    workers: int
    seconds: float
    stages: dict[str, float]
    cpu_seconds: float  # user + system, all processes of the build
    peak_pss: int  # bytes, summed over the process tree
    max_rss: int  # bytes, the largest single process
    outputs: dict[str, int] = field(default_factory=dict)  # file or folder -> bytes
    load: float = 0.0  # the machine's 1-minute load average at the end

    @property
    def extraction_rate_per_core(self) -> float:
        return self.characters / max(self.stages.get("extract", 0.0), 1e-9) / self.workers


def measure_build(corpus: str, out: str, workers: int, cache: str | None = None) -> BuildRun:
    """``zhitu build`` as a subprocess, measured."""
    command = [sys.executable, "-m", "zhitu", "build", corpus, "--out", out, "--workers", str(workers)]
    command += ["--cache", cache] if cache else ["--no-cache"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    monitor = TreeMemory(process.pid)
    monitor.start()
    stdout, _ = process.communicate()
    seconds = time.monotonic() - start
    monitor.stop()
    if process.returncode != 0:
        raise InputError(f"zhitu build {corpus} failed (exit {process.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages = {name: float(s) for name, s in re.findall(r"(\w+) ([\d.]+)", _line(stdout, "time:").partition("(")[2])}
    pages = int(re.search(r"documents: (\d+)", stdout).group(1))
    return BuildRun(pages=pages, characters=_characters(corpus),
                    workers=workers, seconds=seconds, stages=stages,
                    cpu_seconds=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                    peak_pss=monitor.peak, max_rss=after.ru_maxrss * 1024, outputs=_sizes(out),
                    load=os.getloadavg()[0])


def _line(text: str, prefix: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(prefix))


def _characters(corpus: str) -> int:
    total = 0
    for name in os.listdir(corpus):
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            total += len(f.read())
    return total


def _sizes(out: str) -> dict[str, int]:
    sizes = {}
    for entry in os.scandir(out):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            sizes[entry.name] = sum(e.stat().st_size for e in os.scandir(entry.path) if e.is_file())
        else:
            sizes[entry.name] = entry.stat().st_size
    return sizes


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants; ``peak`` is the highest sum seen."""

    INTERVAL = 0.5

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak = pid, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.INTERVAL):
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid)))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _tree(root: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    # the command name (field 2) may hold spaces: the parent follows its ")"
                    parents[int(entry)] = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# ---- SPARQL ---------------------------------------------------------------------------------------

@dataclass
class QueryTimes:
    name: str
    rows: int
    pyoxigraph: float  # seconds, median of QUERY_RUNS
    rdflib: float | None  # None: rdflib was not run on this graph


def sparql_latency(ttl: str, say) -> tuple[int, dict[str, float], list[QueryTimes]]:
    """Triples, load times and per-query latency; rdflib only up to ``RDFLIB_MAX_TRIPLES``.

    Each query must give as many rows on both engines.
    """
    import pyoxigraph as ox

    loads = {}
    say(f"loading {ttl} into pyoxigraph")
    start = time.monotonic()
    store = ox.Store()
    store.bulk_load(path=ttl, format=ox.RdfFormat.TURTLE)
    loads["pyoxigraph"] = time.monotonic() - start
    triples = len(store)
    graph = None
    if triples <= RDFLIB_MAX_TRIPLES:
        from rdflib import Graph

        say(f"loading {ttl} into rdflib")
        start = time.monotonic()
        graph = Graph().parse(ttl, format="turtle")
        loads["rdflib"] = time.monotonic() - start
    place = next(iter(store.query(PREFIXES + BUSIEST_PLACE)))["name"].value
    results = []
    for name, body in QUERIES.items():
        query = PREFIXES + body.replace("{place}", place)
        say(f"query: {name}")
        ox_seconds, ox_rows = _timed(lambda: list(store.query(query)))
        rdflib_seconds = None
        if graph is not None:
            rdflib_seconds, rdflib_rows = _timed(lambda: list(graph.query(query)))
            if len(rdflib_rows) != len(ox_rows):
                raise RuntimeError(f"{name}: rdflib gives {len(rdflib_rows)} rows, pyoxigraph {len(ox_rows)}")
        results.append(QueryTimes(name=name, rows=len(ox_rows), pyoxigraph=ox_seconds, rdflib=rdflib_seconds))
    return triples, loads, results


def sparql_table(pages: int, triples: int, loads: dict[str, float], queries: list[QueryTimes]) -> list[str]:
    lines = [f"SPARQL over the {pages:,}-page graph ({triples:,} triples), median of {QUERY_RUNS} runs"
             + ("" if "rdflib" in loads else f" (rdflib left out above {RDFLIB_MAX_TRIPLES:,} triples)") + ":", "",
             "| | rows | pyoxigraph (s) | rdflib (s) |", "|---|---|---|---|",
             f"| load graph.ttl | | {loads['pyoxigraph']:.1f} | {_seconds(loads.get('rdflib'))} |"]
    lines += [f"| {q.name} | {q.rows:,} | {q.pyoxigraph:.3f} | {_seconds(q.rdflib, 3)} |" for q in queries]
    return lines + [""]


def _timed(run):
    times, answer = [], None
    for _ in range(QUERY_RUNS):
        start = time.monotonic()
        answer = run()
        times.append(time.monotonic() - start)
    return statistics.median(times), answer


# ---- the benchmark --------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def scale_table(runs: list[BuildRun]) -> list[str]:
    lines = ["| pages | characters | build (s) | extract (s) | chars/s per core | resolve + graph (s) "
             "| write (s) | CPU (s) | peak memory (PSS, all processes) | largest process (RSS) "
             "| graph.ttl | all outputs | load avg |",
             "|" + "---|" * 13]
    for r in runs:
        merge = r.stages.get("resolve", 0) + r.stages.get("graph", 0)
        lines.append(f"| {r.pages:,} | {r.characters:,} | {r.seconds:.1f} | {r.stages.get('extract', 0):.1f} "
                     f"| {r.extraction_rate_per_core:,.0f} | {merge:.1f} | {r.stages.get('write', 0):.1f} "
                     f"| {r.cpu_seconds:.0f} | {_mb(r.peak_pss)} | {_mb(r.max_rss)} "
                     f"| {_mb(r.outputs.get('graph.ttl', 0))} | {_mb(sum(r.outputs.values()))} | {r.load:.1f} |")
    return lines


def _stages(r: BuildRun) -> str:
    return ", ".join(f"{name} {s:.1f}" for name, s in r.stages.items())


def run(args: argparse.Namespace) -> int:
    sizes = sorted({int(n) for n in args.pages.split(",") if n.strip()})
    if not sizes or sizes[0] < 1:
        raise InputError(f"--pages needs page counts above 0, e.g. {DEFAULT_PAGES}")
    compare = args.compare_pages if args.compare_pages is not None else (1000 if 1000 in sizes else sizes[0])
    folder = args.keep or tempfile.mkdtemp(prefix="zhitu-scale-")
    os.makedirs(folder, exist_ok=True)

    def say(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def write(path: str, pages: int) -> None:
        write_corpus(path, pages, args.seed, args.seeds, args.sources)

    def corpus(pages: int) -> str:
        path = os.path.join(folder, f"corpus-{pages}")
        shutil.rmtree(path, ignore_errors=True)
        say(f"writing {pages:,} pages into {path}")
        write(path, pages)
        return path

    def build(corpus_dir: str, name: str, workers: int, cache: str | None = None) -> BuildRun:
        say(f"building {corpus_dir} with {workers} worker(s){' and the cache' if cache else ''}")
        result = measure_build(corpus_dir, os.path.join(folder, name), workers, cache)
        say(f"  {result.seconds:.1f} s ({_stages(result)}), peak {_mb(result.peak_pss)}")
        return result

    def emit(lines: list[str]) -> None:
        print("\n".join(lines), flush=True)

    try:
        emit([f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the start",
              f"zhitu {__version__}, extractor {extractor_fingerprint()}; {args.workers} workers; "
              f"corpus seed {args.seed}", ""])
        runs = []
        for pages in sizes:
            path = corpus(pages)
            runs.append(build(path, f"out-{pages}", args.workers))
            emit([f"corpus-{pages}: digest {corpus_digest([os.path.join(path, p) for p in os.listdir(path)])}"])
        emit(["", "Scale (each build from scratch, no cache):", "", *scale_table(runs), ""])
        if compare in sizes:
            emit(compare_section(compare, args.workers, folder, build, write))
        # the largest graph, and the largest one rdflib can hold if that is another
        for pages in reversed(sizes):
            triples, loads, queries = sparql_latency(os.path.join(folder, f"out-{pages}", "graph.ttl"), say)
            emit(sparql_table(pages, triples, loads, queries))
            if "rdflib" in loads:
                break
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _seconds(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def compare_section(pages: int, workers: int, folder: str, build, write) -> list[str]:
    """One worker against ``workers``; an incremental build against a full one: times and same-graph checks.

    The machine may be shared: the two settings take turns, twice, and the faster run of each counts.
    """
    path = os.path.join(folder, f"corpus-{pages}")
    runs = {1: [], workers: []}
    for turn in range(2):
        for n in runs:
            runs[n].append(build(path, f"out-{pages}-{n}workers", n))
    same = _same_outputs(folder, f"out-{pages}-1workers", f"out-{pages}-{workers}workers")
    best = {n: min(rs, key=lambda r: r.seconds) for n, rs in runs.items()}
    lines = [f"Parallel extraction on {pages:,} pages (each setting built twice, in turns; the faster run):", "",
             "| workers | build (s) | extract (s) | write (s) | CPU (s) | peak memory | load avg | both runs (s) |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {n} | {r.seconds:.1f} | {r.stages['extract']:.1f} | {r.stages['write']:.1f} | {r.cpu_seconds:.0f} "
              f"| {_mb(r.peak_pss)} | {r.load:.1f} | {', '.join(f'{x.seconds:.1f}' for x in runs[n])} |"
              for n, r in best.items()]
    lines += ["", f"Speed-up with {workers} workers: build {best[1].seconds / best[workers].seconds:.2f}x, "
              f"extraction {best[1].stages['extract'] / best[workers].stages['extract']:.2f}x; "
              f"every output identical to the 1-worker build's: {'yes' if same else 'NO'}", ""]

    name = f"out-{pages}-cached"
    cache, out = os.path.join(folder, "cache"), os.path.join(folder, name)
    shutil.rmtree(cache, ignore_errors=True)
    cold = build(path, name, workers, cache)
    # the build's outputs, state and cache, kept to start each incremental run from (times and all)
    kept = os.path.join(folder, "before-adding")
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(out, os.path.join(kept, "out"))
    shutil.copytree(cache, os.path.join(kept, "cache"))
    write(path, pages + ADDED_PAGES)  # the same pages (a corpus grows at its end) and ten more
    incremental_runs = []
    for turn in range(INCREMENTAL_RUNS):
        if turn:
            for kept_name, target in (("out", out), ("cache", cache)):
                shutil.rmtree(target)
                shutil.copytree(os.path.join(kept, kept_name), target)
        incremental_runs.append(build(path, name, workers, cache))
    shutil.rmtree(kept)
    incremental = sorted(incremental_runs, key=lambda r: r.seconds)[len(incremental_runs) // 2]
    full = build(path, f"out-{pages + ADDED_PAGES}", workers)
    same = _same_outputs(folder, name, f"out-{pages + ADDED_PAGES}")
    lines += [f"Incremental build: {pages:,} pages with a cache, then {ADDED_PAGES} pages added "
              f"({INCREMENTAL_RUNS} times from the same start: the median run):", "",
              "| build | pages extracted | time (s) | stages (s) | load avg |", "|---|---|---|---|---|",
              f"| first, filling the cache | {pages:,} | {cold.seconds:.1f} | {_stages(cold)} | {cold.load:.1f} |",
              f"| after adding {ADDED_PAGES} pages | {ADDED_PAGES} | {incremental.seconds:.1f} | {_stages(incremental)} "
              f"| {incremental.load:.1f} |",
              f"| full, no cache | {pages + ADDED_PAGES:,} | {full.seconds:.1f} | {_stages(full)} | {full.load:.1f} |", "",
              f"Incremental / full: {incremental.seconds / full.seconds:.1%} (each run: "
              f"{', '.join(f'{r.seconds / full.seconds:.1%}' for r in incremental_runs)}); "
              f"every output identical to the full build's: {'yes' if same else 'NO'}", ""]
    return lines


def _same_outputs(folder: str, a: str, b: str) -> bool:
    """Do two output folders hold the same files, byte for byte (the build state aside)?"""
    def files(out: str) -> dict[str, bytes]:
        root = os.path.join(folder, out)
        found = {}
        for path, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                with open(os.path.join(path, name), "rb") as f:
                    found[os.path.relpath(os.path.join(path, name), root)] = f.read()
        return found

    return files(a) == files(b)


def register(sub: argparse._SubParsersAction) -> None:
    from zhitu.engines import default_workers

    p = sub.add_parser(
        "scale",
        help="build time, extraction speed, memory and output size at growing corpus sizes",
        description="Write corpora of growing size (zhitu bench corpus), build each with `zhitu build` in a "
        "subprocess and print a table of time, characters per second per core, peak memory and output size; "
        "then compare one worker with several and an incremental build with a full one on one corpus, and "
        "time SPARQL queries over the largest graph with rdflib and pyoxigraph.",
    )
    p.add_argument("--pages", default=DEFAULT_PAGES, metavar="N,N,…",
                   help=f"corpus sizes, comma-separated (default: {DEFAULT_PAGES})")
    p.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                   help="extraction processes of each build (default: the number of cores, %(default)s)")
    p.add_argument("--compare-pages", type=int, metavar="N",
                   help="corpus size for the 1-worker and incremental comparisons; one of --pages "
                   "(default: 1000 if listed, else the smallest)")
    p.add_argument("--keep", metavar="DIR", help="write corpora and outputs here and keep them "
                   "(default: a temporary folder, removed at the end)")
    add_corpus_options(p)
    p.set_defaults(func=run)
