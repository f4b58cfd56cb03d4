"""`make e2e`: the owner's whole flow in Debian's chromium against a live stack, at a
phone's width and a laptop's, with axe-core on every page and screenshots of every step
under var/e2e/. Prints the three figures the issue asks for."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from e2e.stack import Stack

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class Figures:
    required_inputs: dict[int, int] = field(default_factory=dict)  # by width
    system_wait_s: dict[int, float] = field(default_factory=dict)
    serious: list[str] = field(default_factory=list)  # "page: rule (impact) × nodes"
    pages_checked: int = 0


FIGURES = Figures()


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    running = Stack().start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def figures() -> Figures:
    return FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    write = terminalreporter.write_line
    if FIGURES.required_inputs:
        write(
            f"bench onboarding.required_inputs {max(FIGURES.required_inputs.values())} count "
            "target <=12"
        )
    if FIGURES.system_wait_s:
        write(
            f"bench onboarding.system_wait_s {max(FIGURES.system_wait_s.values()):.1f} s "
            "target <=60"
        )
    if FIGURES.pages_checked:
        write(f"bench a11y.serious_violations {len(FIGURES.serious)} count target =0")
        for violation in FIGURES.serious:
            write(f"  {violation}")
