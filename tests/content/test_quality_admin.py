"""The quality gate's findings in the admin: a read-only list, scoped like every tenant
list, with a count of each rule per writing engine above it (where to improve prompts and
phrase banks), and the newest findings on each piece's page."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.admin import FINDINGS_SHOWN
from content.models import ContentPiece, QualityFinding
from tests.conftest import Tenant
from tests.factories import ContentPieceFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:content_qualityfinding_changelist"
Rule = QualityFinding.Rule


def finding(piece: ContentPiece, provider: str, rule: str, **fields: object) -> QualityFinding:
    values: dict[str, object] = {
        "revision": 1,
        "source": QualityFinding.Source.WRITER,
        "severity": QualityFinding.Severity.REPAIRED,
        "field": "caption",
        "before": "빵를",
        "after": "빵을",
        "message": "조사를 앞말에 맞게 고쳤습니다.",
        **fields,
    }
    return QualityFinding.objects.create(piece=piece, provider=provider, rule=rule, **values)


def findings_of(tenant: Tenant) -> ContentPiece:
    """Six findings on one of the tenant's pieces: particle 3 (offline 2, gemini 1),
    cliche 2 (gemini), spacing 1 (offline)."""
    piece = ContentPieceFactory(business=tenant.business, title="초겨울 신메뉴")
    for provider, rule in [
        ("offline", Rule.PARTICLE),
        ("offline", Rule.PARTICLE),
        ("gemini", Rule.PARTICLE),
        ("gemini", Rule.CLICHE),
        ("gemini", Rule.CLICHE),
        ("offline", Rule.SPACING),
    ]:
        finding(piece, provider, rule)
    return piece


def table(summary: dict) -> dict[str, dict[str, int]]:
    """The summary as {rule label: {engine: count, "합계": total}}."""
    return {
        row["label"]: {
            **dict(zip(summary["providers"], row["counts"], strict=True)),
            "합계": row["total"],
        }
        for row in summary["rows"]
    }


# --- The list and its summary ----------------------------------------------------------------


def test_the_list_counts_each_rule_per_engine_above_the_findings(alice: Tenant):
    findings_of(alice)

    with CaptureQueriesContext(connection) as queries:
        response = alice.client().get(reverse(CHANGELIST))

    assert response.status_code == 200
    summary = response.context["quality_summary"]
    assert summary["providers"] == ["gemini", "offline"]
    assert table(summary) == {
        "조사가 앞말과 맞지 않음": {"gemini": 1, "offline": 2, "합계": 3},
        "상투적인 광고 문구": {"gemini": 2, "offline": 0, "합계": 2},
        "단위 띄어쓰기": {"gemini": 0, "offline": 1, "합계": 1},
    }
    assert summary["totals"] == [3, 3] and summary["total"] == 6
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1  # one aggregate query for the whole table

    html = response.content.decode()
    assert "엔진별 규칙 집계" in html
    assert html.index('id="quality-summary"') < html.index('id="result_list"')
    assert '<tr data-rule="particle">' in html
    assert len(response.context["cl"].result_list) == 6


def test_the_summary_counts_only_the_filtered_findings(alice: Tenant):
    piece = findings_of(alice)
    finding(piece, "gemini", Rule.TRANSLATIONESE, before="~에 있어서", after="~에서")
    client = alice.client()

    by_engine = client.get(reverse(CHANGELIST), {"provider": "gemini"}).context["quality_summary"]
    searched = client.get(reverse(CHANGELIST), {"q": "에 있어서"}).context["quality_summary"]

    assert by_engine["providers"] == ["gemini"]
    assert by_engine["total"] == 4
    assert table(searched) == {"번역투 표현": {"gemini": 1, "합계": 1}}


def test_the_list_is_read_only_but_exports_as_csv(alice: Tenant):
    piece = findings_of(alice)
    one = piece.quality_findings.first()
    assert one is not None
    client = alice.client()

    add = client.get(reverse("admin:content_qualityfinding_add"))
    change = client.post(
        reverse("admin:content_qualityfinding_change", args=[one.pk]), {"message": "바꿈"}
    )
    delete = client.post(
        reverse("admin:content_qualityfinding_delete", args=[one.pk]), {"post": "yes"}
    )
    exported = client.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [one.pk]}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    one.refresh_from_db()
    assert one.message == "조사를 앞말에 맞게 고쳤습니다."
    body = exported.content.decode("utf-8").removeprefix("\ufeff")
    header, row = list(csv.reader(io.StringIO(body)))
    assert row[header.index("콘텐츠")] == "초겨울 신메뉴"
    assert row[header.index("규칙")] == one.get_rule_display()
    assert row[header.index("고치기 전")] == "빵를"


# --- Tenancy ---------------------------------------------------------------------------------


def test_staff_never_see_another_organizations_findings(
    alice: Tenant, bob: Tenant, charlie: Tenant
):
    findings_of(alice)
    bobs = finding(
        ContentPieceFactory(business=bob.business), "bob-engine", Rule.EMOJI, before="밥집만의 말"
    )
    client = charlie.client()  # staff in alice's organization

    listing = client.get(reverse(CHANGELIST))
    searched = client.get(reverse(CHANGELIST), {"q": "밥집만의 말"})
    opened = client.get(reverse("admin:content_qualityfinding_change", args=[bobs.pk]))

    assert bobs not in listing.context["cl"].queryset
    assert listing.context["quality_summary"]["total"] == 6
    html = listing.content.decode()
    assert 'data-rule="emoji"' not in html
    assert "bob-engine" not in html  # not even as a filter choice
    assert list(searched.context["cl"].queryset) == []
    assert searched.context["quality_summary"]["rows"] == []
    assert opened.status_code == 404
    # bob's own list has his finding only
    mine = bob.client().get(reverse(CHANGELIST)).context["quality_summary"]
    assert table(mine) == {"이모지 양이 설정과 다름": {"bob-engine": 1, "합계": 1}}


# --- On the piece's page ---------------------------------------------------------------------


def test_the_piece_page_shows_its_newest_findings_read_only(alice: Tenant):
    piece = ContentPieceFactory(business=alice.business)
    other = ContentPieceFactory(business=alice.business)
    finding(other, "offline", Rule.MARKER, message="다른 글의 결과")
    for number in range(FINDINGS_SHOWN + 2):
        finding(piece, "offline", Rule.PARTICLE, message=f"결과-{number:03d}")

    response = alice.client().get(reverse("admin:content_contentpiece_change", args=[piece.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "품질 검사 결과 (최근 50건)" in html
    shown = [n for n in range(FINDINGS_SHOWN + 2) if f"결과-{n:03d}" in html]
    assert shown == list(range(2, FINDINGS_SHOWN + 2))  # the newest 50
    assert "다른 글의 결과" not in html
    assert 'name="quality_findings-0-message"' not in html  # nothing to edit
    assert "quality_findings-empty" not in html  # nothing to add


def test_a_piece_with_findings_still_saves_from_its_page(alice: Tenant, superuser):
    import json

    from django.forms.models import model_to_dict
    from django.test import Client

    from tests.factories import written_piece

    piece = written_piece(alice.business, "threads")
    shown = [finding(piece, "offline", Rule.PARTICLE), finding(piece, "gemini", Rule.CLICHE)]
    data = {k: v for k, v in model_to_dict(piece).items() if v is not None}
    data["fields"] = json.dumps({**piece.fields, "text": "운영자가 고친 글"}, ensure_ascii=False)
    data["learning"] = "{}"
    data.update({"assets-TOTAL_FORMS": "0", "assets-INITIAL_FORMS": "0"})
    # What the browser sends back for the read-only rows: their ids, nothing to change.
    data.update({"quality_findings-TOTAL_FORMS": "2", "quality_findings-INITIAL_FORMS": "2"})
    for index, row in enumerate(reversed(shown)):
        data[f"quality_findings-{index}-id"] = str(row.pk)
        data[f"quality_findings-{index}-piece"] = str(piece.pk)
    client = Client()
    client.force_login(superuser)

    response = client.post(reverse("admin:content_contentpiece_change", args=[piece.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    piece.refresh_from_db()
    assert piece.body == "운영자가 고친 글"
    assert {row.pk for row in shown} <= set(piece.quality_findings.values_list("pk", flat=True))
