"""The graph as GraphML, flattened for Gephi, igraph, yEd and Cytoscape.

GraphML (and GEXF, see gexf.py) can hold only scalar attributes, so both
formats are written from ``flat_copy``:

* nodes: ``type``, ``label`` (canonical name), ``aliases`` (joined with "|"),
  ``mentions`` (how many), ``documents`` (ids joined with "|");
* edges: ``predicate``, ``label`` (the predicate again: Gephi shows an edge's
  label), ``role``, ``evidence`` (the first sentence), ``evidence_count``.

Gephi's "Partition by" works on ``type`` for nodes and ``predicate`` for edges.
Nodes and edges are sorted by id, so the same graph always gives the same file.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable

import networkx as nx

from .. import build as B
from .atomic import atomic_path

LIST_SEPARATOR = "|"
EDGE_LABEL = "label"
EVIDENCE_COUNT = "evidence_count"


def _flat_node(data: dict) -> dict:
    return {
        B.TYPE: data[B.TYPE],
        B.LABEL: data[B.LABEL],
        B.ALIASES: LIST_SEPARATOR.join(data[B.ALIASES]),
        B.MENTIONS: len(data[B.MENTIONS]),
        B.DOCUMENTS: LIST_SEPARATOR.join(data[B.DOCUMENTS]),
    }


def _flat_edge(data: dict) -> dict:
    evidence = data[B.EVIDENCE]
    return {
        B.PREDICATE: data[B.PREDICATE],
        EDGE_LABEL: data[B.PREDICATE],
        B.ROLE: data[B.ROLE],
        B.EVIDENCE: evidence[0]["sentence"] if evidence else "",
        EVIDENCE_COUNT: len(evidence),
    }


def _keep_key(u: str, v: str, key: str) -> Hashable:
    return key


def flat_copy(
    G: nx.MultiDiGraph, edge_key: Callable[[str, str, str], Hashable] = _keep_key
) -> nx.MultiDiGraph:
    """A MultiDiGraph with the same nodes and edges and only scalar attributes.

    ``edge_key(u, v, key)`` gives the key of each edge in the copy; by default
    the original key (the predicate).
    """
    flat = nx.MultiDiGraph()
    for node in sorted(G):
        flat.add_node(node, **_flat_node(G.nodes[node]))
    for u, v, key, data in sorted(G.edges(keys=True, data=True), key=lambda edge: edge[:3]):
        flat.add_edge(u, v, key=edge_key(u, v, key), **_flat_edge(data))
    return flat


def _unique_edge_id(u: str, v: str, key: str) -> str:
    return f"{u}-{key}-{v}"


def write_graphml(G: nx.MultiDiGraph, path: str) -> None:
    # networkx writes a multigraph edge's key as its GraphML id.  The predicate
    # keys repeat across the graph (every locatedIn edge is keyed "locatedIn")
    # and Gephi drops every edge whose id it has already seen, so each edge gets
    # an id of its own; the predicate stays in the ``predicate`` attribute.
    flat = flat_copy(G, edge_key=_unique_edge_id)
    with atomic_path(path) as tmp:
        nx.write_graphml(flat, tmp, encoding="utf-8")
