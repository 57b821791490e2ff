"""One module per output format; each offers ``write_x(G, path)`` and writes atomically."""
from .gexf import write_gexf
from .graphml import write_graphml
from .html import write_html
from .neo4j import write_neo4j
from .turtle import write_turtle

# file (or folder) name in the output directory -> writer
EXPORTS = {
    "graph.ttl": write_turtle,
    "graph.html": write_html,
    "graph.graphml": write_graphml,
    "graph.gexf": write_gexf,
    "neo4j": write_neo4j,
}
