"""The pipeline run stage by stage over a batch of pages gives each page's Doc as extracting it alone does."""
import pytest

from zhitu.extract import pipeline
from zhitu.extract.doc import Page
from zhitu.extract.pipeline import StageError, extract_page, extract_pages
from zhitu.extract.read import read_page


def _page(text: str, name: str) -> Page:
    return Page(path=name, name=name, text=text, encoding="utf-8", sha1="")


def test_a_batch_gives_the_docs_of_pages_extracted_one_by_one(seed_paths):
    lines = ["临清市科技局局长高世奎说，要加强校企合作。", "",
             "新华社北京6月29日电 中国国家发展计划委员会和美国能源部的代表今天签署了合作协定。"]
    pages = [read_page(p) for p in seed_paths[:2]] + [_page(t, f"line{i}.txt") for i, t in enumerate(lines)]
    alone = [extract_page(p) for p in pages]
    for batch in (1, 2, 64):  # 2: the batches end inside the list; 64: one batch for all
        batched = list(extract_pages(pages, batch=batch))
        assert [d.page.name for d in batched] == [p.name for p in pages]
        for a, b in zip(alone, batched):
            assert (a.mentions, a.relations, a.words, a.sentences) == (b.mentions, b.relations, b.words, b.sentences)
    assert any(d.mentions for d in alone[:2]) and any(d.relations for d in alone[:2])


def test_a_stage_that_fails_names_the_page_and_the_stage(monkeypatch):
    def broken(doc):
        if "坏" in doc.text:
            raise ValueError("no")
        return doc

    monkeypatch.setitem(pipeline.STAGES, "dates", broken)
    pages = [_page("今天天气很好。", "good.txt"), _page("这一页是坏的。", "bad.txt")]
    with pytest.raises(StageError, match=r"bad\.txt: stage 'dates' failed: no"):
        list(extract_pages(pages))


def test_loading_the_extractor_keeps_what_it_loaded_out_of_the_garbage_collector():
    import gc

    from zhitu.extract.pipeline import load_extractor

    gc.unfreeze()
    try:
        load_extractor()
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()  # (paused while loading only)
    finally:
        gc.unfreeze()


def test_loading_the_extractor_reads_every_model_the_pages_may_need():
    from zhitu.extract.pipeline import load_extractor
    from zhitu.extract.recognise import MODELS
    from zhitu.extract.tagger import shared_tagger

    shared_tagger.cache_clear()  # (models other tests read)
    load_extractor()
    assert MODELS == ("news", "cluener")
    assert all(shared_tagger(name)._loaded is not None for name in MODELS)
