"""The graph as GEXF 1.2, Gephi's own format.

Written, like GraphML, element by element from the flat records of graphml.py
(see there for the attributes).  Each node's GEXF ``label`` is its canonical
name, which Gephi displays; each edge's ``label`` is its predicate.  Edge ids
are source-predicate-target, as in GraphML (ids that count edges would change
all through the file when one edge is added); the predicate key is kept in the ``networkx_key`` attribute, so
``nx.read_gexf`` gives back the MultiDiGraph with its predicate keys.  No date
is stamped into the file: the same graph gives the same file on any day.
"""
from __future__ import annotations

import os

import networkx as nx

from .. import build as B
from .atomic import atomic_path
from .graphml import EDGE_FIELDS, EDGE_LABEL, NODE_FIELDS, flat_edges_from, flat_node, xml_attribute
from .units import FileLayout, Outline, Section, write_layouts

NETWORKX_KEY = "networkx_key"
# the node label and edge label are GEXF's own attributes, not attvalues
NODE_ATTVALUES = tuple(field for field in NODE_FIELDS if field[0] != B.LABEL)
EDGE_ATTVALUES = tuple(field for field in EDGE_FIELDS if field[0] != EDGE_LABEL) + ((NETWORKX_KEY, "string"),)


def _attvalues(fields: tuple[tuple[str, str], ...], first_id: int, attrs: dict, indent: str) -> str:
    values = "".join(f'{indent}  <attvalue for="{first_id + i}" value={xml_attribute(attrs[name])}/>\n'
                     for i, (name, _) in enumerate(fields))
    return f"{indent}<attvalues>\n{values}{indent}</attvalues>\n"


def gexf_layout(G: nx.MultiDiGraph, outline: Outline, name: str = "graph.gexf") -> FileLayout:
    """The header, each node (a unit), each node's out-edges (a unit), the footer."""
    edge_first = len(NODE_ATTVALUES)
    header = ("<?xml version='1.0' encoding='utf-8'?>\n"
              '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
              'version="1.2">\n'
              "  <meta>\n    <creator>zhitu</creator>\n  </meta>\n"
              '  <graph defaultedgetype="directed" mode="static">\n')
    for scope, fields, first in (("node", NODE_ATTVALUES, 0), ("edge", EDGE_ATTVALUES, edge_first)):
        header += f'    <attributes class="{scope}" mode="static">\n'
        for i, (field, kind) in enumerate(fields):
            header += f'      <attribute id="{first + i}" title="{field}" type="{kind}"/>\n'
        header += "    </attributes>\n"
    header += "    <nodes>\n"

    def node(n: str) -> str:
        attrs = flat_node(G, n)
        return (f"      <node id={xml_attribute(n)} label={xml_attribute(attrs[B.LABEL])}>\n"
                f"{_attvalues(NODE_ATTVALUES, 0, attrs, '        ')}      </node>\n")

    def edges(n: str) -> str:
        out = []
        for u, v, key, attrs in flat_edges_from(G, n):
            attrs[NETWORKX_KEY] = key
            out.append(f"      <edge id={xml_attribute(f'{u}-{key}-{v}')} source={xml_attribute(u)} "
                       f"target={xml_attribute(v)} label={xml_attribute(attrs[EDGE_LABEL])}>\n"
                       f"{_attvalues(EDGE_ATTVALUES, edge_first, attrs, '        ')}      </edge>\n")
        return "".join(out)

    return FileLayout(name, [header, Section("nodes", list(outline.types), node), "    </nodes>\n    <edges>\n",
                             Section("edges", outline.subjects_of(), edges), "    </edges>\n  </graph>\n</gexf>\n"])


def write_gexf(G: nx.MultiDiGraph, path: str) -> None:
    with atomic_path(path) as tmp:
        write_layouts([gexf_layout(G, Outline.of_graph(G), os.path.basename(tmp))], os.path.dirname(tmp))
