"""Training the CRF recognisers (extract/training.py): corpus readers, scoring, reproducible models."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from zhitu.extract.training import SPECS, cluener_to_news, outermost, read_char_bio, read_cluener, score, train_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT.parent / "shared" / "benchmarks"
MODEL_DIR = ROOT / "extract" / "models"


def test_cluener_end_offsets_are_inclusive(tmp_path):
    path = tmp_path / "train.json"
    row = {"text": "浙商银行企业信贷部叶老桂博士", "label": {"name": {"叶老桂": [[9, 11]]}, "company": {"浙商银行": [[0, 3]]}}}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    [(text, spans)] = read_cluener(str(path))
    assert [(text[s:e], label) for s, e, label in spans] == [("浙商银行", "company"), ("叶老桂", "name")]


def test_char_bio_sentences_and_spans(tmp_path):
    path = tmp_path / "test.txt"
    path.write_text("中 B-ORG\n共 I-ORG\n说 O\n\n欧 B-LOC\n美 B-LOC\n江\tB-PER\n", encoding="utf-8")
    examples = read_char_bio(str(path))
    assert examples == [("中共说", [(0, 2, "ORG")]), ("欧美江", [(0, 1, "LOC"), (1, 2, "LOC"), (2, 3, "PER")])]


def test_overlapping_spans_keep_the_outermost():
    assert outermost([(0, 4, "book"), (1, 3, "company"), (5, 6, "name")]) == [(0, 4, "book"), (5, 6, "name")]


def test_cluener_to_news_labels():
    text = "美国国务院发言人说，王小明在北京旅游"
    spans = [(0, 2, "government"), (3, 5, "position"), (10, 13, "name"), (14, 16, "address")]
    [(_, mapped)] = cluener_to_news([(text, spans)])
    # a country acting as a state is a place in People's Daily; posts are not entities there
    assert mapped == [(0, 2, "LOC"), (10, 13, "PER"), (14, 16, "LOC")]


def test_exact_span_scores():
    counts = score([[(0, 2, "PER"), (3, 5, "LOC")]], [[(0, 2, "PER"), (3, 6, "LOC")]])
    assert (counts["micro"].gold, counts["micro"].predicted, counts["micro"].correct) == (2, 2, 1)
    assert counts["PER"].f1 == 1.0 and counts["LOC"].f1 == 0.0


needs_corpora = pytest.mark.skipif(not (CORPUS_DIR / "cluener2020" / "train.json").is_file(),
                                   reason="the shared benchmark corpora are not on this machine")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_corpora
def test_training_twice_gives_the_same_bytes(tmp_path):
    from zhitu.extract.training import Settings

    tiny = Settings(max_iterations=20)
    first = train_model("news", str(CORPUS_DIR), str(tmp_path / "a"), settings=tiny, limit=200,
                        progress=lambda _: None)
    second = train_model("news", str(CORPUS_DIR), str(tmp_path / "b"), settings=tiny, limit=200,
                         held_out=False, progress=lambda _: None)
    assert Path(first).read_bytes() == Path(second).read_bytes()

    meta = json.loads((tmp_path / "a" / "news.json").read_text(encoding="utf-8"))
    assert meta["model_sha256"] == _sha256(Path(first))
    assert [c["file"] for c in meta["corpora"]] == [c.file for c in SPECS["news"].corpora]
    for corpus in meta["corpora"]:
        assert corpus["sha256"] == _sha256(CORPUS_DIR / corpus["file"])
        assert corpus["sentences"] == 200
    assert meta["settings"]["max_iterations"] == 20
    assert meta["held_out"]["scores"]["peoples_daily_ner/example.dev"]["sentences"] == 20


@pytest.mark.parametrize("name", sorted(SPECS))
def test_shipped_metadata_names_the_training_corpora_only(name):
    meta = json.loads((MODEL_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert meta["model_sha256"] == _sha256(MODEL_DIR / f"{name}.crfsuite")
    files = {c["file"] for c in meta["corpora"]}
    assert files <= {"cluener2020/train.json", "peoples_daily_ner/example.dev"}
    assert all(len(c["sha256"]) == 64 for c in meta["corpora"])
    assert meta["limit"] is None and meta["held_out"]["scores"]
    assert (MODEL_DIR / f"{name}.crfsuite").stat().st_size <= 25_000_000
