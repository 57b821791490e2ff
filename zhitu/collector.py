"""Pausing Python's cyclic garbage collector while a step builds what lives on."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a step builds what lives on (the extractor's tables, the
    pages read back from the cache, the entities, the graph): each of its collections meanwhile walked all
    of that again (a fifth of a cached 1,000-page build; three times the time of unpickling a table).
    Reference counting still frees whatever is dropped; these steps make no reference cycles to leak."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
