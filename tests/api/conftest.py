"""A tenant's whole world for the API tests: one of every object an id in a URL can name."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from analytics.models import WeeklyReport
from campaigns.models import Campaign
from content.models import ClientLink, ContentPiece, VoiceMemo
from marketing.models import Photo
from publishing.models import ChannelAccount, Publication, PublishAttempt
from tests.conftest import Tenant
from tests.factories import (
    CampaignFactory,
    ChannelAccountFactory,
    PhotoFactory,
    PublicationFactory,
    PublishAttemptFactory,
    written_piece,
)


@dataclass
class World:
    tenant: Tenant
    campaign: Campaign
    piece: ContentPiece
    account: ChannelAccount
    publication: Publication
    attempt: PublishAttempt
    photo: Photo
    voice_memo: VoiceMemo
    report: WeeklyReport
    client_link: ClientLink


def seed_world(tenant: Tenant) -> World:
    business = tenant.business
    campaign = CampaignFactory(business=business, channels=["threads", "instagram"])
    piece = written_piece(business, "threads")
    image_post = written_piece(business, "instagram")
    ContentPiece.objects.filter(pk__in=[piece.pk, image_post.pk]).update(campaign=campaign)
    piece.refresh_from_db()
    account = ChannelAccountFactory(
        business=business,
        platform="threads",
        access_token="threads-access-secret",
        refresh_token="threads-refresh-secret",
    )
    publication = PublicationFactory(piece=piece, channel_account=account)
    attempt = PublishAttemptFactory(publication=publication, action="publish")
    voice_memo = VoiceMemo.objects.create(
        business=business, audio="voice/memo.m4a", mime_type="audio/mp4", duration_s=12
    )
    report = WeeklyReport.objects.create(
        business=business, week="2026-W48", starts_on=dt.date(2026, 11, 23), sent_at=timezone.now()
    )
    client_link = ClientLink.objects.create(
        business=business,
        campaign=campaign,
        key=uuid.uuid4(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return World(
        tenant=tenant,
        campaign=campaign,
        piece=piece,
        account=account,
        publication=publication,
        attempt=attempt,
        photo=PhotoFactory(business=business),
        voice_memo=voice_memo,
        report=report,
        client_link=client_link,
    )


@pytest.fixture
def alices_world(alice: Tenant) -> World:
    return seed_world(alice)


@pytest.fixture
def bobs_world(bob: Tenant) -> World:
    return seed_world(bob)


@pytest.fixture
def token(alice: Tenant) -> Token:
    return Token.objects.create(user=alice.user)
