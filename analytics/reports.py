"""The weekly report: last week's results, what was learned and next week's plan, sent by
e-mail every Monday at 09:00 in the business's own zone, with the charts inline and a PDF
attached, and kept on the reports page.

A report covers one ISO week (Monday to Sunday, local). Beat runs ``dispatch_due`` every
few minutes; for each business that wants the report, the week due is the one that ended
before the last Monday 09:00 on its own clock (so Seoul, New York and a zone moving to or
from summer time each get theirs at their 09:00), and a ``WeeklyReport`` row is created
for it once: (business, week) is unique. ``send`` claims the row with a conditional
UPDATE before it sends, so two runs never both send; a failed send releases the claim
and the next run tries again.

The same chart code draws the dashboard (``analytics.result_charts``); the e-mail embeds
the charts as PNG (mail clients drop SVG), the page and ``report.html`` as SVG, and the
PDF (fpdf2, pure Python) as PNG beside NanumGothic, embedded so Hangul never turns into
boxes.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from email.mime.image import MIMEImage
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image

from analytics import charts
from analytics.models import WeeklyReport
from analytics.result_charts import channel_chart, compare_chart, heat_chart
from analytics.results import Results, channels_posted, results_for, usage_for
from analytics.selectors import learned_for
from content.channels import Channel
from content.creative.fonts import font_path
from content.models import ContentPiece
from core import queue
from marketing.models import Business
from publishing.models import Publication
from publishing.notify import absolute, recipients_for

logger = logging.getLogger(__name__)
logging.getLogger("fontTools").setLevel(logging.ERROR)  # fpdf2 subsetting chatter

SEND_HOUR = 9  # local time on Monday
CLAIM_S = 15 * 60  # a claim older than this was lost with its worker: send again
RETRY_FOR = dt.timedelta(days=2)  # an unsent report is retried this long after its Monday
WEEK = re.compile(r"(\d{4})-W(\d{2})")


class ReportError(ValueError):
    """A week or a business that cannot be reported on, in words for the command line."""


def week_name(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(name: str) -> dt.date:
    """The Monday of an ISO week written ``2026-W49``."""
    match = WEEK.fullmatch(name.strip())
    if not match:
        raise ReportError(
            _("주는 2026-W49처럼 연도-W주차로 적어 주세요: %(week)s") % {"week": name}
        )
    try:
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise ReportError(_("그런 주는 없어요: %(week)s") % {"week": name}) from exc


def due_at(week: str, time_zone: str) -> dt.datetime:
    """When ``week``'s report is due: the Monday after it, 09:00 on the shop's clock."""
    monday = week_start(week) + dt.timedelta(days=7)
    return dt.datetime.combine(monday, dt.time(SEND_HOUR), tzinfo=ZoneInfo(time_zone))


def due_week(time_zone: str, now: dt.datetime) -> str:
    """The week whose report is due at ``now`` on the business's clock: the week that
    ended before the latest Monday 09:00 there. Wall-clock arithmetic on the aware local
    time keeps 09:00 at 09:00 across a change to or from summer time."""
    local = timezone.localtime(now, ZoneInfo(time_zone))
    shifted = local - dt.timedelta(hours=SEND_HOUR)  # Monday 09:00 becomes Monday 00:00
    return week_name(shifted.date() - dt.timedelta(days=7))


# --- What a report says ---------------------------------------------------------------


@dataclass
class Report:
    business: Business
    week: str
    start: dt.date  # Monday, local
    week_results: Results  # the week against the week before
    month_results: Results  # the four weeks up to its end (the heatmap needs them)
    learned: list[dict[str, Any]]
    plan: list[dict[str, Any]]  # next week's posts, local time
    usage: Any
    charts: list[charts.Chart]

    @property
    def end(self) -> dt.date:  # Sunday, local
        return self.start + dt.timedelta(days=6)

    @property
    def title(self) -> str:
        return _("%(shop)s 주간 리포트 · %(start)s–%(end)s") % {
            "shop": self.business.name,
            "start": f"{self.start.month}/{self.start.day}",
            "end": f"{self.end.month}/{self.end.day}",
        }

    def summary(self) -> dict[str, Any]:
        """Small numbers kept on the row for the list of past reports."""
        return {
            "headlines": [
                {"key": h.key, "label": str(h.label), "value": h.value, "words": words}
                for h, words in self.headlines
            ],
            "measured": self.week_results.measured,
            "planned": len(self.plan),
        }

    @property
    def headlines(self) -> list[tuple[Any, str]]:
        return [(h, self.week_results.words(h)) for h in self.week_results.headlines]


def build(business: Business, week: str, *, png: bool = False) -> Report:
    """Everything the report shows for ``week`` (a past week of the business's clock)."""
    start = week_start(week)
    zone = ZoneInfo(business.time_zone)
    sunday_noon = dt.datetime.combine(start + dt.timedelta(days=6), dt.time(12), tzinfo=zone)
    week_results = results_for(business, period="week", now=sunday_noon)
    month_results = results_for(business, period="4weeks", now=sunday_noon)
    labels = {str(value): str(label) for value, label in Channel.choices}
    drawn = []
    if week_results.measured:
        drawn.append(channel_chart(week_results, labels, png=png))
    if compared := compare_chart(week_results, labels, png=png):
        drawn.append(compared)
    if month_results.heat:
        drawn.append(heat_chart(month_results, png=png, span=_("최근 4주")))
    learned = [
        {
            "channel": str(Channel(item.channel).label),
            "evidence": item.evidence,
            "findings": list(item.findings),
        }
        for item in learned_for(business_id=business.pk, channels=channels_posted(business))
    ]
    return Report(
        business=business,
        week=week,
        start=start,
        week_results=week_results,
        month_results=month_results,
        learned=learned,
        plan=_plan(business, start + dt.timedelta(days=7)),
        usage=usage_for(business, now=sunday_noon),
        charts=drawn,
    )


def _plan(business: Business, monday: dt.date) -> list[dict[str, Any]]:
    """Next week's posts: what is scheduled or planned, in the business's time."""
    zone = ZoneInfo(business.time_zone)
    since = dt.datetime.combine(monday, dt.time(), tzinfo=zone)
    until = since + dt.timedelta(days=7)
    pieces = (
        ContentPiece.objects.filter(
            business=business, planned_for__gte=since, planned_for__lt=until
        )
        .exclude(status=ContentPiece.Status.FAILED)
        .order_by("planned_for", "pk")
        .values("pk", "channel", "title", "status", "planned_for")
    )
    return [
        {
            "when": timezone.localtime(row["planned_for"], zone),
            "channel": str(Channel(row["channel"]).label),
            "title": row["title"] or _("제목 없음"),
            "status": str(ContentPiece.Status(row["status"]).label),
        }
        for row in pieces
    ]


def has_news(business: Business, week: str) -> bool:
    """Whether there is anything to report: a post went out that week or one is planned
    for the next. A shop with neither gets no e-mail that Monday."""
    zone = ZoneInfo(business.time_zone)
    since = dt.datetime.combine(week_start(week), dt.time(), tzinfo=zone)
    middle, until = since + dt.timedelta(days=7), since + dt.timedelta(days=14)
    return (
        Publication.objects.filter(
            piece__business=business, published_at__gte=since, published_at__lt=middle
        ).exists()
        or ContentPiece.objects.filter(
            business=business, planned_for__gte=middle, planned_for__lt=until
        )
        .exclude(status=ContentPiece.Status.FAILED)
        .exists()
    )


# --- HTML, PDF and files --------------------------------------------------------------


def render_html(report: Report, *, images: str = "svg", standalone: bool = True) -> str:
    """The report as HTML: ``images`` is "svg" (inline drawings, for the page and
    report.html) or "cid" (``cid:chart-N`` images, for the e-mail)."""
    template = "analytics/report_document.html" if standalone else "analytics/_report_body.html"
    return render_to_string(
        template,
        {
            "report": report,
            "images": images,
            "reports_url": absolute(reverse("analytics:reports", args=[report.business.pk])),
            "results_url": absolute(reverse("analytics:results", args=[report.business.pk])),
        },
    )


@cache
def _glyphs(path: str) -> frozenset[int]:
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def _printable(text: str, path: str) -> str:
    """Text the embedded font can draw (an emoji in a post title is dropped, not boxed)."""
    known = _glyphs(path)
    return "".join(ch for ch in str(text) if ord(ch) in known or ch in "\n\t").strip()


def render_pdf(report: Report) -> bytes:
    """An A4 PDF of the report with NanumGothic embedded and the charts as images."""
    regular, bold = str(font_path("regular")), str(font_path("bold"))
    pdf = FPDF(format="A4")
    pdf.set_title(_printable(report.title, regular))
    pdf.set_creator("Gagecast")
    pdf.add_font("nanum", "", regular)
    pdf.add_font("nanum", "B", bold)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def text(words: str, *, size: float = 10, style: str = "", gap: float = 1) -> None:
        pdf.set_font("nanum", style, size)
        pdf.multi_cell(0, size * 0.5, _printable(words, bold if style else regular))
        pdf.ln(gap)

    def heading(words: str) -> None:
        pdf.ln(3)
        text(words, size=13, style="B", gap=2)

    text(report.title, size=17, style="B", gap=3)
    for headline, words in report.headlines:
        text(f"{headline.label}: {headline.value:,} ({words})", size=11)
    for chart in report.charts:
        if chart.png:  # keep a chart with its title: a new page when it would not fit
            with Image.open(io.BytesIO(chart.png)) as image:
                height = pdf.epw * image.height / image.width
            if pdf.get_y() + height + 25 > pdf.page_break_trigger:
                pdf.add_page()
        heading(chart.title)
        text(chart.summary, size=9)
        if chart.png:
            pdf.image(io.BytesIO(chart.png), w=pdf.epw)
    if report.week_results.best:
        heading(_("반응이 좋았던 게시물"))
        for post in report.week_results.best:
            text(
                _("%(title)s · %(channel)s · 본 사람 %(seen)s · 반응 %(reactions)s")
                % {
                    "title": post.title or _("제목 없음"),
                    "channel": post.channel_label,
                    "seen": f"{post.seen:,}",
                    "reactions": f"{post.interactions:,}",
                },
                size=9,
            )
    heading(_("배운 점"))
    for item in report.learned:
        text(
            _("%(channel)s · 게시물 %(posts)s개 기준")
            % {"channel": item["channel"], "posts": item["evidence"]},
            size=10,
            style="B",
        )
        for finding in item["findings"] or [
            _("아직 뚜렷한 차이는 없어 여러 방식을 시도하며 배우는 중이에요.")
        ]:
            text(f"· {finding}", size=9)
    if not report.learned:
        text(_("게시물이 올라가고 숫자가 모이면 배운 점을 알려 드려요."), size=9)
    heading(_("다음 주 계획"))
    for item in report.plan:
        text(
            f"{item['when']:%m/%d %H:%M} · {item['channel']} · {item['title']} ({item['status']})",
            size=9,
        )
    if not report.plan:
        text(_("다음 주에 올릴 게시물이 아직 없어요. 캠페인을 만들면 여기에 보여 드려요."), size=9)
    return bytes(pdf.output())


def write_files(report: Report, out: Path) -> list[Path]:
    """report.html, report.pdf and each chart as SVG and PNG, for anyone to inspect."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "report.html", out / "report.pdf"]
    written[0].write_text(render_html(report), encoding="utf-8")
    written[1].write_bytes(render_pdf(report))
    for number, chart in enumerate(report.charts, start=1):
        svg = out / f"chart-{number}.svg"
        svg.write_text(chart.svg, encoding="utf-8")
        written.append(svg)
        if chart.png:
            png = out / f"chart-{number}.png"
            png.write_bytes(chart.png)
            written.append(png)
    return written


# --- Sending --------------------------------------------------------------------------


def dispatch_due(now: dt.datetime | None = None) -> int:
    """Create the report row of each business whose report came due (within two days of
    its Monday 09:00: a shop that turns up later, a quiet week that gets a plan on
    Wednesday or a restart on Friday send nothing late) and send one task each; also
    retry a recent report whose send failed or whose worker was lost. Returns how many
    sends were queued. Reports are made with the e-mail switched off too (listed on the
    reports page); ``send`` leaves the e-mail out."""
    now = now or timezone.now()
    candidates = []
    # An archived shop is hidden and quiet (publishing.lifecycle): no report for it.
    for business in Business.objects.filter(archived_at__isnull=True).only(
        "pk", "time_zone", "name"
    ):
        week = due_week(business.time_zone, now)
        if now - due_at(week, business.time_zone) <= RETRY_FOR:
            candidates.append((business, week))
    existing = set(
        WeeklyReport.objects.filter(
            business_id__in=[b.pk for b, _week in candidates],
            week__in={week for _business, week in candidates},
        ).values_list("business_id", "week")
    )
    made: list[int] = []
    for business, week in candidates:
        if (business.pk, week) in existing or not has_news(business, week):
            continue
        try:
            with transaction.atomic():
                report = WeeklyReport.objects.create(
                    business=business, week=week, starts_on=week_start(week)
                )
        except IntegrityError:
            continue  # another dispatcher made it a moment ago
        made.append(report.pk)
    stale = now - dt.timedelta(seconds=CLAIM_S)
    retried = (
        WeeklyReport.objects.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
            sent_at__isnull=True,
            starts_on__gte=(now - RETRY_FOR).date() - dt.timedelta(days=7),
        )
        .exclude(pk__in=made)
        .values_list("pk", flat=True)
    )
    due = [*made, *retried]
    for pk in due:
        queue.enqueue("analytics.tasks.send_weekly_report", pk)
    return len(due)


def send(report_id: int, *, now: dt.datetime | None = None) -> bool:
    """Make and e-mail one report, once. False when another run holds or sent it."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=CLAIM_S)
    claimed = (
        WeeklyReport.objects.filter(pk=report_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    row = WeeklyReport.objects.select_related("business__organization__plan").get(pk=report_id)
    try:
        with translation.override("ko"):
            report = build(row.business, row.week, png=True)
            pdf = render_pdf(report)
            row.html = render_html(report, standalone=False)
            row.summary = report.summary()
            if row.pdf:  # a retry: the last try's file goes
                row.pdf.delete(save=False)
            row.pdf.save("report.pdf", ContentFile(pdf), save=False)
            row.save(update_fields=["html", "summary", "pdf"])
            to = recipients_for(row.business) if row.business.weekly_report else []
            if to:
                _email(report, to, pdf)
    except Exception:
        WeeklyReport.objects.filter(pk=report_id).update(claimed_at=None)
        raise
    # Only while this run still holds its claim (one that took longer than the claim lasts
    # may have been taken over, and the other run records its own send).
    WeeklyReport.objects.filter(pk=report_id, claimed_at=now).update(sent_at=now, sent_to=to)
    return True


class _RelatedEmail(EmailMultiAlternatives):
    """An HTML e-mail whose images travel with it (multipart/related, Content-ID), with
    the plain text beside it and the PDF attached."""

    def __init__(self, *args: Any, images: list[tuple[str, bytes]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.images = images

    def _create_alternatives(self, msg: Any) -> Any:
        msg = super()._create_alternatives(msg)  # type: ignore[misc]
        if not self.images:
            return msg
        text, html = msg.get_payload()
        related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding)
        related.attach(html)
        for cid, png in self.images:
            image = MIMEImage(png, "png")
            image.add_header("Content-ID", f"<{cid}>")
            image.add_header("Content-Disposition", "inline", filename=f"{cid}.png")
            related.attach(image)
        msg.set_payload([text, related])
        return msg


def _email(report: Report, to: list[str], pdf: bytes) -> None:
    text = render_to_string(
        "analytics/report_email.txt",
        {
            "report": report,
            "reports_url": absolute(reverse("analytics:reports", args=[report.business.pk])),
        },
    )
    message = _RelatedEmail(
        f"[Gagecast] {report.title}",
        text,
        None,
        to,
        images=[(f"chart-{n}", c.png) for n, c in enumerate(report.charts, 1) if c.png],
    )
    message.attach_alternative(render_html(report, images="cid"), "text/html")
    message.attach(f"gagecast-{report.week}.pdf", pdf, "application/pdf")
    message.send()
