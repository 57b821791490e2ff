"""A Doc as plain JSON-ready records, for pipelines that consume extraction directly.

Offsets are into the text that was given (a whole file, or one line), end
exclusive, and ``text`` is exactly that stretch of it; ``name`` is the entity's
resolved name within the document (市人社局 -> 济宁市人社局).
"""
from __future__ import annotations

from .doc import Doc


def doc_record(doc: Doc) -> dict:
    source = doc.page.text
    entities = [
        {"text": source[m.start:m.end], "type": m.type, "start": m.start, "end": m.end,
         "name": m.name or m.text, "rule": m.rule}
        for m in sorted(doc.mentions, key=lambda m: (m.start, -m.end))
    ]
    relations = [
        {"subject": r.subject[0], "subject_type": r.subject[1], "predicate": r.predicate,
         "object": r.object[0], "object_type": r.object[1], "role": r.role,
         "evidence": r.evidence, "start": r.start, "end": r.end, "rule": r.rule}
        for r in doc.relations
    ]
    return {"entities": entities, "relations": relations}
