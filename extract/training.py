"""Training the CRF recognisers of extract/tagger.py from the public corpora.

Only two files are ever trained on: CLUENER2020 ``train.json`` and People's
Daily ``example.dev``.  CLUENER ``dev.json``, People's Daily ``example.test``
and the MSRA test files are for measuring (``zhitu bench ner``), never read here.
Hyper-parameters are chosen on a fixed held-out part of the training files
(every 10th sentence), scored by ``held_out_scores``; the shipped model is then
trained on all of them.

CRFsuite's L-BFGS training is deterministic: the same sentences in the same
order with the same settings give the same model bytes.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from importlib import resources

from . import lexicon
from .gazetteer import find_places, gazetteer, short_form_is_safe
from .tagger import MODELS, TEMPLATE_VERSION, features, tags_from_spans

Span = tuple[int, int, str]
Example = tuple[str, list[Span]]  # a sentence and its entity spans (end exclusive)

HELD_OUT_EVERY = 10  # sentence i is held out when i % 10 == 9


# --- reading the corpora --------------------------------------------------------------------------


def read_cluener(path: str) -> list[Example]:
    """CLUENER2020 JSON lines: {"text", "label": {type: {surface: [[start, end_inclusive]]}}}."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            spans = [
                (s, e + 1, label)
                for label, surfaces in row.get("label", {}).items()
                for places in surfaces.values()
                for s, e in places
            ]
            out.append((row["text"], outermost(spans)))
    return out


def read_char_bio(path: str) -> list[Example]:
    """One character and its BIO tag a line (space or tab between); a blank line ends a sentence."""
    out = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            out.append(("".join(chars), _spans_from_bio(tags)))
            chars.clear()
            tags.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            chars.append(line[0])
            tags.append(line.split()[-1])
    flush()
    return out


def _spans_from_bio(tags: list[str]) -> list[Span]:
    spans: list[Span] = []
    start, label = None, ""
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, lab = tag.partition("-")
        if start is not None and (prefix != "I" or lab != label):
            spans.append((start, i, label))
            start = None
        if prefix == "B" or (prefix == "I" and start is None):
            start, label = i, lab
    return spans


def outermost(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, longest first where two overlap, in text order."""
    kept: list[Span] = []
    for s, e, label in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, label))
    return sorted(kept)


# --- label maps -------------------------------------------------------------------------------------

CLUENER_CLASSES = ("name", "company", "government", "organization", "address",
                   "scene", "position", "book", "movie", "game")

# CLUENER -> the PER/LOC/ORG of People's Daily and MSRA.  Scenic spots (故宫,
# 秦淮河) are LOC there; posts, books, films and games are not entities there.
NEWS_FROM_CLUENER = {
    "name": "PER",
    "address": "LOC",
    "scene": "LOC",
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",
}
# Places CLUENER often leaves unlabelled (中国 in 中国藏家, 对中国的影响) that People's Daily always marks.
UNLABELLED_PLACE_LEVELS = ("country", "province", "prefecture")


def cluener_to_news(examples: list[Example]) -> list[Example]:
    """CLUENER examples relabelled PER/LOC/ORG in People's Daily's conventions.

    The two annotation schemes disagree on more than class names:

    * CLUENER marks a whole address as one span (青海省曲麻莱县); People's
      Daily marks each place (青海省 | 曲麻莱县).  Leading full place names
      are split off; what remains is one more LOC.
    * CLUENER marks a state acting (美国 said …; 意大利政府) "government";
      People's Daily marks the place LOC and leaves 政府 unmarked.
    * CLUENER leaves many country and province names unlabelled; People's Daily
      never does.  Unlabelled ones that touch no CLUENER span become LOC.
    """
    gaz = gazetteer()
    out = []
    for text, spans in examples:
        places = {}  # start -> longest gazetteer place starting there
        for s, e, surface in find_places(text):
            if e - s > len(places.get(s, ("",))[0]):
                places[s] = (surface, e)
        full_names = {s: e for s, (surface, e) in places.items()
                      if any(d.name == surface for d in gaz.candidates(surface))}
        mapped: list[Span] = []
        for s, e, label in spans:
            if label == "address":
                mapped += _split_places(s, e, full_names)
            elif label == "government" and (places.get(s, ("", 0))[1] == e or text.endswith("政府", s, e)):
                # a bare place (美国) or a place's government (意大利政府): the place only
                if s in places and places[s][1] <= e:
                    mapped.append((s, places[s][1], "LOC"))
            elif label in NEWS_FROM_CLUENER:
                mapped.append((s, e, NEWS_FROM_CLUENER[label]))
        for s, (surface, e) in places.items():
            levels = {d.level for d in gaz.candidates(surface)}
            unambiguous = s in full_names or short_form_is_safe(surface)  # not 白银 (silver)
            if (unambiguous and levels & set(UNLABELLED_PLACE_LEVELS)
                    and all(e <= gs or s >= ge for gs, ge, _ in spans)):
                mapped.append((s, e, "LOC"))
        out.append((text, sorted(mapped)))
    return out


def _split_places(start: int, end: int, full_names: dict[int, int]) -> list[Span]:
    """[start, end) as leading full place names (青海省, 美国), then the rest as one place.

    A place is split off only when at least two characters follow it, so a
    street or a village named after a place (泗水街) stays whole.
    """
    out = []
    while start in full_names and full_names[start] <= end - 2:
        out.append((start, full_names[start], "LOC"))
        start = full_names[start]
    out.append((start, end, "LOC"))
    return out


# --- what each model is trained on, and how ----------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    file: str  # relative to the corpus folder
    reader: Callable[[str], list[Example]]
    relabel: Callable[[list[Example]], list[Example]] | None = None
    label_map: str = ""  # how relabel maps, for the metadata
    repeat: int = 1  # how many times each sentence is given to the trainer (weights a small corpus)


@dataclass(frozen=True)
class Settings:
    """CRFsuite training settings (L-BFGS; c1 = L1 weight, c2 = L2 weight)."""

    c1: float = 0.1
    c2: float = 0.01
    max_iterations: int = 200
    minfreq: int = 2  # features seen fewer times are dropped (model size)

    def params(self) -> dict:
        return {
            "c1": self.c1,
            "c2": self.c2,
            "max_iterations": self.max_iterations,
            "feature.minfreq": self.minfreq,
            "feature.possible_transitions": True,
        }


@dataclass(frozen=True)
class ModelSpec:
    name: str
    corpora: tuple[Corpus, ...]
    settings: Settings = field(default_factory=Settings)


CLUENER_TRAIN = "cluener2020/train.json"
PEOPLES_DAILY_DEV = "peoples_daily_ner/example.dev"

SPECS = {
    "cluener": ModelSpec(
        name="cluener",
        corpora=(Corpus(CLUENER_TRAIN, read_cluener),),
    ),
    "news": ModelSpec(
        name="news",
        corpora=(
            # People's Daily is the smaller corpus and the one whose conventions the news tests follow
            Corpus(PEOPLES_DAILY_DEV, read_char_bio, repeat=3),
            Corpus(CLUENER_TRAIN, read_cluener, cluener_to_news,
                   label_map="name->PER; address (split into its gazetteer places), scene->LOC; "
                             "company, organization->ORG; government->ORG, but a bare place (美国) or "
                             "place+政府 -> that place as LOC; position, book, movie, game->O; "
                             "unlabelled country/province/prefecture names->LOC"),
        ),
    ),
}
assert set(SPECS) == set(MODELS)


def load_corpus(corpus: Corpus, corpus_dir: str, limit: int | None = None) -> list[Example]:
    examples = corpus.reader(os.path.join(corpus_dir, corpus.file))[:limit]
    return corpus.relabel(examples) if corpus.relabel else examples


def split_held_out(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(train, held out): every HELD_OUT_EVERY-th sentence is held out."""
    train = [x for i, x in enumerate(examples) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1]
    held = [x for i, x in enumerate(examples) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    return train, held


# --- scoring ------------------------------------------------------------------------------------------


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "gold": self.gold, "predicted": self.predicted, "correct": self.correct}


def score(gold: Iterable[list[Span]], predicted: Iterable[list[Span]]) -> dict[str, Counts]:
    """Exact-span counts per label, and over all labels under "micro"."""
    counts: dict[str, Counts] = {"micro": Counts()}
    for g, p in zip(gold, predicted, strict=True):
        g, p = set(g), set(p)
        for spans, attr in ((g, "gold"), (p, "predicted"), (g & p, "correct")):
            for *_, label in spans:
                for key in ("micro", label):
                    c = counts.setdefault(key, Counts())
                    setattr(c, attr, getattr(c, attr) + 1)
    return counts


# --- training ----------------------------------------------------------------------------------------


def _train(examples: list[tuple[Example, int]], settings: Settings, model_path: str,
           progress: Callable[[str], None]) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for (text, spans), repeat in examples:
        xseq, yseq = features(text), tags_from_spans(len(text), spans)
        for _ in range(repeat):
            trainer.append(xseq, yseq)
    trainer.set_params(settings.params())
    every = max(1, settings.max_iterations // 10)

    def report(log: str) -> None:
        if "***** Iteration #" in log:
            i = int(log.split("#")[1].split()[0])
            if i % every == 0:
                progress(f"  iteration {i}/{settings.max_iterations}")

    trainer.message = report
    trainer.train(model_path)


def tag_all(model_path: str, texts: Iterable[str]) -> list[list[Span]]:
    from .tagger import Tagger

    tagger = Tagger(model_path)
    return [tagger.spans(t) for t in texts]


def _weighted(spec: ModelSpec, parts: list[list[Example]]) -> list[tuple[Example, int]]:
    return [(x, c.repeat) for c, examples in zip(spec.corpora, parts) for x in examples]


def held_out_scores(spec: ModelSpec, corpus_dir: str, work_path: str, limit: int | None = None,
                    progress: Callable[[str], None] = print) -> dict[str, dict]:
    """Train on 9/10 of every corpus and score each corpus's held-out tenth separately."""
    splits = [split_held_out(load_corpus(c, corpus_dir, limit)) for c in spec.corpora]
    progress(f"{spec.name}: held-out run, training on {sum(len(t) for t, _ in splits)} sentences")
    _train(_weighted(spec, [t for t, _ in splits]), spec.settings, work_path, progress)
    out = {}
    for corpus, (_, held) in zip(spec.corpora, splits):
        predicted = tag_all(work_path, [text for text, _ in held])
        counts = score([spans for _, spans in held], predicted)
        out[corpus.file] = {"sentences": len(held), **{k: v.as_dict() for k, v in sorted(counts.items())}}
        progress(f"  held out {corpus.file}: micro F1 {counts['micro'].f1:.4f}")
    return out


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _lexicon_hashes() -> dict[str, str]:
    """The lexicon files the features read: a model describes text through them."""
    folder = resources.files(lexicon.__package__).joinpath("lexicons")
    names = ("org_suffixes.tsv", "place_suffixes.tsv", "places_extra.txt", "place_short_blocklist.txt",
             "surnames.txt", "titles.tsv")
    return {n: hashlib.sha256(folder.joinpath(n).read_bytes()).hexdigest() for n in names}


def train_model(name: str, corpus_dir: str, out_dir: str, settings: Settings | None = None,
                limit: int | None = None, held_out: bool = True,
                progress: Callable[[str], None] = print) -> str:
    """Train ``name`` on all its training sentences into ``out_dir/<name>.crfsuite``; write ``<name>.json``.

    With ``held_out``, first train on 9/10 of the data and record the scores on
    the held-out tenth.  ``limit`` keeps the first N sentences of each corpus.
    Returns the model path.
    """
    spec = SPECS[name]
    if settings is not None:
        spec = replace(spec, settings=settings)
    os.makedirs(out_dir, exist_ok=True)
    model_path = os.path.join(out_dir, f"{name}.crfsuite")
    # models are written beside the target and moved into place only when complete
    handle, work_path = tempfile.mkstemp(prefix=f".{name}-", suffix=".crfsuite", dir=out_dir)
    os.close(handle)
    try:
        scores = held_out_scores(spec, corpus_dir, work_path, limit, progress) if held_out else {}
        parts = [load_corpus(c, corpus_dir, limit) for c in spec.corpora]
        progress(f"{name}: training on {sum(len(p) for p in parts)} sentences")
        started = time.perf_counter()
        _train(_weighted(spec, parts), spec.settings, work_path, progress)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(work_path, 0o666 & ~umask)  # mkstemp made it private
        os.replace(work_path, model_path)
    finally:
        if os.path.exists(work_path):
            os.remove(work_path)
    progress(f"{name}: trained in {time.perf_counter() - started:.0f} s -> {model_path} "
             f"({os.path.getsize(model_path) / 1e6:.1f} MB)")
    meta = {
        "model": f"{name}.crfsuite",
        "model_sha256": _sha256(model_path),
        "model_bytes": os.path.getsize(model_path),
        "labels": sorted({label for p in parts for x in p for *_, label in x[1]}),
        "tagging": "BIOES, one tag per character",
        "feature_template": TEMPLATE_VERSION,
        "corpora": [
            {
                "file": c.file,
                "sha256": _sha256(os.path.join(corpus_dir, c.file)),
                "bytes": os.path.getsize(os.path.join(corpus_dir, c.file)),
                "sentences": len(p),
                "characters": sum(len(t) for t, _ in p),
                "repeat": c.repeat,
                **({"label_map": c.label_map} if c.label_map else {}),
            }
            for c, p in zip(spec.corpora, parts)
        ],
        "limit": limit,
        "settings": {"algorithm": "lbfgs", **asdict(spec.settings)},
        "held_out": {"rule": f"sentence i of each corpus when i % {HELD_OUT_EVERY} == {HELD_OUT_EVERY - 1}",
                     "scores": scores} if held_out else None,
        "lexicons_sha256": _lexicon_hashes(),
        "software": software_versions(),
    }
    with open(os.path.join(out_dir, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return model_path


def software_versions() -> dict[str, str]:
    """Versions of what turns text into features and trains: the trainer, the segmenter and its dictionary."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for dist in ("python-crfsuite", "rjieba", "jieba"):
        try:
            found[dist] = version(dist)
        except PackageNotFoundError:
            pass
    return found
