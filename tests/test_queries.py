"""Every example query in queries/ answers its question on the graph of the seed pages.

Expected answers are facts of the seed pages (who said what in which sentence),
not row counts read off the output; counts are checked against the NetworkX
graph the Turtle was written from.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from zhitu.graph import build as B
from zhitu.graph.export.turtle import write_turtle
from zhitu.graph.query import Table, load_store, run_query

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
ZT = "https://w3id.org/zhitu/ontology#"


def _test_of(query: Path) -> str:
    return "test_" + query.stem.replace("-", "_")


def test_every_query_file_has_a_test():
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 10
    assert [f.name for f in files if _test_of(f) not in globals()] == []


@pytest.fixture(scope="module")
def answer(seed_graph, tmp_path_factory):
    """The answer to a query of queries/ on the seed graph: rows as {variable: value} for SELECT."""
    path = tmp_path_factory.mktemp("seed-graph") / "graph.ttl"
    write_turtle(seed_graph, str(path))
    store = load_store(path)

    def run(file_name: str):
        result = run_query(store, (QUERIES / file_name).read_text(encoding="utf-8"))
        if isinstance(result, Table):
            return [{v: term.value for v, term in zip(result.variables, row) if term is not None}
                    for row in result.rows]
        return result

    return run


@pytest.fixture(scope="module")
def seed_texts(seed_paths) -> dict[str, str]:
    """Each seed page's text by file name, whitespace removed (OCR lines break words)."""
    return {Path(p).name: re.sub(r"\s", "", Path(p).read_text(encoding="utf-8")) for p in seed_paths}


def test_positions(answer):
    rows = answer("positions.rq")
    posts = {(r["person"], r.get("role"), r["body"]) for r in rows}
    assert ("高世奎", "局长", "临清市科技局") in posts
    assert ("王燕", "负责人", "寿光市科技局合作科") in posts
    said = next(r["sentence"] for r in rows if r["person"] == "高世奎")
    assert "临清市科技局局长高世奎" in said


def test_company_university_cooperation(answer):
    pairs = {(r["company"], r["partner"]) for r in answer("company-university-cooperation.rq")}
    assert ("山东恒发卫生用品有限公司", "北京科技大学") in pairs
    assert all("大学" in partner or "学院" in partner for _, partner in pairs)
    # 潍坊市总工会 works with 山东科技职业学院 but is a trade union, not a company
    assert "潍坊市总工会" not in {company for company, _ in pairs}


def test_bureau_programmes(answer):
    rows = answer("bureau-programmes.rq")
    assert any(r["bureau"] == "寿光市科技局" and "科技红娘" in r["programme"] for r in rows)
    assert {"bureau": "莘县行政审批服务局", "programme": "“店小二”式服务"} in rows
    assert all(r["bureau"].endswith("局") for r in rows)


def test_located_in_shouguang(answer):
    where = {r["name"]: r["place"] for r in answer("located-in-shouguang.rq")}
    assert where["潍坊市华星医疗器械有限公司"] == "寿光市"
    # located in 圣城街道, which lies in 寿光市: found only through the partOf path
    assert where["山东环球软件股份有限公司"] == "圣城街道"
    assert "山东恒发卫生用品有限公司" not in where  # in 临清市


def test_evidence_for_a_relation(answer, seed_paths):
    [row] = answer("evidence-for-a-relation.rq")
    assert "恒发卫生用品有限公司与北京科技大学" in row["sentence"]
    assert row["rule"].startswith("cooperation")
    # the offsets point at the sentence in the original file (before full-width normalisation)
    original = Path(next(p for p in seed_paths if Path(p).name == row["file"])).read_text(encoding="utf-8")
    quoted = original[int(row["start"]):int(row["end"])]

    def plain(text: str) -> str:
        return unicodedata.normalize("NFKC", re.sub(r"\s", "", text))

    assert plain(quoted) == plain(row["sentence"])


def test_most_mentioned(answer, seed_graph, seed_texts):
    rows = answer("most-mentioned.rq")
    pages = Counter(n for ids in seed_graph.graph["mentioned"].values() for n in set(ids))
    expected = Counter(seed_graph.nodes[n][B.LABEL] for n, count in pages.items() if count > 1)
    assert Counter(r["name"] for r in rows) == expected
    by_name = {r["name"]: int(r["pages"]) for r in rows}
    assert by_name["山东省"] == len(seed_texts) == sum("山东" in t for t in seed_texts.values())
    assert [int(r["pages"]) for r in rows] == sorted((int(r["pages"]) for r in rows), reverse=True)


def test_people_of_a_body(answer):
    people = {(r["person"], r.get("role"), r["unit"]) for r in answer("people-of-a-body.rq")}
    assert ("王燕", "负责人", "寿光市科技局合作科") in people
    assert ("刘文国", "负责人", "寿光市科技局规划科") in people
    assert all(unit.startswith("寿光市科技局") for _, _, unit in people)


def test_events_and_places(answer):
    rows = answer("events-and-places.rq")
    assert {"event": "2022中国（曲阜）国际孔子文化节", "place": "曲阜市"} in rows
    assert {"event": "中国（济宁）先进碳材料产业发展高峰论坛", "place": "嘉祥县"} in rows
    # events without a stated place are listed too (OPTIONAL)
    assert any(r["event"] == "第八届尼山世界文明论坛" for r in rows)


def test_sub_organisations(answer):
    pairs = {(r["unit"], r["parent"]) for r in answer("sub-organisations.rq")}
    assert ("高密市政府办公室", "高密市政府") in pairs
    # two levels down: a section of the office
    assert ("高密市政府办公室营商环境建设科", "高密市政府办公室") in pairs


def test_aliases(answer, seed_texts):
    rows = answer("aliases.rq")
    assert {r["name"] for r in rows} == {"济宁市工业和信息化局"}
    aliases = {r["alias"] for r in rows}
    assert "市工信局" in aliases
    page = seed_texts["004_997de938dbf79ec5.txt"]  # the 济宁日报 page
    assert all(alias in page for alias in aliases)


def test_relations_by_rule(answer):
    rows = answer("relations-by-rule.rq")
    assert {r["relation"] for r in rows} == {ZT + "locatedIn"}
    hua_xing = next(r for r in rows if r["subject"] == "潍坊市华星医疗器械有限公司")
    assert hua_xing["object"] == "寿光市"
    assert "位于寿光市的潍坊市华星医疗器械有限公司" in hua_xing["sentence"]


def test_entities_per_type(answer, seed_graph):
    counts = {r["type"].removeprefix(ZT): int(r["entities"]) for r in answer("entities-per-type.rq")}
    assert counts == Counter(data[B.TYPE] for _, data in seed_graph.nodes(data=True))


def test_ask_holds_position(answer):
    assert answer("ask-holds-position.rq") is True


def test_construct_schema_org(answer):
    triples = answer("construct-schema-org.rq")
    schema = "https://schema.org/"
    name = {t.subject: t.object.value for t in triples if t.predicate.value == schema + "name"}
    works_for = {(name[t.subject], name[t.object]) for t in triples if t.predicate.value == schema + "worksFor"}
    assert ("高世奎", "临清市科技局") in works_for
    assert ("刘东利", "济宁市人力资源社会保障局") in works_for


def test_events_between_dates(answer):
    rows = answer("events-between-dates.rq")
    # 本报潍坊讯 of 2025年9月11日: 9月4日 the 研讨会暨小米大赛, 9月6日 the 分馆开馆暨主题活动
    events = {(r["date"], r["what"]) for r in rows if r["detail"] == "event"}
    assert ("2025-09-04", "2025年全省谷子产业高质量发展研讨会") in events
    assert ("2025-09-06", "“非遗传承 阅享成长”主题活动") in events
    assert all("2025-09-01" <= date <= "2025-09-10" for date, _ in events)
    # the page itself is of 9月11日, outside the range: none of its statements is listed
    assert not [r for r in rows if r["detail"] == "stated"]
