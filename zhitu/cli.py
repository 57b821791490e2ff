"""The ``zhitu`` command: subcommands from zhitu.commands, errors as one line."""
from __future__ import annotations

import argparse
import sys

from zhitu import __version__
from zhitu.commands import commands
from zhitu.extract.read import InputError


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhitu",
        description="知图 zhitu: build a knowledge graph from Chinese local-government news pages.",
    )
    parser.add_argument("--version", action="version", version=f"zhitu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands():
        command.register(sub)
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
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        print("zhitu: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
