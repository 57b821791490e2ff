"""ontology/zhitu.ttl: parses, matches the closed namespace ZT term for term, is labelled in zh and en."""
from __future__ import annotations

from importlib.resources import files

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from zhitu.ontology.vocab import ENTITY_CLASSES, NS, RELATION_PROPERTIES, ZT

PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"


def load(name: str) -> Graph:
    return Graph().parse(data=files("zhitu.ontology").joinpath(name).read_text("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load("zhitu.ttl")


def zt_terms() -> list[str]:
    """Every term of the closed namespace, from its annotations."""
    return list(ZT.__annotations__)


def declared_types(g: Graph, term: URIRef) -> set:
    return set(g.objects(term, RDF.type))


def test_ontology_and_shapes_parse(onto):
    assert len(onto) > 200
    shapes = load("shapes.ttl")
    assert len(shapes) > 100
    header = next(onto.subjects(RDF.type, OWL.Ontology))
    assert str(header) == NS.rstrip("#")
    assert onto.value(header, OWL.versionInfo) is not None
    titles = {lit.language for lit in onto.objects(header, URIRef("http://purl.org/dc/terms/title"))}
    assert {"zh", "en"} <= titles
    assert any(onto.objects(header, URIRef("http://purl.org/dc/terms/description")))


def test_vocab_has_all_terms_the_brief_lists():
    assert len(zt_terms()) == 34
    assert set(ENTITY_CLASSES) | set(RELATION_PROPERTIES) <= set(zt_terms())


@pytest.mark.parametrize("name", zt_terms())
def test_every_zt_term_is_declared(onto, name):
    term = ZT[name]
    types = declared_types(onto, term)
    if name[0].isupper():
        assert OWL.Class in types, f"zt:{name} is not declared as owl:Class"
    else:
        assert types & PROPERTY_TYPES, f"zt:{name} is not declared as a property"


@pytest.mark.parametrize("name", zt_terms())
def test_every_zt_term_has_zh_and_en_label_and_comment(onto, name):
    term = ZT[name]
    labels = list(onto.objects(term, RDFS.label))
    langs = [lit.language for lit in labels if isinstance(lit, Literal)]
    assert langs.count("zh") == 1, f"zt:{name} needs exactly one @zh label, has {langs}"
    assert langs.count("en") == 1, f"zt:{name} needs exactly one @en label, has {langs}"
    assert all(str(lit).strip() for lit in labels)
    comments = {lit.language for lit in onto.objects(term, RDFS.comment)}
    assert "en" in comments, f"zt:{name} has no @en comment"


def test_no_zt_term_outside_the_closed_namespace(onto):
    """Every zt: IRI the file uses anywhere (subject, predicate or object) is a term of ZT."""
    known = set(zt_terms())
    used = {str(t)[len(NS):] for triple in onto for t in triple
            if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used, "the file uses no zt: term at all"
    assert used - known == set(), f"declared in zhitu.ttl but missing from ZT: {sorted(used - known)}"
    assert known - used == set(), f"in ZT but never mentioned in zhitu.ttl: {sorted(known - used)}"


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        ZT.Compnay  # noqa: B018
    with pytest.raises(AttributeError):
        ZT["holdsPostion"]
    assert ZT.Company == URIRef(NS + "Company")


def test_entity_classes_are_disjoint_siblings(onto):
    """Organization means 'every other organisation': Company and GovernmentBody are not its subclasses."""
    for c in ENTITY_CLASSES:
        assert (ZT[c], RDFS.subClassOf, ZT.Entity) in onto
    assert (ZT.Company, RDFS.subClassOf, ZT.Organization) not in onto
    assert (ZT.GovernmentBody, RDFS.subClassOf, ZT.Organization) not in onto
    union = onto.value(ZT.Entity, OWL.disjointUnionOf)
    members = set(onto.items(union))
    assert members == {ZT[c] for c in ENTITY_CLASSES}


def test_alignments(onto):
    expected = [
        (ZT.Company, RDFS.subClassOf, URIRef(SCHEMA + "Corporation")),
        (ZT.Company, RDFS.subClassOf, URIRef(ORG + "FormalOrganization")),
        (ZT.GovernmentBody, RDFS.subClassOf, URIRef(SCHEMA + "GovernmentOrganization")),
        (ZT.Organization, RDFS.subClassOf, URIRef(ORG + "Organization")),
        (ZT.Organization, RDFS.subClassOf, URIRef(FOAF + "Organization")),
        (ZT.Person, RDFS.subClassOf, URIRef(SCHEMA + "Person")),
        (ZT.Person, RDFS.subClassOf, URIRef(FOAF + "Person")),
        (ZT.Place, RDFS.subClassOf, URIRef(SCHEMA + "Place")),
        (ZT.Event, RDFS.subClassOf, URIRef(SCHEMA + "Event")),
        (ZT.Document, RDFS.subClassOf, URIRef(PROV + "Entity")),
        (ZT.Document, RDFS.subClassOf, URIRef(FOAF + "Document")),
        (ZT.Statement, RDFS.subClassOf, RDF.Statement),
        (ZT.memberOf, RDFS.subPropertyOf, URIRef(ORG + "memberOf")),
        (ZT.holdsPosition, RDFS.subPropertyOf, URIRef(ORG + "memberOf")),
        (ZT.subOrganizationOf, RDFS.subPropertyOf, URIRef(ORG + "subOrganizationOf")),
        (ZT.locatedIn, RDFS.subPropertyOf, URIRef(SCHEMA + "location")),
        (ZT.document, RDFS.subPropertyOf, URIRef(PROV + "hadPrimarySource")),
        (ZT.mentions, RDFS.subPropertyOf, URIRef(SCHEMA + "mentions")),
    ]
    missing = [t for t in expected if t not in onto]
    assert not missing, missing


def test_property_characteristics(onto):
    assert OWL.SymmetricProperty in declared_types(onto, ZT.cooperatesWith)
    assert OWL.TransitiveProperty in declared_types(onto, ZT.partOf)
    # direct parent, like org:subOrganizationOf (org:transitiveSubOrganizationOf is the closure)
    assert OWL.TransitiveProperty not in declared_types(onto, ZT.subOrganizationOf)
    assert OWL.TransitiveProperty not in declared_types(onto, ZT.cooperatesWith)
    for p in RELATION_PROPERTIES:
        assert OWL.ObjectProperty in declared_types(onto, ZT[p])
    for p in ("fileName", "contentHash", "surfaceForm", "startOffset", "endOffset", "evidence", "extractor"):
        assert OWL.DatatypeProperty in declared_types(onto, ZT[p])


@pytest.mark.parametrize("name", [n for n in zt_terms() if n[0].islower()])
def test_every_property_has_domain_and_range(onto, name):
    assert onto.value(ZT[name], RDFS.domain) is not None, f"zt:{name} has no rdfs:domain"
    assert onto.value(ZT[name], RDFS.range) is not None, f"zt:{name} has no rdfs:range"


def test_relation_domains_follow_the_guidelines(onto):
    def classes(node):
        union = onto.value(node, OWL.unionOf)
        return set(onto.items(union)) if union is not None else {node}

    orgs = {ZT.Company, ZT.GovernmentBody, ZT.Organization}
    assert classes(onto.value(ZT.holdsPosition, RDFS.domain)) == {ZT.Person}
    assert classes(onto.value(ZT.holdsPosition, RDFS.range)) == orgs
    assert classes(onto.value(ZT.locatedIn, RDFS.domain)) == orgs | {ZT.Event}
    assert classes(onto.value(ZT.locatedIn, RDFS.range)) == {ZT.Place}
    assert classes(onto.value(ZT.runs, RDFS.range)) == {ZT.Programme, ZT.Event}
    assert classes(onto.value(ZT.participatesIn, RDFS.domain)) == orgs | {ZT.Person}
