"""Connecting channel accounts: the OAuth flows against the platform simulators over
real HTTP, Naver's XML-RPC check, token refresh, re-authentication and tenancy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from publishing import account_transitions, accounts, crypto, transitions
from publishing.models import ChannelAccount
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.naver import FakeNaverBlog
from sandbox.platform import ManualClock
from sandbox.youtube import FakeYouTube
from tests.conftest import Tenant
from tests.factories import ChannelAccountFactory

State = ChannelAccount.State
Mode = ChannelAccount.Mode


# --- The simulators ---------------------------------------------------------------------


@pytest.fixture
def instagram(settings) -> Iterator[FakeInstagram]:
    with FakeInstagram() as fake:
        settings.SANDBOX_INSTAGRAM_URL = fake.url
        yield fake


@pytest.fixture
def threads(settings) -> Iterator[FakeThreads]:
    with FakeThreads() as fake:
        settings.SANDBOX_THREADS_URL = fake.url
        yield fake


@pytest.fixture
def youtube(settings) -> Iterator[FakeYouTube]:
    with FakeYouTube(client_id="sandbox", client_secret="sandbox") as fake:
        settings.SANDBOX_YOUTUBE_URL = fake.url
        yield fake


@pytest.fixture
def naver(settings) -> Iterator[FakeNaverBlog]:
    with FakeNaverBlog() as fake:
        settings.SANDBOX_NAVER_URL = fake.url
        yield fake


class _Form(HTMLParser):
    """The consent page's form: where it posts and its fields; and its deny link."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = attributes.get("action", "")
        elif tag in ("input", "button") and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "a" and attributes.get("id"):
            self.links[attributes["id"]] = attributes.get("href", "")


def consent(authorize_url: str, *, choice: str = "allow", username: str = "") -> str:
    """Act as the owner on the simulator's consent page; returns where it sends them
    back (path and query on Gagecast: the browser drops the fragment)."""
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200, page.text
    form = _Form()
    form.feed(page.text)
    if choice == "allow":
        fields = {**form.fields, "decision": "allow"}
        if username:
            fields["username"] = username
        answer = requests.post(
            urljoin(authorize_url, form.action), data=fields, allow_redirects=False, timeout=5
        )
    else:
        answer = requests.get(
            urljoin(authorize_url, form.links["deny"]), allow_redirects=False, timeout=5
        )
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def start(client: Client, business_id: int, platform: str, *, mode: str = "sandbox") -> str:
    response = client.post(
        reverse("publishing:connect", args=[business_id, platform]), {"mode": mode}
    )
    assert response.status_code == 302, response.content
    return response["Location"]


def connect(
    client: Client, business_id: int, platform: str, *, username: str = ""
) -> tuple[ChannelAccount, Any]:
    """The whole sandbox flow: button, consent, callback. Returns the account saved and
    the callback's response."""
    back = consent(start(client, business_id, platform), username=username)
    response = client.get(back)
    account = ChannelAccount.objects.filter(business_id=business_id, platform=platform).latest(
        "updated_at"
    )
    return account, response


def stored(account: ChannelAccount, column: str) -> str:
    table = connection.ops.quote_name(ChannelAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [account.pk]
        )
        return cursor.fetchone()[0]


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# --- OAuth through the sandbox ----------------------------------------------------------


@pytest.mark.django_db
def test_an_owner_connects_a_sandbox_instagram_account_and_the_tokens_are_stored_encrypted(
    alice: Tenant, instagram: FakeInstagram
):
    client = alice.client()

    account, response = connect(client, alice.business.pk, "instagram", username="alice_bakery")

    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:channels", args=[alice.business.pk])
    assert account.mode == Mode.SANDBOX
    assert account.state == State.ACTIVE
    assert account.display_name == "alice_bakery"
    assert account.external_id == instagram.user_id_for("alice_bakery")
    assert account.connected_by == alice.user
    assert account.scopes == (
        "instagram_business_basic,instagram_business_content_publish,"
        "instagram_business_manage_insights"
    )
    # A long-lived token: about 60 days.
    assert account.token_expires_at > timezone.now() + dt.timedelta(days=59)
    assert account.access_token.startswith("IGSB.")
    assert instagram.signer.read(account.access_token, "IGSB").kind == "long"
    raw = stored(account, "access_token")
    assert account.access_token not in raw
    assert crypto.decrypt(raw) == account.access_token
    page = client.get(response["Location"]).content.decode()
    assert "alice_bakery" in page
    assert "정상이에요" in page


@pytest.mark.django_db
def test_instagram_gets_the_client_credentials_in_the_form_body_and_the_documented_scopes(
    alice: Tenant, instagram: FakeInstagram
):
    authorize = urlsplit(start(alice.client(), alice.business.pk, "instagram"))
    query = parse_qs(authorize.query)

    assert authorize.path == "/oauth/authorize"
    assert query["client_id"] == ["sandbox"]
    assert query["response_type"] == ["code"]
    assert query["scope"] == [
        "instagram_business_basic,instagram_business_content_publish,"
        "instagram_business_manage_insights"
    ]
    assert query["redirect_uri"] == ["http://testserver/app/channels/callback/instagram/"]
    assert len(query["state"][0]) >= 32

    connect(alice.client(), alice.business.pk, "instagram")
    (exchange,) = instagram.requests_to(r"/oauth/access_token", "POST")
    form = parse_qs(exchange.body.decode())
    assert form["client_id"] == ["sandbox"]
    assert form["client_secret"] == ["sandbox"]
    assert form["grant_type"] == ["authorization_code"]
    assert "authorization" not in exchange.headers
    (long_lived,) = instagram.requests_to(r"/access_token", "GET")
    assert long_lived.param("grant_type") == "ig_exchange_token"


@pytest.mark.django_db
def test_an_owner_connects_a_sandbox_threads_account(alice: Tenant, threads: FakeThreads):
    account, _ = connect(alice.client(), alice.business.pk, "threads", username="alice_threads")

    assert (account.platform, account.mode, account.state) == ("threads", Mode.SANDBOX, "active")
    assert account.display_name == "alice_threads"
    assert account.external_id == threads.user_id_for("alice_threads")
    assert account.scopes == "threads_basic,threads_content_publish,threads_manage_insights"
    assert threads.signer.read(account.access_token, threads.token_prefix).kind == "long"
    (long_lived,) = threads.requests_to(r"/access_token", "GET")
    assert long_lived.param("grant_type") == "th_exchange_token"
    (me,) = threads.requests_to(r"/v1\.0/me", "GET")
    assert me.param("fields") == "id,username"


@pytest.mark.django_db
def test_connecting_the_same_account_again_updates_it_in_place(
    alice: Tenant, instagram: FakeInstagram
):
    instagram.clock = ManualClock()
    first, _ = connect(alice.client(), alice.business.pk, "instagram", username="alice_bakery")
    instagram.clock.advance(60)
    second, _ = connect(alice.client(), alice.business.pk, "instagram", username="alice_bakery")

    assert second.pk == first.pk
    assert second.access_token != first.access_token
    assert ChannelAccount.objects.filter(platform="instagram").count() == 1


@pytest.mark.django_db
def test_reconnecting_lets_the_collector_ask_again_for_what_the_old_grant_refused(
    alice: Tenant, youtube: FakeYouTube
):
    first, _ = connect(alice.client(), alice.business.pk, "youtube_shorts")
    ChannelAccount.objects.filter(pk=first.pk).update(
        refused_metrics=["estimatedMinutesWatched", "averageViewDuration"]
    )

    again, _ = connect(alice.client(), alice.business.pk, "youtube_shorts")

    assert again.pk == first.pk
    assert again.refused_metrics == []
    assert "yt-analytics.readonly" in again.scopes


@pytest.mark.django_db
def test_a_denied_consent_brings_the_owner_back_with_a_message_and_saves_nothing(
    alice: Tenant, instagram: FakeInstagram
):
    client = alice.client()
    back = consent(start(client, alice.business.pk, "instagram"), choice="deny")

    response = client.get(back)

    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:channels", args=[alice.business.pk])
    assert any("연결을 취소했어요" in text for text in messages_of(response))
    assert not ChannelAccount.objects.exists()


@pytest.mark.django_db
def test_a_callback_whose_state_this_session_did_not_start_is_refused(
    alice: Tenant, bob: Tenant, instagram: FakeInstagram
):
    client = alice.client()
    back = consent(start(client, alice.business.pk, "instagram"))
    code = parse_qs(urlsplit(back).query)["code"][0]

    forged = client.get(
        reverse("publishing:callback", args=["instagram"]), {"code": code, "state": "forged"}
    )
    in_bobs_session = bob.client().get(back)

    for response in (forged, in_bobs_session):
        assert response.status_code == 302
        assert response["Location"] == reverse("marketing:dashboard")
        assert any("연결 요청을 확인할 수 없어요" in text for text in messages_of(response))
    assert not ChannelAccount.objects.exists()
    assert not instagram.requests_to(r"/oauth/access_token")  # the code was never used


@pytest.mark.django_db
def test_a_callback_is_good_for_one_use_only(alice: Tenant, instagram: FakeInstagram):
    client = alice.client()
    back = consent(start(client, alice.business.pk, "instagram"))
    client.get(back)

    replay = client.get(back)

    assert replay["Location"] == reverse("marketing:dashboard")
    assert len(instagram.requests_to(r"/oauth/access_token")) == 1


@pytest.mark.django_db
def test_a_code_the_platform_refuses_brings_the_owner_back_with_its_reason(
    alice: Tenant, instagram: FakeInstagram
):
    client = alice.client()
    back = consent(start(client, alice.business.pk, "instagram"))
    query = parse_qs(urlsplit(back).query)

    response = client.get(urlsplit(back).path, {"code": "made-up", "state": query["state"][0]})

    assert response["Location"] == reverse("publishing:channels", args=[alice.business.pk])
    (text,) = messages_of(response)
    assert "연결에 실패했어요" in text
    assert "Invalid authorization code" in text
    assert not ChannelAccount.objects.exists()


@pytest.mark.django_db
def test_a_platform_that_is_down_during_the_exchange_says_to_try_again_later(
    alice: Tenant, instagram: FakeInstagram
):
    client = alice.client()
    back = consent(start(client, alice.business.pk, "instagram"))
    instagram.faults.add("server_error", operation="oauth")

    response = client.get(back)

    (text,) = messages_of(response)
    assert "잠시 응답이 없어요" in text
    assert not ChannelAccount.objects.exists()


@pytest.mark.django_db
def test_an_owner_connects_a_sandbox_youtube_channel_with_offline_access(
    alice: Tenant, youtube: FakeYouTube
):
    account, response = connect(
        alice.client(), alice.business.pk, "youtube_shorts", username="앨리스 베이커리"
    )

    assert response["Location"] == reverse("publishing:channels", args=[alice.business.pk])
    assert (account.mode, account.state) == (Mode.SANDBOX, State.ACTIVE)
    assert account.external_id == youtube.channel_id_for("앨리스 베이커리")
    assert account.display_name == "앨리스 베이커리"
    assert account.scopes == (
        "https://www.googleapis.com/auth/youtube.upload,"
        "https://www.googleapis.com/auth/youtube.readonly,"
        "https://www.googleapis.com/auth/yt-analytics.readonly"
    )
    assert account.refresh_token.startswith("1//sandbox")  # offline access + consent prompt
    assert account.token_expires_at < timezone.now() + dt.timedelta(hours=1)
    for column in ("access_token", "refresh_token"):
        assert getattr(account, column) not in stored(account, column)
    (exchange,) = youtube.requests_to(r"/token", "POST")
    assert parse_qs(exchange.body.decode())["client_secret"] == ["sandbox"]
    (channels,) = youtube.requests_to(r"/youtube/v3/channels", "GET")
    assert (channels.param("part"), channels.param("mine")) == ("snippet", "true")
    assert channels.headers["authorization"] == f"Bearer {account.access_token}"


@pytest.mark.django_db
def test_a_denied_google_consent_brings_the_owner_back_with_a_message(
    alice: Tenant, youtube: FakeYouTube
):
    client = alice.client()
    back = consent(start(client, alice.business.pk, "youtube_shorts"), choice="deny")

    response = client.get(back)

    assert any("연결을 취소했어요" in text for text in messages_of(response))
    assert not ChannelAccount.objects.exists()


# --- Refresh ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_google_refresh_without_a_new_refresh_token_keeps_the_old_one(
    alice: Tenant, youtube: FakeYouTube
):
    youtube.clock = ManualClock()
    account, _ = connect(alice.client(), alice.business.pk, "youtube_shorts")
    old_access, old_refresh = account.access_token, account.refresh_token
    youtube.clock.advance(3000)

    assert accounts.refresh_due_tokens() == 1

    account.refresh_from_db()
    assert account.access_token != old_access
    assert account.refresh_token == old_refresh
    assert account.state == State.ACTIVE
    refresh = youtube.requests_to(r"/token", "POST")[-1]
    form = parse_qs(refresh.body.decode())
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == [old_refresh]
    assert (form["client_id"], form["client_secret"]) == (["sandbox"], ["sandbox"])


@pytest.mark.django_db
def test_a_revoked_google_grant_marks_the_account_for_reconnection_and_emails_once(
    alice: Tenant, youtube: FakeYouTube
):
    account, _ = connect(alice.client(), alice.business.pk, "youtube_shorts")
    youtube.revoke(account.refresh_token)

    assert accounts.refresh_account(account) == accounts.RefreshOutcome.NEEDS_REAUTH
    assert accounts.refresh_due_tokens() == 0
    account_transitions.mark_needs_reauth(account, "YouTube 401")  # a publish failing the same way

    account.refresh_from_db()
    assert account.state == State.NEEDS_REAUTH
    assert "Token has been expired or revoked" in account.state_reason
    assert account.refresh_token  # kept: the owner may still be asked to reconnect
    (email,) = mail.outbox
    assert "유튜브 쇼츠" in email.subject
    assert f"/app/businesses/{alice.business.pk}/channels/" in email.body


@pytest.mark.django_db
def test_meta_tokens_are_refreshed_before_expiry_only_once_a_day_old(
    alice: Tenant, instagram: FakeInstagram
):
    connected_at = timezone.now()
    instagram.clock = ManualClock(connected_at)
    account, _ = connect(alice.client(), alice.business.pk, "instagram")
    old_token = account.access_token

    # Too young (Meta refuses under 24 h) and far from expiry: nothing to do.
    assert accounts.refresh_due_tokens(now=connected_at + dt.timedelta(hours=1)) == 0
    assert accounts.refresh_account(account, now=connected_at + dt.timedelta(hours=1)) == (
        accounts.RefreshOutcome.NOT_DUE
    )
    assert not instagram.requests_to(r"/refresh_access_token")

    later = connected_at + dt.timedelta(days=51)  # within TOKEN_REFRESH_BEFORE_DAYS (10)
    instagram.clock.set(later)
    assert accounts.refresh_due_tokens(now=later) == 1

    account.refresh_from_db()
    assert account.access_token != old_token
    assert account.token_refreshed_at == later
    assert account.token_expires_at > later + dt.timedelta(days=59)
    (refresh,) = instagram.requests_to(r"/refresh_access_token")
    assert refresh.param("grant_type") == "ig_refresh_token"
    assert refresh.param("access_token") == old_token
    assert accounts.refresh_due_tokens(now=later + dt.timedelta(hours=2)) == 0


@pytest.mark.django_db
def test_a_revoked_meta_token_marks_the_account_for_reconnection_and_emails_once(
    alice: Tenant, instagram: FakeInstagram
):
    connected_at = timezone.now()
    instagram.clock = ManualClock(connected_at)
    account, _ = connect(alice.client(), alice.business.pk, "instagram")
    instagram.revoke(account.access_token)
    later = connected_at + dt.timedelta(days=55)
    instagram.clock.set(later)

    assert accounts.refresh_due_tokens(now=later) == 0
    assert accounts.refresh_due_tokens(now=later) == 0

    account.refresh_from_db()
    assert account.state == State.NEEDS_REAUTH
    assert "has not authorized application" in account.state_reason
    assert len(mail.outbox) == 1
    (email,) = mail.outbox
    assert email.to == ["alice@example.com"]
    assert "다시 연결해 주세요" in email.subject
    assert f"/app/businesses/{alice.business.pk}/channels/" in email.body


@pytest.mark.django_db
def test_a_platform_that_is_down_during_refresh_changes_nothing_and_is_tried_next_time(
    alice: Tenant, instagram: FakeInstagram
):
    connected_at = timezone.now()
    instagram.clock = ManualClock(connected_at)
    account, _ = connect(alice.client(), alice.business.pk, "instagram")
    later = connected_at + dt.timedelta(days=55)
    instagram.clock.set(later)
    instagram.faults.add("server_error", operation="token")

    with pytest.raises(accounts.TokenRefreshError):
        accounts.refresh_account(account, now=later)
    assert accounts.refresh_due_tokens(now=later) == 1  # the next run goes through

    account.refresh_from_db()
    assert account.state == State.ACTIVE
    assert mail.outbox == []


# --- Flagging and reconnecting ----------------------------------------------------------


@pytest.mark.django_db
def test_mark_needs_reauth_sends_one_email_per_transition(alice: Tenant):
    account = ChannelAccountFactory(business=alice.business)

    assert account_transitions.mark_needs_reauth(account, "토큰이 취소됨") is True
    assert account_transitions.mark_needs_reauth(account, "토큰이 취소됨") is False

    assert account.state == State.NEEDS_REAUTH
    assert account.state_reason == "토큰이 취소됨"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reconnecting_a_flagged_account_makes_it_active_and_runs_the_reconnect_hook(
    alice: Tenant,
    instagram: FakeInstagram,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
):
    reconnected: list[int] = []
    monkeypatch.setattr(transitions, "reconnect", lambda a: reconnected.append(a.pk))
    account, _ = connect(alice.client(), alice.business.pk, "instagram")
    account_transitions.mark_needs_reauth(account, "Graph 190")
    page = alice.client().get(reverse("publishing:channels", args=[alice.business.pk]))
    assert "Graph 190" in page.content.decode()
    assert "다시 연결" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        again, _ = connect(alice.client(), alice.business.pk, "instagram")

    assert again.pk == account.pk
    assert (again.state, again.state_reason) == (State.ACTIVE, "")
    assert reconnected == [account.pk]


# --- Disconnecting ----------------------------------------------------------------------


@pytest.mark.django_db
def test_disconnecting_disables_the_account_and_wipes_its_secrets(alice: Tenant):
    account = ChannelAccountFactory(
        business=alice.business, refresh_token="r-token", api_password="pw"
    )

    response = alice.client().post(reverse("publishing:disconnect", args=[account.pk]))

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.state == State.DISABLED
    assert (account.access_token, account.refresh_token, account.api_password) == ("", "", "")
    assert stored(account, "access_token") == ""


@pytest.mark.django_db
def test_disconnecting_needs_a_post(alice: Tenant):
    account = ChannelAccountFactory(business=alice.business)

    response = alice.client().get(reverse("publishing:disconnect", args=[account.pk]))

    assert response.status_code == 405
    account.refresh_from_db()
    assert account.state == State.ACTIVE


# --- The page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_offers_real_connections_only_for_platforms_whose_app_keys_are_set(
    alice: Tenant, settings
):
    settings.META_INSTAGRAM_APP_ID = "ig-app"
    settings.META_INSTAGRAM_APP_SECRET = "ig-secret"
    settings.SANDBOX_ACCOUNTS_ENABLED = False

    page = alice.client().get(reverse("publishing:channels", args=[alice.business.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "인스타그램 계정 연결" in html
    assert "스레드 계정 연결" not in html
    assert "유튜브 쇼츠 계정 연결" not in html
    assert "샌드박스로 연결" not in html
    assert "직접 게시 도우미 사용" in html


@pytest.mark.django_db
def test_a_real_connection_goes_to_the_platform_with_the_registered_redirect_uri(
    alice: Tenant, settings
):
    settings.GOOGLE_YOUTUBE_CLIENT_ID = "yt-client.apps.googleusercontent.com"
    settings.GOOGLE_YOUTUBE_CLIENT_SECRET = "yt-secret"
    settings.PUBLIC_BASE_URL = "https://gagecast.example"

    location = urlsplit(start(alice.client(), alice.business.pk, "youtube_shorts", mode="api"))
    query = parse_qs(location.query)

    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://accounts.google.com/o/oauth2/v2/auth"
    )
    assert query["client_id"] == ["yt-client.apps.googleusercontent.com"]
    assert query["redirect_uri"] == [
        "https://gagecast.example/app/channels/callback/youtube_shorts/"
    ]
    assert query["access_type"] == ["offline"]
    assert query["prompt"] == ["consent"]
    assert query["scope"] == [
        "https://www.googleapis.com/auth/youtube.upload "
        "https://www.googleapis.com/auth/youtube.readonly "
        "https://www.googleapis.com/auth/yt-analytics.readonly"
    ]


@pytest.mark.django_db
def test_a_real_connection_without_app_keys_is_refused_with_a_message(alice: Tenant):
    client = alice.client()

    response = client.post(
        reverse("publishing:connect", args=[alice.business.pk, "threads"]), {"mode": "api"}
    )

    assert response["Location"] == reverse("publishing:channels", args=[alice.business.pk])
    assert any("앱 키가 아직 설정되지 않아" in text for text in messages_of(response))


@pytest.mark.django_db
def test_the_business_page_links_to_the_channels_page(alice: Tenant):
    page = alice.client().get(reverse("marketing:business_detail", args=[alice.business.pk]))

    assert reverse("publishing:channels", args=[alice.business.pk]) in page.content.decode()


@pytest.mark.django_db
def test_the_page_runs_the_same_number_of_queries_whatever_the_number_of_accounts(
    alice: Tenant, django_assert_max_num_queries: Any
):
    client = alice.client()
    url = reverse("publishing:channels", args=[alice.business.pk])
    ChannelAccountFactory(business=alice.business, connected_by=alice.user)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for platform in ("instagram", "threads", "youtube_shorts", "naver_blog"):
        for _ in range(3):
            ChannelAccountFactory(
                business=alice.business, platform=platform, connected_by=alice.user
            )

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- Tenancy and roles ------------------------------------------------------------------


@pytest.mark.django_db
def test_bob_can_neither_open_nor_change_alices_channels(alice: Tenant, bob: Tenant):
    account = ChannelAccountFactory(business=alice.business)
    client = bob.client()
    pk = alice.business.pk

    assert client.get(reverse("publishing:channels", args=[pk])).status_code == 404
    assert (
        client.post(reverse("publishing:connect", args=[pk, "instagram"]), {"mode": "sandbox"})
    ).status_code == 404
    assert client.post(reverse("publishing:naver_assisted", args=[pk])).status_code == 404
    assert (
        client.post(
            reverse("publishing:naver_xmlrpc", args=[pk]),
            {"username": "x", "api_password": "y", "mode": "sandbox"},
        )
    ).status_code == 404
    assert client.post(reverse("publishing:disconnect", args=[account.pk])).status_code == 404
    account.refresh_from_db()
    assert account.state == State.ACTIVE
    assert list(ChannelAccount.objects.values_list("pk", flat=True)) == [account.pk]


@pytest.mark.django_db
def test_staff_see_the_channels_but_cannot_change_them(charlie: Tenant):
    account = ChannelAccountFactory(business=charlie.business)
    client = charlie.client()
    pk = charlie.business.pk

    page = client.get(reverse("publishing:channels", args=[pk]))

    assert page.status_code == 200
    assert "보기 전용이에요" in page.content.decode()
    assert "샌드박스로 연결" not in page.content.decode()
    assert (
        client.post(reverse("publishing:connect", args=[pk, "instagram"]), {"mode": "sandbox"})
    ).status_code == 403
    assert client.post(reverse("publishing:naver_assisted", args=[pk])).status_code == 403
    assert client.post(reverse("publishing:disconnect", args=[account.pk])).status_code == 403
    account.refresh_from_db()
    assert account.state == State.ACTIVE


# --- Naver Blog -------------------------------------------------------------------------


def _naver_form(client: Client, business_id: int, **fields: str) -> Any:
    return client.post(
        reverse("publishing:naver_xmlrpc", args=[business_id]), {"mode": "sandbox", **fields}
    )


@pytest.mark.django_db
def test_naver_xmlrpc_with_a_wrong_api_password_is_a_form_error_and_saves_nothing(
    alice: Tenant, naver: FakeNaverBlog
):
    response = _naver_form(
        alice.client(), alice.business.pk, username="yeonnam_cafe", api_password="login-password"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "아이디나 API 비밀번호를 받아 주지 않았어요" in html
    assert "Invalid username or API password" in html
    assert 'value="yeonnam_cafe"' in html  # what was typed stays
    assert "login-password" not in html  # but never the password
    assert not ChannelAccount.objects.exists()
    (call,) = naver.requests_to(r"/xmlrpc", "POST")
    assert b"blogger.getUsersBlogs" in call.body


@pytest.mark.django_db
def test_naver_xmlrpc_with_the_right_api_password_saves_the_blog_with_the_password_encrypted(
    alice: Tenant, naver: FakeNaverBlog
):
    password = naver.password_for("yeonnam_cafe")

    response = _naver_form(
        alice.client(), alice.business.pk, username="yeonnam_cafe", api_password=password
    )

    assert response.status_code == 302
    (account,) = ChannelAccount.objects.filter(platform="naver_blog")
    assert (account.mode, account.state) == (Mode.SANDBOX, State.ACTIVE)
    assert (account.external_id, account.display_name) == ("yeonnam_cafe", "yeonnam_cafe")
    assert account.api_password == password
    assert password not in stored(account, "api_password")


@pytest.mark.django_db
def test_naver_xmlrpc_refuses_a_blog_the_login_does_not_own(alice: Tenant, naver: FakeNaverBlog):
    response = _naver_form(
        alice.client(),
        alice.business.pk,
        blog_id="someone_else",
        username="yeonnam_cafe",
        api_password=naver.password_for("yeonnam_cafe"),
    )

    assert response.status_code == 200
    assert "블로그 아이디를 확인해 주세요" in response.content.decode()
    assert not ChannelAccount.objects.exists()


@pytest.mark.django_db
def test_naver_xmlrpc_on_a_closed_api_says_so_and_suggests_assisted_publishing(
    alice: Tenant, naver: FakeNaverBlog
):
    naver.api_ended = True

    response = _naver_form(
        alice.client(),
        alice.business.pk,
        username="yeonnam_cafe",
        api_password=naver.password_for("yeonnam_cafe"),
    )

    assert response.status_code == 200
    assert "블로그 글쓰기 API 서비스가 종료되었습니다" in response.content.decode()
    assert not ChannelAccount.objects.exists()


@pytest.mark.django_db
def test_naver_assisted_publishing_is_one_click_and_idempotent(alice: Tenant):
    client = alice.client()
    url = reverse("publishing:naver_assisted", args=[alice.business.pk])

    client.post(url)
    client.post(url)

    (account,) = ChannelAccount.objects.filter(platform="naver_blog")
    assert (account.mode, account.state, account.external_id) == (Mode.ASSISTED, "active", "")
    assert account.connected_by == alice.user
    page = client.get(reverse("publishing:channels", args=[alice.business.pk])).content.decode()
    assert "직접 게시 도우미 사용" not in page  # already on


@pytest.mark.django_db
def test_naver_assisted_publishing_comes_back_after_it_was_turned_off(alice: Tenant):
    client = alice.client()
    client.post(reverse("publishing:naver_assisted", args=[alice.business.pk]))
    account = ChannelAccount.objects.get(platform="naver_blog")
    client.post(reverse("publishing:disconnect", args=[account.pk]))

    client.post(reverse("publishing:naver_assisted", args=[alice.business.pk]))

    account.refresh_from_db()
    assert account.state == State.ACTIVE


# --- The admin --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_never_shows_or_edits_the_secrets(alice: Tenant):
    account = ChannelAccountFactory(
        business=alice.business,
        access_token="IGQVJ-secret-access",
        refresh_token="secret-refresh",
        api_password="secret-password",
        state=State.NEEDS_REAUTH,
        state_reason="Graph 190: 토큰이 취소됨",
    )
    client = alice.client()

    change = client.get(reverse("admin:publishing_channelaccount_change", args=[account.pk]))
    listing = client.get(reverse("admin:publishing_channelaccount_changelist"))

    assert change.status_code == 200
    for page in (change, listing):
        html = page.content.decode()
        for secret in ("IGQVJ-secret-access", "secret-refresh", "secret-password"):
            assert secret not in html
        assert "Graph 190: 토큰이 취소됨" in html
    assert 'name="access_token"' not in change.content.decode()


@pytest.mark.django_db
def test_the_admin_action_refreshes_tokens_now(alice: Tenant, instagram: FakeInstagram):
    instagram.clock = ManualClock(timezone.now() - dt.timedelta(days=2))
    account, _ = connect(alice.client(), alice.business.pk, "instagram")
    ChannelAccount.objects.filter(pk=account.pk).update(
        token_refreshed_at=timezone.now() - dt.timedelta(days=2)
    )
    instagram.clock = ManualClock()
    old_token = account.access_token

    response = alice.client().post(
        reverse("admin:publishing_channelaccount_changelist"),
        {"action": "refresh_tokens", "_selected_action": [account.pk]},
        follow=True,
    )

    assert "갱신 1개, 건너뜀 0개" in response.content.decode()
    account.refresh_from_db()
    assert account.access_token != old_token
