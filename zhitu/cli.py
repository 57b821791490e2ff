"""The ``zhitu`` command: subcommands from zhitu.commands, errors as one line."""
from __future__ import annotations

import argparse
import os
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
