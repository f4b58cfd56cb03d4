"""FakeYouTube over real HTTP on 127.0.0.1: Google OAuth, the resumable upload
protocol, videos/channels/playlistItems reads, quota and faults."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sandbox.platform import ManualClock
from sandbox.youtube import CHUNK_GRANULARITY, FakeYouTube

TIMEOUT = 5
VIDEO = bytes(range(256)) * 2600  # 665,600 bytes: two whole 256 KiB blocks and a tail
REDIRECT = "http://127.0.0.1:8000/connect/youtube/callback/"
RESOURCE = {
    "snippet": {
        "title": "연남동 라떼 한 잔 #Shorts",
        "description": "오늘의 라떼를 소개합니다.",
        "tags": ["카페", "라떼"],
        "categoryId": "22",
        "defaultLanguage": "ko",
    },
    "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC))  # a Monday, 12:00 in Seoul


@pytest.fixture
def youtube(clock: ManualClock) -> Iterator[FakeYouTube]:
    with FakeYouTube(clock=clock) as fake:
        yield fake


@pytest.fixture
def channel(youtube: FakeYouTube) -> str:
    return youtube.channel_id_for("yeonnam_cafe")


@pytest.fixture
def auth(youtube: FakeYouTube, channel: str) -> dict[str, str]:
    # Lives for 30 days so tests can move the clock; the expiry test makes its own.
    return {"Authorization": f"Bearer {youtube.token_for(channel, expires_in=30 * 86_400)}"}


def start_upload(
    youtube: FakeYouTube,
    auth: dict[str, str],
    resource: dict[str, Any] | None = None,
    size: int = len(VIDEO),
) -> requests.Response:
    return requests.post(
        f"{youtube.url}/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        json=resource if resource is not None else RESOURCE,
        headers={
            **auth,
            "X-Upload-Content-Length": str(size),
            "X-Upload-Content-Type": "video/mp4",
        },
        timeout=TIMEOUT,
    )


def session_url(youtube: FakeYouTube, auth: dict[str, str], **kwargs: Any) -> str:
    started = start_upload(youtube, auth, **kwargs)
    assert started.status_code == 200, started.text
    return started.headers["Location"]


def put_chunk(url: str, data: bytes, start: int, total: int = len(VIDEO)) -> requests.Response:
    end = start + len(data) - 1
    return requests.put(
        url, data=data, headers={"Content-Range": f"bytes {start}-{end}/{total}"}, timeout=TIMEOUT
    )


def ask_status(url: str, total: int = len(VIDEO)) -> requests.Response:
    return requests.put(
        url, data=b"", headers={"Content-Range": f"bytes */{total}"}, timeout=TIMEOUT
    )


def error_of(response: requests.Response) -> dict[str, Any]:
    return response.json()["error"]


def reason_of(response: requests.Response) -> str:
    return error_of(response)["errors"][0]["reason"]


# --- OAuth ---------------------------------------------------------------------------------


def _consent(youtube: FakeYouTube, **extra: str) -> dict[str, list[str]]:
    params = {
        "client_id": "gagecast.apps.googleusercontent.com",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly",
        "state": "st-7",
        "decision": "allow",
        **extra,
    }
    answer = requests.get(
        f"{youtube.url}/o/oauth2/v2/auth", params=params, allow_redirects=False, timeout=TIMEOUT
    )
    assert answer.status_code == 302
    return parse_qs(urlsplit(answer.headers["Location"]).query)


def _token(youtube: FakeYouTube, **data: str) -> requests.Response:
    form = {"client_id": "gagecast.apps.googleusercontent.com", "client_secret": "secret", **data}
    return requests.post(f"{youtube.url}/token", data=form, timeout=TIMEOUT)


def test_the_consent_page_is_bilingual_and_lists_the_scopes(youtube: FakeYouTube):
    page = requests.get(
        f"{youtube.url}/o/oauth2/v2/auth",
        params={
            "client_id": "c",
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": "https://www.googleapis.com/auth/youtube.upload",
        },
        timeout=TIMEOUT,
    )

    for text in ("허용 / Allow", "거부 / Deny", "youtube.upload"):
        assert text in page.text


def test_offline_access_with_consent_returns_a_refresh_token(youtube: FakeYouTube):
    query = _consent(youtube, access_type="offline", prompt="consent")

    tokens = _token(
        youtube, grant_type="authorization_code", code=query["code"][0], redirect_uri=REDIRECT
    ).json()

    assert query["state"] == ["st-7"]
    assert set(tokens) == {"access_token", "expires_in", "refresh_token", "scope", "token_type"}
    assert tokens["expires_in"] == 3599
    assert tokens["token_type"] == "Bearer"
    assert "youtube.upload" in tokens["scope"]


def test_without_prompt_consent_no_refresh_token_comes_back(youtube: FakeYouTube):
    query = _consent(youtube, access_type="offline")

    tokens = _token(
        youtube, grant_type="authorization_code", code=query["code"][0], redirect_uri=REDIRECT
    ).json()

    assert "refresh_token" not in tokens


def test_a_refresh_gives_a_new_access_token_without_a_refresh_token(
    youtube: FakeYouTube, channel: str
):
    refreshed = _token(
        youtube, grant_type="refresh_token", refresh_token=youtube.refresh_token_for(channel)
    ).json()

    assert set(refreshed) == {"access_token", "expires_in", "scope", "token_type"}
    me = requests.get(
        f"{youtube.url}/youtube/v3/channels",
        params={"part": "snippet", "mine": "true"},
        headers={"Authorization": f"Bearer {refreshed['access_token']}"},
        timeout=TIMEOUT,
    )
    assert me.json()["items"][0]["id"] == channel


def test_a_revoked_refresh_token_is_an_invalid_grant_and_its_access_tokens_stop(
    youtube: FakeYouTube, channel: str, auth, clock: ManualClock
):
    refresh_token = youtube.refresh_token_for(channel)
    clock.advance(1)
    youtube.revoke(refresh_token)

    refused = _token(youtube, grant_type="refresh_token", refresh_token=refresh_token)
    listed = requests.get(
        f"{youtube.url}/youtube/v3/channels",
        params={"part": "snippet", "mine": "true"},
        headers=auth,
        timeout=TIMEOUT,
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }
    assert listed.status_code == 401


def test_a_code_is_single_use_and_bound_to_its_redirect_uri(youtube: FakeYouTube):
    code = _consent(youtube)["code"][0]
    other_code = _consent(youtube)["code"][0]

    first = _token(youtube, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    again = _token(youtube, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    elsewhere = _token(
        youtube,
        grant_type="authorization_code",
        code=other_code,
        redirect_uri="http://evil.example/",
    )

    assert first.status_code == 200
    assert again.json()["error"] == "invalid_grant"
    assert elsewhere.json()["error"] == "redirect_uri_mismatch"


def test_denying_consent_redirects_with_access_denied(youtube: FakeYouTube):
    answer = requests.get(
        f"{youtube.url}/o/oauth2/v2/auth",
        params={
            "client_id": "c",
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "state": "x",
            "decision": "deny",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )

    assert parse_qs(urlsplit(answer.headers["Location"]).query) == {
        "error": ["access_denied"],
        "state": ["x"],
    }


# --- The resumable upload -------------------------------------------------------------------


def test_a_whole_body_upload_answers_the_video_resource(youtube: FakeYouTube, auth, channel: str):
    started = start_upload(youtube, auth)
    done = requests.put(
        started.headers["Location"],
        data=VIDEO,
        headers={"Content-Type": "video/mp4"},
        timeout=TIMEOUT,
    )

    video = done.json()
    assert started.status_code == 200
    assert started.headers["X-GUploader-UploadID"] in started.headers["Location"]
    assert done.status_code == 200
    assert video["kind"] == "youtube#video"
    assert video["snippet"]["title"] == "연남동 라떼 한 잔 #Shorts"
    assert video["snippet"]["channelId"] == channel
    assert video["status"]["privacyStatus"] == "public"
    assert video["status"]["uploadStatus"] == "processed"
    [post] = youtube.posts()
    assert (post.id, post.title, post.user_id) == (
        video["id"],
        "연남동 라떼 한 잔 #Shorts",
        channel,
    )
    assert post.extra["size_bytes"] == len(VIDEO)
    assert post.permalink == f"{youtube.url}/shorts/{video['id']}"


def test_chunks_are_acknowledged_with_308_and_range(youtube: FakeYouTube, auth):
    url = session_url(youtube, auth)

    first = put_chunk(url, VIDEO[:CHUNK_GRANULARITY], 0)
    second = put_chunk(url, VIDEO[CHUNK_GRANULARITY : 2 * CHUNK_GRANULARITY], CHUNK_GRANULARITY)
    last = put_chunk(url, VIDEO[2 * CHUNK_GRANULARITY :], 2 * CHUNK_GRANULARITY)

    assert (first.status_code, first.headers["Range"]) == (308, f"bytes=0-{CHUNK_GRANULARITY - 1}")
    assert (second.status_code, second.headers["Range"]) == (
        308,
        f"bytes=0-{2 * CHUNK_GRANULARITY - 1}",
    )
    assert last.status_code == 200
    assert youtube.video(last.json()["id"]).size_bytes == len(VIDEO)


def test_a_chunk_that_is_not_whole_blocks_is_kept_only_up_to_the_last_block(
    youtube: FakeYouTube, auth
):
    url = session_url(youtube, auth)

    partial = put_chunk(url, VIDEO[:300_000], 0)
    resumed_at = int(partial.headers["Range"].rsplit("-", 1)[1]) + 1
    done = put_chunk(url, VIDEO[resumed_at:], resumed_at)

    assert resumed_at == CHUNK_GRANULARITY
    assert done.status_code == 200
    assert youtube.video(done.json()["id"]).sha256 == hashlib.sha256(VIDEO).hexdigest()


def test_the_status_query_says_where_to_resume(youtube: FakeYouTube, auth):
    url = session_url(youtube, auth)

    nothing_yet = ask_status(url)
    put_chunk(url, VIDEO[:CHUNK_GRANULARITY], 0)
    half = ask_status(url)

    assert nothing_yet.status_code == 308
    assert "Range" not in nothing_yet.headers
    assert half.headers["Range"] == f"bytes=0-{CHUNK_GRANULARITY - 1}"


def test_a_lost_final_answer_is_recovered_by_the_status_query(youtube: FakeYouTube, auth):
    url = session_url(youtube, auth)
    youtube.faults.add("lost_response", operation="upload_final")

    lost = requests.put(url, data=VIDEO, timeout=TIMEOUT)
    recovered = ask_status(url)
    again = requests.put(url, data=VIDEO, timeout=TIMEOUT)

    assert lost.status_code == 500
    assert recovered.status_code == 200
    assert recovered.json()["id"] == again.json()["id"] == youtube.posts()[0].id
    assert len(youtube.posts()) == 1


def test_an_expired_session_answers_404(youtube: FakeYouTube, auth, clock: ManualClock):
    url = session_url(youtube, auth)
    clock.advance(7 * 86_400)

    gone = ask_status(url)

    assert gone.status_code == 404
    assert reason_of(gone) == "notFound"


def test_a_session_can_be_expired_on_purpose(youtube: FakeYouTube, auth):
    url = session_url(youtube, auth)
    upload_id = parse_qs(urlsplit(url).query)["upload_id"][0]

    requests.post(f"{youtube.url}/_sandbox/upload_sessions/{upload_id}/expire", timeout=TIMEOUT)

    assert put_chunk(url, VIDEO[:CHUNK_GRANULARITY], 0).status_code == 404


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"snippet": {"title": "가" * 101}}, "invalidTitle"),
        ({"snippet": {"title": "<b>라떼</b>"}}, "invalidTitle"),
        ({"snippet": {"title": ""}}, "invalidTitle"),
        ({"snippet": {"title": "ok", "description": "a" * 5001}}, "invalidDescription"),
        (
            {"snippet": {"title": "ok"}, "status": {"privacyStatus": "friends"}},
            "invalidVideoMetadata",
        ),
        (
            {
                "snippet": {"title": "ok"},
                "status": {"privacyStatus": "public", "publishAt": "2026-02-01T00:00:00Z"},
            },
            "invalidPublishAt",
        ),
        (
            {
                "snippet": {"title": "ok"},
                "status": {"privacyStatus": "private", "publishAt": "2025-02-01T00:00:00Z"},
            },
            "invalidPublishAt",
        ),
    ],
)
def test_an_invalid_resource_is_refused(youtube: FakeYouTube, auth, change, reason):
    refused = start_upload(youtube, auth, resource=change)

    assert refused.status_code == 400
    assert reason_of(refused) == reason
    assert error_of(refused)["status"] == "INVALID_ARGUMENT"


def test_a_scheduled_private_video_goes_public_at_publish_at(
    youtube: FakeYouTube, auth, clock: ManualClock
):
    resource = {
        "snippet": {"title": "예약 #Shorts"},
        "status": {"privacyStatus": "private", "publishAt": "2026-01-06T00:00:00Z"},
    }
    video_id = requests.put(
        session_url(youtube, auth, resource=resource), data=VIDEO, timeout=TIMEOUT
    ).json()["id"]

    def read() -> dict[str, Any]:
        return requests.get(
            f"{youtube.url}/youtube/v3/videos",
            params={"part": "status,statistics", "id": video_id},
            headers=auth,
            timeout=TIMEOUT,
        ).json()["items"][0]

    before = read()
    clock.set(dt.datetime(2026, 1, 7, tzinfo=dt.UTC))
    after = read()

    assert before["status"]["privacyStatus"] == "private"
    assert before["status"]["publishAt"] == "2026-01-06T00:00:00Z"
    assert before["statistics"]["viewCount"] == "0"
    assert after["status"]["privacyStatus"] == "public"
    assert int(after["statistics"]["viewCount"]) > 0


def test_an_unverified_app_locks_uploads_to_private(youtube: FakeYouTube, auth):
    youtube.unverified_app = True

    video = requests.put(session_url(youtube, auth), data=VIDEO, timeout=TIMEOUT).json()

    assert video["status"]["privacyStatus"] == "private"
    assert youtube.posts()[0].extra["locked_private"] is True


def test_the_daily_upload_budget_answers_quota_exceeded(
    youtube: FakeYouTube, auth, clock: ManualClock
):
    youtube.daily_upload_quota = 1
    session_url(youtube, auth)

    over = start_upload(youtube, auth)
    clock.advance(86_400)  # the next Pacific day

    assert (over.status_code, reason_of(over)) == (403, "quotaExceeded")
    assert error_of(over)["errors"][0]["domain"] == "youtube.quota"
    assert start_upload(youtube, auth).status_code == 200


def test_a_channel_upload_limit_answers_upload_limit_exceeded(youtube: FakeYouTube, auth):
    youtube.channel_daily_upload_limit = 1
    session_url(youtube, auth)

    over = start_upload(youtube, auth)

    assert (over.status_code, reason_of(over)) == (400, "uploadLimitExceeded")


def test_only_the_resumable_protocol_is_spoken(youtube: FakeYouTube, auth):
    answer = requests.post(
        f"{youtube.url}/upload/youtube/v3/videos",
        params={"uploadType": "multipart", "part": "snippet"},
        json=RESOURCE,
        headers=auth,
        timeout=TIMEOUT,
    )

    assert answer.status_code == 400


# --- Reads ---------------------------------------------------------------------------------------


def test_statistics_are_strings_that_grow_after_upload(
    youtube: FakeYouTube, auth, clock: ManualClock
):
    ids = [
        requests.put(session_url(youtube, auth), data=VIDEO, timeout=TIMEOUT).json()["id"]
        for _ in range(2)
    ]

    def statistics() -> list[dict[str, str]]:
        items = requests.get(
            f"{youtube.url}/youtube/v3/videos",
            params={"part": "snippet,status,statistics", "id": ",".join(ids)},
            headers=auth,
            timeout=TIMEOUT,
        ).json()["items"]
        return [item["statistics"] for item in items]

    fresh = statistics()
    clock.advance(3 * 86_400)
    later = statistics()

    assert (
        fresh
        == [{"viewCount": "0", "likeCount": "0", "favoriteCount": "0", "commentCount": "0"}] * 2
    )
    assert all(isinstance(value, str) for item in later for value in item.values())
    assert all(int(item["viewCount"]) > 0 for item in later)
    assert later[0]["viewCount"] == str(youtube.metrics(ids[0])["views"])


def test_videos_list_needs_a_part_and_takes_at_most_50_ids(youtube: FakeYouTube, auth):
    no_part = requests.get(
        f"{youtube.url}/youtube/v3/videos", params={"id": "x"}, headers=auth, timeout=TIMEOUT
    )
    too_many = requests.get(
        f"{youtube.url}/youtube/v3/videos",
        params={"part": "statistics", "id": ",".join(f"v{n}" for n in range(51))},
        headers=auth,
        timeout=TIMEOUT,
    )
    unknown = requests.get(
        f"{youtube.url}/youtube/v3/videos",
        params={"part": "statistics", "id": "nope"},
        headers=auth,
        timeout=TIMEOUT,
    )

    assert reason_of(no_part) == "missingRequiredParameter"
    assert reason_of(too_many) == "invalidFilters"
    assert unknown.json()["items"] == []


def test_another_channel_cannot_see_a_private_video(youtube: FakeYouTube, auth):
    resource = {"snippet": {"title": "비공개"}, "status": {"privacyStatus": "private"}}
    video_id = requests.put(
        session_url(youtube, auth, resource=resource), data=VIDEO, timeout=TIMEOUT
    ).json()["id"]
    stranger = {"Authorization": f"Bearer {youtube.token_for(youtube.channel_id_for('stranger'))}"}

    seen = requests.get(
        f"{youtube.url}/youtube/v3/videos",
        params={"part": "id", "id": video_id},
        headers=stranger,
        timeout=TIMEOUT,
    )

    assert seen.json()["items"] == []


def test_the_channel_and_its_uploads_playlist_list_videos_newest_first(
    youtube: FakeYouTube, auth, channel: str, clock: ManualClock
):
    first = requests.put(session_url(youtube, auth), data=VIDEO, timeout=TIMEOUT).json()["id"]
    clock.advance(60)
    second = requests.put(session_url(youtube, auth), data=VIDEO, timeout=TIMEOUT).json()["id"]

    me = requests.get(
        f"{youtube.url}/youtube/v3/channels",
        params={"part": "snippet,contentDetails,statistics", "mine": "true"},
        headers=auth,
        timeout=TIMEOUT,
    ).json()["items"][0]
    uploads = me["contentDetails"]["relatedPlaylists"]["uploads"]
    page = requests.get(
        f"{youtube.url}/youtube/v3/playlistItems",
        params={"part": "snippet,contentDetails", "playlistId": uploads, "maxResults": 1},
        headers=auth,
        timeout=TIMEOUT,
    ).json()
    rest = requests.get(
        f"{youtube.url}/youtube/v3/playlistItems",
        params={"part": "snippet", "playlistId": uploads, "pageToken": page["nextPageToken"]},
        headers=auth,
        timeout=TIMEOUT,
    ).json()

    assert me["id"] == channel
    assert me["snippet"]["customUrl"] == "@yeonnam_cafe"
    assert me["statistics"]["videoCount"] == "2"
    assert [item["contentDetails"]["videoId"] for item in page["items"]] == [second]
    assert [item["snippet"]["resourceId"]["videoId"] for item in rest["items"]] == [first]


def test_a_bad_token_is_a_401_auth_error(youtube: FakeYouTube):
    answer = requests.get(
        f"{youtube.url}/youtube/v3/channels",
        params={"part": "snippet", "mine": "true"},
        headers={"Authorization": "Bearer ya29.not-a-token"},
        timeout=TIMEOUT,
    )

    assert answer.status_code == 401
    assert reason_of(answer) == "authError"
    assert error_of(answer)["status"] == "UNAUTHENTICATED"
    assert "invalid_token" in answer.headers["WWW-Authenticate"]


def test_an_expired_access_token_is_refused(youtube: FakeYouTube, channel: str, clock: ManualClock):
    auth = {"Authorization": f"Bearer {youtube.token_for(channel)}"}
    clock.advance(3600)

    answer = requests.get(
        f"{youtube.url}/youtube/v3/channels",
        params={"part": "snippet", "mine": "true"},
        headers=auth,
        timeout=TIMEOUT,
    )

    assert answer.status_code == 401


# --- Faults ------------------------------------------------------------------------------------------


def test_rate_limiting_is_a_429_with_retry_after(youtube: FakeYouTube, auth):
    youtube.faults.add("rate_limited", operation="videos.insert", retry_after_s=7)

    limited = start_upload(youtube, auth)

    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")
    assert reason_of(limited) == "rateLimitExceeded"
    assert start_upload(youtube, auth).status_code == 200


@pytest.mark.parametrize(("status", "reason"), [(500, "backendError"), (503, "backendError")])
def test_server_errors_come_in_google_json(youtube: FakeYouTube, auth, status, reason):
    youtube.faults.add("server_error", status=status)

    failed = start_upload(youtube, auth)

    assert (failed.status_code, reason_of(failed)) == (status, reason)


def test_a_revoked_token_fault_is_invalid_grant_at_the_token_endpoint_and_401_elsewhere(
    youtube: FakeYouTube, auth, channel
):
    youtube.faults.add("revoked_token", operation="token")
    youtube.faults.add("revoked_token", operation="read")
    refresh = _token(
        youtube, grant_type="refresh_token", refresh_token=youtube.refresh_token_for(channel)
    )
    read = requests.get(
        f"{youtube.url}/youtube/v3/videos",
        params={"part": "id", "id": "x"},
        headers=auth,
        timeout=TIMEOUT,
    )

    assert refresh.json()["error"] == "invalid_grant"
    assert read.status_code == 401


def test_a_processing_failure_and_slow_processing_show_in_upload_status(
    youtube: FakeYouTube, auth, clock: ManualClock
):
    youtube.faults.add("container_error", operation="upload_final")
    failed = requests.put(session_url(youtube, auth), data=VIDEO, timeout=TIMEOUT).json()
    youtube.faults.add("slow_processing", extra_s=600)
    slow = requests.put(session_url(youtube, auth), data=VIDEO, timeout=TIMEOUT).json()
    clock.advance(601)
    later = requests.get(
        f"{youtube.url}/youtube/v3/videos",
        params={"part": "status,processingDetails", "id": slow["id"]},
        headers=auth,
        timeout=TIMEOUT,
    ).json()["items"][0]

    assert failed["status"]["uploadStatus"] == "failed"
    assert failed["status"]["failureReason"] == "codec"
    assert slow["status"]["uploadStatus"] == "uploaded"
    assert later["status"]["uploadStatus"] == "processed"
    assert later["processingDetails"]["processingStatus"] == "succeeded"


def test_tokens_from_the_http_control_work(youtube: FakeYouTube):
    issued = requests.post(
        f"{youtube.url}/_sandbox/tokens", json={"username": "bench_shop"}, timeout=TIMEOUT
    ).json()

    me = requests.get(
        f"{youtube.url}/youtube/v3/channels",
        params={"part": "snippet", "mine": "true"},
        headers={"Authorization": f"Bearer {issued['access_token']}"},
        timeout=TIMEOUT,
    ).json()["items"][0]

    assert me["id"] == issued["channel_id"] == youtube.channel_id_for("bench_shop")
    assert issued["refresh_token"].startswith("1//")
