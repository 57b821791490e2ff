"""Entities and statements -> the in-memory NetworkX graph every export reads.

Nodes are entities; each (subject, predicate, object) is one edge, keyed by
the predicate, carrying every piece of evidence that states it.  Documents
ride along in ``G.graph["documents"]`` with the entities each mentions.
"""
from __future__ import annotations

from dataclasses import asdict

import networkx as nx

from .resolve import Corpus

# node attributes
TYPE = "type"
LABEL = "label"
ALIASES = "aliases"
MENTIONS = "mentions"  # list of {document, start, end, text, rule, naming, sentence}
DOCUMENTS = "documents"  # ids of documents that mention the entity
IDENTIFIED_BY = "identified_by"  # why the entity's mentions on different pages are one entity
DATE = "date"  # an event's date (ISO 8601, or YYYY-MM), "" if the pages give none
# edge attributes
PREDICATE = "predicate"
EVIDENCE = "evidence"  # list of {document, start, end, sentence, rule, role}
ROLE = "role"


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for e in sorted(corpus.entities.values(), key=lambda e: e.id):
        G.add_node(
            e.id,
            **{
                TYPE: e.type,
                LABEL: e.name,
                ALIASES: e.aliases,
                MENTIONS: [
                    {"document": d, "start": m.start, "end": m.end, "text": m.text, "rule": m.rule,
                     "naming": m.naming, "sentence": e.sentences.get((d, m.start, m.end), "")}
                    for d, m in e.mentions
                ],
                DOCUMENTS: sorted({d for d, _ in e.mentions}),
                IDENTIFIED_BY: e.identified_by,
                DATE: e.date,
            },
        )
    # (subject, object, predicate) -> the edge's attributes, and what is already on it:
    # its evidence and the parts of its role (sets, as an edge can rest on thousands of sentences)
    edges: dict[tuple[str, str, str], dict] = {}
    dates = {d.id: d.date for d in corpus.documents}  # a statement is dated by the page that makes it
    on_edge: dict[tuple[str, str, str], tuple[set, set]] = {}
    for st in corpus.statements:
        r = st.relation
        evidence = {"document": st.document, "start": r.start, "end": r.end, "sentence": r.evidence,
                    "rule": r.rule, "role": r.role, "date": dates[st.document]}
        key, said = (st.subject, st.object, st.predicate), tuple(evidence.values())
        if key not in edges:
            edges[key] = {PREDICATE: st.predicate, EVIDENCE: [evidence], ROLE: r.role}
            on_edge[key] = ({said}, set(r.role.split("、")))
            continue
        data, (evidence_seen, role_parts) = edges[key], on_edge[key]
        if said not in evidence_seen:
            evidence_seen.add(said)
            data[EVIDENCE].append(evidence)
        new_parts = [p for p in r.role.split("、") if p and p not in role_parts]
        if new_parts:  # 党组书记、局长 stated twice is still 党组书记、局长
            data[ROLE] = "、".join(x for x in (data[ROLE], *new_parts) if x)
            role_parts.update(new_parts)
    G.add_edges_from((s, o, predicate, data) for (s, o, predicate), data in edges.items())
    G.graph["documents"] = [asdict(d) for d in corpus.documents]
    G.graph["mentioned"] = {d: sorted(ids) for d, ids in corpus.mentioned.items()}
    return G
