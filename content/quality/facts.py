"""Facts a post may state only when the shop gave them: prices, hours, phone numbers and
offers (percentages, 1+1, and words such as 무료, 증정, 할인). Each is read from the text as a value (1만 2천 원 and 12,000원
are the same price; 오후 3시 and 15:00 the same hour) and compared with the values in the
shop's profile, the campaign's brief and the owner's own instruction."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_AMOUNT = re.compile(r"(?:(?<![\d,.])\d[\d,]*(?:\.\d+)?\s?[억만천백]?\s?)+(?=원)")
_AMOUNT_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?([억만천백]?)")
_WORD_AMOUNT = re.compile(r"(?<![가-힣\d])(만|천|오천|오만|십만)\s?원")
_MULTIPLIERS = {"": 1, "백": 100, "천": 1000, "만": 10_000, "억": 100_000_000}
_WORD_VALUES = {"만": 10_000, "천": 1000, "오천": 5000, "오만": 50_000, "십만": 100_000}
_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-4]):([0-5]\d)(?!\d)")
_HOUR = re.compile(r"(?<![\d:])(\d{1,2})\s?시(?!간|즌|리즈|작|대)(?:\s?(\d{1,2})\s?분|\s?반)?")
_HOUR_RANGE = re.compile(r"(?<![\d:])(\d{1,2})\s?[–~\-]\s?\d{1,2}\s?시(?!간)")
_PHONE = re.compile(r"(?<!\d)(0\d{1,2}|1\d{3})[-.)\s]?(\d{3,4})?[-.\s]?(\d{4})(?!\d)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|퍼센트|프로(?![가-힣]))")
_BUNDLE = re.compile(r"(?<!\d)(\d)\s?\+\s?(\d)(?!\d)")
# Offers in words: a post may promise them only when the shop or the campaign does.
_OFFER_WORDS = re.compile(r"무료|공짜|증정|사은품|할인|쿠폰|적립|반값")


@dataclass(frozen=True)
class Fact:
    kind: str  # "price", "hour", "phone", "percent", "bundle", "offer"
    value: object
    words: str  # as written


def _amount(words: str) -> int:
    total = 0.0
    for number, unit in _AMOUNT_PART.findall(words):
        total += float(number.replace(",", "")) * _MULTIPLIERS[unit]
    return round(total)


def facts_in(text: str) -> Iterator[Fact]:
    """Every price, hour, phone number and offer figure written in ``text``."""
    for match in _AMOUNT.finditer(text):
        yield Fact("price", _amount(match.group(0)), match.group(0).strip() + "원")
    for match in _WORD_AMOUNT.finditer(text):
        yield Fact("price", _WORD_VALUES[match.group(1)], match.group(0))
    for match in _PHONE.finditer(text):
        yield Fact("phone", re.sub(r"\D", "", match.group(0)), match.group(0))
    phones = [m.span() for m in _PHONE.finditer(text)]
    for match in _CLOCK.finditer(text):
        yield Fact("hour", (int(match.group(1)) % 12, int(match.group(2))), match.group(0))
    for match in _HOUR.finditer(text):
        if any(start <= match.start() < end for start, end in phones):
            continue
        minute = 30 if match.group(0).endswith("반") else int(match.group(2) or 0)
        yield Fact("hour", (int(match.group(1)) % 12, minute), match.group(0))
    for match in _HOUR_RANGE.finditer(text):
        yield Fact("hour", (int(match.group(1)) % 12, 0), match.group(0))
    for match in _PERCENT.finditer(text):
        yield Fact("percent", float(match.group(1)), match.group(0))
    for match in _BUNDLE.finditer(text):
        yield Fact("bundle", (match.group(1), match.group(2)), match.group(0))
    for match in _OFFER_WORDS.finditer(text):
        yield Fact("offer", match.group(0), match.group(0))


@dataclass(frozen=True)
class KnownFacts:
    """The values the shop has given, by kind."""

    values: frozenset[tuple[str, object]]

    @classmethod
    def from_texts(cls, texts: Iterable[str], prices: Iterable[int] = ()) -> KnownFacts:
        known: set[tuple[str, object]] = {("price", price) for price in prices if price}
        for text in texts:
            known.update((fact.kind, fact.value) for fact in facts_in(text or ""))
        return cls(frozenset(known))

    def invented(self, text: str) -> list[Fact]:
        """The figures in ``text`` the shop never gave."""
        return [fact for fact in facts_in(text) if (fact.kind, fact.value) not in self.values]
