"""`zhitu extract`: the JSON Lines contract other pipelines rely on."""
import json
import subprocess
import sys

LINES = [
    "临清市科技局局长高世奎说，将持续优化服务。",
    "",
    "  □记者 张 蓓 报道",
    "位于寿光市的潍坊市华星医疗器械有限公司（以下简称“华星医疗”）与高校合作。",
]
TYPES = {"Company", "GovernmentBody", "Organization", "Person", "Place", "Programme", "Event"}


def run(*args, stdin=None):
    r = subprocess.run([sys.executable, "-m", "zhitu", "extract", *args], input=stdin,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def test_lines_mode_gives_one_object_per_line_with_offsets_into_the_line():
    records = run("--lines", "-", stdin="\n".join(LINES) + "\n")
    assert [r["line"] for r in records] == [1, 2, 3, 4]
    assert records[1]["entities"] == [] and records[1]["relations"] == []
    for record, line in zip(records, LINES):
        for e in record["entities"]:
            assert line[e["start"]:e["end"]] == e["text"]
            assert e["type"] in TYPES
    found = {(e["text"], e["type"]) for r in records for e in r["entities"]}
    assert ("高世奎", "Person") in found
    assert ("临清市科技局", "GovernmentBody") in found
    # a spaced-out byline name: the span covers the original characters, the name drops the space
    byline = next(e for e in records[2]["entities"] if e["type"] == "Person")
    assert byline["text"] == "张 蓓" and byline["name"] == "张蓓"
    roles = [(r["subject"], r["role"], r["object"]) for r in records[0]["relations"] if r["predicate"] == "holdsPosition"]
    assert roles == [("高世奎", "局长", "临清市科技局")]


def test_document_mode_offsets_are_into_the_file(tmp_path):
    path = tmp_path / "page.txt"
    text = "\n".join(LINES) + "\n"
    path.write_bytes(text.encode("gb18030"))
    (record,) = run(str(path))
    assert record["document"] == "page.txt"
    assert record["entities"]
    for e in record["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    short = [e for e in record["entities"] if e["text"] == "华星医疗"]
    assert short and all(e["name"] == "潍坊市华星医疗器械有限公司" for e in short)


def test_missing_file_is_a_one_line_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "zhitu", "extract", str(tmp_path / "nope.txt")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "cannot read" in r.stderr and "Traceback" not in r.stderr
