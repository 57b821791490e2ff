"""``zhitu view``: a page of part of the graph, for graphs too big to take in whole."""
from __future__ import annotations

import argparse
import os

from zhitu.commands.common import DEFAULT_OUT

ORDER = 40
DEFAULT_GRAPH = os.path.join(DEFAULT_OUT, "graph.ttl")
DEFAULT_DEPTH = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "view",
        help="write an interactive page of one entity's neighbourhood or of the best-connected entities",
        description="Read the graph `zhitu build` wrote and write a page like graph.html showing part "
        "of it: the entity named NAME (its name or an alias) and everything within N relations of it, "
        "and/or only the N best-connected entities.",
    )
    p.add_argument("--graph", default=DEFAULT_GRAPH, metavar="FILE",
                   help=f"graph.ttl as `zhitu build` wrote it, or its folder (default: {DEFAULT_GRAPH})")
    p.add_argument("--focus", metavar="NAME", help="the entity at the centre, by its name or an alias")
    p.add_argument("--depth", type=int, metavar="N",
                   help=f"with --focus: keep what lies within N relations of it, in either direction "
                   f"(default: {DEFAULT_DEPTH})")
    p.add_argument("--top", type=int, metavar="N",
                   help="keep only the N best-connected entities (with --focus: of its neighbourhood, "
                   "the focus always kept)")
    p.add_argument("--out", metavar="FILE", help="the page to write (default: view.html beside the graph)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.graph.export.html import write_html
    from zhitu.graph.view import ViewError, default_out, read_graph, select

    if args.depth is not None and args.focus is None:
        raise ViewError("--depth needs --focus")
    out = args.out or default_out(args.graph)
    G = read_graph(args.graph)
    view = select(G, args.focus, DEFAULT_DEPTH if args.depth is None else args.depth, args.top)
    write_html(view.graph, out)
    print(f"wrote {out}: {view.graph.number_of_nodes():,} of {G.number_of_nodes():,} entities, "
          f"{view.graph.number_of_edges():,} relations ({view.description})")
    return 0
