"""The graph as GEXF 1.2, Gephi's own format.

Written, like GraphML, element by element from the flat records of graphml.py
(see there for the attributes).  Each node's GEXF ``label`` is its canonical
name, which Gephi displays; each edge's ``label`` is its predicate.  Edge ids
are numbers; the predicate key is kept in the ``networkx_key`` attribute, so
``nx.read_gexf`` gives back the MultiDiGraph with its predicate keys.  No date
is stamped into the file: the same graph gives the same file on any day.
"""
from __future__ import annotations

import networkx as nx

from .. import build as B
from .atomic import atomic_path
from .graphml import EDGE_FIELDS, EDGE_LABEL, NODE_FIELDS, flat_edges, flat_nodes, xml_attribute

NETWORKX_KEY = "networkx_key"
# the node label and edge label are GEXF's own attributes, not attvalues
NODE_ATTVALUES = tuple(field for field in NODE_FIELDS if field[0] != B.LABEL)
EDGE_ATTVALUES = tuple(field for field in EDGE_FIELDS if field[0] != EDGE_LABEL) + ((NETWORKX_KEY, "string"),)


def _attvalues(fields: tuple[tuple[str, str], ...], first_id: int, attrs: dict, indent: str) -> str:
    values = "".join(f'{indent}  <attvalue for="{first_id + i}" value={xml_attribute(attrs[name])}/>\n'
                     for i, (name, _) in enumerate(fields))
    return f"{indent}<attvalues>\n{values}{indent}</attvalues>\n"


def write_gexf(G: nx.MultiDiGraph, path: str) -> None:
    edge_first = len(NODE_ATTVALUES)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
                'version="1.2">\n'
                "  <meta>\n    <creator>zhitu</creator>\n  </meta>\n"
                '  <graph defaultedgetype="directed" mode="static">\n')
        for scope, fields, first in (("node", NODE_ATTVALUES, 0), ("edge", EDGE_ATTVALUES, edge_first)):
            f.write(f'    <attributes class="{scope}" mode="static">\n')
            for i, (name, kind) in enumerate(fields):
                f.write(f'      <attribute id="{first + i}" title="{name}" type="{kind}"/>\n')
            f.write("    </attributes>\n")
        f.write("    <nodes>\n")
        for node, attrs in flat_nodes(G):
            f.write(f"      <node id={xml_attribute(node)} label={xml_attribute(attrs[B.LABEL])}>\n"
                    f"{_attvalues(NODE_ATTVALUES, 0, attrs, '        ')}      </node>\n")
        f.write("    </nodes>\n    <edges>\n")
        for number, (u, v, key, attrs) in enumerate(flat_edges(G)):
            attrs[NETWORKX_KEY] = key
            f.write(f'      <edge id="{number}" source={xml_attribute(u)} target={xml_attribute(v)} '
                    f"label={xml_attribute(attrs[EDGE_LABEL])}>\n"
                    f"{_attvalues(EDGE_ATTVALUES, edge_first, attrs, '        ')}      </edge>\n")
        f.write("    </edges>\n  </graph>\n</gexf>\n")
