"""The Korean calendar a marketing post lives in: seasons and the days people plan around.

Public holidays come from the ``holidays`` package; the commercial days Korean shops
market around (빼빼로데이, 화이트데이, 복날…) and the college exam are computed here.
Pure functions: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays

from content.providers.base import Occasion

HOLIDAY = "holiday"
COMMERCIAL = "commercial"
EXAM = "exam"
SEASON = "season"

# (month, day) on or after which a season phrase starts, in calendar order.
_SEASON_STARTS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "한겨울"),
    (2, 11, "늦겨울"),
    (3, 1, "초봄"),
    (4, 1, "봄"),
    (5, 1, "늦봄"),
    (6, 1, "초여름"),
    (6, 21, "장마철"),
    (7, 26, "한여름"),
    (8, 16, "늦여름"),
    (9, 1, "초가을"),
    (9, 21, "가을"),
    (10, 21, "늦가을"),
    (11, 21, "초겨울"),
    (12, 16, "한겨울"),
)

# The holidays package's Korean names, shortened to what people say.
_HOLIDAY_NAMES = {"신정연휴": "신정", "기독탄신일": "크리스마스"}
# Eves, days after, substitute and one-off days, and elections are no occasion to market.
_SKIPPED_HOLIDAY_WORDS = ("전날", "다음날", "대체", "임시", "선거")

_FIXED_COMMERCIAL_DAYS: tuple[tuple[int, int, str, str], ...] = (
    (2, 14, "발렌타인데이", COMMERCIAL),
    (3, 2, "개강", SEASON),
    (3, 3, "삼겹살데이", COMMERCIAL),
    (3, 14, "화이트데이", COMMERCIAL),
    (4, 14, "블랙데이", COMMERCIAL),
    (5, 8, "어버이날", COMMERCIAL),
    (5, 15, "스승의날", COMMERCIAL),
    (9, 1, "개강", SEASON),
    (11, 11, "빼빼로데이", COMMERCIAL),
    (12, 24, "크리스마스이브", COMMERCIAL),
    (12, 31, "연말", COMMERCIAL),
)

_GYEONG = 6  # 庚, the seventh heavenly stem: 복날 fall on 庚 days


def season_for(day: dt.date) -> str:
    """The season as Koreans say it on ``day``, e.g. "늦가을" on 2026-11-05."""
    key = (day.month, day.day)
    phrase = _SEASON_STARTS[0][2]
    for month, first_day, name in _SEASON_STARTS:
        if key >= (month, first_day):
            phrase = name
    return phrase


def occasions_near(
    day: dt.date, *, days_ahead: int = 14, days_behind: int = 1
) -> tuple[Occasion, ...]:
    """Holidays, commercial days and the exam from ``days_behind`` before to
    ``days_ahead`` after ``day``, sorted by date, each once."""
    first = day - dt.timedelta(days=days_behind)
    last = day + dt.timedelta(days=days_ahead)
    years = range(first.year, last.year + 1)
    found = {
        (occasion.date, occasion.name): occasion
        for occasion in _occasions_in(years)
        if first <= occasion.date <= last
    }
    return tuple(sorted(found.values(), key=lambda occasion: (occasion.date, occasion.name)))


def _occasions_in(years: Iterable[int]) -> list[Occasion]:
    occasions: list[Occasion] = []
    for year in years:
        occasions += _public_holidays(year)
        occasions += _commercial_days(year)
        occasions += _boknal(year)
        occasions.append(Occasion("수능", college_exam_day(year), EXAM))
    return occasions


def _public_holidays(year: int) -> list[Occasion]:
    calendar = holidays.country_holidays("KR", years=year, language="ko")
    occasions = []
    for date, names in calendar.items():
        # Two holidays on one day come joined, e.g. "부처님오신날; 어린이날".
        for raw_name in names.split(";"):
            name = raw_name.strip()
            if name and not any(word in name for word in _SKIPPED_HOLIDAY_WORDS):
                occasions.append(Occasion(_HOLIDAY_NAMES.get(name, name), date, HOLIDAY))
    return occasions


def _commercial_days(year: int) -> list[Occasion]:
    return [
        Occasion(name, dt.date(year, month, day), kind)
        for month, day, name, kind in _FIXED_COMMERCIAL_DAYS
    ]


def college_exam_day(year: int) -> dt.date:
    """수능 day for ``year``."""
    # Approximation: the Thursday from Nov 13 to 19 (second or third Thursday; 2014–2026 but 2015).
    earliest = dt.date(year, 11, 13)
    return earliest + dt.timedelta(days=(3 - earliest.weekday()) % 7)


def _boknal(year: int) -> list[Occasion]:
    # Approximation: 하지 taken as June 21 and 입추 as August 7 (both drift by a day).
    first_gyeong = _next_gyeong_day(dt.date(year, 6, 21))
    chobok = first_gyeong + dt.timedelta(days=20)
    jungbok = chobok + dt.timedelta(days=10)
    malbok = _next_gyeong_day(dt.date(year, 8, 7))
    return [
        Occasion("초복", chobok, COMMERCIAL),
        Occasion("중복", jungbok, COMMERCIAL),
        Occasion("말복", malbok, COMMERCIAL),
    ]


def _next_gyeong_day(day: dt.date) -> dt.date:
    """The first 庚 day on or after ``day`` in the sixty-day cycle."""
    julian_day = day.toordinal() + 1_721_425
    stem = (julian_day + 49) % 10
    return day + dt.timedelta(days=(_GYEONG - stem) % 10)
