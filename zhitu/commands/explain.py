"""``zhitu explain NAME``: how an entity came to be, and what it was kept apart from."""
from __future__ import annotations

import argparse
import os

from zhitu.commands.common import DEFAULT_OUT

ORDER = 45


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "explain",
        help="show an entity's names, the mentions merged into it and why, and look-alikes kept apart",
        description="Explain an entity of a built graph: its canonical name and aliases, why its mentions "
        "on different pages are one entity, every mention (page, offsets, the rule that found it, the rule "
        "that named it and its sentence), and the entities that share a name with it but were kept apart, "
        "with the reason. NAME is a name or an alias.",
    )
    p.add_argument("name", metavar="NAME", help="an entity's name or alias, e.g. 市人社局")
    p.add_argument("--graph", default=os.path.join(DEFAULT_OUT, "graph.ttl"), metavar="FILE",
                   help=f"the Turtle graph (default: {DEFAULT_OUT}/graph.ttl)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.graph.explain import explain

    for i, e in enumerate(explain(args.graph, args.name)):
        if i:
            print()
        print("\n".join(e.lines()))
    return 0
