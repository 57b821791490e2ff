"""SPARQL over the graph: load graph.ttl into pyoxigraph, run a query, write the answer.

rdflib writes the graph; pyoxigraph answers queries because it parses Turtle
and evaluates SPARQL an order of magnitude faster on graphs of millions of
triples.  An answer is a ``Table`` (SELECT), a ``bool`` (ASK) or a list of
triples (CONSTRUCT, DESCRIBE); each ``Format`` writes the kinds of answer it
can hold, in the SPARQL 1.1 result formats (JSON, CSV, TSV), as RDF (Turtle,
N-Triples) or as an aligned table for people.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, XSD

from zhitu.extract.read import InputError
from zhitu.ontology.vocab import ID, NS

# A query may use these without declaring them; its own PREFIX lines take precedence.
PREFIXES = {"zt": NS, "zid": str(ID), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD)}

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]


class QueryError(InputError):
    """A graph that cannot be read, or a query that cannot be parsed or run."""


@dataclass(frozen=True)
class Table:
    """The answer to a SELECT query: variable names and one tuple of terms per solution (None: unbound)."""
    variables: list[str]
    rows: list[tuple[Term | None, ...]]


Answer = Union[Table, bool, list]  # list: the triples of a CONSTRUCT or DESCRIBE


def load_store(path: str | Path) -> ox.Store:
    """An in-memory store holding the Turtle file at ``path``."""
    if not Path(path).is_file():
        raise QueryError(f"{path}: no such graph file; run `zhitu build` first")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    except SyntaxError as e:
        raise QueryError(f"{path}: not valid Turtle: {e}") from None
    except OSError as e:
        raise QueryError(f"{path}: cannot read it: {e.strerror or e}") from None
    return store


def read_query(query: str) -> str:
    """The SPARQL text of ``query``: the query itself, a file holding it, or ``-`` for standard input."""
    if query == "-":
        return sys.stdin.read()
    if os.path.isfile(query):  # unlike Path.is_file, never raises on a long query string
        return Path(query).read_text(encoding="utf-8")
    if query.endswith(".rq"):
        raise QueryError(f"{query}: no such query file")
    return query


def run_query(graph: ox.Store | str | Path, sparql: str) -> Answer:
    """Run ``sparql`` on a store (or the Turtle file at a path) and return its whole answer."""
    store = graph if isinstance(graph, ox.Store) else load_store(graph)
    try:
        result = store.query(sparql, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            return Table([v.value for v in result.variables], [tuple(solution) for solution in result])
        return list(result)
    except SyntaxError as e:
        raise QueryError(f"bad SPARQL: {e}") from None
    except OSError as e:  # evaluation failures, e.g. an unreachable SERVICE
        raise QueryError(f"the query failed: {e}") from None


# ---------------------------------------------------------------------------
# Writing answers
# ---------------------------------------------------------------------------

def _truth(answer: bool) -> str:
    """An ASK answer where the result format has no place for one: the word."""
    return "true\n" if answer else "false\n"


def _lexical(term: Term | None) -> str:
    """A term as the SPARQL CSV format writes it: IRIs and literal values bare, blank nodes as _:id."""
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != str(XSD.string):
        out["datatype"] = term.datatype.value
    return out


def write_json(answer: Table | bool) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if isinstance(answer, bool):
        return json.dumps({"head": {}, "boolean": answer}) + "\n"
    bindings = [{var: _json_term(term) for var, term in zip(answer.variables, row) if term is not None}
                for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False) + "\n"


def write_csv(answer: Table | bool) -> str:
    """SPARQL 1.1 Query Results CSV Format (values only: no language tags or datatypes)."""
    if isinstance(answer, bool):
        return _truth(answer)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # the format requires CRLF
    writer.writerow(answer.variables)
    writer.writerows([_lexical(term) for term in row] for row in answer.rows)
    return out.getvalue()


def write_tsv(answer: Table | bool) -> str:
    """SPARQL 1.1 Query Results TSV Format (terms in N-Triples syntax, tabs and newlines escaped)."""
    if isinstance(answer, bool):
        return _truth(answer)
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in answer.rows]
    return "\n".join(lines) + "\n"


_LOCAL_NAME = re.compile(r"[A-Za-z_][\w-]*")


def _display(term: Term | None) -> str:
    """A term for people: literal values bare, vocabulary IRIs as prefixed names, other IRIs in full."""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            local = term.value.removeprefix(namespace)
            if local != term.value and _LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    return _lexical(term).replace("\n", " ")


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def write_table(answer: Table | bool) -> str:
    """Columns aligned for a terminal, then the number of rows."""
    if isinstance(answer, bool):
        return _truth(answer)
    cells = [[_display(term) for term in row] for row in answer.rows]
    widths = [max([_width(v)] + [_width(row[i]) for row in cells]) for i, v in enumerate(answer.variables)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(answer.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines) + "\n"


# Entity IRIs as zid: names would need escaped slashes (zid:company\/4ee6…): written in full they read better.
_RDF_PREFIXES = {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix != "zid"}


def _rdf_writer(rdf_format: ox.RdfFormat) -> Callable[[list], str]:
    def write(triples: list) -> str:
        return ox.serialize(triples, format=rdf_format, prefixes=_RDF_PREFIXES).decode("utf-8")
    return write


@dataclass(frozen=True)
class Format:
    """A way to write answers: its name for ``--format`` and ``format=``, its media types for Accept."""
    name: str
    media_types: tuple[str, ...]  # the first is the one a response declares
    for_triples: bool  # True: CONSTRUCT and DESCRIBE answers; False: SELECT and ASK answers
    write: Callable[[Answer], str]

    def fits(self, answer: Answer) -> bool:
        return self.for_triples == isinstance(answer, list)


# In order of preference: the first format that fits an answer is its default.
FORMATS = (
    Format("table", ("text/plain",), False, write_table),
    Format("json", ("application/sparql-results+json", "application/json"), False, write_json),
    Format("csv", ("text/csv",), False, write_csv),
    Format("tsv", ("text/tab-separated-values",), False, write_tsv),
    Format("turtle", ("text/turtle", "application/x-turtle"), True, _rdf_writer(ox.RdfFormat.TURTLE)),
    Format("ntriples", ("application/n-triples",), True, _rdf_writer(ox.RdfFormat.N_TRIPLES)),
)


def format_for(answer: Answer, name: str | None = None, formats=FORMATS) -> Format:
    """The format of ``formats`` called ``name`` (or with that media type), or the first that can hold ``answer``."""
    fitting = [f for f in formats if f.fits(answer)]
    if name is None:
        return fitting[0]
    chosen = next((f for f in formats if name == f.name or name in f.media_types), None)
    if chosen is None:
        raise QueryError(f"unknown format {name!r}; choose one of {', '.join(f.name for f in formats)}")
    if chosen not in fitting:
        kind = "CONSTRUCT or DESCRIBE query gives triples" if isinstance(answer, list) else "SELECT or ASK query gives results"
        raise QueryError(f"a {kind}, which {chosen.name} cannot hold; choose {', '.join(f.name for f in fitting)}")
    return chosen
