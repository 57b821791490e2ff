"""The zhitu vocabulary as a closed rdflib namespace.

``ontology/zhitu.ttl`` is the source of truth; a test checks that every term
here is declared there and the other way round.  ``_fail = True`` makes a
misspelt term an error at first use instead of a new IRI in the output.
"""
from rdflib import URIRef
from rdflib.namespace import DCTERMS, DefinedNamespace, Namespace

NS = "https://w3id.org/zhitu/ontology#"
ID = Namespace("https://w3id.org/zhitu/id/")
SCHEMA = Namespace("https://schema.org/")
# dates use standard properties: a page's publication date, the date of the page behind a
# statement, an event's date
ISSUED, DATED, START_DATE = DCTERMS.issued, DCTERMS.date, SCHEMA.startDate


class ZT(DefinedNamespace):
    _NS = Namespace(NS)
    _fail = True

    # entity classes
    Company: URIRef
    GovernmentBody: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    Programme: URIRef
    Event: URIRef
    Entity: URIRef
    # provenance classes
    Document: URIRef
    Statement: URIRef
    Mention: URIRef
    # relations between entities
    holdsPosition: URIRef
    memberOf: URIRef
    locatedIn: URIRef
    partOf: URIRef
    subOrganizationOf: URIRef
    cooperatesWith: URIRef
    runs: URIRef
    participatesIn: URIRef
    # documents and provenance
    mentions: URIRef
    fileName: URIRef
    contentHash: URIRef
    homeCity: URIRef
    document: URIRef
    denotes: URIRef
    surfaceForm: URIRef
    startOffset: URIRef
    endOffset: URIRef
    evidence: URIRef
    role: URIRef
    extractor: URIRef
    namingRule: URIRef
    sentence: URIRef
    identifiedBy: URIRef


ENTITY_CLASSES = ("Company", "GovernmentBody", "Organization", "Person", "Place", "Programme", "Event")
RELATION_PROPERTIES = ("holdsPosition", "memberOf", "locatedIn", "partOf", "subOrganizationOf",
                       "cooperatesWith", "runs", "participatesIn")
