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

The file holds the prefixes, then each page's part (the document, its
mentions and the statements of its sentences), then each entity's (its names
and direct triples): units a rebuild rewrites only when they change (units.py).
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import networkx as nx
from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, Graph, Literal, Node, URIRef

from zhitu.ontology.vocab import DATED, ID, ISSUED, SCHEMA, START_DATE, ZT

from .. import build as B
from .atomic import atomic_path
from .units import FileLayout, Outline, Section, write_layouts

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


class _Terms:
    """IRIs of the graph's entities and documents, each made once."""

    def __init__(self, types: dict[str, str]):
        self.types, self.entities, self.documents = types, {}, {}

    def entity(self, n: str) -> URIRef:
        iri = self.entities.get(n)
        if iri is None:
            iri = self.entities[n] = entity_iri(n, self.types[n])
        return iri

    def document(self, doc_id: str) -> URIRef:
        iri = self.documents.get(doc_id)
        if iri is None:
            iri = self.documents[doc_id] = document_iri(doc_id)
        return iri


def document_triples(G: nx.MultiDiGraph, terms: _Terms, record: dict,
                     statements: list[tuple[str, str, str, dict]]) -> Iterator[tuple[URIRef, URIRef, Node]]:
    """A page: the document, its mentions and the statements its sentences make (``statements``)."""
    doc_id = record["id"]
    doc = terms.document(doc_id)
    yield doc, rdf.type, zt.Document
    yield doc, zt.fileName, Literal(record["file_name"])
    yield doc, zt.contentHash, Literal(record["sha1"])
    if record.get("city"):
        yield doc, zt.homeCity, _text(record["city"], "zh")
    if record.get("date"):
        yield doc, ISSUED, _date(record["date"])
    for n in G.graph["mentioned"].get(doc_id, ()):
        yield doc, zt.mentions, terms.entity(n)
    for m in G.graph["mentions"].get(doc_id, ()):
        n = m["entity"]
        mention = ID[f"mention/{_node_hash(n, doc_id, m['start'], m['end'])}"]
        yield mention, rdf.type, zt.Mention
        yield mention, zt.denotes, terms.entity(n)
        yield mention, zt.document, doc
        yield mention, zt.surfaceForm, _text(m["text"], "zh")
        yield from _found_at(mention, m)
        if m.get("naming"):
            yield mention, zt.namingRule, _text(m["naming"])
        if m.get("sentence"):
            yield mention, zt.sentence, _text(m["sentence"], "zh")
    for u, key, v, ev in statements:
        pred = getattr(zt, G.edges[u, v, key][B.PREDICATE])
        st = ID[f"statement/{_node_hash(u, key, v, ev['document'], ev['start'], ev['end'], ev['rule'], ev.get('role', ''))}"]
        yield st, rdf.type, zt.Statement
        yield st, rdf.subject, terms.entity(u)
        yield st, rdf.predicate, pred
        yield st, rdf.object, terms.entity(v)
        yield st, zt.document, doc
        yield st, zt.evidence, _text(ev["sentence"], "zh")
        yield from _found_at(st, ev)
        if ev.get("role"):
            yield st, zt.role, _text(ev["role"], "zh")
        if ev.get("date"):
            yield st, DATED, _date(ev["date"])


def _found_at(subject: URIRef, found: dict) -> Iterator[tuple[URIRef, URIRef, Node]]:
    """Where a mention or a piece of evidence is in its page (offsets in the original file), and the rule."""
    yield subject, zt.startOffset, _integer(found["start"])
    yield subject, zt.endOffset, _integer(found["end"])
    yield subject, zt.extractor, _text(found["rule"])


def entity_triples(G: nx.MultiDiGraph, terms: _Terms, n: str) -> Iterator[tuple[URIRef, URIRef, Node]]:
    """An entity: its class, names, identity, date and its relations (the direct triples)."""
    data = G.nodes[n]
    s = terms.entity(n)
    yield s, rdf.type, getattr(zt, data[B.TYPE])
    yield s, rdfs.label, _text(data[B.LABEL], "zh")
    for a in data[B.ALIASES]:
        yield s, skos.altLabel, _text(a, "zh")
    if data.get(B.IDENTIFIED_BY):
        yield s, zt.identifiedBy, _text(data[B.IDENTIFIED_BY])
    if data.get(B.DATE):
        yield s, START_DATE, _date(data[B.DATE])
    for _, v, key in sorted(G.out_edges(n, keys=True), key=lambda e: (e[1], e[2])):
        yield s, getattr(zt, G.edges[n, v, key][B.PREDICATE]), terms.entity(v)


def _statements_by_document(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, str, str, dict]]]:
    """Document id -> (subject, predicate key, object, evidence) of each statement its sentences make."""
    by_document: dict[str, list] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        for ev in data[B.EVIDENCE]:
            by_document.setdefault(ev["document"], []).append((u, key, v, ev))
    return by_document


def turtle_layout(G: nx.MultiDiGraph, outline: Outline, name: str = "graph.ttl") -> FileLayout:
    """graph.ttl: the prefixes, then each page (a unit), then each entity (a unit)."""
    terms = _Terms(outline.types)
    writer = _TurtleWriter()
    records = {d["id"]: d for d in G.graph.get("documents", [])}
    statements = _statements_by_document(G)

    def document(doc_id: str) -> str:
        return writer.text(document_triples(G, terms, records[doc_id], statements.get(doc_id, [])))

    def entity(n: str) -> str:
        return writer.text(entity_triples(G, terms, n))

    return FileLayout(name, [writer.prefixes(), Section("documents", outline.documents, document),
                             Section("entities", list(outline.types), entity)])


def triples(G: nx.MultiDiGraph) -> Iterator[tuple[URIRef, URIRef, Node]]:
    """Every triple of the graph (of the pages ``G.graph["mentions"]`` holds), each subject's one after another."""
    terms = _Terms({n: d[B.TYPE] for n, d in G.nodes(data=True)})
    statements = _statements_by_document(G)
    for record in G.graph.get("documents", []):
        yield from document_triples(G, terms, record, statements.get(record["id"], []))
    for n in G:
        yield from entity_triples(G, terms, n)


def to_rdf(G: nx.MultiDiGraph) -> Graph:
    """The graph as an rdflib Graph (for tests and callers that query it; the file is streamed)."""
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    for t in triples(G):
        g.add(t)
    return g


def write_turtle(G: nx.MultiDiGraph, path: str) -> None:
    folder, name = os.path.split(os.path.abspath(path))
    with atomic_path(path) as tmp:
        write_layouts([turtle_layout(G, Outline.of_graph(G), os.path.basename(tmp))], folder)


class _TurtleWriter:
    """Triples as Turtle, one block per run of triples with the same subject.

    rdflib's serializer first holds the whole graph (about 1 KB a triple) and
    writes ~28k triples/s; this holds nothing but the current block.  Each
    term is still written by rdflib (``n3()``), so escaping and quoting are
    rdflib's; only integers are written bare, as Turtle allows.
    """

    def __init__(self) -> None:
        self.names = {RDF.type: "a"}  # IRIs in predicate and object place recur on many lines

    @staticmethod
    def prefixes() -> str:
        return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())

    def term_text(self, term: Node) -> str:
        if type(term) is Literal:
            return str(term.value) if term.datatype == XSD.integer else term.n3()
        text = self.names.get(term)
        if text is None:
            text = self.names[term] = _prefixed_name(term) or term.n3()
        return text

    def text(self, stream: Iterable[tuple[URIRef, URIRef, Node]]) -> str:
        out: list[str] = []
        term_text = self.term_text
        subject, said = None, set()
        for s, p, o in stream:
            pair = f"{term_text(p)} {term_text(o)}"
            if s is not subject and s != subject:
                if subject is not None:
                    out.append(" .\n")
                out.append(f"\n{s.n3()} {pair}")
                subject, said = s, {pair}
            elif pair not in said:  # a triple said twice is one triple
                out.append(f" ;\n    {pair}")
                said.add(pair)
        if subject is not None:
            out.append(" .\n")
        return "".join(out)
