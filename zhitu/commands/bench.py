"""``zhitu bench NAME``: run a benchmark and print its table (see zhitu/benchmarks/)."""
from __future__ import annotations

import argparse

ORDER = 80


def register(sub: argparse._SubParsersAction) -> None:
    from zhitu.benchmarks import benchmarks

    p = sub.add_parser(
        "bench",
        help="measure speed, memory and quality; print the figures as a table",
        description="Run one of the benchmarks and print its figures. "
        "Each benchmark has its own help: zhitu bench NAME --help.",
    )
    names = p.add_subparsers(dest="benchmark", metavar="NAME")
    for module in benchmarks():
        module.register(names)
    p.set_defaults(func=lambda args: p.print_help() or 2)
