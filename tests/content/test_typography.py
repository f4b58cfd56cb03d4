"""Korean text in boxes: real glyphs, whole words, Korean line-breaking rules, ellipses,
and text that stays readable on whatever is behind it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from content.creative.fonts import font
from content.creative.typography import (
    INK,
    NO_LINE_START,
    WHITE,
    TextBox,
    contrast_ratio,
    draw_text,
    fit_text,
    place_layout,
    readable_colour,
    strip_emoji,
)

NOT_IN_ANY_HANGUL_FONT = "\U0010fffd"  # a private-use code point: the font draws .notdef


def glyph(text: str, weight: str = "bold") -> np.ndarray:
    face = font(96, weight)  # type: ignore[arg-type]
    image = Image.new("L", (160, 160), 0)
    ImageDraw.Draw(image).text((20, 10), text, font=face, fill=255)
    return np.asarray(image)


@pytest.mark.parametrize("weight", ["regular", "bold", "extrabold"])
def test_hangul_is_drawn_with_real_glyphs_not_tofu(weight):
    syllable, notdef = glyph("가", weight), glyph(NOT_IN_ANY_HANGUL_FONT, weight)

    assert (syllable > 128).sum() > 500, "가 left no ink"
    assert (notdef > 128).sum() > 0, "the .notdef probe should draw the tofu box"
    assert not np.array_equal(syllable > 128, notdef > 128)


def test_different_syllables_draw_different_glyphs():
    assert not np.array_equal(glyph("가"), glyph("힣"))


def test_words_are_never_split_and_lines_come_out_even():
    headline = "매일 아침 직접 굽는 소금빵, 오늘도 갓 나왔어요"

    layout = fit_text(headline, 500, 600, max_size=60)

    assert " ".join(layout.lines) == headline
    assert len(layout.lines) > 1
    widths = [layout.font.getlength(line) for line in layout.lines]
    assert min(widths) > 0.5 * max(widths)


def test_the_largest_size_that_fits_is_chosen():
    roomy = fit_text("소금빵", 900, 300, max_size=96)
    tight = fit_text("소금빵 나왔어요 지금 오세요", 300, 300, max_size=96)

    assert roomy.size == 96
    assert tight.size < 96


@pytest.mark.parametrize("width", range(180, 720, 37))
def test_closing_punctuation_never_starts_a_line(width):
    text = "오늘만 특별 할인 ! 소금빵 ( 2+1 ) 이벤트 , 놓치지 마세요 . 정말요 ?"

    layout = fit_text(text, width, 2000, max_size=40, min_size=40, max_lines=20)

    assert all(line[0] not in NO_LINE_START for line in layout.lines if line)
    assert all(not line.endswith("(") for line in layout.lines)


def test_breaking_inside_an_enormous_word_still_keeps_punctuation_with_its_word():
    layout = fit_text(
        "가나다라마바사아자차카타파하" * 3 + "!", 200, 2000, min_size=40, max_size=40, max_lines=20
    )

    assert all(line[0] not in NO_LINE_START for line in layout.lines)
    assert "".join(layout.lines).endswith("!")


def test_a_line_break_is_preferred_after_a_sentence():
    quote = "버터 향이 골목 밖까지 나요. 겉은 바삭하고 속은 촉촉해서 주말마다 사러 와요!"

    layout = fit_text(quote, 900, 600, max_size=58, max_lines=6)

    assert layout.lines[0].endswith("나요.")


def test_a_headline_avoids_a_lonely_last_word_when_a_smaller_size_fixes_it():
    layout = fit_text("평일 오후엔 소금빵 하나 더", 480, 400, max_size=92, min_size=40)

    widths = [layout.font.getlength(line) for line in layout.lines]
    assert min(widths) >= 0.4 * max(widths)


def test_text_too_long_for_the_box_ends_with_an_ellipsis_and_never_overflows():
    layout = fit_text("가나다 " * 200, 400, 200, max_size=60, min_size=30, max_lines=3)

    assert layout.truncated
    assert layout.lines[-1].endswith("…")
    assert len(layout.lines) <= 3
    assert layout.height <= 200
    assert all(layout.font.getlength(line) <= 400 for line in layout.lines)


def test_an_ellipsis_does_not_follow_a_comma():
    layout = fit_text(
        "소금빵, 크루아상, 바게트, 식빵, 베이글, 스콘, 마들렌",
        260,
        40,
        min_size=30,
        max_size=30,
        max_lines=1,
    )

    assert layout.lines[-1].endswith("…")
    assert not layout.lines[-1].endswith(",…")


def test_emoji_and_characters_the_font_lacks_are_removed():
    layout = fit_text(f"소금빵 🥐 나왔어요 ☕✨ {NOT_IN_ANY_HANGUL_FONT}", 900, 300)

    assert " ".join(layout.lines) == "소금빵 나왔어요"
    assert strip_emoji("🎉 오픈 이벤트 🎉") == "오픈 이벤트"


def test_draw_text_keeps_its_contract_for_the_video_renderer():
    image = Image.new("RGB", (600, 200), "black")
    layout = fit_text("자막 테스트", 560, 160, weight="bold", max_size=64, min_size=24, max_lines=2)

    draw_text(ImageDraw.Draw(image), layout, (20, 20), fill="white", align="center", box_w=560)

    assert np.asarray(image).max() == 255


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio(WHITE, (0, 0, 0)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio((90, 90, 90), (90, 90, 90)) == pytest.approx(1.0)


def test_white_text_on_a_bright_photo_gets_a_veil_until_it_reads():
    bright = Image.new("RGB", (400, 200), (236, 228, 210))
    area = (50, 50, 350, 150)

    colour, worst = readable_colour(bright, area, fill=WHITE, keep_fill=True)

    assert colour == WHITE
    assert contrast_ratio(colour, worst) >= 4.5
    assert max(bright.getpixel((200, 100))) < 120  # darkened under the text
    assert bright.getpixel((2, 2)) == (236, 228, 210)  # and nowhere else


def test_a_colour_that_may_change_gives_way_to_ink_on_a_light_surface():
    paper = Image.new("RGB", (400, 200), (251, 248, 243))

    colour, worst = readable_colour(paper, (50, 50, 350, 150), fill=(242, 193, 78))

    assert colour == INK
    assert worst == (251, 248, 243)
    assert paper.getpixel((200, 100)) == (251, 248, 243)  # the surface is left alone


def test_placed_text_reports_its_ink_box_colour_and_background():
    image = Image.new("RGB", (800, 300), (107, 79, 58))
    layout = fit_text("카페 온기", 700, 200, max_size=80)

    placed = place_layout(image, layout, (40, 40))

    assert isinstance(placed, TextBox)
    assert placed.fg == WHITE
    assert placed.contrast >= 4.5
    left, top, right, bottom = placed.box
    ink = np.argwhere(np.asarray(image.convert("L")) > 200)
    assert ink[:, 1].min() >= left and ink[:, 1].max() <= right
    assert ink[:, 0].min() >= top and ink[:, 0].max() <= bottom
