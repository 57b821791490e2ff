"""Curation files: parsing, one-line errors with file and line, and their effect on a page."""
import pytest

from zhitu.extract.read import InputError
from zhitu.graph.curation import apply_curation, load_curation

PAGE = ("本报潍坊讯 寿光市科技局“科技红娘”主动上门服务。“这是我们的职责。”寿光市科技局合作科负责人王燕说。"
        "位于寿光市的潍坊市华星医疗器械有限公司（以下简称“华星医疗”）主营医疗器械。\n")


def write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def keys(doc):
    return {(m.name, m.type) for m in doc.mentions}


def test_missing_folder_is_empty(tmp_path):
    assert not load_curation(str(tmp_path / "none"))


def test_bad_line_names_file_and_line(tmp_path):
    cur = tmp_path / "curation"
    write(cur, "aliases.tsv", "# surface\tcanonical\n华星医疗\t潍坊市华星医疗器械有限公司\n只有一列\n")
    with pytest.raises(InputError, match=r"aliases.tsv:3: expected 2 field"):
        load_curation(str(cur))


def test_unknown_type_is_an_error(tmp_path):
    cur = tmp_path / "curation"
    write(cur, "types.tsv", "寿光市科技局\tBureau\n")
    with pytest.raises(InputError, match=r"types.tsv:1: unknown type 'Bureau'"):
        load_curation(str(cur))


def test_each_kind_changes_the_page_as_it_says(tmp_path, doc_from_text):
    cur = tmp_path / "curation"
    write(cur, "aliases.tsv", "科技红娘\t寿光市科技局科技红娘服务\n")
    write(cur, "types.tsv", "寿光市科技局合作科  Organization   # a unit we count as an organisation\n")
    write(cur, "blocklist.txt", "王燕\n")
    write(cur, "merges.tsv", "寿光市\t寿光\n潍坊市华星医疗器械有限公司\t华星医疗器械公司\n")
    c = load_curation(str(cur))
    doc = doc_from_text(PAGE)
    assert ("王燕", "Person") in keys(doc)
    out = apply_curation(doc, c)
    got = keys(out)
    assert ("王燕", "Person") not in got
    assert not any("王燕" in (r.subject[0], r.object[0]) for r in out.relations)
    assert ("寿光市科技局合作科", "Organization") in got
    # the original page is untouched
    assert ("寿光市科技局合作科", "GovernmentBody") in keys(doc)
    stale = [e.where for e in c.stale()]
    # 科技红娘 never stands alone as a surface form here (it is quoted with its ending), and
    # no page says 华星医疗器械公司: both are stale, the others matched
    assert "merges.tsv:2" in stale
    assert "blocklist.txt:1" not in stale and "types.tsv:1" not in stale


def test_alias_maps_a_surface_form(tmp_path, doc_from_text):
    cur = tmp_path / "curation"
    write(cur, "aliases.tsv", "华星医疗\t华星医疗器械\n")
    out = apply_curation(doc_from_text(PAGE), load_curation(str(cur)))
    renamed = {m.name for m in out.mentions if m.text == "华星医疗"}
    assert renamed == {"华星医疗器械"}


def test_split_scope_only_for_the_listed_pages(tmp_path):
    cur = tmp_path / "curation"
    write(cur, "splits.tsv", "张明瑞\ta.txt\tb.txt\n")
    c = load_curation(str(cur))
    assert c.split_scope("张明瑞", "a.txt") == c.split_scope("张明瑞", "b.txt") != ""
    assert c.split_scope("张明瑞", "c.txt") == ""
    assert not c.stale()
