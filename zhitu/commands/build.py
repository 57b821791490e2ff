"""``zhitu build``: pages in, the graph in every format out."""
from __future__ import annotations

import argparse

from zhitu.commands.common import DEFAULT_INPUT, DEFAULT_OUT, warn

ORDER = 10


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="extract entities and relations from pages and write the graph",
        description="Read .txt news pages (files or folders), extract companies, government bodies, "
        "organisations, people, places, programmes and events with the relations the text states, "
        "and write graph.ttl, graph.html, graph.graphml, graph.gexf and neo4j/ into the output folder.",
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=f"a .txt page or a folder of them (default: {DEFAULT_INPUT}/)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"folder to write the outputs into (default: {DEFAULT_OUT}/)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.build import run_build

    report = run_build(args.inputs or [DEFAULT_INPUT], args.out, warn)
    print("\n".join(report.lines()))
    return 0
