"""What an extraction worker runs: a batch of pages extracted, each Doc trimmed to what the merge reads.

Kept apart from zhitu.build, which a worker never imports: a task names its
function by module, and importing the build's (networkx, rdflib, pyvis) took
a fresh worker a third of a second before its first page.
"""
from __future__ import annotations

from zhitu.cache import extractor_fingerprint
from zhitu.extract.doc import Doc, Page

# What graph/resolve.py reads of a Doc besides its page.  The clean text with
# its offset map, the words and the sentences are ~10x the size of the rest:
# they are dropped in the worker, before a Doc is shipped back, cached and
# held with every other page's.
MERGE_FIELDS = ("city", "date", "bylines", "mentions", "relations")


def load_extractor() -> None:
    from zhitu.extract.pipeline import load_extractor as load  # (not imported by a build that extracts nothing)

    load()


def for_merge(doc: Doc) -> Doc:
    return Doc(page=doc.page, **{name: getattr(doc, name) for name in MERGE_FIELDS})


def extract_batch(pages: list[Page]) -> tuple[str, list[Doc]]:
    """Extract pages for the merge, on a worker; with the fingerprint of the extractor that did it."""
    from zhitu.extract.pipeline import extract_pages

    return extractor_fingerprint(), [for_merge(doc) for doc in extract_pages(pages)]
