"""FakeInstagram and FakeThreads over real HTTP on 127.0.0.1, with the media they
download served by a second local server."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from content.specs import threads_length
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.platform import ManualClock
from sandbox.server import FakeServer, Reply
from tests.sandbox.media_host import MediaHost

TIMEOUT = 5


@dataclass
class Graph:
    """A logged-in Graph API client, as thin as a publisher's HTTP seam."""

    fake: FakeInstagram | FakeThreads
    user_id: str
    token: str
    version: str = "v21.0"

    def post(self, path: str, **data: Any) -> requests.Response:
        data.setdefault("access_token", self.token)
        return requests.post(f"{self.fake.url}/{self.version}/{path}", data=data, timeout=TIMEOUT)

    def get(self, path: str, **params: Any) -> requests.Response:
        params.setdefault("access_token", self.token)
        return requests.get(
            f"{self.fake.url}/{self.version}/{path}", params=params, timeout=TIMEOUT
        )

    def container(self, **data: Any) -> str:
        response = self.post(
            f"{self.user_id}/{'threads' if self.version == 'v1.0' else 'media'}", **data
        )
        assert response.status_code == 200, response.text
        return response.json()["id"]

    def status(self, container_id: str) -> str:
        if self.version == "v1.0":
            return self.get(container_id, fields="status,error_message").json()["status"]
        return self.get(container_id, fields="status_code,status").json()["status_code"]

    def publish(self, container_id: str) -> requests.Response:
        edge = "threads_publish" if self.version == "v1.0" else "media_publish"
        return self.post(f"{self.user_id}/{edge}", creation_id=container_id)


@contextmanager
def media_host_serving(name: str, body: bytes, content_type: str) -> Iterator[str]:
    """One more file on its own local server: the URL to it."""
    with FakeServer() as server:
        server.route(
            "GET", "/" + re.escape(name), lambda r, m: Reply(body=body, content_type=content_type)
        )
        yield f"{server.url}/{name}"


def error_of(response: requests.Response) -> dict[str, Any]:
    return response.json()["error"]


def eventually(condition: Callable[[], bool], within_s: float = 3.0) -> bool:
    """Wait for something another thread does (a held reply finishing), briefly."""
    done = threading.Event()
    deadline = time.monotonic() + within_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        done.wait(0.02)
    return True


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1_767_225_600)  # 2026-01-01 00:00 UTC (09:00 in Seoul)


@pytest.fixture
def instagram(clock: ManualClock) -> Iterator[FakeInstagram]:
    with FakeInstagram(clock=clock, video_processing_s=30, min_refresh_age_s=0) as fake:
        fake.faults.timeout_s = 0.3
        yield fake


@pytest.fixture
def ig(instagram: FakeInstagram) -> Graph:
    user_id = instagram.user_id_for("yeonnam_cafe")
    return Graph(instagram, user_id, instagram.token_for(user_id))


@pytest.fixture
def threads(clock: ManualClock) -> Iterator[FakeThreads]:
    with FakeThreads(clock=clock, video_processing_s=30, min_refresh_age_s=0) as fake:
        yield fake


@pytest.fixture
def th(threads: FakeThreads) -> Graph:
    user_id = threads.user_id_for("yeonnam_cafe")
    return Graph(threads, user_id, threads.token_for(user_id), version="v1.0")


# --- Instagram: the publishing flow ------------------------------------------------------


def test_an_image_goes_live_through_container_status_and_publish(ig: Graph, media: MediaHost):
    container_id = ig.container(
        image_url=media.url("feed.jpg"), caption="오늘의 라떼 ☕", alt_text="라떼"
    )

    status = ig.get(container_id, fields="status_code,status").json()
    published = ig.publish(container_id)

    assert status["status_code"] == "FINISHED"
    assert status["status"].startswith("Finished")
    assert published.status_code == 200
    [post] = ig.fake.posts()
    assert post.id == published.json()["id"] != container_id
    assert (post.user_id, post.container_id, post.caption) == (
        ig.user_id,
        container_id,
        "오늘의 라떼 ☕",
    )
    assert post.media_type == "IMAGE"
    assert post.media_urls == (media.url("feed.jpg"),)
    assert post.extra["alt_text"] == "라떼"
    assert post.permalink.startswith(f"{ig.fake.url}/p/")
    assert ig.fake.container_status(container_id) == "PUBLISHED"


def test_the_simulator_downloads_the_image_and_measures_it(ig: Graph, media: MediaHost):
    ig.publish(ig.container(image_url=media.url("feed.jpg")))

    [post] = ig.fake.posts()
    [stats] = post.media
    assert media.fetches("feed.jpg") == 1
    assert (stats.width, stats.height, stats.content_type) == (1080, 1350, "image/jpeg")
    assert 0.4 < stats.brightness < 0.7


def test_a_media_id_reads_back_with_permalink_timestamp_and_caption(ig: Graph, media: MediaHost):
    media_id = ig.publish(
        ig.container(image_url=media.url("feed.jpg"), caption="봄 신메뉴")
    ).json()["id"]

    body = ig.get(media_id, fields="id,permalink,timestamp,caption,media_type").json()

    assert body == {
        "id": media_id,
        "permalink": ig.fake.posts()[0].permalink,
        "timestamp": "2026-01-01T00:00:00+0000",
        "caption": "봄 신메뉴",
        "media_type": "IMAGE",
    }
    assert requests.get(body["permalink"], timeout=TIMEOUT).status_code == 200


@pytest.mark.parametrize(
    ("name", "subcode"),
    [("missing.jpg", 2207052), ("page.html", 2207052), ("empty.jpg", 2207052)],
)
def test_an_image_meta_cannot_use_fails_container_creation(
    ig: Graph, media: MediaHost, name, subcode
):
    response = ig.post(f"{ig.user_id}/media", image_url=media.url(name))

    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["error_subcode"], error["type"]) == (
        9004,
        subcode,
        "OAuthException",
    )
    assert error["message"].startswith("Media download has failed")
    assert error["fbtrace_id"]


def test_an_image_off_this_machine_is_never_fetched(ig: Graph):
    response = ig.post(f"{ig.user_id}/media", image_url="https://example.com/a.jpg")

    assert error_of(response)["error_subcode"] == 2207052
    assert "only fetches media from this machine" in error_of(response)["message"]


def test_an_image_outside_4_5_to_1_91_is_refused_with_2207009(ig: Graph, media: MediaHost):
    response = ig.post(f"{ig.user_id}/media", image_url=media.url("wide.jpg"))

    assert (error_of(response)["code"], error_of(response)["error_subcode"]) == (36003, 2207009)


def test_a_reel_stays_in_progress_until_it_is_processed(
    ig: Graph, media: MediaHost, clock: ManualClock
):
    container_id = ig.container(media_type="REELS", video_url=media.url("reel.mp4"), caption="릴스")

    assert ig.status(container_id) == "IN_PROGRESS"
    not_ready = ig.publish(container_id)
    clock.advance(31)
    assert ig.status(container_id) == "FINISHED"
    media_id = ig.publish(container_id).json()["id"]

    assert (error_of(not_ready)["code"], error_of(not_ready)["error_subcode"]) == (9007, 2207027)
    assert ig.get(media_id, fields="media_type,media_product_type").json() == {
        "media_type": "VIDEO",
        "media_product_type": "REELS",
        "id": media_id,
    }
    assert ig.fake.posts()[0].permalink.startswith(f"{ig.fake.url}/reel/")


def test_a_video_meta_cannot_download_ends_the_container_in_error(
    ig: Graph, media: MediaHost, clock: ManualClock
):
    container_id = ig.container(media_type="REELS", video_url=media.url("missing.mp4"))
    clock.advance(31)

    status = ig.get(container_id, fields="status_code,status").json()
    published = ig.publish(container_id)

    assert status["status_code"] == "ERROR"
    assert "2207052" in status["status"]
    assert error_of(published)["error_subcode"] == 2207052
    assert ig.fake.posts() == []


def test_a_single_feed_video_must_be_a_reel(ig: Graph, media: MediaHost):
    response = ig.post(f"{ig.user_id}/media", media_type="VIDEO", video_url=media.url("reel.mp4"))

    assert error_of(response)["code"] == 100


def test_publishing_a_published_container_again_makes_no_second_post(ig: Graph, media: MediaHost):
    container_id = ig.container(image_url=media.url("feed.jpg"))
    ig.publish(container_id)

    again = ig.publish(container_id)

    assert again.status_code == 400
    assert "already been published" in error_of(again)["message"]
    assert len(ig.fake.posts()) == 1


def test_racing_publish_calls_for_one_container_make_one_post(ig: Graph, media: MediaHost):
    container_id = ig.container(image_url=media.url("feed.jpg"))
    answers: list[int] = []
    callers = [
        threading.Thread(target=lambda: answers.append(ig.publish(container_id).status_code))
        for _ in range(8)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()

    assert sorted(answers) == [200] + [400] * 7
    assert len(ig.fake.posts()) == 1


def test_a_carousel_of_items_goes_live_as_one_post(ig: Graph, media: MediaHost):
    children = [
        ig.container(image_url=media.url("feed.jpg"), is_carousel_item="true"),
        ig.container(image_url=media.url("square.jpg"), is_carousel_item="true"),
    ]
    parent = ig.container(media_type="CAROUSEL", children=",".join(children), caption="메뉴 모음")

    media_id = ig.publish(parent).json()["id"]

    [post] = ig.fake.posts()
    assert post.media_type == "CAROUSEL_ALBUM"
    assert post.media_urls == (media.url("feed.jpg"), media.url("square.jpg"))
    assert ig.get(media_id, fields="children").json()["children"] == {
        "data": [{"id": c} for c in children]
    }
    assert ig.fake.quota_usage(ig.user_id) == 1


def test_a_carousel_waits_for_its_video_items(ig: Graph, media: MediaHost, clock: ManualClock):
    children = [
        ig.container(image_url=media.url("feed.jpg"), is_carousel_item="true"),
        ig.container(media_type="VIDEO", video_url=media.url("reel.mp4"), is_carousel_item="true"),
    ]
    parent = ig.container(media_type="CAROUSEL", children=",".join(children))

    before = ig.status(parent)
    clock.advance(31)

    assert (before, ig.status(parent)) == ("IN_PROGRESS", "FINISHED")


@pytest.mark.parametrize("count", [1, 11])
def test_a_carousel_needs_two_to_ten_items(ig: Graph, media: MediaHost, count):
    children = [
        ig.container(image_url=media.url("feed.jpg"), is_carousel_item="true") for _ in range(count)
    ]

    response = ig.post(f"{ig.user_id}/media", media_type="CAROUSEL", children=",".join(children))

    assert (error_of(response)["code"], error_of(response)["error_subcode"]) == (100, 2207028)


def test_a_carousel_item_cannot_be_published_alone(ig: Graph, media: MediaHost):
    item = ig.container(image_url=media.url("feed.jpg"), is_carousel_item="true")

    assert error_of(ig.publish(item))["code"] == 100


def test_an_unpublished_container_expires_after_24_hours(
    ig: Graph, media: MediaHost, clock: ManualClock
):
    container_id = ig.container(image_url=media.url("feed.jpg"))
    clock.advance(86_400)

    assert ig.status(container_id) == "EXPIRED"
    assert error_of(ig.publish(container_id))["error_subcode"] == 2207020


def test_a_caption_over_the_limits_is_refused(ig: Graph, media: MediaHost):
    tags = " ".join(f"#tag{n}" for n in range(31))

    mentions = " ".join(f"@friend{n}" for n in range(21))

    too_long = ig.post(f"{ig.user_id}/media", image_url=media.url("feed.jpg"), caption="가" * 2201)
    too_many_tags = ig.post(f"{ig.user_id}/media", image_url=media.url("feed.jpg"), caption=tags)
    too_many_mentions = ig.post(
        f"{ig.user_id}/media", image_url=media.url("feed.jpg"), caption=mentions
    )
    at_the_limit = ig.post(
        f"{ig.user_id}/media", image_url=media.url("feed.jpg"), caption="가" * 2200
    )

    assert (error_of(too_long)["code"], error_of(too_long)["error_subcode"]) == (36004, 2207010)
    assert error_of(too_many_tags)["error_subcode"] == 2207010
    assert (error_of(too_many_mentions)["code"], error_of(too_many_mentions)["error_subcode"]) == (
        100,
        2207040,
    )
    assert at_the_limit.status_code == 200


def test_an_unknown_media_type_or_image_format_is_refused(ig: Graph, media: MediaHost):
    stories = ig.post(f"{ig.user_id}/media", media_type="STORY", image_url=media.url("feed.jpg"))
    with media_host_serving("anim.gif", b"GIF89a-not-really", "image/gif") as gif:
        wrong_format = ig.post(f"{ig.user_id}/media", image_url=gif)

    assert (error_of(stories)["code"], error_of(stories)["error_subcode"]) == (100, 2207023)
    assert (error_of(wrong_format)["code"], error_of(wrong_format)["error_subcode"]) == (
        36001,
        2207005,
    )


def test_a_video_in_an_unsupported_format_fails_processing_with_2207026(
    ig: Graph, clock: ManualClock
):
    with media_host_serving("clip.webm", b"webm-bytes", "video/webm") as webm:
        container_id = ig.container(media_type="REELS", video_url=webm)
    clock.advance(31)

    error = error_of(ig.publish(container_id))

    assert ig.status(container_id) == "ERROR"
    assert (error["code"], error["error_subcode"]) == (352, 2207026)


def test_publishing_a_container_the_account_does_not_have_is_24_2207008(ig: Graph):
    error = error_of(ig.publish("17900000000000000"))

    assert (error["code"], error["error_subcode"]) == (24, 2207008)


def test_the_publishing_limit_is_reported_and_enforced(
    instagram: FakeInstagram, ig: Graph, media: MediaHost, clock: ManualClock
):
    instagram.publish_limit = 2
    for _ in range(2):
        ig.publish(ig.container(image_url=media.url("feed.jpg")))

    limit = ig.get(f"{ig.user_id}/content_publishing_limit", fields="quota_usage,config").json()
    over = ig.publish(ig.container(image_url=media.url("feed.jpg")))
    clock.advance(86_401)
    later = ig.publish(ig.container(image_url=media.url("feed.jpg")))

    assert limit == {
        "data": [{"quota_usage": 2, "config": {"quota_total": 2, "quota_duration": 86400}}]
    }
    assert (error_of(over)["code"], error_of(over)["error_subcode"]) == (9, 2207042)
    assert later.status_code == 200


def test_recent_media_lists_newest_first_for_the_reaper(
    ig: Graph, media: MediaHost, clock: ManualClock
):
    for caption in ("첫째", "둘째", "셋째"):
        ig.publish(ig.container(image_url=media.url("feed.jpg"), caption=caption))
        clock.advance(60)

    first_page = ig.get(
        f"{ig.user_id}/media", fields="id,caption,timestamp,permalink", limit=2
    ).json()
    after = first_page["paging"]["cursors"]["after"]
    second_page = ig.get(f"{ig.user_id}/media", fields="id,caption", limit=2, after=after).json()

    assert [item["caption"] for item in first_page["data"]] == ["셋째", "둘째"]
    assert set(first_page["data"][0]) == {"id", "caption", "timestamp", "permalink"}
    assert "next" in first_page["paging"]
    assert [item["caption"] for item in second_page["data"]] == ["첫째"]


def test_me_answers_the_professional_account(ig: Graph):
    body = ig.get("me", fields="user_id,username").json()

    assert body == {"user_id": ig.user_id, "username": "yeonnam_cafe", "id": ig.user_id}
    assert ig.get(ig.user_id, fields="username").json()["username"] == "yeonnam_cafe"


def test_insights_come_from_the_audience_and_grow_after_publishing(
    ig: Graph, media: MediaHost, clock: ManualClock
):
    media_id = ig.publish(
        ig.container(image_url=media.url("feed.jpg"), caption="어떠세요? 🍰")
    ).json()["id"]
    metrics = "views,reach,likes,comments,saved,shares,total_interactions"

    def numbers() -> dict[str, int]:
        data = ig.get(f"{media_id}/insights", metric=metrics).json()["data"]
        return {item["name"]: item["values"][0]["value"] for item in data}

    at_once = numbers()
    clock.advance(3600)
    after_an_hour = numbers()
    clock.advance(7 * 86_400)
    after_a_week = numbers()

    assert at_once["views"] == 0
    assert 0 < after_an_hour["views"] < after_a_week["views"]
    assert after_a_week == ig.fake.metrics(media_id)
    assert after_a_week["reach"] <= after_a_week["views"]
    assert after_a_week["total_interactions"] == sum(
        after_a_week[name] for name in ("likes", "comments", "saved", "shares")
    )
    item = ig.get(f"{media_id}/insights", metric="views").json()["data"][0]
    assert (item["period"], item["id"]) == ("lifetime", f"{media_id}/insights/views/lifetime")


def test_a_deprecated_or_unknown_metric_is_refused(ig: Graph, media: MediaHost):
    media_id = ig.publish(ig.container(image_url=media.url("feed.jpg"))).json()["id"]

    impressions = ig.get(f"{media_id}/insights", metric="impressions")
    unknown = ig.get(f"{media_id}/insights", metric="views,pageviews")

    assert "no longer supported" in error_of(impressions)["message"]
    assert error_of(unknown)["code"] == 100


def test_a_field_that_does_not_exist_is_refused(ig: Graph, media: MediaHost):
    container_id = ig.container(image_url=media.url("feed.jpg"))

    error = error_of(ig.get(container_id, fields="status_code,colour"))

    assert error["code"] == 100
    assert "nonexisting field (colour)" in error["message"]


def test_the_version_prefix_is_optional_and_a_bearer_header_works(ig: Graph):
    response = requests.get(
        f"{ig.fake.url}/me",
        params={"fields": "username"},
        headers={"Authorization": f"Bearer {ig.token}"},
        timeout=TIMEOUT,
    )

    assert response.json()["username"] == "yeonnam_cafe"


# --- Instagram: tokens ----------------------------------------------------------------------


def test_a_missing_or_forged_token_is_refused(ig: Graph):
    missing = requests.get(f"{ig.fake.url}/v21.0/me", timeout=TIMEOUT)
    forged = ig.get("me", access_token=ig.token[:-1] + ("0" if ig.token[-1] != "0" else "1"))

    assert error_of(missing)["code"] == 104
    assert (forged.status_code, error_of(forged)["code"]) == (400, 190)


def test_a_revoked_token_is_refused_with_190(ig: Graph):
    ig.fake.revoke(ig.token)

    error = error_of(ig.get("me"))

    assert (error["code"], error["error_subcode"]) == (190, 458)


def test_an_expired_token_is_refused_with_subcode_463(ig: Graph, clock: ManualClock):
    short = ig.fake.token_for(ig.user_id, kind="short")
    clock.advance(3601)

    error = error_of(ig.get("me", access_token=short))

    assert (error["code"], error["error_subcode"]) == (190, 463)


def test_a_token_cannot_act_for_another_account(ig: Graph, media: MediaHost):
    other = ig.fake.user_id_for("someone_else")

    response = ig.post(f"{other}/media", image_url=media.url("feed.jpg"))

    assert (error_of(response)["code"], error_of(response)["error_subcode"]) == (100, 33)


def test_a_restarted_simulator_accepts_tokens_it_issued_before(ig: Graph, clock: ManualClock):
    with FakeInstagram(clock=clock) as restarted:
        answer = requests.get(
            f"{restarted.url}/v21.0/me",
            params={"fields": "user_id", "access_token": ig.token},
            timeout=TIMEOUT,
        )

    assert answer.json()["user_id"] == ig.user_id


# --- Instagram: OAuth --------------------------------------------------------------------


def _authorize_url(fake: FakeInstagram | FakeThreads, **extra: str) -> str:
    params = {
        "client_id": "1234",
        "redirect_uri": "http://127.0.0.1:8000/connect/callback/",
        "scope": "instagram_business_basic,instagram_business_content_publish",
        "response_type": "code",
        "state": "s-42",
        **extra,
    }
    return requests.Request("GET", f"{fake.url}/oauth/authorize", params=params).prepare().url


def test_the_consent_page_shows_the_scopes_and_allow_and_deny(instagram: FakeInstagram):
    page = requests.get(_authorize_url(instagram), timeout=TIMEOUT)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    for text in ("허용 / Allow", "거부 / Deny", "instagram_business_content_publish", "권한"):
        assert text in page.text


def test_allowing_redirects_with_a_code_that_becomes_a_long_lived_token(instagram: FakeInstagram):
    allowed = requests.post(
        f"{instagram.url}/oauth/authorize",
        data={
            **parse_qs(urlsplit(_authorize_url(instagram)).query),
            "decision": "allow",
            "username": "bakery_kim",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    location = urlsplit(allowed.headers["Location"])
    query = parse_qs(location.query)

    short = requests.post(
        f"{instagram.url}/oauth/access_token",
        data={
            "client_id": "1234",
            "client_secret": "app-secret",
            "grant_type": "authorization_code",
            "redirect_uri": "http://127.0.0.1:8000/connect/callback/",
            "code": query["code"][0],
        },
        timeout=TIMEOUT,
    ).json()
    long_lived = requests.get(
        f"{instagram.url}/access_token",
        params={
            "grant_type": "ig_exchange_token",
            "client_secret": "app-secret",
            "access_token": short["access_token"],
        },
        timeout=TIMEOUT,
    ).json()
    refreshed = requests.get(
        f"{instagram.url}/refresh_access_token",
        params={"grant_type": "ig_refresh_token", "access_token": long_lived["access_token"]},
        timeout=TIMEOUT,
    ).json()

    assert allowed.status_code == 302
    assert location.fragment == "_"  # Instagram appends #_
    assert query["state"] == ["s-42"]
    assert str(short["user_id"]) == instagram.user_id_for("bakery_kim")
    assert short["permissions"] == [
        "instagram_business_basic",
        "instagram_business_content_publish",
    ]
    assert long_lived["token_type"] == "bearer"
    assert long_lived["expires_in"] == refreshed["expires_in"] == 5_183_944
    me = requests.get(
        f"{instagram.url}/v21.0/me",
        params={"fields": "username", "access_token": refreshed["access_token"]},
        timeout=TIMEOUT,
    ).json()
    assert me["username"] == "bakery_kim"


def test_a_code_works_once(instagram: FakeInstagram):
    redirect = requests.get(
        _authorize_url(instagram, decision="allow"), allow_redirects=False, timeout=TIMEOUT
    )
    code = parse_qs(urlsplit(redirect.headers["Location"]).query)["code"][0]
    exchange = {
        "client_id": "1234",
        "client_secret": "s",
        "grant_type": "authorization_code",
        "redirect_uri": "http://127.0.0.1:8000/connect/callback/",
        "code": code,
    }

    first = requests.post(f"{instagram.url}/oauth/access_token", data=exchange, timeout=TIMEOUT)
    second = requests.post(f"{instagram.url}/oauth/access_token", data=exchange, timeout=TIMEOUT)

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json()["error_type"] == "OAuthException"


def test_denying_redirects_with_access_denied(instagram: FakeInstagram):
    redirect = requests.get(
        _authorize_url(instagram, decision="deny"), allow_redirects=False, timeout=TIMEOUT
    )

    query = parse_qs(urlsplit(redirect.headers["Location"]).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["s-42"]
    assert "code" not in query


def test_a_fresh_long_lived_token_is_not_refreshed_before_24_hours(clock: ManualClock):
    with FakeInstagram(clock=clock) as fake:
        token = fake.token_for(fake.user_id_for("a"))
        early = requests.get(
            f"{fake.url}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": token},
            timeout=TIMEOUT,
        )
        clock.advance(86_400)
        later = requests.get(
            f"{fake.url}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": token},
            timeout=TIMEOUT,
        )

    assert early.status_code == 400
    assert later.status_code == 200


# --- Faults ------------------------------------------------------------------------------------


def test_a_queued_server_error_is_served_once_in_graph_format(ig: Graph, media: MediaHost):
    ig.fake.faults.add("server_error")

    failed = ig.post(f"{ig.user_id}/media", image_url=media.url("feed.jpg"))
    retried = ig.post(f"{ig.user_id}/media", image_url=media.url("feed.jpg"))

    assert failed.status_code == 500
    assert error_of(failed)["is_transient"] is True
    assert retried.status_code == 200


def test_rate_limiting_answers_code_4_with_the_usage_headers(ig: Graph):
    ig.fake.faults.add("rate_limited", retry_after_s=120)

    response = ig.get("me")

    assert (response.status_code, error_of(response)["code"]) == (400, 4)
    usage = response.json()["error"]
    assert usage["message"] == "Application request limit reached"
    assert '"estimated_time_to_regain_access": 2' in response.headers["X-Business-Use-Case-Usage"]
    assert "X-App-Usage" in response.headers
    assert "Retry-After" not in response.headers  # Meta does not send one


def test_a_benchmark_can_ask_for_retry_after_in_seconds(ig: Graph):
    ig.fake.send_retry_after = True
    ig.fake.faults.add("rate_limited", retry_after_s=1.5)

    assert ig.get("me").headers["Retry-After"] == "2"


def test_a_fault_targeted_at_status_reads_leaves_publishing_alone(ig: Graph, media: MediaHost):
    ig.fake.faults.add("server_error", times=2, operation="status")
    container_id = ig.container(image_url=media.url("feed.jpg"))

    reads = [ig.get(container_id, fields="status_code").status_code for _ in range(3)]
    published = ig.publish(container_id)

    assert reads == [500, 500, 200]
    assert published.status_code == 200


def test_a_lost_publish_response_still_leaves_the_post_live(ig: Graph, media: MediaHost):
    container_id = ig.container(image_url=media.url("feed.jpg"), caption="잃어버린 응답")
    ig.fake.faults.add("lost_response", operation="media_publish")

    answer = ig.publish(container_id)

    assert answer.status_code == 500
    assert ig.status(container_id) == "PUBLISHED"
    listed = ig.get(f"{ig.user_id}/media", fields="id,caption").json()["data"]
    assert [item["caption"] for item in listed] == ["잃어버린 응답"]
    assert error_of(ig.publish(container_id))["code"] == 100  # a blind retry makes no second post
    assert len(ig.fake.posts()) == 1


def test_a_lost_response_can_drop_the_connection(ig: Graph, media: MediaHost):
    container_id = ig.container(image_url=media.url("feed.jpg"))
    ig.fake.faults.add("lost_response", operation="publish", drop=True)

    with pytest.raises(requests.ConnectionError):
        ig.publish(container_id)

    assert len(ig.fake.posts()) == 1


def test_a_timeout_holds_the_answer_and_then_does_the_work(ig: Graph, media: MediaHost):
    container_id = ig.container(image_url=media.url("feed.jpg"))
    ig.fake.faults.add("timeout", operation="publish", hold_s=0.5)

    with pytest.raises(requests.Timeout):
        requests.post(
            f"{ig.fake.url}/v21.0/{ig.user_id}/media_publish",
            data={"creation_id": container_id, "access_token": ig.token},
            timeout=0.1,
        )

    assert eventually(lambda: len(ig.fake.posts()) == 1)  # the held call still published


def test_a_revoked_token_fault_refuses_one_call_only(ig: Graph):
    ig.fake.faults.add("revoked_token")

    first = ig.get("me")
    second = ig.get("me")

    assert error_of(first)["code"] == 190
    assert second.status_code == 200


def test_container_faults_shape_the_next_container(ig: Graph, media: MediaHost, clock: ManualClock):
    ig.fake.faults.add("container_error")
    failing = ig.container(image_url=media.url("feed.jpg"))
    ig.fake.faults.add("container_expired")
    expiring = ig.container(image_url=media.url("feed.jpg"))
    ig.fake.faults.add("slow_processing", extra_s=120)
    slow = ig.container(image_url=media.url("feed.jpg"))

    states = (ig.status(failing), ig.status(expiring), ig.status(slow))
    clock.advance(121)

    assert states == ("ERROR", "EXPIRED", "IN_PROGRESS")
    assert ig.status(slow) == "FINISHED"


def test_quota_and_unfetchable_media_faults(ig: Graph, media: MediaHost):
    ig.fake.faults.add("media_unfetchable")
    unfetchable = ig.post(f"{ig.user_id}/media", image_url=media.url("feed.jpg"))
    container_id = ig.container(image_url=media.url("feed.jpg"))
    ig.fake.faults.add("quota_exceeded")
    over_quota = ig.publish(container_id)

    assert error_of(unfetchable)["error_subcode"] == 2207052
    assert media.fetches("feed.jpg") == 1  # the unfetchable one was never requested
    assert error_of(over_quota)["error_subcode"] == 2207042
    assert ig.publish(container_id).status_code == 200


def test_random_fault_rates_are_seeded(media: MediaHost):
    def outcomes(seed: int) -> list[int]:
        with FakeInstagram(seed=seed) as fake:
            fake.faults.rates = {"server_error": 0.5}
            token = fake.token_for(fake.user_id_for("a"))
            return [
                requests.get(
                    f"{fake.url}/v21.0/me", params={"access_token": token}, timeout=TIMEOUT
                ).status_code
                for _ in range(20)
            ]

    first, again, other = outcomes(7), outcomes(7), outcomes(8)

    assert first == again
    assert first != other
    assert {200, 500} == set(first)


def test_faults_switch_on_over_http_from_another_process(ig: Graph, media: MediaHost):
    configured = requests.post(
        f"{ig.fake.url}/_sandbox/faults",
        json={
            "add": [{"kind": "server_error", "operation": "publish", "status": 503}],
            "rates": {"lost_response@publish": 0.0},
        },
        timeout=TIMEOUT,
    )
    container_id = ig.container(image_url=media.url("feed.jpg"))
    unavailable = ig.publish(container_id)
    bad = requests.post(
        f"{ig.fake.url}/_sandbox/faults", json={"kind": "gremlins"}, timeout=TIMEOUT
    )

    assert configured.json()["queue"] == [
        {"kind": "server_error", "operation": "publish", "times": 1, "status": 503}
    ]
    assert (unavailable.status_code, error_of(unavailable)["code"]) == (503, 2)
    assert bad.status_code == 400
    assert requests.get(f"{ig.fake.url}/_sandbox/faults", timeout=TIMEOUT).json()["fired"] == {
        "server_error": 1
    }


# --- Inspection over HTTP -----------------------------------------------------------------------


def test_posts_tokens_config_and_reset_over_http(
    instagram: FakeInstagram, media: MediaHost, clock: ManualClock
):
    issued = requests.post(
        f"{instagram.url}/_sandbox/tokens", json={"username": "http_shop"}, timeout=TIMEOUT
    ).json()
    client = Graph(instagram, issued["user_id"], issued["access_token"])
    client.publish(client.container(image_url=media.url("feed.jpg"), caption="HTTP"))
    clock.advance(86_400)

    posts = requests.get(
        f"{instagram.url}/_sandbox/posts", params={"metrics": "1"}, timeout=TIMEOUT
    ).json()["data"]
    config = requests.post(
        f"{instagram.url}/_sandbox/config", json={"video_processing_s": 1}, timeout=TIMEOUT
    ).json()
    refused = requests.post(f"{instagram.url}/_sandbox/config", json={"colour": 1}, timeout=TIMEOUT)
    requests.post(
        f"{instagram.url}/_sandbox/revoke", json={"token": issued["access_token"]}, timeout=TIMEOUT
    )
    revoked = client.get("me")
    requests.post(f"{instagram.url}/_sandbox/reset", timeout=TIMEOUT)

    assert issued["username"] == "http_shop"
    assert [(post["text"], post["username"]) for post in posts] == [("HTTP", "http_shop")]
    assert posts[0]["metrics"]["views"] > 0
    assert config["video_processing_s"] == 1.0
    assert refused.status_code == 400
    assert error_of(revoked)["code"] == 190
    assert instagram.posts() == []
    assert requests.get(f"{instagram.url}/", timeout=TIMEOUT).status_code == 200


# --- Threads ---------------------------------------------------------------------------------------


def test_a_text_thread_goes_live(th: Graph):
    container_id = th.container(media_type="TEXT", text="오늘 문 여는 시간은 11시예요")

    status = th.get(container_id, fields="status,error_message").json()
    media_id = th.post(f"{th.user_id}/threads_publish", creation_id=container_id).json()["id"]
    read = th.get(media_id, fields="id,permalink,timestamp,text,media_type").json()

    assert status == {"status": "FINISHED", "id": container_id}
    assert read["text"] == "오늘 문 여는 시간은 11시예요"
    assert read["media_type"] == "TEXT_POST"
    assert read["permalink"] == f"{th.fake.url}/@yeonnam_cafe/post/{th.fake.posts()[0].shortcode}"
    assert th.status(container_id) == "PUBLISHED"
    assert requests.get(read["permalink"], timeout=TIMEOUT).status_code == 200


def test_thread_text_counts_emoji_as_their_utf8_bytes(th: Graph):
    assert threads_length("가🍰") == 1 + 4
    fits = th.post(f"{th.user_id}/threads", media_type="TEXT", text="가" * 496 + "🍰")
    too_long = th.post(f"{th.user_id}/threads", media_type="TEXT", text="가" * 497 + "🍰")

    assert fits.status_code == 200
    assert error_of(too_long)["code"] == 100


def test_an_image_thread_is_downloaded_and_a_video_must_finish_first(
    th: Graph, media: MediaHost, clock: ManualClock
):
    image = th.container(media_type="IMAGE", image_url=media.url("square.jpg"), text="사진")
    video = th.container(media_type="VIDEO", video_url=media.url("reel.mp4"), text="영상")

    too_early = th.publish(video)
    clock.advance(31)

    assert th.publish(image).status_code == 200
    assert (error_of(too_early)["code"], error_of(too_early)["error_subcode"]) == (24, 4279009)
    assert th.publish(video).status_code == 200
    assert [post.media_type for post in th.fake.posts()] == ["IMAGE", "VIDEO"]
    assert media.fetches("square.jpg") == 1


def test_a_failed_video_thread_reports_its_error_message(
    th: Graph, media: MediaHost, clock: ManualClock
):
    container_id = th.container(media_type="VIDEO", video_url=media.url("missing.mp4"))
    clock.advance(31)

    assert th.get(container_id, fields="status,error_message").json() == {
        "status": "ERROR",
        "error_message": "FAILED_DOWNLOADING_VIDEO",
        "id": container_id,
    }


def test_a_thread_carousel_goes_live_as_one_post(th: Graph, media: MediaHost):
    children = [
        th.container(media_type="IMAGE", image_url=media.url(name), is_carousel_item="true")
        for name in ("feed.jpg", "square.jpg", "stripes.jpg")
    ]
    parent = th.container(media_type="CAROUSEL", children=",".join(children), text="세 장")

    th.publish(parent)

    [post] = th.fake.posts()
    assert (post.media_type, len(post.media)) == ("CAROUSEL_ALBUM", 3)


def test_threads_limit_list_me_and_insights(th: Graph, clock: ManualClock):
    media_id = th.publish(th.container(media_type="TEXT", text="질문 있어요?")).json()["id"]

    limit = th.get(f"{th.user_id}/threads_publishing_limit", fields="quota_usage,config").json()
    clock.advance(2 * 86_400)
    listed = th.get(f"{th.user_id}/threads", fields="id,text,timestamp,permalink").json()["data"]
    me = th.get("me", fields="id,username").json()
    insights = th.get(
        f"{media_id}/insights", metric="views,likes,replies,reposts,quotes,shares"
    ).json()["data"]

    assert limit == {
        "data": [{"quota_usage": 1, "config": {"quota_total": 250, "quota_duration": 86400}}]
    }
    assert [item["id"] for item in listed] == [media_id]
    assert me == {"id": th.user_id, "username": "yeonnam_cafe"}
    assert [item["name"] for item in insights] == [
        "views",
        "likes",
        "replies",
        "reposts",
        "quotes",
        "shares",
    ]
    assert insights[0]["values"][0]["value"] > 0


def test_threads_oauth_gives_a_short_then_long_lived_token(threads: FakeThreads):
    redirect = requests.get(
        _authorize_url(threads, scope="threads_basic,threads_content_publish", decision="allow"),
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    code = parse_qs(urlsplit(redirect.headers["Location"]).query)["code"][0]
    exchange = {
        "client_id": "1234",
        "client_secret": "s",
        "grant_type": "authorization_code",
        "redirect_uri": "http://127.0.0.1:8000/connect/callback/",
        "code": code,
    }

    short = requests.post(
        f"{threads.url}/oauth/access_token", data=exchange, timeout=TIMEOUT
    ).json()
    reused = requests.post(f"{threads.url}/oauth/access_token", data=exchange, timeout=TIMEOUT)
    long_lived = requests.get(
        f"{threads.url}/access_token",
        params={
            "grant_type": "th_exchange_token",
            "client_secret": "s",
            "access_token": short["access_token"],
        },
        timeout=TIMEOUT,
    ).json()

    assert set(short) == {"access_token", "user_id"}
    assert "#" not in redirect.headers["Location"]
    assert error_of(reused)["type"] == "OAuthException"
    assert long_lived["expires_in"] == 5_183_944
    assert threads.signer.read(long_lived["access_token"], "THSB").kind == "long"


def test_an_instagram_token_is_not_a_threads_token(ig: Graph, threads: FakeThreads):
    response = requests.get(
        f"{threads.url}/v1.0/me", params={"access_token": ig.token}, timeout=TIMEOUT
    )

    assert error_of(response)["code"] == 190
