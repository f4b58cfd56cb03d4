"""The quality gate after every writer: the offline writer's corpus, its phrase banks, the
prompts, and the generation service over the real Gemini SDK against the simulator."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest

from content import quality
from content.korean import attach_josa, formal, won
from content.models import ContentPiece, QualityFinding
from content.prompting import build_prompt
from content.providers.base import Generation, ProviderError
from content.providers.offline import OfflineProvider, phrases
from content.quality.text import is_prose, sentence_key, sentences, text_fields
from content.services import fitting_generation, piece_generate, piece_store_draft
from sandbox.gemini_responder import respond
from tests.conftest import Tenant
from tests.content.gemini_helpers import queued_piece, replying
from tests.content.quality_corpus import SHOPS, campaigns
from tests.factories import CampaignFactory, ContentPieceFactory, written_piece

# What the gate must never let through, and what it must never need to repair in text
# it was given by our own writer.
GRAMMAR = {"particle", "marker", "register"}


def _final_findings(draft, request, siblings) -> list[quality.Finding]:
    """What the gate still finds on a draft it has passed (nothing, if it did its job)."""
    context = quality.context_for(request.shop, request.brief, siblings=siblings)
    return [f for f in quality.review(draft, context).findings if f.severity != "warning"]


@pytest.mark.parametrize(
    ("per_shop", "per_channel"),
    [(4, 2), (1, 8)],
    ids=["four-short-campaigns-per-shop", "one-four-week-campaign-per-shop"],
)
def test_the_corpus_of_generated_campaigns_passes_the_gate(per_shop, per_channel):
    """384 offline pieces in whole campaigns of 12 varied shops, short ones and ones of 32
    pieces: every piece is written, and none keeps a particle error, a marker, a mixed
    register, an invented number or a sentence another piece of its campaign says."""
    provider = OfflineProvider()
    written, failed, fired = 0, [], Counter()
    for requests in campaigns(per_shop=per_shop, pieces_per_channel=per_channel):
        said: list[str] = []
        for request in requests:
            request = dataclasses.replace(request, campaign_sentences=tuple(said))
            try:
                generation = fitting_generation(provider, request)
            except ProviderError as exc:
                failed.append((request.shop.name, request.channel, exc.message))
                continue
            written += 1
            fired.update(f.rule for f in generation.findings)
            assert _final_findings(generation.draft, request, said) == []
            prose = [t for p, t in text_fields(generation.draft.model_dump()) if is_prose(p)]
            facts = quality.fact_lines(request.shop)  # the address, hours and phone may repeat
            keys = {
                sentence_key(s) for text in prose for s in sentences(text) if not _fact(s, facts)
            } - {""}
            assert not keys & {sentence_key(s) for s in said}
            said += [s for text in prose for s in sentences(text)]
    assert (written, failed) == (384, [])
    assert fired["repetition"] >= 1  # the gate did fire on the corpus, so it can fail


def _fact(sentence: str, facts: tuple[str, ...]) -> bool:
    return any(line in sentence for line in facts)


def _slot_values(shop) -> dict[str, str]:
    item = shop.products[0] if shop.products else None
    return {
        "shop": shop.name,
        "item": item.name if item else "대표 메뉴",
        "price": won(item.price) if item and item.price else "12,500원",
        "min_price": "3,800원",
        "max_price": "12,000원",
        "place": shop.area.split()[-1],
        "area": shop.area,
        "address": "서울 마포구 동교로 1",
        "hours": shop.opening_hours or "매일 10:00–21:00",
        "phone": shop.phone or "02-123-4567",
        "offer": "전 메뉴 10% 할인",
        "point": "직접 만드는 소스",
        "point2": "편안한 분위기",
        "word": shop.industry_label,
        "noun": "메뉴",
    }


def _templates(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if "{" in value or "(" in value else []
    if isinstance(value, dict):
        return [t for v in value.values() for t in _templates(v)]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _templates(v)]
    if dataclasses.is_dataclass(value):
        return [t for f in dataclasses.fields(value) for t in _templates(getattr(value, f.name))]
    return []


PHRASE_TEMPLATES = sorted(
    {t for name in dir(phrases) if name.isupper() for t in _templates(getattr(phrases, name))}
)


@pytest.mark.parametrize("shop", SHOPS, ids=lambda s: s.name)
def test_every_offline_phrase_passes_the_gate_for_every_kind_of_name(shop):
    """Each template, filled with a shop's names and prices (with and without a final
    consonant, English names too) and in both registers, needs no repair."""
    values = _slot_values(shop)
    problems = []
    for template in PHRASE_TEMPLATES:
        fields = set(re.findall(r"{(\w+)}", template))
        text = attach_josa(
            template.format_map({**values, **{f: values.get(f, "오늘") for f in fields}})
        )
        for tone, line in (("friendly", text), ("premium", formal(text))):
            _, found = quality.review_text(line, tone=tone)
            problems += [(template, f.rule, f.before) for f in found if f.rule in GRAMMAR]
    assert problems == []


def _prompt_texts() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "content" / "prompts"
    return [path.read_text() for path in sorted(root.rglob("*.md"))]


def test_every_prompt_and_its_examples_pass_the_gate():
    """The prompts' own words, and every prompt as sent for the corpus's shops."""
    texts = _prompt_texts()
    for requests in campaigns(per_shop=1, pieces_per_channel=1):
        texts += [build_prompt(r).user for r in requests]
    found = []
    for text in texts:
        plain = re.sub(r"{[{%].*?[%}]}", " ", text)
        _, findings = quality.review_text(plain, tone="premium")
        found += [(f.rule, f.before) for f in findings if f.rule in {"particle", "marker"}]
    assert found == []


def test_an_offer_the_shop_never_made_is_taken_out_and_one_it_made_stays():
    shop, brief = SHOPS[0], dataclasses.replace(next(campaigns())[0].brief, offer="")
    text = "오늘도 소금빵을 구웠어요. 첫 방문이면 음료를 무료로 드려요."

    repaired, found = quality.review_text(text, quality.context_for(shop, brief))

    assert repaired == "오늘도 소금빵을 구웠어요."
    assert [(f.rule, f.message) for f in found] == [
        ("invented_fact", "가게 정보에 없는 혜택이 든 문장을 뺐습니다: 무료")
    ]
    offered = dataclasses.replace(brief, offer="첫 방문 음료 무료")
    assert quality.review_text(text, quality.context_for(shop, offered)) == (text, [])


def test_the_prompt_names_every_opening_of_the_campaign_and_its_newest_sentences():
    request = next(campaigns())[0]
    said = tuple(f"캠페인의 {n}번째 문장을 여기에 적어 두었어요." for n in range(100))
    openings = ("첫 번째 글은 이렇게 시작했어요.",)
    prompt = build_prompt(
        dataclasses.replace(request, campaign_sentences=said, campaign_openings=openings)
    ).user

    assert openings[0] in prompt and said[-1] in prompt and said[-60] in prompt
    assert said[0] not in prompt  # the oldest of a long campaign stay out of the prompt


# --- The service, over the real SDK ---------------------------------------------------------


@pytest.mark.django_db
def test_a_gemini_draft_is_repaired_and_its_findings_are_counted_for_gemini(gemini, alice):
    alice.business.products.create(name="소금빵", price=12500)
    gemini.responder = replying(
        lambda d: {**d, "text": "소금빵은 12,500원로 만나요. 정말 맛있습니다. 오늘도 기다릴게요."}
    )

    piece = piece_generate(piece_id=queued_piece(alice, "threads").pk)

    piece.refresh_from_db()
    assert piece.status == ContentPiece.Status.READY, piece.error
    assert piece.fields["text"].startswith("소금빵은 12,500원으로 만나요. 정말 맛있어요.")
    findings = {(f.rule, f.before, f.after) for f in piece.quality_findings.all()}
    assert ("particle", "12,500원로", "12,500원으로") in findings
    assert ("register", "맛있습니다", "맛있어요") in findings
    assert set(piece.quality_findings.values_list("provider", flat=True)) == {"gemini"}
    assert len(gemini.requests_for()) == 1  # repaired without a second call


@pytest.mark.django_db
def test_an_invented_price_the_gate_cannot_cut_is_named_to_the_writer_once(gemini, alice):
    invented = "오늘만 9,900원!"
    gemini.responder = lambda request: {**respond(request), "text": invented}

    piece = piece_generate(piece_id=queued_piece(alice, "threads").pk)

    piece.refresh_from_db()
    asks = gemini.requests_for()
    assert len(asks) == 2
    assert "가게 정보에 없는 숫자" in asks[1].text and "9,900원" in asks[1].text
    assert piece.status == ContentPiece.Status.FAILED
    assert piece.error.startswith("맞춤법과 표현 검사를 통과하는 글을 만들지 못했습니다")
    assert "9,900원" in piece.error


def _threads_draft(text: str):
    data = written_draft("threads").model_dump()
    data.update(text=text)
    data["attributes"].update(emoji_density="none", hashtag_count=0)
    return type(written_draft("threads")).model_validate(data)


def written_draft(channel: str):
    request = next(campaigns(per_shop=1, pieces_per_channel=1))[3]
    return OfflineProvider().write(dataclasses.replace(request, channel=channel)).draft


SAID = "연남동 골목의 작은 카페에서 오늘도 빵을 굽고 있어요."


def _beside_a_piece_that_said_it(tenant: Tenant) -> ContentPiece:
    """A piece being written in a campaign whose other piece stored SAID meanwhile."""
    campaign = CampaignFactory(business=tenant.business)
    ContentPieceFactory(
        business=tenant.business, campaign=campaign, channel="threads", fields={"text": SAID}
    )
    return ContentPieceFactory(
        business=tenant.business,
        campaign=campaign,
        channel="threads",
        status=ContentPiece.Status.GENERATING,
    )


@pytest.mark.django_db
def test_a_sentence_another_piece_stored_meanwhile_is_taken_out_at_store_time(alice):
    piece = _beside_a_piece_that_said_it(alice)
    draft = _threads_draft(f"새 메뉴가 나왔어요, 꼭 드셔 보세요. {SAID}")

    assert piece_store_draft(piece, Generation(draft, "offline"), instruction="")

    piece.refresh_from_db()
    assert piece.fields["text"] == "새 메뉴가 나왔어요, 꼭 드셔 보세요."
    assert piece.quality_findings.filter(rule="repetition", severity="repaired").exists()


@pytest.mark.django_db
def test_the_hours_may_be_said_again_at_store_time(alice):
    alice.business.opening_hours = "매일 10:00–21:00"
    alice.business.save()
    hours = "영업시간은 매일 10:00–21:00이에요."
    piece = _beside_a_piece_that_said_it(alice)
    ContentPiece.objects.filter(campaign=piece.campaign).exclude(pk=piece.pk).update(
        fields={"text": f"{SAID} {hours}"}
    )
    text = f"새 메뉴가 나왔어요, 꼭 드셔 보세요. {hours}"

    assert piece_store_draft(piece, Generation(_threads_draft(text), "offline"), instruction="")

    piece.refresh_from_db()
    assert piece.fields["text"] == text


@pytest.mark.django_db
def test_an_opening_line_another_piece_stored_meanwhile_sends_the_piece_back(alice):
    piece = _beside_a_piece_that_said_it(alice)
    draft = _threads_draft(f"{SAID} 새 메뉴도 있어요.")

    with pytest.raises(ProviderError) as raised:
        piece_store_draft(piece, Generation(draft, "offline"), instruction="")

    assert raised.value.permanent is False
    piece.refresh_from_db()
    assert piece.status == ContentPiece.Status.GENERATING


@pytest.mark.django_db
def test_a_hand_edit_is_saved_as_written_with_the_findings_as_warnings(alice):
    from content import editing

    piece = written_piece(alice.business, "threads", tone="friendly")
    revision = editing.edit(piece, {"text": "12,500원로 즐기는 오후. 정말 맛있습니다."})

    piece.refresh_from_db()
    assert revision is not None
    assert piece.fields["text"] == "12,500원로 즐기는 오후. 정말 맛있습니다."
    warnings = piece.quality_findings.filter(source=QualityFinding.Source.EDIT)
    assert {f.severity for f in warnings} == {"warning"}
    assert {f.rule for f in warnings} >= {"particle", "register"}
    assert all(f.before in piece.fields["text"] for f in warnings)  # quoted as written
