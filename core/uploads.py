"""What owners upload, checked by what the bytes are, never by name or declared type.

A photo must be a JPEG, PNG or WebP (HEIC only where Pillow can open it) that fits
the byte and pixel limits and decodes completely. A voice memo must be m4a/mp4
audio, mp3 or wav that fits the byte limit and lasts at most two minutes; a shop's
background music is checked the same way with its own limits (``MUSIC``). Every
refusal is an ``InputRejected`` whose message tells the owner what to send instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath

import filetype
import mutagen
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, Atoms
from mutagen.wave import WAVE
from PIL import Image

# Content type (as filetype names it) -> the Pillow decoder allowed to read it.
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
HEIF_TYPES = ("image/heic", "image/heif")
# mutagen's parser -> the type we store and send on.
AUDIO_TYPES: dict[type, str] = {MP4: "audio/mp4", MP3: "audio/mpeg", WAVE: "audio/wav"}
AUDIO_EXTENSIONS = (".m4a", ".mp4", ".mp3", ".wav", ".aac", ".ogg", ".opus", ".amr", ".flac")
MP4_AUDIO_CODECS = ("mp4a", "alac")  # AAC (what phones record) and Apple Lossless
WAV_PCM_FORMATS = (1, 3, 0xFFFE)  # integer PCM, float PCM, "extensible" PCM


class InputRejected(Exception):
    """An upload we will not use; ``message`` says why, in the owner's words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedImage:
    mime_type: str
    width: int
    height: int


@dataclass(frozen=True)
class CheckedAudio:
    mime_type: str
    duration_s: float


@dataclass(frozen=True)
class AudioUpload:
    """What one kind of audio upload may be, and how a refusal is worded for it.

    The limits are read from settings when checking (``*_setting``), so tests and
    deployments can change them.
    """

    max_bytes_setting: str
    max_seconds_setting: str
    too_big: Promise  # %(limit)s
    too_long: Promise  # %(length)s, %(limit)s
    damaged: Promise
    has_picture: Promise

    @property
    def max_bytes(self) -> int:
        return getattr(settings, self.max_bytes_setting)

    @property
    def max_seconds(self) -> int:
        return getattr(settings, self.max_seconds_setting)


VOICE_MEMO = AudioUpload(
    "VOICE_MEMO_MAX_BYTES",
    "VOICE_MEMO_MAX_SECONDS",
    too_big=gettext_lazy("음성 파일이 너무 커요 (최대 %(limit)s). 더 짧게 녹음해서 보내 주세요."),
    too_long=gettext_lazy("음성 메모가 너무 길어요 (%(length)s). %(limit)s 이내로 녹음해 주세요."),
    damaged=gettext_lazy("음성 파일이 손상되어 읽을 수 없어요. 다시 녹음해서 보내 주세요."),
    has_picture=gettext_lazy(
        "영상이 담긴 파일이에요. 음성만 녹음한 m4a, mp3, wav 파일을 보내 주세요."
    ),
)
MUSIC = AudioUpload(
    "MUSIC_MAX_BYTES",
    "MUSIC_MAX_SECONDS",
    too_big=gettext_lazy(
        "배경 음악 파일이 너무 커요 (최대 %(limit)s). 더 작은 파일을 올려 주세요."
    ),
    too_long=gettext_lazy(
        "배경 음악이 너무 길어요 (%(length)s). %(limit)s 이내의 곡을 올려 주세요."
    ),
    damaged=gettext_lazy("음악 파일이 손상되어 읽을 수 없어요. 다른 파일을 올려 주세요."),
    has_picture=gettext_lazy(
        "영상이 담긴 파일이에요. 소리만 담긴 m4a, mp3, wav 파일을 올려 주세요."
    ),
)


# --- Photos ---------------------------------------------------------------------------


def check_image_size(size_bytes: int) -> None:
    """Refuse a photo over the byte limit (callable before the bytes are read)."""
    if size_bytes > settings.UPLOAD_MAX_IMAGE_BYTES:
        raise InputRejected(
            _("사진이 너무 커요 (최대 %(limit)s). 크기를 줄이거나 다른 사진을 올려 주세요.")
            % {"limit": _megabytes(settings.UPLOAD_MAX_IMAGE_BYTES)}
        )


def check_image(data: bytes) -> CheckedImage:
    """The photo's real type and size. Raises InputRejected with the owner's reason."""
    check_image_size(len(data))
    kind = filetype.guess(data)
    mime_type = kind.mime if kind else ""
    if mime_type in HEIF_TYPES:
        if not _pillow_reads("HEIF"):  # only with a HEIF plugin (pillow-heif) installed
            raise InputRejected(
                _(
                    "아이폰 HEIC 사진은 아직 받을 수 없어요. 사진 앱에서 JPEG로 내보내거나 설정 > 카메라 > 포맷에서 '높은 호환성'을 고른 뒤 다시 찍어 주세요."
                )
            )
        pillow_format = "HEIF"
    elif mime_type in IMAGE_FORMATS:
        pillow_format = IMAGE_FORMATS[mime_type]
    elif mime_type.startswith("image/"):
        raise InputRejected(
            _("%(kind)s 사진은 받을 수 없어요. JPEG, PNG, WebP 사진을 올려 주세요.")
            % {"kind": kind.extension.upper()}
        )
    else:
        raise InputRejected(not_a_photo_message())
    width, height = _decoded_size(data, pillow_format)
    return CheckedImage(mime_type=mime_type, width=width, height=height)


def _pillow_reads(pillow_format: str) -> bool:
    Image.init()  # load every installed plugin, third-party ones included
    return pillow_format in Image.OPEN


def _decoded_size(data: bytes, pillow_format: str) -> tuple[int, int]:
    try:
        with Image.open(BytesIO(data), formats=[pillow_format]) as image:
            width, height = image.size  # from the header: nothing is decoded yet
            if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            image.verify()
        # verify() leaves the image unusable; decoding every pixel is the real test.
        with Image.open(BytesIO(data), formats=[pillow_format]) as image:
            image.load()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except InputRejected:
        raise
    except Exception as exc:  # a decoder fed hostile bytes may raise anything: all of it is damage
        raise _damaged_image() from exc
    return width, height


def too_many_pixels_message() -> str:
    return _(
        "사진 해상도가 너무 높아요 (최대 %(ten_thousands)s만 화소). 크기를 줄여서 다시 올려 주세요."
    ) % {"ten_thousands": f"{settings.UPLOAD_MAX_IMAGE_PIXELS // 10_000:,}"}


def damaged_image_message() -> str:
    return _("사진 파일이 손상되어 열 수 없어요. 다른 사진을 올려 주세요.")


def not_a_photo_message() -> str:
    return _("사진 파일이 아니에요. JPEG, PNG, WebP 사진을 올려 주세요.")


def _too_many_pixels() -> InputRejected:
    return InputRejected(too_many_pixels_message())


def _damaged_image() -> InputRejected:
    return InputRejected(damaged_image_message())


# --- Audio: voice memos and background music -----------------------------------------------


def check_audio_size(size_bytes: int, kind: AudioUpload = VOICE_MEMO) -> None:
    """Refuse audio over ``kind``'s byte limit (callable before the bytes are read)."""
    if size_bytes > kind.max_bytes:
        raise InputRejected(str(kind.too_big) % {"limit": _megabytes(kind.max_bytes)})


def check_audio(
    data: bytes, declared_name: str = "", kind: AudioUpload = VOICE_MEMO
) -> CheckedAudio:
    """The audio's real type and length, within ``kind``'s limits (a voice memo unless
    said otherwise). Raises InputRejected with the owner's reason.

    ``declared_name`` only words the refusal better ("named .mp3 but not audio");
    it never decides what the file is.
    """
    check_audio_size(len(data), kind)
    found = filetype.guess(data)
    looks_like_media = found is not None and found.mime.startswith(("audio/", "video/"))
    try:
        parsed = mutagen.File(BytesIO(data))
    except Exception as exc:  # a parser fed hostile bytes may raise anything
        if looks_like_media:
            raise InputRejected(str(kind.damaged)) from exc
        raise _not_audio(declared_name) from exc
    mime_type = AUDIO_TYPES.get(type(parsed))
    if mime_type is None or (found is not None and not looks_like_media):
        if parsed is not None or looks_like_media:
            label = found.extension if found else type(parsed).__name__
            raise InputRejected(
                _("%(kind)s 형식은 받을 수 없어요. m4a, mp3, wav 파일로 보내 주세요.")
                % {"kind": label.upper()}
            )
        raise _not_audio(declared_name)
    _check_codec(parsed, data, kind)
    duration = parsed.info.length
    if not duration or not math.isfinite(duration) or duration <= 0:
        raise InputRejected(str(kind.damaged))
    if duration > kind.max_seconds:
        raise InputRejected(
            str(kind.too_long)
            % {
                "length": _minutes_seconds(math.ceil(duration)),
                "limit": _minutes_seconds(kind.max_seconds),
            }
        )
    return CheckedAudio(mime_type=mime_type, duration_s=round(duration, 2))


def _check_codec(parsed: mutagen.FileType, data: bytes, kind: AudioUpload) -> None:
    """An mp4 must hold AAC (or ALAC) and no picture; a wav must be plain PCM."""
    if isinstance(parsed, MP4):
        if _has_video_track(data):
            raise InputRejected(str(kind.has_picture))
        codec = (parsed.info.codec if parsed.info else None) or "?"
        if not codec.startswith(MP4_AUDIO_CODECS):
            raise _unsupported_codec(codec)
    if isinstance(parsed, WAVE):
        audio_format = parsed.info.audio_format if parsed.info else None
        if audio_format not in WAV_PCM_FORMATS:
            raise _unsupported_codec(f"WAV {audio_format or 0:#06x}")


def validate_photo(upload: FieldFile) -> None:
    """Model-field validator: a newly uploaded photo must be a photo (``check_image``),
    whatever its name says. Raises ValidationError with the owner's reason; a file stored
    earlier was checked when it came in and is not read again."""
    if not upload or getattr(upload, "_committed", True):
        return
    try:
        check_image_size(upload.size)  # before a huge upload is read
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        check_image(data)
    except InputRejected as exc:
        raise ValidationError(exc.message, code="photo") from exc


def validate_background_music(upload: FieldFile) -> None:
    """Model-field validator: a newly uploaded background track must be music we can
    play (``MUSIC`` limits). Raises ValidationError with the owner's reason; a file
    stored earlier was checked when it came in and is not read again."""
    if not upload or getattr(upload, "_committed", True):
        return
    try:
        check_audio_size(upload.size, MUSIC)  # before a huge upload is read
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        check_audio(data, upload.name or "", MUSIC)
    except InputRejected as exc:
        raise ValidationError(exc.message, code="music") from exc


def _has_video_track(data: bytes) -> bool:
    fileobj = BytesIO(data)
    moov = Atoms(fileobj)[b"moov"]
    for track in moov.findall(b"trak"):
        try:
            ok, handler = track[b"mdia", b"hdlr"].read(fileobj)
        except KeyError:  # a track without a handler is nothing we can play
            continue
        if ok and handler[8:12] == b"vide":
            return True
    return False


def _unsupported_codec(codec: str) -> InputRejected:
    return InputRejected(
        _(
            "이 파일의 음성 형식(%(codec)s)은 받을 수 없어요. 휴대폰 녹음 앱의 기본 형식(m4a)이나 mp3, wav로 보내 주세요."
        )
        % {"codec": codec}
    )


def _not_audio(declared_name: str) -> InputRejected:
    extension = PurePath(declared_name).suffix.lower()
    if extension in AUDIO_EXTENSIONS:
        return InputRejected(
            _(
                "파일 이름은 %(extension)s인데 내용은 음성 파일이 아니에요. m4a, mp3, wav 파일을 보내 주세요."
            )
            % {"extension": extension}
        )
    return InputRejected(_("음성 파일이 아니에요. m4a, mp3, wav 파일을 보내 주세요."))


# --- Wording -------------------------------------------------------------------------------


def _megabytes(size_bytes: int) -> str:
    megabytes = size_bytes / (1024 * 1024)
    return f"{megabytes:.0f}MB" if megabytes.is_integer() else f"{megabytes:.1f}MB"


def _minutes_seconds(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return _("%(minutes)s분 %(seconds)s초") % {"minutes": minutes, "seconds": rest}
    if minutes:
        return _("%(minutes)s분") % {"minutes": minutes}
    return _("%(seconds)s초") % {"seconds": rest}
