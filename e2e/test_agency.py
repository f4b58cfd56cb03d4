"""An agency's week in the browser, on the `make run` demo agency: the manager sends a
client shop's written posts to the client from the workspace, the client opens the link
on a phone, approves one post and asks for a change on another, and the workspace shows
what came back; axe-core on every page, no sideways scroll."""

from __future__ import annotations

import re
import subprocess
import sys
import time

from playwright.sync_api import Browser, expect

from e2e.conftest import Figures
from e2e.stack import ROOT, Stack
from e2e.test_owner_flow import Owner

MANAGER = ("agency@demo.gagecast.local", "gagecast-demo-1234")
SHOP = "연남 소금빵집"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# Next week's Threads posts for the first client shop, written by the stack's own worker
# (what 다음 주 만들기 does, on one channel so the test does not wait for videos).
SETUP = f"""
import datetime as dt
from django.utils import timezone
from campaigns.services import campaign_create
from marketing.models import Business
shop = Business.objects.get(name="{SHOP}")
if not shop.campaigns.exists():
    start = timezone.localdate() + dt.timedelta(days=1)
    campaign_create(business=shop, actor=None, goal="awareness", starts_on=start,
                    ends_on=start + dt.timedelta(days=6), channels=["threads"],
                    posts_per_week={{"threads": 2}})
"""
WRITTEN = f"""
from content.models import ContentPiece
print(ContentPiece.objects.filter(business__name="{SHOP}", status="ready",
      render_status__in=["done", "none"]).count())
"""


def _shell(stack: Stack, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=stack.env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return (
        done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    )  # after the shell's banner


def test_the_client_approves_one_post_and_sends_one_back_through_the_link(
    stack: Stack, browser: Browser, figures: Figures
) -> None:
    _shell(stack, SETUP)
    deadline = time.monotonic() + 180
    while _shell(stack, WRITTEN) != "2":
        assert time.monotonic() < deadline, "the worker did not write the two posts"
        time.sleep(2)

    desk = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="ko-KR", base_url=stack.url
    )
    page = desk.new_page()
    manager = Owner(page, 1280, figures, prefix="agency-")
    page.goto("/accounts/login/")
    page.fill('input[name="login"]', MANAGER[0])
    page.fill('input[name="password"]', MANAGER[1])
    page.locator('form button[type="submit"]').first.click()
    page.goto("/app/workspace/")
    expect(page.get_by_role("rowheader", name=re.compile(SHOP))).to_be_visible()
    manager.see("workspace")

    page.get_by_label(f"{SHOP} 고르기").check()
    page.get_by_label("고른 사업장에").select_option("submit")
    page.get_by_role("button", name="실행").click()
    link = page.get_by_label("고객 승인 링크").first.input_value()
    assert "/app/review/" in link
    manager.see("sent")

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="ko-KR", base_url=stack.url
    )
    client_page = phone.new_page()
    client = Owner(client_page, 390, figures, prefix="client-")
    client_page.goto(link)
    expect(client_page.get_by_text(re.compile("결정을 기다리는 글이 2개"))).to_be_visible()
    assert client_page.evaluate(NO_SIDEWAYS_SCROLL)
    client.see("link")
    posts = client_page.locator("li.client-piece")
    first, second = posts.nth(0), posts.nth(1)
    first.get_by_label("이름").fill("김사장")
    first.get_by_role("button", name="승인").click()
    expect(client_page.get_by_text("전달했어요. 고맙습니다!")).to_be_visible()
    second = client_page.locator("li.client-piece").nth(1)
    second.get_by_label(re.compile("의견")).fill("가격을 꼭 넣어 주세요")
    second.get_by_role("button", name="수정 요청").click()
    expect(client_page.get_by_text("전달했어요. 고맙습니다!")).to_be_visible()
    expect(client_page.locator("li.client-piece .review-approved")).to_have_count(1)
    expect(client_page.locator("li.client-piece .review-changes_requested")).to_have_count(1)
    client.see("decided")

    page.goto("/app/workspace/")
    changes = page.get_by_role("link", name=re.compile("수정 요청 1"))
    expect(changes).to_be_visible()
    changes.click()
    expect(page.get_by_text("가격을 꼭 넣어 주세요")).to_be_visible()
    manager.see("changes")
