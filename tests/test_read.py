"""Reading input: encodings, empty and binary files, folders."""
import pytest

from zhitu.extract.read import InputError, decode, find_pages, read_page

TEXT = "潍坊市华星医疗器械有限公司位于寿光市。"


def test_utf8_and_gb18030_decode_to_the_same_text(tmp_path):
    u = tmp_path / "u.txt"
    g = tmp_path / "g.txt"
    u.write_bytes(TEXT.encode("utf-8"))
    g.write_bytes(TEXT.encode("gb18030"))
    assert read_page(str(u)).text == TEXT
    page = read_page(str(g))
    assert page.text == TEXT and page.encoding == "gb18030"


def test_byte_order_mark_is_not_text(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert read_page(str(p)).text == TEXT


def test_empty_file_reads_as_none(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("  \n\n", encoding="utf-8")
    assert read_page(str(p)) is None


def test_binary_file_is_refused_with_its_name():
    with pytest.raises(InputError, match="pic.png: not a text file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "pic.png")


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        find_pages([str(tmp_path / "nope")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .txt files"):
        find_pages([str(tmp_path / "empty")])


def test_folders_are_walked_sorted_and_deduplicated(tmp_path):
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text(TEXT, encoding="utf-8")
    found = find_pages([str(tmp_path), str(tmp_path / "a.txt")])
    assert [p.rsplit("/", 1)[-1] for p in found] == ["a.txt", "b.txt", "c.txt"]
