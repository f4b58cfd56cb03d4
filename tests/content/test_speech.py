"""Narration read aloud by GeminiSpeech: the real google-genai SDK over real HTTP
against the Gemini simulator, and the registry that picks (or skips) the voice."""

from __future__ import annotations

import io
import wave
from decimal import Decimal

import pytest

from content.providers.base import ProviderError
from content.providers.gemini import GeminiSpeech
from content.providers.registry import speech_provider_for
from content.providers.speech import as_wav, wav_duration
from sandbox.gemini import SPEECH_PCM_TYPE, FakeGemini
from sandbox.server import Reply
from tests.conftest import Tenant

TEXT = "갓 구운 소금빵이 나왔어요. 오늘 오후 세 시까지만 할인해요."
TTS_MODEL = "gemini-2.5-flash-preview-tts"


def _wav(data: bytes) -> tuple[int, int, int, float]:
    with wave.open(io.BytesIO(data), "rb") as sound:
        channels, width, rate = sound.getnchannels(), sound.getsampwidth(), sound.getframerate()
        return channels, width, rate, sound.getnframes() / rate


def test_a_narration_asks_the_tts_model_for_audio_in_the_configured_voice(gemini, settings):
    settings.GEMINI_TTS_VOICE = "Puck"
    speaker = GeminiSpeech()

    speaker.synthesize(TEXT, voice=speaker.voice)

    [request] = gemini.requests_for()
    assert request.model == settings.GEMINI_MODEL_TTS == TTS_MODEL
    assert request.response_modalities == ["AUDIO"]
    assert request.voice_name == "Puck"
    assert request.text == TEXT
    assert request.headers["x-goog-api-key"] == "test-key"


def test_raw_pcm_from_gemini_gets_a_wav_header(gemini):
    speech = GeminiSpeech().synthesize(TEXT, voice="Kore")

    channels, width, rate, seconds = _wav(speech.audio)
    assert speech.audio[:4] == b"RIFF" and speech.mime_type == "audio/wav"
    assert (channels, width, rate) == (1, 2, 24_000)
    assert seconds == pytest.approx(speech.duration_s, abs=0.001)
    assert 5 < speech.duration_s < 15  # about six characters a second
    assert (speech.voice, speech.model) == ("Kore", TTS_MODEL)


def test_a_wav_answer_from_a_newer_model_is_kept_as_it_is(gemini):
    pcm_speech = GeminiSpeech().synthesize(TEXT, voice="Kore")
    gemini.speech_mime_type = "audio/wav"

    wav_speech = GeminiSpeech().synthesize(TEXT, voice="Kore")

    assert wav_speech.audio == pcm_speech.audio  # not wrapped a second time


def test_a_narration_reports_its_text_and_audio_tokens_and_their_cost(gemini):
    speech = GeminiSpeech().synthesize(TEXT, voice="Kore")

    [call] = speech.calls
    assert call.model == TTS_MODEL
    assert call.input_tokens == 17  # the simulator's two characters a token
    assert call.output_tokens == pytest.approx(25 * speech.duration_s, abs=1)
    expected = (call.input_tokens * 0.50 + call.output_tokens * 10.00) / 1_000_000
    assert call.cost_usd == Decimal(str(round(expected, 6)))


@pytest.mark.parametrize(("status", "permanent"), [(429, False), (503, False), (400, True)])
def test_gemini_errors_are_classified_like_the_writers(gemini, status, permanent):
    gemini.fail_next(status, "nope", retry_after=9 if status == 429 else None)

    with pytest.raises(ProviderError) as raised:
        GeminiSpeech().synthesize(TEXT, voice="Kore")

    assert raised.value.permanent is permanent
    assert str(status) in raised.value.detail
    if status == 429:
        assert raised.value.retry_after_s == 9


def test_text_instead_of_sound_is_a_transient_error_and_its_call_is_still_counted(gemini):
    gemini.script(
        Reply(
            body={
                "candidates": [
                    {"content": {"parts": [{"text": "소금빵"}]}, "finishReason": "STOP"}
                ],
                "usageMetadata": {"promptTokenCount": 17, "candidatesTokenCount": 3},
            }
        )
    )

    with pytest.raises(ProviderError, match="음성 응답의 형식") as raised:
        GeminiSpeech().synthesize(TEXT, voice="Kore")

    assert raised.value.permanent is False
    assert [call.input_tokens for call in raised.value.calls] == [17]


def test_a_safety_refusal_is_permanent(gemini):
    gemini.script(Reply(body={"candidates": [{"finishReason": "SAFETY", "index": 0}]}))

    with pytest.raises(ProviderError, match="내레이션을 읽지 않았습니다") as raised:
        GeminiSpeech().synthesize(TEXT, voice="Kore")

    assert raised.value.permanent is True
    assert "SAFETY" in raised.value.detail


def test_a_model_that_cannot_speak_is_refused_permanently(gemini, settings):
    settings.GEMINI_MODEL_TTS = "gemini-2.5-flash"

    with pytest.raises(ProviderError) as raised:
        GeminiSpeech().synthesize(TEXT, voice="Kore")

    assert raised.value.permanent is True


def test_an_unreachable_gemini_is_a_transient_error(settings):
    with FakeGemini() as fake:
        url = fake.url
    settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL = "test-key", url  # nobody listens now

    with pytest.raises(ProviderError) as raised:
        GeminiSpeech().synthesize(TEXT, voice="Kore")

    assert raised.value.permanent is False


# --- WAV --------------------------------------------------------------------------------------


def test_pcm_takes_its_rate_from_the_mime_type():
    wav = as_wav(b"\x00\x00" * 16_000, "audio/L16;codec=pcm;rate=16000")

    assert _wav(wav) == (1, 2, 16_000, 1.0)
    assert wav_duration(wav) == 1.0


def test_pcm_without_a_rate_is_gemini_s_24_khz():
    assert _wav(as_wav(b"\x00\x00" * 24_000, "audio/pcm"))[2] == 24_000
    assert SPEECH_PCM_TYPE == "audio/L16;codec=pcm;rate=24000"


def test_an_unknown_audio_type_is_refused():
    with pytest.raises(ValueError, match="audio/mpeg"):
        as_wav(b"ID3", "audio/mpeg")
    with pytest.raises(ValueError, match="not a readable WAV"):
        wav_duration(b"RIFF not really")


# --- Which voice ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_business_writing_with_gemini_is_narrated_by_gemini(gemini, alice: Tenant):
    speaker = speech_provider_for(alice.business)

    assert isinstance(speaker, GeminiSpeech)
    assert (speaker.voice, speaker.model) == ("Kore", TTS_MODEL)


@pytest.mark.django_db
def test_without_a_gemini_key_there_is_no_narration(alice: Tenant, settings):
    settings.GEMINI_API_KEY = ""

    assert speech_provider_for(alice.business) is None
    settings.TTS_PROVIDER = "gemini"
    assert speech_provider_for(alice.business) is None


@pytest.mark.django_db
def test_tts_none_turns_narration_off(gemini, alice: Tenant, settings):
    settings.TTS_PROVIDER = "none"

    assert speech_provider_for(alice.business) is None


@pytest.mark.django_db
def test_an_organization_that_chose_the_offline_writer_sends_nothing_to_google(
    gemini, alice: Tenant, settings
):
    alice.organization.generation_provider = "offline"
    alice.organization.save()

    assert speech_provider_for(alice.business) is None
    settings.TTS_PROVIDER = "gemini"
    assert speech_provider_for(alice.business) is None


@pytest.mark.django_db
def test_tts_gemini_speaks_even_when_the_server_writes_offline(gemini, alice: Tenant, settings):
    settings.GENERATION_PROVIDER = "offline"
    assert speech_provider_for(alice.business) is None  # auto follows the writer

    settings.TTS_PROVIDER = "gemini"

    assert isinstance(speech_provider_for(alice.business), GeminiSpeech)
