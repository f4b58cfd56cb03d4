"""Media the platforms can fetch: checked before any container, with what to fix."""

from __future__ import annotations

import pytest

from publishing.media import check_media_url, public_url
from publishing.publishers.base import ErrorKind, PublishError
from sandbox.server import FakeServer, Reply
from tests.factories import AssetFactory

JPEG = b"\xff\xd8\xff" + bytes(100)


@pytest.fixture
def site():
    with FakeServer() as server:
        server.route(
            "GET", r"/media/ok.jpg", lambda r, m: Reply(body=JPEG, content_type="image/jpeg")
        )
        server.route(
            "GET", r"/media/html.jpg", lambda r, m: Reply(body="<html>", content_type="text/html")
        )
        yield server


def test_a_loopback_address_is_refused_for_a_real_platform_with_the_fix(site):
    with pytest.raises(PublishError) as refused:
        check_media_url(f"{site.url}/media/ok.jpg", mime_type="image/jpeg", size_bytes=len(JPEG))
    assert refused.value.kind is ErrorKind.PERMANENT
    assert "PUBLIC_BASE_URL" in refused.value.message
    assert site.requests == []  # refused before fetching anything


def test_the_sandbox_may_fetch_from_this_machine(site):
    check_media_url(
        f"{site.url}/media/ok.jpg", mime_type="image/jpeg", size_bytes=len(JPEG), allow_private=True
    )


@pytest.mark.parametrize(
    ("path", "size", "words"),
    [
        ("missing.jpg", 103, "404"),
        ("html.jpg", 6, "text/html"),
        ("ok.jpg", 999, "크기"),
    ],
)
def test_a_url_that_answers_wrongly_says_what_is_wrong(site, path, size, words):
    with pytest.raises(PublishError) as refused:
        check_media_url(
            f"{site.url}/media/{path}", mime_type="image/jpeg", size_bytes=size, allow_private=True
        )
    assert words in refused.value.message


def test_an_unreachable_address_says_so():
    with pytest.raises(PublishError, match="연결할 수 없습니다"):
        check_media_url(
            "http://127.0.0.1:9/media/x.jpg",
            mime_type="image/jpeg",
            size_bytes=1,
            allow_private=True,
        )


def test_file_system_media_hang_under_the_public_base_url(db, settings):
    settings.PUBLIC_BASE_URL = "https://shop.example.com/"
    asset = AssetFactory()
    assert public_url(asset) == f"https://shop.example.com/media/{asset.file.name}"
