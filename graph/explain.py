"""Why an entity is what it is: its names, the mentions joined into it and why, and its look-alikes.

Everything comes from graph.ttl, where resolution is recorded PROV-style:
each ``zt:Mention`` carries its document, offsets, surface form, the rule that
found it (``zt:extractor``), the rule that named it (``zt:namingRule``: 市人社局
-> 济宁市人社局) and its sentence; each entity says in ``zt:identifiedBy`` what
joins its mentions across pages.  Entities that share a name with it but are
kept apart are listed with their own reason, so a wrong merge (or a wrong
split) can be seen, and corrected in the curation files.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from zhitu.extract.read import InputError

from .query import load_store, run_query


@dataclass
class MentionRecord:
    document: str
    start: int
    end: int
    surface: str
    extractor: str
    naming: str
    sentence: str


@dataclass
class Explanation:
    iri: str
    name: str
    type: str
    identified_by: str
    aliases: list[str]
    mentions: list[MentionRecord] = field(default_factory=list)
    kept_apart: list[tuple[str, str, str, str]] = field(default_factory=list)  # (iri, name, type, why)
    relations: int = 0

    def lines(self) -> list[str]:
        out = [f"{self.name}  ({self.type})  <{self.iri}>",
               f"  identified by: {self.identified_by or '(not recorded)'}"]
        if self.aliases:
            out.append("  also called: " + "、".join(self.aliases))
        out.append(f"  {len(self.mentions)} mentions in {len({m.document for m in self.mentions})} pages, "
                   f"{self.relations} relations")
        for m in self.mentions:
            why = f"named by {m.naming}" if m.naming else "its own name"
            out.append(f"    {m.document} [{m.start}:{m.end}] {m.surface!r}: found by {m.extractor}, {why}")
            if m.naming and m.sentence:
                out.append(f"        {m.sentence}")
        if self.kept_apart:
            out.append("  kept apart from:")
            for iri, name, type_, why in self.kept_apart:
                out.append(f"    {name} ({type_}) <{iri}>: {why or '(not recorded)'}")
        return out


def _value(term) -> str:
    return term.value if term is not None else ""


def _find(store: ox.Store, name: str) -> list[str]:
    literal = ox.Literal(name, language="zh")
    table = run_query(store, f"""
        SELECT DISTINCT ?e WHERE {{
          {{ ?e rdfs:label {literal} }} UNION {{ ?e skos:altLabel {literal} }}
          ?e a ?class . FILTER(?class != zt:Mention && ?class != zt:Statement && ?class != zt:Document)
        }} ORDER BY ?e""")
    return [row[0].value for row in table.rows]


def _close_names(store: ox.Store, name: str, limit: int = 5) -> list[str]:
    table = run_query(store, "SELECT DISTINCT ?n WHERE { ?e rdfs:label ?n }")
    labels = [row[0].value for row in table.rows]
    shared = sorted(labels, key=lambda n: (-len(set(n) & set(name)), abs(len(n) - len(name)), n))
    return [n for n in shared[:limit] if set(n) & set(name)]


def explain(graph: ox.Store | str, name: str) -> list[Explanation]:
    """Every entity called ``name`` (as label or alias), explained."""
    store = graph if isinstance(graph, ox.Store) else load_store(graph)
    found = _find(store, name)
    if not found:
        close = _close_names(store, name)
        hint = f"; close names: {'、'.join(close)}" if close else ""
        raise InputError(f"no entity is called {name}{hint}")
    return [_explain_one(store, iri) for iri in found]


def _explain_one(store: ox.Store, iri: str) -> Explanation:
    node = f"<{iri}>"
    (head,) = run_query(store, f"""
        SELECT ?name ?class ?why WHERE {{
          {node} rdfs:label ?name ; a ?class . OPTIONAL {{ {node} zt:identifiedBy ?why }}
          FILTER(STRSTARTS(STR(?class), STR(zt:)))
        }} LIMIT 1""").rows
    aliases = sorted(row[0].value for row in run_query(store, f"SELECT ?a WHERE {{ {node} skos:altLabel ?a }}").rows)
    e = Explanation(iri=iri, name=_value(head[0]), type=head[1].value.rsplit("#", 1)[-1],
                    identified_by=_value(head[2]), aliases=aliases)
    rows = run_query(store, f"""
        SELECT ?file ?start ?end ?surface ?extractor ?naming ?sentence WHERE {{
          ?m zt:denotes {node} ; zt:document ?d ; zt:startOffset ?start ; zt:endOffset ?end ;
             zt:surfaceForm ?surface ; zt:extractor ?extractor .
          ?d zt:fileName ?file .
          OPTIONAL {{ ?m zt:namingRule ?naming }} OPTIONAL {{ ?m zt:sentence ?sentence }}
        }} ORDER BY ?file ?start""").rows
    e.mentions = [MentionRecord(r[0].value, int(r[1].value), int(r[2].value), r[3].value, r[4].value,
                                _value(r[5]), _value(r[6])) for r in rows]
    e.kept_apart = [(r[0].value, r[1].value, r[2].value.rsplit("#", 1)[-1], _value(r[3])) for r in run_query(store, f"""
        SELECT DISTINCT ?other ?name ?class ?why WHERE {{
          {{ {node} rdfs:label ?n }} UNION {{ {node} skos:altLabel ?n }}
          {{ ?other rdfs:label ?n }} UNION {{ ?other skos:altLabel ?n }}
          FILTER(?other != {node})
          ?other rdfs:label ?name ; a ?class . FILTER(STRSTARTS(STR(?class), STR(zt:)))
          OPTIONAL {{ ?other zt:identifiedBy ?why }}
        }} ORDER BY ?name""").rows]
    e.relations = int(run_query(store, f"""
        SELECT (COUNT(*) AS ?n) WHERE {{ ?st a zt:Statement . {{ ?st rdf:subject {node} }} UNION {{ ?st rdf:object {node} }} }}
        """).rows[0][0].value)
    return e
