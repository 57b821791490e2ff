"""Entities and relations -> the in-memory NetworkX graph every export reads.

Nodes are entities; each (subject, predicate, object) is one edge, keyed by
the predicate, carrying every piece of evidence that states it.  Documents
ride along in ``G.graph["documents"]``; each page's mentions (offsets, surface
form, rule, sentence) in ``G.graph["mentions"]``, by document, for the pages
the corpus added in this session.

``build_graph(corpus, entities)`` builds only part of the graph: the given
entities, their relations and the entities at the other end (what an
incremental build rewrites, see zhitu.build).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

import networkx as nx

from .resolve import Corpus, Entity

# node attributes
TYPE = "type"
LABEL = "label"
ALIASES = "aliases"
MENTION_COUNT = "mention_count"  # how many times the pages mention it
DOCUMENTS = "documents"  # ids of documents that mention the entity
IDENTIFIED_BY = "identified_by"  # why the entity's mentions on different pages are one entity
DATE = "date"  # an event's date (ISO 8601, or YYYY-MM), "" if the pages give none
# edge attributes
PREDICATE = "predicate"
EVIDENCE = "evidence"  # list of {document, start, end, sentence, rule, role, date}
ROLE = "role"


def node_attributes(e: Entity) -> dict:
    return {TYPE: e.type, LABEL: e.name, ALIASES: e.aliases, MENTION_COUNT: e.mention_count,
            DOCUMENTS: sorted(e.documents), IDENTIFIED_BY: e.identified_by, DATE: e.date}


def build_graph(corpus: Corpus, entities: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The graph of the corpus; with ``entities``, only those, their out-edges and the nodes these reach."""
    chosen = None if entities is None else set(entities)
    edges = [(s, o, p, {PREDICATE: p, EVIDENCE: edge.evidence, ROLE: edge.role})
             for (s, o, p), edge in corpus.edges.items() if chosen is None or s in chosen]
    nodes = set(corpus.entities) if chosen is None else chosen | {o for _, o, _, _ in edges}
    G = nx.MultiDiGraph()
    # nodes in id order and edges in the order the pages first state them, whatever part is built:
    # the exports walk the graph in this order
    G.add_nodes_from((n, node_attributes(corpus.entities[n])) for n in sorted(nodes))
    G.add_edges_from(edges)
    G.graph["documents"] = [asdict(d) for d in corpus.documents]
    G.graph["mentions"] = corpus.page_mentions
    G.graph["mentioned"] = corpus.mentioned
    return G
