"""The ``zhitu`` command: subcommands from zhitu.commands, errors as one line."""
from __future__ import annotations

import argparse
import os
import sys

from zhitu import __version__
from zhitu.commands import command_name, commands
from zhitu.extract.read import InputError


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone if that names one: setting a command up
    may import what only it uses (the query command's, rdflib: a tenth of a second of every start)."""
    parser = argparse.ArgumentParser(
        prog="zhitu",
        description="知图 zhitu: build a knowledge graph from Chinese local-government news pages.",
    )
    parser.add_argument("--version", action="version", version=f"zhitu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = commands()
    for module in [m for m in modules if command_name(m) == command] or modules:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = make_parser(argv[0] if argv else None)
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


def run() -> None:
    """The console command: ``main``, then the process ends at once, its output flushed.

    Python would otherwise free every object one by one on the way out: half
    a second after a build of a thousand pages, for memory the system takes
    back anyway.  (Every file is closed and every worker joined by then.)
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # the reader is gone (a closed pipe): nothing more to tell it
            code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
