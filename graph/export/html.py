"""The graph as one self-contained interactive page (graph.html).

pyvis builds the vis-network page with vis-network inlined; pyvis's Bootstrap
CDN tags are then removed (the page draws the same without them), so the page
opens from disk with no network at all.  On top of pyvis's drawing:

* nodes coloured by entity type and sized by degree; hovering shows name,
  type, aliases and number of relations;
* edges labelled with their predicate; hovering shows the role and the first
  evidence sentences, clicking lists every piece of evidence;
* a panel with a search box (name or alias), one checkbox per entity type
  (it is also the colour legend) and, when the graph was cut, a note saying so;
* physics that stabilises within a bounded number of iterations from a fixed
  seed and then switches off, so a few thousand nodes stay responsive and two
  renders of one graph look the same.

A graph with more than ``max_nodes`` nodes keeps its best-connected ones.

Element ids, for people and for headless-browser tests:

``zt-panel``
    the control panel (top left).
``zt-search``
    text input; a name or alias, then Enter (or a ``change`` event), selects
    and focuses the node: an exact name first, else the best-connected node
    whose name contains the text.  Its type is shown again if it was hidden.
``zt-names``
    the ``<datalist>`` of every name and alias that suggests names to ``zt-search``.
``zt-search-status``
    the outcome of the last search (the node found, or that nothing matched).
``zt-filters``
    the legend: one ``<input type="checkbox" data-type="Person">`` per entity
    type, with its colour and node count; unchecking hides that type.
``zt-date-from``, ``zt-date-to``
    the date range (``<input type="date">``): events and relations dated outside it
    are hidden (a relation is dated by the pages that state it); undated ones stay.
``zt-evidence``
    the panel (top right) filled on click: for an edge its subject, predicate,
    object, role and every evidence sentence with its document and rule; for a
    node its name, type, aliases and documents.
``zt-truncated``
    present only when nodes were left out; ``data-shown`` and ``data-total``
    give the counts.
``mynetwork``
    pyvis's vis-network container.

The page's globals ``network``, ``nodes`` and ``edges`` are pyvis's (the
vis.Network and its two DataSets; edge ids are ``e0``, ``e1`` …).  ``zt`` offers
the controls' actions to scripts: ``zt.search(text)``, ``zt.showEdge(id)``,
``zt.showNode(id)``, ``zt.setTypeVisible(type, visible)`` and
``zt.setDateRange(from, to)`` (ISO dates, "" for open).  ``<body>``
gets ``data-zt-stable="true"`` once physics has stabilised and stopped.
"""
from __future__ import annotations

import functools
import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import chain

import networkx as nx
from jinja2 import Environment
from pyvis.network import Network

from zhitu.ontology.vocab import ENTITY_CLASSES

from .. import build as B
from .atomic import atomic_write
from .units import FileLayout, Outline

MAX_NODES = 2000

TYPE_COLOURS = {
    "Company": "#4e79a7",
    "GovernmentBody": "#e15759",
    "Organization": "#f28e2b",
    "Person": "#59a14f",
    "Place": "#76b7b2",
    "Programme": "#b07aa1",
    "Event": "#d4a017",
}
OTHER_COLOUR = "#9d9d9d"  # a type outside the vocabulary still draws, in grey

FONT_STACK = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif'
TOOLTIP_SENTENCES = 2
TOOLTIP_SENTENCE_CHARS = 120
# Beyond this many nodes vis-network's Kamada-Kawai initial layout gets slow
# (the seeded random start and physics do the work instead) and redrawing
# every edge while dragging the view lags.
LARGE_GRAPH_NODES = 300
STABILIZATION_ITERATIONS = 400

_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)
_ANY_EXTERNAL_TAG = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
_COMMENTED_OUT_TAGS = re.compile(r"<!--(?:(?!-->).)*?<(?:script|link)\b.*?-->", re.S)


def write_html(G: nx.MultiDiGraph, path: str, max_nodes: int = MAX_NODES, degree: Mapping | None = None,
               total_entities: int | None = None) -> None:
    atomic_write(path, render_html(G, max_nodes, degree, total_entities))


def html_layout(G: nx.MultiDiGraph, outline: Outline, name: str = "graph.html") -> FileLayout:
    """The page is written whole: which entities it shows depends on the whole graph."""
    return FileLayout(name, [lambda: render_html(G, degree=outline.degree, total_entities=len(outline.types))])


def shown_entities(outline: Outline, max_nodes: int = MAX_NODES) -> list[str]:
    """The entities the page shows (the best-connected), as render_html picks them from the whole graph."""
    return sorted(outline.types, key=outline.degree.__getitem__, reverse=True)[:max_nodes]  # types: in id order


def render_html(G: nx.MultiDiGraph, max_nodes: int = MAX_NODES, degree: Mapping | None = None,
                total_entities: int | None = None) -> str:
    """The page of G's ``max_nodes`` best-connected nodes.

    ``degree`` gives each of G's nodes its number of relations, to rank, size and describe it
    by, and ``total_entities`` the number the panel gives, when G is part of a bigger graph
    (by default both are counted in G).
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be positive, not {max_nodes}")
    if degree is None:
        degree = _degrees(G)
    shown = _best_connected(G, degree, max_nodes)
    doc_names = {d["id"]: d["file_name"] for d in G.graph.get("documents", [])}

    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line")
    net.templateEnv = pyvis_templates()
    net.options = _vis_options(len(shown))
    # the records as add_node and add_edge would store them, without the scan of every id
    # so far that each of those calls makes
    net.nodes = [_node_record(str(n), G.nodes[n], degree[n], doc_names) for n in sorted(shown, key=str)]
    net.edges = [{"id": f"e{i}", **_edge_record(G, u, v, data, doc_names), **smooth}
                 for i, (u, v, data, smooth) in enumerate(_edges_among(G, shown))]

    type_counts = Counter(G.nodes[n][B.TYPE] for n in shown)
    panel = _panel_html(type_counts, total_entities or len(G), net.num_edges(), len(doc_names))
    return _offline_page(net.generate_html(), panel)


def _degrees(G: nx.MultiDiGraph) -> dict:
    """Each node's number of relations, in and out, as G.degree() counts them: one pass over the
    edges is quicker than G.degree()'s walk of every node's successors and predecessors."""
    degree = dict.fromkeys(G, 0)
    degree.update(Counter(chain.from_iterable(G.edges())))
    return degree


def _best_connected(G: nx.MultiDiGraph, degree: Mapping, max_nodes: int) -> set:
    """The ``max_nodes`` nodes of most relations, ties going to the smallest id."""
    # by id, then stably by degree: two sorts on built-in keys beat one on a (degree, id) tuple per node
    by_id = sorted(G, key=str)
    return set(sorted(by_id, key=degree.__getitem__, reverse=True)[:max_nodes])


@functools.cache
def pyvis_templates() -> Environment:
    """pyvis's page template, parsed once per process: each Network has a fresh Jinja
    environment that would parse it, and the vis-network it inlines, on every render."""
    templates = Network(cdn_resources="in_line").templateEnv
    # keep Chinese readable in the page source; tojson still escapes < > & '
    templates.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return templates


def _vis_options(n_nodes: int) -> dict:
    large = n_nodes > LARGE_GRAPH_NODES
    return {
        "layout": {"randomSeed": 42, "improvedLayout": not large},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                                 "springLength": 110, "springConstant": 0.08, "avoidOverlap": 0.3},
            "minVelocity": 1,
            "stabilization": {"enabled": True, "iterations": STABILIZATION_ITERATIONS,
                              "updateInterval": 25, "fit": True},
        },
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "face": FONT_STACK}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b4b4b4", "highlight": "#333333", "hover": "#666666"},
            "font": {"size": 10, "face": FONT_STACK, "color": "#666666", "strokeWidth": 3, "align": "middle"},
            # straight edges add no support nodes to the physics; parallel ones curve (_edges_among)
            "smooth": False,
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large},
    }


def _node_record(node_id: str, data: dict, degree: int, doc_names: dict) -> dict:
    type_, aliases = data[B.TYPE], list(data[B.ALIASES])
    tooltip = "\n".join([
        data[B.LABEL],
        f"Type: {type_}",
        "Aliases: " + ("、".join(aliases) if aliases else "none"),
        f"Relations: {degree}",
    ])
    return {
        "id": node_id,
        "label": data[B.LABEL] or node_id,  # pyvis's fallback for an empty label
        "shape": "dot",
        "color": TYPE_COLOURS.get(type_, OTHER_COLOUR),  # by type, with no vis group
        "size": round(min(60.0, 10 + 4 * math.sqrt(degree)), 1),
        "title": _plain_text_title(tooltip),
        "entityType": type_,
        "aliases": aliases,
        "degree": degree,
        "documents": [doc_names.get(d, d) for d in data[B.DOCUMENTS]],
        "date": data.get(B.DATE, ""),
    }


def _edges_among(G: nx.MultiDiGraph, shown: set):
    """(u, v, data, smooth options) for each edge between shown nodes, in a stable order.

    Edges that share their two ends would draw on top of each other, so each
    of them curves, the k-th of one direction by 0.2·k; clockwise curves of
    opposite directions fall on opposite sides.
    """
    edges = sorted(((u, v, k, d) for u, v, k, d in G.out_edges(shown, keys=True, data=True) if v in shown),
                   key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    per_pair = Counter(frozenset((u, v)) for u, v, _, _ in edges)
    per_direction = defaultdict(int)
    for u, v, _, data in edges:
        smooth = {}
        if u != v and per_pair[frozenset((u, v))] > 1:
            per_direction[u, v] += 1
            smooth = {"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2 * per_direction[u, v]}}
        yield u, v, data, smooth


def _edge_record(G: nx.MultiDiGraph, u, v, data: dict, doc_names: dict) -> dict:
    predicate, role = data[B.PREDICATE], data[B.ROLE]
    evidence = [{"sentence": ev["sentence"], "document": doc_names.get(ev["document"], ev["document"]),
                 "rule": ev["rule"], "role": ev["role"]}
                for ev in data[B.EVIDENCE]]
    lines = [f"{G.nodes[u][B.LABEL]} → {G.nodes[v][B.LABEL]}", predicate + (f"（{role}）" if role else "")]
    for ev in evidence[:TOOLTIP_SENTENCES]:
        sentence = ev["sentence"]
        if len(sentence) > TOOLTIP_SENTENCE_CHARS:
            sentence = sentence[:TOOLTIP_SENTENCE_CHARS] + "…"
        lines.append(f"“{sentence}”")
    if len(evidence) > TOOLTIP_SENTENCES:
        lines.append(f"(+{len(evidence) - TOOLTIP_SENTENCES} more: click the relation)")
    return {"from": str(u), "to": str(v), "arrows": "to",
            "label": predicate, "predicate": predicate, "role": role, "evidence": evidence,
            "title": "\n".join(lines),
            "dates": sorted({ev["date"] for ev in data[B.EVIDENCE] if ev.get("date")})}


def _plain_text_title(text: str) -> str:
    """vis-network shows a string title as plain text, but pyvis switches every
    node tooltip to raw HTML once one node title contains "href"; a zero-width
    space keeps the word from matching without changing what is shown."""
    return text.replace("href", "hre\u200bf")


def _panel_html(type_counts: Counter, total_nodes: int, n_edges: int, n_documents: int) -> str:
    shown = sum(type_counts.values())
    types = list(ENTITY_CLASSES) + sorted(set(type_counts) - set(ENTITY_CLASSES))
    rows = "".join(
        f'<label><input type="checkbox" data-type="{html.escape(t)}" checked>'
        f'<span class="zt-swatch" style="background:{TYPE_COLOURS.get(t, OTHER_COLOUR)}"></span>'
        f'{html.escape(t)}<span class="zt-count">{type_counts[t]}</span></label>'
        for t in types
    )
    truncated = ""
    if shown < total_nodes:
        truncated = (f'<p id="zt-truncated" data-shown="{shown}" data-total="{total_nodes}">'
                     f"Showing the {shown:,} best-connected of {total_nodes:,} entities.</p>")
    return f"""
<div id="zt-panel">
  <p class="zt-title">知图 · {shown:,} entities · {n_edges:,} relations · {n_documents:,} documents</p>
  {truncated}
  <input id="zt-search" type="search" list="zt-names" placeholder="Find a name or alias" autocomplete="off">
  <datalist id="zt-names"></datalist>
  <p id="zt-search-status" aria-live="polite"></p>
  <fieldset id="zt-filters"><legend>Entity types</legend>{rows}</fieldset>
  <fieldset id="zt-dates"><legend>Dates</legend>
    <label>from <input id="zt-date-from" type="date"></label>
    <label>to <input id="zt-date-to" type="date"></label>
    <p class="zt-hint">Hides events and relations dated outside the range; undated ones stay.</p>
  </fieldset>
</div>
<aside id="zt-evidence"><p class="zt-hint">Click a relation to see its evidence, or an entity for its details.</p></aside>
"""


def _offline_page(page: str, panel: str) -> str:
    # what is taken out all sits in pyvis's <head>: the body, megabytes of graph data, is not
    # rewritten, only copied once into the page
    head_end = page.index("</head>")
    head = _EXTERNAL_SCRIPT.sub("", _EXTERNAL_LINK.sub("", page[:head_end]))
    if _ANY_EXTERNAL_TAG.search(head) or _ANY_EXTERNAL_TAG.search(page, head_end):
        raise RuntimeError("the pyvis page still loads something from the network")
    # pyvis leaves an empty heading twice and old vis tags commented out
    head = _COMMENTED_OUT_TAGS.sub("", _EMPTY_HEADING.sub("", head))
    head = head.replace("<html>", '<html lang="zh">', 1)
    meta = '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>知图 graph</title>\n'
    body_start = page.index("<body>", head_end) + len("<body>")
    body_end = page.rindex("</body>")
    return "".join([
        "<!DOCTYPE html>\n", head, meta, f"<style>{PAGE_CSS}</style>\n", page[head_end:body_start],
        panel, page[body_start:body_end], f"<script>{PAGE_SCRIPT}</script>\n", page[body_end:],
    ])


PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: """ + FONT_STACK + """; }
#mynetwork { border: 0; float: none; }
#zt-panel, #zt-evidence {
  position: fixed; top: 12px; z-index: 10; box-sizing: border-box; max-height: calc(100vh - 24px);
  overflow: auto; padding: 10px 12px; font-size: 13px; background: rgba(255, 255, 255, 0.95);
  border: 1px solid #d0d0d0; border-radius: 6px; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.12);
}
#zt-panel { left: 12px; width: 17rem; }
#zt-evidence { right: 12px; width: 24rem; }
#zt-panel p { margin: 0 0 8px; }
.zt-title { font-weight: bold; }
#zt-truncated { color: #a33; }
#zt-search { width: 100%; box-sizing: border-box; font: inherit; padding: 3px 6px; }
#zt-search-status { color: #666; min-height: 1em; }
#zt-filters, #zt-dates { border: 0; margin: 0; padding: 0; }
#zt-dates { margin-top: 8px; }
#zt-dates legend { font-weight: bold; padding: 0; margin-bottom: 4px; }
#zt-dates label { display: block; padding: 1px 0; }
#zt-filters legend { font-weight: bold; padding: 0; margin-bottom: 4px; }
#zt-filters label { display: flex; align-items: center; gap: 6px; padding: 1px 0; cursor: pointer; }
.zt-swatch { width: 12px; height: 12px; border-radius: 50%; border: 1px solid rgba(0, 0, 0, 0.25); }
.zt-count { margin-left: auto; color: #777; }
#zt-evidence h2 { font-size: 15px; margin: 0 0 6px; }
#zt-evidence p { margin: 0 0 6px; }
#zt-evidence blockquote { margin: 8px 0; padding-left: 8px; border-left: 3px solid #ccc; }
#zt-evidence cite { display: block; color: #777; font-size: 11px; font-style: normal; margin-top: 2px; }
.zt-hint { color: #777; }
div.vis-tooltip { white-space: pre-wrap; max-width: 26rem; font-family: inherit; font-size: 13px; }
"""

# Runs after pyvis's script has drawn the graph; every piece of graph text
# reaches the page through textContent, never as HTML.
PAGE_SCRIPT = r"""
(function () {
  "use strict";

  // Stabilisation runs in timed batches after vis.Network returns, so this
  // handler is in place before it ends; then physics stops for good.
  function markStable() {
    // pyvis's loading bar stays over the graph, transparent, and would swallow clicks
    const bar = document.getElementById("loadingBar");
    if (bar) bar.style.display = "none";
    document.body.dataset.ztStable = "true";
  }
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    markStable();
  });
  if (nodes.length === 0) markStable();

  const panel = document.getElementById("zt-evidence");
  const status = document.getElementById("zt-search-status");
  const searchBox = document.getElementById("zt-search");
  const typeBoxes = {};
  document.querySelectorAll("#zt-filters input[data-type]").forEach(function (box) {
    typeBoxes[box.dataset.type] = box;
    box.addEventListener("change", function () { setTypeVisible(box.dataset.type, box.checked); });
  });

  function element(tag, text, className) {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  // a node is hidden by its type's checkbox or, for a dated event, by the date range;
  // a relation by the date range when every page that states it is dated outside it
  const hiddenTypes = new Set();
  const dateFrom = document.getElementById("zt-date-from");
  const dateTo = document.getElementById("zt-date-to");

  function inRange(date) {
    // an ISO date or year-month compares as text; a month is in range if it overlaps it
    return (!dateFrom.value || date >= dateFrom.value.slice(0, date.length)) &&
           (!dateTo.value || date <= dateTo.value.slice(0, date.length));
  }

  function refresh() {
    nodes.update(nodes.get().map(function (n) {
      return {id: n.id, hidden: hiddenTypes.has(n.entityType) || (!!n.date && !inRange(n.date))};
    }));
    edges.update(edges.get().map(function (e) {
      return {id: e.id, hidden: e.dates.length > 0 && !e.dates.some(inRange)};
    }));
  }

  function setTypeVisible(type, visible) {
    if (visible) hiddenTypes.delete(type); else hiddenTypes.add(type);
    if (typeBoxes[type]) typeBoxes[type].checked = visible;
    refresh();
  }

  function setDateRange(from, to) {
    dateFrom.value = from || "";
    dateTo.value = to || "";
    refresh();
  }
  dateFrom.addEventListener("change", refresh);
  dateTo.addEventListener("change", refresh);

  function showNode(id) {
    const node = nodes.get(id);
    if (!node) return;
    if (node.hidden) setTypeVisible(node.entityType, true);
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    describeNode(node);
  }

  function describeNode(node) {
    const parts = [
      element("h2", node.label),
      element("p", "Type: " + node.entityType),
      element("p", "Aliases: " + (node.aliases.length ? node.aliases.join("、") : "none")),
      element("p", "Relations: " + node.degree),
    ];
    if (node.documents.length) {
      const list = element("ul");
      node.documents.forEach(function (d) { list.appendChild(element("li", d)); });
      parts.push(element("p", "Mentioned in:"), list);
    }
    panel.replaceChildren.apply(panel, parts);
  }

  function showEdge(id) {
    const edge = edges.get(id);
    if (!edge) return;
    network.selectEdges([id]);
    const parts = [
      element("h2", nodes.get(edge.from).label + " → " + nodes.get(edge.to).label),
      element("p", edge.predicate + (edge.role ? "（" + edge.role + "）" : ""), "zt-predicate"),
    ];
    edge.evidence.forEach(function (ev) {
      const quote = element("blockquote", ev.sentence);
      const source = ev.document + " · " + ev.rule + (ev.role ? " · " + ev.role : "");
      quote.appendChild(element("cite", source));
      parts.push(quote);
    });
    panel.replaceChildren.apply(panel, parts);
  }

  network.on("click", function (params) {
    if (params.nodes.length) describeNode(nodes.get(params.nodes[0]));
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // best-connected first, so a partial name finds the most central match
  const byDegree = nodes.get().sort(function (a, b) { return b.degree - a.degree; });
  function namesOf(node) { return [node.label].concat(node.aliases); }
  function matching(test) {
    return byDegree.find(function (n) {
      return namesOf(n).some(function (name) { return test(name.toLowerCase()); });
    });
  }

  function search(text) {
    const query = text.trim().toLowerCase();
    if (!query) { status.textContent = ""; return null; }
    const node = matching(function (name) { return name === query; })
      || matching(function (name) { return name.includes(query); });
    if (!node) { status.textContent = "No entity matches “" + text.trim() + "”."; return null; }
    status.textContent = "Found: " + node.label + " (" + node.entityType + ")";
    showNode(node.id);
    return node.id;
  }

  const names = document.createDocumentFragment();
  byDegree.forEach(function (node) {
    namesOf(node).forEach(function (name) {
      const option = element("option", name === node.label ? node.entityType : node.label);
      option.value = name;
      names.appendChild(option);
    });
  });
  document.getElementById("zt-names").appendChild(names);
  // Enter fires keydown and then, if the text changed, change: search once
  let searched = null;
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { searched = searchBox.value; search(searched); }
  });
  searchBox.addEventListener("change", function () {
    if (searchBox.value !== searched) search(searchBox.value);
  });

  window.zt = {search: search, showEdge: showEdge, showNode: showNode, setTypeVisible: setTypeVisible,
               setDateRange: setDateRange};
})();
"""
