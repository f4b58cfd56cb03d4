"""The demo café's results at a phone's width and a laptop's: eight weeks of posts that
went through the sandbox, drawn as charts with their tables, 배운 점 with its evidence,
the month's use, and the weekly reports page; axe-core on each page, no sideways scroll."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, expect

from e2e.conftest import Figures
from e2e.stack import Stack
from e2e.test_owner_flow import WIDTHS, Owner

DEMO_OWNER = ("owner@demo.gagecast.local", "gagecast-demo-1234")
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _rows(rows: Locator) -> list[str]:
    return rows.evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent).join('\\n'))"
    )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_demo_cafe_sees_eight_weeks_of_results_in_charts(
    stack: Stack, browser: Browser, figures: Figures, width: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": WIDTHS[width]}, locale="ko-KR", base_url=stack.url
    )
    page = context.new_page()
    owner = Owner(page, width, figures, prefix="results-")
    page.goto("/accounts/login/")
    page.fill('input[name="login"]', DEMO_OWNER[0])
    page.fill('input[name="password"]', DEMO_OWNER[1])
    page.locator('form button[type="submit"]').first.click()
    page.goto("/app/")
    page.get_by_role("link", name="카페 온기").first.click()
    page.get_by_role("link", name="결과").first.click()
    page.get_by_label("기간").select_option("3months")
    page.get_by_role("button", name="보기").click()

    expect(page.get_by_role("heading", name=re.compile("채널별 본 사람"))).to_be_visible()
    charts = page.locator("figure.chart")
    expect(charts).to_have_count(2)
    assert charts.locator("svg").count() == 2
    weeks = charts.first.locator("tbody tr")
    # The table sits in a closed "표로 보기": read its text, not what is shown.
    rows = [[cell.strip() for cell in row.split("\n")] for row in _rows(weeks)]
    measured = [row for row in rows if any(cell != "0" for cell in row[1:])]
    assert len(measured) >= 8, rows
    expect(page.get_by_role("heading", name="배운 점")).to_be_visible()
    expect(page.get_by_text(re.compile(r"게시물 \d+개 기준")).first).to_be_visible()
    expect(page.get_by_role("heading", name="이번 달 사용량")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    owner.see("dashboard")

    page.get_by_role("link", name="주간 리포트").first.click()
    expect(page.get_by_role("heading", name="주간 리포트")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    owner.see("reports")
    context.close()
