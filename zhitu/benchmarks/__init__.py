"""Benchmarks behind ``zhitu bench NAME``: one module per benchmark, each with ``register(subparsers)``.

Quality and speed figures live here, printed as tables, never in timed unit tests.
"""
from __future__ import annotations

import importlib
import pkgutil


def benchmarks() -> list:
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            found.append(module)
    return sorted(found, key=lambda m: m.__name__)
