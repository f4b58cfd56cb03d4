"""The one interface every voice (text-to-speech) provider implements.

A speech provider reads a Korean narration aloud and gives back a WAV file, its
length, and the model calls it paid for. Like a writer it never touches the
database: the creative services store the audio and record the usage.
"""

from __future__ import annotations

import io
import wave
from abc import ABC, abstractmethod
from dataclasses import dataclass

from content.providers.base import LlmCall

WAV_TYPES = ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")
PCM_TYPES = ("audio/l16", "audio/pcm")
PCM_RATE = 24_000  # Gemini's TTS models speak at 24 kHz when the type does not say


@dataclass(frozen=True)
class Speech:
    """A narration read aloud: WAV bytes, how long it lasts, and what it cost."""

    audio: bytes
    duration_s: float
    voice: str
    model: str
    calls: tuple[LlmCall, ...] = ()
    mime_type: str = "audio/wav"


class SpeechProvider(ABC):
    name: str = ""  # also names the provider's circuit breaker
    model: str = ""  # part of a narration's fingerprint: another model, another voice
    voice: str = ""  # the voice used when the caller names none

    @abstractmethod
    def synthesize(self, text: str, *, voice: str) -> Speech:
        """Read ``text`` aloud in ``voice``. Raises ProviderError (``permanent`` set)."""


def as_wav(data: bytes, mime_type: str) -> bytes:
    """``data`` as a WAV file: kept as it is when it is one, else raw PCM given a header.

    Raw PCM comes as ``audio/L16;codec=pcm;rate=24000``: 16-bit mono samples, which
    Gemini sends little-endian (RFC 2586 says L16 is big-endian; the API does not
    follow it). Raises ValueError for any other type.
    """
    base, *parameters = (part.strip() for part in mime_type.split(";"))
    if base.lower() in WAV_TYPES:
        return data
    if base.lower() not in PCM_TYPES:
        raise ValueError(f"unexpected audio type {mime_type!r}")
    options = dict(p.partition("=")[::2] for p in parameters)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(int(options.get("channels") or 1))
        out.setsampwidth(2)
        out.setframerate(int(options.get("rate") or PCM_RATE))
        out.writeframes(data)
    return buffer.getvalue()


def wav_duration(data: bytes) -> float:
    """Seconds of sound in a WAV file. Raises ValueError when it is not a readable WAV."""
    try:
        with wave.open(io.BytesIO(data), "rb") as sound:
            return sound.getnframes() / sound.getframerate()
    except (wave.Error, EOFError, ZeroDivisionError) as exc:
        raise ValueError(f"not a readable WAV file: {exc}") from exc
