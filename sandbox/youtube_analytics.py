"""The YouTube Analytics API v2 in the sandbox: ``GET /v2/reports`` (``reports.query``)
for the token's own channel, served by ``FakeYouTube`` next to the Data API (the real
host is youtubeanalytics.googleapis.com).

The subset Gagecast reads, with the real parameter names and answer::

    GET /v2/reports?ids=channel==MINE&startDate=2026-01-01&endDate=2026-01-31
        &metrics=views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,shares
        &dimensions=video&filters=video==ID1,ID2&sort=-views&maxResults=200
    → {"kind": "youtubeAnalytics#resultTable",
       "columnHeaders": [{"name": "video", "columnType": "DIMENSION", "dataType": "STRING"},
                         {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"}, …],
       "rows": [["ID1", 812, 270, 20, 66.5, 1], …]}

Days are Pacific days, as YouTube Analytics counts them; the numbers are what the
audience model gives between the start of ``startDate`` and the end of ``endDate`` (or
now), so a video's ``views`` since its upload equal the Data API's ``viewCount``. The
watch metrics come from the model's ``watch`` section and the video's length read from
the uploaded file. A video with no views in the range has no row, as on YouTube.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sandbox.audience import AudienceModel
from sandbox.faults import Fault, Operation, operation
from sandbox.google_api import (
    ANALYTICS_SCOPE,
    MANAGE_SCOPE,
    MONETARY_SCOPE,
    READ_SCOPE,
    insufficient_scopes,
    scopes_of,
    youtube_error,
)
from sandbox.platform import SandboxPost, TokenClaims, request_params
from sandbox.server import RecordedRequest, Reply

PACIFIC = ZoneInfo("America/Los_Angeles")
PATH = r"/v2/reports"
RESULT_KIND = "youtubeAnalytics#resultTable"
# metric -> its dataType; every one is a sum over the rows but the two averages.
METRICS = {
    "views": "INTEGER",
    "estimatedMinutesWatched": "INTEGER",
    "averageViewDuration": "INTEGER",
    "averageViewPercentage": "FLOAT",
    "likes": "INTEGER",
    "comments": "INTEGER",
    "shares": "INTEGER",
}
COUNTED = {"views": "views", "likes": "likes", "comments": "comments", "shares": "shares"}
MAX_FILTER_VALUES = 500  # video==a,b,… (the documented size of an Analytics group, too)
MAX_TOP_VIDEOS = 200  # maxResults of a report with the video dimension
# reports.query needs an Analytics scope, and now youtube.readonly as well.
ANALYTICS_SCOPES = (ANALYTICS_SCOPE, MONETARY_SCOPE)
READ_SCOPES = (READ_SCOPE, MANAGE_SCOPE)
UNSUPPORTED = (
    "The query is not supported. Check the documentation at "
    "https://developers.google.com/youtube/analytics/v2/available_reports for a list of "
    "supported queries."
)


class ReportHost(Protocol):
    """What the reports need of the simulator serving them (``FakeYouTube``)."""

    audience: AudienceModel

    @property
    def platform(self) -> str: ...

    def now(self) -> dt.datetime: ...
    def posts(self, user_id: str | None = None) -> list[SandboxPost]: ...
    def duration_of(self, video_id: str) -> float | None: ...
    def caller(
        self, request: RecordedRequest, params: Mapping[str, Any]
    ) -> tuple[TokenClaims | None, Reply | None]: ...
    def run(self, operation: Operation, perform: Callable[[Fault | None], Reply]) -> Reply: ...
    def route(self, method: str, pattern: str, handler: Any) -> None: ...


class BadQuery(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__("bad query")
        self.reply = reply


class AnalyticsReports:
    """``GET /v2/reports`` on ``host``; faults target the operation ``reports`` (aliases
    ``reports.query``, ``reports_query``)."""

    def __init__(self, host: ReportHost) -> None:
        self.host = host
        self.op_reports = operation("reports", "reports.query", "reports_query")
        host.route("GET", PATH, self._reports)

    def rows(
        self,
        channel_id: str,
        video_ids: Sequence[str] | None,
        start: dt.date,
        end: dt.date,
    ) -> dict[str, dict[str, float]]:
        """Every metric per video of ``channel_id`` with views from the start of ``start``
        to the end of ``end`` (Pacific), or to now (Python: what a report would hold)."""
        since = dt.datetime.combine(start, dt.time(), tzinfo=PACIFIC)
        until = min(
            self.host.now(), dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), PACIFIC)
        )
        wanted = None if video_ids is None else set(video_ids)
        found: dict[str, dict[str, float]] = {}
        if until <= since:
            return found
        for post in self.host.posts(channel_id):
            if wanted is not None and post.id not in wanted:
                continue
            row = self._row(post, since, until)
            if row is not None:
                found[post.id] = row
        return found

    # --- The endpoint -------------------------------------------------------------------

    def _reports(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        params = request_params(request)
        claims, refusal = self.host.caller(request, params)
        if refusal is not None or claims is None:
            return refusal or Reply(status=401)
        scopes = scopes_of(claims.kind)
        if not (set(scopes) & set(ANALYTICS_SCOPES) and set(scopes) & set(READ_SCOPES)):
            return insufficient_scopes((ANALYTICS_SCOPE, READ_SCOPE))
        try:
            query = _Query.parse(params, claims.subject)
        except BadQuery as bad:
            return bad.reply
        return self.host.run(self.op_reports, lambda fault: self._answer(claims.subject, query))

    def _answer(self, channel_id: str, query: _Query) -> Reply:
        rows = self.rows(channel_id, query.videos, query.start, query.end)
        if query.by_video:
            table = [[video_id, *_values(row, query.metrics)] for video_id, row in rows.items()]
            if query.videos is not None:  # unsorted: in the filter's order
                order = {video_id: index for index, video_id in enumerate(query.videos)}
                table.sort(key=lambda line: order[str(line[0])])
        else:
            table = [_values(_total(list(rows.values())), query.metrics)] if rows else []
        names = (["video"] if query.by_video else []) + list(query.metrics)
        for key in reversed(query.sort):
            column = names.index(key.lstrip("-"))
            table.sort(key=lambda line: line[column], reverse=key.startswith("-"))
        first = query.start_index - 1
        table = table[first : first + query.max_results if query.max_results else None]
        headers = [
            {"name": name, "columnType": "METRIC", "dataType": METRICS[name]}
            for name in query.metrics
        ]
        if query.by_video:
            headers.insert(0, {"name": "video", "columnType": "DIMENSION", "dataType": "STRING"})
        return Reply(body={"kind": RESULT_KIND, "columnHeaders": headers, "rows": table})

    def _row(
        self, post: SandboxPost, since: dt.datetime, until: dt.datetime
    ) -> dict[str, float] | None:
        model, platform = self.host.audience, self.host.platform
        before, after = model.metrics(platform, post, since), model.metrics(platform, post, until)
        views = after.get("views", 0) - before.get("views", 0)
        if views <= 0:
            return None
        watch = model.watch(platform, post, self.host.duration_of(post.id))
        minutes = math.floor(after["views"] * watch.seconds / 60) - math.floor(
            before.get("views", 0) * watch.seconds / 60
        )
        row: dict[str, float] = {
            name: after.get(ours, 0) - before.get(ours, 0) for name, ours in COUNTED.items()
        }
        return row | {
            "estimatedMinutesWatched": minutes,
            "averageViewDuration": round(watch.seconds),
            "averageViewPercentage": watch.percentage,
            "_seconds": watch.seconds,  # unrounded, for totals
        }


class _Query:
    """A reports.query request, checked (raises BadQuery with Google's 400 or 403)."""

    def __init__(self) -> None:
        self.start = self.end = dt.date.min
        self.metrics: list[str] = []
        self.by_video = False
        self.videos: list[str] | None = None
        self.sort: list[str] = []
        self.max_results = 0
        self.start_index = 1

    @classmethod
    def parse(cls, params: Mapping[str, Any], channel_id: str) -> _Query:
        query = cls()
        ids = _required(params, "ids")
        if ids not in ("channel==MINE", f"channel=={channel_id}"):
            if ids.startswith("channel=="):
                raise BadQuery(youtube_error(403, "forbidden", "Forbidden", domain="global"))
            raise _invalid("ids", f"Invalid value '{ids}'. Expected channel==MINE.")
        query.start, query.end = _date(params, "startDate"), _date(params, "endDate")
        if query.start > query.end:
            raise _invalid("startDate", "The start date must not be after the end date.")
        query.metrics = [name.strip() for name in _required(params, "metrics").split(",")]
        for name in query.metrics:
            if name not in METRICS:
                raise _invalid("metrics", f"Unknown identifier ({name}) given in field metrics.")
        dimensions = [d.strip() for d in str(params.get("dimensions") or "").split(",") if d]
        if dimensions not in ([], ["video"]):
            raise BadQuery(youtube_error(400, "badRequest", UNSUPPORTED, domain="global"))
        query.by_video = bool(dimensions)
        query.videos = _video_filter(str(params.get("filters") or ""))
        query.sort = [key.strip() for key in str(params.get("sort") or "").split(",") if key]
        columns = set(query.metrics) | ({"video"} if query.by_video else set())
        if any(key.lstrip("-") not in columns for key in query.sort):
            raise _invalid("sort", "Sort keys must be among the requested metrics and dimensions.")
        query.max_results = _positive(params, "maxResults")
        query.start_index = _positive(params, "startIndex") or 1
        if query.by_video and query.max_results > MAX_TOP_VIDEOS:
            raise _invalid("maxResults", f"maxResults must be at most {MAX_TOP_VIDEOS}.")
        top_videos = bool(query.max_results and query.sort and query.sort[0].startswith("-"))
        if query.by_video and query.videos is None and not top_videos:
            # Every video of the channel: only as a top-videos list (maxResults, sort=-metric).
            raise BadQuery(youtube_error(400, "badRequest", UNSUPPORTED, domain="global"))
        return query


# --- Helpers ------------------------------------------------------------------------------


def _values(row: Mapping[str, float], metrics: Sequence[str]) -> list[Any]:
    return [row.get(name, 0) for name in metrics]


def _total(rows: list[dict[str, float]]) -> dict[str, float]:
    """The rows as one: sums, and the averages weighted by views."""
    total = {name: sum(row[name] for row in rows) for name in (*COUNTED, "estimatedMinutesWatched")}
    views = total["views"]
    seconds = sum(row["views"] * row["_seconds"] for row in rows)
    percentage = sum(row["views"] * row["averageViewPercentage"] for row in rows)
    return total | {
        "averageViewDuration": round(seconds / views),
        "averageViewPercentage": round(percentage / views, 2),
    }


def _video_filter(filters: str) -> list[str] | None:
    """The ids of ``video==a,b`` among ``;``-separated filters (None: no video filter)."""
    videos: list[str] | None = None
    for part in (item.strip() for item in filters.split(";") if item.strip()):
        name, equals, values = part.partition("==")
        if not equals or name != "video":
            raise BadQuery(youtube_error(400, "badRequest", UNSUPPORTED, domain="global"))
        videos = list(dict.fromkeys(value.strip() for value in values.split(",") if value.strip()))
        if not videos or len(videos) > MAX_FILTER_VALUES:
            raise _invalid(
                "filters", f"The video filter takes 1 to {MAX_FILTER_VALUES} comma-separated ids."
            )
    return videos


def _required(params: Mapping[str, Any], name: str) -> str:
    value = str(params.get(name) or "").strip()
    if not value:
        raise BadQuery(youtube_error(400, "required", "Required", domain="global", location=name))
    return value


def _date(params: Mapping[str, Any], name: str) -> dt.date:
    value = _required(params, name)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _invalid(name, f"Invalid value '{value}'. Expected a date as YYYY-MM-DD.") from None


def _positive(params: Mapping[str, Any], name: str) -> int:
    value = str(params.get(name) or "").strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) < 1:
        raise _invalid(name, f"Invalid value '{value}'. Expected a positive integer.")
    return int(value)


def _invalid(name: str, message: str) -> BadQuery:
    return BadQuery(youtube_error(400, "invalid", message, domain="global", location=name))
