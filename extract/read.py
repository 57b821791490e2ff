"""Turn input paths into decoded pages.

Chinese newspaper files come as UTF-8 or as GBK/GB18030; both are decoded.
Binary files and unreadable paths raise ``InputError`` with a one-line message;
empty files are reported through ``warn`` and skipped.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator

from .doc import Page


class InputError(Exception):
    """A problem with the user's input, reported as one line."""


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode a page's bytes; return (text, encoding)."""
    if b"\x00" in data:
        raise InputError(f"{name}: not a text file (binary data)")
    # utf-8-sig drops a byte-order mark; offsets count from the first real character.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    raise InputError(f"{name}: not a text file (neither UTF-8 nor GB18030)")


# control characters other than \t \n \f \r: many of them mean a wrong decoding or binary data
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _looks_like_text(text: str) -> bool:
    return len(_CONTROLS.findall(text)) <= max(2, len(text) // 100)


def read_page(path: str) -> Page | None:
    """Read one file; None when it is empty (nothing to extract)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    name = os.path.basename(path)
    text, encoding = decode(data, path)
    if not text.strip():
        return None
    return Page.of_text(text, name, path, encoding)


def find_pages(inputs: Iterable[str]) -> list[str]:
    """Expand files and folders into the sorted list of ``.txt`` files to read."""
    paths: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            found = sorted(_walk_txt(item))
            if not found:
                raise InputError(f"{item}: no .txt files in this folder")
            paths.extend(found)
        elif os.path.isfile(item):
            paths.append(item)
        else:
            raise InputError(f"{item}: no such file or folder")
    seen: set[str] = set()
    unique = []
    for p in paths:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _walk_txt(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.lower().endswith(".txt") and not f.startswith("."):
                yield os.path.join(root, f)


def read_pages(paths: Iterable[str], warn: Callable[[str], None]) -> Iterator[Page]:
    for path in paths:
        page = read_page(path)
        if page is None:
            warn(f"{path}: empty file, skipped")
            continue
        yield page
