"""The offline provider: composes a whole draft (or rewrites one field of it) from the
plan, the facts and the copywriter."""

from __future__ import annotations

import random

from pydantic import BaseModel, ValidationError

from content import specs
from content.providers.base import Generation, GenerationRequest, Provider, ProviderError
from content.providers.offline.channels import WRITERS
from content.providers.offline.copywriter import Copywriter
from content.providers.offline.facts import build_slots
from content.providers.offline.plan import plan_for
from content.providers.offline.text import clean, first_line
from content.specs import CreativeAttributes

MODEL = "offline-writer-v1"
PROMPT_VERSION = "offline-v1"

TEXT_FIELDS = ("caption", "text", "description", "intro", "sections", "closing")


def opening_of(draft: BaseModel) -> str:
    """The first line readers see, to pass back as ``recent_openings`` next time."""
    for name in ("caption", "text", "intro", "description"):
        if name in type(draft).model_fields:
            return first_line(getattr(draft, name))
    return ""


def compose(
    request: GenerationRequest, *, salt: str = "", pinned: CreativeAttributes | None = None
) -> BaseModel:
    """A whole draft for the request's channel."""
    rng = random.Random(f"{request.seed}:{request.channel}:{request.shop.name}:{salt}")
    slots = build_slots(request, rng)
    menu = len([p for p in request.shop.products if p.price and clean(p.name)]) >= 2
    plan = plan_for(request, rng, menu=menu, has_price="price" in slots, pinned=pinned)
    return WRITERS[str(request.channel)](Copywriter(request, rng, plan, slots))


def hashtag_count(draft: BaseModel) -> int:
    """The count ``specs`` checks: the tag list, or the #words in the text."""
    spec = next(spec for spec in specs.SPECS.values() if isinstance(draft, spec.draft_model))
    return spec.hashtag_count(draft)


def rewrite_field(request: GenerationRequest, previous: BaseModel) -> BaseModel:
    """``previous`` with only ``request.only_field`` written anew (and its attributes kept)."""
    field_name = request.only_field
    pinned: CreativeAttributes = previous.attributes  # type: ignore[attr-defined]
    fresh = compose(request, salt=f"only:{field_name}", pinned=pinned)
    for attempt in range(1, 8):
        if getattr(fresh, field_name) != getattr(previous, field_name):
            break
        fresh = compose(request, salt=f"only:{field_name}:{attempt}", pinned=pinned)
    merged = previous.model_dump()
    merged[field_name] = fresh.model_dump()[field_name]
    if field_name in TEXT_FIELDS:
        merged["attributes"] = fresh.attributes.model_dump()  # type: ignore[attr-defined]
    draft = type(previous).model_validate(merged)
    merged["attributes"]["hashtag_count"] = hashtag_count(draft)
    return type(previous).model_validate(merged)


def _previous(request: GenerationRequest) -> BaseModel | None:
    if not request.previous:
        return None
    try:
        return specs.spec_for(str(request.channel)).draft_model.model_validate(request.previous)
    except (ValidationError, ValueError):
        return None


class OfflineProvider(Provider):
    """Writes every channel's draft from templates and the shop's own facts."""

    name = "offline"
    offline = True

    def write(self, request: GenerationRequest) -> Generation:
        if str(request.channel) not in WRITERS:
            raise ProviderError(f"지원하지 않는 채널이에요: {request.channel}", permanent=True)
        previous = _previous(request)
        field_name = request.only_field
        if (
            previous is not None
            and field_name in type(previous).model_fields
            and field_name != "attributes"
        ):
            draft = rewrite_field(request, previous)
        else:
            draft = compose(request)
        return Generation(
            draft=draft, provider=self.name, model=MODEL, prompt_version=PROMPT_VERSION
        )

    def repair(
        self, request: GenerationRequest, draft: BaseModel, problems: list[str]
    ) -> Generation | None:
        """The offline writer's one rewrite: the same creative attributes, other draws from
        the phrase banks (which already leave out what the campaign says)."""
        pinned: CreativeAttributes = draft.attributes  # type: ignore[attr-defined]
        fresh = compose(request, salt="rewrite", pinned=pinned)
        return Generation(
            draft=fresh, provider=self.name, model=MODEL, prompt_version=PROMPT_VERSION
        )
