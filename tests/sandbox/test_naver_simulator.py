"""FakeNaverBlog through the standard library's XML-RPC client, over real HTTP."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator

import pytest
import requests

from sandbox.naver import FakeNaverBlog
from sandbox.platform import ManualClock
from tests.sandbox.media_host import media_files

TIMEOUT = 5
BLOG = "yeonnam_cafe"
ARTICLE = {
    "title": "연남동 카페 봄 신메뉴 소개",
    "description": "<h2>딸기 라떼</h2><p>봄에만 나오는 메뉴예요.</p><p>#연남동카페 #딸기라떼</p>",
    "categories": ["메뉴 소개"],
    "mt_keywords": "연남동카페,딸기라떼,마포구",
}


@pytest.fixture
def naver() -> Iterator[FakeNaverBlog]:
    with FakeNaverBlog(clock=ManualClock(1_767_225_600)) as fake:
        yield fake


@pytest.fixture
def blog(naver: FakeNaverBlog) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(f"{naver.url}/xmlrpc")


@pytest.fixture
def password(naver: FakeNaverBlog) -> str:
    return naver.password_for(BLOG)


def test_a_new_post_goes_live_and_reads_back(naver: FakeNaverBlog, blog, password):
    post_id = blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, True)

    read = blog.metaWeblog.getPost(post_id, BLOG, password)

    assert isinstance(post_id, str) and post_id.isdigit()
    assert read["title"] == ARTICLE["title"]
    assert read["description"] == ARTICLE["description"]
    assert read["categories"] == ["메뉴 소개"]
    assert read["mt_keywords"] == "연남동카페,딸기라떼,마포구"
    assert read["permaLink"] == f"{naver.url}/{BLOG}/{post_id}"
    [post] = naver.posts()
    assert (post.id, post.title, post.user_id, post.media_type) == (
        post_id,
        ARTICLE["title"],
        BLOG,
        "BLOG",
    )
    assert post.extra["tags"] == ["연남동카페", "딸기라떼", "마포구"]
    assert requests.get(post.permalink, timeout=TIMEOUT).status_code == 200


def test_the_users_blogs_name_the_blog(naver: FakeNaverBlog, blog, password):
    [entry] = blog.blogger.getUsersBlogs("", BLOG, password)

    assert entry == {
        "url": f"{naver.url}/{BLOG}",
        "blogid": BLOG,
        "blogName": f"{BLOG}의 블로그",
        "isAdmin": True,
    }


def test_a_wrong_password_is_a_fault(blog, password):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        blog.metaWeblog.newPost(BLOG, BLOG, password + "x", ARTICLE, True)

    assert fault.value.faultCode == 403


def test_someone_elses_blog_is_a_fault(naver: FakeNaverBlog, blog, password):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        blog.metaWeblog.newPost("other_blog", BLOG, password, ARTICLE, True)

    assert fault.value.faultCode == 404
    assert naver.posts() == []


def test_a_post_needs_a_title(blog, password):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        blog.metaWeblog.newPost(BLOG, BLOG, password, {"description": "<p>본문</p>"}, True)

    assert fault.value.faultCode == 400


def test_a_revoked_password_stops_working(naver: FakeNaverBlog, blog, password):
    naver.revoke(password)

    with pytest.raises(xmlrpc.client.Fault):
        blog.blogger.getUsersBlogs("", BLOG, password)


def test_a_draft_is_kept_apart_from_published_posts(naver: FakeNaverBlog, blog, password):
    post_id = blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, False)

    assert naver.posts() == []
    assert [draft.id for draft in naver.drafts()] == [post_id]
    assert blog.metaWeblog.getPost(post_id, BLOG, password)["post_status"] == "draft"


def test_an_edit_keeps_the_id_and_changes_the_text(naver: FakeNaverBlog, blog, password):
    post_id = blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, True)

    edited = blog.metaWeblog.editPost(
        post_id, BLOG, password, {**ARTICLE, "title": "고친 제목"}, True
    )

    assert edited is True
    assert blog.metaWeblog.getPost(post_id, BLOG, password)["title"] == "고친 제목"
    assert len(naver.posts()) == 1


def test_recent_posts_come_newest_first(naver: FakeNaverBlog, blog, password):
    ids = [
        blog.metaWeblog.newPost(BLOG, BLOG, password, {**ARTICLE, "title": f"글 {n}"}, True)
        for n in range(3)
    ]

    recent = blog.metaWeblog.getRecentPosts(BLOG, BLOG, password, 2)

    assert [entry["postid"] for entry in recent] == [ids[2], ids[1]]


def test_an_uploaded_image_is_hosted_and_measured_in_the_post(naver: FakeNaverBlog, blog, password):
    jpeg, _ = media_files()["bright.jpg"]
    uploaded = blog.metaWeblog.newMediaObject(
        BLOG,
        BLOG,
        password,
        {"name": "라떼.jpg", "type": "image/jpeg", "bits": xmlrpc.client.Binary(jpeg)},
    )

    blog.metaWeblog.newPost(
        BLOG,
        BLOG,
        password,
        {**ARTICLE, "description": f'<p>사진</p><img src="{uploaded["url"]}">'},
        True,
    )

    hosted = requests.get(uploaded["url"], timeout=TIMEOUT)
    [post] = naver.posts()
    assert (hosted.status_code, hosted.content) == (200, jpeg)
    assert post.image_count == 1
    assert post.media[0].brightness > 0.9


def test_the_closed_api_faults_on_every_call(naver: FakeNaverBlog, blog, password):
    naver.api_ended = True

    for call in (
        lambda: blog.blogger.getUsersBlogs("", BLOG, password),
        lambda: blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, True),
        lambda: blog.metaWeblog.getPost("1", BLOG, password),
    ):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            call()
        assert "2020-05-06" in fault.value.faultString
    assert naver.posts() == []


def test_the_closed_api_can_also_be_a_missing_endpoint(naver: FakeNaverBlog, blog, password):
    naver.api_ended, naver.ended_as = True, "http_404"

    with pytest.raises(xmlrpc.client.ProtocolError) as error:
        blog.blogger.getUsersBlogs("", BLOG, password)

    assert error.value.errcode == 404


def test_an_unknown_method_or_bad_xml_is_a_fault(naver: FakeNaverBlog, blog):
    with pytest.raises(xmlrpc.client.Fault) as unknown:
        blog.wp.getPosts(1)
    garbage = requests.post(f"{naver.url}/xmlrpc", data=b"<not-xml-rpc", timeout=TIMEOUT)

    assert unknown.value.faultCode == -32601
    with pytest.raises(xmlrpc.client.Fault):
        xmlrpc.client.loads(garbage.content)


def test_a_lost_response_still_publishes(naver: FakeNaverBlog, blog, password):
    naver.faults.add("lost_response", operation="newPost")

    with pytest.raises(xmlrpc.client.ProtocolError) as error:
        blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, True)

    assert error.value.errcode == 500
    assert [
        entry["title"] for entry in blog.metaWeblog.getRecentPosts(BLOG, BLOG, password, 5)
    ] == [ARTICLE["title"]]


def test_quota_rate_limit_and_server_faults(naver: FakeNaverBlog, blog, password):
    naver.faults.add("quota_exceeded")
    naver.faults.add("rate_limited", operation="me", retry_after_s=3)
    naver.faults.add("server_error", operation="read")

    with pytest.raises(xmlrpc.client.Fault) as quota:
        blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, True)
    limited = requests.post(
        f"{naver.url}/xmlrpc",
        data=xmlrpc.client.dumps(("", BLOG, password), "blogger.getUsersBlogs"),
        timeout=TIMEOUT,
    )
    with pytest.raises(xmlrpc.client.ProtocolError) as server:
        blog.metaWeblog.getPost("1", BLOG, password)

    assert quota.value.faultCode == 429
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    assert server.value.errcode == 500


def test_the_daily_post_limit_faults(naver: FakeNaverBlog, blog, password):
    naver.daily_post_limit = 1
    blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, True)

    with pytest.raises(xmlrpc.client.Fault) as fault:
        blog.metaWeblog.newPost(BLOG, BLOG, password, ARTICLE, True)

    assert fault.value.faultCode == 429


def test_the_api_password_survives_a_restart_and_accounts_can_be_added(naver: FakeNaverBlog):
    with FakeNaverBlog(accounts={"hand_made": "pw-123"}) as restarted:
        proxy = xmlrpc.client.ServerProxy(f"{restarted.url}/xmlrpc")
        by_secret = proxy.blogger.getUsersBlogs("", BLOG, naver.password_for(BLOG))
        by_hand = proxy.blogger.getUsersBlogs("", "hand_made", "pw-123")

    assert by_secret[0]["blogid"] == BLOG
    assert by_hand[0]["blogid"] == "hand_made"


def test_the_sandbox_token_endpoint_gives_the_api_password(naver: FakeNaverBlog):
    issued = requests.post(
        f"{naver.url}/_sandbox/tokens", json={"username": "bench_blog"}, timeout=TIMEOUT
    ).json()

    assert issued == {
        "blog_id": "bench_blog",
        "username": "bench_blog",
        "user_id": "bench_blog",
        "api_password": naver.password_for("bench_blog"),
    }
