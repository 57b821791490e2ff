"""The shipped CRF recognisers (extract/tagger.py) on sentences from the seed pages."""
from __future__ import annotations

import threading

import pycrfsuite
import pytest

from zhitu.extract.segment import tokenizer
from zhitu.extract.tagger import (MODELS, Tagger, describe, features, model_bytes, shared_tagger, spans_from_tags,
                                   tags_from_spans)

SENTENCE = "“这是我们的职责。”临清市科技局局长高世奎说。"
COMPANY = "山东恒发卫生用品有限公司工程师张明瑞正专注地调试新设备。"


def found(model: str, text: str) -> set[tuple[str, str]]:
    return {(text[s:e], label) for s, e, label in shared_tagger(model).spans(text)}


@pytest.mark.parametrize("model", MODELS)
def test_shipped_models_load_and_know_their_labels(model):
    labels = Tagger(model).labels()
    if model == "news":
        assert labels == ["LOC", "ORG", "PER"]
    else:
        assert {"name", "company", "government", "organization", "address"} <= set(labels)


def test_person_after_a_title():
    assert ("高世奎", "PER") in found("news", SENTENCE)
    assert ("高世奎", "name") in found("cluener", SENTENCE)


def test_company_name_with_its_legal_form():
    news = {text for text, label in found("news", COMPANY) if label == "ORG"}
    cluener = {text for text, label in found("cluener", COMPANY) if label == "company"}
    for names in (news, cluener):
        assert any(n.endswith("恒发卫生用品有限公司") for n in names), names


def test_place_in_a_body_name():
    text = "潍坊市人力资源和社会保障局在寿光市举办招聘会。"
    assert ("寿光市", "LOC") in found("news", text)


def test_offsets_are_into_the_given_text():
    text = "\n  " + SENTENCE + "\n"
    spans = shared_tagger("news").spans(text)
    assert spans and all(0 <= s < e <= len(text) for s, e, _ in spans)
    assert ("高世奎", "PER") in {(text[s:e], label) for s, e, label in spans}


def test_empty_and_blank_text():
    assert shared_tagger("news").spans("") == []
    assert shared_tagger("news").spans(" \n") == []


def test_callers_words_give_the_same_spans():
    words = [(s, e) for _, s, e in tokenizer().tokenize(COMPANY)]
    assert shared_tagger("news").spans(COMPANY, words) == shared_tagger("news").spans(COMPANY)


def test_full_width_and_capital_letters_are_read_as_ascii():
    # normalised one character for one, so offsets do not move
    assert features("ＡＢＣ公司") == features("abc公司")


def test_one_feature_tuple_per_character():
    rows = features(COMPANY)
    assert len(rows) == len(COMPANY)
    assert len({len(r) for r in rows}) == 1


def test_threads_share_a_tagger():
    tagger = Tagger("news")
    expected = tagger.spans(COMPANY)
    results = []

    def work():
        results.extend(tagger.spans(COMPANY) for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 80


def test_bioes_round_trip():
    spans = [(0, 1, "PER"), (2, 5, "ORG"), (5, 7, "LOC")]
    tags = tags_from_spans(8, spans)
    assert tags == ["S-PER", "O", "B-ORG", "I-ORG", "E-ORG", "B-LOC", "E-LOC", "O"]
    assert spans_from_tags(tags) == spans


def test_ill_formed_tags_still_give_spans():
    assert spans_from_tags(["I-PER", "I-PER", "O", "B-LOC", "I-LOC"]) == [(0, 2, "PER"), (3, 5, "LOC")]
    assert spans_from_tags(["B-PER", "I-ORG"]) == [(0, 1, "PER"), (1, 2, "ORG")]


def test_unknown_model_name_is_an_error():
    with pytest.raises(ValueError):
        Tagger("nope").spans("文本")


@pytest.mark.parametrize("model", MODELS)
def test_decoding_agrees_with_crfsuite(model, seed_docs):
    """extract/crf.py decodes with the model's weights as arrays: the tags are CRFsuite's own, and the
    marginals the same probabilities, on whole seed pages."""
    data = model_bytes(model)  # CRFsuite reads the bytes in place: they must outlive the tagger
    reference = pycrfsuite.Tagger()
    reference.open_inmemory(data)
    ours = Tagger(model)
    for doc in seed_docs:
        described = describe(doc.text, doc.words)
        tags = reference.tag(described.strings())
        assert ours.tag(doc.text, described=described) == tags
        for start, end, label, confidence in ours.scored_spans(doc.text, described=described):
            assert confidence == pytest.approx(min(reference.marginal(tags[i], i) for i in range(start, end)),
                                               abs=1e-4)


@pytest.mark.parametrize("text", ["来自黑龙江的刘美华夫妇在寿光市住了三年。", "刚果（金）和刚果(布)都在非洲；八五０农场在黑龙江。"])
def test_a_description_given_the_pages_places_is_the_one_it_would_make(doc_from_text, text):
    # the places stage's gazetteer matches (doc.places) spare a second lookup; full-width forms that
    # a gazetteer name holds in ASCII (刚果(金)) make describe look again in the normalised text
    doc = doc_from_text(text + "\n", )
    assert doc.places
    assert (describe(doc.text, doc.words, doc.places).named == describe(doc.text, doc.words).named).all()


@pytest.mark.parametrize("name", MODELS)
def test_a_model_file_is_read_with_crfsuites_own_weights(name):
    from zhitu.extract.crf import CrfModel

    data = model_bytes(name)
    ours = CrfModel.from_crfsuite(data)
    reference = pycrfsuite.Tagger()
    reference.open_inmemory(data)
    info = reference.info()  # a text dump: weights rounded to six decimals
    assert ours.labels == tuple(sorted(info.labels, key=lambda label: int(info.labels[label])))
    label = {lab: i for i, lab in enumerate(ours.labels)}
    assert len(info.state_features) == int((ours.state_weights != 0).sum())
    for (attribute, lab), weight in info.state_features.items():
        assert ours.state_weights[ours.attribute_rows[attribute], label[lab]] == pytest.approx(weight, abs=1e-6)
    for (source, target), weight in info.transitions.items():
        assert ours.transition_weights[label[source], label[target]] == pytest.approx(weight, abs=1e-6)
    assert not ours.state_weights[len(ours.attribute_rows)].any()  # the row of unknown attributes


def test_a_file_that_is_no_crfsuite_model_is_refused():
    from zhitu.extract.crf import CrfModel

    with pytest.raises(ValueError, match="not a CRFsuite"):
        CrfModel.from_crfsuite(b"lCRX" + bytes(60))
