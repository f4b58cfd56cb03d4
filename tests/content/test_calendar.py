"""The Korean calendar: seasons, public holidays, commercial days and the exam."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from content.calendar import college_exam_day, occasions_near, season_for


def names(day: dt.date, **window: int) -> list[str]:
    return [occasion.name for occasion in occasions_near(day, **window)]


def occasion_named(name: str, day: dt.date, **window: int):
    return next(o for o in occasions_near(day, **window) if o.name == name)


@pytest.mark.parametrize(
    ("day", "season"),
    [
        (dt.date(2026, 1, 15), "한겨울"),
        (dt.date(2026, 2, 20), "늦겨울"),
        (dt.date(2026, 3, 10), "초봄"),
        (dt.date(2026, 4, 20), "봄"),
        (dt.date(2026, 5, 20), "늦봄"),
        (dt.date(2026, 7, 5), "장마철"),
        (dt.date(2026, 8, 1), "한여름"),
        (dt.date(2026, 8, 25), "늦여름"),
        (dt.date(2026, 9, 5), "초가을"),
        (dt.date(2026, 10, 5), "가을"),
        (dt.date(2026, 11, 5), "늦가을"),
        (dt.date(2026, 12, 1), "초겨울"),
        (dt.date(2026, 12, 25), "한겨울"),
    ],
)
def test_season_is_named_with_korean_nuance(day: dt.date, season: str):
    assert season_for(day) == season


def test_pepero_day_is_found_on_the_day():
    pepero = occasion_named("빼빼로데이", dt.date(2026, 11, 11))

    assert pepero.date == dt.date(2026, 11, 11)
    assert pepero.kind == "commercial"


def test_the_college_exam_is_found_a_week_ahead():
    exam = occasion_named("수능", dt.date(2026, 11, 12))

    assert exam.date == dt.date(2026, 11, 19)
    assert exam.kind == "exam"


@pytest.mark.parametrize(
    "exam_day",
    [dt.date(2021, 11, 18), dt.date(2023, 11, 16), dt.date(2024, 11, 14), dt.date(2025, 11, 13)],
)
def test_the_college_exam_falls_on_the_thursday_of_mid_november(exam_day: dt.date):
    assert college_exam_day(exam_day.year) == exam_day


def test_chuseok_2026_is_one_occasion_on_its_main_day():
    calendar = holidays.country_holidays("KR", years=2026, language="ko")
    package_days = sorted(day for day, name in calendar.items() if "추석" in name)

    found = [o for o in occasions_near(dt.date(2026, 9, 20)) if o.name == "추석"]

    assert package_days[:3] == [dt.date(2026, 9, 24), dt.date(2026, 9, 25), dt.date(2026, 9, 26)]
    assert [(o.date, o.kind) for o in found] == [(dt.date(2026, 9, 25), "holiday")]


def test_seollal_is_one_occasion_and_eves_and_substitute_days_are_left_out():
    found = names(dt.date(2027, 2, 1), days_ahead=14)

    assert found.count("설날") == 1
    assert not any("전날" in name or "다음날" in name or "대체" in name for name in found)


def test_parents_day_is_added_though_it_is_not_a_public_holiday():
    parents_day = occasion_named("어버이날", dt.date(2026, 5, 1))

    assert parents_day.date == dt.date(2026, 5, 8)
    assert parents_day.kind == "commercial"


def test_two_holidays_on_one_day_are_both_found():
    found = names(dt.date(2025, 5, 5), days_ahead=0, days_behind=0)

    assert {"어린이날", "부처님오신날"} <= set(found)


def test_christmas_has_its_everyday_name_and_the_year_end_follows():
    found = names(dt.date(2026, 12, 20))

    assert found[:3] == ["크리스마스이브", "크리스마스", "연말"]


def test_the_window_crosses_into_the_next_year():
    found = occasions_near(dt.date(2026, 12, 30), days_ahead=3)

    assert [(o.name, o.date) for o in found] == [
        ("연말", dt.date(2026, 12, 31)),
        ("신정", dt.date(2027, 1, 1)),
    ]


def test_occasions_are_sorted_by_date_and_each_found_once():
    found = occasions_near(dt.date(2026, 5, 1), days_ahead=30)

    assert [o.date for o in found] == sorted(o.date for o in found)
    assert len({(o.name, o.date) for o in found}) == len(found)


def test_the_window_includes_yesterday_but_not_further_back():
    found = names(dt.date(2026, 2, 15), days_ahead=0, days_behind=1)

    assert found == ["발렌타인데이"]


def test_boknal_match_the_published_2025_dates():
    found = occasions_near(dt.date(2025, 7, 15), days_ahead=30, days_behind=0)

    boknal = {o.name: o.date for o in found if o.name.endswith("복")}

    assert boknal == {
        "초복": dt.date(2025, 7, 20),
        "중복": dt.date(2025, 7, 30),
        "말복": dt.date(2025, 8, 9),
    }
