"""``zhitu train``: rebuild the shipped CRF recognisers from the public training corpora."""
from __future__ import annotations

import argparse
import os

ORDER = 70

DEFAULT_CORPUS_DIR = os.path.join("..", "shared", "benchmarks")
DEFAULT_MODEL_DIR = os.path.join("extract", "models")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="retrain the named-entity recognisers (CRF models in extract/models/)",
        description="Train the character-level CRF recognisers on CLUENER2020 train.json "
        "(model 'cluener', ten classes) and People's Daily example.dev plus CLUENER mapped to "
        "PER/LOC/ORG (model 'news'). First a held-out run (train on 9/10 of each corpus, score the "
        "other tenth), then the model on all of it. Writes <model>.crfsuite and <model>.json "
        "(corpora and their sha256, settings, held-out scores). The same input gives the same bytes.",
    )
    p.add_argument("--corpus-dir", default=DEFAULT_CORPUS_DIR, metavar="DIR",
                   help=f"folder holding cluener2020/ and peoples_daily_ner/ (default: {DEFAULT_CORPUS_DIR})")
    p.add_argument("--model", choices=("cluener", "news", "all"), default="all",
                   help="which model to train (default: all)")
    p.add_argument("--out", default=DEFAULT_MODEL_DIR, metavar="DIR",
                   help=f"folder to write the models into (default: {DEFAULT_MODEL_DIR})")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N sentences of each corpus (quick checks)")
    p.add_argument("--iterations", type=int, metavar="N", help="L-BFGS iterations (default: the model's setting)")
    p.add_argument("--no-held-out", dest="held_out", action="store_false",
                   help="skip the held-out run (its scores are left out of the .json)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from zhitu.extract.read import InputError
    from zhitu.extract.training import SPECS, train_model

    names = list(SPECS) if args.model == "all" else [args.model]
    for name in names:
        spec = SPECS[name]
        missing = [c.file for c in spec.corpora if not os.path.isfile(os.path.join(args.corpus_dir, c.file))]
        if missing:
            raise InputError(f"{args.corpus_dir}: missing {', '.join(missing)} (see --corpus-dir)")
    for name in names:
        settings = SPECS[name].settings
        if args.iterations:
            settings = replace(settings, max_iterations=args.iterations)
        train_model(name, args.corpus_dir, args.out, settings=settings, limit=args.limit,
                    held_out=args.held_out, progress=lambda msg: print(f"zhitu train: {msg}", flush=True))
    return 0
