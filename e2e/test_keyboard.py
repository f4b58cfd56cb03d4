"""The wizard with the keyboard alone, and the owner's pages at 320 px: sign-up and every
wizard step are reached with Tab, typed into and sent with Enter or Space; no page
scrolls sideways on the narrowest phone."""

from __future__ import annotations

import re
import shutil

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Figures
from e2e.stack import OUT, Stack
from e2e.test_owner_flow import Owner


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def _no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"{page.url} is {wide}px wide at 320px"


def test_the_wizard_with_the_keyboard_alone_and_readable_at_320px(
    stack: Stack, browser: Browser, figures: Figures
) -> None:
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, locale="ko-KR", base_url=stack.url
    )
    page = context.new_page()
    shutil.rmtree(OUT / "320", ignore_errors=True)  # this run's screenshots only
    owner = Owner(page, 320, figures)

    page.goto("/accounts/signup/")
    _no_sideways_scroll(page)
    _tab_to(page, "input[name=email]")
    page.keyboard.type("keys@example.com")
    _tab_to(page, "input[name=password1]")
    page.keyboard.type("s3cure-pass-word-keys")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="어떤 가게인가요?")).to_be_visible()
    owner.see("keyboard-1-shop")
    _no_sideways_scroll(page)
    page.keyboard.press("Enter")  # nothing filled: the errors are announced and tied
    expect(page.locator("#id_name_error")).to_be_visible()
    expect(page.locator(".error-summary[role=alert]")).to_be_focused()  # read out first
    assert page.locator("#id_name").get_attribute("aria-invalid") == "true"
    _tab_to(page, "#id_name")
    page.keyboard.type("키보드 분식")
    _tab_to(page, "#id_industry")
    page.keyboard.press("ArrowDown")  # a native select: the keys pick a choice
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#id_area")
    page.keyboard.type("서울 종로구")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="가게 사진을 올려 주세요")).to_be_visible()
    owner.see("keyboard-2-photos")
    _no_sideways_scroll(page)
    _tab_to(page, "#photos")  # the picker is reachable, and shows its focus
    outline = page.locator("label.picker").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    _tab_to(page, "button.skip")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="대표 메뉴와 강점")).to_be_visible()
    _no_sideways_scroll(page)
    _tab_to(page, "input[name=name]")
    page.keyboard.type("떡볶이")
    page.keyboard.press("Tab")
    page.keyboard.type("4500")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="어디에 올릴까요?")).to_be_visible()
    _no_sideways_scroll(page)
    _tab_to(page, "button.skip")
    page.keyboard.press("Space")

    expect(page.get_by_role("heading", name="첫 주 게시물을 만들어요")).to_be_visible()
    owner.see("keyboard-5-campaign")
    _no_sideways_scroll(page)
    _tab_to(page, "input[name=goal]:checked")  # a radio group: Tab lands on its choice
    page.keyboard.press("ArrowUp")  # and the arrows change it
    _tab_to(page, "button.button.wide")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="첫 주 게시물", exact=True)).to_be_visible()
    _no_sideways_scroll(page)

    for path in ("/app/notices/", "/app/"):
        page.goto(path)
        _no_sideways_scroll(page)
    page.get_by_role("link", name=re.compile("키보드 분식")).first.click()
    _no_sideways_scroll(page)
    page.get_by_role("link", name="캘린더").click()
    _no_sideways_scroll(page)
    owner.see("keyboard-calendar")
    context.close()
    mine = [v for v in figures.serious if v.startswith("320px ")]
    assert mine == [], "serious accessibility violations:\n" + "\n".join(mine)
