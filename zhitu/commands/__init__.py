"""One module per subcommand; each offers ``register(subparsers)`` that adds its parser.

A command's function takes the parsed arguments and returns the exit code.
A module registers the command of its own name (``command_name``).
Library errors a user can fix (``InputError``) become one-line messages in
``zhitu.cli.main``.  Modules are found by name, so adding a command is adding
a module; ``ORDER`` (default 100) sets its place in ``zhitu --help``.
"""
from __future__ import annotations

import importlib
import pkgutil


def registering_modules(package: str, path: list[str]) -> list:
    """The modules of a package that offer ``register(subparsers)``, by ``ORDER`` then name."""
    found = []
    for info in pkgutil.iter_modules(path):
        module = importlib.import_module(f"{package}.{info.name}")
        if hasattr(module, "register"):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def commands() -> list:
    return registering_modules(__name__, __path__)


def command_name(module) -> str:
    return module.__name__.rpartition(".")[2]
