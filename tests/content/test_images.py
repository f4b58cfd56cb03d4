"""Post images: every template at every size is an upload-ready JPEG whose text stays in
the safe area and reads at 4.5:1; shop photos come in upright, sRGB and without
metadata, and broken or oversized ones are refused in Korean."""

from __future__ import annotations

import dataclasses
import re
import struct
from functools import cache
from io import BytesIO

import numpy as np
import pytest
from PIL import ExifTags, Image, ImageCms

from content.creative import images
from content.creative.gallery import bread_close_up, demo_inputs
from content.creative.images import (
    SIZES,
    TEMPLATES,
    CreativeInputs,
    carousel_pages,
    contrast_ratio,
    render,
    safe_box,
    thumbnail,
    to_jpeg,
)
from content.creative.photos import cover_crop
from core.photos import PhotoRejected, load_photo, strip_metadata_jpeg
from tests.content.media_files import noisy_jpeg, png_header_claiming

HANGUL = re.compile("[가-힣]")
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")
RED = (255, 0, 0)


@cache
def bright_photo() -> Image.Image:
    """A sunlit, nearly white photo: the hardest background for white text."""
    x = np.linspace(0, 1, 1400, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, 1000, dtype=np.float32)[:, None]
    stripes = 0.5 + 0.5 * np.sin(x * 60 + y * 9)
    base = 236 + 14 * stripes - 20 * y
    pixels = np.stack([base, base - 6, base - 22], axis=-1)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def red_logo() -> Image.Image:
    return Image.new("RGB", (120, 120), RED)


def long_inputs(**changes: object) -> CreativeInputs:
    """Copy longer than any template has room for, with emoji mixed in."""
    inputs = CreativeInputs(
        headline="연남동 골목 안쪽 열두 석짜리 작은 카페에서 매일 아침 직접 굽는 버터 소금빵이 오늘도 갓 나왔어요 🥐 따뜻할 때 드시러 오세요",
        subline="겉은 바삭하고 속은 촉촉한 소금빵과 싱글 오리진 핸드드립 커피를 창가 자리 햇살과 함께 즐겨 보세요 ☕✨",
        price="3,800원",
        call_to_action="오늘 들러서 따뜻한 소금빵 맛보기 👉",
        offer="평일 오후 2시부터 5시까지 소금빵 2+1 행사 🎉",
        quote="버터 향이 골목 밖까지 나요. 겉은 바삭하고 속은 촉촉해서 주말마다 사러 와요! 커피도 산미가 산뜻해서 빵이랑 정말 잘 어울려요. 사장님도 친절하세요 😊",
        quote_author="연남동 단골손님 김○○",
        items=[
            ("소금빵", "3,800원"),
            ("핸드드립 (에티오피아 예가체프 내추럴 싱글 오리진)", "6,500원"),
            ("아메리카노", "4,500원"),
            ("마다가스카르 바닐라빈 라떼", "5,500원"),
            ("제철 딸기 생크림 케이크 (주말 한정)", "6,800원"),
            ("얼그레이 마들렌", "2,800원"),
            ("밀크티", "5,800원"),
        ],
        shop_name="카페 온기 연남 본점 🏠",
        area="서울특별시 마포구 연남동 골목 안쪽",
        brand_primary="#6B4F3A",
        brand_secondary="#F2C14E",
        logo=red_logo(),
        photos=[bright_photo(), bread_close_up()],
    )
    return dataclasses.replace(inputs, **changes)


@pytest.fixture(scope="module", params=["long copy", "the demo café's copy"])
def rendered(request) -> dict[tuple[str, str], tuple[Image.Image, list[images.TextBox]]]:
    """Every template at every size, drawn once per module for each kind of copy."""
    inputs = long_inputs() if request.param == "long copy" else demo_inputs()
    return {
        (template, size): render(template, size, inputs, report=True)
        for template in TEMPLATES
        for size in SIZES
    }


def inside(box: tuple[int, int, int, int], frame: tuple[int, int, int, int]) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


# --- Templates -------------------------------------------------------------------------------


def test_there_are_at_least_six_designs_a_shop_would_post():
    assert {
        "photo_band",
        "gradient_headline",
        "brand_card",
        "menu_card",
        "offer_badge",
        "review_quote",
        "carousel",
    } <= set(TEMPLATES)


def test_every_template_at_every_size_is_an_upload_ready_jpeg(rendered):
    for (template, size), (image, _) in rendered.items():
        data = to_jpeg(image)
        reopened = Image.open(BytesIO(data))

        assert reopened.format == "JPEG", (template, size)
        assert reopened.mode == "RGB"
        assert reopened.info.get("progressive") == 1
        assert reopened.size == SIZES[size]
        assert len(data) <= 8 * 1024 * 1024
        assert "exif" not in reopened.info
        assert "icc_profile" not in reopened.info  # untagged: read as sRGB everywhere
        assert not reopened.getexif()


def test_every_text_block_stays_inside_the_safe_area(rendered):
    for (template, size), (_, boxes) in rendered.items():
        assert boxes, (template, size)
        for text in boxes:
            assert inside(text.box, safe_box(size)), (template, size, text)


def overlap(first: tuple[int, int, int, int], second: tuple[int, int, int, int]) -> bool:
    return (
        first[0] < second[2]
        and second[0] < first[2]
        and first[1] < second[3]
        and second[1] < first[3]
    )


def test_text_blocks_never_overlap_each_other(rendered):
    for (template, size), (_, boxes) in rendered.items():
        for index, text in enumerate(boxes):
            for other in boxes[index + 1 :]:
                assert not overlap(text.box, other.box), (template, size, text.text, other.text)


def test_every_text_block_reads_at_least_4_5_to_1_against_what_is_behind_it(rendered):
    for (template, size), (_, boxes) in rendered.items():
        for text in boxes:
            assert contrast_ratio(text.fg, text.bg_sample) >= 4.5, (template, size, text)


def test_korean_copy_is_drawn_in_hangul_without_emoji(rendered):
    for (template, size), (_, boxes) in rendered.items():
        drawn = " ".join(text.text for text in boxes)
        assert HANGUL.search(drawn), (template, size)
        assert not EMOJI.search(drawn), (template, size, drawn)


def test_a_very_long_headline_shrinks_then_ends_with_an_ellipsis():
    headline = "소금빵이 갓 나왔어요 " * 40

    for template in ("photo_band", "gradient_headline", "brand_card"):
        _, boxes = render(
            template, "instagram_portrait", long_inputs(headline=headline), report=True
        )
        drawn = next(text for text in boxes if text.text.startswith("소금빵이"))
        assert drawn.text.endswith("…"), template


def test_the_same_inputs_give_the_same_bytes():
    for template in ("gradient_headline", "menu_card", "carousel"):
        first = to_jpeg(render(template, "instagram_portrait", long_inputs()))
        second = to_jpeg(render(template, "instagram_portrait", long_inputs()))
        assert first == second, template


def test_to_jpeg_is_byte_identical_for_identical_images():
    image = render("review_quote", "instagram_square", long_inputs())

    assert to_jpeg(image) == to_jpeg(image.copy())


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_a_template_renders_without_any_photo(template):
    image, boxes = render(template, "instagram_portrait", long_inputs(photos=[]), report=True)

    assert image.size == SIZES["instagram_portrait"]
    assert image.mode == "RGB"
    assert boxes and all(inside(text.box, safe_box("instagram_portrait")) for text in boxes)
    assert all(text.contrast >= 4.5 for text in boxes)


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [("#E4572E", "#76B041"), ("#F5F5F5", "#111111"), ("#808080", "#7F7FFF"), ("not a colour", "")],
)
def test_any_brand_colours_keep_text_readable(primary, secondary):
    inputs = long_inputs(brand_primary=primary, brand_secondary=secondary)

    for template in TEMPLATES:
        _, boxes = render(template, "instagram_portrait", inputs, report=True)
        assert all(text.contrast >= 4.5 for text in boxes), (template, primary)


def test_the_logo_sits_small_in_the_top_right_corner():
    image = np.asarray(render("brand_card", "instagram_portrait", long_inputs()))
    red = np.argwhere((image[..., 0] > 200) & (image[..., 1] < 60) & (image[..., 2] < 60))
    left, top, right, _ = safe_box("instagram_portrait")

    assert len(red) > 0
    assert red[:, 1].min() > (left + right) / 2 and red[:, 1].max() <= right
    assert red[:, 0].min() >= top and red[:, 0].max() < top + 120
    assert red[:, 1].max() - red[:, 1].min() < 0.1 * image.shape[1]


def test_reel_covers_keep_the_bottom_fifth_and_the_right_edge_clear():
    _, _, right, bottom = safe_box("reel_cover")

    assert (right, bottom) == (round(1080 * 0.88), round(1920 * 0.8))
    assert safe_box("instagram_portrait") == (65, 81, 1015, 1269)


def test_an_unknown_template_or_size_is_refused():
    with pytest.raises(ValueError, match="template"):
        render("poster", "instagram_portrait", long_inputs())
    with pytest.raises(ValueError, match="size"):
        render("photo_band", "billboard", long_inputs())


def test_a_carousel_is_a_cover_one_card_per_item_and_a_closing_card():
    inputs = long_inputs(items=long_inputs().items[:3])

    pages = carousel_pages(inputs, "carousel", report=True)

    assert len(pages) == 1 + 3 + 1
    for image, boxes in pages:
        assert image.size == (1080, 1350)
        assert all(inside(text.box, safe_box("carousel")) for text in boxes)
        assert all(text.contrast >= 4.5 for text in boxes)
    item_texts = [" ".join(text.text for text in boxes) for _, boxes in pages[1:4]]
    assert "01" in item_texts[0] and "소금빵" in item_texts[0] and "3,800원" in item_texts[0]


def test_carousel_cards_follow_the_drafts_pages_and_stop_at_ten():
    pages = [(f"{n}번째 이야기", "본문 한 줄") for n in range(1, 15)]

    drawn = carousel_pages(long_inputs(pages=pages), "carousel")

    assert len(drawn) == 10


def test_an_oversized_jpeg_steps_its_quality_down_to_stay_under_the_limit(monkeypatch):
    noise = Image.frombytes("RGB", (600, 600), np.random.default_rng(1).bytes(600 * 600 * 3))
    full = to_jpeg(noise)
    monkeypatch.setattr(images, "MAX_JPEG_BYTES", len(full) - 1)

    smaller = to_jpeg(noise)

    assert len(smaller) < len(full)


def test_a_thumbnail_is_a_320_pixel_wide_jpeg():
    data = thumbnail(render("photo_band", "instagram_portrait", long_inputs()))

    preview = Image.open(BytesIO(data))
    assert preview.format == "JPEG"
    assert preview.size == (320, 400)


# --- Photos ---------------------------------------------------------------------------------


def saved(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def test_a_cmyk_jpeg_comes_out_as_rgb():
    photo = load_photo(saved(Image.new("CMYK", (40, 30), (0, 255, 255, 0))))

    assert photo.mode == "RGB"
    red, green, blue = photo.getpixel((20, 15))
    assert red > 230 and green < 30 and blue < 30


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparent_pixels_are_flattened_onto_white(mode):
    picture = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    picture.paste((200, 30, 30, 255), (0, 0, 20, 40))
    if mode == "LA":
        picture = picture.convert("LA")
    if mode == "P":
        picture = picture.convert("P", palette=Image.Palette.ADAPTIVE)
        picture.info["transparency"] = picture.getpixel((39, 39))

    photo = load_photo(saved(picture, "PNG"))

    assert photo.mode == "RGB"
    assert photo.getpixel((35, 20)) == (255, 255, 255)
    assert photo.getpixel((5, 20)) != (255, 255, 255)


def test_a_sixteen_bit_grey_png_is_scaled_not_clipped():
    grey = Image.fromarray(np.full((20, 20), 32768, dtype=np.uint16))

    photo = load_photo(saved(grey, "PNG"))

    assert photo.getpixel((10, 10)) == (128, 128, 128)


def rotated_jpeg_with_gps() -> bytes:
    """Stored sideways (left half red) with 'rotate 90° clockwise' and a GPS position."""
    picture = Image.new("RGB", (60, 40), "blue")
    picture.paste(RED, (0, 0, 30, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (37.0, 33.0, 43.2),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (126.0, 55.0, 30.0),
    }
    return saved(picture, exif=exif.tobytes(), quality=95)


def test_an_exif_rotated_photo_is_turned_upright_and_loses_exif_and_gps():
    source = rotated_jpeg_with_gps()
    assert Image.open(BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the setup

    photo = load_photo(source)

    assert photo.size == (40, 60)
    assert photo.getpixel((20, 5))[0] > 200  # the red half is now on top
    assert photo.getpixel((20, 55))[2] > 200
    assert photo.info == {}
    assert not photo.getexif()


def test_an_upload_is_resaved_without_exif_or_gps():
    cleaned = Image.open(BytesIO(strip_metadata_jpeg(rotated_jpeg_with_gps())))

    assert cleaned.format == "JPEG"
    assert cleaned.size == (40, 60)
    assert "exif" not in cleaned.info
    assert not cleaned.getexif()
    assert not cleaned.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def swapped_channels_profile() -> bytes:
    """An RGB ICC profile whose red primary is sRGB's blue (and vice versa)."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", profile[128:132])[0]
    entries = {bytes(profile[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    profile[red + 4 : red + 12], profile[blue + 4 : blue + 12] = (
        profile[blue + 4 : blue + 12],
        profile[red + 4 : red + 12],
    )
    return bytes(profile).replace("sRGB".encode("utf-16-be"), "Test".encode("utf-16-be"))


def test_colours_are_converted_to_srgb_from_the_embedded_profile():
    picture = Image.new("RGB", (20, 20), RED)

    photo = load_photo(saved(picture, "PNG", icc_profile=swapped_channels_profile()))

    red, _, blue = photo.getpixel((10, 10))
    assert blue > 200 and red < 40
    assert "icc_profile" not in photo.info


def test_a_truncated_photo_is_refused_with_a_korean_reason():
    damaged = noisy_jpeg()[:2000]

    with pytest.raises(PhotoRejected) as refused:
        load_photo(damaged)

    assert "손상" in refused.value.message


def test_bytes_that_are_not_an_image_are_refused_with_a_korean_reason():
    with pytest.raises(PhotoRejected) as refused:
        load_photo(b"%PDF-1.7 definitely not a photo")

    assert HANGUL.search(refused.value.message)


def test_a_photo_over_the_pixel_limit_is_refused_before_decoding(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 50 * 50

    with pytest.raises(PhotoRejected) as refused:
        load_photo(saved(Image.new("RGB", (60, 60), "white"), "PNG"))

    assert "해상도" in refused.value.message


def test_a_decompression_bomb_is_refused_from_its_header():
    with pytest.raises(PhotoRejected) as refused:
        load_photo(png_header_claiming(60_000, 60_000))

    assert "해상도" in refused.value.message


def test_cover_crop_fills_the_box_around_the_focus():
    picture = Image.new("RGB", (400, 100), "blue")
    picture.paste(RED, (0, 0, 200, 100))

    left = cover_crop(picture, (100, 100), focus=(0.1, 0.5))
    right = cover_crop(picture, (100, 100), focus=(0.9, 0.5))

    assert left.size == right.size == (100, 100)
    assert left.getpixel((50, 50))[0] > 200
    assert right.getpixel((50, 50))[2] > 200
