"""The results charts, drawn once for the dashboard, the weekly e-mail and its PDF: each
channel over time, a weekday x hour-band heatmap, and this period against the one
before per channel. ``png=True`` adds the image the e-mail and the PDF embed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from analytics import charts
from analytics.results import BANDS, SURE_AFTER, WEEKDAY_NAMES, Results, band_label


def channel_chart(results: Results, labels: dict[str, str], *, png: bool = False) -> charts.Chart:
    step_words = _("일별") if results.period == "week" else _("주별")
    total = sum(sum(values) for values in results.series.values())
    top = max(results.series, key=lambda c: sum(results.series[c]))
    return charts.line_chart(
        title=_("채널별 본 사람 (%(step)s)") % {"step": step_words},
        summary=_(
            "%(month)s월 %(day)s일부터 본 사람은 모두 %(total)s명이고, "
            "%(channel)s에서 가장 많이 봤어요."
        )
        % {
            "month": results.start.month,
            "day": results.start.day,
            "total": f"{total:,}",
            "channel": labels[top],
        },
        x_labels=[f"{day.month}/{day.day}" for day in results.buckets],
        series=results.series,
        labels=labels,
        png=png,
    )


def heat_chart(results: Results, *, png: bool = False, span: str = "") -> charts.Chart:
    sure = {cell: v for cell, v in results.heat.items() if v[1] >= SURE_AFTER}
    if sure:
        (weekday, band), (mean, count) = max(sure.items(), key=lambda item: item[1])
        summary = _(
            "%(weekday)s요일 %(band)s에 올린 글을 가장 많이 봤어요: 평균 %(mean)s명 "
            "(게시물 %(count)s개). 물음표는 게시물이 %(sure)s개보다 적어 아직 "
            "짐작인 칸이에요."
        ) % {
            "weekday": WEEKDAY_NAMES[weekday],
            "band": band_label(band),
            "mean": f"{mean:,}",
            "count": count,
            "sure": SURE_AFTER,
        }
    else:
        summary = _(
            "아직 요일·시간대마다 게시물이 %(sure)s개가 안 돼서, 칸마다 짐작(물음표)만 보여 드려요."
        ) % {"sure": SURE_AFTER}
    return charts.heatmap(
        title=_("요일·시간대별 본 사람 (게시물 1개 평균)") + (f" · {span}" if span else ""),
        summary=summary,
        rows=list(WEEKDAY_NAMES),
        columns=[band_label(b) for b in range(len(BANDS))],
        cells=results.heat,
        sure_after=SURE_AFTER,
        png=png,
    )


def compare_chart(
    results: Results, labels: dict[str, str], *, png: bool = False
) -> charts.Chart | None:
    """Each channel's 본 사람 this period against the period before (None without posts)."""
    channels = [c for c in labels if c in results.seen_by_channel or c in results.seen_before]
    if not channels:
        return None
    now = [results.seen_by_channel.get(c, 0) for c in channels]
    before = [results.seen_before.get(c, 0) for c in channels]
    gained = [labels[c] for c, a, b in zip(channels, now, before, strict=True) if a > b]
    summary = (
        _("%(channels)s에서 전보다 더 많이 봤어요.") % {"channels": ", ".join(gained)}
        if gained
        else _("이번에는 어느 채널도 전보다 많이 보지는 않았어요.")
    )
    return charts.bar_chart(
        title=_("채널별 본 사람: 이전 기간과 비교"),
        summary=summary,
        groups=[labels[c] for c in channels],
        series={_("이전 기간"): before, _("이번 기간"): now},
        png=png,
    )


def dashboard_charts(results: Results, labels: dict[str, str]) -> list[charts.Chart]:
    drawn = []
    if results.measured:
        drawn.append(channel_chart(results, labels))
    if results.heat:
        drawn.append(heat_chart(results))
    return drawn
