"""Writing pieces: build the request, reserve quota, call the provider, make the draft
fit its channel, record usage, store. Nothing invalid is ever saved as ready.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel

from campaigns.models import Campaign
from content import quality, revisions, transitions
from content.models import ContentPiece, QualityFinding
from content.providers.base import (
    Brief,
    Generation,
    GenerationRequest,
    Guidance,
    Moment,
    ProductInfo,
    Provider,
    ProviderError,
    ShopProfile,
)
from content.providers.registry import guarded, provider_for_business
from content.quality.text import is_prose, sentences, text_fields
from content.specs import ChannelSpec, spec_for, title_and_body
from core import queue
from marketing.industries import industry_for
from marketing.models import Business, User
from marketing.quota import (
    QuotaExceeded,
    llm_calls_record,
    piece_quota_release,
    piece_quota_reserve,
)

logger = logging.getLogger(__name__)

ATTRIBUTE_FIELDS = (
    "hook_style",
    "tone",
    "length_bucket",
    "emoji_density",
    "hashtag_count",
    "call_to_action",
    "format",
    "template",
    "offer_type",
)


# --- Building the request -------------------------------------------------------------


def shop_profile(business: Business) -> ShopProfile:
    industry = industry_for(business.industry)
    products = tuple(
        ProductInfo(p.name, p.price, p.description, p.is_signature)
        for p in business.products.filter(is_active=True)
    )
    return ShopProfile(
        name=business.name,
        industry=industry.code,
        industry_label=str(industry.label),
        family=str(industry.family),
        area=business.area,
        description=business.description,
        target_customers=business.target_customers,
        tone=business.tone,
        price_range=business.price_range,
        selling_points=tuple(business.selling_points or ()),
        opening_hours=business.opening_hours,
        address=business.address,
        phone=business.phone,
        products=products,
    )


def moment_for(piece: ContentPiece) -> Moment:
    from content.calendar import occasions_near, season_for

    zone = ZoneInfo(piece.business.time_zone)
    planned = timezone.localtime(piece.planned_for or timezone.now(), zone)
    return Moment(
        planned_for=planned,
        season=season_for(planned.date()),
        occasions=occasions_near(planned.date()),
    )


def brief_for(piece: ContentPiece) -> Brief:
    campaign = piece.campaign
    if campaign is None:
        return Brief(goal="awareness", note=piece.note)
    return Brief(
        goal=campaign.goal,
        offer=campaign.offer,
        campaign_name=campaign.name,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )


def recent_openings(piece: ContentPiece, *, limit: int = 10) -> tuple[str, ...]:
    bodies = (
        ContentPiece.objects.filter(business_id=piece.business_id, channel=piece.channel)
        .exclude(pk=piece.pk)
        .exclude(body="")
        .order_by("-created_at")
        .values_list("body", flat=True)[:limit]
    )
    return tuple(body.strip().splitlines()[0] for body in bodies if body.strip())


def _campaign_prose(piece: ContentPiece) -> list[list[str]]:
    """The prose of each of the campaign's other pieces, field by field."""
    if piece.campaign_id is None:
        return []
    others = (
        ContentPiece.objects.filter(campaign_id=piece.campaign_id)
        .exclude(pk=piece.pk)
        .exclude(fields={})
        .values_list("fields", flat=True)
    )
    return [[text for path, text in text_fields(fields) if is_prose(path)] for fields in others]


def campaign_sentences(piece: ContentPiece) -> tuple[str, ...]:
    """The sentences the campaign's other pieces already say (no piece repeats them)."""
    return campaign_said(piece)[0]


def campaign_said(piece: ContentPiece) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the campaign's other pieces say: all their sentences, and each one's opening."""
    prose = _campaign_prose(piece)
    said = tuple(s for fields in prose for text in fields for s in sentences(text))
    openings = tuple(sentences(p[0])[0] for p in prose if p and p[0].strip())
    return said, openings


def quality_context(request: GenerationRequest) -> quality.QualityContext:
    return quality.context_for(
        request.shop,
        request.brief,
        instruction=request.instruction,
        siblings=request.campaign_sentences,
    )


def generation_request(
    piece: ContentPiece, *, instruction: str = "", only_field: str = ""
) -> GenerationRequest:
    from analytics.selectors import guidance_for
    from marketing.market import market_context_for

    business = piece.business
    rewriting = bool(instruction or only_field) and bool(piece.fields)
    said, openings = campaign_said(piece)
    return GenerationRequest(
        channel=piece.channel,
        shop=shop_profile(business),
        brief=brief_for(piece),
        moment=moment_for(piece),
        market=market_context_for(business).as_prompt_context(),
        guidance=guidance_for(
            business_id=business.pk, channel=piece.channel, previous=piece.learning
        ),
        seed=piece.seed + piece.revision,
        recent_openings=recent_openings(piece),
        campaign_sentences=said,
        campaign_openings=openings,
        instruction=instruction,
        previous=stored_draft(piece).model_dump() if rewriting else None,
        only_field=only_field if rewriting else "",
    )


def stored_draft(piece: ContentPiece, fields: dict[str, Any] | None = None) -> BaseModel:
    """The piece's draft rebuilt from its stored fields (or ``fields``, a change not yet
    stored) and its attribute columns."""
    attributes = {name: getattr(piece, name) for name in ATTRIBUTE_FIELDS}
    return spec_for(piece.channel).draft_model.model_validate(
        {**(piece.fields if fields is None else fields), "attributes": attributes}
    )


# --- Making the draft fit ---------------------------------------------------------------


def fitting_generation(provider: Provider, request: GenerationRequest) -> Generation:
    """A generation whose draft passes its channel spec and the quality gate.

    Repairs in order of cost: the spec's deterministic trim and the gate's deterministic
    repairs, then one model call naming what is left. Raises ProviderError (permanent)
    with the reasons in plain Korean if the draft still breaks a rule.
    """
    spec = spec_for(request.channel)
    context = quality_context(request)
    generation = provider.write(request)
    calls = generation.calls
    broken, reviewed = _fitted(generation.draft, spec, context)
    findings = reviewed.findings
    if broken or reviewed.errors:
        fixed = provider.repair(request, reviewed.draft, broken + reviewed.problems())
        asked = tuple(replace(f, severity=quality.REWRITTEN) for f in reviewed.errors)
        if fixed is not None:
            calls += fixed.calls
            broken, reviewed = _fitted(fixed.draft, spec, context)
        findings = asked + reviewed.findings
    errors = [f.message for f in reviewed.errors]
    if broken or errors:
        reasons = " / ".join(broken or errors)
        what = "채널 규칙에 맞는 글" if broken else "맞춤법과 표현 검사를 통과하는 글"
        raise ProviderError(
            f"{what}을 만들지 못했습니다: {reasons}",
            permanent=True,
            detail=reasons,
            calls=calls,
        )
    return replace(generation, draft=reviewed.draft, calls=calls, findings=findings)


def _fitted(
    draft: BaseModel, spec: ChannelSpec[Any], context: quality.QualityContext
) -> tuple[list[str], quality.Review]:
    """What still breaks the channel's rules after the spec's repair and the gate's, and
    the gate's review (its draft is the repaired one)."""
    if spec.check(draft):
        draft = spec.repair(draft)
    reviewed = quality.review(draft, context)
    return [f"{p.field}: {p.message}" for p in spec.check(reviewed.draft)], reviewed


# --- Storing ------------------------------------------------------------------------------


def piece_store_draft(
    piece: ContentPiece,
    generation: Generation,
    *,
    instruction: str,
    guidance: Guidance | None = None,
) -> bool:
    """Store the written draft and make the piece ready; False if it was no longer being
    written (a rewrite asked meanwhile wins).

    Pieces of one campaign are written side by side, so the campaign is locked here and
    the draft checked once more against what the others stored meanwhile: a repeated
    sentence is taken out, and one that cannot be (an opening line) raises a transient
    ProviderError so the piece is written again with the others in view.
    """
    with transaction.atomic():
        generation = _without_new_repeats(piece, generation)
        draft = generation.draft
        title, body = title_and_body(draft)
        data = draft.model_dump()
        attributes = data.pop("attributes")
        copy = {name: attributes[name] for name in ATTRIBUTE_FIELDS}
        copy.update(
            fields=data,
            title=title[:200],
            body=body,
            provider=generation.provider,
            model_name=generation.model,
            prompt_version=generation.prompt_version,
            instruction=instruction[:300],
        )
        if guidance is not None and guidance.decision:
            copy["learning"] = {**piece.learning, **guidance.decision}
        if not transitions.finish_writing(piece, copy):
            return False
        revision = revisions.record_written(piece, instruction=instruction)
        findings_record(
            piece,
            generation.findings,
            revision=revision.number,
            provider=generation.provider,
            source=QualityFinding.Source.WRITER,
        )
    return True


def _without_new_repeats(piece: ContentPiece, generation: Generation) -> Generation:
    """The generation checked again, under the campaign's lock, against its siblings."""
    if piece.campaign_id is None:
        return generation
    Campaign.objects.select_for_update().filter(pk=piece.campaign_id).first()
    siblings = campaign_sentences(piece)
    if not siblings:
        return generation
    facts = quality.fact_lines(shop_profile(piece.business))
    reviewed = quality.repeats_removed(generation.draft, siblings, facts)
    if not reviewed.findings:
        return generation
    if reviewed.errors:
        raise ProviderError(
            "캠페인의 다른 글과 겹치는 문장이 있어 다시 씁니다.",
            permanent=False,
            detail=reviewed.errors[0].message,
            calls=generation.calls,
        )
    return replace(
        generation, draft=reviewed.draft, findings=(*generation.findings, *reviewed.findings)
    )


def findings_record(
    piece: ContentPiece,
    findings: tuple[quality.Finding, ...] | list[quality.Finding],
    *,
    revision: int | None,
    provider: str,
    source: str,
) -> None:
    """Keep the gate's findings on the piece, counted per provider in the admin."""
    QualityFinding.objects.bulk_create(
        QualityFinding(
            piece=piece,
            revision=revision,
            provider=provider[:40],
            source=source,
            rule=finding.rule,
            severity=finding.severity,
            field=finding.field[:80],
            before=finding.before[:500],
            after=finding.after[:500],
            message=finding.message[:500],
        )
        for finding in findings
    )


def hand_written_findings(piece: ContentPiece, fields: dict[str, Any]) -> list[quality.Finding]:
    """The gate's findings on text a person wrote (an edit, an import), as warnings: their
    words are never changed behind their back."""
    draft = stored_draft(piece, fields)
    context = quality.context_for(
        shop_profile(piece.business), brief_for(piece), siblings=campaign_sentences(piece)
    )
    return list(quality.review(draft, context, repair=False).findings)


def piece_generate(*, piece_id: int, instruction: str = "", only_field: str = "") -> ContentPiece:
    """Write (or rewrite) one piece.

    Idempotent for a delivery that arrives after the piece is done. Permanent
    failures and an exhausted quota leave the piece failed with the reason and
    charge nothing. Transient failures raise ProviderError for the task to retry.
    """
    piece = ContentPiece.objects.select_related("business", "campaign").get(pk=piece_id)
    if not transitions.begin_writing(piece):
        return piece
    charge = not only_field  # a one-field touch-up is not a new piece
    try:
        reservation = piece_quota_reserve(business=piece.business) if charge else None
    except QuotaExceeded as exc:
        transitions.fail(piece, exc.message)
        return piece
    try:
        provider = provider_for_business(piece.business)
        request = generation_request(piece, instruction=instruction, only_field=only_field)
        generation = guarded(provider, lambda: fitting_generation(provider, request))
        with transaction.atomic():
            llm_calls_record(business=piece.business, calls=generation.calls)
            stored = piece_store_draft(
                piece, generation, instruction=instruction, guidance=request.guidance
            )
            if stored:
                piece_render_enqueue(piece=piece)
    except ProviderError as exc:
        if reservation is not None:
            piece_quota_release(reservation)
        llm_calls_record(business=piece.business, calls=exc.calls)  # spent either way
        if exc.permanent:
            logger.info("piece %s failed: %s (%s)", piece.pk, exc.message, exc.detail)
            transitions.fail(piece, exc.message)
            return piece
        ContentPiece.objects.filter(pk=piece.pk).update(error=exc.message)
        raise
    return piece


def piece_render_enqueue(*, piece: ContentPiece) -> None:
    """Queue images and video for the piece's current copy (after the copy is committed)."""
    if transitions.queue_render(piece.pk):
        queue.enqueue("content.tasks.render_piece", piece.pk)


# --- Retrying and rewriting (enqueue after commit) ------------------------------------------


def piece_retry(*, piece: ContentPiece) -> ContentPiece:
    """Queue a failed piece again with its last instruction."""
    if transitions.queue_retry(piece):
        queue.enqueue("content.tasks.generate_piece", piece.pk, piece.instruction, "")
    return piece


def piece_regenerate(
    *,
    piece: ContentPiece,
    instruction: str = "",
    only_field: str = "",
    actor: User | None = None,
) -> ContentPiece:
    """Rewrite a piece (or one field of it) following the owner's instruction.

    Raises ValueError for a field the piece's channel does not have, and
    revisions.PieceLocked for a published piece (or one going out right now). A
    scheduled piece is unscheduled and comes back for review once rewritten.
    """
    fields = spec_for(piece.channel).draft_model.model_fields
    if only_field and only_field not in fields:
        raise ValueError(f"{piece.get_channel_display()}에는 '{only_field}' 항목이 없습니다.")
    with transaction.atomic():
        revisions.begin_change(piece.pk, editable=transitions.REWRITABLE, actor=actor)
        if transitions.queue_rewrite(piece):
            queue.enqueue("content.tasks.generate_piece", piece.pk, instruction, only_field)
    return piece
