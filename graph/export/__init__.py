"""One module per output format; each offers ``write_x(G, path)`` and writes atomically."""
from .html import write_html
from .turtle import write_turtle

# file (or folder) name in the output directory -> writer
EXPORTS = {
    "graph.ttl": write_turtle,
    "graph.html": write_html,
}
