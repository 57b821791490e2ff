"""Defaults and helpers shared by the subcommands."""
from __future__ import annotations

import sys

DEFAULT_INPUT = "seeds"
DEFAULT_OUT = "output"


def warn(msg: str) -> None:
    print(f"zhitu: warning: {msg}", file=sys.stderr)
