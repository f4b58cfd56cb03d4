"""The publication and account state machines: each move happens from its allowed
states only, and a move from any other state changes nothing and tells nobody."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail

from publishing import account_transitions, transitions
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.publishers.base import ErrorKind, Pending, Published, PublishError
from tests.conftest import Tenant
from tests.factories import ChannelAccountFactory, PublicationFactory

State = Publication.State
NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def account(alice: Tenant) -> ChannelAccount:
    return ChannelAccountFactory(business=alice.business, platform="threads")


def _publication(account: ChannelAccount, state: str, **fields: object) -> Publication:
    publication = PublicationFactory(
        piece__business=account.business, channel_account=account, scheduled_at=NOW
    )
    Publication.objects.filter(pk=publication.pk).update(state=state, **fields)
    publication.refresh_from_db()
    return publication


def _state(publication: Publication) -> str:
    publication.refresh_from_db()
    return publication.state


# --- Scheduling and claims ----------------------------------------------------------------


def test_a_claim_takes_only_due_publications(account: ChannelAccount):
    due = _publication(account, State.RETRY_WAIT)
    failed = _publication(account, State.FAILED)
    token = uuid.uuid4()

    assert transitions.claim([due.pk, failed.pk], token, NOW) == 1

    assert (_state(due), due.claim_token) == (State.CLAIMED, token)
    assert _state(failed) == State.FAILED


def test_a_claim_skips_a_publication_moved_into_the_future_meanwhile(account: ChannelAccount):
    moved = _publication(account, State.SCHEDULED, next_attempt_at=NOW + dt.timedelta(hours=1))
    assert transitions.claim([moved.pk], uuid.uuid4(), NOW) == 0
    assert _state(moved) == State.SCHEDULED


def test_rescheduling_a_failed_publication_does_nothing(account: ChannelAccount):
    publication = _publication(account, State.FAILED)
    assert transitions.reschedule(publication.pk, NOW + dt.timedelta(days=1)) is False
    publication.refresh_from_db()
    assert (publication.state, publication.scheduled_at) == (State.FAILED, NOW)


def test_taking_a_claim_counts_an_attempt_and_a_poll_does_not(account: ChannelAccount):
    token = uuid.uuid4()
    claimed = _publication(account, State.CLAIMED, claim_token=token)
    polled = _publication(account, State.PROCESSING, claim_token=token, attempt_count=1)

    assert transitions.take(claimed.pk, State.CLAIMED, str(token)) is True
    assert transitions.take(polled.pk, State.PROCESSING, str(token)) is True

    claimed.refresh_from_db()
    polled.refresh_from_db()
    assert (claimed.state, claimed.attempt_count) == (State.PUBLISHING, 1)
    assert (polled.state, polled.attempt_count) == (State.PUBLISHING, 1)


def test_taking_with_another_token_or_from_another_state_does_nothing(account: ChannelAccount):
    token = uuid.uuid4()
    publication = _publication(account, State.CLAIMED, claim_token=token)

    assert transitions.take(publication.pk, State.CLAIMED, str(uuid.uuid4())) is False
    assert transitions.take(publication.pk, State.PROCESSING, str(token)) is False
    assert _state(publication) == State.CLAIMED
    assert publication.attempt_count == 0


# --- The run's outcomes ------------------------------------------------------------------------


def test_a_run_records_its_outcome_while_it_is_publishing(account: ChannelAccount):
    publication = _publication(account, State.PUBLISHING)
    assert transitions.published(publication, Published("t-1", permalink="https://x/1")) == (
        State.PUBLISHED
    )
    publication.refresh_from_db()
    assert (publication.state, publication.external_id) == (State.PUBLISHED, "t-1")
    assert publication.next_attempt_at is None


@pytest.mark.parametrize("state", [State.CLAIMED, State.CANCELED, State.PUBLISHED])
def test_an_outcome_for_a_run_that_no_longer_holds_the_publication_does_nothing(
    account: ChannelAccount, state: str
):
    publication = _publication(account, state)
    permanent = PublishError("사진 비율이 맞지 않아요", kind=ErrorKind.PERMANENT)

    assert transitions.published(publication, Published("t-1")) is None
    assert transitions.processing(publication, Pending(poll_after_s=20), NOW) is None
    assert transitions.retry_or_fail(publication, permanent, now=NOW) is None
    assert transitions.fail_quietly(publication, permanent) is None
    assert transitions.needs_action(publication) is None

    assert _state(publication) == state
    assert publication.external_id == ""
    assert mail.outbox == []


def test_processing_hands_the_poll_a_fresh_claim_token(account: ChannelAccount):
    token = uuid.uuid4()
    publication = _publication(account, State.PUBLISHING, claim_token=token)

    assert transitions.processing(publication, Pending(poll_after_s=20), NOW) == State.PROCESSING

    publication.refresh_from_db()
    assert publication.claim_token not in (None, token)
    assert publication.next_attempt_at == NOW + dt.timedelta(seconds=20)


def test_a_transient_error_within_the_budget_waits_and_tells_nobody(account: ChannelAccount):
    publication = _publication(account, State.PUBLISHING, attempt_count=1)
    error = PublishError("서버 오류", kind=ErrorKind.TRANSIENT)

    assert transitions.retry_or_fail(publication, error, now=NOW) == State.RETRY_WAIT

    publication.refresh_from_db()
    assert publication.next_attempt_at is not None and publication.next_attempt_at > NOW
    assert mail.outbox == []


def test_a_quota_wait_uses_the_platforms_time_even_past_the_budget(
    account: ChannelAccount, settings
):
    settings.PUBLISH_MAX_ATTEMPTS = 1
    publication = _publication(account, State.PUBLISHING, attempt_count=5)
    error = PublishError("한도", kind=ErrorKind.TRANSIENT, code="quota", retry_after_s=3600)

    assert transitions.retry_or_fail(publication, error, now=NOW) == State.RETRY_WAIT

    publication.refresh_from_db()
    assert publication.next_attempt_at == NOW + dt.timedelta(hours=1)


def test_an_auth_failure_flags_the_account_instead_of_writing_about_the_post(
    account: ChannelAccount,
):
    publication = _publication(account, State.PUBLISHING)
    error = PublishError("토큰 만료", kind=ErrorKind.AUTH)

    assert transitions.retry_or_fail(publication, error, now=NOW) == State.FAILED

    account.refresh_from_db()
    assert account.state == ChannelAccount.State.NEEDS_REAUTH
    assert [m.subject for m in mail.outbox] == ["[Gagecast] 스레드 계정을 다시 연결해 주세요"]


def test_failing_quietly_fails_the_post_and_tells_nobody(account: ChannelAccount):
    publication = _publication(account, State.PUBLISHING)
    error = PublishError("계정 없음", kind=ErrorKind.PERMANENT, detail="gone")

    assert transitions.fail_quietly(publication, error) == State.FAILED

    publication.refresh_from_db()
    assert (publication.last_error, publication.last_error_detail) == ("계정 없음", "gone")
    assert mail.outbox == []


def test_needs_action_sends_the_reminder_once(account: ChannelAccount):
    publication = _publication(account, State.PUBLISHING)
    assert transitions.needs_action(publication, "연결 실패") == State.NEEDS_ACTION
    assert transitions.needs_action(publication, "연결 실패") is None
    assert [m.subject for m in mail.outbox] == [f"[Gagecast] {transitions.NAVER_READY_SUBJECT}"]


# --- The reaper ------------------------------------------------------------------------------


def test_the_reaper_takes_over_only_what_nobody_touched_since_it_looked(account: ChannelAccount):
    publication = _publication(account, State.PUBLISHING, state_changed_at=NOW)
    attempt = PublishAttempt.objects.create(publication=publication, number=1, action="x")
    Publication.objects.filter(pk=publication.pk).update(
        state_changed_at=NOW + dt.timedelta(seconds=1)  # the slow worker spoke meanwhile
    )

    assert transitions.reap(publication, uuid.uuid4(), NOW) is False
    attempt.refresh_from_db()
    assert attempt.outcome == PublishAttempt.Outcome.PENDING

    publication.refresh_from_db()
    assert transitions.reap(publication, uuid.uuid4(), NOW) is True
    attempt.refresh_from_db()
    assert (_state(publication), attempt.outcome) == (
        State.CLAIMED,
        PublishAttempt.Outcome.INTERRUPTED,
    )


# --- The owner's moves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [State.SCHEDULED, State.CLAIMED, State.RETRY_WAIT, State.PROCESSING, State.NEEDS_ACTION],
)
def test_anything_not_yet_out_can_be_canceled(account: ChannelAccount, state: str):
    publication = _publication(account, state)
    assert transitions.cancel(publication.pk) is True
    assert _state(publication) == State.CANCELED


@pytest.mark.parametrize("state", [State.PUBLISHING, State.PUBLISHED, State.SKIPPED])
def test_canceling_what_is_going_out_or_out_does_nothing(account: ChannelAccount, state: str):
    publication = _publication(account, state)
    assert transitions.cancel(publication.pk) is False
    assert _state(publication) == state


def test_the_owners_retry_moves_only_a_failed_publication(account: ChannelAccount):
    failed = _publication(account, State.FAILED, attempt_count=6, error_kind="transient")
    waiting = _publication(account, State.RETRY_WAIT, attempt_count=2)

    assert transitions.retry_now(failed.pk, NOW) is True
    assert transitions.retry_now(waiting.pk, NOW) is False

    failed.refresh_from_db()
    assert (failed.state, failed.attempt_count, failed.error_kind) == (State.SCHEDULED, 0, "")
    assert (_state(waiting), waiting.attempt_count) == (State.RETRY_WAIT, 2)


def test_confirming_a_post_already_published_does_nothing(account: ChannelAccount):
    publication = _publication(account, State.PUBLISHED, external_id="t-1")
    assert transitions.confirm_published(publication.pk, "https://blog.naver.com/a/1", "1") is False
    publication.refresh_from_db()
    assert publication.external_id == "t-1"


def test_only_a_post_waiting_for_the_owner_can_be_skipped(account: ChannelAccount):
    waiting = _publication(account, State.NEEDS_ACTION)
    scheduled = _publication(account, State.SCHEDULED)
    assert transitions.skip(waiting.pk) is True
    assert transitions.skip(scheduled.pk) is False
    assert (_state(waiting), _state(scheduled)) == (State.SKIPPED, State.SCHEDULED)


def test_a_reconnect_requeues_only_this_weeks_posts_that_failed_for_the_connection(
    account: ChannelAccount,
):
    auth = _publication(account, State.FAILED, error_kind="auth", attempt_count=3)
    permanent = _publication(account, State.FAILED, error_kind="permanent")
    old = _publication(
        account, State.FAILED, error_kind="auth", scheduled_at=NOW - dt.timedelta(days=8)
    )

    assert transitions.reconnect(account, NOW) == 1

    auth.refresh_from_db()
    assert (auth.state, auth.attempt_count, auth.next_attempt_at) == (State.SCHEDULED, 0, NOW)
    assert (_state(permanent), _state(old)) == (State.FAILED, State.FAILED)


# --- Accounts ------------------------------------------------------------------------------------


def test_flagging_an_account_that_is_not_active_does_nothing(account: ChannelAccount):
    account_transitions.disconnect(account)
    assert account_transitions.mark_needs_reauth(account, "토큰이 취소됨") is False
    assert account.state == ChannelAccount.State.DISABLED
    assert mail.outbox == []


def test_disconnecting_wipes_the_secrets_from_any_state(account: ChannelAccount):
    account_transitions.mark_needs_reauth(account, "토큰이 취소됨")
    account_transitions.disconnect(account)
    account.refresh_from_db()
    assert account.state == ChannelAccount.State.DISABLED
    assert (account.access_token, account.refresh_token, account.token_expires_at) == ("", "", None)
