"""A new owner, on a phone and on a laptop: sign-up, the wizard with their own photos, the
week written while they watch, a review, the week approved and scheduled, and posts
published in the sandbox. Only what the screens say is clicked; every required field
filled and every click is counted."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Figures
from e2e.stack import OUT, Stack

WIDTHS = {390: 844, 1280: 900}
WAIT_LIMIT_S = 240  # the test's own patience; the figure's target is 60 s
AXE = Axe()
SERIOUS = {"serious", "critical"}


def _photo(path: Path, colour: tuple[int, int, int], label: str) -> Path:
    picture = Image.new("RGB", (1600, 1200), colour)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((500, 300, 1100, 900), fill=(255, 240, 220))
    draw.text((60, 60), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88)
    path.write_bytes(buffer.getvalue())
    return path


PHOTO_COLOURS = ((120, 70, 40), (200, 60, 90), (40, 90, 120))


def _shows_own_photo(jpeg: bytes) -> bool:
    """Whether a rendered image carries one of the owner's photos: a good share of its
    pixels in one of their colours (the templates crop and scale, never recolour)."""
    picture = Image.open(io.BytesIO(jpeg)).convert("RGB").resize((120, 150))
    pixels = list(picture.getdata())
    for colour in PHOTO_COLOURS:
        near = sum(
            1 for p in pixels if sum(abs(a - b) for a, b in zip(p, colour, strict=True)) < 45
        )
        if near > len(pixels) * 0.05:
            return True
    return False


class Owner:
    """The person at the screen: counts what they have to do, checks and photographs
    every page they see."""

    def __init__(self, page: Page, width: int, figures: Figures, prefix: str = "") -> None:
        self.page = page
        self.prefix = prefix
        self.width = width
        self.figures = figures
        self.inputs = 0
        self.shots = OUT / str(width)
        self.shots.mkdir(parents=True, exist_ok=True)
        self.step = 0

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(re.compile(rf"^{label}:?$")).fill(value)
        self.inputs += 1

    def choose(self, label: str, value: str) -> None:
        self.page.get_by_label(re.compile(rf"^{label}:?$")).select_option(value)
        self.inputs += 1

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name).first.click()
        self.inputs += 1

    def see(self, name: str) -> None:
        """Screenshot and axe-core on the page as it is now."""
        self.page.wait_for_load_state("networkidle")
        self.step += 1
        shot = self.shots / f"{self.prefix}{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        results = AXE.run(self.page)
        self.figures.pages_checked += 1
        for violation in results.response["violations"]:
            if violation.get("impact") in SERIOUS:
                self.figures.serious.append(
                    f"{self.width}px {name}: {violation['id']} ({violation['impact']}) "
                    f"× {len(violation['nodes'])}: {violation['nodes'][0]['target']}"
                )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_new_owner_gets_a_scheduled_week_from_the_screens_alone(
    stack: Stack, browser: Browser, figures: Figures, width: int, tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": WIDTHS[width]}, locale="ko-KR", base_url=stack.url
    )
    page = context.new_page()
    shutil.rmtree(OUT / str(width), ignore_errors=True)  # this run's screenshots only
    owner = Owner(page, width, figures)
    photos = [
        str(_photo(tmp_path / "latte.jpg", (120, 70, 40), "latte")),
        str(_photo(tmp_path / "cake.jpg", (200, 60, 90), "cake")),
        str(_photo(tmp_path / "shop.jpg", (40, 90, 120), "shop")),
    ]

    page.goto("/")
    owner.see("home")
    page.goto("/accounts/signup/")  # what "무료로 시작하기" opens: the count starts here
    owner.see("signup")
    owner.fill("이메일", f"owner{width}@example.com")
    owner.fill("비밀번호", "s3cure-pass-word-e2e")
    owner.click("회원가입")

    expect(page.get_by_role("heading", name="어떤 가게인가요?")).to_be_visible()
    owner.see("wizard-1-shop")
    owner.fill("가게 이름", f"연남 커피 {width}")
    owner.choose("업종", "cafe")
    owner.fill("동네", "서울 마포구 연남동")
    owner.click("다음")

    expect(page.get_by_role("heading", name="가게 사진을 올려 주세요")).to_be_visible()
    owner.see("wizard-2-photos")
    page.set_input_files("input[type=file]", photos)  # choosing them uploads them
    owner.inputs += 1

    expect(page.get_by_role("heading", name="대표 메뉴와 강점")).to_be_visible()
    owner.see("wizard-3-menu")
    owner.click("다음")

    expect(page.get_by_role("heading", name="어디에 올릴까요?")).to_be_visible()
    owner.see("wizard-4-channels")
    owner.click("체험용 계정 연결하고 다음")

    expect(page.get_by_role("heading", name="첫 주 게시물을 만들어요")).to_be_visible()
    owner.see("wizard-5-campaign")
    owner.click("한 주 게시물 만들기")

    started = time.monotonic()
    schedule = page.get_by_role("button", name="모두 예약하기")
    expect(schedule).to_be_visible(timeout=WAIT_LIMIT_S * 1000)
    figures.system_wait_s[width] = time.monotonic() - started
    owner.see("week-written")

    pictured = page.locator(".piece-instagram:has(.media img)").first
    review = pictured.get_by_role("link", name="검토·수정")
    review_url = review.get_attribute("href")
    assert review_url
    other = context.new_page()  # a look at one piece; not needed to schedule the week
    other.goto(review_url)
    Owner(other, width, figures, prefix="look-").see("review")
    pictures = other.locator(".pv img")
    if pictures.count():
        image = pictures.first.get_attribute("src")
    else:  # a Reel: its cover
        image = other.locator(".pv video").first.get_attribute("poster")
    assert image, "the preview shows the piece's image"
    assert _shows_own_photo(other.request.get(image).body()), "the image uses the shop's photos"
    other.close()

    owner.click("모두 예약하기")
    expect(page.get_by_text(re.compile(r"\d+개 게시물을 예약했어요"))).to_be_visible()
    owner.see("week-scheduled")
    figures.required_inputs[width] = owner.inputs

    business_link = page.get_by_role("link", name=f"연남 커피 {width}").first
    business_link.click()
    owner.see("business")
    page.get_by_role("link", name="캘린더").click()
    page.wait_for_load_state()
    if not page.locator(".entry").count():  # a weekend sign-up: the week starts Monday
        page.get_by_role("link", name="그 주 보기").click()
    expect(page.locator(".entry").first).to_be_visible()
    owner.see("calendar-week")
    if width >= 960:  # seven columns: a post is dragged onto another day
        page.locator(".entry[data-move]").last.drag_to(page.locator(".day[data-date]").first)
        expect(page.locator(".messages li")).to_contain_text(re.compile("옮겼어요|옮길 수 없어요"))
        owner.see("calendar-dragged")
    page.get_by_role("link", name="월", exact=True).click()
    owner.see("calendar-month")

    # Posts go out in the sandbox: the first scheduled Instagram and Threads posts now.
    page.get_by_role("link", name=f"연남 커피 {width}").first.click()
    page.get_by_role("link", name="게시 목록").click()
    owner.see("publications")
    for channel in ("인스타그램", "스레드"):
        page.locator(".publication", has_text=channel).first.locator("a").first.click()
        page.get_by_role("button", name="지금 올리기").click()
        for _ in range(60):
            if page.get_by_text("게시 완료").count():
                break
            time.sleep(1)
            page.reload()
        expect(page.get_by_text("게시 완료").first).to_be_visible()
        owner.see(f"published-{channel}")
        page.go_back()
        page.go_back()
    # A scheduled post changed by hand leaves the schedule until it is approved again.
    page.goto(review_url)
    caption = page.locator("#f-caption")
    counter = page.locator("#f-caption-count")
    before = counter.inner_text()
    caption.press("End")
    caption.type(" 오늘도 좋은 하루 보내세요 😀")
    assert counter.inner_text() != before  # the live counter follows the typing
    page.get_by_role("button", name="저장하기").click()
    expect(page.locator(".messages li").first).to_contain_text("예약은 취소됐어요")
    expect(page.get_by_text("2번째 버전", exact=True)).to_be_visible()
    owner.see("edited-after-scheduling")
    context.close()

    assert owner.inputs <= 12, f"{owner.inputs} inputs from sign-up to a scheduled week"
    mine = [v for v in figures.serious if v.startswith(f"{width}px ")]
    assert mine == [], "serious accessibility violations:\n" + "\n".join(mine)
