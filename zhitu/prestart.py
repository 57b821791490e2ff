"""Extraction workers started first thing, for a rebuild that will likely add a few pages to the last one.

Such a rebuild spends much of its time loading the extractor (importing it,
reading its lexicons and models) to extract a handful of pages.  Started
before the build imports anything heavy, a worker does that while the build
reads the pages and the last build's state.  One worker: the pages added are
few, and a second one loading the extractor would only take the other core
from the build.  ``zhitu build`` starts it before it imports zhitu.build.
"""
from __future__ import annotations

import os

from zhitu.engines import FORK, StartedWorkers
from zhitu.worker import load_extractor

STATE_FOLDER = ".zhitu-build"  # in the output folder: the last build's state (zhitu.build_state)
# more pages than this are extracted by all the workers: one worker does about 30 pages a second, and
# loading the extractor in the others takes about 0.4 s
EARLY_WORKER_PAGES = 16


def start_workers_early(out_dir: str, engine: str, workers: int, cache_dir: str | None) -> StartedWorkers | None:
    """A started extraction worker, if the build may merge onto the last one (else None)."""
    if (engine == "local" and workers > 1 and FORK and cache_dir
            and os.path.isdir(os.path.join(out_dir, STATE_FOLDER))):
        return StartedWorkers(1, load_extractor)
    return None
