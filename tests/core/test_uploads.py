"""Uploads are judged by their bytes: real images and real audio, made in memory."""

from __future__ import annotations

import pytest
from PIL import Image

from core.uploads import MUSIC, InputRejected, check_audio, check_image
from tests.content.media_files import (
    ffmpeg_audio,
    image_bytes,
    noisy_jpeg,
    png_header_claiming,
    wav_bytes,
)


def _refusal(check, *args) -> str:
    with pytest.raises(InputRejected) as raised:
        check(*args)
    return raised.value.message


# --- Photos --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_jpeg_png_and_webp_photos_are_accepted_with_their_type_and_size(fmt, mime_type):
    checked = check_image(image_bytes(fmt, size=(80, 60)))

    assert (checked.mime_type, checked.width, checked.height) == (mime_type, 80, 60)


def test_a_cmyk_jpeg_from_a_print_shop_is_accepted():
    checked = check_image(image_bytes("JPEG", mode="CMYK", color=(0, 128, 255, 0)))

    assert checked.mime_type == "image/jpeg"


def test_a_png_with_transparency_is_accepted():
    checked = check_image(image_bytes("PNG", mode="RGBA", color=(255, 0, 0, 128)))

    assert checked.mime_type == "image/png"


def test_a_text_file_is_not_a_photo():
    message = _refusal(check_image, "오늘의 메뉴: 딸기 라떼".encode())

    assert message.startswith("사진 파일이 아니에요")
    assert "JPEG, PNG, WebP" in message


def test_a_gif_is_refused_naming_the_formats_we_take():
    message = _refusal(check_image, image_bytes("GIF"))

    assert message.startswith("GIF 사진은 받을 수 없어요")


def test_an_iphone_heic_photo_is_refused_with_a_way_to_send_jpeg():
    assert "HEIF" not in Image.OPEN  # no HEIF plugin here, so Pillow cannot read it
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

    message = _refusal(check_image, heic)

    assert "HEIC" in message and "JPEG" in message


def test_a_truncated_jpeg_is_refused_as_damaged():
    photo = noisy_jpeg()

    message = _refusal(check_image, photo[: len(photo) // 2])

    assert message.startswith("사진 파일이 손상되어")


def test_a_png_with_a_broken_checksum_is_refused_as_damaged():
    photo = bytearray(image_bytes("PNG"))
    photo[-20] ^= 0xFF  # inside the last IDAT chunk

    assert _refusal(check_image, bytes(photo)).startswith("사진 파일이 손상되어")


def test_a_decompression_bomb_is_refused_from_its_header_alone():
    bomb = png_header_claiming(20_000, 20_000)  # 400 million pixels in 100 bytes

    message = _refusal(check_image, bomb)

    assert message.startswith("사진 해상도가 너무 높아요")


def test_a_photo_over_the_pixel_limit_is_refused_with_the_limit(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 4_000_000

    message = _refusal(check_image, png_header_claiming(2_001, 2_000))

    assert "최대 400만 화소" in message


def test_a_photo_over_15_megabytes_is_refused_before_anything_else():
    message = _refusal(check_image, b"\xff\xd8\xff" + b"\x00" * (15 * 1024 * 1024))

    assert message.startswith("사진이 너무 커요 (최대 15MB)")


# --- Voice memos -----------------------------------------------------------------------------


def test_a_wav_memo_is_accepted_with_its_length():
    checked = check_audio(wav_bytes(3), "memo.wav")

    assert checked.mime_type == "audio/wav"
    assert checked.duration_s == 3.0


@pytest.mark.parametrize(("extension", "mime_type"), [("m4a", "audio/mp4"), ("mp3", "audio/mpeg")])
def test_m4a_and_mp3_memos_are_accepted_with_their_length(extension, mime_type):
    checked = check_audio(ffmpeg_audio(extension), "")

    assert checked.mime_type == mime_type
    assert checked.duration_s == pytest.approx(2.0, abs=0.15)


def test_the_type_comes_from_the_content_not_the_name():
    checked = check_audio(ffmpeg_audio("m4a"), "memo.mp3")

    assert checked.mime_type == "audio/mp4"


def test_a_memo_over_two_minutes_is_refused_with_its_real_length():
    message = _refusal(check_audio, wav_bytes(121, rate=8_000), "memo.wav")

    assert message == "음성 메모가 너무 길어요 (2분 1초). 2분 이내로 녹음해 주세요."


def test_a_memo_of_exactly_two_minutes_is_accepted():
    assert check_audio(wav_bytes(120, rate=8_000)).duration_s == 120.0


def test_a_memo_over_the_byte_limit_is_refused_before_it_is_parsed():
    message = _refusal(check_audio, b"\x00" * (20 * 1024 * 1024 + 1))

    assert message.startswith("음성 파일이 너무 커요 (최대 20MB)")


def test_a_text_file_renamed_mp3_is_refused_saying_so():
    message = _refusal(check_audio, "딸기 라떼 출시".encode() * 50, "memo.mp3")

    assert message.startswith("파일 이름은 .mp3인데 내용은 음성 파일이 아니에요")
    assert "m4a, mp3, wav" in message


def test_a_photo_sent_as_a_memo_is_not_audio():
    message = _refusal(check_audio, image_bytes("JPEG"), "photo.jpg")

    assert message.startswith("음성 파일이 아니에요")


def test_an_ogg_memo_is_refused_naming_the_formats_we_take():
    message = _refusal(check_audio, ffmpeg_audio("ogg"), "memo.ogg")

    assert message == "OGG 형식은 받을 수 없어요. m4a, mp3, wav 파일로 보내 주세요."


def test_a_video_is_refused_as_a_memo():
    message = _refusal(check_audio, ffmpeg_audio("mp4", 1.0), "clip.mp4")

    assert message.startswith("영상이 담긴 파일이에요")


def test_a_truncated_m4a_is_refused_as_damaged():
    memo = ffmpeg_audio("m4a")

    message = _refusal(check_audio, memo[: len(memo) // 2], "memo.m4a")

    assert message.startswith("음성 파일이 손상되어")


# --- Background music ----------------------------------------------------------------------------


def test_music_has_its_own_limits_and_its_own_words(settings):
    settings.MUSIC_MAX_SECONDS = 150
    three_minutes_for_a_memo = wav_bytes(121, rate=8_000)

    assert check_audio(three_minutes_for_a_memo, "song.wav", MUSIC).duration_s == 121.0
    settings.MUSIC_MAX_SECONDS = 120
    message = _refusal(check_audio, three_minutes_for_a_memo, "song.wav", MUSIC)
    assert message == "배경 음악이 너무 길어요 (2분 1초). 2분 이내의 곡을 올려 주세요."


def test_a_damaged_music_file_is_not_asked_to_be_recorded_again():
    song = ffmpeg_audio("m4a")

    message = _refusal(check_audio, song[: len(song) // 2], "song.m4a", MUSIC)

    assert message == "음악 파일이 손상되어 읽을 수 없어요. 다른 파일을 올려 주세요."
