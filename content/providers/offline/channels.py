"""One writer per channel: the offline writer's Instagram, Naver blog, YouTube Shorts and
Threads drafts."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from content import korean, specs
from content.providers.base import ProductInfo
from content.providers.offline import phrases
from content.providers.offline.copywriter import Copywriter, video_script
from content.providers.offline.text import clean, clip, fit_lines, spec_limit, template_fields
from content.specs import (
    BlogImageSlot,
    BlogSection,
    CarouselPage,
    InstagramDraft,
    NaverBlogDraft,
    ThreadsDraft,
    YouTubeShortsDraft,
)

INSTAGRAM_TAGS = {0: (5, 7), 1: (5, 8), 2: (8, 12), 3: (10, 15), 4: (12, 15)}


def write_instagram(cw: Copywriter) -> InstagramDraft:
    plan, s = cw.plan, cw.slots
    hook = cw.opening()
    headlines = phrases.PRICE_HEADLINES if plan.price_first else cw.on_goal(phrases.HEADLINES)
    headline = cw.short(headlines, 28)
    subline = cw.short(phrases.SUBLINES, 40, fallback=f"{s['place']} {s['shop']}")
    hashtags = cw.hashtags(*INSTAGRAM_TAGS[plan.detail], cap=spec_limit("instagram", "hashtags"))
    closing = [cw.call(), cw.sign_off() if plan.detail >= 2 else ""]
    body = cw.body()
    airy = cw.rng.random() < 0.4  # a blank line between sentences, as many owners write
    body = [part for line in body for part in (line, "")] if airy else body
    lines = cw.decorate([hook, "", *body, "", *closing])
    room = spec_limit("instagram", "caption_chars") - len(" ".join(hashtags)) - 2
    caption = fit_lines(lines, lambda text: len(text) <= room)
    alt = cw.in_register(
        cw.render(
            phrases.ALT_TEXTS.get(plan.template, phrases.ALT_TEXTS["photo_band"]),
            headline=headline,
            photo=cw.photo(),
            offer=s.get("offer", s["point"]),
        )
    )
    return InstagramDraft(
        headline=headline,
        subline=subline,
        caption=caption,
        hashtags=hashtags,
        alt_text=clip(alt, 1000),
        carousel_pages=carousel_pages(cw, headline, subline) if plan.format == "carousel" else [],
        video_script=video_script(cw, hook, (4, 6), (15, 30)) if plan.format == "video" else None,
        attributes=plan.attributes(len(hashtags)),
    )


def carousel_pages(cw: Copywriter, headline: str, subline: str) -> list[CarouselPage]:
    """A cover, one to three middle pages (products first), and a call-to-action page."""
    s = cw.slots
    products = [p for p in cw.request.shop.products if clean(p.name)]
    middle = [
        *(_product_page(cw, product) for product in products[:3]),
        CarouselPage(title=f"{s['shop']}의 자랑", body=cw.line(phrases.POINT_LINES)),
        CarouselPage(title=s["season"], body=cw.moment_line()),
        CarouselPage(title="찾아오시는 길", body=cw.line(phrases.HOURS_LINES) or s["place"]),
    ]
    middle = middle[: cw.rng.randint(1, 3)]
    shown = min(len(middle), len(products))
    cover = f"이번 주 추천 {s['noun']} {shown}" if shown >= 2 else headline
    return [
        CarouselPage(title=cover, body=subline),
        *middle,
        CarouselPage(title=phrases.CALL_CAPTIONS[cw.plan.call_to_action], body=cw.call()),
    ]


def _product_page(cw: Copywriter, product: ProductInfo) -> CarouselPage:
    name = clean(product.name)
    price = f" {korean.won(product.price)}" if product.price else ""
    body = clean(product.description) or cw.line(phrases.ITEM_TRY_LINES, item=name)
    return CarouselPage(title=f"{name}{price}", body=body)


def _paragraphs(cw: Copywriter, lines: Sequence[str], keep: int) -> str:
    """Up to ``keep`` non-empty lines as blog paragraphs separated by blank lines."""
    return "\n\n".join([line for line in lines if line][:keep])


def _blog_news(cw: Copywriter, keep: int) -> BlogSection:
    goal = cw.goal
    heading = cw.short(phrases.NEWS_HEADINGS[goal], 40, fallback=f"{cw.slots['shop']} 소식")
    details = [cw.line([t]) for t in cw.options(phrases.NEWS_DETAILS[goal])]
    lines = [cw.angle(), *details, cw.moment_line()]
    return BlogSection(heading=heading, body=_paragraphs(cw, lines, keep))


def _blog_menu(cw: Copywriter, keep: int) -> BlogSection:
    heading = phrases.MENU_HEADINGS.get(cw.request.shop.family, "서비스 안내")
    products = [p for p in cw.request.shop.products if clean(p.name)][:6]
    listing = [
        f"· {clean(p.name)}{f' {korean.won(p.price)}' if p.price else ''}"
        + (f" — {clean(p.description)}" if clean(p.description) else "")
        for p in products
    ]
    if not listing:
        return BlogSection(heading=heading, body=cw.required_line([phrases.BLOG_NO_MENU]))
    lines = [cw.line(phrases.BLOG_MENU_INTRO), "\n".join(listing), cw.line(phrases.ITEM_TRY_LINES)]
    return BlogSection(heading=heading, body=_paragraphs(cw, lines, max(keep, 2)))


def _blog_space(cw: Copywriter, keep: int) -> BlogSection:
    space = [cw.line([line]) for line in cw.rng.sample(cw.family.space, 2)]
    lines = [*space, cw.line(phrases.POINT_LINES)]
    return BlogSection(
        heading=cw.rng.choice(("매장 분위기", "공간 이야기")), body=_paragraphs(cw, lines, keep)
    )


def _blog_recommend(cw: Copywriter, keep: int) -> BlogSection:
    points = [clean(p) for p in cw.request.shop.selling_points if clean(p)][:4] or list(
        cw.family.points
    )
    lines = [cw.line(phrases.TARGET_LINES), "\n".join(f"· {point}" for point in points), cw.call()]
    heading = cw.in_register("이런 분께 추천해요")
    return BlogSection(heading=heading, body=_paragraphs(cw, lines, keep))


def _blog_season(cw: Copywriter, keep: int) -> BlogSection:
    heading = (
        f"{cw.slots['occasion']} 준비" if "occasion" in cw.slots else f"{cw.slots['season']} 이야기"
    )
    lines = [cw.moment_line(), cw.line(phrases.SEASON_LINES), cw.line(phrases.STORY_LINES)]
    return BlogSection(heading=heading, body=_paragraphs(cw, lines, keep))


def _blog_prices(cw: Copywriter, keep: int) -> BlogSection:
    prices = sorted(p.price for p in cw.request.shop.products if p.price)
    extra = (
        {"min_price": korean.won(prices[0]), "max_price": korean.won(prices[-1])}
        if len(prices) >= 2
        else {}
    )
    lines = [cw.line([t], **extra) for t in cw.options(phrases.BLOG_PRICES, **extra)]
    return BlogSection(heading="가격", body=_paragraphs(cw, lines, keep))


def _blog_directions(cw: Copywriter, keep: int) -> BlogSection:
    area = clean(cw.request.shop.area) or cw.slots["place"]
    lines = [  # where the shop is, always; the rest as long as it is not said already
        (cw.required_line if n == 0 else cw.line)(wordings, area=area)
        for n, wordings in enumerate(phrases.BLOG_DIRECTIONS)
    ]
    return BlogSection(heading="찾아가는 길", body=_paragraphs(cw, lines, keep))


def _blog_hours(cw: Copywriter, keep: int) -> BlogSection:
    lines = [cw.line(wordings) for wordings in phrases.BLOG_HOURS]
    lines = lines if "hours" in cw.slots else [cw.voice(phrases.BLOG_NO_HOURS), *lines]
    return BlogSection(heading="영업시간·주차", body=_paragraphs(cw, lines, keep))


BLOG_SECTIONS = (  # in reading order; news, menu and directions are always written
    ("news", _blog_news),
    ("menu", _blog_menu),
    ("space", _blog_space),
    ("recommend", _blog_recommend),
    ("season", _blog_season),
    ("prices", _blog_prices),
    ("directions", _blog_directions),
    ("hours", _blog_hours),
)
BLOG_ALWAYS = ("news", "menu", "directions")
BLOG_EXTRA_SECTIONS = (1, 1, 2, 4, 5)  # by detail level: 4 to 8 sections in all
BLOG_PARAGRAPHS = (1, 2, 3, 4, 4)  # paragraphs per section, by detail level


def write_naver_blog(cw: Copywriter) -> NaverBlogDraft:
    plan, s = cw.plan, cw.slots
    hook = cw.opening()
    title = cw.title(
        ("{place} {word} {shop} | {item} {price}",)
        if plan.price_first
        else cw.on_goal(phrases.BLOG_QUESTION_TITLES if cw.asks() else phrases.BLOG_TITLES),
        spec_limit("naver_blog", "title_chars"),
        fallback=f"{s['place']} {s['word']}, 어디가 좋을까요?"
        if cw.asks()
        else f"{s['place']} {s['word']} {s['shop']}",
    )
    optional = [name for name, _ in BLOG_SECTIONS if name not in BLOG_ALWAYS]
    if len([p for p in cw.request.shop.products if p.price]) < 1:
        optional.remove("prices")
    extra = min(len(optional), BLOG_EXTRA_SECTIONS[plan.detail])
    chosen = {*BLOG_ALWAYS, *cw.rng.sample(optional, extra)}
    keep = BLOG_PARAGRAPHS[plan.detail]
    written = [build(cw, keep) for name, build in BLOG_SECTIONS if name in chosen]
    sections = [section for section in written if section.body.strip()]  # all said already
    if len(sections) < 3:  # a blog post has three sections at least: the shop's points, listed
        points = [clean(p) for p in cw.request.shop.selling_points if clean(p)] or cw.family.points
        listing = "\n".join(f"· {point}" for point in points)
        sections.append(BlogSection(heading=f"{s['shop']}의 자랑", body=listing))
    intro = [
        hook,
        cw.line(phrases.BLOG_GREETINGS),
        cw.line(phrases.BLOG_TOPICS[cw.goal]),
    ]
    closing = [cw.sign_off(), cw.call(), cw.line(phrases.BLOG_CLOSINGS)]
    pool = cw.tag_pool()  # drawn before the count, as the tags always were
    drawn = cw.rng.randint(10, 14) + 2 * min(plan.detail, 3)
    tags = specs.normalize_tags(pool, cw.tag_count(drawn, spec_limit("naver_blog", "tags")))
    return NaverBlogDraft(
        title=title,
        intro="\n".join(cw.decorate(intro)),
        sections=sections,
        image_slots=blog_images(cw, 3 + min(plan.detail, 3)),
        # The closing takes emoji only at high density, so medium keeps to the intro's few.
        closing="\n".join(
            cw.decorate(closing, opening=False) if plan.emoji_density == "high" else closing
        ),
        tags=tags,
        place_keywords=place_keywords(cw),
        attributes=plan.attributes(len(tags)),
    )


def blog_images(cw: Copywriter, count: int) -> list[BlogImageSlot]:
    photo = {"photo": cw.photo()}
    fillable = [
        (c, sug) for c, sug in phrases.BLOG_IMAGES if template_fields(c + sug) <= {*cw.slots}
    ]
    chosen = fillable[:2] + cw.rng.sample(fillable[2:], min(count - 2, len(fillable) - 2))
    return [
        BlogImageSlot(
            caption=cw.in_register(cw.render(c, **photo)),
            suggestion=cw.in_register(cw.render(sug, **photo)),
        )
        for c, sug in chosen
    ]


def place_keywords(cw: Copywriter) -> list[str]:
    """동네 + 업종 search phrases, 3 to 8."""
    s = cw.slots
    related = phrases.INDUSTRIES.get(cw.request.shop.industry, ("", (), ""))[1]
    market = cw.request.market
    words = [
        f"{s['place']} {s['word']}",
        f"{s['district']} {s['word']}",
        *(f"{s['place']} {r}" for r in related),
        *([f"{s['place']} {s['item']}"] if "item" in s else []),
        *(clean(k) for k in (market.local_keywords if market else ())),
        f"{s['place']} {s['word']} 추천",
        f"{s['word']} 추천",
        f"{s['place']} {s['shop']}",
    ]
    return specs.normalize_tags(words, cw.rng.randint(3, 8))


SHORTS_BODY_LINES = (1, 2, 4, 7, 9)  # by detail level, the angle always among them
THREADS_BODY_LINES = (1, 2, 4, 6, 7)


def write_youtube_shorts(cw: Copywriter) -> YouTubeShortsDraft:
    plan, s = cw.plan, cw.slots
    hook = cw.opening()
    title_bank = (
        ("{item} {price} | {shop} #Shorts",)
        if plan.price_first
        else cw.on_goal(phrases.SHORTS_QUESTION_TITLES if cw.asks() else phrases.SHORTS_TITLES)
    )
    title = cw.title(
        title_bank,
        spec_limit("youtube_shorts", "title_chars"),
        fallback=f"{s['place']} {s['word']}, 어디가 좋을까요? #Shorts"
        if cw.asks()
        else f"{s['place']} {s['word']} #Shorts",
    )
    drawn = cw.rng.randint(2 + min(plan.detail, 2), 4 + min(plan.detail, 3))
    count = cw.tag_count(drawn + 1, floor=1)  # #Shorts is always there, and counts
    tag_line = " ".join(["#Shorts", *cw.hashtag_list(count - 1, leave_out="#Shorts")])
    area = clean(cw.request.shop.area)
    info = [f"위치: {area}" if area else "", f"영업시간: {s['hours']}" if "hours" in s else ""]
    lines = [
        *cw.decorate([hook, "", *cw.body(SHORTS_BODY_LINES[plan.detail]), "", cw.call()]),
        "",
        *info,
    ]
    room = spec_limit("youtube_shorts", "description_bytes") - 200
    text = fit_lines(lines, lambda t: specs.utf8_bytes(f"{t}\n\n{tag_line}") <= room)
    description = f"{text}\n\n{tag_line}"  # #Shorts always, as YouTube's Shorts rule asks
    tags = _youtube_tags(cw, 5 + 2 * min(plan.detail, 3))
    seconds = (15.0, 30.0 + 5 * min(plan.detail, 3))
    return YouTubeShortsDraft(
        title=title,
        description=description,
        tags=tags,
        thumbnail_text=cw.short(
            phrases.PRICE_HEADLINES if plan.price_first else cw.on_goal(phrases.THUMBNAILS), 16
        ),
        video_script=video_script(cw, hook, (4, 5 + min(plan.detail, 3)), seconds),
        attributes=plan.attributes(len(re.findall(r"#\w+", description))),
    )


def _youtube_tags(cw: Copywriter, count: int) -> list[str]:
    tags: list[str] = []
    for tag in specs.normalize_tags([*cw.tag_words(), "쇼츠", "Shorts"], count):
        if sum(map(len, tags)) + len(tag) <= spec_limit("youtube_shorts", "tags_chars"):
            tags.append(tag)
    return tags


def write_threads(cw: Copywriter) -> ThreadsDraft:
    plan = cw.plan
    hook = cw.opening()
    drawn = cw.rng.choice((0, 1, 1, 2))  # conversational: a tag or two at most, unless guided
    tags = " ".join(cw.hashtags(drawn, drawn))
    lines = cw.decorate([hook, *cw.body(THREADS_BODY_LINES[plan.detail]), cw.call()])
    units = spec_limit("threads", "text_units")

    def with_tags(body: str) -> str:  # the tags are kept whole: body lines give way first
        return f"{body}\n{tags}" if tags else body

    text = with_tags(fit_lines(lines, lambda t: specs.threads_length(with_tags(t)) <= units))
    headlines = cw.on_goal(phrases.THREADS_IMAGE_HEADLINES)
    headline = cw.short(headlines, 28) if plan.format == "image" else ""
    return ThreadsDraft(
        text=text,
        image_headline=headline,
        attributes=plan.attributes(len(re.findall(r"#\w+", text))),
    )


WRITERS: dict[str, Callable[[Copywriter], BaseModel]] = {
    "instagram": write_instagram,
    "naver_blog": write_naver_blog,
    "youtube_shorts": write_youtube_shorts,
    "threads": write_threads,
}
