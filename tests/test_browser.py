"""graph.html in a real browser: headless Chromium with no network, driven over the DevTools protocol.

Chromium runs in a network namespace of its own (``unshare --net``: no
interface but a loopback that is down), so the page can load nothing from
outside and Chromium's own calls home go nowhere.  The DevTools protocol
travels over a pipe (``--remote-debugging-pipe``), which needs no port and no
package beyond the standard library.

A page is used once physics has stopped (``data-zt-stable``); the tests that
only look share one load of the seed graph's page, each test that acts on it
loads its own.  A screenshot of the seed graph is kept in
tests/artifacts/graph.png; docs/graph.png, the README's, is a copy of it.
"""
from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

import networkx as nx
import pytest

from zhitu.graph.export.html import MAX_NODES, TYPE_COLOURS, write_html

from test_export_html import synthetic_graph  # graphs shaped like build_graph's
from test_view import uniquely_aliased

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WINDOW = {"width": 1280, "height": 900}
ANSWER_SECONDS = 30  # for one DevTools reply
STABLE_SECONDS = 120  # for a page to stabilise; the seed graph needs a few seconds

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"needs {CHROMIUM}")

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
    # a second lock on the network, should the namespace ever be missing
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
    "--disable-background-networking", "--disable-component-update", "--mute-audio",
    "--hide-scrollbars", "--force-device-scale-factor=1",
    f"--window-size={WINDOW['width']},{WINDOW['height']}",
]


def js(value) -> str:
    """A Python value as a JavaScript literal."""
    return json.dumps(value, ensure_ascii=False)


def network_off() -> list[str]:
    """The command prefix that runs a program in a new, empty network namespace."""
    if shutil.which("unshare"):
        # as root; else as root of a new user namespace, where the kernel allows that
        for prefix in (["unshare", "--net"], ["unshare", "--map-root-user", "--net"]):
            if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
                return prefix
    pytest.skip("cannot take the network away from Chromium: unshare --net is not permitted")


class DevTools:
    """A Chromium started with the DevTools protocol on a pipe: it reads JSON
    messages ending in NUL from fd 3 and writes its replies and events to fd 4."""

    def __init__(self, command: list[str]):
        chromium_reads, self._to_chromium = os.pipe()
        self._from_chromium, chromium_writes = os.pipe()

        def attach_pipes():  # in the child, before exec
            # through fresh copies: a pipe end may itself be fd 3 or 4
            read_end, write_end = os.dup(chromium_reads), os.dup(chromium_writes)
            for fd, target in ((read_end, 3), (write_end, 4)):
                os.dup2(fd, target)
                os.set_inheritable(target, True)

        # its own process group, so that closing ends the renderers and helpers too
        self.process = subprocess.Popen(command, preexec_fn=attach_pipes, close_fds=False,
                                        start_new_session=True, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(chromium_reads)
        os.close(chromium_writes)
        self._buffer = b""
        self._last_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chromium, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + ANSWER_SECONDS
        while True:
            reply = self._receive(deadline)
            if reply.get("id") != self._last_id:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']['message']}")
            else:
                return reply["result"]

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._from_chromium], [], [], remaining)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_chromium, 1 << 20)
            if not chunk:
                raise ConnectionError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, RuntimeError, subprocess.TimeoutExpired):  # OSError: the pipe, or no answer
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._to_chromium)
            os.close(self._from_chromium)
        try:  # any helper process Chromium left behind
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# Physics has stopped, and pyvis's loading bar, transparent by then but still
# over the graph for half a second, has gone: the graph takes clicks.
READY = """document.body && document.body.dataset.ztStable === "true"
  && ((bar) => !bar || getComputedStyle(bar).display === "none")(document.getElementById("loadingBar"))"""


class Page:
    """One tab with a graph page loaded and stable."""

    def __init__(self, devtools: DevTools, url: str):
        self.devtools = devtools
        self.target = devtools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = devtools.send("Target.attachToTarget",
                                     {"targetId": self.target, "flatten": True})["sessionId"]
        self.call("Network.enable")
        self.call("Emulation.setDeviceMetricsOverride", {**WINDOW, "deviceScaleFactor": 1, "mobile": False})
        self.call("Page.navigate", {"url": url})
        self.wait_for(READY, STABLE_SECONDS)

    def call(self, method: str, params: dict | None = None) -> dict:
        return self.devtools.send(method, params, self.session)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise RuntimeError(details.get("exception", {}).get("description", details["text"]))
        return result["result"].get("value")

    def wait_for(self, expression: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {seconds} s for {expression}")
            time.sleep(0.05)

    def click(self, x: float, y: float) -> None:
        point = {"x": x, "y": y, "button": "left", "clickCount": 1}
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        self.call("Input.dispatchMouseEvent", {"type": "mousePressed", **point})
        self.call("Input.dispatchMouseEvent", {"type": "mouseReleased", **point})

    def click_element(self, selector: str) -> None:
        box = self.evaluate(f"(() => {{ const r = document.querySelector({js(selector)})"
                            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        self.click(*box)

    def type(self, text: str) -> None:
        self.call("Input.insertText", {"text": text})

    def press_enter(self) -> None:
        key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        self.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **key})
        self.call("Input.dispatchKeyEvent", {"type": "keyUp", **key})

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.devtools.events
                if e.get("sessionId") == self.session and e.get("method") == "Network.requestWillBeSent"]

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc) -> None:
        self.devtools.send("Target.closeTarget", {"targetId": self.target})


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    devtools = DevTools([*network_off(), CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"])
    yield devtools
    devtools.close()


@pytest.fixture(scope="module")
def seed_url(seed_graph, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("browser") / "graph.html"
    write_html(seed_graph, str(path))
    return path.as_uri()


@pytest.fixture(scope="module")
def loaded(chromium, seed_url):
    """The seed graph's page for the tests that only look at it."""
    with Page(chromium, seed_url) as page:
        yield page


@pytest.fixture
def page(chromium, seed_url):
    """The seed graph's page, freshly loaded, for a test that acts on it."""
    with Page(chromium, seed_url) as page:
        yield page


def node_id(G: nx.MultiDiGraph, label: str) -> str:
    [node] = [n for n, d in G.nodes(data=True) if d["label"] == label]
    return node


# Where each node drawn is centred in the window (a hidden node has no position)
NODE_CENTRES = """(() => {
  const positions = network.getPositions();
  return nodes.get().filter((node) => positions[node.id]).map((node) => {
    const p = network.canvasToDOM(positions[node.id]);
    return {id: node.id, type: node.entityType, x: Math.round(p.x), y: Math.round(p.y)};
  });
})()"""


def drawn_colours(page: Page, points: list[dict]) -> list[str | None]:
    """The colour of the canvas at each point ({x, y} in the window): vis-network draws on a 2D canvas."""
    return page.evaluate(f"""(() => {{
      const canvas = document.querySelector("#mynetwork canvas");
      const context = canvas.getContext("2d");
      return {js([[p["x"], p["y"]] for p in points])}.map(([x, y]) => {{
        if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return null;
        const rgb = Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
        return "#" + rgb.map((c) => c.toString(16).padStart(2, "0")).join("");
      }});
    }})()""")


def test_graph_renders_every_node_in_its_colour(loaded, seed_graph):
    assert loaded.evaluate("network.body.data.nodes.length") == seed_graph.number_of_nodes()
    positions = loaded.evaluate("network.getPositions()")
    assert set(positions) == set(seed_graph)
    # laid out, not piled up: nodes stand apart
    assert len({(round(p["x"]), round(p["y"])) for p in positions.values()}) == len(positions)
    centres = loaded.evaluate(NODE_CENTRES)
    colours = drawn_colours(loaded, centres)
    assert None not in colours  # fitted: every node is in the window
    in_colour = [c for c, colour in zip(centres, colours) if colour == TYPE_COLOURS[c["type"]]]
    # a node can be drawn over by its neighbour, a label or the panels; most are not
    assert len(in_colour) >= 0.8 * len(centres)


def test_page_requests_nothing_but_itself(loaded, seed_url):
    urls = loaded.requested_urls()
    assert urls and all(url == seed_url or url.startswith("data:") for url in urls)


# Two different characters drawn in the page's label font: with no CJK font
# both come out as the same empty box.
GLYPHS = """(() => {
  const face = network.body.nodes[nodes.getIds()[0]].options.font.face;
  const draw = (text) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 48;
    const context = canvas.getContext("2d");
    context.font = "40px " + face;
    context.fillText(text, 4, 40);
    return Array.from(context.getImageData(0, 0, 48, 48).data);
  };
  const a = draw("知"), b = draw("图");
  return {inked: a.some((v) => v > 0), same: a.every((v, i) => v === b[i])};
})()"""


def test_chinese_labels_are_drawn_as_chinese(loaded, seed_graph):
    labels = loaded.evaluate("nodes.get().map((n) => n.label)")
    assert sorted(labels) == sorted(d["label"] for _, d in seed_graph.nodes(data=True))
    assert sum(bool(re.search(r"[\u4e00-\u9fff]", label)) for label in labels) >= 0.9 * len(labels)
    assert loaded.evaluate(GLYPHS) == {"inked": True, "same": False}


def search_box(page: Page, text: str) -> None:
    page.click_element("#zt-search")
    page.evaluate("document.getElementById('zt-search').select()")
    page.type(text)
    page.press_enter()


def wait_until_still(page: Page) -> None:
    """Wait until the view has stopped moving for a second: a search glides to the node frame by frame."""
    view = "JSON.stringify([network.getViewPosition(), network.getScale()])"
    deadline, last, unchanged = time.monotonic() + 30, None, 0
    while unchanged < 3:  # readings 0.3 s apart; one frame of a busy machine can take longer
        if time.monotonic() > deadline:
            raise TimeoutError("the view kept moving for 30 s")
        time.sleep(0.3)
        now = page.evaluate(view)
        unchanged = unchanged + 1 if now == last else 0
        last = now


def offset_from_centre(page: Page, node: str) -> float:
    """How far (in pixels) the node is drawn from the middle of the window."""
    return page.evaluate(f"""(() => {{
      const p = network.canvasToDOM(network.getPositions([{js(node)}])[{js(node)}]);
      return Math.hypot(p.x - innerWidth / 2, p.y - innerHeight / 2);
    }})()""")


def searched(page: Page, G: nx.MultiDiGraph, text: str, wanted: str) -> None:
    """Search the box for ``text``; check that it found, selected, described and centred ``wanted``."""
    search_box(page, text)
    assert page.evaluate("network.getSelectedNodes()") == [wanted]
    label = G.nodes[wanted]["label"]
    assert label in page.evaluate("document.getElementById('zt-search-status').textContent")
    assert label in page.evaluate("document.getElementById('zt-evidence').textContent")
    wait_until_still(page)
    assert page.evaluate("network.getScale()") > 1
    assert offset_from_centre(page, wanted) < 8


@pytest.mark.parametrize("by", ["name", "alias"])
def test_search_selects_and_centres_the_node(page, seed_graph, by):
    if by == "name":
        text = "临清市科技局"
        wanted = node_id(seed_graph, text)
    else:
        text, wanted = uniquely_aliased(seed_graph)
    searched(page, seed_graph, text, wanted)


def test_searching_again_centres_the_next_node(page, seed_graph):
    searched(page, seed_graph, "临清市科技局", node_id(seed_graph, "临清市科技局"))
    searched(page, seed_graph, "临清市", node_id(seed_graph, "临清市"))


def test_unchecking_a_type_hides_its_nodes(page, seed_graph):
    hidden_type = "Person"
    people = {n for n, d in seed_graph.nodes(data=True) if d["type"] == hidden_type}
    assert people
    colour = TYPE_COLOURS[hidden_type]
    box = f'#zt-filters input[data-type="{hidden_type}"]'
    hidden = "nodes.get({filter: (n) => n.hidden}).map((n) => n.id)"
    centres = [c for c in page.evaluate(NODE_CENTRES) if c["type"] == hidden_type]
    assert page.evaluate(hidden) == []
    assert colour in drawn_colours(page, centres)

    page.click_element(box)
    assert page.evaluate(f"document.querySelector({js(box)}).checked") is False
    assert set(page.evaluate(hidden)) == people
    assert colour not in drawn_colours(page, centres)

    page.click_element(box)
    assert page.evaluate(hidden) == []


def test_date_range_hides_events_and_relations_dated_outside_it(page, seed_graph):
    events = {n: d["date"] for n, d in seed_graph.nodes(data=True) if d["type"] == "Event" and d["date"]}
    assert "2025-09-04" in events.values() and "2025-09-06" in events.values()
    hidden_nodes = "nodes.get({filter: (n) => n.hidden}).map((n) => n.id)"
    hidden_edges = "edges.get({filter: (e) => e.hidden}).length"
    page.evaluate('zt.setDateRange("2025-09-05", "2025-09-30")')
    assert set(page.evaluate(hidden_nodes)) == {n for n, d in events.items() if not "2025-09-05" <= d <= "2025-09-30"}
    assert page.evaluate(hidden_edges) == 0  # the one dated page is of 2025-09-11, inside
    page.evaluate('zt.setDateRange("2025-10-01", "")')
    assert page.evaluate(hidden_edges) > 0  # its relations now fall before the range
    page.evaluate('zt.setDateRange("", "")')
    assert page.evaluate(hidden_nodes) == [] and page.evaluate(hidden_edges) == 0


# An edge whose midpoint can be clicked: the edge is the one there, no node
# is, and the graph, not a panel over it, takes the click.
CLICKABLE_EDGE = """(() => {
  const positions = network.getPositions();
  for (const edge of edges.get()) {
    if (edge.smooth) continue;  // a curve does not pass through the midpoint
    const a = positions[edge.from], b = positions[edge.to];
    const p = network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
    const target = document.elementFromPoint(p.x, p.y);
    if (target && target.closest("#mynetwork") && network.getEdgeAt(p) === edge.id
        && network.getNodeAt(p) === undefined) return {id: edge.id, x: p.x, y: p.y};
  }
  return null;
})()"""


def test_clicking_an_edge_shows_its_evidence(page, seed_graph):
    edge = page.evaluate(CLICKABLE_EDGE)
    assert edge is not None
    page.click(edge["x"], edge["y"])
    clicked = page.evaluate(f"edges.get({js(edge['id'])})")
    u, v, predicate = clicked["from"], clicked["to"], clicked["predicate"]
    shown = page.evaluate("document.getElementById('zt-evidence').textContent")
    assert seed_graph.nodes[u]["label"] in shown and seed_graph.nodes[v]["label"] in shown
    assert predicate in shown
    evidence = seed_graph.edges[u, v, predicate]["evidence"]
    assert all(ev["sentence"] in shown for ev in evidence)
    assert page.evaluate("network.getSelectedEdges()") == [edge["id"]]


def test_same_page_draws_the_same_picture(chromium, seed_url, seed_graph):
    """Two loads of the page, each focused on one relation with its evidence shown."""
    person, body = node_id(seed_graph, "高世奎"), node_id(seed_graph, "临清市科技局")
    shots = []
    for _ in range(2):
        with Page(chromium, seed_url) as page:
            edge = page.evaluate(f"edges.getIds({{filter: (e) => e.from === {js(person)} "
                                 f"&& e.to === {js(body)} && e.predicate === 'holdsPosition'}})[0]")
            # typed into the box by script: a focused box would show a blinking caret
            page.evaluate("document.getElementById('zt-search').value = '临清市科技局';"
                          f"zt.search('临清市科技局'); zt.showEdge({js(edge)})")
            wait_until_still(page)
            shots.append(page.screenshot())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "graph.png").write_bytes(shots[0])
    assert shots[0][:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(shots[0][16:20], "big"), int.from_bytes(shots[0][20:24], "big")
    assert (width, height) == (WINDOW["width"], WINDOW["height"])
    assert shots[0] == shots[1]


def test_thousands_of_nodes_stabilise_and_stop(chromium, tmp_path):
    n = 3000
    # a preferential-attachment graph: a few hubs and many leaves, like the news
    links = [(u, v, "partOf", f"第{u}句。") for u, v in nx.barabasi_albert_graph(n, 2, seed=7).edges]
    path = tmp_path / "large.html"
    write_html(synthetic_graph([f"机构{i}" for i in range(n)], links), str(path))
    with Page(chromium, path.as_uri()) as page:  # the page stabilises within STABLE_SECONDS
        assert page.evaluate("nodes.length") == MAX_NODES
        assert page.evaluate("network.physics.physicsEnabled") is False
        assert page.evaluate("document.getElementById('zt-truncated').dataset.total") == str(n)
