import datetime as dt

import pytest

from analytics.ladder import next_rung

PUBLISHED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("age", "rung"),
    [
        (dt.timedelta(0), HOUR),
        (dt.timedelta(minutes=59), HOUR),
        (HOUR, 2 * HOUR),
        (23 * HOUR + dt.timedelta(minutes=30), DAY),
        (DAY, DAY + 6 * HOUR),
        (6 * DAY + 20 * HOUR, 7 * DAY),
        (7 * DAY, 8 * DAY),
        (29 * DAY + HOUR, 30 * DAY),
    ],
)
def test_the_ladder_is_hourly_then_six_hourly_then_daily(age, rung):
    assert next_rung(PUBLISHED, PUBLISHED + age) == PUBLISHED + rung


def test_the_ladder_ends_at_day_30():
    assert next_rung(PUBLISHED, PUBLISHED + 30 * DAY) is None
    assert next_rung(PUBLISHED, PUBLISHED + 90 * DAY) is None


def test_a_late_collection_does_not_shift_the_rungs_after_it():
    assert next_rung(PUBLISHED, PUBLISHED + 3 * HOUR + dt.timedelta(minutes=47)) == (
        PUBLISHED + 4 * HOUR
    )


def test_a_clock_behind_the_publishing_time_waits_for_the_first_rung():
    assert next_rung(PUBLISHED, PUBLISHED - HOUR) == PUBLISHED + HOUR
