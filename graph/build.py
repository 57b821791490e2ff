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
MENTIONS = "mentions"  # list of {document, start, end, text, rule}
DOCUMENTS = "documents"  # ids of documents that mention the entity
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
                     "naming": m.naming}
                    for d, m in e.mentions
                ],
                DOCUMENTS: sorted({d for d, _ in e.mentions}),
            },
        )
    for st in corpus.statements:
        r = st.relation
        evidence = {"document": st.document, "start": r.start, "end": r.end, "sentence": r.evidence,
                    "rule": r.rule, "role": r.role}
        if G.has_edge(st.subject, st.object, key=st.predicate):
            data = G.edges[st.subject, st.object, st.predicate]
            if evidence not in data[EVIDENCE]:
                data[EVIDENCE].append(evidence)
            if r.role and r.role not in data[ROLE].split("、"):
                data[ROLE] = "、".join(x for x in (data[ROLE], r.role) if x)
        else:
            G.add_edge(st.subject, st.object, key=st.predicate,
                       **{PREDICATE: st.predicate, EVIDENCE: [evidence], ROLE: r.role})
    G.graph["documents"] = [asdict(d) for d in corpus.documents]
    G.graph["mentioned"] = {d: sorted(ids) for d, ids in corpus.mentioned.items()}
    return G
