"""One module per output format.

Each offers ``write_x(G, path)``, which writes atomically, and ``x_layout(G,
outline, name)``, the same output laid out in units (units.py) for a build
that rewrites only what changed.
"""
from .gexf import gexf_layout, write_gexf
from .graphml import graphml_layout, write_graphml
from .html import html_layout, write_html
from .neo4j import neo4j_layouts, write_neo4j
from .turtle import turtle_layout, write_turtle

# file (or folder) name in the output directory -> writer
EXPORTS = {
    "graph.ttl": write_turtle,
    "graph.html": write_html,
    "graph.graphml": write_graphml,
    "graph.gexf": write_gexf,
    "neo4j": write_neo4j,
}

# the same names -> the files each is made of (G, its outline, the name) -> [FileLayout]
LAYOUTS = {
    "graph.ttl": lambda G, outline, name: [turtle_layout(G, outline, name)],
    "graph.html": lambda G, outline, name: [html_layout(G, outline, name)],
    "graph.graphml": lambda G, outline, name: [graphml_layout(G, outline, name)],
    "graph.gexf": lambda G, outline, name: [gexf_layout(G, outline, name)],
    "neo4j": neo4j_layouts,
}
