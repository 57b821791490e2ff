"""Many extracted pages -> entities and statements of one corpus.

Each page already names its mentions (zhitu.extract.naming); here those names
are joined across pages:

* places, programmes and events by their name;
* organisations by their name with standard department abbreviations folded
  (济宁市人社局 = 济宁市人力资源和社会保障局), whatever type each page guessed;
* people only when the context agrees: a person is the same person on two
  pages when both tie the name to the same organisation, or both print it in
  a byline of the same city's paper.  Otherwise a name stays per page.

Entity ids are hashes of these keys, so they are stable across rebuilds of
the same input.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from zhitu.extract.doc import ORGANISATION_TYPES, Doc, Mention, Relation
from zhitu.extract.naming import abbreviation_key
from zhitu.extract.segment import sentence_around

from .curation import Curation, apply_curation


@dataclass
class Entity:
    id: str
    type: str
    name: str
    names: Counter = field(default_factory=Counter)  # every name and surface form, with counts
    types: Counter = field(default_factory=Counter)
    mentions: list[tuple[str, Mention]] = field(default_factory=list)  # (document id, mention)

    key: tuple[str, ...] = ()  # what identifies it across pages (see entity_key)
    # (document id, start, end) -> the sentence of a mention whose name a rule chose (市人社局 -> 济宁市人社局)
    sentences: dict[tuple[str, int, int], str] = field(default_factory=dict)
    dates: Counter = field(default_factory=Counter)  # the dates its mentions give (events), with counts

    @property
    def date(self) -> str:
        """For an event: the date its pages give most often ("" if none)."""
        return max(self.dates, key=lambda d: (self.dates[d], d)) if self.dates else ""

    @property
    def aliases(self) -> list[str]:
        """Other names and surface forms; pointers (该公司) are kept as mentions, not as names."""
        return sorted(n for n in self.names if n != self.name and not n.startswith("该"))

    @property
    def identified_by(self) -> str:
        """Why mentions on different pages are this one entity, in words."""
        kind, name, *context = self.key
        scope = [c for c in context if c.startswith("split:")]
        context = [c for c in context if not c.startswith("split:")]
        if kind == "Person":
            c = context[0] if context else ""
            why = (f"a person named {name} tied to {c[4:]}" if c.startswith("org:")
                   else f"a person named {name} in bylines of the {c[7:]} paper" if c.startswith("byline:")
                   else f"a person named {name} on one page only: no body or byline ties pages together")
        elif kind == "Org":
            why = f"an organisation named {name} (standard department abbreviations folded)"
        else:
            why = f"a {kind.lower()} named {name}"
        if scope:
            why += f"; kept apart by curation {scope[0][6:]}"
        if any(c.startswith("page:") for c in context) and kind != "Person":
            why += "; its name is relative (市政府) and the page never says where, so it stays on its page"
        return why


@dataclass(frozen=True)
class Statement:
    """One relation as one page states it."""

    subject: str  # entity id
    predicate: str
    object: str
    document: str  # document id
    relation: Relation


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    file_name: str
    path: str
    sha1: str
    city: str
    date: str
    characters: int


@dataclass
class Corpus:
    entities: dict[str, Entity]
    statements: list[Statement]
    documents: list[DocumentRecord]
    mentioned: dict[str, set[str]]  # document id -> entity ids


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def document_id(doc: Doc) -> str:
    """Stable for the same file: its name and its content (two copies of a page are two documents)."""
    return "doc-" + _hash(doc.page.name, doc.page.sha1)


def _person_contexts(doc: Doc) -> dict[str, str]:
    """Person name -> the context that identifies them across pages (an organisation or a byline)."""
    ctx: dict[str, str] = {}
    for r in doc.relations:
        if r.subject[1] == "Person" and r.predicate in ("holdsPosition", "memberOf"):
            ctx.setdefault(r.subject[0], "org:" + abbreviation_key(r.object[0]))
    for b in doc.bylines:
        ctx.setdefault(b.name, f"byline:{doc.city}")
    return ctx


def entity_key(name: str, type_: str, doc: Doc, person_ctx: dict[str, str], scope: str = "") -> tuple[str, ...]:
    """What makes two mentions on different pages one entity.

    ``scope`` (from curation splits) keeps a name on some pages apart from the same name elsewhere.
    """
    if type_ == "Person":
        key = ("Person", name, person_ctx.get(name) or "doc:" + doc.page.sha1)
    elif type_ in ORGANISATION_TYPES:
        key = ("Org", abbreviation_key(name))
    else:
        key = (type_, name)
    return key + ((scope,) if scope else ())


def resolve(docs: list[Doc], curation: Curation | None = None) -> Corpus:
    """Join extracted pages into entities; ``curation`` (hand corrections) is applied to each page first."""
    if curation:
        docs = [apply_curation(d, curation) for d in docs]
    entities: dict[str, Entity] = {}
    statements: list[Statement] = []
    documents: list[DocumentRecord] = []
    mentioned: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        did = document_id(doc)
        documents.append(DocumentRecord(id=did, file_name=doc.page.name, path=doc.page.path,
                                        sha1=doc.page.sha1, city=doc.city, date=doc.date,
                                        characters=len(doc.page.text)))
        person_ctx = _person_contexts(doc)
        local: dict[tuple[str, str], str] = {}

        def entity_for(name: str, type_: str) -> str:
            if (name, type_) in local:
                return local[(name, type_)]
            scope = curation.split_scope(name, doc.page.name) if curation else ""
            if (name, type_) in unresolved:
                scope = scope or "page:" + doc.page.sha1
            key = entity_key(name, type_, doc, person_ctx, scope)
            eid = _hash(*key)
            if eid not in entities:
                entities[eid] = Entity(id=eid, type=type_, name=name, key=key)
            local[(name, type_)] = eid
            return eid

        # a city-relative name the page never resolved (市政府 with no city) is that page's own
        unresolved = {m.key for m in doc.mentions if m.naming == "unresolved-relative"}
        for m in doc.mentions:
            eid = entity_for(m.name or m.text, m.type)
            e = entities[eid]
            e.names[m.name or m.text] += 1
            e.names[m.text] += 1
            for a in m.aliases:
                e.names[a] += 1
            e.types[m.type] += 1
            if m.date:
                e.dates[m.date] += 1
            e.mentions.append((did, m))
            if m.naming:  # a decision worth its evidence
                e.sentences[(did, m.start, m.end)] = sentence_around(doc.page.text, m.start, m.end)
            mentioned[did].add(eid)
        for r in doc.relations:
            s = entity_for(*r.subject)
            o = entity_for(*r.object)
            statements.append(Statement(subject=s, predicate=r.predicate, object=o, document=did, relation=r))
    for e in entities.values():
        _settle(e)
    return Corpus(entities=entities, statements=statements, documents=documents, mentioned=dict(mentioned))


def _settle(e: Entity) -> None:
    """Pick the entity's type (most mentions) and canonical name (most used full name)."""
    if e.types:
        e.type = max(e.types, key=lambda t: (e.types[t], t))
    full = Counter({m.name or m.text: 0 for _, m in e.mentions})
    for _, m in e.mentions:
        full[m.name or m.text] += 1
    if full:
        e.name = max(full, key=lambda n: (full[n], len(n), n))
    e.names[e.name] += 0
