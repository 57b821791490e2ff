"""Many extracted pages -> entities and relations of one corpus.

Each page already names its mentions (zhitu.extract.naming); here those names
are joined across pages:

* places, programmes and events by their name;
* organisations by their name with standard department abbreviations folded
  (济宁市人社局 = 济宁市人力资源和社会保障局), whatever type each page guessed;
* people only when the context agrees: a person is the same person on two
  pages when both tie the name to the same organisation, or both print it in
  a byline of the same city's paper.  Otherwise a name stays per page.

Entity ids are hashes of these keys, so they are stable across rebuilds of
the same input.  A ``Corpus`` only grows (``Corpus.add``): an entity holds
counts, not its mentions, so the corpus of last build can be kept and the
pages added since folded in, giving what joining all pages at once gives.
Each page's own mentions (offsets, surface forms, sentences) are kept only for
the pages added in this session (``page_mentions``): they are the page's part
of the outputs, which are written once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields

from zhitu.extract.doc import ORGANISATION_TYPES, Doc
from zhitu.extract.naming import abbreviation_key
from zhitu.extract.segment import sentence_around

from .curation import Curation, apply_curation


@dataclass(slots=True)  # slots: smaller, and quicker to pickle with a build's state
class Entity:
    id: str
    first_type: str  # the type it was first seen with: its type if no mention gives one
    first_name: str
    key: tuple[str, ...] = ()  # what identifies it across pages (see entity_key)
    # counts in plain dicts, not Counters: a build's state pickles tens of thousands of entities, and a
    # Counter pickles several times slower than a dict
    names: dict[str, int] = field(default_factory=dict)  # every name and surface form, with counts
    types: dict[str, int] = field(default_factory=dict)
    full_names: dict[str, int] = field(default_factory=dict)  # each mention's full name, with counts
    dates: dict[str, int] = field(default_factory=dict)  # the dates its mentions give (events), with counts
    documents: set[str] = field(default_factory=set)  # ids of the documents that mention it
    mention_count: int = 0

    def __reduce__(self):
        # pickled as its fields in order: half the time of the default, for the tens of thousands of a build's state
        return Entity, tuple(getattr(self, name) for name in _ENTITY_FIELDS)

    @property
    def type(self) -> str:
        """The type most of its mentions give."""
        return max(self.types, key=lambda t: (self.types[t], t)) if self.types else self.first_type

    @property
    def name(self) -> str:
        """The canonical name: the full name its mentions use most."""
        if not self.full_names:
            return self.first_name
        return max(self.full_names, key=lambda n: (self.full_names[n], len(n), n))

    @property
    def date(self) -> str:
        """For an event: the date its pages give most often ("" if none)."""
        return max(self.dates, key=lambda d: (self.dates[d], d)) if self.dates else ""

    @property
    def aliases(self) -> list[str]:
        """Other names and surface forms; pointers (该公司) are kept as mentions, not as names."""
        name = self.name
        return sorted(n for n in self.names if n != name and not n.startswith("该"))

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


_ENTITY_FIELDS = tuple(f.name for f in fields(Entity))


@dataclass(slots=True)
class Edge:
    """A (subject, object, predicate) and every piece of evidence that states it, in page order."""

    evidence: list[dict] = field(default_factory=list)  # {document, start, end, sentence, rule, role, date}
    role: str = ""  # the roles its evidence states, each once (党组书记、局长)


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
    entities: dict[str, Entity] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)  # (subject, object, predicate)
    documents: list[DocumentRecord] = field(default_factory=list)  # in page order
    # document id -> its mentions ({entity, start, end, text, rule, naming, sentence}, in page order),
    # for the pages added since the corpus was made or loaded
    page_mentions: dict[str, list[dict]] = field(default_factory=dict)
    document_ids: set[str] = field(default_factory=set, repr=False)  # (to tell a page seen before at once)

    def add(self, docs: list[Doc], curation: Curation | None = None) -> set[str]:
        """Join more pages in (``curation`` is applied to each first); the ids of the entities they touch."""
        touched: set[str] = set()
        for doc in docs:
            touched |= self._add_page(apply_curation(doc, curation) if curation else doc, curation)
        return touched

    def _add_page(self, doc: Doc, curation: Curation | None) -> set[str]:
        did = document_id(doc)
        repeated = did in self.document_ids  # a second copy of a page: same name, same text
        self.document_ids.add(did)
        self.documents.append(DocumentRecord(id=did, file_name=doc.page.name, path=doc.page.path,
                                             sha1=doc.page.sha1, city=doc.city, date=doc.date,
                                             characters=len(doc.page.text)))
        person_ctx = _person_contexts(doc)
        # a city-relative name the page never resolved (市政府 with no city) is that page's own
        unresolved = {m.key for m in doc.mentions if m.naming == "unresolved-relative"}
        local: dict[tuple[str, str], str] = {}

        def entity_for(name: str, type_: str) -> str:
            if (name, type_) in local:
                return local[(name, type_)]
            scope = curation.split_scope(name, doc.page.name) if curation else ""
            if (name, type_) in unresolved:
                scope = scope or "page:" + doc.page.sha1
            key = entity_key(name, type_, doc, person_ctx, scope)
            eid = _hash(*key)
            if eid not in self.entities:
                self.entities[eid] = Entity(id=eid, first_type=type_, first_name=name, key=key)
            local[(name, type_)] = eid
            return eid

        mentions = self.page_mentions[did] = []
        for m in doc.mentions:
            full_name = m.name or m.text
            e = self.entities[entity_for(full_name, m.type)]
            names = e.names
            for name in (full_name, m.text, *m.aliases):
                names[name] = names.get(name, 0) + 1
            e.types[m.type] = e.types.get(m.type, 0) + 1
            e.full_names[full_name] = e.full_names.get(full_name, 0) + 1
            if m.date:
                e.dates[m.date] = e.dates.get(m.date, 0) + 1
            e.documents.add(did)
            e.mention_count += 1
            mentions.append({"entity": e.id, "start": m.start, "end": m.end, "text": m.text, "rule": m.rule,
                             "naming": m.naming,  # a decision worth its evidence: the sentence
                             "sentence": sentence_around(doc.page.text, m.start, m.end) if m.naming else ""})
        touched = set(local.values())
        # what is already on each edge this page adds to: its evidence and the parts of its role
        # (sets, as an edge can rest on thousands of sentences)
        on_edge: dict[tuple[str, str, str], tuple[set, set]] = {}
        for r in doc.relations:
            key = (entity_for(*r.subject), entity_for(*r.object), r.predicate)
            touched.update(key[:2])
            evidence = {"document": did, "start": r.start, "end": r.end, "sentence": r.evidence,
                        "rule": r.rule, "role": r.role, "date": doc.date}
            edge = self.edges.get(key)
            if edge is None:
                self.edges[key] = Edge(evidence=[evidence], role=r.role)
                on_edge[key] = ({tuple(evidence.values())}, set(r.role.split("、")))
                continue
            if key not in on_edge:
                # a piece of evidence names its document: only a copy of this page can have said this one before
                said_before = edge.evidence if repeated else ()
                on_edge[key] = ({tuple(ev.values()) for ev in said_before if ev["document"] == did},
                                set(edge.role.split("、")))
            evidence_seen, role_parts = on_edge[key]
            said = tuple(evidence.values())
            if said not in evidence_seen:
                evidence_seen.add(said)
                edge.evidence.append(evidence)
            new_parts = [p for p in r.role.split("、") if p and p not in role_parts]
            if new_parts:  # 党组书记、局长 stated twice is still 党组书记、局长
                edge.role = "、".join(x for x in (edge.role, *new_parts) if x)
                role_parts.update(new_parts)
        return touched

    @property
    def mentioned(self) -> dict[str, list[str]]:
        """Document id -> the ids of the entities it mentions, sorted (pages added in this session)."""
        return {did: sorted({m["entity"] for m in ms}) for did, ms in self.page_mentions.items()}


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
    corpus = Corpus()
    corpus.add(docs, curation)
    return corpus
