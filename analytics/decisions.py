"""Decisions with exploration (docs/analytics.md, "Exploration").

Thompson sampling: draw one set of coefficients from the shop's posterior (plainly for the
first posts, then tempered, see ``temper``) and take the
best value of each dimension under that draw, so a choice is made as often as it is
probably the best. On top, a minimum exploration rate: with ``MIN_EXPLORATION`` one
creative dimension is set at random, so the loop never stops learning. The choice
probabilities (Monte Carlo over ``DRAWS`` posterior draws, mixed with the exploration)
are logged with the piece.

Posting times follow the same draw once the channel has ``MIN_POSTS`` measured posts;
before that the campaign keeps its default hours and days, and a share
(``EARLY_TIME_EXPLORATION``) of them tries another hour or day so there is something to
learn from. A choice whose value has fewer than ``MIN_IN_SLOT`` measured posts is
labelled as a new try, never as learned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from analytics.learning import Knowledge, lift
from analytics.scoring import OUTCOME_WORDS
from analytics.space import WEEKDAYS

MIN_EXPLORATION = 0.05
EARLY_TIME_EXPLORATION = 0.25
MIN_POSTS = 10
MIN_IN_SLOT = 3
DRAWS = 200
# Variance scale of the posterior draws. Plain Thompson sampling (1) while the channel has
# fewer than EXPLORE_UNTIL measured posts, so the first posts spread over the choices;
# then narrower draws (tempered Thompson sampling) that mostly take what the evidence
# shows and still try what remains uncertain: a shop makes only a few dozen posts a
# quarter on a channel, and the later ones should earn.
EARLY_TEMPER = 1.0
TEMPER = 0.1
EXPLORE_UNTIL = 25


def temper(knowledge: Knowledge) -> float:
    """The variance scale of this shop's draws on the channel, by its evidence."""
    return EARLY_TEMPER if knowledge.evidence < EXPLORE_UNTIL else TEMPER


MIN_LIFT = 1.1  # below this a difference is not worth telling the owner
NOTE_EXPLORED = "이번 글은 새로운 시도예요"
NOTE_LEARNED = "반응이 좋았던 방식이에요"

HOOK_LABELS = {
    "question": "질문으로 시작한 글",
    "number": "숫자로 시작한 글",
    "benefit": "혜택을 앞세운 글",
    "story": "이야기로 시작한 글",
    "urgency": "마감을 강조한 글",
    "curiosity": "궁금증을 자아낸 글",
    "social_proof": "손님 후기를 앞세운 글",
}
OPENING_LABELS = {"question": "질문으로 시작한 글", "statement": "질문 없이 시작한 글"}
FORMAT_LABELS = {
    "image": "사진 한 장 게시물",
    "carousel": "여러 장 슬라이드 게시물",
    "video": "영상 게시물",
    "text": "글만 올린 게시물",
}
LENGTH_LABELS = {"short": "짧은 글", "medium": "보통 길이의 글", "long": "긴 글"}
EMOJI_LABELS = {
    "none": "이모지 없는 글",
    "low": "이모지를 조금 쓴 글",
    "medium": "이모지를 적당히 쓴 글",
    "high": "첫 줄부터 이모지를 쓴 글",
}
WEEKDAY_NAMES = ("월", "화", "수", "목", "금", "토", "일")


def clock(hour: int) -> str:
    if hour < 12:
        return f"오전 {hour}시"
    return "낮 12시" if hour == 12 else f"오후 {hour - 12}시"


def label(dim: str, value: str) -> str:
    """The owner's words for posts with this value; every label ends in 글 or 게시물, so
    the particle after it is always 이."""
    if dim == "hashtag_count":
        return "해시태그 없는 글" if value == "0" else f"해시태그를 {value}개쯤 단 글"
    if dim == "weekday":
        return f"{WEEKDAY_NAMES[int(value)]}요일에 올린 글"
    if dim == "hour":
        return f"{clock(int(value))}에 올린 글"
    tables = {
        "opening": OPENING_LABELS,
        "hook_style": HOOK_LABELS,
        "format": FORMAT_LABELS,
        "length_bucket": LENGTH_LABELS,
        "emoji_density": EMOJI_LABELS,
    }
    return tables[dim].get(value, value)


def finding(knowledge: Knowledge, dim: str, value: str) -> str | None:
    """ "질문으로 시작한 글이 평소보다 도달과 반응이 34% 높았어요", or None."""
    found = lift(knowledge, dim, value)
    if found is None or found[0] < MIN_LIFT:
        return None
    word = OUTCOME_WORDS[knowledge.space.channel]
    return f"{label(dim, value)}이 평소보다 {word}이 {round((found[0] - 1) * 100)}% 높았어요"


def evidence_note(knowledge: Knowledge) -> str:
    return f"게시물 {knowledge.evidence}개 기준"


def best_values(knowledge: Knowledge) -> dict[str, str]:
    """Each dimension's value with the highest posterior mean."""
    post = knowledge.posterior
    return {
        dim: max(values, key=lambda v: float(post.value(post.mean, dim, v)))
        for dim, values in knowledge.space.arms.items()
    }


def findings(knowledge: Knowledge, limit: int = 3) -> list[str]:
    """What the shop's own posts show, strongest first (the "배운 점" card)."""
    found = []
    for dim, value in best_values(knowledge).items():
        lifted = lift(knowledge, dim, value)
        sentence = finding(knowledge, dim, value)
        if lifted and sentence:
            found.append((lifted[0], sentence))
    return [sentence for _, sentence in sorted(found, reverse=True)[:limit]]


def summary(knowledge: Knowledge, chosen: dict[str, str]) -> str:
    sentences = [s for dim, value in chosen.items() if (s := finding(knowledge, dim, value))]
    if sentences:
        return f"{sentences[0]} · {evidence_note(knowledge)}"
    if knowledge.evidence:
        return f"아직 뚜렷한 차이는 없어 여러 방식을 시도하며 배우고 있어요 · {evidence_note(knowledge)}"
    return "아직 성과가 모인 게시물이 없어 여러 방식을 시도해 보고 있어요"


def _argmax(knowledge: Knowledge, theta: np.ndarray, dim: str) -> str:
    post = knowledge.posterior
    values = knowledge.space.arms[dim]
    return values[int(np.argmax([float(post.value(theta, dim, v)) for v in values]))]


def choose_creative(knowledge: Knowledge, rng: np.random.Generator) -> dict[str, Any]:
    """The attributes for one new piece, with their probabilities and what was explored."""
    dims = knowledge.space.creative
    theta = knowledge.posterior.sample(rng, scale=temper(knowledge))[0]
    chosen = {dim: _argmax(knowledge, theta, dim) for dim in dims}
    forced = []
    if dims and rng.random() < MIN_EXPLORATION:
        dim = dims[int(rng.integers(len(dims)))]
        values = knowledge.space.arms[dim]
        chosen[dim] = values[int(rng.integers(len(values)))]
        forced.append(dim)
    draws = knowledge.posterior.sample(rng, DRAWS, scale=temper(knowledge))
    share = MIN_EXPLORATION / len(dims) if dims else 0.0  # chance this dimension is forced
    probabilities = {
        dim: _probabilities(knowledge, draws, dim, knowledge.space.arms[dim], share) for dim in dims
    }
    new = [dim for dim in dims if knowledge.count(dim, chosen[dim]) < MIN_IN_SLOT]
    explored = sorted(set(forced) | set(new))
    return {
        "attributes": chosen,
        "probabilities": probabilities,
        "explored": explored,
        "evidence": knowledge.evidence,
        "note": NOTE_EXPLORED if explored else NOTE_LEARNED,
    }


def choose_slots(
    knowledge: Knowledge,
    defaults: Sequence[dt.datetime],
    days: Sequence[dt.date],
    rng: np.random.Generator,
) -> list[tuple[dt.datetime, dict[str, Any]]]:
    """Local posting times for one week of a channel: as many as ``defaults`` (the
    campaign's default layout), on distinct ``days`` where there are enough of them."""
    if not defaults or not days:
        return [(when, {"source": "default"}) for when in defaults]
    zone = defaults[0].tzinfo
    if knowledge.evidence < MIN_POSTS:
        return _default_slots(knowledge, defaults, days, rng)
    post = knowledge.posterior
    hours = knowledge.space.hours
    used: set[dt.date] = set()
    slots = []
    for _ in defaults:
        free = [day for day in days if day not in used] or list(days)
        theta = post.sample(rng, scale=temper(knowledge))[0]
        forced = rng.random() < MIN_EXPLORATION
        if forced:
            day = free[int(rng.integers(len(free)))]
            hour = hours[int(rng.integers(len(hours)))]
        else:
            day = max(free, key=lambda d: float(post.value(theta, "weekday", str(d.weekday()))))
            hour = max(hours, key=lambda h: float(post.value(theta, "hour", str(h))))
        used.add(day)
        weekday, hour_s = str(day.weekday()), str(hour)
        new = (
            min(knowledge.count("weekday", weekday), knowledge.count("hour", hour_s)) < MIN_IN_SLOT
        )
        chosen = {"weekday": weekday, "hour": hour_s}
        slots.append(
            (
                dt.datetime.combine(day, dt.time(hour), zone),
                {
                    "source": "learned",
                    "slot": chosen,
                    "probabilities": _slot_probabilities(knowledge, rng, free),
                    "explored": forced or new,
                },
            )
        )
    return slots


def _default_slots(
    knowledge: Knowledge,
    defaults: Sequence[dt.datetime],
    days: Sequence[dt.date],
    rng: np.random.Generator,
) -> list[tuple[dt.datetime, dict[str, Any]]]:
    slots = []
    hours = knowledge.space.hours
    taken = {when.date() for when in defaults}
    for when in defaults:
        if rng.random() >= EARLY_TIME_EXPLORATION:
            slots.append((when, {"source": "default", "evidence": knowledge.evidence}))
            continue
        hour = hours[int(rng.integers(len(hours)))]
        spare = [day for day in days if day not in taken]
        day = when.date()
        if spare and rng.random() < 0.5:
            day = spare[int(rng.integers(len(spare)))]
            taken.add(day)
        slots.append(
            (
                dt.datetime.combine(day, dt.time(hour), when.tzinfo),
                {"source": "default", "explored": True, "evidence": knowledge.evidence},
            )
        )
    return slots


def _slot_probabilities(
    knowledge: Knowledge, rng: np.random.Generator, free: Sequence[dt.date]
) -> dict[str, dict[str, float]]:
    draws = knowledge.posterior.sample(rng, DRAWS, scale=temper(knowledge))
    weekdays = sorted({str(day.weekday()) for day in free})
    return {
        dim: _probabilities(knowledge, draws, dim, values, MIN_EXPLORATION)
        for dim, values in (
            ("weekday", weekdays),
            ("hour", [str(h) for h in knowledge.space.hours]),
        )
    }


def _probabilities(
    knowledge: Knowledge, draws: np.ndarray, dim: str, values: Sequence[str], forced: float
) -> dict[str, float]:
    """How often each value wins under the posterior draws, mixed with the chance
    ``forced`` that the dimension is set at random instead."""
    scores = np.stack([knowledge.posterior.value(draws, dim, v) for v in values], axis=1)
    wins = np.bincount(np.argmax(scores, axis=1), minlength=len(values))
    return {
        v: round((1 - forced) * wins[i] / len(draws) + forced / len(values), 4)
        for i, v in enumerate(values)
    }


__all__ = ["WEEKDAYS", "choose_creative", "choose_slots", "findings", "label", "summary"]
