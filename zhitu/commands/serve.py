"""``zhitu serve``: the graph as a SPARQL 1.1 Protocol endpoint."""
from __future__ import annotations

import argparse
import signal
import sys

from zhitu.commands.query import add_graph_argument

ORDER = 30


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the graph as a SPARQL endpoint for YASGUI and other SPARQL clients",
        description="Answer SPARQL 1.1 Protocol requests (GET ?query=, or POST a form or "
        "application/sparql-query) at http://HOST:PORT/sparql, in JSON, CSV or TSV results "
        "(Turtle or N-Triples for CONSTRUCT and DESCRIBE) as the Accept header or the format "
        "parameter asks. Any web page may query it (CORS). Ctrl-C stops it.",
    )
    add_graph_argument(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, reachable from this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port to listen on; 0 picks a free one (default: 7878)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.graph.query import QueryError, load_store
    from zhitu.graph.serve import SparqlServer

    store = load_store(args.graph)
    try:
        server = SparqlServer(store, args.host, args.port)
    except OSError as e:
        raise QueryError(f"cannot listen on {args.host}:{args.port}: {e.strerror}") from None
    print(f"serving {args.graph} ({len(store)} triples) at {server.url}; Ctrl-C stops", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)  # service managers stop a server with SIGTERM: stop as on Ctrl-C
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("zhitu serve: stopped", file=sys.stderr, flush=True)
    return 0


def _interrupt(signum: int, frame) -> None:
    raise KeyboardInterrupt
