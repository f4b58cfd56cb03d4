"""A shop's life after set-up (publishing.lifecycle): pausing and archiving stop its
publishing and keep everything; resuming and restoring put the held posts back; erasing
needs the exact name, waits the grace period, can be called off, and the beat task erases
the shop with its rows and files after it. Bob can do none of it to alice's shop."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from campaigns.models import Campaign
from content.models import Asset, ContentPiece
from core.schedules import DEFAULT_PERIODIC_TASKS
from marketing.models import AuditEvent, Business, Membership, Photo
from marketing.selectors import businesses_for_user
from publishing import lifecycle, services, tasks
from publishing.lifecycle import LifecycleError
from publishing.models import Publication, PublishAttempt
from tests.conftest import Tenant
from tests.factories import (
    AssetFactory,
    CampaignFactory,
    ChannelAccountFactory,
    ContentPieceFactory,
    MembershipFactory,
    PhotoFactory,
    PublishAttemptFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
State = Publication.State
Action = AuditEvent.Action
NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def scheduled(tenant: Tenant, *, hours: int = 24, campaign: Campaign | None = None) -> Publication:
    """A ready Threads post of the tenant's shop, scheduled ``hours`` from now."""
    business = tenant.business
    account = business.channel_accounts.filter(platform="threads").first()
    account = account or ChannelAccountFactory(business=business, platform="threads")
    piece = ContentPieceFactory(
        business=business,
        campaign=campaign,
        channel="threads",
        status=ContentPiece.Status.READY,
        render_status="none",
        body="오늘 새로 나온 밤 라떼, 드셔 보셨어요?",
        format="text",
    )
    at = timezone.now() + dt.timedelta(hours=hours)
    return services.schedule_piece(piece, at, account=account, user=tenant.user)


def manager_of(tenant: Tenant) -> Tenant:
    user = UserFactory(email="manager@example.com")
    MembershipFactory(organization=tenant.organization, user=user, role=Membership.Role.MANAGER)
    return Tenant(user, tenant.organization, tenant.business)


# --- Pause and resume ----------------------------------------------------------------------


def test_pausing_holds_what_has_not_gone_out_and_leaves_what_is_going_out(alice):
    waiting = scheduled(alice)
    going = scheduled(alice, hours=1)
    Publication.objects.filter(pk=going.pk).update(state=State.PUBLISHING)

    held = lifecycle.business_pause(alice.business, actor=alice.user)

    assert held.held == [waiting.pk] and held.going_out == [going.pk]
    assert Publication.objects.get(pk=waiting.pk).state == State.CANCELED
    assert Publication.objects.get(pk=going.pk).state == State.PUBLISHING
    alice.business.refresh_from_db()
    assert alice.business.paused_at == NOW
    event = AuditEvent.objects.get(action=Action.PAUSED)
    assert event.actor == alice.user and event.detail["held"] == [waiting.pk]


def test_a_post_the_platform_already_holds_is_left_to_finish(alice):
    started = scheduled(alice)
    Publication.objects.filter(pk=started.pk).update(container_id="17890000001")

    held = lifecycle.business_pause(alice.business, actor=alice.user)

    assert held.going_out == [started.pk]
    assert Publication.objects.get(pk=started.pk).state == State.SCHEDULED


def test_nothing_goes_out_while_paused(alice):
    scheduled(alice, hours=1)
    lifecycle.business_pause(alice.business, actor=alice.user)

    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        assert services.dispatch_due() == 0
        with pytest.raises(services.SchedulingError, match="게시를 멈춰"):
            scheduled(alice)


def test_a_post_claimed_just_before_the_pause_is_canceled_not_published(alice):
    publication = scheduled(alice, hours=1)
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        token, ids = services.claim_due()
        assert ids == [publication.pk]
        # The pause lands between the claim and the publish task (its cancel lost the race).
        Business.objects.filter(pk=alice.business.pk).update(paused_at=timezone.now())

        assert services.publish_claimed(publication.pk, str(token)) == State.CANCELED

    assert not PublishAttempt.objects.exists()


def test_a_failed_post_is_not_retried_while_paused(alice):
    publication = scheduled(alice)
    Publication.objects.filter(pk=publication.pk).update(state=State.FAILED)
    lifecycle.business_pause(alice.business, actor=alice.user)

    with pytest.raises(services.SchedulingError, match="게시를 멈춰"):
        services.retry(Publication.objects.get(pk=publication.pk))


def test_resuming_schedules_the_held_posts_again_at_their_planned_time(alice):
    held_post = scheduled(alice, hours=5)
    lifecycle.business_pause(alice.business, actor=alice.user)

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        released = lifecycle.business_resume(alice.business, actor=alice.user)

    assert [p.piece_id for p in released.rescheduled] == [held_post.piece_id]
    again = released.rescheduled[0]
    assert again.state == State.SCHEDULED and again.scheduled_at == held_post.scheduled_at
    assert released.not_rescheduled == []
    alice.business.refresh_from_db()
    assert alice.business.paused_at is None
    resumed = AuditEvent.objects.get(action=Action.RESUMED)
    assert resumed.detail["released"] is True


def test_resuming_says_which_posts_could_not_go_again_and_why(alice):
    passed = scheduled(alice, hours=1)
    edited = scheduled(alice, hours=30)
    lifecycle.business_pause(alice.business, actor=alice.user)
    ContentPiece.objects.filter(pk=edited.piece_id).update(status=ContentPiece.Status.READY)

    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        released = lifecycle.business_resume(alice.business, actor=alice.user)

    assert released.rescheduled == []
    reasons = {piece.pk: reason for piece, reason in released.not_rescheduled}
    assert "예약 시각이 지났어요" in reasons[passed.piece_id]
    assert "글이 바뀌었어요" in reasons[edited.piece_id]


def test_a_post_canceled_by_hand_before_the_pause_stays_canceled(alice):
    canceled = scheduled(alice)
    services.cancel(canceled, actor=alice.user)
    lifecycle.business_pause(alice.business, actor=alice.user)

    released = lifecycle.business_resume(alice.business, actor=alice.user)

    assert released.rescheduled == [] and released.not_rescheduled == []


def test_pausing_twice_is_one_pause(alice):
    lifecycle.business_pause(alice.business, actor=alice.user)

    again = lifecycle.business_pause(alice.business, actor=alice.user)

    assert again == lifecycle.Held()
    assert AuditEvent.objects.filter(action=Action.PAUSED).count() == 1


def test_an_archived_shop_is_not_resumed_before_it_is_restored(alice):
    lifecycle.business_pause(alice.business, actor=alice.user)
    lifecycle.business_archive(alice.business, actor=alice.user)

    with pytest.raises(LifecycleError, match="보관함에서 먼저"):
        lifecycle.business_resume(alice.business, actor=alice.user)


# --- Archive, delete and restore ---------------------------------------------------------------


def test_deleting_a_shop_with_history_archives_it_and_keeps_everything(alice):
    campaign = CampaignFactory(business=alice.business)
    publication = scheduled(alice, campaign=campaign)
    PublishAttemptFactory(publication=publication)

    held = lifecycle.business_delete(alice.business, actor=alice.user)

    assert held is not None and held.held == [publication.pk]
    business = Business.objects.get(pk=alice.business.pk)
    assert business.archived_at == NOW
    assert Campaign.objects.filter(business=business).count() == 1
    assert ContentPiece.objects.filter(business=business).count() == 1
    assert Publication.objects.get(pk=publication.pk).state == State.CANCELED
    assert PublishAttempt.objects.filter(publication=publication).count() == 1
    assert business not in businesses_for_user(alice.user)
    assert business in businesses_for_user(alice.user, archived=True)
    assert AuditEvent.objects.filter(action=Action.ARCHIVED, business=business).exists()


def test_a_shop_without_history_is_deleted_at_once_and_the_log_keeps_its_name(alice):
    name, pk = alice.business.name, alice.business.pk

    assert lifecycle.business_delete(alice.business, actor=alice.user) is None

    assert not Business.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=Action.ERASED)
    assert name in event.summary and event.detail["business_id"] == pk
    assert event.business is None and event.organization == alice.organization


def test_restoring_brings_the_shop_back_with_its_held_posts(alice):
    publication = scheduled(alice, hours=48)
    lifecycle.business_archive(alice.business, actor=alice.user)

    released = lifecycle.business_restore(alice.business, actor=alice.user)

    alice.business.refresh_from_db()
    assert alice.business.archived_at is None
    assert [p.piece_id for p in released.rescheduled] == [publication.piece_id]
    assert alice.business in businesses_for_user(alice.user)


def test_a_shop_paused_then_archived_comes_back_paused_and_resumes_its_posts(alice):
    publication = scheduled(alice, hours=48)
    lifecycle.business_pause(alice.business, actor=alice.user)
    lifecycle.business_archive(alice.business, actor=alice.user)

    restored = lifecycle.business_restore(alice.business, actor=alice.user)
    assert restored.rescheduled == []
    resumed = lifecycle.business_resume(alice.business, actor=alice.user)

    assert [p.piece_id for p in resumed.rescheduled] == [publication.piece_id]


# --- Erase -----------------------------------------------------------------------------------


def test_erase_needs_the_shops_exact_name(alice):
    with pytest.raises(LifecycleError, match="이름이 맞지 않아요"):
        lifecycle.business_erase_request(alice.business, actor=alice.user, confirm_name="앨리스")

    alice.business.refresh_from_db()
    assert alice.business.erase_after is None and alice.business.archived_at is None


def test_erase_archives_the_shop_and_waits_the_grace_period(alice, settings):
    settings.BUSINESS_ERASE_GRACE_DAYS = 7
    CampaignFactory(business=alice.business)

    when = lifecycle.business_erase_request(
        alice.business, actor=alice.user, confirm_name=alice.business.name
    )

    assert when == NOW + dt.timedelta(days=7)
    alice.business.refresh_from_db()
    assert alice.business.archived_at == NOW and alice.business.erase_after == when
    assert lifecycle.erase_due(NOW + dt.timedelta(days=6, hours=23)) == 0
    assert Business.objects.filter(pk=alice.business.pk).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.ARCHIVED, Action.ERASE_REQUESTED} <= actions


def test_the_beat_task_erases_the_shop_its_rows_and_files_after_the_grace_period(
    alice, settings, django_capture_on_commit_callbacks
):
    settings.BUSINESS_ERASE_GRACE_DAYS = 7
    business = alice.business
    business.logo.save("logo.png", ContentFile(b"\x89PNG logo"), save=True)
    publication = scheduled(alice, campaign=CampaignFactory(business=business))
    PublishAttemptFactory(publication=publication)
    asset = AssetFactory(piece=publication.piece)
    photo = PhotoFactory(business=business)
    files = [
        (business.logo.storage, business.logo.name),
        (asset.file.storage, asset.file.name),
        (photo.image.storage, photo.image.name),
    ]
    assert all(storage.exists(name) for storage, name in files)
    lifecycle.business_erase_request(business, actor=alice.user, confirm_name=business.name)

    with (
        time_machine.travel(NOW + dt.timedelta(days=7, minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.erase_due_businesses() == 1

    assert not Business.objects.filter(pk=business.pk).exists()
    assert not Campaign.objects.exists() and not ContentPiece.objects.exists()
    assert not Publication.objects.exists() and not PublishAttempt.objects.exists()
    assert not Asset.objects.exists() and not Photo.objects.exists()
    assert not any(storage.exists(name) for storage, name in files)
    erased = AuditEvent.objects.get(action=Action.ERASED)
    assert erased.actor is None and business.name in erased.summary
    # The shop's earlier entries stay, no longer tied to a row that is gone.
    assert AuditEvent.objects.filter(action=Action.ERASE_REQUESTED, business=None).exists()


def test_the_erase_runs_on_the_beat_schedule():
    task, _when = DEFAULT_PERIODIC_TASKS["erase-due-businesses"]

    assert task == "publishing.tasks.erase_due_businesses"


def test_a_canceled_erase_keeps_the_shop_archived(alice):
    lifecycle.business_erase_request(
        alice.business, actor=alice.user, confirm_name=alice.business.name
    )

    lifecycle.business_erase_cancel(alice.business, actor=alice.user)

    assert lifecycle.erase_due(NOW + dt.timedelta(days=30)) == 0
    alice.business.refresh_from_db()
    assert alice.business.erase_after is None and alice.business.archived_at is not None
    assert AuditEvent.objects.filter(action=Action.ERASE_CANCELED).exists()


def test_restoring_calls_a_pending_erase_off(alice):
    lifecycle.business_erase_request(
        alice.business, actor=alice.user, confirm_name=alice.business.name
    )

    lifecycle.business_restore(alice.business, actor=alice.user)

    alice.business.refresh_from_db()
    assert alice.business.erase_after is None and alice.business.archived_at is None


def test_a_shop_with_a_post_going_out_is_erased_on_a_later_run(alice):
    publication = scheduled(alice)
    lifecycle.business_erase_request(
        alice.business, actor=alice.user, confirm_name=alice.business.name
    )
    Publication.objects.filter(pk=publication.pk).update(state=State.PROCESSING)
    later = NOW + dt.timedelta(days=8)

    assert lifecycle.erase_due(later) == 0
    Publication.objects.filter(pk=publication.pk).update(state=State.PUBLISHED)
    assert lifecycle.erase_due(later) == 1


# --- Who may ---------------------------------------------------------------------------------


def test_bob_can_neither_pause_archive_nor_erase_alices_shop(alice, bob):
    for step in (lifecycle.business_pause, lifecycle.business_archive, lifecycle.business_delete):
        with pytest.raises(PermissionDenied):
            step(alice.business, actor=bob.user)
    with pytest.raises(PermissionDenied):
        lifecycle.business_erase_request(
            alice.business, actor=bob.user, confirm_name=alice.business.name
        )

    alice.business.refresh_from_db()
    assert alice.business.paused_at is None and alice.business.archived_at is None
    assert alice.business.erase_after is None


def test_staff_may_not_pause_and_a_manager_may_archive_but_not_erase(alice, charlie):
    manager = manager_of(alice)
    with pytest.raises(PermissionDenied, match="매니저 이상"):
        lifecycle.business_pause(alice.business, actor=charlie.user)

    lifecycle.business_archive(alice.business, actor=manager.user)
    with pytest.raises(PermissionDenied, match="소유자만"):
        lifecycle.business_erase_request(
            alice.business, actor=manager.user, confirm_name=alice.business.name
        )
