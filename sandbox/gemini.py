"""A local Gemini API: the ``generateContent`` subset the google-genai SDK uses.

Point the real SDK at it with ``types.HttpOptions(base_url=fake.url)``. What the
model "writes" comes from a responder::

    def respond(request: GeminiRequest) -> dict | list | str | Reply:
        return {"caption": "오늘의 라떼"}  # dict/list: sent as the JSON text of the reply

    with FakeGemini(respond) as fake:
        ...
        fake.fail_next(429, "Resource has been exhausted", retry_after=7)

A str is sent as the text verbatim (so tests can send malformed JSON); a ``Reply``
replaces the whole HTTP answer. Token counts are estimated from text lengths
(about two characters a token) so cost accounting is testable.

A request for speech (``responseModalities: ["AUDIO"]``, the TTS models) is answered
by the simulator itself, as the API does: raw 16-bit mono PCM at 24 kHz
(``audio/L16;codec=pcm;rate=24000``), one soft hum per syllable at about six
Korean characters a second, billed at 25 audio tokens a second. Set
``speech_mime_type = "audio/wav"`` to answer like the newer models (a WAV file).
"""

from __future__ import annotations

import base64
import binascii
import io
import itertools
import json
import math
import re
import wave
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sandbox.server import FakeServer, RecordedRequest, Reply

GENERATE_PATH = r"/(?P<version>v1beta|v1alpha|v1)/models/(?P<model>[A-Za-z0-9._-]+):generateContent"

# google.rpc.Code names for the HTTP statuses the API answers with.
STATUS_NAMES: Mapping[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
CHARS_PER_TOKEN = 2
TOKENS_PER_INLINE_PART = 258  # what Gemini bills for one image
SPEECH_RATE = 24_000  # samples a second, as Gemini's TTS models answer
SPEECH_PCM_TYPE = f"audio/L16;codec=pcm;rate={SPEECH_RATE}"
SPEECH_CHARS_PER_S = 6.0  # a calm Korean narration
AUDIO_TOKENS_PER_S = 25


@dataclass(frozen=True)
class InlinePart:
    """An image or audio part of a request, decoded."""

    mime_type: str
    data: bytes


@dataclass(frozen=True)
class GeminiRequest:
    """One generateContent call as the SDK sent it."""

    model: str
    body: Mapping[str, Any]
    headers: Mapping[str, str]

    @property
    def contents(self) -> list[dict[str, Any]]:
        return list(self.body.get("contents") or [])

    @property
    def parts(self) -> list[dict[str, Any]]:
        return [part for content in self.contents for part in content.get("parts") or []]

    @property
    def text(self) -> str:
        """All text parts of ``contents``, one per line."""
        return "\n".join(part["text"] for part in self.parts if "text" in part)

    @property
    def inline_data(self) -> list[InlinePart]:
        """Each inline part, decoded (the SDK sends URL-safe base64)."""
        inline = []
        for part in self.parts:
            blob = _field(part, "inlineData")
            if isinstance(blob, dict):
                mime_type = _field(blob, "mimeType") or ""
                inline.append(InlinePart(mime_type, _decode_base64(blob.get("data") or "")))
        return inline

    @property
    def generation_config(self) -> dict[str, Any]:
        return dict(_field(self.body, "generationConfig") or {})

    @property
    def response_mime_type(self) -> str | None:
        return _field(self.generation_config, "responseMimeType")

    @property
    def response_schema(self) -> dict[str, Any] | None:
        """The schema whichever way it came: ``responseSchema`` or ``responseJsonSchema``."""
        config = self.generation_config
        return _field(config, "responseSchema") or _field(config, "responseJsonSchema")

    @property
    def response_modalities(self) -> list[str]:
        return [str(m).upper() for m in _field(self.generation_config, "responseModalities") or []]

    @property
    def voice_name(self) -> str | None:
        """The prebuilt voice asked for in ``speechConfig``, if any."""
        speech = _field(self.generation_config, "speechConfig") or {}
        voice = _field(_field(speech, "voiceConfig") or {}, "prebuiltVoiceConfig") or {}
        return _field(voice, "voiceName")

    @property
    def thinking_budget(self) -> int | None:
        return _field(_field(self.generation_config, "thinkingConfig") or {}, "thinkingBudget")

    @property
    def system_instruction(self) -> str:
        instruction = _field(self.body, "systemInstruction") or {}
        return "\n".join(part.get("text", "") for part in instruction.get("parts") or [])


Responder = Callable[[GeminiRequest], "dict[str, Any] | list[Any] | str | Reply"]


def google_error(status: int, message: str, *, retry_after: float | None = None) -> Reply:
    """An error the way Google's APIs send one: ``{"error": {code, message, status}}``."""
    error: dict[str, Any] = {
        "code": status,
        "message": message,
        "status": STATUS_NAMES.get(status, "UNKNOWN"),
    }
    headers: dict[str, str] = {}
    if retry_after is not None:
        error["details"] = [
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{retry_after:g}s"}
        ]
        headers["Retry-After"] = f"{math.ceil(retry_after)}"
    return Reply(status=status, body={"error": error}, headers=headers)


class FakeGemini(FakeServer):
    """Gemini's ``generateContent`` on 127.0.0.1.

    ``api_key``: the one key accepted (None: any key, but one must be sent).
    ``thoughts_tokens``: thinking tokens reported per call unless the request turns
    thinking off (``thinkingBudget: 0``); 0 leaves the field out, as Gemini does.
    """

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        api_key: str | None = None,
        thoughts_tokens: int = 0,
        port: int = 0,
        delay_s: float = 0.0,
    ) -> None:
        super().__init__(port=port, delay_s=delay_s)
        self.responder = responder
        self.api_key = api_key
        self.thoughts_tokens = thoughts_tokens
        self.speech_mime_type = SPEECH_PCM_TYPE
        self._response_ids = itertools.count(1)
        self.route("POST", GENERATE_PATH, self._generate_content)

    # --- Faults and inspection -------------------------------------------------------

    def fail_next(
        self, status: int, message: str, *, times: int = 1, retry_after: float | None = None
    ) -> None:
        """Answer the next ``times`` calls with Google's error JSON for ``status``."""
        self.script(google_error(status, message, retry_after=retry_after), times=times)

    def requests_for(self, model: str | None = None) -> list[GeminiRequest]:
        """Every generateContent call received (faulted ones too), oldest first."""
        calls = []
        for recorded in self.requests_to(GENERATE_PATH, method="POST"):
            called = re.fullmatch(GENERATE_PATH, recorded.path)
            assert called is not None
            if model is None or called["model"] == model:
                calls.append(_gemini_request(called["model"], recorded))
        return calls

    def not_found(self, request: RecordedRequest) -> Reply:
        return google_error(404, f"Method not found: {request.method} {request.path}")

    # --- The API --------------------------------------------------------------------

    def _generate_content(self, recorded: RecordedRequest, match: re.Match[str]) -> Reply:
        refusal = self._check_key(recorded.headers.get("x-goog-api-key"))
        if refusal is not None:
            return refusal
        if not isinstance(recorded.json, dict):
            return google_error(400, "Invalid JSON payload received.")
        request = _gemini_request(match["model"], recorded)
        if not request.contents:
            return google_error(400, "* GenerateContentRequest.contents: contents is not specified")
        if "AUDIO" in request.response_modalities:
            return self._speak(request)
        if self.responder is None:
            return google_error(501, "FakeGemini has no responder: set fake.responder")
        answer = self.responder(request)
        if isinstance(answer, Reply):
            return answer
        text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        return Reply(body=self._response(request, text))

    def _check_key(self, key: str | None) -> Reply | None:
        if not key:
            return google_error(
                403,
                "Method doesn't allow unregistered callers (callers without established "
                "identity). Please use API Key or other form of API consumer identity to call "
                "this API.",
            )
        if self.api_key is not None and key != self.api_key:
            return google_error(400, "API key not valid. Please pass a valid API key.")
        return None

    def _speak(self, request: GeminiRequest) -> Reply:
        if "tts" not in request.model:
            return google_error(
                400,
                "The requested combination of response modalities is not supported by the model.",
            )
        pcm = speech_pcm(request.text)
        seconds = len(pcm) / 2 / SPEECH_RATE
        data = pcm if self.speech_mime_type == SPEECH_PCM_TYPE else _as_wav(pcm)
        prompt_tokens = _tokens(request.text)
        audio_tokens = math.ceil(seconds * AUDIO_TOKENS_PER_S)
        part = {"inlineData": {"mimeType": self.speech_mime_type, "data": _base64(data)}}
        return Reply(
            body={
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [part]},
                        "finishReason": "STOP",
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": prompt_tokens,
                    "candidatesTokenCount": audio_tokens,
                    "totalTokenCount": prompt_tokens + audio_tokens,
                    "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt_tokens}],
                    "candidatesTokensDetails": [{"modality": "AUDIO", "tokenCount": audio_tokens}],
                },
                "modelVersion": request.model,
                "responseId": f"fake-{next(self._response_ids):06d}",
            }
        )

    def _response(self, request: GeminiRequest, text: str) -> dict[str, Any]:
        prompt_tokens = _tokens(request.text) + _tokens(request.system_instruction)
        prompt_tokens += TOKENS_PER_INLINE_PART * len(request.inline_data)
        output_tokens = _tokens(text)
        thoughts = 0 if request.thinking_budget == 0 else self.thoughts_tokens
        usage: dict[str, Any] = {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens + thoughts,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt_tokens}],
        }
        if thoughts:
            usage["thoughtsTokenCount"] = thoughts
        return {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": text}]},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": usage,
            "modelVersion": request.model,
            "responseId": f"fake-{next(self._response_ids):06d}",
        }


def _gemini_request(model: str, recorded: RecordedRequest) -> GeminiRequest:
    body = recorded.json if isinstance(recorded.json, dict) else {}
    return GeminiRequest(model=model, body=body, headers=recorded.headers)


def _field(message: Mapping[str, Any], name: str) -> Any:
    """A field of a JSON message by its camelCase name or its snake_case one.

    The API accepts both, and the SDK mixes them: top-level keys are camelCase, but
    nested ones (``inlineData.mime_type``, ``thinkingConfig.thinking_budget``) are not.
    """
    if name in message:
        return message[name]
    return message.get(re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower())


def _decode_base64(data: str) -> bytes:
    # Either alphabet (standard or URL-safe), padding optional.
    normalised = data.replace("+", "-").replace("/", "_")
    try:
        return base64.urlsafe_b64decode(normalised + "=" * (-len(normalised) % 4))
    except (binascii.Error, ValueError):
        return b""


def _tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def speech_pcm(text: str) -> bytes:
    """``text`` "read aloud": 16-bit mono PCM at 24 kHz, one soft hum per character
    (about six a second), a short pause at each space and a longer one after each
    sentence. The same text always sounds the same."""
    per_char = int(SPEECH_RATE / SPEECH_CHARS_PER_S)
    t = np.arange(per_char) / SPEECH_RATE
    envelope = np.sin(np.pi * t / t[-1]) ** 0.5  # each syllable swells and fades: no clicks
    pieces = [np.zeros(SPEECH_RATE // 10)]
    for char in text.strip():
        if char in ".?!…":
            pieces.append(np.zeros(per_char * 2))
        elif char.isspace() or not char.isalnum():
            pieces.append(np.zeros(per_char // 2))
        else:
            pitch = 150 + ord(char) % 90  # a voice-like 150–240 Hz, varying by syllable
            hum = np.sin(2 * np.pi * pitch * t) + 0.3 * np.sin(4 * np.pi * pitch * t)
            pieces.append(0.3 * envelope * hum / 1.3)
    samples = np.concatenate([*pieces, np.zeros(SPEECH_RATE // 10)])
    return (samples * 32767).astype("<i2").tobytes()


def _as_wav(pcm: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SPEECH_RATE)
        out.writeframes(pcm)
    return buffer.getvalue()


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")  # the API's standard alphabet
