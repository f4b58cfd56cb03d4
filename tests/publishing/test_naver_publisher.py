"""The Naver Blog XML-RPC publisher against FakeNaverBlog, over real HTTP on 127.0.0.1.

newPost has no container, so the tests pin the exactly-once rule: a retry after an
unknown outcome looks for its post before it writes again.
"""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator
from dataclasses import replace

import pytest

from publishing.publishers import endpoints_for, publisher_for
from publishing.publishers.base import (
    Credentials,
    Endpoints,
    ErrorKind,
    Media,
    Published,
    PublishError,
    PublishJob,
)
from publishing.publishers.naver import FallbackToAssisted, NaverBlogPublisher
from sandbox.naver import FakeNaverBlog
from sandbox.platform import ManualClock
from sandbox.server import FakeServer
from tests.publishing.meta_fixtures import Ledger, next_attempt

BLOG = "yeonnam_cafe"
TITLE = "연남동 카페 신메뉴, 밤 라떼 후기"
HEADER_URL = "https://cdn.example.com/media/blog-header.jpg"
BODY_URL = "https://cdn.example.com/media/blog-1.jpg"
BODY = (
    f'<p><img src="{HEADER_URL}" alt="밤 라떼"><br><small>밤 라떼</small></p>\n'
    "<h3>가을 한정 메뉴</h3>\n<p>고소한 밤 크림을 올렸어요.</p>"
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def naver(settings, clock: ManualClock) -> Iterator[FakeNaverBlog]:
    with FakeNaverBlog(clock=clock) as fake:
        settings.SANDBOX_NAVER_URL = fake.url
        yield fake


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def publisher() -> NaverBlogPublisher:
    return NaverBlogPublisher()


def blog_job(naver: FakeNaverBlog, ledger: Ledger, **changes) -> PublishJob:
    job = PublishJob(
        publication_id=1,
        platform="naver_blog",
        format="blog",
        text=BODY,
        title=TITLE,
        tags=["연남동카페", "#밤라떼"],
        endpoints=endpoints_for("naver_blog", sandbox=True),
        credentials=Credentials(user_id=BLOG, username=BLOG, api_password=naver.password_for(BLOG)),
        media=[
            Media(
                kind="image",
                url=HEADER_URL,
                mime_type="image/jpeg",
                size_bytes=1,
                caption="밤 라떼",
            ),
            Media(
                kind="image",
                url=BODY_URL,
                mime_type="image/jpeg",
                size_bytes=1,
                caption="창가 자리",
            ),
        ],
        options={"category": "메뉴 소개"},
        saver=ledger.save,
        recorder=ledger.record,
    )
    return replace(job, **changes)


def new_posts(naver: FakeNaverBlog) -> int:
    """How many metaWeblog.newPost calls reached the simulator."""
    return sum(
        1
        for request in naver.requests_to(r"/xmlrpc", method="POST")
        if b"<methodName>metaWeblog.newPost</methodName>" in request.body
    )


def refusal(publisher: NaverBlogPublisher, job: PublishJob) -> PublishError:
    with pytest.raises(PublishError) as caught:
        publisher.publish(job)
    return caught.value


def write_directly(naver: FakeNaverBlog, title: str) -> str:
    blog = xmlrpc.client.ServerProxy(f"{naver.url}/xmlrpc")
    return str(
        blog.metaWeblog.newPost(
            BLOG, BLOG, naver.password_for(BLOG), {"title": title, "description": "<p>…</p>"}, True
        )
    )


# --- Posting ---------------------------------------------------------------------------------


def test_it_posts_the_article_with_newpost(publisher, naver, ledger):
    result = publisher.publish(blog_job(naver, ledger))

    [post] = naver.posts()
    assert result == Published(
        external_id=post.id, permalink=f"https://blog.naver.com/{BLOG}/{post.id}"
    )
    assert post.title == TITLE
    assert post.visibility == "public"
    assert post.extra["tags"] == ["연남동카페", "밤라떼"]
    assert post.extra["categories"] == ["메뉴 소개"]
    assert ledger.committed[0] == post.id


def test_images_missing_from_the_html_are_added_in_order_with_their_captions(
    publisher, naver, ledger
):
    publisher.publish(blog_job(naver, ledger))

    [post] = naver.posts()
    assert post.media_urls == (HEADER_URL, BODY_URL)  # the header is not shown twice
    assert post.text.endswith(
        f'<p><img src="{BODY_URL}" alt="창가 자리"><br><small>창가 자리</small></p>'
    )


def test_plain_text_becomes_paragraphs(publisher, naver, ledger):
    job = blog_job(naver, ledger, text="첫 줄 <인사>\n\n둘째 줄", media=[])

    publisher.publish(job)

    assert naver.posts()[0].text == "<p>첫 줄 &lt;인사&gt;</p><p>둘째 줄</p>"


def test_the_attempt_is_committed_before_newpost_goes_out(publisher, naver, ledger):
    publisher.publish(blog_job(naver, ledger))

    [call] = [call for call in ledger.calls if call.action == "metaWeblog.newPost"]
    assert call.committed is not None
    assert call.committed[1]["newpost_sent"] is True
    assert call.committed[1]["title"] == TITLE
    assert "api_password" not in str(call.summary)


# --- Exactly once ----------------------------------------------------------------------------


@pytest.mark.parametrize("drop", [False, True], ids=["answer-500", "connection-dropped"])
def test_a_lost_answer_is_found_on_the_blog_and_not_posted_again(publisher, naver, ledger, drop):
    naver.faults.add("lost_response", operation="newPost", drop=drop)
    job = blog_job(naver, ledger)

    error = refusal(publisher, job)
    assert error.kind is ErrorKind.TRANSIENT
    assert error.outcome_unknown
    [post] = naver.posts()

    result = publisher.publish(next_attempt(job, ledger))

    assert result.external_id == post.id
    assert len(naver.posts()) == 1
    assert new_posts(naver) == 1
    assert ledger.actions()[-1] == "metaWeblog.getRecentPosts"


def test_a_call_that_never_took_effect_is_posted_once_after_looking(publisher, naver, ledger):
    naver.faults.add("server_error", operation="newPost")  # refused before any work
    job = blog_job(naver, ledger)
    assert refusal(publisher, job).kind is ErrorKind.TRANSIENT
    assert naver.posts() == []

    result = publisher.publish(next_attempt(job, ledger))

    assert isinstance(result, Published)
    assert len(naver.posts()) == 1
    assert ledger.actions()[-2:] == ["metaWeblog.getRecentPosts", "metaWeblog.newPost"]


def test_an_older_post_with_the_same_title_is_not_taken_for_ours(publisher, naver, ledger, clock):
    clock.advance(-3600)
    older = write_directly(naver, TITLE)
    clock.advance(3600)
    naver.faults.add("server_error", operation="newPost")
    job = blog_job(naver, ledger)
    refusal(publisher, job)

    result = publisher.publish(next_attempt(job, ledger))

    assert result.external_id != older
    assert len(naver.posts()) == 2


def test_a_saved_post_id_is_answered_without_calling_naver(publisher, naver, ledger):
    job = blog_job(naver, ledger)
    first = publisher.publish(job)
    naver.clear_requests()

    again = publisher.publish(next_attempt(job, ledger))

    assert again == first
    assert naver.requests == []


def test_find_published_looks_for_the_post_of_an_unknown_outcome(publisher, naver, ledger):
    naver.faults.add("lost_response", operation="newPost")
    job = blog_job(naver, ledger)
    assert publisher.find_published(job) is None
    refusal(publisher, job)

    found = publisher.find_published(next_attempt(job, ledger))

    assert found is not None
    assert found.external_id == naver.posts()[0].id


# --- Falling back to assisted publishing -------------------------------------------------------


def test_a_fault_falls_back_to_assisted_publishing(publisher, naver, ledger):
    naver.api_ended = True

    error = refusal(publisher, blog_job(naver, ledger))

    assert isinstance(error, FallbackToAssisted)
    assert error.kind is ErrorKind.PERMANENT
    assert error.message.startswith(
        "네이버가 API 글쓰기를 거절했습니다(블로그 글쓰기 API 서비스가 종료되었습니다."
    )
    assert error.message.endswith("직접 게시 도우미로 바꿔 알림을 보내드릴게요.")
    assert error.code == "403"
    assert naver.posts() == []


def test_an_endpoint_that_is_gone_falls_back_to_assisted_publishing(publisher, naver, ledger):
    naver.api_ended, naver.ended_as = True, "http_404"

    error = refusal(publisher, blog_job(naver, ledger))

    assert isinstance(error, FallbackToAssisted)
    assert (error.kind, error.status) == (ErrorKind.PERMANENT, 404)


def test_an_endpoint_that_refuses_connections_falls_back_to_assisted_publishing(
    publisher, naver, ledger
):
    with FakeServer() as closed:
        gone = f"{closed.url}/xmlrpc"  # nothing listens here once it stops

    error = refusal(publisher, blog_job(naver, ledger, endpoints=Endpoints(api=gone)))

    assert isinstance(error, FallbackToAssisted)
    assert error.kind is ErrorKind.PERMANENT
    assert "연결할 수 없음" in error.message


def test_a_wrong_api_password_flags_the_account_and_still_falls_back(publisher, naver, ledger):
    job = blog_job(naver, ledger)
    job = replace(job, credentials=replace(job.credentials, api_password="wrong"))

    error = refusal(publisher, job)

    assert isinstance(error, FallbackToAssisted)
    assert error.kind is ErrorKind.AUTH
    assert "API 비밀번호" in error.message
    assert "직접 게시 도우미" in error.message


def test_a_fault_while_looking_for_an_earlier_post_falls_back_with_a_warning(
    publisher, naver, ledger
):
    naver.faults.add("lost_response", operation="newPost")
    job = blog_job(naver, ledger)
    refusal(publisher, job)
    naver.api_ended = True

    error = refusal(publisher, next_attempt(job, ledger))

    assert isinstance(error, FallbackToAssisted)
    assert "이미 올라갔는지 먼저 확인" in error.message
    assert len(naver.posts()) == 1


# --- Passing trouble -----------------------------------------------------------------------------


def test_a_server_error_is_transient(publisher, naver, ledger):
    naver.faults.add("server_error", operation="newPost", status=503)

    error = refusal(publisher, blog_job(naver, ledger))

    assert (error.kind, error.status) == (ErrorKind.TRANSIENT, 503)
    assert not isinstance(error, FallbackToAssisted)


def test_rate_limiting_honours_retry_after(publisher, naver, ledger):
    naver.faults.add("rate_limited", operation="newPost", retry_after_s=90)

    error = refusal(publisher, blog_job(naver, ledger))

    assert (error.kind, error.status, error.retry_after_s) == (ErrorKind.TRANSIENT, 429, 90)


def test_the_registry_builds_the_naver_publisher():
    assert isinstance(publisher_for("naver_blog"), NaverBlogPublisher)
