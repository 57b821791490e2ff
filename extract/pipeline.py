"""The extraction pipeline: one page in, one Doc of mentions and relations out.

Extraction is a pure function of one page (``extract_page``), so pages can be
processed in any order, on any number of processes; merging pages into one
graph is a separate step (zhitu.graph).
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from zhitu.collector import cyclic_gc_paused

from .clean import clean
from .dates import tag_dates
from .doc import Doc, Page
from .enumerations import tag_enumerated
from .gazetteer import tag_places
from .merge import merge_mentions
from .naming import add_defined_aliases, name_mentions
from .organisations import tag_organisations, tag_unlisted_places
from .people import tag_people
from .recognise import load_models, tag_model
from .relate import relate
from .schemes import tag_schemes
from .segment import segment

Stage = Callable[[Doc], Doc]

STAGES: dict[str, Stage] = {
    "clean": clean,
    "segment": segment,
    "places": tag_places,
    "unlisted-places": tag_unlisted_places,
    "organisations": tag_organisations,
    "people": tag_people,
    "schemes": tag_schemes,
    "enumerations": tag_enumerated,
    "model": tag_model,
    "merge": merge_mentions,
    "naming": name_mentions,
    "aliases": add_defined_aliases,
    "dates": tag_dates,
    "relations": relate,
}
DEFAULT_ORDER = tuple(STAGES)

class StageError(RuntimeError):
    """A stage failed on a page; the message names both."""


def extract_page(page: Page, order: tuple[str, ...] = DEFAULT_ORDER) -> Doc:
    return next(extract_pages([page], order))


# Pages a stage runs over before the next stage starts (extract_pages)
STAGE_BATCH = 64


def extract_pages(pages: Iterable[Page], order: tuple[str, ...] = DEFAULT_ORDER,
                  batch: int = STAGE_BATCH) -> Iterator[Doc]:
    """``extract_page`` of each page, in order.

    Each stage runs over a batch of pages before the next stage starts: the
    Docs are the same as page by page (a stage reads one Doc only), but a
    stage's lexicons and model weights stay in the CPU's caches, which makes
    short pages (one sentence each) about a fifth faster.
    """
    pages = iter(pages)
    while chunk := list(islice(pages, batch)):
        docs = [Doc(page=page) for page in chunk]
        for name in order:
            docs = [_run_stage(name, doc) for doc in docs]
        yield from docs


def _run_stage(name: str, doc: Doc) -> Doc:
    try:
        result = STAGES[name](doc)
    except Exception as e:  # report which stage broke on which page
        raise StageError(f"{doc.page.name}: stage '{name}' failed: {e}") from e
    if not isinstance(result, Doc):
        raise StageError(f"{doc.page.name}: stage '{name}' returned {type(result).__name__}, not Doc")
    return result


def load_extractor() -> None:
    """Load the models, and the lexicons, gazetteer and segmenter by extracting a line (each would load on
    first use, in a build's first page: a worker loads it all while the build reads the pages).

    What is loaded lives as long as the process, so the garbage collector is
    paused while it loads (its collections walked what was loaded so far: a
    fifth of the time) and it is then kept out of the collector's sight
    (``gc.freeze``): each full collection would otherwise walk all of it (7% of
    the time of extracting one-sentence pages).
    """
    with cyclic_gc_paused():
        load_models()
        line = "本报济南讯 济南市科技局局长王明说，山东大学与济南高新区签约。"
        extract_page(Page(path="", name="warm-up", text=line, encoding="utf-8", sha1=""))
        gc.freeze()
