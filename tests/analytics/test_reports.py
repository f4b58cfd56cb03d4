"""The weekly report: due at Monday 09:00 on each business's own clock (summer time
included), made and e-mailed once per business and week, with its charts inline and a
Korean PDF attached; the command that writes it to a folder; the pages that list past
reports and switch the e-mail off."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from analytics import reports
from analytics.models import WeeklyReport
from core import queue
from marketing.models import Business, Membership
from tests.conftest import Tenant
from tests.factories import ContentPieceFactory, measured_post

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
HANGUL = "주간 리포트"


def test_the_week_due_turns_at_monday_nine_on_the_shops_clock():
    before = dt.datetime(2026, 12, 7, 8, 59, tzinfo=SEOUL)  # Monday of W50
    at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=SEOUL)

    assert reports.due_week("Asia/Seoul", before) == "2026-W48"
    assert reports.due_week("Asia/Seoul", at) == "2026-W49"
    # The same instant is still Sunday evening in New York.
    assert reports.due_week("America/New_York", at) == "2026-W48"


@pytest.mark.parametrize("bad", ["2026-49", "W49", "2026-W54", "2026-W00"])
def test_a_badly_written_week_is_refused_in_words(bad):
    with pytest.raises(reports.ReportError, match="주"):
        reports.week_start(bad)


def _week_of_posts(business: Business, monday: dt.date, zone: ZoneInfo) -> None:
    for day, reach in ((0, 300), (2, 500), (5, 900)):
        published = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(19), tzinfo=zone)
        measured_post(business, published_at=published, reach=reach)


def test_each_business_gets_one_email_a_week_at_nine_local_across_summer_time(
    alice: Tenant, bob: Tenant, monkeypatch, django_capture_on_commit_callbacks
):
    """The clock runs every ten minutes from 2026-10-24 to 2026-11-10, across two Mondays
    and New York's return to standard time (Sunday 2026-11-01): each shop gets exactly
    one e-mail per week, at 09:00 on its own clock both before and after the change."""
    Business.objects.filter(pk=alice.business.pk).update(time_zone="America/New_York")
    alice.business.refresh_from_db()
    for monday in (dt.date(2026, 10, 19), dt.date(2026, 10, 26), dt.date(2026, 11, 2)):
        _week_of_posts(alice.business, monday, NEW_YORK)
        _week_of_posts(bob.business, monday, SEOUL)
    clock = {"now": dt.datetime(2026, 10, 24, tzinfo=dt.UTC)}
    sends: list[tuple[int, dt.datetime]] = []

    def send_now(name, *args, countdown=None):
        assert name == "analytics.tasks.send_weekly_report"
        if reports.send(args[0], now=clock["now"]):
            sends.append((args[0], clock["now"]))

    monkeypatch.setattr(queue, "send", send_now)
    while clock["now"] < dt.datetime(2026, 11, 10, tzinfo=dt.UTC):
        with django_capture_on_commit_callbacks(execute=True):
            reports.dispatch_due(clock["now"])
        clock["now"] += dt.timedelta(minutes=10)

    sent = WeeklyReport.objects.order_by("business_id", "week")
    assert [(r.business_id, r.week) for r in sent] == [
        (alice.business.pk, "2026-W43"),
        (alice.business.pk, "2026-W44"),
        (alice.business.pk, "2026-W45"),
        (bob.business.pk, "2026-W43"),
        (bob.business.pk, "2026-W44"),
        (bob.business.pk, "2026-W45"),
    ]
    assert len(sends) == 6 and len(mail.outbox) == 6
    for report in sent:
        zone = NEW_YORK if report.business_id == alice.business.pk else SEOUL
        local = report.sent_at.astimezone(zone)
        assert local.weekday() == 0 and (local.hour, local.minute) == (9, 0), local
    new_york = [r.sent_at for r in sent if r.business_id == alice.business.pk]
    # 09:00 EDT is 13:00 UTC (10-26); after the change 09:00 EST is 14:00 UTC (11-02, 11-09).
    assert [t.astimezone(dt.UTC).hour for t in new_york] == [13, 14, 14]


def test_a_report_is_sent_once_even_when_two_runs_race(alice: Tenant):
    _week_of_posts(alice.business, dt.date(2026, 11, 23), SEOUL)
    row = WeeklyReport.objects.create(
        business=alice.business, week="2026-W48", starts_on=dt.date(2026, 11, 23)
    )
    now = dt.datetime(2026, 11, 30, 9, 5, tzinfo=SEOUL)

    assert reports.send(row.pk, now=now) is True
    assert reports.send(row.pk, now=now) is False  # sent
    assert len(mail.outbox) == 1


def test_a_held_claim_stops_a_second_sender_until_it_is_stale(alice: Tenant):
    row = WeeklyReport.objects.create(
        business=alice.business, week="2026-W48", starts_on=dt.date(2026, 11, 23)
    )
    now = dt.datetime(2026, 11, 30, 9, 5, tzinfo=SEOUL)
    WeeklyReport.objects.filter(pk=row.pk).update(claimed_at=now)

    assert reports.send(row.pk, now=now + dt.timedelta(minutes=5)) is False
    assert reports.send(row.pk, now=now + dt.timedelta(minutes=20)) is True


def test_a_failed_send_lets_go_of_the_claim_and_is_tried_again(
    alice: Tenant, monkeypatch, sent, django_capture_on_commit_callbacks
):
    _week_of_posts(alice.business, dt.date(2026, 11, 23), SEOUL)
    row = WeeklyReport.objects.create(
        business=alice.business, week="2026-W48", starts_on=dt.date(2026, 11, 23)
    )
    now = dt.datetime(2026, 11, 30, 9, 5, tzinfo=SEOUL)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(reports._RelatedEmail, "send", refuse)
    with pytest.raises(ConnectionRefusedError):
        reports.send(row.pk, now=now)
    row.refresh_from_db()
    assert row.claimed_at is None and row.sent_at is None

    with django_capture_on_commit_callbacks(execute=True):
        reports.dispatch_due(now + dt.timedelta(minutes=10))
    assert sent == [("analytics.tasks.send_weekly_report", (row.pk,))]
    with django_capture_on_commit_callbacks(execute=True):
        reports.dispatch_due(now + dt.timedelta(days=3))  # too late to send a week's report
    assert len(sent) == 1


def test_the_email_carries_its_charts_inline_and_a_korean_pdf(alice: Tenant):
    _week_of_posts(alice.business, dt.date(2026, 11, 23), SEOUL)
    _week_of_posts(alice.business, dt.date(2026, 11, 16), SEOUL)
    ContentPieceFactory(
        business=alice.business,
        title="다음 주 소금빵 이야기",
        planned_for=dt.datetime(2026, 12, 2, 11, tzinfo=SEOUL),
    )
    row = WeeklyReport.objects.create(
        business=alice.business, week="2026-W48", starts_on=dt.date(2026, 11, 23)
    )

    reports.send(row.pk, now=dt.datetime(2026, 11, 30, 9, 5, tzinfo=SEOUL))

    (message,) = mail.outbox
    assert message.to == ["alice@example.com"] and HANGUL in message.subject
    raw = message.message()
    images = [p for p in raw.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 3 and {p["Content-ID"] for p in images} == {
        "<chart-1>",
        "<chart-2>",
        "<chart-3>",
    }
    html = next(p for p in raw.walk() if p.get_content_type() == "text/html")
    assert 'src="cid:chart-3"' in html.get_payload(decode=True).decode()
    (name, pdf, kind) = message.attachments[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert kind == "application/pdf" and name == "gagecast-2026-W48.pdf"
    assert HANGUL in text and "배운 점" in text and "다음 주 소금빵 이야기" in text
    row.refresh_from_db()
    assert row.sent_to == ["alice@example.com"] and row.pdf and "<svg" in row.html
    assert row.summary["measured"] == 3


def test_a_shop_that_turned_the_email_off_gets_its_report_listed_but_no_email(
    alice: Tenant, monkeypatch, django_capture_on_commit_callbacks
):
    _week_of_posts(alice.business, dt.date(2026, 11, 23), SEOUL)
    Business.objects.filter(pk=alice.business.pk).update(weekly_report=False)
    now = dt.datetime(2026, 11, 30, 9, 5, tzinfo=SEOUL)
    monkeypatch.setattr(queue, "send", lambda name, pk, countdown=None: reports.send(pk, now=now))

    with django_capture_on_commit_callbacks(execute=True):
        assert reports.dispatch_due(now) == 1

    (row,) = WeeklyReport.objects.all()
    assert row.sent_at is not None and row.sent_to == [] and row.pdf and not mail.outbox


def test_a_report_that_came_due_days_ago_is_not_sent_late(alice: Tenant, sent):
    """A week that was quiet on Monday and got a plan on Wednesday sends nothing then."""
    _week_of_posts(alice.business, dt.date(2026, 11, 23), SEOUL)

    assert reports.dispatch_due(dt.datetime(2026, 12, 2, 15, tzinfo=SEOUL)) == 0
    assert not WeeklyReport.objects.exists()


def test_a_quiet_week_sends_nothing(alice: Tenant, sent):
    assert reports.dispatch_due(dt.datetime(2026, 11, 30, 9, 5, tzinfo=SEOUL)) == 0


def test_the_command_writes_html_pdf_and_charts(alice: Tenant, tmp_path: Path):
    _week_of_posts(alice.business, dt.date(2026, 11, 23), SEOUL)
    _week_of_posts(alice.business, dt.date(2026, 11, 16), SEOUL)
    out = io.StringIO()

    call_command(
        "weekly_report",
        "--business",
        str(alice.business.pk),
        "--week",
        "2026-W48",
        "--out",
        str(tmp_path),
        stdout=out,
    )

    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and HANGUL in html
    assert sorted(p.name for p in tmp_path.glob("chart-*")) == [
        "chart-1.png", "chart-1.svg", "chart-2.png", "chart-2.svg", "chart-3.png", "chart-3.svg",
    ]  # fmt: skip
    text = PdfReader(tmp_path / "report.pdf").pages[0].extract_text()
    assert "앨리스 베이커리" in text and "본 사람" in text
    with pytest.raises(CommandError, match="999999"):
        call_command("weekly_report", "--business", "999999", "--out", str(tmp_path))


def test_a_bad_week_on_the_command_line_says_how_to_write_it(alice: Tenant, tmp_path):
    with pytest.raises(CommandError, match="2026-W49"):
        call_command(
            "weekly_report", "--business", str(alice.business.pk), "--week", "49",
            "--out", str(tmp_path),
        )  # fmt: skip


def _sent_report(tenant: Tenant) -> WeeklyReport:
    _week_of_posts(tenant.business, dt.date(2026, 11, 23), SEOUL)
    row = WeeklyReport.objects.create(
        business=tenant.business, week="2026-W48", starts_on=dt.date(2026, 11, 23)
    )
    reports.send(row.pk, now=dt.datetime(2026, 11, 30, 9, 5, tzinfo=SEOUL))
    return row


def test_past_reports_are_listed_and_open_as_sent_with_their_pdf(alice: Tenant, bob: Tenant):
    row = _sent_report(alice)
    client = alice.client()
    base = f"/app/businesses/{alice.business.pk}/reports/"

    listing = client.get(base).content.decode()
    page = client.get(f"{base}2026-W48/").content.decode()
    pdf = client.get(f"{base}2026-W48/pdf/")

    assert "2026년 11월 23일~11월 29일" in listing and f"{base}2026-W48/pdf/" in listing
    assert "<svg" in page and "배운 점" in page
    assert (
        pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    )
    assert bob.client().get(f"{base}2026-W48/").status_code == 404
    assert row.week == "2026-W48"


def test_the_owner_turns_the_email_off_and_staff_may_not(alice: Tenant, charlie: Tenant):
    url = f"/app/businesses/{alice.business.pk}/reports/switch/"

    charlie.client().post(url, {})
    alice.business.refresh_from_db()
    assert alice.business.weekly_report is True

    response = alice.client().post(url, {}, follow=True)
    alice.business.refresh_from_db()
    assert alice.business.weekly_report is False
    assert "주간 리포트 메일을 껐어요" in response.content.decode()
    assert Membership.objects.get(user=charlie.user).role == Membership.Role.STAFF
