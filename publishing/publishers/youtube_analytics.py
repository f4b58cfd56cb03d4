"""How long a channel's videos are watched, from the YouTube Analytics API v2
(``GET {analytics}/reports``, ``reports.query``): one report for up to ``BATCH`` videos.

The request reads a video's whole life (from ``EARLIEST`` to today, in Pacific days as
YouTube Analytics counts them), by video, filtered to the videos asked for::

    ids=channel==MINE  startDate=2005-01-01  endDate=<today>  dimensions=video
    metrics=views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,shares
    filters=video==ID1,ID2,…  sort=-views  maxResults=200

and the answer is a result table whose columns are named in ``columnHeaders`` (read by
name, never by position). A video YouTube has no data for yet has no row.

It needs the ``yt-analytics.readonly`` scope. An account connected before Gagecast asked
for it gets Google's 403 ``insufficientPermissions``: the metric names come back refused,
the collector remembers them on the account and stops asking until the owner reconnects.
The Analytics API has a quota of its own: these reads cost no Data API units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from publishing.publishers.base import Credentials, Endpoints, PublishError, PublishJob
from publishing.publishers.youtube_api import google_get

ANALYTICS_SCOPE = "https://www.googleapis.com/auth/yt-analytics.readonly"
REPORT_METRICS = (
    "views",
    "estimatedMinutesWatched",
    "averageViewDuration",
    "averageViewPercentage",
    "shares",
)
# The report's names in ours (its views stay in the raw answer: the Data API's count is ours).
OUR_NAMES = {
    "estimatedMinutesWatched": "watch_minutes",
    "averageViewDuration": "avg_view_seconds",
    "averageViewPercentage": "avg_view_percentage",
    "shares": "shares",
}
AVERAGES = frozenset({"avg_view_percentage"})  # kept as floats; the rest are counts
BATCH = 200  # videos a report: a report by video answers at most 200 rows (maxResults)
EARLIEST = dt.date(2005, 1, 1)  # before any video: the report covers a video's whole life
MISSING_SCOPE = "insufficientPermissions"


@dataclass(frozen=True)
class WatchReport:
    """The report's numbers per video id (the API's metric names), the answers as
    received, and the metric names refused for want of the scope."""

    rows: dict[str, dict[str, float]] = field(default_factory=dict)
    raw: list[dict[str, Any]] = field(default_factory=list)
    refused: frozenset[str] = frozenset()

    def ours(self, video_id: str) -> dict[str, float]:
        """One video's numbers in our words (empty when the report has no row for it)."""
        values: dict[str, float] = {}
        for name, value in self.rows.get(video_id, {}).items():
            if name in OUR_NAMES:
                ours = OUR_NAMES[name]
                values[ours] = round(value, 2) if ours in AVERAGES else int(value)
        return values


def watch_report(
    session: requests.Session,
    endpoints: Endpoints,
    credentials: Credentials,
    video_ids: Sequence[str],
    *,
    today: dt.date,
    refused: frozenset[str] = frozenset(),
    job: PublishJob | None = None,
) -> WatchReport:
    """The report for ``video_ids`` (``BATCH`` a call, each recorded as ``reports_query``
    when it serves a job), leaving out the ``refused`` metrics; none left, no call.
    A missing scope is not an error: the names come back refused. Raises PublishError."""
    wanted = [name for name in REPORT_METRICS if name not in refused]
    ids = list(dict.fromkeys(video_ids))
    rows: dict[str, dict[str, float]] = {}
    raw: list[dict[str, Any]] = []
    if not wanted or not ids:
        return WatchReport(rows, raw, refused)
    for start in range(0, len(ids), BATCH):
        params = {
            "ids": "channel==MINE",
            "startDate": EARLIEST.isoformat(),
            "endDate": today.isoformat(),
            "metrics": ",".join(wanted),
            "dimensions": "video",
            "filters": "video==" + ",".join(ids[start : start + BATCH]),
            "maxResults": str(BATCH),
        }
        if "views" in wanted:
            params["sort"] = "-views"
        url = f"{endpoints.analytics}/reports"
        try:
            body = google_get(session, url, credentials, params, action="reports_query", job=job)
        except PublishError as exc:
            if exc.code != MISSING_SCOPE:
                raise
            return WatchReport(rows, raw, refused | frozenset(wanted))
        rows |= rows_of(body)
        raw.append(body)
    return WatchReport(rows, raw, refused)


def rows_of(body: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """A result table by video as video id → metric → number (columns read by name)."""
    names = [str(column.get("name")) for column in _dicts(body.get("columnHeaders"))]
    if "video" not in names:
        return {}
    found: dict[str, dict[str, float]] = {}
    for row in body.get("rows") or []:
        if not isinstance(row, list) or len(row) != len(names):
            continue
        cells = dict(zip(names, row, strict=True))
        found[str(cells.pop("video"))] = {
            name: value
            for name, value in cells.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
    return found


def _dicts(items: object) -> Iterable[Mapping[str, Any]]:
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []
