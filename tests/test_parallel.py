"""Parallel builds: the same outputs from any number of workers, and the streamed Turtle holds the graph's triples."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

import zhitu.build
from zhitu.build import BuildOptions, run_build
from zhitu.engines import StartedWorkers, run_map
from zhitu.graph.export import EXPORTS
from zhitu.graph.export.turtle import to_rdf, write_turtle
from zhitu.extract.read import InputError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build(out: Path, **options) -> Path:
    run_build([str(SEEDS)], str(out), lambda msg: None, BuildOptions(**options))
    return out


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("one") / "out", workers=1)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("two") / "out", workers=2)


def test_two_workers_write_the_same_files_as_one(one_worker, two_workers):
    assert (one_worker / "graph.ttl").read_bytes() == (two_workers / "graph.ttl").read_bytes()
    files = [name for name in EXPORTS if (one_worker / name).is_file()]
    assert filecmp.cmpfiles(one_worker, two_workers, files, shallow=False)[0] == files
    neo4j = filecmp.dircmp(one_worker / "neo4j", two_workers / "neo4j")
    assert not neo4j.diff_files and not neo4j.left_only and not neo4j.right_only


def test_the_build_gives_the_graph_of_whole_docs(one_worker, seed_graph, tmp_path):
    """Workers send back Docs slimmed to what the merge reads: the graph is the one of the whole Docs."""
    write_turtle(seed_graph, str(tmp_path / "graph.ttl"))
    assert (one_worker / "graph.ttl").read_bytes() == (tmp_path / "graph.ttl").read_bytes()


def test_streamed_turtle_holds_exactly_the_graphs_triples(one_worker, seed_graph):
    parsed = Graph().parse(one_worker / "graph.ttl", format="turtle")
    assert set(parsed) == set(to_rdf(seed_graph))


def test_results_come_back_in_input_order():
    items = list(range(40))
    assert list(run_map(abs, [-i for i in items], workers=2)) == items


@pytest.mark.parametrize("options, message", [
    ({"workers": 0}, "--workers must be at least 1"),
    ({"engine": "spark"}, "unknown engine"),
    ({"scheduler": "tcp://127.0.0.1:8786"}, "--scheduler is for --engine dask"),
])
def test_impossible_options_are_one_line_errors(options, message):
    with pytest.raises(InputError, match=message):
        BuildOptions(**options)


def test_the_graph_does_not_depend_on_the_string_hash_seed(tmp_path):
    """Python salts string hashes per process: nothing may follow the order of a set of strings
    (a tie between two types once went to whichever the set listed first)."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "zhitu", "build", str(SEEDS), "--out", str(out), "--no-cache",
                        "--workers", "1"], env=env, check=True, capture_output=True)
        outputs.append((out / "graph.ttl").read_bytes())
    assert outputs[0] == outputs[1]


def test_the_garbage_collector_is_paused_only_while_the_merge_builds():
    import gc

    from zhitu.collector import cyclic_gc_paused

    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


@pytest.mark.skipif(not zhitu.build.FORK, reason="the second writer is a forked process")
def test_a_writer_process_that_dies_fails_the_build(tmp_path, monkeypatch):
    def dies():
        raise OSError("disk full")

    monkeypatch.setattr(zhitu.build, "_write_claimed_and_send", dies)
    with pytest.raises(RuntimeError, match="writer process"):
        build(tmp_path / "out", workers=2, cache_dir=None)
    assert not (tmp_path / "out" / "graph.ttl").exists()


def record_and_negate(item: int) -> int:
    """(module level: the started workers get it by reference) each call leaves a line in a file."""
    with open(os.environ["ZHITU_TEST_CALLS"], "a") as f:
        f.write(f"{item}\n")
    return -item


def test_started_workers_run_work_submitted_early_once(tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    monkeypatch.setenv("ZHITU_TEST_CALLS", str(calls))
    started = StartedWorkers(1, int)
    try:
        started.submit_early(record_and_negate, [3, 1], key=str)
        assert list(run_map(record_and_negate, [1, 2, 3], started=started, key=str)) == [-1, -2, -3]
        assert sorted(calls.read_text().split()) == ["1", "2", "3"]
        started.release()  # work asked for afterwards runs as if no workers had been started
        assert list(run_map(record_and_negate, [4], started=started, key=str)) == [-4]
    finally:
        started.close()
