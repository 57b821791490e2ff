"""jieba's dictionary as the extractor reads it: searched in its text at first, parsed once looked up often."""
import os

import jieba
import pytest

from zhitu.extract.lexicon import JiebaDictionary, _jieba_dictionary_lines, jieba_dictionary


def small_dictionary() -> JiebaDictionary:
    return JiebaDictionary({"山": "\n山东 900 ns\n山东大学 300 nt\n山 50 n", "中": "\n中国 1000 ns"})


def test_words_are_found_before_and_after_their_block_is_parsed():
    d = small_dictionary()
    asked = ["山东大学", "山东", "山", "山东省", "山东大"]
    want = [(300, "nt"), (900, "ns"), (50, "n"), None, None]
    searched = [d.get(w) for w in asked]
    assert "山" not in d._parsed  # (fewer lookups than PARSE_AFTER: the block is still text)
    for _ in range(JiebaDictionary.PARSE_AFTER):
        d.get("山东")
    assert "山" in d._parsed
    assert searched == want == [d.get(w) for w in asked]


def test_a_search_never_takes_part_of_a_line_for_a_word():
    d = small_dictionary()
    assert d.get("山东 900") is None  # a space in the asked word would otherwise match a line's frequency
    assert d.get("东大学") is None and d.get("") is None and d.get("天") is None
    assert "中国" in d and "中" not in d
    assert d.get("中华", "none") == "none"
    with pytest.raises(KeyError):
        d["中华"]


def test_the_real_dictionary_gives_what_jieba_reads_from_its_file():
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    expected = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, freq, tag = line.split()[:3]
            expected[word] = (int(freq), tag)  # a word listed twice: its last line
    sample = list(expected)[::997] + ["山东大学", "潍坊", "人社局"]
    fresh = JiebaDictionary(_jieba_dictionary_lines())
    assert [fresh.get(w) for w in sample] == [expected.get(w) for w in sample]  # searched
    assert dict(fresh.items()) == expected  # parsed
    assert [jieba_dictionary().get(w) for w in sample] == [expected.get(w) for w in sample]
