from content.creative.plan import render_plan


def test_an_instagram_image_post_gets_one_portrait_feed_image():
    plan = render_plan(
        "instagram", {"headline": "소금빵", "subline": "3,800원"}, "menu_card", "image"
    )

    assert [(j.role, j.template, j.size) for j in plan.images] == [
        ("feed", "menu_card", "instagram_portrait")
    ]
    assert plan.video is None


def test_a_carousel_gets_a_cover_and_one_page_per_item():
    fields = {
        "headline": "이번 주 추천 메뉴 3",
        "carousel_pages": [{"title": t, "body": "b"} for t in "abc"],
    }

    plan = render_plan("instagram", fields, "carousel", "carousel")

    [job] = plan.images
    assert job.template == "carousel"
    assert job.pages == (("a", "b"), ("b", "b"), ("c", "b"))
    assert plan.carousel


def test_a_reel_and_a_short_get_a_video_from_the_script():
    script = {"scenes": [{"caption": "첫 장면", "narration": "n", "duration_s": 4}] * 4}

    reel = render_plan("instagram", {"headline": "h", "video_script": script}, "slideshow", "video")
    short = render_plan(
        "youtube_shorts",
        {"title": "t", "thumbnail_text": "썸네일", "video_script": script},
        "slideshow",
        "video",
    )

    assert reel.video.scenes == (("첫 장면", 4.0),) * 4
    assert [j.size for j in short.images] == ["youtube_thumbnail"]
    assert short.video.role == "short"


def test_a_threads_text_post_needs_nothing_drawn():
    assert render_plan("threads", {"text": "안녕"}, "text_only", "text").empty


def test_a_blog_post_gets_a_header_and_one_image_per_slot_up_to_six():
    slots = [{"caption": f"사진 {n}", "suggestion": "s"} for n in range(9)]

    plan = render_plan(
        "naver_blog", {"title": "연남동 카페", "image_slots": slots}, "photo_band", "image"
    )

    assert [j.size for j in plan.images] == ["naver_header"] + ["naver_body"] * 6


def test_the_narration_is_every_scenes_sentence_read_as_one_text():
    scenes = [
        {"caption": "a", "narration": "갓 구운 소금빵이 나왔어요", "duration_s": 4},
        {"caption": "b", "narration": "  ", "duration_s": 4},
        {"caption": "c", "narration": "오늘만 할인해요! 🥐✨", "duration_s": 4},
        {"caption": "d", "narration": "들러 주세요~", "duration_s": 4},
    ]

    plan = render_plan("youtube_shorts", {"video_script": {"scenes": scenes}}, "", "video")

    assert plan.video.narration == "갓 구운 소금빵이 나왔어요. 오늘만 할인해요! 들러 주세요~"


def test_a_script_without_narration_has_nothing_to_read():
    scenes = [{"caption": "a", "narration": "", "duration_s": 5}] * 3

    reel = render_plan("instagram", {"video_script": {"scenes": scenes}}, "slideshow", "video")

    assert reel.video.narration == ""
