"""What the owner sees of a piece's learning decision, read from ``ContentPiece.learning``
as stored (any key may be missing or odd on old pieces)."""

from __future__ import annotations

import pytest

from content.models import ContentPiece

EXPLORED = "이번 글은 새로운 시도예요"
LEARNED = "반응이 좋았던 방식이에요"


def test_a_piece_chosen_from_what_worked_reads_as_learned():
    piece = ContentPiece(
        learning={
            "slot": {
                "source": "learned",
                "slot": {"weekday": "5", "hour": "19"},
                "explored": False,
            },
            "attributes": {"hook_style": "question"},
            "explored": [],
            "evidence": 14,
            "note": LEARNED,
            "summary": "질문으로 시작한 글이 평소보다 도달과 반응이 34% 높았어요 · 게시물 14개 기준",
        }
    )

    assert piece.learning_note == LEARNED
    assert not piece.learning_explored
    assert piece.learning_summary.startswith("질문으로 시작한 글이")
    assert piece.posting_time_source == "learned"
    assert not piece.posting_time_explored


@pytest.mark.parametrize(
    "learning",
    [
        {"explored": ["hook_style"], "note": EXPLORED, "slot": {"source": "default"}},
        {"explored": [], "note": EXPLORED, "slot": {"source": "default", "explored": True}},
    ],
)
def test_a_new_attribute_or_a_new_time_reads_as_a_new_try(learning):
    piece = ContentPiece(learning=learning)

    assert piece.learning_explored
    assert piece.learning_note == EXPLORED
    assert piece.posting_time_source == "default"


@pytest.mark.parametrize(
    "learning",
    [
        {},
        {"slot": "19:00", "note": 3, "summary": None},
        {"slot": {"source": "guessed"}},
        [],
    ],
)
def test_an_old_or_odd_decision_shows_nothing(learning):
    piece = ContentPiece(learning=learning)

    assert piece.learning_note == ""
    assert piece.learning_summary == ""
    assert piece.posting_time_source == ""
    assert not piece.learning_explored
    assert not piece.posting_time_explored
