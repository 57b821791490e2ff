"""The extraction cache: a rebuild extracts only new and changed pages and gives the graph of a full build."""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

import zhitu.build
import zhitu.extract
import zhitu.worker
from zhitu import cache as cache_module
from zhitu.build import BuildOptions, run_build
from zhitu.cache import PageCache, extractor_fingerprint, load_or_build
from zhitu.extract import gazetteer, lexicon, people, tagger
from zhitu.extract.read import InputError

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The names of the pages extracted (builds run on one worker, in this process)."""
    names = []
    real = zhitu.build.extract_batch

    def counting(pages):
        names.extend(page.name for page in pages)
        return real(pages)

    monkeypatch.setattr(zhitu.build, "extract_batch", counting)
    return names


def build(pages: Path, out: Path, cache: Path | None):
    return run_build([str(pages)], str(out), lambda msg: None,
                     BuildOptions(workers=1, cache_dir=str(cache) if cache else None))


def copy_seeds(folder: Path, count: int) -> Path:
    folder.mkdir(exist_ok=True)
    for path in SEEDS[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def test_rebuild_extracts_only_new_and_changed_pages(tmp_path, extracted):
    pages, cache = copy_seeds(tmp_path / "pages", 3), tmp_path / "cache"
    assert build(pages, tmp_path / "first", cache).cached == 0
    assert len(extracted) == 3

    extracted.clear()
    shutil.copy(SEEDS[3], pages / SEEDS[3].name)
    changed = pages / SEEDS[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n临清市科技局局长高世奎说。\n", encoding="utf-8")
    report = build(pages, tmp_path / "again", cache)
    assert sorted(extracted) == sorted([SEEDS[3].name, SEEDS[0].name])
    assert report.cached == 2 and report.documents == 4

    full = build(pages, tmp_path / "full", None)
    assert full.cached == 0
    assert (tmp_path / "again" / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()


def test_a_build_from_the_cache_alone_gives_the_same_graph(tmp_path, extracted):
    pages, cache = copy_seeds(tmp_path / "pages", 2), tmp_path / "cache"
    build(pages, tmp_path / "first", cache)
    extracted.clear()
    assert build(pages, tmp_path / "second", cache).cached == 2
    assert extracted == []
    assert (tmp_path / "first" / "graph.ttl").read_bytes() == (tmp_path / "second" / "graph.ttl").read_bytes()


def test_no_cache_neither_reads_nor_writes_one(tmp_path, extracted, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    build(copy_seeds(tmp_path / "pages", 1), tmp_path / "out", None)
    # (what loading the extractor derives may be kept there: it is no page's)
    assert not list((tmp_path / "home-cache").glob(f"zhitu/{cache_module.FOLDER_PREFIX}*"))


def test_a_broken_entry_is_a_miss(tmp_path, seed_docs):
    cache = PageCache(str(tmp_path))
    doc = zhitu.worker.for_merge(seed_docs[0])
    cache.put(doc)
    assert cache.get(doc.page) == doc
    (entry,) = [Path(root) / f for root, _, files in os.walk(tmp_path) for f in files]
    entry.write_bytes(b"not a pickle")
    assert cache.get(doc.page) is None


@pytest.fixture
def extractor_copy(tmp_path, monkeypatch) -> Path:
    """The fingerprint computed over a copy of extract/ that a test may edit."""
    copy = tmp_path / "extract"
    shutil.copytree(zhitu.extract.__path__[0], copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(zhitu.extract, "__path__", [str(copy)])
    extractor_fingerprint.cache_clear()
    yield copy
    extractor_fingerprint.cache_clear()


def test_editing_a_rule_file_changes_the_fingerprint(extractor_copy):
    before = extractor_fingerprint()
    lexicon = extractor_copy / "lexicons" / "titles.tsv"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "试验员\n", encoding="utf-8")
    extractor_fingerprint.cache_clear()
    assert extractor_fingerprint() != before


def test_the_fingerprint_covers_the_compiled_loops_source_not_what_an_install_built(extractor_copy):
    before = extractor_fingerprint()
    (extractor_copy / "kernels.cpython-311-x86_64-linux-gnu.so").write_bytes(b"another machine's build")
    (extractor_copy / "kernels.c").write_text("/* another Cython's output */")
    extractor_fingerprint.cache_clear()
    assert extractor_fingerprint() == before
    source = extractor_copy / "kernels.pyx"
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    extractor_fingerprint.cache_clear()
    assert extractor_fingerprint() != before


def test_bumping_the_version_changes_the_fingerprint(extractor_copy, monkeypatch):
    before = extractor_fingerprint()
    monkeypatch.setattr("zhitu.extract.EXTRACTOR_VERSION", "something-else")
    extractor_fingerprint.cache_clear()
    assert extractor_fingerprint() != before


def test_prune_keeps_recent_fingerprints_and_foreign_folders(tmp_path):
    old = [tmp_path / f"{cache_module.FOLDER_PREFIX}{i:020x}" for i in range(5)]
    for i, folder in enumerate(old):
        folder.mkdir()
        os.utime(folder, (1000 + i, 1000 + i))
    (tmp_path / "not-ours").mkdir()
    cache = PageCache(str(tmp_path))
    cache.prune(keep=3)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["not-ours", os.path.basename(cache.folder), old[4].name, old[3].name])


def test_a_worker_with_another_extractor_is_an_error(tmp_path, monkeypatch):
    real = zhitu.build.extract_batch
    monkeypatch.setattr(zhitu.build, "extract_batch", lambda pages: ("another", real(pages)[1]))
    with pytest.raises(InputError, match="another version of the extractor"):
        build(copy_seeds(tmp_path / "pages", 1), tmp_path / "out", None)


def test_loading_keeps_what_it_built_and_builds_again_past_a_corrupt_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = []

    def build():
        built.append(1)
        return {"寿光": 1}

    assert load_or_build("test", dict, build) == {"寿光": 1} and len(built) == 1
    assert load_or_build("test", dict, build) == {"寿光": 1} and len(built) == 1  # read, not built
    (entry,) = (tmp_path / "zhitu").glob("loaded-*/test.pickle")
    entry.write_bytes(b"not a pickle")
    assert load_or_build("test", dict, build) == {"寿光": 1} and len(built) == 2
    assert load_or_build("test", dict, build) == {"寿光": 1} and len(built) == 2  # stored anew
    assert load_or_build("test", list, lambda: ["other kind"]) == ["other kind"]  # a dict is no list


def test_loading_without_a_writable_cache_folder_builds(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))
    assert load_or_build("test", dict, lambda: {"a": 1}) == {"a": 1}


def test_prune_of_loaded_folders_keeps_recent_fingerprints(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    old = [tmp_path / "zhitu" / f"{cache_module.LOADED_PREFIX}{i:020x}" for i in range(5)]
    for i, folder in enumerate(old):
        folder.mkdir(parents=True)
        os.utime(folder, (1000 + i, 1000 + i))
    load_or_build("test", dict, dict)
    left = sorted(p.name for p in (tmp_path / "zhitu").iterdir())
    assert left == sorted([f"{cache_module.LOADED_PREFIX}{extractor_fingerprint()}", old[4].name, old[3].name])


def _shipped_model(name: str):
    crf, rows = tagger.Tagger(name)._crf()
    return pickle.dumps((crf, rows.table))  # (equal arrays and dicts in the same order pickle alike)


@pytest.mark.parametrize("module, builder, name, load", [
    (gazetteer, "_build_gazetteer", "gazetteer", gazetteer.gazetteer),
    (lexicon, "_jieba_dictionary_lines", "jieba-dictionary", lambda: dict(lexicon.jieba_dictionary().items())),
    (people, "_count_transliteration_characters", "transliteration-characters", people.transliteration_characters),
    (tagger, "_read_model", "crf-news", lambda: _shipped_model("news")),
])
def test_the_extractor_loads_from_the_cache_and_past_a_corrupt_entry(tmp_path, monkeypatch, module, builder, name,
                                                                     load):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    loaders = (gazetteer.gazetteer, lexicon.jieba_dictionary, people.transliteration_characters)
    try:
        for loader in loaders:
            loader.cache_clear()
        fresh = load()
        (entry,) = (tmp_path / "zhitu").glob(f"{cache_module.LOADED_PREFIX}*/{name}.pickle")
        for loader in loaders:
            loader.cache_clear()
        with monkeypatch.context() as patch:
            patch.setattr(module, builder, _not_to_be_built)
            assert load() == fresh  # read from the cache
        for loader in loaders:
            loader.cache_clear()
        entry.write_bytes(entry.read_bytes()[:1000])  # truncated
        assert load() == fresh
    finally:
        for loader in loaders:
            loader.cache_clear()


def _not_to_be_built(*args):
    raise AssertionError("built, where the cache holds it")
