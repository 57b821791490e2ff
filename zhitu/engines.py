"""Where per-page work runs: this process, local worker processes, or a Dask cluster.

An engine applies a function to a list of items and yields the results in the
items' order.  Nothing here schedules work itself: local processes come from
``concurrent.futures``, the cluster is Dask's (``dask[distributed]``), and
the function must be importable by name (a module-level function of zhitu),
because that is all a worker on another machine receives.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from zhitu.extract.read import InputError

ENGINES = ("local", "dask")
# Forked workers share this process's memory: they start with what it loaded and can read its objects
FORK = "fork" in multiprocessing.get_all_start_methods()


def check(engine: str, workers: int, scheduler: str | None) -> None:
    """Raise InputError for settings no engine can run."""
    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if scheduler and engine != "dask":
        raise InputError("--scheduler is for --engine dask")


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class StartedWorkers:
    """Local worker processes started before their work is known, each running ``warm_up`` at once.

    A rebuild that adds a few pages spends most of its extraction loading the
    extractor: started first, the workers load it while this process reads the
    pages and the last build's state (forked, they start small: nothing is
    loaded here yet), and can take work known to come before it is asked for
    (``submit_early``).
    """

    def __init__(self, workers: int, warm_up: Callable[[], Any]):
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                         initializer=warm_up)
        self._pool.submit(int)  # (a pool forks its workers at its first task)
        self._early: dict[Hashable, Future] = {}
        self.released = False

    def submit_early(self, fn: Callable[[Any], Any], items: list, key: Callable[[Any], Hashable]) -> None:
        """Start ``fn(item)`` for items that ``map`` will likely be given later (by ``key``)."""
        for item in items:
            self._early[key(item)] = self._pool.submit(fn, item)

    def map(self, fn: Callable[[Any], Any], items: list, key: Callable[[Any], Hashable] | None = None) -> Iterator:
        """``fn(item)`` for each item, in order; an item submitted early (same ``key``) is not run again."""
        early = [self._early.pop(key(item), None) if key else None for item in items]
        futures = [f if f is not None else self._pool.submit(fn, item) for f, item in zip(early, items)]
        return (future.result() for future in futures)

    def release(self) -> None:
        """Let the workers go, their work done: they exit while this process goes on (work asked for later
        runs as if they had never been started)."""
        self.released = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def run_map(fn: Callable[[Any], Any], items: list, engine: str = "local", workers: int = 1,
            scheduler: str | None = None, warm_up: Callable[[], Any] | None = None,
            started: StartedWorkers | None = None, key: Callable[[Any], Hashable] | None = None) -> Iterator:
    """``fn(item)`` for each item, in order, on the chosen engine (local work on ``started`` workers if given,
    which take the items submitted to them early by ``key``).

    ``warm_up`` runs here once before local work: before worker processes
    fork, so that they start with whatever it loaded instead of each loading
    it again, or before the items when they run in this process.
    """
    if engine == "dask":
        return _on_dask(fn, items, workers, scheduler)
    if started is not None and not started.released:
        return started.map(fn, items, key)
    if workers == 1 or len(items) <= 1:
        if warm_up:
            warm_up()
        return map(fn, items)
    return _on_processes(fn, items, workers, warm_up)


def _on_processes(fn, items: list, workers: int, warm_up: Callable[[], Any] | None) -> Iterator:
    method = "fork" if FORK else None
    if warm_up and FORK:
        warm_up()
    # objects the workers inherit stay out of their garbage collector, which would otherwise
    # write to every object's header and so copy every page of this process into each worker
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(items)),
                                 mp_context=multiprocessing.get_context(method)) as pool:
            yield from pool.map(fn, items)
    finally:
        gc.unfreeze()


def _on_dask(fn, items: list, workers: int, scheduler: str | None) -> Iterator:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--engine dask needs Dask: pip install 'zhitu[distributed]'") from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as e:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        cluster = None
    else:
        # no address: a cluster of this machine's processes, for trying the engine out
        import logging

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        # pure=False: every item is new work; hashing pages into task keys would cost time for nothing
        futures = client.map(fn, items, pure=False)
        for future in futures:
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
