"""The one interface every writer (Gemini, offline, …) implements.

A provider turns a ``GenerationRequest`` (plain data: the shop, the brief, the
moment, market context and guidance, already masked) into a channel draft. It
never touches the database: services build the request and store the result.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

# Owned by marketing (the market check, the usage records); part of what a provider sees.
from marketing.market import MarketContext
from marketing.quota import LlmCall

# --- What a provider is given ----------------------------------------------------------


if TYPE_CHECKING:
    from content.quality.base import Finding


@dataclass(frozen=True)
class ProductInfo:
    name: str
    price: int | None
    description: str = ""
    is_signature: bool = False


@dataclass(frozen=True)
class ShopProfile:
    """The business as the writer sees it. Free text is the owner's, quoted as data."""

    name: str
    industry: str  # code from marketing.industries
    industry_label: str  # Korean label, e.g. "카페"
    family: str  # IndustryFamily value, e.g. "food_drink"
    area: str  # e.g. "서울 마포구 연남동"
    description: str = ""
    target_customers: str = ""
    tone: str = "friendly"
    price_range: str = "moderate"
    selling_points: tuple[str, ...] = ()
    opening_hours: str = ""
    address: str = ""
    phone: str = ""
    products: tuple[ProductInfo, ...] = ()


@dataclass(frozen=True)
class Brief:
    goal: str  # campaigns.Campaign.Goal value
    offer: str = ""
    campaign_name: str = ""
    note: str = ""  # the owner's one line for a single post ("오늘 뭐 올리지?")
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


@dataclass(frozen=True)
class Occasion:
    name: str  # Korean, e.g. "추석"
    date: dt.date
    kind: str  # "holiday" | "commercial" | "exam" | "season"


@dataclass(frozen=True)
class Moment:
    """When the piece will be published, in the shop's own time zone."""

    planned_for: dt.datetime
    season: str  # e.g. "늦가을"
    occasions: tuple[Occasion, ...] = ()

    @property
    def weekday_ko(self) -> str:
        return "월화수목금토일"[self.planned_for.weekday()] + "요일"


@dataclass(frozen=True)
class Guidance:
    """What worked for this shop on this channel (empty means neutral)."""

    summary: str = ""
    preferred: dict[str, str] = field(default_factory=dict)  # attribute -> value
    examples: tuple[str, ...] = ()
    # For the owner and the record, not for the writers: "이번 글은 새로운 시도예요" or
    # "반응이 좋았던 방식이에요", and the decision as logged (choice probabilities, what
    # was explored), stored on the piece as ``ContentPiece.learning``.
    note: str = ""
    decision: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GenerationRequest:
    channel: str  # content.channels.Channel value
    shop: ShopProfile
    brief: Brief
    moment: Moment
    market: MarketContext | None = None
    guidance: Guidance | None = None
    seed: int = 0  # varies the writing between pieces; same seed, same offline text
    recent_openings: tuple[str, ...] = ()  # first lines of recent posts: do not repeat them
    campaign_sentences: tuple[str, ...] = ()  # the campaign's other pieces say these already
    campaign_openings: tuple[str, ...] = ()  # and open with these (a model sees all of them)
    instruction: str = ""  # regenerate: the owner's instruction, e.g. "더 짧게"
    previous: dict | None = None  # regenerate: the draft being rewritten
    only_field: str = ""  # regenerate one field only (e.g. "hashtags"); "" means all


# --- What a provider gives back ----------------------------------------------------------


@dataclass(frozen=True)
class Generation:
    draft: BaseModel  # one of content.specs' draft models
    provider: str
    model: str = ""
    prompt_version: str = ""
    calls: tuple[LlmCall, ...] = ()
    findings: tuple[Finding, ...] = ()  # the quality gate's, once the draft has passed it


class PhotoInsight(BaseModel):
    description: str = Field(description="What the photo shows, in Korean")
    selling_points: list[str] = Field(description="What a customer would like about it")
    suggested_captions: list[str] = Field(description="Two or three short Korean captions")
    products: list[str] = Field(
        default_factory=list,
        description="Menu items or products the photo shows, by their Korean names",
    )


class MemoFacts(BaseModel):
    transcript: str = Field(description="Verbatim Korean transcript")
    goal: str = Field(description="new_menu, event_sale, bring_back_regulars or awareness")
    offer: str = Field(description="The offer mentioned, or empty")
    products: list[str] = Field(description="Products or menu items mentioned")
    facts: list[str] = Field(description="Other facts useful for a post, one per item")


# --- Errors ------------------------------------------------------------------------------


class ProviderError(Exception):
    """A provider failed. ``permanent`` errors are not retried; transient ones are.

    ``message`` is for the owner (plain Korean); ``detail`` keeps the platform's words.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        detail: str = "",
        retry_after_s: float | None = None,
        calls: tuple[LlmCall, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.detail = detail
        self.retry_after_s = retry_after_s
        self.calls = calls  # model calls already made (and paid for) before the failure


class ProviderUnavailable(ProviderError):
    """The provider cannot do this at all (for example, photos without a Gemini key)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


class Provider(ABC):
    name: str = ""
    offline: bool = False  # output is labelled as an offline draft

    @abstractmethod
    def write(self, request: GenerationRequest) -> Generation:
        """Write a draft for ``request.channel``. Raises ProviderError."""

    def repair(
        self, request: GenerationRequest, draft: BaseModel, problems: list[str]
    ) -> Generation | None:
        """Fix a draft that broke its channel's rules; None when this provider cannot."""
        return None

    def describe_photo(
        self, image: bytes, mime_type: str, shop: ShopProfile
    ) -> tuple[PhotoInsight, tuple[LlmCall, ...]]:
        raise ProviderUnavailable("사진 분석은 Gemini 연결이 있어야 쓸 수 있습니다.")

    def read_voice_memo(
        self, audio: bytes, mime_type: str, shop: ShopProfile
    ) -> tuple[MemoFacts, tuple[LlmCall, ...]]:
        raise ProviderUnavailable("음성 메모 분석은 Gemini 연결이 있어야 쓸 수 있습니다.")
