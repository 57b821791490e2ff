"""``zhitu extract``: the recogniser as a command for other pipelines (JSON Lines out)."""
from __future__ import annotations

import argparse
import json
import os
import sys

ORDER = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="print the entities and relations of pages as JSON Lines",
        description="Run the extraction pipeline of `zhitu build` (cleaning, rules, gazetteer, model) "
        "on each FILE and print one JSON object per document: "
        '{"document", "entities": [{"text", "type", "start", "end", "name", "rule"}], "relations": [...]}. '
        "Offsets are characters into the file, end exclusive. With --lines every input line is a "
        'document of its own and gets one object, in order, empty lines included, with "line" (1-based) '
        "and offsets into that line. FILE '-' reads standard input.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="a text file, or - for standard input")
    p.add_argument("--lines", action="store_true", help="treat every line as its own document")
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default: jsonl)")
    p.set_defaults(func=run)


def _read(name: str) -> tuple[str, str]:
    from zhitu.extract.read import InputError, decode

    if name == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")[0], "-"
    try:
        with open(name, "rb") as f:
            return decode(f.read(), name)[0], os.path.basename(name)
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None


def run(args: argparse.Namespace) -> int:
    from zhitu.extract.doc import Page
    from zhitu.extract.pipeline import extract_page, extract_pages, load_extractor
    from zhitu.extract.records import doc_record

    out = sys.stdout
    for file_index, name in enumerate(args.files):
        text, label = _read(name)
        if file_index == 0:
            load_extractor()  # after the first file is read: a bad name is reported at once
        if args.lines:
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()  # the newline that ends the last line starts no new line
            lines = [line.rstrip("\r") for line in lines]
            # the lines with text, extracted in batches (extract_pages) as the output is written
            docs = extract_pages(Page.of_text(line, label) for line in lines if line.strip())
            for i, line in enumerate(lines, 1):
                record = doc_record(next(docs)) if line.strip() else {"entities": [], "relations": []}
                out.write(json.dumps({"document": label, "line": i, **record}, ensure_ascii=False) + "\n")
        else:
            record = doc_record(extract_page(Page.of_text(text, label)))
            out.write(json.dumps({"document": label, **record}, ensure_ascii=False) + "\n")
        out.flush()
    return 0
