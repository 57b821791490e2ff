"""The ``zhitu`` command: one function per subcommand, errors as one line."""
from __future__ import annotations

import argparse
import sys

from zhitu import __version__
from zhitu.extract.read import InputError

DEFAULT_INPUT = "seeds"
DEFAULT_OUT = "output"


def _warn(msg: str) -> None:
    print(f"zhitu: warning: {msg}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from zhitu.build import run_build

    report = run_build(args.inputs or [DEFAULT_INPUT], args.out, _warn)
    print("\n".join(report.lines()))
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhitu",
        description="知图 zhitu: build a knowledge graph from Chinese local-government news pages.",
    )
    parser.add_argument("--version", action="version", version=f"zhitu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="extract entities and relations from pages and write the graph",
        description="Read .txt news pages (files or folders), extract companies, government bodies, "
        "organisations, people, places, programmes and events with the relations the text states, "
        "and write graph.ttl, graph.html, graph.graphml, graph.gexf and neo4j/ into the output folder.",
    )
    b.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=f"a .txt page or a folder of them (default: {DEFAULT_INPUT}/)")
    b.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"folder to write the outputs into (default: {DEFAULT_OUT}/)")
    b.set_defaults(func=cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except InputError as e:
        print(f"zhitu: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("zhitu: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
