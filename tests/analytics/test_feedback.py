"""The owner's 👍/👎 and comment on a piece or a weekly report: one per person and target,
its sentiment (the offline rule, or Gemini through the real SDK against the simulator),
one operator alert per negative feedback posted to a local fake webhook (retried on a
5xx or a lost connection, not on a 4xx, never twice), the form on the review screen, the
API, the admin, and the 👎 as evidence against the piece's choices in the loop."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable, Iterator

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from analytics import feedback as service
from analytics import learning, selectors
from analytics.feedback import (
    alert_payload,
    feedback_alert_send,
    feedback_classify,
    feedback_record,
)
from analytics.models import Feedback, WeeklyReport
from analytics.sentiment import offline_judgement
from analytics.tasks import send_feedback_alert
from config.celery_app import app
from content.models import ContentPiece
from core import queue
from marketing.models import Organization, UsageRecord
from sandbox.gemini import FakeGemini
from sandbox.gemini_responder import respond
from sandbox.server import FakeServer, Reply
from tests.conftest import Tenant
from tests.factories import ContentPieceFactory, measured_post, written_piece

pytestmark = pytest.mark.django_db

Alert = Feedback.AlertState
HOOK = "/api/webhooks/1234/abcd"


@pytest.fixture
def webhook(settings) -> Iterator[FakeServer]:
    """A Discord-style incoming webhook on 127.0.0.1: 204 to every post unless scripted."""
    with FakeServer() as fake:
        fake.route("POST", HOOK, lambda request, match: Reply(status=204))
        settings.FEEDBACK_WEBHOOK_URL = fake.url + HOOK
        yield fake


@pytest.fixture
def offline(settings) -> None:
    settings.GEMINI_API_KEY = ""


@pytest.fixture
def gemini(settings) -> Iterator[FakeGemini]:
    """The real SDK pointed at the Gemini simulator, as sandbox mode answers."""
    with FakeGemini(responder=respond) as fake:
        settings.GEMINI_API_KEY = "test-key"
        settings.GEMINI_BASE_URL = fake.url
        settings.GENERATION_PROVIDER = "auto"
        yield fake


@pytest.fixture
def run_tasks(monkeypatch, django_capture_on_commit_callbacks) -> Callable:
    """Tasks sent through core.queue run at once, in-process, as Celery's eager apply()
    runs them (a retry runs at once too, without its countdown); an error in one fails
    the test. Use as ``with run_tasks(): ...``."""

    def run(name: str, *args: object, countdown: float | None = None) -> None:
        result = app.tasks[name].apply(args=list(args))
        if result.failed():
            raise result.result

    monkeypatch.setattr(queue, "send", run)
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def piece(alice: Tenant) -> ContentPiece:
    return ContentPieceFactory(
        business=alice.business, title="딸기 라떼 나왔어요", status=ContentPiece.Status.READY
    )


def _report(tenant: Tenant) -> WeeklyReport:
    return WeeklyReport.objects.create(
        business=tenant.business,
        week="2026-W49",
        starts_on=dt.date(2026, 11, 30),
        sent_at=dt.datetime(2026, 12, 7, 0, 5, tzinfo=dt.UTC),  # only sent ones are shown
    )


def _posts(webhook: FakeServer) -> list:
    return webhook.requests_to(HOOK, method="POST")


# --- The model ------------------------------------------------------------------------------


def test_feedback_is_on_exactly_one_piece_or_one_report(alice: Tenant, piece):
    report = _report(alice)
    for target in ({"piece": piece, "report": report}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Feedback.objects.create(
                business=alice.business, author=alice.user, rating="up", **target
            )
    assert not Feedback.objects.exists()


def test_the_database_keeps_one_feedback_per_person_and_piece(alice: Tenant, piece):
    Feedback.objects.create(business=alice.business, author=alice.user, piece=piece, rating="up")
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            business=alice.business, author=alice.user, piece=piece, rating="down"
        )


def test_a_second_vote_updates_the_first_instead_of_adding_one(
    alice, charlie, piece, offline, sent
):
    first, created = feedback_record(author=alice.user, piece=piece, rating="up", comment="좋아요")
    again, created_again = feedback_record(
        author=alice.user, piece=piece, rating="down", comment=""
    )
    charlies, _ = feedback_record(author=charlie.user, piece=piece, rating="up")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk != charlies.pk
    again.refresh_from_db()
    assert (again.rating, again.comment, again.sentiment) == ("down", "", "negative")
    assert Feedback.objects.filter(piece=piece).count() == 2


def test_someone_outside_the_organization_cannot_leave_feedback(alice, bob, piece):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        feedback_record(author=bob.user, piece=piece, rating="down", comment="별로")
    assert not Feedback.objects.exists()


# --- The offline rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "comment", "expected"),
    [
        ("up", "", "positive"),  # no comment: the thumb says it
        ("down", "", "negative"),
        ("up", "사진이 예뻐서 마음에 들어요", "positive"),
        ("up", "오타가 있어요", "negative"),
        ("up", "글이 별로예요", "negative"),
        ("up", "안 좋아요", "negative"),  # a negation before the cue flips it
        ("up", "좋지 않아요", "negative"),  # and after it
        ("down", "나쁘지 않아요", "positive"),  # the comment, not the thumb
        ("up", "마음에 안 들어요", "negative"),
        ("up", "좋았는데 너무 길어요", "negative"),  # after a contrast the point counts twice
        ("up", "사진은 예쁜데 글이 어색해요", "negative"),
        ("up", "글은 좀 어색한데, 사진이 정말 좋아요", "positive"),
        ("up", "문제없어요", "positive"),
        ("up", "내일 아침에 올려 주세요", "neutral"),
        ("up", "👎", "negative"),
    ],
)
def test_the_offline_rule_reads_korean_cues_and_negation(rating, comment, expected):
    judgement = offline_judgement(rating, comment)
    assert (judgement.sentiment, judgement.judged_by) == (expected, "offline")


def test_without_a_gemini_key_the_offline_rule_judges_at_once(alice, piece, offline, sent):
    feedback, _ = feedback_record(
        author=alice.user, piece=piece, rating="up", comment="좋았는데 너무 길어요"
    )

    assert (feedback.sentiment, feedback.judged_by) == ("negative", "offline")
    assert "너무 길" in feedback.sentiment_reason
    assert not UsageRecord.objects.exists()


# --- Gemini, through the real SDK against the simulator -----------------------------------------


def test_with_gemini_the_comment_is_judged_by_the_model_with_a_response_schema(
    alice, piece, gemini, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        feedback, _ = feedback_record(
            author=alice.user, piece=piece, rating="up", comment="사진은 좋은데 글이 좀 어색해요"
        )
    assert sent == [("analytics.tasks.classify_feedback", (feedback.pk,))]
    assert feedback.judged_by == "offline"  # until the model has answered

    feedback_classify(feedback_id=feedback.pk)

    [request] = gemini.requests_for()
    assert request.model == "gemini-2.5-flash-lite"
    assert request.response_mime_type == "application/json"
    schema = request.response_schema
    assert set(schema["properties"]) == {"sentiment", "reason"}
    assert "사진은 좋은데 글이 좀 어색해요" in request.text
    feedback.refresh_from_db()
    assert (feedback.sentiment, feedback.judged_by) == ("negative", "gemini")
    assert feedback.sentiment_reason == "'어색'라며 아쉬운 점을 말했어요."
    usage = UsageRecord.objects.get(kind=UsageRecord.Kind.LLM_CALL)
    assert usage.model_name == "gemini-2.5-flash-lite" and usage.input_tokens > 0


def test_a_thumbs_up_whose_comment_gemini_finds_negative_raises_the_alert(
    alice, piece, gemini, webhook, sent
):
    gemini.responder = lambda request: {"sentiment": "negative", "reason": "불만이 담겨 있어요."}
    feedback, _ = feedback_record(
        author=alice.user, piece=piece, rating="up", comment="그냥 그래요"
    )
    assert offline_judgement("up", "그냥 그래요").sentiment == "neutral"  # the rule would not

    feedback_classify(feedback_id=feedback.pk)

    feedback.refresh_from_db()
    assert (feedback.sentiment, feedback.judged_by) == ("negative", "gemini")
    assert feedback.alert_state == Alert.PENDING


def test_when_gemini_fails_the_offline_judgement_stands_and_a_thumbs_down_still_alerts(
    alice, piece, gemini, webhook, sent
):
    gemini.fail_next(503, "The model is overloaded.")
    feedback, _ = feedback_record(
        author=alice.user, piece=piece, rating="down", comment="오타가 있어요"
    )

    feedback_classify(feedback_id=feedback.pk)

    feedback.refresh_from_db()
    assert (feedback.sentiment, feedback.judged_by) == ("negative", "offline")
    assert feedback.alert_state == Alert.PENDING
    assert len(gemini.requests_for()) == 1


def test_an_organization_that_writes_offline_sends_no_comment_to_google(alice, piece, gemini, sent):
    Organization.objects.filter(pk=alice.organization.pk).update(generation_provider="offline")
    alice.business.organization.refresh_from_db()

    feedback_record(author=alice.user, piece=piece, rating="up", comment="좋아요")

    assert gemini.requests_for() == []
    assert Feedback.objects.get().judged_by == "offline"


# --- The operator alert -------------------------------------------------------------------------


def test_a_thumbs_down_with_a_comment_posts_exactly_one_alert_retried_after_a_500(
    alice, piece, webhook, offline, run_tasks
):
    webhook.script(Reply(status=500, body={"message": "upstream down"}))
    client = alice.client()
    review = reverse("owner:piece_review", args=[piece.pk])

    with run_tasks():
        response = client.post(
            reverse("analytics:piece_feedback", args=[piece.pk]),
            {"rating": "down", "comment": "글이 너무 길어요", "next": review},
        )

    assert response.status_code == 302 and response["Location"] == review
    posts = _posts(webhook)
    assert len(posts) == 2  # the 500, then the accepted retry
    feedback = Feedback.objects.get()
    assert (feedback.alert_state, feedback.alert_attempts) == (Alert.SENT, 2)
    assert feedback.alerted_at is not None and feedback.alert_error == ""
    assert posts[1].json["content"].startswith("[Gagecast] 사장님의 부정적인 의견이 들어왔어요")
    assert "글이 너무 길어요" in posts[1].json["text"]

    duplicate = send_feedback_alert.apply(args=[feedback.pk], throw=True)  # a redelivery
    assert duplicate.result == Alert.SENT
    assert len(_posts(webhook)) == 2


def test_a_4xx_is_recorded_as_failed_and_not_retried(alice, piece, webhook, offline, run_tasks):
    webhook.script(Reply(status=404, body={"message": "Unknown Webhook", "code": 10015}))

    with run_tasks():
        feedback, _ = feedback_record(
            author=alice.user, piece=piece, rating="down", comment="별로예요"
        )

    feedback.refresh_from_db()
    assert len(_posts(webhook)) == 1
    assert (feedback.alert_state, feedback.alert_attempts) == (Alert.FAILED, 1)
    assert feedback.alert_error.startswith("HTTP 404") and "Unknown Webhook" in feedback.alert_error


def test_a_refused_connection_is_retried_until_the_retries_run_out(
    alice, piece, settings, offline, run_tasks, monkeypatch
):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.FEEDBACK_WEBHOOK_URL = f"http://127.0.0.1:{port}{HOOK}"
    monkeypatch.setattr(service, "ALERT_MAX_RETRIES", 2)

    with run_tasks():
        feedback, _ = feedback_record(author=alice.user, piece=piece, rating="down")

    feedback.refresh_from_db()
    assert (feedback.alert_state, feedback.alert_attempts) == (Alert.FAILED, 3)
    assert (
        "ConnectionError" in feedback.alert_error
        and "다시 보내기를 모두 실패했어요" in feedback.alert_error
    )


def test_a_claimed_alert_is_not_posted_by_a_second_run(alice, piece, webhook, offline, sent):
    feedback, _ = feedback_record(author=alice.user, piece=piece, rating="down")
    assert service._claim(feedback.pk)  # another worker has it, mid-post

    assert feedback_alert_send(feedback_id=feedback.pk) == Alert.SENDING
    assert _posts(webhook) == []


def test_editing_a_feedback_that_alerted_does_not_alert_again(
    alice, piece, webhook, offline, run_tasks
):
    with run_tasks():
        feedback_record(author=alice.user, piece=piece, rating="down", comment="오타가 있어요")
        feedback_record(
            author=alice.user, piece=piece, rating="down", comment="오타가 두 군데 있어요"
        )
        feedback_record(author=alice.user, piece=piece, rating="up", comment="")

    assert len(_posts(webhook)) == 1
    assert Feedback.objects.get().alert_state == Alert.SENT


def test_a_thumbs_up_with_a_kind_comment_raises_no_alert(alice, piece, webhook, offline, sent):
    feedback, _ = feedback_record(author=alice.user, piece=piece, rating="up", comment="최고예요")

    assert feedback.alert_state == Alert.NONE
    assert sent == []


def test_a_thumbs_up_with_a_negative_comment_alerts_too(alice, piece, webhook, offline, run_tasks):
    with run_tasks():
        feedback_record(
            author=alice.user, piece=piece, rating="up", comment="해시태그가 너무 많아요"
        )

    assert len(_posts(webhook)) == 1


def test_without_a_webhook_the_alert_is_recorded_as_off(alice, piece, settings, offline, sent):
    settings.FEEDBACK_WEBHOOK_URL = ""

    feedback, _ = feedback_record(author=alice.user, piece=piece, rating="down", comment="별로")

    feedback.refresh_from_db()
    assert feedback.alert_state == Alert.OFF
    assert sent == []


def test_the_alert_speaks_to_discord_and_slack_in_korean_without_pinging_anyone(
    alice, piece, settings, offline, sent
):
    settings.PUBLIC_BASE_URL = "https://gagecast.example"
    feedback, _ = feedback_record(
        author=alice.user, piece=piece, rating="down", comment="@everyone <!channel> 이 글 별로예요"
    )

    payload = alert_payload(feedback)

    assert payload["allowed_mentions"] == {"parse": []}
    discord, slack = payload["content"], payload["text"]
    for line in (
        "가게: 앨리스 베이커리 (Alice Agency)",
        "대상: 인스타그램 글 「딸기 라떼 나왔어요」",
        "평가: 👎 별로예요",
        "감정: 부정 (오프라인 규칙 판정)",
        "남긴 사람: alice@example.com",
        f"관리 화면: https://gagecast.example/admin/analytics/feedback/{feedback.pk}/change/",
    ):
        assert line in discord
    assert "<!channel>" in discord and "<!channel>" not in slack and "&lt;!channel&gt;" in slack


def test_a_report_alert_names_its_week(alice, offline, sent):
    feedback, _ = feedback_record(author=alice.user, report=_report(alice), rating="down")

    assert "대상: 주간 리포트 2026-W49" in alert_payload(feedback)["content"]


# --- The form (no JavaScript), scoped by organization ---------------------------------------------


def test_the_review_screen_shows_the_form_and_what_was_chosen(alice, piece, offline, sent):
    client = alice.client()
    review = reverse("owner:piece_review", args=[piece.pk])
    action = reverse("analytics:piece_feedback", args=[piece.pk])

    page = client.get(review).content.decode()
    assert f'action="{action}"' in page
    assert 'name="rating" value="up"' in page and 'name="rating" value="down"' in page
    assert f'for="feedback-piece-{piece.pk}-comment"' in page

    feedback_record(author=alice.user, piece=piece, rating="down", comment="사진을 바꿔 주세요")
    page = client.get(review).content.decode()
    assert "사진을 바꿔 주세요</textarea>" in page
    assert 'value="down" aria-pressed="true"' in page


def test_posting_the_form_without_javascript_records_it_and_says_so(alice, piece, offline, sent):
    response = alice.client().post(
        reverse("analytics:piece_feedback", args=[piece.pk]), {"rating": "up", "comment": "좋아요"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("owner:piece_review", args=[piece.pk])
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "의견을 남겼어요. 고마워요!"
    assert Feedback.objects.get().author == alice.user


def test_another_organizations_piece_or_report_is_a_404(alice, bob, piece, offline, sent):
    report = _report(alice)
    client = bob.client()

    piece_response = client.post(
        reverse("analytics:piece_feedback", args=[piece.pk]), {"rating": "down"}
    )
    report_response = client.post(
        reverse("analytics:report_feedback", args=[report.pk]), {"rating": "down"}
    )

    assert piece_response.status_code == report_response.status_code == 404
    assert not Feedback.objects.exists()


def test_a_report_takes_feedback_and_goes_back_to_its_page(charlie, offline, sent):
    report = _report(charlie)

    response = charlie.client().post(
        reverse("analytics:report_feedback", args=[report.pk]), {"rating": "up", "comment": ""}
    )

    assert response["Location"] == reverse(
        "analytics:report", args=[report.business_id, report.week]
    )
    assert Feedback.objects.get().report == report


def test_a_next_address_off_the_site_is_not_followed(alice, piece, offline, sent):
    response = alice.client().post(
        reverse("analytics:piece_feedback", args=[piece.pk]),
        {"rating": "up", "next": "https://evil.example/phish"},
    )

    assert response["Location"] == reverse("owner:piece_review", args=[piece.pk])


def test_a_form_without_a_rating_says_what_to_do(alice, piece, offline, sent):
    response = alice.client().post(
        reverse("analytics:piece_feedback", args=[piece.pk]), {"comment": "음"}
    )

    [message] = get_messages(response.wsgi_request)
    assert str(message) == "👍 또는 👎 중 하나를 눌러 주세요."
    assert not Feedback.objects.exists()


def test_a_get_is_refused(alice, piece):
    assert (
        alice.client().get(reverse("analytics:piece_feedback", args=[piece.pk])).status_code == 405
    )


# --- API ------------------------------------------------------------------------------------------


def test_the_api_records_then_updates_feedback_on_a_piece(alice, piece, offline, sent):
    url = f"/api/v1/pieces/{piece.pk}/feedback/"
    api = alice.api()

    created = api.post(url, {"rating": "down", "comment": "오타가 있어요"}, format="json")
    updated = api.post(url, {"rating": "up"}, format="json")

    assert (created.status_code, updated.status_code) == (201, 200)
    assert created.json()["sentiment"] == "negative" and created.json()["judged_by"] == "offline"
    assert updated.json()["id"] == created.json()["id"] and updated.json()["rating"] == "up"


def test_the_api_refuses_another_organizations_piece_and_a_bad_rating(alice, bob, piece):
    url = f"/api/v1/pieces/{piece.pk}/feedback/"

    other = bob.api().post(url, {"rating": "down"}, format="json")
    bad = alice.api().post(url, {"rating": "meh"}, format="json")

    assert other.status_code == 404 and "error" in other.json()
    assert bad.status_code == 400 and "rating" in bad.json()["error"]["fields"]


# --- Admin ----------------------------------------------------------------------------------------


def test_the_admin_lists_only_the_users_organizations_feedback(alice, bob, piece, offline, sent):
    feedback_record(author=alice.user, piece=piece, rating="down", comment="앨리스의 의견")
    url = reverse("admin:analytics_feedback_changelist")

    mine = alice.client().get(url, {"alert_state": "off"})
    theirs = bob.client().get(url)

    assert mine.status_code == 200 and "앨리스의 의견" in mine.content.decode()
    assert "앨리스의 의견" not in theirs.content.decode()


# --- The loop: a 👎 counts against the piece's choices ---------------------------------------------


def _questions_and_statements(tenant: Tenant) -> list[ContentPiece]:
    """Twelve measured Instagram posts, questions and statements alternating, doing the same."""
    start = timezone.now() - dt.timedelta(days=30)
    pieces = []
    for i in range(12):
        publication = measured_post(
            tenant.business,
            published_at=start + dt.timedelta(days=i),
            reach=1000,
            hook_style="question" if i % 2 == 0 else "benefit",
        )
        pieces.append(publication.piece)
    return pieces


def _question_effect(tenant: Tenant) -> float:
    known = learning.knowledge(
        business_id=tenant.business.pk, family=tenant.business.industry_family, channel="instagram"
    )
    posterior = known.posterior
    return float(
        posterior.value(posterior.mean, "opening", "question")
        - posterior.value(posterior.mean, "opening", "statement")
    )


def test_a_thumbs_down_on_measured_posts_counts_against_their_choices(alice, offline, sent):
    pieces = _questions_and_statements(alice)
    before = _question_effect(alice)

    for piece in pieces[::2]:  # every question
        feedback_record(author=alice.user, piece=piece, rating="down")
    after = _question_effect(alice)

    assert after < before - 0.1
    known = selectors._knowledge(alice.business.pk, "instagram")
    assert learning.lift(known, "opening", "question") == (
        pytest.approx(1.0),
        6,
    )  # numbers as measured


def test_a_thumbs_down_on_a_draft_counts_against_its_choices_at_half_weight(alice, offline, sent):
    draft = written_piece(alice.business, "instagram", hook_style="question")
    before = _question_effect(alice)  # a new shop: the house prior, questions even

    feedback_record(
        author=alice.user, piece=draft, rating="down", comment="질문으로 시작하지 마세요"
    )
    after = _question_effect(alice)
    feedback_record(author=alice.user, piece=draft, rating="up")
    taken_back = _question_effect(alice)

    assert before == pytest.approx(0.0)
    assert after < -0.01  # half a post's worth: the shop's own posts will soon outweigh it
    assert taken_back == pytest.approx(before)  # a 👍 instead takes it back


def test_a_disliked_post_is_not_shown_to_the_writer_as_an_example(alice, offline, sent):
    _questions_and_statements(alice)
    best = measured_post(
        alice.business,
        published_at=timezone.now() - dt.timedelta(days=10),
        reach=9000,
        hook_style="question",
    ).piece
    ContentPiece.objects.filter(pk=best.pk).update(body="딸기 라떼, 오늘만 반값이에요")
    best.refresh_from_db()
    assert best.body in selectors._examples(selectors._knowledge(alice.business.pk, "instagram"))

    feedback_record(author=alice.user, piece=best, rating="down")

    examples = selectors._examples(selectors._knowledge(alice.business.pk, "instagram"))
    assert best.body not in examples
