"""Factories for every model the suite needs."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from analytics.models import MetricSnapshot
from campaigns.models import Campaign
from content.channels import Channel
from content.models import Asset, ContentPiece
from content.providers.base import Brief, GenerationRequest, Moment, ShopProfile
from content.providers.offline import OfflineProvider
from content.services import piece_store_draft
from marketing.models import Business, Membership, Organization, Photo, Product, UsageRecord, User
from publishing.models import ChannelAccount, Publication, PublishAttempt


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password("password")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"가게 {n}")
    industry = "cafe"
    area = "서울 마포구 연남동"
    selling_points = factory.LazyFunction(lambda: ["직접 굽는 빵"])


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"메뉴 {n}")
    price = 4500


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    business = factory.SubFactory(BusinessFactory)
    image = factory.django.ImageField(width=64, height=48, color="orange")


class UsageRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsageRecord

    organization = factory.SubFactory(OrganizationFactory)
    kind = UsageRecord.Kind.PIECE


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"캠페인 {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + dt.timedelta(days=6))
    channels = factory.LazyFunction(lambda: [Channel.INSTAGRAM])


class ContentPieceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentPiece

    business = factory.SubFactory(BusinessFactory)
    channel = Channel.INSTAGRAM
    title = factory.Sequence(lambda n: f"게시물 {n}")


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    piece = factory.SubFactory(ContentPieceFactory)
    business = factory.SelfAttribute("piece.business")
    kind = Asset.Kind.IMAGE
    file = factory.django.FileField(filename="asset.jpg", data=b"\xff\xd8\xff")


class ChannelAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelAccount

    business = factory.SubFactory(BusinessFactory)
    platform = Channel.INSTAGRAM
    mode = ChannelAccount.Mode.SANDBOX
    external_id = factory.Sequence(lambda n: f"1784{n:010d}")
    access_token = factory.Sequence(lambda n: f"token-{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    piece = factory.SubFactory(ContentPieceFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    next_attempt_at = factory.SelfAttribute("scheduled_at")


class PublishAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublishAttempt

    publication = factory.SubFactory(PublicationFactory)
    number = 1


class MetricSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricSnapshot

    publication = factory.SubFactory(PublicationFactory)
    collected_at = factory.LazyFunction(timezone.now)
    source = MetricSnapshot.Source.SANDBOX


def measured_post(
    business: Business,
    *,
    published_at: dt.datetime,
    reach: int,
    channel: str = Channel.INSTAGRAM,
    **attributes: object,
) -> Publication:
    """A published post read once at 7 days: what the learning loop learns from."""
    piece = ContentPieceFactory(
        business=business,
        channel=channel,
        status=ContentPiece.Status.APPROVED,
        body=f"{attributes.get('hook_style', '')} 글",
        **{"format": "image", "length_bucket": "short", "emoji_density": "low", **attributes},
    )
    publication = PublicationFactory(
        piece=piece,
        scheduled_at=published_at,
        state=Publication.State.PUBLISHED,
        published_at=published_at,
    )
    numbers = {"reach": reach} if channel == Channel.INSTAGRAM else {"views": reach}
    MetricSnapshotFactory(
        publication=publication, collected_at=published_at + dt.timedelta(days=7), **numbers
    )
    return publication


def written_piece(business: Business, channel: str, **attributes: object) -> ContentPiece:
    """A piece the offline writer wrote for ``business`` (its attributes overridden where
    given), stored the way a real writing stores it: ready, with its first revision."""
    shop = ShopProfile(
        name=business.name, industry="cafe", industry_label="카페", family="food_drink",
        area=business.area,
    )  # fmt: skip
    request = GenerationRequest(
        channel,
        shop,
        Brief(goal="new_menu"),
        Moment(dt.datetime(2026, 11, 24, 9), "초겨울"),
        seed=3,
    )
    generation = OfflineProvider().write(request)
    if attributes:
        data = generation.draft.model_dump()
        data["attributes"].update(attributes)
        generation = type(generation)(type(generation.draft).model_validate(data), "offline")
    piece = ContentPieceFactory(business=business, channel=channel, status="generating")
    piece_store_draft(piece, generation, instruction="")
    return piece
