"""Publication dates, dates in the text, and event dates."""
from zhitu.extract.dates import find_dates, publication_date


def test_masthead_date_even_with_a_page_number_stuck_to_it():
    assert publication_date("92025年9月11日 星期四 责任编辑 傅欣迎 第582期") == "2025-09-11"


def test_a_story_date_without_weekday_is_not_the_publication_date():
    assert publication_date("1984 年 9 月 22 日，首届孔子诞辰故里游开幕式举行") == ""


def test_dates_resolved_against_the_publication_date():
    text = "9月6日，分馆开馆。今年6月，去年12月，2025年6月8日，2021年7月。"
    got = [iso for _, _, iso in find_dates(text, "2025-09-11")]
    assert got == ["2025-09-06", "2025-06", "2024-12", "2025-06-08", "2021-07"]


def test_without_a_publication_date_only_dates_with_a_year_are_kept():
    text = "9月6日，分馆开馆。2025年6月8日签约。"
    assert [iso for _, _, iso in find_dates(text, "")] == ["2025-06-08"]


def test_invalid_dates_are_dropped():
    assert find_dates("2025年2月30日", "") == []


def test_event_takes_the_date_of_its_sentence(doc_from_text):
    doc = doc_from_text("92025年9月11日 星期四\n本报潍坊讯 9月6日，潍坊市奎文区图书馆新华新阅分馆开馆暨"
                        "“非遗传承 阅享成长”主题活动举行。\n")
    assert doc.date == "2025-09-11"
    events = {m.name: m.date for m in doc.mentions if m.type == "Event"}
    assert events and set(events.values()) == {"2025-09-06"}
    d = doc.dates[0]
    assert doc.page.text[d.start:d.end] == "9月6日"
