"""The graph as GEXF 1.2, Gephi's own format.

Written from the same flat copy as GraphML (see graphml.py for the
attributes).  Each node's GEXF ``label`` is its canonical name, which Gephi
displays; each edge's ``label`` is its predicate.  Edge ids are numbers, the
predicate key is kept in the ``networkx_key`` attribute, so ``nx.read_gexf``
gives back the MultiDiGraph with its predicate keys.
"""
from __future__ import annotations

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .atomic import atomic_path
from .graphml import flat_copy


def write_gexf(G: nx.MultiDiGraph, path: str) -> None:
    # what nx.write_gexf does, except that the writer stamps today's date into
    # <meta lastmodifieddate=...>: drop it, so the same graph gives the same file
    writer = GEXFWriter(encoding="utf-8")
    writer.add_graph(flat_copy(G))
    writer.xml.find("meta").attrib.pop("lastmodifieddate")
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        writer.write(f)
