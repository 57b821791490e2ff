"""The graph as RDF/Turtle, in the zhitu vocabulary (ontology/zhitu.ttl).

* every entity: its class, ``rdfs:label`` (canonical name, @zh), one
  ``skos:altLabel`` per other surface form;
* every page: ``zt:Document`` with ``zt:fileName`` and ``zt:mentions`` for
  every entity it mentions;
* every relation: a direct triple (``?s zt:locatedIn ?o``) and, per piece of
  evidence, a ``zt:Statement`` (``rdf:subject/predicate/object``) carrying the
  sentence, its offsets in the original file, the document, the role and the
  rule that made it;
* every mention: a ``zt:Mention`` with offsets, surface form and rule, and where a
  rule chose its name, the naming rule and the sentence (``zt:sentence``);
* resolution and time: ``zt:identifiedBy`` (why an entity's mentions are one),
  ``dcterms:issued`` (a page's date), ``dcterms:date`` (a statement's: its page's),
  ``schema:startDate`` (an event's), typed ``xsd:date`` (``xsd:gYearMonth`` for a month).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TextIO

import networkx as nx
from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, Graph, Literal, Node, URIRef

from zhitu.ontology.vocab import DATED, ID, ISSUED, SCHEMA, START_DATE, ZT

from .. import build as B
from .atomic import atomic_path

PREFIXES = {"rdf": RDF._NS, "rdfs": RDFS._NS, "skos": SKOS._NS, "xsd": XSD._NS, "zt": ZT._NS, "zid": ID,
            "dcterms": DCTERMS._NS, "schema": SCHEMA}


def entity_iri(node_id: str, type_: str) -> URIRef:
    return ID[f"{type_.lower()}/{node_id}"]


def document_iri(doc_id: str) -> URIRef:
    return ID[f"document/{doc_id}"]


def _node_hash(*parts) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


_LOCAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _prefixed_name(iri: URIRef) -> str | None:
    """zt:locatedIn for a vocabulary term; None for an id (its local part has a "/")."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri, len(namespace)):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


@lru_cache(maxsize=1 << 16)
def _integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


@lru_cache(maxsize=1 << 12)
def _date(iso: str) -> Literal:
    """2025-09-11 as xsd:date; 2025-09 (the text named only a month) as xsd:gYearMonth."""
    return Literal(iso, datatype=XSD.date if len(iso) == 10 else XSD.gYearMonth)


@lru_cache(maxsize=1 << 16)
def _text(value: str, lang: str | None = None) -> Literal:
    return Literal(value, lang=lang)


class _LookedUp:
    """An rdflib namespace whose terms are looked up once: a DefinedNamespace checks the name on
    every attribute access, which was a fifth of the time of writing graph.ttl."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


zt, rdf, rdfs, skos = (_LookedUp(ns) for ns in (ZT, RDF, RDFS, SKOS))


def triples(G: nx.MultiDiGraph) -> Iterator[tuple[URIRef, URIRef, Node]]:
    """Every triple of the graph, each subject's triples one after another.

    Literals that recur (offsets, rule names, surface forms, labels) are made
    once: building an rdflib Literal is the costliest part of a triple.
    """
    iri = {n: entity_iri(n, d[B.TYPE]) for n, d in G.nodes(data=True)}
    docs = {d["id"]: document_iri(d["id"]) for d in G.graph.get("documents", [])}
    mentioned = G.graph.get("mentioned", {})
    for d in G.graph.get("documents", []):
        doc = docs[d["id"]]
        yield doc, rdf.type, zt.Document
        yield doc, zt.fileName, Literal(d["file_name"])
        yield doc, zt.contentHash, Literal(d["sha1"])
        if d.get("city"):
            yield doc, zt.homeCity, _text(d["city"], "zh")
        if d.get("date"):
            yield doc, ISSUED, _date(d["date"])
        for n in mentioned.get(d["id"], ()):
            yield doc, zt.mentions, iri[n]
    for n, data in G.nodes(data=True):
        s = iri[n]
        yield s, rdf.type, getattr(zt, data[B.TYPE])
        yield s, rdfs.label, _text(data[B.LABEL], "zh")
        for a in data[B.ALIASES]:
            yield s, skos.altLabel, _text(a, "zh")
        if data.get(B.IDENTIFIED_BY):
            yield s, zt.identifiedBy, _text(data[B.IDENTIFIED_BY])
        if data.get(B.DATE):
            yield s, START_DATE, _date(data[B.DATE])
    for n, data in G.nodes(data=True):
        for m in data[B.MENTIONS]:
            mention = ID[f"mention/{_node_hash(n, m['document'], m['start'], m['end'])}"]
            yield mention, rdf.type, zt.Mention
            yield mention, zt.denotes, iri[n]
            yield mention, zt.document, docs[m["document"]]
            yield mention, zt.surfaceForm, _text(m["text"], "zh")
            yield mention, zt.startOffset, _integer(m["start"])
            yield mention, zt.endOffset, _integer(m["end"])
            yield mention, zt.extractor, _text(m["rule"])
            if m.get("naming"):
                yield mention, zt.namingRule, _text(m["naming"])
            if m.get("sentence"):
                yield mention, zt.sentence, _text(m["sentence"], "zh")
    for u, v, key, data in G.edges(keys=True, data=True):
        pred = getattr(zt, data[B.PREDICATE])
        yield iri[u], pred, iri[v]
        for ev in data[B.EVIDENCE]:
            st = ID[f"statement/{_node_hash(u, key, v, ev['document'], ev['start'], ev['end'], ev['rule'], ev.get('role', ''))}"]
            yield st, rdf.type, zt.Statement
            yield st, rdf.subject, iri[u]
            yield st, rdf.predicate, pred
            yield st, rdf.object, iri[v]
            yield st, zt.document, docs[ev["document"]]
            yield st, zt.evidence, _text(ev["sentence"], "zh")
            yield st, zt.startOffset, _integer(ev["start"])
            yield st, zt.endOffset, _integer(ev["end"])
            yield st, zt.extractor, _text(ev["rule"])
            if ev.get("role"):
                yield st, zt.role, _text(ev["role"], "zh")
            if ev.get("date"):
                yield st, DATED, _date(ev["date"])


def to_rdf(G: nx.MultiDiGraph) -> Graph:
    """The graph as an rdflib Graph (for tests and callers that query it; the file is streamed)."""
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    for t in triples(G):
        g.add(t)
    return g


def write_turtle(G: nx.MultiDiGraph, path: str) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        write_turtle_stream(triples(G), f)


def write_turtle_stream(stream: Iterable[tuple[URIRef, URIRef, Node]], out: TextIO) -> None:
    """Write triples as Turtle as they come, one block per run of triples with the same subject.

    rdflib's serializer first holds the whole graph (about 1 KB a triple) and
    writes ~28k triples/s; this holds nothing but the current subject.  Each
    term is still written by rdflib (``n3()``), so escaping and quoting are
    rdflib's; only integers are written bare, as Turtle allows.
    """
    out.writelines(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())
    names = {RDF.type: "a"}  # IRIs in predicate and object place recur on many lines
    integer = XSD.integer

    def term_text(term: Node) -> str:
        if type(term) is Literal:
            return str(term.value) if term.datatype == integer else term.n3()
        text = names.get(term)
        if text is None:
            text = names[term] = _prefixed_name(term) or term.n3()
        return text

    subject, said = None, set()
    for s, p, o in stream:
        pair = f"{term_text(p)} {term_text(o)}"
        if s is not subject and s != subject:
            if subject is not None:
                out.write(" .\n")
            out.write(f"\n{s.n3()} {pair}")
            subject, said = s, {pair}
        elif pair not in said:  # a triple said twice is one triple
            out.write(f" ;\n    {pair}")
            said.add(pair)
    out.write(" .\n" if subject is not None else "")
