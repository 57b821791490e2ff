"""The graph as GraphML, flattened for Gephi, igraph, yEd and Cytoscape.

GraphML (and GEXF, see gexf.py) can hold only scalar attributes, so both
formats are written from the same flat records (``flat_node``, ``flat_edges_from``):

* nodes: ``type``, ``label`` (canonical name), ``aliases`` (joined with "|"),
  ``mentions`` (how many), ``documents`` (ids joined with "|");
* edges: ``predicate``, ``label`` (the predicate again: Gephi shows an edge's
  label), ``role``, ``evidence`` (the first sentence), ``evidence_count``.

Gephi's "Partition by" works on ``type`` for nodes and ``predicate`` for edges.
Nodes are sorted by id, edges by (source, target, predicate), so the same
graph always gives the same file.  Both files are written element by element
as the graph is walked, each node and each node's out-edges a unit a rebuild
rewrites only when it changes (units.py): no copy of the graph and no XML tree
is held in memory (networkx's writers build both, several times the graph's
own size on a year of pages).
"""
from __future__ import annotations

import os
import re
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from .. import build as B
from .atomic import atomic_path
from .units import FileLayout, Outline, Section, write_layouts

LIST_SEPARATOR = "|"
EDGE_LABEL = "label"
EVIDENCE_COUNT = "evidence_count"

# (attribute, XML Schema type) in the order they are declared and written
MENTIONS = "mentions"  # how many
NODE_FIELDS = ((B.TYPE, "string"), (B.LABEL, "string"), (B.ALIASES, "string"), (MENTIONS, "long"),
               (B.DOCUMENTS, "string"))
EDGE_FIELDS = ((B.PREDICATE, "string"), (EDGE_LABEL, "string"), (B.ROLE, "string"), (B.EVIDENCE, "string"),
               (EVIDENCE_COUNT, "long"))

# characters XML 1.0 does not allow (OCR text carries stray control characters)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def xml_attribute(value: object) -> str:
    """The value quoted as an attribute (quotes included); tabs and newlines kept as character references."""
    return quoteattr(_NOT_XML.sub("", str(value)), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _flat_node(data: dict) -> dict:
    return {
        B.TYPE: data[B.TYPE],
        B.LABEL: data[B.LABEL],
        B.ALIASES: LIST_SEPARATOR.join(data[B.ALIASES]),
        MENTIONS: data[B.MENTION_COUNT],
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


def flat_node(G: nx.MultiDiGraph, node: str) -> dict:
    """A node's scalar attributes."""
    return _flat_node(G.nodes[node])


def flat_edges_from(G: nx.MultiDiGraph, node: str) -> list[tuple[str, str, str, dict]]:
    """(source, target, key, scalar attributes) of the node's out-edges, sorted by (target, key)."""
    return [(u, v, key, _flat_edge(G.edges[u, v, key])) for u, v, key in sorted(G.out_edges(node, keys=True))]


def _graphml_data(fields: tuple[tuple[str, str], ...], first_key: int, attrs: dict, indent: str) -> str:
    return "".join(f'{indent}<data key="d{first_key + i}">{xml_text(attrs[name])}</data>\n'
                   for i, (name, _) in enumerate(fields))


def graphml_layout(G: nx.MultiDiGraph, outline: Outline, name: str = "graph.graphml") -> FileLayout:
    """The header, each node (a unit), each node's out-edges (a unit), the footer."""
    # Gephi drops every edge whose id it has already seen, and the predicate keys
    # repeat across the graph (every locatedIn edge is keyed "locatedIn"): each
    # edge's id is source-predicate-target; the predicate is also an attribute.
    header = ("<?xml version='1.0' encoding='utf-8'?>\n"
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for scope, fields, first in (("node", NODE_FIELDS, 0), ("edge", EDGE_FIELDS, len(NODE_FIELDS))):
        for i, (field, kind) in enumerate(fields):
            header += f'  <key id="d{first + i}" for="{scope}" attr.name="{field}" attr.type="{kind}"/>\n'
    header += '  <graph edgedefault="directed">\n'

    def node(n: str) -> str:
        return f"    <node id={xml_attribute(n)}>\n{_graphml_data(NODE_FIELDS, 0, flat_node(G, n), '      ')}    </node>\n"

    def edges(n: str) -> str:
        return "".join(f"    <edge id={xml_attribute(f'{u}-{key}-{v}')} source={xml_attribute(u)} "
                       f"target={xml_attribute(v)}>\n"
                       f"{_graphml_data(EDGE_FIELDS, len(NODE_FIELDS), attrs, '      ')}    </edge>\n"
                       for u, v, key, attrs in flat_edges_from(G, n))

    return FileLayout(name, [header, Section("nodes", list(outline.types), node),
                             Section("edges", outline.subjects_of(), edges),
                             "  </graph>\n</graphml>\n"])


def write_graphml(G: nx.MultiDiGraph, path: str) -> None:
    with atomic_path(path) as tmp:
        write_layouts([graphml_layout(G, Outline.of_graph(G), os.path.basename(tmp))], os.path.dirname(tmp))
