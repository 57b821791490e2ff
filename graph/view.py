"""Part of a built graph as a page of its own: one entity's neighbourhood, or the best-connected entities.

``read_graph`` rebuilds ``build_graph``'s NetworkX graph from graph.ttl,
because the Turtle keeps everything the page shows (names, aliases, every
evidence sentence with its document); GraphML and GEXF flatten aliases and
keep one sentence per relation.  pyoxigraph parses the Turtle: an order of
magnitude faster than rdflib on graphs of millions of triples.

``select`` cuts the graph down: the entities named NAME (by name or alias)
and everything within ``depth`` relations of them, in either direction; then,
if asked, the ``top`` best-connected of those, the named entities always kept.
"""
from __future__ import annotations

import difflib
import os
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS

from zhitu.extract.read import InputError
from zhitu.ontology.vocab import DATED, ENTITY_CLASSES, ISSUED, NS, RELATION_PROPERTIES, START_DATE, ZT

from . import build as B

GRAPH_FILE = "graph.ttl"  # the name ``zhitu build`` gives the Turtle
SUGGESTIONS = 5


class ViewError(InputError):
    """A graph that cannot be read, or a name that names no entity."""


@dataclass(frozen=True)
class View:
    graph: nx.MultiDiGraph
    description: str  # for people: "潍坊市 and what lies within 1 relation"


def graph_file(path: str | Path) -> Path:
    """The Turtle file at ``path``, or graph.ttl inside the folder ``path``."""
    path = Path(path)
    file = path / GRAPH_FILE if path.is_dir() else path
    if not file.is_file():
        raise ViewError(f"{file}: no such graph file; run `zhitu build` first")
    return file


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """The graph ``zhitu build`` wrote as graph.ttl (``path``: the file or its folder)."""
    file = graph_file(path)
    about: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    try:
        for quad in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE):
            about[quad.subject.value][quad.predicate.value].append(quad.object)
    except SyntaxError as e:
        raise ViewError(f"{file}: not valid Turtle: {e}") from None
    except OSError as e:
        raise ViewError(f"{file}: cannot read it: {e.strerror or e}") from None
    return _graph(about)


def _local(iri: str) -> str:
    """A vocabulary term's name (zt:Place -> Place) or an id's last segment (zid:place/ab12 -> ab12)."""
    return iri[len(NS):] if iri.startswith(NS) else iri.rsplit("/", 1)[-1]


def _graph(about: dict[str, dict[str, list]]) -> nx.MultiDiGraph:
    def value(properties: dict, predicate) -> str | None:
        objects = properties.get(str(predicate))
        return objects[0].value if objects else None

    def values(properties: dict, predicate) -> list[str]:
        return [o.value for o in properties.get(str(predicate), [])]

    def kind(properties: dict) -> set[str]:
        return {_local(t) for t in values(properties, RDF.type)}

    entity_types = set(ENTITY_CLASSES)
    G = nx.MultiDiGraph()
    for iri in sorted(about, key=_local):
        properties = about[iri]
        if types := kind(properties) & entity_types:
            [type_] = types
            G.add_node(_local(iri), **{B.TYPE: type_, B.LABEL: value(properties, RDFS.label),
                                       B.ALIASES: sorted(values(properties, SKOS.altLabel)),
                                       B.MENTION_COUNT: 0, B.DOCUMENTS: [],
                                       B.IDENTIFIED_BY: value(properties, ZT.identifiedBy) or "",
                                       B.DATE: value(properties, START_DATE) or ""})
    documents, mentioned, mentions = [], {}, {}
    for iri, properties in about.items():
        types = kind(properties)
        if "Document" in types:
            id_ = _local(iri)
            documents.append({"id": id_, "file_name": value(properties, ZT.fileName),
                              "sha1": value(properties, ZT.contentHash),
                              "city": value(properties, ZT.homeCity) or "",
                              "date": value(properties, ISSUED) or ""})
            mentioned[id_] = sorted(_local(e) for e in values(properties, ZT.mentions))
        elif "Mention" in types:
            node = _local(value(properties, ZT.denotes))
            document = _local(value(properties, ZT.document))
            G.nodes[node][B.MENTION_COUNT] += 1
            G.nodes[node][B.DOCUMENTS].append(document)
            mentions.setdefault(document, []).append({
                "entity": node, "start": int(value(properties, ZT.startOffset)),
                "end": int(value(properties, ZT.endOffset)),
                "text": value(properties, ZT.surfaceForm), "rule": value(properties, ZT.extractor),
                "naming": value(properties, ZT.namingRule) or "",
                "sentence": value(properties, ZT.sentence) or ""})
        elif "Statement" in types:
            edge = _edge(G, _local(value(properties, RDF.subject)),
                         _local(value(properties, RDF.predicate)), _local(value(properties, RDF.object)))
            edge[B.EVIDENCE].append({
                "document": _local(value(properties, ZT.document)),
                "start": int(value(properties, ZT.startOffset)),
                "end": int(value(properties, ZT.endOffset)),
                "sentence": value(properties, ZT.evidence), "rule": value(properties, ZT.extractor),
                "role": value(properties, ZT.role) or "", "date": value(properties, DATED) or ""})
        elif types & entity_types:
            for predicate in RELATION_PROPERTIES:
                for target in values(properties, ZT[predicate]):
                    _edge(G, _local(iri), predicate, _local(target))
    for _, data in G.nodes(data=True):
        data[B.DOCUMENTS] = sorted(set(data[B.DOCUMENTS]))
    for found in mentions.values():
        found.sort(key=lambda m: (m["start"], m["end"], m["entity"]))
    for _, _, data in G.edges(data=True):
        # Turtle has no order: evidence in reading order, the roles it states joined as build_graph does
        data[B.EVIDENCE].sort(key=lambda ev: (ev["document"], ev["start"], ev["end"], ev["rule"]))
        data[B.ROLE] = "、".join(dict.fromkeys(ev["role"] for ev in data[B.EVIDENCE] if ev["role"]))
    G.graph["documents"] = sorted(documents, key=lambda d: d["id"])
    G.graph["mentioned"] = dict(sorted(mentioned.items()))
    G.graph["mentions"] = dict(sorted(mentions.items()))
    return G


def _edge(G: nx.MultiDiGraph, subject: str, predicate: str, object_: str) -> dict:
    """The attributes of the edge, which is added if the graph does not have it yet."""
    if not G.has_edge(subject, object_, key=predicate):
        G.add_edge(subject, object_, key=predicate,
                   **{B.PREDICATE: predicate, B.EVIDENCE: [], B.ROLE: ""})
    return G.edges[subject, object_, predicate]


def names(G: nx.MultiDiGraph, node) -> list[str]:
    data = G.nodes[node]
    return [data[B.LABEL], *data[B.ALIASES]]


def entities_named(G: nx.MultiDiGraph, name: str) -> list:
    """The entities whose name or an alias is ``name``; ViewError, with close names, if none is."""
    name = name.strip()
    found = [n for n in G if name in names(G, n)]
    if found:
        return found
    known = {x for n in G for x in names(G, n)}
    # names that contain it (潍坊 -> 潍坊市), shortest first, then names spelt nearly alike
    containing = sorted((x for x in known if name and name in x), key=lambda x: (len(x), x))
    close = difflib.get_close_matches(name, known, n=SUGGESTIONS, cutoff=0.5)
    suggestions = list(dict.fromkeys(containing + close))[:SUGGESTIONS]
    hint = f"; close names: {'、'.join(suggestions)}" if suggestions else ""
    raise ViewError(f"no entity is named “{name}”{hint}")


def neighbourhood(G: nx.MultiDiGraph, centres: list, depth: int) -> set:
    """The centres and every entity at most ``depth`` relations away, following relations either way."""
    reached, frontier = set(centres), set(centres)
    for _ in range(depth):
        frontier = {m for n in frontier for m in chain(G.successors(n), G.predecessors(n))} - reached
        reached |= frontier
    return reached


def best_connected(G: nx.MultiDiGraph, nodes: set, n: int, keep: list = ()) -> set:
    """The ``n`` of ``nodes`` with the most relations in G (ties by id), and ``keep`` whatever their rank."""
    ranked = sorted(set(nodes) - set(keep), key=lambda x: (-G.degree(x), str(x)))
    return set(keep) | set(ranked[:max(0, n - len(set(keep)))])


def induced(G: nx.MultiDiGraph, nodes: set) -> nx.MultiDiGraph:
    """The graph of ``nodes`` and the relations between them, with the documents that mention them."""
    H = G.subgraph(nodes).copy()
    mentioned = {d: [n for n in ids if n in H] for d, ids in G.graph.get("mentioned", {}).items()}
    H.graph["mentioned"] = {d: ids for d, ids in mentioned.items() if ids}
    H.graph["documents"] = [d for d in G.graph.get("documents", []) if d["id"] in H.graph["mentioned"]]
    return H


def select(G: nx.MultiDiGraph, focus: str | None = None, depth: int = 1, top: int | None = None) -> View:
    """The part of G to show: around the entity named ``focus``, and/or the ``top`` best-connected."""
    if depth < 0:
        raise ViewError(f"depth must be 0 or more, not {depth}")
    if top is not None and top < 1:
        raise ViewError(f"top must be 1 or more, not {top}")
    nodes, centres, description = set(G), [], "the whole graph"
    if focus is not None:
        centres = entities_named(G, focus)
        nodes = neighbourhood(G, centres, depth)
        steps = "relation" if depth == 1 else "relations"
        description = f"{focus.strip()} and what lies within {depth} {steps}"
    if top is not None and top < len(nodes):
        nodes = best_connected(G, nodes, top, keep=centres)
        description = f"the {len(nodes)} best-connected of {description}"
    return View(induced(G, nodes), description)


def default_out(graph_path: str | Path) -> str:
    """view.html beside the graph file."""
    return os.path.join(graph_file(graph_path).parent, "view.html")

