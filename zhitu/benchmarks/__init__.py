"""Benchmarks behind ``zhitu bench NAME``: one module per benchmark, each with ``register(subparsers)``.

Quality and speed figures live here, printed as tables, never in timed unit tests.
"""
from __future__ import annotations

from zhitu.commands import registering_modules


def benchmarks() -> list:
    return registering_modules(__name__, __path__)
