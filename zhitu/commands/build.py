"""``zhitu build``: pages in, the graph in every format out."""
from __future__ import annotations

import argparse

from zhitu.commands.common import DEFAULT_INPUT, DEFAULT_OUT, warn

ORDER = 10


def register(sub: argparse._SubParsersAction) -> None:
    from zhitu.cache import default_cache_dir
    from zhitu.engines import ENGINES, default_workers

    p = sub.add_parser(
        "build",
        help="extract entities and relations from pages and write the graph",
        description="Read .txt news pages (files or folders), extract companies, government bodies, "
        "organisations, people, places, programmes and events with the relations the text states, "
        "and write graph.ttl, graph.html, graph.graphml, graph.gexf and neo4j/ into the output folder. "
        "Pages are extracted on several processes (or a Dask cluster); what a page gave is cached, "
        "so a rebuild extracts only new and changed pages.",
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=f"a .txt page or a folder of them (default: {DEFAULT_INPUT}/)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"folder to write the outputs into (default: {DEFAULT_OUT}/)")
    p.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                   help="processes that extract pages and write the formats (default: the number of "
                   "cores, %(default)s); 1 does all in this process")
    p.add_argument("--cache", default=default_cache_dir(), metavar="DIR",
                   help="folder of the extraction cache, keyed by page content and extractor "
                   "(default: %(default)s)")
    p.add_argument("--no-cache", dest="cache", action="store_const", const=None,
                   help="extract every page; neither read nor write the cache")
    p.add_argument("--engine", choices=ENGINES, default="local",
                   help="where pages are extracted: local processes, or a Dask cluster (default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the scheduler of a running cluster, e.g. tcp://host:8786 "
                   "(default: start a cluster of --workers processes on this machine)")
    p.add_argument("--curation", default="curation", metavar="DIR",
                   help="folder of hand corrections applied to every build: aliases.tsv, merges.tsv, "
                   "splits.tsv, types.tsv, blocklist.txt (default: %(default)s/; a missing folder is none)")
    p.add_argument("--date", default="", metavar="YYYY-MM-DD",
                   help="the publication date of every page (default: the date on each page's masthead)")
    p.add_argument("--date-pattern", default="", metavar="REGEX",
                   help="find each page's date in its file name, e.g. '(?P<y>\\d{4})-(?P<m>\\d\\d)-(?P<d>\\d\\d)'")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.prestart import start_workers_early

    # before importing the build: the worker loads the extractor while the build imports its own modules
    started = start_workers_early(args.out, args.engine, args.workers, args.cache)
    try:
        from zhitu.build import BuildOptions, run_build

        options = BuildOptions(workers=args.workers, cache_dir=args.cache, engine=args.engine,
                               scheduler=args.scheduler, curation_dir=args.curation, date=args.date,
                               date_pattern=args.date_pattern)
        report = run_build(args.inputs or [DEFAULT_INPUT], args.out, warn, options, started)
    finally:
        if started is not None:
            started.close()
    print("\n".join(report.lines()))
    return 0
