"""The Turtle export of the seed pages: round trip, labels, documents, SHACL conformance, SPARQL provenance."""
from __future__ import annotations

import unicodedata
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef

from zhitu.graph.export.turtle import to_rdf
from zhitu.ontology.vocab import ENTITY_CLASSES, RELATION_PROPERTIES, ZT

SH = Namespace("http://www.w3.org/ns/shacl#")
ZTSH = Namespace("https://w3id.org/zhitu/shapes#")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")  # not rdflib's XSD: pytest probes module globals
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ENTITY_TYPES = [ZT[c] for c in ENTITY_CLASSES]
PREFIXES = {"zt": ZT._NS, "rdf": RDF, "rdfs": RDFS, "skos": SKOS}


def _load(name: str) -> Graph:
    return Graph().parse(data=files("zhitu.ontology").joinpath(name).read_text("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _load("zhitu.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _load("shapes.ttl")


def validate(data: Graph, shapes: Graph, ontology: Graph):
    """No inference: RDFS domain/range reasoning would type nodes from their edges and hide type errors."""
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
                                              inference="none", advanced=True, allow_warnings=False)
    return conforms, report, text


def violations(report: Graph) -> list[dict]:
    out = []
    for r in report.objects(None, SH.result):  # top-level results only, not their sh:detail
        out.append({
            "focus": report.value(r, SH.focusNode),
            "path": report.value(r, SH.resultPath),
            "component": report.value(r, SH.sourceConstraintComponent),
            "shape": report.value(r, SH.sourceShape),
            "value": report.value(r, SH.value),
            "message": str(report.value(r, SH.resultMessage)),
        })
    return out


def entities(g: Graph) -> set:
    return {s for t in ENTITY_TYPES for s in g.subjects(RDF.type, t)}


@pytest.fixture(scope="module")
def rdf_out(seed_graph) -> Graph:
    return to_rdf(seed_graph)


@pytest.fixture(scope="module")
def turtle_bytes(rdf_out) -> bytes:
    return rdf_out.serialize(format="turtle", encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(turtle_bytes) -> Graph:
    """The seed graph as a reader of graph.ttl sees it."""
    return Graph().parse(data=turtle_bytes.decode("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def seed_report(parsed, shapes, ontology):
    return validate(parsed, shapes, ontology)


# --------------------------------------------------------------------------- round trip and content


def test_round_trip_preserves_every_triple(rdf_out, parsed):
    assert len(rdf_out) > 1000
    assert len(parsed) == len(rdf_out)
    # no blank nodes are written, so set equality is graph isomorphism
    assert not any(isinstance(t, BNode) for triple in rdf_out for t in triple)
    assert set(parsed) == set(rdf_out)


def test_every_entity_has_exactly_one_zh_label(seed_graph, parsed):
    ents = entities(parsed)
    assert len(ents) == seed_graph.number_of_nodes()
    for e in ents:
        labels = list(parsed.objects(e, RDFS.label))
        assert len(labels) == 1, (e, labels)
        assert labels[0].language == "zh" and str(labels[0]).strip(), (e, labels)
    for e in ents:
        types = set(parsed.objects(e, RDF.type)) & set(ENTITY_TYPES)
        assert len(types) == 1, (e, types)


def test_aliases_are_alt_labels(seed_graph, parsed, rdf_out):
    n_aliases = sum(len(d["aliases"]) for _, d in seed_graph.nodes(data=True))
    alt = list(parsed.triples((None, SKOS.altLabel, None)))
    assert len(alt) == n_aliases > 0
    assert all(o.language == "zh" for _, _, o in alt)


def test_documents_have_file_names(parsed, seed_paths):
    docs = set(parsed.subjects(RDF.type, ZT.Document))
    assert len(docs) == len(seed_paths) == 5
    names = set()
    for d in docs:
        fn = list(parsed.objects(d, ZT.fileName))
        assert len(fn) == 1, (d, fn)
        names.add(str(fn[0]))
        assert len(list(parsed.objects(d, ZT.contentHash))) == 1
        assert any(parsed.objects(d, ZT.mentions)), f"{d} mentions nothing"
    assert names == {Path(p).name for p in seed_paths}
    assert names == {p.name for p in SEEDS.glob("*.txt")}


def test_relations_and_statements_match(seed_graph, parsed):
    n_edges = seed_graph.number_of_edges()
    direct = [t for p in RELATION_PROPERTIES for t in parsed.triples((None, ZT[p], None))]
    assert len(direct) == n_edges > 0
    n_evidence = sum(len(d["evidence"]) for *_, d in seed_graph.edges(data=True))
    assert len(set(parsed.subjects(RDF.type, ZT.Statement))) == n_evidence
    n_mentions = sum(d["mention_count"] for _, d in seed_graph.nodes(data=True))
    assert n_mentions == sum(len(ms) for ms in seed_graph.graph["mentions"].values())
    assert len(set(parsed.subjects(RDF.type, ZT.Mention))) == n_mentions


def test_every_used_zt_term_is_in_the_vocabulary(parsed, ontology):
    ns = str(ZT._NS)
    used = {t for triple in parsed for t in triple if isinstance(t, URIRef) and str(t).startswith(ns)}
    declared = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(ns)}
    assert used and used <= declared, sorted(used - declared)


# --------------------------------------------------------------------------- SHACL


def test_seed_output_conforms_to_shapes(seed_report):
    conforms, report, text = seed_report
    if not conforms:
        lines = Counter((str(v["shape"]), str(v["path"]), v["message"]) for v in violations(report))
        pytest.fail(f"{sum(lines.values())} SHACL violations:\n"
                    + "\n".join(f"{n} x {k}" for k, n in lines.most_common(20)) + "\n" + text[:4000])


@pytest.fixture(scope="module")
def page_graph(seed_docs) -> Graph:
    """Real output for one seed page (small enough to validate many times): the page with most kinds of relation."""
    from zhitu.graph.build import build_graph
    from zhitu.graph.resolve import resolve

    def kinds(doc):
        return len({r.predicate for r in doc.relations})

    doc = max(seed_docs, key=kinds)
    return to_rdf(build_graph(resolve([doc])))


@pytest.fixture(scope="module")
def page_report(page_graph, shapes, ontology):
    return validate(page_graph, shapes, ontology)


def test_single_page_output_conforms(page_report, page_graph):
    """Control for the negative tests below: the unmodified graph they start from conforms."""
    conforms, _, text = page_report
    assert conforms, text[:4000]
    predicates = set(page_graph.objects(None, RDF.predicate))
    assert {ZT.holdsPosition, ZT.locatedIn} <= predicates


def _first(g: Graph, query: str):
    rows = sorted(g.query(query, initNs=PREFIXES), key=lambda r: tuple(str(x) for x in r))
    assert rows, "the page graph has nothing to break: " + query
    return rows[0]


def drop_label(g):
    (e,) = _first(g, "SELECT ?e WHERE { ?e a zt:Person ; rdfs:label ?l }")
    g.remove((e, RDFS.label, None))
    return e, RDFS.label, SH.MinCountConstraintComponent


def second_label(g):
    (e,) = _first(g, "SELECT ?e WHERE { ?e a zt:Company ; rdfs:label ?l }")
    g.add((e, RDFS.label, Literal("另一个名字", lang="zh")))
    return e, RDFS.label, SH.MaxCountConstraintComponent


def label_without_language(g):
    e, l = _first(g, "SELECT ?e ?l WHERE { ?e a zt:Place ; rdfs:label ?l }")
    g.remove((e, RDFS.label, l))
    g.add((e, RDFS.label, Literal(str(l))))
    return e, RDFS.label, None


def drop_evidence(g):
    (st,) = _first(g, "SELECT ?st WHERE { ?st a zt:Statement ; zt:evidence ?ev }")
    g.remove((st, ZT.evidence, None))
    return st, ZT.evidence, SH.MinCountConstraintComponent


def drop_statement_document(g):
    (st,) = _first(g, "SELECT ?st WHERE { ?st a zt:Statement ; rdf:predicate zt:locatedIn }")
    g.remove((st, ZT.document, None))
    return st, ZT.document, SH.MinCountConstraintComponent


def start_after_end(g):
    st, s, e = _first(g, "SELECT ?st ?s ?e WHERE { ?st a zt:Statement ; zt:startOffset ?s ; zt:endOffset ?e }")
    g.remove((st, ZT.startOffset, s))
    g.add((st, ZT.startOffset, Literal(int(e) + 5, datatype=XSD_INTEGER)))
    return st, ZT.startOffset, SH.LessThanOrEqualsConstraintComponent


def negative_offset(g):
    m, s = _first(g, "SELECT ?m ?s WHERE { ?m a zt:Mention ; zt:startOffset ?s }")
    g.remove((m, ZT.startOffset, s))
    g.add((m, ZT.startOffset, Literal(-1, datatype=XSD_INTEGER)))
    return m, ZT.startOffset, SH.MinInclusiveConstraintComponent


def string_offset(g):
    m, e = _first(g, "SELECT ?m ?e WHERE { ?m a zt:Mention ; zt:endOffset ?e }")
    g.remove((m, ZT.endOffset, e))
    g.add((m, ZT.endOffset, Literal(str(e))))
    return m, ZT.endOffset, SH.DatatypeConstraintComponent


def drop_file_name(g):
    (d,) = _first(g, "SELECT ?d WHERE { ?d a zt:Document }")
    g.remove((d, ZT.fileName, None))
    return d, ZT.fileName, SH.MinCountConstraintComponent


def person_located_in(g):
    p, place = _first(g, "SELECT ?p ?pl WHERE { ?p a zt:Person . ?x zt:locatedIn ?pl }")
    g.add((p, ZT.locatedIn, place))
    return p, None, None


def runs_a_place(g):
    org, place = _first(g, "SELECT ?o ?pl WHERE { ?o zt:runs ?x . ?y zt:locatedIn ?pl }")
    g.add((org, ZT.runs, place))
    return org, ZT.runs, SH.NodeConstraintComponent


def holds_position_in_a_place(g):
    p, place = _first(g, "SELECT ?p ?pl WHERE { ?p zt:holdsPosition ?o . ?y zt:locatedIn ?pl }")
    g.add((p, ZT.holdsPosition, place))
    return p, ZT.holdsPosition, SH.NodeConstraintComponent


def place_in_itself(g):
    (pl,) = _first(g, "SELECT ?pl WHERE { ?x zt:locatedIn ?pl }")
    g.add((pl, ZT.partOf, pl))
    return pl, None, None


def two_entity_types(g):
    (e,) = _first(g, "SELECT ?e WHERE { ?e a zt:Company }")
    g.add((e, RDF.type, ZT.Organization))
    return e, None, SH.XoneConstraintComponent


def statement_without_direct_triple(g):
    st, s, p, o = _first(g, "SELECT ?st ?s ?p ?o WHERE { ?st a zt:Statement ; rdf:subject ?s ; "
                            "rdf:predicate ?p ; rdf:object ?o . FILTER (?p = zt:holdsPosition) }")
    g.remove((s, p, o))
    every = set(g.subjects(RDF.subject, s)) & set(g.subjects(RDF.predicate, p)) & set(g.subjects(RDF.object, o))
    return every, None, None


def role_on_located_in(g):
    (st,) = _first(g, "SELECT ?st WHERE { ?st a zt:Statement ; rdf:predicate zt:locatedIn }")
    g.add((st, ZT.role, Literal("局长", lang="zh")))
    return st, RDF.predicate, SH.HasValueConstraintComponent


def mention_of_unlisted_entity(g):
    m, d, e = _first(g, "SELECT ?m ?d ?e WHERE { ?m a zt:Mention ; zt:document ?d ; zt:denotes ?e }")
    g.remove((d, ZT.mentions, e))
    every = set(g.subjects(ZT.denotes, e)) & set(g.subjects(ZT.document, d))
    return every, None, None


def mentions_a_statement(g):
    d, st = _first(g, "SELECT ?d ?st WHERE { ?d a zt:Document . ?st a zt:Statement }")
    g.add((d, ZT.mentions, st))
    return d, ZT.mentions, SH.NodeConstraintComponent


def ungrounded_entity(g):
    (e,) = _first(g, "SELECT ?e WHERE { ?e a zt:Place }")
    ghost = URIRef(str(e) + "-ghost")
    g.add((ghost, RDF.type, ZT.Place))
    g.add((ghost, RDFS.label, Literal("幽灵村", lang="zh")))
    return ghost, None, SH.OrConstraintComponent


BREAKAGES = [drop_label, second_label, label_without_language, drop_evidence, drop_statement_document,
             start_after_end, negative_offset, string_offset, drop_file_name, person_located_in, runs_a_place,
             holds_position_in_a_place, place_in_itself, two_entity_types, statement_without_direct_triple,
             role_on_located_in, mention_of_unlisted_entity, mentions_a_statement, ungrounded_entity]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
def test_broken_output_does_not_conform(breakage, page_graph, page_report, shapes, ontology):
    assert page_report[0], "control graph must conform"
    g = Graph()
    for t in page_graph:
        g.add(t)
    focus, path, component = breakage(g)
    focus = focus if isinstance(focus, set) else {focus}
    conforms, report, text = validate(g, shapes, ontology)
    assert not conforms, f"{breakage.__name__} was not detected"
    found = violations(report)
    # the violations are about the node(s) we broke, not collateral noise
    assert {v["focus"] for v in found} == focus, text[:3000]
    if path is not None:
        assert any(v["path"] == path for v in found), text[:3000]
    if component is not None:
        assert any(v["component"] == component for v in found), text[:3000]


# --------------------------------------------------------------------------- SPARQL provenance


EVIDENCE_QUERY = """
SELECT ?person ?org ?pname ?oname ?evidence ?role ?start ?end ?file WHERE {
    ?person zt:holdsPosition ?org ; rdfs:label ?pname .
    ?org rdfs:label ?oname .
    ?st a zt:Statement ;
        rdf:subject ?person ; rdf:predicate zt:holdsPosition ; rdf:object ?org ;
        zt:evidence ?evidence ; zt:startOffset ?start ; zt:endOffset ?end ;
        zt:document [ zt:fileName ?file ] .
    OPTIONAL { ?st zt:role ?role }
}
"""


def test_sparql_finds_evidence_behind_holds_position(parsed):
    rows = list(parsed.query(EVIDENCE_QUERY, initNs=PREFIXES))
    assert rows
    # every holdsPosition edge has at least one statement with its evidence
    edges = set(parsed.subject_objects(ZT.holdsPosition))
    assert {(r.person, r.org) for r in rows} == edges
    assert all(str(r.evidence).strip() and r.role is not None for r in rows)

    # 临清市科技局局长高世奎说。 -> holdsPosition(高世奎, 临清市科技局, 局长)
    gao = [r for r in rows if str(r.pname) == "高世奎"]
    assert gao, "高世奎 holdsPosition not found"
    r = gao[0]
    assert "临清市科技局" in str(r.oname)
    assert "高世奎" in str(r.evidence) and "局长" in str(r.evidence)
    assert str(r.role) == "局长"
    # the offsets point at that sentence in the original file
    from zhitu.extract.read import read_page

    text = read_page(str(SEEDS / str(r.file))).text
    span = text[int(r.start):int(r.end)]
    assert "高世奎" in span
    assert unicodedata.normalize("NFKC", "".join(span.split())) == unicodedata.normalize("NFKC", str(r.evidence))


def test_sparql_no_relation_without_evidence(parsed):
    q = """
    SELECT ?s ?p ?o WHERE {
        ?s ?p ?o .
        FILTER (?p IN (zt:holdsPosition, zt:memberOf, zt:locatedIn, zt:partOf, zt:subOrganizationOf,
                       zt:cooperatesWith, zt:runs, zt:participatesIn))
        FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; zt:evidence ?ev }
    }
    """
    assert list(parsed.query(q, initNs=PREFIXES)) == []
