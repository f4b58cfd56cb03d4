"""A shop's background music: uploaded in the owner's business form or the admin,
checked by what the bytes are (core.uploads, music limits), refused in Korean."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketing.models import Business
from tests.conftest import Tenant
from tests.content.media_files import ffmpeg_audio, image_bytes, wav_bytes

pytestmark = pytest.mark.django_db


def _owner_form(business: Business, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organization": business.organization_id,
        "name": business.name,
        "industry": business.industry,
        "area": business.area,
        "price_range": business.price_range,
        "tone": business.tone,
        "brand_primary_color": business.brand_primary_color,
        "brand_secondary_color": business.brand_secondary_color,
        "selling_points": "\n".join(business.selling_points),
    }
    return {**data, **changes}


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _edit(tenant: Tenant, upload: SimpleUploadedFile, **changes: object):
    url = reverse("marketing:business_edit", args=[tenant.business.pk])
    return tenant.client().post(
        url, _owner_form(tenant.business, background_music=upload, **changes)
    )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("봄노래.mp3", lambda: ffmpeg_audio("mp3", 2.0)),
        ("jingle.m4a", lambda: ffmpeg_audio("m4a", 2.0)),
        ("loop.WAV", lambda: wav_bytes(2.0)),
    ],
)
def test_an_owner_uploads_mp3_m4a_or_wav_music(alice: Tenant, name: str, make):
    data = make()

    response = _edit(alice, _upload(name, data))

    alice.business.refresh_from_db()
    music = alice.business.background_music
    assert response.status_code == 302
    assert music.name.startswith(f"music/{alice.organization.pk}/")
    assert music.name.endswith(name[name.rindex(".") :].lower())
    assert name.split(".")[0] not in music.name  # the owner's file name is not kept
    with music.open("rb") as stored:
        assert stored.read() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "song.mp3",
            image_bytes("JPEG"),
            "파일 이름은 .mp3인데 내용은 음성 파일이 아니에요. m4a, mp3, wav 파일을 보내 주세요.",
        ),
        (
            "memo.txt",
            "봄 노래".encode() * 100,
            "음성 파일이 아니에요. m4a, mp3, wav 파일을 보내 주세요.",
        ),
        (
            "song.ogg",
            ffmpeg_audio("ogg", 1.0),
            "OGG 형식은 받을 수 없어요. m4a, mp3, wav 파일로 보내 주세요.",
        ),
        (
            "clip.mp4",
            ffmpeg_audio("mp4", 1.0),
            "영상이 담긴 파일이에요. 소리만 담긴 m4a, mp3, wav 파일을 올려 주세요.",
        ),
    ],
)
def test_a_file_that_is_not_usable_music_is_refused_in_korean(
    alice: Tenant, name: str, data: bytes, message: str
):
    response = _edit(alice, _upload(name, data), name="바뀌면 안 되는 이름")

    alice.business.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["background_music"] == [message]
    assert message in response.content.decode()
    assert not alice.business.background_music
    assert alice.business.name != "바뀌면 안 되는 이름"  # nothing of the form was saved


def test_music_over_the_length_limit_is_refused_with_its_length(alice: Tenant, settings):
    settings.MUSIC_MAX_SECONDS = 3

    response = _edit(alice, _upload("long.wav", wav_bytes(4.0, rate=8_000)))

    assert response.context["form"].errors["background_music"] == [
        "배경 음악이 너무 길어요 (4초). 3초 이내의 곡을 올려 주세요."
    ]


def test_music_over_the_byte_limit_is_refused(alice: Tenant, settings):
    settings.MUSIC_MAX_BYTES = 1024 * 1024

    response = _edit(alice, _upload("big.wav", wav_bytes(40.0)))  # 1.28 MB

    assert response.context["form"].errors["background_music"] == [
        "배경 음악 파일이 너무 커요 (최대 1MB). 더 작은 파일을 올려 주세요."
    ]


def test_ten_minutes_of_music_is_the_default_limit(settings):
    assert (settings.MUSIC_MAX_SECONDS, settings.MUSIC_MAX_BYTES) == (600, 20 * 1024 * 1024)


def test_a_new_business_can_bring_its_music(alice: Tenant):
    data = ffmpeg_audio("mp3", 2.0)
    form = _owner_form(alice.business, name="새 가게", background_music=_upload("a.mp3", data))

    response = alice.client().post(reverse("marketing:business_create"), form)

    business = Business.objects.get(name="새 가게")
    assert response.status_code == 302
    assert business.background_music.name.startswith(f"music/{alice.organization.pk}/")


def test_editing_other_fields_keeps_the_music_without_reading_it_again(alice: Tenant):
    _edit(alice, _upload("a.mp3", ffmpeg_audio("mp3", 2.0)))
    alice.business.refresh_from_db()
    stored = alice.business.background_music.name
    alice.business.background_music.storage.delete(stored)  # a stored file is not checked again

    response = alice.client().post(
        reverse("marketing:business_edit", args=[alice.business.pk]),
        _owner_form(alice.business, name="새 이름"),
    )

    alice.business.refresh_from_db()
    assert response.status_code == 302
    assert (alice.business.name, alice.business.background_music.name) == ("새 이름", stored)


def test_the_owner_hears_the_current_music_in_the_form(alice: Tenant):
    _edit(alice, _upload("a.mp3", ffmpeg_audio("mp3", 2.0)))
    alice.business.refresh_from_db()

    html = alice.client().get(reverse("marketing:business_edit", args=[alice.business.pk]))

    assert f'<audio src="{alice.business.background_music.url}"' in html.content.decode()


def test_bob_cannot_put_music_on_alices_business(alice: Tenant, bob: Tenant):
    url = reverse("marketing:business_edit", args=[alice.business.pk])
    upload = _upload("a.mp3", ffmpeg_audio("mp3", 2.0))

    response = bob.client().post(url, _owner_form(alice.business, background_music=upload))

    alice.business.refresh_from_db()
    assert response.status_code == 404
    assert not alice.business.background_music


# --- The admin ---------------------------------------------------------------------------------


def _admin_form(business: Business, **changes: object) -> dict[str, object]:
    data = _owner_form(business, time_zone=business.time_zone, links="{}")
    data["selling_points"] = '["직접 굽는 빵"]'
    for prefix in ("products",):  # the product inline's empty formset
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return {**data, **changes}


def test_the_admin_takes_music_and_refuses_what_is_not(alice: Tenant):
    url = reverse("admin:marketing_business_change", args=[alice.business.pk])
    client = alice.client()
    bad = _upload("song.mp3", image_bytes("PNG"))

    refused = client.post(url, _admin_form(alice.business, background_music=bad))
    accepted = client.post(
        url, _admin_form(alice.business, background_music=_upload("a.m4a", ffmpeg_audio("m4a")))
    )

    assert "파일 이름은 .mp3인데 내용은 음성 파일이 아니에요" in refused.content.decode()
    assert accepted.status_code == 302
    alice.business.refresh_from_db()
    assert alice.business.background_music.name.endswith(".m4a")
