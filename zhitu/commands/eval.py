"""``zhitu eval``: score a built graph against gold annotations."""
from __future__ import annotations

import argparse
import json
import os

from zhitu.commands.common import DEFAULT_OUT

ORDER = 30


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval",
        help="score a built graph against hand annotations (P/R/F1)",
        description="Score graph.ttl against gold annotation files (the format of ../shared/gold/*.json): "
        "entity precision/recall/F1 per type, typed and untyped; relation P/R/F1 per predicate; and the "
        "precision of each extraction rule family. --verbose lists missed and false entities and relations.",
    )
    p.add_argument("gold", nargs="+", metavar="GOLD.json", help="gold annotation files")
    p.add_argument("--graph", default=os.path.join(DEFAULT_OUT, "graph.ttl"), metavar="FILE",
                   help=f"the Turtle graph to score (default: {DEFAULT_OUT}/graph.ttl)")
    p.add_argument("--verbose", action="store_true", help="list misses and false hits")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zhitu.extract.read import InputError
    from zhitu.graph.evaluate import score

    for path in [args.graph, *args.gold]:
        if not os.path.isfile(path):
            hint = " (run `zhitu build` first)" if path == args.graph else ""
            raise InputError(f"{path}: no such file{hint}")
    try:
        res = score(args.graph, args.gold, verbose=args.verbose)
    except (ValueError, KeyError) as e:
        raise InputError(f"cannot score: {e}") from None
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1, default=str))
        return 0
    for d, v in sorted(res["docs"].items()):
        print(f"{d}: entity P {v['entity_p']:.2f} R {v['entity_r']:.2f} F1 {v['entity_f1']:.2f} "
              f"({v['system_nodes']} nodes / {v['gold']} gold)")
    for t, v in sorted(res["per_type"].items()):
        print(f"  {t:15s} P {v['p']:.2f} R {v['r']:.2f} F1 {v['f1']:.2f}")
    for p, v in sorted(res["per_predicate"].items()):
        print(f"  {p:20s} P {v['p']:.2f} R {v['r']:.2f} ({v['sys']} sys / {v['gold']} gold)")
    print("rule families (mentions on the scored pages that name a gold entity of their type):")
    for f, v in sorted(res["per_rule"].items(), key=lambda kv: -kv[1]["mentions"]):
        print(f"  {f:20s} {v['correct']:4d} / {v['mentions']:4d}  precision {v['precision']:.2f}")
    print("relation rule families (statements that state a gold relation):")
    for f, v in sorted(res["per_relation_rule"].items(), key=lambda kv: -kv[1]["statements"]):
        print(f"  {f:20s} {v['correct']:4d} / {v['statements']:4d}  precision {v['precision']:.2f}")
    if args.verbose:
        for k in ("missing_entities", "spurious_nodes", "missed_relations", "wrong_relations"):
            print(f"--- {k}")
            for x in res[k]:
                print("   ", x)
    u, t, r = res["untyped"], res["typed"], res["relations"]
    print(f"entities untyped F1 {u['f1']:.3f}; typed P {t['p']:.3f} R {t['r']:.3f} F1 {t['f1']:.3f}; "
          f"relations P {r['p']:.3f} R {r['r']:.3f} F1 {r['f1']:.3f}")
    return 0
