"""FakeYouTube's YouTube Analytics API (``GET /v2/reports``) over real HTTP: the result
table, the numbers against the Data API's and the audience model's, the batching and
query limits, and the scope a token needs."""

from __future__ import annotations

import datetime as dt
import json
import math
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sandbox.audience import DEFAULT_PATH, AudienceModel
from sandbox.google_api import ANALYTICS_SCOPE, READ_SCOPE, UPLOAD_SCOPE
from sandbox.media import Mp4Duration
from sandbox.platform import ManualClock
from sandbox.youtube import ACCESS_PREFIX, FakeYouTube

TIMEOUT = 5
T0 = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)  # Sunday 19:00 in Los Angeles
METRICS = "views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,shares"
REDIRECT = "http://127.0.0.1:8000/connect/youtube/callback/"


def mvhd(seconds: float, *, version: int = 0, timescale: int = 1000) -> bytes:
    """A movie header box declaring ``seconds``."""
    ticks = round(seconds * timescale)
    if version == 0:
        body = bytes(4) + struct.pack(">IIII", 0, 0, timescale, ticks)
    else:
        body = b"\x01\x00\x00\x00" + struct.pack(">QQIQ", 0, 0, timescale, ticks)
    body += bytes(80)
    return struct.pack(">I", 8 + len(body)) + b"mvhd" + body


def mp4(seconds: float | None) -> bytes:
    """Stand-in MP4 bytes: ftyp, then a moov with an mvhd when ``seconds`` is given."""
    moov = b"" if seconds is None else struct.pack(">I4s", 8 + 108, b"moov") + mvhd(seconds)
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + moov + bytes(40_000)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def youtube(clock: ManualClock) -> Iterator[FakeYouTube]:
    with FakeYouTube(clock=clock) as fake:
        yield fake


@pytest.fixture
def channel(youtube: FakeYouTube) -> str:
    return youtube.channel_id_for("yeonnam_cafe")


@pytest.fixture
def auth(youtube: FakeYouTube, channel: str) -> dict[str, str]:
    return bearer(youtube.token_for(channel, expires_in=30 * 86_400))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(
    youtube: FakeYouTube, auth: dict[str, str], data: bytes, title: str = "라떼 #Shorts"
) -> str:
    started = requests.post(
        f"{youtube.url}/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        json={"snippet": {"title": title}, "status": {"privacyStatus": "public"}},
        headers={**auth, "X-Upload-Content-Length": str(len(data))},
        timeout=TIMEOUT,
    )
    url = started.headers["Location"]
    for start in range(0, len(data), 256 * 1024):  # in chunks: the header may come in any
        chunk = data[start : start + 256 * 1024]
        done = requests.put(
            url,
            data=chunk,
            headers={"Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{len(data)}"},
            timeout=TIMEOUT,
        )
    return str(done.json()["id"])


def report(youtube: FakeYouTube, auth: dict[str, str], **params: str) -> requests.Response:
    query = {
        "ids": "channel==MINE",
        "startDate": "2026-01-01",
        "endDate": "2026-12-31",
        "metrics": METRICS,
        "dimensions": "video",
        **params,
    }
    return requests.get(
        f"{youtube.url}/v2/reports",
        params={name: value for name, value in query.items() if value},
        headers=auth,
        timeout=TIMEOUT,
    )


def rows_by_video(answer: requests.Response) -> dict[str, dict[str, Any]]:
    body = answer.json()
    names = [column["name"] for column in body["columnHeaders"]]
    return {row[0]: dict(zip(names, row, strict=True)) for row in body["rows"]}


def error_of(answer: requests.Response) -> tuple[int, str, str]:
    error = answer.json()["error"]
    detail = error["errors"][0]
    return answer.status_code, detail["reason"], detail.get("location", "")


def view_counts(youtube: FakeYouTube, auth: dict[str, str], ids: list[str]) -> dict[str, int]:
    items = requests.get(
        f"{youtube.url}/youtube/v3/videos",
        params={"part": "statistics", "id": ",".join(ids)},
        headers=auth,
        timeout=TIMEOUT,
    ).json()["items"]
    return {item["id"]: int(item["statistics"]["viewCount"]) for item in items}


# --- The result table ------------------------------------------------------------------


def test_a_report_by_video_is_a_result_table_whose_views_are_the_data_apis(
    youtube, auth, clock, channel
):
    ids = [upload(youtube, auth, mp4(15)), upload(youtube, auth, mp4(40))]
    clock.advance(2 * 86_400)

    answer = report(youtube, auth, filters=f"video=={','.join(ids)}")

    body = answer.json()
    assert answer.status_code == 200, answer.text
    assert body["kind"] == "youtubeAnalytics#resultTable"
    assert body["columnHeaders"] == [
        {"name": "video", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "estimatedMinutesWatched", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "averageViewDuration", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "averageViewPercentage", "columnType": "METRIC", "dataType": "FLOAT"},
        {"name": "shares", "columnType": "METRIC", "dataType": "INTEGER"},
    ]
    rows = rows_by_video(answer)
    assert [row[0] for row in body["rows"]] == ids  # no sort: the filter's order
    assert {video: row["views"] for video, row in rows.items()} == view_counts(youtube, auth, ids)
    for video in ids:
        assert rows[video]["shares"] == youtube.metrics(video)["shares"]


def test_watch_time_follows_the_audience_model_and_the_uploaded_files_length(youtube, auth, clock):
    short, long, unknown = (upload(youtube, auth, mp4(s)) for s in (12.0, 58.0, None))
    clock.advance(2 * 86_400)

    rows = rows_by_video(report(youtube, auth, filters=f"video=={short},{long},{unknown}"))

    assert (youtube.duration_of(short), youtube.duration_of(long)) == (12.0, 58.0)
    assert youtube.duration_of(unknown) is None
    spec = youtube.audience.spec("youtube").watch
    for video, length in ((short, 12.0), (long, 58.0), (unknown, spec.default_duration_s)):
        row = rows[video]
        watch = youtube.audience.watch("youtube", youtube.post(video), length)
        assert row["averageViewPercentage"] == watch.percentage
        assert row["averageViewDuration"] == round(length * watch.percentage / 100)
        assert row["estimatedMinutesWatched"] == math.floor(row["views"] * watch.seconds / 60)
    # The default file: shorter Shorts are watched through more (duration_elasticity).
    # Compared without each post's own noise, whose draw depends on the clock-made ids.
    assert spec.duration_elasticity > 0
    noise_free = [
        rows[video]["averageViewPercentage"]
        / youtube.audience.watch(
            "youtube", youtube.post(video), spec.reference_duration_s
        ).percentage
        for video in (short, long)
    ]
    assert noise_free[0] > noise_free[1]


def test_the_date_range_counts_pacific_days_and_a_video_without_views_has_no_row(
    youtube, auth, clock
):
    video = upload(youtube, auth, mp4(20))
    clock.advance(3 * 86_400)

    def views(start: str, end: str) -> requests.Response:
        return report(youtube, auth, startDate=start, endDate=end, filters=f"video=={video}")

    upload_day = views("2026-01-04", "2026-01-04")
    before = views("2026-01-01", "2026-01-03")
    later = views("2026-01-05", "2026-01-31")

    # Uploaded 19:00 Los Angeles time on the 4th: views until midnight there.
    end_of_day = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    first = rows_by_video(upload_day)[video]["views"]
    assert first == youtube.metrics(video, at=end_of_day)["views"] > 0
    assert before.json()["rows"] == []
    assert first + rows_by_video(later)[video]["views"] == youtube.metrics(video)["views"]


def test_without_the_video_dimension_the_rows_add_up_to_one(youtube, auth, clock):
    ids = [upload(youtube, auth, mp4(s)) for s in (15, 30)]
    clock.advance(86_400)
    by_video = rows_by_video(report(youtube, auth, filters=f"video=={','.join(ids)}"))

    total = report(youtube, auth, dimensions="", filters=f"video=={','.join(ids)}").json()

    [row] = total["rows"]
    assert [column["name"] for column in total["columnHeaders"]] == METRICS.split(",")
    views = sum(by_video[video]["views"] for video in ids)
    assert row[0] == views
    assert row[1] == sum(by_video[video]["estimatedMinutesWatched"] for video in ids)
    weighted = sum(by_video[v]["views"] * by_video[v]["averageViewPercentage"] for v in ids)
    assert row[3] == round(weighted / views, 2)


def test_another_channels_videos_are_left_out_and_its_reports_forbidden(youtube, auth, clock):
    stranger = youtube.channel_id_for("stranger")
    theirs = upload(youtube, bearer(youtube.token_for(stranger)), mp4(15))
    mine = upload(youtube, auth, mp4(15))
    clock.advance(86_400)

    rows = rows_by_video(report(youtube, auth, filters=f"video=={theirs},{mine}"))
    forbidden = report(youtube, auth, ids=f"channel=={stranger}", filters=f"video=={mine}")

    assert list(rows) == [mine]
    assert error_of(forbidden) == (403, "forbidden", "")


def test_top_videos_are_sorted_and_cut_at_max_results(youtube, auth, clock):
    ids = [upload(youtube, auth, mp4(15), title=f"영상 {n}") for n in range(4)]
    clock.advance(86_400)

    top = report(youtube, auth, sort="-views", maxResults="2").json()["rows"]

    views = sorted((youtube.metrics(video)["views"] for video in ids), reverse=True)
    assert [row[1] for row in top] == views[:2]


# --- Limits and errors -----------------------------------------------------------------


def test_a_video_filter_takes_at_most_500_ids(youtube, auth):
    ids = [f"v{n:010d}" for n in range(501)]

    many = report(youtube, auth, filters=f"video=={','.join(ids[:500])}", maxResults="200")
    too_many = report(youtube, auth, filters=f"video=={','.join(ids)}")

    assert many.status_code == 200 and many.json()["rows"] == []
    assert error_of(too_many) == (400, "invalid", "filters")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"startDate": ""}, (400, "required", "startDate")),
        ({"metrics": ""}, (400, "required", "metrics")),
        ({"ids": ""}, (400, "required", "ids")),
        ({"endDate": "2026/01/31"}, (400, "invalid", "endDate")),
        ({"startDate": "2026-02-01", "endDate": "2026-01-31"}, (400, "invalid", "startDate")),
        ({"metrics": "views,impressions"}, (400, "invalid", "metrics")),
        ({"dimensions": "day"}, (400, "badRequest", "")),
        ({"filters": "country==KR"}, (400, "badRequest", "")),
        ({}, (400, "badRequest", "")),  # every video of the channel, not as top videos
        ({"sort": "-views", "maxResults": "201"}, (400, "invalid", "maxResults")),
        ({"sort": "-likes", "maxResults": "10"}, (400, "invalid", "sort")),
    ],
)
def test_a_query_the_api_would_refuse_is_a_400_naming_the_parameter(
    youtube, auth, params, expected
):
    assert error_of(report(youtube, auth, **params)) == expected


def test_a_token_without_the_analytics_scope_is_refused_with_insufficient_permissions(
    youtube, channel
):
    data_api_only = bearer(youtube.token_for(channel, scopes=(UPLOAD_SCOPE, READ_SCOPE)))
    analytics_only = bearer(youtube.token_for(channel, scopes=(ANALYTICS_SCOPE,)))
    # A token issued before tokens carried scopes holds what the consent asked for then.
    legacy = bearer(
        youtube.signer.issue(ACCESS_PREFIX, "access", channel, issued_at=T0.timestamp(), ttl_s=3599)
    )

    for token in (data_api_only, analytics_only, legacy):
        refused = report(youtube, token, filters="video==abc")
        assert error_of(refused) == (403, "insufficientPermissions", "")
        assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    assert report(youtube, bearer("ya29.forged"), filters="video==abc").status_code == 401


def test_the_consent_grants_the_scopes_asked_for_and_a_refresh_keeps_them(youtube):
    def tokens(scope: str) -> dict[str, str]:
        consent = requests.get(
            f"{youtube.url}/o/oauth2/v2/auth",
            params={
                "client_id": "gagecast",
                "redirect_uri": REDIRECT,
                "response_type": "code",
                "scope": scope,
                "access_type": "offline",
                "prompt": "consent",
                "decision": "allow",
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        code = parse_qs(urlsplit(consent.headers["Location"]).query)["code"][0]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
        return requests.post(f"{youtube.url}/token", data=form, timeout=TIMEOUT).json()

    def refreshed(granted: dict[str, str]) -> dict[str, str]:
        form = {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"]}
        return requests.post(f"{youtube.url}/token", data=form, timeout=TIMEOUT).json()

    full = tokens(f"{UPLOAD_SCOPE} {READ_SCOPE} {ANALYTICS_SCOPE}")
    old = tokens(f"{UPLOAD_SCOPE} {READ_SCOPE}")

    assert full["scope"] == f"{UPLOAD_SCOPE} {READ_SCOPE} {ANALYTICS_SCOPE}"
    for granted, status in ((full, 200), (old, 403)):
        for token in (granted["access_token"], refreshed(granted)["access_token"]):
            assert report(youtube, bearer(token), filters="video==abc").status_code == status
    assert ANALYTICS_SCOPE not in refreshed(old)["scope"]


def test_reports_can_be_faulted_in_googles_words(youtube, auth):
    youtube.faults.add("rate_limited", operation="reports_query", retry_after_s=7)

    limited = report(youtube, auth, filters="video==abc")

    assert error_of(limited) == (429, "rateLimitExceeded", "")
    assert limited.headers["Retry-After"] == "7"
    assert report(youtube, auth, filters="video==abc").status_code == 200


# --- The file's length and the audience file ---------------------------------------------


@pytest.mark.parametrize("step", [1, 5, 64, 1 << 20])
@pytest.mark.parametrize("version", [0, 1])
def test_the_length_is_read_from_the_movie_header_however_the_bytes_are_cut(step, version):
    data = bytes(300) + mvhd(42.5, version=version, timescale=90_000) + bytes(300)
    found = Mp4Duration()

    for start in range(0, len(data), step):
        found.feed(data[start : start + step])

    assert found.seconds == 42.5


def test_bytes_without_a_movie_header_have_no_length():
    found = Mp4Duration()
    found.feed(b"xxmvhd" + bytes(3) + b"\x07" + bytes(40))  # flags that are not an mvhd's

    assert found.seconds is None


def test_an_audience_file_without_watch_and_shares_still_loads_with_defaults(tmp_path: Path, clock):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    del data["platforms"]["youtube"]["watch"]
    del data["platforms"]["youtube"]["metrics"]["shares"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    model = AudienceModel.load(path)
    with FakeYouTube(clock=clock, audience=model) as youtube:
        channel = youtube.channel_id_for("old_file")
        token = bearer(youtube.token_for(channel, expires_in=30 * 86_400))
        video = upload(youtube, token, mp4(30))
        clock.advance(86_400)
        row = rows_by_video(report(youtube, token, filters=f"video=={video}"))[video]

    spec = model.spec("youtube").watch
    assert (spec.average_view_percentage, spec.default_duration_s, spec.sigma) == (70.0, 30.0, 0.0)
    assert (row["averageViewPercentage"], row["averageViewDuration"]) == (70.0, 21)
    assert row["shares"] == 0


def test_a_malformed_watch_section_names_the_platform(tmp_path: Path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["platforms"]["youtube"]["watch"] = {"average_view_pct": 70}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ValueError, match="youtube"):
        AudienceModel.load(path)
