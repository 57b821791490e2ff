"""A rebuild into the same folder merges only the pages added since, and writes the files a full build writes."""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

import zhitu.extract.pipeline as pipeline
from zhitu.build import BuildOptions, run_build
import zhitu.build
import zhitu.build_state
import zhitu.engines
import zhitu.worker
from zhitu.build_state import STATE_FOLDER
from zhitu.extract.doc import Doc, Mention, Relation

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def build(pages: Path, out: Path, cache: Path | None, workers: int = 1):
    return run_build([str(pages)], str(out), lambda msg: None,
                     BuildOptions(workers=workers, cache_dir=str(cache) if cache else None))


def output_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != STATE_FOLDER}


def assert_same_outputs(a: Path, b: Path) -> None:
    files_a, files_b = output_files(a), output_files(b)
    assert sorted(files_a) == sorted(files_b)
    for name in files_a:
        assert files_a[name] == files_b[name], name


def add(folder: Path, *paths: Path) -> None:
    folder.mkdir(exist_ok=True)
    for path in paths:
        shutil.copy(path, folder / path.name)


def test_pages_added_at_the_end_are_merged_onto_the_last_build(tmp_path):
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    add(pages, *SEEDS[:3])
    assert build(pages, out, cache).merged_before == 0
    add(pages, *SEEDS[3:])
    report = build(pages, out, cache)
    assert report.merged_before == 3 and report.documents == len(SEEDS)
    build(pages, tmp_path / "full", None)
    assert_same_outputs(out, tmp_path / "full")


def extract_and_record(pages):
    """(module level: a started worker gets it by reference) the real extraction, each page's name left in
    a file."""
    with open(os.environ["ZHITU_TEST_EXTRACTED"], "a", encoding="utf-8") as f:
        f.write("".join(page.name + "\n" for page in pages))
    return zhitu.worker.extract_batch(pages)


def test_a_rebuild_on_two_workers_extracts_the_added_pages_once_early(tmp_path, monkeypatch):
    extracted = tmp_path / "extracted"
    monkeypatch.setenv("ZHITU_TEST_EXTRACTED", str(extracted))
    monkeypatch.setattr(zhitu.build, "extract_batch", extract_and_record)
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    add(pages, *SEEDS[:3])
    build(pages, out, cache, workers=2)
    extracted.unlink()
    add(pages, *SEEDS[3:])
    early = []
    real_submit = zhitu.engines.StartedWorkers.submit_early
    monkeypatch.setattr(zhitu.engines.StartedWorkers, "submit_early",
                        lambda self, fn, items, key: early.extend(items) or real_submit(self, fn, items, key))
    report = build(pages, out, cache, workers=2)
    assert report.merged_before == 3
    assert sorted(page.name for batch in early for page in batch) == [p.name for p in SEEDS[3:]]
    assert sorted(extracted.read_text(encoding="utf-8").split()) == [p.name for p in SEEDS[3:]]  # once each
    build(pages, tmp_path / "full", None)
    assert_same_outputs(out, tmp_path / "full")


def test_builds_that_add_pages_append_them_until_a_new_base_is_due(tmp_path, monkeypatch):
    monkeypatch.setattr(zhitu.build_state, "COMPACT_SHARE", 2)  # a new base once added pages are half of all
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    state = out / STATE_FOLDER
    add(pages, *SEEDS[:2])
    build(pages, out, cache)
    base = (state / "base.pickle").read_bytes()
    for seed in SEEDS[2:]:
        add(pages, seed)
        with open(state / "added.pickle", "ab") as f:
            f.write(b"half a record a killed build left")
        report = build(pages, out, cache)
        assert report.merged_before == report.documents - 1
        build(pages, tmp_path / "full", None)
        assert_same_outputs(out, tmp_path / "full")
        rewritten = (state / "base.pickle").read_bytes() != base
        assert rewritten == (seed == SEEDS[4])  # 1 page added to 3, then 2 to 4 are appended; 3 to 5 are not
        if not rewritten:
            assert b"half a record" not in (state / "added.pickle").read_bytes()


def test_the_same_pages_again_rewrite_nothing_new(tmp_path):
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    add(pages, *SEEDS)
    build(pages, out, cache, workers=2)
    before = output_files(out)
    assert build(pages, out, cache).merged_before == len(SEEDS)
    assert output_files(out) == before


@pytest.mark.parametrize("change", ["page changed", "page removed", "page sorted in between", "folder moved",
                                    "output edited", "state unreadable"])
def test_anything_but_added_pages_merges_from_scratch(tmp_path, change):
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    add(pages, SEEDS[0], SEEDS[2], SEEDS[3])
    build(pages, out, cache)
    if change == "page changed":
        page = pages / SEEDS[2].name
        page.write_text(page.read_text(encoding="utf-8") + "\n临清市科技局局长高世奎说。\n", encoding="utf-8")
    elif change == "page removed":
        (pages / SEEDS[2].name).unlink()
    elif change == "page sorted in between":
        add(pages, SEEDS[1])
    elif change == "folder moved":  # the same pages, but their paths (which the Neo4j files name) changed
        pages = pages.rename(tmp_path / "moved")
    elif change == "output edited":
        with open(out / "neo4j" / "nodes_Place.csv", "a", encoding="utf-8") as f:
            f.write("x,y,Place;Entity\n")
    else:
        (out / STATE_FOLDER / "base.pickle").write_bytes(b"not a pickle")
    assert build(pages, out, cache).merged_before == 0
    build(pages, tmp_path / "full", None)
    assert_same_outputs(out, tmp_path / "full")


def test_a_unit_missing_from_the_last_files_makes_a_full_write(tmp_path):
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    add(pages, *SEEDS[:3])
    build(pages, out, cache)
    path = out / STATE_FOLDER / "outputs.pickle"
    outputs = pickle.loads(path.read_bytes())
    keys, offsets = outputs.index["graph.ttl"].sections["entities"]
    outputs.index["graph.ttl"].sections["entities"] = (keys[1:], offsets[1:])  # as if its unit were not there
    path.write_bytes(pickle.dumps(outputs))
    add(pages, *SEEDS[3:])
    assert build(pages, out, cache).merged_before == 0
    build(pages, tmp_path / "full", None)
    assert_same_outputs(out, tmp_path / "full")


def test_no_cache_leaves_no_state_behind(tmp_path):
    pages, out = tmp_path / "pages", tmp_path / "out"
    add(pages, *SEEDS[:2])
    build(pages, out, tmp_path / "cache")
    assert (out / STATE_FOLDER).exists()
    build(pages, out, None)
    assert not (out / STATE_FOLDER).exists()


@pytest.fixture
def listed_mentions(monkeypatch):
    """Extraction replaced by pages that list their mentions, one "name type" a line, and relations
    as "name type -> predicate -> name type": merges of exactly known pages."""
    def extract(pages, order=()):
        for page in pages:
            mentions, relations, offset = [], [], 0
            for line in page.text.splitlines(keepends=True):
                parts = line.split()
                if len(parts) == 2:
                    mentions.append(Mention(text=parts[0], type=parts[1], start=offset,
                                            end=offset + len(parts[0]), rule="listed"))
                elif len(parts) == 7:
                    relations.append(Relation(subject=(parts[0], parts[1]), predicate=parts[3],
                                              object=(parts[5], parts[6]), start=offset,
                                              end=offset + len(line), evidence=line.strip(), rule="listed"))
                offset += len(line)
            yield Doc(page=page, mentions=mentions, relations=relations)

    monkeypatch.setattr(pipeline, "extract_pages", extract)


def write_pages(folder: Path, pages: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_added_pages_extend_counts_evidence_and_roles(tmp_path, listed_mentions):
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    write_pages(pages, {"a.txt": "王明 Person\n华星公司 Company\n王明 Person -> holdsPosition -> 华星公司 Company\n"})
    build(pages, out, cache)
    write_pages(pages, {"b.txt": "华星公司 Company\n寿光市 Place\n华星公司 Company -> locatedIn -> 寿光市 Place\n",
                        "c.txt": "王明 Person\n华星公司 Company\n王明 Person -> holdsPosition -> 华星公司 Company\n"})
    assert build(pages, out, cache).merged_before == 1
    build(pages, tmp_path / "full", None)
    assert_same_outputs(out, tmp_path / "full")


def test_an_entity_whose_type_changes_merges_from_scratch(tmp_path, listed_mentions):
    """Its IRI holds its type: every page that names it changes, not only the added ones."""
    pages, cache, out = tmp_path / "pages", tmp_path / "cache", tmp_path / "out"
    write_pages(pages, {"a.txt": "华星 Organization\n寿光市 Place\n华星 Organization -> locatedIn -> 寿光市 Place\n"})
    build(pages, out, cache)
    write_pages(pages, {"b.txt": "华星 Company\n", "c.txt": "华星 Company\n"})
    report = build(pages, out, cache)
    assert report.merged_before == 0 and report.entities["Company"] == 1
    build(pages, tmp_path / "full", None)
    assert_same_outputs(out, tmp_path / "full")
    assert b"/id/company/" in (out / "graph.ttl").read_bytes()
    assert os.path.exists(out / STATE_FOLDER / "base.pickle")


def test_editing_the_merge_or_a_writer_changes_the_fingerprint(tmp_path, monkeypatch):
    import zhitu.graph

    from zhitu.build_state import _code_fingerprint, merge_fingerprint
    from zhitu.graph.curation import Curation

    before = merge_fingerprint(Curation())
    copy = tmp_path / "graph"
    shutil.copytree(zhitu.graph.__path__[0], copy, ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "export" / "turtle.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    monkeypatch.setattr(zhitu.graph, "__path__", [str(copy)])
    _code_fingerprint.cache_clear()
    try:
        assert merge_fingerprint(Curation()) != before
    finally:
        monkeypatch.undo()
        _code_fingerprint.cache_clear()
    assert merge_fingerprint(Curation()) == before
