"""The Dask engine: pages extracted on a cluster give the graph of a local build."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from zhitu.build import BuildOptions, run_build
from zhitu.graph.export.turtle import write_turtle

distributed = pytest.importorskip("distributed")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def start_cluster():
    """Two worker processes on this machine: a cluster reached by its address like a remote one."""
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                    dashboard_address=None, silence_logs=logging.ERROR)


@pytest.fixture(scope="module")
def scheduler():
    cluster = start_cluster()
    yield cluster.scheduler_address
    cluster.close()


def test_dask_build_gives_the_graph_of_a_local_build(scheduler, seed_graph, tmp_path):
    run_build([str(SEEDS)], str(tmp_path / "dask"), lambda msg: None,
              BuildOptions(engine="dask", scheduler=scheduler))
    write_turtle(seed_graph, str(tmp_path / "local.ttl"))  # what a local build writes (tests/test_parallel.py)
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (tmp_path / "local.ttl").read_bytes()
