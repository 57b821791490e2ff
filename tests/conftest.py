"""Shared fixtures: the seed pages extracted once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Builds in tests cache their pages in a folder of the test run, never in the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def seed_paths() -> list[str]:
    return sorted(str(p) for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_docs(seed_paths):
    from zhitu.extract.pipeline import extract_page
    from zhitu.extract.read import read_page

    return [extract_page(read_page(p)) for p in seed_paths]


@pytest.fixture(scope="session")
def seed_corpus(seed_docs):
    from zhitu.graph.resolve import resolve

    return resolve(seed_docs)


@pytest.fixture(scope="session")
def seed_graph(seed_corpus):
    """The NetworkX graph of the five seed pages (do not mutate: shared by all tests)."""
    from zhitu.graph.build import build_graph

    return build_graph(seed_corpus)


@pytest.fixture
def doc_from_text():
    """Run the whole extraction pipeline on a snippet of page text."""
    from zhitu.extract.doc import Page
    from zhitu.extract.pipeline import extract_page

    def make(text: str, name: str = "snippet.txt"):
        return extract_page(Page.of_text(text, name))

    return make
