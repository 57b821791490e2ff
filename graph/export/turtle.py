"""The graph as RDF/Turtle, in the zhitu vocabulary (ontology/zhitu.ttl).

* every entity: its class, ``rdfs:label`` (canonical name, @zh), one
  ``skos:altLabel`` per other surface form;
* every page: ``zt:Document`` with ``zt:fileName`` and ``zt:mentions`` for
  every entity it mentions;
* every relation: a direct triple (``?s zt:locatedIn ?o``) and, per piece of
  evidence, a ``zt:Statement`` (``rdf:subject/predicate/object``) carrying the
  sentence, its offsets in the original file, the document, the role and the
  rule that made it;
* every mention: a ``zt:Mention`` with offsets, surface form and rule.
"""
from __future__ import annotations

import hashlib

import networkx as nx
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from zhitu.ontology.vocab import ID, ZT

from .. import build as B
from .atomic import atomic_write


def entity_iri(node_id: str, type_: str) -> URIRef:
    return ID[f"{type_.lower()}/{node_id}"]


def document_iri(doc_id: str) -> URIRef:
    return ID[f"document/{doc_id}"]


def _node_hash(*parts) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def to_rdf(G: nx.MultiDiGraph) -> Graph:
    g = Graph()
    g.bind("zt", ZT._NS)
    g.bind("zid", ID)
    g.bind("skos", SKOS)
    iri = {n: entity_iri(n, d[B.TYPE]) for n, d in G.nodes(data=True)}
    docs = {d["id"]: document_iri(d["id"]) for d in G.graph.get("documents", [])}
    for d in G.graph.get("documents", []):
        doc = docs[d["id"]]
        g.add((doc, RDF.type, ZT.Document))
        g.add((doc, ZT.fileName, Literal(d["file_name"])))
        g.add((doc, ZT.contentHash, Literal(d["sha1"])))
        if d.get("city"):
            g.add((doc, ZT.homeCity, Literal(d["city"], lang="zh")))
    for did, ids in G.graph.get("mentioned", {}).items():
        for n in ids:
            g.add((docs[did], ZT.mentions, iri[n]))
    for n, data in G.nodes(data=True):
        s = iri[n]
        g.add((s, RDF.type, ZT[data[B.TYPE]]))
        g.add((s, RDFS.label, Literal(data[B.LABEL], lang="zh")))
        for a in data[B.ALIASES]:
            g.add((s, SKOS.altLabel, Literal(a, lang="zh")))
        for m in data[B.MENTIONS]:
            mention = ID[f"mention/{_node_hash(n, m['document'], m['start'], m['end'])}"]
            g.add((mention, RDF.type, ZT.Mention))
            g.add((mention, ZT.denotes, s))
            g.add((mention, ZT.document, docs[m["document"]]))
            g.add((mention, ZT.surfaceForm, Literal(m["text"], lang="zh")))
            g.add((mention, ZT.startOffset, Literal(m["start"], datatype=XSD.integer)))
            g.add((mention, ZT.endOffset, Literal(m["end"], datatype=XSD.integer)))
            g.add((mention, ZT.extractor, Literal(m["rule"])))
            if m.get("naming"):
                g.add((mention, ZT.namingRule, Literal(m["naming"])))
    for u, v, key, data in G.edges(keys=True, data=True):
        pred = ZT[data[B.PREDICATE]]
        g.add((iri[u], pred, iri[v]))
        for ev in data[B.EVIDENCE]:
            st = ID[f"statement/{_node_hash(u, key, v, ev['document'], ev['start'], ev['end'], ev['rule'], ev.get('role', ''))}"]
            g.add((st, RDF.type, ZT.Statement))
            g.add((st, RDF.subject, iri[u]))
            g.add((st, RDF.predicate, pred))
            g.add((st, RDF.object, iri[v]))
            g.add((st, ZT.document, docs[ev["document"]]))
            g.add((st, ZT.evidence, Literal(ev["sentence"], lang="zh")))
            g.add((st, ZT.startOffset, Literal(ev["start"], datatype=XSD.integer)))
            g.add((st, ZT.endOffset, Literal(ev["end"], datatype=XSD.integer)))
            g.add((st, ZT.extractor, Literal(ev["rule"])))
            if ev.get("role"):
                g.add((st, ZT.role, Literal(ev["role"], lang="zh")))
    return g


def write_turtle(G: nx.MultiDiGraph, path: str) -> None:
    data = to_rdf(G).serialize(format="turtle", encoding="utf-8")
    atomic_write(path, data)
