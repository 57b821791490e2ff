"""Score a built graph (Turtle) against hand annotations in the team's gold format.

Gold file: {"doc", "city", "entities": [{"name", "type", "aliases", "evidence"}],
"relations": [{"subject", "predicate", "object", "role", "evidence"}]}.

The method is the team's scorer's, so the figures agree with it:

* entities are matched per document: a gold entity and a graph node that the
  document mentions match when their normalised name sets (label + altLabels;
  name + aliases) intersect; greedy one-to-one, exact canonical names first;
  typed matching also requires the same type;
* a gold relation is found when an edge of its predicate joins the nodes its
  two ends were matched to (cooperatesWith in either direction);
* an edge counts for precision only when a scored document mentions both ends;
  an edge that is only implied by containment (locatedIn a parent of the
  stated place, partOf a farther ancestor) is neither right nor wrong.

Beyond the team's scorer it also measures each extraction rule family: how
many of the mentions a rule made name a gold entity of the same type.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from zhitu.ontology.vocab import ENTITY_CLASSES, ZT

PREDICATES = {
    "holds_position": "holdsPosition", "member_of": "memberOf", "located_in": "locatedIn",
    "part_of": "partOf", "sub_organization_of": "subOrganizationOf",
    "cooperates_with": "cooperatesWith", "runs": "runs", "participates_in": "participatesIn",
}
SYMMETRIC = {"cooperates_with"}
_NOISE = re.compile(r"[\s“”‘’\"'《》「」『』〈〉·•]")


def norm(s: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", s)).lower()


def prf(tp: int, n_sys: int, n_gold: int) -> dict[str, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


@dataclass
class SystemGraph:
    node_type: dict = field(default_factory=dict)
    names: dict = field(default_factory=lambda: defaultdict(set))
    docs: dict = field(default_factory=lambda: defaultdict(set))  # file name -> nodes it mentions
    edges: dict = field(default_factory=lambda: defaultdict(set))  # gold predicate -> {(s, o)}
    mention_rules: list = field(default_factory=list)  # (file name, node, surface, rule)
    statement_rules: list = field(default_factory=list)  # (gold predicate, subject, object, rule)


def load_graph(path: str) -> SystemGraph:
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    sg = SystemGraph()
    for t in ENTITY_CLASSES:
        for n in g.subjects(RDF.type, ZT[t]):
            sg.node_type[n] = t
    for n in sg.node_type:
        for p in (RDFS.label, SKOS.altLabel):
            sg.names[n] |= {norm(str(x)) for x in g.objects(n, p)}
    file_of = {}
    for d in g.subjects(RDF.type, ZT.Document):
        for f in g.objects(d, ZT.fileName):
            key = str(f).rsplit("/", 1)[-1]
            file_of[d] = key
            sg.docs[key] |= {n for n in g.objects(d, ZT.mentions) if n in sg.node_type}
    for gold_pred, pred in PREDICATES.items():
        for s, o in g.subject_objects(ZT[pred]):
            if s in sg.node_type and o in sg.node_type:
                sg.edges[gold_pred].add((s, o))
    gold_name = {zp: gp for gp, zp in PREDICATES.items()}
    for st in g.subjects(RDF.type, ZT.Statement):
        pred = str(g.value(st, RDF.predicate)).rsplit("#", 1)[-1]
        subj, obj = g.value(st, RDF.subject), g.value(st, RDF.object)
        if pred in gold_name and subj in sg.node_type and obj in sg.node_type:
            sg.statement_rules.append((gold_name[pred], subj, obj, str(g.value(st, ZT.extractor))))
    for m in g.subjects(RDF.type, ZT.Mention):
        node, doc = g.value(m, ZT.denotes), g.value(m, ZT.document)
        if node in sg.node_type and doc in file_of:
            sg.mention_rules.append((file_of[doc], node, str(g.value(m, ZT.surfaceForm)), str(g.value(m, ZT.extractor))))
    return sg


def align(gold_entities: list[dict], nodes: set, sg: SystemGraph, typed: bool) -> dict[int, object]:
    """Greedy one-to-one gold index -> node; exact canonical-name hits first."""
    pairs = []
    for gi, e in enumerate(gold_entities):
        gnames = {norm(e["name"])} | {norm(a) for a in e.get("aliases", [])}
        for n in nodes:
            if typed and sg.node_type[n] != e["type"]:
                continue
            if gnames & sg.names[n]:
                score = 2 if norm(e["name"]) in sg.names[n] else 1
                pairs.append((-score, gi, str(n), n))
    pairs.sort(key=lambda x: (x[0], x[1], x[2]))
    used_gold, used_node, matched = set(), set(), {}
    for _, gi, _, n in pairs:
        if gi not in used_gold and n not in used_node:
            used_gold.add(gi)
            used_node.add(n)
            matched[gi] = n
    return matched


def containment_pairs() -> list[tuple[str, str]]:
    """(child, parent) for every county in its prefecture and province and every prefecture in its
    province, full names and short forms, from the same division list the gazetteer reads."""
    from zhitu.extract.gazetteer import gazetteer

    gaz = gazetteer()
    forms: dict[str, set[str]] = defaultdict(set)
    levels = {}
    for surface, divisions in gaz.by_surface.items():
        for d in divisions:
            if d.level in ("province", "prefecture", "county"):
                forms[d.name] |= {d.name, surface}
                levels[d.name] = (d.level, d.parents)
    pairs = set()
    for name, (level, parents) in levels.items():
        if level == "province":
            continue
        for parent in parents:
            if parent in levels and levels[parent][0] in ("province", "prefecture"):
                pairs |= {(c, p) for c in forms[name] for p in forms[parent]}
    return sorted(pairs)


def score(graph_path: str, gold_paths: list[str], verbose: bool = False) -> dict:
    sg = load_graph(graph_path)
    golds = [json.load(open(p, encoding="utf-8")) for p in gold_paths]
    result: dict = {"docs": {}}
    totals = defaultdict(int)
    per_type = defaultdict(lambda: defaultdict(int))
    node_keys = defaultdict(set)  # node -> {(doc, gold name)}
    missing, spurious, gold_relations = [], [], []
    for gold in golds:
        doc, ents = gold["doc"], gold["entities"]
        nodes = sg.docs.get(doc, set())
        totals["untyped_tp"] += len(align(ents, nodes, sg, typed=False))
        matched = align(ents, nodes, sg, typed=True)
        totals["typed_tp"] += len(matched)
        for gi, n in matched.items():
            node_keys[n].add((doc, ents[gi]["name"]))
        for gi, e in enumerate(ents):
            per_type[e["type"]]["gold"] += 1
            if gi in matched:
                per_type[e["type"]]["tp"] += 1
            else:
                missing.append((doc, e["type"], e["name"]))
        hit = set(matched.values())
        for n in nodes:
            per_type[sg.node_type[n]]["sys"] += 1
            if n not in hit:
                spurious.append((doc, sg.node_type[n], sorted(sg.names[n])[:1]))
        result["docs"][doc] = {**{f"entity_{k}": v for k, v in prf(len(matched), len(nodes), len(ents)).items()},
                               "system_nodes": len(nodes), "gold": len(ents)}
        totals["sys"] += len(nodes)
        totals["gold"] += len(ents)
        gold_relations += [(doc, r["subject"], r["predicate"], r["object"]) for r in gold["relations"]]
    for k in ("untyped", "typed"):
        result[k] = prf(totals[k + "_tp"], totals["sys"], totals["gold"])
    result["per_type"] = {t: prf(v["tp"], v["sys"], v["gold"]) for t, v in per_type.items()}
    result.update(_score_relations(sg, golds, node_keys, gold_relations, verbose))
    result["per_rule"] = _score_rules(sg, golds)
    if verbose:
        result["missing_entities"] = missing
        result["spurious_nodes"] = spurious
    return result


def _score_relations(sg: SystemGraph, golds: list[dict], node_keys, gold_relations, verbose: bool) -> dict:
    key_nodes = defaultdict(set)
    for n, keys in node_keys.items():
        for k in keys:
            key_nodes[k].add(n)
    by_pred = defaultdict(lambda: defaultdict(int))
    gold_edges = defaultdict(set)
    found, missed = 0, []
    for doc, s, p, o in gold_relations:
        by_pred[p]["gold"] += 1
        cand = {(a, b) for a in key_nodes[(doc, s)] for b in key_nodes[(doc, o)]}
        if p in SYMMETRIC:
            cand |= {(b, a) for a, b in cand}
        gold_edges[p] |= cand
        if cand & sg.edges.get(p, set()):
            found += 1
            by_pred[p]["tp_r"] += 1
        else:
            missed.append((doc, s, p, o))
    lenient = _implied_edges(sg, golds, gold_edges)
    scored_docs = [sg.docs.get(g["doc"], set()) for g in golds]
    n_sys = correct = 0
    wrong = []
    for p, edges in sg.edges.items():
        for e in edges:
            if not any(e[0] in ns and e[1] in ns for ns in scored_docs):
                continue
            if (p, e[0], e[1]) in lenient and e not in gold_edges[p]:
                continue
            n_sys += 1
            by_pred[p]["sys"] += 1
            if e in gold_edges[p]:
                correct += 1
                by_pred[p]["tp_p"] += 1
            else:
                wrong.append((p, sorted(sg.names[e[0]])[:1], sorted(sg.names[e[1]])[:1]))
    # each rule family's statements among the edges that count
    by_rule = defaultdict(lambda: [0, 0])
    for p, a, b, rule in sg.statement_rules:
        e = (a, b)
        if not any(a in ns and b in ns for ns in scored_docs):
            continue
        if (p, a, b) in lenient and e not in gold_edges[p]:
            continue
        family = rule.split(":", 1)[0]
        by_rule[family][0] += e in gold_edges[p]
        by_rule[family][1] += 1
    p_ = correct / n_sys if n_sys else 0.0
    r_ = found / len(gold_relations) if gold_relations else 0.0
    out = {
        "relations": {"p": p_, "r": r_, "f1": 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0,
                      "system": n_sys, "gold": len(gold_relations)},
        "per_predicate": {
            p: {"p": v["tp_p"] / v["sys"] if v["sys"] else 0.0, "r": v["tp_r"] / v["gold"] if v["gold"] else 0.0,
                "sys": v["sys"], "gold": v["gold"]} for p, v in by_pred.items()},
    }
    out["per_relation_rule"] = {f: {"correct": c, "statements": n, "precision": c / n if n else 0.0}
                                for f, (c, n) in by_rule.items()}
    if verbose:
        out["missed_relations"] = missed
        out["wrong_relations"] = wrong
    return out


def _implied_edges(sg: SystemGraph, golds: list[dict], gold_edges) -> set:
    """Edges true by containment but not stated: locatedIn an ancestor, partOf a farther ancestor."""
    parent = defaultdict(set)
    for a, b in gold_edges["part_of"]:
        parent[a].add(b)
    by_name = defaultdict(set)
    for n, t in sg.node_type.items():
        if t == "Place":
            for x in sg.names[n]:
                by_name[x].add(n)
    gold_pairs = {(r["subject"], r["object"]) for g in golds for r in g["relations"] if r["predicate"] == "part_of"}
    for child, par in set(containment_pairs()) | gold_pairs:
        for a in by_name[norm(child)]:
            parent[a] |= by_name[norm(par)]

    def ancestors(n):
        seen, todo = set(), [n]
        while todo:
            for q in parent[todo.pop()]:
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return seen

    implied = set()
    for a, b in gold_edges["located_in"]:
        implied |= {("located_in", a, q) for q in ancestors(b)}
    for a in list(parent):
        implied |= {("part_of", a, q) for q in ancestors(a)}
    return implied


def _score_rules(sg: SystemGraph, golds: list[dict]) -> dict:
    """For each rule family: of the mentions it made on scored pages, how many name a gold entity."""
    gold_names = {g["doc"]: {norm(n): e["type"] for e in g["entities"] for n in [e["name"], *e.get("aliases", [])]}
                  for g in golds}
    stats = defaultdict(lambda: [0, 0])
    for doc, node, surface, rule in sg.mention_rules:
        if doc not in gold_names:
            continue
        family = rule.split(":", 1)[0]
        names = gold_names[doc]
        ok = any(names.get(x) == sg.node_type[node] for x in {norm(surface)} | sg.names[node])
        stats[family][0] += ok
        stats[family][1] += 1
    return {f: {"correct": c, "mentions": n, "precision": c / n if n else 0.0} for f, (c, n) in stats.items()}
