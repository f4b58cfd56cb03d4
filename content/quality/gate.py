"""The gate: every check run over one draft, repairs applied where they are deterministic,
and what is left named as errors for the writer's one rewrite."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from content.providers.base import Brief, ShopProfile
from content.quality import grammar, style
from content.quality.base import ERROR, REPAIRED, WARNING, Finding
from content.quality.facts import KnownFacts
from content.quality.text import (
    is_prose,
    remove_sentence,
    sentence_key,
    sentences,
    set_field,
    text_fields,
)


@dataclass(frozen=True)
class QualityContext:
    """What the gate compares a draft with: the shop's facts and names, and the sentences of
    the campaign's other pieces."""

    known: KnownFacts = field(default_factory=lambda: KnownFacts(frozenset()))
    names: tuple[str, ...] = ()
    fact_lines: tuple[str, ...] = ()  # address, hours, phone: may repeat between pieces
    sibling_sentences: frozenset[str] = frozenset()


def context_for(
    shop: ShopProfile, brief: Brief, *, instruction: str = "", siblings: Iterable[str] = ()
) -> QualityContext:
    """The context for a draft written for ``shop`` and ``brief``; ``siblings`` are the
    bodies of the campaign's other pieces."""
    product_texts = [f"{p.name} {p.description}" for p in shop.products]
    texts = [
        shop.description,
        shop.opening_hours,
        shop.phone,
        shop.address,
        shop.target_customers,
        *shop.selling_points,
        *product_texts,
        brief.offer,
        brief.campaign_name,
        brief.note,
        instruction,
    ]
    names = (shop.name, *(p.name for p in shop.products), *shop.area.split()[-1:])
    lines = fact_lines(shop)
    return QualityContext(
        known=KnownFacts.from_texts(texts, prices=[p.price or 0 for p in shop.products]),
        names=tuple(n for n in names if n),
        fact_lines=lines,
        **sibling_keys(siblings, lines),
    )


def fact_lines(shop: ShopProfile) -> tuple[str, ...]:
    """What every post may say again in the same words: the address, the area as a whole,
    the hours and the phone number."""
    area = shop.area if len(shop.area.split()) >= 2 else ""
    texts = (shop.address, area, shop.opening_hours, shop.phone)
    return tuple(text.strip() for text in texts if text.strip())


def sibling_keys(texts: Iterable[str], fact_lines: tuple[str, ...] = ()) -> dict[str, Any]:
    """The context's keys for the sentences of the campaign's other pieces."""
    keys = {
        sentence_key(s)
        for text in texts
        for s in sentences(text)
        if not _is_fact_line(s, fact_lines)
    }
    keys.discard("")
    return {"sibling_sentences": frozenset(keys)}


def _is_fact_line(sentence: str, fact_lines: tuple[str, ...]) -> bool:
    return any(line in sentence for line in fact_lines)


@dataclass(frozen=True)
class Review:
    draft: BaseModel
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    def problems(self) -> list[str]:
        """The errors, as the writer is told them for its rewrite."""
        return [f"{f.field or '전체'}: {f.message}" for f in self.errors]


def register_for(draft: BaseModel) -> str:
    return grammar.register_for_tone(draft.attributes.tone)  # type: ignore[attr-defined]


def review(draft: BaseModel, context: QualityContext, *, repair: bool = True) -> Review:
    """Check ``draft`` against every rule. With ``repair`` the deterministic repairs are
    applied to the returned draft; without it (a hand edit) nothing changes and every
    finding is a warning."""
    data = draft.model_dump()
    fields = list(text_fields(data))
    findings: list[Finding] = []
    wanted = register_for(draft)
    checked = [
        (path, _field_pass(path, text, context, wanted, findings, chain=repair))
        for path, text in fields
    ]
    checked, found = style.fix_cliches(checked)
    findings += found
    room = _room(data)
    checked = _without_invented(checked, context, findings, room)
    checked = _without_repeats(checked, context, findings, room)
    checked, density, found = style.fix_emoji(checked, data["attributes"]["emoji_density"])
    findings += found
    findings += grammar.spacing_warnings(checked)
    if not repair:  # the emoji attribute is the writer's plan, not a person's concern
        return Review(draft, tuple(_as_warning(f) for f in findings if f.rule != "emoji"))
    for path, text in checked:
        set_field(data, path, text)
    _prune(data)
    data["attributes"]["emoji_density"] = density
    return Review(type(draft).model_validate(data), tuple(findings))


def review_text(
    text: str, context: QualityContext | None = None, *, tone: str = "friendly"
) -> tuple[str, list[Finding]]:
    """One piece of prose (a caption) through the rules that read text alone: particles,
    markers, spacing, 번역투, register, clichés and invented facts."""
    context = context or QualityContext(known=KnownFacts(frozenset()))
    wanted = grammar.register_for_tone(tone)
    findings: list[Finding] = []
    fields = [("caption", _field_pass("caption", text, context, wanted, findings))]
    fields, found = style.fix_cliches(fields)
    findings += found
    if context.known.values:
        fields = _without_invented(fields, context, findings, {})
    return fields[0][1], findings


def _field_pass(
    path: str,
    text: str,
    context: QualityContext,
    wanted: str,
    findings: list[Finding],
    *,
    chain: bool = True,
) -> str:
    """The rules that read one field alone, in order; findings appended. With ``chain``
    each rule reads the text the one before repaired; without it, each reads the text as
    written (what a person wrote is quoted back to them as they wrote it)."""
    original = text
    rules = (
        grammar.fix_markers,
        lambda p, t: grammar.fix_particles(p, t, context.names),
        grammar.fix_spacing,
        style.fix_translationese,
        lambda p, t: grammar.fix_register(p, t, wanted),
    )
    for rule in rules:
        repaired, found = rule(path, text if chain else original)
        findings += found
        text = repaired if chain else original
    return text


def repeats_removed(
    draft: BaseModel, siblings: Iterable[str], fact_lines: tuple[str, ...] = ()
) -> Review:
    """Only the repetition rule, against ``siblings`` (sentences of the other pieces);
    sentences with one of ``fact_lines`` may repeat."""
    data = draft.model_dump()
    findings: list[Finding] = []
    context = QualityContext(fact_lines=fact_lines, **sibling_keys(siblings, fact_lines))
    checked = _without_repeats(list(text_fields(data)), context, findings, _room(data))
    for path, text in checked:
        set_field(data, path, text)
    _prune(data)
    return Review(type(draft).model_validate(data), tuple(findings))


def _as_warning(finding: Finding) -> Finding:
    """A finding on a person's text, said as a suggestion: nothing was changed."""
    if finding.severity == WARNING:
        return finding
    if finding.after:
        message = f"이렇게 고치면 좋아요: {finding.before} → {finding.after}"
    else:
        message = f"한 번 더 살펴봐 주세요: {finding.before}"
    return Finding(finding.rule, finding.field, finding.before, finding.after, WARNING, message)


# Lists whose items may go whole (a blog section, a video scene) while at least 3 stay.
_ITEM = re.compile(r"^(sections|video_script\.scenes)\.(\d+)\.(?:body|narration)$")
MIN_ITEMS = 3


def _room(data: dict[str, Any]) -> dict[str, int]:
    """How many items each list can lose."""
    script = data.get("video_script") or {}
    sizes = {
        "sections": len(data.get("sections") or []),
        "video_script.scenes": len(script.get("scenes") or []),
    }
    return {name: max(size - MIN_ITEMS, 0) for name, size in sizes.items()}


def _prune(data: dict[str, Any]) -> None:
    """Items whose text was taken out whole leave their list."""
    if data.get("sections"):
        data["sections"] = [s for s in data["sections"] if s["body"].strip()]
    script = data.get("video_script")
    if script:
        kept = [s for s in script["scenes"] if s["narration"].strip()]
        # The video keeps its length: the scenes left share the time of those taken out.
        spare = sum(s["duration_s"] for s in script["scenes"]) - sum(s["duration_s"] for s in kept)
        for scene in kept:
            extra = min(spare, 10 - scene["duration_s"])
            scene["duration_s"] += extra
            spare -= extra
        script["scenes"] = kept


def _drop(
    path: str,
    text: str,
    sentence: str,
    rule: str,
    messages: tuple[str, str],
    findings: list[Finding],
    room: dict[str, int],
) -> str:
    """The sentence taken out of a prose field that keeps others, or the whole section or
    scene while enough stay; an error otherwise. ``messages``: (repaired, error)."""
    item = _ITEM.match(path)
    if is_prose(path) and len(sentences(text)) > 1:
        findings.append(Finding(rule, path, sentence, "", REPAIRED, messages[0]))
        return remove_sentence(text, sentence)
    if item and room.get(item.group(1), 0) > 0 and sentences(text) == [sentence]:
        room[item.group(1)] -= 1
        findings.append(Finding(rule, path, sentence, "", REPAIRED, messages[0]))
        return ""
    findings.append(Finding(rule, path, sentence, "", ERROR, messages[1]))
    return text


def _without_invented(
    fields: list[tuple[str, str]],
    context: QualityContext,
    findings: list[Finding],
    room: dict[str, int],
) -> list[tuple[str, str]]:
    result = []
    for path, text in fields:
        for sentence in sentences(text):
            invented = context.known.invented(sentence)
            if invented:
                words = ", ".join(fact.words for fact in invented)
                if all(fact.kind == "offer" for fact in invented):
                    messages = (
                        f"가게 정보에 없는 혜택이 든 문장을 뺐습니다: {words}",
                        f"가게 정보에 없는 혜택을 썼습니다: {words}",
                    )
                else:
                    messages = (
                        f"가게 정보에 없는 숫자가 든 문장을 뺐습니다: {words}",
                        f"가게 정보에 없는 숫자를 썼습니다: {words}",
                    )
                text = _drop(path, text, sentence, "invented_fact", messages, findings, room)
        result.append((path, text))
    return result


def _without_repeats(
    fields: list[tuple[str, str]],
    context: QualityContext,
    findings: list[Finding],
    room: dict[str, int],
) -> list[tuple[str, str]]:
    if not context.sibling_sentences:
        return fields
    result = []
    for path, text in fields:
        if is_prose(path):
            text = _repeats_dropped(path, text, context, findings, room)
        result.append((path, text))
    return result


def _repeats_dropped(
    path: str, text: str, context: QualityContext, findings: list[Finding], room: dict[str, int]
) -> str:
    found = sentences(text)
    opening = path in OPENING_FIELDS
    for index, sentence in enumerate(found):
        key = sentence_key(sentence)
        if not key or _is_fact_line(sentence, context.fact_lines):
            continue
        if key not in context.sibling_sentences:
            continue
        if opening and index == 0:
            message = f"캠페인의 다른 글과 첫 문장이 같습니다: {sentence}"
            findings.append(Finding("repetition", path, sentence, "", ERROR, message))
        else:
            messages = (
                f"캠페인의 다른 글과 같은 문장을 뺐습니다: {sentence}",
                f"캠페인의 다른 글과 같은 문장이 있습니다: {sentence}",
            )
            text = _drop(path, text, sentence, "repetition", messages, findings, room)
    return text


# The fields whose first line is the piece's opening line.
OPENING_FIELDS = ("caption", "text", "description", "intro")
