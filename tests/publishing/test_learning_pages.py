"""Why a post was written and timed as it was, on the owner's publishing pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ContentPieceFactory, PublicationFactory

pytestmark = pytest.mark.django_db

SUMMARY = "질문으로 시작한 글이 평소보다 도달과 반응이 34% 높았어요 · 게시물 14개 기준"


def _publication(business, learning):
    piece = ContentPieceFactory(business=business, status="approved", learning=learning)
    return PublicationFactory(piece=piece)


def test_the_post_page_says_why_with_the_summary_and_a_learned_time(alice):
    publication = _publication(
        alice.business,
        {
            "slot": {"source": "learned", "slot": {"weekday": "5", "hour": "19"}},
            "explored": [],
            "note": "반응이 좋았던 방식이에요",
            "summary": SUMMARY,
        },
    )

    html = alice.client().get(reverse("publications:detail", args=[publication.pk])).content
    html = html.decode()

    assert "이렇게 정한 이유" in html
    assert 'class="badge badge-learned">반응이 좋았던 방식이에요<' in html
    assert SUMMARY in html
    assert "배운 시간" in html
    assert "기본 시간" not in html


def test_the_post_page_says_when_a_default_time_was_moved_to_try_another(alice):
    publication = _publication(
        alice.business,
        {
            "slot": {"source": "default", "explored": True, "evidence": 2},
            "explored": [],
            "note": "이번 글은 새로운 시도예요",
            "summary": "아직 뚜렷한 차이는 없어 여러 방식을 시도하며 배우고 있어요 · 게시물 2개 기준",
        },
    )

    html = alice.client().get(reverse("publications:detail", args=[publication.pk])).content
    html = html.decode()

    assert 'class="badge badge-explored">이번 글은 새로운 시도예요<' in html
    assert "새로운 시간" in html
    assert "기본 시간 대신 다른 시간을 시도해 봐요" in html


def test_a_post_on_its_default_time_says_so(alice):
    publication = _publication(alice.business, {"slot": {"source": "default", "evidence": 0}})

    html = alice.client().get(reverse("publications:detail", args=[publication.pk])).content
    html = html.decode()

    assert "<strong>기본 시간</strong>" in html
    assert "badge" not in html  # not written yet: no note to show


def test_a_post_from_before_the_learning_loop_shows_no_reasons(alice):
    publication = _publication(alice.business, {})

    html = alice.client().get(reverse("publications:detail", args=[publication.pk])).content
    html = html.decode()

    assert "이렇게 정한 이유" not in html
    assert "badge" not in html


def test_the_schedule_list_carries_the_note_and_english_on_request(alice):
    _publication(alice.business, {"explored": ["hook_style"], "note": "이번 글은 새로운 시도예요"})
    url = reverse("publications:business", args=[alice.business.pk])

    korean = alice.client().get(url).content.decode()
    english = alice.client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "이번 글은 새로운 시도예요" in korean
    assert "A new try this time" in english
