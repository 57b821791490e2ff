"""One module per subcommand; each offers ``register(subparsers)`` that adds its parser.

A command's function takes the parsed arguments and returns the exit code.
Library errors a user can fix (``InputError``) become one-line messages in
``zhitu.cli.main``.
"""
from . import build

# the order here is the order in ``zhitu --help``
COMMANDS = [build]
