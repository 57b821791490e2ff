"""``zhitu bench ner``: entity recognition against public test sets, with published figures beside ours.

1. The ``cluener`` CRF alone on CLUENER2020 ``dev.json``, its ten classes.
2. On People's Daily ``example.test`` and MSRA ``test_data_char_bio.txt``
   (PER/LOC/ORG): the whole extractor (``extract_pages``, each sentence a page,
   Person->PER, Place->LOC, Company/GovernmentBody/Organization->ORG,
   Programme/Event dropped, outermost non-overlapping spans kept), the
   ``news`` CRF alone, and two unions of the two (one's spans, plus the
   other's that overlap none of them).

All scores are exact-span micro and per-class precision/recall/F1.  These
files are for measuring only: nothing here feeds training.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

DEFAULT_CORPUS_DIR = os.path.join("..", "shared", "benchmarks")

CLUENER_DEV = "cluener2020/dev.json"
NEWS_TEST_SETS = {
    "People's Daily test": "peoples_daily_ner/example.test",
    "MSRA test": "msra_ner/test_data_char_bio.txt",
}

# Published dev-set F1 of BiLSTM-CRF per class (hemingkx/CLUENER2020 reproduction).
CLUENER_BILSTM_CRF_DEV = {"name": 71.49, "company": 71.06, "government": 71.29,
                          "organization": 73.29, "address": 47.37}

# Off-the-shelf tools measured on the same files: micro F1 per test set, and characters per second.
TOOLS = {
    "LAC": ({"People's Daily test": 0.730, "MSRA test": 0.725}, 17_700),
    "jieba.posseg": ({"People's Daily test": 0.536, "MSRA test": 0.589}, 59_000),
}
TARGET_SPEEDUP = 5  # the target: the whole extractor at 5x LAC's speed, above LAC's F1
# Published in-domain results: models trained on each corpus's own training split (ceilings, not peers).
IN_DOMAIN = {
    "People's Daily test": [("BiLSTM-CRF (zjy-ucas/ChineseNER)", 91.0)],
    "MSRA test": [("CRF with features (Chen et al. 2006)", 86.2), ("BiLSTM-CRF", 88.8),
                  ("Lattice-LSTM (Zhang & Yang 2018)", 93.18), ("FLAT (Li et al. 2020)", 94.12)],
}

ENTITY_LABELS = {"Person": "PER", "Place": "LOC", "Company": "ORG", "GovernmentBody": "ORG",
                 "Organization": "ORG"}

Spans = list[tuple[int, int, str]]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ner",
        help="entity recognition on CLUENER dev, People's Daily test and MSRA test",
        description="Score the trained recognisers and the whole extractor on public NER test sets "
        "(exact spans, micro and per-class P/R/F1, characters per second) and print them beside "
        "published figures.",
    )
    p.add_argument("--corpus-dir", default=DEFAULT_CORPUS_DIR, metavar="DIR",
                   help=f"folder holding cluener2020/, peoples_daily_ner/, msra_ner/ (default: {DEFAULT_CORPUS_DIR})")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N sentences of each test set")
    p.add_argument("--only", choices=("cluener", "news"),
                   help="run one part: the CLUENER dev table or the PD/MSRA tables")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.extract.read import InputError

    paths = [CLUENER_DEV] * (args.only != "news") + list(NEWS_TEST_SETS.values()) * (args.only != "cluener")
    missing = [p for p in paths if not os.path.isfile(os.path.join(args.corpus_dir, p))]
    if missing:
        raise InputError(f"{args.corpus_dir}: missing {', '.join(missing)} (see --corpus-dir)")
    if args.only != "news":
        bench_cluener(args.corpus_dir, args.limit)
    if args.only != "cluener":
        bench_news(args.corpus_dir, args.limit)
    return 0


def _progress(msg: str) -> None:
    print(f"zhitu bench ner: {msg}", file=sys.stderr, flush=True)


def _timed(label: str, texts: list[str], tag_all: Callable[[list[str]], list[Spans]]) -> tuple[list[Spans], float]:
    """Spans for every text and the characters per second it took (one core)."""
    _progress(f"{label}: {len(texts)} sentences")
    tag_all(texts[:1])  # load models and lexicons before the clock starts
    started = time.perf_counter()
    out = tag_all(texts)
    return out, sum(map(len, texts)) / (time.perf_counter() - started)


def _loaded(name: str):
    """The shipped model ``name``, loaded, with a line saying its size and how long loading took."""
    from zhitu.extract.tagger import Tagger, model_bytes

    started = time.perf_counter()
    tagger = Tagger(name)
    tagger.labels()  # reads the model
    took = time.perf_counter() - started
    print(f"\nmodel {name}.crfsuite: {len(model_bytes(name)) / 1e6:.1f} MB, loaded in {took:.2f} s")
    return tagger


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    line = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def bench_cluener(corpus_dir: str, limit: int | None) -> None:
    from zhitu.extract.training import CLUENER_CLASSES, read_cluener, score

    examples = read_cluener(os.path.join(corpus_dir, CLUENER_DEV))[:limit]
    tagger = _loaded("cluener")
    predicted, speed = _timed("cluener CRF on CLUENER dev", [t for t, _ in examples],
                              lambda texts: [tagger.spans(t) for t in texts])
    counts = score([s for _, s in examples], predicted)
    rows = []
    for label in CLUENER_CLASSES + ("micro",):
        c = counts.get(label)
        ref = CLUENER_BILSTM_CRF_DEV.get(label)
        rows.append([label, c.gold, _pct(c.precision), _pct(c.recall), _pct(c.f1),
                     f"{ref:.2f}" if ref else "", f"{100 * c.f1 - ref:+.2f}" if ref else ""])
    print(f"CLUENER2020 dev ({len(examples)} sentences): the cluener CRF alone, exact spans, "
          f"{speed / 1000:.0f}k chars/s (features + tagging, jieba included)")
    print(_table(["class", "gold", "P", "R", "F1", "BiLSTM-CRF F1", "ours - it"], rows))
    print("BiLSTM-CRF: published dev F1 per class, hemingkx/CLUENER2020 reproduction.")


def extractor_spans(texts: list[str]) -> list[Spans]:
    """The whole extractor on each sentence as a page of its own (``extract_pages``, as ``zhitu
    extract --lines`` runs it), as PER/LOC/ORG spans (outermost, non-overlapping)."""
    from zhitu.extract.doc import Page
    from zhitu.extract.pipeline import extract_pages
    from zhitu.extract.training import outermost

    pages = (Page.of_text(text, "sentence.txt") for text in texts)
    return [outermost((m.start, m.end, ENTITY_LABELS[m.type]) for m in doc.mentions if m.type in ENTITY_LABELS)
            for doc in extract_pages(pages)]


def union(first: Spans, second: Spans) -> Spans:
    """first's spans, plus second's that overlap none of them."""
    return sorted(first + [s for s in second if all(s[1] <= f[0] or s[0] >= f[1] for f in first)])


def bench_news(corpus_dir: str, limit: int | None) -> None:
    from zhitu.extract.pipeline import load_extractor
    from zhitu.extract.training import read_char_bio, score

    crf = _loaded("news")
    load_extractor()  # as ``zhitu extract`` does before its first line
    summary = []
    for set_name, path in NEWS_TEST_SETS.items():
        examples = read_char_bio(os.path.join(corpus_dir, path))[:limit]
        texts, gold = [t for t, _ in examples], [s for _, s in examples]
        crf_out, crf_speed = _timed(f"news CRF on {set_name}", texts, lambda texts: [crf.spans(t) for t in texts])
        ext_out, ext_speed = _timed(f"whole extractor on {set_name}", texts, extractor_spans)
        both_speed = 1 / (1 / crf_speed + 1 / ext_speed)
        systems = [
            ("whole extractor (extract_pages)", ext_out, ext_speed),
            ("news CRF alone", crf_out, crf_speed),
            ("CRF, then extractor where CRF found nothing", [union(c, e) for c, e in zip(crf_out, ext_out)], both_speed),
            ("extractor, then CRF where it found nothing", [union(e, c) for c, e in zip(crf_out, ext_out)], both_speed),
        ]
        chars = sum(map(len, texts))
        print(f"\n{set_name} ({path}, {len(texts)} sentences, {chars} chars): exact spans, PER/LOC/ORG")
        rows = []
        for name, predicted, speed in systems:
            counts = score(gold, predicted)
            m = counts["micro"]
            per_class = [_pct(counts[k].f1) if k in counts else "" for k in ("PER", "LOC", "ORG")]
            rows.append([name, _pct(m.precision), _pct(m.recall), _pct(m.f1), *per_class, f"{speed / 1000:.1f}k"])
            summary.append((set_name, name, m.f1, speed))
        for tool, (f1s, speed) in TOOLS.items():
            rows.append([f"{tool} (reference)", "", "", _pct(f1s[set_name]), "", "", "", f"~{speed / 1000:.1f}k"])
        for model, f1 in IN_DOMAIN[set_name]:
            rows.append([f"{model} (in-domain, published)", "", "", f"{f1:5.1f}", "", "", "", ""])
        print(_table(["system", "P", "R", "F1", "PER F1", "LOC F1", "ORG F1", "chars/s"], rows))
    lac_f1, lac_speed = TOOLS["LAC"]
    print(f"\nTarget: micro F1 above LAC's on both sets at >= {TARGET_SPEEDUP}x LAC's speed "
          f"({TARGET_SPEEDUP * lac_speed / 1000:.1f}k chars/s).")
    for set_name, name, f1, speed in summary:
        met = f1 > lac_f1[set_name] and speed >= TARGET_SPEEDUP * lac_speed
        print(f"  {set_name:20s} {name:45s} F1 {f1 - lac_f1[set_name]:+.3f} vs LAC, "
              f"{speed / lac_speed:4.1f}x its speed: {'met' if met else 'not met'}")
