"""Text helpers of the offline writer: cleaning the owner's words, clipping, fitting lines."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from string import Formatter

from content import specs

_FORMATTER = Formatter()
_UNSAFE = re.compile(r"[{}<>]|#(?=\w)")  # and "#word": only the writer's own tags are tags


def clean(text: str) -> str:
    """The owner's free text, on one line, without characters that break titles or templates
    and without hashtags (a draft carries exactly the hashtags its plan counts)."""
    return " ".join(_UNSAFE.sub("", text or "").split())


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    words, kept = text.split(), ""
    for word in words:
        if len(f"{kept} {word}".strip()) + 1 > limit:
            break
        kept = f"{kept} {word}".strip()
    return f"{kept or text[: limit - 1].rstrip()}…"


def fit_lines(lines: Sequence[str], fits: Callable[[str], bool]) -> str:
    """The lines, in order, skipping any that would break ``fits``; blank runs collapsed."""
    kept: list[str] = []
    for line in lines:
        if fits("\n".join([*kept, line])):
            kept.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if text:
        return text
    first = lines[0] if lines else ""
    while first and not fits(first):
        first = first[: max(len(first) - 10, 0)]
    return first.strip()


def opening_key(line: str) -> str:
    """A first line compared without emoji, spaces and punctuation."""
    return re.sub(r"[\W_]+", "", line)


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def spec_limit(channel: str, name: str) -> int:
    return specs.spec_for(channel).limits[name]


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}
