"""``zhitu query``: a SPARQL query on the built graph, its answer printed."""
from __future__ import annotations

import argparse
import os
import sys

from zhitu.commands.common import DEFAULT_OUT

ORDER = 20
DEFAULT_GRAPH = os.path.join(DEFAULT_OUT, "graph.ttl")


def add_graph_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--graph", default=DEFAULT_GRAPH, metavar="FILE",
                   help=f"the Turtle file `zhitu build` wrote (default: {DEFAULT_GRAPH})")


def register(sub: argparse._SubParsersAction) -> None:
    from zhitu.graph.query import FORMATS, PREFIXES

    p = sub.add_parser(
        "query",
        help="answer a SPARQL query on the graph",
        description="Run a SPARQL 1.1 query on the graph and print its answer: SELECT as a table, "
        "ASK as true or false, CONSTRUCT and DESCRIBE as Turtle. The prefixes "
        f"{', '.join(f'{p}:' for p in PREFIXES)} need no PREFIX line. Examples are in queries/.",
    )
    p.add_argument("query", metavar="QUERY",
                   help="the query text, a .rq file holding it, or - to read it from standard input")
    add_graph_argument(p)
    p.add_argument("--format", choices=[f.name for f in FORMATS],
                   help="table (default), json, csv or tsv (the SPARQL 1.1 result formats) for SELECT and ASK; "
                   "turtle (default) or ntriples for CONSTRUCT and DESCRIBE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.graph.query import format_for, load_store, read_query, run_query

    answer = run_query(load_store(args.graph), read_query(args.query))
    sys.stdout.write(format_for(answer, args.format).write(answer))
    return 0
