"""말로 설명하기: a voice memo recorded in the browser reaches the shop's writer. Chromium's
fake microphone (a steady tone) stands in for the owner's voice; with the offline writer
the memo is stored and then refused with the plain reason (reading speech needs Gemini),
which the step shows. What is tested is the recording, its format and the upload."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, expect

from e2e.conftest import CHROMIUM, FLAGS
from e2e.stack import Stack

FAKE_MICROPHONE = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture(scope="module")
def with_microphone(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(
        executable_path=CHROMIUM, args=FLAGS + FAKE_MICROPHONE, headless=True
    )
    yield launched
    launched.close()


def test_a_voice_memo_recorded_in_the_browser_is_uploaded_and_answered(
    stack: Stack, with_microphone: Browser
) -> None:
    context = with_microphone.new_context(
        viewport={"width": 390, "height": 844}, locale="ko-KR", base_url=stack.url
    )
    context.grant_permissions(["microphone"], origin=stack.url)
    page = context.new_page()
    page.goto("/accounts/signup/")
    page.get_by_label(re.compile("^이메일")).fill("voice@example.com")
    page.get_by_label(re.compile("^비밀번호")).fill("s3cure-pass-word-voice")
    page.get_by_role("button", name="회원가입").click()
    page.get_by_label(re.compile("^가게 이름")).fill("목소리 빵집")
    page.get_by_label(re.compile("^업종")).select_option("bakery")
    page.get_by_label(re.compile("^동네")).fill("대전 유성구")
    page.get_by_role("button", name="다음").click()
    page.get_by_role("button", name="사진은 나중에 올릴게요").click()

    record = page.get_by_role("button", name="녹음 시작")
    record.click()
    expect(page.get_by_role("button", name="녹음 끝내기")).to_be_visible()
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="녹음 끝내기").click()

    # Uploaded (202), read by the worker, and the step reloads with the outcome.
    outcome = page.locator("[data-voice-status]")
    expect(outcome).to_contain_text(
        re.compile("받아 적었어요|Gemini 연결이 있어야"), timeout=60_000
    )
    context.close()
