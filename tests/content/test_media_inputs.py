"""Photos and voice memos through the real google-genai SDK against the Gemini simulator,
and their API: what goes out, what is stored, who may see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.media_inputs import (
    photo_analyze,
    voice_memo_create,
    voice_memo_read,
)
from content.models import PhotoAnalysis, VoiceMemo
from content.providers.base import ProviderError
from content.tasks import read_voice_memo
from marketing.models import Photo, UsageRecord
from sandbox.gemini_responder import respond
from tests.conftest import Tenant
from tests.content.media_files import ffmpeg_audio, image_bytes, wav_bytes
from tests.factories import PhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline(settings):
    settings.GEMINI_API_KEY = ""
    settings.GENERATION_PROVIDER = "auto"


def _photo(tenant: Tenant, fmt: str = "JPEG") -> Photo:
    return PhotoFactory(
        business=tenant.business,
        image=ContentFile(image_bytes(fmt, size=(120, 90)), name=f"photo.{fmt.lower()}"),
    )


def _memo(tenant: Tenant, audio: bytes | None = None, name: str = "memo.wav") -> VoiceMemo:
    audio = audio if audio is not None else wav_bytes(3)
    return voice_memo_create(
        business=tenant.business, audio=audio, filename=name, actor=tenant.user
    )


# --- Photos ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_a_photo_of_any_accepted_type_goes_to_gemini_as_a_clean_jpeg(gemini, alice, fmt, mime_type):
    import io

    from PIL import Image

    photo = _photo(alice, fmt)
    original = Image.open(photo.image.open("rb"))

    photo_analyze(photo=photo)

    [request] = gemini.requests_for()
    [image] = request.inline_data
    sent = Image.open(io.BytesIO(image.data))
    assert image.mime_type == "image/jpeg"
    assert sent.format == "JPEG" and sent.size == original.size
    assert request.model == "gemini-2.5-flash-lite"
    assert "suggested_captions" in request.response_schema["properties"]


def test_the_photo_analysis_is_stored_and_its_call_recorded(gemini, alice):
    photo = _photo(alice)

    photo_analyze(photo=photo)

    analysis = PhotoAnalysis.objects.get(photo=photo)
    assert analysis.description.startswith("따뜻한 조명")
    assert analysis.suggested_captions == ["오늘 아침 갓 구운 빵", "창가 자리에서 커피 한 잔"]
    assert analysis.products == ["소금빵", "아메리카노"]  # what the photo shows, to add with a tap
    assert analysis.error == ""
    [call] = UsageRecord.objects.filter(kind=UsageRecord.Kind.LLM_CALL)
    assert call.model_name == "gemini-2.5-flash-lite" and call.input_tokens > 0


def test_without_gemini_the_reason_is_stored_and_the_old_description_kept(offline, alice):
    photo = _photo(alice)
    PhotoAnalysis.objects.create(photo=photo, description="이전 설명")

    analysis = photo_analyze(photo=photo)

    analysis.refresh_from_db()
    assert "Gemini 연결이 있어야" in analysis.error
    assert analysis.description == "이전 설명"
    assert not UsageRecord.objects.exists()


def test_a_stored_file_that_is_not_a_photo_is_never_sent(gemini, alice):
    photo = PhotoFactory(
        business=alice.business, image=ContentFile(b"not a photo", name="menu.jpg")
    )

    analysis = photo_analyze(photo=photo)

    assert analysis.error.startswith("사진 파일이 아니에요")
    assert gemini.requests_for() == []


def test_a_transient_error_while_describing_a_photo_is_raised_for_a_retry(gemini, alice):
    gemini.fail_next(503, "The model is overloaded.")

    with pytest.raises(ProviderError) as raised:
        photo_analyze(photo=_photo(alice))

    assert raised.value.permanent is False


def test_an_open_circuit_stops_calling_gemini_and_is_transient(gemini, alice, settings):
    settings.GENERATION_BREAKER_FAILURES = 1
    gemini.fail_next(503, "The model is overloaded.")
    photo = _photo(alice)
    with pytest.raises(ProviderError):
        photo_analyze(photo=photo)

    with pytest.raises(ProviderError, match="잠시 쉬었다가") as raised:
        photo_analyze(photo=photo)

    assert raised.value.permanent is False
    assert len(gemini.requests_for()) == 1


# --- Voice memos ------------------------------------------------------------------------------


def test_a_voice_memo_is_stored_and_its_reading_queued_after_commit(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        memo = _memo(alice)

    memo.refresh_from_db()
    assert (memo.status, memo.mime_type, memo.duration_s) == ("queued", "audio/wav", 3.0)
    assert memo.audio.name.endswith(".wav") and memo.audio.size > 0
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("extension", "mime_type"),
    [("wav", "audio/wav"), ("m4a", "audio/mp4"), ("mp3", "audio/mpeg")],
)
def test_a_memo_goes_to_gemini_inline_and_its_facts_are_stored(gemini, alice, extension, mime_type):
    audio = wav_bytes(3) if extension == "wav" else ffmpeg_audio(extension)
    memo = _memo(alice, audio, f"memo.{extension}")

    memo = voice_memo_read(memo_id=memo.pk)

    [request] = gemini.requests_for()
    [sent] = request.inline_data
    assert (sent.mime_type, sent.data) == (mime_type, audio)
    assert request.model == "gemini-2.5-flash"
    assert memo.status == VoiceMemo.Status.DONE
    assert memo.transcript.startswith("이번 주 금요일부터 딸기 라떼")
    assert memo.facts == {
        "goal": "new_menu",
        "offer": "첫 주 1,000원 할인",
        "products": ["딸기 라떼"],
        "facts": ["금요일 출시"],
    }
    assert UsageRecord.objects.filter(kind=UsageRecord.Kind.LLM_CALL).count() == 1


def test_a_goal_outside_the_campaign_goals_is_left_empty(gemini, alice):
    gemini.responder = lambda request: {**respond(request), "goal": "world_domination"}

    memo = voice_memo_read(memo_id=_memo(alice).pk)

    assert memo.facts["goal"] == ""


def test_a_memo_that_is_done_is_not_read_twice(gemini, alice):
    memo = _memo(alice)

    voice_memo_read(memo_id=memo.pk)
    voice_memo_read(memo_id=memo.pk)

    assert len(gemini.requests_for()) == 1
    assert UsageRecord.objects.filter(kind=UsageRecord.Kind.LLM_CALL).count() == 1


def test_without_gemini_a_memo_fails_with_the_reason(offline, alice):
    memo = voice_memo_read(memo_id=_memo(alice).pk)

    assert memo.status == VoiceMemo.Status.FAILED
    assert "Gemini 연결이 있어야" in memo.error


def test_a_429_while_reading_a_memo_is_transient_and_passes_on_the_delay(gemini, alice):
    gemini.fail_next(429, "Resource has been exhausted", retry_after=7)
    memo = _memo(alice)

    with pytest.raises(ProviderError) as raised:
        voice_memo_read(memo_id=memo.pk)

    memo.refresh_from_db()
    assert raised.value.permanent is False
    assert raised.value.retry_after_s == 7
    assert memo.status == VoiceMemo.Status.QUEUED
    assert "다시 시도" in memo.error


def test_when_retries_run_out_the_memo_fails_with_the_reason(gemini, alice, monkeypatch):
    gemini.fail_next(503, "The model is overloaded.")
    memo = _memo(alice)
    monkeypatch.setattr(read_voice_memo, "max_retries", 0)

    read_voice_memo.apply(args=[memo.pk], throw=True)

    memo.refresh_from_db()
    assert memo.status == VoiceMemo.Status.FAILED
    assert "잠시 응답하지 않아" in memo.error and "다시 올려 주세요" in memo.error


def test_someone_outside_the_organization_cannot_add_a_memo(alice, bob):
    with pytest.raises(PermissionDenied):
        voice_memo_create(
            business=alice.business, audio=wav_bytes(1), filename="memo.wav", actor=bob.user
        )

    assert not VoiceMemo.objects.exists()


# --- API -----------------------------------------------------------------------------------------


def _upload(tenant: Tenant, audio: bytes, name: str = "memo.m4a", business=None):
    business = business or tenant.business
    return tenant.api().post(
        f"/api/v1/businesses/{business.pk}/voice-memos/",
        {"audio": SimpleUploadedFile(name, audio, content_type="audio/mp4")},
        format="multipart",
    )


def test_uploading_a_memo_answers_202_with_a_status_url_and_queues_it(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _upload(alice, ffmpeg_audio("m4a"))

    body = response.json()
    assert response.status_code == 202
    assert body["status"] == "queued"
    assert body["duration_s"] == pytest.approx(2.0, abs=0.15)
    assert body["status_url"].endswith(f"/api/v1/voice-memos/{body['id']}/")
    assert response["Location"] == body["status_url"]
    assert len(callbacks) == 1


def test_a_staff_member_may_upload_a_memo_too(charlie, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        response = _upload(charlie, wav_bytes(1), "memo.wav")

    assert response.status_code == 202


def test_a_too_long_memo_is_a_400_with_the_reason_and_nothing_is_stored(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _upload(alice, wav_bytes(121, rate=8_000), "long.wav")

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "validation_error"
    assert error["fields"]["audio"] == [
        "음성 메모가 너무 길어요 (2분 1초). 2분 이내로 녹음해 주세요."
    ]
    assert not VoiceMemo.objects.exists()
    assert callbacks == []


def test_a_text_file_named_mp3_is_a_400_naming_the_formats_we_take(alice):
    response = _upload(alice, b"just some text, honestly" * 20, "memo.mp3")

    assert response.status_code == 400
    assert "m4a, mp3, wav" in response.json()["error"]["fields"]["audio"][0]


def test_the_status_url_shows_the_transcript_once_read(gemini, alice):
    with_memo = _upload(alice, wav_bytes(2), "memo.wav").json()
    voice_memo_read(memo_id=with_memo["id"])

    body = alice.api().get(with_memo["status_url"]).json()

    assert body["status"] == "done"
    assert body["transcript"].startswith("이번 주 금요일부터")
    assert body["facts"]["products"] == ["딸기 라떼"]


def test_asking_for_a_photo_analysis_answers_202_and_queues_it(
    gemini, alice, django_capture_on_commit_callbacks
):
    photo = _photo(alice)
    with django_capture_on_commit_callbacks() as callbacks:
        response = alice.api().post(f"/api/v1/photos/{photo.pk}/analyze/")

    body = response.json()
    assert response.status_code == 202
    assert body["status"] == "pending"
    assert body["status_url"].endswith(f"/api/v1/photos/{photo.pk}/analysis/")
    assert len(callbacks) == 1

    photo_analyze(photo=photo)
    done = alice.api().get(body["status_url"]).json()
    assert done["status"] == "done"
    assert done["suggested_captions"][0] == "오늘 아침 갓 구운 빵"


def test_a_photo_never_analysed_reads_as_pending(alice):
    photo = _photo(alice)

    body = alice.api().get(f"/api/v1/photos/{photo.pk}/analysis/").json()

    assert body["status"] == "pending" and body["description"] == ""


def test_bob_gets_404_for_alices_business_memo_and_photo(alice, bob):
    memo = _memo(alice)
    photo = _photo(alice)
    api = bob.api()

    assert _upload(bob, wav_bytes(1), "memo.wav", business=alice.business).status_code == 404
    assert api.get(f"/api/v1/voice-memos/{memo.pk}/").status_code == 404
    assert api.post(f"/api/v1/photos/{photo.pk}/analyze/").status_code == 404
    assert api.get(f"/api/v1/photos/{photo.pk}/analysis/").status_code == 404
    assert VoiceMemo.objects.count() == 1
    assert not PhotoAnalysis.objects.exists()


# --- Admin ------------------------------------------------------------------------------------------


def test_agency_staff_can_queue_photo_analyses_from_the_admin(
    alice, django_capture_on_commit_callbacks
):
    photos = [_photo(alice), _photo(alice)]
    with django_capture_on_commit_callbacks() as callbacks:
        response = alice.client().post(
            reverse("admin:marketing_photo_changelist"),
            {"action": "analyze_photos", "_selected_action": [p.pk for p in photos]},
            follow=True,
        )

    assert response.status_code == 200
    assert "2장의 사진을 분석합니다" in response.content.decode()
    assert len(callbacks) == 2
    assert PhotoAnalysis.objects.filter(photo__in=photos).count() == 2


def test_a_photo_goes_to_gemini_upright_and_without_its_exif(gemini, alice):
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate
    exif[0x010F] = "TestCam"  # the device (GPS stripping itself is tested in test_images)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG", exif=exif.tobytes())
    from django.core.files.base import ContentFile

    photo = Photo.objects.create(
        business=alice.business, image=ContentFile(buffer.getvalue(), name="gps.jpg")
    )

    photo_analyze(photo=photo)

    [part] = gemini.requests_for()[-1].inline_data
    sent = Image.open(io.BytesIO(part.data))
    assert part.mime_type == "image/jpeg"
    assert not sent.getexif()
    assert sent.size == (48, 64)  # the orientation was applied, then dropped
